/* archive_key.c - digests of what the build's outputs depend on: sources,
 * settings, templates and their partials, and the issues a page links to. */
#include <stdlib.h>
#include <string.h>
#include "archive_int.h"
#include "weekly/digest.h"
#include "weekly/fsutil.h"
#include "weekly/index.h"
#include "weekly/metacache.h"
#include "weekly/mustache.h"
#include "weekly/util.h"

/* --- what outputs depend on ------------------------------------------- */

/* Every partial there is, for templates whose partials cannot be known
 * before rendering. */
static uint64_t all_partials(const char *pdir, uint64_t h)
{
	char **names;
	long n = fs_names(pdir, NULL, &names);
	int found;
	for (long i = 0; i < n; i++) {
		char *p = fs_join(pdir, names[i]);
		if (tmpl_file_check(pdir, p) == TMPL_FILE_OK) /* else rendering fails */
			h = digest_file(p, digest_str(names[i], h), &found);
		free(p);
	}
	fs_names_free(names, n);
	return h;
}

/* A partial's name and source into the digest. */
static void partial_digest(void *ud, const char *name, size_t n, const char *src, size_t len)
{
	uint64_t *h = ud;
	char *file = xasprintf("%.*s.mustache", (int)n, name);
	*h = digest_str(file, *h);
	if (src)
		*h = digest_bytes(src, len, *h);
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
	uint64_t h = digest_bytes(src, len, 1);
	if (!t || tmpl_partials(env, t, partial_digest, &h))
		h = all_partials(pdir, digest_bytes(src, len, 2));
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
		return digest_str("\001none", h);
	const struct archive_issue *is = &a->issues[i];
	h = digest_long(is->number, h);
	h = digest_bytes(is->name, is->stemlen, h);
	return digest_str(is->title, digest_str(is->date, h));
}

uint64_t archive_issue_key(const struct archive *a, size_t i, uint64_t tmpl, const char *ext)
{
	uint64_t h = digest_long((long long)tmpl, a->settings);
	h = digest_str(ext, digest_long((long long)a->issues[i].digest, h));
	h = link_digest(a, archive_prev(a, i), h);
	for (size_t k = 0; k < a->nlookback; k++)
		h = link_digest(a, archive_find(a, a->issues[i].number - a->lookback[k]), h);
	return link_digest(a, archive_next(a, i), h);
}

uint64_t archive_index_key(const struct archive *a, uint64_t tmpl)
{
	uint64_t h = digest_str("index", digest_long((long long)tmpl, a->settings));
	for (size_t i = a->len; i-- > 0;) {
		const struct archive_issue *is = &a->issues[i];
		if (!is->listed)
			continue;
		h = link_digest(a, (long)i, h);
		h = is->counts ? digest_bytes(is->counts, a->ncounts * sizeof(long), h) : h + 1;
		h = is->lede_digest ? digest_long((long long)is->lede_digest, h) : digest_str(NULL, h);
	}
	return h;
}

uint64_t archive_feed_key(const struct archive *a, uint64_t tmpl)
{
	size_t n, *newest = archive_newest(a, ARCHIVE_FEED_SIZE, &n);
	uint64_t h = digest_str("feed", digest_long((long long)tmpl, a->settings));
	for (size_t k = 0; k < n; k++)
		h = digest_long((long long)a->issues[newest[k]].digest, link_digest(a, (long)newest[k], h));
	free(newest);
	return h;
}
