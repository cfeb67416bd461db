/* watch.c - saves as editors make them, seen through inotify: one batch
 * per save, editors' own files left out, a file renamed away waited for. */
#define _GNU_SOURCE /* nftw */
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "weekly/buf.h"
#include "weekly/watch.h"
#include "expect.h"

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

/* The batch of what happened since the last one, as one line:
 * "issues... [settings] [templates]", or "-" when nothing needs a build. */
static const char *batch(struct watch *w)
{
	static char out[512];
	struct pollfd p = { .fd = w->fd, .events = POLLIN };
	struct watch_batch b = { 0 };
	int any = poll(&p, 1, 100) > 0 && watch_collect(w, &b, 20, 500);
	buf s = BUF_INIT;
	for (size_t i = 0; i < b.nissues; i++)
		buf_printf(&s, "%s%s", s.len ? " " : "", b.issues[i]);
	if (b.settings)
		buf_printf(&s, "%ssettings", s.len ? " " : "");
	if (b.templates)
		buf_printf(&s, "%stemplates", s.len ? " " : "");
	snprintf(out, sizeof out, "%s", any ? s.data : "-");
	buf_release(&s);
	watch_batch_release(&b);
	return out;
}

static int remove_one(const char *path, const struct stat *sb, int kind, struct FTW *ftw)
{
	(void)sb, (void)kind, (void)ftw;
	return remove(path);
}

int main(void)
{
	char dir[] = "/tmp/weekly-watch.XXXXXX";
	if (!mkdtemp(dir) || chdir(dir) < 0 || mkdir("issues", 0755) < 0 ||
	    mkdir("templates", 0755) < 0)
		return 3;
	put("issues/015.md", "old\n");
	struct watch w;
	if (watch_open(&w, "issues", "templates") < 0)
		return 3;
	put("issues/015.md", "in place\n");
	expect("a save in place", "issues/015.md", batch(&w));
	put("issues/4913", "");
	unlink("issues/4913");
	rename("issues/015.md", "issues/015.md~");
	put("issues/.015.md.swp", "swap");
	put("issues/015.md", "as vim saves\n");
	unlink("issues/015.md~");
	expect("vim's save: one batch", "issues/015.md", batch(&w));
	expect("and nothing after it", "-", batch(&w));
	put("issues/.015.md.swp", "swap");
	put("issues/015.md~", "backup");
	put("issues/#015.md#", "emacs");
	put("issues/notes.txt", "notes");
	expect("editors' own files", "-", batch(&w));
	put("issues/.015.md.tmp", "renamed into place\n");
	rename("issues/.015.md.tmp", "issues/015-named.md");
	expect("a rename into place", "issues/015-named.md", batch(&w));
	int fd = open("issues/016.md", O_WRONLY | O_CREAT, 0644);
	expect("a file being written is not a save yet", "-", batch(&w));
	(void)!write(fd, "new\n", 4);
	close(fd);
	expect("it is once closed", "issues/016.md", batch(&w));
	unlink("issues/016.md");
	expect("a deletion, after a wait", "issues/016.md", batch(&w));
	put("issues/newsletter.yaml", "name: x\n");
	expect("the settings", "settings", batch(&w));
	mkdir("templates/partials", 0755);
	expect("a new folder of templates", "templates", batch(&w));
	put("templates/partials/footer.md.mustache", "x");
	expect("a partial in it", "templates", batch(&w));
	put("templates/partials/.footer.md.mustache.swp", "x");
	expect("but not its swap file", "-", batch(&w));
	watch_close(&w);
	nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
	return expect_summary();
}
