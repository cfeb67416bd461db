/* search.c - the archive's search index: terms of every item, term shards,
 * item files and the script that reads them (see search.h). The term table
 * is search_table.c's, one issue's item file and terms search_issue.c's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "search_int.h"
#include "weekly/digest.h"
#include "weekly/fsutil.h"
#include "weekly/issue.h"
#include "weekly/pool.h"
#include "weekly/search.h"
#include "weekly/util.h"

/* src/search.js as a C string, made by the Makefile. */
#include "search_js.h"

/* Bump when the files' format or the term rules change. */
#define SEARCH_FORMAT "weekly-search 1"

struct run {
	struct archive *a;
	const struct newsletter *n;
	size_t *todo;        /* issues whose cache files are out of date */
	const unsigned char *done; /* issues whose cache a build job made or found */
};

/* A job's result: "NO", or "OK" and the issue's cache file (search_issue),
 * for an issue that no build job handed over. */
static void issue_job(size_t j, buf *out, void *arg)
{
	struct run *r = arg;
	size_t i = r->todo[j];
	char *path = archive_source_path(r->a, i);
	diag_list d = DIAG_LIST_INIT;
	int syserr = 0;
	struct issue *is = issue_load(r->n, path, &d, &syserr);
	free(path);
	diag_release(&d);
	if (!is) {
		buf_puts(out, "NO");
		return;
	}
	buf_puts(out, "OK");
	search_issue_cache(r->a, i, is, out);
	issue_free(is);
}

/* --- writing ---------------------------------------------------------------- */

/* Write build/NAME, and say in f what is on disk; -1 after saying in msg
 * why it could not be written. */
static int write_file(struct archive *a, const char *name, const char *data, size_t len,
		      struct search_file *f, buf *msg)
{
	char *path = archive_output_path(a, name), *dir = fs_dirname(path);
	int rc = fs_write_atomic(path, data, len); /* its folder made when missing */
	if (rc < 0 && errno == ENOENT)
		rc = fs_mkdirs(dir) < 0 || fs_write_atomic(path, data, len) < 0 ? -1 : 0;
	if (rc < 0)
		buf_printf(msg, "weekly: cannot write '%s': %s\n", path, strerror(errno));
	else
		f->written = archive_stat(a, name, &f->size, &f->mtime) == 0;
	f->digest = digest_bytes(data, len, 0);
	free(dir);
	free(path);
	return rc;
}

/* Write build/NAME unless it is on disk as made from key. */
static int put_file(struct archive *a, const char *name, const char *data, size_t len,
		    uint64_t key)
{
	if (archive_fresh(a, name, key))
		return 0;
	struct search_file f = { 0 };
	buf msg = BUF_INIT;
	int rc = write_file(a, name, data, len, &f, &msg);
	fputs(msg.data, stderr);
	if (f.written)
		archive_record(a, name, key, f.digest, f.size, f.mtime);
	buf_release(&msg);
	return rc;
}

static char *cache_name(const struct archive_issue *is)
{
	return xasprintf("search/t/%ld.txt", is->number);
}

static uint64_t issue_key(const struct archive *a, size_t i)
{
	const struct archive_issue *is = &a->issues[i];
	uint64_t k = digest_bytes(SEARCH_FORMAT, strlen(SEARCH_FORMAT), is->digest);
	k = digest_bytes(&is->number, sizeof is->number, k);
	return digest_bytes(&a->settings, sizeof a->settings, k);
}

static int issue_fresh(struct archive *a, size_t i, uint64_t key)
{
	char *name = cache_name(&a->issues[i]);
	int fresh = archive_fresh(a, name, key);
	free(name);
	return fresh;
}

/* The item file and the terms of a cache file; -1 when it is not one. */
static int split_cache(const char *data, size_t len, const char **items, size_t *ilen,
		       const char **terms, size_t *tlen)
{
	char *end;
	const char *nl = data ? memchr(data, '\n', len) : NULL;
	size_t n = nl ? strtoul(data, &end, 10) : 0;
	if (!n || end != nl || (size_t)(nl + 1 - data) + n > len)
		return -1;
	*items = nl + 1;
	*ilen = n;
	*terms = *items + n;
	*tlen = (size_t)(data + len - *terms);
	return 0;
}

/* Store a cache file that issue_job made. */
static int store_issue(struct archive *a, size_t i, const char *data, size_t len)
{
	const char *items, *terms;
	size_t ilen, tlen;
	if (split_cache(data, len, &items, &ilen, &terms, &tlen) < 0) {
		char *path = archive_source_path(a, i);
		fprintf(stderr, "weekly: cannot index '%s'\n", path);
		free(path);
		return -1;
	}
	char *name = cache_name(&a->issues[i]);
	int rc = put_file(a, name, data, len, issue_key(a, i));
	free(name);
	return rc;
}

int search_stale(struct archive *a, size_t i)
{
	return !issue_fresh(a, i, issue_key(a, i));
}

int search_write(struct archive *a, size_t i, const struct issue *is, struct search_file *f,
		 buf *msg)
{
	*f = (struct search_file){ 0 };
	if (!search_stale(a, i))
		return 0;
	buf cache = BUF_INIT;
	search_issue_cache(a, i, is, &cache);
	char *name = cache_name(&a->issues[i]);
	int rc = write_file(a, name, cache.data, cache.len, f, msg);
	free(name);
	buf_release(&cache);
	return rc;
}

void search_record(struct archive *a, size_t i, const struct search_file *f)
{
	if (!f->written)
		return;
	char *name = cache_name(&a->issues[i]);
	archive_record(a, name, issue_key(a, i), f->digest, f->size, f->mtime);
	free(name);
}

/* --- the shards ------------------------------------------------------------- */

/* Add the lines of one issue's terms file (TERM <TAB> K!,K) to the table,
 * each posting prefixed with the issue's number. */
static void add_terms(struct table *tb, const char *text, size_t len, long number)
{
	char num[24];
	size_t numlen = (size_t)snprintf(num, sizeof num, "%ld.", number);
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *line_end = nl ? nl : end;
		const char *tab = memchr(p, '\t', (size_t)(line_end - p));
		struct term *t = tab && tab > p ? search_table_term(tb, p, (size_t)(tab - p)) : NULL;
		for (const char *q = tab + 1; t && q < line_end && t->count < SEARCH_MAX_POSTINGS;) {
			const char *comma = memchr(q, ',', (size_t)(line_end - q));
			const char *stop = comma ? comma : line_end;
			if (t->count++)
				buf_putc(&t->posts, ',');
			buf_put(&t->posts, num, numlen);
			buf_put(&t->posts, q, (size_t)(stop - q));
			q = stop + 1;
		}
		p = line_end + 1;
	}
}

/* {TERM:"N.K!,N.K",...} of n sorted terms, then ");". */
static void put_postings(const struct table *tb, struct term **terms, size_t n, buf *out)
{
	buf_putc(out, '{');
	for (size_t k = 0; k < n; k++) {
		buf_puts(out, k ? ",\n\"" : "\n\"");
		buf_put_json(out, tb->bytes.data + terms[k]->off, terms[k]->len);
		buf_puts(out, "\":\"");
		buf_put(out, terms[k]->posts.data, terms[k]->posts.len);
		buf_putc(out, '"');
	}
	buf_puts(out, "});\n");
}

/* weeklySearch.shard("XXX",{TERM:"N.K!,N.K",...}) of n sorted terms. */
static void put_shard(const struct table *tb, struct term **terms, size_t n, unsigned id,
		      buf *out)
{
	buf_printf(out, "weeklySearch.shard(\"%03x\",", id);
	put_postings(tb, terms, n, out);
}

/* How many shards: enough that each holds about SEARCH_SHARD_BYTES of
 * terms and postings, a power of two from 16 to SEARCH_MAX_SHARDS. */
static unsigned shard_count(const struct table *tb)
{
	size_t total = tb->bytes.len;
	for (size_t i = 0; i < tb->cap; i++)
		total += tb->t[i].posts.len;
	unsigned n = 16;
	while (n < SEARCH_MAX_SHARDS && total > (size_t)n * SEARCH_SHARD_BYTES)
		n *= 2;
	return n;
}

/* Write the nshards shards that changed. */
static int put_shards(struct archive *a, struct table *tb, unsigned nshards)
{
	struct term **sorted = search_table_sorted(tb);
	struct term **by = xcalloc(tb->n ? tb->n : 1, sizeof *by);
	size_t *first = xcalloc(nshards + 1, sizeof *first);
	size_t *fill = xcalloc(nshards, sizeof *fill);
	for (size_t k = 0; k < tb->n; k++)
		first[(sorted[k]->hash & (nshards - 1)) + 1]++;
	for (unsigned s = 0; s < nshards; s++)
		first[s + 1] += first[s];
	for (size_t k = 0; k < tb->n; k++) { /* each shard's terms stay sorted */
		unsigned s = sorted[k]->hash & (nshards - 1);
		by[first[s] + fill[s]++] = sorted[k];
	}
	buf out = BUF_INIT;
	int rc = 0;
	for (unsigned s = 0; s < nshards && rc == 0; s++) {
		buf_reset(&out);
		put_shard(tb, by + first[s], first[s + 1] - first[s], s, &out);
		char *name = xasprintf("search/p/%03x.js", s);
		rc = put_file(a, name, out.data, out.len, digest_bytes(out.data, out.len, 0));
		free(name);
	}
	buf_release(&out);
	free(fill);
	free(first);
	free(by);
	free(sorted);
	return rc;
}

/* The chunk of items in out, if any, to search/c/CHUNK.js. */
static int put_chunk(struct archive *a, long chunk, buf *out)
{
	if (!out->len)
		return 0;
	char *name = xasprintf("search/c/%ld.js", chunk);
	int rc = put_file(a, name, out->data, out->len, digest_bytes(out->data, out->len, 0));
	free(name);
	buf_reset(out);
	return rc;
}

/* Add issue is's cache file to the table and its items to chunk (either
 * NULL: not wanted). */
static int read_cache(struct archive *a, const struct archive_issue *is, struct table *tb,
		      buf *chunk)
{
	char *name = cache_name(is), *path = archive_output_path(a, name), *text = NULL;
	const char *items, *terms;
	size_t len, ilen, tlen;
	int rc = fs_read(path, &text, &len);
	if (rc < 0) {
		fprintf(stderr, "weekly: cannot read '%s': %s\n", path, strerror(errno));
		text = NULL;
	} else if (split_cache(text, len, &items, &ilen, &terms, &tlen) < 0) {
		fprintf(stderr, "weekly: '%s' is damaged: delete it and build again\n", path);
		rc = -1;
	} else {
		if (tb)
			add_terms(tb, terms, tlen, is->number);
		if (chunk)
			buf_put(chunk, items, ilen);
	}
	free(text);
	free(name);
	free(path);
	return rc;
}

/* --- the shards and the delta ----------------------------------------------- */

/* The shards hold the terms of the issues t/shards.txt lists with the keys
 * they had then; d.js those of the issues changed, added or gone since, so
 * that a one-issue change rewrites d.js, not the shards, until the delta
 * outgrows SEARCH_DELTA_ISSUES or SEARCH_DELTA_BYTES and the shards are
 * made again. */
#define MANIFEST "search/t/shards.txt"
#define DELTA "search/d.js"

struct made {
	long number;
	uint64_t key;
};

struct manifest {
	unsigned nshards;
	struct made *m;      /* by number */
	size_t n, cap;
};

/* The issues of a delta, by number. */
struct delta {
	long *nums;
	size_t n, cap;
};

static int by_made(const void *x, const void *y)
{
	long a = ((const struct made *)x)->number, b = ((const struct made *)y)->number;
	return (a > b) - (a < b);
}

static int by_long(const void *x, const void *y)
{
	long a = *(const long *)x, b = *(const long *)y;
	return (a > b) - (a < b);
}

static int in_delta(const struct delta *d, long number)
{
	return d->n && bsearch(&number, d->nums, d->n, sizeof number, by_long) != NULL;
}

static int delta_chunk(const struct delta *d, long chunk)
{
	for (size_t k = 0; k < d->n; k++)
		if (d->nums[k] / SEARCH_CHUNK == chunk)
			return 1;
	return 0;
}

/* Write the chunks of the listed issues' items (order: newest first), and
 * gather their terms in tb; with a delta d, only the chunks it touches and
 * the terms of its issues. */
static int write_chunks(struct archive *a, const size_t *order, size_t count,
			const struct delta *d, struct table *tb)
{
	buf chunk = BUF_INIT;
	long at = 0;
	int rc = 0;
	for (size_t k = 0; k < count && rc == 0; k++) {
		const struct archive_issue *is = &a->issues[order[k]];
		if (k && is->number / SEARCH_CHUNK != at)
			rc = put_chunk(a, at, &chunk);
		at = is->number / SEARCH_CHUNK;
		if (rc == 0 && (!d || delta_chunk(d, at)))
			rc = read_cache(a, is, !d || in_delta(d, is->number) ? tb : NULL, &chunk);
	}
	if (rc == 0)
		rc = put_chunk(a, at, &chunk);
	buf_release(&chunk);
	return rc;
}

/* weeklySearch.delta([N,...],{TERM:"N.K!,N.K",...}) of d and tb. */
static void put_delta(const struct delta *d, const struct table *tb, buf *out)
{
	buf_puts(out, "weeklySearch.delta([");
	for (size_t k = 0; k < d->n; k++)
		buf_printf(out, "%s%ld", k ? "," : "", d->nums[k]);
	buf_puts(out, "],");
	struct term **sorted = search_table_sorted(tb);
	put_postings(tb, sorted, tb->n, out);
	free(sorted);
}

/* The manifest of the shards, when it is as weekly wrote it; -1 if not. */
static int manifest_read(struct archive *a, struct manifest *mf)
{
	char *path = archive_output_path(a, MANIFEST), *text = NULL, *p, *end;
	size_t len, flen = strlen(SEARCH_FORMAT);
	int rc = archive_intact(a, MANIFEST) && fs_read(path, &text, &len) == 0 ? 0 : -1;
	free(path);
	if (rc == 0 && (len <= flen || memcmp(text, SEARCH_FORMAT, flen) != 0 || text[flen] != '\t'))
		rc = -1;
	mf->nshards = rc == 0 ? (unsigned)strtoul(text + flen + 1, &p, 10) : 0;
	for (rc = rc == 0 && *p == '\n' ? 0 : -1; rc == 0 && p[1]; p = end) {
		struct made m = { strtol(p + 1, &end, 10), 0 };
		if (*end == '\t')
			m.key = strtoull(end + 1, &end, 16);
		rc = *end == '\n' ? 0 : -1;
		xgrow((void **)&mf->m, &mf->cap, mf->n + 1, sizeof *mf->m);
		mf->m[mf->n++] = m;
	}
	free(text);
	if (mf->n)
		qsort(mf->m, mf->n, sizeof *mf->m, by_made);
	return rc;
}

static int manifest_write(struct archive *a, const size_t *order, size_t count, unsigned nshards)
{
	buf out = BUF_INIT;
	buf_printf(&out, "%s\t%u\n", SEARCH_FORMAT, nshards);
	for (size_t k = 0; k < count; k++)
		buf_printf(&out, "%ld\t%llx\n", a->issues[order[k]].number,
			   (unsigned long long)issue_key(a, order[k]));
	int rc = put_file(a, MANIFEST, out.data, out.len, digest_bytes(out.data, out.len, 0));
	buf_release(&out);
	return rc;
}

/* The delta between the manifest and the listed issues: those whose key is
 * another or that it does not list, and those it lists that are gone. */
static void delta_of(struct archive *a, const size_t *order, size_t count,
		     const struct manifest *mf, struct delta *d)
{
	unsigned char *seen = xcalloc(mf->n + 1, 1);
	for (size_t k = 0; k < count; k++) {
		struct made key = { a->issues[order[k]].number, 0 };
		struct made *m = mf->n ? bsearch(&key, mf->m, mf->n, sizeof key, by_made) : NULL;
		if (m)
			seen[m - mf->m] = 1;
		if (!m || m->key != issue_key(a, order[k])) {
			xgrow((void **)&d->nums, &d->cap, d->n + 1, sizeof *d->nums);
			d->nums[d->n++] = key.number;
		}
	}
	for (size_t i = 0; i < mf->n; i++)
		if (!seen[i]) {
			xgrow((void **)&d->nums, &d->cap, d->n + 1, sizeof *d->nums);
			d->nums[d->n++] = mf->m[i].number;
		}
	if (d->n)
		qsort(d->nums, d->n, sizeof *d->nums, by_long);
	free(seen);
}

/* Whether the shards the manifest names are on disk as weekly wrote them. */
static int shards_intact(struct archive *a, unsigned nshards)
{
	int ok = nshards >= 16 && nshards <= SEARCH_MAX_SHARDS;
	for (unsigned s = 0; ok && s < nshards; s++) {
		char *name = xasprintf("search/p/%03x.js", s);
		ok = archive_intact(a, name);
		free(name);
	}
	return ok;
}

/* Bring the delta up to date, when the shards are and it stays small: 1
 * when done, 0 when the shards are to be made again, -1 on an error. */
static int write_delta(struct archive *a, const size_t *order, size_t count, unsigned *nshards)
{
	struct manifest mf = { 0 };
	struct delta d = { 0 };
	struct table tb = { .bytes = BUF_INIT };
	buf out = BUF_INIT;
	int rc = 0;
	if (manifest_read(a, &mf) == 0 && shards_intact(a, mf.nshards)) {
		delta_of(a, order, count, &mf, &d);
		rc = d.n <= SEARCH_DELTA_ISSUES;
	}
	search_table_grow(&tb);
	if (rc == 1 && write_chunks(a, order, count, &d, &tb) < 0)
		rc = -1;
	if (rc == 1)
		put_delta(&d, &tb, &out);
	if (rc == 1 && out.len <= SEARCH_DELTA_BYTES && put_file(a, DELTA, out.data, out.len,
			digest_bytes(out.data, out.len, 0)) < 0)
		rc = -1;
	rc = rc == 1 && out.len > SEARCH_DELTA_BYTES ? 0 : rc;
	*nshards = mf.nshards;
	buf_release(&out);
	search_table_release(&tb);
	free(d.nums);
	free(mf.m);
	return rc;
}

/* Read back every listed issue's cache file, newest first: write the
 * chunks of items, the shards that changed, their manifest and an empty
 * delta, and how many shards there are in *nshards. */
static int write_index(struct archive *a, const size_t *order, size_t count, unsigned *nshards)
{
	struct table tb = { .bytes = BUF_INIT };
	struct delta none = { 0 };
	buf out = BUF_INIT;
	search_table_grow(&tb);
	int rc = write_chunks(a, order, count, NULL, &tb);
	*nshards = shard_count(&tb);
	if (rc == 0)
		rc = put_shards(a, &tb, *nshards);
	if (rc == 0)
		rc = manifest_write(a, order, count, *nshards);
	search_table_release(&tb);
	tb = (struct table){ .bytes = BUF_INIT };
	search_table_grow(&tb);
	put_delta(&none, &tb, &out);
	if (rc == 0)
		rc = put_file(a, DELTA, out.data, out.len, digest_bytes(out.data, out.len, 0));
	search_table_release(&tb);
	buf_release(&out);
	return rc;
}

/* --- the whole index -------------------------------------------------------- */

static int index_issues(struct run *r, const size_t *order, size_t count, int workers)
{
	size_t ntodo = 0;
	r->todo = xcalloc(count ? count : 1, sizeof *r->todo);
	for (size_t k = 0; k < count; k++)
		if (!(r->done && r->done[order[k]]) &&
		    !issue_fresh(r->a, order[k], issue_key(r->a, order[k])))
			r->todo[ntodo++] = order[k];
	buf *results = xcalloc(ntodo ? ntodo : 1, sizeof *results);
	if (ntodo)
		pool_run(ntodo, pool_fit(workers ? workers : pool_workers(ntodo),
					 archive_job_memory(r->a, r->todo, ntodo)), issue_job, r, results);
	int rc = 0;
	for (size_t j = 0; j < ntodo; j++) {
		int ok = results[j].len >= 2 && memcmp(results[j].data, "OK", 2) == 0;
		if (store_issue(r->a, r->todo[j], results[j].data + (ok ? 2 : 0),
				 ok ? results[j].len - 2 : 0) < 0)
			rc = -1;
		buf_release(&results[j]);
	}
	free(results);
	free(r->todo);
	return rc;
}

/* weeklySearch.about({issues, newest, shards}): written last, from the key
 * of every indexed issue, it says whether the rest is up to date; the script
 * reads it first. */
static int write_about(struct archive *a, const size_t *order, size_t count, unsigned nshards,
		       uint64_t key)
{
	buf out = BUF_INIT;
	buf_printf(&out, "weeklySearch.about({\"issues\":%zu,\"newest\":%ld,\"shards\":%u});\n",
		   count, count ? a->issues[order[0]].number : 0L, nshards);
	int rc = put_file(a, "search/about.js", out.data, out.len, key);
	buf_release(&out);
	return rc;
}

int search_build(struct archive *a, const struct newsletter *n, int force, int workers,
		 const unsigned char *done)
{
	size_t count;
	size_t *order = archive_newest(a, 0, &count);
	uint64_t key = digest_bytes(SEARCH_FORMAT, strlen(SEARCH_FORMAT), 0);
	for (size_t k = 0; k < count; k++) {
		uint64_t ik = issue_key(a, order[k]);
		key = digest_bytes(&ik, sizeof ik, key);
	}
	const char *script = search_js;
	int rc = put_file(a, "search/search.js", script, strlen(script),
			  digest_bytes(script, strlen(script), 0));
	if (rc == 0 && (force || !archive_fresh(a, "search/about.js", key))) {
		struct run r = { a, n, NULL, done };
		rc = index_issues(&r, order, count, workers);
		unsigned nshards = 0;
		int delta = rc == 0 && !force ? write_delta(a, order, count, &nshards) : 0;
		rc = delta < 0 ? -1 : rc;
		if (rc == 0 && !delta)
			rc = write_index(a, order, count, &nshards);
		if (rc == 0)
			rc = write_about(a, order, count, nshards, key);
	}
	free(order);
	return rc;
}
