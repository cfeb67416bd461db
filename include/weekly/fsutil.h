/* fsutil.h - whole-file reads, atomic writes, paths.
 *
 * Functions returning int give 0 on success and -1 on failure with errno
 * set; the caller reports. */
#ifndef WEEKLY_FSUTIL_H
#define WEEKLY_FSUTIL_H

#include <stddef.h>

/* Files larger than this are refused (errno EFBIG). */
#define FS_MAX_FILE (16u << 20)

/* Write all of data to fd, again after short writes and interruptions. */
int fs_write_all(int fd, const char *data, size_t len);
/* Read len bytes of fd at offset at into data, again after short reads
 * and interruptions; a file that ends before is an error (EIO). */
int fs_read_at(int fd, char *data, size_t len, long long at);
/* Write len bytes of data at offset at of fd (the file's offset stays). */
int fs_write_at(int fd, const char *data, size_t len, long long at);
/* The folder of temporary files: $TMPDIR, or /tmp when it is unset or
 * empty. */
const char *fs_temp_dir(void);
/* A temporary file with no name in fs_temp_dir(), open for reading and
 * writing, for what would take too much memory (its descriptor); -1 with
 * errno set (ENOENT: the folder is missing). */
int fs_temp_file(void);
/* Read a whole file into a fresh NUL-terminated buffer the caller frees. */
int fs_read(const char *path, char **data, size_t *len);
/* Write data to path through a temporary file in the same folder and a
 * rename, so readers see the old file or the new one, never a mix. An
 * existing path that is not a regular file (a device, a pipe) is written in
 * place. */
int fs_write_atomic(const char *path, const char *data, size_t len);
/* Write a new file at path, all at once, never replacing one: fails with
 * EEXIST when path exists, even if it appears meanwhile. */
int fs_write_new(const char *path, const char *data, size_t len);
/* fs_write_atomic in two steps, for several files that change together:
 * stage writes the data to a file in path's folder that has no name yet
 * (O_TMPFILE) or a temporary one; commit puts it at path, replacing any
 * file there; discard drops it. Both end the staged file. */
typedef struct fs_staged {
	int fd;     /* the file staged, open for writing more */
	char *tmp;  /* its temporary name, NULL when it has none */
} fs_staged;
int fs_stage(const char *path, const char *data, size_t len, fs_staged *s);
int fs_commit(fs_staged *s, const char *path);
void fs_discard(fs_staged *s);
/* A file written a piece at a time, never held whole, that replaces the
 * one at path only if it differs: open stages a new file beside path
 * (unless stage is 0: only compare); put compares each piece with the
 * file there and writes it to the staged file; close, when the pieces
 * are whole, says whether they differ (differ) and puts the staged file at
 * path if so; what was staged is dropped. close returns -1 with errno set
 * when a write failed. */
typedef struct fs_pieces {
	int old;    /* the file at path, read as far as the pieces came; -1: none */
	int differ; /* the pieces are not that file */
	fs_staged st;
	int err;    /* errno of the first failed write, 0: none */
} fs_pieces;
void fs_pieces_open(fs_pieces *p, const char *path, int stage);
void fs_pieces_put(fs_pieces *p, const char *data, size_t len);
int fs_pieces_close(fs_pieces *p, const char *path, int whole);
/* Temporary files are named PATH.tmpPID-X (X letters and digits), beside
 * PATH: a write killed between making and renaming one leaves it behind. */
#define FS_TEMP_MARK ".tmp"
/* Whether a file named name is such a temporary file whose process is no
 * longer running (or is this one, which has made none yet when it asks). */
int fs_temp_leftover(const char *name);
/* Create a folder and its parents (like mkdir -p). */
int fs_mkdirs(const char *path);
int fs_exists(const char *path);
int fs_is_dir(const char *path);
/* The names of the files in dir that keep accepts (every name but those
 * starting with '.' when keep is NULL), sorted bytewise, in *names (free
 * with fs_names_free). Their count, or -1 with errno when dir cannot be
 * read. */
long fs_names(const char *dir, int (*keep)(const char *name), char ***names);
void fs_names_free(char **names, long n);
/* path joined with name, in a fresh string the caller frees. */
char *fs_join(const char *dir, const char *name);
/* The last component of path (borrowed, inside path). */
const char *fs_basename(const char *path);
/* The folder part of path, in a fresh string ("." when none). */
char *fs_dirname(const char *path);

struct stat;
/* The modification time of st in nanoseconds. */
long long fs_mtime_ns(const struct stat *st);

#endif
