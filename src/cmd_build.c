/* cmd_build.c - `weekly build`: check issues and write their outputs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/cmd.h"
#include "weekly/fsutil.h"
#include "weekly/render.h"
#include "weekly/util.h"
#include "weekly/validate.h"

#define MAX_FORMATS 8

struct build {
	struct newsletter n;
	struct renderer r;
	const struct format *formats[MAX_FORMATS];
	size_t nformats;
	const char *out;   /* -o FILE, "-" for standard output, or NULL */
	char *outdir;      /* root/build */
	diag_format dfmt;
	int color;
};

static int usage(const char *msg, const char *arg)
{
	fprintf(stderr, "weekly build: ");
	fprintf(stderr, msg, arg);
	fputc('\n', stderr);
	cmd_usage("build", stderr);
	return EXIT_USAGE;
}

static void report(struct build *b, diag_list *d)
{
	diag_sort(d);
	diag_print(d, stderr, b->dfmt, b->color);
}

static int write_stdout(const buf *out)
{
	if (fwrite(out->data, 1, out->len, stdout) != out->len || fflush(stdout) != 0) {
		fprintf(stderr, "weekly: cannot write to standard output: %s\n", strerror(errno));
		return EXIT_SYSTEM;
	}
	return EXIT_CLEAN;
}

/* All outputs of an issue change together or not at all. */
static int write_outputs(struct build *b, const struct issue_file *f, buf *outs)
{
	if (b->out && strcmp(b->out, "-") == 0)
		return write_stdout(&outs[0]);
	if (b->out) {
		if (fs_write_atomic(b->out, outs[0].data, outs[0].len) == 0)
			return EXIT_CLEAN;
		fprintf(stderr, "weekly: cannot write '%s': %s\n", b->out, strerror(errno));
		return EXIT_SYSTEM;
	}
	char *paths[MAX_FORMATS] = { 0 }, *tmps[MAX_FORMATS] = { 0 };
	int rc = EXIT_CLEAN;
	if (fs_mkdirs(b->outdir) < 0) {
		fprintf(stderr, "weekly: cannot create '%s': %s\n", b->outdir, strerror(errno));
		return EXIT_SYSTEM;
	}
	for (size_t i = 0; i < b->nformats && rc == EXIT_CLEAN; i++) {
		char *name = xasprintf("%s%s", f->stem, b->formats[i]->ext);
		paths[i] = fs_join(b->outdir, name);
		free(name);
		tmps[i] = fs_stage(paths[i], outs[i].data, outs[i].len);
		if (!tmps[i]) {
			fprintf(stderr, "weekly: cannot write '%s': %s\n", paths[i], strerror(errno));
			rc = EXIT_SYSTEM;
		}
	}
	for (size_t i = 0; i < b->nformats; i++) {
		if (tmps[i] && rc == EXIT_CLEAN && fs_commit(tmps[i], paths[i]) < 0) {
			fprintf(stderr, "weekly: cannot write '%s': %s\n", paths[i], strerror(errno));
			rc = EXIT_SYSTEM;
		} else if (tmps[i] && rc != EXIT_CLEAN) {
			fs_discard(tmps[i]);
		}
		free(tmps[i]);
		free(paths[i]);
	}
	return rc;
}

static int render_all(struct build *b, const struct issue *is, buf *outs, diag_list *d)
{
	value *ctx = render_context(&b->n, is);
	int rc = 0;
	for (size_t i = 0; i < b->nformats && rc == 0; i++)
		rc = renderer_run(&b->r, b->formats[i]->template, ctx, &outs[i], d);
	value_free(ctx);
	return rc;
}

static int build_one(struct build *b, const struct issue_file *f)
{
	diag_list d = DIAG_LIST_INIT;
	int syserr = 0, rc;
	struct issue *is = issue_load(&b->n, f->path, &d, &syserr);
	if (is)
		validate_issue(&b->n, is, f->number, &d);
	buf outs[MAX_FORMATS] = { 0 };
	if (syserr)
		rc = EXIT_SYSTEM;
	else if (d.errors || render_all(b, is, outs, &d) < 0 || d.errors)
		rc = EXIT_CONTENT;
	else
		rc = EXIT_CLEAN;
	report(b, &d);
	if (rc == EXIT_CLEAN)
		rc = write_outputs(b, f, outs);
	for (size_t i = 0; i < b->nformats; i++)
		buf_release(&outs[i]);
	issue_free(is);
	diag_release(&d);
	return rc;
}

static int add_format(struct build *b, const char *name)
{
	const struct format *f = render_format(name);
	if (!f)
		return usage("unknown format '%s'", name);
	if (b->nformats < MAX_FORMATS)
		b->formats[b->nformats++] = f;
	return 0;
}

/* Numbers go to nums (allocated by the caller, argc long). */
static int parse_args(struct build *b, int argc, char **argv, long *nums,
		      size_t *nnums, int *all)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		char *end;
		if (strcmp(a, "--all") == 0)
			*all = 1;
		else if ((strcmp(a, "-f") == 0 || strcmp(a, "-o") == 0) && i + 1 == argc)
			return usage("option '%s' needs a value", a);
		else if (strcmp(a, "-f") == 0) {
			if (add_format(b, argv[++i]))
				return EXIT_USAGE;
		} else if (strcmp(a, "-o") == 0)
			b->out = argv[++i];
		else if (a[0] != '-' && (nums[*nnums] = strtol(a, &end, 10)) > 0 && !*end)
			(*nnums)++;
		else
			return usage("unexpected argument '%s'", a);
	}
	if (!*all && !*nnums)
		return usage("%s", "which issues? give numbers or --all");
	if (b->out && (*all || *nnums != 1 || b->nformats != 1))
		return usage("%s", "-o needs exactly one issue and one format (-f)");
	for (size_t i = 0; !b->nformats && i < RENDER_DEFAULT_FORMATS; i++)
		b->formats[i] = &render_formats[i];
	if (!b->nformats)
		b->nformats = RENDER_DEFAULT_FORMATS;
	return 0;
}

static const struct issue_file *find_file(const struct issue_file *files, size_t n, long num)
{
	for (size_t i = 0; i < n; i++)
		if (files[i].number == num)
			return &files[i];
	return NULL;
}

static int build_list(struct build *b, long *nums, size_t nnums, int all)
{
	struct issue_file *files;
	size_t nfiles;
	if (issue_files_list(&b->n, &files, &nfiles) < 0) {
		fprintf(stderr, "weekly: cannot list issues: %s\n", strerror(errno));
		return EXIT_SYSTEM;
	}
	int rc = EXIT_CLEAN;
	size_t count = all ? nfiles : nnums;
	for (size_t i = 0; i < count; i++) {
		const struct issue_file *f = all ? &files[i] : find_file(files, nfiles, nums[i]);
		int r;
		if (!f) {
			fprintf(stderr, "weekly: no issue %ld in %s/issues\n", nums[i], b->n.root);
			r = EXIT_CONTENT;
		} else {
			r = build_one(b, f);
		}
		if (r > rc)
			rc = r;
	}
	issue_files_free(files, nfiles);
	return rc;
}

int cmd_build(int argc, char **argv)
{
	struct build b = { .dfmt = diag_default_format(), .color = diag_want_color(stderr) };
	long *nums = xcalloc((size_t)argc, sizeof(long));
	size_t nnums = 0;
	int all = 0;
	int rc = parse_args(&b, argc, argv, nums, &nnums, &all);
	if (rc) {
		free(nums);
		return rc;
	}
	diag_list d = DIAG_LIST_INIT;
	if (newsletter_load(".", &b.n, &d) < 0) {
		report(&b, &d);
		rc = b.n.root ? EXIT_CONTENT : EXIT_SYSTEM;
	} else {
		b.outdir = fs_join(b.n.root, "build");
		renderer_init(&b.r, &b.n);
		rc = build_list(&b, nums, nnums, all);
		renderer_release(&b.r);
		free(b.outdir);
	}
	newsletter_release(&b.n);
	diag_release(&d);
	free(nums);
	return rc;
}
