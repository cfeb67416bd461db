/* build_pages.c - what `weekly build --all` makes of the archive as a
 * whole (build.h): the archive page, the sitemap, the seasons, search,
 * the topics and the feeds;
 * and the files earlier builds left in build/ and issues/. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "weekly/arena.h"
#include "weekly/digest.h"
#include "weekly/fsutil.h"
#include "weekly/pool.h"
#include "weekly/search.h"
#include "weekly/topics.h"
#include "weekly/util.h"
#include "build.h"

/* --- the archive page and the feed -------------------------------------------- */

/* A page on its way to build/NAME, a piece at a time (fs_pieces), so
 * that no page is ever held whole: staged (not with --check) to replace
 * the file there, which happens only if they differ. */
struct page {
	char *path;
	int nodir;           /* build/ could not be made (said already) */
	fs_pieces pieces;
};

static void page_open(struct build *b, const char *name, struct page *p)
{
	p->path = archive_output_path(&b->a, name);
	p->nodir = !b->check && build_make_dir(b) < 0;
	fs_pieces_open(&p->pieces, p->path, !b->check && !p->nodir);
}

/* The renderer's sink (tmpl_sink): the next piece of the page. */
static void page_piece(void *ud, const char *data, size_t len)
{
	fs_pieces_put(&((struct page *)ud)->pieces, data, len);
}

/* What became of a page: whether it was made whole, differs from the
 * file that was there, and is on disk as made (kept: its digest, size
 * and time); its status. */
struct page_end {
	int rc, made, differ, kept;
	uint64_t digest;
	long long size, mtime;
};

/* The page is whole (made) or given up: put it in place if it differs
 * from the file there (not with --check), what went wrong said in msg.
 * Its digest is that of whole, its bytes, or else of the file read back.
 * This part may run in a worker: it changes nothing but the file. */
static struct page_end page_end(const struct build *b, const char *name, struct page *p,
				int made, const buf *whole, buf *msg)
{
	struct page_end e = { made ? EXIT_CLEAN : EXIT_CONTENT, made, 0, 0, 0, 0, 0 };
	int found;
	if (fs_pieces_close(&p->pieces, p->path, made) < 0) {
		buf_printf(msg, "weekly: cannot write '%s': %s\n", p->path, strerror(errno));
		e.rc = EXIT_SYSTEM;
	}
	e.differ = p->pieces.differ;
	if (made && e.differ && p->nodir)
		e.rc = EXIT_SYSTEM;
	if (e.rc == EXIT_CLEAN && !(b->check && e.differ) &&
	    archive_stat(&b->a, name, &e.size, &e.mtime) == 0) {
		e.digest = whole ? digest_bytes(whole->data, whole->len, 0)
				 : digest_file(p->path, 0, &found);
		e.kept = 1;
	}
	free(p->path);
	return e;
}

/* Take what became of page name (--check: list it when it differs), and
 * remember what it was made from. Returns its exit status. */
static int page_settle(struct build *b, const char *name, uint64_t key, const struct page_end *e)
{
	if (e->made && e->differ && b->check) {
		build_say_path(b, name);
		b->listed++;
	}
	if (e->kept)
		archive_record(&b->a, name, key, e->digest, e->size, e->mtime);
	if (e->rc == EXIT_CLEAN && e->differ && !b->check && b->verbose)
		build_say_path(b, name);
	b->written += e->rc == EXIT_CLEAN && e->differ && !b->check;
	return e->rc;
}

static int page_close(struct build *b, const char *name, struct page *p, uint64_t key,
		      int made)
{
	buf msg = BUF_INIT;
	struct page_end e = page_end(b, name, p, made, NULL, &msg);
	fwrite(msg.data, 1, msg.len, stderr);
	buf_release(&msg);
	return page_settle(b, name, key, &e);
}

static int render_page(struct build *b, const char *tmpl, const char *name, value *ctx,
		       uint64_t key)
{
	diag_list d = DIAG_LIST_INIT;
	struct page p;
	page_open(b, name, &p);
	int made = renderer_stream(b->r, tmpl, ctx, page_piece, &p, &d) == 0 && !d.errors;
	build_report(b, &d);
	diag_release(&d);
	return page_close(b, name, &p, key, made);
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
			archive_index_put(ix, "seasons", seasons_links(&b->seasons, &b->a,
								       b->shared.newsletter));
		}
		int r = render_page(b, index_pages[p].template, index_pages[p].name, ctx, key);
		rc = r > rc ? r : rc;
	}
	archive_index_release(ix);
	return rc;
}

/* --- the seasons ------------------------------------------------------------- */

/* The seasons to render: season at[i], the formats of stale[i] (a bit
 * each), with the digests of their templates; rc, the worst status of
 * those stored so far. */
struct season_run {
	struct build *b;
	size_t *at;
	unsigned *stale;
	uint64_t tmpl[SEASON_FORMATS];
	int rc;
};

/* A worker's job (pool.h): season at[i]'s stale pages, from one context,
 * each put in place, when all are made, as page_end does: its status,
 * then what became of each format's page, then its diagnostics as
 * standard error shows them. */
static void season_job(size_t i, buf *out, void *arg)
{
	const struct season_run *run = arg;
	struct build *b = run->b;
	struct arena in = ARENA_INIT;
	diag_list d = DIAG_LIST_INIT;
	buf pages[SEASON_FORMATS], text = BUF_INIT;
	struct page_end e[SEASON_FORMATS] = { { 0 } };
	value *ctx = seasons_context(&b->seasons, &b->a, run->at[i], b->n, &b->shared, &in, &d);
	int rc = ctx ? EXIT_CLEAN : EXIT_SYSTEM;
	for (size_t f = 0; f < SEASON_FORMATS; f++) {
		pages[f] = (buf)BUF_INIT;
		if (ctx && (run->stale[i] >> f & 1) &&
		    renderer_run(b->r, season_templates[f], ctx, &pages[f], &d) < 0)
			rc = EXIT_CONTENT;
	}
	if (rc == EXIT_CLEAN && d.errors)
		rc = EXIT_CONTENT;
	diag_sort(&d);
	diag_format_list(&d, &text, b->dfmt, b->color);
	for (size_t f = 0; f < SEASON_FORMATS; f++) {
		if (rc == EXIT_CLEAN && (run->stale[i] >> f & 1)) {
			char *name = seasons_page(&b->seasons, run->at[i], f);
			struct page p;
			page_open(b, name, &p);
			page_piece(&p, pages[f].data, pages[f].len);
			e[f] = page_end(b, name, &p, 1, &pages[f], &text);
			free(name);
		}
		buf_release(&pages[f]);
	}
	buf_put_int(out, rc);
	for (size_t f = 0; f < SEASON_FORMATS; f++) {
		const long long v[] = { e[f].rc, e[f].made, e[f].differ, e[f].kept,
					(long long)e[f].digest, e[f].size, e[f].mtime };
		for (size_t k = 0; k < sizeof v / sizeof *v; k++)
			buf_put_int(out, v[k]);
	}
	buf_put_bytes(out, text.data, text.len);
	buf_release(&text);
	diag_release(&d);
	arena_release(&in);
}

/* What season job i found: its diagnostics said, what became of its pages
 * taken. */
static void season_done(size_t i, buf *res, void *arg)
{
	struct season_run *run = arg;
	struct build *b = run->b;
	struct buf_reader r = buf_reader(res);
	int rc = (int)buf_get_int(&r);
	struct page_end e[SEASON_FORMATS];
	for (size_t f = 0; f < SEASON_FORMATS; f++) {
		long long v[7];
		for (size_t k = 0; k < sizeof v / sizeof *v; k++)
			v[k] = buf_get_int(&r);
		e[f] = (struct page_end){ (int)v[0], (int)v[1], (int)v[2], (int)v[3],
					  (uint64_t)v[4], v[5], v[6] };
	}
	size_t textlen;
	const char *text = buf_get_bytes(&r, &textlen);
	if (!buf_read_all(&r))
		rc = EXIT_SYSTEM; /* its worker died: what it put in place is not taken */
	else
		fwrite(text, 1, textlen, stderr);
	for (size_t f = 0; f < SEASON_FORMATS && rc != EXIT_SYSTEM; f++) {
		if (!e[f].made)
			continue;
		char *name = seasons_page(&b->seasons, run->at[i], f);
		uint64_t key = seasons_key(&b->seasons, &b->a, run->at[i], run->tmpl[f]);
		int settled = page_settle(b, name, key, &e[f]);
		rc = settled > rc ? settled : rc;
		free(name);
	}
	run->rc = rc > run->rc ? rc : run->rc;
}

/* The stale formats of season k's pages: a bit each. */
static unsigned season_stale(struct build *b, size_t k, const uint64_t *tmpl)
{
	unsigned stale = 0;
	for (size_t f = 0; f < SEASON_FORMATS; f++) {
		char *name = seasons_page(&b->seasons, k, f);
		if (tmpl[f] && (b->force ||
				!archive_fresh(&b->a, name, seasons_key(&b->seasons, &b->a, k, tmpl[f]))))
			stale |= 1u << f;
		free(name);
	}
	return stale;
}

/* The seasons' pages (seasons.h): each rewritten only when what it is
 * made of changed; those that are, in workers, each stored as it comes
 * (the pages of those that came early wait in memory). */
static int build_seasons(struct build *b)
{
	struct season_run run = { b, xcalloc(b->seasons.len + 1, sizeof *run.at),
				  xcalloc(b->seasons.len + 1, sizeof *run.stale), { 0 }, EXIT_CLEAN };
	size_t n = 0;
	for (size_t f = 0; f < SEASON_FORMATS; f++)
		run.tmpl[f] = archive_template_digest(b->tdir, season_templates[f]);
	for (size_t k = 0; k < b->seasons.len; k++)
		if ((run.stale[n] = season_stale(b, k, run.tmpl)) != 0)
			run.at[n++] = k;
	if (n)
		pool_stream(n, pool_fit(b->workers ? b->workers : pool_workers(n),
					archive_job_memory(&b->a, NULL, 0)), season_job, &run,
			    season_done, &run);
	free(run.at);
	free(run.stale);
	return run.rc;
}

/* The index is built in a process of its own (pool_aside), beside the
 * archive's other pages, from the search records the build jobs handed
 * over: it logs each file it put in place in the result that search_done
 * takes. */
struct search_log {
	struct build *b;
	buf *out;
};

static int search_record(void *ud, size_t i, buf *out)
{
	return build_handed(((struct search_log *)ud)->b, i, HANDED_SEARCH, out);
}

/* A file of the index put in place, into the log. */
static void search_logged(void *ud, const struct search_file *f)
{
	buf *out = ((struct search_log *)ud)->out;
	const long long v[] = { f->wrote, f->recorded, (long long)f->key, (long long)f->digest,
				f->size, f->mtime };
	buf_put_bytes(out, f->name, strlen(f->name));
	for (size_t k = 0; k < sizeof v / sizeof *v; k++)
		buf_put_int(out, v[k]);
}

/* The index (search.h): its files as search_logged logs them, then no
 * name, then its status. */
static void search_job(size_t i, buf *out, void *arg)
{
	struct build *b = arg;
	struct search_log log = { b, out };
	(void)i;
	int rc = search_build(&b->a, b->n, search_key(&b->a), b->force, b->workers,
			      &(struct search_host){ search_record, search_logged, &log });
	buf_put_bytes(out, NULL, 0);
	buf_put_int(out, rc);
}

/* Begin the index beside the other pages, for a newsletter whose
 * settings ask for it (search: true); NULL when there is none to make
 * (--check looks at the page only) or build/ cannot be made. */
static struct pool_aside *search_begin(struct build *b)
{
	if (!b->search || b->check || build_make_dir(b) < 0)
		return NULL;
	return pool_aside(b->workers != 1 && pool_workers(b->a.len) > 1, search_job, b);
}

/* Take what the index's process did: each file it put in place listed
 * with -v, counted and remembered in the state. 0, or -1 when it failed
 * (having said why). */
static int search_done(struct build *b, struct pool_aside *index)
{
	buf res = BUF_INIT;
	int died = pool_aside_end(index, &res) < 0, rc;
	struct buf_reader r = buf_reader(&res);
	const char *name;
	size_t len;
	while ((name = buf_get_bytes(&r, &len)) != NULL) {
		long long v[6];
		for (size_t k = 0; k < sizeof v / sizeof *v; k++)
			v[k] = buf_get_int(&r);
		if (v[1])
			archive_record(&b->a, name, (uint64_t)v[2], (uint64_t)v[3], v[4], v[5]);
		if (v[0] && b->verbose)
			build_say_path(b, name);
		b->written += v[0] != 0;
	}
	rc = (int)buf_get_int(&r);
	if (died || !buf_read_all(&r)) {
		fprintf(stderr, "weekly: the search index could not be made\n");
		rc = -1;
	}
	buf_release(&res);
	return rc;
}

/* The search page and the index it reads, begun by search_begin. */
static int build_search(struct build *b, struct pool_aside *index)
{
	if (!b->search)
		return EXIT_CLEAN;
	uint64_t digest = archive_template_digest(b->tdir, SEARCH_TEMPLATE);
	if (!b->check && (!index || search_done(b, index) < 0))
		return EXIT_SYSTEM;
	uint64_t index_key = search_key(&b->a);
	uint64_t key = digest_bytes(&b->a.settings, sizeof b->a.settings, digest);
	key = digest_bytes(&index_key, sizeof index_key, key);
	if (!b->force && archive_fresh(&b->a, "search.html", key))
		return EXIT_CLEAN;
	value *ctx = value_map(), *search = value_map();
	value_map_lit(ctx, "newsletter", value_ref(b->shared.newsletter));
	const value *strings = value_getc(b->shared.newsletter, "strings");
	if (strings) /* the page's words, in its language */
		value_map_lit(ctx, "strings", value_ref((value *)strings));
	value_map_lit(search, "shards", value_number(search_shards(&b->a)));
	value_map_lit(ctx, "search", search);
	int rc = render_page(b, SEARCH_TEMPLATE, "search.html", ctx, key);
	value_free(ctx);
	return rc;
}

/* The entries of the feed: the newest issues' whose jobs packed one. */
struct feed_walk {
	struct build *b;
	size_t at[ARCHIVE_FEED_SIZE]; /* among b->entries */
	size_t n;
};

/* Entry i of the feed, unpacked as its template walks it, into arena in
 * (value_make_fn); with first and last. */
static value *feed_entry(const void *ud, size_t i, struct arena *in)
{
	const struct feed_walk *w = ud;
	struct build *b = w->b;
	buf packed = BUF_INIT;
	int got = build_feed_packed(b, w->at[i], &packed) == 0;
	struct buf_reader r = buf_reader(&packed);
	value *ctx = got ? value_unpack_in(in, &r) : NULL, *entry;
	buf_release(&packed);
	if (ctx) {
		char *page = archive_output_name(&b->a, b->entries[w->at[i]].issue,
						 render_format("html"));
		entry = archive_feed_entry(ctx, page, b->base);
		free(page);
	} else {
		entry = value_map_in(in); /* the bulk file failed it */
	}
	value_map_lit(entry, "first", value_bool_in(in, i == 0));
	value_map_lit(entry, "last", value_bool_in(in, i + 1 == w->n));
	return entry;
}

/* The feeds of the newest issues, made from the entries their jobs handed
 * over (each issue is parsed once, for its pages and the feeds alike). */
static int build_feeds(struct build *b)
{
	struct archive_feed_item items[ARCHIVE_FEED_SIZE];
	struct feed_walk w = { b, { 0 }, 0 };
	diag_list d = DIAG_LIST_INIT;
	if (!b->feed_stale)
		return EXIT_CLEAN;
	for (size_t k = 0; k < b->nentries; k++)
		items[k] = (struct archive_feed_item){ b->entries[k].issue, b->entries[k].nodes };
	size_t cut = archive_feed_cut(&b->a, items, b->nentries, &d);
	for (size_t k = 0; k < cut; k++) /* those past the cut are left out */
		if (b->entries[k].ready && (b->entries[k].len || b->entries[k].packed.len))
			w.at[w.n++] = k;
	value *ctx = archive_feed_context(&b->a, b->shared.newsletter,
					  value_list_made_in(NULL, w.n, feed_entry, &w));
	build_report(b, &d);
	int rc = d.errors ? EXIT_CONTENT : EXIT_CLEAN;
	for (size_t f = 0; f < NFEEDS && rc == EXIT_CLEAN; f++)
		if (b->feed_key[f]) {
			int r = render_page(b, build_feed_templates[f], build_feed_names[f], ctx,
					    b->feed_key[f]);
			rc = r > rc ? r : rc;
		}
	value_free(ctx);
	diag_release(&d);
	return rc;
}

static int topic_page(void *ud, const char *tmpl, const char *name, value *ctx, uint64_t key)
{
	return render_page(ud, tmpl, name, ctx, key);
}

/* What the build jobs handed over for the topics and the seasons. */
static int topic_lines(void *ud, size_t i, buf *out)
{
	return build_handed(ud, i, HANDED_TOPICS, out);
}

static int season_items(void *ud, size_t i, buf *out)
{
	return build_handed(ud, i, HANDED_SEASON, out);
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
				b->workers, topic_page, topic_gone, topic_lines, b };
	if (!b->check && build_make_dir(b) < 0)
		return EXIT_SYSTEM;
	return topics_build(&r);
}

/* The archive pages list every issue: when one failed they wait. */
void build_pages(struct build *b)
{
	if (b->failed || b->held)
		return;
	seasons_open(&b->seasons, b->n, &b->a);
	b->seasons.handed = season_items;
	b->seasons.ud = b;
	b->seasons.parts = b->season_parts;
	b->paged = 1;
	struct pool_aside *index = search_begin(b);
	build_worse(b, build_index(b));
	build_worse(b, build_seasons(b));
	build_worse(b, build_topics(b));
	build_worse(b, build_feeds(b));
	build_worse(b, build_search(b, index));
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
		build_worse(b, EXIT_SYSTEM);
	}
	free(path);
}

static void left_in_place(const char *path)
{
	diag_say(stderr, "weekly: left '%s' in place: it changed since weekly wrote it\n", path);
}

static int leftover(const char *name)
{
	return strstr(name, FS_TEMP_MARK) && fs_temp_leftover(name);
}

/* Temporary files of writes that were killed before they ended, in dir,
 * in the order of their names. */
static void leftovers_in(struct build *b, const char *dir)
{
	char **names;
	long n = fs_names(dir, leftover, &names);
	for (long k = 0; k < n; k++)
		drop(b, dir, names[k]);
	fs_names_free(names, n);
}

/* Where weekly writes: build/, and issues/ (weekly new and import); with
 * --all always, else when the folder's time says files came or went. */
void build_leftovers(struct build *b)
{
	int moved = archive_moved(&b->a, 1);
	if (b->all || moved)
		leftovers_in(b, b->a.dir);
	b->a.dirty |= moved; /* the time of build/ swept goes to the index */
	if (b->all || archive_moved(&b->a, 0))
		leftovers_in(b, b->a.issues_dir);
}

/* The outputs weekly wrote for issues that are gone or drafts again, for
 * seasons gone and the search caches of chunks gone: only files its state
 * records, and only while they hold what it wrote. */
void build_remove_stale(struct build *b)
{
	size_t n, cap;
	char **copies = archive_stale(&b->a, b->drafts, &n);
	cap = n;
	for (size_t k = 0; b->paged && k < b->a.nouts; k++)
		if (seasons_stale(&b->seasons, b->a.outs[k].name) ||
		    (b->search && search_gone(&b->a, b->a.outs[k].name))) {
			xgrow((void **)&copies, &cap, n + 1, sizeof *copies);
			copies[n++] = xstrdup(b->a.outs[k].name);
		}
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
