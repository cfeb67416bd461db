/* archive_out.c - the records of what the build wrote in build/: each
 * output's size, time, digest and the key of what it was made from, found
 * by name, and which of them belong to issues that are gone. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "archive_int.h"
#include "weekly/digest.h"
#include "weekly/fsutil.h"
#include "weekly/index.h"
#include "weekly/util.h"

char *archive_output_path(const struct archive *a, const char *name)
{
	return fs_join(a->dir, name);
}

void archive_drop_record(struct archive *a, const char *name)
{
	xgrow((void **)&a->dropped, &a->capdropped, a->ndropped + 1, sizeof *a->dropped);
	a->dropped[a->ndropped++] = xstrdup(name);
	a->dirty = 1;
}

static int by_string(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int by_number(const void *key, const void *elem)
{
	long n = *(const long *)key, m = ((const struct archive_issue *)elem)->number;
	return n < m ? -1 : n > m;
}

/* The issue output name belongs to, or NULL (a page, or an issue gone). */
static const struct archive_issue *output_issue(const struct archive *a, const char *name)
{
	size_t digits = strspn(name, "0123456789");
	long number = strtol(name, NULL, 10);
	const struct archive_issue *is = a->len ? bsearch(&number, a->issues, a->len,
							  sizeof *is, by_number) : NULL;
	/* files with the same number sit together: look at each */
	while (is && is > a->issues && is[-1].number == number)
		is--;
	for (; digits && is && is < a->issues + a->len && is->number == number; is++)
		if (is->stemlen == digits && strncmp(is->name, name, digits) == 0 &&
		    name[digits] == '.')
			return is;
	return NULL;
}

const char **archive_stale(const struct archive *a, int drafts, size_t *count)
{
	const char **out = xcalloc(a->nouts ? a->nouts : 1, sizeof *out);
	size_t n = 0;
	for (size_t i = 0; i < a->nouts; i++) {
		const char *name = a->outs[i].name;
		const struct archive_issue *is = output_issue(a, name);
		if (strspn(name, "0123456789") && (!is || (is->draft && !drafts)))
			out[n++] = name;
	}
	if (n) /* in the order of their names, whatever the order recorded */
		qsort(out, n, sizeof *out, by_string);
	*count = n;
	return out;
}

/* --- output records ------------------------------------------------------- */

/* Records are found by name through a table of their places (place + 1;
 * 0: an empty slot): open addressing with linear probing, at most half
 * full, so that a record made in this run is found like a loaded one. */

static size_t home(const struct archive *a, const char *name)
{
	return (size_t)digest_bytes(name, strlen(name), 0) & (a->nslots - 1);
}

/* The slot of name: where its place is, or the empty one it would take. */
static size_t probe(const struct archive *a, const char *name)
{
	size_t s = home(a, name);
	while (a->slots[s] && strcmp(a->outs[a->slots[s] - 1].name, name) != 0)
		s = (s + 1) & (a->nslots - 1);
	return s;
}

static void rehash(struct archive *a)
{
	free(a->slots);
	for (a->nslots = 64; a->nslots < 2 * a->nouts;)
		a->nslots *= 2;
	a->slots = xcalloc(a->nslots, sizeof *a->slots);
	for (size_t i = 0; i < a->nouts; i++)
		a->slots[probe(a, a->outs[i].name)] = (uint32_t)(i + 1);
}

/* Empty slot s, moving back the records after it that probing would no
 * longer reach. */
static void slot_clear(struct archive *a, size_t s)
{
	size_t mask = a->nslots - 1;
	for (size_t j = (s + 1) & mask; a->slots[j]; j = (j + 1) & mask) {
		size_t h = home(a, a->outs[a->slots[j] - 1].name);
		if (((j - h) & mask) >= ((j - s) & mask)) {
			a->slots[s] = a->slots[j];
			s = j;
		}
	}
	a->slots[s] = 0;
}

static struct archive_output *output_find(const struct archive *a, const char *name)
{
	size_t s = a->nslots ? probe(a, name) : 0;
	return a->nslots && a->slots[s] ? &a->outs[a->slots[s] - 1] : NULL;
}

/* A record o of a name that has none (taken). */
static struct archive_output *output_new(struct archive *a, const struct archive_output *o)
{
	xgrow((void **)&a->outs, &a->capouts, a->nouts + 1, sizeof *a->outs);
	a->outs[a->nouts++] = *o;
	if (2 * a->nouts > a->nslots)
		rehash(a);
	else
		a->slots[probe(a, o->name)] = (uint32_t)a->nouts;
	return &a->outs[a->nouts - 1];
}

int archive_stat(const struct archive *a, const char *name, long long *size,
		 long long *mtime)
{
	char *path = archive_output_path(a, name);
	struct stat sb;
	int rc = stat(path, &sb);
	free(path);
	if (rc < 0)
		return -1;
	*size = (long long)sb.st_size;
	*mtime = fs_mtime_ns(&sb);
	return 0;
}

/* Whether the file of output o holds what weekly wrote: its size and time
 * say so, or (a fresh clone, a touched file) its bytes. */
static int output_intact(const struct archive *a, struct archive_output *o)
{
	long long size, mtime;
	if (archive_stat(a, o->name, &size, &mtime) < 0 || size != o->size)
		return 0;
	if (mtime == o->mtime)
		return 1;
	char *path = archive_output_path(a, o->name), *data;
	size_t len;
	int read = fs_read(path, &data, &len) == 0;
	int same = read && digest_bytes(data, len, 0) == o->digest;
	if (read)
		free(data);
	free(path);
	if (same && o->mtime != mtime) /* kept, so the next run need not read it */
		o->mtime = mtime, o->changed = 1;
	return same;
}

int archive_fresh(struct archive *a, const char *name, uint64_t key)
{
	struct archive_output *o = output_find(a, name);
	return o && o->key == key && output_intact(a, o);
}

int archive_intact(struct archive *a, const char *name)
{
	struct archive_output *o = output_find(a, name);
	return o && output_intact(a, o);
}

void archive_forget(struct archive *a, const char *name)
{
	struct archive_output *o = output_find(a, name);
	if (!o)
		return;
	size_t at = (size_t)(o - a->outs), last = a->nouts - 1;
	archive_drop_record(a, o->name);
	slot_clear(a, probe(a, name));
	free(o->name);
	if (at != last) { /* the last record takes its place */
		a->outs[at] = a->outs[last];
		a->slots[probe(a, a->outs[at].name)] = (uint32_t)(at + 1);
	}
	a->nouts--;
}

void archive_record(struct archive *a, const char *name, uint64_t key, uint64_t digest,
		    long long size, long long mtime)
{
	struct archive_output *o = output_find(a, name);
	if (!o)
		o = output_new(a, &(struct archive_output){ .name = xstrdup(name) });
	if (o->size != size || o->digest != digest || o->key != key || o->mtime != mtime)
		a->dirty = o->changed = 1;
	o->size = size;
	o->mtime = mtime;
	o->key = key;
	o->digest = digest;
}

void archive_outputs_add(struct archive *a, const struct archive_output *o)
{
	struct archive_output *old = output_find(a, o->name);
	if (!old) {
		output_new(a, o);
		return;
	}
	free(old->name); /* the same name again: the last record holds */
	*old = *o;
}

void archive_outputs_release(struct archive *a)
{
	for (size_t i = 0; i < a->nouts; i++)
		free(a->outs[i].name);
	free(a->outs);
	free(a->slots);
	a->outs = NULL;
	a->slots = NULL;
	a->nouts = a->capouts = a->nslots = 0;
}

/* The number of the issue an output belongs to, -1 for the pages. */
static long output_number(const char *name)
{
	return strspn(name, "0123456789") ? strtol(name, NULL, 10) : -1;
}

static void put_output(struct archive *a, const struct archive_output *o)
{
	index_put_output(a->ix, &(struct index_output){ .name = o->name,
		.number = output_number(o->name), .size = o->size, .mtime = o->mtime,
		.key = o->key, .digest = o->digest });
}

void archive_outputs_put(struct archive *a)
{
	for (size_t i = 0; i < a->nouts; i++)
		if (a->clear || a->outs[i].changed)
			put_output(a, &a->outs[i]);
}
