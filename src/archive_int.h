/* archive_int.h - what the parts of the archive share: archive.c (issues
 * and their records), archive_key.c (the keys of what outputs depend on) and
 * archive_out.c (the records of outputs, and of what the index forgets). Not part of the archive's
 * interface: everything else sees archive.h. */
#ifndef WEEKLY_ARCHIVE_INT_H
#define WEEKLY_ARCHIVE_INT_H

#include <stdint.h>
#include "weekly/archive.h"

/* Remember to remove the record of issue or output name from the index. */
void archive_drop_record(struct archive *a, const char *name);

/* Add output record o (taking its name) as loaded; free them all; write
 * the changed ones to the index. */
void archive_outputs_add(struct archive *a, const struct archive_output *o);
void archive_outputs_release(struct archive *a);
void archive_outputs_put(struct archive *a);

#endif
