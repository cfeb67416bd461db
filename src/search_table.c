/* search_table.c - the terms of the search index with their postings, in
 * an open-addressing table (search_int.h): an issue's, and the archive's. */
#include <stdlib.h>
#include <string.h>
#include "search_int.h"
#include "weekly/util.h"

/* Whether the n bytes at x and y are the same: terms are short, and eight
 * bytes a step, then a loop, cost less than a call to memcmp. */
static inline int same_bytes(const char *x, const char *y, size_t n)
{
	for (; n >= 8; x += 8, y += 8, n -= 8) {
		uint64_t a, b;
		memcpy(&a, x, 8);
		memcpy(&b, y, 8);
		if (a != b)
			return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return 0;
	return 1;
}

/* The place of term s in the index: the one that holds it, or the empty
 * one where it would go. */
static inline uint32_t *place(const struct table *tb, const char *s, size_t len, uint32_t h)
{
	size_t mask = tb->cap - 1, i = h & mask;
	for (;; i = (i + 1) & mask) {
		uint32_t k = tb->slot[i];
		if (!k)
			return &tb->slot[i];
		const struct term *t = &tb->t[k - 1];
		if (t->hash == h && t->len == len && same_bytes(tb->bytes.data + t->off, s, len))
			return &tb->slot[i];
	}
}

void search_table_grow(struct table *tb)
{
	tb->cap = tb->cap ? 2 * tb->cap : 1 << 10;
	free(tb->slot);
	tb->slot = xcalloc(tb->cap, sizeof *tb->slot);
	for (size_t k = 0; k < tb->n; k++)
		*place(tb, tb->bytes.data + tb->t[k].off, tb->t[k].len, tb->t[k].hash) =
			(uint32_t)k + 1;
}

struct term *search_table_term(struct table *tb, const char *s, size_t len, uint32_t hash)
{
	if (2 * (tb->n + 1) > tb->cap)
		search_table_grow(tb);
	uint32_t *p = place(tb, s, len, hash);
	if (*p)
		return &tb->t[*p - 1];
	if (tb->n == tb->tcap)
		xgrow((void **)&tb->t, &tb->tcap, tb->n + 1, sizeof *tb->t);
	struct term *t = &tb->t[tb->n++];
	*t = (struct term){ tb->bytes.len, len, hash, 0, -1, 0, 0, BUF_INIT };
	*p = (uint32_t)tb->n;
	buf_put(&tb->bytes, s, len);
	return t;
}

void search_table_clear(struct table *tb)
{
	if (tb->n)
		memset(tb->slot, 0, tb->cap * sizeof *tb->slot);
	tb->n = 0;
	buf_reset(&tb->bytes);
}

/* The room an issue's number takes in decimal, and more. */
#define NUM 24

/* Add count postings of issue number (num, nlen bytes of decimal, in NUM),
 * "K!,K" (len bytes at posts), to t's (a term of tb) as "N.K!,N.K", as many
 * as keep it at SEARCH_MAX_POSTINGS or fewer. */
static void postings(struct table *tb, struct term *t, const char *num, size_t nlen,
		     const char *posts, size_t len, uint32_t count)
{
	if (!len || !count || t->count >= SEARCH_MAX_POSTINGS)
		return;
	if (count > SEARCH_MAX_POSTINGS - t->count)
		count = SEARCH_MAX_POSTINGS - t->count;
	/* a comma before them when there are postings before (they may have
	 * been set aside: it counts then too); each posting takes "N.", and
	 * no more than count are taken, whatever the line holds */
	size_t comma = t->posts.len ? 1 : 0, room = comma + len + count * (nlen + 1) + NUM;
	if (t->posts.cap - t->posts.len <= room)
		buf_reserve(&t->posts, room);
	char *start = t->posts.data + t->posts.len, *w = start;
	*w = ',';
	w += comma;
	/* "N." before the first posting and after each comma, a byte at a
	 * time: postings are a few bytes each (the number is copied NUM bytes
	 * at once, one step, its room made above) */
	uint32_t k = 1;
	memcpy(w, num, NUM);
	w[nlen] = '.';
	w += nlen + 1;
	for (const char *p = posts, *end = posts + len; p < end; p++) {
		if (*p == ',') {
			if (k == count)
				break;
			k++;
			*w++ = ',';
			memcpy(w, num, NUM);
			w[nlen] = '.';
			w += nlen + 1;
		} else {
			*w++ = *p;
		}
	}
	size_t added = (t->count ? 1 : 0) + (size_t)(w - start) - comma;
	t->posts.len += (size_t)(w - start);
	t->posts.data[t->posts.len] = '\0';
	t->count += k;
	tb->posted += added;
	tb->held += added;
}

long search_table_lines(struct table *tb, const char *text, size_t len, long number)
{
	char num[NUM];
	size_t nlen = (size_t)snprintf(num, sizeof num, "%ld", number);
	const char *p = text, *end = text + len;
	while (p < end) {
		/* the term, hashed on the way, up to its tab; then its count */
		uint32_t count = 0, h = UTIL_HASH32_START;
		const char *q = p, *posts;
		for (; q < end && *q != '\t' && *q != '\n'; q++)
			h = util_hash32_step(h, (unsigned char)*q);
		for (posts = q + 1; posts < end && *posts >= '0' && *posts <= '9'; posts++)
			count = count * 10 + (uint32_t)(*posts - '0');
		const char *nl = q < end && *q == '\t' ? posts : q;
		nl = nl < end ? memchr(nl, '\n', (size_t)(end - nl)) : NULL;
		nl = nl ? nl : end;
		if (q == p && q < end && *q == '\t' && posts == nl && posts > q + 1 &&
		    posts - q - 1 < 19) { /* "<TAB>N": the issue of those after */
			number = strtol(q + 1, NULL, 10);
			nlen = (size_t)snprintf(num, sizeof num, "%ld", number);
		}
		else if (q < end && *q == '\t' && q > p && posts < nl && *posts == '\t')
			postings(tb, search_table_term(tb, p, (size_t)(q - p), h), num, nlen,
				 posts + 1, (size_t)(nl - posts - 1), count);
		p = nl + 1;
	}
	return number;
}

void search_table_release(struct table *tb)
{
	for (size_t k = 0; k < tb->n; k++)
		buf_release(&tb->t[k].posts);
	free(tb->t);
	free(tb->slot);
	buf_release(&tb->bytes);
}

static const char *sort_bytes;

static int term_cmp(const void *x, const void *y)
{
	const struct term *a = *(const struct term *const *)x, *b = *(const struct term *const *)y;
	size_t n = a->len < b->len ? a->len : b->len;
	int d = memcmp(sort_bytes + a->off, sort_bytes + b->off, n);
	return d ? d : (a->len > b->len) - (a->len < b->len);
}

/* The terms of the table, sorted; the caller frees the array. */
struct term **search_table_sorted(const struct table *tb)
{
	struct term **by = xcalloc(tb->n ? tb->n : 1, sizeof *by);
	for (size_t k = 0; k < tb->n; k++)
		by[k] = &tb->t[k];
	sort_bytes = tb->bytes.data;
	qsort(by, tb->n, sizeof *by, term_cmp);
	return by;
}

void search_group(const uint32_t *hash, size_t n, unsigned groups, uint32_t *by,
		  size_t *first)
{
	/* first[g + 2] counts group g (the last one need not be counted),
	 * then first[g + 1] is where g starts, and moves on as its indexes
	 * are placed to where it ends */
	unsigned mask = groups - 1;
	memset(first, 0, (groups + 1) * sizeof *first);
	for (size_t k = 0; k < n; k++)
		if ((hash[k] & mask) < mask)
			first[(hash[k] & mask) + 2]++;
	for (unsigned g = 2; g <= groups; g++)
		first[g] += first[g - 1];
	for (size_t k = 0; k < n; k++)
		by[first[(hash[k] & mask) + 1]++] = (uint32_t)k;
}

void search_put_entry(buf *out, const char *term, size_t len, const char *posts, size_t plen)
{
	buf_putc(out, '"');
	buf_put_json(out, term, len);
	buf_puts(out, "\":\"");
	buf_put(out, posts, plen);
	buf_putc(out, '"');
}

void search_put_apart(buf *out, int first)
{
	buf_puts(out, first ? "\n" : ",\n");
}

void search_put_end(buf *out)
{
	buf_puts(out, "});\n");
}
