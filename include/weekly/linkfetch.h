/* linkfetch.h - asking the web: the options every request follows, the
 * places a URL is asked about for, and one page read whole (for `weekly
 * add` and the link metadata).
 *
 * Through libcurl, loaded at run time (libcurl.h) when the web is asked,
 * so that every other command starts without it. The link checker's own
 * transfers, many at once, are in src/linkrun.c (src/linkrun.h). */
#ifndef WEEKLY_LINKFETCH_H
#define WEEKLY_LINKFETCH_H

#include <stddef.h>
#include <time.h>
#include "buf.h"
#include "diag.h"

struct index;

struct linkcheck_opts {
	int jobs;              /* transfers at once (default 128) */
	int per_host;          /* transfers at once per host (default 16: on
				* HTTP/1.1 a connection each; HTTP/2 multiplexes
				* them on one) */
	double timeout;        /* seconds per request (default 10) */
	double connect_timeout;/* seconds to connect (default 5) */
	double deadline;       /* seconds for the whole run, 0 for none (default 300) */
	double max_age;        /* seconds a cached verdict stays good (default 1 day) */
	int only_new;          /* check only URLs the cache has never seen */
	int progress;          /* draw a progress line on standard error, when it
				* is a terminal (default: when it is one) */
	const char *root;      /* the newsletter whose archive index keeps the
				* verdicts (linkcache.h), or NULL: none kept */
	struct index *ix;      /* root's archive index, already open, which the
				* run takes over and closes; NULL: the run
				* opens it */
	const char *cache_path;/* the verdicts file of earlier versions, read
				* into the index once */
	int meta;              /* read what links said when added (metacache.h) */
	int read_pages;        /* read 2xx HTML pages' heads for the checks that
				* need them (default 1) */
	int rot;               /* link rot across the archive: record in the metadata
				* when each link was first seen broken; links
				* already known broken are warnings, not errors */
	const char *wayback;   /* an archive service's base URL: ask its
				* availability API for a snapshot of each dead
				* link (NULL: do not ask) */
	const char *user_agent;/* NULL: "weekly/VERSION (link checker)" */
};

/* o set to the defaults its fields name. */
void linkcheck_defaults(struct linkcheck_opts *o);

/* One place a URL appears. Strings are borrowed. */
struct link_ref {
	const char *url;
	const char *file;
	int line, col;
};

struct link_page;

struct link_get {
	const char *url;
	const struct linkcheck_opts *o; /* timeouts and user agent */
	const char *accept;     /* the Accept header, NULL for HTML's */
	const char *token;      /* sent as "Authorization: Bearer TOKEN", or NULL */
	size_t max_body;        /* bytes of the body read at most */
	/* A 2xx body, given to sink as it arrives instead of kept in body;
	 * sink returns 0 once it has read enough (then the rest is not
	 * asked for). NULL: the body is kept. */
	int (*sink)(void *ud, const struct link_page *p, const char *data, size_t n);
	void *sink_ud;
};

/* What came back. Strings are owned (link_page_release). */
struct link_page {
	long status;            /* the final status, 0 when no reply came */
	char *url;              /* where the redirects ended */
	char *moved_to;         /* that URL, when every redirect was permanent */
	char *content_type;     /* the Content-Type header, or NULL */
	char *content_language; /* the Content-Language header, or NULL */
	double retry_after;     /* seconds, -1 when not said */
	long rate_remaining;    /* X-RateLimit-Remaining, -1 when not said */
	time_t rate_reset;      /* X-RateLimit-Reset (epoch seconds), 0 when not said */
	buf body;               /* at most max_body bytes (none of a sink's) */
	int cut;                /* the body was cut short at max_body, or
				 * where the sink had read enough */
	char *error;            /* no reply: why, in words */
};

/* GET q->url, following up to 10 redirects (http and https only). Returns
 * 0 when the request was made (p->status or p->error says how it went), or
 * -1 with an error in d when libcurl cannot be loaded. */
int linkcheck_get(const struct link_get *q, struct link_page *p, diag_list *d);
void link_page_release(struct link_page *p);

#endif
