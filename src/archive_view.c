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

/* --- the archive page, made as it is walked --------------------------- */

/* The archive page lists every issue, twice (issues[] and years[]): its
 * entries are made one at a time as a template walks them
 * (value_list_made_in), in an arena the walker resets, so that an archive
 * of any size takes the memory of one entry. What entries share lives as
 * long as the context: numbers, booleans and each distinct set of counts
 * are made once; keys are borrowed. */

#define SMALL_NUMBERS 64

struct tuple {
	uint64_t hash;
	const long *counts;  /* borrowed from the archive */
	value *map, *sections;
};

struct archive_index {
	const struct archive *a;
	const struct newsletter *n;
	const value *strings; /* the newsletter's words, and their language */
	const char *lang;
	size_t *newest, count; /* the listed issues, newest first */
	size_t *years, nyears; /* where each year's issues start in newest,
				* and count at the end */
	struct arena values; /* what entries share, and the lists */
	value *summary;      /* from archive_summary: on the heap */
	value *yes, *no, *null, *small[SMALL_NUMBERS];
	struct tuple *tuples;
	size_t ntuples, captuples;
};

/* A list of entries: those of newest[start...]. */
struct run {
	struct archive_index *ix;
	size_t start;
};

static value *a_num(struct archive_index *ix, struct arena *in, long n)
{
	if (n >= 0 && n < SMALL_NUMBERS && ix->small[n])
		return ix->small[n];
	if (n >= 0 && n < SMALL_NUMBERS)
		return ix->small[n] = value_number_in(&ix->values, (double)n);
	return value_number_in(in, (double)n);
}

static value *a_map(struct arena *in, size_t cap)
{
	value *m = value_map_in(in);
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
	value *m = render_section_value(a_map(&ix->values, 5), c, pos, total);
	a_put(m, "count", a_num(ix, &ix->values, count));
	return m;
}

/* counts.ID and counts.total, and the non-empty sections. */
static void make_tuple(struct archive_index *ix, const long *counts, struct tuple *t)
{
	const struct newsletter *n = ix->n;
	size_t nonempty = 0, k = 0;
	t->map = a_map(&ix->values, n->nsections + 2);
	for (size_t s = 0; s < n->nsections; s++) {
		a_put(t->map, n->sections[s].id, a_num(ix, &ix->values, counts ? counts[s] : 0));
		nonempty += counts && counts[s] > 0;
	}
	a_put(t->map, "total", a_num(ix, &ix->values, counts ? counts[n->nsections] : 0));
	char *links = strings_count(ix->strings, "links", ix->lang, counts ? counts[n->nsections] : 0);
	a_put(t->map, "links", value_cstring_in(&ix->values, links ? links : ""));
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

static const struct tuple *intern(struct archive_index *ix, const long *counts)
{
	size_t len = ix->n->nsections + 1;
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
		make_tuple(ix, counts, t);
		ix->ntuples++;
		return t;
	}
}

/* The year of issue i, in year[5]. */
static void year_of(const struct archive *a, size_t i, char *year)
{
	memcpy(year, a->issues[i].date, 4);
	year[4] = '\0';
}

/* The entry of the k-th newest issue, in arena in (value_make_fn). */
static value *index_entry(const void *ud, size_t k, struct arena *in)
{
	const struct run *run = ud;
	struct archive_index *ix = run->ix;
	const struct archive *a = ix->a;
	k += run->start;
	size_t i = ix->newest[k];
	const struct archive_issue *is = &a->issues[i];
	const struct tuple *t = intern(ix, is->counts);
	char *page = archive_output_name(a, i, render_format("html"));
	char *date = strings_date(ix->strings, is->date), year[5], *lede, *diags;
	archive_texts(a, i, &lede, &diags);
	value *m = a_map(in, 11);
	year_of(a, i, year);
	a_put(m, "number", a_num(ix, in, is->number));
	a_put(m, "page", value_cstring_in(in, page));
	a_put(m, "date", value_cstring_in(in, is->date));
	a_put(m, "date_text", value_cstring_in(in, date));
	a_put(m, "title", is->title ? value_cstring_in(in, is->title) : ix->null);
	a_put(m, "lede", is->counts && lede && *lede ? value_cstring_in(in, lede) : ix->null);
	a_put(m, "year", value_cstring_in(in, year));
	a_put(m, "counts", t->map);
	a_put(m, "sections", t->sections);
	a_put(m, "first", k == 0 ? ix->yes : ix->no);
	a_put(m, "last", k + 1 == ix->count ? ix->yes : ix->no);
	free(lede);
	free(diags);
	free(date);
	free(page);
	return m;
}

/* Year g of years[]: {year, count, issues[] (their entries, first and last
 * as in the whole list), first, last} (value_make_fn). */
static value *year_entry(const void *ud, size_t g, struct arena *in)
{
	struct archive_index *ix = (struct archive_index *)ud;
	size_t from = ix->years[g], n = ix->years[g + 1] - from;
	struct run *run = arena_alloc(in, sizeof *run);
	char year[5];
	*run = (struct run){ ix, from };
	year_of(ix->a, ix->newest[from], year);
	value *y = a_map(in, 5);
	a_put(y, "year", value_cstring_in(in, year));
	a_put(y, "count", a_num(ix, in, (long)n));
	a_put(y, "issues", value_list_made_in(in, n, index_entry, run));
	a_put(y, "first", g == 0 ? ix->yes : ix->no);
	a_put(y, "last", g + 1 == ix->nyears ? ix->yes : ix->no);
	return y;
}

/* Where each year's issues start among the newest, and the count last. */
static void find_years(struct archive_index *ix)
{
	const struct archive *a = ix->a;
	size_t cap = 0;
	for (size_t k = 0; k <= ix->count; k++)
		if (k == ix->count || k == 0 ||
		    memcmp(a->issues[ix->newest[k]].date, a->issues[ix->newest[k - 1]].date, 4)) {
			xgrow((void **)&ix->years, &cap, ix->nyears + 1, sizeof *ix->years);
			ix->years[ix->nyears++] = k;
		}
	ix->nyears--; /* the last is the end */
}

value *archive_index_context(const struct archive *a, const struct newsletter *n,
			     value *newsletter, struct archive_index **out)
{
	struct archive_index *ix = xcalloc(1, sizeof *ix);
	ix->a = a;
	ix->n = n;
	ix->newest = archive_newest(a, 0, &ix->count);
	ix->strings = value_getc(newsletter, "strings");
	ix->lang = value_str(value_getc(newsletter, "language"));
	ix->yes = value_bool_in(&ix->values, 1);
	ix->no = value_bool_in(&ix->values, 0);
	ix->null = value_null_in(&ix->values);
	find_years(ix);
	struct run *all = arena_alloc(&ix->values, sizeof *all);
	*all = (struct run){ ix, 0 };
	ix->summary = archive_summary(a, newsletter);
	value *root = a_map(&ix->values, 5);
	a_put(root, "newsletter", newsletter);
	a_put(root, "strings", ix->strings ? (value *)ix->strings : ix->null);
	a_put(root, "archive", ix->summary);
	a_put(root, "issues", value_list_made_in(&ix->values, ix->count, index_entry, all));
	a_put(root, "years", value_list_made_in(&ix->values, ix->nyears, year_entry, ix));
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
	free(ix->newest);
	free(ix->years);
	free(ix);
}

void archive_index_put(struct archive_index *ix, const char *key, value *v)
{
	value_map_setc(ix->summary, key, v);
}

/* --- the feed --------------------------------------------------------------- */

value *archive_feed_entry(value *ctx, const char *page, const char *base)
{
	struct arena *in = value_arena(ctx);
	render_feed_prune(ctx); /* its own copy: the job's context shares its settings' maps */
	char *url = xasprintf("%s%s", base, page);
	value_map_lit(ctx, "page", value_cstring_in(in, page));
	value_map_lit(ctx, "url", value_cstring_in(in, url));
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

value *archive_feed_context(const struct archive *a, value *newsletter, value *entries)
{
	value *ctx = value_map();
	value_map_lit(ctx, "newsletter", value_ref(newsletter));
	value_map_lit(ctx, "archive", archive_summary(a, newsletter));
	value_map_lit(ctx, "entries", entries);
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
