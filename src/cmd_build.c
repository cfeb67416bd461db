/* cmd_build.c - `weekly build`: check issues and write their outputs; with
 * --all also the archive page and the feed. Only what changed is rendered. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/arena.h"
#include "weekly/cmd.h"
#include "weekly/digest.h"
#include "weekly/fsutil.h"
#include "weekly/index.h"
#include "weekly/pool.h"
#include "weekly/post.h"
#include "weekly/search.h"
#include "weekly/stash.h"
#include "weekly/util.h"
#include "weekly/validate.h"
#include "build.h"

#define MAX_WORKERS POOL_MAX_WORKERS

/* --- planning: what is out of date ------------------------------------------ */

static void add_job(struct build *b, size_t i, unsigned stale, int feed, size_t *cap)
{
	xgrow((void **)&b->jobs, cap, b->njobs + 1, sizeof *b->jobs);
	b->jobs[b->njobs++] = (struct job){ .issue = i, .stale = stale, .feed = feed };
}

static unsigned stale_formats(struct build *b, size_t i)
{
	unsigned stale = 0;
	for (size_t f = 0; f < b->nformats; f++) {
		char *name = build_output_name(b, i, f);
		uint64_t key = archive_issue_key(&b->a, i, b->tmpl[f], b->formats[f]->ext);
		if (b->force || b->a.issues[i].unreadable || !archive_fresh(&b->a, name, key))
			stale |= 1u << f;
		free(name);
	}
	return stale;
}

/* With --all an issue listed in the index is read even when its outputs
 * are up to date if its counts or its search cache are not known. An
 * issue that failed in this run is not tried again. */
static void plan_issue(struct build *b, size_t i, size_t *cap)
{
	const struct archive_issue *is = &b->a.issues[i];
	b->marks[i].wanted = 1;
	if (b->marks[i].failed)
		return;
	unsigned stale = stale_formats(b, i);
	if (stale || (b->all && is->listed &&
		      (!is->counts || (b->search && !b->check && search_stale(&b->a, i)))))
		add_job(b, i, stale, 0, cap);
}

/* Whether a feed is out of date: then the newest issues' entries are
 * wanted. */
static int feed_stale(struct build *b, size_t nnewest)
{
	int stale = 0;
	for (size_t f = 0; f < NFEEDS; f++) {
		/* no template, or no issue yet: no feed */
		uint64_t digest = nnewest ? archive_template_digest(b->tdir, build_feed_templates[f]) : 0;
		b->feed_key[f] = digest ? archive_feed_key(&b->a, digest) : 0;
		stale |= digest && (b->force || !archive_fresh(&b->a, build_feed_names[f], b->feed_key[f]));
	}
	return stale;
}

/* The entry of issue i as an earlier round kept it, else an empty one. */
static struct feed_entry kept_entry(struct feed_entry *old, size_t nold, size_t i)
{
	for (size_t k = 0; k < nold; k++)
		if (old[k].issue == i && old[k].ready) {
			struct feed_entry e = old[k];
			old[k].packed = (buf)BUF_INIT;
			return e;
		}
	return (struct feed_entry){ .issue = i, .at = -1, .packed = BUF_INIT };
}

/* The feeds take their entries from the jobs of the newest issues (after
 * the issues are planned): one that has nothing else to build gets a job
 * for its entry alone. Entries an earlier round handed over are kept. */
static void plan_feed(struct build *b, size_t *cap)
{
	size_t n, *newest = archive_newest(&b->a, ARCHIVE_FEED_SIZE, &n);
	struct feed_entry old[ARCHIVE_FEED_SIZE];
	size_t nold = b->nentries;
	memcpy(old, b->entries, nold * sizeof *old);
	b->feed_stale = feed_stale(b, n);
	b->nentries = b->feed_stale ? n : 0;
	for (size_t k = 0; k < b->nentries; k++)
		b->entries[k] = kept_entry(old, nold, newest[k]);
	for (size_t k = 0; k < nold; k++)
		buf_release(&old[k].packed);
	for (size_t k = 0; k < b->nentries; k++) {
		size_t j = 0;
		while (j < b->njobs && b->jobs[j].issue != newest[k])
			j++;
		int feed = b->entries[k].ready ? 0 : (int)k + 1;
		if (j < b->njobs)
			b->jobs[j].feed = feed;
		else if (feed && !b->marks[newest[k]].failed)
			add_job(b, newest[k], 0, feed, cap);
	}
	free(newest);
}

static void plan(struct build *b, const long *nums, size_t nnums)
{
	/* room for every job at once: a plan does not grow by doubling */
	size_t cap = (b->all ? b->a.len : nnums) + ARCHIVE_FEED_SIZE;
	b->jobs = xrealloc(b->jobs, cap * sizeof *b->jobs);
	b->round++;
	b->njobs = 0;
	for (size_t i = 0; b->all && i < b->a.len; i++)
		if (b->drafts || !b->a.issues[i].draft)
			plan_issue(b, i, &cap);
	for (size_t k = 0; k < nnums; k++) {
		long i = archive_number(&b->a, nums[k]);
		if (i >= 0) {
			plan_issue(b, (size_t)i, &cap);
			continue;
		}
		if (b->round == 1)
			fprintf(stderr, "weekly: no issue %ld in %s/issues\n", nums[k], b->n->root);
		build_worse(b, EXIT_CONTENT);
	}
	if (b->all) /* again in a later round: the issues it lists changed */
		plan_feed(b, &cap);
}

/* --- one issue to a file or standard output (-o) ----------------------------- */

static int write_to(const char *out, const buf *data)
{
	const char *s = data->data;
	if (strcmp(out, "-") != 0) {
		if (fs_write_atomic(out, s, data->len) == 0)
			return EXIT_CLEAN;
		fprintf(stderr, "weekly: cannot write '%s': %s\n", out, strerror(errno));
		return EXIT_SYSTEM;
	}
	fwrite(s, 1, data->len, stdout); /* checked as standard output closes */
	return EXIT_CLEAN;
}

static int build_to(struct build *b, long num)
{
	long i = archive_number(&b->a, num);
	if (i < 0) {
		fprintf(stderr, "weekly: no issue %ld in %s/issues\n", num, b->n->root);
		return EXIT_CONTENT;
	}
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	int rc;
	struct issue *is = build_load_checked(b, (size_t)i, &d, &rc);
	if (is && build_render_issue(b, (size_t)i, 1, is, &out, NULL, &d) < 0)
		rc = EXIT_CONTENT;
	build_report(b, &d);
	if (rc == EXIT_CLEAN)
		rc = write_to(b->out, &out);
	issue_free(is);
	diag_release(&d);
	buf_release(&out);
	return rc;
}

/* --- the command ------------------------------------------------------------- */

static int add_format(struct build *b, const char *name)
{
	if (strcmp(name, "post") == 0)
		return b->post = 1, 0;
	const struct format *f = render_format(name);
	if (!f)
		return cmd_usage_error("build", "unknown format '%s'", name);
	for (size_t i = 0; i < b->nformats; i++)
		if (b->formats[i] == f)
			return 0;
	if (b->nformats < MAX_FORMATS)
		b->formats[b->nformats++] = f;
	return 0;
}

static int parse_jobs(struct build *b, const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (*end || n < 1 || n > MAX_WORKERS)
		return cmd_usage_error("build", "-j wants a number of processes from 1 to 8, not '%s'", s);
	b->workers = (int)n;
	return 0;
}

static int add_channel(struct build *b, const char *name)
{
	if (!post_is_channel(name))
		return cmd_usage_error("build", "unknown channel '%s' (" POST_CHANNELS ")", name);
	if (b->nchannels < MAX_FORMATS)
		b->channels[b->nchannels++] = name;
	return 0;
}

/* -f post --channel NAME: the channel's format, as -f NAME. */
static int channel_formats(struct build *b)
{
	if (b->post && !b->nchannels)
		return cmd_usage_error("build", "-f post needs --channel " POST_CHANNELS);
	if (!b->post && b->nchannels)
		return cmd_usage_error("build", "--channel goes with -f post");
	for (size_t i = 0; i < b->nchannels; i++)
		add_format(b, b->channels[i]);
	return 0;
}

static int check_args(struct build *b, size_t nnums)
{
	if (!b->all && !nnums)
		return cmd_usage_error("build", "which issues? give numbers or --all");
	if (channel_formats(b))
		return EXIT_USAGE;
	if (b->out && (b->all || nnums != 1 || b->nformats != 1))
		return cmd_usage_error("build", "-o needs exactly one issue and one format (-f)");
	if (b->out && b->check)
		return cmd_usage_error("build", "--check compares build/ with the sources: not with -o");
	for (size_t i = 0; !b->nformats && i < RENDER_DEFAULT_FORMATS; i++)
		b->formats[i] = &render_formats[i];
	if (!b->nformats)
		b->nformats = RENDER_DEFAULT_FORMATS;
	return 0;
}

enum { O_ALL = 1, O_FORMAT, O_CHANNEL, O_OUT, O_DRAFTS, O_FORCE, O_CHECK, O_VERBOSE, O_QUIET,
       O_JOBS };

static const struct option options[] = {
	{ "-f", "FORMAT", O_FORMAT, "write only this format: md, html, teaser (titles only,\n"
	  "build/NNN.teaser.md), email (HTML for mail clients,\n"
	  "build/NNN.email.html), text (plain text wrapped at 72\n"
	  "columns, build/NNN.txt), eml (the email message, text\n"
	  "and HTML, build/NNN.eml; email.from in the settings),\n"
	  "post (a channel's post, build/NNN.CHANNEL.txt, with\n"
	  "--channel; one over the platform's limit is a warning)", NULL },
	{ "--channel", "NAME", O_CHANNEL, "the channel of -f post: telegram, mastodon or bluesky\n"
	  "(-f NAME is the same)", NULL },
	{ "-o", "FILE", O_OUT, "write to FILE, or standard output with -; one issue,\n"
	  "one format", NULL },
	{ "--all", NULL, O_ALL, "every issue but drafts, and the archive page\n"
	  "(build/index.html), the Atom feed of the newest 20 issues\n"
	  "(build/feed.xml), search over every item\n"
	  "(build/search.html, build/search/), seasons and topics\n"
	  "(build/season-N.html, build/topics/)", NULL },
	{ "--drafts", NULL, O_DRAFTS, "with --all, drafts too (draft: true); never in index or feed",
	  NULL },
	{ "--force", NULL, O_FORCE, "render everything again, changed or not", NULL },
	{ "--check", NULL, O_CHECK, "write nothing; list the outputs that are out of date, those\n"
	  "--all would remove and leftover temporary files, and exit 1\n"
	  "if there are any", NULL },
	{ "-v", NULL, O_VERBOSE, "list each output written (and removed)", "--verbose" },
	{ "-q", NULL, O_QUIET, "no summary line (\"built 3 issues, 6 files\")", "--quiet" },
	{ "-j", "N", O_JOBS, "render in N processes (default: one per processor for 16\n"
	  "issues or more, or WEEKLY_WORKERS)", NULL },
	{ NULL, NULL, 0, NULL, NULL }
};

/* The command line's issues go to nums (argc long). */
struct args {
	struct build *b;
	long *nums;
	size_t nnums;
};

static int option(void *ud, int key, const struct opts *o)
{
	struct args *a = ud;
	struct build *b = a->b;
	switch (key) {
	case OPTS_ARG: return opts_add_issue(o, a->nums, &a->nnums);
	case O_FORMAT: return add_format(b, o->val);
	case O_CHANNEL: return add_channel(b, o->val);
	case O_JOBS: return parse_jobs(b, o->val);
	case O_OUT: b->out = o->val; break;
	case O_ALL: b->all = 1; break;
	case O_DRAFTS: b->drafts = 1; break;
	case O_FORCE: b->force = 1; break;
	case O_CHECK: b->check = 1; break;
	case O_VERBOSE: b->verbose = 1; break;
	case O_QUIET: b->quiet = 1; break;
	}
	return 0;
}

static int parse_args(struct build *b, int argc, char **argv, long *nums, size_t *nnums)
{
	struct args a = { b, nums, 0 };
	int rc = opts_parse("build", options, argc, argv, option, &a);
	*nnums = a.nnums;
	return rc ? rc : check_args(b, a.nnums);
}

/* Template digests, the shared context and the renderer are made once,
 * before any worker process starts, which then inherits them. */
/* A digest of what format f's outputs are rendered from: its template,
 * the partials it includes and the templates it uses. */
static uint64_t format_digest(const char *tdir, const struct format *f)
{
	uint64_t h = archive_template_digest(tdir, f->template);
	for (size_t i = 0; i < sizeof f->uses / sizeof *f->uses && f->uses[i]; i++) {
		uint64_t used = archive_template_digest(tdir, f->uses[i]);
		h = digest_bytes(&used, sizeof used, h);
	}
	return h;
}

static void prepare(struct build *b)
{
	b->tdir = fs_join(b->n->root, "templates");
	diag_list d = DIAG_LIST_INIT;
	if (editions_load(b->n, &b->editions, &d) < 0)
		build_worse(b, EXIT_CONTENT);
	build_report(b, &d);
	diag_release(&d);
	for (size_t f = 0; f < b->nformats; f++) /* pages change with the editions */
		b->tmpl[f] = editions_digest(&b->editions, format_digest(b->tdir, b->formats[f]));
	render_shared_init(&b->shared, b->n);
	b->base = archive_base_url(b->shared.newsletter);
	b->r = renderer_new(b->n);
	for (size_t f = 0; f < b->nformats; f++)
		b->parts |= renderer_parts(b->r, b->formats[f]->template);
	for (size_t f = 0; f < NFEEDS && b->all; f++) /* the feeds take the issues' contexts */
		if (archive_template_digest(b->tdir, build_feed_templates[f]))
			b->parts |= renderer_parts(b->r, build_feed_templates[f]);
	b->search = b->all && value_truthy(value_getc(b->n->settings, "search")) &&
		archive_template_digest(b->tdir, SEARCH_TEMPLATE) != 0;
	/* the jobs hand over what the topics and the seasons take of their issues */
	b->hand_topics = b->all && value_getc(b->n->settings, "topics") != NULL;
	b->topics = b->hand_topics ? topics_marks_new(b->n) : NULL;
	b->hand_seasons = b->all && value_getc(b->n->settings, "seasons") != NULL;
	b->season_parts = value_getc(b->n->settings, "seasons") ? seasons_parts(b->r, b->tdir)
		: RENDER_ALL;
}

static void finish(struct build *b)
{
	if (b->check || b->dir_failed || !b->a.dirty)
		return;
	if (archive_save(&b->a) == 0)
		return;
	char *path = index_path(b->n->root);
	fprintf(stderr, "weekly: cannot write the archive index '%s': %s\n", path, strerror(errno));
	free(path);
	build_worse(b, EXIT_SYSTEM);
}

/* "built 3 issues, 6 files", and how many issues failed. */
static void summary(const struct build *b)
{
	if (b->quiet || b->check)
		return;
	fprintf(stderr, "built %zu issue%s, %zu file%s", b->built, b->built == 1 ? "" : "s",
		b->written, b->written == 1 ? "" : "s");
	if (b->removed)
		fprintf(stderr, ", %zu removed", b->removed);
	if (b->failed)
		fprintf(stderr, "; %zu issue%s failed", b->failed, b->failed == 1 ? "" : "s");
	fputc('\n', stderr);
}

/* Every template and partial compiles, as check finds them: with errors
 * nothing is built. They compile here, before any worker starts: workers
 * inherit them. (Settings with errors stopped the command earlier.) */
static int templates_ok(struct build *b)
{
	diag_list d = DIAG_LIST_INIT;
	renderer_compile(b->r, &d);
	build_report(b, &d);
	int ok = d.errors == 0;
	diag_release(&d);
	return ok;
}

/* Build everything asked for into build/. */
static void build_all(struct build *b, const long *nums, size_t nnums)
{
	build_leftovers(b);
	for (size_t i = 1; i < b->a.len; i++) /* a second file for a number fails */
		if (b->a.issues[i].number == b->a.issues[i - 1].number)
			archive_set_result(&b->a, i, 1, NULL);
	/* an issue that failed, or built again, changes its neighbours' links */
	do {
		b->relisted = 0;
		plan(b, nums, nnums);
		build_run_jobs(b);
	} while (b->relisted && b->round < 3);
	if (b->all) {
		build_pages(b);
		build_remove_stale(b);
	}
	finish(b);
	summary(b);
	if (b->check && b->listed)
		build_worse(b, EXIT_CONTENT);
}

/* With --all, the archive as a whole is checked too: its errors fail the
 * run (and leave the archive page and feed alone). */
static void whole_archive(struct build *b)
{
	diag_list d = DIAG_LIST_INIT;
	validate_archive(b->n, &b->a, &d);
	build_report(b, &d);
	if (d.errors) {
		build_worse(b, EXIT_CONTENT);
		b->held = 1;
	}
	diag_release(&d);
}

static int run(struct build *b, const long *nums, size_t nnums)
{
	if (archive_open_some(&b->a, b->n, b->all ? NULL : nums, nnums,
			      b->check ? ARCHIVE_LOOK : 0) < 0) {
		fprintf(stderr, "weekly: cannot list issues: %s\n", strerror(errno));
		return EXIT_SYSTEM;
	}
	prepare(b);
	b->marks = xcalloc(b->a.len ? b->a.len : 1, sizeof *b->marks);
	b->handed = xcalloc(b->a.len ? b->a.len : 1, sizeof *b->handed);
	if (b->all) { /* for the archive's pages */
		b->spill = stash_open();
		b->bulk = stash_open();
	}
	if (b->all)
		whole_archive(b);
	if (!templates_ok(b))
		b->rc = EXIT_CONTENT;
	else if (b->out)
		b->rc = build_to(b, nums[0]);
	else
		build_all(b, nums, nnums);
	renderer_free(b->r);
	for (size_t k = 0; k < b->nentries; k++)
		buf_release(&b->entries[k].packed);
	render_shared_release(&b->shared);
	topics_marks_free(b->topics);
	editions_release(&b->editions);
	seasons_release(&b->seasons);
	arena_release(&b->values);
	free(b->tdir);
	free(b->base);
	free(b->jobs);
	free(b->marks);
	free(b->handed);
	build_spill_close(b);
	archive_release(&b->a);
	return b->rc;
}

static int build_main(int argc, char **argv, struct newsletter *n)
{
	struct build b = { .n = n, .dfmt = diag_default_format(),
			   .color = diag_want_color(stderr) };
	long *nums = xcalloc((size_t)argc, sizeof(long));
	size_t nnums = 0;
	int rc = parse_args(&b, argc, argv, nums, &nnums);
	if (rc == 0)
		rc = run(&b, nums, nnums);
	free(nums);
	return rc;
}

const struct cmd cmd_build = {
	"build", build_main, "render issues to Markdown and HTML", CMD_SETTINGS,
	"usage: weekly build [N...|--all] [-f FORMAT] [--channel NAME] [-o FILE|-]\n"
	"                    [--drafts] [--force] [--check] [-v|-q] [-j N]\n\n"
	"Check and render issues N... (or every issue with --all) into build/NNN.md\n"
	"and build/NNN.html. An issue with errors is reported and nothing is written\n"
	"for it.\n",
	options,
	"Only what changed is rendered: the archive index, build/.weekly/index.sqlite\n"
	"(a cache; deleting it loses nothing), remembers what each output was made\n"
	"from (the issue, its neighbours, the settings, the templates), by content.\n"
	"An output that would come out the same is not rewritten. With --all,\n"
	"outputs of deleted issues and of drafts are removed (only files weekly\n"
	"wrote). Warnings of skipped issues are shown again.\n"
	"Exit status: 0 built, 1 problems in the content (or out of date with\n"
	"--check), 2 usage, 3 I/O error.\n"
};
