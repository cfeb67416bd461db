/* livehub.c - event streams of open pages: who watches what, what each is
 * told next, and the states of issues they are told about. */
#define _GNU_SOURCE /* POLLRDHUP */
#include <ctype.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "weekly/buf.h"
#include "weekly/livehub.h"
#include "weekly/util.h"

/* A stream says something at least this often (an SSE comment), and checks
 * this often whether its browser is still there. */
#define LIVE_PING_SECONDS 15
#define LIVE_CHECK_MS 500

enum { WANT_STATE = 1, WANT_RELOAD = 2 };

struct live_client {
	struct live_client *next;
	char *page;          /* "015.html" */
	char *stem;          /* "015", or "" */
	int fd;
	unsigned want;
	buf out;             /* being sent */
	size_t off;
	time_t said;         /* when something was last sent */
	int done;            /* "bye" queued: end once it is sent */
};

struct live_state {
	char *stem, *json;
};

struct livehub {
	pthread_mutex_t mu;
	pthread_cond_t cond;
	struct live_client *clients;
	struct live_state *states;
	size_t nstates, cap;
	int stopping;
};

struct livehub *livehub_new(void)
{
	struct livehub *h = xcalloc(1, sizeof *h);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&h->cond, &attr);
	pthread_condattr_destroy(&attr);
	pthread_mutex_init(&h->mu, NULL);
	return h;
}

void livehub_free(struct livehub *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->nstates; i++) {
		free(h->states[i].stem);
		free(h->states[i].json);
	}
	free(h->states);
	pthread_cond_destroy(&h->cond);
	pthread_mutex_destroy(&h->mu);
	free(h);
}

/* The stem of a page's issue: "015" for "015.html", "" for others. */
static size_t livehub_stem(const char *page)
{
	size_t n = 0;
	while (isdigit((unsigned char)page[n]))
		n++;
	return page[n] == '.' && !strchr(page, '/') ? n : 0;
}

static struct live_state *find_state(struct livehub *h, const char *stem)
{
	for (size_t i = 0; i < h->nstates; i++)
		if (strcmp(h->states[i].stem, stem) == 0)
			return &h->states[i];
	return NULL;
}

struct live_client *livehub_join(struct livehub *h, const char *page, int fd, int stale)
{
	struct live_client *c = xcalloc(1, sizeof *c);
	c->out = (buf)BUF_INIT;
	c->page = xstrdup(page);
	c->stem = xstrndup(page, livehub_stem(page));
	c->fd = fd;
	c->want = stale ? WANT_RELOAD : WANT_STATE;
	c->said = time(NULL);
	/* Reconnect soon after the server comes back. */
	buf_puts(&c->out, "retry: 500\n\n");
	pthread_mutex_lock(&h->mu);
	c->next = h->clients;
	h->clients = c;
	pthread_mutex_unlock(&h->mu);
	return c;
}

void livehub_leave(struct livehub *h, struct live_client *c)
{
	pthread_mutex_lock(&h->mu);
	for (struct live_client **p = &h->clients; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			break;
		}
	pthread_mutex_unlock(&h->mu);
	buf_release(&c->out);
	free(c->page);
	free(c->stem);
	free(c);
}

static void put_state(struct livehub *h, struct live_client *c)
{
	const struct live_state *issue = c->stem[0] ? find_state(h, c->stem) : NULL;
	const struct live_state *all = find_state(h, "");
	buf_printf(&c->out, "event: state\ndata: {\"issue\": %s, \"all\": %s}\n\n",
		   issue ? issue->json : "null", all ? all->json : "null");
}

/* What c is to be told next, into c->out; 0 when nothing yet. */
static int compose(struct livehub *h, struct live_client *c)
{
	c->out.len = c->off = 0;
	if (h->stopping) {
		buf_puts(&c->out, "event: bye\ndata: \n\n");
		c->done = 1;
	} else if (c->want & WANT_RELOAD) {
		buf_printf(&c->out, "event: reload\ndata: %s\n\n", c->page);
	} else if (c->want & WANT_STATE) {
		put_state(h, c);
	} else if (time(NULL) - c->said >= LIVE_PING_SECONDS) {
		buf_puts(&c->out, ": ping\n\n");
	}
	c->want = 0;
	return c->out.len > 0;
}

static int hung_up(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLRDHUP };
	return fd >= 0 && poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

static void wait_a_little(struct livehub *h)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += LIVE_CHECK_MS * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	pthread_cond_timedwait(&h->cond, &h->mu, &ts);
}

ssize_t livehub_read(struct livehub *h, struct live_client *c, char *out, size_t max)
{
	pthread_mutex_lock(&h->mu);
	while (c->off == c->out.len) {
		if (c->done || hung_up(c->fd)) {
			pthread_mutex_unlock(&h->mu);
			return -1;
		}
		if (!compose(h, c))
			wait_a_little(h);
	}
	size_t n = c->out.len - c->off < max ? c->out.len - c->off : max;
	memcpy(out, c->out.data + c->off, n);
	c->off += n;
	c->said = time(NULL);
	pthread_mutex_unlock(&h->mu);
	return (ssize_t)n;
}

void livehub_reload(struct livehub *h, const char *page)
{
	pthread_mutex_lock(&h->mu);
	for (struct live_client *c = h->clients; c; c = c->next)
		if (strcmp(c->page, page) == 0)
			c->want |= WANT_RELOAD;
	pthread_cond_broadcast(&h->cond);
	pthread_mutex_unlock(&h->mu);
}

/* Store json as stem's state; 0 when it is what was there. */
static int store_state(struct livehub *h, const char *stem, const char *json)
{
	struct live_state *s = find_state(h, stem);
	if (s && json && strcmp(s->json, json) == 0)
		return 0;
	if (!s && !json)
		return 0;
	if (!s) {
		xgrow((void **)&h->states, &h->cap, h->nstates + 1, sizeof *h->states);
		s = &h->states[h->nstates++];
		s->stem = xstrdup(stem);
		s->json = NULL;
	}
	free(s->json);
	if (json) {
		s->json = xstrdup(json);
	} else {
		free(s->stem);
		*s = h->states[--h->nstates];
	}
	return 1;
}

void livehub_set_state(struct livehub *h, const char *stem, const char *json)
{
	pthread_mutex_lock(&h->mu);
	if (store_state(h, stem, json)) {
		for (struct live_client *c = h->clients; c; c = c->next)
			if (!stem[0] || strcmp(c->stem, stem) == 0)
				c->want |= WANT_STATE;
		pthread_cond_broadcast(&h->cond);
	}
	pthread_mutex_unlock(&h->mu);
}

void livehub_stop(struct livehub *h, int ms)
{
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_mutex_lock(&h->mu);
	h->stopping = 1;
	pthread_cond_broadcast(&h->cond);
	while (h->clients) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - t0.tv_sec) * 1000L + (now.tv_nsec - t0.tv_nsec) / 1000000L > ms)
			break;
		pthread_mutex_unlock(&h->mu);
		struct timespec nap = { 0, 5000000L };
		nanosleep(&nap, NULL);
		pthread_mutex_lock(&h->mu);
	}
	pthread_mutex_unlock(&h->mu);
}
