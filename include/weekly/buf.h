/* buf.h - a growable byte buffer, the one output type of every renderer.
 *
 * A buf owns its bytes. buf_take hands them to the caller (who frees them)
 * and leaves the buf empty. The data is never NULL and always
 * NUL-terminated: a buf made with BUF_INIT (or emptied by buf_release)
 * points at a shared empty string until it is written to. */
#ifndef WEEKLY_BUF_H
#define WEEKLY_BUF_H

#include <stddef.h>
#include <stdio.h>

typedef struct buf {
	char *data;
	size_t len, cap;
} buf;

/* The empty string every empty buf points at: never written (cap is 0). */
extern char buf_empty[1];

#define BUF_INIT { buf_empty, 0, 0 }

/* Make room for n more bytes at once (appending never needs it). */
void buf_reserve(buf *b, size_t n);
/* Append n bytes: inline, since templates append many short pieces. */
static inline void buf_put(buf *b, const char *s, size_t n)
{
	if (b->cap - b->len <= n) /* no room for them and the NUL after them */
		buf_reserve(b, n);
	if (n)
		__builtin_memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}
static inline void buf_putc(buf *b, char c)
{
	buf_put(b, &c, 1);
}
void buf_puts(buf *b, const char *s);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append v in decimal, as "%lld" would, for a fraction of printf's cost. */
void buf_put_dec(buf *b, long long v);
/* Append s with &, <, >, " and ' escaped for HTML text and attributes. */
void buf_put_html(buf *b, const char *s, size_t n);
/* Append s with every byte that keep refuses written %XX (percent-encoded,
 * as in a URL). */
void buf_put_percent(buf *b, const char *s, int (*keep)(unsigned char c));
/* Append the UTF-8 form of the code point cp. */
void buf_put_utf8(buf *b, unsigned long cp);
/* Append s as the body of a JSON string (no quotes added); bytes that are
 * not UTF-8 become U+FFFD, so the result is always valid JSON, and every
 * character a terminal acts on (util_steers) is escaped. */
void buf_put_json(buf *b, const char *s, size_t n);
/* Append "KEY": "S" (s as buf_put_json writes it), or "KEY": null when s
 * is NULL. */
void buf_put_json_field(buf *b, const char *key, const char *s);
/* Empty b, keeping its memory for what comes next. */
void buf_reset(buf *b);
/* Write the bytes to f and empty b (buf_reset); -1 when the write fails. */
int buf_flush(buf *b, FILE *f);
char *buf_take(buf *b);
void buf_release(buf *b);

/* Records a worker process sends back (pool.h), written by the module that
 * owns what they hold: numbers as 64 bits, byte strings as their length
 * (-1 for NULL) then their bytes and a NUL. A buf_reader takes the fields
 * back in the order they were written; a field past the end reads as 0 or
 * NULL and marks the reader bad. */
void buf_put_int(buf *b, long long v);
void buf_put_str(buf *b, const char *s);
void buf_put_bytes(buf *b, const char *s, size_t n);

struct buf_reader {
	const char *p, *end;
	int bad;
};

/* A reader of b's bytes, from the start. */
struct buf_reader buf_reader(const buf *b);

long long buf_get_int(struct buf_reader *r);
/* Points into the reader's bytes (NUL-terminated); *n gets the length when
 * n is not NULL. */
const char *buf_get_bytes(struct buf_reader *r, size_t *n);
const char *buf_get_str(struct buf_reader *r);
/* Whether every field was read, and nothing is left over. */
int buf_read_all(const struct buf_reader *r);

#endif
