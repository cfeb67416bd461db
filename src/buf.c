/* buf.c - growable byte buffer. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/buf.h"
#include "weekly/util.h"

char buf_empty[1];

/* The first room a buf takes: most of them grow past a few bytes. */
#define BUF_FIRST 64

static void reserve(buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	if (!b->cap) {
		b->data = NULL; /* buf_empty is not the buf's to grow */
		need = need < BUF_FIRST ? BUF_FIRST : need;
	}
	xgrow((void **)&b->data, &b->cap, need, 1);
	b->data[b->len] = '\0';
}

void buf_reserve(buf *b, size_t n)
{
	reserve(b, n);
}

void buf_puts(buf *b, const char *s) { buf_put(b, s, strlen(s)); }

void buf_put_dec(buf *b, long long v)
{
	char digits[24], *p = digits + sizeof digits;
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	buf_put(b, p, (size_t)(digits + sizeof digits - p));
}

void buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	/* an empty buf may hold no room at all, not even a pointer to it */
	int n = b->cap ? vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap)
		       : vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (b->len + (size_t)n + 1 > b->cap) { /* did not fit: again, with room */
		reserve(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

void buf_put_html(buf *b, const char *s, size_t n)
{
	static const char *const rep[256] = {
		['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
	};
	for (size_t start = 0, i; start < n; start = i + 1) {
		i = util_find_any(s, start, n, "&<>\"'");
		buf_put(b, s + start, i - start);
		if (i < n)
			buf_puts(b, rep[(unsigned char)s[i]]);
	}
}

void buf_put_percent(buf *b, const char *s, int (*keep)(unsigned char c))
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (keep(*p))
			buf_putc(b, (char)*p);
		else
			buf_printf(b, "%%%02X", *p);
}

void buf_put_utf8(buf *b, unsigned long cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80)
		u[0] = (char)cp, n = 1;
	else if (cp < 0x800)
		u[0] = (char)(0xC0 | (cp >> 6)), n = 2;
	else if (cp < 0x10000)
		u[0] = (char)(0xE0 | (cp >> 12)), n = 3;
	else
		u[0] = (char)(0xF0 | (cp >> 18)), n = 4;
	for (size_t i = 1; i < n; i++)
		u[i] = (char)(0x80 | ((cp >> (6 * (n - 1 - i))) & 0x3F));
	buf_put(b, u, n);
}

/* The bytes JSON takes as they are: printable ASCII but '"' and '\\'. */
#define JP(c) ((c) >= 0x20 && (c) < 0x7f && (c) != '"' && (c) != '\\')
static const unsigned char json_plain[256] = { UTIL_BYTES(JP) };

void buf_put_json(buf *b, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		while (i < n && json_plain[(unsigned char)s[i]]) /* most text */
			i++;
		if (i == n)
			break;
		unsigned char c = (unsigned char)s[i];
		unsigned long cp;
		size_t k = c >= 0x80 ? util_utf8_decode(s + i, n - i, &cp) : 0;
		if (k && !util_steers(cp)) {
			i += k - 1;
			continue;
		}
		if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\')
			continue;
		buf_put(b, s + start, i - start);
		switch (c) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\t': buf_puts(b, "\\t"); break;
		case '\r': buf_puts(b, "\\r"); break;
		default:
			if (k) /* a character a terminal would act on */
				buf_printf(b, "\\u%04lx", cp);
			else if (c >= 0x80) /* JSON is UTF-8: a byte that is not is U+FFFD */
				buf_puts(b, "\\ufffd");
			else
				buf_printf(b, "\\u%04x", c);
		}
		i += k ? k - 1 : 0;
		start = i + 1;
	}
	buf_put(b, s + start, n - start);
}

void buf_put_json_field(buf *b, const char *key, const char *s)
{
	buf_printf(b, "\"%s\": ", key);
	if (!s) {
		buf_puts(b, "null");
		return;
	}
	buf_putc(b, '"');
	buf_put_json(b, s, strlen(s));
	buf_putc(b, '"');
}

void buf_reset(buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
}

int buf_flush(buf *b, FILE *f)
{
	int rc = b->len && fwrite(b->data, 1, b->len, f) != b->len ? -1 : 0;
	buf_reset(b);
	return rc;
}

char *buf_take(buf *b)
{
	char *d = b->cap ? b->data : xstrdup("");
	*b = (buf)BUF_INIT;
	return d;
}

void buf_release(buf *b)
{
	if (b->cap)
		free(b->data);
	*b = (buf)BUF_INIT;
}

/* --- records between processes ------------------------------------------- */

struct buf_reader buf_reader(const buf *b)
{
	return (struct buf_reader){ b->data, b->data + b->len, 0 };
}

void buf_put_int(buf *b, long long v)
{
	int64_t x = v;
	buf_put(b, (const char *)&x, sizeof x);
}

void buf_put_bytes(buf *b, const char *s, size_t n)
{
	buf_put_int(b, s ? (long long)n : -1);
	if (s) {
		buf_put(b, s, n);
		buf_putc(b, '\0');
	}
}

void buf_put_str(buf *b, const char *s)
{
	buf_put_bytes(b, s, s ? strlen(s) : 0);
}

long long buf_get_int(struct buf_reader *r)
{
	int64_t x = 0;
	if (r->bad || (size_t)(r->end - r->p) < sizeof x) {
		r->bad = 1;
		return 0;
	}
	memcpy(&x, r->p, sizeof x);
	r->p += sizeof x;
	return x;
}

const char *buf_get_bytes(struct buf_reader *r, size_t *n)
{
	long long len = buf_get_int(r);
	if (n)
		*n = 0;
	if (len < 0 || r->bad)
		return NULL;
	if ((unsigned long long)(r->end - r->p) < (unsigned long long)len + 1 || r->p[len]) {
		r->bad = 1;
		return NULL;
	}
	const char *s = r->p;
	r->p += len + 1;
	if (n)
		*n = (size_t)len;
	return s;
}

const char *buf_get_str(struct buf_reader *r)
{
	return buf_get_bytes(r, NULL);
}

int buf_read_all(const struct buf_reader *r)
{
	return !r->bad && r->p == r->end;
}
