/* search_int.h - what the parts of the search index share: search.c (the
 * shards, the delta and the files), search_table.c (the term table) and
 * search_issue.c (one issue's item file and its terms). Not part of the
 * index's interface: everything else sees search.h. */
#ifndef WEEKLY_SEARCH_INT_H
#define WEEKLY_SEARCH_INT_H

#include <stddef.h>
#include <stdint.h>
#include "weekly/search.h"

/* Terms with their postings, an issue's or those of a group of the
 * archive's (newest issue first): a dense array, in the order the terms
 * came, found through an open-addressing index of their places. */
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

/* A group's postings held at most by the process that merges it, about:
 * beyond, they are set aside. */
#define SEARCH_SPILL_BYTES (512 << 10)

/* The terms of a record (search_issue) come in SEARCH_GROUPS groups, by
 * the low bits of their hash, after a line of the groups' lengths in
 * bytes: the shards of one group hold terms of that group only (there
 * are at least as many shards as groups), so that each group is merged
 * apart from the others (search_merge.c). */
#define SEARCH_GROUPS 16

/* Make room in tb: twice the slots (the first time, a thousand). */
void search_table_grow(struct table *tb);

/* The term s (len bytes, hash util_hash32 of them) of tb, added with no
 * postings if it is new. */
struct term *search_table_term(struct table *tb, const char *s, size_t len, uint32_t hash);

/* Empty tb, keeping its memory (its terms hold no postings). */
void search_table_clear(struct table *tb);

/* Add the lines of terms (TERM <TAB> COUNT <TAB> K!,K, as a record has
 * them) in the len bytes at text to tb: each term's postings after those
 * it has, as "N.K!,N.K" of issue number, as many as keep it at
 * SEARCH_MAX_POSTINGS or fewer. A line <TAB> N says the number of the
 * lines after it (the terms of many records, one after the other); any
 * other line that is not one is passed over. The number in effect at the
 * end, for the lines that come next. */
long search_table_lines(struct table *tb, const char *text, size_t len, long number);

/* Free what tb holds (what it set aside: search_spill_release). */
void search_table_release(struct table *tb);

/* The terms of tb, sorted by their bytes; the caller frees the array. */
struct term **search_table_sorted(const struct table *tb);

/* Order n hashes by their low bits, groups (a power of two) of them:
 * into by the indexes of hash, group g at by[first[g]..first[g + 1]),
 * each in the order of hash (first has groups + 1 places; all are set). */
void search_group(const uint32_t *hash, size_t n, unsigned groups, uint32_t *by,
		  size_t *first);

/* Set the postings of tb's terms aside in a temporary file (made the
 * first time), emptying their posts; -1 after saying why it failed. */
int search_spill(struct table *tb);

/* Put back into the posts of tb's terms the postings set aside of those in
 * bucket (the low bits of their hash, as many as SEARCH_MAX_SHARDS has),
 * in the order they were added, after any they hold; -1 after saying why
 * it failed. */
int search_spill_load(struct table *tb, unsigned bucket);

/* Say, unless *failed is set already, that the search index could not
 * `what` in a temporary file (in which folder, and errno's reason); set
 * *failed; -1. */
int search_temp_failed(int *failed, const char *what);

/* Close and free what tb set aside, before search_table_release. */
void search_spill_release(struct table *tb);

/* The record's parts: the item file and the term groups; -1 when it is
 * not one. Its issue's number is the caller's to set. */
struct record {
	long number;
	const char *items;
	size_t ilen;
	const char *group[SEARCH_GROUPS];
	size_t glen[SEARCH_GROUPS];
};
int search_record_split(const char *data, size_t len, struct record *rec);

/* "TERM":"N.K!,N.K", an entry of a shard or of the delta. */
void search_put_entry(buf *out, const char *term, size_t len, const char *posts, size_t plen);

/* The entries of a shard or of the delta, {TERM:"N.K!,N.K",...} as the
 * last argument of its call: what goes before the next entry (a line of
 * its own, after a comma unless it is the first), and the end of the
 * object and the call after the last. */
void search_put_apart(buf *out, int first);
void search_put_end(buf *out);

/* The shards of the whole index, made a group at a time (search_merge.c):
 * open, add the record of every listed issue, newest first, run (how
 * many shards there are in *nshards), then each shard is handed to put
 * (0, or -1 to stop), and close. Each -1 after saying on standard error
 * what failed. */
struct merge;
struct merge *search_merge_open(void);
int search_merge_add(struct merge *m, const struct record *rec);
/* Merge each group in up to workers processes (0: as many as pay). */
int search_merge_run(struct merge *m, int workers, unsigned *nshards);
int search_merge_shards(struct merge *m, unsigned nshards,
			int (*put)(void *ud, unsigned shard, const buf *text), void *ud);
void search_merge_close(struct merge *m);

#endif
