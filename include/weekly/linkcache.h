/* linkcache.h - the link checker's memory: each URL's last verdict, kept
 * in the archive index (index.h, table verdicts), one row per URL:
 *   URL <TAB> ok|broken|unverifiable|suspect <TAB> 2026-01-05T10:00:00Z <TAB> reason
 *       <TAB> permanent redirect target (empty when none)
 * as earlier versions kept them in the file build/linkcache.tsv (or the
 * file the setting link_cache names), sorted, after a comment line; such a
 * file is read into the index once.
 * A linkcache owns its entries; linkcache_release frees them. */
#ifndef WEEKLY_LINKCACHE_H
#define WEEKLY_LINKCACHE_H

#include <stddef.h>
#include <time.h>
#include "diag.h"

/* suspect: answered, but the page looks dead or walled off; its reason
 * starts with the rule ("soft-404: ..."). */
enum linkcache_verdict { LINK_OK, LINK_BROKEN, LINK_UNVERIFIABLE, LINK_SUSPECT };

struct linkcache_entry {
	char *url;
	enum linkcache_verdict verdict;
	time_t checked;   /* seconds since the epoch, UTC */
	char *reason;     /* "404 Not Found", "connection reset"... */
	char *moved_to;   /* where a permanent redirect leads, or NULL */
	int changed;      /* put since it was loaded or saved */
};

struct linkcache {
	struct linkcache_entry *items;
	size_t len, cap;
	int sorted;
};

#define LINKCACHE_INIT { NULL, 0, 0, 1 }

struct index;

/* Read the verdicts kept in the index ix into c (which must be empty). The
 * first time, and without an index (ix NULL), those of legacy, the file of
 * an earlier version, are read instead, and written into the index: a
 * missing file is an empty cache, and one that cannot be read or is
 * corrupt adds a warning naming the file (and line) to d and leaves c
 * empty. */
void linkcache_load(struct linkcache *c, struct index *ix, const char *legacy, diag_list *d);
/* The entry for url, or NULL. */
const struct linkcache_entry *linkcache_find(struct linkcache *c, const char *url);
/* Add or replace url's entry; strings are copied, moved_to may be NULL.
 * Tabs and line breaks in reason are written as spaces. */
void linkcache_put(struct linkcache *c, const char *url, enum linkcache_verdict v,
		   time_t checked, const char *reason, const char *moved_to);
/* Write the entries put since c was loaded into ix, in one transaction: 0,
 * or -1. Without an index (no SQLite) nothing is kept: 0. */
int linkcache_save(struct linkcache *c, struct index *ix);
void linkcache_release(struct linkcache *c);

/* Whether url can be stored (no tab, no line break, not empty). */
int linkcache_storable(const char *url);

#endif
