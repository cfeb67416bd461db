/* search_merge.c - the shards of the whole index, made a group of terms at
 * a time (search_int.h), so that the work is shared by worker processes
 * and no process holds more than a group of the archive's terms.
 *
 * The terms of every record go, group by group, to a temporary file per
 * group, in the order the records come (newest issue first). Then each
 * group is merged on its own, in a worker: its terms into one table (each
 * term's postings in the order they came, SEARCH_MAX_POSTINGS at most),
 * sorted, and written after the group's terms in the same file as entries
 * of shards ("TERM":"N.K!,N.K", each after its hash and length); the
 * sizes of the groups add up to the number of shards. Then the shards are
 * cut from each group's entries, one group after the other: a shard's
 * terms are of one group, since there are at least as many shards as
 * groups. */
#define _GNU_SOURCE /* memrchr */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "search_int.h"
#include "weekly/fsutil.h"
#include "weekly/pool.h"
#include "weekly/util.h"

_Static_assert(SEARCH_GROUPS <= 16, "there are at least 16 shards: one group each at least");

/* A group's terms are written in pieces of this many bytes; a worker reads
 * them and writes its entries in pieces of about as many. */
#define PIECE ((size_t)32 << 10)
/* Below this many bytes of terms the groups are merged here, one after
 * the other: a worker would cost more than it saves. */
#define ALONE ((long long)1 << 20)

struct group {
	int fd;              /* the temporary file, -1 if none */
	buf pending;         /* terms not written yet */
	long long in;        /* bytes of terms written */
	size_t size;         /* its terms' and their postings' bytes */
	long long end[SEARCH_MAX_SHARDS / SEARCH_GROUPS]; /* where its buckets' entries end */
};

struct merge {
	struct group g[SEARCH_GROUPS];
	int failed;
};

static int fail(struct merge *m)
{
	return search_temp_failed(&m->failed, "keep the search index's terms");
}

struct merge *search_merge_open(void)
{
	struct merge *m = xcalloc(1, sizeof *m);
	for (unsigned g = 0; g < SEARCH_GROUPS; g++) {
		m->g[g] = (struct group){ .fd = -1, .pending = BUF_INIT };
		if (!m->failed && (m->g[g].fd = fs_temp_file()) < 0)
			fail(m);
	}
	return m;
}

/* Write what group g holds of its terms. */
static int flush(struct merge *m, struct group *gr)
{
	if (!m->failed && gr->pending.len &&
	    fs_write_at(gr->fd, gr->pending.data, gr->pending.len, gr->in) < 0)
		return fail(m);
	gr->in += (long long)gr->pending.len;
	buf_reset(&gr->pending);
	return m->failed ? -1 : 0;
}

int search_merge_add(struct merge *m, const struct record *rec)
{
	for (unsigned g = 0; g < SEARCH_GROUPS && !m->failed; g++) {
		struct group *gr = &m->g[g];
		if (!rec->glen[g])
			continue;
		buf_putc(&gr->pending, '\t');
		buf_put_dec(&gr->pending, rec->number);
		buf_putc(&gr->pending, '\n');
		buf_put(&gr->pending, rec->group[g], rec->glen[g]);
		if (rec->group[g][rec->glen[g] - 1] != '\n') /* a damaged cache's */
			buf_putc(&gr->pending, '\n');
		if (gr->pending.len >= PIECE)
			flush(m, gr);
	}
	return m->failed ? -1 : 0;
}

/* --- a group merged, in a worker ------------------------------------------- */

/* A group's terms fall into BUCKETS / SEARCH_GROUPS buckets of as many
 * (SEARCH_MAX_SHARDS) as there are shards at most: a shard is a set of
 * buckets. The worker writes the entries of each bucket, sorted, one
 * bucket after the other; each entry is its head, the term, then the
 * entry itself. */
#define BUCKETS SEARCH_MAX_SHARDS
#define PER_GROUP (BUCKETS / SEARCH_GROUPS)

struct head {
	uint32_t hash, tlen, elen;
};

/* The entry of term t of tb. */
static void put_entry(const struct table *tb, const struct term *t, buf *out)
{
	struct head h = { t->hash, (uint32_t)t->len, 0 };
	size_t at = out->len;
	buf_put(out, (const char *)&h, sizeof h);
	buf_put(out, tb->bytes.data + t->off, t->len);
	search_put_entry(out, tb->bytes.data + t->off, t->len, t->posts.data, t->posts.len);
	h.elen = (uint32_t)(out->len - at - sizeof h - t->len);
	memcpy(out->data + at, &h, sizeof h);
}

/* Read the terms of group gr into tb, a piece at a time, their postings
 * set aside past SEARCH_SPILL_BYTES (all of them at the end, then, so
 * that they are read back in the order they came). */
static int read_terms(const struct group *gr, struct table *tb)
{
	buf piece = BUF_INIT;
	int rc = 0;
	long number = 0; /* each record's terms come after its number */
	for (long long at = 0; at < gr->in && rc == 0;) {
		size_t want = gr->in - at < (long long)PIECE ? (size_t)(gr->in - at) : PIECE;
		buf_reserve(&piece, want);
		rc = fs_read_at(gr->fd, piece.data + piece.len, want, at);
		if (rc)
			break;
		piece.len += want;
		at += (long long)want;
		const char *nl = memrchr(piece.data, '\n', piece.len);
		size_t whole = at == gr->in ? piece.len : nl ? (size_t)(nl + 1 - piece.data) : 0;
		number = search_table_lines(tb, piece.data, whole, number);
		memmove(piece.data, piece.data + whole, piece.len - whole);
		piece.len -= whole;
		if (tb->held > SEARCH_SPILL_BYTES)
			rc = search_spill(tb);
	}
	if (rc == 0 && tb->spill)
		rc = search_spill(tb);
	buf_release(&piece);
	return rc;
}

/* The entries of group g, bucket after bucket, after its terms in its
 * file; where each bucket ends (from there) in end. */
static int put_entries(const struct group *gr, unsigned g, struct table *tb,
		       long long *end)
{
	struct term **sorted = search_table_sorted(tb);
	uint32_t *hash = xcalloc(tb->n ? tb->n : 1, sizeof *hash);
	uint32_t *by = xcalloc(tb->n ? tb->n : 1, sizeof *by);
	size_t *first = xmalloc((BUCKETS + 1) * sizeof *first);
	buf out = BUF_INIT;
	long long len = 0;
	int rc = 0;
	for (size_t k = 0; k < tb->n; k++)
		hash[k] = sorted[k]->hash;
	search_group(hash, tb->n, BUCKETS, by, first);
	for (unsigned j = 0; j < PER_GROUP && rc == 0; j++) {
		unsigned b = g + j * SEARCH_GROUPS;
		rc = search_spill_load(tb, b);
		for (size_t k = first[b]; k < first[b + 1] && rc == 0; k++) {
			put_entry(tb, sorted[by[k]], &out);
			buf_release(&sorted[by[k]]->posts);
		}
		if (rc == 0 && (out.len >= PIECE || j + 1 == PER_GROUP)) {
			rc = fs_write_at(gr->fd, out.data, out.len, gr->in + len);
			len += (long long)out.len;
			buf_reset(&out);
		}
		end[j] = len + (long long)out.len;
	}
	buf_release(&out);
	free(first);
	free(by);
	free(hash);
	free(sorted);
	return rc;
}

/* Merge group g: its size, then where each of its buckets' entries end;
 * nothing when its file could not be read or written. */
static void merge_job(size_t g, buf *out, void *arg)
{
	const struct group *gr = &((struct merge *)arg)->g[g];
	struct table tb = { .bytes = BUF_INIT };
	long long end[PER_GROUP];
	search_table_grow(&tb);
	errno = 0;
	int rc = read_terms(gr, &tb);
	if (rc == 0)
		rc = put_entries(gr, (unsigned)g, &tb, end);
	buf_put_int(out, rc == 0 ? 0 : errno ? errno : EIO); /* what failed, for the parent */
	if (rc == 0) {
		buf_put_int(out, (long long)(tb.bytes.len + tb.posted));
		for (unsigned j = 0; j < PER_GROUP; j++)
			buf_put_int(out, end[j]);
	}
	search_spill_release(&tb);
	search_table_release(&tb);
}

/* How many shards: enough that each holds about SEARCH_SHARD_BYTES of
 * terms and postings, a power of two from 16 to SEARCH_MAX_SHARDS. */
static unsigned shard_count(size_t total)
{
	unsigned n = 16;
	while (n < SEARCH_MAX_SHARDS && total > (size_t)n * SEARCH_SHARD_BYTES)
		n *= 2;
	return n;
}

int search_merge_run(struct merge *m, int workers, unsigned *nshards)
{
	long long in = 0;
	size_t total = 0;
	for (unsigned g = 0; g < SEARCH_GROUPS; g++)
		if (flush(m, &m->g[g]) == 0)
			in += m->g[g].in;
	if (m->failed)
		return -1;
	buf results[SEARCH_GROUPS];
	pool_run(SEARCH_GROUPS, workers ? workers : in < ALONE ? 1 : pool_workers(SEARCH_GROUPS),
		 merge_job, m, results);
	int err = 0;
	for (unsigned g = 0; g < SEARCH_GROUPS; g++) {
		struct buf_reader r = buf_reader(&results[g]);
		long long failed = results[g].len ? buf_get_int(&r) : EIO; /* none: it died */
		m->g[g].size = failed ? 0 : (size_t)buf_get_int(&r);
		for (unsigned j = 0; j < PER_GROUP && !failed; j++)
			m->g[g].end[j] = buf_get_int(&r);
		if (!err && (failed || !buf_read_all(&r)))
			err = failed > 0 && failed < INT_MAX ? (int)failed : EIO;
		total += m->g[g].size;
		buf_release(&results[g]);
	}
	if (err) {
		errno = err;
		return fail(m);
	}
	*nshards = shard_count(total);
	return 0;
}

/* --- the shards cut from the groups' entries --------------------------------- */

/* The entries of a bucket, as read back. */
struct run {
	const char *p, *end;
};

/* The head of the entry at r's start. */
static struct head run_head(const struct run *r)
{
	struct head h;
	memcpy(&h, r->p, sizeof h);
	return h;
}

/* Whether the runs' entries are whole, as written. */
static int runs_whole(const struct run *runs, size_t n)
{
	for (size_t k = 0; k < n; k++)
		for (struct run r = runs[k]; r.p < r.end;) {
			if ((size_t)(r.end - r.p) < sizeof(struct head))
				return 0;
			struct head h = run_head(&r);
			if (h.tlen > (size_t)(r.end - r.p) - sizeof h ||
			    h.elen > (size_t)(r.end - r.p) - sizeof h - h.tlen)
				return 0;
			r.p += sizeof h + h.tlen + h.elen;
		}
	return 1;
}

/* The run whose first term comes first, or -1 when all are done. */
static long first_run(const struct run *runs, size_t n)
{
	long best = -1;
	struct head bh = { 0, 0, 0 };
	for (size_t k = 0; k < n; k++) {
		if (runs[k].p == runs[k].end)
			continue;
		struct head h = run_head(&runs[k]);
		if (best >= 0) {
			size_t len = h.tlen < bh.tlen ? h.tlen : bh.tlen;
			int d = memcmp(runs[k].p + sizeof h, runs[best].p + sizeof bh, len);
			if (d > 0 || (d == 0 && h.tlen >= bh.tlen))
				continue;
		}
		best = (long)k;
		bh = h;
	}
	return best;
}

/* Shard s of nshards, its buckets' entries (the runs, each sorted) merged
 * into text. */
static void put_shard(unsigned s, unsigned nshards, struct run *runs, size_t n, buf *text)
{
	long k;
	buf_reset(text);
	buf_printf(text, "weeklySearch.shard(\"%03x\",%u,{", s, nshards);
	for (int first = 1; (k = first_run(runs, n)) >= 0; first = 0) {
		struct head h = run_head(&runs[k]);
		search_put_apart(text, first);
		buf_put(text, runs[k].p + sizeof h + h.tlen, h.elen);
		runs[k].p += sizeof h + h.tlen + h.elen;
	}
	search_put_end(text);
}

/* Read the entries of shard s's buckets into in, a run each. */
static int read_runs(struct merge *m, unsigned s, unsigned nshards, buf *in, struct run *runs,
		     size_t *n)
{
	const struct group *gr = &m->g[s % SEARCH_GROUPS];
	size_t at[BUCKETS / SEARCH_GROUPS + 1];
	*n = 0;
	buf_reset(in);
	for (unsigned b = s; b < BUCKETS; b += nshards) {
		unsigned j = b / SEARCH_GROUPS;
		long long from = j ? gr->end[j - 1] : 0, len = gr->end[j] - from;
		if (len < 0)
			return -1;
		buf_reserve(in, (size_t)len);
		if (fs_read_at(gr->fd, in->data + in->len, (size_t)len, gr->in + from) < 0)
			return -1;
		at[*n] = in->len;
		in->len += (size_t)len;
		(*n)++;
	}
	for (size_t k = 0; k < *n; k++)
		runs[k] = (struct run){ in->data + at[k], in->data + (k + 1 < *n ? at[k + 1] : in->len) };
	return runs_whole(runs, *n) ? 0 : -1;
}

int search_merge_shards(struct merge *m, unsigned nshards,
			int (*put)(void *ud, unsigned shard, const buf *text), void *ud)
{
	buf in = BUF_INIT, text = BUF_INIT;
	struct run runs[PER_GROUP];
	size_t n;
	int rc = 0;
	for (unsigned s = 0; s < nshards && rc == 0; s++) {
		if (read_runs(m, s, nshards, &in, runs, &n) < 0) {
			errno = errno ? errno : EIO;
			rc = fail(m);
			break;
		}
		put_shard(s, nshards, runs, n, &text);
		rc = put(ud, s, &text);
	}
	buf_release(&text);
	buf_release(&in);
	return rc;
}

void search_merge_close(struct merge *m)
{
	if (!m)
		return;
	for (unsigned g = 0; g < SEARCH_GROUPS; g++) {
		if (m->g[g].fd >= 0)
			close(m->g[g].fd);
		buf_release(&m->g[g].pending);
	}
	free(m);
}
