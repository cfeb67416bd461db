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
#include "weekly/linklist.h"
#include "weekly/util.h"

struct search {
	char *key;           /* ledger_key of the URL asked about */
	struct linklist list;
};

static void put_place(void *ud, const struct ledger_entry *e)
{
	struct search *s = ud;
	linklist_row(&s->list, e);
	if (s->list.out.len >= 65536)
		linklist_flush(&s->list);
}

static void search_issue(void *ud, const struct ledger *l)
{
	struct search *s = ud;
	for (const struct ledger_entry *e = ledger_first_key(l, s->key); e; e = ledger_next(l, e))
		linklist_row(&s->list, e);
	linklist_flush(&s->list);
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
	for (size_t i = 0; i < nfiles; i++) {
		struct keeping k = { a->ix, &files[i], digests[i] };
		archive_links(n, &files[i], 1, NULL, keep_issue, &k, d);
	}
	issue_files_free(files, nfiles);
	free(digests);
	return 0;
}

/* Every place the URL appears: looked up in the archive index, or found by
 * reading every issue (without one). 0, or -1 when issues/ cannot be
 * listed, -2 when an issue cannot be read. */
static int search(const struct newsletter *n, struct search *s, const char *url, diag_list *d)
{
	struct archive a;
	if (archive_open_some(&a, n, (const long[]){ 0 }, 0, ARCHIVE_NEWEST) < 0)
		return -1;
	archive_save(&a); /* what was read, for the next command */
	/* the links completed and looked up in one transaction: a build that
	 * clears the index meanwhile waits for it, or has already finished (an
	 * index that cannot be written to is still read, as it is) */
	int tx = a.ix && index_begin(a.ix) == 0;
	int rc = a.ix && complete(n, &a, d) == 0 &&
		linkindex_where(a.ix, a.issues_dir, s->key, put_place, s) == 0 ? 0 : 1;
	if (tx)
		index_commit(a.ix);
	archive_release(&a);
	if (rc == 0)
		return d->errors ? -2 : 0;
	struct issue_file *files;
	size_t nfiles;
	if (issue_files_list(n, &files, &nfiles) < 0)
		return -1;
	rc = archive_links(n, files, nfiles, url, search_issue, s, d) < 0 ? -2 : 0;
	issue_files_free(files, nfiles);
	return rc;
}

static int where(const struct newsletter *n, const char *url, enum linklist_format format)
{
	struct search s = { .key = ledger_key(url) };
	diag_list d = DIAG_LIST_INIT;
	linklist_begin(&s.list, format, stdout);
	int found = search(n, &s, url, &d);
	if (found == -1)
		fprintf(stderr, "weekly: cannot list issues: %s\n", strerror(errno));
	int rc = found < 0 ? EXIT_SYSTEM : s.list.rows ? EXIT_CLEAN : EXIT_CONTENT;
	linklist_end(&s.list); /* checked as standard output closes */
	diag_print(&d, stderr, diag_default_format(), diag_want_color(stderr));
	free(s.key);
	diag_release(&d);
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
