/* watch.c - source changes through inotify, editors' temporary files left
 * out and the events of one save gathered. */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include "weekly/config.h"
#include "weekly/fsutil.h"
#include "weekly/util.h"
#include "weekly/watch.h"

#define SETTINGS_NAME "newsletter.yaml"
#define WATCH_EVENTS (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | \
		      IN_CREATE | IN_DELETE_SELF | IN_ONLYDIR)

static int add_dir(struct watch *w, const char *path, int templates)
{
	int wd = inotify_add_watch(w->fd, path, WATCH_EVENTS);
	if (wd < 0)
		return -1;
	for (size_t i = 0; i < w->ndirs; i++)
		if (w->dirs[i].wd == wd)
			return 0;
	xgrow((void **)&w->dirs, &w->cap, w->ndirs + 1, sizeof *w->dirs);
	w->dirs[w->ndirs++] = (struct watch_dir){ wd, xstrdup(path), templates };
	return 0;
}

/* templates/ and every folder below it (partials/). */
static void add_tree(struct watch *w, const char *path)
{
	if (add_dir(w, path, 1) < 0)
		return;
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *sub = fs_join(path, e->d_name);
		if (fs_is_dir(sub))
			add_tree(w, sub);
		free(sub);
	}
	if (d)
		closedir(d);
}

int watch_open(struct watch *w, const char *issues_dir, const char *templates_dir)
{
	memset(w, 0, sizeof *w);
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0)
		return -1;
	if (add_dir(w, issues_dir, 0) < 0) {
		int e = errno;
		watch_close(w);
		errno = e;
		return -1;
	}
	add_tree(w, templates_dir);
	return 0;
}

void watch_close(struct watch *w)
{
	for (size_t i = 0; i < w->ndirs; i++)
		free(w->dirs[i].path);
	free(w->dirs);
	if (w->fd >= 0)
		close(w->fd);
	memset(w, 0, sizeof *w);
	w->fd = -1;
}

/* A template, not an editor's own file: hidden, backup, lock and probe
 * files have other names. */
static int template_name(const char *name)
{
	return name[0] != '.' && name[0] != '#' && util_ends_with(name, strlen(name), ".mustache");
}

/* Add path to list (no repeats). */
static void add_path(char ***list, size_t *n, size_t *cap, const char *path)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*list)[i], path) == 0)
			return;
	xgrow((void **)list, cap, *n + 1, sizeof **list);
	(*list)[(*n)++] = xstrdup(path);
}

/* A source moved away or deleted is gone until it is written again: the
 * save is not over before. */
static void note_gone(struct watch_batch *b, const char *path, uint32_t mask)
{
	if (mask & (IN_MOVED_FROM | IN_DELETE)) {
		add_path(&b->gone, &b->ngone, &b->capgone, path);
		return;
	}
	for (size_t i = 0; i < b->ngone; i++)
		if (strcmp(b->gone[i], path) == 0) {
			free(b->gone[i]);
			b->gone[i] = b->gone[--b->ngone];
			return;
		}
}

static struct watch_dir *find_dir(struct watch *w, int wd)
{
	for (size_t i = 0; i < w->ndirs; i++)
		if (w->dirs[i].wd == wd)
			return &w->dirs[i];
	return NULL;
}

static void take_event(struct watch *w, struct watch_batch *b, const struct inotify_event *ev)
{
	struct watch_dir *d = find_dir(w, ev->wd);
	if (ev->mask & IN_Q_OVERFLOW) {
		b->overflow = 1;
		return;
	}
	if (!d || !ev->len)
		return;
	char *path = fs_join(d->path, ev->name);
	if (d->templates && (ev->mask & IN_ISDIR)) {
		if (ev->mask & (IN_CREATE | IN_MOVED_TO))
			add_tree(w, path);
		b->templates = 1;
	} else if (ev->mask & IN_CREATE) {
		/* a new file is seen when it is closed */
	} else if (d->templates ? template_name(ev->name)
				: strcmp(ev->name, SETTINGS_NAME) == 0 ||
				  issue_file_number(ev->name, NULL) >= 0) {
		note_gone(b, path, ev->mask);
		if (d->templates)
			b->templates = 1;
		else if (strcmp(ev->name, SETTINGS_NAME) == 0)
			b->settings = 1;
		else
			add_path(&b->issues, &b->nissues, &b->cap, path);
	}
	free(path);
}

/* Read what is there now; 0 when nothing was. */
static int read_events(struct watch *w, struct watch_batch *b)
{
	char chunk[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	int any = 0;
	ssize_t n;
	while ((n = read(w->fd, chunk, sizeof chunk)) > 0) {
		any = 1;
		for (char *p = chunk; p < chunk + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			take_event(w, b, ev);
			p += sizeof *ev + ev->len;
		}
	}
	return any;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int watch_collect(struct watch *w, struct watch_batch *b, int quiet_ms, int max_ms)
{
	long end = now_ms() + max_ms;
	read_events(w, b);
	for (long left; b->ngone && (left = end - now_ms()) > 0;) {
		struct pollfd p = { .fd = w->fd, .events = POLLIN };
		if (poll(&p, 1, quiet_ms < left ? quiet_ms : (int)left) <= 0 || !read_events(w, b))
			break;  /* gone for good */
	}
	return b->nissues || b->settings || b->templates || b->overflow;
}

void watch_batch_release(struct watch_batch *b)
{
	for (size_t i = 0; i < b->nissues; i++)
		free(b->issues[i]);
	for (size_t i = 0; i < b->ngone; i++)
		free(b->gone[i]);
	free(b->issues);
	free(b->gone);
	memset(b, 0, sizeof *b);
}
