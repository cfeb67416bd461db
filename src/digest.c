/* digest.c - digests of bytes, strings, numbers, files and the settings. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "weekly/digest.h"
#include "weekly/fsutil.h"
#include "weekly/index.h"
#include "weekly/metacache.h"

/* Odd 64-bit constants with bits spread evenly: the seeds of the lanes
 * and the keys each word is mixed with. */
#define KEY0 0x9e3779b97f4a7c15ull
#define KEY1 0xc6a4a7935bd1e995ull
#define KEY2 0xd6e8feb86659fd93ull
#define KEY3 0x8ebc6af09c88c6e3ull

/* The 128-bit product of a and b folded to 64 bits: every bit of each
 * factor reaches the middle of the product, in one multiplication. A
 * compiler without 128-bit integers (32-bit targets) makes the same
 * product of four 32-bit ones. */
static inline uint64_t mix(uint64_t a, uint64_t b)
{
#ifdef __SIZEOF_INT128__
	unsigned __int128 r = (unsigned __int128)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
#else
	uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
	uint64_t ll = al * bl, lh = al * bh, hl = ah * bl;
	uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl; /* < 3 << 32 */
	uint64_t lo = mid << 32 | (uint32_t)ll;
	return lo ^ (ah * bh + (lh >> 32) + (hl >> 32) + (mid >> 32));
#endif
}

/* Eight bytes of p. */
static inline uint64_t word(const unsigned char *p)
{
	uint64_t k;
	memcpy(&k, p, 8);
	return k;
}

/* Sixteen bytes at p into a lane's state v: the state is one factor, so
 * that the order of the blocks counts. */
static inline uint64_t step(uint64_t v, const unsigned char *p, uint64_t key)
{
	return v ^ mix(word(p) ^ key, word(p + 8) ^ v);
}

/* Blocks of 32 bytes at p into two lanes, sixteen bytes each. */
static inline void lanes(uint64_t v[2], const unsigned char *p, size_t blocks)
{
	for (; blocks--; p += 32) {
		v[0] = step(v[0], p, KEY2);
		v[1] = step(v[1], p + 16, KEY3);
	}
}

/* The lanes as they start for len bytes from seed. */
static inline void start(uint64_t v[2], size_t len, uint64_t seed)
{
	v[0] = seed ^ KEY0;
	v[1] = seed ^ ((uint64_t)len * KEY1);
}

/* The last len (< 32) bytes at p, into the lanes, and the final mix. */
static inline uint64_t finish(uint64_t v[2], const unsigned char *p, size_t len)
{
	if (len >= 16) {
		v[0] = step(v[0], p, KEY2);
		p += 16;
		len -= 16;
	}
	uint64_t t[2] = { 0, 0 };
	memcpy(t, p, len);
	uint64_t h = mix(t[0] ^ v[0] ^ KEY3, t[1] ^ v[1] ^ KEY0);
	return mix(h ^ KEY1, h ^ KEY2);
}

/* Sixteen bytes a multiplication, in two lanes whose multiplications the
 * processor overlaps; no tables. */
uint64_t digest_bytes(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t v[2];
	start(v, len, seed);
	lanes(v, p, len / 32);
	return finish(v, p + len / 32 * 32, len % 32);
}

/* digest_bytes of the len bytes of fd, read a piece at a time; -1 when
 * they cannot be read or are not len. */
static int digest_fd(int fd, size_t len, uint64_t *h)
{
	unsigned char piece[1 << 16];
	uint64_t v[2];
	start(v, len, *h);
	size_t blocks = len / 32, done = 0, have = 0; /* have: in piece, not hashed */
	for (;;) {
		ssize_t got = read(fd, piece + have, sizeof piece - have);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 || (have += (size_t)got) > len - done * 32)
			return -1;
		size_t k = have / 32 < blocks - done ? have / 32 : blocks - done;
		lanes(v, piece, k);
		done += k;
		memmove(piece, piece + k * 32, have - k * 32);
		have -= k * 32;
		if (got == 0)
			break;
	}
	if (done != blocks || have != len % 32)
		return -1;
	*h = finish(v, piece, have);
	return 0;
}

uint64_t digest_str(const char *s, uint64_t h)
{
	return digest_bytes(s ? s : "", s ? strlen(s) + 1 : 0, h);
}

uint64_t digest_long(long long v, uint64_t h)
{
	return digest_bytes(&v, sizeof v, h);
}

uint64_t digest_file(const char *path, uint64_t h, int *found)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	*found = fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
		 digest_fd(fd, (size_t)sb.st_size, &h) == 0;
	if (fd >= 0)
		close(fd);
	return *found ? h : digest_str("\001missing", h);
}

uint64_t digest_settings(const struct newsletter *n, struct index *ix)
{
	int found;
	uint64_t h = digest_file(n->settings_path, 0, &found);
	/* items[].meta is an input too: as the index keeps it, or the file */
	long long meta = ix ? index_meta(ix, METACACHE_STAMP, 0) : 0;
	if (meta)
		return digest_bytes(&meta, sizeof meta, h);
	char *legacy = fs_join(n->root, METACACHE_PATH);
	h = digest_file(legacy, h, &found);
	free(legacy);
	return h;
}
