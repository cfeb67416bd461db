/* cmd_links.c - `weekly links`: every link of the archive, where it is. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/archive.h"
#include "weekly/cmd.h"
#include "weekly/util.h"

struct listing {
	enum archive_links_format format;
	buf out;
	size_t rows;
};

/* Rows go out issue by issue, so that memory stays one issue deep. */
static void add_issue(void *ud, const struct ledger *l)
{
	struct listing *ls = ud;
	for (size_t i = 0; i < l->len; i++)
		archive_link_row(&ls->out, ls->format, &l->entries[i], ls->rows++ == 0);
	buf_flush(&ls->out, stdout);
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
		      enum archive_links_format format)
{
	struct issue_file *files = NULL;
	size_t nfiles = 0;
	int rc = select_files(n, nums, nnums, &files, &nfiles);
	if (rc == EXIT_SYSTEM)
		return rc;
	struct listing ls = { .format = format };
	diag_list d = DIAG_LIST_INIT;
	archive_links_header(&ls.out, format);
	buf_puts(&ls.out, format == ARCHIVE_LINKS_JSON ? "[\n" : "");
	if (archive_links(n, files, nfiles, NULL, add_issue, &ls, &d) < 0)
		rc = EXIT_SYSTEM;
	buf_puts(&ls.out, format != ARCHIVE_LINKS_JSON ? "" : ls.rows ? "\n]\n" : "]\n");
	buf_flush(&ls.out, stdout); /* checked as standard output closes */
	diag_print(&d, stderr, diag_default_format(), diag_want_color(stderr));
	buf_release(&ls.out);
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

static int parse_format(const char *s, enum archive_links_format *f)
{
	if (strcmp(s, "tsv") == 0)
		*f = ARCHIVE_LINKS_TSV;
	else if (strcmp(s, "json") == 0)
		*f = ARCHIVE_LINKS_JSON;
	else
		return cmd_usage_error("links", "unknown format '%s' (tsv or json)", s);
	return 0;
}

/* Issue numbers go to nums (argc long). */
static int parse_args(int argc, char **argv, long *nums, size_t *nnums,
		      enum archive_links_format *f)
{
	struct opts o;
	int k, rc = 0;
	opts_init(&o, "links", options, argc, argv);
	while (!rc && (k = opts_next(&o)) != OPTS_DONE) {
		if (k == OPTS_BAD)
			rc = EXIT_USAGE;
		else if (k == O_FORMAT)
			rc = parse_format(o.val, f);
		else if (k == OPTS_ARG && (nums[(*nnums)++] = opts_issue_arg(&o)) < 0)
			rc = EXIT_USAGE;
	}
	return rc;
}

static int links_main(int argc, char **argv, struct newsletter *n)
{
	long *nums = xcalloc((size_t)argc, sizeof *nums);
	size_t nnums = 0;
	enum archive_links_format format = ARCHIVE_LINKS_TSV;
	int rc = parse_args(argc, argv, nums, &nnums, &format);
	if (rc == 0)
		rc = list_links(n, nums, nnums, format);
	free(nums);
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
