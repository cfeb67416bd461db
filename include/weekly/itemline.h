/* itemline.h - a source line that starts like an item ("2.", "2)", "2、",
 * "-", "*", "+", with or without a blank after the marker), and what keeps
 * it from being a well-formed item "2. [title](url)".
 *
 * Plain work on one line's bytes, no Markdown parser: issue.c asks it about
 * the lines it reads, so that whatever the editor wrote where an item was
 * meant is either an item or an error saying what was found and how to
 * write it. */
#ifndef WEEKLY_ITEMLINE_H
#define WEEKLY_ITEMLINE_H

#include <stddef.h>

/* The marker Chinese newsletters number items with, after the number:
 * 、 U+3001, the enumeration comma ("4、[title](url)"). */
#define ITEM_LINE_COMMA "\xE3\x80\x81"

struct item_line {
	size_t indent;   /* spaces before the marker (and emphasis) */
	size_t emphasis; /* "**" or "_" the number is wrapped in: "**1. [t](u)**" */
	long number;     /* the marker's number; -1 for a bullet */
	size_t mark;     /* where the marker ends */
	size_t text;     /* where the text after the marker and its blanks starts */
	int comma;       /* the marker is "N、", the Chinese enumeration comma */
	int fullstop;    /* the marker is "N．", a full-width full stop */
	int wide_blank;  /* a full-width space (U+3000) follows the marker */
	int nosign;      /* a number and a link with no '.' between: "2 [t](u)" */
};

/* The closing bracket of the one opening at s[0] ('[' or '('), honouring
 * backslash escapes and nesting: its offset, or 0 when it is not closed. */
size_t item_line_closing(const char *s, size_t len);

/* Whether the line s (len bytes, no newline) starts like an item; fills *il. */
int item_line_read(const char *s, size_t len, struct item_line *il);

/* Where the item's link stands in its text, as the Markdown parser reads it. */
enum item_link { LINK_NONE, LINK_LATER, LINK_FIRST };

/* Why the line s (read into il, with its link at where) is not an item, as
 * a message quoting it and saying how to write it: a fresh string. runs_on
 * says the line continues the paragraph above it; before_sections that it
 * comes before the first section heading. */
char *item_line_problem(const char *s, size_t len, const struct item_line *il,
			enum item_link where, int runs_on, int before_sections);

#endif
