/* markdown_text.c - Markdown to plain text: paragraphs wrapped, lists and
 * tables laid out in columns, links as numbered references. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmark-gfm.h>
#include "weekly/markdown.h"
#include "weekly/util.h"

/* Links numbered for plain text: the n-th distinct URL added is number n.
 * The refs own copies of the URLs; md_refs_release frees them. */
typedef struct md_refs {
	char **urls;
	size_t len, cap;
	value *numbers; /* URL -> its number, made on first use */
} md_refs;

#define MD_REFS_INIT { NULL, 0, 0, NULL }

/* url's number, adding it when new. */
static size_t md_refs_add(md_refs *r, const char *url)
{
	if (!r->numbers)
		r->numbers = value_map();
	const value *known = value_getc(r->numbers, url);
	if (known)
		return (size_t)value_num(known);
	xgrow((void **)&r->urls, &r->cap, r->len + 1, sizeof(char *));
	r->urls[r->len++] = xstrdup(url);
	value_map_setc(r->numbers, url, value_number((double)r->len));
	return r->len;
}

static void md_refs_release(md_refs *r)
{
	for (size_t i = 0; i < r->len; i++)
		free(r->urls[i]);
	free(r->urls);
	value_free(r->numbers);
	memset(r, 0, sizeof(*r));
}

/* How text is written: refs numbers links (NULL: links are their text
 * alone); width wraps paragraphs at that many columns (0: lines as the
 * source breaks them). */
struct text_ctx {
	md_refs *refs;
	size_t width;
};

static void inlines_text(cmark_node *parent, const struct text_ctx *t, buf *out);

static int is_type(cmark_node *n, const char *name)
{
	return strcmp(cmark_node_get_type_string(n), name) == 0;
}

/* A link whose text is its own address (<https://x>, bare URLs) needs no
 * reference. */
static int self_link(cmark_node *link, const char *text, size_t len)
{
	const char *url = cmark_node_get_url(link);
	if (strncmp(url, "mailto:", 7) == 0 && strncmp(text, "mailto:", 7) != 0)
		url += 7;
	return strlen(url) == len && memcmp(url, text, len) == 0;
}

static void image_text(cmark_node *n, const struct text_ctx *t, buf *out)
{
	if (!t->refs)
		return;
	buf alt = BUF_INIT;
	struct text_ctx bare = { NULL, t->width };
	inlines_text(n, &bare, &alt);
	buf_puts(out, alt.len ? "[image: " : "[image");
	buf_put(out, alt.data, alt.len);
	buf_printf(out, "] [%zu]", md_refs_add(t->refs, cmark_node_get_url(n)));
	buf_release(&alt);
}

/* The inlines under parent as text, walked without recursion: emphasis
 * may nest as deep as a paragraph is long. Each open link remembers where
 * its text starts, to number it once its text is known. */
static void inlines_text(cmark_node *parent, const struct text_ctx *t, buf *out)
{
	size_t *starts = NULL, nstarts = 0, cap = 0;
	cmark_iter *it = cmark_iter_new(parent);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		switch (c == parent ? CMARK_NODE_NONE : cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			buf_puts(out, cmark_node_get_literal(c));
			break;
		case CMARK_NODE_SOFTBREAK: /* wrapped text flows on */
			buf_putc(out, t->width ? ' ' : '\n');
			break;
		case CMARK_NODE_LINEBREAK:
			buf_putc(out, '\n');
			break;
		case CMARK_NODE_LINK:
			if (ev == CMARK_EVENT_ENTER) {
				xgrow((void **)&starts, &cap, nstarts + 1, sizeof *starts);
				starts[nstarts++] = out->len;
				break;
			}
			size_t start = starts[--nstarts];
			if (t->refs && !self_link(c, out->data + start, out->len - start))
				buf_printf(out, " [%zu]", md_refs_add(t->refs, cmark_node_get_url(c)));
			break;
		case CMARK_NODE_IMAGE:
			image_text(c, t, out); /* its alt text, walked apart */
			cmark_iter_reset(it, c, CMARK_EVENT_EXIT);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	free(starts);
}

/* Append in to out with first before its first line and rest before the
 * others (trailing spaces of a prefix dropped on empty lines). */
static void prefix_lines(const char *first, const char *rest, const buf *in, buf *out)
{
	const char *s = in->data, *end = s + in->len;
	for (int n = 0; s <= end; n++) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		const char *p = n ? rest : first;
		size_t plen = strlen(p);
		while (e == s && plen && p[plen - 1] == ' ')
			plen--;
		buf_put(out, p, plen);
		buf_put(out, s, (size_t)(e - s));
		if (!nl)
			break;
		buf_putc(out, '\n');
		s = nl + 1;
	}
}

/* Columns a terminal gives a character: East Asian wide characters and
 * emoji take two, variation selectors, joiners and combining marks none. */
static size_t char_columns(unsigned long cp)
{
	if ((cp >= 0x300 && cp <= 0x36F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
	    (cp >= 0x200B && cp <= 0x200F))
		return 0;
	int wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
		(cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
		(cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
		(cp >= 0x20000 && cp <= 0x3FFFD);
	return wide ? 2 : 1;
}

/* The character at s (n bytes left) in *cp; its length, 1 for a stray byte. */
static size_t next_char(const char *s, size_t n, unsigned long *cp)
{
	size_t len = util_utf8_decode(s, n, cp);
	if (len)
		return len;
	*cp = (unsigned char)*s;
	return 1;
}

static size_t display_width(const char *s, size_t len)
{
	size_t w = 0;
	for (size_t i = 0; i < len;) {
		unsigned long cp;
		i += next_char(s + i, len - i, &cp);
		w += char_columns(cp);
	}
	return w;
}

/* Whether a line may break between a and b, written without a space:
 * beside a wide character (Chinese and Japanese have no spaces), but not
 * before closing punctuation, after opening punctuation or beside a
 * character that takes no columns (joiners, variation selectors). */
static int may_break_between(unsigned long a, unsigned long b)
{
	static const unsigned long closing[] = {
		0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF01, 0xFF1F, 0xFF09,
		0x300D, 0x300F, 0x3011, 0x300B, 0x3009, 0x201D, 0x2019, 0x2026
	};
	static const unsigned long opening[] = {
		0xFF08, 0x300C, 0x300E, 0x3010, 0x300A, 0x3008, 0x201C, 0x2018
	};
	if (!char_columns(a) || !char_columns(b) ||
	    (char_columns(a) != 2 && char_columns(b) != 2))
		return 0;
	for (size_t i = 0; i < sizeof closing / sizeof *closing; i++)
		if (b == closing[i])
			return 0;
	for (size_t i = 0; i < sizeof opening / sizeof *opening; i++)
		if (a == opening[i])
			return 0;
	return 1;
}

/* Whether s starts with a link's number, "[12]", kept with the word before. */
static int is_ref(const char *s, size_t n)
{
	size_t i = 1;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	return n > 2 && s[0] == '[' && i > 1 && i < n && s[i] == ']';
}

/* Append line (no newline in it) to out, broken into lines of at most
 * width columns where it may break; a word longer than that (an address)
 * stays whole. Spaces at a break and at the end are dropped. */
static void wrap_line(const char *s, size_t len, size_t width, buf *out)
{
	size_t start = 0, brk = 0, col = 0;
	unsigned long prev = 0;
	int can_break = 0;
	for (size_t i = 0; i < len;) {
		unsigned long cp;
		size_t n = next_char(s + i, len - i, &cp);
		if (cp == ' ' && !is_ref(s + i + 1, len - i - 1)) {
			brk = i, can_break = 1;
		} else if (i > start && prev != ' ' && may_break_between(prev, cp)) {
			brk = i, can_break = 1;
		}
		col += char_columns(cp);
		if (col > width && can_break && cp != ' ') {
			size_t end = brk;
			while (end > start && s[end - 1] == ' ')
				end--;
			buf_put(out, s + start, end - start);
			buf_putc(out, '\n');
			start = brk;
			while (start < len && s[start] == ' ')
				start++;
			col = display_width(s + start, i + n - start);
			can_break = 0;
		}
		prev = cp;
		i += n;
	}
	while (len > start && s[len - 1] == ' ')
		len--;
	buf_put(out, s + start, len - start);
}

/* A paragraph, wrapped at t's width when it has one. */
static void paragraph_text(cmark_node *p, const struct text_ctx *t, buf *out)
{
	if (!t->width) {
		inlines_text(p, t, out);
		return;
	}
	buf text = BUF_INIT;
	inlines_text(p, t, &text);
	const char *s = text.data, *end = s + text.len;
	for (;;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		wrap_line(s, (size_t)((nl ? nl : end) - s), t->width, out);
		if (!nl)
			break;
		buf_putc(out, '\n');
		s = nl + 1;
	}
	buf_release(&text);
}

/* A heading, wrapped like a paragraph; levels 1 and 2 underlined as wide
 * as their widest line. */
static void heading_text(cmark_node *h, const struct text_ctx *t, buf *out)
{
	size_t start = out->len;
	paragraph_text(h, t, out);
	int level = cmark_node_get_heading_level(h);
	if (level > 2)
		return;
	size_t w = 0;
	const char *base = out->data;
	for (const char *s = base + start, *end = base + out->len; s < end;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t lw = display_width(s, (size_t)((nl ? nl : end) - s));
		w = lw > w ? lw : w;
		s = nl ? nl + 1 : end;
	}
	buf_putc(out, '\n');
	for (size_t i = 0; i < w; i++)
		buf_putc(out, level == 1 ? '=' : '-');
}

/* t for text set cols further in (quotes, list items) in *in: never
 * narrower than 20 columns. */
static const struct text_ctx *narrower(const struct text_ctx *t, size_t cols,
				       struct text_ctx *in)
{
	*in = *t;
	if (t->width)
		in->width = t->width > cols + 20 ? t->width - cols : 20;
	return in;
}


static void blocks_text(cmark_node *parent, const char *sep, const struct text_ctx *t, buf *out);

static void list_text(cmark_node *l, const struct text_ctx *t, buf *out)
{
	int n = cmark_node_get_list_start(l);
	int ordered = cmark_node_get_list_type(l) == CMARK_ORDERED_LIST;
	char delim = cmark_node_get_list_delim(l) == CMARK_PAREN_DELIM ? ')' : '.';
	for (cmark_node *li = cmark_node_first_child(l); li; li = cmark_node_next(li), n++) {
		char marker[24], indent[24];
		struct text_ctx inner;
		if (ordered)
			snprintf(marker, sizeof marker, "%d%c ", n, delim);
		else
			snprintf(marker, sizeof marker, "- ");
		snprintf(indent, sizeof indent, "%*s", (int)strlen(marker), "");
		buf item = BUF_INIT;
		blocks_text(li, "\n\n", narrower(t, strlen(marker), &inner), &item);
		if (li != cmark_node_first_child(l))
			buf_puts(out, cmark_node_get_list_tight(l) ? "\n" : "\n\n");
		prefix_lines(marker, indent, &item, out);
		buf_release(&item);
	}
}

static void table_text(cmark_node *table, const struct text_ctx *t, buf *out)
{
	for (cmark_node *row = cmark_node_first_child(table); row; row = cmark_node_next(row)) {
		if (row != cmark_node_first_child(table))
			buf_putc(out, '\n');
		for (cmark_node *c = cmark_node_first_child(row); c; c = cmark_node_next(c)) {
			if (c != cmark_node_first_child(row))
				buf_puts(out, " | ");
			inlines_text(c, t, out);
		}
	}
}

static void code_text(cmark_node *code, buf *out)
{
	const char *lit = cmark_node_get_literal(code);
	buf in = BUF_INIT;
	size_t len = strlen(lit);
	buf_put(&in, lit, len && lit[len - 1] == '\n' ? len - 1 : len);
	prefix_lines("    ", "    ", &in, out);
	buf_release(&in);
}

/* Blocks nested deeper than this (quotes in quotes…) are left out of the
 * text: the renderer recurses, and hostile input nests 50,000 deep. */
#define MAX_TEXT_DEPTH 64

static void block_text(cmark_node *b, const struct text_ctx *t, buf *out)
{
	static int depth;
	if (depth >= MAX_TEXT_DEPTH)
		return;
	depth++;
	buf inner = BUF_INIT;
	struct text_ctx quoted;
	switch (cmark_node_get_type(b)) {
	case CMARK_NODE_PARAGRAPH:
		paragraph_text(b, t, out);
		break;
	case CMARK_NODE_HEADING:
		heading_text(b, t, out);
		break;
	case CMARK_NODE_BLOCK_QUOTE:
		blocks_text(b, "\n\n", narrower(t, 2, &quoted), &inner);
		prefix_lines("> ", "> ", &inner, out);
		break;
	case CMARK_NODE_LIST:
		list_text(b, t, out);
		break;
	case CMARK_NODE_CODE_BLOCK:
		code_text(b, out);
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		buf_puts(out, "----");
		break;
	case CMARK_NODE_HTML_BLOCK:
		break;
	default:
		if (is_type(b, "table"))
			table_text(b, t, out);
		else
			blocks_text(b, "\n\n", t, out);
	}
	buf_release(&inner);
	depth--;
}

/* The children of parent, each block separated from the last by sep;
 * blocks that render as nothing (raw HTML) leave no gap. */
static void blocks_text(cmark_node *parent, const char *sep, const struct text_ctx *t, buf *out)
{
	int any = 0;
	for (cmark_node *b = cmark_node_first_child(parent); b; b = cmark_node_next(b)) {
		buf one = BUF_INIT;
		block_text(b, t, &one);
		if (one.len) {
			if (any)
				buf_puts(out, sep);
			buf_put(out, one.data, one.len);
			any = 1;
		}
		buf_release(&one);
	}
}

static void text_of(const char *md, size_t len, const struct text_ctx *t, buf *out)
{
	cmark_parser *p = markdown_parser(CMARK_OPT_DEFAULT, NULL);
	cmark_parser_feed(p, md, len);
	cmark_node *doc = cmark_parser_finish(p);
	blocks_text(doc, "\n\n", t, out);
	cmark_node_free(doc);
	cmark_parser_free(p);
}

void markdown_text(const char *md, size_t len, buf *out)
{
	struct text_ctx t = { NULL, 0 };
	text_of(md, len, &t, out);
}

void markdown_plain(buf *doc)
{
	md_refs refs = MD_REFS_INIT;
	buf out = BUF_INIT;
	struct text_ctx t = { &refs, MARKDOWN_TEXT_WIDTH };
	text_of(doc->data, doc->len, &t, &out);
	buf_putc(&out, '\n');
	for (size_t i = 0; i < refs.len; i++)
		buf_printf(&out, "%s[%zu] %s\n", i ? "" : "\n", i + 1, refs.urls[i]);
	md_refs_release(&refs);
	buf_release(doc);
	*doc = out;
}
