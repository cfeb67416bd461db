/* cmd_import.c - `weekly import FILE.md|DIR...`: issues as published back
 * into their sources. What the templates add (intro, notes after sections,
 * closing sections) is found by rendering: a probe issue with every section
 * empty shows what the templates write around the items. The published
 * text the templates do not write goes into the source (the lead, the
 * sections, overrides of settings in the front matter); what cannot go
 * anywhere is left out, named, and the issue refused. The rebuilt issue is
 * then compared with the published text. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/cmd.h"
#include "weekly/fsutil.h"
#include "weekly/import.h"
#include "weekly/published.h"
#include "weekly/render.h"
#include "weekly/util.h"
#include "weekly/validate.h"


struct import_args {
	const char **inputs; /* files and folders, borrowed from argv */
	size_t ninputs;
	long number;        /* -n N, 0 when not given */
	const char *date;   /* --date, or NULL */
	const char *out;    /* -o FILE, "-" or NULL */
	int force;
};

enum { O_NUMBER = 1, O_DATE, O_OUT, O_FORCE };

static const struct option options[] = {
	{ "-n", "N", O_NUMBER, "the issue's number (one file only)", NULL },
	{ "--date", "D", O_DATE, "the issue's date, YYYY-MM-DD (one file only)", NULL },
	{ "-o", "FILE", O_OUT, "where to write (default: issues/NNN.md; - for standard\n"
	  "output; one file only)", NULL },
	{ "--force", NULL, O_FORCE, "replace a file that exists", NULL },
	{ NULL, NULL, 0, NULL, NULL }
};

static int option(void *ud, int key, const struct opts *o)
{
	struct import_args *a = ud;
	const char *v = o->val;
	switch (key) {
	case OPTS_ARG: a->inputs[a->ninputs++] = v; break;
	case O_DATE:
		a->date = v;
		if (!util_is_date(v))
			return cmd_usage_error("import", "--date takes a date YYYY-MM-DD, not '%s'", v);
		break;
	case O_NUMBER:
		a->number = opts_issue_arg(o);
		return a->number < 0 ? EXIT_USAGE : 0;
	case O_OUT: a->out = v; break;
	case O_FORCE: a->force = 1; break;
	}
	return 0;
}

static int parse(int argc, char **argv, struct import_args *a)
{
	*a = (struct import_args){ NULL, 0, 0, NULL, NULL, 0 };
	a->inputs = xcalloc((size_t)argc, sizeof *a->inputs);
	int rc = opts_parse("import", options, argc, argv, option, a);
	if (!rc && !a->ninputs)
		return cmd_usage_error("import", "which file? give the published issue's Markdown");
	return rc;
}


/* --- writing ------------------------------------------------------------ */

/* Where the source goes: -o FILE, the existing file of that number, or
 * issues/NNN.md named like the other issues. *exists tells whether the
 * issue is there already. NULL when the issues cannot be listed. */
static char *target(const struct newsletter *n, const struct import_args *a, long number,
		    int *exists)
{
	struct issue_file *files;
	size_t count;
	if (a->out) {
		*exists = strcmp(a->out, "-") != 0 && fs_exists(a->out);
		return xstrdup(a->out);
	}
	if (issue_files_list(n, &files, &count) < 0)
		return NULL;
	const struct issue_file *f = issue_files_find(files, count, number);
	int width = count ? (int)strlen(files[count - 1].stem) : 3;
	char *name = xasprintf("issues/%0*ld.md", width < 3 ? 3 : width, number);
	char *path = f ? xstrdup(f->path) : fs_join(n->root, name);
	*exists = f != NULL;
	free(name);
	issue_files_free(files, count);
	return path;
}

static int write_to(const char *path, const buf *b, int force)
{
	const char *data = b->data;
	if (strcmp(path, "-") == 0) {
		fwrite(data, 1, b->len, stdout); /* checked as standard output closes */
		return EXIT_CLEAN;
	}
	if ((force ? fs_write_atomic(path, data, b->len) : fs_write_new(path, data, b->len)) == 0) {
		diag_say(stdout, "%s\n", path);
		return EXIT_CLEAN;
	}
	if (errno == EEXIST) {
		diag_say(stderr, "weekly import: '%s' already exists; --force replaces it\n", path);
		return EXIT_CONTENT;
	}
	fprintf(stderr, "weekly: cannot write '%s': %s\n", path, strerror(errno));
	return EXIT_SYSTEM;
}

static int write_source(struct import *im, const struct import_args *a)
{
	int exists = 0;
	long number = a->number ? a->number : im->number;
	char *path = target(im->n, a, number, &exists);
	if (!path) {
		fprintf(stderr, "weekly: cannot list issues: %s\n", strerror(errno));
		return EXIT_SYSTEM;
	}
	int rc;
	if (exists && !a->force) {
		diag_say(stderr, "weekly import: '%s' already exists; --force replaces it\n", path);
		im->reason = xasprintf("'%s' already exists", path);
		rc = EXIT_CONTENT;
	} else {
		buf b = BUF_INIT;
		import_source(im, number, &b, NULL, NULL);
		rc = write_to(path, &b, a->force);
		buf_release(&b);
	}
	free(path);
	return rc;
}

/* --- one issue ---------------------------------------------------------- */

/* The issues a run has written so far: a second file with the same number
 * (an archive that numbered two issues alike) is refused, not written
 * over the first. */
struct written {
	long *number;
	const char **file;
	size_t len;
};

/* An issue number that another file of the run took is an error at the
 * head. Returns -1 then. */
static int unclaimed(struct import *im, const struct written *w)
{
	for (size_t i = 0; i < w->len; i++)
		if (w->number[i] == im->number) {
			import_say(im, DIAG_ERROR, im->head.end ? im->head.end - 1 : 0, "issue %ld is "
			    "also '%s', written in this run; import this one alone with -n N", im->number,
			    w->file[i]);
			return -1;
		}
	return 0;
}

/* Number and date: -n and --date, else the head's, else the file name's
 * date. Returns -1 after an error when one is missing. */
static int identify(struct import *im, const struct import_args *a)
{
	int rc = pub_head(&im->pub, &im->head, &im->d);
	if (rc < 0)
		return -1;
	im->number = im->head.number ? im->head.number : a->number;
	im->date = a->date ? xstrdup(a->date) : im->head.date ? xstrdup(im->head.date)
						: pub_file_date(im->pub.path);
	if (!im->number)
		import_say(im, DIAG_ERROR, im->head.end ? im->head.end - 1 : 0, "%s",
		    rc ? "the title has no issue number ('NAME #N: TITLE'); give it with -n N"
		       : "expected a title line 'NAME #N: TITLE (YYYY-MM-DD)' or front matter "
			 "with a title; or give the number with -n N");
	else if (!im->date)
		import_say(im, DIAG_ERROR, im->head.end ? im->head.end - 1 : 0, "%s",
		    "no date in the title, the front matter or the file name "
		    "(YYYY-MM-DD-….md); give it with --date YYYY-MM-DD");
	return im->number && im->date ? 0 : -1;
}

/* The published text's chunks; -1 after saying why when it has no
 * section to import. */
static int sectioned(struct import *im)
{
	import_chunks(&im->pub, im->n, &im->pc);
	if (im->pc.len > 1)
		return 0;
	if (import_titles_shape(&im->pub)) {
		im->titles_only = 1;
		return 0;
	}
	size_t items = 0;
	for (size_t i = 0; i < im->pub.src.nlines; i++)
		items += import_item_like(&im->pub, i);
	char *why = items ? xasprintf("%zu items but no section heading ('## TITLE') to put them under",
				    items)
		: xstrdup("no section heading ('## TITLE') and no items");
	import_left_out(im, 0, why);
	free(why);
	return -1;
}

/* "line L: message" of d's first error, after prefix; NULL when none. */
static char *first_error(const diag_list *d, const char *prefix)
{
	for (size_t i = 0; i < d->len; i++)
		if (d->items[i].severity == DIAG_ERROR)
			return xasprintf("%sline %d: %s", prefix, d->items[i].line, d->items[i].message);
	return NULL;
}

/* Import one published file. *why learns why it was refused or what its
 * source has to fix (the caller frees it); w, the run's sources written so
 * far, learns this one when it is written. */
static int import_file(const struct newsletter *n, struct renderer *r,
		       const struct import_args *a, const char *file, struct written *w, char **why)
{
	char *text;
	size_t len;
	*why = NULL;
	if (fs_read(file, &text, &len) < 0) {
		fprintf(stderr, "weekly: cannot read '%s': %s\n", file, strerror(errno));
		*why = xasprintf("cannot read it: %s", strerror(errno));
		return EXIT_SYSTEM;
	}
	struct import im = { .n = n, .r = r, .d = DIAG_LIST_INIT };
	doc_init(&im.pub, file, text, len);
	free(text);
	int rc = sectioned(&im) == 0 && identify(&im, a) == 0 && unclaimed(&im, w) == 0 &&
		(im.titles_only ? import_place_titles(&im) : import_place(&im)) == 0 ? EXIT_CLEAN
									       : EXIT_CONTENT;
	size_t errors = im.d.errors;
	diag_sort(&im.d);
	diag_print(&im.d, stderr, diag_default_format(), diag_want_color(stderr));
	if (im.left_out)
		rc = EXIT_CONTENT;
	if (rc == EXIT_CLEAN) {
		rc = write_source(&im, a);
		if (rc == EXIT_CLEAN) {
			w->number[w->len] = im.number;
			w->file[w->len++] = file;
		}
		if (rc == EXIT_CLEAN && errors)
			rc = EXIT_CONTENT;
		if (!im.reason && errors)
			im.reason = first_error(&im.d, "");
	} else if (!im.reason) {
		im.reason = first_error(&im.d, "");
	}
	*why = rc == EXIT_CLEAN ? NULL : im.reason ? xstrdup(im.reason) : NULL;
	if (im.left_out > 1)
		diag_say(stderr, "weekly import: %s: %zu parts left out; nothing written\n", file,
			 im.left_out);
	else if (im.left_out)
		diag_say(stderr, "weekly import: %s: a part left out; nothing written\n", file);
	import_release(&im);
	return rc;
}

/* --- the command -------------------------------------------------------- */

static int markdown_file(const char *name)
{
	return name[0] != '.' && util_ends_with(name, strlen(name), ".md");
}

/* The files an input names: itself, or a folder's *.md files in order. */
static int expand(const char *input, char ***files, size_t *n, size_t *cap)
{
	if (!fs_is_dir(input)) {
		xgrow((void **)files, cap, *n + 1, sizeof(char *));
		(*files)[(*n)++] = xstrdup(input);
		return 0;
	}
	char **names;
	long k = fs_names(input, markdown_file, &names);
	if (k < 0) {
		fprintf(stderr, "weekly: cannot read '%s': %s\n", input, strerror(errno));
		return -1;
	}
	xgrow((void **)files, cap, *n + (size_t)k, sizeof(char *));
	for (long i = 0; i < k; i++)
		(*files)[(*n)++] = fs_join(input, names[i]);
	fs_names_free(names, k);
	return 0;
}

/* Files and why, as a run's summary names them. */
struct named {
	char **at;
	size_t len;
};

static void name_file(struct named *l, const char *file, const char *why)
{
	l->at[l->len++] = xasprintf("%s (%s)", file, why ? why : "errors above");
}

/* Print the list (when out) and free it. */
static void put_named(const struct named *l, FILE *out)
{
	for (size_t i = 0; i < l->len; i++) {
		if (out)
			diag_say(out, "%s%s", i ? "; " : ": ", l->at[i]);
		free(l->at[i]);
	}
	free(l->at);
}

/* One line for a run over several files, three counts that add up to
 * the files: imported clean, written with errors to fix (each named), and
 * refused (each with its reason). */
static void summary(size_t imported, struct named *tofix, struct named *refused)
{
	fprintf(stderr, "imported %zu", imported);
	if (tofix->len)
		fprintf(stderr, ", %zu written with errors to fix", tofix->len);
	put_named(tofix, tofix->len ? stderr : NULL);
	fprintf(stderr, ", refused %zu", refused->len);
	put_named(refused, stderr);
	fputc('\n', stderr);
}

static int import_all(const struct newsletter *n, const struct import_args *a, char **files,
		      size_t nfiles)
{
	struct renderer *r;
	struct named tofix = { xcalloc(nfiles + 1, sizeof(char *)), 0 };
	struct named refused = { xcalloc(nfiles + 1, sizeof(char *)), 0 };
	struct written w = { xcalloc(nfiles, sizeof(long)), xcalloc(nfiles, sizeof(char *)), 0 };
	int rc = EXIT_CLEAN;
	r = renderer_new(n);
	for (size_t i = 0; i < nfiles; i++) {
		char *why;
		size_t before = w.len;
		int one = import_file(n, r, a, files[i], &w, &why);
		if (one != EXIT_CLEAN)
			name_file(w.len > before ? &tofix : &refused, files[i], why);
		free(why);
		rc = one > rc ? one : rc;
	}
	if (nfiles > 1) {
		summary(w.len - tofix.len, &tofix, &refused);
	} else {  /* one file: its messages said it all */
		put_named(&tofix, NULL);
		put_named(&refused, NULL);
	}
	renderer_free(r);
	free(w.number);
	free(w.file);
	return rc;
}

static int import_main(int argc, char **argv, struct newsletter *n)
{
	struct import_args a;
	int rc = parse(argc, argv, &a);
	char **files = NULL;
	size_t nfiles = 0, cap = 0;
	for (size_t i = 0; rc == 0 && i < a.ninputs; i++)
		if (expand(a.inputs[i], &files, &nfiles, &cap) < 0)
			rc = EXIT_SYSTEM;
	if (rc == 0 && nfiles != 1 && (a.number || a.out || a.date))
		rc = cmd_usage_error("import", "-n, -o and --date take one file; %zu given", nfiles);
	if (rc == 0)
		rc = import_all(n, &a, files, nfiles);
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	free(a.inputs);
	return rc;
}

const struct cmd cmd_import = {
	"import", import_main, "turn published issues back into source files", CMD_SETTINGS,
	"usage: weekly import FILE.md|DIR... [-n N] [--date YYYY-MM-DD] [-o FILE|-]\n"
	"                     [--force]\n\n"
	"Read issues as published (the Markdown `weekly build -f md` writes, or an\n"
	"archive's) and write their sources: number, date and title from the title\n"
	"line ('NAME #N: TITLE (YYYY-MM-DD)', with or without '#', ':' or '：') or\n"
	"the front matter (title, pubDate or date), the date else from the file\n"
	"name (2024-03-09-weekly.md); sections and items verbatim (link headings\n"
	"name their section, '1、' items as the settings' item_marker writes them\n"
	"become '1.', the others keep their marker, a near miss of a configured\n"
	"section is imported as it, with a warning). What the templates add\n"
	"stays out; where the published text differs from it, the difference\n"
	"goes into the source (overrides in the front matter, the lead). The\n"
	"source is then built, checked and compared with the published text;\n"
	"what comes back differently is a warning at FILE:LINE.\n\n"
	"A published teaser (titles numbered ①, ②… under bold headings, no link\n"
	"per item) becomes an issue of 'titles_only: true', each title an item.\n"
	"A part the source cannot hold (a section the settings lack, text the\n"
	"templates write otherwise, fewer items) is an error at its\n"
	"line, and nothing is written for that issue. A folder's *.md files or\n"
	"several files import in one run with one summary line, its counts adding\n"
	"up to the files: 'imported N, K written with errors to fix: FILE (why),\n"
	"refused M: FILE (why)'. A file whose issue number another file of the\n"
	"run was written as is refused (import it alone with -n N).\n",
	options,
	"Exit status: 0 every issue written, nothing left out; 1 a part left out\n"
	"(that issue not written), the file exists, or a source written with\n"
	"errors to fix; 2 usage; 3 a file that cannot be read or written.\n"
};

