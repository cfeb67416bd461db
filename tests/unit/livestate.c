/* livestate.c - what open pages are told: diagnostics parsed from the
 * build's messages and check's JSON, each with its source line, and the
 * hub's streams (which page hears what). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "weekly/buf.h"
#include "weekly/fsutil.h"
#include "weekly/livehub.h"
#include "weekly/livestate.h"
#include "weekly/util.h"
#include "expect.h"

/* What a page's stream says next (the hub has something to say). */
static char *next(struct livehub *h, struct live_client *c)
{
	static char out[4096];
	ssize_t n = livehub_read(h, c, out, sizeof out - 1);
	out[n > 0 ? n : 0] = '\0';
	return out;
}

/* The stem of an issue file, as livestate_is_draft reads it: issue 015's
 * file, named or not, is a draft; backups, swap files and the settings are
 * no issue's. */
static void stems(void)
{
	struct livehub *h = livehub_new();
	struct livestate s;
	livestate_init(&s, h);
	livestate_draft(&s, "015", 1);
	expect_long("stem of an issue file", 1, livestate_is_draft(&s, "issues/015.md"));
	expect_long("stem of a named issue file", 1, livestate_is_draft(&s, "issues/015-rust.md"));
	expect_long("another issue's stem", 0, livestate_is_draft(&s, "issues/016.md"));
	expect_long("a backup is no issue", 0, livestate_is_draft(&s, "issues/015.md~"));
	expect_long("nor a swap file", 0, livestate_is_draft(&s, "issues/.015.md.swp"));
	expect_long("nor the settings", 0, livestate_is_draft(&s, "issues/newsletter.yaml"));
	livestate_release(&s);
	livehub_free(h);
}

/* The state a page opening a stream is told first: its issue's (the
 * issue whose outputs are named as the page's stem) or none. */
static const char *first_state(struct livehub *h, const char *page)
{
	struct live_client *c = livehub_join(h, page, -1, 0);
	next(h, c);
	const char *said = next(h, c);
	livehub_leave(h, c);
	return said;
}

static void page_stems(void)
{
	struct livehub *h = livehub_new();
	livehub_set_state(h, "015", "{\"draft\": true}");
	expect("a page's stem", "event: state\ndata: {\"issue\": {\"draft\": true}, \"all\": null}\n\n",
	       first_state(h, "015.html"));
	expect("the index has none", "event: state\ndata: {\"issue\": null, \"all\": null}\n\n",
	       first_state(h, "index.html"));
	expect("nor a page in a folder", "event: state\ndata: {\"issue\": null, \"all\": null}\n\n",
	       first_state(h, "x/015.html"));
	expect("nor a page named by a longer number",
	       "event: state\ndata: {\"issue\": null, \"all\": null}\n\n", first_state(h, "0150.html"));
	livehub_stop(h, 0);
	livehub_free(h);
}

static void built(const char *dir)
{
	struct livehub *h = livehub_new();
	struct livestate s;
	livestate_init(&s, h);
	struct live_client *c = livehub_join(h, "015.html", -1, 0);
	expect("a stream starts with its retry time", "retry: 500\n\n", next(h, c));
	expect("then the page's state", "event: state\ndata: {\"issue\": null, \"all\": null}\n\n",
	       next(h, c));
	char *tmpl = fs_join(dir, "t.mustache");
	FILE *f = fopen(tmpl, "w");
	fputs("<p>\n{{#items}}\n", f);
	fclose(f);
	/* issues/015.md: line 12 says "## Recipes", line 30 is "- [é](u)\r" */
	f = fopen("issues/015.md", "w");
	for (int i = 1; i < 30; i++)
		fputs(i == 12 ? "## Recipes\n" : "\n", f);
	fputs("- [\xc3\xa9](u)\r\n", f);
	fclose(f);
	char *changed[] = { "issues/015.md" };
	char *text = xasprintf("%s:2:1: error: unclosed section 'items' [template]\n"
		     "issues/015.md:12:1: error: unknown section 'Recipes' [section]\n"
		     "%s:2:1: error: unclosed section 'items' [template]\n"
		     "issues/015.md:30:4: warning: a: b: c\n", tmpl, tmpl);
	livestate_built(&s, text, 1, changed, 1, "");
	buf want = BUF_INIT;
	buf_printf(&want, "event: state\ndata: {\"issue\": {\"draft\": false, \"diagnostics\": ["
		   "{\"file\":\"issues/015.md\",\"line\":12,\"column\":1,\"severity\":\"error\","
		   "\"rule\":\"section\",\"message\":\"unknown section 'Recipes'\","
		   "\"source\":\"## Recipes\"},"
		   "{\"file\":\"issues/015.md\",\"line\":30,\"column\":4,\"severity\":\"warning\","
		   "\"rule\":null,\"message\":\"a: b: c\",\"source\":\"- [\xc3\xa9](u)\"}]}, \"all\": {\"diagnostics\": ["
		   "{\"file\":\"%s\",\"line\":2,\"column\":1,\"severity\":\"error\","
		   "\"rule\":\"template\",\"message\":\"unclosed section 'items'\","
		   "\"source\":\"{{#items}}\"}]}}\n\n", tmpl);
	expect("the build's messages: the issue's, then the template's, once, with its line",
	       want.data, next(h, c));
	livehub_reload(h, "016.html");
	livehub_reload(h, "015.html");
	expect("a reload for this page", "event: reload\ndata: 015.html\n\n", next(h, c));
	livestate_built(&s, "weekly: cannot write build/015.html: No space left on device\n", 3,
			NULL, 0, "");
	expect("a failure without a position, for every page",
	       "event: state\ndata: {\"issue\": {\"draft\": false, \"diagnostics\": ["
	       "{\"file\":\"issues/015.md\",\"line\":12,\"column\":1,\"severity\":\"error\","
	       "\"rule\":\"section\",\"message\":\"unknown section 'Recipes'\","
	       "\"source\":\"## Recipes\"},"
	       "{\"file\":\"issues/015.md\",\"line\":30,\"column\":4,\"severity\":\"warning\","
	       "\"rule\":null,\"message\":\"a: b: c\",\"source\":\"- [\xc3\xa9](u)\"}]}, \"all\": {\"diagnostics\": ["
	       "{\"file\":\"\",\"line\":0,\"column\":0,\"severity\":\"error\",\"rule\":null,"
	       "\"message\":\"weekly: cannot write build/015.html: No space left on device\"}]}}\n\n",
	       next(h, c));
	const char *json = "[\n  {\"file\": \"issues/016.md\", \"line\": 3, \"column\": 1, "
			   "\"severity\": \"error\", \"rule\": \"x\", \"message\": \"m\"}\n]\n";
	char *files[] = { "issues/015.md", "issues/016.md" };
	livestate_built(&s, "", 0, NULL, 0, "");
	next(h, c);
	livestate_checked(&s, files, 2, json, strlen(json));
	livestate_draft(&s, "015", 1);
	expect("checked: no diagnostics left; a draft",
	       "event: state\ndata: {\"issue\": {\"draft\": true, \"diagnostics\": []}, \"all\": null}\n\n",
	       next(h, c));
	expect_long("bad JSON from check is refused", -1, livestate_checked(&s, files, 2, "{", 1));
	struct live_client *c16 = livehub_join(h, "016.html", -1, 0);
	next(h, c16);
	next(h, c16);
	const char *two = "[{\"file\": \"issues/016.md\", \"line\": 1, \"column\": 2, "
			  "\"severity\": \"warning\", \"rule\": \"r\", \"message\": \"one\"},"
			  "{\"file\": \"issues/015.md\", \"line\": 12, \"column\": 1, "
			  "\"severity\": \"error\", \"rule\": \"s\", \"message\": \"two\"},"
			  "{\"file\": \"issues/016.md\", \"line\": 9, \"column\": 1, "
			  "\"severity\": \"warning\", \"rule\": \"r\", \"message\": \"three\"},"
			  "{\"file\": \"issues/017.md\", \"line\": 1, \"column\": 1, "
			  "\"severity\": \"error\", \"rule\": \"r\", \"message\": \"not asked\"}]";
	livestate_checked(&s, files, 2, two, strlen(two));
	expect("check's diagnostics go to their issues, in check's order",
	       "event: state\ndata: {\"issue\": {\"draft\": false, \"diagnostics\": ["
	       "{\"file\":\"issues/016.md\",\"line\":1,\"column\":2,\"severity\":\"warning\","
	       "\"rule\":\"r\",\"message\":\"one\"},"
	       "{\"file\":\"issues/016.md\",\"line\":9,\"column\":1,\"severity\":\"warning\","
	       "\"rule\":\"r\",\"message\":\"three\"}]}, \"all\": null}\n\n", next(h, c16));
	expect("each its own",
	       "event: state\ndata: {\"issue\": {\"draft\": true, \"diagnostics\": ["
	       "{\"file\":\"issues/015.md\",\"line\":12,\"column\":1,\"severity\":\"error\","
	       "\"rule\":\"s\",\"message\":\"two\",\"source\":\"## Recipes\"}]}, \"all\": null}\n\n",
	       next(h, c));
	livehub_leave(h, c16);
	struct live_client *old = livehub_join(h, "015.html", -1, 1);
	next(h, old);
	expect("a page that changed before its stream opened reloads at once",
	       "event: reload\ndata: 015.html\n\n", next(h, old));
	livehub_leave(h, old);
	livehub_stop(h, 0);
	expect("stopping says goodbye", "event: bye\ndata: \n\n", next(h, c));
	expect_long("and ends the stream", -1, (long)livehub_read(h, c, (char[8]){ 0 }, 8));
	livehub_leave(h, c);
	livestate_release(&s);
	livehub_free(h);
	unlink(tmpl);
	unlink("issues/015.md");
	free(tmpl);
	free(text);
	buf_release(&want);
}

int main(void)
{
	char dir[] = "/tmp/weekly-livestate.XXXXXX";
	if (!mkdtemp(dir) || chdir(dir) < 0 || mkdir("issues", 0755) < 0)
		return 3;
	stems();
	page_stems();
	built(dir);
	rmdir("issues");
	rmdir(dir);
	return expect_summary();
}
