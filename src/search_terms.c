/* search_terms.c - the words of a text as the search index keeps them
 * (search.h): the one definition in C of the rules src/search.js holds
 * for queries. */
#include <stddef.h>
#include "weekly/search.h"
#include "weekly/util.h"

#define MAX_TERM 48 /* bytes; longer words (hashes, run-on URLs) are left out */

static int is_cjk(unsigned long c)
{
	return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) ||
		(c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) ||
		(c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x2fa1f);
}

/* Letters and digits outside ASCII: everything from U+00C0 on that is not
 * CJK, punctuation, a symbol block or a full-width form. */
static int is_word(unsigned long c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	if (c < 0xc0 || c == 0xd7 || c == 0xf7)
		return 0;
	if ((c >= 0x2000 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x303f) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xffef) ||
	    (c >= 0xd800 && c <= 0xf8ff) || c >= 0x1f000)
		return 0;
	return !is_cjk(c);
}

/* Each byte as a word's byte: ASCII letters lower-cased, digits as they
 * are, 0 for everything else (spaces, punctuation, and bytes of characters
 * beyond ASCII, which is_word sees to). Most text is looked up here. */
#define WB(c) ((c) >= 'A' && (c) <= 'Z' ? (c) | 0x20 : \
	       ((c) >= 'a' && (c) <= 'z') || ((c) >= '0' && (c) <= '9') ? (c) : 0)
static const unsigned char word_byte[256] = { UTIL_BYTES(WB) };

/* ASCII letters and digits. */
static int ascii_word(unsigned char b)
{
	return word_byte[b] != 0;
}

struct scan {
	const char *s;
	size_t n, i;
};

/* The next code point of the scan (0 at the end), its length in *k. */
static unsigned long next_cp(const struct scan *sc, size_t at, size_t *k)
{
	if (at >= sc->n) {
		*k = 0;
		return 0;
	}
	unsigned long c = (unsigned char)sc->s[at];
	*k = 1;
	if (c < 0x80) /* most text: no decoding */
		return c;
	*k = util_utf8_decode(sc->s + at, sc->n - at, &c);
	if (!*k) {
		*k = 1;
		return 0xfffd;
	}
	return c;
}

/* A word from start to end: lower-cased (ASCII and Latin-1 letters), then
 * once whole and, when it has dots, once per part. */
static void emit_word(const char *s, size_t len, search_term_fn fn, void *ud)
{
	if (len > MAX_TERM)
		return;
	char w[MAX_TERM];
	int dotted = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		/* A-Z, and U+00C0-U+00DE but U+00D7: C3 80-9E, less 97 */
		int upper = (c >= 'A' && c <= 'Z') || (i && (unsigned char)s[i - 1] == 0xc3 &&
							 c >= 0x80 && c <= 0x9e && c != 0x97);
		w[i] = (char)(upper ? c + 0x20 : c);
		dotted |= c == '.';
	}
	fn(ud, w, len, util_hash32(w, len));
	for (size_t i = 0, start = 0; dotted && i <= len; i++) {
		if (i == len || w[i] == '.') {
			fn(ud, w + start, i - start, util_hash32(w + start, i - start));
			start = i + 1;
		}
	}
}

/* A word of ASCII letters and digits only (most words), from at: lower-
 * cased and hashed on the way, and said. Its end; 0, with nothing said,
 * when what follows it is more of it (a dot and a letter, or a letter
 * beyond ASCII): scan_word and emit_word see to that. */
static size_t plain_word(const char *s, size_t n, size_t at, search_term_fn fn, void *ud)
{
	char w[MAX_TERM];
	uint32_t h = UTIL_HASH32_START;
	const unsigned char *p = (const unsigned char *)s + at;
	size_t room = n - at < MAX_TERM ? n - at : MAX_TERM, len = 0;
	for (unsigned char c; len < room && (c = word_byte[p[len]]) != 0; len++) {
		w[len] = (char)c;
		h = util_hash32_step(h, c);
	}
	size_t i = at + len;
	while (i < n && ascii_word((unsigned char)s[i])) /* too long to keep: its end */
		i++;
	if (i < n && ((unsigned char)s[i] >= 0x80 ||
		      (s[i] == '.' && i + 1 < n && ((unsigned char)s[i + 1] >= 0x80 ||
						    ascii_word((unsigned char)s[i + 1])))))
		return 0;
	if (i - at == len)
		fn(ud, w, len, h);
	return i;
}

/* A word: word characters, with single dots between them. */
static size_t scan_word(const struct scan *sc, size_t at)
{
	size_t k, end = at;
	for (;;) {
		while (end < sc->n && ascii_word((unsigned char)sc->s[end]))
			end++;
		unsigned long c = next_cp(sc, end, &k);
		if (k && is_word(c)) {
			end += k;
			continue;
		}
		size_t k2;
		if (c == '.' && end > at && is_word(next_cp(sc, end + 1, &k2)) && k2) {
			end += 1;
			continue;
		}
		return end;
	}
}

/* A run of CJK characters: its pairs, or the lone character. */
static size_t scan_cjk(const struct scan *sc, size_t at, search_term_fn fn, void *ud)
{
	size_t k, k2, pos = at;
	next_cp(sc, pos, &k);
	unsigned long c2 = next_cp(sc, pos + k, &k2);
	if (!k2 || !is_cjk(c2)) {
		fn(ud, sc->s + pos, k, util_hash32(sc->s + pos, k));
		return pos + k;
	}
	while (k2 && is_cjk(c2)) {
		fn(ud, sc->s + pos, k + k2, util_hash32(sc->s + pos, k + k2));
		pos += k;
		k = k2;
		c2 = next_cp(sc, pos + k, &k2);
	}
	return pos + k;
}

void search_terms(const char *text, size_t len, search_term_fn fn, void *ud)
{
	struct scan sc = { text, len, 0 };
	size_t i = 0, k;
	while (i < len) {
		unsigned char b = (unsigned char)text[i];
		if (b < 0x80 && !ascii_word(b)) { /* spaces and punctuation, mostly */
			i++;
			continue;
		}
		size_t end = b < 0x80 ? plain_word(text, len, i, fn, ud) : 0;
		if (end) {
			i = end;
			continue;
		}
		unsigned long c = next_cp(&sc, i, &k);
		if (is_cjk(c)) {
			i = scan_cjk(&sc, i, fn, ud);
		} else if (is_word(c)) {
			end = scan_word(&sc, i);
			emit_word(text + i, end - i, fn, ud);
			i = end;
		} else {
			i += k;
		}
	}
}
