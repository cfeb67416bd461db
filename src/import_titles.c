/* import_titles.c - a published issue that lists its items' titles only
 * (import.h): "① Title" lines under section headings of their own
 * ("**[Articles](https://…)**"), no link per item. Its source says
 * "titles_only: true" and lists each item as "1. Title"; the text around
 * the titles goes into the teaser settings (intro_md,
 * subscribe_md, heading_url, outro_md, links), which the templates write
 * back in this layout. */
#include <stdlib.h>
#include <string.h>
#include "weekly/import.h"
#include "weekly/util.h"

int import_titles_shape(const struct doc *d)
{
	for (size_t i = 0; i < d->src.nlines; i++) {
		size_t len;
		const char *l = doc_line(d, i, &len);
		if (import_circled(l, len))
			return 1;
	}
	return 0;
}

/* Where "](" first stands in s (n bytes), or NULL. */
static const char *link_middle(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == ']' && s[i + 1] == '(')
			return s + i;
	return NULL;
}

/* A section heading of a titles-only issue: "**[NAME](URL)**" or
 * "**NAME**", its name and URL (NULL when none) fresh; 0 if line i is not. */
static int heading(const struct doc *d, size_t i, char **name, char **url)
{
	size_t len;
	const char *l = doc_line(d, i, &len);
	while (len && (l[len - 1] == ' ' || l[len - 1] == '\t'))
		len--;
	if (len < 5 || memcmp(l, "**", 2) != 0 || memcmp(l + len - 2, "**", 2) != 0)
		return 0;
	const char *t = l + 2;
	size_t n = len - 4;
	const char *mid = n > 2 && t[0] == '[' && t[n - 1] == ')' ? link_middle(t, n) : NULL;
	if (mid && mid < t + n) {
		*name = xstrndup(t + 1, (size_t)(mid - t - 1));
		*url = xstrndup(mid + 2, (size_t)(t + n - 1 - (mid + 2)));
	} else {
		*name = xstrndup(t, n);
		*url = NULL;
	}
	return 1;
}

/* The next non-blank line from i, or the end. */
static size_t next_text(const struct doc *d, size_t i)
{
	while (i < d->src.nlines && doc_blank(d, i))
		i++;
	return i;
}

/* Lines [first, end) as paragraphs: each run of non-blank lines is one;
 * appended to out, parted by a blank line. */
static void paragraphs(const struct doc *d, size_t first, size_t end, buf *out)
{
	for (size_t i = first; i < end; i++) {
		size_t len;
		const char *l = doc_line(d, i, &len);
		if (doc_blank(d, i))
			continue;
		if (out->len)
			buf_puts(out, i && !doc_blank(d, i - 1) && i > first ? "\n" : "\n\n");
		buf_put(out, l, len);
	}
}

/* Whether line i is a link alone: "[name](url)". */
static int link_line(const struct doc *d, size_t i, char **name, char **url)
{
	size_t len;
	const char *l = doc_line(d, i, &len);
	while (len && (l[len - 1] == ' ' || l[len - 1] == '\t'))
		len--;
	const char *mid = len > 4 && l[0] == '[' && l[len - 1] == ')' ? link_middle(l, len) : NULL;
	if (!mid || mid >= l + len || memchr(l + 1, ']', (size_t)(mid - l - 1)))
		return 0;
	*name = xstrndup(l + 1, (size_t)(mid - l - 1));
	*url = xstrndup(mid + 2, (size_t)(l + len - 1 - (mid + 2)));
	return 1;
}

static void set_text(value *teaser, const char *key, const buf *b)
{
	if (b->len)
		value_map_setc(teaser, key, value_string(b->data, b->len));
}

/* The text before the first section: the intro, then what the issue says
 * about subscribing; the last two paragraphs (the counts and the line
 * over the titles) the templates write. */
static void opening(const struct import *im, size_t first, size_t end, value *teaser)
{
	size_t at[64], n = 0;
	for (size_t i = next_text(&im->pub, first); i < end && n < 64; i = next_text(&im->pub, i)) {
		at[n++] = i;
		while (i < end && !doc_blank(&im->pub, i))
			i++;
	}
	buf intro = BUF_INIT, subscribe = BUF_INIT;
	if (n > 2) {
		paragraphs(&im->pub, at[0], at[1], &intro);
		paragraphs(&im->pub, at[1], at[n - 2], &subscribe);
	}
	set_text(teaser, "intro_md", &intro);
	set_text(teaser, "subscribe_md", &subscribe);
	buf_release(&intro);
	buf_release(&subscribe);
}

/* The text after the last title: links alone on their line are the
 * teaser's links; the paragraph over them ending in a colon the templates
 * write; the rest is its outro. */
static void closing(const struct import *im, size_t first, value *teaser)
{
	const struct doc *d = &im->pub;
	value *links = value_list();
	buf outro = BUF_INIT;
	size_t firstlink = d->src.nlines;
	for (size_t i = first; i < d->src.nlines; i++) {
		char *name, *url;
		if (doc_blank(d, i) || !link_line(d, i, &name, &url))
			continue;
		value *m = value_map();
		value_map_setc(m, "name", value_cstring(name));
		value_map_setc(m, "url", value_cstring(url));
		value_list_push(links, m);
		free(name), free(url);
		if (firstlink == d->src.nlines)
			firstlink = i;
	}
	size_t caption = firstlink;
	while (caption > first && doc_blank(d, caption - 1))
		caption--;
	size_t len;
	const char *l = caption > first ? doc_line(d, caption - 1, &len) : "";
	while (caption > first && len && (l[len - 1] == ' ' || l[len - 1] == '\t'))
		len--;
	int colon = caption > first && ((len && l[len - 1] == ':') ||
					(len >= 3 && memcmp(l + len - 3, "：", 3) == 0));
	for (size_t i = first; i < d->src.nlines; i++) {
		char *name, *url;
		if (doc_blank(d, i) || (colon && i == caption - 1))
			continue;
		if (link_line(d, i, &name, &url)) {
			free(name), free(url);
			continue;
		}
		paragraphs(d, i, i + 1, &outro);
	}
	set_text(teaser, "outro_md", &outro);
	if (value_len(links))
		value_map_setc(teaser, "links", links);
	else
		value_free(links);
	buf_release(&outro);
}

/* A section: its heading kept under the configured title that answers to
 * its name (or the closest one, with a warning), its titles up to the
 * last one. Returns the line after its last title. */
static size_t section(struct import *im, size_t h, const char *name)
{
	size_t end = h + 1, i = next_text(&im->pub, h + 1);
	for (; i < im->pub.src.nlines; i = next_text(&im->pub, i + 1)) {
		size_t len;
		const char *l = doc_line(&im->pub, i, &len);
		if (!import_circled(l, len))
			break;
		end = i + 1;
	}
	long conf = newsletter_section(im->n, name, strlen(name));
	if (conf < 0) {
		const char *near = newsletter_section_near(im->n, name);
		conf = near ? newsletter_section(im->n, near, strlen(near)) : -1;
		if (conf >= 0)
			import_say(im, DIAG_WARNING, h, "section '%s' is not in the settings; imported "
			    "as '%s', the closest configured section", name, im->n->sections[conf].title);
	}
	xgrow((void **)&im->pc.at, &im->pc.cap, im->pc.len + 1, sizeof(struct chunk));
	im->pc.at[im->pc.len] = (struct chunk){ h, end, 2 };
	im->conf = xrealloc(im->conf, (im->pc.len + 1) * sizeof(long));
	im->conf[im->pc.len++] = conf;
	xgrow((void **)&im->keep, &im->keepcap, im->nkeep + 1, sizeof(struct kept));
	im->keep[im->nkeep++] = (struct kept){ { h, end, 2 }, conf >= 0
		? im->n->sections[conf].title : NULL };
	if (conf < 0) {
		char *what = xasprintf("section '%s' is not in the settings and no configured section "
				       "is close (add it to the sections of %s)", name,
				       im->n->settings_path);
		import_left_out(im, h, what);
		free(what);
	}
	return end;
}

/* The published titles, counted. */
static size_t titles(const struct doc *d)
{
	size_t n = 0;
	for (size_t i = 0; i < d->src.nlines; i++) {
		size_t len;
		const char *l = doc_line(d, i, &len);
		n += import_circled(l, len) != 0;
	}
	return n;
}

/* The rebuilt issue against the published one, line by line (blank lines
 * and trailing blanks aside: the layout the templates choose). */
static void compare(struct import *im, const char *md, size_t mdlen)
{
	struct doc rb;
	doc_init(&rb, "(rebuilt)", md, mdlen);
	size_t i = next_text(&im->pub, im->head.end), j = next_text(&rb, next_text(&rb, 0) + 1);
	for (; i < im->pub.src.nlines; i = next_text(&im->pub, i + 1), j = next_text(&rb, j + 1)) {
		size_t a, b = 0;
		const char *x = doc_line(&im->pub, i, &a);
		const char *y = j < rb.src.nlines ? doc_line(&rb, j, &b) : "";
		while (a && (x[a - 1] == ' ' || x[a - 1] == '\t'))
			a--;
		while (b && (y[b - 1] == ' ' || y[b - 1] == '\t'))
			b--;
		if (j >= rb.src.nlines || a != b || memcmp(x, y, a) != 0) {
			import_say(im, DIAG_WARNING, i, "the imported issue does not give this line back");
			break;
		}
	}
	doc_release(&rb);
}

/* Rebuild the source: every published title must be an item of it. */
static void check(struct import *im)
{
	buf src = BUF_INIT, md = BUF_INIT;
	diag_list d = DIAG_LIST_INIT;
	size_t items = 0, want = titles(&im->pub);
	import_source(im, im->number, &src, NULL, NULL);
	if (import_rebuild(im, src.data, src.len, &md, &items, &d) == 0)
		compare(im, md.data, md.len);
	diag_move(&im->d, &d);
	if (items < want) {
		char *what = xasprintf("titles published: %zu, items in the source: %zu (a title "
				       "under no section heading?)", want, items);
		import_left_out(im, im->nkeep ? im->keep[0].c.first : 0, what);
		free(what);
	}
	diag_release(&d);
	buf_release(&src);
	buf_release(&md);
}

int import_place_titles(struct import *im)
{
	im->titles_only = 1;
	im->settings = render_settings(im->n, im->number);
	value *teaser = value_map();
	im->pc.len = 0;
	size_t first = im->head.end, at = first, url_set = 0;
	free(im->conf);
	im->conf = NULL;
	xgrow((void **)&im->pc.at, &im->pc.cap, 1, sizeof(struct chunk));
	im->pc.at[0] = (struct chunk){ 0, 0, 0 };
	im->conf = xcalloc(1, sizeof(long));
	im->conf[0] = -1;
	im->pc.len = 1;
	for (size_t i = first; i < im->pub.src.nlines; i++) {
		char *name, *url;
		size_t len, next = next_text(&im->pub, i + 1);
		const char *l = next < im->pub.src.nlines ? doc_line(&im->pub, next, &len) : "";
		if (next >= im->pub.src.nlines || !import_circled(l, next < im->pub.src.nlines ? len : 0) ||
		    !heading(&im->pub, i, &name, &url))
			continue;
		if (im->pc.len == 1) {
			im->pc.at[0].end = i;
			opening(im, first, i, teaser);
		}
		if (url && !url_set++)
			value_map_setc(teaser, "heading_url", value_cstring(url));
		at = i = section(im, i, name) - 1;
		at++;
		free(name), free(url);
	}
	closing(im, at, teaser);
	value_map_setc(im->settings, "teaser", teaser);
	import_note_override(im, "teaser");
	if (!im->left_out)
		check(im);
	return 0;
}
