/* search_table.c - the terms of the search index with their postings, in
 * an open-addressing table (search_int.h): an issue's, and the archive's. */
#include <stdlib.h>
#include <string.h>
#include "search_int.h"
#include "weekly/util.h"

static struct term *slot(struct table *tb, const char *s, size_t len, uint32_t h)
{
	size_t i = h & (tb->cap - 1);
	while (tb->t[i].len && (tb->t[i].hash != h || tb->t[i].len != len ||
				memcmp(tb->bytes.data + tb->t[i].off, s, len) != 0))
		i = (i + 1) & (tb->cap - 1);
	return &tb->t[i];
}

void search_table_grow(struct table *tb)
{
	struct table old = *tb;
	tb->cap = old.cap ? 2 * old.cap : 1 << 10;
	tb->t = xcalloc(tb->cap, sizeof *tb->t);
	for (size_t i = 0; i < old.cap; i++)
		if (old.t[i].len)
			*slot(tb, old.bytes.data + old.t[i].off, old.t[i].len, old.t[i].hash) = old.t[i];
	free(old.t);
}

struct term *search_table_term(struct table *tb, const char *s, size_t len)
{
	if (2 * (tb->n + 1) > tb->cap)
		search_table_grow(tb);
	uint32_t h = util_hash32(s, len);
	struct term *t = slot(tb, s, len, h);
	if (!t->len) {
		*t = (struct term){ tb->bytes.len, len, h, 0, -1, BUF_INIT, tb->n };
		buf_put(&tb->bytes, s, len);
		tb->n++;
	}
	return t;
}

void search_table_post(struct table *tb, struct term *t, const char *num, size_t numlen,
		       const char *item, size_t itemlen)
{
	/* the comma counts even when the posting before it was set aside */
	size_t add = (t->count++ ? 1 : 0) + numlen + itemlen;
	if (t->posts.len)
		buf_putc(&t->posts, ',');
	buf_put(&t->posts, num, numlen);
	buf_put(&t->posts, item, itemlen);
	tb->posted += add;
	tb->held += add;
}

void search_table_release(struct table *tb)
{
	for (size_t i = 0; i < tb->cap; i++)
		buf_release(&tb->t[i].posts);
	free(tb->t);
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
	size_t n = 0;
	for (size_t i = 0; i < tb->cap; i++)
		if (tb->t[i].len)
			by[n++] = &tb->t[i];
	sort_bytes = tb->bytes.data;
	qsort(by, n, sizeof *by, term_cmp);
	return by;
}
