/* render_context.c - what templates see: numbering, circled numbers,
 * first/last flags, counts, settings overridden by front matter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/render.h"
#include "weekly/util.h"
#include "weekly/yaml.h"
#include "expect.h"


static void expect_text(const char *name, const char *want, const value *ctx, const char *path)
{
	buf b = BUF_INIT;
	const value *v = value_path(ctx, path);
	if (v && v->kind == VALUE_BOOL)
		buf_puts(&b, v->u.boolean ? "true" : "false");
	else
		value_text(v, &b);
	expect(name, want, b.data ? b.data : "");
	buf_release(&b);
}

static void circled(void)
{
	static const struct { long n; const char *want; } cases[] = {
		{ 1, "①" }, { 12, "⑫" }, { 20, "⑳" }, { 21, "(21)" }, { 150, "(150)" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		buf b = BUF_INIT;
		render_circled(cases[i].n, &b);
		char name[32];
		snprintf(name, sizeof name, "circled %ld", cases[i].n);
		expect(name, cases[i].want, b.data);
		buf_release(&b);
	}
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

static void context(void)
{
	diag_list d = DIAG_LIST_INIT;
	struct newsletter n = { 0 };
	newsletter_from_text(&n, settings, strlen(settings), &d);
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
	issue_free(is);
	newsletter_release(&n);
	diag_release(&d);
}

int main(void)
{
	circled();
	context();
	return expect_summary();
}
