/* cmd_import.c - `weekly import FILE.md|DIR...`: issues as published back
 * into their sources. What the templates add (intro, notes after sections,
 * closing sections) is found by rendering: a probe issue with every section
 * empty shows what the templates write around the items. The published
 * text the templates do not write goes into the source (the lead, the
 * sections, overrides of settings in the front matter); what cannot go
 * anywhere is left out, named, and the issue refused. The rebuilt issue is
 * then compared with the published text. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/cmd.h"
#include "weekly/fsutil.h"
#include "weekly/itemline.h"
#include "weekly/published.h"
#include "weekly/render.h"
#include "weekly/util.h"
#include "weekly/validate.h"

#define RULE "import"

struct import_args {
	const char **inputs; /* files and folders, borrowed from argv */
	size_t ninputs;
	long number;        /* -n N, 0 when not given */
	const char *date;   /* --date, or NULL */
	const char *out;    /* -o FILE, "-" or NULL */
	int force;
};

/* A run of lines: the intro before the first "## " heading, or a heading
 * and the lines up to the next one. */
struct chunk {
	size_t first, end;  /* lines [first, end) */
	int heading;        /* 1 "## ", 2 another line naming a section, 0 none */
};

struct chunks {
	struct chunk *at;
	size_t len, cap;
};

/* A published section kept in the source, its heading rewritten as the
 * configured title when title is set. */
struct kept {
	struct chunk c;
	const char *title;
};

/* Published lines copied into the source: source line src is published
 * line pub, for n lines. */
struct seg {
	size_t src, pub, n;
};

struct import {
	const struct newsletter *n;
	struct renderer *r;
	struct doc pub;             /* the published issue */
	struct chunks pc;           /* its chunks */
	long *conf;                 /* the section each chunk was kept as, or -1 */
	struct pub_head head;       /* what its head says */
	long number;
	char *date;
	value *settings;            /* as the issue sees them, overrides applied */
	char **ov;                  /* the settings overridden in the front matter */
	size_t nov, ovcap;
	size_t lead_first, lead_end; /* published lines of the lead; equal: none */
	struct kept *keep;           /* the sections kept, tails removed */
	size_t nkeep, keepcap;
	diag_list d;
	size_t left_out;             /* parts of the published text left out */
	char *reason;                /* the first of them, for the summary */
};

enum { O_NUMBER = 1, O_DATE, O_OUT, O_FORCE };

static const struct option options[] = {
	{ "-n", "N", O_NUMBER, "the issue's number (one file only)", NULL },
	{ "--date", "D", O_DATE, "the issue's date, YYYY-MM-DD (one file only)", NULL },
	{ "-o", "FILE", O_OUT, "where to write (default: issues/NNN.md; - for standard\n"
	  "output; one file only)", NULL },
	{ "--force", NULL, O_FORCE, "replace a file that exists", NULL },
	{ NULL, NULL, 0, NULL, NULL }
};

static int option(void *ud, int key, const struct opts *o)
{
	struct import_args *a = ud;
	const char *v = o->val;
	switch (key) {
	case OPTS_ARG: a->inputs[a->ninputs++] = v; break;
	case O_DATE:
		a->date = v;
		if (!util_is_date(v))
			return cmd_usage_error("import", "--date takes a date YYYY-MM-DD, not '%s'", v);
		break;
	case O_NUMBER:
		a->number = opts_issue_arg(o);
		return a->number < 0 ? EXIT_USAGE : 0;
	case O_OUT: a->out = v; break;
	case O_FORCE: a->force = 1; break;
	}
	return 0;
}

static int parse(int argc, char **argv, struct import_args *a)
{
	*a = (struct import_args){ NULL, 0, 0, NULL, NULL, 0 };
	a->inputs = xcalloc((size_t)argc, sizeof *a->inputs);
	int rc = opts_parse("import", options, argc, argv, option, a);
	if (!rc && !a->ninputs)
		return cmd_usage_error("import", "which file? give the published issue's Markdown");
	return rc;
}

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

static char *heading_name(const struct doc *d, const struct chunk *c)
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

static void chunks_of(const struct doc *d, const struct newsletter *n, struct chunks *c)
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

static void say(struct import *im, diag_severity sev, size_t line0, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void say(struct import *im, diag_severity sev, size_t line0, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_add(&im->d, sev, im->pub.path, (int)line0 + 1, 1, RULE, "%s", msg);
	free(msg);
}

/* A part of the published text that the source cannot hold: named at its
 * line, and the issue is refused. */
static void left_out(struct import *im, size_t line0, const char *what)
{
	say(im, DIAG_ERROR, line0, "%s; left out", what);
	if (!im->left_out++)
		im->reason = xasprintf("line %zu: %s", line0 + 1, what);
}

/* --- settings the issue overrides --------------------------------------- */

/* An issue's own keys, and the settings that shape the whole newsletter:
 * never overridden for one issue. */
static int is_reserved(const char *key)
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
	value **slot;       /* where the string is held */
	const char *top;    /* the top-level key it is under */
	char *with;         /* its new text */
};

static int leaf_fits(const void *arg, const value *v, struct leaf *out)
{
	const struct diff *f = arg;
	size_t n = v->u.str.len, nl = 0;
	while (nl < n && v->u.str.s[n - 1 - nl] == '\n')
		nl++; /* a value's final line breaks may end the text compared */
	n -= nl;
	for (size_t p = 0; (p = find_text(f->got, f->glen, p, v->u.str.s, n)) != NOT_FOUND; p++) {
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

/* The first string of the settings under *slot that fits (as fits says,
 * given arg), with its new text in out. */
typedef int leaf_test(const void *arg, const value *v, struct leaf *out);

static int find_leaf(value **slot, const char *top, leaf_test *fits, const void *arg,
		     struct leaf *out)
{
	value *v = *slot;
	if (v->kind == VALUE_STRING && v->u.str.len && fits(arg, v, out)) {
		out->slot = slot;
		out->top = top;
		return 1;
	}
	if (v->kind == VALUE_LIST)
		for (size_t i = 0; i < v->u.list.len; i++)
			if (find_leaf(&v->u.list.at[i], top, fits, arg, out))
				return 1;
	if (v->kind == VALUE_MAP)
		for (size_t i = 0; i < v->u.map.len; i++)
			if ((top || !is_reserved(v->u.map.at[i].key)) &&
			    find_leaf(&v->u.map.at[i].val, top ? top : v->u.map.at[i].key, fits, arg,
				      out))
				return 1;
	return 0;
}

/* Note that key is overridden; 1 when it was not yet. */
static int note_override(struct import *im, const char *key)
{
	for (size_t i = 0; i < im->nov; i++)
		if (strcmp(im->ov[i], key) == 0)
			return 0;
	xgrow((void **)&im->ov, &im->ovcap, im->nov + 1, sizeof(char *));
	im->ov[im->nov++] = xstrdup(key);
	return 1;
}

static void set_leaf(struct import *im, value **slot, const char *top, const char *with)
{
	char *key = xstrdup(top);
	value_free(*slot);
	*slot = value_cstring(with);
	note_override(im, key);
	free(key);
}

/* Override the first string of the settings that fits; 0, or -1 if none. */
static int override_leaf(struct import *im, leaf_test *fits, const void *arg)
{
	struct leaf l;
	if (!find_leaf(&im->settings, NULL, fits, arg, &l))
		return -1;
	set_leaf(im, l.slot, l.top, l.with);
	free(l.with);
	return 0;
}

/* If got (what the templates wrote) becomes want (what was published)
 * with one setting's text changed, override that setting for this issue
 * and return 0. */
static int find_override(struct import *im, const char *got, size_t glen, const char *want,
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
	size_t nl = final_breaks(v->u.str.s, v->u.str.len), n = v->u.str.len - nl;
	if (!n || !ends_in(e->got, e->len, v->u.str.s, n) ||
	    !ends_in(e->pub, e->plen, v->u.str.s, n) || nl + e->want < e->have)
		return 0;
	size_t breaks = nl + e->want - e->have;
	out->with = xmalloc(n + breaks + 1);
	memcpy(out->with, v->u.str.s, n);
	memset(out->with + n, '\n', breaks);
	out->with[n + breaks] = '\0';
	return 1;
}

/* The overrides so far, to go back to when a try fails. */
struct snapshot {
	value *settings;
	size_t nov;
};

static struct snapshot snapshot(const struct import *im)
{
	return (struct snapshot){ value_copy(im->settings), im->nov };
}

/* Go back to s (restore) or keep what was found since (forget s). */
static void settle(struct import *im, struct snapshot *s, int restore)
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

/* Whether configured section k is among the published sections kept. */
static int kept_section(const struct import *im, long k)
{
	for (size_t i = 0; im->conf && i < im->pc.len; i++)
		if (im->conf[i] == k)
			return 1;
	return 0;
}

/* The required sections the published issue goes without, once its
 * sections are placed: "without: [projects]". */
static void without(const struct import *im, buf *b)
{
	size_t any = 0;
	for (size_t k = 0; im->conf && k < im->n->nsections; k++) {
		if (!im->n->sections[k].required || kept_section(im, (long)k))
			continue;
		buf_puts(b, any++ ? ", " : "without: [");
		put_yaml_string(b, im->n->sections[k].id, strlen(im->n->sections[k].id));
	}
	if (any)
		buf_puts(b, "]\n");
}

static void front_matter(const struct import *im, long number, buf *b)
{
	buf_printf(b, "---\nnumber: %ld\ndate: %s\n", number, im->date);
	if (im->head.theme) {
		buf_puts(b, "title: ");
		put_yaml_string(b, im->head.theme, strlen(im->head.theme));
		buf_putc(b, '\n');
	}
	without(im, b);
	for (size_t i = 0; i < im->nov; i++) {
		const value *v = value_getc(im->settings, im->ov[i]);
		buf_printf(b, "%s: ", im->ov[i]);
		if (v && v->kind == VALUE_STRING)
			put_yaml_string(b, v->u.str.s, v->u.str.len);
		else
			value_json(v, b); /* JSON is YAML */
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

/* Whether published line l (len bytes) is numbered like an item but has no
 * link at its start ("3、Content deleted", "5. A title [https://…](…)"):
 * the length of its title (up to a link or the end), read into il; 0 when
 * it is not, or its title is not one a link's text holds as written. */
static size_t text_item(const char *l, size_t len, struct item_line *il)
{
	if (!item_line_read(l, len, il) || il->indent || il->emphasis || il->number < 0 ||
	    il->nosign || il->wide_blank || il->text >= len || l[il->text] == '[')
		return 0;
	const char *t = l + il->text;
	size_t n = len - il->text, title = 0;
	while (title < n && t[title] != '[')
		title++;
	while (title && (t[title - 1] == ' ' || t[title - 1] == '\t'))
		title--;
	for (size_t i = 0; i < title; i++)
		if (strchr("]`<\\", t[i]))
			return 0;
	return title;
}

/* Such a line as the source writes an item without an address:
 * "3. [Content deleted]()", the rest of the line after it. */
static int put_text_item(const char *l, size_t len, buf *b)
{
	struct item_line il;
	size_t title = text_item(l, len, &il);
	if (!title)
		return 0;
	const char *t = l + il.text;
	buf_printf(b, "%ld. [%.*s]()", il.number, (int)title, t);
	buf_put(b, t + title, len - il.text - title);
	buf_putc(b, '\n');
	return 1;
}

/* A published line as the source writes it: an item's "1、" (with or
 * without a space after it) becomes "1. ", which every parser reads; in a
 * section (item set), a numbered line without its link becomes an item
 * without an address. */
static void put_line(const char *l, size_t len, int item, buf *b)
{
	if (item && put_text_item(l, len, b))
		return;
	size_t k = 0;
	while (k < len && k < 9 && l[k] >= '0' && l[k] <= '9')
		k++;
	size_t m = k + 3;
	while (m < len && (l[m] == ' ' || l[m] == '\t'))
		m++;
	if (k && len - k >= 3 && memcmp(l + k, "\xE3\x80\x81", 3) == 0 && m < len && l[m] == '[') {
		buf_put(b, l, k);
		buf_puts(b, ". ");
		for (k += 3; k < len && (l[k] == ' ' || l[k] == '\t'); k++)
			;
		l += k, len -= k;
	}
	buf_put(b, l, len);
	buf_putc(b, '\n');
}

/* Copy published lines [first, end) (a section's when sec is set) without
 * trailing blank lines, then a blank line, noting where they went; title
 * replaces the first line's heading when set. */
static void copy_lines(const struct import *im, size_t first, size_t end, int sec,
		       const char *title, buf *b, struct seg *segs, size_t *nsegs)
{
	int code = 0;
	while (end > first && doc_blank(&im->pub, end - 1))
		end--;
	if (end == first)
		return;
	if (segs)
		segs[(*nsegs)++] = (struct seg){ count_lines(b), first, end - first };
	for (size_t i = first; i < end; i++) {
		size_t len;
		const char *l = doc_line(&im->pub, i, &len);
		if (doc_fence(&im->pub, i))
			code = !code;
		if (i == first && title)
			buf_printf(b, "## %s\n", title);
		else if (code)
			buf_put(b, l, len), buf_putc(b, '\n');
		else
			put_line(l, len, sec && i > first && doc_blank(&im->pub, i - 1), b);
	}
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
	copy_lines(im, im->lead_first, im->lead_end, 0, NULL, b, segs, nsegs);
	for (size_t i = 0; i < im->nkeep; i++)
		copy_lines(im, im->keep[i].c.first, im->keep[i].c.end, 1, im->keep[i].title, b, segs,
			   nsegs);
	while (b->len > 1 && b->data[b->len - 1] == '\n' && b->data[b->len - 2] == '\n')
		b->data[--b->len] = '\0';
}

/* The errors `weekly check` finds in source is (its warnings are for
 * check to tell), into d. */
static void validate_errors(const struct import *im, const struct issue *is, diag_list *d)
{
	diag_list all = DIAG_LIST_INIT;
	validate_issue(im->n, is, is->number, &all);
	for (size_t i = 0; i < all.len; i++)
		if (all.items[i].severity == DIAG_ERROR)
			diag_add(d, DIAG_ERROR, all.items[i].file, all.items[i].line, all.items[i].col,
				 all.items[i].rule, "%s", all.items[i].message);
	diag_release(&all);
}

/* Render src as Markdown into out; with items, also learn how many items
 * the source has and check it as `weekly check` would. Returns 0, or -1
 * with problems in d. */
static int rebuild(struct import *im, const char *src, size_t len, buf *out, size_t *items,
		   diag_list *d)
{
	struct issue *is = issue_parse(im->n, im->pub.path, src, len, d);
	int rc = -1;
	if (items) {
		*items = 0;
		for (size_t i = 0; is && i < is->nsections; i++)
			*items += is->sections[i].nitems;
		if (is && !d->errors)
			validate_errors(im, is, d);
	}
	if (!d->errors) {
		value *ctx = render_context(im->n, is);
		rc = renderer_run(im->r, render_formats[0].template, ctx, out, d);
		value_free(ctx);
	}
	issue_free(is);
	return rc;
}

/* What the templates write for an issue with every section empty. */
static int probe(struct import *im, struct doc *out)
{
	buf src = BUF_INIT, md = BUF_INIT;
	diag_list d = DIAG_LIST_INIT;
	front_matter(im, im->number, &src);
	for (size_t i = 0; i < im->n->nsections; i++)
		buf_printf(&src, "\n## %s\n", im->n->sections[i].title);
	int rc = rebuild(im, src.data, src.len, &md, NULL, &d);
	diag_move(&im->d, &d);
	doc_init(out, "(probe)", md.data, md.len);
	diag_release(&d);
	buf_release(&src);
	buf_release(&md);
	return rc;
}

/* --- the intro ---------------------------------------------------------- */

#define MAX_PROBE_BLOCKS 64

/* The paragraphs of lines [first, end): runs of non-blank lines. */
static size_t blocks(const struct doc *d, size_t first, size_t end, struct chunk *out, size_t max)
{
	size_t n = 0;
	for (size_t i = first; i < end && n < max; i++) {
		if (doc_blank(d, i))
			continue;
		size_t j = i;
		while (j < end && !doc_blank(d, j))
			j++;
		out[n++] = (struct chunk){ i, j, 0 };
		i = j;
	}
	return n;
}

/* Published block w is probe block g, or becomes it by an override. */
static int place_block(struct import *im, const struct doc *pr, const struct chunk *g,
		       const struct chunk *w)
{
	size_t gl, wl;
	const char *gs = src_lines(&pr->src, g->first, g->end, &gl);
	const char *ws = src_lines(&im->pub.src, w->first, w->end, &wl);
	return (gl == wl && memcmp(gs, ws, gl) == 0) || find_override(im, gs, gl, ws, wl) == 0;
}

/* How many bytes of intro the templates write after the title with the
 * overrides so far; *title learns the title block (the caller frees it). */
static size_t probe_intro(struct import *im, char **title)
{
	struct doc pr;
	struct chunks prc = { 0 };
	struct chunk b[MAX_PROBE_BLOCKS];
	size_t size = 0, len;
	probe(im, &pr);
	chunks_of(&pr, NULL, &prc);
	size_t nb = blocks(&pr, prc.at[0].first, prc.at[0].end, b, MAX_PROBE_BLOCKS);
	size_t hg = nb > 0;
	for (size_t i = hg; i < nb; i++)
		size += doc_at(&pr, b[i].end) - doc_at(&pr, b[i].first);
	const char *t = hg ? src_lines(&pr.src, b[0].first, b[0].end, &len) : "";
	*title = xstrndup(t, hg ? len : 0);
	free(prc.at);
	doc_release(&pr);
	return size;
}

/* Whether setting v's text shows in the probe's blocks got[0..ng). */
static int shown(const value *v, const struct doc *pr, const struct chunk *got, size_t ng)
{
	size_t len;
	const char *t = ng ? src_lines(&pr->src, got[0].first, got[ng - 1].end, &len) : "";
	return ng && find_text(t, len, 0, v->u.str.s, v->u.str.len) != NOT_FOUND;
}

/* The intro's own words leave the settings for the issue's lead: each
 * setting the templates' intro shows is emptied for this issue when that
 * makes the templates' intro shorter and leaves the title as it was. */
static void intro_as_lead(struct import *im, const struct doc *pr, const struct chunk *got,
			  size_t ng)
{
	value *s = im->settings;
	char *title0, *title;
	size_t size = probe_intro(im, &title0);
	for (size_t i = 0; i < s->u.map.len && size; i++) {
		value **slot = &s->u.map.at[i].val, *old = *slot;
		if (old->kind != VALUE_STRING || !old->u.str.len || is_reserved(s->u.map.at[i].key) ||
		    !shown(old, pr, got, ng))
			continue;
		*slot = value_cstring("");
		int noted = note_override(im, s->u.map.at[i].key);
		size_t now = probe_intro(im, &title);
		if (now < size && strcmp(title, title0) == 0) {
			size = now;
			value_free(old);
		} else {
			value_free(*slot);
			*slot = old;
			if (noted)
				free(im->ov[--im->nov]);
		}
		free(title);
	}
	free(title0);
}

#define MAX_BLOCKS 256

/* Match the published intro with the probe's, paragraph by paragraph,
 * after the head: a paragraph that differs by one setting's text gives an
 * override, the paragraphs after the templates' are the issue's lead; an
 * intro that differs otherwise becomes the lead, whole. */
static void intro(struct import *im, const struct doc *pr, const struct chunk *pc)
{
	struct chunk *want = xcalloc(MAX_BLOCKS, sizeof(struct chunk));
	struct chunk *got = xcalloc(MAX_BLOCKS, sizeof(struct chunk));
	const struct chunk *c = &im->pc.at[0];
	size_t nw = blocks(&im->pub, im->head.end, c->end, want, MAX_BLOCKS);
	size_t ng = blocks(pr, pc->first, pc->end, got, MAX_BLOCKS), hg = ng > 0;
	struct chunk h = { 0, im->head.end, 0 };
	while (h.first < h.end && doc_blank(&im->pub, h.first))
		h.first++;
	if (hg && !im->head.end)
		say(im, DIAG_WARNING, 0, "the templates write a title that is not here");
	else if (hg && !place_block(im, pr, &got[0], &h))
		say(im, DIAG_WARNING, h.first, "the templates write this title differently; "
		    "its number, date and title are in the front matter");
	int placed = 1;
	struct snapshot before = snapshot(im);
	for (size_t i = 0; i < ng - hg && i < nw && placed; i++)
		placed = place_block(im, pr, &got[hg + i], &want[i]);
	for (size_t i = nw; placed && i + hg < ng; i++) { /* the templates write more */
		size_t gl;
		const char *gs = src_lines(&pr->src, got[hg + i].first, got[hg + i].end, &gl);
		placed = find_override(im, gs, gl, "", 0) == 0;
	}
	im->lead_first = im->lead_end = 0;
	settle(im, &before, !placed); /* a failed try's overrides go back */
	if (!placed) {
		intro_as_lead(im, pr, got + hg, ng - hg);
		if (nw)
			say(im, DIAG_WARNING, want[0].first, "the intro differs from what the settings "
			    "write; it is the issue's lead");
		ng = hg;
	}
	if (nw + hg > ng)
		im->lead_first = want[ng - hg].first, im->lead_end = c->end;
	free(want);
	free(got);
}

/* --- sections ----------------------------------------------------------- */

static int same_text(const struct doc *a, size_t as, size_t ae, const struct doc *b,
		     size_t bs, size_t be)
{
	size_t x = doc_at(a, ae) - doc_at(a, as), y = doc_at(b, be) - doc_at(b, bs);
	return x == y && memcmp(a->src.text + doc_at(a, as), b->src.text + doc_at(b, bs), x) == 0;
}

/* c without its trailing blank lines. */
static struct chunk trimmed(const struct doc *d, struct chunk c)
{
	while (c.end > c.first + 1 && doc_blank(d, c.end - 1))
		c.end--;
	return c;
}

/* The probe's chunk for published chunk c: for a section (conf >= 0) the
 * one naming the same section, else the one with the same heading line. */
static const struct chunk *probe_chunk(const struct import *im, const struct doc *pr,
				       const struct chunks *prc, const struct chunk *c, long conf)
{
	for (size_t i = 1; i < prc->len; i++) {
		char *h = heading_name(pr, &prc->at[i]);
		int same = conf >= 0 ? newsletter_section(im->n, h, strlen(h)) == conf
				     : same_text(pr, prc->at[i].first, prc->at[i].first + 1, &im->pub,
						 c->first, c->first + 1);
		free(h);
		if (same)
			return &prc->at[i];
	}
	return NULL;
}

/* Keep a section without the lines the templates add after its items: the
 * probe's section p has them after its heading and a blank line. */
static void keep_section(struct import *im, const struct doc *pr, const struct chunk *p,
			 struct chunk c, const char *title)
{
	size_t end = trimmed(&im->pub, c).end, pend = p ? trimmed(pr, *p).end : 0, tail = 0;
	if (p && pend > p->first + 2)
		tail = pend - p->first - 2;
	if (tail && end - c.first > tail &&
	    same_text(&im->pub, end - tail, end, pr, pend - tail, pend))
		c.end = end - tail;
	else if (tail)
		say(im, DIAG_WARNING, end - 1, "the section does not end with the text the "
		    "templates add after it; this stays part of its last item");
	xgrow((void **)&im->keep, &im->keepcap, im->nkeep + 1, sizeof(struct kept));
	im->keep[im->nkeep++] = (struct kept){ c, title };
}

/* The configured section closest to a heading no section answers to, or
 * -1. */
static long closest_section(const struct newsletter *n, const char *name)
{
	const char *title = newsletter_section_near(n, name);
	return title ? newsletter_section(n, title, strlen(title)) : -1;
}

/* A chunk the templates write (the probe's p) that was published
 * differently: its heading and its text may each differ by a setting. */
static int place_written(struct import *im, const struct doc *pr, const struct chunk *p,
			 const struct chunk *c)
{
	struct chunk g = trimmed(pr, *p), w = trimmed(&im->pub, *c);
	struct chunk gh = { g.first, g.first + 1, 0 }, wh = { w.first, w.first + 1, 0 };
	struct chunk gb = { g.first + 1, g.end, 0 }, wb = { w.first + 1, w.end, 0 };
	struct snapshot before = snapshot(im);
	int placed = place_block(im, pr, &gh, &wh) && place_block(im, pr, &gb, &wb);
	settle(im, &before, !placed);
	return placed;
}

/* Whether the probe's chunk p is a section's: its heading is a configured
 * section's title, as the probe's source wrote it. */
static int probe_section(const struct import *im, const struct doc *pr, const struct chunk *p)
{
	size_t len;
	const char *h = doc_line(pr, p->first, &len);
	for (size_t i = 0; i < im->n->nsections; i++)
		if (len - 3 == strlen(im->n->sections[i].title) &&
		    memcmp(h + 3, im->n->sections[i].title, len - 3) == 0)
			return 1;
	return 0;
}

/* The first of the probe's chunks that no section and no published chunk
 * took: what the templates write that the published text may have
 * written differently. */
static const struct chunk *next_written(const struct import *im, const struct doc *pr,
					const struct chunks *prc, const int *used)
{
	for (size_t i = 1; i < prc->len; i++)
		if (!used[i] && !probe_section(im, pr, &prc->at[i]))
			return &prc->at[i];
	return NULL;
}

static int reported(const struct import *im, size_t first, size_t end);

/* Keep published chunk i as configured section conf, under the section's
 * title when its heading is written otherwise. */
static void keep_as(struct import *im, const struct doc *pr, const struct chunks *prc, size_t i,
		    long conf)
{
	const struct chunk *c = &im->pc.at[i];
	const char *title = im->n->sections[conf].title;
	size_t hlen;
	const char *h = doc_line(&im->pub, c->first, &hlen);
	int plain = c->heading == 1 && hlen - 3 == strlen(title) && memcmp(h + 3, title, hlen - 3) == 0;
	if (c->heading == 2)
		say(im, DIAG_WARNING, c->first, "this line names a section but is not a '## ' heading; "
		    "the source makes it '## %s'", title);
	else if (!plain && !reported(im, c->first, c->first + 1))
		say(im, DIAG_WARNING, c->first, "the source names this section '## %s'", title);
	im->conf[i] = conf;
	keep_section(im, pr, probe_chunk(im, pr, prc, c, conf), *c, plain ? NULL : title);
}

/* Each published section: written by the templates (maybe with settings
 * of its own), a configured section or a near miss of one (kept), or left
 * out. */
static void sections(struct import *im, const struct doc *pr, const struct chunks *prc)
{
	int *used = xcalloc(prc->len, sizeof(int));
	im->conf = xcalloc(im->pc.len, sizeof(long));
	for (size_t i = 0; i < im->pc.len; i++)
		im->conf[i] = -1;
	for (size_t i = 1; i < im->pc.len; i++) {
		const struct chunk *c = &im->pc.at[i];
		char *name = heading_name(&im->pub, c);
		long conf = newsletter_section(im->n, name, strlen(name));
		const struct chunk *p = probe_chunk(im, pr, prc, c, -1), *q;
		if (p && probe_section(im, pr, p))
			p = NULL;  /* a section the published text fills */
		struct chunk tc = trimmed(&im->pub, *c), tp = p ? trimmed(pr, *p) : tc;
		if (p && !used[p - prc->at] &&
		    (same_text(&im->pub, tc.first, tc.end, pr, tp.first, tp.end) ||
		     place_written(im, pr, p, c))) {
			used[p - prc->at] = 1;  /* written by the templates */
		} else if (conf >= 0) {
			keep_as(im, pr, prc, i, conf);
		} else if ((conf = closest_section(im->n, name)) >= 0) {
			say(im, DIAG_WARNING, c->first, "section '%s' is not in the settings; "
			    "imported as '%s', the closest configured section", name,
			    im->n->sections[conf].title);
			keep_as(im, pr, prc, i, conf);
		} else if (!p && (q = next_written(im, pr, prc, used)) && place_written(im, pr, q, c)) {
			used[q - prc->at] = 1;  /* the templates write it with another heading */
		} else {
			char *what = p ? xasprintf("'%s' differs from what the templates write", name)
				: xasprintf("section '%s' is not in the settings and no configured section "
					    "is close (add it to the sections of %s)", name,
					    im->n->settings_path);
			left_out(im, c->first, what);
			free(what);
		}
		free(name);
	}
	free(used);
}

/* Items numbered "1、" are published with a blank after the comma or
 * without; the settings' item_marker writes one way: when every such item
 * of the published sections is written the other way, the issue's
 * item_marker says so ("、 " for "、"). */
static void marker_blank(struct import *im)
{
	const char *m = value_str(value_getc(im->settings, "item_marker"));
	size_t blank = 0, none = 0, n = m ? strlen(m) : 0;
	if (!n || !strstr(m, "\xE3\x80\x81"))
		return;
	for (size_t s = 0; s < im->nkeep; s++)
		for (size_t i = im->keep[s].c.first; i < im->keep[s].c.end; i++) {
			size_t len;
			struct item_line il;
			const char *l = doc_line(&im->pub, i, &len);
			if (item_line_read(l, len, &il) && il.comma && !il.indent)
				*(il.text > il.mark ? &blank : &none) += 1;
		}
	int spaced = m[n - 1] == ' ';
	if ((spaced && (blank || !none)) || (!spaced && (none || !blank)))
		return;
	char *to = spaced ? xstrndup(m, n - 1) : xasprintf("%s ", m);
	value_map_setc(im->settings, "item_marker", value_cstring(to));
	note_override(im, "item_marker");
	free(to);
}

/* The published text ends with as many line breaks as it has (none, one,
 * or a blank line): if the templates write another number, the string of
 * the settings they end with says how many, for this issue. */
static void ending(struct import *im)
{
	buf src = BUF_INIT, md = BUF_INIT;
	diag_list d = DIAG_LIST_INIT;
	source(im, im->number, &src, NULL, NULL);
	if (rebuild(im, src.data, src.len, &md, NULL, &d) == 0) {
		size_t have = final_breaks(md.data, md.len), want = final_breaks(im->pub.src.text, im->pub.src.len);
		struct breaks e = { md.data, md.len - have, have, im->pub.src.text, im->pub.src.len - want,
				    want };
		if (e.have != e.want)
			override_leaf(im, ending_fits, &e);
	}
	diag_release(&d);
	buf_release(&src);
	buf_release(&md);
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
static void compare_chunk(struct import *im, const struct chunk *pc, const struct doc *rb,
			  const struct chunk *pr)
{
	struct chunk tc = trimmed(&im->pub, *pc), tr = pr ? trimmed(rb, *pr) : tc;
	const struct chunk *c = &tc, *r = pr ? &tr : NULL;
	for (size_t k = 0; c->first + k < c->end; k++) {
		size_t a, b = 0;
		const char *x = doc_line(&im->pub, c->first + k, &a);
		const char *y = r && r->first + k < r->end ? doc_line(rb, r->first + k, &b) : NULL;
		if (reported(im, c->first + k, c->first + k + 1))
			continue;
		if (!y || a != b || memcmp(x, y, a) != 0) {
			if (reported(im, c->first, c->end))
				return; /* follows from what was said */
			say(im, DIAG_WARNING, c->first + k, "the imported issue does not give this "
			    "line back");
			return;
		}
	}
	if (r && r->end - r->first > c->end - c->first && !reported(im, c->first, c->end))
		say(im, DIAG_WARNING, c->end - 1, "the imported issue adds lines after this one");
}

/* The rebuilt chunk matching published chunk i (the intro, or the first
 * unused one with the same heading name), marked used; NULL if none. */
static const struct chunk *rebuilt_chunk(const struct import *im, const struct doc *rb,
					 const struct chunks *rc, int *used, size_t i)
{
	const struct chunk *c = &im->pc.at[i];
	char *want = i ? heading_name(&im->pub, c) : NULL;
	const struct chunk *found = NULL;
	for (size_t j = 0; j < rc->len && !found; j++) {
		char *name = j ? heading_name(rb, &rc->at[j]) : NULL;
		int same = i == 0 ? j == 0 : !name ? 0 : im->conf[i] >= 0
			? newsletter_section(im->n, name, strlen(name)) == im->conf[i]
			: strcmp(name, want) == 0;
		if (!used[j] && same) {
			used[j] = 1;
			found = &rc->at[j];
		}
		free(name);
	}
	free(want);
	return found;
}

static void compare(struct import *im, const struct doc *rb)
{
	struct chunks rc = { 0 };
	chunks_of(rb, NULL, &rc);
	int *used = xcalloc(rc.len, sizeof(int));
	for (size_t i = 0; i < im->pc.len; i++)
		compare_chunk(im, &im->pc.at[i], rb, rebuilt_chunk(im, rb, &rc, used, i));
	for (size_t j = 1; j < rc.len; j++)
		if (!used[j]) {
			size_t len;
			const char *h = doc_line(rb, rc.at[j].first, &len);
			say(im, DIAG_WARNING, im->pub.src.nlines ? im->pub.src.nlines - 1 : 0,
			    "the imported issue adds '%.*s', which is not here", (int)len, h);
		}
	free(used);
	free(rc.at);
}

/* Whether published line i starts like an item ("1.", "1)", "1、", "-",
 * "*" or "+"), then a link. */
static int item_like(const struct doc *d, size_t i)
{
	size_t len;
	struct item_line il;
	const char *l = doc_line(d, i, &len);
	return item_line_read(l, len, &il) && il.indent == 0 && il.text < len && l[il.text] == '[';
}

/* The items the published sections kept show, counted from their lines
 * (a list under an item without a link is its description); each item
 * without a link is named. */
static size_t published_items(struct import *im)
{
	size_t n = 0;
	for (size_t s = 0; s < im->nkeep; s++) {
		int code = 0, under_text = 0;
		for (size_t i = im->keep[s].c.first; i < im->keep[s].c.end; i++) {
			size_t len;
			const char *l = doc_line(&im->pub, i, &len);
			struct item_line il;
			if (doc_fence(&im->pub, i))
				code = !code;
			if (code)
				continue;
			size_t title = text_item(l, len, &il);
			if (title && doc_blank(&im->pub, i - 1)) {
				say(im, DIAG_WARNING, i, "item %ld has no link; the source writes it "
				    "%ld. [%.*s](), an item without an address", il.number, il.number,
				    (int)title, l + il.text);
				under_text = 1;
				continue;
			}
			if (!item_like(&im->pub, i) || (under_text && (l[0] < '0' || l[0] > '9')))
				continue; /* not an item, or a bullet of the description */
			under_text = 0;
			n++;
		}
	}
	return n;
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
 * report what does not come back; fewer items than published is a part
 * left out. */
static void check(struct import *im)
{
	buf src = BUF_INIT, md = BUF_INIT;
	struct seg *segs = xcalloc(im->nkeep + 1, sizeof(struct seg));
	size_t nsegs, items = 0, want = published_items(im);
	diag_list d = DIAG_LIST_INIT;
	source(im, im->number, &src, segs, &nsegs);
	if (rebuild(im, src.data, src.len, &md, &items, &d) == 0) {
		struct doc rb;
		doc_init(&rb, "(rebuilt)", md.data, md.len);
		compare(im, &rb);
		doc_release(&rb);
	}
	if (items < want) {
		char *what = xasprintf("the published sections show %zu items, the source has %zu",
				       want, items);
		left_out(im, im->nkeep ? im->keep[0].c.first : 0, what);
		free(what);
	}
	map_lines(im, &d, segs, nsegs);
	diag_release(&d);
	free(segs);
	buf_release(&src);
	buf_release(&md);
}

/* --- writing ------------------------------------------------------------ */

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
	const struct issue_file *f = issue_files_find(files, count, number);
	int width = count ? (int)strlen(files[count - 1].stem) : 3;
	char *name = xasprintf("issues/%0*ld.md", width < 3 ? 3 : width, number);
	char *path = f ? xstrdup(f->path) : fs_join(n->root, name);
	*exists = f != NULL;
	free(name);
	issue_files_free(files, count);
	return path;
}

static int write_to(const char *path, const buf *b, int force)
{
	const char *data = b->data;
	if (strcmp(path, "-") == 0) {
		fwrite(data, 1, b->len, stdout); /* checked as standard output closes */
		return EXIT_CLEAN;
	}
	if ((force ? fs_write_atomic(path, data, b->len) : fs_write_new(path, data, b->len)) == 0) {
		diag_say(stdout, "%s\n", path);
		return EXIT_CLEAN;
	}
	if (errno == EEXIST) {
		diag_say(stderr, "weekly import: '%s' already exists; --force replaces it\n", path);
		return EXIT_CONTENT;
	}
	fprintf(stderr, "weekly: cannot write '%s': %s\n", path, strerror(errno));
	return EXIT_SYSTEM;
}

static int write_source(struct import *im, const struct import_args *a)
{
	int exists = 0;
	long number = a->number ? a->number : im->number;
	char *path = target(im->n, a, number, &exists);
	if (!path) {
		fprintf(stderr, "weekly: cannot list issues: %s\n", strerror(errno));
		return EXIT_SYSTEM;
	}
	int rc;
	if (exists && !a->force) {
		diag_say(stderr, "weekly import: '%s' already exists; --force replaces it\n", path);
		im->reason = xasprintf("'%s' already exists", path);
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

/* --- one issue ---------------------------------------------------------- */

/* Number and date: -n and --date, else the head's, else the file name's
 * date. Returns -1 after an error when one is missing. */
static int identify(struct import *im, const struct import_args *a)
{
	int rc = pub_head(&im->pub, &im->head, &im->d);
	if (rc < 0)
		return -1;
	im->number = im->head.number ? im->head.number : a->number;
	im->date = a->date ? xstrdup(a->date) : im->head.date ? xstrdup(im->head.date)
						: pub_file_date(im->pub.path);
	if (!im->number)
		say(im, DIAG_ERROR, im->head.end ? im->head.end - 1 : 0, "%s",
		    rc ? "the title has no issue number ('NAME #N: TITLE'); give it with -n N"
		       : "expected a title line 'NAME #N: TITLE (YYYY-MM-DD)' or front matter "
			 "with a title; or give the number with -n N");
	else if (!im->date)
		say(im, DIAG_ERROR, im->head.end ? im->head.end - 1 : 0, "%s",
		    "no date in the title, the front matter or the file name "
		    "(YYYY-MM-DD-….md); give it with --date YYYY-MM-DD");
	return im->number && im->date ? 0 : -1;
}

/* Whether d has a line that starts with a circled number (① to ⑳), as
 * the titles of a teaser do. */
static int teaser(const struct doc *d)
{
	for (size_t i = 0; i < d->src.nlines; i++) {
		size_t len;
		const unsigned char *l = (const unsigned char *)doc_line(d, i, &len);
		if (len >= 3 && l[0] == 0xE2 && l[1] == 0x91 && l[2] >= 0xA0 && l[2] <= 0xB3)
			return 1;
	}
	return 0;
}

/* The published text's chunks; -1 after saying why when it has no
 * section to import. */
static int sectioned(struct import *im)
{
	chunks_of(&im->pub, im->n, &im->pc);
	if (im->pc.len > 1)
		return 0;
	size_t items = 0;
	for (size_t i = 0; i < im->pub.src.nlines; i++)
		items += item_like(&im->pub, i);
	char *why = teaser(&im->pub)
		? xstrdup("titles numbered ①, ②… without links: a teaser, whose issue is not here")
		: items ? xasprintf("%zu items but no section heading ('## TITLE') to put them under",
				    items)
		: xstrdup("no section heading ('## TITLE') and no items");
	left_out(im, 0, why);
	free(why);
	return -1;
}

/* Place the published text. Returns 0, or -1 when nothing can be made. */
static int place(struct import *im)
{
	struct doc pr;
	struct chunks prc = { 0 };
	im->settings = render_settings(im->n, im->number);
	if (probe(im, &pr) < 0) {
		doc_release(&pr);
		return -1;
	}
	chunks_of(&pr, NULL, &prc);
	intro(im, &pr, &prc.at[0]);
	sections(im, &pr, &prc);
	for (size_t k = 0; k < im->n->nsections; k++)
		if (im->n->sections[k].required && !kept_section(im, (long)k))
			say(im, DIAG_WARNING, im->head.end ? im->head.end - 1 : 0, "the published issue has no section '%s', "
			    "which the settings require; the source goes without it (without: [%s])",
			    im->n->sections[k].title, im->n->sections[k].id);
	marker_blank(im);
	ending(im);
	check(im);
	doc_release(&pr);
	free(prc.at);
	return 0;
}

static void import_release(struct import *im)
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

/* "line L: message" of d's first error, after prefix; NULL when none. */
static char *first_error(const diag_list *d, const char *prefix)
{
	for (size_t i = 0; i < d->len; i++)
		if (d->items[i].severity == DIAG_ERROR)
			return xasprintf("%sline %d: %s", prefix, d->items[i].line, d->items[i].message);
	return NULL;
}

/* Import one published file. *why learns why it was refused or what its
 * source has to fix (the caller frees it), *written whether the source
 * was written. */
static int import_file(const struct newsletter *n, struct renderer *r,
		       const struct import_args *a, const char *file, char **why, int *written)
{
	char *text;
	size_t len;
	*why = NULL;
	*written = 0;
	if (fs_read(file, &text, &len) < 0) {
		fprintf(stderr, "weekly: cannot read '%s': %s\n", file, strerror(errno));
		*why = xasprintf("cannot read it: %s", strerror(errno));
		return EXIT_SYSTEM;
	}
	struct import im = { .n = n, .r = r, .d = DIAG_LIST_INIT };
	doc_init(&im.pub, file, text, len);
	free(text);
	int rc = sectioned(&im) == 0 && identify(&im, a) == 0 && place(&im) == 0
		? EXIT_CLEAN : EXIT_CONTENT;
	size_t errors = im.d.errors;
	diag_sort(&im.d);
	diag_print(&im.d, stderr, diag_default_format(), diag_want_color(stderr));
	if (im.left_out)
		rc = EXIT_CONTENT;
	if (rc == EXIT_CLEAN) {
		rc = write_source(&im, a);
		*written = rc == EXIT_CLEAN;
		if (rc == EXIT_CLEAN && errors)
			rc = EXIT_CONTENT;
		if (!im.reason && errors)
			im.reason = first_error(&im.d, "");
	} else if (!im.reason) {
		im.reason = first_error(&im.d, "");
	}
	*why = rc == EXIT_CLEAN ? NULL : im.reason ? xstrdup(im.reason) : NULL;
	if (im.left_out > 1)
		diag_say(stderr, "weekly import: %s: %zu parts left out; nothing written\n", file,
			 im.left_out);
	else if (im.left_out)
		diag_say(stderr, "weekly import: %s: a part left out; nothing written\n", file);
	import_release(&im);
	return rc;
}

/* --- the command -------------------------------------------------------- */

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files an input names: itself, or a folder's *.md files in order. */
static int expand(const char *input, char ***files, size_t *n, size_t *cap)
{
	if (!fs_is_dir(input)) {
		xgrow((void **)files, cap, *n + 1, sizeof(char *));
		(*files)[(*n)++] = xstrdup(input);
		return 0;
	}
	DIR *dp = opendir(input);
	if (!dp) {
		fprintf(stderr, "weekly: cannot read '%s': %s\n", input, strerror(errno));
		return -1;
	}
	size_t from = *n;
	struct dirent *e;
	while ((e = readdir(dp))) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || !util_ends_with(e->d_name, len, ".md"))
			continue;
		xgrow((void **)files, cap, *n + 1, sizeof(char *));
		(*files)[(*n)++] = fs_join(input, e->d_name);
	}
	closedir(dp);
	qsort(*files + from, *n - from, sizeof(char *), by_name);
	return 0;
}

/* Files and why, as a run's summary names them. */
struct named {
	char **at;
	size_t len;
};

static void name_file(struct named *l, const char *file, const char *why)
{
	l->at[l->len++] = xasprintf("%s (%s)", file, why ? why : "errors above");
}

/* Print the list (when out) and free it. */
static void put_named(const struct named *l, FILE *out)
{
	for (size_t i = 0; i < l->len; i++) {
		if (out)
			diag_say(out, "%s%s", i ? "; " : ": ", l->at[i]);
		free(l->at[i]);
	}
	free(l->at);
}

/* One line for a run over several files: how many came in (those whose
 * sources have errors to fix named), and each one refused with its
 * reason. */
static void summary(size_t imported, struct named *tofix, struct named *refused)
{
	fprintf(stderr, "imported %zu", imported);
	if (tofix->len) {
		fprintf(stderr, " (%zu with errors to fix", tofix->len);
		put_named(tofix, stderr);
		fputc(')', stderr);
	} else {
		put_named(tofix, NULL);
	}
	fprintf(stderr, ", refused %zu", refused->len);
	put_named(refused, stderr);
	fputc('\n', stderr);
}

static int import_all(const struct newsletter *n, const struct import_args *a, char **files,
		      size_t nfiles)
{
	struct renderer *r;
	struct named tofix = { xcalloc(nfiles + 1, sizeof(char *)), 0 };
	struct named refused = { xcalloc(nfiles + 1, sizeof(char *)), 0 };
	size_t imported = 0;
	int rc = EXIT_CLEAN;
	r = renderer_new(n);
	for (size_t i = 0; i < nfiles; i++) {
		char *why;
		int written, one = import_file(n, r, a, files[i], &why, &written);
		imported += written;
		if (one != EXIT_CLEAN)
			name_file(written ? &tofix : &refused, files[i], why);
		free(why);
		rc = one > rc ? one : rc;
	}
	if (nfiles > 1) {
		summary(imported, &tofix, &refused);
	} else {  /* one file: its messages said it all */
		put_named(&tofix, NULL);
		put_named(&refused, NULL);
	}
	renderer_free(r);
	return rc;
}

static int import_main(int argc, char **argv, struct newsletter *n)
{
	struct import_args a;
	int rc = parse(argc, argv, &a);
	char **files = NULL;
	size_t nfiles = 0, cap = 0;
	for (size_t i = 0; rc == 0 && i < a.ninputs; i++)
		if (expand(a.inputs[i], &files, &nfiles, &cap) < 0)
			rc = EXIT_SYSTEM;
	if (rc == 0 && nfiles != 1 && (a.number || a.out || a.date))
		rc = cmd_usage_error("import", "-n, -o and --date take one file; %zu given", nfiles);
	if (rc == 0)
		rc = import_all(n, &a, files, nfiles);
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	free(a.inputs);
	return rc;
}

const struct cmd cmd_import = {
	"import", import_main, "turn published issues back into source files", CMD_SETTINGS,
	"usage: weekly import FILE.md|DIR... [-n N] [--date YYYY-MM-DD] [-o FILE|-]\n"
	"                     [--force]\n\n"
	"Read issues as published (the Markdown `weekly build -f md` writes, or an\n"
	"archive's) and write their sources: number, date and title from the title\n"
	"line ('NAME #N: TITLE (YYYY-MM-DD)', with or without '#', ':' or '：') or\n"
	"the front matter (title, pubDate or date), the date else from the file\n"
	"name (2024-03-09-weekly.md); sections and items verbatim (link headings\n"
	"name their section, '1、' items become '1.', a near miss of a configured\n"
	"section is imported as it, with a warning). What the templates add\n"
	"stays out; where the published text differs from it, the difference\n"
	"goes into the source (overrides in the front matter, the lead). The\n"
	"source is then built, checked and compared with the published text;\n"
	"what comes back differently is a warning at FILE:LINE.\n\n"
	"A part the source cannot hold (a section the settings lack, text the\n"
	"templates write otherwise, fewer items, a teaser) is an error at its\n"
	"line, and nothing is written for that issue. A folder's *.md files or\n"
	"several files import in one run with one summary line:\n"
	"'imported N (K with errors to fix: FILE (why)), refused M: FILE (why)'.\n",
	options,
	"Exit status: 0 every issue written, nothing left out; 1 a part left out\n"
	"(that issue not written), the file exists, or a source written with\n"
	"errors to fix; 2 usage; 3 a file that cannot be read or written.\n"
};
