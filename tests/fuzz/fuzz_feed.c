/* fuzz_feed.c - the feed writer: an issue that `weekly check` passes,
 * made into a feed entry as `weekly build --all` makes it (its context,
 * pruned, with its page and URL) and rendered through the example's
 * templates/feed.xml.mustache, is well-formed XML that libxml2 reads,
 * whatever the source holds: no character XML 1.0 forbids, no "]]>" that
 * ends the CDATA of an entry's content early, no tag left open. */
#include <stdio.h>
#include <string.h>
#include <libxml/parser.h>
#include "weekly/archive.h"
#include "weekly/issue.h"
#include "weekly/render.h"
#include "weekly/validate.h"
#include "harness.h"

/* newsletter, archive {count, url, updated}, entries[] of one issue. */
static value *feed_context(const struct newsletter *n, const struct render_shared *sh,
			   const struct issue *is)
{
	value *ctx = value_map();
	value_map_lit(ctx, "newsletter", value_ref(sh->newsletter));
	value *archive = value_map_lit(ctx, "archive", value_map());
	value_map_lit(archive, "count", value_number(1));
	value_map_lit(archive, "url", value_cstring("https://weekly.example/"));
	value_map_lit(archive, "updated", value_cstring(is->date ? is->date : ""));
	value *entry = archive_feed_entry(render_context_with(n, is, sh, 0, NULL), "015.html",
					  "https://weekly.example/");
	value_list_push(value_map_lit(ctx, "entries", value_list()), entry);
	return ctx;
}

static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void well_formed(const buf *feed)
{
	xmlParserCtxtPtr x = xmlNewParserCtxt();
	xmlDocPtr doc = xmlCtxtReadMemory(x, feed->data, (int)feed->len, "feed.xml", NULL,
					  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc) {
		const xmlError *e = xmlCtxtGetLastError(x);
		fprintf(stderr, "fuzz: libxml2: %s", e && e->message ? e->message : "?\n");
		size_t at = 0; /* the offset of the line libxml2 names */
		for (int line = 1; e && line < e->line && at < feed->len; at++)
			line += feed->data[at] == '\n';
		fuzz_fail("the feed is not well-formed XML", feed->data, feed->len, at);
	}
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct renderer *r;
	static struct render_shared sh;
	static int ready;
	const struct newsletter *n = fuzz_newsletter();
	if (!ready) {
		xmlSetGenericErrorFunc(NULL, quiet);
		r = renderer_new(n);
		render_shared_init(&sh, n);
		ready = 1;
	}
	diag_list d = DIAG_LIST_INIT;
	struct issue *is = issue_parse(n, "issues/015.md", (const char *)data, size, &d);
	validate_issue(n, is, -1, &d);
	if (d.errors == 0) { /* what a build publishes */
		value *ctx = feed_context(n, &sh, is);
		buf feed = BUF_INIT;
		if (renderer_run(r, "feed.xml.mustache", ctx, &feed, &d) == 0)
			well_formed(&feed);
		buf_release(&feed);
		value_free(ctx);
	}
	issue_free(is);
	diag_release(&d);
	return 0;
}
