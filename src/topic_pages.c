/* topic_pages.c - one page and one Atom feed per topic across the archive
 * (see topics.h), kept in step with the sources through a cache of each
 * issue's items with topics, so that only changed issues are read again and
 * only changed topics rendered. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/arena.h"
#include "weekly/diag.h"
#include "weekly/digest.h"
#include "weekly/fsutil.h"
#include "weekly/markdown.h"
#include "weekly/pool.h"
#include "weekly/strings.h"
#include "weekly/topics.h"
#include "weekly/util.h"
#include "topics_int.h"

/* Bump when the cache's format or what an item carries changes. */
#define TOPICS_FORMAT "weekly-topics 2"
#define CACHE_NAME ".weekly/topics.tsv"

/* --- the cache: each listed issue's lines, under its key ------------------- */

/* Where in the cache (or in lines read again) an issue's lines are. */
struct block {
	long number;
	uint64_t key;
	const char *text;
	size_t len;
};

/* What an issue's lines are made from: its source, its number and the
 * settings (the vocabulary among them). */
static uint64_t issue_key(const struct archive *a, size_t i)
{
	const struct archive_issue *is = &a->issues[i];
	uint64_t k = digest_bytes(TOPICS_FORMAT, strlen(TOPICS_FORMAT), is->digest);
	k = digest_bytes(&is->number, sizeof is->number, k);
	return digest_bytes(&a->settings, sizeof a->settings, k);
}

/* A page or feed the cache says a build wrote, and the digest of its bytes. */
struct written {
	char *name;
	uint64_t digest;
};

/* A cache file: TOPICS_FORMAT; a line "=NAME <TAB> DIGEST" per page and
 * feed written; then for each issue, newest first, "N <TAB> KEY <TAB>
 * LENGTH" and its lines. What does not read so ends it. */
static size_t cache_blocks(const char *text, size_t len, struct block **out,
			   struct written **w, size_t *nw)
{
	size_t hl = strlen(TOPICS_FORMAT), n = 0, cap = 0, wcap = 0;
	*out = NULL;
	*w = NULL;
	*nw = 0;
	if (!text || len <= hl || memcmp(text, TOPICS_FORMAT, hl) != 0 || text[hl] != '\n')
		return 0;
	const char *p = text + hl + 1, *end = text + len;
	for (const char *tab, *nl; p < end && *p == '=' && (nl = memchr(p, '\n', (size_t)(end - p))) &&
	     (tab = memchr(p, '\t', (size_t)(nl - p))); p = nl + 1) {
		xgrow((void **)w, &wcap, *nw + 1, sizeof **w);
		(*w)[(*nw)++] = (struct written){ xstrndup(p + 1, (size_t)(tab - p - 1)),
						   strtoull(tab + 1, NULL, 16) };
	}
	while (p < end) {
		char *e;
		struct block b = { strtol(p, &e, 10), 0, NULL, 0 };
		if (*e == '\t')
			b.key = strtoull(e + 1, &e, 16);
		if (*e == '\t')
			b.len = strtoul(e + 1, &e, 10);
		if (*e != '\n' || b.len > (size_t)(end - e - 1))
			break;
		b.text = e + 1;
		xgrow((void **)out, &cap, n + 1, sizeof **out);
		(*out)[n++] = b;
		p = b.text + b.len;
	}
	return n;
}

static int by_number_down(const void *key, const void *elem)
{
	long n = *(const long *)key, m = ((const struct block *)elem)->number;
	return n > m ? -1 : n < m;
}

/* --- reading the issues that changed ---------------------------------------- */

struct reading {
	const struct newsletter *n;
	struct archive *a;
	const struct vocab *v;
	const size_t *todo;  /* issues of the archive to read */
};

/* A job's result: "NO" for a source that cannot be read, else "OK" and its
 * lines; an issue that mentions no topic is not parsed. */
static void read_job(size_t j, buf *out, void *arg)
{
	struct reading *r = arg;
	char *path = archive_source_path(r->a, r->todo[j]), *text;
	size_t len;
	int syserr = 0;
	diag_list d = DIAG_LIST_INIT;
	if (issue_read(path, &text, &len, &d, &syserr) < 0) {
		buf_puts(out, "NO");
	} else {
		buf_puts(out, "OK");
		if (topics_mentioned(r->v, text, len)) {
			struct issue *is = issue_parse_outline(r->n, path, text, len, &d);
			topics_issue_lines(r->v, is, out);
			issue_free(is);
		}
		free(text);
	}
	diag_release(&d);
	free(path);
}

/* --- the run ---------------------------------------------------------------- */

struct entry {
	size_t issue;        /* in the archive */
	long conf, n;        /* its section (settings), its number there */
	const char *line;    /* as the cache keeps it: title, url and note are
			      * read from it when a page shows the item */
	size_t len;
};

struct list {
	size_t *at;          /* entries, newest first */
	size_t n, cap;
};

struct state {
	const struct topics_run *r;
	struct vocab v;
	uint64_t digest[2];  /* of the page's and the feed's template; 0: none */
	uint64_t base;       /* of the settings and the templates */
	size_t *order, count; /* the listed issues, newest first */
	struct block *blocks; /* their lines, in that order */
	buf *fresh;          /* lines of the issues read again */
	char *old;           /* the cache file as read */
	size_t oldlen;
	struct block *cached;
	size_t ncached;
	struct written *written; /* what the last build wrote */
	size_t nwritten;
	struct entry *entries;
	size_t nentries, capentries;
	struct list lists[TOPICS_MAX];
};

static const char *const templates[2] = { TOPICS_PAGE_TEMPLATE, TOPICS_FEED_TEMPLATE };
static const char *const exts[2] = { ".html", ".xml" };

static char *output_name(const char *id, size_t f)
{
	return xasprintf("topics/%s%s", id, exts[f]);
}

/* What the whole of the topics is made of: the settings, the templates
 * and every listed issue's lines and listing. */
static uint64_t all_key(const struct state *s)
{
	uint64_t k = s->base;
	for (size_t j = 0; j < s->count; j++) {
		const struct archive_issue *is = &s->r->a->issues[s->order[j]];
		uint64_t ik = issue_key(s->r->a, s->order[j]);
		k = digest_bytes(&ik, sizeof ik, k);
		k = digest_bytes(is->name, strlen(is->name), k);
		k = digest_bytes(is->date, strlen(is->date), k);
		k = digest_bytes(is->title ? is->title : "", is->title ? strlen(is->title) + 1 : 0,
				 k);
	}
	return k;
}

/* Whether every page and feed is on disk as the last run left it. */
static int all_intact(const struct state *s)
{
	int ok = 1;
	for (size_t t = 0; t < s->v.n && ok; t++)
		for (size_t f = 0; f < 2 && ok; f++) {
			if (!s->digest[f])
				continue;
			char *name = output_name(s->v.id[t], f);
			ok = archive_intact(s->r->a, name);
			free(name);
		}
	return ok;
}

/* The cache file as the last build left it, if any. */
static void read_cache(struct state *s)
{
	char *path = archive_output_path(s->r->a, CACHE_NAME);
	if (fs_read(path, &s->old, &s->oldlen) < 0)
		s->old = NULL;
	free(path);
	s->ncached = cache_blocks(s->old, s->oldlen, &s->cached, &s->written, &s->nwritten);
}

/* An issue's lines, len bytes of text; not ok: the issue could not be
 * read, and is read again next time. */
static void take_block(struct block *b, const char *text, size_t len, int ok)
{
	b->key = ok ? b->key : 0;
	b->text = ok && len ? text : "";
	b->len = ok ? len : 0;
}

/* Each listed issue's lines: from the cache when its key is the same,
 * else as a build job of this run handed them over, else read again, in
 * worker processes. */
static void gather(struct state *s)
{
	struct archive *a = s->r->a;
	size_t ntodo = 0, nhanded = 0;
	s->blocks = xcalloc(s->count ? s->count : 1, sizeof *s->blocks);
	s->fresh = xcalloc(s->count ? s->count : 1, sizeof *s->fresh);
	size_t *todo = xcalloc(s->count ? s->count : 1, sizeof *todo);
	size_t *slot = xcalloc(s->count ? s->count : 1, sizeof *slot);
	for (size_t j = 0; j < s->count; j++) {
		const struct archive_issue *is = &a->issues[s->order[j]];
		uint64_t key = issue_key(a, s->order[j]);
		const struct block *c = s->ncached ? bsearch(&is->number, s->cached, s->ncached,
							    sizeof *c, by_number_down) : NULL;
		s->blocks[j] = (struct block){ is->number, key, "", 0 };
		if (c && c->key == key) {
			s->blocks[j] = *c;
		} else if (s->r->handed &&
			   s->r->handed(s->r->ud, s->order[j], &s->fresh[nhanded]) == 0) {
			take_block(&s->blocks[j], s->fresh[nhanded].data, s->fresh[nhanded].len, 1);
			nhanded++;
		} else {
			slot[ntodo] = j;
			todo[ntodo++] = s->order[j];
		}
	}
	struct reading rd = { s->r->n, a, &s->v, todo };
	buf *read = s->fresh + nhanded;
	if (ntodo)
		pool_run(ntodo, pool_fit(s->r->workers ? s->r->workers : pool_workers(ntodo),
					 archive_job_memory(a, todo, ntodo)), read_job, &rd, read);
	for (size_t k = 0; k < ntodo; k++) {
		int ok = read[k].len >= 2 && memcmp(read[k].data, "OK", 2) == 0;
		take_block(&s->blocks[slot[k]], ok ? read[k].data + 2 : "", ok ? read[k].len - 2 : 0,
			   ok);
	}
	free(slot);
	free(todo);
}

/* The entries of line (len bytes) of issue i, added to the lists of its
 * topics; a line that does not read is left out. */
static void add_line(struct state *s, size_t i, const char *line, size_t len)
{
	char *copy = xstrndup(line, len), *f[6], *p = copy;
	size_t nf = 0;
	for (; nf < 6 && p; nf++) {
		f[nf] = p;
		p = strchr(p, '\t');
		if (p)
			*p++ = '\0';
	}
	long conf = nf == 6 && !p ? strtol(f[0], NULL, 10) : -1;
	if (conf < 0 || (size_t)conf >= s->r->n->nsections) {
		free(copy);
		return;
	}
	xgrow((void **)&s->entries, &s->capentries, s->nentries + 1, sizeof *s->entries);
	size_t e = s->nentries++;
	s->entries[e] = (struct entry){ i, conf, strtol(f[1], NULL, 10), line, len };
	for (char *t = f[2]; *t;) {
		char *end;
		unsigned long k = strtoul(t, &end, 10);
		if (end == t || k >= s->v.n)
			break;
		struct list *l = &s->lists[k];
		if (!l->n || l->at[l->n - 1] != e) {
			xgrow((void **)&l->at, &l->cap, l->n + 1, sizeof *l->at);
			l->at[l->n++] = e;
		}
		t = *end == ',' ? end + 1 : end;
	}
	free(copy);
}

static void make_lists(struct state *s)
{
	for (size_t j = 0; j < s->count; j++) {
		const char *p = s->blocks[j].text, *end = p + s->blocks[j].len;
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *stop = nl ? nl : end;
			add_line(s, s->order[j], p, (size_t)(stop - p));
			p = stop + 1;
		}
	}
}

/* What topic t's page and feed are made of. */
static uint64_t topic_key(const struct state *s, size_t t)
{
	uint64_t k = digest_bytes(&t, sizeof t, s->base);
	const struct list *l = &s->lists[t];
	for (size_t j = 0; j < l->n; j++) {
		const struct entry *e = &s->entries[l->at[j]];
		const struct archive_issue *is = &s->r->a->issues[e->issue];
		k = digest_bytes(is->name, strlen(is->name) + 1, k);
		k = digest_bytes(is->date, strlen(is->date) + 1, k);
		k = digest_bytes(is->title ? is->title : "", is->title ? strlen(is->title) + 1 : 0,
				 k);
		k = digest_bytes(e->line, e->len, k);
	}
	return k;
}

/* --- the contexts ------------------------------------------------------------- */

static value *str_in(struct arena *ar, const char *s)
{
	return value_cstring_in(ar, s ? s : "");
}

/* Issue i as a link target, with its date in words. */
static value *issue_value(const struct state *s, struct arena *ar, size_t i)
{
	value *m = archive_link_value(s->r->a, (long)i, ar);
	char *date = strings_date(value_getc(s->r->newsletter, "strings"), s->r->a->issues[i].date);
	value_map_lit(m, "date_text", str_in(ar, date));
	free(date);
	return m;
}

static value *entry_value(const struct state *s, struct arena *ar, const struct entry *e)
{
	const struct section_conf *c = &s->r->n->sections[e->conf];
	value *m = value_map_in(ar);
	buf html = BUF_INIT;
	char *copy = xstrndup(e->line, e->len), *f[6] = { 0 }, *p = copy;
	for (size_t k = 0; k < 6 && p; k++) { /* add_line read it as six fields */
		f[k] = p;
		if ((p = strchr(p, '\t')))
			*p++ = '\0';
	}
	char *title = diag_unescape_field(f[3]), *url = diag_unescape_field(f[4]);
	char *note = diag_unescape_field(f[5]);
	char *anchor = xasprintf("%s-%ld", c->id, e->n);
	value_map_lit(m, "n", value_number_in(ar, (double)e->n));
	value_map_lit(m, "anchor", str_in(ar, anchor));
	value_map_lit(m, "section", str_in(ar, c->title));
	value_map_lit(m, "section_id", str_in(ar, c->id));
	value_map_lit(m, "title", str_in(ar, title));
	value_map_lit(m, "url", str_in(ar, url));
	value_map_lit(m, "note", str_in(ar, note));
	if (*note)
		markdown_html(note, strlen(note), &html);
	value_map_lit(m, "note_html", value_string_in(ar, html.data, html.len));
	buf_release(&html);
	free(note);
	free(url);
	free(title);
	free(copy);
	free(anchor);
	return m;
}

static void mark_ends(struct arena *ar, value *list)
{
	for (size_t k = 0; k < value_len(list); k++) {
		value *m = (value *)value_at(list, k);
		value_map_lit(m, "first", value_bool_in(ar, k == 0));
		value_map_lit(m, "last", value_bool_in(ar, k + 1 == value_len(list)));
	}
}

/* issues[]: the issues of topic t's entries, newest first, each with its
 * items[]; entries[]: the newest TOPICS_FEED_SIZE entries, each with its
 * issue. */
static void put_items(const struct state *s, size_t t, struct arena *ar, value *root)
{
	const struct list *l = &s->lists[t];
	value *issues = value_map_lit(root, "issues", value_list_in(ar));
	value *entries = value_map_lit(root, "entries", value_list_in(ar));
	value *issue = NULL, *items = NULL;
	for (size_t j = 0; j < l->n && j < TOPICS_PAGE_SIZE; j++) {
		const struct entry *e = &s->entries[l->at[j]];
		if (!j || e->issue != s->entries[l->at[j - 1]].issue) {
			issue = value_list_push(issues, issue_value(s, ar, e->issue));
			items = value_map_lit(issue, "items", value_list_in(ar));
		}
		value_list_push(items, entry_value(s, ar, e));
		if (j < TOPICS_FEED_SIZE) {
			value *m = value_list_push(entries, entry_value(s, ar, e));
			value_map_lit(m, "issue", issue);
		}
	}
	for (size_t k = 0; k < value_len(issues); k++)
		mark_ends(ar, (value *)value_getc(value_at(issues, k), "items"));
	mark_ends(ar, issues);
	mark_ends(ar, entries);
}

/* topics[]: every topic, with its page beside this one's, and whether it
 * is this one. */
static value *topics_value(const struct state *s, size_t t, struct arena *ar)
{
	value *list = value_list_in(ar);
	for (size_t k = 0; k < s->v.n; k++) {
		value *m = value_list_push(list, value_map_in(ar));
		char *page = xasprintf("%s.html", s->v.id[k]);
		value_map_lit(m, "id", str_in(ar, s->v.id[k]));
		value_map_lit(m, "title", str_in(ar, s->v.title[k]));
		value_map_lit(m, "page", str_in(ar, page));
		value_map_lit(m, "current", value_bool_in(ar, k == t));
		free(page);
	}
	mark_ends(ar, list);
	return list;
}

static value *topic_value(const struct state *s, size_t t, struct arena *ar)
{
	const value *strings = value_getc(s->r->newsletter, "strings");
	const char *lang = value_str(value_getc(s->r->newsletter, "language"));
	const struct list *l = &s->lists[t];
	value *m = value_map_in(ar);
	char *page = output_name(s->v.id[t], 0), *feed = output_name(s->v.id[t], 1);
	size_t shown = l->n < TOPICS_PAGE_SIZE ? l->n : TOPICS_PAGE_SIZE;
	char *links = strings_count(strings, "links", lang, (long)shown);
	value_map_lit(m, "id", str_in(ar, s->v.id[t]));
	value_map_lit(m, "title", str_in(ar, s->v.title[t]));
	value_map_lit(m, "description", s->v.description[t] ? str_in(ar, s->v.description[t])
		      : value_null_in(ar));
	value_map_lit(m, "page", str_in(ar, page));
	value_map_lit(m, "feed", str_in(ar, feed));
	value_map_lit(m, "count", value_number_in(ar, (double)l->n));
	value_map_lit(m, "shown", value_number_in(ar, (double)shown));
	value_map_lit(m, "links", str_in(ar, links));
	value_map_lit(m, "updated", str_in(ar, l->n ? s->r->a->issues[s->entries[l->at[0]].issue].date
					   : s->count ? s->r->a->issues[s->order[0]].date : ""));
	free(links);
	free(feed);
	free(page);
	return m;
}

/* The context of topic t's page and feed: newsletter, strings, archive
 * {url}, topic {id, title, description, page, feed, count, links,
 * updated}, topics[], issues[] and entries[]. */
static value *topic_context(const struct state *s, size_t t, struct arena *ar)
{
	value *root = value_map_in(ar), *archive = value_map_in(ar);
	char *base = archive_base_url(s->r->newsletter);
	value_map_lit(archive, "url", str_in(ar, base));
	free(base);
	value_map_lit(root, "newsletter", s->r->newsletter);
	value_map_lit(root, "strings", (value *)value_getc(s->r->newsletter, "strings"));
	value_map_lit(root, "archive", archive);
	value_map_lit(root, "topic", topic_value(s, t, ar));
	value_map_lit(root, "topics", topics_value(s, t, ar));
	put_items(s, t, ar, root);
	return root;
}

/* --- writing ------------------------------------------------------------------ */

static int render_topic(struct state *s, size_t t)
{
	uint64_t key = topic_key(s, t);
	int fresh = !s->r->force, rc = EXIT_CLEAN;
	for (size_t f = 0; f < 2 && fresh; f++) {
		char *name = output_name(s->v.id[t], f);
		fresh = !s->digest[f] || archive_fresh(s->r->a, name, key);
		free(name);
	}
	if (fresh)
		return EXIT_CLEAN;
	struct arena ar = ARENA_INIT;
	value *ctx = topic_context(s, t, &ar);
	for (size_t f = 0; f < 2; f++) {
		if (!s->digest[f])
			continue;
		char *name = output_name(s->v.id[t], f);
		int r = s->r->render(s->r->ud, templates[f], name, ctx, key);
		rc = r > rc ? r : rc;
		free(name);
	}
	arena_release(&ar);
	return rc;
}

/* The digest of output name as recorded, into *digest: whether it is. */
static int recorded(const struct archive *a, const char *name, uint64_t *digest)
{
	for (size_t i = 0; i < a->nouts; i++)
		if (strcmp(a->outs[i].name, name) == 0) {
			*digest = a->outs[i].digest;
			return 1;
		}
	return 0;
}

/* Whether topic t of the vocabulary makes output name. */
static int made(const struct state *s, const char *name)
{
	int found = 0;
	for (size_t t = 0; t < s->v.n && !found; t++)
		for (size_t f = 0; f < 2 && !found; f++) {
			char *mine = output_name(s->v.id[t], f);
			found = s->digest[f] && strcmp(name, mine) == 0;
			free(mine);
		}
	return found;
}

/* Hand the caller each page and feed the last build wrote that nothing
 * makes now, and whether it still holds what was written. */
static void say_gone(const struct state *s)
{
	for (size_t k = 0; k < s->nwritten; k++) {
		const struct written *w = &s->written[k];
		if (made(s, w->name))
			continue;
		char *path = archive_output_path(s->r->a, w->name), *text;
		size_t len;
		int intact = fs_read(path, &text, &len) == 0;
		if (intact) {
			intact = digest_bytes(text, len, 0) == w->digest;
			free(text);
		}
		if (intact || fs_exists(path))
			s->r->gone(s->r->ud, w->name, intact);
		free(path);
	}
}

/* The cache file, new: every listed issue's block, newest first, into
 * out a piece at a time (the cache of a big archive is tens of
 * megabytes). */
static void cache_text(const struct state *s, fs_pieces *out)
{
	buf head = BUF_INIT;
	buf_printf(&head, "%s\n", TOPICS_FORMAT);
	for (size_t t = 0; t < s->v.n; t++)
		for (size_t f = 0; f < 2; f++) {
			char *name = output_name(s->v.id[t], f);
			uint64_t digest;
			if (s->digest[f] && recorded(s->r->a, name, &digest))
				buf_printf(&head, "=%s\t%016llx\n", name, (unsigned long long)digest);
			free(name);
		}
	fs_pieces_put(out, head.data, head.len);
	for (size_t j = 0; s->blocks && j < s->count; j++) {
		const struct block *b = &s->blocks[j];
		if (!b->key)
			continue;
		head.len = 0;
		buf_printf(&head, "%ld\t%016llx\t%zu\n", b->number, (unsigned long long)b->key,
			   b->len);
		fs_pieces_put(out, head.data, head.len);
		fs_pieces_put(out, b->text, b->len);
	}
	buf_release(&head);
}

static int write_cache(struct state *s, uint64_t key)
{
	struct archive *a = s->r->a;
	char *path = archive_output_path(a, CACHE_NAME), *dir = fs_dirname(path);
	int rc = EXIT_CLEAN, found;
	long long size, mtime;
	fs_pieces out;
	int made = fs_mkdirs(dir) == 0;
	if (made) {
		fs_pieces_open(&out, path, 1);
		cache_text(s, &out);
	}
	if (!made || fs_pieces_close(&out, path, 1) < 0) {
		fprintf(stderr, "weekly: cannot write '%s': %s\n", path, strerror(errno));
		rc = EXIT_SYSTEM;
	} else if (archive_stat(a, CACHE_NAME, &size, &mtime) == 0) {
		archive_record(a, CACHE_NAME, key, digest_file(path, 0, &found), size, mtime);
	}
	free(dir);
	free(path);
	return rc;
}

/* build/topics/, for the pages. */
static int make_folder(const struct archive *a)
{
	char *path = archive_output_path(a, "topics");
	int rc = fs_mkdirs(path) < 0 ? EXIT_SYSTEM : EXIT_CLEAN;
	if (rc != EXIT_CLEAN)
		fprintf(stderr, "weekly: cannot make '%s': %s\n", path, strerror(errno));
	free(path);
	return rc;
}

static void state_release(struct state *s)
{
	for (size_t t = 0; t < TOPICS_MAX; t++)
		free(s->lists[t].at);
	for (size_t j = 0; s->fresh && j < s->count; j++)
		buf_release(&s->fresh[j]);
	free(s->fresh);
	free(s->entries);
	free(s->blocks);
	free(s->cached);
	for (size_t k = 0; k < s->nwritten; k++)
		free(s->written[k].name);
	free(s->written);
	free(s->old);
	free(s->order);
}

int topics_build(const struct topics_run *r)
{
	struct state *s = xcalloc(1, sizeof *s);
	s->r = r;
	topics_vocab_load(r->n, &s->v);
	s->base = digest_bytes(TOPICS_FORMAT, strlen(TOPICS_FORMAT), r->a->settings);
	for (size_t f = 0; f < 2; f++) {
		s->digest[f] = archive_template_digest(r->tdir, templates[f]);
		s->base = digest_bytes(&s->digest[f], sizeof s->digest[f], s->base);
	}
	int rc = EXIT_CLEAN, active = s->v.n && (s->digest[0] || s->digest[1]);
	s->order = archive_newest(r->a, 0, &s->count);
	uint64_t key = all_key(s);
	if (r->force || !archive_fresh(r->a, CACHE_NAME, key) || !all_intact(s))
		read_cache(s);
	else
		active = 0; /* up to date */
	if (active) {
		rc = r->check ? EXIT_CLEAN : make_folder(r->a);
		if (rc == EXIT_CLEAN) {
			gather(s);
			make_lists(s);
		}
		for (size_t t = 0; t < s->v.n && rc == EXIT_CLEAN; t++) {
			int k = render_topic(s, t);
			rc = k > rc ? k : rc;
		}
	}
	if (active || s->old) {
		say_gone(s);
		if (rc == EXIT_CLEAN && !r->check)
			rc = write_cache(s, key);
	}
	state_release(s);
	free(s);
	return rc;
}
