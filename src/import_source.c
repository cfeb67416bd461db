/* import_source.c - the source an import writes (import.h): front matter
 * with the issue's overrides, the lead and the sections kept as published
 * ("1、" items as "1. " where the settings write them so); rendered as the
 * templates would, checked as `weekly check` would, and compared with the
 * published text. */
#include <stdlib.h>
#include <string.h>
#include "weekly/import.h"
#include "weekly/issue.h"
#include "weekly/itemline.h"
#include "weekly/util.h"
#include "weekly/validate.h"

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

int import_kept_section(const struct import *im, long k)
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
		if (!im->n->sections[k].required || import_kept_section(im, (long)k))
			continue;
		buf_puts(b, any++ ? ", " : "without: [");
		put_yaml_string(b, im->n->sections[k].id, strlen(im->n->sections[k].id));
	}
	if (any)
		buf_puts(b, "]\n");
}

/* Whether the published text puts a configured section before one the
 * settings list earlier (the Chinese archive's 26 to 33 put their sponsor
 * first): the source then keeps that order with "sections_as_written". */
static int own_order(const struct import *im)
{
	long latest = -1;
	for (size_t i = 0; im->conf && i < im->pc.len; i++) {
		if (im->conf[i] < 0)
			continue;
		if (im->conf[i] < latest)
			return 1;
		latest = im->conf[i];
	}
	return 0;
}

static void front_matter(const struct import *im, long number, buf *b)
{
	buf_printf(b, "---\nnumber: %ld\ndate: %s\n", number, im->date);
	if (im->head.theme) {
		buf_puts(b, "title: ");
		put_yaml_string(b, im->head.theme, strlen(im->head.theme));
		buf_putc(b, '\n');
	}
	if (im->titles_only)
		buf_puts(b, "titles_only: true\n");
	if (own_order(im))
		buf_puts(b, "sections_as_written: true\n");
	without(im, b);
	for (size_t i = 0; i < im->nov; i++) {
		const value *v = value_getc(im->settings, im->ov[i]);
		buf_printf(b, "%s: ", im->ov[i]);
		if (v && value_type(v) == VALUE_STRING)
			put_yaml_string(b, value_str(v), value_strlen(v));
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

/* A published line as the source writes it: an item's "1、" as the
 * settings' item_marker writes it becomes "1. ", which every parser
 * reads; written otherwise ("4、 [" where the settings write "4、["), it
 * stays, for the templates to write back. In a section (item set), a
 * numbered line without its link becomes an item without an address. */
static void put_line(const char *l, size_t len, int item, const char *marker, buf *b)
{
	struct item_line il;
	if (item && put_text_item(l, len, b))
		return;
	if (item_line_read(l, len, &il) && il.comma && !il.indent && !il.emphasis &&
	    il.text < len && l[il.text] == '[' &&
	    (!marker || (strlen(marker) == il.text - (il.mark - 3) &&
			 memcmp(marker, l + il.mark - 3, strlen(marker)) == 0))) {
		buf_printf(b, "%ld. ", il.number);
		l += il.text, len -= il.text;
	}
	buf_put(b, l, len);
	buf_putc(b, '\n');
}

/* A published "① Title" as the source of an issue of titles only writes
 * it: "1. Title", the title's Markdown characters escaped so that it reads
 * back as the same text. */
static void put_title_item(const char *l, size_t len, buf *b)
{
	buf_printf(b, "%d. ", import_circled(l, len));
	size_t i = 3;
	while (i < len && (l[i] == ' ' || l[i] == '\t'))
		i++;
	while (len > i && (l[len - 1] == ' ' || l[len - 1] == '\t'))
		len--;
	for (; i < len; i++) {
		if (strchr("\\`*_[]<>&!#|~", l[i]))
			buf_putc(b, '\\');
		buf_putc(b, l[i]);
	}
	buf_putc(b, '\n');
}

/* Copy published lines [first, end) (a section's when sec is set) without
 * trailing blank lines, then a blank line, noting where they went; title
 * replaces the first line's heading when set. A section's heading keeps
 * the blank lines it was published after (its gap). */
static void copy_lines(const struct import *im, size_t first, size_t end, int sec,
		       const char *title, buf *b, struct seg *segs, size_t *nsegs)
{
	int code = 0;
	const char *marker = value_str(value_getc(im->settings, "item_marker"));
	while (end > first && doc_blank(&im->pub, end - 1))
		end--;
	if (end == first)
		return;
	for (size_t k = first; sec && k > 1 && doc_blank(&im->pub, k - 1) && doc_blank(&im->pub, k - 2); k--)
		buf_putc(b, '\n');
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
		else if (im->titles_only && import_circled(l, len))
			put_title_item(l, len, b);
		else
			put_line(l, len, sec && i > first && doc_blank(&im->pub, i - 1), marker, b);
	}
	buf_putc(b, '\n');
}

void import_source(const struct import *im, long number, buf *b, struct seg *segs,
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

int import_rebuild(struct import *im, const char *src, size_t len, buf *out, size_t *items,
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

int import_probe(struct import *im, struct doc *out, diag_list *d)
{
	buf src = BUF_INIT, md = BUF_INIT;
	diag_list said = DIAG_LIST_INIT;
	front_matter(im, im->number, &src);
	for (size_t i = 0; i < im->n->nsections; i++)
		buf_printf(&src, "\n## %s\n", im->n->sections[i].title);
	int rc = import_rebuild(im, src.data, src.len, &md, NULL, &said);
	if (d)
		diag_move(d, &said);
	doc_init(out, "(probe)", md.data, md.len);
	diag_release(&said);
	buf_release(&src);
	buf_release(&md);
	return rc;
}

/* --- checking the result ------------------------------------------------ */

/* Report the first line of published chunk c that the rebuilt chunk r
 * (NULL: none) does not give back. */
static void compare_chunk(struct import *im, const struct chunk *pc, const struct doc *rb,
			  const struct chunk *pr)
{
	struct chunk tc = import_trimmed(&im->pub, *pc), tr = pr ? import_trimmed(rb, *pr) : tc;
	const struct chunk *c = &tc, *r = pr ? &tr : NULL;
	for (size_t k = 0; c->first + k < c->end; k++) {
		size_t a, b = 0;
		const char *x = doc_line(&im->pub, c->first + k, &a);
		const char *y = r && r->first + k < r->end ? doc_line(rb, r->first + k, &b) : NULL;
		if (import_reported(im, c->first + k, c->first + k + 1))
			continue;
		if (!y || a != b || memcmp(x, y, a) != 0) {
			if (import_reported(im, c->first, c->end))
				return; /* follows from what was said */
			import_say(im, DIAG_WARNING, c->first + k, "the imported issue does not give this "
			    "line back");
			return;
		}
	}
	if (r && r->end - r->first > c->end - c->first && !import_reported(im, c->first, c->end))
		import_say(im, DIAG_WARNING, c->end - 1, "the imported issue adds lines after this one");
}

/* The rebuilt chunk matching published chunk i (the intro, or the first
 * unused one with the same heading name), marked used; NULL if none. */
static const struct chunk *rebuilt_chunk(const struct import *im, const struct doc *rb,
					 const struct chunks *rc, int *used, size_t i)
{
	const struct chunk *c = &im->pc.at[i];
	char *want = i ? import_heading_name(&im->pub, c) : NULL;
	const struct chunk *found = NULL;
	for (size_t j = 0; j < rc->len && !found; j++) {
		char *name = j ? import_heading_name(rb, &rc->at[j]) : NULL;
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

/* A published chunk the rebuilt issue writes further down than the one
 * published after it (a closing section the templates write after the
 * sections, published before one of them; configured sections keep the
 * published order, see own_order): said at its heading. at[i] is where
 * published chunk i was rebuilt, or NULL. */
static void moved(struct import *im, const struct chunk *const *at)
{
	for (size_t i = 1, next; i < im->pc.len; i++) {
		for (next = i + 1; next < im->pc.len && !at[next]; next++)
			;
		if (at[i] && next < im->pc.len && at[i]->first > at[next]->first)
			import_say(im, DIAG_WARNING, im->pc.at[i].first, "the imported issue writes this "
			    "section further down, where its templates put it");
	}
}

static void compare(struct import *im, const struct doc *rb)
{
	struct chunks rc = { 0 };
	import_chunks(rb, NULL, &rc);
	int *used = xcalloc(rc.len, sizeof(int));
	const struct chunk **at = xcalloc(im->pc.len, sizeof(*at));
	for (size_t i = 0; i < im->pc.len; i++) {
		at[i] = rebuilt_chunk(im, rb, &rc, used, i);
		compare_chunk(im, &im->pc.at[i], rb, at[i]);
	}
	moved(im, at);
	free(at);
	for (size_t j = 1; j < rc.len; j++)
		if (!used[j]) {
			size_t len;
			const char *h = doc_line(rb, rc.at[j].first, &len);
			import_say(im, DIAG_WARNING, im->pub.src.nlines ? im->pub.src.nlines - 1 : 0,
			    "the imported issue adds '%.*s', which is not here", (int)len, h);
		}
	free(used);
	free(rc.at);
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
				import_say(im, DIAG_WARNING, i, "item %ld has no link; the source writes it "
				    "%ld. [%.*s](), an item without an address", il.number, il.number,
				    (int)title, l + il.text);
				under_text = 1;
				continue;
			}
			if (!import_item_like(&im->pub, i) || (under_text && (l[0] < '0' || l[0] > '9')))
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

void import_check(struct import *im)
{
	buf src = BUF_INIT, md = BUF_INIT;
	struct seg *segs = xcalloc(im->nkeep + 1, sizeof(struct seg));
	size_t nsegs, items = 0, want = published_items(im);
	diag_list d = DIAG_LIST_INIT;
	import_source(im, im->number, &src, segs, &nsegs);
	if (import_rebuild(im, src.data, src.len, &md, &items, &d) == 0) {
		struct doc rb;
		doc_init(&rb, "(rebuilt)", md.data, md.len);
		compare(im, &rb);
		doc_release(&rb);
	}
	if (items < want) {
		char *what = xasprintf("the published sections show %zu items, the source has %zu",
				       want, items);
		import_left_out(im, im->nkeep ? im->keep[0].c.first : 0, what);
		free(what);
	}
	map_lines(im, &d, segs, nsegs);
	diag_release(&d);
	free(segs);
	buf_release(&src);
	buf_release(&md);
}

