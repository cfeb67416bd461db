/* search.c - the archive's search index: terms of every item, term shards,
 * item files and the script that reads them (see search.h). The term table
 * is search_table.c's, one issue's item file and terms search_issue.c's. */
#include <errno.h>
#include <limits.h>
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
#define SEARCH_FORMAT "weekly-search 6"

/* --- writing ---------------------------------------------------------------- */

/* A run of search_build: what it is asked for, and what it found. */
struct chunk;
struct run {
	struct archive *a;
	const struct newsletter *n;
	size_t *order;       /* the listed issues, newest first */
	size_t count;
	struct chunk *chunks;
	size_t nchunks;
	const struct search_host *host;
	int workers;
	size_t *todo;        /* issues to parse here, newest first */
	size_t ntodo;
	buf *parsed;         /* their records, parsed here */
};

/* Write build/NAME unless it is on disk as made from key (0: the digest
 * of its bytes), or holds those bytes already; remember it in the state,
 * and tell r's host what became of it. -1 after saying on standard error
 * why it could not be written. */
static int put_file(const struct run *r, const char *name, const char *data, size_t len,
		    uint64_t key)
{
	struct archive *a = r->a;
	uint64_t digest = key ? 0 : digest_bytes(data, len, 0);
	if (archive_fresh(a, name, key ? key : digest))
		return 0;
	if (key) /* a keyed file's bytes are digested only when it is not fresh */
		digest = digest_bytes(data, len, 0);
	else
		key = digest;
	char *path = archive_output_path(a, name), *dir = fs_dirname(path);
	/* written unless it is there already, its folder made when missing */
	int same = archive_holds(a, name, digest), rc = 0;
	struct search_file f = { name, !same, 0, key, digest, 0, 0 };
	if (!same && (rc = fs_write_atomic(path, data, len)) < 0 && errno == ENOENT)
		rc = fs_mkdirs(dir) < 0 || fs_write_atomic(path, data, len) < 0 ? -1 : 0;
	if (rc < 0)
		fprintf(stderr, "weekly: cannot write '%s': %s\n", path, strerror(errno));
	else if ((f.recorded = archive_stat(a, name, &f.size, &f.mtime) == 0))
		archive_record(a, name, key, digest, f.size, f.mtime);
	if (rc == 0 && r->host && r->host->put)
		r->host->put(r->host->ud, &f);
	free(dir);
	free(path);
	return rc;
}

/* Whether r's host handed over issue i's record (into out, unless NULL). */
static int handed(const struct run *r, size_t i, buf *out)
{
	return r->host && r->host->handed && r->host->handed(r->host->ud, i, out) == 0;
}

static uint64_t issue_key(const struct archive *a, size_t i)
{
	const struct archive_issue *is = &a->issues[i];
	uint64_t k = digest_bytes(SEARCH_FORMAT, strlen(SEARCH_FORMAT), is->digest);
	k = digest_bytes(&is->number, sizeof is->number, k);
	return digest_bytes(&a->settings, sizeof a->settings, k);
}

/* --- the caches of chunks ----------------------------------------------------- */

/* search/t/C.txt holds the records (search_issue) of the listed issues of
 * chunk C, newest first, to be read back when the index is made again:
 * first a line per issue, "N <TAB> KEY <TAB> LENGTH" (KEY in hex), and an
 * empty line, then the records, one after the other. */
static char *cache_name(long chunk)
{
	return xasprintf("search/t/%ld.txt", chunk);
}

static long chunk_of(const struct archive *a, size_t i)
{
	return a->issues[i].number / SEARCH_CHUNK;
}

/* What the cache of chunk is made from: the keys of its listed issues,
 * and of issue also (listed or not yet; SIZE_MAX: none), newest first. */
static uint64_t chunk_key(const struct archive *a, long chunk, size_t also)
{
	uint64_t k = digest_bytes(SEARCH_FORMAT, strlen(SEARCH_FORMAT), 0);
	size_t lo = archive_first_from(a, chunk * SEARCH_CHUNK);
	for (size_t i = archive_first_from(a, (chunk + 1) * SEARCH_CHUNK); i-- > lo;)
		if (a->issues[i].listed || i == also) {
			uint64_t ik = issue_key(a, i);
			k = digest_bytes(&ik, sizeof ik, k);
		}
	return k;
}

/* The room the lines of a chunk's cache take at most: "N <TAB> KEY <TAB>
 * LENGTH" take up to 59 bytes each. */
#define CACHE_LINES (SEARCH_CHUNK * 64)

/* One issue's record in a chunk's cache. */
struct entry {
	long number;
	uint64_t key;
	size_t at, len;      /* of the record, in the cache's bytes */
};

/* A chunk's cache as read back: the lines before its records. */
struct cache {
	char *text;          /* the whole file, or NULL */
	size_t len;
	struct entry e[SEARCH_CHUNK];
	size_t n;
};

/* Read the lines of a cache file (of len bytes, at least its lines) into
 * c: the length of the lines, or 0 when they are not a cache's. */
static size_t cache_lines(const char *text, size_t len, struct cache *c)
{
	const char *p = text, *end = text + len;
	size_t at = 0;
	for (c->n = 0; p < end && *p != '\n'; c->n++) {
		char *q;
		struct entry *e = &c->e[c->n];
		if (c->n == SEARCH_CHUNK || *p < '0' || *p > '9')
			return 0;
		e->number = strtol(p, &q, 10);
		e->key = *q == '\t' ? strtoull(q + 1, &q, 16) : 0;
		e->len = *q == '\t' ? strtoul(q + 1, &q, 10) : 0;
		if (*q != '\n' || !e->len)
			return 0;
		e->at = at;
		at += e->len;
		p = q + 1;
	}
	return p < end ? (size_t)(p + 1 - text) : 0;
}

/* Read the cache of chunk into c: its lines only (head) or all of it. 0,
 * -1 when there is none (as weekly wrote it), -2 when it is damaged. */
static int cache_read(struct archive *a, long chunk, int head, struct cache *c)
{
	char *name = cache_name(chunk), *path = archive_output_path(a, name);
	char lines[CACHE_LINES + 1];
	size_t start = 0;
	int rc = archive_intact(a, name) ? 0 : -1;
	*c = (struct cache){ 0 };
	if (rc == 0 && head) {
		FILE *f = fopen(path, "rb");
		size_t got = f ? fread(lines, 1, sizeof lines - 1, f) : 0;
		lines[got] = '\0';
		start = cache_lines(lines, got, c);
		if (f)
			fclose(f);
	} else if (rc == 0 && fs_read(path, &c->text, &c->len) < 0) {
		c->text = NULL;
		rc = -1;
	} else if (rc == 0) {
		start = cache_lines(c->text, c->len, c);
		for (size_t k = 0; k < c->n; k++)
			c->e[k].at += start;
		if (c->n && c->e[c->n - 1].at + c->e[c->n - 1].len != c->len)
			start = 0;
	}
	rc = rc == 0 && !start ? -2 : rc;
	if (rc < 0) {
		free(c->text);
		*c = (struct cache){ 0 };
	}
	free(name);
	free(path);
	return rc;
}

/* The entry of issue number, made from key, in c; NULL when it has none. */
static const struct entry *cache_find(const struct cache *c, long number, uint64_t key)
{
	for (size_t k = 0; k < c->n; k++)
		if (c->e[k].number == number && c->e[k].key == key)
			return &c->e[k];
	return NULL;
}

int search_stale(struct archive *a, size_t i)
{
	long chunk = chunk_of(a, i);
	char *name = cache_name(chunk);
	int fresh = archive_fresh(a, name, chunk_key(a, chunk, i));
	free(name);
	if (fresh)
		return 0;
	struct cache c;
	if (cache_read(a, chunk, 1, &c) < 0)
		return 1;
	return !cache_find(&c, a->issues[i].number, issue_key(a, i));
}

int search_gone(const struct archive *a, const char *name)
{
	const char *p = name + strlen("search/t/");
	char *end;
	if (strncmp(name, "search/t/", strlen("search/t/")) != 0 || *p < '0' || *p > '9')
		return 0;
	long chunk = strtol(p, &end, 10);
	if (strcmp(end, ".txt") != 0 || chunk >= LONG_MAX / SEARCH_CHUNK - 1)
		return 0;
	size_t hi = archive_first_from(a, (chunk + 1) * SEARCH_CHUNK);
	for (size_t i = archive_first_from(a, chunk * SEARCH_CHUNK); i < hi; i++)
		if (a->issues[i].listed)
			return 0;
	return 1;
}

/* --- the chunks of the index --------------------------------------------------- */

/* A chunk of the listed issues: order[k0..k1), its cache's key, and
 * whether its cache is out of date. */
struct chunk {
	long n;
	size_t k0, k1;
	uint64_t key;
	int stale;
};

static void plan_chunks(struct run *r)
{
	size_t cap = 0;
	for (size_t k = 0; k < r->count; k++) {
		long c = chunk_of(r->a, r->order[k]);
		if (r->nchunks && r->chunks[r->nchunks - 1].n == c) {
			r->chunks[r->nchunks - 1].k1 = k + 1;
			continue;
		}
		xgrow((void **)&r->chunks, &cap, r->nchunks + 1, sizeof *r->chunks);
		struct chunk *ch = &r->chunks[r->nchunks++];
		char *name = cache_name(c);
		*ch = (struct chunk){ c, k, k + 1, chunk_key(r->a, c, SIZE_MAX), 0 };
		ch->stale = !archive_fresh(r->a, name, ch->key);
		free(name);
	}
}

/* A job's result: "NO", or "OK" and the issue's record, for an issue that
 * no build job handed over and the cache of its chunk does not hold. */
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
	search_issue(r->a, r->n, i, is, out);
	issue_free(is);
}

/* Parse, in up to workers processes, the issues of the chunks whose caches
 * are out of date that no build job handed over and that the old cache
 * does not hold either. */
static void parse_missing(struct run *r)
{
	size_t cap = 0;
	for (size_t c = 0; c < r->nchunks; c++) {
		const struct chunk *ch = &r->chunks[c];
		struct cache old;
		if (!ch->stale)
			continue;
		int have = cache_read(r->a, ch->n, 1, &old) == 0;
		for (size_t k = ch->k0; k < ch->k1; k++) {
			size_t i = r->order[k];
			if (handed(r, i, NULL) ||
			    (have && cache_find(&old, r->a->issues[i].number, issue_key(r->a, i))))
				continue;
			xgrow((void **)&r->todo, &cap, r->ntodo + 1, sizeof *r->todo);
			r->todo[r->ntodo++] = i;
		}
	}
	r->parsed = xcalloc(r->ntodo ? r->ntodo : 1, sizeof *r->parsed);
	if (r->ntodo)
		pool_run(r->ntodo, pool_fit(r->workers ? r->workers : pool_workers(r->ntodo),
					    archive_job_memory(r->a, r->todo, r->ntodo)),
			 issue_job, r, r->parsed);
}

static int by_newest(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	return (a < b) - (a > b);
}

/* The record of issue i parsed here, or NULL. */
static const buf *parsed(const struct run *r, size_t i)
{
	const size_t *at = r->ntodo ? bsearch(&i, r->todo, r->ntodo, sizeof i, by_newest) : NULL;
	return at ? &r->parsed[at - r->todo] : NULL;
}

/* Issue i's record into out: as a build job handed it over, as parsed
 * here, or from the old cache; -1 after saying that it cannot be indexed. */
static int record(struct run *r, size_t i, const struct cache *old, buf *out)
{
	const buf *p = parsed(r, i);
	const struct entry *e = cache_find(old, r->a->issues[i].number, issue_key(r->a, i));
	buf_reset(out);
	if (handed(r, i, out) && out->len)
		return 0;
	if (p && p->len > 2 && memcmp(p->data, "OK", 2) == 0)
		buf_put(out, p->data + 2, p->len - 2);
	else if (e)
		buf_put(out, old->text + e->at, e->len);
	if (out->len)
		return 0;
	char *path = archive_source_path(r->a, i);
	fprintf(stderr, "weekly: cannot index '%s'\n", path);
	free(path);
	return -1;
}

/* The cache of chunk ch made again from its issues' records, into c, and
 * written: the records are put after room for the lines before them,
 * which are moved into place at the end. */
static int cache_make(struct run *r, struct chunk *ch, struct cache *c)
{
	struct cache old;
	buf text = BUF_INIT, one = BUF_INIT;
	char lines[CACHE_LINES + 1];
	size_t len = 0;
	int rc = 0;
	if (cache_read(r->a, ch->n, 0, &old) < 0)
		old = (struct cache){ 0 };
	*c = (struct cache){ 0 };
	buf_reserve(&text, CACHE_LINES);
	text.len = CACHE_LINES;
	for (size_t k = ch->k0; k < ch->k1 && rc == 0; k++) {
		size_t i = r->order[k];
		uint64_t key = issue_key(r->a, i);
		rc = record(r, i, &old, &one);
		c->e[c->n++] = (struct entry){ r->a->issues[i].number, key, text.len, one.len };
		len += (size_t)snprintf(lines + len, sizeof lines - len, "%ld\t%llx\t%zu\n",
					r->a->issues[i].number, (unsigned long long)key, one.len);
		buf_put(&text, one.data, one.len);
	}
	lines[len++] = '\n';
	memmove(text.data + len, text.data + CACHE_LINES, text.len - CACHE_LINES);
	memcpy(text.data, lines, len);
	text.len -= CACHE_LINES - len;
	for (size_t k = 0; k < c->n; k++)
		c->e[k].at -= CACHE_LINES - len;
	char *name = cache_name(ch->n);
	if (rc == 0)
		rc = put_file(r, name, text.data, text.len, ch->key);
	ch->stale = rc < 0;
	c->len = text.len;
	c->text = buf_take(&text);
	free(name);
	free(old.text);
	buf_release(&one);
	return rc;
}

/* --- the shards ------------------------------------------------------------- */

/* {TERM:"N.K!,N.K",...} of the terms of tb, sorted, then ");". */
static void put_postings(const struct table *tb, buf *out)
{
	struct term **terms = search_table_sorted(tb);
	buf_putc(out, '{');
	for (size_t k = 0; k < tb->n; k++) {
		search_put_apart(out, k == 0);
		search_put_entry(out, tb->bytes.data + terms[k]->off, terms[k]->len,
				 terms[k]->posts.data, terms[k]->posts.len);
	}
	search_put_end(out);
	free(terms);
}

/* Shard s's file: search/p/XXX.js. */
static char *shard_name(unsigned s)
{
	return xasprintf("search/p/%03x.js", s);
}

/* Shard s, as search_merge_shards made it, to its file. */
static int put_shard(void *ud, unsigned s, const buf *text)
{
	char *name = shard_name(s);
	int rc = put_file(ud, name, text->data, text->len, 0);
	free(name);
	return rc;
}

/* The chunk of items in out, if any, to search/c/CHUNK.js. */
static int put_chunk(const struct run *r, long chunk, buf *out)
{
	if (!out->len)
		return 0;
	char *name = xasprintf("search/c/%ld.js", chunk);
	int rc = put_file(r, name, out->data, out->len, 0);
	free(name);
	buf_reset(out);
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

/* weeklySearch.delta([N,...],{TERM:"N.K!,N.K",...}) of d and tb. */
static void put_delta(const struct delta *d, const struct table *tb, buf *out)
{
	buf_puts(out, "weeklySearch.delta([");
	for (size_t k = 0; k < d->n; k++)
		buf_printf(out, "%s%ld", k ? "," : "", d->nums[k]);
	buf_puts(out, "],");
	put_postings(tb, out);
}

/* The manifest of the shards, when it is as weekly wrote it; -1 if not. */
/* The number of shards the manifest's text (NULL: none) names after its
 * format, 0 when it is not one weekly wrote; where that line ends in *end. */
static unsigned manifest_shards(const char *text, size_t len, char **end)
{
	size_t flen = strlen(SEARCH_FORMAT);
	if (!text || len <= flen || memcmp(text, SEARCH_FORMAT, flen) != 0 || text[flen] != '\t')
		return 0;
	unsigned long n = strtoul(text + flen + 1, end, 10);
	return **end == '\n' && n <= SEARCH_MAX_SHARDS ? (unsigned)n : 0;
}

/* The text of the manifest, NULL when it cannot be read; with trusted,
 * only when the build state says weekly wrote it as it is. */
static char *manifest_text(struct archive *a, int trusted, size_t *len)
{
	char *path = archive_output_path(a, MANIFEST), *text = NULL;
	if ((!trusted || archive_intact(a, MANIFEST)) && fs_read(path, &text, len) < 0)
		text = NULL;
	free(path);
	return text;
}

static int manifest_read(struct archive *a, struct manifest *mf)
{
	size_t len = 0;
	char *text = manifest_text(a, 1, &len), *p, *end;
	mf->nshards = manifest_shards(text, len, &p);
	int rc;
	for (rc = mf->nshards ? 0 : -1; rc == 0 && p[1]; p = end) {
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

static int manifest_write(const struct run *r, unsigned nshards)
{
	const struct archive *a = r->a;
	buf out = BUF_INIT;
	buf_printf(&out, "%s\t%u\n", SEARCH_FORMAT, nshards);
	for (size_t k = 0; k < r->count; k++)
		buf_printf(&out, "%ld\t%llx\n", a->issues[r->order[k]].number,
			   (unsigned long long)issue_key(a, r->order[k]));
	int rc = put_file(r, MANIFEST, out.data, out.len, 0);
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
		char *name = shard_name(s);
		ok = archive_intact(a, name);
		free(name);
	}
	return ok;
}

/* Bring the caches of chunks up to date, and gather the listed issues'
 * items into the chunks' item files and their terms: with a delta d, the
 * item files of the chunks it touches or whose caches changed, and the
 * terms of its issues only, into tb; without one, all of them, into m. */
static int gather(struct run *r, const struct delta *d, struct table *tb, struct merge *m)
{
	buf items = BUF_INIT;
	int rc = 0;
	for (size_t k = 0; k < r->nchunks && rc == 0; k++) {
		struct chunk *ch = &r->chunks[k];
		/* a chunk's item file goes with its cache: an issue changed back
		 * as the shards have it is in no delta, but the file changed */
		if (!ch->stale && d && !delta_chunk(d, ch->n))
			continue;
		struct cache c;
		if (ch->stale) {
			rc = cache_make(r, ch, &c);
		} else if ((rc = cache_read(r->a, ch->n, 0, &c)) < 0) {
			char *name = cache_name(ch->n), *path = archive_output_path(r->a, name);
			if (rc == -2)
				fprintf(stderr, "weekly: '%s' is damaged: delete it and build again\n",
					path);
			else
				fprintf(stderr, "weekly: cannot read '%s'\n", path);
			free(name);
			free(path);
		}
		for (size_t e = 0; rc == 0 && e < c.n; e++) {
			struct record rec;
			if (search_record_split(c.text + c.e[e].at, c.e[e].len, &rec) < 0)
				continue; /* the issue's job made it: it is one */
			rec.number = c.e[e].number;
			buf_put(&items, rec.items, rec.ilen);
			for (unsigned g = 0; tb && in_delta(d, rec.number) && g < SEARCH_GROUPS; g++)
				search_table_lines(tb, rec.group[g], rec.glen[g], rec.number);
			if (m)
				rc = search_merge_add(m, &rec);
		}
		if (rc == 0)
			rc = put_chunk(r, ch->n, &items);
		free(c.text);
	}
	buf_release(&items);
	return rc;
}

/* Bring the delta up to date, when the shards are and it stays small: 1
 * when done, 0 when the shards are to be made again, -1 on an error. */
static int write_delta(struct run *r, unsigned *nshards)
{
	struct manifest mf = { 0 };
	struct delta d = { 0 };
	struct table tb = { .bytes = BUF_INIT };
	buf out = BUF_INIT;
	int rc = 0;
	if (manifest_read(r->a, &mf) == 0 && shards_intact(r->a, mf.nshards)) {
		delta_of(r->a, r->order, r->count, &mf, &d);
		rc = d.n <= SEARCH_DELTA_ISSUES;
	}
	search_table_grow(&tb);
	if (rc == 1 && gather(r, &d, &tb, NULL) < 0)
		rc = -1;
	if (rc == 1)
		put_delta(&d, &tb, &out);
	if (rc == 1 && out.len <= SEARCH_DELTA_BYTES &&
	    put_file(r, DELTA, out.data, out.len, 0) < 0)
		rc = -1;
	rc = rc == 1 && out.len > SEARCH_DELTA_BYTES ? 0 : rc;
	*nshards = mf.nshards;
	buf_release(&out);
	search_table_release(&tb);
	free(d.nums);
	free(mf.m);
	return rc;
}

/* Gather every listed issue, newest first: write the chunks of items, the
 * shards that changed, their manifest and an empty delta, and how many
 * shards there are in *nshards. */
static int write_index(struct run *r, unsigned *nshards)
{
	struct table none = { .bytes = BUF_INIT };
	struct delta nothing = { 0 };
	struct merge *m = search_merge_open();
	buf out = BUF_INIT;
	int rc = gather(r, NULL, NULL, m);
	if (rc == 0)
		rc = search_merge_run(m, r->workers, nshards);
	if (rc == 0)
		rc = search_merge_shards(m, *nshards, put_shard, r);
	search_merge_close(m);
	if (rc == 0)
		rc = manifest_write(r, *nshards);
	put_delta(&nothing, &none, &out);
	if (rc == 0)
		rc = put_file(r, DELTA, out.data, out.len, 0);
	buf_release(&out);
	return rc;
}

/* --- the whole index -------------------------------------------------------- */

/* weeklySearch.about({issues, newest, shards}): written last, from the key
 * of every indexed issue, it says whether the rest is up to date; the script
 * reads it first. */
static int write_about(const struct run *r, unsigned nshards, uint64_t key)
{
	buf out = BUF_INIT;
	buf_printf(&out, "weeklySearch.about({\"issues\":%zu,\"newest\":%ld,\"shards\":%u});\n",
		   r->count, r->count ? r->a->issues[r->order[0]].number : 0L, nshards);
	int rc = put_file(r, "search/about.js", out.data, out.len, key);
	buf_release(&out);
	return rc;
}

static void run_release(struct run *r)
{
	for (size_t j = 0; j < r->ntodo; j++)
		buf_release(&r->parsed[j]);
	free(r->parsed);
	free(r->todo);
	free(r->chunks);
	free(r->order);
}

uint64_t search_key(const struct archive *a)
{
	uint64_t key = digest_bytes(SEARCH_FORMAT, strlen(SEARCH_FORMAT), 0);
	for (size_t i = a->len; i-- > 0;) { /* newest first */
		if (!a->issues[i].listed)
			continue;
		uint64_t ik = issue_key(a, i);
		key = digest_bytes(&ik, sizeof ik, key);
	}
	return key;
}

unsigned search_shards(struct archive *a)
{
	size_t len = 0;
	char *text = manifest_text(a, 0, &len), *end;
	unsigned nshards = manifest_shards(text, len, &end);
	free(text);
	return nshards;
}

int search_build(struct archive *a, const struct newsletter *n, uint64_t key, int force,
		 int workers, const struct search_host *host)
{
	struct run r = { a, n, NULL, 0, NULL, 0, host, workers, NULL, 0, NULL };
	r.order = archive_newest(a, 0, &r.count);
	const char *script = search_js;
	int rc = put_file(&r, "search/search.js", script, strlen(script), 0);
	if (rc == 0 && (force || !archive_fresh(a, "search/about.js", key))) {
		plan_chunks(&r);
		parse_missing(&r);
		unsigned nshards = 0;
		int delta = !force ? write_delta(&r, &nshards) : 0;
		rc = delta < 0 ? -1 : 0;
		if (rc == 0 && !delta)
			rc = write_index(&r, &nshards);
		if (rc == 0)
			rc = write_about(&r, nshards, key);
	}
	run_release(&r);
	return rc;
}
