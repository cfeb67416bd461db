/* linklist.h - the listing of links that `weekly links` and `weekly where`
 * print: in a terminal's words (human), as tab-separated rows with a
 * header line (tsv), or as a JSON array of objects (json).
 *
 * A listing goes out as it is made, issue by issue (linklist_flush), so
 * that memory stays one issue deep however big the archive. */
#ifndef WEEKLY_LINKLIST_H
#define WEEKLY_LINKLIST_H

#include <stdio.h>
#include "buf.h"
#include "ledger.h"

enum linklist_format { LINKLIST_HUMAN, LINKLIST_TSV, LINKLIST_JSON };

/* Parse a --format value (human, tsv or json); -1 when unknown. */
int linklist_parse_format(const char *s, enum linklist_format *out);

struct linklist {
	enum linklist_format format;
	FILE *to;
	buf out;
	size_t rows;
};

/* Start a listing to f: the TSV header, the JSON array's opening. */
void linklist_begin(struct linklist *ls, enum linklist_format format, FILE *f);
/* One place a link appears. Human: "FILE:LINE:COL: issue 15, articles
 * item 3: URL" ("link in", "image in" before the section for links that
 * are not what an item features, "the lead" outside sections). TSV and
 * JSON: issue, section (its id; empty or null for the lead), item
 * (numbered from 1 as in the outputs; empty or null outside items), kind
 * (item, link or image), file, line, column, the URL as written and its
 * normalised form. */
void linklist_row(struct linklist *ls, const struct ledger_entry *e);
/* Write the rows added so far (a failed write shows when f is closed). */
void linklist_flush(struct linklist *ls);
/* Close the listing, write the rest and release it. */
void linklist_end(struct linklist *ls);

#endif
