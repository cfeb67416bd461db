/* archive_view.c - what the archive shows: issues as link targets, the
 * contexts of the archive page (built in an arena) and of the feed, and
 * the ledgers of `weekly links` and `weekly where`. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/arena.h"
#include "weekly/archive.h"
#include "weekly/digest.h"
#include "weekly/strings.h"
#include "weekly/buf.h"
#include "weekly/fsutil.h"
#include "weekly/markdown.h"
#include "weekly/render.h"
#include "weekly/util.h"

char *archive_output_name(const struct archive *a, size_t i, const struct format *f)
{
	const struct archive_issue *is = &a->issues[i];
	return xasprintf("%.*s%s", (int)is->stemlen, is->name, f->ext);
}

/* --- contexts --------------------------------------------------------------- */

value *archive_link_value(const struct archive *a, long i, struct arena *in)
{
	if (i < 0)
		return NULL;
	const struct archive_issue *is = &a->issues[i];
	value *m = value_map_in(in);
	char *page = archive_output_name(a, (size_t)i, render_format("html"));
	value_map_lit(m, "number", value_number_in(in, (double)is->number));
	value_map_lit(m, "stem", value_string_in(in, is->name, is->stemlen));
	value_map_lit(m, "page", value_cstring_in(in, page));
	value_map_lit(m, "date", value_cstring_in(in, is->date));
	value_map_lit(m, "title", is->title ? value_cstring_in(in, is->title) : value_null_in(in));
	free(page);
	return m;
}

value *archive_lookback(const struct archive *a, size_t i, struct arena *in)
{
	value *list = value_list_in(in), *last = NULL;
	for (size_t k = 0; k < a->nlookback; k++) {
		value *m = archive_link_value(a, archive_find(a, a->issues[i].number - a->lookback[k]), in);
		if (!m)
			continue;
		value_map_lit(m, "ago", value_number_in(in, (double)a->lookback[k]));
		value_map_lit(m, "first", value_bool_in(in, !last));
		value_map_lit(m, "last", value_bool_in(in, 0));
		value_list_push(list, last = m);
	}
	if (last)
		value_map_lit(last, "last", value_bool_in(in, 1));
	return list;
}

char *archive_base_url(const value *newsletter)
{
	const char *u = value_str(value_getc(newsletter, "archive_url"));
	if (!u)
		u = value_str(value_getc(newsletter, "url"));
	if (!u || !*u)
		return xstrdup("");
	size_t n = strlen(u);
	return xasprintf("%s%s", u, u[n - 1] == '/' ? "" : "/");
}

static value *base_url(const value *newsletter)
{
	char *s = archive_base_url(newsletter);
	value *v = value_cstring(s);
	free(s);
	return v;
}

/* {count, url, updated} of the listed issues; the caller frees it. */
static value *archive_summary(const struct archive *a, const value *newsletter)
{
	size_t n, *newest = archive_newest(a, 0, &n);
	value *m = value_map();
	char *issues = strings_count(value_getc(newsletter, "strings"), "issues",
				     value_str(value_getc(newsletter, "language")), (long)n);
	value_map_lit(m, "count", value_number((double)n));
	value_map_lit(m, "issues", value_cstring(issues ? issues : ""));
	free(issues);
	value_map_lit(m, "url", base_url(newsletter));
	value_map_lit(m, "updated", value_cstring(n ? a->issues[newest[0]].date : ""));
	free(newest);
	return m;
}

/* --- the archive page, in an arena -------------------------------------- */

/* The values of an index come from an arena, never given to value_free: a
 * map of five keys on the heap costs some 1.6 kB (a value, a key and an
 * entry array per map, each its own allocation) and 5,000 issues would take
 * 8 MB. Containers are made with the room they need, keys are borrowed,
 * and numbers, booleans and each distinct set of counts are made once and
 * shared. */

#define SMALL_NUMBERS 64

struct tuple {
	uint64_t hash;
	const long *counts;  /* borrowed from the archive */
	value *map, *sections;
};

struct archive_index {
	const value *strings; /* the newsletter's words, and their language */
	const char *lang;
	struct arena values; /* every value but the summary */
	value *summary;      /* from archive_summary: on the heap */
	value *yes, *no, *null, *small[SMALL_NUMBERS];
	struct tuple *tuples;
	size_t ntuples, captuples;
};

static value *a_str(struct archive_index *ix, const char *s)
{
	return value_cstring_in(&ix->values, s);
}

static value *a_num(struct archive_index *ix, long n)
{
	if (n >= 0 && n < SMALL_NUMBERS && ix->small[n])
		return ix->small[n];
	value *v = value_number_in(&ix->values, (double)n);
	if (n >= 0 && n < SMALL_NUMBERS)
		ix->small[n] = v;
	return v;
}

static value *a_map(struct archive_index *ix, size_t cap)
{
	value *m = value_map_in(&ix->values);
	value_reserve(m, cap);
	return m;
}

/* key is a string that outlives the context (a literal, a setting). */
static void a_put(value *map, const char *key, value *v)
{
	value_map_set_literal(map, key, strlen(key), v);
}

static value *section_entry(struct archive_index *ix, const struct section_conf *c,
			    long count, size_t pos, size_t total)
{
	value *m = render_section_value(a_map(ix, 5), c, pos, total);
	a_put(m, "count", a_num(ix, count));
	return m;
}

/* counts.ID and counts.total, and the non-empty sections. */
static void make_tuple(struct archive_index *ix, const struct newsletter *n,
		       const long *counts, struct tuple *t)
{
	size_t nonempty = 0, k = 0;
	t->map = a_map(ix, n->nsections + 2);
	for (size_t s = 0; s < n->nsections; s++) {
		a_put(t->map, n->sections[s].id, a_num(ix, counts ? counts[s] : 0));
		nonempty += counts && counts[s] > 0;
	}
	a_put(t->map, "total", a_num(ix, counts ? counts[n->nsections] : 0));
	char *links = strings_count(ix->strings, "links", ix->lang, counts ? counts[n->nsections] : 0);
	a_put(t->map, "links", a_str(ix, links ? links : ""));
	free(links);
	t->sections = value_list_in(&ix->values);
	value_reserve(t->sections, nonempty);
	for (size_t s = 0; s < n->nsections; s++)
		if (counts && counts[s] > 0) {
			value_list_push(t->sections, section_entry(ix, &n->sections[s], counts[s], k,
								   nonempty));
			k++;
		}
}

static int same_counts(const long *x, const long *y, size_t n)
{
	return x == y || (x && y && memcmp(x, y, n * sizeof *x) == 0);
}

static void tuples_grow(struct archive_index *ix)
{
	struct tuple *old = ix->tuples;
	size_t oldcap = ix->captuples;
	ix->captuples = oldcap ? oldcap * 2 : 64;
	ix->tuples = xcalloc(ix->captuples, sizeof *ix->tuples);
	for (size_t i = 0; i < oldcap; i++) {
		if (!old[i].map)
			continue;
		size_t j = old[i].hash & (ix->captuples - 1);
		while (ix->tuples[j].map)
			j = (j + 1) & (ix->captuples - 1);
		ix->tuples[j] = old[i];
	}
	free(old);
}

static const struct tuple *intern(struct archive_index *ix, const struct newsletter *n,
				  const long *counts)
{
	size_t len = n->nsections + 1;
	uint64_t h = counts ? digest_bytes(counts, len * sizeof *counts, 7) : 0;
	if ((ix->ntuples + 1) * 2 > ix->captuples)
		tuples_grow(ix);
	for (size_t i = h & (ix->captuples - 1);; i = (i + 1) & (ix->captuples - 1)) {
		struct tuple *t = &ix->tuples[i];
		if (t->map && t->hash == h && same_counts(t->counts, counts, len))
			return t;
		if (t->map)
			continue;
		t->hash = h;
		t->counts = counts;
		make_tuple(ix, n, counts, t);
		ix->ntuples++;
		return t;
	}
}

static value *index_entry(struct archive_index *ix, const struct archive *a,
			  const struct newsletter *n, size_t i, int first, int last)
{
	const struct archive_issue *is = &a->issues[i];
	const struct tuple *t = intern(ix, n, is->counts);
	char *page = archive_output_name(a, (size_t)i, render_format("html"));
	value *m = a_map(ix, 11);
	a_put(m, "number", a_num(ix, is->number));
	a_put(m, "page", a_str(ix, page));
	char *date = strings_date(ix->strings, is->date);
	a_put(m, "date", a_str(ix, is->date));
	a_put(m, "date_text", a_str(ix, date));
	free(date);
	a_put(m, "title", is->title ? a_str(ix, is->title) : ix->null);
	a_put(m, "lede", is->lede && *is->lede ? a_str(ix, is->lede) : ix->null);
	char year[5];
	memcpy(year, is->date, 4);
	year[4] = '\0';
	a_put(m, "year", a_str(ix, year));
	a_put(m, "counts", t->map);
	a_put(m, "sections", t->sections);
	a_put(m, "first", first ? ix->yes : ix->no);
	a_put(m, "last", last ? ix->yes : ix->no);
	free(page);
	return m;
}

/* How many of the issues newest[0..count) share the year of the first. */
static size_t same_year(const struct archive *a, const size_t *newest, size_t count)
{
	size_t k = 1;
	while (k < count && memcmp(a->issues[newest[k]].date, a->issues[newest[0]].date, 4) == 0)
		k++;
	return k;
}

/* years[]: {year, issues[] (of entries, one per issue of newest), count,
 * first, last}. */
static value *year_groups(struct archive_index *ix, const struct archive *a,
			  const size_t *newest, size_t count, value **entries)
{
	size_t ngroups = 0;
	for (size_t k = 0; k < count; k += same_year(a, newest + k, count - k))
		ngroups++;
	value *years = value_list_in(&ix->values);
	value_reserve(years, ngroups);
	for (size_t k = 0, g = 0; k < count; g++) {
		size_t n = same_year(a, newest + k, count - k);
		value *y = a_map(ix, 5), *issues = value_list_in(&ix->values);
		value_reserve(issues, n);
		for (size_t j = 0; j < n; j++)
			value_list_push(issues, entries[k + j]);
		char year[5];
		memcpy(year, a->issues[newest[k]].date, 4);
		year[4] = '\0';
		a_put(y, "year", a_str(ix, year));
		a_put(y, "count", a_num(ix, (long)n));
		a_put(y, "issues", issues);
		a_put(y, "first", g == 0 ? ix->yes : ix->no);
		a_put(y, "last", g + 1 == ngroups ? ix->yes : ix->no);
		value_list_push(years, y);
		k += n;
	}
	return years;
}

value *archive_index_context(const struct archive *a, const struct newsletter *n,
			     value *newsletter, struct archive_index **out)
{
	struct archive_index *ix = xcalloc(1, sizeof *ix);
	size_t count, *newest = archive_newest(a, 0, &count);
	ix->strings = value_getc(newsletter, "strings");
	ix->lang = value_str(value_getc(newsletter, "language"));
	ix->yes = value_bool_in(&ix->values, 1);
	ix->no = value_bool_in(&ix->values, 0);
	ix->null = value_null_in(&ix->values);
	value *list = value_list_in(&ix->values);
	value **entries = xcalloc(count ? count : 1, sizeof *entries);
	value_reserve(list, count);
	for (size_t k = 0; k < count; k++)
		value_list_push(list, entries[k] = index_entry(ix, a, n, newest[k], k == 0,
							       k + 1 == count));
	ix->summary = archive_summary(a, newsletter);
	value *root = a_map(ix, 5);
	a_put(root, "newsletter", newsletter);
	a_put(root, "strings", ix->strings ? (value *)ix->strings : ix->null);
	a_put(root, "archive", ix->summary);
	a_put(root, "issues", list);
	a_put(root, "years", year_groups(ix, a, newest, count, entries));
	free(entries);
	free(newest);
	*out = ix;
	return root;
}

void archive_index_release(struct archive_index *ix)
{
	if (!ix)
		return;
	arena_release(&ix->values);
	value_free(ix->summary);
	free(ix->tuples);
	free(ix);
}

void archive_index_put(struct archive_index *ix, const char *key, value *v)
{
	value_map_setc(ix->summary, key, v);
}

/* --- the feed --------------------------------------------------------------- */

value *archive_feed_entry(value *ctx, const char *page, const char *base)
{
	render_feed_prune(ctx);
	char *url = xasprintf("%s%s", base, page);
	value_map_lit(ctx, "page", value_cstring(page));
	value_map_lit(ctx, "url", value_cstring(url));
	free(url);
	return ctx;
}

size_t archive_feed_cut(const struct archive *a, const struct archive_feed_item *items,
			size_t count, diag_list *d)
{
	size_t nodes = 0;
	for (size_t k = 0; k < count; k++) {
		nodes += items[k].nodes;
		if (k > 0 && nodes > MD_MAX_NODES) {
			diag_add(d, DIAG_WARNING, NULL, 0, 0, "limit", "the feed stops before %s: "
				 "with it the feed would hold more than %d Markdown nodes",
				 a->issues[items[k].issue].name, MD_MAX_NODES);
			return k;
		}
	}
	return count;
}

value *archive_feed_context(const struct archive *a, value *newsletter,
			    struct archive_feed_item *items, size_t count)
{
	value *ctx = value_map();
	value_map_lit(ctx, "newsletter", value_ref(newsletter));
	value_map_lit(ctx, "archive", archive_summary(a, newsletter));
	value *entries = value_map_lit(ctx, "entries", value_list());
	value *last = NULL; /* the entry pushed last */
	for (size_t k = 0; k < count; k++) {
		if (!items[k].entry)
			continue;
		value_map_lit(items[k].entry, "first", value_bool(!last));
		value_map_lit(items[k].entry, "last", value_bool(0));
		value_list_push(entries, last = items[k].entry);
	}
	if (last)
		value_map_lit(last, "last", value_bool(1));
	return ctx;
}

/* --- the link ledger ------------------------------------------------------ */

/* The host of url, lower-cased, in a fresh string; NULL when it has none. */
static char *host_of(const char *url)
{
	char *norm = ledger_normalize(url);
	const char *h = strstr(norm, "://");
	char *host = NULL;
	if (h && h[3]) {
		h += 3;
		host = xstrndup(h, strcspn(h, "/?#:"));
	}
	free(norm);
	return host;
}

/* Whether text holds needle (lower case) in any case. */
static int mentions(const char *text, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; n && i + n <= len; i++) {
		size_t k = 0;
		while (k < n && (text[i + k] | (text[i + k] >= 'A' && text[i + k] <= 'Z' ? 0x20 : 0))
			== needle[k])
			k++;
		if (k == n)
			return 1;
	}
	return !n;
}

static int issue_links(const struct newsletter *nl, const struct issue_file *f,
		       const char *host, archive_links_fn fn, void *ud, diag_list *d)
{
	char *text;
	size_t len;
	if (fs_read(f->path, &text, &len) < 0) {
		diag_add(d, DIAG_ERROR, f->path, 0, 0, NULL, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (!host || mentions(text, len, host)) {
		diag_list ignored = DIAG_LIST_INIT; /* `weekly check` reports problems */
		struct issue *is = issue_parse_outline(nl, f->path, text, len, &ignored);
		struct ledger l = LEDGER_INIT;
		ledger_init(&l);
		ledger_add_issue(&l, nl, is, is->number >= 0 ? is->number : f->number);
		fn(ud, &l);
		ledger_release(&l);
		issue_free(is);
		diag_release(&ignored);
	}
	free(text);
	return 0;
}

int archive_links(const struct newsletter *nl, const struct issue_file *files, size_t n,
		  const char *want, archive_links_fn fn, void *ud, diag_list *d)
{
	char *host = want ? host_of(want) : NULL;
	int rc = 0;
	for (size_t i = 0; i < n; i++)
		if (issue_links(nl, &files[i], host, fn, ud, d) < 0)
			rc = -1;
	free(host);
	return rc;
}
