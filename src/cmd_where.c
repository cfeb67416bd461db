/* cmd_where.c - `weekly where URL`: the issues a URL appeared in, compared
 * in normalised form (scheme and host case, default port, trailing slash,
 * utm_* parameters and the fragment do not matter). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/archive.h"
#include "weekly/cmd.h"
#include "weekly/util.h"

enum { WHERE_HUMAN = 2 }; /* beside ARCHIVE_LINKS_TSV and _JSON */

struct search {
	char *key;           /* ledger_key of the URL asked about */
	int format;
	buf out;
	size_t found;
};

/* FILE:LINE:COL: issue 15, articles item 3: URL  (or "link in", "image in",
 * "the lead" for links that are not what an item features). */
static void put_human(buf *out, const struct ledger_entry *e)
{
	diag_escape(out, e->file); /* what a source wrote, shown on a terminal */
	buf_printf(out, ":%d:%d: issue %ld, ", e->line, e->col, e->issue);
	if (e->kind != LEDGER_ITEM)
		buf_printf(out, "%s in ", archive_link_kind(e));
	if (!e->section)
		buf_puts(out, "the lead");
	else if (e->item >= 0)
		buf_printf(out, "%s item %ld", e->section, e->item + 1);
	else
		buf_puts(out, e->section);
	buf_puts(out, ": ");
	diag_escape(out, e->url);
	buf_putc(out, '\n');
}

static void search_issue(void *ud, const struct ledger *l)
{
	struct search *s = ud;
	for (const struct ledger_entry *e = ledger_first_key(l, s->key); e; e = ledger_next(l, e)) {
		if (s->format == WHERE_HUMAN)
			put_human(&s->out, e);
		else
			archive_link_row(&s->out, (enum archive_links_format)s->format, e,
					 s->found == 0);
		s->found++;
	}
	buf_flush(&s->out, stdout);
}

static int where(const struct newsletter *n, const char *url, int format)
{
	struct issue_file *files;
	size_t nfiles;
	if (issue_files_list(n, &files, &nfiles) < 0) {
		fprintf(stderr, "weekly: cannot list issues: %s\n", strerror(errno));
		return EXIT_SYSTEM;
	}
	struct search s = { .key = ledger_key(url), .format = format };
	diag_list d = DIAG_LIST_INIT;
	if (format != WHERE_HUMAN)
		archive_links_header(&s.out, (enum archive_links_format)format);
	buf_puts(&s.out, format == ARCHIVE_LINKS_JSON ? "[\n" : "");
	int rc = archive_links(n, files, nfiles, url, search_issue, &s, &d) < 0 ? EXIT_SYSTEM
		: s.found ? EXIT_CLEAN : EXIT_CONTENT;
	buf_puts(&s.out, format != ARCHIVE_LINKS_JSON ? "" : s.found ? "\n]\n" : "]\n");
	buf_flush(&s.out, stdout); /* checked as standard output closes */
	diag_print(&d, stderr, diag_default_format(), diag_want_color(stderr));
	free(s.key);
	buf_release(&s.out);
	diag_release(&d);
	issue_files_free(files, nfiles);
	return rc;
}

static int parse_format(const char *s, int *f)
{
	if (strcmp(s, "human") == 0)
		*f = WHERE_HUMAN;
	else if (strcmp(s, "tsv") == 0)
		*f = ARCHIVE_LINKS_TSV;
	else if (strcmp(s, "json") == 0)
		*f = ARCHIVE_LINKS_JSON;
	else
		return cmd_usage_error("where", "unknown format '%s' (human, tsv or json)", s);
	return 0;
}

static const struct option options[] = {
	{ "--format", "F", 1, "human (the default), tsv or json, as 'weekly links' writes", NULL },
	{ NULL, NULL, 0, NULL, NULL }
};

static int parse_args(int argc, char **argv, const char **url, int *format)
{
	struct opts o;
	int k, rc = 0;
	opts_init(&o, "where", options, argc, argv);
	while (!rc && (k = opts_next(&o)) != OPTS_DONE) {
		if (k == OPTS_BAD)
			rc = EXIT_USAGE;
		else if (k != OPTS_ARG)
			rc = parse_format(o.val, format);
		else if (*url)
			rc = opts_unexpected(&o);
		else
			*url = o.val;
	}
	return rc || *url ? rc : cmd_usage_error("where", "which URL?");
}

static int where_main(int argc, char **argv, struct newsletter *n)
{
	const char *url = NULL;
	int format = WHERE_HUMAN;
	int rc = parse_args(argc, argv, &url, &format);
	return rc ? rc : where(n, url, format);
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
