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

static int by_output_name(const void *x, const void *y)
{
	return strcmp(((const struct archive_output *)x)->name,
		      ((const struct archive_output *)y)->name);
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
	*count = n;
	return out;
}

/* --- output records ------------------------------------------------------- */

static struct archive_output *output_find(const struct archive *a, const char *name)
{
	struct archive_output key = { .name = (char *)name };
	return a->nouts ? bsearch(&key, a->outs, a->nouts, sizeof key, by_output_name) : NULL;
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
	archive_drop_record(a, o->name);
	free(o->name);
	memmove(o, o + 1, (size_t)(a->outs + a->nouts - o - 1) * sizeof *o);
	a->nouts--;
}

/* New records go after the sorted ones (lookups see only those, which is
 * all a run asks about); archive_save sorts them in. */
void archive_record(struct archive *a, const char *name, uint64_t key, uint64_t digest,
		    long long size, long long mtime)
{
	struct archive_output *o = output_find(a, name);
	if (!o) {
		xgrow((void **)&a->outs, &a->capouts, a->nouts + 1, sizeof *a->outs);
		o = &a->outs[a->nouts++];
		*o = (struct archive_output){ .name = xstrdup(name) };
	}
	if (o->size != size || o->digest != digest || o->key != key || o->mtime != mtime)
		a->dirty = o->changed = 1;
	o->size = size;
	o->mtime = mtime;
	o->key = key;
	o->digest = digest;
}

void archive_outputs_add(struct archive *a, const struct archive_output *o)
{
	xgrow((void **)&a->outs, &a->capouts, a->nouts + 1, sizeof *a->outs);
	a->outs[a->nouts++] = *o;
}

void archive_outputs_sort(struct archive *a)
{
	if (a->nouts)
		qsort(a->outs, a->nouts, sizeof *a->outs, by_output_name);
}

void archive_outputs_release(struct archive *a)
{
	for (size_t i = 0; i < a->nouts; i++)
		free(a->outs[i].name);
	free(a->outs);
	a->outs = NULL;
	a->nouts = a->capouts = 0;
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
