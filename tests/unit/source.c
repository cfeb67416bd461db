/* source.c - the one reader of sources: byte-order mark, CRLF and lone CR,
 * the line index and the front matter split, as every module sees them. */
#include <stdlib.h>
#include <string.h>
#include "weekly/buf.h"
#include "weekly/source.h"
#include "weekly/util.h"
#include "expect.h"

static void check(const char *name, const char *want, char *got)
{
	expect(name, want, got);
	free(got);
}

/* src_take_front found what src_front finds, in the case-th text. */
static void check_same(const char *want, char *got)
{
	static int cases;
	char *name = xasprintf("front: read alone, the same (text %d)", ++cases);
	expect(name, want, got);
	free(name);
	free(got);
}

/* The lines of text, each in [] with \r shown as \\r. */
static char *lines(const char *text)
{
	struct src s;
	buf b = BUF_INIT;
	src_init(&s, text, strlen(text));
	for (size_t i = 0; i < s.nlines; i++) {
		size_t len;
		const char *l = src_line(&s, i, &len);
		buf_putc(&b, '[');
		for (size_t k = 0; k < len; k++)
			buf_puts(&b, l[k] == '\r' ? "\\r" : (char[]){ l[k], 0 });
		buf_putc(&b, ']');
	}
	src_release(&s);
	return b.len ? buf_take(&b) : (buf_release(&b), xstrdup("(none)"));
}

static const char *const kinds[] = { "none", "open", "closed" };

/* The front matter of text as "kind|end|yaml", as src_front finds it
 * when every line is indexed; src_take_front, indexing only the lines up
 * to its end, must find the same. */
static char *front(const char *text)
{
	struct src s, head;
	src_init(&s, text, strlen(text));
	struct src_front f = src_front(&s);
	char *r = xasprintf("%s|%zu|%.*s", kinds[f.kind], f.end, (int)f.len, f.yaml);
	struct src_front h = src_take_front(&head, xstrdup(text), strlen(text));
	char *rh = xasprintf("%s|%zu|%.*s", kinds[h.kind], h.end, (int)h.len, h.yaml);
	check_same(r, rh);
	src_release(&s);
	src_release(&head);
	return r;
}

/* A front matter of n lines "k: v", closed or not, before a body. */
static char *long_front(size_t n, int closed)
{
	buf b = BUF_INIT;
	buf_puts(&b, "---\n");
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "k%zu: v\n", i);
	buf_puts(&b, closed ? "---\nbody\n" : "body\n");
	for (size_t i = 0; i < 100; i++)
		buf_puts(&b, "more body\n");
	return buf_take(&b);
}

/* front's result for the front matter of long_front(n, closed). */
static char *front_kind(size_t n, int closed)
{
	char *text = long_front(n, closed), *r = front(text);
	char *kind = xstrndup(r, strcspn(r, "|") + strcspn(r + strcspn(r, "|") + 1, "|") + 1);
	free(text);
	free(r);
	return kind;
}


int main(void)
{
	check("lines: none in an empty text", "(none)", lines(""));
	check("lines: a final newline starts none", "[a][b]", lines("a\nb\n"));
	check("lines: the last may lack its newline", "[a][b]", lines("a\nb"));
	check("lines: blank lines are lines", "[a][][]", lines("a\n\n\n"));
	check("lines: CRLF is LF", "[a][b]", lines("a\r\nb\r\n"));
	check("lines: a lone CR stays", "[a\\rb][c\\r]", lines("a\rb\r\nc\r"));
	check("lines: the byte-order mark goes", "[---][x]", lines("\xEF\xBB\xBF---\r\nx"));
	check("lines: a mark past the start stays", "[a\xEF\xBB\xBF]", lines("a\xEF\xBB\xBF"));

	struct src s;
	size_t len;
	src_init(&s, "one\ntwo\nthree\n", 14);
	check("span: lines [1, 3) without the last newline", "two\nthree",
	      xstrndup(src_lines(&s, 1, 3, &len), 9));
	expect_long("span: its length", 9, (long)len);
	expect_long("span: past the last line is empty", 0, (long)(src_line(&s, 7, &len), len));
	expect_long("offsets: past the last line is the length", 14, (long)src_at(&s, 3));
	src_release(&s);

	check("front: closed by ---", "closed|2|a: 1\n", front("---\na: 1\n---\nbody\n"));
	check("front: closed by ...", "closed|2|a: 1\n", front("---\na: 1\n...\n"));
	check("front: empty", "closed|1|", front("---\n---\n"));
	check("front: fences with spaces and tabs after", "closed|2|a: 1\n",
	      front("--- \t\na: 1\n---  \n"));
	check("front: CRLF and a byte-order mark", "closed|2|a: 1\n",
	      front("\xEF\xBB\xBF---\r\na: 1\r\n---\r\nbody\r\n"));
	check("front: not closed", "open|0|", front("---\na: 1\n"));
	check("front: a lone --- is not closed", "open|0|", front("---"));
	check("front: none without a first ---", "none|0|", front("\n---\na: 1\n---\n"));
	check("front: ---- is no fence", "none|0|", front("----\na: 1\n---\n"));
	check("front: indented --- is no fence", "none|0|", front(" ---\na: 1\n---\n"));
	check("front: a lone CR after --- is no fence", "open|0|", front("---\na: 1\n---\r\r\n"));
	/* src_take_front indexes 32 lines first, then twice as many */
	check("front: closed on the last line it indexes first", "closed|31", front_kind(30, 1));
	check("front: closed on the first line past them", "closed|32", front_kind(31, 1));
	check("front: closed far past them", "closed|301", front_kind(300, 1));
	check("front: long and not closed", "open|0", front_kind(300, 0));
	return expect_summary();
}
