/* archive_out.c - the records of what the build wrote in build/: each
 * output's size, time, digest and the key of what it was made from, found
 * by name, and which of them belong to issues that are gone. */
#include <limits.h>
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

size_t archive_first_from(const struct archive *a, long number)
{
	size_t lo = 0, hi = a->len; /* issues are sorted by number */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a->issues[mid].number < number)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The issue output name belongs to, or NULL (a page, or an issue gone). */
static const struct archive_issue *output_issue(const struct archive *a, const char *name)
{
	size_t digits = strspn(name, "0123456789");
	long number = strtol(name, NULL, 10);
	/* files with the same number sit together: look at each */
	for (size_t i = digits ? archive_first_from(a, number) : a->len;
	     i < a->len && a->issues[i].number == number; i++) {
		const struct archive_issue *is = &a->issues[i];
		if (is->stemlen == digits && strncmp(is->name, name, digits) == 0 &&
		    name[digits] == '.')
			return is;
	}
	return NULL;
}

/* Whether the record of output name belongs to an issue that is gone, or
 * a draft (unless drafts are built). */
static int stale_output(const struct archive *a, const char *name, int drafts)
{
	const struct archive_issue *is = output_issue(a, name);
	return strspn(name, "0123456789") && (!is || (is->draft && !drafts));
}

struct stale {
	struct archive *a;
	int drafts;
	char **names;
	size_t n, cap;
};

static void add_stale(struct stale *s, const char *name)
{
	xgrow((void **)&s->names, &s->cap, s->n + 1, sizeof *s->names);
	s->names[s->n++] = xstrdup(name);
}

static struct archive_output *held(const struct archive *a, const char *name);

/* A record of the index the archive does not hold (those it holds are
 * looked at as they are now). */
static void stale_row(void *ud, const struct index_output *r)
{
	struct stale *s = ud;
	if (!held(s->a, r->name) && stale_output(s->a, r->name, s->drafts))
		add_stale(s, r->name);
}

char **archive_stale(struct archive *a, int drafts, size_t *count)
{
	struct stale s = { a, drafts, NULL, 0, 0 };
	for (size_t i = 0; i < a->nouts; i++)
		if (stale_output(a, a->outs[i].name, drafts))
			add_stale(&s, a->outs[i].name);
	if (a->lazy)
		index_outputs(a->ix, LONG_MIN, LONG_MAX, 0, stale_row, &s);
	if (s.n) /* in the order of their names, whatever the order recorded */
		qsort(s.names, s.n, sizeof *s.names, by_string);
	*count = s.n;
	return s.names ? s.names : xcalloc(1, sizeof *s.names);
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

static struct archive_output *held(const struct archive *a, const char *name)
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

/* --- the window of issues' records, when they are read as asked for ---- */

/* Issues whose records one read of the index brings. */
#define WINDOW_ISSUES 256

/* The number of the issue an output belongs to, -1 for the pages. */
static long output_number(const char *name)
{
	return strspn(name, "0123456789") ? strtol(name, NULL, 10) : -1;
}

/* Let go of the records of issues the index has as they are: all but
 * those changed in this run. */
static void window_drop(struct archive *a)
{
	size_t kept = 0;
	for (size_t i = 0; i < a->nouts; i++) {
		struct archive_output *o = &a->outs[i];
		if (o->changed || output_number(o->name) < 0)
			a->outs[kept++] = *o;
		else
			free(o->name);
	}
	a->nouts = kept;
	rehash(a);
}

/* A record of the window, unless one of its name is held: then that one,
 * as this run left it, is the newer. */
static void window_row(void *ud, const struct index_output *r)
{
	struct archive *a = ud;
	if (!held(a, r->name))
		output_new(a, &(struct archive_output){ .name = xstrdup(r->name),
			.size = r->size, .mtime = r->mtime, .key = r->key, .digest = r->digest });
}

/* The records of the issues numbered from number to that of the
 * WINDOW_ISSUES-th issue after it, in place of the window held. */
static void window_read(struct archive *a, long number)
{
	size_t i = archive_first_from(a, number) + WINDOW_ISSUES;
	long hi = i < a->len ? a->issues[i].number : LONG_MAX;
	window_drop(a);
	a->win_lo = number;
	a->win_hi = hi;
	if (index_outputs(a->ix, number, hi, 0, window_row, a) < 0)
		a->win_lo = 1, a->win_hi = 0; /* read again when asked */
}

/* The record of name: held, or read from the index with its window. */
static struct archive_output *output_find(struct archive *a, const char *name)
{
	struct archive_output *o = held(a, name);
	long number = a->lazy && !o ? output_number(name) : -1;
	if (number < 0 || (number >= a->win_lo && number <= a->win_hi))
		return o;
	window_read(a, number);
	return held(a, name);
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

int archive_holds(struct archive *a, const char *name, uint64_t digest)
{
	struct archive_output *o = output_find(a, name);
	return o && o->digest == digest && output_intact(a, o);
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
	struct archive_output *old = held(a, o->name);
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
