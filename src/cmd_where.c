/* cmd_where.c - `weekly where URL`: the issues a URL appeared in, compared
 * in normalised form (scheme and host case, default port, trailing slash,
 * utm_* parameters and the fragment do not matter). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/archive.h"
#include "weekly/cmd.h"
#include "weekly/linklist.h"
#include "weekly/util.h"

struct search {
	char *key;           /* ledger_key of the URL asked about */
	struct linklist list;
};

static void search_issue(void *ud, const struct ledger *l)
{
	struct search *s = ud;
	for (const struct ledger_entry *e = ledger_first_key(l, s->key); e; e = ledger_next(l, e))
		linklist_row(&s->list, e);
	linklist_flush(&s->list);
}

static int where(const struct newsletter *n, const char *url, enum linklist_format format)
{
	struct issue_file *files;
	size_t nfiles;
	if (issue_files_list(n, &files, &nfiles) < 0) {
		fprintf(stderr, "weekly: cannot list issues: %s\n", strerror(errno));
		return EXIT_SYSTEM;
	}
	struct search s = { .key = ledger_key(url) };
	diag_list d = DIAG_LIST_INIT;
	linklist_begin(&s.list, format, stdout);
	int rc = archive_links(n, files, nfiles, url, search_issue, &s, &d) < 0 ? EXIT_SYSTEM
		: s.list.rows ? EXIT_CLEAN : EXIT_CONTENT;
	int failed = linklist_end(&s.list);
	diag_print(&d, stderr, diag_default_format(), diag_want_color(stderr));
	if (failed) {
		fprintf(stderr, "weekly: cannot write to standard output: %s\n", strerror(errno));
		rc = EXIT_SYSTEM;
	}
	free(s.key);
	diag_release(&d);
	issue_files_free(files, nfiles);
	return rc;
}

static int parse_format(const char *s, enum linklist_format *f)
{
	if (linklist_parse_format(s, f) < 0)
		return cmd_usage_error("where", "unknown format '%s' (human, tsv or json)", s);
	return 0;
}

static int parse_args(int argc, char **argv, const char **url, enum linklist_format *format)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v;
		int r = cmd_opt_value(argc, argv, &i, "--format", &v);
		if (r < 0)
			return cmd_usage_error("where", "option '%s' needs a value", a);
		if (r > 0) {
			if (parse_format(v, format))
				return EXIT_USAGE;
		} else if (*url || (a[0] == '-' && a[1])) {
			return cmd_bad_argument("where", a);
		} else {
			*url = a;
		}
	}
	return *url ? 0 : cmd_usage_error("where", "which URL?");
}

int cmd_where(int argc, char **argv)
{
	const char *url = NULL;
	enum linklist_format format = LINKLIST_HUMAN;
	int rc = parse_args(argc, argv, &url, &format);
	if (rc)
		return rc;
	struct newsletter n;
	rc = cmd_load_settings(&n);
	if (rc == 0)
		rc = where(&n, url, format);
	newsletter_release(&n);
	return rc;
}
