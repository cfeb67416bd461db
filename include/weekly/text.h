/* text.h - checks of raw source text: UTF-8 validity, NUL bytes, characters
 * XML 1.0 forbids and double-encoded text (UTF-8 read as Mac Roman or Latin-1/CP1252 and saved
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

/* Whether XML 1.0 allows the character cp: tab, LF, CR, U+0020-U+D7FF,
 * U+E000-U+FFFD, U+10000-U+10FFFF (no other C0 control, no U+FFFE/U+FFFF). */
int text_xml_char(unsigned long cp);
/* The first character of s (n bytes) that XML forbids or that is not valid
 * UTF-8, with its code point in *cp (an invalid byte b as 0x110000 | b), or
 * NULL when there is none. */
const char *text_xml_bad(const char *s, size_t n, unsigned long *cp);
/* Append s to out with every such character replaced by U+FFFD: text any
 * XML parser reads, whatever s held. */
void text_xml_put(buf *out, const char *s, size_t n);

/* Check the whole text of file (line 1 starts at text) and add to d: an
 * error for each line with invalid UTF-8 [utf8], a NUL byte [nul] or
 * another character XML 1.0 forbids [xml-char], a warning for each run of
 * double-encoded text [mojibake]. */
void text_check(const char *file, const char *text, size_t len, diag_list *d);

#endif
