/* fuzz_issue.c - the issue parser (front matter + body) and everything an
 * issue feeds: any text parses into an issue whose positions and indices
 * hold, whose context renders through every format's template, and whose
 * HTML, when the rules find no error (what `weekly build` publishes), runs
 * and embeds nothing. */
#include <stdio.h>
#include <string.h>
#include "weekly/arena.h"
#include "weekly/issue.h"
#include "weekly/render.h"
#include "weekly/validate.h"
#include "harness.h"

static void check_links(const struct issue *is)
{
	for (size_t i = 0; i < is->nlinks; i++) {
		const struct link *l = &is->links[i];
		if (!l->url || l->line < 1 || l->col < 0)
			fuzz_fail("a link without a URL or position", NULL, 0, 0);
		if (l->section < -1 || l->section >= (long)is->nsections)
			fuzz_fail("a link's section is out of range", l->url, strlen(l->url), 0);
		if (l->item >= 0 && (l->section < 0 ||
		    l->item >= (long)is->sections[l->section].nitems))
			fuzz_fail("a link's item is out of range", l->url, strlen(l->url), 0);
	}
}

static void check_items(const struct issue *is)
{
	for (size_t i = 0; i < is->nsections; i++) {
		const struct section *s = &is->sections[i];
		if (!s->heading || s->line < 1)
			fuzz_fail("a section without a heading or line", NULL, 0, 0);
		for (size_t j = 0; j < s->nitems; j++) {
			const struct item *it = &s->items[j];
			if (!it->title || !it->url || !it->link_md || !it->note || it->line < 1)
				fuzz_fail("an item with a missing field", NULL, 0, 0);
		}
	}
}

static int is_html(const struct format *f)
{
	size_t n = strlen(f->ext);
	return n >= 5 && strcmp(f->ext + n - 5, ".html") == 0;
}

/* As `weekly build` renders: the context made in an arena, from what the
 * issues of a run share. */
static void render(const struct newsletter *n, const struct issue *is, int published)
{
	static struct renderer *r;
	static struct render_shared sh;
	static struct arena values = ARENA_INIT;
	static int ready;
	if (!ready) {
		r = renderer_new(n);
		render_shared_init(&sh, n);
		ready = 1;
	}
	value *ctx = render_context_with(n, is, &sh, RENDER_ALL, &values);
	for (const struct format *f = render_formats; f->name; f++) {
		buf out = BUF_INIT;
		diag_list d = DIAG_LIST_INIT;
		int rc = renderer_run(r, f->template, ctx, &out, &d);
		const char *why;
		size_t at;
		if (published && rc == 0 && is_html(f) &&
		    fuzz_html_unsafe(out.data, out.len, &why, &at)) {
			fprintf(stderr, "fuzz: format %s\n", f->name);
			fuzz_fail(why, out.data, out.len, at);
		}
		buf_release(&out);
		diag_release(&d);
	}
	value_free(ctx);
	arena_reset(&values);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct newsletter *n = fuzz_newsletter();
	diag_list d = DIAG_LIST_INIT;
	struct issue *is = issue_parse(n, "issues/015.md", (const char *)data, size, &d);
	if (!is)
		fuzz_fail("issue_parse returned NULL", NULL, 0, 0);
	check_links(is);
	check_items(is);
	size_t parse_errors = d.errors;
	validate_issue(n, is, -1, &d);
	if (d.errors < parse_errors)
		fuzz_fail("the rules lost an error", NULL, 0, 0);
	render(n, is, d.errors == 0);
	issue_free(is);
	diag_release(&d);
	return 0;
}
