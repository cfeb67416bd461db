/* linkcheck_test.c - linkcheck_run against tests/linkserver.py, which
 * tests/links.sh starts and names in LINKTEST_PORT, LINKTEST_CLOSED,
 * LINKTEST_TLS and LINKTEST_DIR. Run alone, it says so and skips. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "weekly/buf.h"
#include "weekly/fsutil.h"
#include "weekly/index.h"
#include "weekly/linkcheck.h"
#include "weekly/util.h"
#include "expect.h"

#define MAX_CASES 64

static const char *port, *closed, *tls, *dir;

struct tcase {
	const char *name;
	const char *url;   /* %1$s is the server's base URL */
	const char *want;  /* the diagnostic's text after "t.md:LINE:1: ", or "" */
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Replace every "@" of fmt with the base URL, every "^" with the same
 * server named localhost: another host to the checker, which a rate limit
 * on the first does not pause. */
static char *url_of(const char *fmt, const char *base)
{
	buf b = BUF_INIT;
	for (const char *s = fmt; *s; s++)
		if (*s == '@')
			buf_puts(&b, base);
		else if (*s == '^')
			buf_printf(&b, "http://localhost:%s", port);
		else
			buf_putc(&b, *s);
	return buf_take(&b);
}

static char *base_url(void) { return xasprintf("http://127.0.0.1:%s", port); }

/* Every diagnostic, one per line, as `weekly check` prints them. */
static char *render(const diag_list *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	diag_print(d, f, DIAG_HUMAN, 0);
	fclose(f);
	return text;
}

/* The diagnostics at line `line` of t.md, without the position. */
static char *at_line(const char *all, int line)
{
	char *prefix = xasprintf("t.md:%d:1: ", line);
	buf b = BUF_INIT;
	for (const char *s = all; *s;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		if (strncmp(s, prefix, strlen(prefix)) == 0) {
			if (b.len)
				buf_putc(&b, '\n');
			buf_put(&b, s + strlen(prefix), n - strlen(prefix));
		}
		s += n + (nl != NULL);
	}
	free(prefix);
	char *r = buf_take(&b);
	return r ? r : xstrdup("");
}

/* Run every case in one linkcheck_run, then compare each one's report. */
static void run_cases(const struct linkcheck_opts *o, const struct tcase *c, size_t n,
		      const char *base)
{
	struct link_ref refs[MAX_CASES];
	char *urls[MAX_CASES], *wants[MAX_CASES];
	diag_list d = DIAG_LIST_INIT;
	for (size_t i = 0; i < n; i++) {
		urls[i] = url_of(c[i].url, base);
		wants[i] = url_of(c[i].want, base);
		refs[i] = (struct link_ref){ urls[i], "t.md", (int)i + 1, 1 };
	}
	int rc = linkcheck_run(o, refs, n, &d, NULL);
	char *all = render(&d);
	if (rc != 0)
		expect_that("linkcheck_run returns 0", 0, all);
	for (size_t i = 0; i < n; i++) {
		char *got = at_line(all, (int)i + 1);
		expect(c[i].name, wants[i], got);
		free(got);
		free(urls[i]);
		free(wants[i]);
	}
	free(all);
	diag_release(&d);
}

static void test_opts(struct linkcheck_opts *o)
{
	linkcheck_defaults(o);
	o->timeout = 5;
	o->progress = 0;
}

static const struct tcase verdicts[] = {
	{ "200 is ok", "@/ok", "" },
	{ "200 after a delay is ok", "@/ok?delay=0.2", "" },
	{ "404 is broken", "@/status/404",
	  "error: broken link @/status/404 (404 Not Found) [link]" },
	{ "410 is broken", "@/status/410", "error: broken link @/status/410 (410 Gone) [link]" },
	{ "500 is unverifiable", "@/status/500",
	  "warning: unverifiable link @/status/500 (500 Internal Server Error) [link]" },
	{ "403 is unverifiable", "@/status/403",
	  "warning: unverifiable link @/status/403 (403 Forbidden) [link]" },
	{ "odd status named by its number", "@/status/599",
	  "warning: unverifiable link @/status/599 (HTTP status 599) [link]" },
	{ "temporary redirects are followed", "@/redirect/302/redirect/307/ok", "" },
	{ "permanent redirect warns with the final URL", "@/redirect/301/ok",
	  "warning: link @/redirect/301/ok redirects permanently to @/ok (301 Moved Permanently) [link]" },
	{ "permanent chain shows the chain", "@/redirect/308/redirect/301/ok",
	  "warning: link @/redirect/308/redirect/301/ok redirects permanently to @/ok "
	  "(308 Permanent Redirect; redirects: @/redirect/308/redirect/301/ok -> "
	  "@/redirect/301/ok -> @/ok) [link]" },
	{ "permanent then temporary names the permanent target", "@/redirect/301/redirect/302/ok",
	  "warning: link @/redirect/301/redirect/302/ok redirects permanently to "
	  "@/redirect/302/ok (301 Moved Permanently; redirects: @/redirect/301/redirect/302/ok -> "
	  "@/redirect/302/ok -> @/ok) [link]" },
	{ "temporary then permanent is not moved", "@/redirect/302/redirect/301/ok", "" },
	{ "redirect to a 404 shows the chain", "@/redirect/302/status/404",
	  "error: broken link @/redirect/302/status/404 (404 Not Found; redirects: "
	  "@/redirect/302/status/404 -> @/status/404) [link]" },
	{ "redirect loop", "@/loop/a",
	  "error: broken link @/loop/a (redirect loop: @/loop/a -> @/loop/b -> @/loop/a) [link]" },
	{ "10 redirects are followed", "@/many/10", "" },
	{ "11 redirects are too many", "@/many/11",
	  "error: broken link @/many/11 (more than 10 redirects: @/many/11 -> @/many/10 -> "
	  "@/many/9 -> @/many/8 -> @/many/7 -> @/many/6 -> @/many/5 -> @/many/4 -> @/many/3 -> "
	  "@/many/2 -> @/many/1 -> @/many/0) [link]" },
	{ "redirect to another scheme is not followed", "@/to?url=ftp://127.0.0.1/x",
	  "error: broken link @/to?url=ftp://127.0.0.1/x (redirect to a non-http(s) URL: "
	  "@/to?url=ftp://127.0.0.1/x -> ftp://127.0.0.1/x) [link]" },
	{ "HEAD refused but GET fine is ok", "@/get-only", "" },
	{ "redirect to itself with a cookie is no loop", "@/cookie", "" },
	{ "429 with Retry-After is retried", "^/retry/verdicts", "" },
	{ "503 with Retry-After is retried", "^/retry503/verdicts", "" },
	{ "429 twice is unverifiable", "^/always429",
	  "warning: unverifiable link ^/always429 (429 Too Many Requests after a retry) [link]" },
	{ "Retry-After beyond the cap is not waited for", "^/retry-long",
	  "warning: unverifiable link ^/retry-long (429 Too Many Requests; asked to retry after "
	  "120 s) [link]" },
	{ "connection reset is unverifiable", "@/reset",
	  "warning: unverifiable link @/reset (connection reset) [link]" },
	{ "empty reply is unverifiable", "@/empty",
	  "warning: unverifiable link @/empty (empty reply) [link]" },
	{ "50 MB body is not downloaded", "@/big", "" },
	{ "50 MB chunked body is not downloaded", "@/big-chunked", "" },
	{ "slow body after the headers is ok", "@/slow-body", "" },
	{ "3xx without Location is ok", "@/status/300", "" },
	{ "fragment is not sent", "@/ok#section", "" },
	{ "mailto is not checked", "mailto:someone@example.com", "" },
	{ "relative link is not checked", "../other.md", "" },
};

/* The server's counters, asked over a plain socket: the checker under test
 * cannot vouch for itself. */
static char *get_stats(const char *base, int reset)
{
	(void)base;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)strtol(port, NULL, 10)) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	buf b = BUF_INIT;
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
		const char *req = reset ? "GET /stats?reset=1 HTTP/1.0\r\n\r\n" : "GET /stats HTTP/1.0\r\n\r\n";
		char chunk[4096];
		ssize_t n;
		if (write(fd, req, strlen(req)) == (ssize_t)strlen(req))
			while ((n = read(fd, chunk, sizeof chunk)) > 0)
				buf_put(&b, chunk, (size_t)n);
	}
	if (fd >= 0)
		close(fd);
	char *s = buf_take(&b);
	return s ? s : xstrdup("");
}

static long stat_number(const char *stats, const char *key)
{
	char *k = xasprintf("\"%s\": ", key);
	const char *s = strstr(stats, k);
	long v = s ? strtol(s + strlen(k), NULL, 10) : -1;
	free(k);
	return v;
}

static void test_verdicts(const char *base)
{
	struct linkcheck_opts o;
	test_opts(&o);
	free(get_stats(base, 1));
	double t0 = now();
	run_cases(&o, verdicts, sizeof verdicts / sizeof *verdicts, base);
	double took = now() - t0;
	char *stats = get_stats(base, 1);
	long big = stat_number(stats, "big_bytes");
	expect_that("big bodies: under 8 MB of 100 MB sent", big >= 0 && big < 8 * 1024 * 1024,
		    stats);
	expect_that("verdicts: one run, under 6 s", took < 6.0, "slower");
	free(stats);
}

static void test_failures(const char *base)
{
	char *refused = xasprintf("http://127.0.0.1:%s/ok", closed);
	char *want = xasprintf("error: broken link %s (connection refused) [link]", refused);
	struct tcase c[] = {
		{ "connection refused is broken", refused, want },
		{ "no reply in time is unverifiable", "@/ok?delay=3",
		  "warning: unverifiable link @/ok?delay=3 (no reply within 1 s) [link]" },
	};
	struct linkcheck_opts o;
	test_opts(&o);
	o.timeout = 1;
	run_cases(&o, c, 2, base);
	free(refused);
	free(want);
}

static void test_tls(void)
{
	if (!tls) {
		printf("  (no TLS port: TLS test skipped)\n");
		return;
	}
	char *base = xasprintf("https://127.0.0.1:%s", tls);
	struct tcase c[] = {
		{ "unverified certificate is broken", "@/ok",
		  "error: broken link @/ok (TLS error: SSL certificate problem: self-signed "
		  "certificate) [link]" },
	};
	struct linkcheck_opts o;
	test_opts(&o);
	run_cases(&o, c, 1, base);
	free(base);
}

static void test_user_agent(const char *base)
{
	struct tcase c[] = {
		{ "user agent is sent", "@/ua?want=Test%20Agent/1", "" },
	};
	struct tcase d[] = {
		{ "default user agent names weekly", "@/ua?want=weekly/", "" },
	};
	struct linkcheck_opts o;
	test_opts(&o);
	o.user_agent = "Test Agent/1";
	run_cases(&o, c, 1, base);
	o.user_agent = NULL;
	run_cases(&o, d, 1, base);
}

/* The same URL three times is asked once and reported three times. */
static void test_dedupe(const char *base)
{
	char *url = url_of("@/status/404?dup", base), *frag = url_of("@/status/404?dup#x", base);
	struct link_ref refs[] = {
		{ url, "a.md", 3, 4 }, { frag, "a.md", 7, 1 }, { url, "b.md", 1, 2 },
	};
	diag_list d = DIAG_LIST_INIT;
	struct linkcheck_opts o;
	test_opts(&o);
	free(get_stats(base, 1));
	linkcheck_run(&o, refs, 3, &d, NULL);
	char *all = render(&d);
	char *want = xasprintf("a.md:3:4: error: broken link %s (404 Not Found) [link]\n"
			       "a.md:7:1: error: broken link %s (404 Not Found) [link]\n"
			       "b.md:1:2: error: broken link %s (404 Not Found) [link]\n",
			       url, frag, url);
	expect("each place of a repeated URL is reported", want, all);
	char *stats = get_stats(base, 1);
	expect_that("a repeated URL is fetched once", strstr(stats, "\"/status/404?dup\": 1") != NULL,
		    stats);
	free(stats), free(all), free(want), free(url), free(frag);
	diag_release(&d);
}

/* Per-host cap and connection reuse, seen from the server. */
static void test_caps(const char *base)
{
	struct link_ref refs[24];
	char *urls[24];
	for (int i = 0; i < 24; i++) {
		urls[i] = xasprintf("%s/ok?delay=0.05&n=%d", base, i);
		refs[i] = (struct link_ref){ urls[i], "t.md", i + 1, 1 };
	}
	diag_list d = DIAG_LIST_INIT;
	struct linkcheck_opts o;
	test_opts(&o);
	o.per_host = 3;
	free(get_stats(base, 1));
	linkcheck_run(&o, refs, 24, &d, NULL);
	char *stats = get_stats(base, 1);
	long inflight = stat_number(stats, "max_in_flight"), conns = stat_number(stats, "connections");
	expect_that("per-host cap: 3 requests at once", inflight == 3, stats);
	expect_that("connections are reused: 24 requests over at most 3", conns >= 1 && conns <= 3,
		    stats);
	expect("per-host cap: all ok", "0", d.len ? "diagnostics" : "0");
	for (int i = 0; i < 24; i++)
		free(urls[i]);
	free(stats);
	diag_release(&d);
}

static void test_deadline(const char *base)
{
	struct tcase c[] = {
		{ "deadline ends the run", "@/ok?delay=3&deadline",
		  "warning: unverifiable link @/ok?delay=3&deadline (not checked within the run's "
		  "deadline of 0.5 s) [link]" },
	};
	struct linkcheck_opts o;
	test_opts(&o);
	o.deadline = 0.5;
	double t0 = now();
	run_cases(&o, c, 1, base);
	expect_that("deadline: the run stops in time", now() - t0 < 2.5, "slower");
}

/* A small body that trickles in after the headers is read to keep the
 * connection only for a second: the run does not wait the 5 s it takes. */
static void test_drain(const char *base)
{
	struct tcase c[] = { { "a trickling body is cut off", "@/slow-body", "" } };
	struct linkcheck_opts o;
	test_opts(&o);
	double t0 = now();
	run_cases(&o, c, 1, base);
	double took = now() - t0;
	expect_that("a trickling body: cut off after a second", took >= 0.9 && took < 2.5,
		    "too soon or too late");
}

/* The cache file with each time replaced by T, for exact comparison. */
static void add_row(void *ud, const char *url, const char *row)
{
	(void)url;
	buf_printf(ud, "%s\n", row);
}

/* The verdicts the index at root keeps, a line each, times as T. */
static char *cache_text(const char *root)
{
	struct index *ix = index_open(root, 1);
	buf rows = BUF_INIT;
	buf_puts(&rows, "");
	if (!ix || index_rows(ix, INDEX_VERDICTS, add_row, &rows) < 0)
		buf_puts(&rows, "(missing)");
	index_close(ix);
	buf b = BUF_INIT;
	buf_puts(&b, "");
	int field = 0;
	for (const char *s = rows.data; *s; s++) {
		if (field == 2 && *s != '\t' && *s != '\n')
			continue;
		if (field == 2 && *s == '\t')
			buf_putc(&b, 'T');
		buf_putc(&b, *s);
		field = *s == '\n' ? 0 : field + (*s == '\t');
	}
	buf_release(&rows);
	return buf_take(&b);
}

/* Run urls (each at t.md:i+1:1) and return the report. */
static char *run_urls(const struct linkcheck_opts *o, const char **paths, size_t n,
		      const char *base, int *rc)
{
	struct link_ref refs[MAX_CASES];
	char *urls[MAX_CASES];
	for (size_t i = 0; i < n; i++) {
		urls[i] = url_of(paths[i], base);
		refs[i] = (struct link_ref){ urls[i], "t.md", (int)i + 1, 1 };
	}
	diag_list d = DIAG_LIST_INIT;
	*rc = linkcheck_run(o, refs, n, &d, NULL);
	char *all = render(&d);
	diag_release(&d);
	for (size_t i = 0; i < n; i++)
		free(urls[i]);
	return all;
}

static void write_file(const char *path, const char *text)
{
	if (fs_write_atomic(path, text, strlen(text)) < 0)
		perror(path);
}

static void expect_requests(const char *name, const char *base, const char *want)
{
	char *stats = get_stats(base, 1);
	const char *s = strstr(stats, "\"requests\": ");
	char *got = s ? xstrndup(s + 12, strcspn(s + 12, "}") + 1) : xstrdup(stats);
	char *w = url_of(want, base);
	expect(name, w, got);
	free(w), free(got), free(stats);
}

static void test_cache_write(const char *base, struct linkcheck_opts *o)
{
	const char *paths[] = { "@/ok?c", "@/status/404?c", "@/redirect/301/ok?c", "mailto:x@y" };
	int rc;
	free(get_stats(base, 1));
	char *first = run_urls(o, paths, 4, base, &rc);
	char *want = url_of("t.md:2:1: error: broken link @/status/404?c (404 Not Found) [link]\n"
			    "t.md:3:1: warning: link @/redirect/301/ok?c redirects permanently to "
			    "@/ok (301 Moved Permanently) [link]\n", base);
	expect("cache: first run reports", want, first);
	char *file = cache_text(o->root);
	char *wfile = url_of("@/ok?c\tok\tT\t200 OK\t\n"
			     "@/redirect/301/ok?c\tok\tT\t301 Moved Permanently\t@/ok\n"
			     "@/status/404?c\tbroken\tT\t404 Not Found\t\n", base);
	expect("cache: kept in the index, one row per URL", wfile, file);
	expect_requests("cache: first run asks each URL once", base,
			"{\"/ok\": 1, \"/ok?c\": 1, \"/redirect/301/ok?c\": 1, \"/status/404?c\": 1}");
	char *second = run_urls(o, paths, 4, base, &rc);
	expect("cache: second run reports the same", want, second);
	expect_requests("cache: second run asks nothing", base, "{}");
	free(first), free(second), free(want), free(file), free(wfile);
}

static void test_cache_age(const char *base, struct linkcheck_opts *o)
{
	char *text = url_of("@/status/404?old\tok\t2000-01-01T00:00:00Z\t200 OK\t\n"
			    "@/status/404?known\tok\t2000-01-01T00:00:00Z\t200 OK\t\n", base);
	write_file(o->cache_path, text);
	const char *old[] = { "@/status/404?old" };
	int rc;
	char *got = run_urls(o, old, 1, base, &rc);
	char *want = url_of("t.md:1:1: error: broken link @/status/404?old (404 Not Found) [link]\n",
			    base);
	expect("cache: a verdict older than max-age is asked again", want, got);
	expect_requests("cache: the old URL was asked", base, "{\"/status/404?old\": 1}");
	free(got), free(want);
	const char *mixed[] = { "@/status/404?known", "@/status/404?new" };
	o->only_new = 1;
	got = run_urls(o, mixed, 2, base, &rc);
	o->only_new = 0;
	want = url_of("t.md:2:1: error: broken link @/status/404?new (404 Not Found) [link]\n", base);
	expect("only-new: a URL the cache knows is neither asked nor reported", want, got);
	expect_requests("only-new: only the new URL was asked", base, "{\"/status/404?new\": 1}");
	free(got), free(want), free(text);
}

static void test_cache_corrupt(const char *base, struct linkcheck_opts *o)
{
	write_file(o->cache_path, "# weekly link cache\nhttp://x/\tok\n");
	const char *paths[] = { "@/ok?corrupt" };
	int rc;
	char *got = run_urls(o, paths, 1, base, &rc);
	char *want = xasprintf("%s:2:1: warning: corrupt link cache (expected 5 tab-separated "
			       "fields); ignoring it [link-cache]\n"
			       "    2 | http://x/    ok\n"
			       "      | ^\n", o->cache_path);
	expect("corrupt cache: a warning naming file and line", want, got);
	expect("corrupt cache: not fatal", "0", rc == 0 ? "0" : "-1");
	char *file = cache_text(o->root);
	char *wfile = url_of("@/ok?corrupt\tok\tT\t200 OK\t\n", base);
	expect("corrupt cache: ignored, what this run found kept", wfile, file);
	free(got), free(want), free(file), free(wfile);
}

static void test_cache_unwritable(const char *base, struct linkcheck_opts *o)
{
	char *blocker = xasprintf("%s/blocker", dir);
	write_file(blocker, "a file, not a folder\n");
	char *none = fs_join(dir, "none.tsv");
	o->root = blocker;
	o->cache_path = none;
	const char *paths[] = { "@/ok?unwritable" };
	int rc;
	char *got = run_urls(o, paths, 1, base, &rc);
	char *want = xasprintf("%s/build/.weekly/index.sqlite: error: cannot keep link verdicts "
			       "in the archive index\n", blocker);
	expect("unwritable cache: an error", want, got);
	expect("unwritable cache: returns -1", "-1", rc == -1 ? "-1" : "0");
	free(got), free(want), free(blocker), free(none);
}

/* Each test a newsletter of its own, whose index reads the file of an
 * earlier version (sub/linkcache.tsv) once. */
static void test_cache(const char *base)
{
	struct linkcheck_opts o;
	test_opts(&o);
	char *sub = fs_join(dir, "sub"), *path = fs_join(sub, "linkcache.tsv");
	fs_mkdirs(sub);
	free(sub);
	char *roots[3] = { xasprintf("%s/write", dir), xasprintf("%s/age", dir),
			   xasprintf("%s/corrupt", dir) };
	o.cache_path = path;
	o.root = roots[0];
	test_cache_write(base, &o);
	o.root = roots[1];
	test_cache_age(base, &o);
	o.root = roots[2];
	test_cache_corrupt(base, &o);
	test_cache_unwritable(base, &o);
	for (size_t i = 0; i < 3; i++)
		free(roots[i]);
	free(path);
}

static void test_no_libcurl(void)
{
	struct link_ref ref = { "http://127.0.0.1:1/", "t.md", 1, 1 };
	diag_list d = DIAG_LIST_INIT;
	struct linkcheck_opts o;
	test_opts(&o);
	setenv("WEEKLY_LIBCURL", "/nonexistent/libcurl.so.4", 1);
	int rc = linkcheck_run(&o, &ref, 1, &d, NULL);
	unsetenv("WEEKLY_LIBCURL");
	char *all = render(&d);
	expect("missing libcurl: returns -1", "-1", rc == -1 ? "-1" : "other");
	const char *want = "weekly: error: cannot load libcurl: /nonexistent/libcurl.so.4: "
			   "cannot open shared object file: No such file or directory\n";
	expect("missing libcurl: one error", want, all);
	free(all);
	diag_release(&d);
}

/* With no network at all (run in an empty network namespace), names do
 * not resolve: unverifiable, not broken. */
static int test_offline(void)
{
	struct link_ref refs[] = {
		{ "http://one.invalid/", "t.md", 1, 1 }, { "https://two.invalid/x", "t.md", 2, 1 },
	};
	diag_list d = DIAG_LIST_INIT;
	struct linkcheck_opts o;
	test_opts(&o);
	linkcheck_run(&o, refs, 2, &d, NULL);
	char *all = render(&d);
	expect("offline: no link is called broken",
		   "t.md:1:1: warning: unverifiable link http://one.invalid/ (cannot resolve host; "
		   "no server answered, is the network down?) [link]\n"
		   "t.md:2:1: warning: unverifiable link https://two.invalid/x (cannot resolve host; "
		   "no server answered, is the network down?) [link]\n", all);
	free(all);
	diag_release(&d);
	return expect_summary();
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "offline") == 0)
		return test_offline();
	port = getenv("LINKTEST_PORT");
	closed = getenv("LINKTEST_CLOSED");
	tls = getenv("LINKTEST_TLS");
	dir = getenv("LINKTEST_DIR");
	if (!port || !closed || !dir) {
		printf("skipped: needs the server that tests/links.sh starts\n");
		return 77;
	}
	char *base = base_url();
	test_no_libcurl();
	test_verdicts(base);
	test_failures(base);
	test_tls();
	test_user_agent(base);
	test_dedupe(base);
	test_caps(base);
	test_deadline(base);
	test_drain(base);
	test_cache(base);
	free(base);
	return expect_summary();
}
