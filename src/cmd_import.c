/* cmd_import.c - `weekly import FILE.md`: an issue as published back into
 * its source. What the templates add (intro, notes after sections, footer)
 * is found by rendering: a probe issue with every section empty shows what
 * the templates write around the items, and the rebuilt issue is compared
 * with the published text to report what could not be placed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/cmd.h"
#include "weekly/fsutil.h"
#include "weekly/render.h"
#include "weekly/util.h"
#include "weekly/validate.h"

#define RULE "import"

struct import_args {
	const char *file;
	long number;        /* -n N, 0 when not given */
	const char *out;    /* -o FILE, "-" or NULL */
	int force;
};

/* A document split into lines (0-based here, 1-based in diagnostics). */
struct doc {
	const char *path;
	char *s;
	size_t len;
	size_t *starts;     /* offset of each line */
	size_t nlines;
};

/* A run of lines: the intro before the first "## " heading, or a heading
 * and the lines up to the next one. */
struct chunk {
	size_t first, end;  /* lines [first, end) */
	int heading;
};

struct chunks {
	struct chunk *at;
	size_t len, cap;
};

/* Published lines copied into the source: source line src is published
 * line pub, for n lines. */
struct seg {
	size_t src, pub, n;
};

struct override {
	const char *key;    /* borrowed from the settings */
	char *val;
};

struct import {
	const struct newsletter *n;
	struct renderer r;
	struct doc pub;             /* the published issue */
	struct chunks pc;           /* its chunks */
	long number;                /* from the title line */
	char *date, *title;
	struct override *ov;
	size_t nov, ovcap;
	size_t lead_first, lead_end; /* published lines of the lead; equal: none */
	struct chunk *keep;          /* the sections kept, tails removed */
	size_t nkeep, keepcap;
	diag_list d;
};

static int parse(int argc, char **argv, struct import_args *a)
{
	*a = (struct import_args){ NULL, 0, NULL, 0 };
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		char *end;
		if ((strcmp(s, "-n") == 0 || strcmp(s, "-o") == 0) && i + 1 == argc)
			return cmd_usage_error("import", "option '%s' needs a value", s);
		if (strcmp(s, "-n") == 0) {
			s = argv[++i];
			a->number = strtol(s, &end, 10);
			if (s[0] < '1' || s[0] > '9' || *end || a->number > 999999999)
				return cmd_usage_error("import", "-n takes an issue number, not '%s'", s);
		} else if (strcmp(s, "-o") == 0) {
			a->out = argv[++i];
		} else if (strcmp(s, "--force") == 0) {
			a->force = 1;
		} else if (s[0] == '-' && s[1]) {
			return cmd_bad_argument("import", s);
		} else if (!a->file) {
			a->file = s;
		} else {
			return cmd_usage_error("import", "unexpected argument '%s'", s);
		}
	}
	return a->file ? 0 : cmd_usage_error("import", "which file? give the published issue's Markdown");
}

/* --- documents ---------------------------------------------------------- */

/* Take s (BOM dropped, CRLF made LF) and index its lines. */
static void doc_init(struct doc *d, const char *path, const char *s, size_t len)
{
	size_t cap = 0, j = 0;
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3, len -= 3;
	d->path = path;
	d->s = xmalloc(len + 1);
	for (size_t i = 0; i < len; i++)
		if (!(s[i] == '\r' && i + 1 < len && s[i + 1] == '\n'))
			d->s[j++] = s[i];
	d->s[j] = '\0';
	d->len = j;
	d->starts = NULL;
	d->nlines = 0;
	for (size_t i = 0; i < d->len; i++)
		if (i == 0 || d->s[i - 1] == '\n') {
			xgrow((void **)&d->starts, &cap, d->nlines + 1, sizeof(size_t));
			d->starts[d->nlines++] = i;
		}
}

static void doc_release(struct doc *d)
{
	free(d->s);
	free(d->starts);
}

/* Offset where line i starts (the end of the text past the last line). */
static size_t at(const struct doc *d, size_t i)
{
	return i < d->nlines ? d->starts[i] : d->len;
}

/* Line i without its newline. */
static const char *line(const struct doc *d, size_t i, size_t *len)
{
	size_t s = at(d, i), e = at(d, i + 1);
	if (e > s && d->s[e - 1] == '\n')
		e--;
	*len = e - s;
	return d->s + s;
}

static int blank(const struct doc *d, size_t i)
{
	size_t len;
	const char *l = line(d, i, &len);
	for (size_t k = 0; k < len; k++)
		if (l[k] != ' ' && l[k] != '\t')
			return 0;
	return 1;
}

/* A fence line opens or closes fenced code: ``` or ~~~ after at most three
 * spaces. */
static int fence(const struct doc *d, size_t i)
{
	size_t len, k = 0;
	const char *l = line(d, i, &len);
	while (k < len && k < 3 && l[k] == ' ')
		k++;
	return len - k >= 3 && (memcmp(l + k, "```", 3) == 0 || memcmp(l + k, "~~~", 3) == 0);
}

static int is_heading(const struct doc *d, size_t i)
{
	size_t len;
	const char *l = line(d, i, &len);
	return len > 3 && memcmp(l, "## ", 3) == 0;
}

static void chunks_of(const struct doc *d, struct chunks *c)
{
	int code = 0;
	c->len = 0;
	xgrow((void **)&c->at, &c->cap, 1, sizeof(struct chunk));
	c->at[c->len++] = (struct chunk){ 0, d->nlines, 0 };
	for (size_t i = 0; i < d->nlines; i++) {
		if (fence(d, i))
			code = !code;
		if (code || !is_heading(d, i))
			continue;
		c->at[c->len - 1].end = i;
		xgrow((void **)&c->at, &c->cap, c->len + 1, sizeof(struct chunk));
		c->at[c->len++] = (struct chunk){ i, d->nlines, 1 };
	}
}

/* The heading's text, trimmed (borrowed, with its length). */
static const char *heading_text(const struct doc *d, const struct chunk *c, size_t *len)
{
	const char *l = line(d, c->first, len);
	l += 3, *len -= 3;
	while (*len && (*l == ' ' || *l == '\t'))
		l++, (*len)--;
	while (*len && (l[*len - 1] == ' ' || l[*len - 1] == '\t' || l[*len - 1] == '#'))
		(*len)--;
	return l;
}

static void warn(struct import *im, size_t line0, const char *fmt, const char *arg)
{
	diag_add(&im->d, DIAG_WARNING, im->pub.path, (int)line0 + 1, 1, RULE, fmt, arg);
}

/* --- the title line ----------------------------------------------------- */

/* Where the digits of " #N" at l[i] end when the title line's name ends
 * there (the digits are followed by the end or ": "), else 0. */
static size_t number_at(const char *l, size_t i, size_t end)
{
	size_t k = i + 2;
	if (l[i] != ' ' || l[i + 1] != '#')
		return 0;
	while (k < end && k - i - 2 < 9 && l[k] >= '0' && l[k] <= '9')
		k++;
	if (k == i + 2)
		return 0;
	return k == end || (end - k >= 2 && l[k] == ':' && l[k + 1] == ' ') ? k : 0;
}

/* "# NAME #N[: TITLE] (YYYY-MM-DD)": the name is whatever comes before the
 * first " #digits" followed by ": " or the date. */
static int title_line(struct import *im)
{
	size_t len;
	const char *l = line(&im->pub, 0, &len);
	if (len < 16 || memcmp(l, "# ", 2) != 0 || l[len - 1] != ')' || l[len - 12] != '(' ||
	    l[len - 13] != ' ')
		return -1;
	char *date = xstrndup(l + len - 11, 10);
	size_t end = len - 13;
	for (size_t i = 2; i + 2 < end; i++) {
		size_t k = number_at(l, i, end);
		if (!k)
			continue;
		im->number = strtol(l + i + 2, NULL, 10);
		im->title = k == end ? NULL : xstrndup(l + k + 2, end - k - 2);
		im->date = date;
		return validate_date(date) ? 0 : -1;
	}
	free(date);
	return -1;
}

/* --- building sources --------------------------------------------------- */

static void put_yaml_string(buf *b, const char *s, size_t len)
{
	buf_putc(b, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c == '\n')
			buf_puts(b, "\\n");
		else if (c == '\t')
			buf_puts(b, "\\t");
		else if (c < 0x20 || c == 0x7F)
			buf_printf(b, "\\x%02X", c);
		else
			buf_putc(b, (char)c);
	}
	buf_putc(b, '"');
}

static void front_matter(const struct import *im, long number, buf *b)
{
	buf_printf(b, "---\nnumber: %ld\ndate: %s\n", number, im->date);
	if (im->title) {
		buf_puts(b, "title: ");
		put_yaml_string(b, im->title, strlen(im->title));
		buf_putc(b, '\n');
	}
	for (size_t i = 0; i < im->nov; i++) {
		buf_printf(b, "%s: ", im->ov[i].key);
		put_yaml_string(b, im->ov[i].val, strlen(im->ov[i].val));
		buf_putc(b, '\n');
	}
	buf_puts(b, "---\n");
}

static size_t count_lines(const buf *b)
{
	size_t n = 0;
	for (size_t i = 0; i < b->len; i++)
		n += b->data[i] == '\n';
	return n;
}

/* Copy published lines [first, end) without trailing blank lines, then a
 * blank line, noting where they went. */
static void copy_lines(const struct import *im, size_t first, size_t end, buf *b,
		       struct seg *segs, size_t *nsegs)
{
	while (end > first && blank(&im->pub, end - 1))
		end--;
	if (end == first)
		return;
	if (segs)
		segs[(*nsegs)++] = (struct seg){ count_lines(b), first, end - first };
	buf_put(b, im->pub.s + at(&im->pub, first), at(&im->pub, end) - at(&im->pub, first));
	if (b->data[b->len - 1] != '\n')
		buf_putc(b, '\n');
	buf_putc(b, '\n');
}

/* The source: front matter, the lead and the kept sections. segs (room for
 * nkeep + 1) learns where published lines went; may be NULL. */
static void source(const struct import *im, long number, buf *b, struct seg *segs,
		   size_t *nsegs)
{
	front_matter(im, number, b);
	buf_putc(b, '\n');
	if (nsegs)
		*nsegs = 0;
	copy_lines(im, im->lead_first, im->lead_end, b, segs, nsegs);
	for (size_t i = 0; i < im->nkeep; i++)
		copy_lines(im, im->keep[i].first, im->keep[i].end, b, segs, nsegs);
	while (b->len > 1 && b->data[b->len - 1] == '\n' && b->data[b->len - 2] == '\n')
		b->data[--b->len] = '\0';
}

/* Render src as Markdown into out. Returns 0, or -1 with problems in d. */
static int rebuild(struct import *im, const char *src, size_t len, buf *out, diag_list *d)
{
	struct issue *is = issue_parse(im->n, im->pub.path, src, len, d);
	int rc = -1;
	if (!d->errors) {
		value *ctx = render_context(im->n, is);
		rc = renderer_run(&im->r, render_formats[0].template, ctx, out, d);
		value_free(ctx);
	}
	issue_free(is);
	return rc;
}

/* What the templates write for an issue with every section empty. */
static int probe(struct import *im, struct doc *out)
{
	buf src = BUF_INIT, md = BUF_INIT;
	front_matter(im, im->number, &src);
	for (size_t i = 0; i < im->n->nsections; i++)
		buf_printf(&src, "\n## %s\n", im->n->sections[i].title);
	int rc = rebuild(im, src.data, src.len, &md, &im->d);
	doc_init(out, "(probe)", md.data ? md.data : "", md.len);
	buf_release(&src);
	buf_release(&md);
	return rc;
}

/* --- the intro ---------------------------------------------------------- */

/* The paragraphs of lines [first, end): runs of non-blank lines. */
static size_t blocks(const struct doc *d, size_t first, size_t end, struct chunk *out, size_t max)
{
	size_t n = 0;
	for (size_t i = first; i < end && n < max; i++) {
		if (blank(d, i))
			continue;
		size_t j = i;
		while (j < end && !blank(d, j))
			j++;
		out[n++] = (struct chunk){ i, j, 0 };
		i = j;
	}
	return n;
}

static const char *block_text(const struct doc *d, const struct chunk *b, size_t *len)
{
	size_t s = at(d, b->first), e = at(d, b->end);
	if (e > s && d->s[e - 1] == '\n')
		e--;
	*len = e - s;
	return d->s + s;
}

static int is_reserved(const char *key)
{
	static const char *const keys[] = { "number", "date", "title", "draft", NULL };
	for (const char *const *k = keys; *k; k++)
		if (strcmp(key, *k) == 0)
			return 1;
	return 0;
}

#define NOT_FOUND ((size_t)-1)

/* Where needle first occurs in s, or NOT_FOUND. */
static size_t find_text(const char *s, size_t len, const char *needle, size_t n)
{
	for (size_t i = 0; n <= len && i <= len - n; i++)
		if (memcmp(s + i, needle, n) == 0)
			return i;
	return NOT_FOUND;
}

/* If want is got with one setting's text replaced, note that setting's
 * value for this issue and return 0. */
static int find_override(struct import *im, const char *got, size_t glen,
			 const char *want, size_t wlen)
{
	const value *set = im->n->settings;
	for (size_t i = 0; i < value_len(set); i++) {
		const struct value_entry *e = value_entry_at(set, i);
		const value *v = e->val;
		if (v->kind != VALUE_STRING || !v->u.str.len || is_reserved(e->key))
			continue;
		size_t pre = find_text(got, glen, v->u.str.s, v->u.str.len);
		if (pre == NOT_FOUND)
			continue;
		size_t suf = glen - pre - v->u.str.len;
		if (pre + suf > wlen || memcmp(want, got, pre) != 0 ||
		    memcmp(want + wlen - suf, got + glen - suf, suf) != 0)
			continue;
		xgrow((void **)&im->ov, &im->ovcap, im->nov + 1, sizeof(struct override));
		im->ov[im->nov++] = (struct override){ e->key, xstrndup(want + pre, wlen - pre - suf) };
		return 0;
	}
	return -1;
}

#define MAX_BLOCKS 256

/* Match the published intro with the probe's paragraph by paragraph: a
 * paragraph that differs by one setting's text gives an override, the
 * paragraphs after the templates' are the issue's lead. */
static void intro(struct import *im, const struct doc *pr, const struct chunk *pc)
{
	struct chunk *want = xcalloc(MAX_BLOCKS, sizeof(struct chunk));
	struct chunk *got = xcalloc(MAX_BLOCKS, sizeof(struct chunk));
	const struct chunk *c = &im->pc.at[0];
	size_t nw = blocks(&im->pub, c->first, c->end, want, MAX_BLOCKS);
	size_t ng = blocks(pr, pc->first, pc->end, got, MAX_BLOCKS);
	for (size_t i = 0; i < ng && i < nw; i++) {
		size_t wl, gl;
		const char *w = block_text(&im->pub, &want[i], &wl), *g = block_text(pr, &got[i], &gl);
		if ((wl != gl || memcmp(w, g, wl) != 0) && find_override(im, g, gl, w, wl) < 0)
			warn(im, want[i].first, "%s", "this paragraph differs from what the "
			     "templates and settings write; left out");
	}
	if (nw < ng) {
		size_t len;
		const char *g = block_text(pr, &got[nw], &len);
		char *s = xstrndup(g, len < 40 ? len : 40);
		warn(im, nw ? want[nw - 1].end - 1 : 0, "the intro ends here without a "
		     "paragraph the templates write: '%s...'", s);
		free(s);
	}
	im->lead_first = im->lead_end = 0;
	if (nw > ng)
		im->lead_first = want[ng].first, im->lead_end = c->end;
	free(want);
	free(got);
}

/* --- sections ----------------------------------------------------------- */

static int same_text(const struct doc *a, size_t as, size_t ae, const struct doc *b,
		     size_t bs, size_t be)
{
	size_t x = at(a, ae) - at(a, as), y = at(b, be) - at(b, bs);
	return x == y && memcmp(a->s + at(a, as), b->s + at(b, bs), x) == 0;
}

/* The probe's chunk with the published chunk c's heading, or for a
 * section (conf >= 0) the one naming the same section; NULL if none. */
static const struct chunk *probe_chunk(const struct import *im, const struct doc *pr,
				       const struct chunks *prc, const struct chunk *c, long conf)
{
	for (size_t i = 1; i < prc->len; i++) {
		size_t len;
		const char *h = heading_text(pr, &prc->at[i], &len);
		if (conf >= 0 ? newsletter_section(im->n, h, len) == conf
			      : same_text(pr, prc->at[i].first, prc->at[i].first + 1, &im->pub,
					  c->first, c->first + 1))
			return &prc->at[i];
	}
	return NULL;
}

/* Keep a section without the lines the templates add after its items: the
 * probe's section p has them after its heading and a blank line. */
static void keep_section(struct import *im, const struct doc *pr, const struct chunk *p,
			 struct chunk c)
{
	size_t end = c.end, pend = p ? p->end : 0, tail = 0;
	while (end > c.first + 1 && blank(&im->pub, end - 1))
		end--;
	while (p && pend > p->first + 2 && blank(pr, pend - 1))
		pend--;
	if (p && pend > p->first + 2)
		tail = pend - p->first - 2;
	if (tail && end - c.first > tail &&
	    same_text(&im->pub, end - tail, end, pr, pend - tail, pend))
		c.end = end - tail;
	else if (tail)
		warn(im, end - 1, "%s", "the section does not end with the text the templates "
		     "add after it; this stays part of its last item");
	xgrow((void **)&im->keep, &im->keepcap, im->nkeep + 1, sizeof(struct chunk));
	im->keep[im->nkeep++] = c;
}

static void sections(struct import *im, const struct doc *pr, const struct chunks *prc)
{
	for (size_t i = 1; i < im->pc.len; i++) {
		const struct chunk *c = &im->pc.at[i];
		size_t hlen;
		const char *h = heading_text(&im->pub, c, &hlen);
		long conf = newsletter_section(im->n, h, hlen);
		const struct chunk *p = probe_chunk(im, pr, prc, c, conf);
		char *name = xstrndup(h, hlen);
		if (conf >= 0)
			keep_section(im, pr, p, *c);
		else if (!p)
			warn(im, c->first, "unknown section '%s'; left out", name);
		else if (!same_text(&im->pub, c->first, c->end, pr, p->first, p->end))
			warn(im, c->first, "'%s' is written by the templates but differs from "
			     "what they write; left out", name);
		free(name);
	}
}

/* --- checking the result ------------------------------------------------ */

/* Whether a diagnostic already points into published lines [first, end). */
static int reported(const struct import *im, size_t first, size_t end)
{
	for (size_t i = 0; i < im->d.len; i++) {
		int l = im->d.items[i].line - 1;
		if (l >= (int)first && l < (int)end)
			return 1;
	}
	return 0;
}

/* Report the first line of published chunk c that the rebuilt chunk r
 * (NULL: none) does not give back. */
static void compare_chunk(struct import *im, const struct chunk *c, const struct doc *rb,
			  const struct chunk *r)
{
	if (reported(im, c->first, c->end))
		return;
	for (size_t k = 0; c->first + k < c->end; k++) {
		size_t a, b = 0;
		const char *x = line(&im->pub, c->first + k, &a);
		const char *y = r && r->first + k < r->end ? line(rb, r->first + k, &b) : NULL;
		if (!y || a != b || memcmp(x, y, a) != 0) {
			warn(im, c->first + k, "%s", "the imported issue does not give this line back");
			return;
		}
	}
	if (r && r->end - r->first > c->end - c->first)
		warn(im, c->end - 1, "%s", "the imported issue adds lines after this one");
}

/* The rebuilt chunk matching published chunk i (the intro, or the first
 * unused one with the same heading line), marked used; NULL if none. */
static const struct chunk *rebuilt_chunk(const struct import *im, const struct doc *rb,
					 const struct chunks *rc, int *used, size_t i)
{
	const struct chunk *c = &im->pc.at[i];
	for (size_t j = 0; j < rc->len; j++) {
		const struct chunk *r = &rc->at[j];
		int same = i == 0 ? j == 0
			: r->heading && same_text(rb, r->first, r->first + 1, &im->pub,
						  c->first, c->first + 1);
		if (same && !used[j]) {
			used[j] = 1;
			return r;
		}
	}
	return NULL;
}

static void compare(struct import *im, const struct doc *rb)
{
	struct chunks rc = { 0 };
	chunks_of(rb, &rc);
	int *used = xcalloc(rc.len, sizeof(int));
	for (size_t i = 0; i < im->pc.len; i++)
		compare_chunk(im, &im->pc.at[i], rb, rebuilt_chunk(im, rb, &rc, used, i));
	for (size_t j = 1; j < rc.len; j++)
		if (!used[j]) {
			size_t len;
			const char *h = line(rb, rc.at[j].first, &len);
			char *s = xstrndup(h, len);
			warn(im, im->pub.nlines ? im->pub.nlines - 1 : 0,
			     "the imported issue adds '%s', which is not here", s);
			free(s);
		}
	free(used);
	free(rc.at);
}

/* Diagnostics about the source name the published lines they came from. */
static void map_lines(struct import *im, diag_list *d, const struct seg *segs, size_t n)
{
	for (size_t i = 0; i < d->len; i++) {
		size_t l = d->items[i].line > 0 ? (size_t)d->items[i].line - 1 : 0;
		int pub = 1;
		if (!d->items[i].file || strcmp(d->items[i].file, im->pub.path) != 0)
			continue;
		for (size_t k = 0; k < n; k++)
			if (l >= segs[k].src && l < segs[k].src + segs[k].n)
				pub = (int)(segs[k].pub + (l - segs[k].src)) + 1;
		d->items[i].line = pub;
		if (pub == 1)
			d->items[i].col = 1;
	}
	diag_move(&im->d, d);
}

/* Build the source as it will be written, but numbered as published, and
 * report what does not come back. */
static void check(struct import *im)
{
	buf src = BUF_INIT, md = BUF_INIT;
	struct seg *segs = xcalloc(im->nkeep + 1, sizeof(struct seg));
	size_t nsegs;
	diag_list d = DIAG_LIST_INIT;
	source(im, im->number, &src, segs, &nsegs);
	if (rebuild(im, src.data, src.len, &md, &d) == 0) {
		struct doc rb;
		doc_init(&rb, "(rebuilt)", md.data ? md.data : "", md.len);
		compare(im, &rb);
		doc_release(&rb);
	}
	map_lines(im, &d, segs, nsegs);
	diag_release(&d);
	free(segs);
	buf_release(&src);
	buf_release(&md);
}

/* --- writing ------------------------------------------------------------ */

static const struct issue_file *find(const struct issue_file *f, size_t n, long num)
{
	for (size_t i = 0; i < n; i++)
		if (f[i].number == num)
			return &f[i];
	return NULL;
}

/* Where the source goes: -o FILE, the existing file of that number, or
 * issues/NNN.md named like the other issues. *exists tells whether the
 * issue is there already. NULL when the issues cannot be listed. */
static char *target(const struct newsletter *n, const struct import_args *a, long number,
		    int *exists)
{
	struct issue_file *files;
	size_t count;
	if (a->out) {
		*exists = strcmp(a->out, "-") != 0 && fs_exists(a->out);
		return xstrdup(a->out);
	}
	if (issue_files_list(n, &files, &count) < 0)
		return NULL;
	const struct issue_file *f = find(files, count, number);
	int width = count ? (int)strlen(files[count - 1].stem) : 3;
	char *name = xasprintf("issues/%0*ld.md", width, number);
	char *path = f ? xstrdup(f->path) : fs_join(n->root, name);
	*exists = f != NULL;
	free(name);
	issue_files_free(files, count);
	return path;
}

static int write_to(const char *path, const buf *b, int force)
{
	const char *data = b->data ? b->data : "";
	if (strcmp(path, "-") == 0) {
		if (fwrite(data, 1, b->len, stdout) == b->len && fflush(stdout) == 0)
			return EXIT_CLEAN;
		fprintf(stderr, "weekly: cannot write to standard output: %s\n", strerror(errno));
		return EXIT_SYSTEM;
	}
	if ((force ? fs_write_atomic(path, data, b->len) : fs_write_new(path, data, b->len)) == 0) {
		printf("%s\n", path);
		return EXIT_CLEAN;
	}
	if (errno == EEXIST) {
		fprintf(stderr, "weekly import: '%s' already exists; --force replaces it\n", path);
		return EXIT_CONTENT;
	}
	fprintf(stderr, "weekly: cannot write '%s': %s\n", path, strerror(errno));
	return EXIT_SYSTEM;
}

static int write_source(struct import *im, const struct import_args *a)
{
	long number = a->number ? a->number : im->number;
	int exists = 0;
	char *path = target(im->n, a, number, &exists);
	if (!path) {
		fprintf(stderr, "weekly: cannot list issues: %s\n", strerror(errno));
		return EXIT_SYSTEM;
	}
	int rc;
	if (exists && !a->force) {
		fprintf(stderr, "weekly import: '%s' already exists; --force replaces it\n", path);
		rc = EXIT_CONTENT;
	} else {
		buf b = BUF_INIT;
		source(im, number, &b, NULL, NULL);
		rc = write_to(path, &b, a->force);
		buf_release(&b);
	}
	free(path);
	return rc;
}

/* --- the command -------------------------------------------------------- */

static int import_text(struct import *im, const struct import_args *a)
{
	struct doc pr;
	struct chunks prc = { 0 };
	chunks_of(&im->pub, &im->pc);
	if (title_line(im) < 0) {
		diag_add(&im->d, DIAG_ERROR, im->pub.path, 1, 1, RULE,
			 "expected a title line '# NAME #N (YYYY-MM-DD)'");
		return EXIT_CONTENT;
	}
	if (probe(im, &pr) < 0) {
		doc_release(&pr);
		return EXIT_CONTENT;
	}
	chunks_of(&pr, &prc);
	intro(im, &pr, &prc.at[0]);
	sections(im, &pr, &prc);
	check(im);
	doc_release(&pr);
	free(prc.at);
	diag_sort(&im->d);
	diag_print(&im->d, stderr, diag_default_format(), diag_want_color(stderr));
	size_t errors = im->d.errors;
	diag_release(&im->d);
	int rc = write_source(im, a);
	return rc == EXIT_CLEAN && errors ? EXIT_CONTENT : rc;
}

static int import_file(const struct newsletter *n, const struct import_args *a)
{
	char *text;
	size_t len;
	if (fs_read(a->file, &text, &len) < 0) {
		fprintf(stderr, "weekly: cannot read '%s': %s\n", a->file, strerror(errno));
		return EXIT_SYSTEM;
	}
	struct import im = { .n = n, .d = DIAG_LIST_INIT };
	doc_init(&im.pub, a->file, text, len);
	free(text);
	renderer_init(&im.r, n);
	int rc = import_text(&im, a);
	diag_print(&im.d, stderr, diag_default_format(), diag_want_color(stderr));
	renderer_release(&im.r);
	for (size_t i = 0; i < im.nov; i++)
		free(im.ov[i].val);
	free(im.ov);
	free(im.keep);
	free(im.pc.at);
	free(im.date);
	free(im.title);
	doc_release(&im.pub);
	diag_release(&im.d);
	return rc;
}

int cmd_import(int argc, char **argv)
{
	struct import_args a;
	int rc = parse(argc, argv, &a);
	if (rc)
		return rc;
	struct newsletter n;
	rc = cmd_load_settings(&n);
	if (rc == 0)
		rc = import_file(&n, &a);
	newsletter_release(&n);
	return rc;
}
