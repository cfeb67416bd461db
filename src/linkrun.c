/* linkrun.c - the link checker's transfers, many at once, with libcurl's
 * multi interface driven by epoll (curl_multi_socket_action: libcurl acts
 * only on the sockets that are ready, not on every transfer each time):
 * per-host queues and caps, one GET per URL cut off once its headers are in
 * (or its page's head is read), each reply handed to the run's judge. */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <unistd.h>
#include "weekly/libcurl.h"
#include "weekly/linkfetch.h"
#include "weekly/util.h"
#include "linkrun.h"

/* An HTTP/1 body this small is read and dropped rather than cut off, since
 * cutting it closes a connection the next link to that host could reuse;
 * and it must come within a second of the headers (or the loop cuts it). */
#define LINKRUN_DRAIN_MAX 16384
#define LINKRUN_DRAIN_TIME 1.0
#define LINKRUN_MAX_JOBS 1024
/* Requests at once on a host that answered over HTTP/2: one connection
 * carries them all, as many as servers commonly allow at once. */
#define LINKRUN_H2_STREAMS 100
/* Each transfer's receive buffer (libcurl's default is 16 KiB): a check
 * reads headers and at most a page's head, and hundreds run at once. */
#define LINKRUN_BUFFER 1024
/* Socket events taken from epoll at once. */
#define LINKRUN_EVENTS 256
/* Fresh verdicts written to the index at once while the last replies are
 * awaited (what is left after the last one is written then). */
#define LINKRUN_KEEP_BATCH 32


static char *linkrun_host_key(const char *url)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	size_t n = strcspn(p, "/?#");
	for (size_t i = n; i > 0; i--)
		if (p[i - 1] == '@') { /* user:password@ */
			n -= i;
			p += i;
			break;
		}
	char *key = xasprintf("%.*s%.*s", (int)(p - url), url, (int)n, p);
	for (char *s = key; *s; s++)
		*s = (char)tolower((unsigned char)*s);
	return key;
}

static void linkrun_rehash(struct linkcheck_run *r)
{
	free(r->htab);
	r->hcap = r->hcap ? r->hcap * 2 : 64;
	r->htab = xcalloc(r->hcap, sizeof(*r->htab));
	for (size_t h = 0; h < r->nhosts; h++) {
		size_t i = (size_t)util_hash(r->hosts[h].key, strlen(r->hosts[h].key)) & (r->hcap - 1);
		while (r->htab[i])
			i = (i + 1) & (r->hcap - 1);
		r->htab[i] = h + 1;
	}
}

/* The index of url's host, added when new. */
static size_t linkrun_host(struct linkcheck_run *r, const char *url)
{
	char *key = linkrun_host_key(url);
	if ((r->nhosts + 1) * 2 > r->hcap)
		linkrun_rehash(r);
	size_t i = (size_t)util_hash(key, strlen(key)) & (r->hcap - 1);
	for (; r->htab[i]; i = (i + 1) & (r->hcap - 1))
		if (strcmp(r->hosts[r->htab[i] - 1].key, key) == 0) {
			free(key);
			return r->htab[i] - 1;
		}
	xgrow((void **)&r->hosts, &r->hosts_cap, r->nhosts + 1, sizeof(*r->hosts));
	struct linkcheck_host *h = &r->hosts[r->nhosts];
	memset(h, 0, sizeof(*h));
	h->key = key;
	r->htab[i] = ++r->nhosts;
	return r->nhosts - 1;
}

void linkcheck_enqueue(struct linkcheck_run *r, size_t li)
{
	struct linkcheck_link *l = &r->links[li];
	size_t hi = linkrun_host(r, linkcheck_url(l, l->hops - 1)); /* may move r->hosts */
	struct linkcheck_host *h = &r->hosts[hi];
	if (h->head == h->len)
		h->head = h->len = 0;
	xgrow((void **)&h->queue, &h->cap, h->len + 1, sizeof(*h->queue));
	h->queue[h->len++] = li;
}

void linkcheck_settle(struct linkcheck_run *r, struct linkcheck_link *l,
		      enum linkcache_verdict v, char *reason)
{
	l->verdict = v;
	l->reason = reason;
	l->state = LINKCHECK_DONE;
	l->store = 1;
	r->unkept++;
	r->pending--;
	r->done++;
	r->broken += v == LINK_BROKEN;
}


/* ---- one transfer ---- */

struct linkrun_xfer {
	CURL *easy;
	int busy;
	size_t link, host;
	long status;
	int h2;
	int set_cookie;
	int has_location;   /* the handle may remember an earlier transfer's */
	int headers_done;
	double headers_at;
	double retry_after; /* seconds, -1 when not given */
	long long length;   /* Content-Length, -1 when not given */
	size_t body;
	char charset[64];   /* of a text/html reply, "" when unsaid */
	int html;           /* the reply is text/html */
	int reading;        /* its head is being read into page */
	struct htmlmeta page;
	struct linkcheck_run *r;
	char err[CURL_ERROR_SIZE];
};



static void linkrun_length(struct linkrun_xfer *x, const char *p, size_t len)
{
	char *v = linkfetch_header_value(p, len), *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (end != v && !*end && !errno && n >= 0)
		x->length = n;
	free(v);
}

/* "HTTP/1.1 200 OK", "HTTP/2 404": a new response begins. */
static void linkrun_status_line(struct linkrun_xfer *x, const char *p, size_t len)
{
	const char *sp = memchr(p, ' ', len);
	x->status = sp ? strtol(sp + 1, NULL, 10) : 0;
	x->h2 = len > 5 && p[5] >= '2';
	x->retry_after = -1;
	x->length = -1;
	x->set_cookie = 0;
	x->has_location = 0;
	x->html = 0;
	x->charset[0] = '\0';
}

/* Content-Type: text/html; charset=gbk */
static void linkrun_type(struct linkrun_xfer *x, const char *p, size_t len)
{
	char *v = linkfetch_header_value(p, len);
	size_t n = strcspn(v, "; \t");
	x->html = util_ieq(v, n, "text/html") || util_ieq(v, n, "application/xhtml+xml");
	for (const char *c = v; *c; c++)
		if (strncasecmp(c, "charset=", 8) == 0) {
			c += 8 + (c[8] == '"');
			snprintf(x->charset, sizeof x->charset, "%.*s", (int)strcspn(c, "\"; \t"), c);
			break;
		}
	free(v);
}

/* A live HTML page: read its head, unless libxml2 is missing (then no
 * page is read for the rest of the run). */
static int linkrun_read_page(struct linkrun_xfer *x)
{
	const char *why;
	if (!x->r->read_pages || !x->html || x->status < 200 || x->status >= 300)
		return 0;
	if (htmlmeta_begin(&x->page, *x->charset ? x->charset : NULL, &why) < 0) {
		x->r->read_pages = 0;
		return 0;
	}
	x->reading = 1;
	return 1;
}

/* Once the headers are in, is the body worth reading? Only a small HTTP/1
 * one, to keep the connection; HTTP/2 cancels one stream and keeps it. */
static int linkrun_keep_reading(const struct linkrun_xfer *x)
{
	if (x->status == 204 || x->status == 304 || x->length == 0)
		return 1;
	return !x->h2 && x->length > 0 && x->length <= LINKRUN_DRAIN_MAX;
}

static size_t linkrun_on_header(char *p, size_t size, size_t n, void *ud)
{
	struct linkrun_xfer *x = ud;
	size_t len = size * n;
	if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		linkrun_status_line(x, p, len);
	} else if (linkfetch_header_is(p, len, "retry-after")) {
		x->retry_after = linkfetch_retry_after(p, len);
	} else if (linkfetch_header_is(p, len, "content-length")) {
		linkrun_length(x, p, len);
	} else if (linkfetch_header_is(p, len, "set-cookie")) {
		x->set_cookie = 1;
	} else if (linkfetch_header_is(p, len, "content-type")) {
		linkrun_type(x, p, len);
	} else if (linkfetch_header_is(p, len, "location")) {
		x->has_location = 1;
	} else if (len <= 2 && (p[0] == '\r' || p[0] == '\n') && x->status >= 200) {
		x->headers_done = 1; /* 1xx interim responses end in a blank line too */
		x->headers_at = linkcheck_clock();
		if (linkrun_read_page(x))
			return len;
		return linkrun_keep_reading(x) ? len : 0; /* 0 ends the transfer */
	}
	return len;
}

static size_t linkrun_on_body(char *p, size_t size, size_t n, void *ud)
{
	struct linkrun_xfer *x = ud;
	x->body += size * n;
	if (x->reading) /* until the head is read */
		return htmlmeta_feed(&x->page, p, size * n) ? size * n : 0;
	return x->body > LINKRUN_DRAIN_MAX ? 0 : size * n;
}


/* What the transfer came back with; a transfer cut off after its headers
 * (our doing) still has its status. */
static void linkrun_reply(struct linkrun_xfer *x, CURLcode rc, struct linkcheck_reply *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->host = x->host;
	rep->retry_after = x->retry_after;
	if (x->headers_done) {
		char *to = NULL;
		rep->status = x->status;
		rep->set_cookie = x->set_cookie;
		if (x->has_location && libcurl.easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &to) == CURLE_OK)
			rep->location = to;
		return;
	}
	rep->failure = linkfetch_failure(x->easy, rc, x->err);
	rep->error = *x->err ? x->err : libcurl.easy_strerror(rc);
}

/* ---- the multi handle and its loop ---- */

struct linkrun_multi {
	struct linkcheck_run *r;
	CURLM *multi;
	CURLSH *share;        /* one cookie jar for the whole run, as a browser has */
	struct curl_slist *headers;
	struct linkrun_xfer *xfers;
	size_t nxfers, running;
	int per_host;
	size_t *warm, nwarm;  /* hosts whose transfers just ended */
	int ep;               /* epoll: the sockets libcurl waits on */
	double timer;         /* when libcurl wants to act on its timeouts; < 0: never */
	double start, next_wake, last_draw;
	int draw;
};

static CURL *linkrun_easy(struct linkrun_multi *f, struct linkrun_xfer *x)
{
	CURL *e = linkfetch_easy(f->r->o, x->err);
	if (!e)
		return NULL;
	libcurl.easy_setopt(e, CURLOPT_PRIVATE, x);
	libcurl.easy_setopt(e, CURLOPT_HEADERFUNCTION, linkrun_on_header);
	libcurl.easy_setopt(e, CURLOPT_HEADERDATA, x);
	libcurl.easy_setopt(e, CURLOPT_WRITEFUNCTION, linkrun_on_body);
	libcurl.easy_setopt(e, CURLOPT_WRITEDATA, x);
	libcurl.easy_setopt(e, CURLOPT_BUFFERSIZE, (long)LINKRUN_BUFFER);
	libcurl.easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	libcurl.easy_setopt(e, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
	libcurl.easy_setopt(e, CURLOPT_HTTPHEADER, f->headers);
	libcurl.easy_setopt(e, CURLOPT_SHARE, f->share);
	return e;
}

static struct linkrun_xfer *linkrun_free_slot(struct linkrun_multi *f)
{
	for (size_t i = 0; i < f->nxfers; i++)
		if (!f->xfers[i].busy)
			return &f->xfers[i];
	return NULL;
}

static int linkrun_start(struct linkrun_multi *f, size_t hi)
{
	struct linkrun_xfer *x = linkrun_free_slot(f);
	struct linkcheck_host *h = &f->r->hosts[hi];
	if (!x || (!x->easy && !(x->easy = linkrun_easy(f, x))))
		return -1;
	x->link = h->queue[h->head++];
	x->host = hi;
	x->status = 0;
	x->headers_done = 0;
	x->retry_after = -1;
	x->length = -1;
	x->body = 0;
	x->reading = 0;
	x->r = f->r;
	x->err[0] = '\0';
	struct linkcheck_link *l = &f->r->links[x->link];
	const char *url = linkcheck_url(l, l->hops - 1);
	libcurl.easy_setopt(x->easy, CURLOPT_URL, url);
	/* wait for a connection that may multiplex; only TLS offers HTTP/2 */
	libcurl.easy_setopt(x->easy, CURLOPT_PIPEWAIT, (long)(strncasecmp(url, "https:", 6) == 0));
	/* over HTTP/1, a connection that no link queued would be left for
	 * (fewer than a round of the host's cap) closes as its transfer ends,
	 * rather than idling until the run's end */
	libcurl.easy_setopt(x->easy, CURLOPT_FORBID_REUSE,
			    (long)(h->len - h->head < (size_t)f->per_host && !h->h2 &&
				   (h->h1 || strncasecmp(url, "http:", 5) == 0)));
	if (libcurl.multi_add_handle(f->multi, x->easy) != CURLM_OK)
		return -1;
	x->busy = 1;
	h->running++;
	f->running++;
	return 0;
}

/* The loop is to wake at t (monotonic seconds) at the latest. */
static void linkrun_wake_at(struct linkrun_multi *f, double t)
{
	if (!f->next_wake || t < f->next_wake)
		f->next_wake = t;
}

/* Whether host hi may start a transfer now; notes when a paused one may. */
static int linkrun_ready(struct linkrun_multi *f, size_t hi, double now)
{
	const struct linkcheck_host *h = &f->r->hosts[hi];
	int cap = h->h2 && LINKRUN_H2_STREAMS > f->per_host ? LINKRUN_H2_STREAMS : f->per_host;
	if (h->head == h->len || h->running >= cap || f->running >= f->nxfers)
		return 0;
	if (h->not_before > now) {
		linkrun_wake_at(f, h->not_before);
		return 0;
	}
	return 1;
}

/* Start what the caps allow: first on the hosts whose transfers just ended,
 * whose connections are open and idle, then one transfer per host in turn. */
static int linkrun_schedule(struct linkrun_multi *f)
{
	double now = linkcheck_clock();
	int started;
	for (size_t i = 0; i < f->nwarm; i++)
		if (linkrun_ready(f, f->warm[i], now) && linkrun_start(f, f->warm[i]) < 0)
			return -1;
	f->nwarm = 0;
	do {
		started = 0;
		for (size_t i = 0; i < f->r->nhosts && f->running < f->nxfers; i++) {
			if (!linkrun_ready(f, i, now))
				continue;
			if (linkrun_start(f, i) < 0)
				return -1;
			started = 1;
		}
	} while (started && f->running < f->nxfers);
	return 0;
}

/* A transfer leaves the multi handle and its host's count. */
static void linkrun_drop(struct linkrun_multi *f, struct linkrun_xfer *x)
{
	libcurl.multi_remove_handle(f->multi, x->easy);
	x->busy = 0;
	f->r->hosts[x->host].running--;
	f->running--;
}

/* A certificate that does not verify, or a name that does not resolve, is
 * the host's answer for every link to it: the links still waiting for a
 * connection there (one at a time, when each would try its own handshake)
 * and those queued get the same verdict at once, instead of running into
 * the connect timeout behind the others. */
static void linkrun_host_failed(struct linkrun_multi *f, const struct linkrun_xfer *x,
				const struct linkcheck_reply *rep)
{
	struct linkcheck_host *h = &f->r->hosts[x->host];
	if (rep->status || (rep->failure != LINKFAIL_TLS && rep->failure != LINKFAIL_DNS))
		return;
	for (size_t i = 0; i < f->nxfers; i++) {
		struct linkrun_xfer *o = &f->xfers[i];
		if (o == x || !o->busy || o->host != x->host || o->headers_done)
			continue;
		linkrun_drop(f, o);
		f->r->judge(f->r, o->link, rep);
	}
	while (h->head < h->len)
		f->r->judge(f->r, h->queue[h->head++], rep);
}

/* No link waits for a transfer: the handles of the idle slots are done
 * with (a link queued again gets a new one). */
static void linkrun_idle_cleanup(struct linkrun_multi *f)
{
	for (size_t i = 0; i < f->nxfers; i++)
		if (!f->xfers[i].busy && f->xfers[i].easy) {
			libcurl.easy_cleanup(f->xfers[i].easy);
			f->xfers[i].easy = NULL;
		}
}

static void linkrun_finish(struct linkrun_multi *f, CURL *easy, CURLcode rc)
{
	struct linkrun_xfer *x = NULL;
	struct linkcheck_reply rep;
	libcurl.easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
	if (!x->busy) /* already given its host's verdict */
		return;
	linkrun_drop(f, x);
	f->r->hosts[x->host].h2 |= x->h2 && x->headers_done;
	f->r->hosts[x->host].h1 |= !x->h2 && x->headers_done;
	f->warm[f->nwarm++] = x->host;
	linkrun_reply(x, rc, &rep);
	if (x->reading) {
		htmlmeta_end(&x->page);
		rep.page = &x->page;
	}
	f->r->judge(f->r, x->link, &rep);
	linkrun_host_failed(f, x, &rep);
	if (x->reading)
		htmlmeta_release(&x->page);
	x->reading = 0;
	if (f->r->pending == f->running)
		linkrun_idle_cleanup(f);
}

static void linkrun_collect(struct linkrun_multi *f)
{
	CURLMsg *m;
	int left;
	while ((m = libcurl.multi_info_read(f->multi, &left)))
		if (m->msg == CURLMSG_DONE)
			linkrun_finish(f, m->easy_handle, m->data.result);
}

/* A body read to keep its connection that does not come within
 * LINKRUN_DRAIN_TIME of its headers is cut off, its reply judged. */
static void linkrun_cut_drains(struct linkrun_multi *f, double now)
{
	for (size_t i = 0; i < f->nxfers; i++) {
		struct linkrun_xfer *x = &f->xfers[i];
		if (!x->busy || !x->headers_done || x->reading)
			continue;
		if (now - x->headers_at >= LINKRUN_DRAIN_TIME)
			linkrun_finish(f, x->easy, CURLE_OK);
		else
			linkrun_wake_at(f, x->headers_at + LINKRUN_DRAIN_TIME);
	}
}

static void linkrun_progress(struct linkrun_multi *f, int last)
{
	if (!f->draw)
		return;
	double now = linkcheck_clock();
	if (!last && now - f->last_draw < 0.1)
		return;
	f->last_draw = now;
	if (last)
		fputs("\r\033[K", stderr);
	else
		fprintf(stderr, "\r\033[Klinks: %zu/%zu checked, %zu broken", f->r->done,
			f->r->total, f->r->broken);
	fflush(stderr);
}

/* The deadline passed: what is left stays unknown, and is not cached. */
static void linkrun_expire(struct linkrun_multi *f)
{
	struct linkcheck_run *r = f->r;
	for (size_t i = 0; i < f->nxfers; i++)
		if (f->xfers[i].busy) {
			libcurl.multi_remove_handle(f->multi, f->xfers[i].easy);
			f->xfers[i].busy = 0;
			htmlmeta_release(&f->xfers[i].page);
			f->xfers[i].reading = 0;
		}
	f->running = 0;
	for (size_t i = 0; i < r->nlinks; i++) {
		struct linkcheck_link *l = &r->links[i];
		if (l->state != LINKCHECK_QUEUED)
			continue;
		linkcheck_settle(r, l, LINK_UNVERIFIABLE,
				 xasprintf("not checked within the run's deadline of %g s",
					   r->o->deadline));
		l->store = 0;
	}
}

static int linkrun_wait_ms(struct linkrun_multi *f, double now)
{
	double wait = 1.0, deadline = f->r->o->deadline;
	if (f->next_wake && f->next_wake - now < wait)
		wait = f->next_wake - now;
	if (f->timer >= 0 && f->timer - now < wait)
		wait = f->timer - now;
	if (deadline > 0 && f->start + deadline - now < wait)
		wait = f->start + deadline - now;
	return wait > 0 ? (int)(wait * 1000) + 1 : 0;
}

/* libcurl's wishes: watch socket s for what it names, or no more. */
static int linkrun_on_socket(CURL *easy, curl_socket_t s, int what, void *ud, void *watched)
{
	struct linkrun_multi *f = ud;
	struct epoll_event ev = { .data.fd = s };
	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		epoll_ctl(f->ep, EPOLL_CTL_DEL, s, NULL); /* it may be closed already */
		return 0;
	}
	ev.events = (what & CURL_POLL_IN ? EPOLLIN : 0u) | (what & CURL_POLL_OUT ? EPOLLOUT : 0u);
	/* a socket closed unseen leaves epoll by itself, and its number may
	 * come back: each operation falls back on the other */
	int op = watched ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	if (epoll_ctl(f->ep, op, s, &ev) < 0)
		epoll_ctl(f->ep, op == EPOLL_CTL_ADD ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, s, &ev);
	if (!watched)
		libcurl.multi_assign(f->multi, s, f);
	return 0;
}

/* libcurl's wish to act in ms milliseconds (-1: no wish). */
static int linkrun_on_timer(CURLM *multi, long ms, void *ud)
{
	struct linkrun_multi *f = ud;
	(void)multi;
	f->timer = ms < 0 ? -1 : linkcheck_clock() + (double)ms / 1000;
	return 0;
}

/* Wait for the sockets or libcurl's timer, and let libcurl act on what
 * came. */
static CURLMcode linkrun_wait(struct linkrun_multi *f, double now)
{
	struct epoll_event ev[LINKRUN_EVENTS];
	CURLMcode mc = CURLM_OK;
	int still, n = epoll_wait(f->ep, ev, LINKRUN_EVENTS, linkrun_wait_ms(f, now));
	if (n < 0 && errno != EINTR)
		return CURLM_INTERNAL_ERROR;
	for (int i = 0; i < n && mc == CURLM_OK; i++)
		mc = libcurl.multi_socket_action(f->multi, ev[i].data.fd,
			(ev[i].events & EPOLLIN ? CURL_CSELECT_IN : 0) |
			(ev[i].events & EPOLLOUT ? CURL_CSELECT_OUT : 0), &still);
	if (mc == CURLM_OK && f->timer >= 0 && linkcheck_clock() >= f->timer) {
		f->timer = -1; /* acting may set it again */
		mc = libcurl.multi_socket_action(f->multi, CURL_SOCKET_TIMEOUT, 0, &still);
	}
	return mc;
}

static int linkrun_loop(struct linkrun_multi *f, diag_list *d)
{
	CURLMcode mc = CURLM_OK;
	double deadline = f->r->o->deadline;
	while (f->r->pending) {
		double now = linkcheck_clock();
		f->next_wake = 0;
		linkrun_collect(f);
		linkrun_cut_drains(f, now);
		if (linkrun_schedule(f) < 0)
			goto fail;
		linkrun_progress(f, 0);
		if (f->r->pending && deadline > 0 && now >= f->start + deadline)
			linkrun_expire(f);
		if (!f->r->pending)
			break;
		/* only while the last replies are awaited, no more than a
		 * quarter of the transfers, when the loop would idle */
		if (f->r->keep && f->r->pending == f->running && f->running * 4 <= f->nxfers)
			f->r->keep(f->r, LINKRUN_KEEP_BATCH);
		if ((mc = linkrun_wait(f, now)) != CURLM_OK)
			goto fail;
	}
	linkrun_progress(f, 1);
	return 0;
fail:
	linkrun_progress(f, 1);
	diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL, "cannot check links: %s",
		 mc != CURLM_OK ? libcurl.multi_strerror(mc) : "libcurl cannot start a transfer");
	return -1;
}

static void linkrun_init(struct linkrun_multi *f, struct linkcheck_run *r)
{
	const struct linkcheck_opts *o = r->o;
	memset(f, 0, sizeof(*f));
	f->r = r;
	f->nxfers = o->jobs < 1 ? 1 : o->jobs > LINKRUN_MAX_JOBS ? LINKRUN_MAX_JOBS
								   : (size_t)o->jobs;
	if (f->nxfers > r->pending) /* no slot that no link would take */
		f->nxfers = r->pending ? r->pending : 1;
	f->per_host = o->per_host < 1 ? 1 : o->per_host;
	f->xfers = xcalloc(f->nxfers, sizeof(*f->xfers));
	f->warm = xcalloc(f->nxfers, sizeof(*f->warm));
	f->draw = o->progress && isatty(STDERR_FILENO);
	f->start = linkcheck_clock();
	f->timer = -1;
	f->ep = epoll_create1(EPOLL_CLOEXEC);
}

static void linkrun_release(struct linkrun_multi *f)
{
	for (size_t i = 0; i < f->nxfers; i++)
		if (f->xfers[i].easy) {
			if (f->xfers[i].busy)
				libcurl.multi_remove_handle(f->multi, f->xfers[i].easy);
			libcurl.easy_cleanup(f->xfers[i].easy);
			htmlmeta_release(&f->xfers[i].page);
		}
	if (f->multi) /* closing its connections still tells the socket callback */
		libcurl.multi_cleanup(f->multi);
	if (f->headers)
		libcurl.slist_free_all(f->headers);
	if (f->share)
		libcurl.share_cleanup(f->share);
	if (f->ep >= 0)
		close(f->ep);
	free(f->xfers);
	free(f->warm);
}

/* The multi handle, its caps and its callbacks: 0, or -1 after adding
 * an error. */
static int linkrun_multi_init(struct linkrun_multi *f, diag_list *d)
{
	if (f->ep < 0) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL, "cannot check links: %s", strerror(errno));
		return -1;
	}
	f->multi = libcurl.multi_init();
	if (!f->multi) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL, "cannot check links: libcurl failed");
		return -1;
	}
	libcurl.multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)f->nxfers);
	libcurl.multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)f->per_host);
	libcurl.multi_setopt(f->multi, CURLMOPT_MAXCONNECTS, (long)f->nxfers);
	libcurl.multi_setopt(f->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
	libcurl.multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, linkrun_on_socket);
	libcurl.multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f);
	libcurl.multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, linkrun_on_timer);
	libcurl.multi_setopt(f->multi, CURLMOPT_TIMERDATA, f);
	f->headers = libcurl.slist_append(NULL, "Accept: text/html,application/xhtml+xml,*/*;q=0.8");
	f->share = libcurl.share_init();
	if (f->share)
		libcurl.share_setopt(f->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE);
	return 0;
}

int linkcheck_fetch(struct linkcheck_run *r, diag_list *d)
{
	struct linkrun_multi f;
	if (libcurl_load(d) < 0)
		return -1;
	linkrun_init(&f, r);
	int rc = linkrun_multi_init(&f, d) < 0 ? -1 : linkrun_loop(&f, d);
	linkrun_release(&f);
	return rc;
}
