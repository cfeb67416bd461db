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
	linklist_end(&s.list); /* checked as standard output closes */
	diag_print(&d, stderr, diag_default_format(), diag_want_color(stderr));
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

static const struct option options[] = {
	{ "--format", "F", 1, "human (the default), tsv or json, as 'weekly links' writes", NULL },
	{ NULL, NULL, 0, NULL, NULL }
};

struct where_args {
	const char *url;
	enum linklist_format format;
};

static int option(void *ud, int key, const struct opts *o)
{
	struct where_args *a = ud;
	if (key != OPTS_ARG)
		return parse_format(o->val, &a->format);
	if (a->url)
		return opts_unexpected(o);
	a->url = o->val;
	return 0;
}

static int where_main(int argc, char **argv, struct newsletter *n)
{
	struct where_args a = { NULL, LINKLIST_HUMAN };
	int rc = opts_parse("where", options, argc, argv, option, &a);
	if (!rc && !a.url)
		rc = cmd_usage_error("where", "which URL?");
	return rc ? rc : where(n, a.url, a.format);
}

const struct cmd cmd_where = {
	"where", where_main, "say in which issues a URL appeared", CMD_SETTINGS,
	"usage: weekly where URL [--format human|tsv|json]\n\n"
	"Find every place URL appears in the archive, comparing normalised URLs\n"
	"(as `weekly links` writes them; http and https count as one), and print\n"
	"each as FILE:LINE:COL: issue N, SECTION item K: URL as written.\n",
	options,
	"Exit status: 0 found, 1 not found, 2 usage, 3 I/O error.\n"
};
