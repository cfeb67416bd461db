/* issue_lines.c - an issue's body line by line: the file lines a block
 * spans, and the lines that start like items (itemline.h): markers written
 * with a comma, read as the items they mean, and lines that are not the
 * items they look like, each an [item-link] error at its line up to
 * ISSUE_MAX_SLIPS, the rest in one. */
#include <stdlib.h>
#include <string.h>
#include "issue_int.h"
#include "weekly/markdown.h"
#include "weekly/util.h"

/* The file lines a block spans and its column. The table extension leaves
 * the paragraph it splits off the lines before a table without a position:
 * that paragraph starts where the table says it does (or where its parent
 * does) and is as many lines long as its text. */
struct span issue_block_span(const struct parser *p, cmark_node *b)
{
	if (cmark_node_get_start_line(b) > 0)
		return (struct span){ file_line(p, b), end_line(p, b),
				      cmark_node_get_start_column(b) };
	cmark_node *a = cmark_node_next(b);
	if (!a || cmark_node_get_start_line(a) == 0)
		for (a = cmark_node_parent(b); a && cmark_node_get_start_line(a) == 0;)
			a = cmark_node_parent(a);
	struct span sp = { p->line_shift + 1, p->line_shift + 1, 1 };
	if (a)
		sp = (struct span){ file_line(p, a), file_line(p, a), cmark_node_get_start_column(a) };
	for (cmark_node *c = cmark_node_first_child(b); c; c = cmark_node_next(c))
		if (cmark_node_get_type(c) == CMARK_NODE_SOFTBREAK ||
		    cmark_node_get_type(c) == CMARK_NODE_LINEBREAK)
			sp.to++;
	return sp;
}

/* Parse a Markdown text apart from the body, with the body's allocator. */
cmark_node *issue_parse_apart(const struct parser *p, const char *text, size_t len, int opts)
{
	cmark_parser *cp = markdown_parser(opts, p->mem);
	cmark_parser_feed(cp, text, len);
	cmark_node *doc = cmark_parser_finish(cp);
	cmark_parser_free(cp);
	return doc;
}

/* Whether n is a link the editor wrote: a bare address the autolink
 * extension made a link of (it has no position) is not. */
static int written_link(cmark_node *n)
{
	return n && cmark_node_get_type(n) == CMARK_NODE_LINK && cmark_node_get_start_line(n) > 0;
}

/* Where the link stands in an item's text (its line after the marker), read
 * alone as Markdown. */
static enum item_link link_in(const struct parser *p, const char *text, size_t len)
{
	cmark_node *doc = issue_parse_apart(p, text, len, CMARK_OPT_DEFAULT);
	cmark_node *block = cmark_node_first_child(doc);
	enum item_link where = written_link(block ? cmark_node_first_child(block) : NULL)
		? LINK_FIRST : LINK_NONE;
	cmark_iter *it = cmark_iter_new(doc);
	while (where == LINK_NONE && cmark_iter_next(it) != CMARK_EVENT_DONE)
		if (written_link(cmark_iter_get_node(it)))
			where = LINK_LATER;
	cmark_iter_free(it);
	cmark_node_free(doc);
	return where;
}

/* Whether the slip at line n, col is reported alone: the first ones of an
 * issue are, the rest are counted for one line at the end. */
static int slip_alone(struct parser *p, int n, int col)
{
	if (++p->slips <= ISSUE_MAX_SLIPS)
		return 1;
	if (p->slips == ISSUE_MAX_SLIPS + 1)
		p->more_line = n, p->more_col = col;
	return 0;
}

void issue_item_slip(struct parser *p, int n, const struct item_line *il, int runs_on)
{
	if (!slip_alone(p, n, (int)il->text + 1))
		return;
	size_t len;
	const char *s = line_at(p, n, &len);
	enum item_link where = link_in(p, s + il->text, len - il->text);
	char *msg = item_line_problem(s, len, il, where, runs_on, !p->sec);
	diag_add(p->d, DIAG_ERROR, p->is->path, n, (int)il->text + 1, "item-link", "%s", msg);
	free(msg);
}

/* Where the images the line s starts with ("![alt](src)", one or more, and
 * the blanks after them) end; 0 when it starts with none. */
static size_t images_before(const char *s, size_t len)
{
	size_t at = 0;
	/* "![": the alt text's ']' at at + 1 + alt, then "(" and the source's ')' */
	for (size_t alt, src, end; at + 1 < len && s[at] == '!' && s[at + 1] == '[';) {
		if (!(alt = item_line_closing(s + at + 1, len - at - 1)) ||
		    (src = at + alt + 2) >= len || s[src] != '(' ||
		    !(end = item_line_closing(s + src, len - src)))
			break;
		for (at = src + end + 1; at < len && s[at] == ' ';)
			at++;
	}
	return at;
}

/* The line s (len bytes, file line n) from at, which il read as an item
 * that the Markdown reader will not take as one: an [item-link] error, "…
 * looks like WHAT but WHY", when its link comes first (else it is text). */
static void slip_at(struct parser *p, int n, const char *s, size_t len, size_t at,
		    const struct item_line *il, const char *what, const char *why)
{
	if (link_in(p, s + at + il->text, len - at - il->text) != LINK_FIRST ||
	    !slip_alone(p, n, (int)(at + il->text) + 1))
		return;
	char *q = util_quoted(s + at, len - at);
	diag_add(p->d, DIAG_ERROR, p->is->path, n, (int)(at + il->text) + 1, "item-link",
		 "'%s' looks like %s but %s", q, what, why);
	free(q);
}

/* A numbered item written right after an image, on the image's line
 * ("![](shot.png)9、[title](url)": the line break before it forgotten),
 * which would be read as part of the item before: a slip. A bullet there
 * is not one: "![](c.png) *[source](url)*" is a caption. */
static void after_image(struct parser *p, int n, const char *s, size_t len)
{
	size_t at = images_before(s, len);
	struct item_line il;
	if (!at || !item_line_read(s + at, len - at, &il) || il.indent || il.number < 0 ||
	    at + il.text >= len || s[at + il.text] != '[') /* no link first: no parse */
		return;
	char *what = xasprintf("item %ld", il.number);
	slip_at(p, n, s, len, at, &il, what,
		"follows an image on its line, so it would be read as part of the item "
		"before; start it on a line of its own, after a blank line");
	free(what);
}

/* File line n, if it starts like an item or like one after an image, is a
 * slip: it is not one. */
static void stray_line(struct parser *p, int n, int runs_on)
{
	size_t len;
	const char *s = line_at(p, n, &len);
	struct item_line il;
	if (item_line_read(s, len, &il))
		issue_item_slip(p, n, &il, runs_on);
	else
		after_image(p, n, s, len);
}

static int indent_of(const struct parser *p, int n)
{
	size_t len;
	const char *s = line_at(p, n, &len);
	int i = 0;
	while ((size_t)i < len && s[i] == ' ')
		i++;
	return i;
}

/* Lines of a top-level list that start like items without being its
 * items: lines that run on from a paragraph of an item (less indented
 * than its text), and before the first section every item. */
static void stray_list_lines(struct parser *p, cmark_node *l)
{
	for (cmark_node *li = cmark_node_first_child(l); li; li = cmark_node_next(li)) {
		struct span sp = issue_block_span(p, li);
		cmark_node *first = cmark_node_first_child(li);
		int text = first ? issue_block_span(p, first).col - 1 : sp.col + 1;
		if (!p->sec)
			stray_line(p, sp.from, 0);
		for (int n = sp.from + 1; n <= sp.to; n++)
			if (indent_of(p, n) < text)
				stray_line(p, n, 1);
	}
}

/* Lines of indented code that are items but for their indentation (four
 * spaces or a tab make code of them). */
static void code_items(struct parser *p, cmark_node *b)
{
	int flen, foff;
	char fchar;
	if (cmark_node_get_fenced(b, &flen, &foff, &fchar))
		return;
	struct span sp = issue_block_span(p, b);
	for (int n = sp.from; n <= sp.to; n++) {
		size_t len, i = 0;
		const char *s = line_at(p, n, &len);
		struct item_line il;
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (item_line_read(s + i, len - i, &il))
			slip_at(p, n, s, len, i, &il, "an item",
				"is indented as code (by four spaces or a tab); write it at the "
				"start of its line");
	}
}

/* Every line of a top-level block that starts like an item is one, or a
 * slip reported at its line: no item is ever merged into the text around
 * it in silence. HTML, tables, headings and fenced code are not prose. */
void issue_stray_lines(struct parser *p, cmark_node *b)
{
	cmark_node_type t = cmark_node_get_type(b);
	if (t == CMARK_NODE_LIST) {
		stray_list_lines(p, b);
	} else if (t == CMARK_NODE_CODE_BLOCK) {
		code_items(p, b);
	} else if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_BLOCK_QUOTE) {
		struct span sp = issue_block_span(p, b);
		for (int n = sp.from; n <= sp.to; n++)
			stray_line(p, n, n > sp.from);
	}
}

/* Whether s (n bytes) holds the comma items may be numbered with: most
 * texts have none. Its first byte starts no Chinese character (those of
 * U+3000 to U+3FFF: CJK punctuation, kana and a few rare ideographs), so
 * memchr finds few in Chinese or English; in Japanese, many. */
static int has_comma(const char *s, size_t n)
{
	for (const char *c = s, *end = s + n; (c = memchr(c, ITEM_LINE_COMMA[0], (size_t)(end - c)));
	     c++)
		if (end - c >= 3 && memcmp(c, ITEM_LINE_COMMA, 3) == 0)
			return 1;
	return 0;
}

char *issue_comma_markers(const struct parser *p, int first_line)
{
	char *copy = NULL, fence = 0;
	size_t fence_len = 0;
	if (!has_comma(p->is->text, p->is->len))
		return NULL;
	for (int n = first_line; (size_t)n <= p->src.nlines; n++) {
		size_t len, i = 0, k = 0;
		const char *s = line_at(p, n, &len);
		while (i < len && s[i] == ' ')
			i++;
		while (i + k < len && (s[i + k] == '`' || s[i + k] == '~') && s[i + k] == s[i])
			k++;
		if (k >= 3 && (!fence || (s[i] == fence && k >= fence_len))) {
			fence = fence ? 0 : s[i];
			fence_len = k;
			continue;
		}
		struct item_line il;
		if (fence || !item_line_read(s, len, &il) || !il.comma || il.text == len ||
		    s[il.text] != '[')
			continue;
		if (!copy)
			copy = xstrndup(p->is->text, p->is->len);
		memcpy(copy + (s - p->is->text) + il.mark - 3, ".  ", 3);
	}
	return copy;
}

void issue_more_slips(struct parser *p)
{
	if (p->slips > ISSUE_MAX_SLIPS)
		diag_add(p->d, DIAG_ERROR, p->is->path, p->more_line, p->more_col, "item-link",
			 "%zu more lines that look like items but are not",
			 p->slips - ISSUE_MAX_SLIPS);
}
