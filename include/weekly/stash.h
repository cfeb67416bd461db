/* stash.h - a temporary file that bytes are appended to and read back
 * from, for what a run sets aside to use later instead of holding it in
 * memory. Appends gather in a buffer before they are written, and reads
 * take a window of the file at a time, so that many small pieces cost few
 * system calls: pieces are read back mostly in the order they came. */
#ifndef WEEKLY_STASH_H
#define WEEKLY_STASH_H

#include <stddef.h>

struct stash;

/* A new stash, its file made (fs_temp_file): NULL with errno set when it
 * cannot be. The calls below take NULL too, and fail with EBADF. */
struct stash *stash_open(void);

/* Append len bytes of data: where they start, or -1 with errno set when
 * the file cannot be written. After a write failed, every later put
 * fails too, and every piece put before stays readable (pieces that were
 * waiting to be written are kept in memory). */
long long stash_put(struct stash *s, const char *data, size_t len);

/* Read the len bytes at at, as stash_put returned it, into data: 0, or
 * -1 with errno set on an error or beyond what was put. */
int stash_get(struct stash *s, long long at, char *data, size_t len);

/* Remove the file and free s (NULL: nothing). */
void stash_close(struct stash *s);

#endif
