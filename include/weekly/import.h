/* import.h - a published issue turned back into its source (`weekly
 * import`). import.c owns the state of one import: the published text cut
 * into chunks (the intro, then each section from its heading), the
 * diagnostics said about it, and the settings the issue overrides.
 * import_source.c writes the source from what was placed, renders it as
 * the templates would and compares that with the published text;
 * import_place.c places the published text: what the templates write
 * (found by rendering a probe issue with every section empty), the lead,
 * the sections kept.
 *
 * Lines are 0-based here, 1-based in diagnostics. */
#ifndef WEEKLY_IMPORT_H
#define WEEKLY_IMPORT_H

#include <stddef.h>
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "published.h"
#include "render.h"
#include "value.h"

/* A run of lines: the intro before the first "## " heading, or a heading
 * and the lines up to the next one. */
struct chunk {
	size_t first, end;  /* lines [first, end) */
	int heading;        /* 1 "## ", 2 another line naming a section, 0 none */
};

struct chunks {
	struct chunk *at;
	size_t len, cap;
};

/* A published section kept in the source, its heading rewritten as the
 * configured title when title is set. */
struct kept {
	struct chunk c;
	const char *title;
};

/* Published lines copied into the source: source line src is published
 * line pub, for n lines. */
struct seg {
	size_t src, pub, n;
};

struct import {
	const struct newsletter *n;
	struct renderer *r;
	struct doc pub;             /* the published issue */
	struct chunks pc;           /* its chunks */
	long *conf;                 /* the section each chunk was kept as, or -1 */
	struct pub_head head;       /* what its head says */
	long number;
	char *date;
	value *settings;            /* as the issue sees them, overrides applied */
	char **ov;                  /* the settings overridden in the front matter */
	size_t nov, ovcap;
	size_t lead_first, lead_end; /* published lines of the lead; equal: none */
	struct kept *keep;           /* the sections kept, tails removed */
	size_t nkeep, keepcap;
	diag_list d;
	size_t left_out;             /* parts of the published text left out */
	char *reason;                /* the first of them, for the summary */
	int titles_only;             /* it lists titles only (import_titles.c) */
};

void import_release(struct import *im);

/* --- import.c: chunks ---------------------------------------------------- */

/* d's chunks into c: a chunk opens at a "## " heading, or (when n is
 * given) at a line of its own whose text names a configured section. */
void import_chunks(const struct doc *d, const struct newsletter *n, struct chunks *c);
/* The name c's heading gives: without the '#' marks, trimmed, a link's
 * brackets and URL taken out ("## [🦄Articles](https://…)" names
 * "🦄Articles"). The caller frees it. */
char *import_heading_name(const struct doc *d, const struct chunk *c);
/* Whether lines [as, ae) of a are the same text as lines [bs, be) of b. */
int import_same_text(const struct doc *a, size_t as, size_t ae, const struct doc *b,
		     size_t bs, size_t be);
/* c without its trailing blank lines. */
struct chunk import_trimmed(const struct doc *d, struct chunk c);
/* Whether line i starts like an item ("1.", "1)", "1、", "-", "*" or
 * "+"), then a link. */
int import_item_like(const struct doc *d, size_t i);
/* The number 1 to 20 of the circled digit line l (len bytes) starts with
 * ("① Title"), or 0. */
int import_circled(const char *l, size_t len);

/* --- import.c: what is said ---------------------------------------------- */

void import_say(struct import *im, diag_severity sev, size_t line0, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A part of the published text that the source cannot hold: named at its
 * line, and the issue is refused. */
void import_left_out(struct import *im, size_t line0, const char *what);
/* Whether a diagnostic already points into published lines [first, end). */
int import_reported(const struct import *im, size_t first, size_t end);

/* --- import.c: settings the issue overrides ------------------------------ */

/* An issue's own keys, and the settings that shape the whole newsletter:
 * never overridden for one issue. */
int import_is_reserved(const char *key);
/* Note that key is overridden; 1 when it was not yet. */
int import_note_override(struct import *im, const char *key);
/* If got (what the templates wrote) becomes want (what was published)
 * with one setting's text changed, override that setting for this issue
 * and return 0; else -1. */
int import_find_override(struct import *im, const char *got, size_t glen, const char *want,
			 size_t wlen);
/* When got (what the templates wrote, len bytes) ends with another number
 * of line breaks than the published text (none, one or a blank line), the
 * string of the settings it ends with says how many, for this issue. */
void import_end_as_published(struct import *im, const char *got, size_t len);

/* The overrides so far, to go back to when a try fails. */
struct import_snapshot {
	value *settings;
	size_t nov;
};

struct import_snapshot import_snapshot(const struct import *im);
/* Go back to s (restore) or keep what was found since (forget s). */
void import_settle(struct import *im, struct import_snapshot *s, int restore);

/* --- import_source.c ----------------------------------------------------- */

/* Whether configured section k is among the published sections kept. */
int import_kept_section(const struct import *im, long k);
/* The source: front matter, the lead and the kept sections. segs (room for
 * nkeep + 1) learns where published lines went; may be NULL. */
void import_source(const struct import *im, long number, buf *b, struct seg *segs,
		   size_t *nsegs);
/* Render src as Markdown into out; with items, also learn how many items
 * the source has and check it as `weekly check` would. Returns 0, or -1
 * with problems in d. */
int import_rebuild(struct import *im, const char *src, size_t len, buf *out, size_t *items,
		   diag_list *d);
/* What the templates write for an issue with every section empty. d
 * learns what building it said; NULL for a try: what a probe says about
 * the templates, the source built at the end says once, and what it says
 * about settings tried and given up is not so. */
int import_probe(struct import *im, struct doc *out, diag_list *d);
/* Build the source as it will be written, but numbered as published, and
 * report what does not come back; fewer items than published is a part
 * left out. */
void import_check(struct import *im);

/* --- import_place.c ------------------------------------------------------ */

/* Place the published text (the intro, the lead, the sections, the
 * overrides), then check the result. Returns 0, or -1 when nothing can be
 * made. */
int import_place(struct import *im);

/* --- import_titles.c: an issue of titles only -------------------------- */

/* Whether d lists titles numbered ①, ②… (an issue of titles only, when it
 * has no "## " section). */
int import_titles_shape(const struct doc *d);
/* Place such an issue: its sections as kept sections of "1. Title" items,
 * the text around them as its teaser settings; then check the rebuilt
 * issue gives every title back. 0, or -1 when nothing can be made. */
int import_place_titles(struct import *im);

#endif
