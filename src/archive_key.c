/* archive_key.c - digests of what the build's outputs depend on: sources,
 * settings, templates and their partials, and the issues a page links to. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include "archive_int.h"
#include "weekly/fsutil.h"
#include "weekly/index.h"
#include "weekly/metacache.h"
#include "weekly/mustache.h"
#include "weekly/util.h"

#define HASH_M 0xc6a4a7935bd1e995ull

static uint64_t hash_mix(uint64_t k)
{
	k *= HASH_M;
	k ^= k >> 47;
	return k * HASH_M;
}

/* Eight bytes of p, mixed. */
static uint64_t hash_word(const unsigned char *p)
{
	uint64_t k;
	memcpy(&k, p, 8);
	return hash_mix(k);
}

/* MurmurHash64A, eight bytes a step, good spread, no tables; long inputs
 * (outputs, sources) in four lanes of eight bytes, whose multiplications
 * the processor overlaps, folded into one at the end. */
uint64_t archive_hash(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ (len * HASH_M);
	if (len >= 32) {
		uint64_t a = h, b = h ^ 1, c = h ^ 2, d = h ^ 3;
		for (; len >= 32; p += 32, len -= 32) {
			a = (a ^ hash_word(p)) * HASH_M;
			b = (b ^ hash_word(p + 8)) * HASH_M;
			c = (c ^ hash_word(p + 16)) * HASH_M;
			d = (d ^ hash_word(p + 24)) * HASH_M;
		}
		h = (a ^ hash_mix(b)) * HASH_M;
		h = (h ^ hash_mix(c)) * HASH_M;
		h = (h ^ hash_mix(d)) * HASH_M;
	}
	for (; len >= 8; p += 8, len -= 8)
		h = (h ^ hash_word(p)) * HASH_M;
	if (len) {
		uint64_t t = 0;
		memcpy(&t, p, len);
		h = (h ^ t) * HASH_M;
	}
	h ^= h >> 47;
	h *= HASH_M;
	return h ^ (h >> 47);
}

static uint64_t hash_str(const char *s, uint64_t h)
{
	return archive_hash(s ? s : "", s ? strlen(s) + 1 : 0, h);
}

static uint64_t hash_long(long long v, uint64_t h)
{
	return archive_hash(&v, sizeof v, h);
}

static uint64_t file_digest(const char *path, uint64_t h, int *found)
{
	char *src;
	size_t len;
	*found = fs_read(path, &src, &len) == 0;
	if (!*found)
		return hash_str("\001missing", h);
	h = archive_hash(src, len, h);
	free(src);
	return h;
}

uint64_t archive_settings_digest(const struct newsletter *n, struct index *ix)
{
	int found;
	uint64_t h = file_digest(n->settings_path, 0, &found);
	/* items[].meta is an input too: as the index keeps it, or the file */
	long long meta = ix ? index_meta(ix, METACACHE_STAMP, 0) : 0;
	if (meta)
		return archive_hash(&meta, sizeof meta, h);
	char *legacy = fs_join(n->root, METACACHE_PATH);
	h = file_digest(legacy, h, &found);
	free(legacy);
	return h;
}

/* --- what outputs depend on ------------------------------------------- */

static int by_string(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Every partial there is, for templates whose partials cannot be known
 * before rendering. */
static uint64_t all_partials(const char *pdir, uint64_t h)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	DIR *dp = opendir(pdir);
	struct dirent *e;
	int found;
	while (dp && (e = readdir(dp)))
		if (e->d_name[0] != '.') {
			xgrow((void **)&names, &cap, n + 1, sizeof *names);
			names[n++] = xstrdup(e->d_name);
		}
	if (dp)
		closedir(dp);
	if (n)
		qsort(names, n, sizeof *names, by_string);
	for (size_t i = 0; i < n; i++) {
		char *p = fs_join(pdir, names[i]);
		if (tmpl_file_check(pdir, p) == TMPL_FILE_OK) /* else rendering fails */
			h = file_digest(p, hash_str(names[i], h), &found);
		free(p);
		free(names[i]);
	}
	free(names);
	return h;
}

/* A partial's name and source into the digest. */
static void partial_digest(void *ud, const char *name, size_t n, const char *src, size_t len)
{
	uint64_t *h = ud;
	char *file = xasprintf("%.*s.mustache", (int)n, name);
	*h = hash_str(file, *h);
	if (src)
		*h = archive_hash(src, len, *h);
	free(file);
}

/* The digest of template src (len bytes) of tdir and the partials its
 * compiled form may include: every partial there is when they cannot be
 * known before rendering (a name chosen then, or a template that does not
 * compile and so renders nothing but its error). */
static uint64_t template_digest(const char *tdir, const char *path, const char *src, size_t len)
{
	char *pdir = fs_join(tdir, "partials");
	tmpl_env *env = tmpl_env_new_dir(pdir, TMPL_ESCAPE_NONE);
	diag_list d = DIAG_LIST_INIT; /* rendering reports them */
	tmpl *t = tmpl_compile(env, path, src, len, &d);
	uint64_t h = archive_hash(src, len, 1);
	if (!t || tmpl_partials(env, t, partial_digest, &h))
		h = all_partials(pdir, archive_hash(src, len, 2));
	diag_release(&d);
	tmpl_env_free(env);
	free(pdir);
	return h;
}

uint64_t archive_template_digest(const char *tdir, const char *name)
{
	char *path = fs_join(tdir, name), *src;
	size_t len;
	uint64_t h = 0;
	if (tmpl_file_check(tdir, path) != TMPL_FILE_OK) {
		h = 1; /* not read: rendering refuses it, with an error */
	} else if (fs_read(path, &src, &len) == 0) {
		h = template_digest(tdir, path, src, len);
		h += !h;
		free(src);
	}
	free(path);
	return h;
}

static uint64_t link_digest(const struct archive *a, long i, uint64_t h)
{
	if (i < 0)
		return hash_str("\001none", h);
	const struct archive_issue *is = &a->issues[i];
	h = hash_long(is->number, h);
	h = archive_hash(is->name, is->stemlen, h);
	return hash_str(is->title, hash_str(is->date, h));
}

uint64_t archive_issue_key(const struct archive *a, size_t i, uint64_t tmpl, const char *ext)
{
	uint64_t h = hash_long((long long)tmpl, a->settings);
	h = hash_str(ext, hash_long((long long)a->issues[i].digest, h));
	h = link_digest(a, archive_prev(a, i), h);
	for (size_t k = 0; k < a->nlookback; k++)
		h = link_digest(a, archive_find(a, a->issues[i].number - a->lookback[k]), h);
	return link_digest(a, archive_next(a, i), h);
}

uint64_t archive_index_key(const struct archive *a, uint64_t tmpl)
{
	uint64_t h = hash_str("index", hash_long((long long)tmpl, a->settings));
	for (size_t i = a->len; i-- > 0;) {
		const struct archive_issue *is = &a->issues[i];
		if (!is->listed)
			continue;
		h = link_digest(a, (long)i, h);
		h = is->counts ? archive_hash(is->counts, a->ncounts * sizeof(long), h) : h + 1;
		h = hash_str(is->lede, h);
	}
	return h;
}

uint64_t archive_feed_key(const struct archive *a, uint64_t tmpl)
{
	size_t n, *newest = archive_newest(a, ARCHIVE_FEED_SIZE, &n);
	uint64_t h = hash_str("feed", hash_long((long long)tmpl, a->settings));
	for (size_t k = 0; k < n; k++)
		h = hash_long((long long)a->issues[newest[k]].digest, link_digest(a, (long)newest[k], h));
	free(newest);
	return h;
}
