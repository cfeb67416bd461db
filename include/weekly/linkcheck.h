/* linkcheck.h - ask the web whether links still work.
 *
 * Through libcurl, loaded at run time (libcurl.h) when links are checked,
 * so that every other command starts without it. */
#ifndef WEEKLY_LINKCHECK_H
#define WEEKLY_LINKCHECK_H

#include <stddef.h>
#include "diag.h"
#include "linkfetch.h"

/* Check every distinct URL of refs and add a diagnostic at each place a
 * problem URL appears: errors for broken links, warnings for unverifiable
 * ones, permanent redirects, canonical URLs that differ, and pages that look
 * dead or walled off though they answer (soft-404, login-wall, paywall,
 * parked, archived, title-changed). Unless fix is NULL, fix[i] (for each of
 * the n refs) is where refs[i] should point instead, a permanent redirect's
 * target or the canonical URL, in a fresh string the caller frees, or NULL.
 * Returns 0, or -1 after adding an error when the check could not run at
 * all (libcurl missing, cache unwritable). */
int linkcheck_run(const struct linkcheck_opts *o, const struct link_ref *refs,
		  size_t n, diag_list *d, char **fix);

#endif
