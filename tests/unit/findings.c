/* findings.c - what fuzzing and hostile input found, fixed and held to:
 * JSON that stays JSON (no NaN, no invalid UTF-8), URLs browsers would run
 * refused or emptied, links found once and where they are, images given
 * alt text in HTML. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/issue.h"
#include "weekly/markdown.h"
#include "weekly/util.h"
#include "weekly/validate.h"
#include "weekly/yaml.h"
#include "expect.h"
#include "newsletter.h"


static void json(void)
{
	value *list = value_list();
	value_list_push(list, value_number(NAN));
	value_list_push(list, value_number(INFINITY));
	value_list_push(list, value_number(-INFINITY));
	value_list_push(list, value_number(1.5));
	buf b = BUF_INIT;
	value_json(list, &b);
	expect("JSON: NaN and infinities are null", "[null,null,null,1.5]", b.data);
	buf_release(&b);
	value_free(list);
	buf_put_json(&b, "a\xff\xc3(\xc3\xa9\xed\xa0\x80\xf0\x9f\xa6\x84\x01", 14);
	expect("JSON: bytes that are not UTF-8 are U+FFFD",
	       "a\\ufffd\\ufffd(\xc3\xa9\\ufffd\\ufffd\\ufffd\xf0\x9f\xa6\x84\\u0001", b.data);
	buf_release(&b);
}

static void url_safe(void)
{
	static const struct { const char *url; int safe; } cases[] = {
		{ "https://example.com/", 1 }, { "HTTP://example.com", 1 },
		{ "mailto:a@example.com", 1 }, { "/posts/", 1 }, { "page.html#x", 1 },
		{ "#top", 1 }, { "", 1 }, { "a/b:c", 1 },
		{ "javascript:alert(1)", 0 }, { " JavaScript:alert(1)", 0 },
		{ "java\tscript:alert(1)", 0 }, { "\x01javascript:x", 0 },
		{ "data:image/png;base64,AA", 0 }, { "vbscript:msgbox", 0 },
		{ "ftp://example.com", 0 }, { "averyveryverylongscheme:x", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char name[80];
		snprintf(name, sizeof name, "url_safe '%.40s'", cases[i].url);
		expect_long(name, cases[i].safe, util_url_safe(cases[i].url));
	}
}

static void markdown(void)
{
	static const char md[] =
		"![p](data:image/png;base64,AA) [c](javascript:x) [v](VBScript:y) [ok](https://x.example/)";
	buf b = BUF_INIT;
	markdown_html(md, strlen(md), &b);
	expect("Markdown snippets: unsafe URLs emptied",
	       "<img src=\"\" alt=\"p\" /> <a href=\"\">c</a> <a href=\"\">v</a> "
	       "<a href=\"https://x.example/\">ok</a>", b.data);
	buf_release(&b);
}

static const char settings[] =
	"name: N\nsections:\n  - {id: a, title: Alpha}\n  - {id: b, title: Beta}\n";

static struct newsletter example(diag_list *d)
{
	struct newsletter n = { 0 };
	newsletter_of(&n, settings, d);
	return n;
}

static void link_at(const struct issue *is, size_t i, const char *want)
{
	char name[64], got[256];
	snprintf(name, sizeof name, "link %zu: URL and position", i);
	if (i < is->nlinks)
		snprintf(got, sizeof got, "%s %d:%d", is->links[i].url, is->links[i].line,
			 is->links[i].col);
	expect(name, want, i < is->nlinks ? got : "(missing)");
}

static const char source[] =
	"---\nnumber: 1\ndate: 2024-01-06\n---\n\n"
	"## Alpha\n\n"
	"- Not a link [x](https://x.example)\n\n"
	"## Beta\n\n"
	"1. [A](https://a.example) see https://auto.example/x (<https://b.example>)\n\n"
	"![](https://img.example/a.png)\n";

static void parse(void)
{
	diag_list d = DIAG_LIST_INIT;
	struct newsletter n = example(&d);
	struct issue *is = issue_parse(&n, "t.md", source, strlen(source), &d);
	expect_long("each link once", 5, (long)is->nlinks);
	link_at(is, 0, "https://x.example 8:14");
	link_at(is, 1, "https://a.example 12:4");
	link_at(is, 2, "https://auto.example/x 12:31");
	link_at(is, 3, "https://b.example 12:55");
	link_at(is, 4, "https://img.example/a.png 14:1");
	expect("an item without a link: its text once",
	       "Not a link <a href=\"https://x.example\">x</a>",
	       is->sections[0].items[0].description_html);
	const struct item *it = &is->sections[1].items[0];
	expect("an image without alt: the Markdown as written", "![](https://img.example/a.png)",
	       it->description_md);
	expect("an image without alt: the item's title in HTML",
	       "<p><img src=\"https://img.example/a.png\" alt=\"A\" /></p>\n", it->description_html);
	expect_long("an image without alt: still reported", 0, is->nlinks > 4 ? is->links[4].has_alt : -1);
	issue_free(is);
	newsletter_release(&n);
	diag_release(&d);
}

static const char table[] =
	"---\nnumber: 1\ndate: 2024-01-06\n---\n\n"
	"## Alpha\n\n"
	"1. [A](https://a.example/) (note)\n   | a | b |\n   |---|---|\n   | 1 | 2 |\n\n   After.\n\n"
	"- [B](https://b.example/)\n  two lines [c](https://c.example/)\n  | x |\n  |---|\n";

/* The table extension splits a paragraph that table lines follow and
 * leaves the part before them without source positions. */
static void split_by_table(void)
{
	diag_list d = DIAG_LIST_INIT;
	struct newsletter n = example(&d);
	struct issue *is = issue_parse(&n, "t.md", table, strlen(table), &d);
	const struct section *s = &is->sections[0];
	expect_long("item before a table: two items", 2, (long)s->nitems);
	expect_long("item before a table: its line", 8, s->items[0].line);
	expect("item before a table: the link as written", "[A](https://a.example/)", s->items[0].link_md);
	expect("item before a table: the note", "(note)", s->items[0].note);
	expect("item before a table: the table is its description, as written",
	       "   | a | b |\n   |---|---|\n   | 1 | 2 |\n\n   After.", s->items[0].description_md);
	expect("lines between the link and a table", "  two lines [c](https://c.example/)\n  | x |\n  |---|",
	       s->items[1].description_md);
	link_at(is, 0, "https://a.example/ 8:4");
	link_at(is, 1, "https://b.example/ 15:3");
	link_at(is, 2, "https://c.example/ 16:13");
	expect_long("item before a table: no errors", 0, (long)d.errors);
	issue_free(is);
	newsletter_release(&n);
	diag_release(&d);
}

static const char front[] =
	"---\nnumber: 1\ndate: 2024-01-06\ntitle: \"JavaScript: the good parts\"\n"
	"original_url: \"javascript:alert(1)//\"\nmore:\n  cover_image: \"data:image/png;base64,AA\"\n"
	"  links: [{url: \"https://ok.example\"}, {url: \" vbscript:x\"}]\n"
	"note: \"javascript: is only text here\"\n---\n\n"
	"## Alpha\n\n- [A](https://a.example)\n\n  Text.\n";

static void front_urls(void)
{
	diag_list d = DIAG_LIST_INIT;
	struct newsletter n = example(&d);
	struct issue *is = issue_parse(&n, "t.md", front, strlen(front), &d);
	validate_issue(&n, is, 1, &d);
	buf got = BUF_INIT;
	for (size_t i = 0; i < d.len; i++)
		if (d.items[i].rule && strcmp(d.items[i].rule, "url") == 0)
			buf_printf(&got, "%d:%d %s\n", d.items[i].line, d.items[i].col, d.items[i].message);
	expect("front matter URLs: each unsafe one an error, nothing else",
	       "5:15 URL 'javascript:alert(1)//' is not http or https\n"
	       "7:16 URL 'data:image/png;base64,AA' is not http or https\n"
	       "8:46 URL ' vbscript:x' is not http or https\n", got.data);
	buf_release(&got);
	issue_free(is);
	newsletter_release(&n);
	diag_release(&d);
}

int main(void)
{
	json();
	url_safe();
	markdown();
	parse();
	split_by_table();
	front_urls();
	return expect_summary();
}
