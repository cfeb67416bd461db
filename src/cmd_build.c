/* cmd_build.c - `weekly build`: check issues and write their outputs; with
 * --all also the archive page and the feed. Only what changed is rendered. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "weekly/arena.h"
#include "weekly/archive.h"
#include "weekly/cmd.h"
#include "weekly/edition.h"
#include "weekly/fsutil.h"
#include "weekly/index.h"
#include "weekly/pool.h"
#include "weekly/post.h"
#include "weekly/render.h"
#include "weekly/search.h"
#include "weekly/topics.h"
#include "weekly/util.h"
#include "weekly/validate.h"

#define MAX_FORMATS 8
#define MAX_WORKERS POOL_MAX_WORKERS
#define INDEX_TEMPLATE "index.html.mustache"
/* The feeds of the newest issues, made from one context: Atom, JSON Feed. */
#define NFEEDS 2
static const char *const feed_names[NFEEDS] = { "feed.xml", "feed.json" };
static const char *const feed_templates[NFEEDS] = { "feed.xml.mustache", "feed.json.mustache" };
#define SEARCH_TEMPLATE "search.html.mustache"

/* One issue to build, and which of its formats are out of date; or the
 * feed, which parses the newest issues itself. */
struct job {
	size_t issue;
	unsigned stale;      /* a bit per format */
	int feed;
};

/* What a job found, as a worker sends it back (buf.h): this header, then
 * the issue's counts, the messages for standard error, the issue's warnings
 * as the state keeps them (archive.h), the feed. */
struct outcome {
	int rc;
	unsigned differ;     /* stale formats whose file did not hold the rendering */
	unsigned on_disk;    /* stale formats now on disk as rendered */
	long long size[MAX_FORMATS], mtime[MAX_FORMATS];
	uint64_t digest[MAX_FORMATS]; /* of the renderings */
	struct search_file search; /* the issue's search cache, if written */
};

/* What the run did with each issue of the archive. */
struct mark {
	unsigned char wanted; /* asked for (by number or --all) */
	unsigned char job;    /* built this run; its diagnostics printed */
	unsigned char failed; /* built this run, with errors */
	unsigned char built;  /* counted among the issues built */
	unsigned wrote;       /* formats written (said and counted once) */
};

struct build {
	const struct newsletter *n; /* borrowed from the command layer */
	struct archive a;
	struct renderer *r;
	const struct format *formats[MAX_FORMATS];
	size_t nformats;
	uint64_t tmpl[MAX_FORMATS]; /* digests of the formats' templates */
	const char *out;     /* -o FILE, "-" for standard output, or NULL */
	char *tdir;          /* root/templates */
	char *base;          /* where build/ is published (archive_base_url) */
	struct render_shared shared; /* what issue contexts share */
	struct editions editions;    /* the newsletter's other editions, pages link to */
	unsigned parts;      /* the costly parts of them the templates use */
	struct arena values; /* an issue's context, while it is rendered */
	int all, drafts, force, check, verbose, quiet, workers;
	int post;            /* -f post: the channels of --channel */
	const char *channels[MAX_FORMATS];
	size_t nchannels;
	int search;          /* the archive's search index is built (search: true) */
	diag_format dfmt;
	int color;
	int rc;              /* the worst status so far */
	int dir_failed;      /* build/ could not be created (already said) */
	size_t failed;       /* issues with errors */
	int held;            /* errors of the archive as a whole hold back its pages */
	size_t listed;       /* outputs --check found out of date */
	size_t built, written; /* issues with outputs written, and files written */
	struct job *jobs;
	size_t njobs;
	struct mark *marks;  /* one per issue of the archive */
	unsigned char *searched; /* one per issue: its search cache is up to date */
	int round;           /* plans made: another when a listing changed */
	int relisted;        /* an issue's listing changed: neighbours to redo */
	size_t removed;      /* outputs of issues gone, and leftovers, removed */
	size_t replayed;     /* issues before this one had their warnings said */
	uint64_t feed_key[NFEEDS]; /* 0: no template, no such feed */
	buf feed[NFEEDS];    /* the feeds, rendered by a job */
	int feed_ready;
};

static void report(struct build *b, diag_list *d)
{
	diag_sort(d);
	diag_print(d, stderr, b->dfmt, b->color);
}

static void worse(struct build *b, int rc)
{
	if (rc > b->rc)
		b->rc = rc;
}

static char *output_name(const struct build *b, size_t i, size_t f)
{
	return archive_output_name(&b->a, i, b->formats[f]);
}

/* --- rendering an issue ------------------------------------------------- */

/* Read, parse and check issue i, its diagnostics carrying their lines. NULL
 * when it cannot be built; d says why and *rc is set. */
static struct issue *load_checked(struct build *b, size_t i, diag_list *d, int *rc)
{
	char *path = archive_source_path(&b->a, i);
	int syserr = 0;
	struct issue *is = issue_load(b->n, path, d, &syserr);
	if (is) {
		validate_issue(b->n, is, b->a.issues[i].number, d);
		diag_set_sources(d, path, is->text, is->len); /* printing reads nothing */
	}
	free(path);
	*rc = syserr ? EXIT_SYSTEM : d->errors ? EXIT_CONTENT : EXIT_CLEAN;
	if (*rc == EXIT_CLEAN)
		return is;
	issue_free(is);
	return NULL;
}

/* The issue's context: render_context, the issues before and after, and
 * where its page is: page, and page_url when the settings say where build/
 * is published. */
static value *issue_context(struct build *b, size_t i, const struct issue *is)
{
	struct arena *in = &b->values;
	value *ctx = render_context_with(b->n, is, &b->shared, b->parts, in);
	char *page = archive_output_name(&b->a, i, render_format("html"));
	char *url = xasprintf("%s%s", b->base, page);
	if (*b->base)
		value_map_lit(ctx, "page_url", value_cstring_in(in, url));
	value_map_lit(ctx, "page", value_cstring_in(in, page));
	free(url);
	free(page);
	value *prev = archive_link_value(&b->a, archive_prev(&b->a, i), in);
	value *next = archive_link_value(&b->a, archive_next(&b->a, i), in);
	value_map_lit(ctx, "lookback", archive_lookback(&b->a, i, in));
	value_map_lit(ctx, "prev", prev ? prev : value_null_in(in));
	value_map_lit(ctx, "next", next ? next : value_null_in(in));
	value_map_lit(ctx, "editions", editions_links(&b->editions, b->a.issues[i].number, in));
	return ctx;
}

/* Render the formats of stale into outs; -1 after adding errors to d. */
static int render_issue(struct build *b, size_t i, unsigned stale, const struct issue *is,
			buf *outs, diag_list *d)
{
	value *ctx = issue_context(b, i, is);
	int rc = 0;
	for (size_t f = 0; f < b->nformats && rc == 0; f++) {
		if (!(stale & (1u << f)))
			continue;
		buf_reserve(&outs[f], 2 * is->len); /* pages are about that big */
		rc = renderer_run(b->r, b->formats[f]->template, ctx, &outs[f], d);
		if (rc == 0 && b->formats[f]->check)
			b->formats[f]->check(is, &outs[f], d);
	}
	value_free(ctx);
	arena_reset(&b->values);
	return rc < 0 || d->errors ? -1 : 0;
}

static int same_as_file(const char *path, const buf *out)
{
	char *old;
	size_t len;
	if (fs_read(path, &old, &len) < 0)
		return 0;
	int same = len == out->len && memcmp(old, out->data, len) == 0;
	free(old);
	return same;
}

/* --- writing -------------------------------------------------------------- */

static int make_dir(struct build *b)
{
	if (b->dir_failed)
		return -1;
	if (fs_mkdirs(b->a.dir) == 0)
		return 0;
	fprintf(stderr, "weekly: cannot create '%s': %s\n", b->a.dir, strerror(errno));
	b->dir_failed = 1;
	return -1;
}

static void say_path(const struct build *b, const char *name)
{
	char *path = archive_output_path(&b->a, name);
	diag_say(stdout, "%s\n", path);
	free(path);
}

/* Write outs[k] to names[k] together: all of them change or none. Problems
 * are told in msg. */
static int write_group(struct build *b, char **names, const buf **outs, size_t n, buf *msg)
{
	fs_staged st[MAX_FORMATS];
	char *paths[MAX_FORMATS] = { 0 };
	size_t staged = 0;
	int rc = b->dir_failed ? EXIT_SYSTEM : EXIT_CLEAN;
	for (size_t k = 0; k < n && rc == EXIT_CLEAN; k++) {
		paths[k] = archive_output_path(&b->a, names[k]);
		if (fs_stage(paths[k], outs[k]->data, outs[k]->len, &st[k]) == 0) {
			staged++;
			continue;
		}
		buf_printf(msg, "weekly: cannot write '%s': %s\n", paths[k], strerror(errno));
		rc = EXIT_SYSTEM;
	}
	for (size_t k = 0; k < staged; k++) {
		if (rc == EXIT_CLEAN && fs_commit(&st[k], paths[k]) < 0) {
			buf_printf(msg, "weekly: cannot write '%s': %s\n", paths[k], strerror(errno));
			rc = EXIT_SYSTEM;
		} else if (rc != EXIT_CLEAN) {
			fs_discard(&st[k]);
		}
	}
	for (size_t k = 0; k < n; k++)
		free(paths[k]);
	return rc;
}

/* Compare the renderings with build/ and write those that differ (not
 * with --check); note what is now on disk as rendered. */
static int store(struct build *b, size_t i, unsigned stale, const buf *outs,
		 struct outcome *o, buf *msg)
{
	char *names[MAX_FORMATS];
	const buf *wouts[MAX_FORMATS];
	size_t nw = 0;
	int rc = EXIT_CLEAN;
	for (size_t f = 0; f < b->nformats; f++) {
		if (!(stale & (1u << f)))
			continue;
		char *name = output_name(b, i, f), *path = archive_output_path(&b->a, name);
		o->digest[f] = archive_hash(outs[f].data, outs[f].len, 0);
		if (same_as_file(path, &outs[f])) {
			o->on_disk |= 1u << f;
			free(name);
		} else {
			o->differ |= 1u << f;
			names[nw] = name;
			wouts[nw++] = &outs[f];
		}
		free(path);
	}
	if (nw && !b->check)
		rc = write_group(b, names, wouts, nw, msg);
	if (rc == EXIT_CLEAN && !b->check)
		o->on_disk |= o->differ;
	for (size_t k = 0; k < nw; k++)
		free(names[k]);
	return rc;
}

static void note_sizes(struct build *b, size_t i, struct outcome *o)
{
	for (size_t f = 0; f < b->nformats; f++) {
		char *name = output_name(b, i, f);
		if ((o->on_disk & (1u << f)) &&
		    archive_stat(&b->a, name, &o->size[f], &o->mtime[f]) < 0)
			o->on_disk &= ~(1u << f);
		free(name);
	}
}

/* Send an outcome back: the header, the counts and the lede, the text,
 * the warnings kept, the feeds; counts, lede and feeds may be NULL. */
static void pack(buf *out, const struct outcome *o, const long *counts, size_t ncounts,
		 const char *lede, const buf *text, const char *kept, const buf *feeds)
{
	buf_put_bytes(out, (const char *)o, sizeof *o);
	buf_put_bytes(out, (const char *)counts, counts ? ncounts * sizeof *counts : 0);
	buf_put_str(out, lede);
	buf_put_bytes(out, text->data, text->len);
	buf_put_str(out, kept);
	for (size_t f = 0; f < NFEEDS; f++)
		buf_put_bytes(out, feeds ? feeds[f].data : NULL, feeds ? feeds[f].len : 0);
}

static void put_diagnostics(struct build *b, diag_list *d, buf *text)
{
	diag_sort(d);
	diag_format_list(d, text, b->dfmt, b->color);
}

static void feed_job(struct build *b, buf *out);

/* A second file for the number of issue i is an error, as check says. */
static void twin(struct build *b, size_t i, diag_list *d)
{
	if (i == 0 || b->a.issues[i - 1].number != b->a.issues[i].number)
		return;
	char *path = archive_source_path(&b->a, i), *other = archive_source_path(&b->a, i - 1);
	validate_twin(path, b->a.issues[i].number, other, d);
	free(path);
	free(other);
}

/* Build one issue (or the feed); this may run in a worker process:
 * everything it finds goes back through out. */
static void build_job(size_t k, buf *out, void *arg)
{
	struct build *b = arg;
	const struct job *j = &b->jobs[k];
	if (j->feed) {
		feed_job(b, out);
		return;
	}
	struct outcome o = { 0 };
	diag_list d = DIAG_LIST_INIT;
	buf outs[MAX_FORMATS], text = BUF_INIT, msg = BUF_INIT;
	for (size_t f = 0; f < MAX_FORMATS; f++)
		outs[f] = (buf)BUF_INIT;
	long *counts = NULL;
	char *source = archive_source_path(&b->a, j->issue), *kept, *lede = NULL;
	twin(b, j->issue, &d); /* checked as well, as check does */
	struct issue *is = load_checked(b, j->issue, &d, &o.rc);
	if (is && render_issue(b, j->issue, j->stale, is, outs, &d) < 0)
		o.rc = EXIT_CONTENT;
	if (is && o.rc == EXIT_CLEAN) {
		counts = archive_count(&b->a, is);
		lede = archive_lede(is);
		o.rc = store(b, j->issue, j->stale, outs, &o, &msg);
		note_sizes(b, j->issue, &o);
		/* the search index takes its words from here, not from a second parse */
		if (b->search && o.rc == EXIT_CLEAN && !b->check &&
		    search_write(&b->a, j->issue, is, &o.search, &msg) < 0)
			o.rc = EXIT_SYSTEM;
	}
	put_diagnostics(b, &d, &text);
	buf_put(&text, msg.data, msg.len);
	kept = archive_keep_diags(&d, source);
	pack(out, &o, counts, b->a.ncounts, lede, &text, kept, NULL);
	free(kept);
	free(source);
	for (size_t f = 0; f < MAX_FORMATS; f++)
		buf_release(&outs[f]);
	buf_release(&text);
	buf_release(&msg);
	diag_release(&d);
	free(counts);
	free(lede);
	issue_free(is);
}

/* --- outcomes, in the order of the issues ------------------------------- */

static void apply_outputs(struct build *b, const struct job *j, const struct outcome *o)
{
	int wrote = 0;
	for (size_t f = 0; f < b->nformats; f++) {
		if (!(j->stale & (1u << f)))
			continue;
		char *name = output_name(b, j->issue, f);
		int differ = (o->differ >> f) & 1u;
		if (b->check && differ) {
			say_path(b, name);
			b->listed++;
		}
		if (o->on_disk & (1u << f))
			archive_record(&b->a, name,
				       archive_issue_key(&b->a, j->issue, b->tmpl[f], b->formats[f]->ext),
				       o->digest[f], o->size[f], o->mtime[f]);
		struct mark *m = &b->marks[j->issue];
		if (!b->check && differ && (o->on_disk & (1u << f)) && !(m->wrote & (1u << f))) {
			if (b->verbose)
				say_path(b, name);
			b->written++;
			m->wrote |= 1u << f;
			wrote = 1;
		}
		free(name);
	}
	if (wrote && !b->marks[j->issue].built) {
		b->marks[j->issue].built = 1;
		b->built++;
	}
}

/* The fields pack wrote, taken back. */
struct unpacked {
	struct outcome o;
	const char *counts, *lede, *text, *kept, *feeds[NFEEDS];
	size_t clen, textlen, feedlen[NFEEDS];
};

static int unpack(const buf *res, struct unpacked *u)
{
	struct buf_reader r = buf_reader(res);
	size_t hlen;
	const char *h = buf_get_bytes(&r, &hlen);
	u->counts = buf_get_bytes(&r, &u->clen);
	u->lede = buf_get_str(&r);
	u->text = buf_get_bytes(&r, &u->textlen);
	u->kept = buf_get_str(&r);
	for (size_t f = 0; f < NFEEDS; f++)
		u->feeds[f] = buf_get_bytes(&r, &u->feedlen[f]);
	if (!buf_read_all(&r) || !h || hlen != sizeof u->o || !u->text)
		return -1;
	memcpy(&u->o, h, sizeof u->o);
	return 0;
}

static void apply(struct build *b, const struct job *j, const buf *res)
{
	struct unpacked u;
	if (unpack(res, &u) < 0) {
		diag_say(stderr, "weekly: building %s failed\n",
			 j->feed ? "the feed" : b->a.issues[j->issue].name);
		worse(b, EXIT_SYSTEM);
		b->failed++;
		return;
	}
	struct mark *m = j->feed ? NULL : &b->marks[j->issue];
	if (!m || !m->job) /* a second round prints nothing twice */
		fwrite(u.text, 1, u.textlen, stderr);
	if (j->feed) {
		for (size_t f = 0; f < NFEEDS; f++)
			buf_put(&b->feed[f], u.feeds[f] ? u.feeds[f] : "", u.feedlen[f]);
		b->feed_ready = u.o.rc == EXIT_CLEAN;
		worse(b, u.o.rc);
		return;
	}
	if (u.counts && u.clen == b->a.ncounts * sizeof(long)) {
		long *counts = xmalloc(u.clen);
		memcpy(counts, u.counts, u.clen);
		archive_set_counts(&b->a, j->issue, counts, xstrdup(u.lede ? u.lede : ""));
	}
	apply_outputs(b, j, &u.o);
	search_record(&b->a, j->issue, &u.o.search);
	b->searched[j->issue] |= u.o.rc == EXIT_CLEAN && b->search && !b->check;
	char *kept = u.kept && *u.kept ? xstrdup(u.kept) : NULL;
	b->relisted |= archive_set_result(&b->a, j->issue, u.o.rc != EXIT_CLEAN, kept);
	if (u.o.rc != EXIT_CLEAN && !m->failed)
		b->failed++;
	m->failed |= u.o.rc != EXIT_CLEAN;
	m->job = 1;
	worse(b, u.o.rc);
}

/* The warnings of issues i.. before stop that were asked for but not built
 * (nothing changed), as their last build gave them. */
static void replay(struct build *b, size_t i, size_t stop)
{
	diag_list d = DIAG_LIST_INIT; /* printed at once: one write for them all */
	for (; i < stop && i < b->a.len; i++) {
		struct mark *m = &b->marks[i];
		if (!m->wanted || m->job || !b->a.issues[i].diags)
			continue;
		m->job = 1; /* said once */
		char *source = archive_source_path(&b->a, i);
		archive_diags(b->a.issues[i].diags, source, &d);
		free(source);
	}
	if (d.len)
		diag_print(&d, stderr, b->dfmt, b->color);
	diag_release(&d);
}

/* The memory one job may take, at most: as the biggest source needs. */
static size_t job_memory(const struct build *b)
{
	size_t most = 0;
	for (size_t k = 0; k < b->njobs; k++) {
		long long size = b->a.issues[b->jobs[k].issue].size;
		if (size > 0 && ISSUE_MEMORY(size) > most)
			most = ISSUE_MEMORY(size);
	}
	return most;
}

static void run_jobs(struct build *b)
{
	if (!b->njobs) {
		replay(b, 0, b->a.len);
		return;
	}
	if (!b->check)
		make_dir(b);
	int workers = pool_fit(b->workers ? b->workers : pool_workers(b->njobs), job_memory(b));
	buf *results = xcalloc(b->njobs, sizeof *results);
	pool_run(b->njobs, workers, build_job, b, results);
	for (size_t k = 0; k < b->njobs; k++) {
		if (!b->jobs[k].feed && b->jobs[k].issue > b->replayed) {
			replay(b, b->replayed, b->jobs[k].issue);
			b->replayed = b->jobs[k].issue;
		}
		apply(b, &b->jobs[k], &results[k]);
		buf_release(&results[k]);
	}
	replay(b, 0, b->a.len);
	free(results);
}

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
		char *name = output_name(b, i, f);
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
	int unread = !is->counts || (b->search && !b->check && search_stale(&b->a, i));
	if (stale || (b->all && is->listed && unread))
		add_job(b, i, stale, 0, cap);
}

static long find_issue(const struct archive *a, long num)
{
	for (size_t i = 0; i < a->len; i++)
		if (a->issues[i].number == num)
			return (long)i;
	return -1;
}

/* The feed goes first: it parses 20 issues, the longest job there is. */
static void plan_feed(struct build *b, size_t *cap)
{
	size_t n, *newest = archive_newest(&b->a, 1, &n);
	int stale = 0;
	free(newest);
	b->feed_ready = 0;
	for (size_t f = 0; f < NFEEDS; f++) {
		/* no template, or no issue yet: no feed */
		uint64_t digest = n ? archive_template_digest(b->tdir, feed_templates[f]) : 0;
		buf_reset(&b->feed[f]);
		b->feed_key[f] = digest ? archive_feed_key(&b->a, digest) : 0;
		stale |= digest && (b->force || !archive_fresh(&b->a, feed_names[f], b->feed_key[f]));
	}
	if (stale)
		add_job(b, 0, 0, 1, cap);
}

static void plan(struct build *b, const long *nums, size_t nnums)
{
	size_t cap = 0;
	b->round++;
	b->njobs = 0;
	if (b->all) /* again in a later round: the issues it lists changed */
		plan_feed(b, &cap);
	for (size_t i = 0; b->all && i < b->a.len; i++)
		if (b->drafts || !b->a.issues[i].draft)
			plan_issue(b, i, &cap);
	for (size_t k = 0; k < nnums; k++) {
		long i = find_issue(&b->a, nums[k]);
		if (i >= 0) {
			plan_issue(b, (size_t)i, &cap);
			continue;
		}
		if (b->round == 1)
			fprintf(stderr, "weekly: no issue %ld in %s/issues\n", nums[k], b->n->root);
		worse(b, EXIT_CONTENT);
	}
}

/* --- the archive page and the feed -------------------------------------------- */

/* Write a page unless it holds the rendering already (or list it with
 * --check), and remember what it was made from. */
static int store_page(struct build *b, const char *name, const buf *out, uint64_t key)
{
	char *path = archive_output_path(&b->a, name);
	int differ = !same_as_file(path, out), rc = EXIT_CLEAN;
	long long size, mtime;
	free(path);
	if (differ && b->check) {
		say_path(b, name);
		b->listed++;
		return EXIT_CLEAN;
	}
	if (differ && make_dir(b) == 0) {
		buf msg = BUF_INIT;
		rc = write_group(b, (char *[]){ (char *)name }, (const buf *[]){ out }, 1, &msg);
		fputs(msg.data, stderr);
		buf_release(&msg);
	} else if (differ) {
		rc = EXIT_SYSTEM;
	}
	if (rc == EXIT_CLEAN && archive_stat(&b->a, name, &size, &mtime) == 0)
		archive_record(&b->a, name, key, archive_hash(out->data, out->len, 0),
			       size, mtime);
	if (rc == EXIT_CLEAN && differ && b->verbose)
		say_path(b, name);
	b->written += rc == EXIT_CLEAN && differ;
	return rc;
}

static int render_page(struct build *b, const char *tmpl, const char *name, value *ctx,
		       uint64_t key)
{
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	int rc = renderer_run(b->r, tmpl, ctx, &out, &d) < 0 || d.errors ? EXIT_CONTENT
		: EXIT_CLEAN;
	report(b, &d);
	if (rc == EXIT_CLEAN)
		rc = store_page(b, name, &out, key);
	diag_release(&d);
	buf_release(&out);
	return rc;
}

/* The pages made from the archive page's context: the archive page, and
 * for search engines, when the settings say where build/ is published
 * (a sitemap lists absolute addresses), the sitemap and robots.txt. */
static const struct {
	const char *name, *template;
	int needs_url;
} index_pages[] = {
	{ "index.html", INDEX_TEMPLATE, 0 },
	{ "sitemap.xml", "sitemap.xml.mustache", 1 },
	{ "robots.txt", "robots.txt.mustache", 1 },
};

static int build_index(struct build *b)
{
	struct archive_index *ix = NULL;
	value *ctx = NULL;
	int rc = EXIT_CLEAN;
	for (size_t p = 0; p < sizeof index_pages / sizeof *index_pages; p++) {
		uint64_t digest = archive_template_digest(b->tdir, index_pages[p].template);
		if (!digest || (index_pages[p].needs_url && !*b->base))
			continue; /* no template: no such page */
		uint64_t key = archive_index_key(&b->a, editions_digest(&b->editions, digest));
		if (!b->force && archive_fresh(&b->a, index_pages[p].name, key))
			continue;
		if (!ctx) {
			ctx = archive_index_context(&b->a, b->n, b->shared.newsletter, &ix);
			archive_index_put(ix, "editions", editions_links(&b->editions, -1, NULL));
		}
		int r = render_page(b, index_pages[p].template, index_pages[p].name, ctx, key);
		rc = r > rc ? r : rc;
	}
	archive_index_release(ix);
	return rc;
}

/* The search page and the index it reads (search.h; --check looks at the
 * page only), for a newsletter whose settings ask for it (search: true).
 * The build jobs handed over the words of the issues they parsed. */
static int build_search(struct build *b)
{
	if (!b->search)
		return EXIT_CLEAN;
	uint64_t digest = archive_template_digest(b->tdir, SEARCH_TEMPLATE);
	if (!b->check && (make_dir(b) < 0 ||
			  search_build(&b->a, b->n, b->force, b->workers, b->searched) < 0))
		return EXIT_SYSTEM;
	uint64_t key = archive_hash(&b->a.settings, sizeof b->a.settings, digest);
	if (!b->force && archive_fresh(&b->a, "search.html", key))
		return EXIT_CLEAN;
	value *ctx = value_map();
	value_map_lit(ctx, "newsletter", value_ref(b->shared.newsletter));
	int rc = render_page(b, SEARCH_TEMPLATE, "search.html", ctx, key);
	value_free(ctx);
	return rc;
}

static int topic_page(void *ud, const char *tmpl, const char *name, value *ctx, uint64_t key)
{
	return render_page(ud, tmpl, name, ctx, key);
}

static void drop(struct build *b, const char *dir, const char *name);
static void left_in_place(const char *path);

/* A topic's page or feed nothing makes any more. */
static void topic_gone(void *ud, const char *name, int intact)
{
	struct build *b = ud;
	char *path = archive_output_path(&b->a, name);
	if (intact)
		drop(b, b->a.dir, name);
	else if (!b->check)
		left_in_place(path);
	if (!b->check)
		archive_forget(&b->a, name);
	free(path);
}

/* A page and a feed per topic of the settings (topics.h). */
static int build_topics(struct build *b)
{
	struct topics_run r = { &b->a, b->n, b->shared.newsletter, b->tdir, b->force, b->check,
				b->workers, topic_page, topic_gone, b };
	if (!b->check && make_dir(b) < 0)
		return EXIT_SYSTEM;
	return topics_build(&r);
}

/* An issue of the feed, checked: NULL when it has errors. */
static struct issue *feed_issue(void *ud, size_t i)
{
	diag_list d = DIAG_LIST_INIT;
	int rc;
	struct issue *is = load_checked(ud, i, &d, &rc);
	diag_release(&d);
	return is;
}

static void feed_job(struct build *b, buf *out)
{
	struct outcome o = { 0 };
	diag_list d = DIAG_LIST_INIT;
	buf pages[NFEEDS] = { BUF_INIT, BUF_INIT }, text = BUF_INIT;
	value *ctx = archive_feed_context(&b->a, b->n, &b->shared, feed_issue, b, &d);
	for (size_t f = 0; f < NFEEDS; f++)
		if (b->feed_key[f] && renderer_run(b->r, feed_templates[f], ctx, &pages[f], &d) < 0)
			o.rc = EXIT_CONTENT;
	if (d.errors)
		o.rc = EXIT_CONTENT;
	value_free(ctx);
	put_diagnostics(b, &d, &text);
	pack(out, &o, NULL, 0, NULL, &text, NULL, o.rc == EXIT_CLEAN ? pages : NULL);
	for (size_t f = 0; f < NFEEDS; f++)
		buf_release(&pages[f]);
	buf_release(&text);
	diag_release(&d);
}

/* The archive pages list every issue: when one failed they wait. */
static void build_pages(struct build *b)
{
	if (b->failed || b->held)
		return;
	worse(b, build_index(b));
	worse(b, build_search(b));
	worse(b, build_topics(b));
	for (size_t f = 0; f < NFEEDS && b->feed_ready; f++)
		if (b->feed_key[f])
			worse(b, store_page(b, feed_names[f], &b->feed[f], b->feed_key[f]));
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
	long i = find_issue(&b->a, num);
	if (i < 0) {
		fprintf(stderr, "weekly: no issue %ld in %s/issues\n", num, b->n->root);
		return EXIT_CONTENT;
	}
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	int rc;
	struct issue *is = load_checked(b, (size_t)i, &d, &rc);
	if (is && render_issue(b, (size_t)i, 1, is, &out, &d) < 0)
		rc = EXIT_CONTENT;
	report(b, &d);
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
	  "(build/feed.xml) and search over every item\n"
	  "(build/search.html, build/search/)", NULL },
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
static void prepare(struct build *b)
{
	b->tdir = fs_join(b->n->root, "templates");
	diag_list d = DIAG_LIST_INIT;
	if (editions_load(b->n, &b->editions, &d) < 0)
		worse(b, EXIT_CONTENT);
	report(b, &d);
	diag_release(&d);
	for (size_t f = 0; f < b->nformats; f++) /* pages change with the editions */
		b->tmpl[f] = editions_digest(&b->editions, render_format_digest(b->tdir, b->formats[f]));
	render_shared_init(&b->shared, b->n);
	b->base = archive_base_url(b->shared.newsletter);
	b->r = renderer_new(b->n);
	for (size_t f = 0; f < b->nformats; f++)
		b->parts |= renderer_parts(b->r, b->formats[f]->template);
	b->search = b->all && value_truthy(value_getc(b->n->settings, "search")) &&
		archive_template_digest(b->tdir, SEARCH_TEMPLATE) != 0;
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
	worse(b, EXIT_SYSTEM);
}

/* --- what earlier builds left ------------------------------------------------- */

/* Remove the file name of folder dir (--check: list it), one of the outputs
 * nothing makes any more or a leftover temporary file. */
static void drop(struct build *b, const char *dir, const char *name)
{
	char *path = fs_join(dir, name);
	if (b->check) {
		diag_say(stdout, "%s\n", path);
		b->listed++;
	} else if (unlink(path) == 0 || errno == ENOENT) {
		if (b->verbose)
			diag_say(stdout, "removed %s\n", path);
		b->removed++;
	} else {
		fprintf(stderr, "weekly: cannot remove '%s': %s\n", path, strerror(errno));
		worse(b, EXIT_SYSTEM);
	}
	free(path);
}

static void left_in_place(const char *path)
{
	diag_say(stderr, "weekly: left '%s' in place: it changed since weekly wrote it\n", path);
}

static int by_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Temporary files of writes that were killed before they ended, in dir,
 * in the order of their names. */
static void leftovers_in(struct build *b, const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	while (dp && (e = readdir(dp)))
		if (strstr(e->d_name, FS_TEMP_MARK) && fs_temp_leftover(e->d_name)) {
			xgrow((void **)&names, &cap, n + 1, sizeof *names);
			names[n++] = xstrdup(e->d_name);
		}
	if (dp)
		closedir(dp);
	if (n)
		qsort(names, n, sizeof *names, by_name);
	for (size_t k = 0; k < n; k++) {
		drop(b, dir, names[k]);
		free(names[k]);
	}
	free(names);
}

/* Where weekly writes: build/, and issues/ (weekly new and import); with
 * --all always, else when the folder's time says files came or went. */
static void leftovers(struct build *b)
{
	int moved = archive_moved(&b->a, 1);
	if (b->all || moved)
		leftovers_in(b, b->a.dir);
	b->a.dirty |= moved; /* the time of build/ swept goes to the index */
	if (b->all || archive_moved(&b->a, 0))
		leftovers_in(b, b->a.issues_dir);
}

/* The outputs weekly wrote for issues that are gone or drafts again: only
 * files its state records, and only while they hold what it wrote. */
static void remove_stale(struct build *b)
{
	size_t n;
	const char **names = archive_stale(&b->a, b->drafts, &n);
	char **copies = xcalloc(n ? n : 1, sizeof *copies);
	for (size_t k = 0; k < n; k++)
		copies[k] = xstrdup(names[k]);
	free(names);
	for (size_t k = 0; k < n; k++) {
		char *path = archive_output_path(&b->a, copies[k]);
		if (fs_exists(path) && archive_intact(&b->a, copies[k]))
			drop(b, b->a.dir, copies[k]);
		else if (!b->check && fs_exists(path))
			left_in_place(path);
		if (!b->check)
			archive_forget(&b->a, copies[k]);
		free(path);
		free(copies[k]);
	}
	free(copies);
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
	report(b, &d);
	int ok = d.errors == 0;
	diag_release(&d);
	return ok;
}

/* Build everything asked for into build/. */
static void build_all(struct build *b, const long *nums, size_t nnums)
{
	leftovers(b);
	for (size_t i = 1; i < b->a.len; i++) /* a second file for a number fails */
		if (b->a.issues[i].number == b->a.issues[i - 1].number)
			archive_set_result(&b->a, i, 1, NULL);
	/* an issue that failed, or built again, changes its neighbours' links */
	do {
		b->relisted = 0;
		plan(b, nums, nnums);
		run_jobs(b);
	} while (b->relisted && b->round < 3);
	if (b->all) {
		build_pages(b);
		remove_stale(b);
	}
	finish(b);
	summary(b);
	if (b->check && b->listed)
		worse(b, EXIT_CONTENT);
}

/* With --all, the archive as a whole is checked too: its errors fail the
 * run (and leave the archive page and feed alone). */
static void whole_archive(struct build *b)
{
	diag_list d = DIAG_LIST_INIT;
	validate_archive(b->n, &b->a, &d);
	report(b, &d);
	if (d.errors) {
		worse(b, EXIT_CONTENT);
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
	b->searched = xcalloc(b->a.len ? b->a.len : 1, 1);
	if (b->all)
		whole_archive(b);
	if (!templates_ok(b))
		b->rc = EXIT_CONTENT;
	else if (b->out)
		b->rc = build_to(b, nums[0]);
	else
		build_all(b, nums, nnums);
	renderer_free(b->r);
	for (size_t f = 0; f < NFEEDS; f++)
		buf_release(&b->feed[f]);
	render_shared_release(&b->shared);
	editions_release(&b->editions);
	arena_release(&b->values);
	free(b->tdir);
	free(b->base);
	free(b->jobs);
	free(b->marks);
	free(b->searched);
	archive_release(&b->a);
	return b->rc;
}

static int build_main(int argc, char **argv, struct newsletter *n)
{
	_Static_assert(NFEEDS == 2, "one BUF_INIT for each feed below");
	struct build b = { .n = n, .dfmt = diag_default_format(),
			   .color = diag_want_color(stderr), .feed = { BUF_INIT, BUF_INIT } };
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
