/* partials.h - partials for a template test, as weekly reads them: files
 * NAME.mustache of a fresh folder that an environment made with
 * tmpl_env_new_dir reads, removed with the folder afterwards. */
#ifndef WEEKLY_TEST_PARTIALS_H
#define WEEKLY_TEST_PARTIALS_H

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "weekly/fsutil.h"
#include "weekly/util.h"

/* A fresh folder for partials in dir (a "/tmp/...XXXXXX" template). */
static const char *partials_folder(char *dir)
{
	if (!mkdtemp(dir)) {
		perror(dir);
		exit(3);
	}
	return dir;
}

/* Write partial name (the text src) into dir, replacing it. */
static void partial_put(const char *dir, const char *name, const char *src)
{
	char *file = xasprintf("%s.mustache", name), *path = fs_join(dir, file);
	if (fs_write_atomic(path, src, strlen(src)) < 0) {
		perror(path);
		exit(3);
	}
	free(path);
	free(file);
}

/* Remove dir and the partials in it. */
static void partials_remove(const char *dir)
{
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *path = fs_join(dir, e->d_name);
		unlink(path);
		free(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

#endif
