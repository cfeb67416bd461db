/* linkcheck.h - ask the web whether links still work.
 *
 * Through libcurl, loaded at run time (libcurl.h) when links are checked,
 * so that every other command starts without it. */
#ifndef WEEKLY_LINKCHECK_H
#define WEEKLY_LINKCHECK_H

#include <stddef.h>
#include "diag.h"

struct linkcheck_opts {
	int jobs;              /* transfers at once (default 128) */
	int per_host;          /* transfers at once per host (default 8) */
	double timeout;        /* seconds per request (default 10) */
	double connect_timeout;/* seconds to connect (default 5) */
	double deadline;       /* seconds for the whole run, 0 for none (default 300) */
	double max_age;        /* seconds a cached verdict stays good (default 1 day) */
	int only_new;          /* check only URLs the cache has never seen */
	int progress;          /* draw a progress line on standard error, when it
				* is a terminal (default: when it is one) */
	const char *cache_path;/* NULL: no cache */
	const char *user_agent;/* NULL: "weekly/VERSION (link checker)" */
};

/* One place a URL appears. Strings are borrowed. */
struct link_ref {
	const char *url;
	const char *file;
	int line, col;
};

void linkcheck_defaults(struct linkcheck_opts *o);
/* Check every distinct URL of refs and add a diagnostic at each place a
 * problem URL appears: errors for broken links, warnings for unverifiable
 * ones and permanent redirects. Returns 0, or -1 after adding an error when
 * the check could not run at all (libcurl missing, cache unwritable). */
int linkcheck_run(const struct linkcheck_opts *o, const struct link_ref *refs,
		  size_t n, diag_list *d);

#endif
