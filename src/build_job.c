/* build_job.c - the jobs of `weekly build` (build.h): render one issue,
 * compare and write its outputs, or render the feeds; a job may run in a
 * worker process, so what it finds goes back packed, and the outcomes are
 * taken in the order of the issues. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/digest.h"
#include "weekly/fsutil.h"
#include "weekly/markdown.h"
#include "weekly/pool.h"
#include "weekly/search.h"
#include "weekly/stash.h"
#include "weekly/topics.h"
#include "weekly/util.h"
#include "weekly/validate.h"
#include "build.h"

const char *const build_feed_names[NFEEDS] = { "feed.xml", "feed.json" };
const char *const build_feed_templates[NFEEDS] = { "feed.xml.mustache", "feed.json.mustache" };

/* What a job found, as a worker sends it back (buf.h): this header, then
 * the issue's counts, the messages for standard error, the issue's warnings
 * as the state keeps them (archive.h), its feed entry, and what it hands
 * over for the archive's pages (struct handed). */
struct outcome {
	int rc;
	size_t nodes;        /* the Markdown nodes of the source, for the feed */
	unsigned differ;     /* stale formats whose file did not hold the rendering */
	unsigned on_disk;    /* stale formats now on disk as rendered */
	long long size[MAX_FORMATS], mtime[MAX_FORMATS];
	uint64_t digest[MAX_FORMATS]; /* of the renderings */
	int handed;          /* its topic lines, season items and search record follow */
};

void build_report(struct build *b, diag_list *d)
{
	diag_sort(d);
	diag_print(d, stderr, b->dfmt, b->color);
}

void build_worse(struct build *b, int rc)
{
	if (rc > b->rc)
		b->rc = rc;
}

char *build_output_name(const struct build *b, size_t i, size_t f)
{
	return archive_output_name(&b->a, i, b->formats[f]);
}

/* --- rendering an issue ------------------------------------------------- */

/* Read, parse and check issue i, its diagnostics carrying their lines. NULL
 * when it cannot be built; d says why and *rc is set. */
struct issue *build_load_checked(struct build *b, size_t i, diag_list *d, int *rc)
{
	char *path = archive_source_path(&b->a, i);
	int syserr = 0; /* plain text is for the stats and search only */
	unsigned text = b->search || (b->parts & RENDER_STATS) ? ISSUE_TEXT : 0;
	struct issue *is = issue_load_parts(b->n, path, ISSUE_HTML | text, d, &syserr);
	if (is) {
		validate_issue(b->n, is, b->a.issues[i].number, d);
		issue_diag_sources(is, d); /* printing reads nothing */
	}
	free(path);
	*rc = syserr ? EXIT_SYSTEM : d->errors ? EXIT_CONTENT : EXIT_CLEAN;
	if (*rc == EXIT_CLEAN)
		return is;
	issue_free(is);
	return NULL;
}

/* The issue's context: render_context (packed into entry, unless it is
 * NULL, for the feed, before the keys only its page has), the issues before
 * and after, and where its page is: page, and page_url when the settings
 * say where build/ is published. */
static value *issue_context(struct build *b, size_t i, const struct issue *is, buf *entry)
{
	struct arena *in = &b->values;
	value *ctx = render_context_with(b->n, is, &b->shared, b->parts, in);
	if (entry)
		value_pack(ctx, entry);
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

int build_render_issue(struct build *b, size_t i, unsigned stale, const struct issue *is,
		       buf *outs, buf *entry, diag_list *d)
{
	value *ctx = issue_context(b, i, is, entry);
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

int build_make_dir(struct build *b)
{
	if (b->dir_failed)
		return -1;
	if (fs_mkdirs(b->a.dir) == 0)
		return 0;
	fprintf(stderr, "weekly: cannot create '%s': %s\n", b->a.dir, strerror(errno));
	b->dir_failed = 1;
	return -1;
}

void build_say_path(const struct build *b, const char *name)
{
	char *path = archive_output_path(&b->a, name);
	diag_say(stdout, "%s\n", path);
	free(path);
}

/* Write outs[k] to names[k] together: all of them change or none. Problems
 * are told in msg. */
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
		char *name = build_output_name(b, i, f), *path = archive_output_path(&b->a, name);
		o->digest[f] = digest_bytes(outs[f].data, outs[f].len, 0);
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
		char *name = build_output_name(b, i, f);
		if ((o->on_disk & (1u << f)) &&
		    archive_stat(&b->a, name, &o->size[f], &o->mtime[f]) < 0)
			o->on_disk &= ~(1u << f);
		free(name);
	}
}

/* What a job hands over for the archive's pages (struct handed), a part
 * each (HANDED_TOPICS...). */
struct handover {
	buf part[HANDED_PARTS];
};

/* Send an outcome back: the header, the counts and the lede, the text,
 * the warnings kept, the feed entry, what it hands over; counts, lede,
 * entry and h may be NULL. */
static void pack(buf *out, const struct outcome *o, const long *counts, size_t ncounts,
		 const char *lede, const buf *text, const char *kept, const buf *entry,
		 const struct handover *h)
{
	buf_put_bytes(out, (const char *)o, sizeof *o);
	buf_put_bytes(out, (const char *)counts, counts ? ncounts * sizeof *counts : 0);
	buf_put_str(out, lede);
	buf_put_bytes(out, text->data, text->len);
	buf_put_str(out, kept);
	buf_put_bytes(out, entry ? entry->data : NULL, entry ? entry->len : 0);
	for (size_t p = 0; p < HANDED_PARTS; p++)
		buf_put_bytes(out, h ? h->part[p].data : NULL, h ? h->part[p].len : 0);
}

/* What the archive's pages of this run take from issue i: its topic
 * lines, its season items and its search record (when the search cache
 * does not hold it already), made here from the issue as parsed. */
static void hand_over(struct build *b, size_t i, const struct issue *is, struct handover *h)
{
	if (b->hand_topics)
		topics_lines(b->topics, is, &h->part[HANDED_TOPICS]);
	if (b->hand_seasons)
		seasons_items(is, b->season_parts, &h->part[HANDED_SEASON]);
	if (b->search && !b->check && search_stale(&b->a, i))
		search_issue(&b->a, b->n, i, is, &h->part[HANDED_SEARCH]);
}

static void put_diagnostics(struct build *b, diag_list *d, buf *text)
{
	diag_sort(d);
	diag_format_list(d, text, b->dfmt, b->color);
}

/* The Markdown nodes of a source, as the feed counts them. */
static size_t feed_nodes(const char *text, size_t len)
{
	struct md_over over = { 0 };
	markdown_over(text, len, &over);
	return over.nodes;
}

/* Whether the feed may hold the entry of its place-th newest issue, of
 * nodes nodes: not when that and the newer issues' sources go over its
 * limit (archive_feed_cut), so that an entry the feed leaves out is not
 * even packed. The newer sources are read only for a big issue. */
static int feed_fits(struct build *b, size_t place, size_t nodes)
{
	size_t sum = nodes;
	if (place == 0 || nodes <= MD_MAX_NODES / ARCHIVE_FEED_SIZE)
		return 1;
	for (size_t k = 0; k < place && sum <= MD_MAX_NODES; k++) {
		char *path = archive_source_path(&b->a, b->entries[k].issue), *text;
		size_t len;
		if (fs_read(path, &text, &len) == 0) {
			sum += feed_nodes(text, len);
			free(text);
		} else {
			sum++; /* a source counts one node at least */
		}
		free(path);
	}
	return sum <= MD_MAX_NODES;
}

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

/* Build one issue (and its feed entry); this may run in a worker process:
 * everything it finds goes back through out. */
static void build_job(size_t k, buf *out, void *arg)
{
	struct build *b = arg;
	const struct job *j = &b->jobs[k];
	struct outcome o = { 0 };
	diag_list d = DIAG_LIST_INIT;
	buf outs[MAX_FORMATS], text = BUF_INIT, msg = BUF_INIT, entry = BUF_INIT;
	struct handover h;
	for (size_t f = 0; f < MAX_FORMATS; f++)
		outs[f] = (buf)BUF_INIT;
	for (size_t p = 0; p < HANDED_PARTS; p++)
		h.part[p] = (buf)BUF_INIT;
	long *counts = NULL;
	char *source = archive_source_path(&b->a, j->issue), *kept, *lede = NULL;
	twin(b, j->issue, &d); /* checked as well, as check does */
	struct issue *is = build_load_checked(b, j->issue, &d, &o.rc);
	if (is && j->feed)
		o.nodes = feed_nodes(is->text, is->len);
	int entry_fits = is && j->feed && feed_fits(b, (size_t)j->feed - 1, o.nodes);
	if (is && build_render_issue(b, j->issue, j->stale, is, outs, entry_fits ? &entry : NULL,
				     &d) < 0)
		o.rc = EXIT_CONTENT;
	if (is && o.rc == EXIT_CLEAN) {
		counts = archive_count(&b->a, is);
		lede = archive_lede(is);
		o.rc = store(b, j->issue, j->stale, outs, &o, &msg);
		note_sizes(b, j->issue, &o);
		/* the archive's pages take the issue from here, not from a second parse */
		o.handed = o.rc == EXIT_CLEAN && (b->hand_topics || b->hand_seasons || b->search);
		if (o.handed)
			hand_over(b, j->issue, is, &h);
	}
	put_diagnostics(b, &d, &text);
	buf_put(&text, msg.data, msg.len);
	kept = archive_keep_diags(&d, source);
	pack(out, &o, counts, b->a.ncounts, lede, &text, kept,
	     j->feed && o.rc == EXIT_CLEAN ? &entry : NULL, o.handed ? &h : NULL);
	free(kept);
	free(source);
	for (size_t f = 0; f < MAX_FORMATS; f++)
		buf_release(&outs[f]);
	buf_release(&text);
	buf_release(&msg);
	buf_release(&entry);
	for (size_t p = 0; p < HANDED_PARTS; p++)
		buf_release(&h.part[p]);
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
		char *name = build_output_name(b, j->issue, f);
		int differ = (o->differ >> f) & 1u;
		if (b->check && differ) {
			build_say_path(b, name);
			b->listed++;
		}
		if (o->on_disk & (1u << f))
			archive_record(&b->a, name,
				       archive_issue_key(&b->a, j->issue, b->tmpl[f], b->formats[f]->ext),
				       o->digest[f], o->size[f], o->mtime[f]);
		struct mark *m = &b->marks[j->issue];
		if (!b->check && differ && (o->on_disk & (1u << f)) && !(m->wrote & (1u << f))) {
			if (b->verbose)
				build_say_path(b, name);
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
	const char *counts, *lede, *text, *kept, *entry, *part[HANDED_PARTS];
	size_t clen, textlen, entrylen, partlen[HANDED_PARTS];
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
	u->entry = buf_get_bytes(&r, &u->entrylen);
	for (size_t p = 0; p < HANDED_PARTS; p++)
		u->part[p] = buf_get_bytes(&r, &u->partlen[p]);
	if (!buf_read_all(&r) || !h || hlen != sizeof u->o || !u->text)
		return -1;
	memcpy(&u->o, h, sizeof u->o);
	return 0;
}

/* --- what jobs hand over, set aside until the pages are made ----------- */

/* n bytes set aside at at in st, into out: 0, or -1. */
static int spill_get(struct stash *st, long long at, size_t n, buf *out)
{
	buf_reset(out);
	buf_reserve(out, n + 1);
	if (stash_get(st, at, out->data, n) < 0)
		return -1;
	out->len = n;
	out->data[n] = '\0';
	return 0;
}

/* Set aside what the job of issue i handed over: its search record, the
 * big part, in the bulk file; then in the spill file the lengths of the
 * parts and where the record is (struct head), and the small parts one
 * after the other, so that the topic pages and the seasons, which read
 * those of every issue, find them close together. Without the files
 * (they cannot be made or written) the pages read the issue again. */
struct head {
	uint64_t len[HANDED_PARTS];
	int64_t record;
};

static void spill(struct build *b, size_t i, const struct unpacked *u)
{
	struct head h;
	b->handed[i] = 0;
	for (size_t p = 0; p < HANDED_PARTS; p++)
		h.len[p] = u->partlen[p];
	h.record = stash_put(b->bulk, u->part[HANDED_SEARCH], u->partlen[HANDED_SEARCH]);
	long long at = h.record < 0 ? -1 : stash_put(b->spill, (const char *)&h, sizeof h);
	for (size_t p = 0; p < HANDED_SEARCH && at >= 0; p++)
		if (stash_put(b->spill, u->part[p], u->partlen[p]) < 0)
			return;
	b->handed[i] = at + 1;
}

_Static_assert(HANDED_SEARCH == HANDED_PARTS - 1, "the small parts come first");

int build_handed(const struct build *b, size_t i, int part, buf *out)
{
	struct head h;
	long long at = b->handed[i] - 1;
	if (at < 0 || stash_get(b->spill, at, (char *)&h, sizeof h) < 0 ||
	    (part == HANDED_SEARCH && !h.len[part]))
		return -1;
	if (part == HANDED_SEARCH)
		return out ? spill_get(b->bulk, h.record, (size_t)h.len[part], out) : 0;
	at += (long long)sizeof h;
	for (int p = 0; p < part; p++)
		at += (long long)h.len[p];
	return out ? spill_get(b->spill, at, (size_t)h.len[part], out) : 0;
}

/* The feed entry of issue i (none when the feed cannot hold it) and its
 * nodes, kept for the feeds (build_pages.c): set aside in the spill file,
 * or else held. */
static void take_entry(struct build *b, size_t i, const struct unpacked *u)
{
	for (size_t k = 0; k < b->nentries; k++) {
		struct feed_entry *e = &b->entries[k];
		if (e->issue != i || e->ready)
			continue;
		e->at = u->entrylen ? stash_put(b->bulk, u->entry, u->entrylen) : -1;
		e->len = e->at >= 0 ? u->entrylen : 0;
		if (e->at < 0)
			buf_put(&e->packed, u->entry, u->entrylen);
		e->nodes = u->o.nodes;
		e->ready = 1;
	}
}

int build_feed_packed(const struct build *b, size_t k, buf *out)
{
	const struct feed_entry *e = &b->entries[k];
	if (!e->ready || e->at < 0) {
		buf_reset(out);
		buf_put(out, e->packed.data, e->packed.len);
		return e->ready && e->packed.len ? 0 : -1;
	}
	return spill_get(b->bulk, e->at, e->len, out);
}

void build_spill_close(struct build *b)
{
	stash_close(b->spill);
	stash_close(b->bulk);
	b->spill = b->bulk = NULL;
}

static void apply(struct build *b, const struct job *j, const buf *res)
{
	struct unpacked u;
	if (unpack(res, &u) < 0) {
		diag_say(stderr, "weekly: building %s failed\n", b->a.issues[j->issue].name);
		build_worse(b, EXIT_SYSTEM);
		b->failed++;
		return;
	}
	struct mark *m = &b->marks[j->issue];
	if (!m->job) /* a second round prints nothing twice */
		fwrite(u.text, 1, u.textlen, stderr);
	if (j->feed)
		take_entry(b, j->issue, &u);
	if (u.counts && u.clen == b->a.ncounts * sizeof(long)) {
		long *counts = xmalloc(u.clen);
		memcpy(counts, u.counts, u.clen);
		archive_set_counts(&b->a, j->issue, counts, xstrdup(u.lede ? u.lede : ""));
	}
	apply_outputs(b, j, &u.o);
	if (u.o.handed)
		spill(b, j->issue, &u);
	char *kept = u.kept && *u.kept ? xstrdup(u.kept) : NULL;
	b->relisted |= archive_set_result(&b->a, j->issue, u.o.rc != EXIT_CLEAN, kept);
	if (u.o.rc != EXIT_CLEAN && !m->failed)
		b->failed++;
	m->failed |= u.o.rc != EXIT_CLEAN;
	m->job = 1;
	build_worse(b, u.o.rc);
}

/* Warnings replayed are printed in writes of this many, so that an archive
 * whose every issue warns is not held in memory whole to be said. */
#define REPLAY_BATCH 256

static void replay_flush(struct build *b, diag_list *d)
{
	if (d->len)
		diag_print(d, stderr, b->dfmt, b->color);
	diag_release(d);
	*d = (diag_list)DIAG_LIST_INIT;
}

struct replaying {
	struct build *b;
	diag_list d;
};

static int to_replay(void *ud, size_t i)
{
	struct build *b = ((struct replaying *)ud)->b;
	const struct mark *m = &b->marks[i];
	return m->wanted && !m->job && b->a.issues[i].diags_digest;
}

static void replay_one(void *ud, size_t i, const char *lede, const char *kept)
{
	struct replaying *r = ud;
	char *source = archive_source_path(&r->b->a, i);
	(void)lede;
	r->b->marks[i].job = 1; /* said once */
	archive_diags(kept, source, &r->d);
	free(source);
	if (r->d.len >= REPLAY_BATCH)
		replay_flush(r->b, &r->d);
}

/* The warnings of issues i.. before stop that were asked for but not built
 * (nothing changed), as their last build gave them. */
static void replay(struct build *b, size_t i, size_t stop)
{
	struct replaying r = { b, DIAG_LIST_INIT };
	archive_texts_each(&b->a, i, stop, to_replay, replay_one, &r);
	replay_flush(b, &r.d);
}

/* The memory one job may take, at most: as the biggest source needs. */
static size_t job_memory(const struct build *b)
{
	size_t *at = xcalloc(b->njobs, sizeof *at);
	for (size_t k = 0; k < b->njobs; k++)
		at[k] = b->jobs[k].issue;
	size_t most = archive_job_memory(&b->a, at, b->njobs);
	free(at);
	return most;
}

/* Jobs whose outcomes are kept in the index together, in the middle of
 * a run: their issues' ledes and warnings are held until then.
 * WEEKLY_SAVE_EVERY gives another number (the tests kill a build right
 * after such a save, in an archive of a hundred issues). */
#define SAVE_BATCH 2048

static size_t save_every(void)
{
	return (size_t)util_env_count("WEEKLY_SAVE_EVERY", SAVE_BATCH);
}

/* A job's outcome, taken in the order of the jobs: the warnings of the
 * issues before it that were not built are said first. */
static void take(size_t k, buf *result, void *arg)
{
	struct build *b = arg;
	if (b->jobs[k].issue > b->replayed) {
		replay(b, b->replayed, b->jobs[k].issue);
		b->replayed = b->jobs[k].issue;
	}
	apply(b, &b->jobs[k], result);
	if ((k + 1) % b->save_every == 0 && !b->check && !b->dir_failed)
		archive_save_part(&b->a); /* what fails is tried again at the end */
}

void build_run_jobs(struct build *b)
{
	if (!b->njobs) {
		replay(b, 0, b->a.len);
		return;
	}
	if (!b->check)
		build_make_dir(b);
	b->save_every = save_every();
	int workers = pool_fit(b->workers ? b->workers : pool_workers(b->njobs), job_memory(b));
	pool_stream(b->njobs, workers, build_job, b, take, b);
	replay(b, 0, b->a.len);
}
