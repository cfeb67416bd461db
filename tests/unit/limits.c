/* limits.c - markdown_over at and around each limit of markdown.h (the
 * place and message it reports), and the plain-text renderer, which also
 * reads Markdown that no limit has checked (a template's output), over
 * shapes that once took it too deep or too long: emphasis nested 100,000
 * deep, and 200,000 distinct links. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/markdown.h"
#include "weekly/util.h"
#include "expect.h"

/* unit repeated n times, then tail. */
static char *repeat(const char *unit, size_t n, const char *tail)
{
	buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_puts(&b, unit);
	buf_puts(&b, tail);
	return buf_take(&b);
}

/* name: md's verdict, "ok" or "LINE:COL why". */
static void over(const char *name, char *md, const char *want)
{
	struct md_over o;
	char got[160] = "ok";
	if (markdown_over(md, strlen(md), &o))
		snprintf(got, sizeof got, "%d:%d %s", o.line, o.col, o.why);
	expect(name, want, got);
	free(md);
}

static void limits(void)
{
	over("32 brackets open", repeat("[", 32, ""), "ok");
	over("33 brackets open", repeat("[", 33, ""), "1:33 brackets nested more than 32 deep");
	over("brackets close: depth falls", repeat("[a] ", 100, ""), "ok");
	over("a blank line ends a paragraph's brackets",
	     repeat("[[[[[[[[[[[[[[[[[[[[\n\n", 3, ""), "ok");
	over("![[]() leaves one open each", repeat("![[]()", 40, ""),
	     "1:189 brackets nested more than 32 deep");
	over("an escaped bracket is text", repeat("\\[", 40, ""), "ok");
	over("5,000 runs of markup", repeat("*a", 5000, ""), "ok");
	over("5,001 runs of markup", repeat("*a", 5001, ""),
	     "1:10001 more than 5000 emphasis, code or tag marks in one paragraph");
	over("a run of one character counts once", repeat("*", 100000, ""), "ok");
	over("list items are paragraphs of their own", repeat("- ~a~a~a~a~a\n", 3000, ""), "ok");
	over("2. cannot start a paragraph", repeat("2. ~a~a~a~a~a\n", 3000, ""),
	     "1001:4 more than 5000 emphasis, code or tag marks in one paragraph");
	over("32 quotes", repeat("> ", 32, "a"), "ok");
	over("33 quotes", repeat("> ", 33, "a"), "1:65 block quotes and lists nested more than 32 deep");
	over("33 lists", repeat("- ", 33, "a"), "1:65 block quotes and lists nested more than 32 deep");
	over("text on column 129", repeat(" ", 128, "a"), "ok");
	over("text on column 130", repeat(" ", 129, "a"), "1:130 indented more than 128 columns");
	over("a tab is 4 columns", repeat("\t", 33, "a"), "1:34 indented more than 128 columns");
	over("1,000,000 lines", repeat("\n", 999999, "a"), "ok");
	over("1,000,001 lines", repeat("\n", 1000000, "a"), "1000001:1 more than 1000000 lines");
	over("250,000 lines of text", repeat("a\n\n", 250000, ""), "ok");
	over("250,001 lines of text", repeat("a\n\n", 250001, ""),
	     "500001:1 more than 500000 lines and markup characters in one text");
}

static void deep_text(void)
{
	char *md = repeat("*a ", 100000, "");
	char *close = repeat("b*", 100000, "");
	buf src = BUF_INIT, out = BUF_INIT;
	buf_puts(&src, md);
	buf_puts(&src, close);
	markdown_text(src.data, src.len, &out);
	expect_long("emphasis nested 100,000 deep: as text, every a and b", 300000, (long)out.len);
	buf_release(&out);
	buf_release(&src);
	free(md);
	free(close);
}

static void many_links(void)
{
	buf src = BUF_INIT;
	for (int i = 0; i < 200000; i++)
		buf_printf(&src, "[l](https://e%d.example/) ", i % 100000);
	markdown_plain(&src);
	const char *refs = strstr(src.data, "\n\n[1] https://e0.example/\n");
	size_t n = 0;
	for (const char *r = refs; r && (r = strstr(r + 1, "\n[")); n++)
		;
	expect_long("200,000 links to 100,000 addresses: 100,000 references", 100000, (long)n);
	char *last = refs ? xstrndup(refs - strlen("l [100000]"), strlen("l [100000]")) : NULL;
	expect("the last link keeps the number of its address", "l [100000]", last);
	const char *tail = src.data + src.len - strlen("[100000] https://e99999.example/\n");
	expect("its address", "[100000] https://e99999.example/\n", tail);
	free(last);
	buf_release(&src);
}

int main(void)
{
	limits();
	deep_text();
	many_links();
	return expect_summary();
}
