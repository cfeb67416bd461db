/* digest.c - digests of bytes, strings, numbers, files and the settings. */
#include <stdlib.h>
#include <string.h>
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

/* MurmurHash64A, eight bytes a step, good spread, no tables; long inputs
 * (outputs, sources) in four lanes of eight bytes, whose multiplications
 * the processor overlaps, folded into one at the end. */
uint64_t digest_bytes(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ (len * HASH_M);
	if (len >= 32) {
		uint64_t a = h, b = h ^ 1, c = h ^ 2, d = h ^ 3;
		for (; len >= 32; p += 32, len -= 32) {
			a = (a ^ hash_word(p)) * HASH_M;
			b = (b ^ hash_word(p + 8)) * HASH_M;
			c = (c ^ hash_word(p + 16)) * HASH_M;
			d = (d ^ hash_word(p + 24)) * HASH_M;
		}
		h = (a ^ hash_mix(b)) * HASH_M;
		h = (h ^ hash_mix(c)) * HASH_M;
		h = (h ^ hash_mix(d)) * HASH_M;
	}
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
	char *src;
	size_t len;
	*found = fs_read(path, &src, &len) == 0;
	if (!*found)
		return digest_str("\001missing", h);
	h = digest_bytes(src, len, h);
	free(src);
	return h;
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
