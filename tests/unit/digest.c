/* digest.c - digests are the same on every machine: the values of
 * digest_bytes and digest_file for texts of every length around the
 * blocks of sixteen and thirty-two bytes are pinned, so that a build for
 * another processor (tests/portable.sh builds this for 32 bits, where the
 * 128-bit product is made of 32-bit ones) or a change of the function
 * cannot go unnoticed: an index and build/ made on one machine are trusted
 * on another. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "weekly/digest.h"
#include "expect.h"

/* The digests of the first len bytes of text(), for each len in LENS,
 * from seed 0 and from seed 0x0123456789abcdef, as this function gives
 * them on x86-64 with 128-bit integers. */
static const size_t LENS[] = { 0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 100, 1000 };
static const char *const WANT[][2] = {
	{ "743ff92e13ccacc2", "90e946c4482c0e76" },
	{ "643323b88f15acd9", "27c46d3cb24438f2" },
	{ "2014ca3484473679", "7d65aa40b30ae0f4" },
	{ "14f1c14fb37881d0", "69e1901fd6f5fe19" },
	{ "15086040379586d6", "f3c979f564c0b408" },
	{ "e32f82941cea8aaa", "5301f971c7fd499f" },
	{ "6e2a4e58ff6bd083", "74e0c766be006730" },
	{ "32ff95c6b1a7b6b5", "d0769f26f5802648" },
	{ "24e512902b6ff8fe", "b2e52a7750b35423" },
	{ "9dfdb0e5efd00dbb", "fd5d33deecd9d534" },
	{ "55996f869c9ff7b3", "56d39dee42c5c25b" },
	{ "5ad66afcff236c0a", "909fe0cbcb95f4d5" },
	{ "94da242e6fca4aa1", "000a3a9877c8f493" },
	{ "6c228a398c2cc2d8", "0f236b599005eb26" },
	{ "99bf551374b34c5a", "99485deb084a8634" },
	{ "7f3e8a067beeec8b", "807f467e5a3cddd8" },
	{ "32190c354ab6504d", "3e082f5c32337a14" },
};

/* Bytes that are not all text: every value 0-255 in turn, mixed. */
static unsigned char *text(size_t n)
{
	unsigned char *t = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		t[i] = (unsigned char)(i * 131 + (i >> 3) * 7 + 29);
	return t;
}

int main(int argc, char **argv)
{
	int print = argc > 1 && strcmp(argv[1], "--print") == 0; /* the table above */
	size_t nlens = sizeof LENS / sizeof *LENS;
	unsigned char *t = text(70000);
	char got[32], name[96];
	for (size_t k = 0; k < nlens; k++)
		for (int s = 0; s < 2; s++) {
			uint64_t h = digest_bytes(t, LENS[k], s ? 0x0123456789abcdefull : 0);
			snprintf(got, sizeof got, "%016" PRIx64, h);
			snprintf(name, sizeof name, "digest of %zu bytes, seed %d", LENS[k], s);
			if (print)
				printf("%s\"%s\"%s", s ? ", " : "\t{ ", got, s ? " },\n" : "");
			else
				expect(name, WANT[k][s], got);
		}
	if (print)
		return 0;
	/* a file is read a piece (64 KiB) at a time: its digest is the bytes' */
	char path[] = "/tmp/weekly-digest-XXXXXX";
	int fd = mkstemp(path), found = 0;
	int wrote = fd >= 0 && write(fd, t, 70000) == 70000;
	if (fd >= 0)
		close(fd);
	uint64_t f = wrote ? digest_file(path, 5, &found) : 0;
	unlink(path);
	expect_that("a file of 70,000 bytes has its bytes' digest", found &&
		    f == digest_bytes(t, 70000, 5), NULL);
	free(t);
	return expect_summary();
}
