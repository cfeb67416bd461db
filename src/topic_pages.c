/* topic_pages.c - one page and one Atom feed per topic across the archive
 * (see topics.h), kept in step with the sources through a cache of each
 * issue's items with topics, so that only changed issues are read again and
 * only changed topics rendered. No part of it holds the archive: the
 * listed issues' lines wait in a temporary file, each topic keeps where its
 * newest items are in it, and a page's issues are made one at a time as its
 * template walks them. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "weekly/arena.h"
#include "weekly/diag.h"
#include "weekly/digest.h"
#include "weekly/fsutil.h"
#include "weekly/markdown.h"
#include "weekly/pool.h"
#include "weekly/stash.h"
#include "weekly/strings.h"
#include "weekly/topics.h"
#include "weekly/util.h"
#include "topics_int.h"

/* Bump when the cache's format or what an item carries changes. */
#define TOPICS_FORMAT "weekly-topics 2"
#define CACHE_NAME ".weekly/topics.tsv"

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

/* Where the lines of a listed issue wait, in the run's work file. */
struct block {
	uint64_t key;        /* what they were made from; 0: the issue could not
			      * be read (it is read again next time) */
	long long at;
	size_t len;
};

/* One of a topic's newest items: its line in the work file, and the
 * listed issue it is in (its place, newest first). */
struct pick {
	long long at;
	uint32_t j, len;
};

/* What a topic is made of: its count of items, the digest of them all,
 * and where the lines of the newest TOPICS_PAGE_SIZE are. */
struct list {
	struct pick *picks;
	size_t npicks, cap;
	size_t n, last;      /* items, and the serial number of the last one */
	uint64_t key;
};

/* The cache file as the last build left it, read as it is walked, newest
 * issue first: TOPICS_FORMAT; a line "=NAME <TAB> DIGEST" per page and
 * feed written; then for each issue, newest first, "N <TAB> KEY <TAB>
 * LENGTH" and its lines. What does not read so ends it. */
struct old_cache {
	FILE *f;             /* NULL: none */
	long number;         /* of the block ahead; LONG_MIN: none */
	uint64_t key;
	size_t len;
	int unread;          /* the block's lines are still ahead in f */
	char *line;          /* getline's */
	size_t cap;
};

struct state {
	const struct topics_run *r;
	struct vocab v;
	uint64_t digest[2];  /* of the page's and the feed's template; 0: none */
	uint64_t base;       /* of the settings and the templates */
	size_t *order, count; /* the listed issues, newest first */
	struct block *blocks; /* their lines, in that order */
	struct stash *work;  /* the work file, which holds them */
	long long worklen;
	int err;             /* errno of a write or read of it that failed */
	struct old_cache old;
	struct written *written; /* what the last build wrote */
	size_t nwritten;
	char *name[TOPICS_MAX][2]; /* each topic's page and feed, as outputs */
	struct list lists[TOPICS_MAX];
};

/* --- the cache as the last build left it --------------------------------- */

/* line as the header of a block: 0, or -1 when it does not read as one. */
static int old_block(struct old_cache *o, const char *line)
{
	char *e;
	long number = strtol(line, &e, 10);
	uint64_t key = 0;
	size_t len = 0;
	if (*e == '\t')
		key = strtoull(e + 1, &e, 16);
	if (*e == '\t')
		len = strtoul(e + 1, &e, 10);
	if (*e != '\n' || e[1] || number == LONG_MIN)
		return -1;
	*o = (struct old_cache){ o->f, number, key, len, 1, o->line, o->cap };
	return 0;
}

/* Leave the block ahead, read the next one's header. */
static void old_next(struct old_cache *o)
{
	int ok = o->f && (!o->unread || fseeko(o->f, (off_t)o->len, SEEK_CUR) == 0) &&
		 getline(&o->line, &o->cap, o->f) > 0 && old_block(o, o->line) == 0;
	if (!ok)
		o->number = LONG_MIN, o->unread = 0;
}

/* Open the cache file, read what it says was written, and stop at the
 * first block. */
static void read_cache(struct state *s)
{
	struct old_cache *o = &s->old;
	char *path = archive_output_path(s->r->a, CACHE_NAME);
	size_t wcap = 0;
	o->f = fopen(path, "re");
	o->number = LONG_MIN;
	free(path);
	if (!o->f || getline(&o->line, &o->cap, o->f) <= 0 ||
	    strncmp(o->line, TOPICS_FORMAT "\n", strlen(TOPICS_FORMAT) + 2) != 0)
		return;
	while (getline(&o->line, &o->cap, o->f) > 0 && o->line[0] == '=') {
		char *tab = strchr(o->line, '\t');
		if (!tab)
			return;
		xgrow((void **)&s->written, &wcap, s->nwritten + 1, sizeof *s->written);
		s->written[s->nwritten++] = (struct written){
			xstrndup(o->line + 1, (size_t)(tab - o->line - 1)), strtoull(tab + 1, NULL, 16) };
	}
	if (!feof(o->f))
		old_block(o, o->line);
}

/* --- the work file: the lines of every listed issue ---------------------- */

static void work_put(struct state *s, const char *data, size_t len)
{
	if (!s->err && stash_put(s->work, data, len) < 0)
		s->err = errno;
	s->worklen += s->err ? 0 : (long long)len;
}

/* The lines of the issue j listed, made from key, into the work file. */
static void put_block(struct state *s, size_t j, uint64_t key, const char *text, size_t len)
{
	s->blocks[j] = (struct block){ key, s->worklen, len };
	work_put(s, text, len);
}

/* The lines of the block ahead in the cache, as the issue j listed's:
 * whether all of them came. */
static int old_take(struct state *s, size_t j)
{
	struct old_cache *o = &s->old;
	char piece[1 << 16];
	long long at = s->worklen;
	size_t left = o->len;
	o->unread = 0;
	while (left && !s->err) {
		size_t n = fread(piece, 1, left < sizeof piece ? left : sizeof piece, o->f);
		if (!n)
			break;
		work_put(s, piece, n);
		left -= n;
	}
	if (left) /* the cache ends early: the rest of it is not used */
		o->number = LONG_MIN;
	else
		s->blocks[j] = (struct block){ o->key, at, o->len };
	return !left;
}

/* --- reading the issues that changed ---------------------------------------- */

struct reading {
	struct state *s;
	const size_t *todo;  /* places among the listed issues to read */
};

/* A job's result: "NO" for a source that cannot be read, else "OK" and its
 * lines; an issue that mentions no topic is not parsed. */
static void read_job(size_t k, buf *out, void *arg)
{
	const struct reading *r = arg;
	const struct state *s = r->s;
	char *path = archive_source_path(s->r->a, s->order[r->todo[k]]), *text;
	size_t len;
	int syserr = 0;
	diag_list d = DIAG_LIST_INIT;
	if (issue_read(path, &text, &len, &d, &syserr) < 0) {
		buf_puts(out, "NO");
	} else {
		buf_puts(out, "OK");
		if (topics_mentioned(&s->v, text, len)) {
			struct issue *is = issue_parse_outline(s->r->n, path, text, len, &d);
			topics_issue_lines(&s->v, is, out);
			issue_free(is);
		}
		free(text);
	}
	diag_release(&d);
	free(path);
}

/* A job's result, taken in order: the issue's lines to the work file. */
static void read_done(size_t k, buf *res, void *arg)
{
	const struct reading *r = arg;
	struct state *s = r->s;
	size_t j = r->todo[k];
	int ok = res->len >= 2 && memcmp(res->data, "OK", 2) == 0;
	put_block(s, j, ok ? issue_key(s->r->a, s->order[j]) : 0, ok ? res->data + 2 : "",
		  ok ? res->len - 2 : 0);
}

/* Each listed issue's lines, to the work file: from the cache when its key
 * is the same, else as a build job of this run handed them over, else
 * read again, in worker processes. */
static void gather(struct state *s)
{
	struct archive *a = s->r->a;
	struct old_cache *o = &s->old;
	size_t ntodo = 0, *todo = xcalloc(s->count ? s->count : 1, sizeof *todo);
	buf handed = BUF_INIT;
	s->blocks = xcalloc(s->count ? s->count : 1, sizeof *s->blocks);
	for (size_t j = 0; j < s->count; j++) {
		const struct archive_issue *is = &a->issues[s->order[j]];
		uint64_t key = issue_key(a, s->order[j]);
		while (o->number != LONG_MIN && o->number > is->number)
			old_next(o);
		if (o->number == is->number && o->key == key && old_take(s, j))
			continue;
		if (s->r->handed && s->r->handed(s->r->ud, s->order[j], &handed) == 0)
			put_block(s, j, key, handed.data, handed.len);
		else
			todo[ntodo++] = j;
	}
	buf_release(&handed);
	struct reading rd = { s, todo };
	size_t *at = xcalloc(ntodo ? ntodo : 1, sizeof *at);
	for (size_t k = 0; k < ntodo; k++)
		at[k] = s->order[todo[k]];
	int workers = pool_fit(s->r->workers ? s->r->workers : pool_workers(ntodo),
			       archive_job_memory(a, at, ntodo));
	free(at);
	if (ntodo)
		pool_stream(ntodo, workers, read_job, &rd, read_done, &rd);
	free(todo);
}

/* --- each topic's items ------------------------------------------------------ */

static const char *const templates[2] = { TOPICS_PAGE_TEMPLATE, TOPICS_FEED_TEMPLATE };
static const char *const exts[2] = { ".html", ".xml" };


/* k, then what a listing shows of issue is: its name, date and title. */
static uint64_t listing_key(const struct archive_issue *is, uint64_t k)
{
	k = digest_bytes(is->name, strlen(is->name) + 1, k);
	k = digest_bytes(is->date, strlen(is->date) + 1, k);
	return digest_bytes(is->title ? is->title : "", is->title ? strlen(is->title) + 1 : 0, k);
}

/* The six tab-separated fields of a line (in copy, which they cut):
 * whether it has six and its section is one of the settings'. */
static int fields(const struct state *s, char *copy, char *f[6])
{
	char *p = copy;
	size_t nf = 0;
	for (; nf < 6 && p; nf++) {
		f[nf] = p;
		if ((p = strchr(p, '\t')))
			*p++ = '\0';
	}
	long conf = nf == 6 && !p ? strtol(f[0], NULL, 10) : -1;
	return conf >= 0 && (size_t)conf < s->r->n->nsections;
}

/* An item of the listed issue j, line (len bytes, at at in the work file;
 * serial counts the items), added to the lists of its topics: one that
 * does not read is left out. */
static void add_line(struct state *s, size_t j, long long at, const char *line, size_t len,
		     size_t serial)
{
	char *copy = xstrndup(line, len), *f[6];
	const struct archive_issue *is = &s->r->a->issues[s->order[j]];
	for (char *t = fields(s, copy, f) ? f[2] : ""; *t;) {
		char *end;
		unsigned long k = strtoul(t, &end, 10);
		if (end == t || k >= s->v.n)
			break;
		struct list *l = &s->lists[k];
		t = *end == ',' ? end + 1 : end;
		if (l->last == serial)
			continue;
		l->last = serial;
		l->n++;
		l->key = digest_bytes(line, len, listing_key(is, l->key));
		if (l->npicks == TOPICS_PAGE_SIZE)
			continue;
		xgrow((void **)&l->picks, &l->cap, l->npicks + 1, sizeof *l->picks);
		l->picks[l->npicks++] = (struct pick){ at, (uint32_t)j, (uint32_t)len };
	}
	free(copy);
}

/* Walk the work file, newest issue first: each topic's count, key and
 * newest items. */
static void make_lists(struct state *s)
{
	buf text = BUF_INIT;
	size_t serial = 0;
	for (size_t t = 0; t < s->v.n; t++)
		s->lists[t].key = digest_bytes(&t, sizeof t, s->base);
	for (size_t j = 0; j < s->count && !s->err; j++) {
		const struct block *b = &s->blocks[j];
		buf_reset(&text);
		buf_reserve(&text, b->len + 1);
		if (stash_get(s->work, b->at, text.data, b->len) < 0) {
			s->err = errno;
			break;
		}
		for (const char *p = text.data, *end = p + b->len, *nl; p < end; p = nl + 1) {
			nl = memchr(p, '\n', (size_t)(end - p));
			nl = nl ? nl : end;
			add_line(s, j, b->at + (p - text.data), p, (size_t)(nl - p), ++serial);
		}
	}
	buf_release(&text);
}

/* What the whole of the topics is made of: the settings, the templates
 * and every listed issue's lines and listing. */
static uint64_t all_key(const struct state *s)
{
	uint64_t k = s->base;
	for (size_t j = 0; j < s->count; j++) {
		const struct archive_issue *is = &s->r->a->issues[s->order[j]];
		uint64_t ik = issue_key(s->r->a, s->order[j]);
		k = listing_key(is, digest_bytes(&ik, sizeof ik, k));
	}
	return k;
}

/* Whether every page and feed is on disk as the last run left it. */
static int all_intact(const struct state *s)
{
	int ok = 1;
	for (size_t t = 0; t < s->v.n && ok; t++)
		for (size_t f = 0; f < 2 && ok; f++) {
			ok = !s->digest[f] || archive_intact(s->r->a, s->name[t][f]);
		}
	return ok;
}

/* --- the contexts ------------------------------------------------------------- */

/* A topic's page as its template walks it: the lines of its newest items,
 * read from the work file, and where each issue's items start among them. */
struct walk {
	const struct state *s;
	const struct list *l;
	buf text;            /* the lines, one after the other */
	size_t *off;         /* where pick k's line starts in text */
	size_t *group, ngroups; /* where each issue's picks start; npicks last */
	size_t nentries;     /* the feed's */
};

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

/* Field f of a line as the text it stands for, made in ar: a field
 * without a backslash is its own text. */
static value *field_in(struct arena *ar, const char *f)
{
	char *text = strchr(f, '\\') ? diag_unescape_field(f) : NULL;
	value *v = value_cstring_in(ar, text ? text : f);
	free(text);
	return v;
}

/* Pick k of the walk as the at-th of count items: {n, anchor, section,
 * section_id, title, url, note, note_html, first, last}, and issue when
 * it is not NULL; made at once (the keys are distinct). */
static value *entry_value(const struct walk *w, size_t k, size_t at, size_t count,
			  value *issue, struct arena *ar)
{
	buf html = BUF_INIT;
	char *copy = xstrndup(w->text.data + w->off[k], w->l->picks[k].len), *f[6];
	fields(w->s, copy, f); /* add_line read it so */
	const struct section_conf *c = &w->s->r->n->sections[strtol(f[0], NULL, 10)];
	long n = strtol(f[1], NULL, 10);
	value *note = field_in(ar, f[5]);
	struct value_entry e[11];
	size_t len = 0;
#define ENTRY_KEY(key, v) \
	(e[len++] = (struct value_entry){ (char *)"" key "", sizeof key - 1, (v), VALUE_KEY_STATIC })
	buf_puts(&html, c->id); /* the anchor, then the note's HTML */
	buf_putc(&html, '-');
	buf_put_dec(&html, n);
	ENTRY_KEY("n", value_number_in(ar, (double)n));
	ENTRY_KEY("anchor", value_string_in(ar, html.data, html.len));
	buf_reset(&html);
	ENTRY_KEY("section", str_in(ar, c->title));
	ENTRY_KEY("section_id", str_in(ar, c->id));
	ENTRY_KEY("title", field_in(ar, f[3]));
	ENTRY_KEY("url", field_in(ar, f[4]));
	ENTRY_KEY("note", note);
	if (value_strlen(note))
		markdown_html(value_str(note), value_strlen(note), &html);
	ENTRY_KEY("note_html", value_string_in(ar, html.data, html.len));
	ENTRY_KEY("first", value_bool_in(ar, at == 0));
	ENTRY_KEY("last", value_bool_in(ar, at + 1 == count));
	if (issue)
		ENTRY_KEY("issue", issue);
#undef ENTRY_KEY
	buf_release(&html);
	free(copy);
	return value_map_of_in(ar, e, len, 0);
}

static void mark_ends(struct arena *ar, value *m, size_t k, size_t n)
{
	value_map_lit(m, "first", value_bool_in(ar, k == 0));
	value_map_lit(m, "last", value_bool_in(ar, k + 1 == n));
}

/* An issue's items[] as its template walks them: n picks from pick from. */
struct items {
	const struct walk *w;
	size_t from, n;
};

static value *item_made(const void *ud, size_t k, struct arena *ar)
{
	const struct items *it = ud;
	return entry_value(it->w, it->from + k, k, it->n, NULL, ar);
}

/* issues[] and entries[] as their template walks them (value_make_fn):
 * the g-th issue of the walk, its items[] made only if walked (each of a
 * feed's entries carries its issue, which may hold a thousand items). */
static value *issue_made(const void *ud, size_t g, struct arena *ar)
{
	const struct walk *w = ud;
	struct items *it = arena_alloc(ar, sizeof *it);
	*it = (struct items){ w, w->group[g], w->group[g + 1] - w->group[g] };
	value *issue = issue_value(w->s, ar, w->s->order[w->l->picks[it->from].j]);
	value_map_lit(issue, "items", value_list_made_in(ar, it->n, item_made, it));
	mark_ends(ar, issue, g, w->ngroups);
	return issue;
}

static value *entry_made(const void *ud, size_t k, struct arena *ar)
{
	const struct walk *w = ud;
	size_t g = 0;
	while (w->group[g + 1] <= k)
		g++;
	return entry_value(w, k, k, w->nentries, issue_made(w, g, ar), ar);
}

/* The lines of topic t's newest items, and the issues they are in: 0, or
 * -1 with errno set when the work file cannot be read. */
static int walk_open(const struct state *s, size_t t, struct walk *w)
{
	const struct list *l = &s->lists[t];
	*w = (struct walk){ s, l, BUF_INIT, xcalloc(l->npicks + 1, sizeof *w->off),
			    xcalloc(l->npicks + 1, sizeof *w->group), 0,
			    l->npicks < TOPICS_FEED_SIZE ? l->npicks : TOPICS_FEED_SIZE };
	for (size_t k = 0; k < l->npicks; k++) {
		w->off[k] = w->text.len;
		buf_reserve(&w->text, l->picks[k].len + 1);
		if (stash_get(s->work, l->picks[k].at, w->text.data + w->text.len,
			      l->picks[k].len) < 0)
			return -1;
		w->text.len += l->picks[k].len;
		if (!k || l->picks[k].j != l->picks[k - 1].j)
			w->group[w->ngroups++] = k;
	}
	w->group[w->ngroups] = l->npicks;
	return 0;
}

static void walk_close(struct walk *w)
{
	buf_release(&w->text);
	free(w->off);
	free(w->group);
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
		mark_ends(ar, m, k, s->v.n);
		free(page);
	}
	return list;
}

static value *topic_value(const struct state *s, size_t t, struct arena *ar)
{
	const value *strings = value_getc(s->r->newsletter, "strings");
	const char *lang = value_str(value_getc(s->r->newsletter, "language"));
	const struct list *l = &s->lists[t];
	value *m = value_map_in(ar);
	char *links = strings_count(strings, "links", lang, (long)l->npicks);
	value_map_lit(m, "id", str_in(ar, s->v.id[t]));
	value_map_lit(m, "title", str_in(ar, s->v.title[t]));
	value_map_lit(m, "description", s->v.description[t] ? str_in(ar, s->v.description[t])
		      : value_null_in(ar));
	value_map_lit(m, "page", str_in(ar, s->name[t][0]));
	value_map_lit(m, "feed", str_in(ar, s->name[t][1]));
	value_map_lit(m, "count", value_number_in(ar, (double)l->n));
	value_map_lit(m, "shown", value_number_in(ar, (double)l->npicks));
	value_map_lit(m, "links", str_in(ar, links));
	value_map_lit(m, "updated", str_in(ar, l->n ? s->r->a->issues[s->order[l->picks[0].j]].date
					   : s->count ? s->r->a->issues[s->order[0]].date : ""));
	free(links);
	return m;
}

/* The context of topic t's page and feed: newsletter, strings, archive
 * {url}, topic {id, title, description, page, feed, count, links,
 * updated}, topics[], issues[] (the issues of its newest items, newest
 * first, each with its items[]) and entries[] (the newest
 * TOPICS_FEED_SIZE items, each with its issue). */
static value *topic_context(const struct walk *w, size_t t, struct arena *ar)
{
	const struct state *s = w->s;
	value *root = value_map_in(ar), *archive = value_map_in(ar);
	char *base = archive_base_url(s->r->newsletter);
	value_map_lit(archive, "url", str_in(ar, base));
	free(base);
	value_map_lit(root, "newsletter", s->r->newsletter);
	value_map_lit(root, "strings", (value *)value_getc(s->r->newsletter, "strings"));
	value_map_lit(root, "archive", archive);
	value_map_lit(root, "topic", topic_value(s, t, ar));
	value_map_lit(root, "topics", topics_value(s, t, ar));
	value_map_lit(root, "issues", value_list_made_in(ar, w->ngroups, issue_made, w));
	value_map_lit(root, "entries", value_list_made_in(ar, w->nentries, entry_made, w));
	return root;
}

/* --- writing ------------------------------------------------------------------ */

static int render_topic(struct state *s, size_t t)
{
	uint64_t key = s->lists[t].key;
	int fresh = !s->r->force, rc = EXIT_CLEAN;
	for (size_t f = 0; f < 2 && fresh; f++)
		fresh = !s->digest[f] || archive_fresh(s->r->a, s->name[t][f], key);
	if (fresh)
		return EXIT_CLEAN;
	struct walk w;
	if (walk_open(s, t, &w) < 0) {
		s->err = errno;
		walk_close(&w);
		return EXIT_SYSTEM;
	}
	struct arena ar = ARENA_INIT;
	value *ctx = topic_context(&w, t, &ar);
	for (size_t f = 0; f < 2; f++) {
		if (!s->digest[f])
			continue;
		int r = s->r->render(s->r->ud, templates[f], s->name[t][f], ctx, key);
		rc = r > rc ? r : rc;
	}
	arena_release(&ar);
	walk_close(&w);
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
		for (size_t f = 0; f < 2 && !found; f++)
			found = s->digest[f] && strcmp(name, s->name[t][f]) == 0;
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
 * out a piece at a time from the work file (the cache of a big archive is
 * tens of megabytes). */
static void cache_text(struct state *s, fs_pieces *out)
{
	buf head = BUF_INIT, text = BUF_INIT;
	buf_printf(&head, "%s\n", TOPICS_FORMAT);
	for (size_t t = 0; t < s->v.n; t++)
		for (size_t f = 0; f < 2; f++) {
			uint64_t digest;
			if (s->digest[f] && recorded(s->r->a, s->name[t][f], &digest))
				buf_printf(&head, "=%s\t%016llx\n", s->name[t][f],
					   (unsigned long long)digest);
		}
	fs_pieces_put(out, head.data, head.len);
	for (size_t j = 0; s->blocks && j < s->count && !s->err; j++) {
		const struct block *b = &s->blocks[j];
		if (!b->key)
			continue;
		buf_reset(&text);
		buf_printf(&text, "%ld\t%016llx\t%zu\n", s->r->a->issues[s->order[j]].number,
			   (unsigned long long)b->key, b->len);
		size_t hl = text.len;
		buf_reserve(&text, hl + b->len);
		if (stash_get(s->work, b->at, text.data + hl, b->len) < 0)
			s->err = errno;
		else
			fs_pieces_put(out, text.data, hl + b->len);
	}
	buf_release(&text);
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
	if (!made || fs_pieces_close(&out, path, !s->err) < 0) {
		fprintf(stderr, "weekly: cannot write '%s': %s\n", path, strerror(errno));
		rc = EXIT_SYSTEM;
	} else if (!s->err && archive_stat(a, CACHE_NAME, &size, &mtime) == 0) {
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
	for (size_t t = 0; t < TOPICS_MAX; t++) {
		free(s->lists[t].picks);
		free(s->name[t][0]);
		free(s->name[t][1]);
	}
	stash_close(s->work);
	if (s->old.f)
		fclose(s->old.f);
	free(s->old.line);
	free(s->blocks);
	for (size_t k = 0; k < s->nwritten; k++)
		free(s->written[k].name);
	free(s->written);
	free(s->order);
}

/* Gather the listed issues' lines and render the topics that changed. */
static int run(struct state *s)
{
	int rc = s->r->check ? EXIT_CLEAN : make_folder(s->r->a);
	if (rc != EXIT_CLEAN)
		return rc;
	s->work = stash_open();
	s->err = s->work ? 0 : errno;
	gather(s);
	make_lists(s);
	for (size_t t = 0; t < s->v.n && rc == EXIT_CLEAN && !s->err; t++) {
		int k = render_topic(s, t);
		rc = k > rc ? k : rc;
	}
	return rc;
}

int topics_build(const struct topics_run *r)
{
	struct state *s = xcalloc(1, sizeof *s);
	s->r = r;
	topics_vocab_load(r->n, &s->v);
	for (size_t t = 0; t < s->v.n; t++)
		for (size_t f = 0; f < 2; f++)
			s->name[t][f] = xasprintf("topics/%s%s", s->v.id[t], exts[f]);
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
	if (active)
		rc = run(s);
	if (s->err) {
		fprintf(stderr, "weekly: cannot keep the topics' items in a temporary file in %s: %s\n",
			fs_temp_dir(), strerror(s->err));
		rc = EXIT_SYSTEM;
	} else if (active || s->old.f) { /* or a cache file was read */
		say_gone(s);
		if (rc == EXIT_CLEAN && !r->check)
			rc = write_cache(s, key);
	}
	state_release(s);
	free(s);
	return rc;
}
