/* linkfetch.c - what every request to the web shares (the options and
 * their defaults, libcurl's handle set up to follow them, the headers read
 * from a reply, why no reply came) and one page read whole, for `weekly
 * add` and the link metadata. The link checker's many transfers at once
 * are in linkrun.c. */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "weekly/buf.h"
#include "weekly/libcurl.h"
#include "weekly/linkfetch.h"
#include "weekly/util.h"
#include "linkrun.h"

/* ---- options, headers, failures ---- */

void linkcheck_defaults(struct linkcheck_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->jobs = 320;
	o->per_host = 16;
	o->timeout = 10;
	o->connect_timeout = 5;
	o->deadline = 300;
	o->max_age = 86400;
	o->read_pages = 1;
	o->progress = isatty(STDERR_FILENO);
}

double linkcheck_clock(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Seconds to connect: no more than the whole request may take. */
static double linkfetch_connect_timeout(const struct linkcheck_opts *o)
{
	return o->connect_timeout < o->timeout ? o->connect_timeout : o->timeout;
}

char *linkcheck_failure_text(const struct linkcheck_opts *o, enum linkcheck_failure f,
			     const char *error)
{
	switch (f) {
	case LINKFAIL_DNS: return xstrdup("cannot resolve host");
	case LINKFAIL_REFUSED: return xstrdup("connection refused");
	case LINKFAIL_CONNECT_TIMEOUT:
		return xasprintf("no connection within %g s", linkfetch_connect_timeout(o));
	case LINKFAIL_TIMEOUT: return xasprintf("no reply within %g s", o->timeout);
	case LINKFAIL_EMPTY: return xstrdup("empty reply");
	case LINKFAIL_RESET: return xstrdup("connection reset");
	case LINKFAIL_TLS: return xasprintf("TLS error: %s", error);
	case LINKFAIL_MALFORMED: return xstrdup("malformed URL");
	case LINKFAIL_HEADERS_CUT: return xstrdup("the connection closed inside the reply's headers");
	case LINKFAIL_HEADERS_BIG: return xstrdup("the reply's headers are too large");
	case LINKFAIL_ENCODING: return xasprintf("a body its Content-Encoding (%s) does not decode", error);
	case LINKFAIL_OTHER: break;
	}
	return xstrdup(error);
}

int linkfetch_header_is(const char *p, size_t len, const char *name)
{
	size_t n = strlen(name);
	return len > n && p[n] == ':' && strncasecmp(p, name, n) == 0;
}

/* The value of a header line, trimmed, in a fresh string. */
char *linkfetch_header_value(const char *p, size_t len)
{
	const char *v = memchr(p, ':', len) + 1, *end = p + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && isspace((unsigned char)end[-1]))
		end--;
	return xstrndup(v, (size_t)(end - v));
}

/* Retry-After: seconds (as many digits as a server likes), or an HTTP date. */
double linkfetch_retry_after(const char *p, size_t len)
{
	char *v = linkfetch_header_value(p, len);
	double wait = -1;
	if (*v && strspn(v, "0123456789") == strlen(v)) {
		wait = strtod(v, NULL);
	} else {
		time_t t = libcurl.getdate(v, NULL);
		if (t != (time_t)-1) {
			double d = difftime(t, time(NULL));
			wait = d > 0 ? d : 0;
		}
	}
	free(v);
	return wait;
}

static int printable_byte(unsigned char c)
{
	return c > ' ' && c < 0x7F;
}

char *linkfetch_printable_url(const char *to)
{
	buf b = BUF_INIT;
	buf_put_percent(&b, to, printable_byte);
	return buf_take(&b);
}

const char *linkfetch_bad_redirect(const char *to)
{
	size_t n = strcspn(to, ":");
	int web = util_ieq(to, n, "http") || util_ieq(to, n, "https");
	return util_has_scheme(to) && !web ? "redirect to a non-http(s) URL"
					   : "redirect to a malformed URL";
}

enum linkcheck_failure linkfetch_failure(CURL *easy, CURLcode rc, const char *err)
{
	long oserr = 0, sent = 0; /* a reused connection has no connect time */
	libcurl.easy_getinfo(easy, CURLINFO_OS_ERRNO, &oserr);
	libcurl.easy_getinfo(easy, CURLINFO_REQUEST_SIZE, &sent);
	switch ((int)rc) {
	case CURLE_OK: return LINKFAIL_HEADERS_CUT; /* libcurl took what came for a reply */
	case CURLE_OUT_OF_MEMORY: /* how libcurl before 8.6 refuses a header past its limit */
	case 100: /* CURLE_TOO_LARGE, since 8.6 */
		return LINKFAIL_HEADERS_BIG;
	case CURLE_COULDNT_RESOLVE_HOST: return LINKFAIL_DNS;
	case CURLE_COULDNT_CONNECT: return oserr == ECONNREFUSED ? LINKFAIL_REFUSED : LINKFAIL_OTHER;
	case CURLE_OPERATION_TIMEDOUT: return sent ? LINKFAIL_TIMEOUT : LINKFAIL_CONNECT_TIMEOUT;
	case CURLE_GOT_NOTHING: return LINKFAIL_EMPTY;
	case CURLE_URL_MALFORMAT: return LINKFAIL_MALFORMED;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		return oserr == ECONNRESET || strstr(err, "reset by peer") ? LINKFAIL_RESET
									    : LINKFAIL_OTHER;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		return LINKFAIL_TLS;
	default: return LINKFAIL_OTHER;
	}
}

/* WEEKLY_CA_BUNDLE: certificates to trust instead of the system's (a
 * private authority, a test's own). */
CURL *linkfetch_easy(const struct linkcheck_opts *o, char *err)
{
	const char *ca = getenv("WEEKLY_CA_BUNDLE");
	CURL *e = libcurl.easy_init();
	if (!e)
		return NULL;
	libcurl.easy_setopt(e, CURLOPT_ERRORBUFFER, err);
	libcurl.easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	libcurl.easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(o->timeout * 1000));
	libcurl.easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)(linkfetch_connect_timeout(o) * 1000));
	libcurl.easy_setopt(e, CURLOPT_USERAGENT, o->user_agent && *o->user_agent ? o->user_agent
		      : "weekly/" WEEKLY_VERSION " (link checker)");
	libcurl.easy_setopt(e, CURLOPT_COOKIEFILE, "");
	if (ca && *ca)
		libcurl.easy_setopt(e, CURLOPT_CAINFO, ca);
	if (libcurl.easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK)
		libcurl.easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	return e;
}

/* ---- one page, read ---- */

struct linkfetch_page {
	const struct link_get *q;
	struct link_page *p;
	int all_permanent;  /* every redirect so far was 301 or 308 */
	int headers_done;   /* the final response's headers ended */
	char encoding[32];  /* its Content-Encoding, "" when unsaid */
	char location[512]; /* its Location, "" when unsaid */
	char err[CURL_ERROR_SIZE];
};

static void linkfetch_page_header(struct linkfetch_page *g, const char *h, size_t len)
{
	struct link_page *p = g->p;
	char *v;
	if (len >= 5 && memcmp(h, "HTTP/", 5) == 0) {
		if (p->status >= 300 && p->status < 400 && p->status != 301 && p->status != 308)
			g->all_permanent = 0;
		const char *sp = memchr(h, ' ', len);
		p->status = sp ? strtol(sp + 1, NULL, 10) : 0;
		free(p->content_type);
		free(p->content_language);
		p->content_type = p->content_language = NULL;
		p->retry_after = -1;
		p->rate_remaining = -1;
		p->rate_reset = 0;
		*g->encoding = *g->location = '\0';
		g->headers_done = 0;
		return;
	}
	if (!memchr(h, ':', len)) {
		g->headers_done = p->status >= 200 && len <= 2 && (*h == '\r' || *h == '\n');
		return;
	}
	if (linkfetch_header_is(h, len, "content-type")) {
		free(p->content_type);
		p->content_type = linkfetch_header_value(h, len);
	} else if (linkfetch_header_is(h, len, "content-language")) {
		free(p->content_language);
		p->content_language = linkfetch_header_value(h, len);
	} else if (linkfetch_header_is(h, len, "content-encoding")) {
		v = linkfetch_header_value(h, len);
		snprintf(g->encoding, sizeof g->encoding, "%s", v);
		free(v);
	} else if (linkfetch_header_is(h, len, "location")) {
		v = linkfetch_header_value(h, len);
		snprintf(g->location, sizeof g->location, "%s", v);
		free(v);
	} else if (linkfetch_header_is(h, len, "retry-after")) {
		p->retry_after = linkfetch_retry_after(h, len);
	} else if (linkfetch_header_is(h, len, "x-ratelimit-remaining")) {
		v = linkfetch_header_value(h, len);
		p->rate_remaining = *v ? strtol(v, NULL, 10) : -1;
		free(v);
	} else if (linkfetch_header_is(h, len, "x-ratelimit-reset")) {
		v = linkfetch_header_value(h, len);
		p->rate_reset = (time_t)strtoll(v, NULL, 10);
		free(v);
	}
}

static size_t linkfetch_page_on_header(char *h, size_t size, size_t n, void *ud)
{
	linkfetch_page_header(ud, h, size * n);
	return size * n;
}

static size_t linkfetch_page_on_body(char *data, size_t size, size_t n, void *ud)
{
	struct linkfetch_page *g = ud;
	struct link_page *p = g->p;
	size_t len = size * n, room = g->q->max_body - p->body.len;
	if (g->q->sink && p->status >= 200 && p->status < 300) {
		if (g->q->sink(g->q->sink_ud, p, data, len))
			return len;
		p->cut = 1;
		return 0;
	}
	size_t take = len < room ? len : room;
	buf_put(&p->body, data, take);
	if (take < len) {
		p->cut = 1;
		return 0;
	}
	return len;
}

static struct curl_slist *linkfetch_page_headers(const struct link_get *q)
{
	struct curl_slist *h = libcurl.slist_append(NULL, q->accept ? q->accept
		: "Accept: text/html,application/xhtml+xml,*/*;q=0.8");
	if (q->token && *q->token) {
		char *auth = xasprintf("Authorization: Bearer %s", q->token);
		h = libcurl.slist_append(h, auth);
		free(auth);
	}
	return h;
}

static CURL *linkfetch_page_easy(struct linkfetch_page *g, struct curl_slist *headers)
{
	CURL *e = linkfetch_easy(g->q->o, g->err);
	if (!e)
		return NULL;
	libcurl.easy_setopt(e, CURLOPT_URL, g->q->url);
	libcurl.easy_setopt(e, CURLOPT_HEADERFUNCTION, linkfetch_page_on_header);
	libcurl.easy_setopt(e, CURLOPT_HEADERDATA, g);
	libcurl.easy_setopt(e, CURLOPT_WRITEFUNCTION, linkfetch_page_on_body);
	libcurl.easy_setopt(e, CURLOPT_WRITEDATA, g);
	libcurl.easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	libcurl.easy_setopt(e, CURLOPT_MAXREDIRS, (long)LINKCHECK_MAX_REDIRECTS);
	libcurl.easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); /* whatever it can decode */
	libcurl.easy_setopt(e, CURLOPT_HTTPHEADER, headers);
	if (libcurl.easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") != CURLE_OK)
		libcurl.easy_setopt(e, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	return e;
}

/* Why the page did not come, in words. A write error the body did not cause
 * (it was not cut) is the decoder's: libcurl 7.88 reports bad brotli so. */
static char *linkfetch_page_failure(const struct linkfetch_page *g, CURL *e, CURLcode rc)
{
	enum linkcheck_failure f = rc == CURLE_WRITE_ERROR || rc == CURLE_BAD_CONTENT_ENCODING
				 ? LINKFAIL_ENCODING : linkfetch_failure(e, rc, g->err);
	if (f == LINKFAIL_ENCODING)
		return linkcheck_failure_text(g->q->o, f, *g->encoding ? g->encoding : "unsaid");
	if (rc == CURLE_TOO_MANY_REDIRECTS)
		return xstrdup(LINKCHECK_TOO_MANY_REDIRECTS);
	if ((rc == CURLE_UNSUPPORTED_PROTOCOL || rc == CURLE_URL_MALFORMAT) && *g->location) {
		char *to = linkfetch_printable_url(g->location);
		char *text = xasprintf("%s: %s", linkfetch_bad_redirect(to), to);
		free(to);
		return text;
	}
	return linkcheck_failure_text(g->q->o, f, *g->err ? g->err : libcurl.easy_strerror(rc));
}

int linkcheck_get(const struct link_get *q, struct link_page *p, diag_list *d)
{
	struct linkfetch_page g = { .q = q, .p = p, .all_permanent = 1 };
	*p = (struct link_page){ .retry_after = -1, .rate_remaining = -1, .body = BUF_INIT };
	if (libcurl_load(d) < 0)
		return -1;
	struct curl_slist *headers = linkfetch_page_headers(q);
	CURL *e = linkfetch_page_easy(&g, headers);
	if (!e) {
		libcurl.slist_free_all(headers);
		p->error = xstrdup("libcurl failed");
		return 0;
	}
	CURLcode rc = libcurl.easy_perform(e);
	char *url = NULL;
	long redirects = 0;
	libcurl.easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &url);
	libcurl.easy_getinfo(e, CURLINFO_REDIRECT_COUNT, &redirects);
	p->url = xstrdup(url ? url : q->url);
	if ((rc == CURLE_OK && g.headers_done) || (rc == CURLE_WRITE_ERROR && p->cut)) {
		if (redirects > 0 && g.all_permanent)
			p->moved_to = xstrdup(p->url);
	} else {
		p->status = 0;
		p->error = linkfetch_page_failure(&g, e, rc);
	}
	libcurl.easy_cleanup(e);
	libcurl.slist_free_all(headers);
	return 0;
}

void link_page_release(struct link_page *p)
{
	free(p->url);
	free(p->moved_to);
	free(p->content_type);
	free(p->content_language);
	free(p->error);
	buf_release(&p->body);
	*p = (struct link_page){ .body = BUF_INIT };
}
