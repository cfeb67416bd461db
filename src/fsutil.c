/* fsutil.c - whole-file reads, atomic writes (temporary file + rename), paths. */
#include <errno.h>
#include <fcntl.h>
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

static int write_all(int fd, const char *data, size_t len)
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

char *fs_stage(const char *path, const char *data, size_t len)
{
	char *tmp = xasprintf("%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return NULL;
	}
	int rc = write_all(fd, data, len);
	if (rc == 0)
		rc = fchmod(fd, file_mode());
	if (close(fd) < 0)
		rc = -1;
	if (rc < 0) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		errno = e;
		return NULL;
	}
	return tmp;
}

int fs_commit(const char *tmp, const char *path)
{
	if (rename(tmp, path) == 0)
		return 0;
	int e = errno;
	unlink(tmp);
	errno = e;
	return -1;
}

void fs_discard(const char *tmp)
{
	unlink(tmp);
}

/* Devices and pipes (-o /dev/stdout) are written in place. */
static int write_special(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -1;
	int rc = write_all(fd, data, len);
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
	char *tmp = fs_stage(path, data, len);
	if (!tmp)
		return -1;
	int rc = fs_commit(tmp, path);
	free(tmp);
	return rc;
}

/* Where hard links are not supported: create exclusively, then write. */
static int write_exclusive(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
	if (fd < 0)
		return -1;
	int rc = write_all(fd, data, len);
	int e = errno;
	if (close(fd) < 0 && rc == 0)
		rc = -1, e = errno;
	if (rc < 0)
		unlink(path);
	errno = e;
	return rc;
}

/* link() refuses to replace, so the file appears whole or not at all. */
int fs_write_new(const char *path, const char *data, size_t len)
{
	char *tmp = fs_stage(path, data, len);
	if (!tmp)
		return -1;
	int rc = link(tmp, path);
	int e = errno;
	unlink(tmp);
	free(tmp);
	if (rc < 0 && (e == EPERM || e == ENOTSUP || e == EOPNOTSUPP || e == ENOSYS))
		return write_exclusive(path, data, len);
	errno = e;
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
	return xasprintf("%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", name);
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
