/* replay.c - a main for the fuzz targets without libFuzzer: each file named
 * on the command line (or each file of a folder named) goes through the
 * target once. An input that crashes, leaks or trips a sanitizer or an
 * assertion of the target ends the process; every input that passes prints
 * "PASS target: file", and the last line is "N passed, M failed". */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "weekly/fsutil.h"
#include "weekly/util.h"
#include "harness.h"

static int passed, failed;

static void replay(const char *target, const char *path)
{
	char *data;
	size_t len;
	if (fs_read(path, &data, &len) < 0) {
		printf("FAIL %s: cannot read '%s'\n", target, path);
		failed++;
		return;
	}
	fflush(stdout);
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	free(data);
	printf("PASS %s: %s\n", target, path);
	passed++;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir, in name order. */
static void replay_dir(const char *target, const char *dir)
{
	DIR *dp = opendir(dir);
	if (!dp) {
		printf("FAIL %s: cannot open '%s'\n", target, dir);
		failed++;
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(dp))) {
		if (e->d_name[0] == '.')
			continue;
		xgrow((void **)&names, &cap, n + 1, sizeof *names);
		names[n++] = fs_join(dir, e->d_name);
	}
	closedir(dp);
	if (n)
		qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			replay(target, names[i]);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	const char *target = fs_basename(argv[0]);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			replay_dir(target, argv[i]);
		else
			replay(target, argv[i]);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
