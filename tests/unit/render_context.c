/* render_context.c - what templates see: numbering, circled numbers,
 * first/last flags, counts, settings overridden by front matter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/render.h"
#include "weekly/util.h"
#include "weekly/yaml.h"
#include "expect.h"
#include "newsletter.h"


static void expect_text(const char *name, const char *want, const value *ctx, const char *path)
{
	buf b = BUF_INIT;
	const value *v = value_path(ctx, path);
	if (v && value_type(v) == VALUE_BOOL)
		buf_puts(&b, value_boolean(v) ? "true" : "false");
	else
		value_text(v, &b);
	expect(name, want, b.data);
	buf_release(&b);
}

static const char settings[] =
	"name: N\nintro: general\nsections:\n"
	"  - {id: a, title: \"🦄Alpha\"}\n  - {id: b, title: Beta}\n  - {id: c, title: Gamma}\n"
	"links: [{x: 1}, {x: 2}, {x: 3}]\n";
static const char source[] =
	"---\nnumber: 3\ndate: 2024-01-06\nintro: special\n---\n\n"
	"## Beta\n\n- [B1](https://b.example/1)\n\n"
	"## alpha\n\n1. [A1](https://a.example/1)\n2. [A2](https://www.a.example/2) (note)\n"
	"3. [A3](https://a.example/3)\n";

/* Items are numbered ① to ⑳ in circles, and (21) on. */
static void circled(void)
{
	static const struct { long n; const char *want; } cases[] = {
		{ 1, "①" }, { 12, "⑫" }, { 20, "⑳" }, { 21, "(21)" }, { 150, "(150)" },
	};
	buf src = BUF_INIT;
	buf_puts(&src, "---\nnumber: 3\ndate: 2024-01-06\n---\n\n## Alpha\n\n");
	for (long i = 1; i <= 150; i++)
		buf_printf(&src, "%ld. [T%ld](https://a.example/%ld)\n", i, i, i);
	diag_list d = DIAG_LIST_INIT;
	struct newsletter n = { 0 };
	newsletter_of(&n, settings, &d);
	struct issue *is = issue_parse(&n, "t.md", src.data, src.len, &d);
	value *ctx = render_context(&n, is);
	const value *items = value_getc(value_at(value_getc(ctx, "sections"), 0), "items");
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char name[32];
		snprintf(name, sizeof name, "circled %ld", cases[i].n);
		expect_text(name, cases[i].want, value_at(items, (size_t)cases[i].n - 1), "circled");
	}
	value_free(ctx);
	issue_free(is);
	newsletter_release(&n);
	diag_release(&d);
	buf_release(&src);
}

static void context(void)
{
	diag_list d = DIAG_LIST_INIT;
	struct newsletter n = { 0 };
	newsletter_of(&n, settings, &d);
	struct issue *is = issue_parse(&n, "t.md", source, strlen(source), &d);
	value *ctx = render_context(&n, is);
	expect("parse is clean", "0", d.len ? "errors" : "0");
	const value *first = value_at(value_getc(ctx, "sections"), 0);
	expect_text("sections in configured order", "a", first, "id");
	expect_text("then the next", "b", value_at(value_getc(ctx, "sections"), 1), "id");
	expect_text("first section is first", "true", first, "first");
	expect_text("item n", "2", value_at(value_getc(first, "items"), 1), "n");
	expect_text("item circled", "③", value_at(value_getc(first, "items"), 2), "circled");
	expect_text("item first", "true", value_at(value_getc(first, "items"), 0), "first");
	expect_text("item last", "true", value_at(value_getc(first, "items"), 2), "last");
	expect_text("item not last", "false", value_at(value_getc(first, "items"), 1), "last");
	expect_text("note", "(note)", value_at(value_getc(first, "items"), 1), "note");
	expect_text("domain without www", "a.example", value_at(value_getc(first, "items"), 1), "domain");
	expect_text("section by id", "3", ctx, "section.a.count");
	expect_text("counts by id", "1", ctx, "counts.b");
	expect_text("counts of an absent section", "0", ctx, "counts.c");
	expect_text("counts total", "4", ctx, "counts.total");
	expect_text("front matter overrides a setting", "special", ctx, "newsletter.intro");
	expect_text("settings lists get last", "true", value_at(value_path(ctx, "newsletter.links"), 2), "last");
	expect_text("issue number", "3", ctx, "issue.number");
	value_free(ctx);
	is->as_written = 1; /* "sections_as_written: true" */
	ctx = render_context(&n, is);
	const value *as_written = value_at(value_getc(ctx, "sections"), 0);
	expect_text("as written: the source's order", "b", as_written, "id");
	expect_text("as written: its first is first", "true", as_written, "first");
	expect_text("as written: then the next", "a", value_at(value_getc(ctx, "sections"), 1), "id");
	expect_text("as written: the next is not first", "false", value_at(value_getc(ctx, "sections"), 1), "first");
	expect_text("as written: counts total", "4", ctx, "counts.total");
	value_free(ctx);
	issue_free(is);
	newsletter_release(&n);
	diag_release(&d);
}

/* HTML comes from weekly alone: an "_html" key a source sets, at any
 * depth, reaches no template, even when nothing checked the source. */
static const char html_settings[] =
	"name: N\nintro_html: \"<script>s</script>\"\nfooter: {note_html: \"<b>f</b>\"}\n"
	"sections:\n  - {id: a, title: A, after_html: \"]]><script>a</script>\", lead_md: \"*x*\","
	" lead_html: \"<i>raw</i>\"}\n";
static const char html_source[] =
	"---\nnumber: 3\ndate: 2024-01-06\nsubscribe_html: \"<script>f</script>\"\n"
	"intro_md: \"*hi* <script>m</script>\"\nintro_html: \"<script>i</script>\"\n"
	"lead_html: \"<script>l</script>\"\n---\n\n## A\n\n1. [A1](https://a.example/1)\n";

static void raw_html(void)
{
	diag_list d = DIAG_LIST_INIT;
	struct newsletter n = { 0 };
	newsletter_of(&n, html_settings, &d);
	struct issue *is = issue_parse(&n, "t.md", html_source, strlen(html_source), &d);
	struct render_shared sh;
	render_shared_init(&sh, &n);
	value *ctx = render_context(&n, is), *shared = render_context_with(&n, is, &sh, 0, NULL);
	for (int k = 0; k < 2; k++) {
		const value *c = k ? shared : ctx;
		expect_text("front matter subscribe_html: nothing", "", c, "newsletter.subscribe_html");
		expect_text("intro_html made from intro_md", "<em>hi</em> <!-- raw HTML omitted -->m<!-- raw HTML omitted -->",
			    c, "newsletter.intro_html");
		expect_text("issue.intro_html made from intro_md too",
			    "<em>hi</em> <!-- raw HTML omitted -->m<!-- raw HTML omitted -->", c, "issue.intro_html");
		expect_text("issue.subscribe_html: nothing", "", c, "issue.subscribe_html");
		expect_text("issue.lead_html is the issue's lead", "", c, "issue.lead_html");
		expect_text("nested settings note_html: nothing", "", c, "newsletter.footer.note_html");
		const value *sec = value_at(value_getc(c, "sections"), 0);
		expect_text("section after_html: nothing", "", sec, "after_html");
		expect_text("section lead_html is the issue's", "", sec, "lead_html");
	}
	render_shared_release(&sh);
	value *bare = render_context(&n, &(struct issue){ .front = NULL });
	expect_text("settings intro_html: nothing", "", bare, "newsletter.intro_html");
	value_free(bare);
	value_free(shared);
	value_free(ctx);
	issue_free(is);
	newsletter_release(&n);
	diag_release(&d);
}

int main(void)
{
	circled();
	context();
	raw_html();
	return expect_summary();
}
