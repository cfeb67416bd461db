/* cmd_serve.c - `weekly serve`: the newsletter's pages on a local web
 * server, built again as the editor saves and reloaded in the browser,
 * with the issue's mistakes shown on the page.
 *
 * The building and checking are done by this program itself, run as a
 * child (/proc/self/exe build N... -f html -v, then build --all -v; check
 * FILES --format json), not by calling into the build: the build's own state
 * decides what a save touches (one issue's outputs and the pages that
 * list it; every output of a changed template's format; everything for
 * changed settings); a half-written or hostile source can at worst fail a
 * child, never the server; and the server depends on the build only
 * through its documented command line: the outputs it lists with -v, its
 * messages, and check's JSON. A child costs a millisecond or two. After
 * the save of one issue in an archive of 1,000, `build N` takes some
 * 10 ms and `build --all` 20 (it looks at every issue), so the saved
 * issue's page reloads after the first; the check (which looks for
 * earlier features of its items in every issue) takes some 300 ms, so it
 * runs beside the server, at idle priority, and the page hears the build's
 * diagnostics first. The server's threads only read files the build
 * replaces atomically, so a page is never seen half-written. */
#define _GNU_SOURCE /* signalfd, pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "weekly/archive.h"
#include "weekly/cmd.h"
#include "weekly/fsutil.h"
#include "weekly/httpd.h"
#include "weekly/livestate.h"
#include "weekly/util.h"
#include "weekly/watch.h"

#define SERVE_PORT 8000
#define SERVE_ADDR "127.0.0.1"
/* The events of one save come within this many ms of each other. */
#define SAVE_QUIET_MS 8
#define SAVE_MAX_MS 250

struct serve {
	struct newsletter n;
	char self[4096];     /* this program, to run build and check */
	int sigfd;           /* SIGINT and SIGTERM, to stop */
	char *outdir;        /* the output folder as the build names it */
	int drafts;
	struct livehub *hub;
	struct livestate state;
	struct httpd *http;
	struct watch watch;
	struct checking {    /* the check running beside the server */
		pid_t pid;   /* 0 when none */
		int fd;      /* its standard output */
		buf out;
		char **files; /* the issue files it checks, or all of them */
		size_t nfiles;
		long long *mtimes; /* each file's as the check started */
		long long started; /* when, in ns by the clock of mtimes */
		int all, stale;
	} checking;
	char **queued;       /* issue files to check next, or all of them */
	size_t nqueued, capqueued;
	int queued_all;
};

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* ---- the build and the check, as children ---- */

/* Read fds[0] and fds[1] of child pid into out[0] and out[1] until both
 * end; on SIGINT or SIGTERM (sigfd), end the child first. */
static void drain(int fds[2], buf out[2], int sigfd, pid_t pid)
{
	struct pollfd p[3] = { { .fd = fds[0], .events = POLLIN },
			       { .fd = fds[1], .events = POLLIN },
			       { .fd = sigfd, .events = POLLIN } };
	char chunk[65536];
	while (p[0].fd >= 0 || p[1].fd >= 0) {
		if (poll(p, 3, -1) < 0 && errno != EINTR)
			break;
		if (p[2].fd >= 0 && p[2].revents) {  /* read by the loop, later */
			kill(pid, SIGTERM);
			p[2].fd = -1;
		}
		for (int k = 0; k < 2; k++) {
			if (p[k].fd < 0 || !p[k].revents)
				continue;
			ssize_t n = read(p[k].fd, chunk, sizeof chunk);
			if (n > 0)
				buf_put(&out[k], chunk, (size_t)n);
			else if (n == 0 || errno != EINTR)
				p[k].fd = -1;
		}
	}
}

/* Start this program with args (NULL-ended, argv[0] included), its
 * standard output to *out, its standard error to *err (NULL: nowhere, and
 * the child runs only when the processors have nothing else to do). Its
 * process id, or -1. */
static pid_t spawn_self(struct serve *s, char *const *args, int *out, int *err)
{
	int po[2], pe[2] = { -1, -1 };
	if (pipe2(po, O_CLOEXEC) < 0)
		return -1;
	if (err && pipe2(pe, O_CLOEXEC) < 0) {
		close(po[0]), close(po[1]);
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0) {  /* only async-signal-safe calls from here: threads run */
		struct sched_param idle = { 0 };
		sigset_t none;
		int null = err ? -1 : open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (!err)
			sched_setscheduler(0, SCHED_IDLE, &idle);
		dup2(po[1], 1);
		dup2(err ? pe[1] : null, 2);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		execv(s->self, args);
		_exit(EXIT_SYSTEM);
	}
	close(po[1]);
	*out = po[0];
	if (err) {
		close(pe[1]);
		*err = pe[0];
	}
	return pid;
}

/* The exit status of child pid, or EXIT_SYSTEM when it died. */
static int reap(pid_t pid)
{
	int status = -1;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : EXIT_SYSTEM;
}

/* Run this program with args; its standard output and error into out[0]
 * and out[1]. Its exit status, or EXIT_SYSTEM when it could not run. */
static int run_self(struct serve *s, char *const *args, buf out[2])
{
	int fds[2];
	pid_t pid = spawn_self(s, args, &fds[0], &fds[1]);
	if (pid < 0)
		return EXIT_SYSTEM;
	drain(fds, out, s->sigfd, pid);
	close(fds[0]), close(fds[1]);
	return reap(pid);
}

/* Run `weekly build ARGS` (with -v) after the issue files changed were
 * saved: their pages learn what the build said of them, then the pages it
 * wrote are told to reload (and named in names). The number of outputs
 * written. */
static size_t build(struct serve *s, char *const *args, char *const *changed, size_t nchanged,
		    int *status, buf *names)
{
	buf out[2] = { BUF_INIT, BUF_INIT }, mine = BUF_INIT;
	*status = run_self(s, args, out);
	size_t written = 0, dlen = strlen(s->outdir);
	for (char *line = out[0].data; line && *line;) {
		char *end = line + strcspn(line, "\n");
		if (*end)
			*end++ = '\0';
		if (strncmp(line, s->outdir, dlen) == 0 && line[dlen] == '/')
			buf_printf(&mine, "%s%s", written++ ? " " : "", line + dlen + 1);
		line = end;
	}
	fwrite(out[1].data, 1, out[1].len, stderr);
	livestate_built(&s->state, out[1].data, *status, changed, nchanged,
			mine.data);
	for (char *name = mine.data; name && *name;) {
		size_t n = strcspn(name, " ");
		char *page = xstrndup(name, n);
		livehub_reload(s->hub, page);
		free(page);
		name += n + (name[n] == ' ');
	}
	if (written)
		buf_printf(names, "%s%s", names->len ? " " : "", mine.data);
	buf_release(&mine);
	buf_release(&out[0]);
	buf_release(&out[1]);
	return written;
}

/* Everything out of date: what the saves touched beyond the issues' own
 * outputs (the pages before and after them, the archive page, the feed;
 * every output of a changed template's format; everything for changed
 * settings), as the build's state says. */
static size_t build_all(struct serve *s, const struct watch_batch *b, int *status, buf *names)
{
	char *args[] = { "weekly", "build", "--all", "-v", s->drafts ? "--drafts" : NULL, NULL };
	return build(s, args, b->issues, b->nissues, status, names);
}

/* The saved issues' own pages first, with `weekly build N... -f html`: it
 * does not look at the rest of the archive, and the open page waits for
 * them.
 * Not after a change of settings or templates (build_all does it all), nor
 * for drafts without --drafts. */
static size_t build_saved(struct serve *s, const struct watch_batch *b, buf *names)
{
	if (b->settings || b->templates || b->overflow)
		return 0;
	char **args = xcalloc(b->nissues + 6, sizeof *args);
	size_t k = 0, written = 0;
	args[k++] = "weekly";
	args[k++] = "build";
	for (size_t i = 0; i < b->nissues; i++) {
		long num = issue_file_number(fs_basename(b->issues[i]), NULL);
		if (num >= 0 && fs_exists(b->issues[i]) &&
		    (s->drafts || !livestate_is_draft(&s->state, b->issues[i])))
			args[k++] = xasprintf("%ld", num);
	}
	if (k > 2) {
		int status;
		args[k] = "-f", args[k + 1] = "html", args[k + 2] = "-v";
		written = build(s, args, b->issues, b->nissues, &status, names);
	}
	for (size_t i = 2; i < k; i++)
		free(args[i]);
	free(args);
	return written;
}

/* What check said about files (every issue with all) to their pages. */
static void apply_check(struct serve *s, char **files, size_t nfiles, int all, const buf *out)
{
	struct issue_file *every = NULL;
	size_t nevery = 0;
	if (all && issue_files_list(&s->n, &every, &nevery) == 0) {
		files = xcalloc(nevery + 1, sizeof *files);
		for (size_t i = 0; i < nevery; i++)
			files[i] = every[i].path;
		nfiles = nevery;
	}
	if (livestate_checked(&s->state, files, nfiles, out->len ? out->data : "[]",
			      out->len) < 0)
		livestate_checked(&s->state, files, nfiles, "[]", 2);
	if (every) {
		free(files);
		issue_files_free(every, nevery);
	}
}

/* A file's modification time in nanoseconds, -1 when it is gone. */
static long long mtime_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? fs_mtime_ns(&st) : -1;
}

static void forget_files(char ***files, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		free((*files)[i]);
	free(*files);
	*files = NULL;
	*n = 0;
}

/* Start checking what is queued, unless a check runs already: saves
 * meanwhile are built at once. */
static void check_next(struct serve *s)
{
	struct checking *c = &s->checking;
	if (c->pid > 0 || (!s->nqueued && !s->queued_all))
		return;
	c->files = s->queued, c->nfiles = s->nqueued, c->all = s->queued_all, c->stale = 0;
	s->queued = NULL, s->nqueued = s->capqueued = 0, s->queued_all = 0;
	char **args = xcalloc(c->nfiles + 4, sizeof *args);
	size_t k = 0;
	args[k++] = "weekly";
	args[k++] = "check";
	for (size_t i = 0; i < c->nfiles; i++)
		if (fs_exists(c->files[i]))
			args[k++] = c->files[i];
	args[k++] = "--format=json";
	struct timespec now;
	clock_gettime(CLOCK_REALTIME_COARSE, &now);
	c->started = now.tv_sec * 1000000000LL + now.tv_nsec;
	c->mtimes = xcalloc(c->nfiles + 1, sizeof *c->mtimes);
	for (size_t i = 0; i < c->nfiles; i++)
		c->mtimes[i] = mtime_of(c->files[i]);
	c->pid = c->all || k > 3 ? spawn_self(s, args, &c->fd, NULL) : -1;
	free(args);
	if (c->pid < 0) {  /* nothing left to check (or no check): no diagnostics */
		buf none = BUF_INIT;
		apply_check(s, c->files, c->nfiles, c->all, &none);
		forget_files(&c->files, &c->nfiles);
		free(c->mtimes);
		c->mtimes = NULL;
		c->pid = 0;
	}
}

/* Check files (every issue with all) soon; a check under way for them is
 * out of date. */
static void check_soon(struct serve *s, char **files, size_t nfiles, int all)
{
	struct checking *c = &s->checking;
	for (size_t i = 0; i < nfiles; i++) {
		size_t q = 0;
		while (q < s->nqueued && strcmp(s->queued[q], files[i]) != 0)
			q++;
		if (q == s->nqueued) {
			xgrow((void **)&s->queued, &s->capqueued, q + 1, sizeof *s->queued);
			s->queued[s->nqueued++] = xstrdup(files[i]);
		}
		for (size_t k = 0; k < c->nfiles; k++)
			c->stale |= strcmp(c->files[k], files[i]) == 0;
	}
	s->queued_all |= all;
	c->stale |= c->pid > 0 && (all || c->all);
	check_next(s);
}

/* Whether one of the files the check read was written while it ran: an
 * editor that saves in place truncates and writes, and a check that read
 * between the two saw half a file. Its close comes as a save of its own.
 * Two writes within one tick of the file system's clock leave the same
 * time, so a time from the tick the check started in counts as a change
 * too (but not one from a clock ahead: that would never settle). */
static int changed_since(const struct checking *c)
{
	for (size_t i = 0; i < c->nfiles; i++)
		if (mtime_of(c->files[i]) != c->mtimes[i] ||
		    (c->mtimes[i] >= c->started && c->mtimes[i] < c->started + 1000000000LL))
			return 1;
	return 0;
}

/* Once the check's output is readable: read it, and at its end tell the
 * pages (unless the files changed meanwhile: then check them again). */
static void check_read(struct serve *s)
{
	struct checking *c = &s->checking;
	char chunk[65536];
	ssize_t n = read(c->fd, chunk, sizeof chunk);
	if (n > 0 || (n < 0 && errno == EINTR)) {
		buf_put(&c->out, chunk, n > 0 ? (size_t)n : 0);
		return;
	}
	close(c->fd);
	reap(c->pid);
	struct checking done = *c;
	*c = (struct checking){ .out = BUF_INIT };
	if (done.stale || changed_since(&done))
		check_soon(s, done.files, done.nfiles, done.all);
	else
		apply_check(s, done.files, done.nfiles, done.all, &done.out);
	forget_files(&done.files, &done.nfiles);
	free(done.mtimes);
	buf_release(&done.out);
	check_next(s);
}

static void check_stop(struct serve *s)
{
	struct checking *c = &s->checking;
	if (c->pid > 0) {  /* not waited for: at idle priority it may be slow to go */
		kill(c->pid, SIGTERM);
		close(c->fd);
		waitpid(c->pid, NULL, WNOHANG);
	}
	forget_files(&c->files, &c->nfiles);
	free(c->mtimes);
	forget_files(&s->queued, &s->nqueued);
	buf_release(&c->out);
}

/* Which issues are drafts, as the build left them: those of b, or every
 * one (b NULL). */
static void note_drafts(struct serve *s, const struct watch_batch *b)
{
	struct archive a;
	if (archive_open(&a, &s->n) == 0)
		for (size_t i = 0; i < a.len; i++) {
			size_t k = 0;
			while (b && k < b->nissues && strcmp(fs_basename(b->issues[k]), a.issues[i].name))
				k++;
			if (b && k == b->nissues)
				continue;
			char *stem = xstrndup(a.issues[i].name, a.issues[i].stemlen);
			livestate_draft(&s->state, stem, a.issues[i].draft);
			free(stem);
		}
	archive_release(&a);
}

/* ---- a save ---- */

static void say_change(const struct serve *s, const struct watch_batch *b, size_t written,
		       const buf *names, long ms)
{
	char when[16];
	time_t t = time(NULL);
	struct tm tm;
	strftime(when, sizeof when, "%H:%M:%S", localtime_r(&t, &tm));
	buf line = BUF_INIT;
	buf_puts(&line, when);
	for (size_t i = 0; i < b->nissues; i++)
		buf_printf(&line, " %s", b->issues[i]);
	if (b->settings)
		buf_printf(&line, " %s", s->n.settings_path);
	if (b->templates)
		buf_puts(&line, " templates");
	if (b->overflow)
		buf_puts(&line, " (everything)");
	buf_printf(&line, ": %zu output%s written in %ld ms", written, written == 1 ? "" : "s", ms);
	if (written)
		buf_printf(&line, " (%s)", names->data);
	diag_say(stdout, "%s\n", line.data); /* file names, as a terminal may show them */
		 buf_release(&line);
}

static void reload_settings(struct serve *s)
{
	struct newsletter n = { 0 };
	if (cmd_load_settings(&n) == 0) {
		newsletter_release(&s->n);
		s->n = n;
	} else {
		newsletter_release(&n);
	}
}

static void rebuild(struct serve *s, struct watch_batch *b)
{
	long t0 = now_ms();
	int status;
	buf names = BUF_INIT;
	if (b->settings)
		reload_settings(s);
	size_t written = build_saved(s, b, &names);
	written += build_all(s, b, &status, &names);
	say_change(s, b, written, &names, now_ms() - t0);
	buf_release(&names);
	note_drafts(s, b->settings || b->overflow ? NULL : b);
	for (size_t i = 0; i < b->nissues && !s->drafts; i++)
		if (livestate_is_draft(&s->state, b->issues[i]))
			diag_say(stdout, "%s is a draft: weekly serve --drafts builds drafts too\n",
				 b->issues[i]);
	if (b->settings || b->overflow || b->nissues)
		check_soon(s, b->issues, b->nissues, b->settings || b->overflow);
}

/* ---- starting, serving, stopping ---- */

enum { O_PORT = 1, O_BIND, O_DRAFTS };

static const struct option options[] = {
	{ "--port", "N", O_PORT, "the port (default 8000; 0: any free one)", NULL },
	{ "--bind", "ADDR", O_BIND, "the address to listen on (default 127.0.0.1: this machine\n"
	  "only; 0.0.0.0 or :: for every network)", NULL },
	{ "--drafts", NULL, O_DRAFTS, "build and serve drafts too (draft: true)", NULL },
	{ NULL, NULL, 0, NULL, NULL }
};

static int parse_port(const char *v, unsigned *port)
{
	char *end;
	long p = strtol(v, &end, 10);
	if (!*v || *end || p < 0 || p > 65535)
		return cmd_usage_error("serve", "--port wants a port number from 0 to 65535, "
				       "not '%s'", v);
	*port = (unsigned)p;
	return 0;
}

struct serve_args {
	const char *addr;
	unsigned port;
	int drafts;
};

static int option(void *ud, int key, const struct opts *o)
{
	struct serve_args *a = ud;
	if (key == OPTS_ARG)
		return opts_unexpected(o);
	if (key == O_PORT)
		return parse_port(o->val, &a->port);
	if (key == O_BIND)
		a->addr = o->val;
	else
		a->drafts = 1;
	return 0;
}

/* Work from the newsletter's folder, where the build's paths start. */
static int settle(struct serve *s)
{
	int rc = cmd_load_settings(&s->n);
	if (rc == EXIT_CLEAN && strcmp(s->n.root, ".") != 0) {
		if (chdir(s->n.root) < 0) {
			fprintf(stderr, "weekly serve: cannot change to '%s': %s\n", s->n.root,
				strerror(errno));
			return EXIT_SYSTEM;
		}
		newsletter_release(&s->n);
		rc = cmd_load_settings(&s->n);
	}
	ssize_t n = rc ? -1 : readlink("/proc/self/exe", s->self, sizeof s->self - 1);
	if (rc == EXIT_CLEAN && n <= 0) {
		fprintf(stderr, "weekly serve: cannot find this program: %s\n", strerror(errno));
		return EXIT_SYSTEM;
	}
	s->self[n > 0 ? n : 0] = '\0';
	struct archive a;
	if (rc == EXIT_CLEAN && archive_open(&a, &s->n) == 0)
		s->outdir = xstrdup(a.dir);
	if (rc == EXIT_CLEAN)
		archive_release(&a);
	return rc;
}

/* Until SIGINT or SIGTERM: each save builds once. */
static void loop(struct serve *s)
{
	struct pollfd p[3] = { { .fd = s->sigfd, .events = POLLIN },
			       { .fd = s->watch.fd, .events = POLLIN },
			       { .fd = -1, .events = POLLIN } };
	for (;;) {
		p[2].fd = s->checking.pid > 0 ? s->checking.fd : -1;
		if (poll(p, 3, -1) < 0 && errno != EINTR)
			return;
		if (p[0].revents)
			return;
		if (p[2].revents)
			check_read(s);
		if (!p[1].revents)
			continue;
		struct watch_batch b = { 0 };
		if (watch_collect(&s->watch, &b, SAVE_QUIET_MS, SAVE_MAX_MS))
			rebuild(s, &b);
		watch_batch_release(&b);
	}
}

/* Listen and watch first (a port in use is said at once, and no save is
 * missed), then build what is out of date and say where it is served. */
static int start(struct serve *s, const char *addr, unsigned port)
{
	char *err = NULL;
	s->http = httpd_start(s->outdir, addr, port, s->hub, &err);
	if (!s->http) {
		fprintf(stderr, "weekly serve: %s\n", err);
		free(err);
		return EXIT_SYSTEM;
	}
	if (watch_open(&s->watch, "issues", "templates") < 0) {
		fprintf(stderr, "weekly serve: cannot watch issues/: %s\n", strerror(errno));
		return EXIT_SYSTEM;
	}
	int status;
	buf names = BUF_INIT;
	struct watch_batch none = { 0 };
	size_t written = build_all(s, &none, &status, &names);
	buf_release(&names);
	printf("built: %zu output%s written\n", written, written == 1 ? "" : "s");
	note_drafts(s, NULL);
	check_soon(s, NULL, 0, 1);
	printf("serving %s%s (Ctrl-C to stop)\n", httpd_url(s->http),
	       s->drafts ? " with drafts" : "");
	return EXIT_CLEAN;
}

static int serve_main(int argc, char **argv, struct newsletter *n)
{
	struct serve s = { .checking = { .out = BUF_INIT } };
	struct serve_args a = { SERVE_ADDR, SERVE_PORT, 0 };
	int rc = opts_parse("serve", options, argc, argv, option, &a);
	s.drafts = a.drafts;
	(void)n; /* loaded where it is served from, and again when it is saved */
	if (rc != EXIT_CLEAN)
		return rc;
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	/* Blocked before any thread starts, so that only the loop hears them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	s.sigfd = signalfd(-1, &stop, SFD_CLOEXEC);
	s.watch.fd = -1;
	s.hub = livehub_new();
	livestate_init(&s.state, s.hub);
	rc = settle(&s);
	if (rc == EXIT_CLEAN)
		rc = start(&s, a.addr, a.port);
	if (rc == EXIT_CLEAN) {
		loop(&s);
		printf("stopping\n");
	}
	check_stop(&s);
	if (s.http)
		httpd_stop(s.http);
	watch_close(&s.watch);
	livestate_release(&s.state);
	livehub_free(s.hub);
	newsletter_release(&s.n);
	free(s.outdir);
	close(s.sigfd);
	return rc;
}

const struct cmd cmd_serve = {
	"serve", serve_main, "preview the pages in a browser as you write", 0,
	"usage: weekly serve [--port N] [--bind ADDR] [--drafts]\n\n"
	"Build what is out of date, then serve the output folder on\n"
	"http://127.0.0.1:8000/ and build again each time an issue, a template or\n"
	"newsletter.yaml is saved: open pages reload where they were scrolled to.\n"
	"While an issue has errors, its page shows them over the last version that\n"
	"built; warnings show in a bar that can be closed; drafts are marked.\n",
	options,
	"Ctrl-C stops it. Exit status: 0 stopped, 2 usage, 3 no newsletter, the\n"
	"port is taken or libmicrohttpd cannot be loaded.\n"
};
