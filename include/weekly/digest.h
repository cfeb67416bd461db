/* digest.h - 64-bit digests of what outputs are made from: bytes, strings,
 * numbers, files and the settings. The build compares them with those of
 * the last build to know what changed; they are never written where a
 * reader sees them. Each takes the digest so far (seed) and returns it
 * with its input folded in. */
#ifndef WEEKLY_DIGEST_H
#define WEEKLY_DIGEST_H

#include <stddef.h>
#include <stdint.h>
#include "config.h"

/* The digest of len bytes at data, from seed: sixteen bytes at a time
 * folded in by a 128-bit multiplication. Not cryptographic: it notices
 * changes, it does not resist forgeries. */
uint64_t digest_bytes(const void *data, size_t len, uint64_t seed);
/* s with its terminating NUL (NULL as no bytes at all). */
uint64_t digest_str(const char *s, uint64_t h);
uint64_t digest_long(long long v, uint64_t h);
/* The bytes of the file at path; *found says whether it could be read (a
 * file that cannot digests as a marker of its absence). */
uint64_t digest_file(const char *path, uint64_t h, int *found);
/* The settings file of n and what else every output is made from (the
 * link metadata, items[].meta, as the index ix keeps it, or the file of an
 * earlier version). */
struct index;
uint64_t digest_settings(const struct newsletter *n, struct index *ix);

#endif
