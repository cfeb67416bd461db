/* linkrun.h - the state of one link check, shared by the link checker's
 * parts and nothing else: linkcheck.c (distinct URLs, cache, report),
 * linkrun.c (the transfers, hosts and their queues), linkverdict.c (what a
 * reply says about a link) and linkfetch.c (what every request shares). A
 * run owns everything it points to. */
#ifndef WEEKLY_LINKRUN_H
#define WEEKLY_LINKRUN_H

#include <stddef.h>
#include "weekly/diag.h"
#include "weekly/htmlmeta.h"
#include "weekly/libcurl.h"
#include "weekly/linkcache.h"
#include "weekly/linkcheck.h"
#include "weekly/value.h"

#define LINKCHECK_MAX_REDIRECTS 10
/* What a link that redirects more often than that is said to do. */
#define LINKCHECK_WORDS(n) #n
#define LINKCHECK_REDIRECTS_WORDS(n) "more than " LINKCHECK_WORDS(n) " redirects"
#define LINKCHECK_TOO_MANY_REDIRECTS LINKCHECK_REDIRECTS_WORDS(LINKCHECK_MAX_REDIRECTS)

enum linkcheck_state { LINKCHECK_SKIP, LINKCHECK_QUEUED, LINKCHECK_DONE };

/* One distinct URL (fragment removed), however often it appears. Small:
 * an archive's check holds one for each of tens of thousands of links. */
struct linkcheck_link {
	const char *key;   /* the URL as its first place writes it (the caller's
			    * string, which outlives the run), or without a
			    * fragment (then key_owned) */
	char **chain;      /* the URLs asked, from key on (linkcheck_url); NULL
			    * until the first redirect, then room for
			    * LINKCHECK_MAX_REDIRECTS + 1; owned but for chain[0] */
	char *reason;
	char *moved_to;    /* where a permanent redirect leads, or NULL */
	enum linkcheck_state state;
	enum linkcache_verdict verdict;
	short perm_status; /* of the first permanent redirect: 301 or 308 */
	unsigned char hops; /* URLs asked; the last is the one to ask next */
	unsigned char perm; /* leading redirects that are permanent */
	unsigned retried : 1;
	unsigned answered : 1;   /* a server replied, even with a refusal */
	unsigned dns_failed : 1;
	unsigned store : 1;      /* a fresh verdict for the cache */
	unsigned rot_known : 1;  /* broken, and already known broken before this run */
	unsigned key_owned : 1;
};

struct linkcheck_host {
	char *key;         /* scheme://authority, lowercase */
	int running;
	int h2;            /* it answered over HTTP/2: one connection, many requests */
	int h1;            /* it answered over HTTP/1 */
	double not_before; /* monotonic seconds: a 429 or 503 pauses the host */
	size_t *queue;     /* links waiting, from head to len */
	size_t head, len, cap;
};

struct linkcheck_reply;

struct linkcheck_run {
	const struct linkcheck_opts *o;
	struct linkcheck_link *links;
	size_t nlinks;
	size_t *ref_link;  /* refs[i] is links[ref_link[i]], SIZE_MAX if not checked */
	struct linkcheck_host *hosts;
	size_t nhosts, hosts_cap;
	size_t *htab, hcap; /* open addressing: host index + 1, 0 when empty */
	const value *meta; /* what links said about themselves (metacache.h), or NULL */
	int read_pages;    /* HTML pages are read (libxml2 could be loaded) */
	size_t pending;    /* links queued or in flight */
	size_t unkept;     /* links given a verdict since keep last looked */
	struct index *ix;  /* where linkcheck_keep writes fresh verdicts, or NULL */
	int keep_failed;   /* the index could not be opened or written: all at the end */
	size_t total, done, broken; /* for the progress line */
	/* Follow, retry or judge link li after a reply (linkcheck_judge). */
	void (*judge)(struct linkcheck_run *r, size_t li, const struct linkcheck_reply *rep);
	/* Write the fresh verdicts not written yet to the index, in one
	 * transaction, once at least min links were settled since the last
	 * call (linkcheck_keep); NULL: all at the end. */
	void (*keep)(struct linkcheck_run *r, size_t min);
};

/* The i-th URL link l asked (0: the link itself); i < l->hops. */
static inline const char *linkcheck_url(const struct linkcheck_link *l, int i)
{
	return i ? l->chain[i] : l->key;
}

/* Why a request got no HTTP reply. */
enum linkcheck_failure {
	LINKFAIL_DNS, LINKFAIL_REFUSED, LINKFAIL_CONNECT_TIMEOUT, LINKFAIL_TIMEOUT,
	LINKFAIL_EMPTY, LINKFAIL_RESET, LINKFAIL_TLS, LINKFAIL_MALFORMED,
	LINKFAIL_HEADERS_CUT, /* the connection ended inside the reply's headers */
	LINKFAIL_HEADERS_BIG, /* a header line or the headers too large to read */
	LINKFAIL_ENCODING,    /* a body its Content-Encoding does not decode */
	LINKFAIL_OTHER
};

/* What one request came back with. Strings are borrowed. */
struct linkcheck_reply {
	long status;          /* the final status once the headers are in, else 0 */
	const char *location; /* the absolute URL a 3xx points to, or NULL */
	int set_cookie;       /* the reply set a cookie */
	double retry_after;   /* seconds asked to wait, -1 when not said */
	enum linkcheck_failure failure; /* when status is 0 */
	const char *error;    /* libcurl's words, for TLS and other failures */
	size_t host;          /* the host asked */
	const struct htmlmeta *page; /* a 2xx HTML page's head, when read */
};

/* linkfetch.c */
double linkcheck_clock(void);
/* Why a request got no reply, in words ("no reply within 10 s"). */
char *linkcheck_failure_text(const struct linkcheck_opts *o, enum linkcheck_failure f,
			     const char *error);
/* Whether the header line p (len bytes) is header name's; its value,
 * trimmed, in a fresh string. */
int linkfetch_header_is(const char *p, size_t len, const char *name);
char *linkfetch_header_value(const char *p, size_t len);
/* The seconds a Retry-After header line asks to wait, -1 when unreadable. */
double linkfetch_retry_after(const char *p, size_t len);
/* Where a redirect leads, as a URL is written: every byte that is not
 * printable ASCII percent-encoded (a server's Location header is kept in
 * the cache and shown on terminals: it cannot carry control characters).
 * A fresh string. */
char *linkfetch_printable_url(const char *to);
/* Why a redirect to to, which cannot be followed, is not: "redirect to a
 * non-http(s) URL" when it names a scheme other than http or https, else
 * (an http(s) URL that cannot be read, or no scheme) "redirect to a
 * malformed URL". */
const char *linkfetch_bad_redirect(const char *to);
/* Why transfer easy got no reply (rc, with libcurl's words err). */
enum linkcheck_failure linkfetch_failure(CURL *easy, CURLcode rc, const char *err);
/* A handle following o (timeouts, user agent, certificates, http and https
 * only, cookies kept), libcurl's errors written to err (CURL_ERROR_SIZE);
 * NULL when libcurl cannot make one. */
CURL *linkfetch_easy(const struct linkcheck_opts *o, char *err);

/* linkrun.c */
/* Put link li in the queue of the host of the URL it asks next. */
void linkcheck_enqueue(struct linkcheck_run *r, size_t li);
/* Ask every queued link, judging each reply, until none is pending or the
 * deadline passes. Returns -1 after adding an error when libcurl cannot be
 * loaded or fails. */
int linkcheck_fetch(struct linkcheck_run *r, diag_list *d);
/* Give link li its verdict; reason is taken over. */
void linkcheck_settle(struct linkcheck_run *r, struct linkcheck_link *l,
		      enum linkcache_verdict v, char *reason);

/* linkverdict.c */
/* Follow, retry or judge link li after a reply: the run's judge. */
void linkcheck_judge(struct linkcheck_run *r, size_t li, const struct linkcheck_reply *rep);

#endif
