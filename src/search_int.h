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
	size_t posted;       /* bytes of postings added, set aside or not */
	size_t held;         /* of them, bytes in the terms' posts */
	struct spill *spill; /* the postings set aside, if any (search_spill.c) */
};

/* The archive's postings held at most, about: beyond, they are set aside. */
#define SEARCH_SPILL_BYTES (2 << 20)

/* Make room in tb: twice the slots (the first time, a thousand). */
void search_table_grow(struct table *tb);

/* The term s (len bytes, hash util_hash32 of them) of tb, added with no
 * postings if it is new. */
struct term *search_table_term(struct table *tb, const char *s, size_t len, uint32_t hash);

/* Empty tb, keeping its memory (its terms hold no postings). */
void search_table_clear(struct table *tb);

/* Add count postings, "N.K!,N.K" (len bytes at posts), to t's (a term of
 * tb), as many as keep it at SEARCH_MAX_POSTINGS or fewer. */
void search_table_postings(struct table *tb, struct term *t, const char *posts, size_t len,
			   uint32_t count);

/* Free what tb holds (what it set aside: search_spill_release). */
void search_table_release(struct table *tb);

/* The terms of tb, sorted by their bytes; the caller frees the array. */
struct term **search_table_sorted(const struct table *tb);

/* The n terms (in their order) by the low bits of their hash, groups (a
 * power of two) of them: into by, group g at by[first[g]..first[g + 1]),
 * each in the order of terms (first has groups + 1 places). */
void search_table_group(struct term *const *terms, size_t n, unsigned groups, struct term **by,
			size_t *first);

/* Set the postings of tb's terms aside in a temporary file (made the
 * first time), emptying their posts; -1 after saying why it failed. */
int search_spill(struct table *tb);

/* Put back into the posts of tb's terms the postings set aside of those in
 * shard (of nshards), in the order they were added, after any they hold;
 * -1 after saying why it failed. */
int search_spill_load(struct table *tb, unsigned shard, unsigned nshards);

/* Close and free what tb set aside, before search_table_release. */
void search_spill_release(struct table *tb);

#endif
