/* issue.h - one issue's source (front matter + Markdown) parsed into
 * sections and items, with source positions.
 *
 * With markdown output, the only module that parses with cmark-gfm (its
 * trees live in the arena of arena.h while the body is read). Every line
 * that starts like an item (itemline.h) becomes an item or an [item-link]
 * error at its line. Descriptions are kept as written, indentation
 * included. An issue owns everything it points to; issue_free frees it. */
#ifndef WEEKLY_ISSUE_H
#define WEEKLY_ISSUE_H

#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "config.h"
#include "diag.h"
#include "markdown.h"
#include "value.h"

struct link {
	char *url;
	int line, col;
	int image;     /* 1 for an image, 0 for a link */
	int has_alt;   /* images: whether the alt text is non-empty */
	long section;  /* index into issue.sections, -1 for the lead */
	long item;     /* index into the section's items, -1 outside items */
	int opens_item; /* 1 for the link an item starts with: its own */
	char *text;    /* links: the text, when it is one run of plain text
			  of at most LINK_TEXT_MAX bytes (what the link-text
			  rule reads), else NULL */
};

/* The longest link text kept in struct link: longer than any phrase the
 * link-text rule knows. */
#define LINK_TEXT_MAX 32

struct item {
	int line, col;          /* the link that opens the item */
	char *title;            /* link text as plain text */
	char *url;              /* link destination, as cmark reads it */
	char *link_md;          /* the link exactly as written; for an item
				   written "[title]()", its title */
	char *note;             /* text after the link on its line, trimmed */
	char *note_md;          /* the same as written, its blanks kept */
	char *description_md;   /* the following blocks as written, dedented */
	char *description_html;
	char *description_text; /* as plain text, for counting words */
	int gap;                /* blank lines before it beyond one */
	char *marker;           /* "、" and the blanks after it as written, for
				   an item numbered "4、 [title](url)"; NULL
				   for "4. [title](url)" */
	int has_link;           /* 0: an item without an address, written
				   "[title]()" or, in a titles_only issue,
				   "1. Title"; or a list item that does not
				   start with a link (an error) */
};

struct section {
	long conf;              /* index into newsletter sections, -1 if unknown */
	char *heading;          /* the heading's text as written */
	int line, col;
	int gap;                /* blank lines before its heading beyond one */
	char *lead_md, *lead_html; /* blocks before the first item */
	struct item *items;
	size_t nitems, cap;
};

struct issue {
	char *path;             /* as given, for diagnostics */
	char *text;             /* the source as source.h reads it */
	size_t len;
	size_t nlines;          /* its lines (source.h) */
	uint32_t *starts;       /* where each starts, for the diagnostics */
	value *front;           /* front matter map (NULL if unusable) */
	int body_line;          /* line of the source where the body starts */
	long number;            /* -1 when missing */
	char *date;             /* NULL when missing */
	char *lead_md, *lead_html;
	struct section *sections; /* in source order */
	size_t nsections, sections_cap;
	struct link *links;     /* every link and image, in source order */
	size_t nlinks, links_cap;
	struct arena strings;   /* the strings of its leads, sections, items
				   and links, freed with it */
	int titles_only;        /* "titles_only: true": items may be titles
				   without links (a teaser's "1. Title") */
	int as_written;         /* "sections_as_written: true": outputs keep
				   the source's order of sections, not the
				   settings' (an issue published that way) */
	int unread;             /* the body goes over a limit of markdown.h:
				   not read, and refused with an error */
};

/* The most memory reading and rendering an issue of size bytes takes, its
 * Markdown and YAML within the limits of markdown.h and yaml.h: what the
 * nodes of its trees take, at most one a byte and MD_MAX_NODES in all (as
 * measured by tests/bench/hostile.sh). */
#define ISSUE_MEMORY(size) (((size_t)16 << 20) + 12 * (size_t)(size) + \
			    400 * ((size_t)(size) < MD_MAX_NODES ? (size_t)(size) : MD_MAX_NODES))

/* Lines that look like items but are not, each reported at its line; the
 * rest in one error. */
#define ISSUE_MAX_SLIPS 200

/* Parse the source text (copied) of path. Problems that make the issue
 * unusable are added to d as errors; the issue is returned in any case, as
 * complete as the source allows (NULL only when text is not given). */
struct issue *issue_parse(const struct newsletter *n, const char *path,
			  const char *text, size_t len, diag_list *d);
/* The same without what only outputs need (descriptions and leads as HTML
 * and plain text stay empty): for checks and listings. */
struct issue *issue_parse_outline(const struct newsletter *n, const char *path,
				  const char *text, size_t len, diag_list *d);
/* Read the source at path into a fresh buffer: 0, or -1 after adding an
 * error to d: a file over the size limit [file], or one that cannot be read
 * (*syserr set to 1). */
int issue_read(const char *path, char **text, size_t *len, diag_list *d, int *syserr);
/* Read path and parse it. Returns NULL after adding an error to d when the
 * file cannot be read (*syserr set to 1 unless it is too large). */
struct issue *issue_load(const struct newsletter *n, const char *path,
			 diag_list *d, int *syserr);
/* What only outputs need, made by issue_parse and issue_load, left out by
 * issue_parse_outline: descriptions and leads as HTML, and items'
 * descriptions as plain text (for stats and search). */
enum { ISSUE_HTML = 1, ISSUE_TEXT = 2, ISSUE_ALL = ISSUE_HTML | ISSUE_TEXT };
/* issue_load making only the parts given (the others stay empty). */
struct issue *issue_load_parts(const struct newsletter *n, const char *path, unsigned parts,
			       diag_list *d, int *syserr);
void issue_free(struct issue *is);
/* Give the diagnostics of d about the issue's file its lines, so that
 * printing them reads nothing (diag_set_sources). */
void issue_diag_sources(const struct issue *is, diag_list *d);
/* The titles of the issue's first max items, " · " between them, in a
 * fresh string ("" when it has none). */
char *issue_first_titles(const struct issue *is, size_t max);

#endif
