/* util.c - allocation wrappers that exit on failure, tiny string helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>
#include "weekly/util.h"

static void *check(void *p)
{
	if (!p) {
		fputs("weekly: out of memory\n", stderr);
		exit(3);
	}
	return p;
}

void *xmalloc(size_t n) { return check(malloc(n ? n : 1)); }
void *xcalloc(size_t count, size_t n) { return check(calloc(count ? count : 1, n ? n : 1)); }
void *xrealloc(void *p, size_t n) { return check(realloc(p, n ? n : 1)); }

char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xvasprintf(const char *fmt, va_list ap)
{
	char small[256];
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	if (n < 0)
		n = 0;
	char *s = xmalloc((size_t)n + 1);
	if ((size_t)n < sizeof small)
		memcpy(s, small, (size_t)n + 1);
	else
		vsnprintf(s, (size_t)n + 1, fmt, again);
	va_end(again);
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void xgrow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return;
	size_t n = *cap ? *cap : 8;
	while (n < need)
		n *= 2;
	*p = xrealloc(*p, n * elem);
	*cap = n;
}

char *util_quoted(const char *s, size_t len)
{
	size_t n = strnlen(s, len < UTIL_QUOTE_MAX + 1 ? len : UTIL_QUOTE_MAX + 1), cut = n;
	if (n > UTIL_QUOTE_MAX)
		cut = util_utf8_cut(s, UTIL_QUOTE_MAX);
	char *q = xmalloc(cut + sizeof "…");
	for (size_t i = 0; i < cut; i++)
		q[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7F ? '?' : s[i];
	memcpy(q + cut, n > UTIL_QUOTE_MAX ? "…" : "", n > UTIL_QUOTE_MAX ? sizeof "…" : 1);
	return q;
}

int util_byteset(struct util_byteset *b, const char *set)
{
	unsigned char bit[16] = { 0 }, used = 0;
	memset(b, 0, sizeof *b);
	b->set = set;
	for (const unsigned char *c = (const unsigned char *)set; *c; c++) {
		if (!bit[*c >> 4] && used == 8)
			return -1;
		if (!bit[*c >> 4])
			bit[*c >> 4] = (unsigned char)(1u << used++);
		b->hi[*c >> 4] = bit[*c >> 4];
		b->lo[*c & 15] |= bit[*c >> 4];
	}
	return 0;
}

#if defined(__x86_64__) || defined(__i386__)
#include <tmmintrin.h>
/* Each byte's halves of v looked up at once (pshufb); a byte of 0x80 or
 * more looks up 0 for its high half. */
__attribute__((target("ssse3")))
static inline uint16_t mask_ssse3(__m128i lo, __m128i hi, __m128i v)
{
	const __m128i half = _mm_set1_epi8(15);
	__m128i l = _mm_shuffle_epi8(lo, _mm_and_si128(v, half));
	__m128i h = _mm_shuffle_epi8(hi, _mm_and_si128(_mm_srli_epi16(v, 4), half));
	return (uint16_t)~_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(l, h), _mm_setzero_si128()));
}

__attribute__((target("ssse3")))
static void masks_ssse3(const struct util_byteset *b, const char *s, size_t n, uint16_t *masks)
{
	const __m128i lo = _mm_loadu_si128((const __m128i *)b->lo);
	const __m128i hi = _mm_loadu_si128((const __m128i *)b->hi);
	size_t i = 0;
	for (; i + 16 <= n; i += 16)
		masks[i / 16] = mask_ssse3(lo, hi, _mm_loadu_si128((const __m128i *)(s + i)));
	if (i < n) {
		unsigned char last[16] = { 0 }; /* the last bytes padded with NUL */
		memcpy(last, s + i, n - i);
		masks[i / 16] = mask_ssse3(lo, hi, _mm_loadu_si128((const __m128i *)last));
	}
}

#include <immintrin.h>
/* The same lookup for thirty-two bytes at once (vpshufb looks up each
 * sixteen-byte lane in its own copy of the tables); the last bytes, fewer
 * than thirty-two, as masks_ssse3 does. */
__attribute__((target("avx2")))
static void masks_avx2(const struct util_byteset *b, const char *s, size_t n, uint16_t *masks)
{
	const __m256i lo = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)b->lo));
	const __m256i hi = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)b->hi));
	const __m256i half = _mm256_set1_epi8(15), zero = _mm256_setzero_si256();
	size_t i = 0;
	for (; i + 32 <= n; i += 32) {
		__m256i v = _mm256_loadu_si256((const __m256i *)(s + i));
		__m256i l = _mm256_shuffle_epi8(lo, _mm256_and_si256(v, half));
		__m256i h = _mm256_shuffle_epi8(hi, _mm256_and_si256(_mm256_srli_epi16(v, 4), half));
		uint32_t m = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_and_si256(l, h), zero));
		masks[i / 16] = (uint16_t)m;
		masks[i / 16 + 1] = (uint16_t)(m >> 16);
	}
	if (i < n)
		masks_ssse3(b, s + i, n - i, masks + i / 16);
}
#endif

void util_masks(const struct util_byteset *b, const char *s, size_t n, uint16_t *masks)
{
#if defined(__x86_64__) || defined(__i386__)
	if (__builtin_cpu_supports("avx2")) {
		masks_avx2(b, s, n, masks);
		return;
	}
	if (__builtin_cpu_supports("ssse3")) {
		masks_ssse3(b, s, n, masks);
		return;
	}
#endif
	for (size_t i = 0; i < n; i += 16)
		masks[i / 16] = (uint16_t)util_mask_any(s, i, n, b->set);
}

uint64_t util_hash(const char *s, size_t n)
{
	const uint64_t prime = 1099511628211u;
	const unsigned char *p = (const unsigned char *)s;
	uint64_t h = 14695981039346656037u;
	size_t i = 0;
	for (; i + 4 <= n; i += 4) /* four bytes a turn of the loop */
		h = ((((((h ^ p[i]) * prime) ^ p[i + 1]) * prime ^ p[i + 2]) * prime) ^ p[i + 3]) * prime;
	for (; i < n; i++)
		h = (h ^ p[i]) * prime;
	return h;
}

uint32_t util_hash32(const char *s, size_t n)
{
	uint32_t h = UTIL_HASH32_START;
	for (size_t i = 0; i < n; i++)
		h = util_hash32_step(h, (unsigned char)s[i]);
	return h;
}

int util_ieq(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);
	if (alen != blen)
		return 0;
	for (size_t i = 0; i < alen; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return 0;
	return 1;
}

long util_env_count(const char *name, long fallback)
{
	const char *env = getenv(name);
	char *end;
	long n = env && *env ? strtol(env, &end, 10) : 0;
	return n >= 1 && !*end ? n : fallback;
}

int util_is_web(const char *u)
{
	return strncasecmp(u, "http://", 7) == 0 || strncasecmp(u, "https://", 8) == 0;
}

size_t util_scheme_len(const char *s, size_t n)
{
	size_t i = 0;
	if (n == 0 || !isalpha((unsigned char)s[0]))
		return 0;
	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
		i++;
	return i < n && s[i] == ':' ? i : 0;
}

int util_has_scheme(const char *ref)
{
	return util_scheme_len(ref, strlen(ref)) != 0;
}

int util_url_safe(const char *u)
{
	char scheme[16];
	size_t k = 0;
	while (*u && (unsigned char)*u <= ' ')
		u++;
	for (; *u && *u != ':'; u++) {
		if (*u == '\t' || *u == '\n' || *u == '\r')
			continue;
		if (!isalnum((unsigned char)*u) && *u != '+' && *u != '-' && *u != '.')
			return 1; /* no scheme: a relative URL */
		if (k == sizeof scheme - 1)
			return 0;
		scheme[k++] = (char)tolower((unsigned char)*u);
	}
	if (!*u || k == 0)
		return 1;
	scheme[k] = '\0';
	return strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0 ||
	       strcmp(scheme, "mailto") == 0;
}

size_t util_utf8_decode(const char *s, size_t n, unsigned long *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len;
	unsigned long c, min;
	if (n == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] >= 0xC2 && u[0] <= 0xDF)
		len = 2, c = u[0] & 0x1Fu, min = 0x80;
	else if (u[0] >= 0xE0 && u[0] <= 0xEF)
		len = 3, c = u[0] & 0x0Fu, min = 0x800;
	else if (u[0] >= 0xF0 && u[0] <= 0xF4)
		len = 4, c = u[0] & 0x07u, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3Fu);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

size_t util_utf8_cut(const char *s, size_t max)
{
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

int util_steers(unsigned long c)
{
	return c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2066 && c <= 0x2069);
}


/* Emoji and their joiners and variation selectors: pictographs above
 * U+1F000, the symbols and dingbats of U+2190-U+2BFF, U+200D, U+FE0F. */
static int is_emoji(unsigned long c)
{
	return c >= 0x1f000 || (c >= 0x2190 && c <= 0x2bff) || c == 0x200d || c == 0xfe0f;
}

/* word reduced for comparison: ASCII letters and digits lowercased, every
 * other character kept whole but emoji and invalid bytes; at most cap - 1
 * bytes. */
static size_t fold_name(const char *word, char *out, size_t cap)
{
	size_t n = strlen(word), k = 0, len;
	unsigned long c;
	for (size_t i = 0; i < n; i += len ? len : 1) {
		len = util_utf8_decode(word + i, n - i, &c);
		if (!len || (len == 1 ? !isalnum((int)c) : is_emoji(c)))
			continue;
		if (k + len >= cap)
			break;
		for (size_t j = 0; j < len; j++)
			out[k++] = (char)tolower((unsigned char)word[i + j]);
	}
	out[k] = '\0';
	return k;
}

/* Edit distance of a and b (bytes; an adjacent transposition counts one),
 * or limit + 1 as soon as it must exceed limit. Both are under 128 bytes. */
static size_t edit_distance(const char *a, size_t alen, const char *b, size_t blen,
			    size_t limit)
{
	size_t rows[3][128], *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= blen; j++)
		prev[j] = j;
	for (size_t i = 1; i <= alen; i++) {
		size_t best = cur[0] = i;
		for (size_t j = 1; j <= blen; j++) {
			size_t v = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > limit)
			return limit + 1;
		size_t *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[blen];
}

int util_name_eq(const char *a, const char *b)
{
	char fa[128], fb[128];
	size_t la = fold_name(a, fa, sizeof fa), lb = fold_name(b, fb, sizeof fb);
	return la && la == lb && memcmp(fa, fb, la) == 0;
}

long util_closest(const char *word, const char *const *names, size_t n)
{
	char w[128], c[128];
	size_t wlen = fold_name(word, w, sizeof w);
	long found = -1;
	size_t best = (size_t)-1;
	for (size_t i = 0; i < n; i++) {
		size_t clen = fold_name(names[i], c, sizeof c);
		size_t limit = clen / 3 ? clen / 3 : 1;
		if (wlen == 0 || clen == 0)
			continue;
		size_t d = edit_distance(w, wlen, c, clen, limit);
		if (d >= 1 && d <= limit && d < best) {
			best = d;
			found = (long)i;
		}
	}
	return found;
}

int util_ends_with(const char *name, size_t len, const char *end)
{
	size_t n = strlen(end);
	return len > n && memcmp(name + len - n, end, n) == 0;
}

int util_in_names(const char *const *names, const char *s, size_t len)
{
	for (; *names; names++)
		if (strlen(*names) == len && memcmp(*names, s, len) == 0)
			return 1;
	return 0;
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int util_is_date(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (strlen(s) != 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2))
		return 0;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(m == 2 && d == 29 && !leap);
}
