/* linkindex.h - the link ledger (ledger.h) kept in the archive index
 * (index.h): which issues' links the index lacks or holds from an older
 * version of their source, keeping an issue's links, and the lookups that
 * then need no issue read: every place a URL appears (`weekly where`), and
 * where each item of an issue was featured before (`weekly check N`).
 *
 * Paths given back are the issue files as issue_files_list names them
 * (issues_dir joined with the file name). */
#ifndef WEEKLY_LINKINDEX_H
#define WEEKLY_LINKINDEX_H

#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "index.h"
#include "ledger.h"

/* The issue files numbered up to upto (-1: all) whose links the index
 * does not hold as their sources are now, by number: into *files (free
 * with issue_files_free) with their digests in *digests (free). -1 when
 * the index cannot be read. */
int linkindex_missing(struct index *ix, const char *issues_dir, long upto,
		      struct issue_file **files, uint64_t **digests, size_t *n);
/* Keep the n links e of issue file path in the index: numbered number,
 * front matter number fm (-1: none), its source's digest. */
void linkindex_keep(struct index *ix, const char *path, long number, long fm,
		    uint64_t digest, const struct ledger_entry *e, size_t n);
/* Into out: for each item link of links (n of them, of issue file number
 * number), the first place an issue file numbered lower featured the same
 * URL, as check's archive ledger would hold it. */
void linkindex_featured(struct index *ix, const char *issues_dir,
			const struct ledger_entry *links, size_t n, long number,
			struct ledger *out);
/* Call fn with each place key appears, in the order of the issues and of
 * their sources (e->file a path). 0, or -1 when the index cannot be read. */
typedef void (*linkindex_fn)(void *ud, const struct ledger_entry *e);
int linkindex_where(struct index *ix, const char *issues_dir, const char *key,
		    linkindex_fn fn, void *ud);

#endif
