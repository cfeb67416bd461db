/* render_context.c - an issue and its newsletter become the context its
 * templates see (render.h): the sections and their items, the settings and
 * strings they share, the summary, and what a feed entry leaves out. */
#include <stdlib.h>
#include <string.h>
#include "weekly/metacache.h"
#include "weekly/render.h"
#include "weekly/stats.h"
#include "weekly/strings.h"
#include "weekly/tags.h"
#include "weekly/util.h"

/* The circled form of n (① to ⑳), or "(n)" beyond; into out. */
static void circled(long n, buf *out)
{
	if (n < 1 || n > 20) { /* a season's items: thousands, so not through printf */
		buf_putc(out, '(');
		buf_put_dec(out, n);
		buf_putc(out, ')');
		return;
	}
	unsigned cp = 0x2460 + (unsigned)n - 1; /* ① is U+2460, ⑳ U+2473 */
	char u[3] = { (char)(0xE0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) & 0x3F)),
		      (char)(0x80 | (cp & 0x3F)) };
	buf_put(out, u, 3);
}

static value *str(struct arena *a, const char *s) { return value_cstring_in(a, s ? s : ""); }

/* The text s (NULL: "") for a context, borrowed when its issue outlives
 * the context (render_context_with), else copied. */
static value *text_of(struct arena *a, const char *s, int borrow)
{
	return borrow ? value_borrow_in(a, s ? s : "", s ? strlen(s) : 0) : str(a, s);
}

/* The blank lines an item or a heading has before it beyond one, as that
 * many line breaks: "" for the usual one. */
static value *gap(struct arena *a, int n)
{
	char *breaks = xmalloc((size_t)n + 1);
	memset(breaks, '\n', (size_t)n);
	value *v = value_string_in(a, breaks, (size_t)n);
	free(breaks);
	return v;
}

static value *domain(struct arena *a, const char *url)
{
	const char *h = strstr(url, "://");
	h = h ? h + 3 : url;
	if (strncmp(h, "www.", 4) == 0)
		h += 4;
	size_t n = strcspn(h, "/?#:");
	return value_string_in(a, h, n);
}

/* Item i of count (render_item_value) with the costly parts in parts, its
 * texts borrowed from it or copied, and the nmore entries at more. */
static value *item_value(struct arena *a, const struct item *it, size_t i, size_t count,
			 const struct render_shared *sh, unsigned parts, int borrow,
			 const struct value_entry *more, size_t nmore)
{
	const value *meta = sh ? sh->meta : NULL;
	int source = (parts & RENDER_SOURCE) != 0;
	struct value_entry e[16 + RENDER_ITEM_MORE]; /* made at once: the keys are distinct */
	size_t k = 0;
	buf c = BUF_INIT;
#define ITEM_KEY(key, v) \
	(e[k++] = (struct value_entry){ (char *)"" key "", sizeof key - 1, (v), VALUE_KEY_STATIC })
	ITEM_KEY("n", value_number_in(a, (double)i + 1));
	if (source) {
		circled((long)i + 1, &c);
		ITEM_KEY("circled", value_string_in(a, c.data, c.len));
		buf_reset(&c);
	}
	ITEM_KEY("first", value_bool_in(a, i == 0));
	ITEM_KEY("last", value_bool_in(a, i + 1 == count));
	ITEM_KEY("title", text_of(a, it->title, borrow));
	ITEM_KEY("url", text_of(a, it->url, borrow));
	ITEM_KEY("note", text_of(a, it->note, borrow));
	if (source) {
		ITEM_KEY("link_md", text_of(a, it->link_md, borrow));
		ITEM_KEY("note_md", text_of(a, it->note_md, borrow));
	}
	size_t shown = tags_shown_len(it->note, sh && sh->tags_in_notes);
	if (shown)
		markdown_html(it->note, shown, &c);
	ITEM_KEY("note_html", c.len ? value_string_in(a, c.data, c.len) : value_borrow_in(a, "", 0));
	if (source)
		ITEM_KEY("description_md", text_of(a, it->description_md, borrow));
	ITEM_KEY("description_html", text_of(a, it->description_html, borrow));
	if (source) {
		ITEM_KEY("domain", domain(a, it->url));
		ITEM_KEY("line", value_number_in(a, it->line));
		ITEM_KEY("gap", gap(a, it->gap));
		ITEM_KEY("marker", text_of(a, it->marker, borrow));
	}
#undef ITEM_KEY
	buf_release(&c);
	for (size_t x = 0; x < nmore && x < RENDER_ITEM_MORE; x++)
		e[k++] = more[x];
	value *m = value_map_of_in(a, e, k, 1);
	const value *known = meta ? metacache_find(meta, it->url) : NULL;
	if (!known)
		return m;
	value_map_lit(m, "meta", value_ref((value *)known));
	const char *copy = value_str(value_getc(known, "archived_copy"));
	if (copy && sh->dead_to_copy && value_str(value_getc(known, "broken_since")))
		value_map_lit(m, "url", value_cstring_in(a, copy)); /* dead_links: archived */
	return m;
}

value *render_item_value(struct arena *a, const struct item *it, size_t i, size_t count,
			 const struct render_shared *sh, unsigned parts,
			 const struct value_entry *more, size_t nmore)
{
	return item_value(a, it, i, count, sh, parts, 0, more, nmore);
}

/* The section's id and title into its map m. */
static value *section_names(value *m, const struct section_conf *c)
{
	struct arena *a = value_arena(m);
	value_map_lit(m, "id", value_cstring_in(a, c->id));
	value_map_lit(m, "title", value_cstring_in(a, c->title));
	return m;
}

/* Whether the section is the first or the last of count shown. */
static value *section_place(value *m, size_t pos, size_t count)
{
	struct arena *a = value_arena(m);
	value_map_lit(m, "first", value_bool_in(a, pos == 0));
	value_map_lit(m, "last", value_bool_in(a, pos + 1 == count));
	return m;
}

/* Section c's settings with their Markdown made HTML, its id and title. */
static value *section_conf(struct arena *a, const struct newsletter *n, size_t c)
{
	value *m = value_copy_in(a, n->sections[c].conf);
	markdown_annotate(m);
	return section_names(m, &n->sections[c]);
}

value *render_section_value(value *m, const struct section_conf *c, size_t pos, size_t count)
{
	return section_place(section_names(m, c), pos, count);
}

/* The section's noun for its count: noun_one for one thing, else noun,
 * which may give the language's plural forms ({one: …, other: …}). */
static value *noun(struct arena *a, const struct newsletter *n, const value *conf, size_t count)
{
	const char *cat = strings_plural(value_str(value_getc(n->settings, "language")), (long)count);
	const value *forms = value_getc(conf, "noun");
	const char *one = value_str(value_getc(conf, "noun_one"));
	const char *w = strcmp(cat, "one") == 0 && one ? one : value_str(forms);
	if (forms && value_type(forms) == VALUE_MAP && !(strcmp(cat, "one") == 0 && one)) {
		w = value_str(value_getc(forms, cat));
		if (!w)
			w = value_str(value_getc(forms, "other"));
	}
	return value_cstring_in(a, w ? w : "");
}

static value *section_context(struct arena *a, const struct newsletter *n,
			      const struct render_shared *sh, const struct section *s,
			      size_t pos, size_t count, unsigned parts)
{
	const struct section_conf *c = &n->sections[s->conf];
	value *m = sh ? value_map_share_in(a, sh->sections[s->conf], 16)
		: section_conf(a, n, (size_t)s->conf);
	section_place(m, pos, count);
	value_map_lit(m, "noun", noun(a, n, c->conf, s->nitems));
	value_map_lit(m, "heading", text_of(a, s->heading, 1));
	if (parts & RENDER_SOURCE)
		value_map_lit(m, "gap", gap(a, s->gap));
	value_map_lit(m, "count", value_number_in(a, (double)s->nitems));
	value_map_lit(m, "single", value_bool_in(a, s->nitems == 1));
	value_map_lit(m, "has_items", value_bool_in(a, s->nitems > 0));
	if (parts & RENDER_SOURCE)
		value_map_lit(m, "lead_md", text_of(a, s->lead_md, 1));
	value_map_lit(m, "lead_html", text_of(a, s->lead_html, 1));
	value *items = value_map_lit(m, "items", value_list_in(a));
	value_reserve(items, s->nitems);
	for (size_t i = 0; i < s->nitems; i++)
		value_list_push(items, item_value(a, &s->items[i], i, s->nitems, sh, parts, 1, NULL, 0));
	return m;
}

/* Where the sections go in the context, and what they add up to. */
struct section_walk {
	value *list, *byid, *counts;
	size_t pos, count, total;
	struct stats all;
};

/* One section of the issue, is->sections[i], added to the context. */
static void section_add(struct arena *a, const struct newsletter *n,
			const struct render_shared *sh, const struct issue *is, size_t i,
			unsigned parts, struct section_walk *w)
{
	const struct section *s = &is->sections[i];
	const char *id = n->sections[s->conf].id;
	value *sc = value_list_push(w->list, section_context(a, n, sh, s, w->pos++, w->count, parts));
	if (parts & RENDER_STATS) {
		struct stats st;
		stats_section(is, i, &st);
		stats_add(&w->all, &st);
		value_map_lit(sc, "stats", stats_value(a, &st));
	}
	value_map_setc(w->byid, id, value_ref(sc));
	value_map_setc(w->counts, id, value_number_in(a, (double)s->nitems));
	w->total += s->nitems;
}

/* Sections in configured order (a section given twice once per heading, in
 * source order among equals), or in the source's order when the issue says
 * "sections_as_written: true"; counts has every configured id, 0 for a
 * section the issue lacks. */
static void sections_context(struct arena *a, const struct newsletter *n,
			     const struct render_shared *sh,
			     const struct issue *is, value *ctx, unsigned parts)
{
	struct section_walk w = { 0 };
	stats_lead(is, &w.all);
	for (size_t i = 0; i < is->nsections; i++)
		w.count += is->sections[i].conf >= 0;
	w.list = value_map_lit(ctx, "sections", value_list_in(a));
	w.byid = value_map_lit(ctx, "section", value_map_in(a));
	w.counts = value_map_lit(ctx, "counts", value_map_in(a));
	for (size_t c = 0; c < n->nsections; c++)
		value_map_setc(w.counts, n->sections[c].id, value_number_in(a, 0));
	for (size_t c = 0; c < (is->as_written ? 1 : n->nsections); c++)
		for (size_t i = 0; i < is->nsections; i++)
			if (is->sections[i].conf >= 0 &&
			    (is->as_written || is->sections[i].conf == (long)c))
				section_add(a, n, sh, is, i, parts, &w);
	value_map_lit(w.counts, "total", value_number_in(a, (double)w.total));
	const value *nl = value_getc(ctx, "newsletter");
	char *links = strings_count(value_getc(nl, "strings"), "links",
				    value_str(value_getc(nl, "language")), (long)w.total);
	value_map_lit(w.counts, "links", value_cstring_in(a, links ? links : ""));
	free(links);
	if (parts & RENDER_STATS)
		value_map_lit(ctx, "stats", stats_value(a, &w.all));
}

/* Every map in a list learns whether it is the list's first or last. */
static void mark_ends(value *v)
{
	if (value_type(v) == VALUE_MAP) {
		for (size_t i = 0; i < value_len(v); i++)
			mark_ends(value_entry_at(v, i)->val);
		return;
	}
	if (value_type(v) != VALUE_LIST)
		return;
	for (size_t i = 0; i < value_len(v); i++) {
		value *e = value_item(v, i);
		mark_ends(e);
		if (value_type(e) != VALUE_MAP)
			continue;
		if (!value_getc(e, "first"))
			value_map_lit(e, "first", value_bool_in(value_arena(e), i == 0));
		if (!value_getc(e, "last"))
			value_map_lit(e, "last",
				      value_bool_in(value_arena(e), i + 1 == value_len(v)));
	}
}

#define MAX_ERAS 16

/* Replace m's keys by those of map over, but for the keys skip names. */
static void override(value *m, const value *over, const char *const *skip)
{
	for (size_t i = 0; i < value_len(over); i++) {
		const struct value_entry *e = value_entry_at(over, i);
		int skipped = 0;
		for (const char *const *k = skip; *k; k++)
			skipped |= strcmp(e->key, *k) == 0;
		if (!skipped)
			value_map_set(m, e->key, e->keylen, value_copy_in(value_arena(m), e->val));
	}
}

static value *settings_in(struct arena *a, const struct newsletter *n, long number)
{
	static const char *const bounds[] = { "from", "until", NULL };
	const value *eras[MAX_ERAS];
	long count = newsletter_eras(n, number, eras, MAX_ERAS);
	value *m = value_copy_in(a, n->settings);
	for (long i = 0; i < count; i++)
		override(m, eras[i], bounds);
	return m;
}

value *render_settings(const struct newsletter *n, long number)
{
	return settings_in(NULL, n, number);
}

/* The settings, with the issue's era and front matter overriding them,
 * and the words of their language (strings). */
static value *newsletter_context(struct arena *a, const struct newsletter *n,
				 const struct issue *is)
{
	value *m = settings_in(a, n, is->number);
	override(m, is->front, issue_keys);
	value_map_lit(m, "strings", strings_resolve(a, m));
	mark_ends(m);
	markdown_annotate(m);
	return m;
}

/* Up to max bytes of s, cut after a whole word (or character) and marked
 * with an ellipsis when it was longer. */
static void put_cut(buf *out, const char *s, size_t n, size_t max)
{
	if (n <= max) {
		buf_put(out, s, n);
		return;
	}
	size_t cut = util_utf8_cut(s, max), word = cut;
	while (word > max / 2 && s[word] != ' ')
		word--;
	buf_put(out, s, s[word] == ' ' ? word : cut);
	buf_puts(out, "…");
}

/* What the issue is about, in a sentence or two of plain text (a page's
 * description, a feed entry's summary): its front matter's description,
 * else its lead, else its first items' titles. */
static char *issue_summary(const struct issue *is)
{
	const char *given = value_str(value_getc(is->front, "description"));
	buf text = BUF_INIT, out = BUF_INIT;
	if (given)
		buf_puts(&text, given);
	else if (is->lead_md)
		markdown_text(is->lead_md, strlen(is->lead_md), &text);
	if (!text.len) {
		char *titles = issue_first_titles(is, RENDER_SUMMARY_ITEMS);
		buf_puts(&text, titles);
		free(titles);
	}
	/* one line: runs of white space and the marks of headings made one space */
	buf flat = BUF_INIT;
	for (size_t i = 0; i < text.len; i++) {
		char c = text.data[i];
		int space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
		if (space && (!flat.len || flat.data[flat.len - 1] == ' '))
			continue;
		buf_putc(&flat, space ? ' ' : c);
	}
	while (flat.len && flat.data[flat.len - 1] == ' ')
		flat.len--;
	put_cut(&out, flat.data, flat.len, RENDER_SUMMARY_BYTES);
	buf_release(&text);
	buf_release(&flat);
	return buf_take(&out);
}

static value *issue_context(struct arena *a, const struct issue *is, const value *strings,
			    unsigned parts)
{
	value *m = is->front ? value_copy_in(a, is->front) : value_map_in(a);
	char *date = strings_date(strings, is->date);
	markdown_annotate(m);
	value_map_lit(m, "number", value_number_in(a, (double)is->number));
	value_map_lit(m, "date", text_of(a, is->date, 1));
	value_map_lit(m, "date_text", value_cstring_in(a, date));
	free(date);
	if (!value_getc(m, "title"))
		value_map_lit(m, "title", value_null_in(a));
	if (parts & RENDER_SOURCE)
		value_map_lit(m, "lead_md", text_of(a, is->lead_md, 1));
	value_map_lit(m, "lead_html", text_of(a, is->lead_html, 1));
	char *summary = issue_summary(is);
	value_map_lit(m, "summary", value_cstring_in(a, summary));
	free(summary);
	return m;
}

void render_shared_init(struct render_shared *sh, const struct newsletter *n)
{
	struct issue none = { .front = NULL };
	sh->newsletter = newsletter_context(NULL, n, &none);
	sh->nsections = n->nsections;
	sh->sections = xcalloc(n->nsections, sizeof *sh->sections);
	for (size_t c = 0; c < n->nsections; c++)
		sh->sections[c] = section_conf(NULL, n, c);
	diag_list d = DIAG_LIST_INIT; /* `weekly check --links` reports a damaged file */
	sh->meta = metacache_load(n->root, &d);
	const char *dead = value_str(value_getc(n->settings, "dead_links"));
	sh->dead_to_copy = dead && strcmp(dead, "archived") == 0;
	sh->tags_in_notes = value_getc(sh->newsletter, "topics") != NULL;
	diag_release(&d);
}

void render_shared_release(struct render_shared *sh)
{
	value_free(sh->newsletter);
	for (size_t c = 0; c < sh->nsections; c++)
		value_free(sh->sections[c]);
	free(sh->sections);
	value_free(sh->meta);
}

static int overrides(const struct newsletter *n, const struct issue *is)
{
	const value *era;
	if (newsletter_eras(n, is->number, &era, 1))
		return 1;
	for (size_t i = 0; i < value_len(is->front); i++) {
		const struct value_entry *e = value_entry_at(is->front, i);
		if (!util_in_names(issue_keys, e->key, e->keylen))
			return 1;
	}
	return 0;
}

value *render_context_with(const struct newsletter *n, const struct issue *is,
			   const struct render_shared *sh, unsigned parts, struct arena *a)
{
	value *ctx = value_map_in(a);
	value *nl = value_map_lit(ctx, "newsletter", sh && !overrides(n, is)
				  ? value_ref(sh->newsletter) : newsletter_context(a, n, is));
	const value *strings = value_getc(nl, "strings");
	value_map_lit(ctx, "issue", issue_context(a, is, strings, parts));
	value_map_lit(ctx, "strings", strings_for_issue(a, strings, is->number, is->date));
	sections_context(a, n, sh, is, ctx, parts);
	return ctx;
}

value *render_context(const struct newsletter *n, const struct issue *is)
{
	return render_context_with(n, is, NULL, RENDER_ALL, NULL);
}

/* --- the feed ---------------------------------------------------------- */

void render_feed_prune(value *v)
{
	for (size_t i = 0; value_type(v) == VALUE_LIST && i < value_len(v); i++)
		render_feed_prune(value_item(v, i));
	for (size_t i = 0; value_type(v) == VALUE_MAP && i < value_len(v); i++) {
		const struct value_entry *e = value_entry_at(v, i);
		if (util_ends_with(e->key, e->keylen, "_md") || strcmp(e->key, "section") == 0)
			value_map_set(v, e->key, e->keylen, value_null_in(value_arena(v)));
		else if (strcmp(e->key, "newsletter") != 0)
			render_feed_prune(e->val);
	}
}
