/* text.c - UTF-8 validity, NUL bytes, characters XML forbids and double-encoded
 * text in raw source. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "weekly/text.h"
#include "weekly/util.h"

/* Bytes 0x80-0xFF of Mac Roman as code points. */
static const unsigned short mac_roman[128] = {
	0x00C4, 0x00C5, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00DC, 0x00E1,
	0x00E0, 0x00E2, 0x00E4, 0x00E3, 0x00E5, 0x00E7, 0x00E9, 0x00E8,
	0x00EA, 0x00EB, 0x00ED, 0x00EC, 0x00EE, 0x00EF, 0x00F1, 0x00F3,
	0x00F2, 0x00F4, 0x00F6, 0x00F5, 0x00FA, 0x00F9, 0x00FB, 0x00FC,
	0x2020, 0x00B0, 0x00A2, 0x00A3, 0x00A7, 0x2022, 0x00B6, 0x00DF,
	0x00AE, 0x00A9, 0x2122, 0x00B4, 0x00A8, 0x2260, 0x00C6, 0x00D8,
	0x221E, 0x00B1, 0x2264, 0x2265, 0x00A5, 0x00B5, 0x2202, 0x2211,
	0x220F, 0x03C0, 0x222B, 0x00AA, 0x00BA, 0x03A9, 0x00E6, 0x00F8,
	0x00BF, 0x00A1, 0x00AC, 0x221A, 0x0192, 0x2248, 0x2206, 0x00AB,
	0x00BB, 0x2026, 0x00A0, 0x00C0, 0x00C3, 0x00D5, 0x0152, 0x0153,
	0x2013, 0x2014, 0x201C, 0x201D, 0x2018, 0x2019, 0x00F7, 0x25CA,
	0x00FF, 0x0178, 0x2044, 0x20AC, 0x2039, 0x203A, 0xFB01, 0xFB02,
	0x2021, 0x00B7, 0x201A, 0x201E, 0x2030, 0x00C2, 0x00CA, 0x00C1,
	0x00CB, 0x00C8, 0x00CD, 0x00CE, 0x00CF, 0x00CC, 0x00D3, 0x00D4,
	0xF8FF, 0x00D2, 0x00DA, 0x00DB, 0x00D9, 0x0131, 0x02C6, 0x02DC,
	0x00AF, 0x02D8, 0x02D9, 0x02DA, 0x00B8, 0x02DD, 0x02DB, 0x02C7,
};

/* Bytes 0x80-0x9F of CP1252 (0xA0-0xFF are Latin-1's); the five bytes
 * CP1252 leaves undefined read as Latin-1's C1 controls. */
static const unsigned short cp1252[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

enum enc { ENC_LATIN, ENC_MAC };

/* --- double-encoded text ----------------------------------------------- */

/* Whether no 8-bit encoding here writes cp as a byte from 0x80 on: ASCII,
 * and all beyond Mac Roman's lozenge but its Apple logo and ligatures (CJK
 * text, most of all), so that cp cannot start double-encoded text. */
static int beyond_8bit(unsigned long cp)
{
	return cp < 0x80 || (cp > 0x25CA && cp != 0xF8FF && cp != 0xFB01 && cp != 0xFB02);
}

/* The byte an 8-bit encoding writes cp as, or -1 (ASCII never counts). */
static int to_byte(enum enc e, unsigned long cp)
{
	if (beyond_8bit(cp))
		return -1;
	if (e == ENC_LATIN && cp <= 0xFF)
		return (int)cp;
	const unsigned short *t = e == ENC_MAC ? mac_roman : cp1252;
	int n = e == ENC_MAC ? 128 : 32;
	for (int i = 0; i < n; i++)
		if (t[i] == cp)
			return 0x80 + i;
	return -1;
}

/* Write up to max code points of s back as bytes of e; end[i] is where
 * the i-th one ends in s. Returns how many were written. */
static size_t reencode(enum enc e, const char *s, size_t n, unsigned char *bytes,
		       size_t *end, size_t max)
{
	size_t k = 0, off = 0;
	while (k < max && off < n) {
		unsigned long cp;
		size_t l = util_utf8_decode(s + off, n - off, &cp);
		int b = l ? to_byte(e, cp) : -1;
		if (b < 0)
			break;
		bytes[k] = (unsigned char)b;
		off += l;
		end[k++] = off;
	}
	return k;
}

static int plausible(unsigned long cp)
{
	return cp >= 0xA0 && !(cp >= 0xE000 && cp <= 0xF8FF) &&
		!(cp >= 0xFDD0 && cp <= 0xFDEF) && (cp & 0xFFFE) != 0xFFFE;
}

/* Mac Roman bytes 0x80-0xBF that stand for letters (Ä…ü, ß, Æ, Ø, µ, π,
 * ª, º, Ω, æ, ø): a run of them is as likely to be real text. */
static int mac_letter(unsigned char b)
{
	return b < 0xA0 || b == 0xA7 || b == 0xAE || b == 0xAF || b == 0xB5 ||
		(b >= 0xB9 && b <= 0xBF);
}

/* An emoji (F0 9F xx yy) whose first byte, Mac Roman's Apple logo, was
 * lost on the way: "ü¶Ñ" for "🦄". */
static size_t lost_lead(const unsigned char *b, const size_t *end,
			unsigned long *cp, int *strong)
{
	const char u[4] = { (char)0xF0, (char)b[0], (char)b[1], (char)b[2] };
	if (util_utf8_decode(u, 4, cp) != 4)
		return 0;
	*strong = !mac_letter(b[1]) || !mac_letter(b[2]);
	return end[2];
}

/* One character written double-encoded at s: its length in s and the
 * intended code point, or 0. *strong says whether it is evidence enough on
 * its own (short Latin-looking pairs such as "—é" also occur in real text). */
static size_t one_char(enum enc e, const char *s, size_t n, unsigned long *cp,
		       int *strong)
{
	unsigned char b[4];
	size_t end[4];
	size_t k = reencode(e, s, n, b, end, 4);
	if (k == 0)
		return 0;
	if (e == ENC_MAC && k >= 3 && b[0] == 0x9F && (b[1] & 0xC0) == 0x80 &&
	    (b[2] & 0xC0) == 0x80)
		return lost_lead(b, end, cp, strong);
	size_t need = b[0] >= 0xF0 ? 4 : b[0] >= 0xE0 ? 3 : 2;
	if (k < need || util_utf8_decode((const char *)b, need, cp) != need || !plausible(*cp))
		return 0;
	*strong = need > 2 || *cp <= 0x17F;
	return end[need - 1];
}

/* The longest run of double-encoded characters of e at s. */
static size_t run_of(enum enc e, const char *s, size_t n, buf *fixed)
{
	size_t off = 0, chars = 0;
	int strong = 0;
	for (;;) {
		unsigned long cp;
		int st = 0;
		size_t l = one_char(e, s + off, n - off, &cp, &st);
		if (!l)
			break;
		buf_put_utf8(fixed, cp);
		off += l;
		chars++;
		strong |= st;
	}
	return chars >= 2 || strong ? off : 0;
}

/* If s (valid UTF-8, n bytes) starts with double-encoded text, the length
 * of that run in s, with the text it was meant to be appended to fixed;
 * else 0, fixed left alone. */
static size_t mojibake(const char *s, size_t n, buf *fixed)
{
	buf latin = BUF_INIT, mac = BUF_INIT;
	size_t a = run_of(ENC_LATIN, s, n, &latin);
	size_t b = run_of(ENC_MAC, s, n, &mac);
	size_t best = a >= b ? a : b;
	if (best)
		buf_put(fixed, a >= b ? latin.data : mac.data, a >= b ? latin.len : mac.len);
	buf_release(&latin);
	buf_release(&mac);
	return best;
}

/* --- XML 1.0 ------------------------------------------------------------- */

int text_xml_char(unsigned long cp)
{
	return cp == '\t' || cp == '\n' || cp == '\r' ||
	       (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
	       (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* The length of the first character of s (n bytes) that is not valid UTF-8
 * or that XML forbids, from s on: the offset of the first such in *at. */
static size_t xml_bad_at(const char *s, size_t n, size_t *at)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		if (u[i] >= 0x20 && u[i] < 0x80) { /* printable ASCII, most of a text */
			i++;
			continue;
		}
		unsigned long cp;
		size_t l = util_utf8_decode(s + i, n - i, &cp);
		if (!l || !text_xml_char(cp)) {
			*at = i;
			return l ? l : 1;
		}
		i += l;
	}
	*at = n;
	return 0;
}

const char *text_xml_bad(const char *s, size_t n, unsigned long *cp)
{
	size_t at, l = xml_bad_at(s, n, &at);
	if (!l)
		return NULL;
	if (!util_utf8_decode(s + at, n - at, cp))
		*cp = (unsigned char)s[at] | 0x110000ul;
	return s + at;
}

void text_xml_put(buf *out, const char *s, size_t n)
{
	size_t at, l;
	while ((l = xml_bad_at(s, n, &at))) {
		buf_put(out, s, at);
		buf_put_utf8(out, 0xFFFD);
		s += at + l;
		n -= at + l;
	}
	buf_put(out, s, n);
}

/* --- the check ----------------------------------------------------------- */

enum report { R_UTF8, R_NUL, R_XML, R_MOJIBAKE, R_COUNT };

struct scan {
	const char *file;
	diag_list *d;
	int line;
	size_t count[R_COUNT];
	int first_line[R_COUNT], first_col[R_COUNT]; /* of the first one not shown */
};

static const char *const rule_name[R_COUNT] = { "utf8", "nul", "xml-char", "mojibake" };

static void report(struct scan *sc, enum report r, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void report(struct scan *sc, enum report r, size_t col, const char *fmt, ...)
{
	if (++sc->count[r] > TEXT_MAX_REPORTS) {
		if (sc->count[r] == TEXT_MAX_REPORTS + 1)
			sc->first_line[r] = sc->line, sc->first_col[r] = (int)col;
		return;
	}
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_add(sc->d, r == R_MOJIBAKE ? DIAG_WARNING : DIAG_ERROR, sc->file, sc->line,
		 (int)col, rule_name[r], "%s", msg);
}

/* The length of s cut to at most max bytes without splitting a character. */
static int clip(const char *s, size_t n, size_t max)
{
	return (int)(n <= max ? n : util_utf8_cut(s, max));
}

static size_t mojibake_at(struct scan *sc, const char *s, size_t n, size_t col)
{
	buf fixed = BUF_INIT;
	size_t m = mojibake(s, n, &fixed);
	int shown = m ? clip(s, m, 120) : 0;
	if (m)
		report(sc, R_MOJIBAKE, col, "double-encoded text '%.*s%s'; did you mean '%.*s%s'?",
		       shown, s, (size_t)shown < m ? "…" : "", clip(fixed.data, fixed.len, 120),
		       fixed.data, (size_t)shown < m ? "…" : "");
	buf_release(&fixed);
	return m;
}

static int plain_ascii(unsigned char c)
{
	return (c >= 0x20 && c < 0x80) || c == '\t' || c == '\r';
}

/* From i on, the blocks of thirty-two bytes of s (n bytes) that hold no
 * byte below ' ' but tab, line feed and carriage return (as signed bytes,
 * those from 0x80 on are below it too): where the first block that does
 * starts, or where the whole blocks end. */
static size_t usual_blocks(const char *s, size_t i, size_t n)
{
	typedef signed char bytes16 __attribute__((vector_size(16)));
	for (; i + 32 <= n; i += 32) {
		bytes16 odd = { 0 }, v;
		uint64_t hit[2];
		for (size_t h = 0; h < 32; h += 16) {
			memcpy(&v, s + i + h, 16);
			odd |= (v < ' ') & ~((v == '\n') | (v == '\t') | (v == '\r'));
		}
		memcpy(hit, &odd, 16);
		if (hit[0] | hit[1])
			break;
	}
	return i;
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
/* usual_blocks, a block a step. */
__attribute__((target("avx2")))
static size_t usual_blocks_avx2(const char *s, size_t i, size_t n)
{
	const __m256i space = _mm256_set1_epi8(' '), lf = _mm256_set1_epi8('\n'),
		      tab = _mm256_set1_epi8('\t'), cr = _mm256_set1_epi8('\r');
	for (; i + 32 <= n; i += 32) {
		__m256i v = _mm256_loadu_si256((const __m256i *)(s + i));
		__m256i ok = _mm256_or_si256(_mm256_cmpeq_epi8(v, lf),
					     _mm256_or_si256(_mm256_cmpeq_epi8(v, tab),
							     _mm256_cmpeq_epi8(v, cr)));
		if (_mm256_movemask_epi8(_mm256_andnot_si256(ok, _mm256_cmpgt_epi8(space, v))))
			break;
	}
	return i;
}
#endif

/* The first byte of s from i on (before n) that is neither plain ASCII nor
 * a line feed, or n: thirty-two bytes a step, since most texts have few. */
static size_t unusual(const char *s, size_t i, size_t n)
{
#if defined(__x86_64__) || defined(__i386__)
	i = util_simd() == UTIL_SIMD_AVX2 ? usual_blocks_avx2(s, i, n) : usual_blocks(s, i, n);
#else
	i = usual_blocks(s, i, n);
#endif
	while (i < n && (plain_ascii((unsigned char)s[i]) || s[i] == '\n'))
		i++;
	return i;
}

/* A character XML 1.0 forbids (a NUL is reported apart). */
static void xml_at(struct scan *sc, unsigned long cp, size_t col, int *seen)
{
	if (!(*seen)++)
		report(sc, R_XML, col, "character U+%04lX is not allowed in XML 1.0 "
		       "(the feed would break)", cp);
}

static void scan_line(struct scan *sc, const char *s, size_t len)
{
	int bad = 0, nul = 0, xml = 0;
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		unsigned long cp;
		size_t l;
		if (plain_ascii(c)) {
			i = unusual(s, i, len); /* a line holds no line feed */
		} else if (c > 0 && c < 0x20) {
			xml_at(sc, c, i + 1, &xml);
			i++;
		} else if (c == 0) {
			if (!nul++)
				report(sc, R_NUL, i + 1, "NUL byte in text");
			i++;
		} else if (!(l = util_utf8_decode(s + i, len - i, &cp))) {
			if (!bad++)
				report(sc, R_UTF8, i + 1, "invalid UTF-8 byte 0x%02x", c);
			i++;
		} else if (!text_xml_char(cp)) {
			xml_at(sc, cp, i + 1, &xml);
			i += l;
		} else if (beyond_8bit(cp)) {
			i += l;
		} else {
			size_t m = mojibake_at(sc, s + i, len - i, i + 1);
			i += m ? m : l;
		}
	}
}

static void summarize(struct scan *sc)
{
	static const char *const what[R_COUNT] = {
		"lines with invalid UTF-8", "lines with NUL bytes",
		"lines with characters XML forbids", "runs of double-encoded text"
	};
	for (int r = 0; r < R_COUNT; r++) {
		if (sc->count[r] <= TEXT_MAX_REPORTS)
			continue;
		diag_add(sc->d, r == R_MOJIBAKE ? DIAG_WARNING : DIAG_ERROR, sc->file,
			 sc->first_line[r], sc->first_col[r], rule_name[r], "%zu more %s",
			 sc->count[r] - TEXT_MAX_REPORTS, what[r]);
	}
}

/* Only the lines with a byte that is not plain ASCII are scanned; the
 * others are counted on the way to them. */
void text_check(const char *file, const char *text, size_t len, diag_list *d)
{
	struct scan sc = { .file = file, .d = d };
	const char *nl;
	for (size_t start = 0, at; (at = unusual(text, start, len)) < len;) {
		for (; (nl = memchr(text + start, '\n', at - start)); sc.line++)
			start = (size_t)(nl - text) + 1;
		nl = memchr(text + at, '\n', len - at);
		size_t stop = nl ? (size_t)(nl - text) : len;
		sc.line++;
		scan_line(&sc, text + start, stop - start);
		start = nl ? stop + 1 : len;
	}
	summarize(&sc);
}
