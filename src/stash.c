/* stash.c - a temporary file set aside, through a buffer each way
 * (stash.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "weekly/buf.h"
#include "weekly/fsutil.h"
#include "weekly/stash.h"
#include "weekly/util.h"

/* Appends are written once this many gather; a read takes a window of
 * this many bytes when what it asks for is smaller. */
#define STASH_BLOCK ((size_t)32 << 10)
/* A piece this big or bigger goes to the file and back as it is: a copy
 * through the buffers would cost more than the system call it spares. */
#define STASH_DIRECT ((size_t)8 << 10)

struct stash {
	int fd;
	int failed;          /* errno of the write that failed, or 0: no
			      * more puts, what was put still readable */
	long long written;   /* bytes in the file; the pending ones follow */
	buf pending;
	buf window;          /* a copy of the file's bytes from winat */
	long long winat;
};

struct stash *stash_open(void)
{
	int fd = fs_temp_file();
	if (fd < 0)
		return NULL;
	struct stash *s = xcalloc(1, sizeof *s);
	s->fd = fd;
	s->pending = (buf)BUF_INIT;
	s->window = (buf)BUF_INIT;
	return s;
}

/* Write the pending bytes: 0, or -1 when the write fails, the bytes then
 * kept here, so that every piece put before stays readable. */
static int flush(struct stash *s)
{
	if (s->failed)
		return -1;
	errno = 0;
	if (fs_write_at(s->fd, s->pending.data, s->pending.len, s->written) < 0) {
		s->failed = errno ? errno : EIO;
		return -1;
	}
	s->written += (long long)s->pending.len;
	buf_reset(&s->pending);
	return 0;
}

long long stash_put(struct stash *s, const char *data, size_t len)
{
	if (!s || s->failed)
		return (errno = s ? s->failed : EBADF, -1);
	long long at = s->written + (long long)s->pending.len;
	if (len >= STASH_DIRECT) {
		errno = 0;
		if (flush(s) < 0 || fs_write_at(s->fd, data, len, at) < 0) {
			s->failed = s->failed ? s->failed : errno ? errno : EIO;
			return (errno = s->failed, -1);
		}
		s->written += (long long)len;
		return at;
	}
	buf_put(&s->pending, data ? data : "", len);
	if (s->pending.len >= STASH_BLOCK)
		flush(s); /* when it fails, the piece is kept here all the same */
	return at;
}

int stash_get(struct stash *s, long long at, char *data, size_t len)
{
	long long end = at + (long long)len;
	if (!s)
		return (errno = EBADF, -1);
	if (at < 0 || end > s->written + (long long)s->pending.len)
		return (errno = EINVAL, -1);
	if (at >= s->written) {
		memcpy(data, s->pending.data + (at - s->written), len);
		return 0;
	}
	if (end > s->written) { /* partly written, partly pending */
		size_t head = (size_t)(s->written - at);
		if (fs_read_at(s->fd, data, head, at) < 0)
			return -1;
		memcpy(data + head, s->pending.data, len - head);
		return 0;
	}
	if (len >= STASH_DIRECT)
		return fs_read_at(s->fd, data, len, at);
	if (at < s->winat || end > s->winat + (long long)s->window.len) {
		/* windows start at multiples of STASH_BLOCK, so that reads
		 * that go forward or back take each block once */
		long long from = at - at % (long long)STASH_BLOCK;
		if (end - from > (long long)STASH_BLOCK)
			from = at;
		long long to = from + (long long)STASH_BLOCK;
		size_t n = (size_t)((to < s->written ? to : s->written) - from);
		buf_reset(&s->window);
		buf_reserve(&s->window, n);
		if (fs_read_at(s->fd, s->window.data, n, from) < 0)
			return -1;
		s->window.len = n;
		s->winat = from;
	}
	memcpy(data, s->window.data + (at - s->winat), len);
	return 0;
}

void stash_close(struct stash *s)
{
	if (!s)
		return;
	close(s->fd);
	buf_release(&s->pending);
	buf_release(&s->window);
	free(s);
}
