/* ledger.h - the archive's link ledger: every link of every issue read,
 * indexed by normalised URL, to find where a URL appeared before (repeats
 * across issues, `where`-style lookups, link lists).
 *
 * A ledger owns copies of every string it is given; ledger_release frees
 * them all. Entry pointers stay valid until the next ledger_add; the strings
 * they point to, until ledger_release. */
#ifndef WEEKLY_LEDGER_H
#define WEEKLY_LEDGER_H

#include <stddef.h>
#include "arena.h"
#include "buf.h"
#include "config.h"
#include "issue.h"

enum ledger_kind {
	LEDGER_ITEM,  /* the link an item opens with: what the issue features */
	LEDGER_LINK,  /* any other link (descriptions, leads) */
	LEDGER_IMAGE
};

struct ledger_entry {
	char *url;           /* as written */
	char *key;           /* ledger_key(url) */
	long issue;          /* issue number, -1 when unknown */
	char *file;          /* the issue's file */
	char *section;       /* section id, NULL for the lead or an unknown section */
	long item;           /* index among the section's items, -1 outside items */
	int line, col;
	enum ledger_kind kind;
	size_t next;         /* next entry with the same key, or LEDGER_END */
};

#define LEDGER_END ((size_t)-1)

struct ledger_slot;

struct ledger {
	struct ledger_entry *entries; /* in the order added */
	size_t len, cap;
	struct ledger_slot *slots;    /* hash of keys to their first and last entry */
	size_t nslots, nkeys;
	struct arena strings;         /* the entries' strings */
};

#define LEDGER_INIT { NULL, 0, 0, NULL, 0, 0, ARENA_INIT }

/* The canonical form of url, in a fresh string the caller frees: scheme and
 * host lower-cased, default port dropped, an empty path written "/", a
 * trailing slash of any other path dropped, utm_* query parameters and the
 * fragment dropped, percent escapes upper-cased. Text that is not a
 * scheme://host URL is only trimmed (and its scheme lower-cased). */
char *ledger_normalize(const char *url);
/* The key URLs are indexed by: the canonical form, with http counted as
 * https (the same page either way). Fresh string, the caller frees. */
char *ledger_key(const char *url);
/* Whether a query parameter name is a tracking one (utm_*, any case). */
int ledger_tracking_param(const char *name, size_t len);

void ledger_init(struct ledger *l);
void ledger_release(struct ledger *l);
/* Drop l's entries and their index but keep their strings, which what was
 * taken from the entries may go on pointing to until ledger_release. */
void ledger_forget(struct ledger *l);

/* Add one place a URL appears; e's strings are copied and next is set. The
 * key is computed, unless e gives it (it must then be ledger_key(e->url)).
 * e must not be one of l's own entries. Returns the stored entry. */
const struct ledger_entry *ledger_add(struct ledger *l, const struct ledger_entry *e);
/* Add e unless an entry has the same key: the first such entry then, else
 * NULL once e is added. The key is computed unless e gives it, as for
 * ledger_add. One search of the index, for a check that keeps only the
 * first place of each URL. */
const struct ledger_entry *ledger_add_new(struct ledger *l, const struct ledger_entry *e);
/* Add every link and image of is, which is issue number (the file's number
 * when the front matter has none), in source order. */
void ledger_add_issue(struct ledger *l, const struct newsletter *n,
		      const struct issue *is, long number);

/* Append every entry of l but its file and issue, as a worker process
 * sends them back (buf.h). */
void ledger_pack(const struct ledger *l, buf *out);
/* The entries ledger_pack wrote where r reads, given file and issue; they
 * are not added to any ledger, and their strings point into r's bytes,
 * which must outlive them. A fresh array (NULL when empty) the caller
 * frees; *count entries. A damaged record ends the array early. */
struct ledger_entry *ledger_unpack(struct buf_reader *r, const char *file, long issue,
				   size_t *count);

/* The first place the URL whose key (ledger_key) is key appears, in any
 * form with the same key, or NULL. */
const struct ledger_entry *ledger_first_key(const struct ledger *l, const char *key);
/* The next place the same URL appears after e, or NULL. */
const struct ledger_entry *ledger_next(const struct ledger *l, const struct ledger_entry *e);

#endif
