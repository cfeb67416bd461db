/* watch.h - which sources changed, as the editor saves them: inotify on
 * issues/ (the issue files and newsletter.yaml) and on templates/ and the
 * folders in it.
 *
 * Editors' own files are left out: only an issue file (named as
 * issue_file_number reads names), newsletter.yaml or a template (*.mustache,
 * not hidden) counts, never .015.md.swp, 015.md~, #015.md# or vim's 4913
 * probe. A save is seen when the file is closed after writing or renamed
 * into place, never half-written; the events of one save (a rename away, a
 * new file, its close) are gathered into one batch.
 *
 * A watch owns its inotify descriptor and its batches' strings. */
#ifndef WEEKLY_WATCH_H
#define WEEKLY_WATCH_H

#include <stddef.h>

struct watch {
	int fd;              /* poll it for POLLIN */
	struct watch_dir { int wd; char *path; int templates; } *dirs;
	size_t ndirs, cap;
};

struct watch_batch {
	char **issues;       /* paths of issue files saved or removed, no repeats */
	size_t nissues, cap;
	int settings;        /* newsletter.yaml */
	int templates;       /* a template or a partial */
	int overflow;        /* events were lost: assume everything changed */
	char **gone;         /* sources moved away or deleted, not yet back */
	size_t ngone, capgone;
};

/* Watch issues_dir and templates_dir (and its subfolders; it may be
 * missing). 0, or -1 with errno set. */
int watch_open(struct watch *w, const char *issues_dir, const char *templates_dir);
void watch_close(struct watch *w);
/* Once w->fd is readable: read its events into b. While a source is gone
 * (renamed away or deleted, as editors do before they write the new
 * file), wait for it to be written again: for the events that follow
 * within quiet_ms of each other, at most max_ms in all. Returns whether
 * anything in b needs a build. */
int watch_collect(struct watch *w, struct watch_batch *b, int quiet_ms, int max_ms);
void watch_batch_release(struct watch_batch *b);

#endif
