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

#define HASH_M 0xc6a4a7935bd1e995ull

static uint64_t hash_mix(uint64_t k)
{
	k *= HASH_M;
	k ^= k >> 47;
	return k * HASH_M;
}

/* Eight bytes of p, mixed. */
static uint64_t hash_word(const unsigned char *p)
{
	uint64_t k;
	memcpy(&k, p, 8);
	return hash_mix(k);
}

/* The four lanes of MurmurHash64A over blocks of 32 bytes at p. */
static inline void lanes(uint64_t v[4], const unsigned char *p, size_t blocks)
{
	for (; blocks--; p += 32) {
		v[0] = (v[0] ^ hash_word(p)) * HASH_M;
		v[1] = (v[1] ^ hash_word(p + 8)) * HASH_M;
		v[2] = (v[2] ^ hash_word(p + 16)) * HASH_M;
		v[3] = (v[3] ^ hash_word(p + 24)) * HASH_M;
	}
}

static inline uint64_t fold(const uint64_t v[4])
{
	uint64_t h = (v[0] ^ hash_mix(v[1])) * HASH_M;
	h = (h ^ hash_mix(v[2])) * HASH_M;
	return (h ^ hash_mix(v[3])) * HASH_M;
}

/* The last len (< 32) bytes at p, into h, and the final mix. */
static inline uint64_t finish(uint64_t h, const unsigned char *p, size_t len)
{
	for (; len >= 8; p += 8, len -= 8)
		h = (h ^ hash_word(p)) * HASH_M;
	if (len) {
		uint64_t t = 0;
		memcpy(&t, p, len);
		h = (h ^ t) * HASH_M;
	}
	h ^= h >> 47;
	h *= HASH_M;
	return h ^ (h >> 47);
}

/* MurmurHash64A, eight bytes a step, good spread, no tables; long inputs
 * (outputs, sources) in four lanes of eight bytes, whose multiplications
 * the processor overlaps, folded into one at the end. */
uint64_t digest_bytes(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ (len * HASH_M);
	if (len >= 32) {
		uint64_t v[4] = { h, h ^ 1, h ^ 2, h ^ 3 };
		lanes(v, p, len / 32);
		p += len / 32 * 32;
		len %= 32;
		h = fold(v);
	}
	return finish(h, p, len);
}

/* digest_bytes of the len bytes of fd, read a piece at a time; -1 when
 * they cannot be read or are not len. */
static int digest_fd(int fd, size_t len, uint64_t *h)
{
	unsigned char piece[1 << 16];
	uint64_t h0 = *h ^ (len * HASH_M), v[4] = { h0, h0 ^ 1, h0 ^ 2, h0 ^ 3 };
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
	*h = finish(blocks ? fold(v) : h0, piece, have);
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
