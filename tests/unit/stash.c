/* stash.c - unit tests of the temporary file set aside (src/stash.c):
 * pieces of every size put one after the other read back byte for byte
 * wherever they are (still in the buffer, in the file, across both, bigger
 * than a window), in order, backwards and at random; a read beyond what
 * was put fails with EINVAL; once a write fails (a file size limit), every
 * later put fails, and every piece put before still reads back, those
 * that waited to be written too; a stash whose folder is missing is not
 * made (ENOENT), and what is asked of it then fails. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include "expect.h"
#include "weekly/stash.h"

#define PIECES 3000

/* Piece k: k % 1000 * 7 bytes (some empty), or over 8 KiB (what goes to
 * the file as it is), or over 64 KiB (more than a window), each byte made
 * from k and its place, so that a piece read from elsewhere shows. */
static size_t piece_len(int k)
{
	return k % 97 == 5 ? 70000 + (size_t)k
	       : k % 53 == 3 ? 9000 + (size_t)k : (size_t)(k % 1000) * 7;
}

static void piece_fill(int k, char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (char)(k * 31 + i * 7 + i / 256);
}

/* Read piece k back and compare. */
static int piece_ok(struct stash *s, const long long *at, int k)
{
	size_t len = piece_len(k);
	char *want = malloc(len + 1), *got = malloc(len + 1);
	piece_fill(k, want, len);
	int ok = stash_get(s, at[k], got, len) == 0 && memcmp(want, got, len) == 0;
	free(want);
	free(got);
	return ok;
}

int main(void)
{
	static long long at[PIECES];
	struct stash *s = stash_open();
	char *p = malloc(80000);
	int ok = 1, mid = 1;
	long long total = 0;
	for (int k = 0; k < PIECES; k++) {
		size_t len = piece_len(k);
		piece_fill(k, p, len);
		at[k] = stash_put(s, p, len);
		ok &= at[k] == total;
		total += (long long)len;
		if (k == PIECES / 2) /* read some back while more are to come */
			for (int j = 0; j <= k; j += 37)
				mid &= piece_ok(s, at, j);
	}
	expect_that("each piece starts where the one before ends", ok, NULL);
	expect_that("pieces read back between puts", mid, NULL);
	ok = 1;
	for (int k = 0; k < PIECES; k++)
		ok &= piece_ok(s, at, k);
	expect_that("every piece read back in order", ok, NULL);
	ok = 1;
	for (int k = PIECES - 1; k >= 0; k--)
		ok &= piece_ok(s, at, k);
	expect_that("every piece read back backwards", ok, NULL);
	ok = 1;
	srand(7);
	for (int n = 0; n < 2000; n++)
		ok &= piece_ok(s, at, rand() % PIECES);
	expect_that("pieces read back at random", ok, NULL);
	ok = 1;
	for (int k = 1; k < PIECES; k += 101) { /* two pieces at once, across any seam */
		size_t a = piece_len(k - 1), b = piece_len(k);
		char *two = malloc(a + b + 1), *want = malloc(a + b + 1);
		piece_fill(k - 1, want, a);
		piece_fill(k, want + a, b);
		ok &= stash_get(s, at[k - 1], two, a + b) == 0 && memcmp(two, want, a + b) == 0;
		free(two);
		free(want);
	}
	expect_that("two pieces read as one", ok, NULL);
	ok = 1;
	for (int k = PIECES - 1; k >= PIECES - 40; k--) { /* the tail, from piece k on */
		long long len = total - at[k];
		char *tail = malloc((size_t)len + 1), *want = malloc((size_t)len + 1);
		for (int j = k; j < PIECES; j++)
			piece_fill(j, want + (at[j] - at[k]), piece_len(j));
		ok &= stash_get(s, at[k], tail, (size_t)len) == 0 && memcmp(tail, want, (size_t)len) == 0;
		free(tail);
		free(want);
	}
	expect_that("the last pieces read as one, written or not", ok, NULL);
	errno = 0;
	expect_that("a read past the end fails with EINVAL",
		    stash_get(s, total - 3, p, 4) < 0 && errno == EINVAL, NULL);
	stash_close(s);

	/* a write that fails: the file may not grow past 40,000 bytes */
	struct rlimit was, lim;
	getrlimit(RLIMIT_FSIZE, &was);
	lim = (struct rlimit){ 40000, was.rlim_max };
	signal(SIGXFSZ, SIG_IGN);
	s = stash_open();
	setrlimit(RLIMIT_FSIZE, &lim);
	static long long pat[60];
	int n = 0, put_ok = 1;
	for (; n < 60; n++) { /* piece 0 over 8 KiB, straight to the file; then 1,000 bytes each */
		size_t len = n ? 1000 : 20000;
		piece_fill(n, p, len);
		if ((pat[n] = stash_put(s, p, len)) < 0)
			break;
	}
	int e = errno;
	setrlimit(RLIMIT_FSIZE, &was);
	expect_that("a put fails once the file may not grow, with EFBIG",
		    n > 21 && n < 60 && e == EFBIG, NULL);
	errno = 0;
	put_ok = stash_put(s, p, 10) < 0 && errno == EFBIG;
	expect_that("and every later put fails", put_ok, NULL);
	ok = 1;
	for (int k = 0; k < n; k++) {
		size_t len = k ? 1000 : 20000;
		char *want = malloc(len), *got = malloc(len);
		piece_fill(k, want, len);
		ok &= stash_get(s, pat[k], got, len) == 0 && memcmp(want, got, len) == 0;
		free(want);
		free(got);
	}
	expect_that("every piece put before reads back, written or kept", ok, NULL);
	stash_close(s);

	setenv("TMPDIR", "/nonexistent/weekly-stash-test", 1);
	errno = 0;
	s = stash_open();
	expect_that("a stash with no folder is not made, ENOENT", !s && errno == ENOENT, NULL);
	expect_that("and its calls fail with EBADF",
		    stash_put(s, p, 1) < 0 && errno == EBADF && stash_get(s, 0, p, 1) < 0 &&
		    errno == EBADF, NULL);
	stash_close(s);
	free(p);
	return expect_summary();
}
