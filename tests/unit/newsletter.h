/* newsletter.h - a newsletter for a unit test, read as weekly reads one
 * (newsletter_load): the settings text written to issues/newsletter.yaml
 * of a fresh folder, which is gone again once they are read. */
#ifndef WEEKLY_TEST_NEWSLETTER_H
#define WEEKLY_TEST_NEWSLETTER_H

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "weekly/config.h"
#include "weekly/fsutil.h"

/* 0, or -1 after adding diagnostics to d (as newsletter_load). */
static int newsletter_of(struct newsletter *n, const char *settings, diag_list *d)
{
	char dir[] = "/tmp/weekly-unit.XXXXXX";
	memset(n, 0, sizeof *n);
	if (!mkdtemp(dir))
		return -1;
	char *issues = fs_join(dir, "issues"), *path = fs_join(issues, "newsletter.yaml");
	int rc = fs_mkdirs(issues) == 0 && fs_write_new(path, settings, strlen(settings)) == 0
		? newsletter_load(dir, n, d) : -1;
	unlink(path);
	rmdir(issues);
	rmdir(dir);
	free(path);
	free(issues);
	return rc;
}

#endif
