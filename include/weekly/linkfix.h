/* linkfix.h - `weekly check --fix`: rewrite in the sources what is certain
 * about their links (where permanent redirects lead, the canonical URL a
 * page names, utm_* parameters dropped), in place, atomically, each change
 * printed. */
#ifndef WEEKLY_LINKFIX_H
#define WEEKLY_LINKFIX_H

#include <stdio.h>
#include "diag.h"
#include "linkcheck.h"

/* Rewrite refs[i].url, where it is written, as to[i] (NULL: as it is),
 * utm_* parameters dropped either way. Every file is rewritten once,
 * atomically, and each change printed to out as "FILE:LINE:COL: OLD -> NEW".
 * Returns the number of changes, or -1 after adding an error to d when a
 * file could not be read or written (it is then left as it was). */
long linkfix_apply(const struct link_ref *refs, char *const *to, size_t n, FILE *out,
		   diag_list *d);

#endif
