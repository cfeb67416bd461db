/* cmd_new.c - `weekly new [N] [--date YYYY-MM-DD]`: start the source of the
 * next issue from templates/new.md.mustache, never replacing a file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "weekly/cmd.h"
#include "weekly/fsutil.h"
#include "weekly/render.h"
#include "weekly/util.h"

#define NEW_TEMPLATE "new.md.mustache"
#define WEEK 7

struct new_args {
	long number;       /* 0: the last issue's + 1 */
	const char *date;  /* NULL: a week after the last issue */
};

/* The issue the new one's date counts from: the one before it (the last
 * one, by default), or the first one when the new issue comes before all. */
struct base {
	long number;       /* 0 when there is no issue yet */
	int width;         /* digits of the last issue's file name, for the new one's */
	const char *path;  /* its file */
	char *date;        /* its date, NULL when it has none or a wrong one */
	int line, col;     /* where its date is (or should be) */
};

static const struct option options[] = {
	{ "--date", "YYYY-MM-DD", 1, "the new issue's date (default: the last issue's date plus\n"
	  "a week per issue; today for a first issue)", NULL },
	{ NULL, NULL, 0, NULL, NULL }
};

static int option(void *ud, int key, const struct opts *o)
{
	struct new_args *a = ud;
	if (key != OPTS_ARG)
		a->date = o->val;
	else if (a->number)
		return opts_unexpected(o);
	else if ((a->number = opts_issue_arg(o)) < 0)
		return EXIT_USAGE;
	return 0;
}

static int parse(int argc, char **argv, struct new_args *a)
{
	*a = (struct new_args){ 0, NULL };
	int rc = opts_parse("new", options, argc, argv, option, a);
	if (!rc && a->date && !util_is_date(a->date))
		return cmd_usage_error("new", "--date takes a real date written YYYY-MM-DD, not '%s'", a->date);
	return rc;
}

/* --- dates ----------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil), and back. */
static long days_from_civil(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static char *civil_from_days(long z)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp + (mp < 10 ? 3 : -9);
	return xasprintf("%04ld-%02ld-%02ld", yoe + era * 400 + (m <= 2), m, d);
}

/* date (valid, YYYY-MM-DD) moved by days. */
static char *date_add(const char *date, long days)
{
	long y = strtol(date, NULL, 10), m = strtol(date + 5, NULL, 10);
	long d = strtol(date + 8, NULL, 10);
	return civil_from_days(days_from_civil(y, m, d) + days);
}

static char *today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	char s[16];
	if (!localtime_r(&now, &tm) || !strftime(s, sizeof s, "%Y-%m-%d", &tm))
		return xstrdup("1970-01-01");
	return xstrdup(s);
}

/* --- the issue before ------------------------------------------------ */

/* The file of the issue before number (any number: the last), else the
 * first after it; NULL when there is none. */
static const struct issue_file *before(const struct issue_file *files, size_t count,
				       long number)
{
	const struct issue_file *f = count ? &files[0] : NULL;
	for (size_t i = 0; i < count; i++)
		if (!number || files[i].number < number)
			f = &files[i];
	return f;
}

/* Read the base issue's number, file and date. Returns 0, or an exit
 * status after reporting. */
static int read_base(const struct newsletter *n, const struct issue_file *files,
		     size_t count, long number, struct base *l)
{
	const struct issue_file *f = before(files, count, number);
	*l = (struct base){ 0, count ? (int)strlen(files[count - 1].stem) : 3, NULL, NULL, 1, 1 };
	if (!f)
		return 0;
	diag_list d = DIAG_LIST_INIT;
	int syserr = 0;
	struct issue *is = issue_load(n, f->path, &d, &syserr);
	l->number = f->number;
	l->path = f->path;
	const value *date = is ? value_getc(is->front, "date") : NULL;
	if (date && value_line(date))
		l->line = value_line(date), l->col = value_col(date);
	if (is && is->date && util_is_date(is->date))
		l->date = xstrdup(is->date);
	issue_free(is);
	if (syserr)
		diag_print(&d, stderr, diag_default_format(), diag_want_color(stderr));
	diag_release(&d);
	return syserr ? EXIT_SYSTEM : 0;
}

/* The new issue's date: given, or a week per issue after the base one's
 * (today for the first issue). NULL after reporting when there is no date
 * to count from. */
static char *new_date(const struct new_args *a, const struct base *l, long number)
{
	if (a->date)
		return xstrdup(a->date);
	if (!l->number)
		return today();
	if (l->date)
		return date_add(l->date, WEEK * (number - l->number));
	diag_list d = DIAG_LIST_INIT;
	diag_add(&d, DIAG_ERROR, l->path, l->line, l->col, "front-matter",
		 "no date to count the new issue's from; give --date YYYY-MM-DD");
	diag_print(&d, stderr, diag_default_format(), diag_want_color(stderr));
	diag_release(&d);
	return NULL;
}

/* --- the source ------------------------------------------------------ */

static value *new_context(const struct newsletter *n, long number, const char *date)
{
	value *ctx = value_map();
	value_map_lit(ctx, "newsletter", value_copy(n->settings));
	value *is = value_map_lit(ctx, "issue", value_map());
	value_map_lit(is, "number", value_number((double)number));
	value_map_lit(is, "date", value_cstring(date));
	value *list = value_map_lit(ctx, "sections", value_list());
	for (size_t i = 0; i < n->nsections; i++) {
		value *s = value_copy(n->sections[i].conf);
		value_list_push(list, render_section_value(s, &n->sections[i], i, n->nsections));
	}
	return ctx;
}

static int write_source(const struct newsletter *n, const char *path, long number,
			const char *date)
{
	struct renderer *r;
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	value *ctx = new_context(n, number, date);
	r = renderer_new(n);
	int rc = renderer_run(r, NEW_TEMPLATE, ctx, &out, &d) < 0 ? EXIT_CONTENT : EXIT_CLEAN;
	diag_print(&d, stderr, diag_default_format(), diag_want_color(stderr));
	if (rc == EXIT_CLEAN && fs_write_new(path, out.data, out.len) < 0) {
		if (errno == EEXIST)
			fprintf(stderr, "weekly new: '%s' already exists\n", path);
		else
			fprintf(stderr, "weekly: cannot write '%s': %s\n", path, strerror(errno));
		rc = errno == EEXIST ? EXIT_CONTENT : EXIT_SYSTEM;
	}
	if (rc == EXIT_CLEAN) {
		diag_say(stdout, "%s\n", path);
		fprintf(stderr, "next: write the items under its headings and run 'weekly check %ld'; "
			"when it is ready, delete the line 'draft: true' and run 'weekly build --all'\n",
			number);
	}
	renderer_free(r);
	value_free(ctx);
	buf_release(&out);
	diag_release(&d);
	return rc;
}

static int create(const struct newsletter *n, const struct new_args *a,
		  const struct issue_file *files, size_t count)
{
	struct base l;
	int rc = read_base(n, files, count, a->number, &l);
	if (rc)
		return rc;
	long number = a->number ? a->number : l.number + 1;
	const struct issue_file *taken = issue_files_find(files, count, number);
	char *date = taken ? NULL : new_date(a, &l, number);
	if (taken) {
		fprintf(stderr, "weekly new: issue %ld already exists: '%s'\n", number, taken->path);
		rc = EXIT_CONTENT;
	} else if (!date) {
		rc = EXIT_CONTENT;
	} else {
		char *name = xasprintf("issues/%0*ld.md", l.width, number);
		char *path = fs_join(n->root, name);
		rc = write_source(n, path, number, date);
		free(path);
		free(name);
	}
	free(date);
	free(l.date);
	return rc;
}

static int new_main(int argc, char **argv, struct newsletter *n)
{
	struct new_args a;
	struct issue_file *files = NULL;
	size_t count = 0;
	int rc = parse(argc, argv, &a);
	if (rc == 0 && issue_files_list(n, &files, &count) < 0) {
		fprintf(stderr, "weekly: cannot list issues: %s\n", strerror(errno));
		rc = EXIT_SYSTEM;
	} else if (rc == 0) {
		rc = create(n, &a, files, count);
	}
	issue_files_free(files, count);
	return rc;
}

const struct cmd cmd_new = {
	"new", new_main, "start the next issue's source", CMD_SETTINGS,
	"usage: weekly new [N] [--date YYYY-MM-DD]\n\n"
	"Create issues/NNN.md for issue N (default: the last issue's number + 1)\n"
	"marked draft: true, with every configured section as an empty heading,\n"
	"from templates/new.md.mustache. Prints the path it created, and on\n"
	"standard error the next step. Never replaces a file: an issue that\n"
	"exists already is an error (exit 1).\n",
	options, NULL
};
