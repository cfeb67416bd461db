/* import_titles.c - a published issue that lists its items' titles only
 * (import.h): "① Title" lines under section headings of their own
 * ("**[Articles](https://…)**"), no link per item. Its source says
 * "titles_only: true" and lists each item as "1. Title"; the text around
 * the titles, read paragraph by paragraph as it is there, goes into the
 * issue's teaser settings (intro_md, subscribe_md, heading_url, outro_md,
 * links, after_links_md) and the words of the lines the templates write
 * (strings: shared, summaries, full_text...), which the templates write
 * back in this layout. */
#include <stdlib.h>
#include <string.h>
#include "weekly/import.h"
#include "weekly/strings.h"
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

/* len without the blanks l (len bytes) ends with. */
static size_t trimmed(const char *l, size_t len)
{
	while (len && (l[len - 1] == ' ' || l[len - 1] == '\t'))
		len--;
	return len;
}

/* A section heading of a titles-only issue: "**[NAME](URL)**" or
 * "**NAME**", its name and URL (NULL when none) fresh; 0 if line i is not. */
static int heading(const struct doc *d, size_t i, char **name, char **url)
{
	size_t len;
	const char *l = doc_line(d, i, &len);
	len = trimmed(l, len);
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

/* Whether line i is a link alone: "[name](url)". */
static int link_line(const struct doc *d, size_t i, char **name, char **url)
{
	size_t len;
	const char *l = doc_line(d, i, &len);
	len = trimmed(l, len);
	const char *mid = len > 4 && l[0] == '[' && l[len - 1] == ')' ? link_middle(l, len) : NULL;
	if (!mid || mid >= l + len || memchr(l + 1, ']', (size_t)(mid - l - 1)))
		return 0;
	*name = xstrndup(l + 1, (size_t)(mid - l - 1));
	*url = xstrndup(mid + 2, (size_t)(l + len - 1 - (mid + 2)));
	return 1;
}

/* A paragraph: lines [first, end), none of them blank. */
struct para {
	size_t first, end;
};

/* The paragraphs of lines [first, end) of d into *out (the caller frees
 * it): how many. */
static size_t paras_of(const struct doc *d, size_t first, size_t end, struct para **out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	for (size_t i = next_text(d, first); i < end; i = next_text(d, i)) {
		xgrow((void **)out, &cap, n + 1, sizeof **out);
		(*out)[n].first = i;
		while (i < end && !doc_blank(d, i))
			i++;
		(*out)[n++].end = i;
	}
	return n;
}

/* Paragraphs [a, b) of the n of p as published, the blank lines between
 * them included, and those after them beyond one as line breaks: a
 * string, or NULL when there are none. */
static value *text_of(const struct doc *d, const struct para *p, size_t n, size_t a, size_t b)
{
	if (a >= b)
		return NULL;
	size_t len, at = doc_at(d, p[a].first);
	const char *last = doc_line(d, p[b - 1].end - 1, &len);
	buf t = BUF_INIT;
	buf_put(&t, d->src.text + at, (size_t)(last + len - (d->src.text + at)));
	for (size_t i = p[b - 1].end + 1; b < n && i < p[b].first; i++)
		buf_putc(&t, '\n');
	value *v = value_string(t.data, t.len);
	buf_release(&t);
	return v;
}

/* Whether paragraph p is the one line s, as written (exact) or but for
 * blanks at its end. */
static int para_is(const struct doc *d, struct para p, const char *s, int exact)
{
	size_t len, n = strlen(s);
	const char *l = doc_line(d, p.first, &len);
	if (!exact)
		len = trimmed(l, len), n = trimmed(s, n);
	return n && p.end == p.first + 1 && len == n && memcmp(l, s, n) == 0;
}

/* The issue's word key as its pages print it: fresh, "" for none. */
static char *word(const struct import *im, const char *key)
{
	value *all = strings_resolve(NULL, im->settings);
	value *w = strings_for_issue(NULL, all, im->number, im->date);
	const char *s = value_str(value_getc(w, key));
	char *out = xstrdup(s ? s : "");
	value_free(w);
	value_free(all);
	return out;
}

/* The issue's word key becomes the n bytes at w as published, or with w
 * NULL no word: the templates then leave out the line it starts. */
static void set_word(struct import *im, const char *key, const char *w, size_t n)
{
	const value *own = value_getc(im->settings, "strings");
	value *m = value_type(own) == VALUE_MAP ? value_copy(own) : value_map();
	value_map_setc(m, key, w ? value_string(w, n) : value_null());
	value_map_setc(im->settings, "strings", m);
	import_note_override(im, "strings");
}

/* The same with line p as published (NULL: none). */
static void set_word_line(struct import *im, const char *key, const struct para *p)
{
	size_t len;
	const char *l = p ? doc_line(&im->pub, p->first, &len) : NULL;
	set_word(im, key, l, l ? len : 0);
}

/* The title line's separator before the theme (": ", "："), as published. */
static void title_separator(struct import *im)
{
	const char *theme = im->head.theme;
	size_t len, n = theme ? strlen(theme) : 0, at = 0;
	const char *l = doc_line(&im->pub, next_text(&im->pub, 0), &len);
	if (!n || im->head.front)
		return;
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(l + i, theme, n) == 0)
			at = i;
	size_t s = at;
	while (s && (l[s - 1] == ' ' || l[s - 1] == ':' || (s >= 3 && memcmp(l + s - 3, "：", 3) == 0)))
		s -= l[s - 1] == ' ' || l[s - 1] == ':' ? 1 : 3;
	char *w = word(im, "title_separator");
	if (s < at && (strlen(w) != at - s || memcmp(w, l + s, at - s) != 0))
		set_word(im, "title_separator", l + s, at - s);
	free(w);
}

/* The line that starts with the word key, published as paragraph p (NULL:
 * not published): the word as published when p differs from it only in
 * blanks at its end; none when it is not published. 1 when p is that
 * line. */
static int word_line(struct import *im, const char *key, const struct para *p)
{
	char *w = word(im, key);
	int is = p && para_is(&im->pub, *p, w, 0);
	if (is && !para_is(&im->pub, *p, w, 1))
		set_word_line(im, key, p);
	else if (!is && *w)
		set_word_line(im, key, NULL);
	free(w);
	return is;
}

/* A setting the issue says as text, or leaves out (v NULL): key of the
 * teaser when given, else the newsletter's key nulled for the issue. */
static void set_text(struct import *im, value *teaser, const char *key, value *v)
{
	const char *own = value_str(value_getc(im->settings, key));
	if (v) {
		value_map_setc(teaser, key, v);
	} else if (own && *own) {
		value_map_setc(im->settings, key, value_null());
		import_note_override(im, key);
	}
}

/* A counts line published, to be weighed once the issue can be built
 * (counts_line): its paragraph, and what the issue says about subscribing
 * with it (NULL: none published). */
struct counts {
	struct para p;
	value *with;
};

/* The text before the first section, paragraph by paragraph as it is
 * there: the intro, what the issue says about subscribing, then the
 * counts line and the line over the titles, each when published (the
 * templates write them). */
static void opening(struct import *im, size_t first, size_t end, value *teaser,
		    struct counts *counts)
{
	struct para *p;
	size_t n = paras_of(&im->pub, first, end, &p), s = n;
	if (word_line(im, "summaries", n ? &p[n - 1] : NULL))
		s = n - 1;
	char *shared = word(im, "shared");
	size_t len;
	const char *l = s > 1 ? doc_line(&im->pub, p[s - 1].first, &len) : "";
	if (*shared && s > 1 && len >= strlen(shared) && memcmp(l, shared, strlen(shared)) == 0)
		*counts = (struct counts){ p[s - 1], text_of(&im->pub, p, n, 1, s) }, s--;
	else if (*shared)
		set_word_line(im, "shared", NULL);
	free(shared);
	set_text(im, teaser, "intro_md", text_of(&im->pub, p, n, 0, s ? 1 : 0));
	set_text(im, teaser, "subscribe_md", text_of(&im->pub, p, n, 1, s));
	free(p);
}

/* The line of the teaser that starts with the word shared in md (the
 * issue built): fresh, or NULL. */
static char *counts_built(const struct import *im, const char *md, size_t len)
{
	struct doc rb;
	doc_init(&rb, "(rebuilt)", md, len);
	char *shared = word(im, "shared"), *line = NULL;
	size_t n = strlen(shared);
	for (size_t i = 1; i < rb.src.nlines && !line && n; i++) {
		size_t k;
		const char *l = doc_line(&rb, i, &k);
		if (k >= n && memcmp(l, shared, n) == 0)
			line = xstrndup(l, k);
	}
	free(shared);
	doc_release(&rb);
	return line;
}

/* The published counts line against the one the templates write: the
 * same, or the same but for the end of the sentence (the word
 * sentence_end none for the issue); else the issue says it as published,
 * with what it says about subscribing, and the templates write none. */
static void counts_line(struct import *im, value *teaser, struct counts *c)
{
	buf src = BUF_INIT, md = BUF_INIT;
	diag_list d = DIAG_LIST_INIT; /* the check that follows says it */
	import_source(im, im->number, &src, NULL, NULL);
	char *built = import_rebuild(im, src.data, src.len, &md, NULL, &d) == 0
		? counts_built(im, md.data, md.len) : NULL;
	char *end = word(im, "sentence_end");
	size_t len, n = built ? strlen(built) : 0, e = strlen(end);
	const char *l = doc_line(&im->pub, c->p.first, &len);
	int starts = built && c->p.end == c->p.first + 1 && n >= len && memcmp(built, l, len) == 0;
	if (starts && e && n == len + e && strcmp(built + len, end) == 0)
		set_word_line(im, "sentence_end", NULL);
	else if (!starts || n != len) {
		set_word_line(im, "shared", NULL);
		value_map_setc(teaser, "subscribe_md", c->with);
		c->with = NULL;
	}
	free(end);
	free(built);
	diag_release(&d);
	buf_release(&src);
	buf_release(&md);
}

/* Whether paragraph p is a link alone on its line; its name and URL in
 * *name and *url when name is not NULL. */
static int link_para(const struct doc *d, struct para p, char **name, char **url)
{
	char *nm, *u;
	if (p.end != p.first + 1 || !link_line(d, p.first, &nm, &u))
		return 0;
	if (name)
		*name = nm, *url = u;
	else
		free(nm), free(u);
	return 1;
}

/* Whether paragraph p is one line that ends in a colon. */
static int colon_para(const struct doc *d, struct para p)
{
	size_t len;
	const char *l = doc_line(d, p.first, &len);
	len = trimmed(l, len);
	return p.end == p.first + 1 &&
	       ((len && l[len - 1] == ':') || (len >= 3 && memcmp(l + len - 3, "：", 3) == 0));
}

/* Links alone on their line, from paragraph a of p on, into links; the
 * paragraph after the last. */
static size_t links_of(const struct doc *d, const struct para *p, size_t a, size_t n,
		       value *links)
{
	char *name, *url;
	for (; a < n && link_para(d, p[a], &name, &url); a++) {
		value *m = value_list_push(links, value_map());
		value_map_setc(m, "name", value_cstring(name));
		value_map_setc(m, "url", value_cstring(url));
		free(name), free(url);
	}
	return a;
}

/* The text after the last title, paragraph by paragraph as it is there:
 * the outro, the line over the links (a line ending in a colon: the
 * templates' full_text, in the words published), the links (each alone
 * on its line), what follows them. */
static void closing(struct import *im, size_t first, value *teaser)
{
	const struct doc *d = &im->pub;
	struct para *p;
	size_t n = paras_of(d, first, d->src.nlines, &p), a = 0;
	while (a < n && !link_para(d, p[a], NULL, NULL))
		a++;
	value *links = value_list();
	size_t b = links_of(d, p, a, n, links), o = a;
	if (a && a < n && colon_para(d, p[a - 1])) {
		char *w = word(im, "full_text");
		if (!para_is(d, p[a - 1], w, 1))
			set_word_line(im, "full_text", &p[a - 1]);
		free(w);
		o = a - 1;
	} else if (a < n) {
		word_line(im, "full_text", NULL);
	}
	value *outro = text_of(d, p, n, 0, o), *after = text_of(d, p, n, b, n);
	if (outro) {
		buf t = BUF_INIT; /* the blank lines before it beyond one lead it */
		for (size_t i = first + 1; i < p[0].first; i++)
			buf_putc(&t, '\n');
		buf_put(&t, value_str(outro), value_strlen(outro));
		value_map_setc(teaser, "outro_md", value_string(t.data, t.len));
		buf_release(&t);
		value_free(outro);
	}
	if (value_len(links))
		value_map_setc(teaser, "links", links);
	else
		value_free(links);
	if (after)
		value_map_setc(teaser, "after_links_md", after);
	free(p);
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
		a = trimmed(x, a);
		b = trimmed(y, b);
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
	title_separator(im);
	value *teaser = value_map();
	im->pc.len = 0;
	size_t first = im->head.end, at = first, url_set = 0;
	struct counts counts = { { 0, 0 }, NULL };
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
			opening(im, first, i, teaser, &counts);
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
	if (counts.p.end > counts.p.first && !im->left_out)
		counts_line(im, teaser, &counts);
	value_free(counts.with);
	if (!im->left_out)
		check(im);
	return 0;
}
