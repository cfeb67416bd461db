/* buf.h - a growable byte buffer, the one output type of every renderer.
 *
 * A buf owns its bytes. buf_take hands them to the caller (who frees them)
 * and leaves the buf empty. The data is always NUL-terminated. */
#ifndef WEEKLY_BUF_H
#define WEEKLY_BUF_H

#include <stddef.h>
#include <stdio.h>

typedef struct buf {
	char *data;
	size_t len, cap;
} buf;

#define BUF_INIT { NULL, 0, 0 }

/* Make room for n more bytes at once (appending never needs it). */
void buf_reserve(buf *b, size_t n);
void buf_put(buf *b, const char *s, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s with &, <, >, " and ' escaped for HTML text and attributes. */
void buf_put_html(buf *b, const char *s, size_t n);
/* Append s as the body of a JSON string (no quotes added); bytes that are
 * not UTF-8 become U+FFFD, so the result is always valid JSON. */
void buf_put_json(buf *b, const char *s, size_t n);
/* Write the bytes to f and empty b; -1 when the write fails. */
int buf_flush(buf *b, FILE *f);
char *buf_take(buf *b);
void buf_release(buf *b);

#endif
