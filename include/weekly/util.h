/* util.h - allocation that cannot fail and tiny string helpers.
 *
 * Out of memory is not a condition weekly can recover from: every allocation
 * goes through these wrappers, which print a message and exit with status 3. */
#ifndef WEEKLY_UTIL_H
#define WEEKLY_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
/* Both return a NUL-terminated copy the caller frees. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh string the caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* s (len bytes) as a message quotes it, in a fresh string: at most
 * UTIL_QUOTE_MAX bytes (whole characters, then "…"), control characters
 * shown as '?' so that no text of an input can steer a terminal. */
#define UTIL_QUOTE_MAX 100
char *util_quoted(const char *s, size_t len);

/* Grow *p (holding *cap elements of size elem) so it holds at least need. */
void xgrow(void **p, size_t *cap, size_t need, size_t elem);

/* Case-insensitive ASCII comparison of a pointer+length name with a C string. */
int util_ieq(const char *a, size_t alen, const char *b);
/* Whether the name (len bytes) is longer than end and ends with it, as
 * "intro_md" ends with "_md". */
int util_ends_with(const char *name, size_t len, const char *end);

/* Whether s (len bytes) is one of names, a NULL-ended list. */
int util_in_names(const char *const *names, const char *s, size_t len);

/* The whole number of at least 1 that environment variable name holds,
 * else fallback. */
long util_env_count(const char *name, long fallback);
/* Whether u is a web address: http:// or https://, in any case. */
int util_is_web(const char *u);
/* Length of the scheme s (n bytes) starts with (a letter, then letters,
 * digits, + - .), not counting the colon after it; 0 when there is none. */
size_t util_scheme_len(const char *s, size_t n);
/* Whether ref starts with a scheme ("ftp:", "javascript:"): a URL of its
 * own, never a path under a page's. */
int util_has_scheme(const char *ref);

/* Whether a browser reads u as an http, https or mailto URL, or as a
 * relative one: never javascript:, data:, vbscript: or another scheme, in
 * any case, with leading blanks or with tabs and line breaks inside (which
 * browsers ignore). */
int util_url_safe(const char *u);

/* Decode the UTF-8 sequence s starts with (n bytes available): its length
 * (1-4) with the code point in *cp, or 0 when the bytes are not valid UTF-8
 * (overlong forms, surrogates and values past U+10FFFF are invalid). */
size_t util_utf8_decode(const char *s, size_t n, unsigned long *cp);
/* Where to cut s at max bytes or before without splitting a character:
 * max, moved back over the UTF-8 continuation bytes s[max] starts
 * (s holds more than max bytes). */
size_t util_utf8_cut(const char *s, size_t max);

/* Whether a terminal acts on the character cp rather than shows it: C0
 * and C1 controls, DEL, and the bidirectional overrides and isolates that
 * reorder what is shown. */
int util_steers(unsigned long cp);

/* Which of the sixteen bytes of s from i on (before n) are one of the
 * bytes of set (NUL is none): bit k for s[i + k], compared at once as
 * vectors. Inline, so that the loop over a literal set unrolls. */
typedef unsigned char util_bytes16 __attribute__((vector_size(16)));
static inline unsigned util_mask_any(const char *s, size_t i, size_t n, const char *set)
{
	size_t nset = __builtin_strlen(set);
	util_bytes16 v = { 0 }, m = { 0 }; /* the last bytes padded with NUL */
	uint64_t hit[2];
	if (n - i >= 16)
		__builtin_memcpy(&v, s + i, 16);
	else
		__builtin_memcpy(&v, s + i, n - i);
#pragma GCC unroll 16
	for (size_t k = 0; k < nset; k++)
		m |= (util_bytes16)(v == (unsigned char)set[k]);
	__builtin_memcpy(hit, &m, 16); /* a byte of set is 0xff */
	/* one bit a byte, gathered into the top byte by the multiplication */
	const uint64_t low = 0x0101010101010101u, gather = 0x0102040810204080u;
	return (unsigned)(((hit[0] & low) * gather) >> 56) |
	       (unsigned)(((hit[1] & low) * gather) >> 56) << 8;
}

/* The first byte of s from i on (before n) that is one of the bytes of
 * set, or n: sixteen bytes a step (util_mask_any), since most bytes of a
 * text are usually none of them. */
static inline size_t util_find_any(const char *s, size_t i, size_t n, const char *set)
{
	for (; i < n; i += 16) {
		unsigned m = util_mask_any(s, i, n, set);
		if (m) {
			i += (size_t)__builtin_ctz(m);
			return i < n ? i : n;
		}
	}
	return n;
}

/* The widest vector instructions the scans of texts use on this
 * processor, asked once a run. WEEKLY_SIMD=none or ssse3 holds it lower,
 * so that the tests run every path on any machine (tests/simd.sh). */
enum util_simd { UTIL_SIMD_NONE, UTIL_SIMD_SSSE3, UTIL_SIMD_AVX2 };
enum util_simd util_simd(void);

/* A set of bytes (NUL is none) as two tables, by a byte's low and high
 * four bits, whose entries' bitwise and is not 0 for the bytes of the set
 * alone: util_masks looks sixteen bytes up in each at once (thirty-two
 * with AVX2), without a comparison per byte of the set. At most eight different high
 * halves: util_byteset returns -1 for a set of more. */
struct util_byteset {
	unsigned char lo[16], hi[16];
	const char *set;
};
int util_byteset(struct util_byteset *b, const char *set);
/* util_mask_any's masks of the bytes of b in each block of sixteen of s
 * (n bytes, at most 16 * UTIL_MASKS_MAX) into masks: bit k of masks[j]
 * for s[16 * j + k]. */
#define UTIL_MASKS_MAX 64
void util_masks(const struct util_byteset *b, const char *s, size_t n, uint16_t *masks);

/* FNV-1a of the n bytes at s: for hash tables, never stored. */
uint64_t util_hash(const char *s, size_t n);
/* FNV-1a of the n bytes at s in 32 bits, which a browser computes as well
 * (src/search.js: a search term's shard is its low bits). It starts from
 * UTIL_HASH32_START and takes each byte in turn with util_hash32_step, for
 * code that hashes bytes as it makes them. */
uint32_t util_hash32(const char *s, size_t n);
/* The 256 values F(0) ... F(255), for a table of the bytes made when
 * compiling: static const unsigned char t[256] = { UTIL_BYTES(F) }. */
#define UTIL_BYTES4(F, c) F(c), F((c) + 1), F((c) + 2), F((c) + 3)
#define UTIL_BYTES16(F, c) UTIL_BYTES4(F, c), UTIL_BYTES4(F, (c) + 4), \
	UTIL_BYTES4(F, (c) + 8), UTIL_BYTES4(F, (c) + 12)
#define UTIL_BYTES64(F, c) UTIL_BYTES16(F, c), UTIL_BYTES16(F, (c) + 16), \
	UTIL_BYTES16(F, (c) + 32), UTIL_BYTES16(F, (c) + 48)
#define UTIL_BYTES(F) UTIL_BYTES64(F, 0), UTIL_BYTES64(F, 64), UTIL_BYTES64(F, 128), \
	UTIL_BYTES64(F, 192)

#define UTIL_HASH32_START 2166136261u
static inline uint32_t util_hash32_step(uint32_t h, unsigned char c)
{
	return (h ^ c) * 16777619u;
}

/* The name among names[0..n) closest to word, for "did you mean" hints:
 * its index, or -1 when none is close enough. Names are compared with case,
 * spaces, punctuation and emoji left out, by edit distance; a name is close
 * when that distance is at most a third of its length (at least 1), and
 * never when the two are equal so compared (the caller matched those). */
long util_closest(const char *word, const char *const *names, size_t n);
/* Whether a and b are the same name as util_closest compares them (case,
 * spaces, punctuation and emoji left out), for names a caller matched
 * more strictly: "Draft" for draft, "Articles Tutorials" for a title. */
int util_name_eq(const char *a, const char *b);

/* Whether s is a real calendar date written YYYY-MM-DD. */
int util_is_date(const char *s);

#endif
