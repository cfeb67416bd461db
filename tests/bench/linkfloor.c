/* linkfloor.c - the least work a link checker can do over HTTP/1.1, as a
 * yardstick for tests/bench/links.sh: one GET per URL on keep-alive
 * connections, at most PER_HOST connections to a host and JOBS in all, with
 * epoll and nothing else (no DNS, no TLS, no parsing beyond the status line
 * and Content-Length). What it takes is what the server and the machine
 * allow; a checker can only add to it.
 * usage: linkfloor PER_HOST JOBS FILE   (FILE: one http://IP:PORT/PATH a line)
 * Exits 1 unless every URL answered 2xx. */
#define _GNU_SOURCE /* strcasestr */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

struct host {
	struct sockaddr_in addr;
	char name[64];
	size_t *queue, head, len;
	int open;
};

struct conn {
	int fd, host;
	const char *path;
	char buf[4096];
	size_t got;
};

static struct host hosts[256];
static int nhosts, per_host, jobs, open_conns, ep;
static size_t failed, pending;
static char **paths;

static int host_of(const char *url, const char **path)
{
	char ip[64];
	int port, n = 0;
	if (sscanf(url, "http://%63[0-9.]:%d%n", ip, &port, &n) != 2 || url[n] != '/')
		return -1;
	*path = url + n;
	for (int i = 0; i < nhosts; i++)
		if (ntohs(hosts[i].addr.sin_port) == port && strcmp(hosts[i].name, ip) == 0)
			return i;
	if (nhosts == 256)
		return -1;
	struct host *h = &hosts[nhosts];
	h->addr.sin_family = AF_INET;
	h->addr.sin_port = htons((unsigned short)port);
	inet_pton(AF_INET, ip, &h->addr.sin_addr);
	snprintf(h->name, sizeof h->name, "%s", ip);
	return nhosts++;
}

static void send_next(struct conn *c)
{
	struct host *h = &hosts[c->host];
	char req[1024];
	c->path = paths[h->queue[h->head++]];
	c->got = 0;
	int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: %s:%d\r\n\r\n", c->path,
			 h->name, ntohs(h->addr.sin_port));
	if (write(c->fd, req, (size_t)n) != n) { /* the socket is fresh or idle */
		perror("linkfloor: write");
		exit(2);
	}
}

static void open_conn(int hi)
{
	struct conn *c = calloc(1, sizeof(*c));
	int one = 1;
	c->host = hi;
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(c->fd, (struct sockaddr *)&hosts[hi].addr, sizeof hosts[hi].addr) < 0 &&
	    errno != EINPROGRESS) {
		perror("linkfloor: connect");
		exit(2);
	}
	struct epoll_event ev = { .events = EPOLLOUT, .data.ptr = c };
	epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
	hosts[hi].open++;
	open_conns++;
}

/* Open what the caps allow, one host at a time in turn. */
static void fill(void)
{
	int opened;
	do {
		opened = 0;
		for (int i = 0; i < nhosts && open_conns < jobs; i++) {
			struct host *h = &hosts[i];
			if (h->head + (size_t)h->open < h->len && h->open < per_host) {
				open_conn(i);
				opened = 1;
			}
		}
	} while (opened && open_conns < jobs);
}

/* A whole reply is in: its status counted, the connection given its
 * host's next URL, or closed. */
static void reply_done(struct conn *c)
{
	struct host *h = &hosts[c->host];
	failed += c->buf[9] != '2';
	pending--;
	if (h->head < h->len) {
		send_next(c);
		return;
	}
	close(c->fd);
	h->open--;
	open_conns--;
	free(c);
	fill();
}

static void on_readable(struct conn *c)
{
	ssize_t n = read(c->fd, c->buf + c->got, sizeof c->buf - 1 - c->got);
	if (n <= 0) {
		fprintf(stderr, "linkfloor: %s: connection closed\n", c->path);
		exit(2);
	}
	c->got += (size_t)n;
	c->buf[c->got] = '\0';
	char *end = strstr(c->buf, "\r\n\r\n"), *cl = strcasestr(c->buf, "\r\ncontent-length:");
	if (end && c->got >= (size_t)(end + 4 - c->buf) + (cl ? strtoul(cl + 17, NULL, 10) : 0))
		reply_done(c);
}

int main(int argc, char **argv)
{
	if (argc != 4 || (per_host = atoi(argv[1])) < 1 || (jobs = atoi(argv[2])) < 1) {
		fprintf(stderr, "usage: linkfloor PER_HOST JOBS FILE\n");
		return 2;
	}
	FILE *f = fopen(argv[3], "r");
	char line[2048];
	size_t n = 0, cap = 0;
	while (f && fgets(line, sizeof line, f)) {
		const char *path;
		line[strcspn(line, "\r\n")] = '\0';
		int hi = host_of(line, &path);
		if (hi < 0) {
			fprintf(stderr, "linkfloor: not http://IP:PORT/PATH: %s\n", line);
			return 2;
		}
		if (n == cap)
			paths = realloc(paths, (cap = cap ? cap * 2 : 1024) * sizeof(*paths));
		paths[n] = strdup(path);
		struct host *h = &hosts[hi];
		h->queue = realloc(h->queue, (h->len + 1) * sizeof(*h->queue));
		h->queue[h->len++] = n++;
	}
	if (!f)
		return perror(argv[3]), 2;
	pending = n;
	ep = epoll_create1(0);
	fill();
	struct epoll_event evs[256];
	while (pending) {
		int k = epoll_wait(ep, evs, 256, -1);
		for (int i = 0; i < k; i++) {
			struct conn *c = evs[i].data.ptr;
			if (evs[i].events & EPOLLOUT) { /* connected */
				struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
				epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
				send_next(c);
			} else {
				on_readable(c);
			}
		}
	}
	return failed != 0;
}
