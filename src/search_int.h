/* search_int.h - what the parts of the search index share: search.c (the
 * shards, the delta and the files), search_table.c (the term table) and
 * search_issue.c (one issue's item file and its terms). Not part of the
 * index's interface: everything else sees search.h. */
#ifndef WEEKLY_SEARCH_INT_H
#define WEEKLY_SEARCH_INT_H

#include <stddef.h>
#include <stdint.h>
#include "weekly/search.h"

/* Terms with their postings, an issue's or the archive's (newest issue
 * first): a dense array, in the order the terms came, found through an
 * open-addressing index of their places. */
struct term {
	size_t off, len;     /* in the table's bytes */
	uint32_t hash;       /* util_hash32 of the bytes */
	uint32_t count;      /* postings, up to SEARCH_MAX_POSTINGS */
	long last;           /* an issue's: the item of the last posting */
	uint32_t head, tail; /* an issue's: its first and last posting */
	buf posts;           /* "N.K!,N.K" in the archive's */
};

struct table {
	buf bytes;
	struct term *t;      /* n terms, room for tcap */
	size_t n, tcap;
	uint32_t *slot;      /* cap places: a term's index + 1, 0 for none */
	size_t cap;
};

/* Make room in tb: twice the slots (the first time, a thousand). */
void search_table_grow(struct table *tb);

/* The term s (len bytes, hash util_hash32 of them) of tb, added with no
 * postings if it is new. */
struct term *search_table_term(struct table *tb, const char *s, size_t len, uint32_t hash);

/* Empty tb, keeping its memory (its terms hold no postings). */
void search_table_clear(struct table *tb);

/* Free what tb holds. */
void search_table_release(struct table *tb);

/* The terms of tb, sorted by their bytes; the caller frees the array. */
struct term **search_table_sorted(const struct table *tb);

#endif
