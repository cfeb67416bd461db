/* cmd_links.c - `weekly links`: every link of the archive, where it is. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/archive.h"
#include "weekly/cmd.h"
#include "weekly/linklist.h"
#include "weekly/util.h"

/* Rows go out issue by issue, so that memory stays one issue deep. */
static void add_issue(void *ud, const struct ledger *l)
{
	struct linklist *ls = ud;
	for (size_t i = 0; i < l->len; i++)
		linklist_row(ls, &l->entries[i]);
	linklist_flush(ls);
}

/* The files of issues nums (all of them when nnums is 0), in that order,
 * into *out (the caller frees with issue_files_free). */
static int select_files(const struct newsletter *n, const long *nums, size_t nnums,
			struct issue_file **out, size_t *count)
{
	struct issue_file *all;
	size_t nall;
	if (issue_files_list(n, &all, &nall) < 0) {
		fprintf(stderr, "weekly: cannot list issues: %s\n", strerror(errno));
		return EXIT_SYSTEM;
	}
	if (!nnums) {
		*out = all;
		*count = nall;
		return EXIT_CLEAN;
	}
	struct issue_file *sel = xcalloc(nnums, sizeof *sel);
	int rc = EXIT_CLEAN;
	*count = 0;
	for (size_t k = 0; k < nnums; k++) {
		size_t i = 0;
		while (i < nall && all[i].number != nums[k])
			i++;
		if (i == nall) {
			fprintf(stderr, "weekly: no issue %ld in %s/issues\n", nums[k], n->root);
			rc = EXIT_CONTENT;
			continue;
		}
		sel[(*count)++] = (struct issue_file){ xstrdup(all[i].path), xstrdup(all[i].stem),
						       all[i].number };
	}
	issue_files_free(all, nall);
	*out = sel;
	return rc;
}

static int list_links(const struct newsletter *n, const long *nums, size_t nnums,
		      enum linklist_format format)
{
	struct issue_file *files = NULL;
	size_t nfiles = 0;
	int rc = select_files(n, nums, nnums, &files, &nfiles);
	if (rc == EXIT_SYSTEM)
		return rc;
	struct linklist ls;
	diag_list d = DIAG_LIST_INIT;
	linklist_begin(&ls, format, stdout);
	if (archive_links(n, files, nfiles, NULL, add_issue, &ls, &d) < 0)
		rc = EXIT_SYSTEM;
	int failed = linklist_end(&ls);
	diag_print(&d, stderr, diag_default_format(), diag_want_color(stderr));
	if (failed) {
		fprintf(stderr, "weekly: cannot write to standard output: %s\n", strerror(errno));
		rc = EXIT_SYSTEM;
	}
	diag_release(&d);
	issue_files_free(files, nfiles);
	return rc;
}

static int parse_format(const char *s, enum linklist_format *f)
{
	if (linklist_parse_format(s, f) < 0 || *f == LINKLIST_HUMAN)
		return cmd_usage_error("links", "unknown format '%s' (tsv or json)", s);
	return 0;
}

/* Numbers go to nums (argc long). */
static int parse_args(int argc, char **argv, long *nums, size_t *nnums,
		      enum linklist_format *f)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		char *end;
		if (strcmp(a, "--all") == 0)
			continue;
		const char *v;
		int r = cmd_opt_value(argc, argv, &i, "--format", &v);
		if (r < 0)
			return cmd_usage_error("links", "option '%s' needs a value", a);
		if (r > 0) {
			if (parse_format(v, f))
				return EXIT_USAGE;
		} else if (a[0] != '-' && (nums[*nnums] = strtol(a, &end, 10)) > 0 && !*end) {
			(*nnums)++;
		} else {
			return cmd_bad_argument("links", a);
		}
	}
	return 0;
}

int cmd_links(int argc, char **argv)
{
	long *nums = xcalloc((size_t)argc, sizeof *nums);
	size_t nnums = 0;
	enum linklist_format format = LINKLIST_TSV;
	int rc = parse_args(argc, argv, nums, &nnums, &format);
	if (rc == 0) {
		struct newsletter n;
		rc = cmd_load_settings(&n);
		if (rc == 0)
			rc = list_links(&n, nums, nnums, format);
		newsletter_release(&n);
	}
	free(nums);
	return rc;
}
