/* cmd_where.c - `weekly where URL`: the issues a URL appeared in, compared
 * in normalised form (scheme and host case, default port, trailing slash,
 * utm_* parameters and the fragment do not matter). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/archive.h"
#include "weekly/cmd.h"
#include "weekly/index.h"
#include "weekly/linkindex.h"
#include "weekly/util.h"

enum { WHERE_HUMAN = 2 }; /* beside ARCHIVE_LINKS_TSV and _JSON */

struct search {
	char *key;           /* ledger_key of the URL asked about */
	int format;
	buf out;
	size_t found;
	int failed;
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

static void put_place(void *ud, const struct ledger_entry *e)
{
	struct search *s = ud;
	if (s->format == WHERE_HUMAN)
		put_human(&s->out, e);
	else
		archive_link_row(&s->out, (enum archive_links_format)s->format, e, s->found == 0);
	s->found++;
	if (s->out.len >= 65536)
		s->failed |= buf_flush(&s->out, stdout) < 0;
}

static void search_issue(void *ud, const struct ledger *l)
{
	struct search *s = ud;
	for (const struct ledger_entry *e = ledger_first_key(l, s->key); e; e = ledger_next(l, e))
		put_place(s, e);
	s->failed |= buf_flush(&s->out, stdout) < 0;
}

/* The issue whose links are being kept in the index. */
struct keeping {
	struct index *ix;
	const struct issue_file *f;
	uint64_t digest;
};

static void keep_issue(void *ud, const struct ledger *l)
{
	struct keeping *k = ud;
	linkindex_keep(k->ix, k->f->path, k->f->number, l->len ? l->entries[0].issue : -1,
		       k->digest, l->entries, l->len);
}

/* Read the issues whose links the index lacks, and keep them there: 0,
 * or -1 when the index cannot be read (errors about files go to d). */
static int complete(const struct newsletter *n, struct archive *a, diag_list *d)
{
	struct issue_file *files;
	uint64_t *digests;
	size_t nfiles;
	if (linkindex_missing(a->ix, a->issues_dir, -1, &files, &digests, &nfiles) < 0)
		return -1;
	int tx = nfiles && index_begin(a->ix) == 0;
	for (size_t i = 0; i < nfiles; i++) {
		struct keeping k = { a->ix, &files[i], digests[i] };
		archive_links(n, &files[i], 1, NULL, keep_issue, &k, d);
	}
	if (tx)
		index_commit(a->ix);
	issue_files_free(files, nfiles);
	free(digests);
	return 0;
}

/* Every place the URL appears: looked up in the archive index, or found by
 * reading every issue (without one). */
static int search(const struct newsletter *n, struct search *s, const char *url, diag_list *d)
{
	struct archive a;
	if (archive_open_some(&a, n, (const long[]){ 0 }, 0, ARCHIVE_NEWEST) < 0) {
		fprintf(stderr, "weekly: cannot list issues: %s\n", strerror(errno));
		return -1;
	}
	archive_save(&a); /* what was read, for the next command */
	int rc = a.ix && complete(n, &a, d) == 0 &&
		linkindex_where(a.ix, a.issues_dir, s->key, put_place, s) == 0 ? 0 : 1;
	archive_release(&a);
	if (rc == 0)
		return d->errors ? -2 : 0;
	struct issue_file *files;
	size_t nfiles;
	if (issue_files_list(n, &files, &nfiles) < 0) {
		fprintf(stderr, "weekly: cannot list issues: %s\n", strerror(errno));
		return -1;
	}
	rc = archive_links(n, files, nfiles, url, search_issue, s, d) < 0 ? -2 : 0;
	issue_files_free(files, nfiles);
	return rc;
}

static int where(const struct newsletter *n, const char *url, int format)
{
	struct search s = { .key = ledger_key(url), .format = format };
	diag_list d = DIAG_LIST_INIT;
	if (format != WHERE_HUMAN)
		archive_links_header(&s.out, (enum archive_links_format)format);
	buf_puts(&s.out, format == ARCHIVE_LINKS_JSON ? "[\n" : "");
	int found = search(n, &s, url, &d);
	int rc = found < 0 ? EXIT_SYSTEM
		: s.found ? EXIT_CLEAN : EXIT_CONTENT;
	buf_puts(&s.out, format != ARCHIVE_LINKS_JSON ? "" : s.found ? "\n]\n" : "]\n");
	s.failed |= buf_flush(&s.out, stdout) < 0;
	diag_print(&d, stderr, diag_default_format(), diag_want_color(stderr));
	if (s.failed || fflush(stdout) != 0) {
		fprintf(stderr, "weekly: cannot write to standard output: %s\n", strerror(errno));
		rc = EXIT_SYSTEM;
	}
	free(s.key);
	buf_release(&s.out);
	diag_release(&d);
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

static int parse_args(int argc, char **argv, const char **url, int *format)
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
	int format = WHERE_HUMAN;
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
