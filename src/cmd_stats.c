/* cmd_stats.c - `weekly stats`: items per section, words of description,
 * links and images of issues, per issue and in total, as a table, JSON or
 * TSV. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/archive.h"
#include "weekly/cmd.h"
#include "weekly/stats.h"
#include "weekly/util.h"

enum stats_format { STATS_TEXT, STATS_JSON, STATS_TSV };

struct stats_args {
	long *nums;        /* argc long, allocated by the caller */
	size_t nnums;
	enum stats_format fmt;
};

/* One issue's counts. */
struct row {
	long number;
	char *date;
	const char *file;
	struct stats *secs; /* one per configured section */
	struct stats total;
};

struct table {
	struct row *rows;
	size_t len, cap;
	size_t nsections;
};

static int parse_format(const char *s, enum stats_format *fmt)
{
	static const char *const names[] = { "text", "json", "tsv" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcmp(s, names[i]) == 0) {
			*fmt = (enum stats_format)i;
			return 0;
		}
	return cmd_usage_error("stats", "--format takes text, json or tsv, not '%s'", s);
}

enum { O_ALL = 1, O_FORMAT };

static const struct option options[] = {
	{ "--all", NULL, O_ALL, "every issue (the default)", NULL },
	{ "--format", "F", O_FORMAT, "text (a table; the default), json or tsv (one row per\n"
	  "issue, then a total row when there are several)", NULL },
	{ NULL, NULL, 0, NULL, NULL }
};

static int option(void *ud, int key, const struct opts *o)
{
	struct stats_args *a = ud;
	if (key == O_FORMAT)
		return parse_format(o->val, &a->fmt);
	return key == OPTS_ARG ? opts_add_issue(o, a->nums, &a->nnums) : 0;
}

/* --- counting ----------------------------------------------------------- */

/* Count one issue file into t. Returns 0, or an exit status after
 * reporting what kept the issue out. */
static int count_file(const struct newsletter *n, const struct issue_file *f,
		      struct table *t)
{
	diag_list d = DIAG_LIST_INIT;
	int syserr = 0;
	struct issue *is = issue_load(n, f->path, &d, &syserr);
	int rc = syserr ? EXIT_SYSTEM : d.errors ? EXIT_CONTENT : EXIT_CLEAN;
	diag_sort(&d);
	diag_print(&d, stderr, diag_default_format(), diag_want_color(stderr));
	if (rc == EXIT_CLEAN) {
		xgrow((void **)&t->rows, &t->cap, t->len + 1, sizeof(struct row));
		struct row *r = &t->rows[t->len++];
		r->number = is->number > 0 ? is->number : f->number;
		r->date = xstrdup(is->date ? is->date : "");
		r->file = f->path;
		r->secs = xcalloc(n->nsections, sizeof(struct stats));
		for (size_t c = 0; c < n->nsections; c++)
			stats_conf(is, (long)c, &r->secs[c]);
		stats_issue(is, &r->total);
	}
	issue_free(is);
	diag_release(&d);
	return rc;
}

static int count_all(const struct newsletter *n, const struct stats_args *a,
		     const struct issue_file *files, size_t nfiles, struct table *t)
{
	int rc = EXIT_CLEAN;
	size_t count = a->nnums ? a->nnums : nfiles;
	for (size_t i = 0; i < count; i++) {
		const struct issue_file *f = a->nnums ? issue_files_find(files, nfiles, a->nums[i]) : &files[i];
		int r;
		if (!f) {
			fprintf(stderr, "weekly: no issue %ld in %s/issues\n", a->nums[i], n->root);
			r = EXIT_CONTENT;
		} else {
			r = count_file(n, f, t);
		}
		if (r > rc)
			rc = r;
	}
	return rc;
}

/* The sum of every row, per section and in total. */
static void sum_rows(const struct table *t, struct stats *secs, struct stats *total)
{
	memset(total, 0, sizeof(*total));
	memset(secs, 0, t->nsections * sizeof(*secs));
	for (size_t i = 0; i < t->len; i++) {
		for (size_t c = 0; c < t->nsections; c++)
			stats_add(&secs[c], &t->rows[i].secs[c]);
		stats_add(total, &t->rows[i].total);
	}
}

/* --- text and TSV ------------------------------------------------------- */

/* The table's cells, row-major: a header, one row per issue, and a total
 * row when there are several issues. */
struct grid {
	char **cells;
	size_t rows, cols;
};

static void grid_row(struct grid *g, size_t r, const char *issue, const char *date,
		     const struct stats *secs, size_t nsecs, const struct stats *total)
{
	char **c = g->cells + r * g->cols;
	c[0] = xstrdup(issue);
	c[1] = diag_escaped(date); /* as the front matter wrote it */
	for (size_t i = 0; i < nsecs; i++)
		c[2 + i] = xasprintf("%ld", secs[i].items);
	c += 2 + nsecs;
	c[0] = xasprintf("%ld", total->items);
	c[1] = xasprintf("%ld", total->words);
	c[2] = xasprintf("%ld", total->links);
	c[3] = xasprintf("%ld", total->images);
}

static void grid_build(const struct newsletter *n, const struct table *t, struct grid *g)
{
	size_t ns = t->nsections;
	g->cols = ns + 6;
	g->rows = 1 + t->len + (t->len > 1);
	g->cells = xcalloc(g->rows * g->cols, sizeof(char *));
	static const char *const head[] = { "items", "words", "links", "images" };
	g->cells[0] = xstrdup("issue");
	g->cells[1] = xstrdup("date");
	for (size_t i = 0; i < ns; i++)
		g->cells[2 + i] = diag_escaped(n->sections[i].id);
	for (size_t i = 0; i < 4; i++)
		g->cells[2 + ns + i] = xstrdup(head[i]);
	for (size_t r = 0; r < t->len; r++) {
		char num[24];
		snprintf(num, sizeof num, "%ld", t->rows[r].number);
		grid_row(g, r + 1, num, t->rows[r].date, t->rows[r].secs, ns, &t->rows[r].total);
	}
	if (t->len > 1) {
		struct stats *secs = xcalloc(ns ? ns : 1, sizeof(struct stats)), total;
		sum_rows(t, secs, &total);
		grid_row(g, g->rows - 1, "total", "", secs, ns, &total);
		free(secs);
	}
}

static void grid_free(struct grid *g)
{
	for (size_t i = 0; i < g->rows * g->cols; i++)
		free(g->cells[i]);
	free(g->cells);
}

/* Columns two spaces apart; issue and date to the left, counts to the right. */
static void grid_text(const struct grid *g, FILE *out)
{
	size_t *w = xcalloc(g->cols, sizeof(size_t));
	for (size_t i = 0; i < g->rows * g->cols; i++)
		if (strlen(g->cells[i]) > w[i % g->cols])
			w[i % g->cols] = strlen(g->cells[i]);
	for (size_t r = 0; r < g->rows; r++)
		for (size_t c = 0; c < g->cols; c++)
			fprintf(out, c < 2 ? "%-*s  " : "%*s%s", (int)w[c],
				g->cells[r * g->cols + c], c + 1 == g->cols ? "\n" : "  ");
	free(w);
}

static void grid_tsv(const struct grid *g, FILE *out)
{
	for (size_t i = 0; i < g->rows * g->cols; i++)
		fprintf(out, "%s%c", g->cells[i], (i + 1) % g->cols ? '\t' : '\n');
}

/* --- JSON --------------------------------------------------------------- */

static value *sections_value(const struct newsletter *n, const struct stats *secs)
{
	value *m = value_map();
	for (size_t c = 0; c < n->nsections; c++)
		value_map_setc(m, n->sections[c].id, stats_value(NULL, &secs[c]));
	return m;
}

/* {"issues": [...], "total": {...}}; counts as stats_value writes them. */
static value *json_value(const struct newsletter *n, const struct table *t)
{
	value *root = value_map();
	value *list = value_map_lit(root, "issues", value_list());
	for (size_t i = 0; i < t->len; i++) {
		const struct row *r = &t->rows[i];
		value *m = value_list_push(list, value_map());
		value_map_lit(m, "number", value_number((double)r->number));
		value_map_lit(m, "date", value_cstring(r->date));
		value_map_lit(m, "file", value_cstring(r->file));
		value_map_lit(m, "sections", sections_value(n, r->secs));
		value_map_lit(m, "total", stats_value(NULL, &r->total));
	}
	struct stats *secs = xcalloc(n->nsections ? n->nsections : 1, sizeof(struct stats));
	struct stats total;
	sum_rows(t, secs, &total);
	value *tot = value_map_lit(root, "total", value_map());
	value_map_lit(tot, "issues", value_number((double)t->len));
	value_map_lit(tot, "sections", sections_value(n, secs));
	value_map_lit(tot, "total", stats_value(NULL, &total));
	free(secs);
	return root;
}

/* The table on standard output (checked as it closes). */
static void print(const struct newsletter *n, const struct table *t, enum stats_format fmt)
{
	if (fmt == STATS_JSON) {
		buf b = BUF_INIT;
		value *v = json_value(n, t);
		value_json(v, &b);
		fwrite(b.data, 1, b.len, stdout);
		putchar('\n');
		value_free(v);
		buf_release(&b);
	} else {
		struct grid g;
		grid_build(n, t, &g);
		(fmt == STATS_TSV ? grid_tsv : grid_text)(&g, stdout);
		grid_free(&g);
	}
}

static int run(const struct newsletter *n, const struct stats_args *a)
{
	struct issue_file *files;
	size_t nfiles;
	if (archive_issue_files(n, a->nnums ? a->nums : NULL, a->nnums, &files, &nfiles) < 0) {
		fprintf(stderr, "weekly: cannot list issues: %s\n", strerror(errno));
		return EXIT_SYSTEM;
	}
	struct table t = { .nsections = n->nsections };
	int rc = count_all(n, a, files, nfiles, &t);
	print(n, &t, a->fmt);
	for (size_t i = 0; i < t.len; i++) {
		free(t.rows[i].date);
		free(t.rows[i].secs);
	}
	free(t.rows);
	issue_files_free(files, nfiles);
	return rc;
}

static int stats_main(int argc, char **argv, struct newsletter *n)
{
	struct stats_args a = { xcalloc((size_t)argc, sizeof(long)), 0, STATS_TEXT };
	int rc = opts_parse("stats", options, argc, argv, option, &a);
	if (rc == 0)
		rc = run(n, &a);
	free(a.nums);
	return rc;
}

const struct cmd cmd_stats = {
	"stats", stats_main, "count items, words, links and images of issues", CMD_SETTINGS,
	"usage: weekly stats [N...|--all] [--format text|json|tsv]\n\n"
	"Count, per issue and in total, the items of each section, the words of\n"
	"the items' descriptions, the links (items' own included) and the images\n"
	"of issues N... (default: every issue). Templates see the same counts as\n"
	"stats.* and sections[].stats.*.\n",
	options,
	"An issue that cannot be read is reported and left out (exit 1).\n"
};
