/* issue_int.h - the state of one issue being read, shared by issue.c
 * (sections, items, descriptions and links) and issue_lines.c (the lines
 * under it: where a block stands, and lines that start like items), which
 * issue.c calls. Not part of issue.h. */
#ifndef WEEKLY_ISSUE_INT_H
#define WEEKLY_ISSUE_INT_H

#include <stddef.h>
#include <cmark-gfm.h>
#include "weekly/buf.h"
#include "weekly/issue.h"
#include "weekly/itemline.h"
#include "weekly/source.h"

struct parser {
	const struct newsletter *n;
	struct issue *is;
	diag_list *d;
	struct src src;    /* the source's text and lines */
	int line_shift;    /* body line 1 is file line 1 + line_shift */
	cmark_mem *mem;    /* cmark-gfm's allocator for the body's trees */
	cmark_llist *exts;
	struct section *sec;
	struct item *item;
	cmark_node *opener; /* the link the current item starts with */
	buf md, html, text; /* the description (or lead) being collected */
	buf scratch;       /* plain text on its way to the issue's strings */
	int last_line;     /* file line where the collected text ends, 0 if none */
	int item_indent;   /* spaces before the current item's marker */
	size_t slips;      /* lines that look like items but are not */
	int more_line, more_col; /* the first of them not reported alone */
	unsigned parts;    /* what only outputs need, if made (ISSUE_HTML, ISSUE_TEXT) */
};

/* File line n (1-based) without its newline. */
static inline const char *line_at(const struct parser *p, int n, size_t *len)
{
	if (n < 1) {
		*len = 0;
		return "";
	}
	return src_line(&p->src, (size_t)n - 1, len);
}

/* The file line where node n starts, and where it ends. */
static inline int file_line(const struct parser *p, cmark_node *n)
{
	return cmark_node_get_start_line(n) + p->line_shift;
}

static inline int end_line(const struct parser *p, cmark_node *n)
{
	int e = cmark_node_get_end_line(n);
	if (cmark_node_get_end_column(n) == 0)
		e--;
	return e + p->line_shift;
}

/* --- issue_lines.c ---------------------------------------------------- */

/* The file lines a block spans and its column. */
struct span { int from, to, col; };
struct span issue_block_span(const struct parser *p, cmark_node *b);
/* Parse a Markdown text apart from the body, with the body's allocator. */
cmark_node *issue_parse_apart(const struct parser *p, const char *text, size_t len, int opts);

/* The body as cmark-gfm is to read it: an item marker written with the
 * enumeration comma of Chinese ("1、[title](url)") becomes "1.  ", as long,
 * so that it is read as the item it means and every position stays. Lines
 * of fenced code are left alone. NULL when nothing changes. */
char *issue_comma_markers(const struct parser *p, int first_line);
/* Every line of top-level block b that starts like an item is one, or a
 * slip reported at its line. */
void issue_stray_lines(struct parser *p, cmark_node *b);
/* File line n, read into il, is not the item it looks like: say what it
 * holds and how to write it. */
void issue_item_slip(struct parser *p, int n, const struct item_line *il, int runs_on);
/* The slips not reported alone, in one error at the first of them. */
void issue_more_slips(struct parser *p);

#endif
