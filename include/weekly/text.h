/* text.h - checks of raw source text: UTF-8 validity, NUL bytes and
 * double-encoded text (UTF-8 read as Mac Roman or Latin-1/CP1252 and saved
 * again as UTF-8, so that "🦄" reads "ü¶Ñ" and "…" reads "‚Ä¶").
 *
 * Nothing here allocates beyond the buf and diag_list the caller passes. */
#ifndef WEEKLY_TEXT_H
#define WEEKLY_TEXT_H

#include <stddef.h>
#include "buf.h"
#include "diag.h"

/* Past this many reports of one rule in a file, one summary stands for the
 * rest (binary files would otherwise print a line each). */
#define TEXT_MAX_REPORTS 20

/* Append the UTF-8 form of cp to out. */
void text_utf8_put(buf *out, unsigned long cp);

/* If s (valid UTF-8, n bytes) starts with double-encoded text, return the
 * length of that run in s and append the text it was meant to be to fixed;
 * else return 0 and leave fixed alone. */
size_t text_mojibake(const char *s, size_t n, buf *fixed);

/* Check the whole text of file (line 1 starts at text) and add to d: an
 * error for each line with invalid UTF-8 [utf8] or a NUL byte [nul], a
 * warning for each run of double-encoded text [mojibake]. */
void text_check(const char *file, const char *text, size_t len, diag_list *d);

#endif
