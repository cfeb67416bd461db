/* archive_int.h - what the parts of the archive share: archive.c (issues
 * and their records), archive_state.c (records as loaded, their counts, and the state
 * file of earlier versions), archive_key.c (the keys of what outputs depend
 * on) and archive_out.c (the records of outputs, and of what the index
 * forgets). Not part of the archive's interface: everything else sees
 * archive.h. */
#ifndef WEEKLY_ARCHIVE_INT_H
#define WEEKLY_ARCHIVE_INT_H

#include <stdint.h>
#include "weekly/archive.h"

/* The records of issues as loaded, from the index or the state file. */
struct state {
	struct archive_issue *issues; /* in the order read */
	size_t len, cap;
	size_t diagslen, diagscap; /* of the last issue's diags, as they grow */
};

/* Free an issue's facts; set whether it failed (a failed issue is not
 * listed). */
void archive_issue_clear(struct archive_issue *is);
void archive_set_failed(struct archive_issue *is, int failed);

/* The counts (a->ncounts) of "n,n,...,total", as a->counts keeps them,
 * or NULL for "-" or a damaged list. */
const long *archive_parse_counts(struct archive *a, const char *s);

/* counts (a->ncounts of them) as the archive holds them: each distinct set
 * once, until archive_release; NULL for NULL. */
const long *archive_counts_keep(struct archive *a, const long *counts);
void archive_counts_release(struct archive *a);

/* Free the records of st. */
void archive_state_release(struct state *st);

/* Read the state file of earlier versions into st and
 * a->outs; a missing, foreign or damaged file leaves both empty. */
void archive_legacy_load(struct archive *a, struct state *st);

/* Remember to remove the record of issue or output name from the index. */
void archive_drop_record(struct archive *a, const char *name);

/* Add output record o (taking its name) as loaded; free them all; write
 * the changed ones to the index. */
void archive_outputs_add(struct archive *a, const struct archive_output *o);
void archive_outputs_release(struct archive *a);
void archive_outputs_put(struct archive *a);

#endif
