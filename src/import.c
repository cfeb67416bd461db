/* import.c - the state of one import (import.h): the published text's
 * chunks, what is said about it, and the settings the issue overrides
 * where the published text differs from what the templates write. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/import.h"
#include "weekly/itemline.h"
#include "weekly/util.h"
#include "weekly/validate.h"

#define RULE "import"

/* --- chunks ------------------------------------------------------------- */

/* Line i's text as a heading names it: without the '#' marks, trimmed, a
 * link's brackets and URL taken out ("## [🦄Articles](https://…)" names
 * "🦄Articles"). The caller frees it. */
static char *line_name(const struct doc *d, size_t line)
{
	size_t len, o = 0, i = 0;
	const char *l = doc_line(d, line, &len);
	char *s = xmalloc(len + 1);
	while (i < len && l[i] == '#')
		i++;
	for (; i < len; i++) {
		if (l[i] == '[')
			continue;
		if (l[i] == ']' && i + 1 < len && l[i + 1] == '(') {
			const char *close = memchr(l + i, ')', len - i);
			if (close) {
				i = (size_t)(close - l);
				continue;
			}
		}
		if (l[i] != ']')
			s[o++] = l[i];
	}
	while (o && (s[o - 1] == ' ' || s[o - 1] == '\t' || s[o - 1] == '#'))
		o--;
	size_t k = 0;
	while (k < o && (s[k] == ' ' || s[k] == '\t'))
		k++;
	memmove(s, s + k, o - k);
	s[o - k] = '\0';
	return s;
}

char *import_heading_name(const struct doc *d, const struct chunk *c)
{
	return line_name(d, c->first);
}

/* Whether line i of d opens a chunk: a "## " heading, or (when n is
 * given) a line of its own, a heading of another level or a paragraph of
 * one line, whose text names a configured section. *other learns that it
 * is not a "## " heading. */
static int opens(const struct doc *d, size_t i, const struct newsletter *n, int *other)
{
	size_t len;
	const char *l = doc_line(d, i, &len);
	*other = 0;
	if (len > 3 && memcmp(l, "## ", 3) == 0)
		return 1;
	if (!n || !len || (i && !doc_blank(d, i - 1)) || (i + 1 < d->src.nlines && !doc_blank(d, i + 1)))
		return 0;
	char *name = line_name(d, i);
	*other = *name && newsletter_section(n, name, strlen(name)) >= 0;
	free(name);
	return *other;
}

void import_chunks(const struct doc *d, const struct newsletter *n, struct chunks *c)
{
	int code = 0, other;
	c->len = 0;
	xgrow((void **)&c->at, &c->cap, 1, sizeof(struct chunk));
	c->at[c->len++] = (struct chunk){ 0, d->src.nlines, 0 };
	for (size_t i = 0; i < d->src.nlines; i++) {
		if (doc_fence(d, i))
			code = !code;
		if (code || !opens(d, i, n, &other))
			continue;
		c->at[c->len - 1].end = i;
		xgrow((void **)&c->at, &c->cap, c->len + 1, sizeof(struct chunk));
		c->at[c->len++] = (struct chunk){ i, d->src.nlines, 1 + other };
	}
}

int import_same_text(const struct doc *a, size_t as, size_t ae, const struct doc *b,
		     size_t bs, size_t be)
{
	size_t x = doc_at(a, ae) - doc_at(a, as), y = doc_at(b, be) - doc_at(b, bs);
	return x == y && memcmp(a->src.text + doc_at(a, as), b->src.text + doc_at(b, bs), x) == 0;
}

struct chunk import_trimmed(const struct doc *d, struct chunk c)
{
	while (c.end > c.first + 1 && doc_blank(d, c.end - 1))
		c.end--;
	return c;
}

int import_item_like(const struct doc *d, size_t i)
{
	size_t len;
	struct item_line il;
	const char *l = doc_line(d, i, &len);
	return item_line_read(l, len, &il) && il.indent == 0 && il.text < len && l[il.text] == '[';
}

int import_circled(const char *l, size_t len)
{
	const unsigned char *u = (const unsigned char *)l;
	if (len < 3 || u[0] != 0xE2 || u[1] != 0x91 || u[2] < 0xA0 || u[2] > 0xB3)
		return 0;
	return u[2] - 0xA0 + 1;
}

/* --- what is said -------------------------------------------------------- */

void import_say(struct import *im, diag_severity sev, size_t line0, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_add(&im->d, sev, im->pub.path, (int)line0 + 1, 1, RULE, "%s", msg);
	free(msg);
}

void import_left_out(struct import *im, size_t line0, const char *what)
{
	import_say(im, DIAG_ERROR, line0, "%s; left out", what);
	if (!im->left_out++)
		im->reason = xasprintf("line %zu: %s", line0 + 1, what);
}

int import_reported(const struct import *im, size_t first, size_t end)
{
	for (size_t i = 0; i < im->d.len; i++) {
		int l = im->d.items[i].line - 1;
		const char *file = im->d.items[i].file;
		if (file && strcmp(file, im->pub.path) == 0 && l >= (int)first && l < (int)end)
			return 1;
	}
	return 0;
}

/* --- settings the issue overrides --------------------------------------- */

int import_is_reserved(const char *key)
{
	static const char *const whole[] = { "sections", "eras", NULL };
	size_t len = strlen(key);
	return util_in_names(issue_keys, key, len) || util_in_names(whole, key, len);
}

#define NOT_FOUND ((size_t)-1)

/* Where needle occurs in s at or after from, or NOT_FOUND. */
static size_t find_text(const char *s, size_t len, size_t from, const char *needle, size_t n)
{
	for (size_t i = from; n && n <= len && i <= len - n; i++)
		if (memcmp(s + i, needle, n) == 0)
			return i;
	return NOT_FOUND;
}

/* How got differs from want: the common prefix and suffix lengths. */
struct diff {
	const char *got, *want;
	size_t glen, wlen, pre, suf;
};

static struct diff diff_of(const char *got, size_t glen, const char *want, size_t wlen)
{
	struct diff f = { got, want, glen, wlen, 0, 0 };
	size_t max = glen < wlen ? glen : wlen;
	while (f.pre < max && got[f.pre] == want[f.pre])
		f.pre++;
	while (f.suf < max - f.pre && got[glen - 1 - f.suf] == want[wlen - 1 - f.suf])
		f.suf++;
	return f;
}

/* A string of the settings whose text, found in got, holds all of what
 * differs from want: replaced by want's text there, got becomes want. */
struct leaf {
	value *parent;      /* the list or map holding the string */
	size_t index;       /* its place there */
	const char *top;    /* the top-level key it is under */
	char *with;         /* its new text */
};

static int leaf_fits(const void *arg, const value *v, struct leaf *out)
{
	const struct diff *f = arg;
	size_t n = value_strlen(v), nl = 0;
	while (nl < n && value_str(v)[n - 1 - nl] == '\n')
		nl++; /* a value's final line breaks may end the text compared */
	n -= nl;
	for (size_t p = 0; (p = find_text(f->got, f->glen, p, value_str(v), n)) != NOT_FOUND; p++) {
		if (p > f->pre || f->glen - f->suf > p + n || n + f->wlen < f->glen)
			continue;
		size_t len = n + f->wlen - f->glen;
		out->with = xmalloc(len + nl + 1);
		memcpy(out->with, f->want + p, len);
		memset(out->with + len, '\n', nl);
		out->with[len + nl] = '\0';
		return 1;
	}
	return 0;
}

/* The first string of the settings under v (whose top-level key is top)
 * that fits (as fits says, given arg), with its new text in out. */
typedef int leaf_test(const void *arg, const value *v, struct leaf *out);

static int find_leaf(value *v, const char *top, leaf_test *fits, const void *arg,
		     struct leaf *out)
{
	for (size_t i = 0; i < value_len(v); i++) {
		const struct value_entry *e = value_entry_at(v, i);
		value *c = e ? e->val : value_item(v, i);
		if (e && !top && import_is_reserved(e->key))
			continue;
		const char *t = top ? top : e ? e->key : NULL;
		if (value_type(c) == VALUE_STRING && value_strlen(c) && fits(arg, c, out)) {
			out->parent = v;
			out->index = i;
			out->top = t;
			return 1;
		}
		if (find_leaf(c, t, fits, arg, out))
			return 1;
	}
	return 0;
}

int import_note_override(struct import *im, const char *key)
{
	for (size_t i = 0; i < im->nov; i++)
		if (strcmp(im->ov[i], key) == 0)
			return 0;
	xgrow((void **)&im->ov, &im->ovcap, im->nov + 1, sizeof(char *));
	im->ov[im->nov++] = xstrdup(key);
	return 1;
}

static void set_leaf(struct import *im, const struct leaf *l)
{
	char *key = xstrdup(l->top);
	value_free(value_swap(l->parent, l->index, value_cstring(l->with)));
	import_note_override(im, key);
	free(key);
}

/* Override the first string of the settings that fits; 0, or -1 if none. */
static int override_leaf(struct import *im, leaf_test *fits, const void *arg)
{
	struct leaf l;
	if (!find_leaf(im->settings, NULL, fits, arg, &l))
		return -1;
	set_leaf(im, &l);
	free(l.with);
	return 0;
}

int import_find_override(struct import *im, const char *got, size_t glen, const char *want,
			 size_t wlen)
{
	struct diff f = diff_of(got, glen, want, wlen);
	return override_leaf(im, leaf_fits, &f);
}

/* How many line breaks s (len bytes) ends with. */
static size_t final_breaks(const char *s, size_t len)
{
	size_t n = 0;
	while (n < len && s[len - 1 - n] == '\n')
		n++;
	return n;
}

/* What the templates wrote, to end with another number of line breaks. */
struct breaks {
	const char *got;
	size_t len;   /* got without its final line breaks */
	size_t have;  /* how many it has */
	const char *pub;
	size_t plen;  /* the published text without its final line breaks */
	size_t want;  /* how many it has */
};

/* Whether s (len bytes) ends with t (n bytes). */
static int ends_in(const char *s, size_t len, const char *t, size_t n)
{
	return n <= len && memcmp(s + len - n, t, n) == 0;
}

/* A string whose text ends what the templates wrote, its own final line
 * breaks making up the difference. */
static int ending_fits(const void *arg, const value *v, struct leaf *out)
{
	const struct breaks *e = arg;
	size_t nl = final_breaks(value_str(v), value_strlen(v)), n = value_strlen(v) - nl;
	if (!n || !ends_in(e->got, e->len, value_str(v), n) ||
	    !ends_in(e->pub, e->plen, value_str(v), n) || nl + e->want < e->have)
		return 0;
	size_t breaks = nl + e->want - e->have;
	out->with = xmalloc(n + breaks + 1);
	memcpy(out->with, value_str(v), n);
	memset(out->with + n, '\n', breaks);
	out->with[n + breaks] = '\0';
	return 1;
}

void import_end_as_published(struct import *im, const char *got, size_t len)
{
	size_t have = final_breaks(got, len), want = final_breaks(im->pub.src.text, im->pub.src.len);
	struct breaks e = { got, len - have, have, im->pub.src.text, im->pub.src.len - want, want };
	if (e.have != e.want)
		override_leaf(im, ending_fits, &e);
}

struct import_snapshot import_snapshot(const struct import *im)
{
	return (struct import_snapshot){ value_copy(im->settings), im->nov };
}

void import_settle(struct import *im, struct import_snapshot *s, int restore)
{
	if (restore) {
		value_free(im->settings);
		im->settings = s->settings;
		while (im->nov > s->nov)
			free(im->ov[--im->nov]);
	} else {
		value_free(s->settings);
	}
	s->settings = NULL;
}

void import_release(struct import *im)
{
	for (size_t i = 0; i < im->nov; i++)
		free(im->ov[i]);
	free(im->ov);
	value_free(im->settings);
	free(im->keep);
	free(im->conf);
	free(im->pc.at);
	free(im->date);
	free(im->reason);
	pub_head_release(&im->head);
	doc_release(&im->pub);
	diag_release(&im->d);
}

