/* linkverdict.c - what a reply says about a link: ok, broken or unverifiable,
 * and why; redirects followed, loops caught, rate limits retried once. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "weekly/buf.h"
#include "weekly/ledger.h"
#include "weekly/linkmeta.h"
#include "weekly/metacache.h"
#include "weekly/util.h"
#include "linkrun.h"

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
		buf_printf(b, "%s%s", i ? " -> " : "", linkcheck_url(l, i));
	if (next)
		buf_printf(b, " -> %s", next);
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

/* ---- what a live page says about itself ---- */

/* Whether text has word, ignoring ASCII case; a word of digits must stand
 * alone ("404", not "14045"). */
static int linkverdict_says(const char *text, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = text; p && *p; p++) {
		if (strncasecmp(p, word, n) != 0)
			continue;
		if (!isdigit((unsigned char)word[0]) ||
		    ((p == text || !isalnum((unsigned char)p[-1])) && !isalnum((unsigned char)p[n])))
			return 1;
	}
	return 0;
}

static const char *linkverdict_says_any(const char *text, const char *const *words)
{
	for (; text && *words; words++)
		if (linkverdict_says(text, *words))
			return *words;
	return NULL;
}

static const char *const linkverdict_gone_words[] = {
	"404", "not found", "page not found", "does not exist", "doesn't exist",
	"no longer exists", "no longer available", "page unavailable", "页面不存在",
	"找不到", "不存在", NULL
};
static const char *const linkverdict_parked_words[] = {
	"domain is for sale", "domain for sale", "buy this domain", "domain may be for sale",
	"parked domain", "domain parking", "parked free", "域名出售", NULL
};
static const char *const linkverdict_parking_hosts[] = {
	"sedoparking.com", "parkingcrew.net", "bodis.com", "afternic.com", "hugedomains.com",
	"dan.com", "above.com", "parklogic.com", NULL
};
static const char *const linkverdict_signin_words[] = {
	"login", "log-in", "signin", "sign-in", "sign_in", "/auth", "/sso", "/session",
	"/account", "/subscribe", NULL
};

/* The path of url, without query or fragment: "/" for none. */
static size_t linkverdict_path(const char *url, const char **path)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	p += strcspn(p, "/?#");
	*path = *p == '/' ? p : "/";
	return *p == '/' ? strcspn(p, "?#") : 1;
}

static int linkverdict_at_root(const char *url)
{
	const char *p;
	return linkverdict_path(url, &p) <= 1;
}

/* Whether the path of url has one of words. */
static int linkverdict_path_says(const char *url, const char *const *words)
{
	const char *path;
	size_t n = linkverdict_path(url, &path);
	char *p = xstrndup(path, n);
	int hit = linkverdict_says_any(p, words) != NULL;
	free(p);
	return hit;
}

/* After redirects: to the site's root, to a sign-in page, to a parking
 * service. */
static char *linkverdict_landing(const struct linkcheck_link *l)
{
	if (l->hops < 2)
		return NULL;
	const char *to = linkcheck_url(l, l->hops - 1);
	if (linkverdict_at_root(to) && !linkverdict_at_root(l->key))
		return xasprintf("soft-404: looks gone: it redirects to the site's root (%s)", to);
	if (linkverdict_path_says(to, linkverdict_signin_words) &&
	    !linkverdict_path_says(l->key, linkverdict_signin_words))
		return xasprintf("login-wall: leads to a sign-in page (%s)", to);
	for (const char *const *h = linkverdict_parking_hosts; *h; h++)
		if (linkverdict_says(to, *h))
			return xasprintf("parked: looks like a parked domain: it redirects to %s", to);
	return NULL;
}

/* What the page's head says: gone, parked, paid for, renamed. */
static char *linkverdict_page(const struct linkcheck_run *r, const struct linkcheck_link *l,
			      const struct htmlmeta *page)
{
	const char *title = htmlmeta_best_title(page), *hit;
	const value *known = r->meta ? metacache_find(r->meta, l->key) : NULL;
	const char *was = value_str(value_getc(known, "title"));
	const char *kind = value_str(value_getc(known, "kind"));
	if ((hit = linkverdict_says_any(page->title ? page->title : title, linkverdict_gone_words)) &&
	    !linkverdict_says_any(was, linkverdict_gone_words))
		return xasprintf("soft-404: looks gone: its title says '%s'",
				 page->title ? page->title : title);
	const char *desc = htmlmeta_best_description(page);
	if ((hit = linkverdict_says_any(title, linkverdict_parked_words)) ||
	    (hit = linkverdict_says_any(desc, linkverdict_parked_words)) ||
	    (hit = linkverdict_says_any(page->h1, linkverdict_parked_words)))
		return xasprintf("parked: looks like a parked domain: the page says '%s'", hit);
	if (page->not_free)
		return xstrdup("paywall: is behind a paywall (isAccessibleForFree: false)");
	if (was && title && (!kind || strcmp(kind, "page") == 0) && strcasecmp(was, title) != 0)
		return xasprintf("title-changed: has a new title: '%s', not '%s' as when it was added",
				 title, was);
	return NULL;
}

/* The canonical URL a page names, when it is another page than the link's
 * (not merely another spelling of it, such as the one --fix writes: a '('
 * as %28), else NULL. */
static char *linkverdict_canonical(const struct linkcheck_link *l, const struct htmlmeta *page)
{
	if (!page || !page->canonical)
		return NULL;
	char *canon = linkmeta_resolve(linkcheck_url(l, l->hops - 1), page->canonical);
	char *mc = linkmeta_markdown_url(canon), *ml = linkmeta_markdown_url(l->key);
	char *a = ledger_key(mc), *b = ledger_key(ml);
	int same = strcmp(a, b) == 0 || !util_is_web(canon) ||
		   (linkverdict_at_root(canon) && !linkverdict_at_root(l->key));
	free(a);
	free(b);
	free(mc);
	free(ml);
	if (same) {
		free(canon);
		return NULL;
	}
	return canon;
}

/* Alive. If the way there began with permanent redirects, the link should
 * name where they lead; if the page names another canonical URL, that. */
static void linkverdict_ok(struct linkcheck_run *r, struct linkcheck_link *l, long status,
			   const struct htmlmeta *page)
{
	char *suspect = linkverdict_landing(l);
	if (!suspect && page)
		suspect = linkverdict_page(r, l, page);
	if (suspect) {
		linkcheck_settle(r, l, LINK_SUSPECT, suspect);
		return;
	}
	if (!l->perm) {
		l->moved_to = linkverdict_canonical(l, page);
		linkcheck_settle(r, l, LINK_OK, l->moved_to ? xstrdup("canonical URL")
							    : linkverdict_status_text(status));
		return;
	}
	l->moved_to = xstrdup(linkcheck_url(l, l->perm));
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

/* A URL seen before is a loop, unless the redirect set a cookie: sites
 * that check for cookies send a browser back where it came from. */
static void linkverdict_follow(struct linkcheck_run *r, size_t li,
			       const struct linkcheck_reply *rep)
{
	struct linkcheck_link *l = &r->links[li];
	const char *bad = NULL;
	char *to = linkfetch_printable_url(rep->location);
	long status = rep->status;
	for (int i = 0; i < l->hops && !rep->set_cookie; i++)
		if (strcmp(linkcheck_url(l, i), to) == 0)
			bad = "redirect loop";
	if (!util_is_web(to)) /* libcurl hands back what it could not read as a URL */
		bad = linkfetch_bad_redirect(to);
	else if (!bad && l->hops > LINKCHECK_MAX_REDIRECTS)
		bad = LINKCHECK_TOO_MANY_REDIRECTS;
	if (bad) {
		linkverdict_bad_redirect(r, l, bad, to);
		free(to);
		return;
	}
	if ((status == 301 || status == 308) && l->perm == l->hops - 1) {
		if (!l->perm)
			l->perm_status = (short)status;
		l->perm++;
	}
	if (!l->chain)
		l->chain = xcalloc(LINKCHECK_MAX_REDIRECTS + 1, sizeof(*l->chain));
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
		linkverdict_ok(r, l, s, s < 300 ? rep->page : NULL);
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
			       linkcheck_failure_text(r->o, f, rep->error));
}

void linkcheck_judge(struct linkcheck_run *r, size_t li, const struct linkcheck_reply *rep)
{
	if (rep->status)
		linkverdict_status(r, li, rep);
	else
		linkverdict_failure(r, li, rep);
}
