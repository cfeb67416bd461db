/* fsutil.c - whole-file reads, atomic writes (temporary file + rename), paths. */
#define _GNU_SOURCE /* O_TMPFILE */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "weekly/fsutil.h"
#include "weekly/util.h"

int fs_read(const char *path, char **data, size_t *len)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
		int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (st.st_size > (off_t)FS_MAX_FILE) {
		close(fd);
		errno = EFBIG;
		return -1;
	}
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *p = xmalloc(cap + 1);
	for (;;) {
		ssize_t r = read(fd, p + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(p);
			close(fd);
			errno = e;
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		/* a regular file read short at the size it had is whole: no
		 * second read to hear its end (a file of size 0, as /proc has,
		 * is read to its end) */
		if (S_ISREG(st.st_mode) && st.st_size > 0 && n == (size_t)st.st_size)
			break;
		if (n > FS_MAX_FILE) {
			free(p);
			close(fd);
			errno = EFBIG;
			return -1;
		}
		if (n == cap) { /* the file grew since fstat */
			cap *= 2;
			p = xrealloc(p, cap + 1);
		}
	}
	close(fd);
	p[n] = '\0';
	*data = p;
	*len = n;
	return 0;
}

int fs_write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

int fs_write_at(int fd, const char *data, size_t len, long long at)
{
	while (len) {
		ssize_t w = pwrite(fd, data, len, (off_t)at);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		data += w;
		len -= (size_t)w;
		at += w;
	}
	return 0;
}

int fs_read_at(int fd, char *data, size_t len, long long at)
{
	while (len) {
		ssize_t got = pread(fd, data, len, (off_t)at);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			errno = got == 0 ? EIO : errno; /* the file is shorter */
			return -1;
		}
		data += got;
		len -= (size_t)got;
		at += got;
	}
	return 0;
}

const char *fs_temp_dir(void)
{
	const char *dir = getenv("TMPDIR");
	return dir && *dir ? dir : "/tmp";
}

/* A file with no name in the temporary folder; where the file system
 * cannot make one (O_TMPFILE), a named file removed at once. */
int fs_temp_file(void)
{
	const char *dir = fs_temp_dir();
#ifdef O_TMPFILE
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
#endif
	char *name = xasprintf("%s/weekly-XXXXXX", dir);
	int made = mkostemp(name, O_CLOEXEC), e = errno;
	if (made >= 0)
		unlink(name);
	free(name);
	errno = e;
	return made;
}

static mode_t file_mode(void)
{
	static int known;
	static mode_t mode;
	if (!known) {
		mode_t mask = umask(022);
		umask(mask);
		mode = 0666 & ~mask;
		known = 1;
	}
	return mode;
}

/* A named temporary file beside path, for systems without O_TMPFILE. */
static int stage_named(const char *path, const char *data, size_t len, fs_staged *s)
{
	char *tmp = xasprintf("%s" FS_TEMP_MARK "%ld-XXXXXX", path, (long)getpid());
	int fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return -1;
	}
	int rc = fs_write_all(fd, data, len);
	if (rc == 0)
		rc = fchmod(fd, file_mode());
	if (rc < 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		free(tmp);
		errno = e;
		return -1;
	}
	*s = (fs_staged){ fd, tmp };
	return 0;
}

/* Whether a file without a name can be given one (through /proc). */
static int can_link_unnamed(void)
{
	static int known, can;
	if (!known) {
		can = access("/proc/self/fd", X_OK) == 0;
		known = 1;
	}
	return can;
}

/* A file without a name in path's folder: the folder changes only when
 * the file is put in place. */
static int stage_unnamed(const char *path, const char *data, size_t len, fs_staged *s)
{
#ifndef O_TMPFILE
	(void)path, (void)data, (void)len, (void)s;
	return -1;
#else
	if (!can_link_unnamed())
		return -1;
	char *dir = fs_dirname(path);
	int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
	free(dir);
	if (fd < 0)
		return -1;
	if (fs_write_all(fd, data, len) < 0) {
		close(fd);
		return -1;
	}
	*s = (fs_staged){ fd, NULL };
	return 0;
#endif
}

int fs_stage(const char *path, const char *data, size_t len, fs_staged *s)
{
	if (stage_unnamed(path, data, len, s) == 0)
		return 0;
	return stage_named(path, data, len, s);
}

static int link_unnamed(int fd, const char *path)
{
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	return linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW);
}

/* Name the unnamed file beside path, then rename it over path. */
static int replace_unnamed(int fd, const char *path)
{
	static unsigned long serial;
	for (;;) {
		char *tmp = xasprintf("%s" FS_TEMP_MARK "%ld-%lu", path, (long)getpid(), serial++);
		int rc = link_unnamed(fd, tmp);
		if (rc < 0 && errno == EEXIST) {
			free(tmp);
			continue;
		}
		if (rc == 0 && rename(tmp, path) < 0) {
			int e = errno;
			unlink(tmp);
			errno = e;
			rc = -1;
		}
		free(tmp);
		return rc;
	}
}

static int commit(fs_staged *s, const char *path, int replace)
{
	int rc;
	if (s->tmp) {
		rc = close(s->fd); /* a write error may show only now */
		s->fd = -1;
		if (rc == 0)
			rc = replace ? rename(s->tmp, path) : link(s->tmp, path);
		if (rc == 0 && replace) { /* the name is path's now */
			free(s->tmp);
			s->tmp = NULL;
		}
	} else {
		rc = link_unnamed(s->fd, path);
		if (rc < 0 && errno == EEXIST && replace)
			rc = replace_unnamed(s->fd, path);
	}
	int e = errno;
	fs_discard(s);
	errno = e;
	return rc;
}

int fs_commit(fs_staged *s, const char *path)
{
	return commit(s, path, 1);
}

void fs_discard(fs_staged *s)
{
	if (s->fd >= 0)
		close(s->fd);
	if (s->tmp)
		unlink(s->tmp);
	free(s->tmp);
	*s = (fs_staged){ -1, NULL };
}

void fs_pieces_open(fs_pieces *p, const char *path, int stage)
{
	*p = (fs_pieces){ open(path, O_RDONLY | O_CLOEXEC), 0, { -1, NULL }, 0 };
	p->differ = p->old < 0;
	if (stage && fs_stage(path, "", 0, &p->st) < 0) /* the pieces follow */
		p->err = errno;
}

/* Whether the next len bytes of the file there are data's. */
static int same_as_old(fs_pieces *p, const char *data, size_t len)
{
	char piece[1 << 16];
	while (len) {
		ssize_t got = read(p->old, piece, len < sizeof piece ? len : sizeof piece);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0 || memcmp(piece, data, (size_t)got) != 0)
			return 0;
		data += got;
		len -= (size_t)got;
	}
	return 1;
}

void fs_pieces_put(fs_pieces *p, const char *data, size_t len)
{
	if (!p->differ)
		p->differ = !same_as_old(p, data, len);
	if (p->st.fd >= 0 && !p->err && fs_write_all(p->st.fd, data, len) < 0)
		p->err = errno;
}

int fs_pieces_close(fs_pieces *p, const char *path, int whole)
{
	char c;
	int rc = 0;
	if (whole && !p->differ)
		p->differ = read(p->old, &c, 1) != 0; /* the file there is longer */
	if (p->old >= 0)
		close(p->old);
	p->old = -1;
	if (whole && p->differ && p->err) {
		errno = p->err;
		rc = -1;
	} else if (whole && p->differ && p->st.fd >= 0) {
		rc = fs_commit(&p->st, path);
	}
	int e = errno;
	fs_discard(&p->st);
	errno = e;
	return rc;
}

/* Devices and pipes (-o /dev/stdout) are written in place. */
static int write_special(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -1;
	int rc = fs_write_all(fd, data, len);
	int e = errno;
	if (close(fd) < 0 && rc == 0)
		return -1;
	errno = e;
	return rc;
}

int fs_write_atomic(const char *path, const char *data, size_t len)
{
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return write_special(path, data, len);
	fs_staged staged;
	if (fs_stage(path, data, len, &staged) < 0)
		return -1;
	return fs_commit(&staged, path);
}

/* Where hard links are not supported: create exclusively, then write. */
static int write_exclusive(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
	if (fd < 0)
		return -1;
	int rc = fs_write_all(fd, data, len);
	int e = errno;
	if (close(fd) < 0 && rc == 0)
		rc = -1, e = errno;
	if (rc < 0)
		unlink(path);
	errno = e;
	return rc;
}

/* A link refuses to replace, so the file appears whole or not at all. */
int fs_write_new(const char *path, const char *data, size_t len)
{
	fs_staged st;
	if (fs_stage(path, data, len, &st) < 0)
		return -1;
	int rc = commit(&st, path, 0);
	if (rc < 0 && (errno == EPERM || errno == ENOTSUP || errno == EOPNOTSUPP || errno == ENOSYS))
		return write_exclusive(path, data, len);
	return rc;
}

int fs_mkdirs(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			int e = errno;
			free(p);
			errno = e;
			return -1;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	struct stat st;
	if (stat(path, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

int fs_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

int fs_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *fs_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);
	if (n == 0 || strcmp(dir, ".") == 0)
		return xstrdup(name);
	size_t slash = dir[n - 1] != '/', m = strlen(name);
	char *path = xmalloc(n + slash + m + 1);
	memcpy(path, dir, n);
	path[n] = '/'; /* overwritten by name when dir ends with one */
	memcpy(path + n + slash, name, m + 1);
	return path;
}

const char *fs_basename(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

char *fs_dirname(const char *path)
{
	const char *s = strrchr(path, '/');
	if (!s)
		return xstrdup(".");
	if (s == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(s - path));
}

int fs_temp_leftover(const char *name)
{
	const char *mark = strstr(name, FS_TEMP_MARK), *p;
	while (mark && strstr(mark + 1, FS_TEMP_MARK))
		mark = strstr(mark + 1, FS_TEMP_MARK);
	if (!mark || mark == name)
		return 0;
	p = mark + strlen(FS_TEMP_MARK);
	size_t digits = strspn(p, "0123456789");
	if (!digits || digits > 9 || p[digits] != '-' || !p[digits + 1])
		return 0;
	for (const char *q = p + digits + 1; *q; q++)
		if (!((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')))
			return 0;
	long pid = strtol(p, NULL, 10);
	/* a process that is still running is still writing it */
	return pid == (long)getpid() || pid <= 0 || (kill((pid_t)pid, 0) < 0 && errno == ESRCH);
}

long long fs_mtime_ns(const struct stat *st)
{
	return (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

static int by_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

long fs_names(const char *dir, int (*keep)(const char *name), char ***names)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	size_t n = 0, cap = 0;
	*names = NULL;
	if (!dp)
		return -1;
	while ((e = readdir(dp)))
		if (keep ? keep(e->d_name) : e->d_name[0] != '.') {
			xgrow((void **)names, &cap, n + 1, sizeof **names);
			(*names)[n++] = xstrdup(e->d_name);
		}
	closedir(dp);
	if (n)
		qsort(*names, n, sizeof **names, by_name);
	return (long)n;
}

void fs_names_free(char **names, long n)
{
	for (long i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
