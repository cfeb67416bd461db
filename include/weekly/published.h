/* published.h - an issue as it was published, read back: its text split
 * into lines, and what its head says — the front matter (title, pubDate or
 * date, number) or the title line ("# NAME #N: THEME (YYYY-MM-DD)", with
 * or without "#", the theme after ":" or "：", the date optional).
 *
 * A doc owns its text; a pub_head owns its strings. */
#ifndef WEEKLY_PUBLISHED_H
#define WEEKLY_PUBLISHED_H

#include <stddef.h>
#include "diag.h"
#include "source.h"

/* A document read as every source is (source.h): lines 0-based here,
 * 1-based in diagnostics. */
struct doc {
	const char *path;   /* borrowed */
	struct src src;
};

/* Read s (copied) as the document path. */
void doc_init(struct doc *d, const char *path, const char *s, size_t len);
void doc_release(struct doc *d);
/* Offset where line i starts (the end of the text past the last line). */
size_t doc_at(const struct doc *d, size_t i);
/* Line i without its newline. */
const char *doc_line(const struct doc *d, size_t i, size_t *len);
int doc_blank(const struct doc *d, size_t i);
/* Whether line i opens or closes fenced code (``` or ~~~ after at most
 * three spaces). */
int doc_fence(const struct doc *d, size_t i);

struct pub_head {
	long number;        /* 0: the head gives none */
	char *date;         /* YYYY-MM-DD, or NULL */
	char *theme;        /* the title after the number, or NULL */
	char *name;         /* what comes before the number, or NULL */
	size_t end;         /* published lines [0, end) are the head */
	int front;          /* the head is front matter */
};

/* The head of d: front matter with a title (and pubDate or date, and
 * maybe number), else the first non-blank line when it reads as a title
 * (with or without "# "). Returns 1 with h filled, 0 when d has no head
 * (h->end is then 0), -1 after adding an error to diag (front matter that
 * is not YAML, a date that is not YYYY-MM-DD). */
int pub_head(const struct doc *d, struct pub_head *h, diag_list *diag);
void pub_head_release(struct pub_head *h);

/* The date a file name starts with ("2024-03-09-weekly.md"), or NULL.
 * The caller frees it. */
char *pub_file_date(const char *path);

#endif
