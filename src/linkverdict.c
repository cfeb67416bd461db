/* linkverdict.c - what a reply says about a link: ok, broken or unverifiable,
 * and why; redirects followed, loops caught, rate limits retried once. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "weekly/buf.h"
#include "weekly/linkrun.h"
#include "weekly/util.h"

#define LINKVERDICT_RETRY_CAP 30.0    /* longest Retry-After honoured, seconds */
#define LINKVERDICT_RETRY_DEFAULT 1.0 /* the wait when a 429 or 503 names none */

static const char *linkverdict_phrase(long status)
{
	static const struct { long code; const char *text; } phrases[] = {
		{ 200, "OK" }, { 201, "Created" }, { 202, "Accepted" },
		{ 203, "Non-Authoritative Information" }, { 204, "No Content" },
		{ 206, "Partial Content" }, { 300, "Multiple Choices" },
		{ 301, "Moved Permanently" }, { 302, "Found" }, { 303, "See Other" },
		{ 304, "Not Modified" }, { 307, "Temporary Redirect" },
		{ 308, "Permanent Redirect" }, { 400, "Bad Request" },
		{ 401, "Unauthorized" }, { 402, "Payment Required" }, { 403, "Forbidden" },
		{ 404, "Not Found" }, { 405, "Method Not Allowed" },
		{ 406, "Not Acceptable" }, { 407, "Proxy Authentication Required" },
		{ 408, "Request Timeout" }, { 410, "Gone" }, { 414, "URI Too Long" },
		{ 429, "Too Many Requests" }, { 451, "Unavailable For Legal Reasons" },
		{ 500, "Internal Server Error" }, { 501, "Not Implemented" },
		{ 502, "Bad Gateway" }, { 503, "Service Unavailable" },
		{ 504, "Gateway Timeout" },
	};
	for (size_t i = 0; i < sizeof phrases / sizeof *phrases; i++)
		if (phrases[i].code == status)
			return phrases[i].text;
	return NULL;
}

/* "404 Not Found"; servers' own phrases vary, and HTTP/2 has none. */
static char *linkverdict_status_text(long status)
{
	const char *p = linkverdict_phrase(status);
	return p ? xasprintf("%ld %s", status, p) : xasprintf("HTTP status %ld", status);
}

static void linkverdict_put_chain(buf *b, const struct linkcheck_link *l, const char *next)
{
	for (int i = 0; i < l->hops; i++)
		buf_printf(b, "%s%s", i ? " -> " : "", l->chain[i]);
	if (next)
		buf_printf(b, " -> %s", next);
}

void linkcheck_settle(struct linkcheck_run *r, struct linkcheck_link *l,
		      enum linkcache_verdict v, char *reason)
{
	l->verdict = v;
	l->reason = reason;
	l->state = LINKCHECK_DONE;
	l->store = 1;
	r->pending--;
	r->done++;
	r->broken += v == LINK_BROKEN;
}

/* The same, naming the redirects that led to the answer. */
static void linkverdict_settle_via(struct linkcheck_run *r, struct linkcheck_link *l,
				   enum linkcache_verdict v, char *reason)
{
	if (l->hops < 2) {
		linkcheck_settle(r, l, v, reason);
		return;
	}
	buf b = BUF_INIT;
	buf_printf(&b, "%s; redirects: ", reason);
	linkverdict_put_chain(&b, l, NULL);
	free(reason);
	linkcheck_settle(r, l, v, buf_take(&b));
}

static void linkverdict_bad_redirect(struct linkcheck_run *r, struct linkcheck_link *l,
				     const char *what, const char *next)
{
	buf b = BUF_INIT;
	buf_printf(&b, "%s: ", what);
	linkverdict_put_chain(&b, l, next);
	linkcheck_settle(r, l, LINK_BROKEN, buf_take(&b));
}

/* Alive. If the way there began with permanent redirects, the link should
 * name where they lead. */
static void linkverdict_ok(struct linkcheck_run *r, struct linkcheck_link *l, long status)
{
	if (!l->perm) {
		linkcheck_settle(r, l, LINK_OK, linkverdict_status_text(status));
		return;
	}
	l->moved_to = xstrdup(l->chain[l->perm]);
	buf b = BUF_INIT;
	char *text = linkverdict_status_text(l->perm_status);
	buf_puts(&b, text);
	free(text);
	if (l->hops > 2) {
		buf_puts(&b, "; redirects: ");
		linkverdict_put_chain(&b, l, NULL);
	}
	linkcheck_settle(r, l, LINK_OK, buf_take(&b));
}

/* Where a redirect leads, as a URL is written: every byte that is not
 * printable ASCII percent-encoded. A server's Location header is kept in
 * the cache and shown on terminals: it cannot carry control characters. */
static char *linkverdict_location(const char *to)
{
	buf b = BUF_INIT;
	for (const unsigned char *p = (const unsigned char *)to; *p; p++)
		if (*p <= ' ' || *p >= 0x7F)
			buf_printf(&b, "%%%02X", *p);
		else
			buf_putc(&b, (char)*p);
	return buf_take(&b);
}

/* A URL seen before is a loop, unless the redirect set a cookie: sites
 * that check for cookies send a browser back where it came from. */
static void linkverdict_follow(struct linkcheck_run *r, size_t li,
			       const struct linkcheck_reply *rep)
{
	struct linkcheck_link *l = &r->links[li];
	const char *bad = NULL;
	char *to = linkverdict_location(rep->location);
	long status = rep->status;
	for (int i = 0; i < l->hops && !rep->set_cookie; i++)
		if (strcmp(l->chain[i], to) == 0)
			bad = "redirect loop";
	if (!util_is_web(to))
		bad = "redirect to a non-http(s) URL";
	else if (!bad && l->hops > LINKCHECK_MAX_REDIRECTS)
		bad = "more than 10 redirects";
	if (bad) {
		linkverdict_bad_redirect(r, l, bad, to);
		free(to);
		return;
	}
	if ((status == 301 || status == 308) && l->perm == l->hops - 1) {
		if (!l->perm)
			l->perm_status = status;
		l->perm++;
	}
	l->chain[l->hops++] = to;
	linkcheck_enqueue(r, li);
}

/* A 429 or 503 the first time: wait as asked, pausing the whole host, and
 * ask once more; a wait beyond the cap is not worth it. */
static void linkverdict_retry(struct linkcheck_run *r, size_t li, const struct linkcheck_reply *rep)
{
	struct linkcheck_link *l = &r->links[li];
	double wait = rep->retry_after < 0 ? LINKVERDICT_RETRY_DEFAULT : rep->retry_after;
	if (wait > LINKVERDICT_RETRY_CAP) {
		char *text = linkverdict_status_text(rep->status);
		char *reason = xasprintf("%s; asked to retry after %.0f s", text, wait);
		free(text);
		linkverdict_settle_via(r, l, LINK_UNVERIFIABLE, reason);
		return;
	}
	struct linkcheck_host *h = &r->hosts[rep->host];
	double at = linkcheck_clock() + wait;
	if (at > h->not_before)
		h->not_before = at;
	l->retried = 1;
	linkcheck_enqueue(r, li);
}

/* Only "not there" is broken: 404 and 410. Everything else that is not a
 * success (bot walls, logins, rate limits, server errors) cannot tell. */
static void linkverdict_status(struct linkcheck_run *r, size_t li, const struct linkcheck_reply *rep)
{
	struct linkcheck_link *l = &r->links[li];
	long s = rep->status;
	int limited = s == 429 || s == 503;
	l->answered = 1;
	if (s >= 300 && s < 400 && rep->location) {
		linkverdict_follow(r, li, rep);
	} else if (limited && !l->retried) {
		linkverdict_retry(r, li, rep);
	} else if (s < 400) {
		linkverdict_ok(r, l, s);
	} else {
		char *text = linkverdict_status_text(s);
		if (limited) {
			char *t = xasprintf("%s after a retry", text);
			free(text);
			text = t;
		}
		linkverdict_settle_via(r, l, s == 404 || s == 410 ? LINK_BROKEN : LINK_UNVERIFIABLE,
				       text);
	}
}

static char *linkverdict_failure_text(const struct linkcheck_run *r,
				      const struct linkcheck_reply *rep)
{
	const struct linkcheck_opts *o = r->o;
	switch (rep->failure) {
	case LINKFAIL_DNS: return xstrdup("cannot resolve host");
	case LINKFAIL_REFUSED: return xstrdup("connection refused");
	case LINKFAIL_CONNECT_TIMEOUT:
		return xasprintf("no connection within %g s",
				 o->connect_timeout < o->timeout ? o->connect_timeout : o->timeout);
	case LINKFAIL_TIMEOUT: return xasprintf("no reply within %g s", o->timeout);
	case LINKFAIL_EMPTY: return xstrdup("empty reply");
	case LINKFAIL_RESET: return xstrdup("connection reset");
	case LINKFAIL_TLS: return xasprintf("TLS error: %s", rep->error);
	case LINKFAIL_MALFORMED: return xstrdup("malformed URL");
	case LINKFAIL_OTHER: break;
	}
	return xstrdup(rep->error);
}

/* No reply: a name that does not resolve, a refusal, a certificate that
 * does not verify are answers; silence, resets and timeouts are not. */
static void linkverdict_failure(struct linkcheck_run *r, size_t li,
				const struct linkcheck_reply *rep)
{
	struct linkcheck_link *l = &r->links[li];
	enum linkcheck_failure f = rep->failure;
	int broken = f == LINKFAIL_DNS || f == LINKFAIL_REFUSED || f == LINKFAIL_TLS ||
		     f == LINKFAIL_MALFORMED;
	l->dns_failed = f == LINKFAIL_DNS;
	l->answered = l->answered || f == LINKFAIL_REFUSED || f == LINKFAIL_TLS;
	linkverdict_settle_via(r, l, broken ? LINK_BROKEN : LINK_UNVERIFIABLE,
			       linkverdict_failure_text(r, rep));
}

void linkcheck_judge(struct linkcheck_run *r, size_t li, const struct linkcheck_reply *rep)
{
	if (rep->status)
		linkverdict_status(r, li, rep);
	else
		linkverdict_failure(r, li, rep);
}
