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
		const struct issue_file *f = issue_files_find(all, nall, nums[k]);
		if (!f) {
			fprintf(stderr, "weekly: no issue %ld in %s/issues\n", nums[k], n->root);
			rc = EXIT_CONTENT;
			continue;
		}
		sel[(*count)++] = (struct issue_file){ xstrdup(f->path), xstrdup(f->stem), f->number };
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
	linklist_end(&ls); /* checked as standard output closes */
	diag_print(&d, stderr, diag_default_format(), diag_want_color(stderr));
	diag_release(&d);
	issue_files_free(files, nfiles);
	return rc;
}

enum { O_ALL = 1, O_FORMAT };

static const struct option options[] = {
	{ "--all", NULL, O_ALL, "every issue (the default)", NULL },
	{ "--format", "F", O_FORMAT, "tsv (the default; a header line, then a row per link)\n"
	  "or json (one array)", NULL },
	{ NULL, NULL, 0, NULL, NULL }
};

static int parse_format(const char *s, enum linklist_format *f)
{
	if (linklist_parse_format(s, f) < 0 || *f == LINKLIST_HUMAN)
		return cmd_usage_error("links", "unknown format '%s' (tsv or json)", s);
	return 0;
}

struct links_args {
	long *nums;          /* argc long */
	size_t nnums;
	enum linklist_format format;
};

static int option(void *ud, int key, const struct opts *o)
{
	struct links_args *a = ud;
	if (key == O_FORMAT)
		return parse_format(o->val, &a->format);
	return key == OPTS_ARG ? opts_add_issue(o, a->nums, &a->nnums) : 0;
}

static int links_main(int argc, char **argv, struct newsletter *n)
{
	struct links_args a = { xcalloc((size_t)argc, sizeof(long)), 0, LINKLIST_TSV };
	int rc = opts_parse("links", options, argc, argv, option, &a);
	if (rc == 0)
		rc = list_links(n, a.nums, a.nnums, a.format);
	free(a.nums);
	return rc;
}

const struct cmd cmd_links = {
	"links", links_main, "list every link of the archive and where it is", CMD_SETTINGS,
	"usage: weekly links [N...|--all] [--format tsv|json]\n\n"
	"List each link and image of issues N... (default: every issue) with its\n"
	"issue, section, item, kind (item, link or image), file, line, column, the\n"
	"URL as written and its normalised form (scheme and host in lower case, no\n"
	"default port, no trailing slash, no utm_* parameters, no fragment).\n",
	options, NULL
};
