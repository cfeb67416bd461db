/* search_spill.c - the archive's postings set aside in a temporary file
 * (search_int.h), so that making the shards of a large archive holds about
 * SEARCH_SPILL_BYTES of postings at a time instead of a whole group of
 * terms (search_merge.c).
 *
 * Each time the table's postings outgrow the budget they go to the file as
 * a run, bucket by bucket (a term's bucket is its hash modulo
 * SEARCH_MAX_SHARDS, so a shard is a set of buckets whatever their count),
 * each record "TERM POSTLEN POSTINGS" (TERM the term's place in the
 * table, which keeps its terms and their counts: read back, a record is
 * its term's without looking it up). A bucket's postings are read back,
 * run after run (the order they were gathered in), just before its terms
 * are written. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "search_int.h"
#include "weekly/fsutil.h"
#include "weekly/util.h"

#define BUCKETS SEARCH_MAX_SHARDS

struct spill {
	FILE *f;
	long (*runs)[BUCKETS + 1]; /* each run's buckets: where they start, and its end */
	size_t nruns, cap;
	long at;                   /* the bytes written: the file's end, counted
				    * here, since ftell asks the system each time */
	int failed;
};

int search_temp_failed(int *failed, const char *what)
{
	if (!*failed)
		fprintf(stderr, "weekly: cannot %s in a temporary file in %s: %s\n", what,
			fs_temp_dir(), strerror(errno ? errno : EIO));
	*failed = 1;
	return -1;
}

static int fail(struct spill *sp)
{
	return search_temp_failed(&sp->failed, "set the search index's postings aside");
}

static void put_record(struct spill *sp, const struct table *tb, const struct term *t)
{
	uint32_t head[2] = { (uint32_t)(t - tb->t), (uint32_t)t->posts.len };
	fwrite(head, sizeof head, 1, sp->f);
	fwrite(t->posts.data, 1, t->posts.len, sp->f);
	sp->at += (long)(sizeof head + t->posts.len);
}

int search_spill(struct table *tb)
{
	struct spill *sp = tb->spill;
	if (!sp) {
		sp = tb->spill = xcalloc(1, sizeof *sp);
		int fd = fs_temp_file();
		if (fd < 0 || !(sp->f = fdopen(fd, "w+b"))) {
			if (fd >= 0)
				close(fd);
			return fail(sp);
		}
	}
	if (sp->failed)
		return -1;
	size_t n = 0, *first = xmalloc((BUCKETS + 1) * sizeof *first);
	struct term **with = xcalloc(tb->n ? tb->n : 1, sizeof *with);
	uint32_t *hash = xcalloc(tb->n ? tb->n : 1, sizeof *hash);
	uint32_t *by = xcalloc(tb->n ? tb->n : 1, sizeof *by);
	for (size_t k = 0; k < tb->n; k++)
		if (tb->t[k].posts.len) {
			hash[n] = tb->t[k].hash;
			with[n++] = &tb->t[k];
		}
	search_group(hash, n, BUCKETS, by, first);
	if (sp->nruns == sp->cap)
		xgrow((void **)&sp->runs, &sp->cap, sp->nruns + 1, sizeof *sp->runs);
	long *run = sp->runs[sp->nruns++];
	for (unsigned b = 0; b < BUCKETS; b++) {
		run[b] = sp->at;
		for (size_t k = first[b]; k < first[b + 1]; k++) {
			put_record(sp, tb, with[by[k]]);
			buf_release(&with[by[k]]->posts);
		}
	}
	run[BUCKETS] = sp->at;
	tb->held = 0;
	free(by);
	free(hash);
	free(with);
	free(first);
	return ferror(sp->f) ? fail(sp) : 0;
}

/* Add the records of one bucket of one run (len bytes at data) to tb. */
static int take_records(struct table *tb, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	while (p < end) {
		uint32_t head[2];
		if ((size_t)(end - p) < sizeof head)
			return -1;
		memcpy(head, p, sizeof head);
		p += sizeof head;
		if ((size_t)(end - p) < head[1] || head[0] >= tb->n)
			return -1;
		struct term *t = &tb->t[head[0]];
		if (t->posts.len)
			buf_putc(&t->posts, ',');
		buf_put(&t->posts, p, head[1]);
		p += head[1];
	}
	return 0;
}

int search_spill_load(struct table *tb, unsigned bucket)
{
	struct spill *sp = tb->spill;
	if (!sp || !sp->nruns)
		return 0;
	if (sp->failed || fflush(sp->f) != 0) /* a system call only the first time */
		return fail(sp);
	buf in = BUF_INIT;
	int rc = 0;
	for (size_t r = 0; r < sp->nruns && rc == 0; r++) {
		size_t len = (size_t)(sp->runs[r][bucket + 1] - sp->runs[r][bucket]);
		buf_reset(&in);
		buf_reserve(&in, len);
		if (len && (fs_read_at(fileno(sp->f), in.data, len, sp->runs[r][bucket]) < 0 ||
			    take_records(tb, in.data, len) < 0))
			rc = fail(sp);
	}
	buf_release(&in);
	return rc;
}

void search_spill_release(struct table *tb)
{
	if (!tb->spill)
		return;
	if (tb->spill->f)
		fclose(tb->spill->f);
	free(tb->spill->runs);
	free(tb->spill);
	tb->spill = NULL;
}
