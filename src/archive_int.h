/* archive_int.h - what the parts of the archive share: archive.c (issues
 * and their records), archive_key.c (digests of what outputs depend on) and
 * archive_out.c (the records of outputs). Not part of the archive's
 * interface: everything else sees archive.h. */
#ifndef WEEKLY_ARCHIVE_INT_H
#define WEEKLY_ARCHIVE_INT_H

#include <stdint.h>
#include <sys/stat.h>
#include "weekly/archive.h"

/* A file's time in nanoseconds. */
long long archive_mtime_ns(const struct stat *st);
/* Remember to remove the record of issue or output name from the index. */
void archive_drop_record(struct archive *a, const char *name);
/* Digest of the settings and of what else every output is made from (the
 * link metadata ix keeps, or the file of an earlier version). */
uint64_t archive_settings_digest(const struct newsletter *n, struct index *ix);

/* Add output record o (taking its name) as loaded; free them all; write
 * the changed ones to the index. */
void archive_outputs_add(struct archive *a, const struct archive_output *o);
void archive_outputs_release(struct archive *a);
void archive_outputs_put(struct archive *a);

#endif
