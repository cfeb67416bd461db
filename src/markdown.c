/* markdown.c - Markdown snippets to safe HTML: the one parser setup, the
 * limits a text is held to, and character references XML forbids. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include "weekly/markdown.h"
#include "weekly/text.h"
#include "weekly/util.h"

cmark_parser *markdown_parser(int opts, cmark_mem *mem)
{
	static const char *const names[] = { "table", "strikethrough", "autolink", "tagfilter" };
	cmark_gfm_core_extensions_ensure_registered();
	cmark_parser *p = cmark_parser_new_with_mem(opts, mem ? mem : cmark_get_default_mem_allocator());
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(names[i]);
		if (e)
			cmark_parser_attach_syntax_extension(p, e);
	}
	return p;
}

cmark_node *markdown_next(cmark_node *n, cmark_node *root)
{
	cmark_node *c = cmark_node_first_child(n), *s;
	if (c)
		return c;
	for (; n != root; n = cmark_node_parent(n))
		if ((s = cmark_node_next(n)))
			return s;
	return NULL;
}

/* Links and images keep web, mail and relative addresses only: cmark's safe
 * mode lets data:image/... through, and snippets (settings, front matter,
 * notes) do not all pass the rules an issue's links do. */
static void drop_unsafe_urls(cmark_node *doc)
{
	for (cmark_node *n = doc; n; n = markdown_next(n, doc)) {
		cmark_node_type t = cmark_node_get_type(n);
		const char *url = t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE
			? cmark_node_get_url(n) : NULL;
		if (url && !util_url_safe(url))
			cmark_node_set_url(n, "");
	}
}

static char *render(const char *md, size_t len)
{
	cmark_parser *p = markdown_parser(CMARK_OPT_DEFAULT, NULL);
	cmark_parser_feed(p, md, len);
	cmark_node *doc = cmark_parser_finish(p);
	drop_unsafe_urls(doc);
	char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(p));
	cmark_node_free(doc);
	cmark_parser_free(p);
	return html;
}

/* --- limits --------------------------------------------------------------- */

/* What markdown_over counts in one text, and in its paragraph so far. */
struct tally {
	size_t refs;       /* the longest link reference definition's destination */
	size_t expansion;  /* bytes the brackets so far may copy it */
	size_t closers;    /* those brackets */
	size_t lines;      /* in the text, blank ones too */
	size_t nodes;      /* lines and markup in the text */
	size_t para;       /* marks in the paragraph */
	int brackets;      /* brackets open in the paragraph */
	size_t cells;      /* the widest table row of the paragraph, in cells */
};

/* Only blanks and quote marks: the paragraph ends. */
static int blank_line(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '>' && s[i] != '\r')
			return 0;
	return 1;
}

/* The block quotes and list markers a line starts with, nested: where the
 * one past the limit is (or 0) in *over, with *deep set when it is one too
 * many rather than indented too far; and whether the line surely
 * starts a block of its own (a paragraph cannot go on through it): a list
 * item with text that starts with -, +, *, 1. or 1), or a heading. */
static int line_opens(const char *s, size_t n, size_t *over, int *deep)
{
	int depth = 0, opens = 0;
	size_t width = 0; /* columns of blanks and markers so far */
	*over = 0;
	for (size_t i = 0; i < n;) {
		for (; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
			width += s[i] == '\t' ? 4 - width % 4 : 1;
		if (width > MD_MAX_INDENT) { /* lists nest by indentation too */
			*over = i + 1;
			return opens;
		}
		if (i < n && s[i] == '#') {
			size_t h = i;
			while (h < n && h - i < 7 && s[h] == '#')
				h++;
			return opens || (h - i <= 6 && (h == n || s[h] == ' ' || s[h] == '\t'));
		}
		size_t m = i;
		while (m < n && m - i < 9 && s[m] >= '0' && s[m] <= '9')
			m++;
		int first = m == i + 1 && s[i] == '1'; /* only 1. may interrupt */
		if (i < n && s[i] == '>')
			m = i + 1;
		else if (m > i && m < n && (s[m] == '.' || s[m] == ')'))
			m++;
		else if (i < n && (s[i] == '-' || s[i] == '+' || s[i] == '*'))
			m = i + 1, first = 1;
		else
			return opens;
		if (s[i] != '>' && m < n && s[m] != ' ' && s[m] != '\t')
			return opens;
		opens |= s[i] != '>' && first && !blank_line(s + m, n - m);
		if (++depth > MD_MAX_NESTING) {
			*over = i + 1;
			*deep = 1;
			return opens;
		}
		width += m - i;
		i = m;
	}
	return opens;
}

/* Bytes that may be markup, an escape or a table's '|'; the others (most
 * of a text) count nothing. */
#define MARKUP_BYTES "*_~`<[]&@:w|\\"

/* The paragraph's marks, one more: the column i + 1 when that is over
 * the limit (with why set), or 0. */
static size_t tally_delim(struct tally *t, size_t i, char *why, size_t whylen)
{
	if (++t->para <= MD_MAX_PARAGRAPH)
		return 0;
	snprintf(why, whylen, "more than %d emphasis, code or tag marks in one paragraph",
		 MD_MAX_PARAGRAPH);
	return i + 1;
}

/* A bracket, one more: `[` nests one deeper, `]` closes one and may use
 * each link reference defined (copying the longest address defined). The
 * column i + 1 when that is over a limit (with why set), or 0. */
static size_t tally_bracket(struct tally *t, char c, size_t i, char *why, size_t whylen)
{
	t->nodes++;
	if (c == '[') {
		if (++t->brackets <= MD_MAX_NESTING)
			return 0;
		snprintf(why, whylen, "brackets nested more than %d deep", MD_MAX_NESTING);
		return i + 1;
	}
	t->brackets -= t->brackets > 0;
	t->closers++;
	if ((t->expansion += t->refs) <= MD_MAX_EXPANSION)
		return 0;
	snprintf(why, whylen, "uses of link references would copy more than %d bytes (the "
		 "longest address defined is %zu bytes)", MD_MAX_EXPANSION, t->refs);
	return i + 1;
}

/* Count the byte s[i] of a line of n bytes (one of MARKUP_BYTES) into t
 * unless it is the character *text escaped: the column over a limit (with
 * why set), or 0. Each counts as many nodes as it may make: `w`, `:` and
 * `&` one (the autolink extension ends a text node at every w, : and @),
 * `www.`, `://` and `@` three (they may start an autolink: a link and its
 * text); `[`, `]` and a run of `*`, `_`, `~` or backticks one, a run and
 * `<` a mark of the paragraph besides (emphasis, strikethrough, code and
 * tags cost its square); a `|` is a table's cell; an escaped character is
 * text, the escape one node. */
static size_t tally_at(struct tally *t, const char *s, size_t i, size_t n, size_t *text,
		       size_t *pipes, char *why, size_t whylen)
{
	if (i < *text)
		return 0;
	switch (s[i]) {
	case 'w':
		t->nodes += i + 4 <= n && memcmp(s + i, "www.", 4) == 0 ? 3 : 1;
		return 0;
	case ':':
		t->nodes += i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/' ? 3 : 1;
		return 0;
	case '@':
		t->nodes += 3;
		return 0;
	case '&':
		t->nodes++;
		return 0;
	case '|':
		++*pipes;
		return 0;
	case '\\':
		if (i + 1 < n && ispunct((unsigned char)s[i + 1])) {
			t->nodes++;
			*text = i + 2;
		}
		return 0;
	case '[':
	case ']':
		return tally_bracket(t, s[i], i, why, whylen);
	case '<':
		t->nodes++;
		return tally_delim(t, i, why, whylen);
	default: /* *, _, ~ or a backtick: a run counts once */
		if (i > 0 && s[i - 1] == s[i])
			return 0;
		t->nodes++;
		return tally_delim(t, i, why, whylen);
	}
}

/* The bytes of a text that may be marks (MARKUP_BYTES), looked up a window
 * of it at a time (util_masks): bit k of masks[j] is for base[16 * j + k],
 * for the have bytes from base. Lines are counted in order, so that each
 * window is looked up once. */
struct marks {
	struct util_byteset set;
	const char *base, *end;
	size_t have;
	uint16_t masks[UTIL_MASKS_MAX];
};

static void marks_init(struct marks *mk, const char *md, size_t len)
{
	util_byteset(&mk->set, MARKUP_BYTES); /* six high halves */
	mk->base = md;
	mk->end = md + len;
	mk->have = 0;
}

/* Look the window from p on up, unless the one looked up holds p. */
static void marks_at(struct marks *mk, const char *p)
{
	if ((size_t)(p - mk->base) < mk->have)
		return;
	size_t left = (size_t)(mk->end - p);
	mk->base = p;
	mk->have = left < 16 * UTIL_MASKS_MAX ? left : 16 * UTIL_MASKS_MAX;
	util_masks(&mk->set, p, mk->have, mk->masks);
}

/* Count the marks of a line that is not blank into t: the column over a
 * limit (with why set), or 0. */
static size_t tally_marks(struct tally *t, struct marks *mk, const char *s, size_t n,
			  size_t *pipes, char *why, size_t whylen)
{
	size_t text = 0, col; /* s[i] before text is an escaped character */
	for (const char *p = s, *e = s + n; p < e;) {
		marks_at(mk, p);
		const char *base = mk->base;
		size_t from = (size_t)(p - base), to = (size_t)(e - base), j = from / 16;
		to = to < mk->have ? to : mk->have;
		for (unsigned m = mk->masks[j] & (0xffffu << from % 16);; m = mk->masks[j]) {
			for (; m; m &= m - 1) {
				size_t i = 16 * j + (size_t)__builtin_ctz(m);
				if (i >= to)
					return 0;
				if ((col = tally_at(t, s, (size_t)(base + i - s), n, &text, pipes, why,
						    whylen)))
					return col;
			}
			if (16 * ++j >= to)
				break;
		}
		p = base + to;
	}
	return 0;
}

/* Count one line into t: the column over a limit (with why set), or 0. */
static size_t tally_line(struct tally *t, struct marks *marks, const char *s, size_t n,
			 char *why, size_t whylen)
{
	size_t col, pipes = 0;
	int deep = 0, opens = line_opens(s, n, &col, &deep);
	if (col && deep)
		snprintf(why, whylen, "block quotes and lists nested more than %d deep",
			 MD_MAX_NESTING);
	else if (col)
		snprintf(why, whylen, "indented more than %d columns", MD_MAX_INDENT);
	if (col)
		return col;
	if (++t->lines > MD_MAX_LINES) {
		snprintf(why, whylen, "more than %d lines", MD_MAX_LINES);
		return 1;
	}
	int blank = blank_line(s, n);
	if (opens || blank)
		*t = (struct tally){ t->refs, t->expansion, t->closers, t->lines, t->nodes, 0, 0, 0 };
	if (blank)
		return 0;
	if ((col = tally_marks(t, marks, s, n, &pipes, why, whylen)))
		return col;
	if (pipes > t->cells)
		t->cells = pipes;
	t->nodes += 2 + t->cells; /* text and a break or a block; a table pads
				     every row to its width */
	if (t->nodes > MD_MAX_NODES) {
		snprintf(why, whylen, "more than %d lines and markup characters in one text",
			 MD_MAX_NODES);
		return 1;
	}
	return 0;
}

/* Lines as cmark-gfm reads them: each ends at a line feed, a carriage
 * return or both. Where the next of each is (or end) is kept, so that a
 * text without one is searched once. */
struct lines { const char *end, *lf, *cr; };

static const char *find(const char *s, const char *end, char c)
{
	const char *p = memchr(s, c, (size_t)(end - s));
	return p ? p : end;
}

static struct lines lines_of(const char *md, size_t len)
{
	return (struct lines){ md + len, find(md, md + len, '\n'), find(md, md + len, '\r') };
}

/* The length of the line at s (not before the last one asked for); *next
 * is where the one after it starts. */
static inline size_t line_at(struct lines *l, const char *s, const char **next)
{
	if (l->lf < s)
		l->lf = find(s, l->end, '\n');
	if (l->cr < s)
		l->cr = find(s, l->end, '\r');
	const char *eol = l->cr < l->lf ? l->cr : l->lf;
	*next = eol == l->end ? eol : eol + 1 + (*eol == '\r' && eol + 1 < l->end && eol[1] == '\n');
	return (size_t)(eol - s);
}

/* How long the destination of the link reference definition line s (n
 * bytes) holds is, at most: what follows "]:", or the next line (from next)
 * when nothing does; 0 when s defines none. */
static inline size_t definition(const char *s, size_t n, const char *next, struct lines *l)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '>'))
		i++;
	if (i == n || s[i] != '[')
		return 0;
	const char *close = memchr(s + i, ']', n - i);
	if (!close || (size_t)(close - s) + 1 >= n || close[1] != ':')
		return 0;
	size_t rest = n - (size_t)(close + 2 - s);
	if (rest > 1 || next >= l->end)
		return rest > 1 ? rest : 0;
	return line_at(l, next, &next);
}

/* The longest link reference definition of md: every use of a reference
 * copies its destination. */
static size_t longest_definition(const char *md, size_t len)
{
	size_t most = 0;
	struct lines l = lines_of(md, len);
	for (const char *s = md, *next; s < l.end; s = next) {
		size_t n = line_at(&l, s, &next), d;
		if ((d = definition(s, n, next, &l)) > most)
			most = d;
	}
	return most;
}

/* Count md's lines into t: 1 with the first place over a limit in *at,
 * else 0. t->refs is the longest definition of md when known, else the
 * longest of the lines counted so far. */
static int over_pass(const char *md, size_t len, struct tally *t, int known, struct md_over *at)
{
	struct lines l = lines_of(md, len);
	struct marks marks;
	marks_init(&marks, md, len);
	const char *s = md, *next, *start = md; /* of the line as diagnostics
						    count lines: after a line feed */
	for (int line = 1; s < l.end || s == md; s = next) {
		size_t n = line_at(&l, s, &next), d;
		if (!known && (d = definition(s, n, next, &l)) > t->refs)
			t->refs = d;
		size_t col = tally_line(t, &marks, s, n, at->why, sizeof at->why);
		at->nodes = t->nodes;
		if (col) {
			at->line = line;
			at->col = (int)((size_t)(s - start) + col);
			return 1;
		}
		if (next == l.end)
			break;
		if (next[-1] == '\n')
			line++, start = next;
	}
	return 0;
}

/* One pass with the longest definition so far settles a text within the
 * limits when the longest at last, copied by every bracket, stays within
 * them too (most texts define none). Else the text is counted again,
 * knowing the longest from the start, for the first place over. */
int markdown_over(const char *md, size_t len, struct md_over *at)
{
	struct tally t = { 0 };
	int over = over_pass(md, len, &t, 0, at);
	if (!over && (!t.refs || t.closers <= MD_MAX_EXPANSION / t.refs))
		return 0;
	/* a pass that reached the end has met every definition */
	t = (struct tally){ .refs = over ? longest_definition(md, len) : t.refs };
	return over_pass(md, len, &t, 1, at);
}

void markdown_check_tree(const value *tree, const char *file, diag_list *d)
{
	for (size_t i = 0; i < value_len(tree); i++) {
		const struct value_entry *e = value_entry_at(tree, i);
		const value *v = e ? e->val : value_at(tree, i);
		struct md_over o;
		if (e && util_ends_with(e->key, e->keylen, "_md") &&
		    value_type(v) == VALUE_STRING &&
		    markdown_over(value_str(v), value_strlen(v), &o))
			diag_add(d, DIAG_ERROR, file, value_line(v), value_col(v), "limit",
				 "'%s': %s", e->key, o.why);
		markdown_check_tree(v, file, d);
	}
}

/* Whether md is one line of text that Markdown leaves as it is: it starts
 * with a letter, digit or parenthesis, and holds nothing that could make
 * markup, a link or an autolink. Most notes ("(English)") are. */
static int plain(const char *md, size_t len)
{
	unsigned char c0 = len ? (unsigned char)md[0] : 0;
	if (!len || !(isalnum(c0) || c0 == '(' || c0 >= 0x80) || md[len - 1] == ' ')
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (strchr("\\`*_[]<>!#~|@&\n\r\t", md[i]))
			return 0;
		if ((i + 3 <= len && memcmp(md + i, "://", 3) == 0) ||
		    (i + 4 <= len && memcmp(md + i, "www.", 4) == 0))
			return 0;
	}
	return 1;
}

void markdown_html(const char *md, size_t len, buf *out)
{
	struct md_over o;
	if (!plain(md, len) && markdown_over(md, len, &o)) {
		buf_put_html(out, md, len);
		return;
	}
	if (plain(md, len)) {
		size_t start = 0; /* escaped as cmark escapes text: " but not ' */
		for (size_t i = 0; i < len; i++)
			if (md[i] == '"') {
				buf_put(out, md + start, i - start);
				buf_puts(out, "&quot;");
				start = i + 1;
			}
		buf_put(out, md + start, len - start);
		return;
	}
	char *html = render(md, len);
	size_t n = strlen(html);
	if (n >= 8 && strncmp(html, "<p>", 3) == 0 && strcmp(html + n - 5, "</p>\n") == 0 &&
	    !strstr(html + 3, "<p>"))
		buf_put(out, html + 3, n - 8);
	else
		buf_put(out, html, n);
	free(html);
}

/* --- character references XML forbids ------------------------------------ */

/* While cmark-gfm says which references it decodes, each stands in the text
 * for a marker of its own: a code point of planes 15 and 16 (private use)
 * that the text does not hold. */
#define MARK_FIRST 0xF0000ul

struct ref {
	size_t off, len;
	unsigned long cp;    /* what it names */
	unsigned long mark;  /* what stands for it; 0: none (decoded unasked) */
	int decoded;
};

/* The numeric character reference at s, read as cmark-gfm reads one: its
 * length, with what it names in *cp (0x110000 past U+10FFFF), or 0. */
static size_t charref(const char *s, size_t n, unsigned long *cp)
{
	if (n < 4 || s[0] != '&' || s[1] != '#')
		return 0;
	int hex = s[2] == 'x' || s[2] == 'X';
	size_t i = 2 + (size_t)hex, start = i;
	*cp = 0;
	for (; i < n && i - start <= 8; i++) {
		int c = (unsigned char)s[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			break;
		*cp = *cp * (hex ? 16 : 10) + (unsigned long)d;
		if (*cp > 0x10FFFF)
			*cp = 0x110000;
	}
	return i > start && i - start <= 8 && i < n && s[i] == ';' ? i + 1 : 0;
}

/* The references of md that name a character XML forbids, at most
 * MD_MAX_REFS (*rest: where the text past them starts). */
static struct ref *refs_of(const char *md, size_t len, size_t *count, size_t *rest)
{
	struct ref *r = NULL;
	size_t n = 0, cap = 0;
	const char *p = md, *end = md + len;
	for (; n < MD_MAX_REFS && (p = memchr(p, '&', (size_t)(end - p))) != NULL; p++) {
		unsigned long cp;
		size_t l = charref(p, (size_t)(end - p), &cp);
		if (!l || text_xml_char(cp))
			continue;
		xgrow((void **)&r, &cap, n + 1, sizeof *r);
		r[n++] = (struct ref){ (size_t)(p - md), l, cp, 0, 0 };
		p += l - 1;
	}
	*count = n;
	*rest = p ? (size_t)(p - md) : len;
	return r;
}

/* Give each reference a marker the text does not hold. */
static void mark_refs(const char *md, size_t len, struct ref *r, size_t n)
{
	unsigned char *held = xcalloc(MD_MAX_REFS / 8, 1);
	for (size_t i = 0; i < len; i++) {
		unsigned long cp;
		size_t l;
		if ((unsigned char)md[i] < 0xF3 || !(l = util_utf8_decode(md + i, len - i, &cp)))
			continue;
		if (cp >= MARK_FIRST && cp - MARK_FIRST < MD_MAX_REFS)
			held[(cp - MARK_FIRST) / 8] |= (unsigned char)(1u << (cp - MARK_FIRST) % 8);
		i += l - 1;
	}
	unsigned long m = 0;
	for (size_t i = 0; i < n; i++, m++) {
		while (m < MD_MAX_REFS && held[m / 8] & (1u << m % 8))
			m++;
		r[i].mark = m < MD_MAX_REFS ? MARK_FIRST + m : 0;
		r[i].decoded = !r[i].mark;
	}
	free(held);
}

/* Mark decoded the references whose markers s holds (markers rise with
 * the references, the unmarked last). */
static void note_markers(const char *s, struct ref *r, size_t n)
{
	size_t len = s ? strlen(s) : 0;
	while (n && !r[n - 1].mark)
		n--;
	for (size_t i = 0; i < len; i++) {
		unsigned long cp;
		size_t l;
		if ((unsigned char)s[i] < 0xF3 || !(l = util_utf8_decode(s + i, len - i, &cp)))
			continue;
		size_t lo = 0, hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (r[mid].mark < cp)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < n && r[lo].mark == cp)
			r[lo].decoded = 1;
		i += l - 1;
	}
}

/* Parse md with each reference replaced by its marker, and find which
 * markers come out decoded: in text, link destinations and titles, code
 * block info strings (code and raw HTML keep references as written). */
static void find_decoded(const char *md, size_t len, struct ref *r, size_t n)
{
	buf t = BUF_INIT;
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		buf_put(&t, md + at, r[i].off - at);
		if (r[i].mark)
			buf_printf(&t, "&#x%lX;", r[i].mark);
		else
			buf_put(&t, md + r[i].off, r[i].len);
		at = r[i].off + r[i].len;
	}
	buf_put(&t, md + at, len - at);
	cmark_parser *p = markdown_parser(CMARK_OPT_DEFAULT, NULL);
	cmark_parser_feed(p, t.data, t.len);
	cmark_node *doc = cmark_parser_finish(p);
	buf_release(&t);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(node);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (type == CMARK_NODE_TEXT)
			note_markers(cmark_node_get_literal(node), r, n);
		else if (type == CMARK_NODE_CODE_BLOCK)
			note_markers(cmark_node_get_fence_info(node), r, n);
		else if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) {
			note_markers(cmark_node_get_url(node), r, n);
			note_markers(cmark_node_get_title(node), r, n);
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	cmark_parser_free(p);
}

void markdown_bad_refs(const char *md, size_t len, md_ref_fn found, void *ud)
{
	size_t n, rest;
	struct ref *r = refs_of(md, len, &n, &rest);
	struct md_over o;
	if (n && !markdown_over(md, len, &o)) {
		mark_refs(md, len, r, n);
		find_decoded(md, len, r, n);
		for (size_t i = 0; i < n; i++)
			if (r[i].decoded)
				found(r[i].off, r[i].len, r[i].cp, ud);
		for (const char *p = md + rest, *end = md + len;
		     (p = memchr(p, '&', (size_t)(end - p))) != NULL; p++) {
			unsigned long cp;
			size_t l = charref(p, (size_t)(end - p), &cp);
			if (l && !text_xml_char(cp))
				found((size_t)(p - md), l, cp, ud);
		}
	}
	free(r);
}

/* Empty every key of the map (not below it) that ends in "_html": HTML
 * comes from weekly, never from a source. */
static void drop_html(value *map)
{
	for (size_t i = 0; i < value_len(map); i++) {
		struct value_entry e = *value_entry_at(map, i);
		if (util_ends_with(e.key, e.keylen, "_html"))
			value_map_set(map, e.key, e.keylen, value_null_in(value_arena(map)));
	}
}

void markdown_annotate(value *tree)
{
	if (value_type(tree) == VALUE_LIST) {
		for (size_t i = 0; i < value_len(tree); i++)
			markdown_annotate(value_item(tree, i));
		return;
	}
	if (value_type(tree) != VALUE_MAP)
		return;
	drop_html(tree);
	for (size_t i = 0; i < value_len(tree); i++) {
		struct value_entry e = *value_entry_at(tree, i);
		markdown_annotate(e.val);
		if (!util_ends_with(e.key, e.keylen, "_md") || value_type(e.val) != VALUE_STRING)
			continue;
		char *key = xasprintf("%.*s_html", (int)(e.keylen - 3), e.key);
		buf b = BUF_INIT;
		markdown_html(value_str(e.val), value_strlen(e.val), &b);
		value_map_setc(tree, key, value_string_in(value_arena(tree), b.data, b.len));
		buf_release(&b);
		free(key);
	}
}
