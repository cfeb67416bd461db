/* editor_counts.c - words, plain text with numbered references, and the
 * counts of an issue as `weekly stats` and templates see them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/markdown.h"
#include "weekly/render.h"
#include "weekly/stats.h"
#include "weekly/util.h"
#include "weekly/yaml.h"
#include "expect.h"
#include "newsletter.h"


/* The words an item's description counts for, as stats see them. */
static long description_words(const char *text)
{
	static const char settings[] = "name: N\nsections:\n  - {id: a, title: Alpha}\n";
	diag_list d = DIAG_LIST_INIT;
	struct newsletter n = { 0 };
	newsletter_of(&n, settings, &d);
	char *src = xasprintf("---\nnumber: 3\ndate: 2024-01-06\n---\n\n## Alpha\n\n"
			      "1. [A](https://a.example/1)\n\n%s\n", text);
	struct issue *is = issue_parse(&n, "t.md", src, strlen(src), &d);
	struct stats st;
	stats_issue(is, &st);
	issue_free(is);
	free(src);
	newsletter_release(&n);
	diag_release(&d);
	return st.words;
}

static void words(void)
{
	static const struct { const char *text; long want; } cases[] = {
		{ "", 0 }, { "hello world", 2 }, { "  spaced   out  ", 2 },
		{ "foo-bar baz", 2 }, { "3.15 is out", 3 }, { "naïve café", 2 },
		{ "— 🎁 - ...", 0 }, { "(P.S. read it!)", 3 }, { "中文字", 3 },
		{ "Python和AI", 3 }, { "line\nbreak\ttab", 3 }, { "“quoted” words", 2 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char name[64];
		snprintf(name, sizeof name, "words of '%s'", cases[i].text);
		for (char *c = name; *c; c++)
			if (*c == '\n' || *c == '\t')
				*c = ' ';
		expect_long(name, cases[i].want, description_words(cases[i].text));
	}
}

/* md as plain text: without references (markdown_text), or as a whole
 * document (plain: markdown_plain, its references listed after it). */
static void text_case(const char *name, const char *md, const char *want, int plain)
{
	buf b = BUF_INIT;
	if (plain) {
		buf_puts(&b, md);
		markdown_plain(&b);
	} else {
		markdown_text(md, strlen(md), &b);
	}
	expect(name, want, b.data);
	buf_release(&b);
}

static void plain_text(void)
{
	text_case("emphasis and code marks dropped", "**bold**, *em* and `code`",
		  "bold, em and code", 0);
	text_case("links numbered, a repeat keeps its number",
		  "[a](https://a.example) [b](https://b.example) [again](https://a.example)",
		  "a [1] b [2] again [1]\n\n[1] https://a.example\n[2] https://b.example\n", 1);
	text_case("a link showing its address needs no reference",
		  "<https://a.example> and https://b.example",
		  "https://a.example and https://b.example\n", 1);
	text_case("images", "![Alt text](https://i.example/x.png)\n\n![](https://i.example/y.png)",
		  "[image: Alt text] [1]\n\n[image] [2]\n\n[1] https://i.example/x.png\n[2] https://i.example/y.png\n", 1);
	text_case("without references: links are text, images gone",
		  "[a](https://a.example) ![img](https://i.example)", "a ", 0);
	text_case("headings underlined by width", "# Title\n\n## 🦄Wide\n\n### Low",
		  "Title\n=====\n\n🦄Wide\n------\n\nLow", 0);
	text_case("quotes", "> one\n> two\n>\n> three", "> one\n> two\n>\n> three", 0);
	text_case("lists", "- a\n- b\n\n3. c\n\n   more\n4. d",
		  "- a\n- b\n\n3. c\n\n   more\n\n4. d", 0);
	text_case("code indented", "```\nx = 1\n  y\n```", "    x = 1\n      y", 0);
	text_case("raw HTML dropped", "<div>x</div>\n\ntext <b>bold</b>", "text bold", 0);
	text_case("tables", "| a | b |\n|---|---|\n| 1 | 2 |", "a | b\n1 | 2", 0);
}

static const char settings[] =
	"name: N\nsections:\n  - {id: a, title: Alpha, noun: alphas}\n  - {id: b, title: Beta}\n";
static const char source[] =
	"---\nnumber: 3\ndate: 2024-01-06\n---\n\nLead with [a link](https://lead.example).\n\n"
	"## Alpha\n\n1. [A1](https://a.example/1) (note)\n\nTwo words.\n\n"
	"![pic](https://img.example/1.png)\n\n2. [A2](https://a.example/2)\n\n"
	"See [this](https://x.example) and [that](https://y.example), all six.\n\n"
	"## Beta\n\n- [B1](https://b.example/1)\n";

static void counts(void)
{
	diag_list d = DIAG_LIST_INIT;
	struct newsletter n = { 0 };
	newsletter_of(&n, settings, &d);
	struct issue *is = issue_parse(&n, "t.md", source, strlen(source), &d);
	expect_long("parse is clean", 0, (long)d.len);
	struct stats s;
	stats_section(is, 0, &s);
	expect_long("section items", 2, s.items);
	expect_long("section words of descriptions", 8, s.words);
	expect_long("section links (items' own too)", 4, s.links);
	expect_long("section images", 1, s.images);
	stats_conf(is, 1, &s);
	expect_long("configured section items", 1, s.items);
	stats_issue(is, &s);
	expect_long("issue links, the lead's included", 6, s.links);
	expect_long("issue words", 8, s.words);

	value *ctx = render_context(&n, is);
	buf b = BUF_INIT;
	value_text(value_path(ctx, "stats.links"), &b);
	expect("template stats.links", "6", b.data);
	b.len = 0;
	value_text(value_path(value_at(value_getc(ctx, "sections"), 0), "stats.words"), &b);
	expect("template sections[].stats.words", "8", b.data);
	b.len = 0;
	value_text(value_path(ctx, "section.a.stats.images"), &b);
	expect("template section.ID.stats.images", "1", b.data);
	expect("single is false for two items", "0",
	       value_truthy(value_path(ctx, "section.a.single")) ? "1" : "0");
	expect("single is true for one item", "1",
	       value_truthy(value_path(ctx, "section.b.single")) ? "1" : "0");
	buf_release(&b);
	value_free(ctx);
	issue_free(is);
	newsletter_release(&n);
	diag_release(&d);
}

int main(void)
{
	words();
	plain_text();
	counts();
	return expect_summary();
}
