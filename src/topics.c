/* topics.c - the vocabulary of topics, the topics each item carries, their
 * check, and the topic pages and feeds of the archive (see topics.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "weekly/arena.h"
#include "weekly/diag.h"
#include "weekly/digest.h"
#include "weekly/fsutil.h"
#include "weekly/markdown.h"
#include "weekly/pool.h"
#include "weekly/strings.h"
#include "weekly/tags.h"
#include "weekly/topics.h"
#include "weekly/util.h"

/* Bump when the cache's format or what an item carries changes. */
#define TOPICS_FORMAT "weekly-topics 2"
#define CACHE_NAME ".weekly/topics.tsv"

/* --- the vocabulary --------------------------------------------------------- */

struct vocab {
	size_t n;
	const char *id[TOPICS_MAX], *title[TOPICS_MAX], *description[TOPICS_MAX];
	const value *markers[TOPICS_MAX];
};

static int good_id(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

/* The topic whose id or title is the len bytes at w, ASCII letters in any
 * case; -1 when none is. */
static long vocab_find(const struct vocab *v, const char *w, size_t len)
{
	for (size_t k = 0; k < v->n; k++)
		if (util_ieq(w, len, v->id[k]) || util_ieq(w, len, v->title[k]))
			return (long)k;
	return -1;
}

/* The topics of the settings that can be used (topics_check_settings says
 * what is wrong with the others), in their order. */
static void vocab_load(const struct newsletter *n, struct vocab *v)
{
	const value *list = value_getc(n->settings, "topics");
	v->n = 0;
	for (size_t i = 0; i < value_len(list) && v->n < TOPICS_MAX; i++) {
		const value *t = value_at(list, i);
		const char *id = value_str(value_getc(t, "id"));
		const char *title = value_str(value_getc(t, "title"));
		if (!good_id(id) || !title || vocab_find(v, id, strlen(id)) >= 0)
			continue;
		v->id[v->n] = id;
		v->title[v->n] = title;
		v->description[v->n] = value_str(value_getc(t, "description"));
		v->markers[v->n++] = value_getc(t, "markers");
	}
}

/* --- the tags of front matter ------------------------------------------------ */

/* Call fn with every tag of the front matter's tags: a string, or a list
 * of them; each tag's value given as its place. */
typedef void (*value_tag_fn)(void *ud, const value *at, const char *w, size_t len, size_t off);
struct value_tags {
	value_tag_fn fn;
	void *ud;
	const value *at;
};

static void value_tag(void *ud, const char *w, size_t len, size_t off)
{
	struct value_tags *t = ud;
	t->fn(t->ud, t->at, w, len, off);
}

static void front_tags(const struct issue *is, value_tag_fn fn, void *ud)
{
	const value *tags = value_getc(is->front, "tags");
	struct value_tags t = { fn, ud, tags };
	if (value_str(tags))
		tags_each(value_str(tags), value_tag, &t);
	for (size_t i = 0; i < value_len(tags); i++) {
		t.at = value_at(tags, i);
		if (value_str(t.at))
			tags_each(value_str(t.at), value_tag, &t);
	}
}

/* --- the topics of an item -------------------------------------------------- */

/* Whether s holds text, ASCII letters in any case. */
static int holds(const char *s, const char *text)
{
	size_t n = text ? strlen(text) : 0;
	for (const char *p = s; n && p && *p; p++)
		if (strncasecmp(p, text, n) == 0)
			return 1;
	return 0;
}

static int has_marker(const struct vocab *v, size_t k, const struct item *it)
{
	for (size_t m = 0; m < value_len(v->markers[k]); m++) {
		const char *text = value_str(value_at(v->markers[k], m));
		if (holds(it->title, text) || holds(it->note, text))
			return 1;
	}
	return 0;
}

struct marks {
	const struct vocab *v;
	unsigned char *on; /* a byte per topic */
};

static void mark_tag(void *ud, const char *w, size_t len, size_t off)
{
	struct marks *m = ud;
	long k = vocab_find(m->v, w, len);
	(void)off;
	if (k >= 0)
		m->on[k] = 1;
}

static void mark_value_tag(void *ud, const value *at, const char *w, size_t len, size_t off)
{
	(void)at;
	mark_tag(ud, w, len, off);
}

/* Mark in on the topics item it carries, issue_on those of its issue. */
static void item_topics(const struct vocab *v, const struct item *it,
			const unsigned char *issue_on, unsigned char *on)
{
	struct marks m = { v, on };
	for (size_t k = 0; k < v->n; k++)
		on[k] = issue_on[k] || has_marker(v, k, it);
	const char *tags = tags_in_note(it->note);
	if (tags)
		tags_each(tags, mark_tag, &m);
}

/* --- the check -------------------------------------------------------------- */

static void settings_error(const struct newsletter *n, const value *at, diag_list *d,
			   const char *msg)
{
	diag_add(d, DIAG_ERROR, n->settings_path, value_line(at), value_col(at), "settings", "%s",
		 msg);
}

static void check_topic(const struct newsletter *n, const value *t, const struct vocab *seen,
			diag_list *d)
{
	const value *id = value_getc(t, "id"), *title = value_getc(t, "title");
	const value *markers = value_getc(t, "markers"), *desc = value_getc(t, "description");
	if (!t || value_type(t) != VALUE_MAP) {
		settings_error(n, t, d, "a topic is a map: id, title, and markers");
		return;
	}
	if (!good_id(value_str(id)))
		settings_error(n, id ? id : t, d, "a topic's 'id' is made of a-z, 0-9 and '-' "
			       "(it names the topic's page)");
	else if (vocab_find(seen, value_str(id), strlen(value_str(id))) >= 0)
		settings_error(n, id, d, "a topic's 'id' must be unique");
	if (!value_str(title) || !*value_str(title))
		settings_error(n, title ? title : t, d, "a topic needs a 'title': a string");
	if (desc && !value_str(desc))
		settings_error(n, desc, d, "a topic's 'description' is a string");
	int ok = !markers || value_type(markers) == VALUE_LIST;
	for (size_t m = 0; ok && m < value_len(markers); m++) {
		const char *s = value_str(value_at(markers, m));
		ok = s && *s;
	}
	if (!ok)
		settings_error(n, markers, d, "a topic's 'markers' is a list of texts, such as "
			       "[\"(English)\", \"[video]\"]");
}

void topics_check_settings(const struct newsletter *n, diag_list *d)
{
	const value *list = value_getc(n->settings, "topics");
	if (!list)
		return;
	if (value_type(list) != VALUE_LIST) {
		settings_error(n, list, d, "'topics' must be a list of topics, each with an id "
			       "and a title");
		return;
	}
	if (value_len(list) > TOPICS_MAX)
		diag_add(d, DIAG_ERROR, n->settings_path, value_line(list), value_col(list),
			 "settings", "'topics' holds at most %d topics", TOPICS_MAX);
	struct vocab seen = { 0 };
	for (size_t i = 0; i < value_len(list) && seen.n < TOPICS_MAX; i++) {
		const value *t = value_at(list, i);
		check_topic(n, t, &seen, d);
		const char *id = value_str(value_getc(t, "id"));
		if (good_id(id) && vocab_find(&seen, id, strlen(id)) < 0) {
			seen.id[seen.n] = id;
			seen.title[seen.n++] = "";
		}
	}
}

struct tag_check {
	const struct newsletter *n;
	const struct issue *is;
	const struct vocab *v;
	diag_list *d;
	int line, col;      /* where the text of the tags starts */
};

/* The id or title of the topic w comes closest to, or NULL. */
static const char *tag_near(const struct vocab *v, const char *w)
{
	const char *names[2 * TOPICS_MAX];
	for (size_t k = 0; k < v->n; k++) {
		names[2 * k] = v->id[k];
		names[2 * k + 1] = v->title[k];
	}
	for (size_t k = 0; k < 2 * v->n; k++)
		if (util_name_eq(w, names[k]))
			return v->id[k / 2];
	long k = util_closest(w, names, 2 * v->n);
	return k < 0 ? NULL : v->id[k / 2];
}

static void check_tag(void *ud, const char *w, size_t len, size_t off)
{
	struct tag_check *c = ud;
	if (vocab_find(c->v, w, len) >= 0)
		return;
	char *word = xstrndup(w, len), *q = util_quoted(w, len);
	const char *near = tag_near(c->v, word);
	diag_add(c->d, DIAG_ERROR, c->is->path, c->line, c->col + (int)off, "topic",
		 "unknown topic '%s'%s%s%s", q, near ? "; did you mean '" : "",
		 near ? near : "", near ? "'?" : "");
	free(q);
	free(word);
}

/* Line line (1-based) of the issue's source, and its length. */
static const char *source_line(const struct issue *is, int line, size_t *len)
{
	const char *p = is->text, *end = is->text + is->len;
	for (int k = 1; k < line && p < end; k++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	*len = (size_t)((nl ? nl : end) - p);
	return p;
}

static void check_front_tag(void *ud, const value *at, const char *w, size_t len, size_t off)
{
	struct tag_check *c = ud;
	size_t n;
	const char *line = source_line(c->is, value_line(at), &n);
	int quoted = value_col(at) >= 1 && (size_t)value_col(at) <= n &&
		(line[value_col(at) - 1] == '"' || line[value_col(at) - 1] == '\'');
	c->line = value_line(at);
	c->col = value_col(at) + quoted;
	check_tag(c, w, len, off);
}

/* The tags of an item's note, each at its place on the item's line. */
static void check_note(struct tag_check *c, const struct item *it)
{
	const char *tags = tags_in_note(it->note);
	if (!tags)
		return;
	size_t n;
	const char *line = source_line(c->is, it->line, &n), *at = NULL;
	size_t from = it->col > 0 && (size_t)it->col <= n ? (size_t)it->col - 1 : 0;
	size_t want = strlen(it->note);
	for (size_t i = from; i + want <= n && !at; i++)
		if (memcmp(line + i, it->note, want) == 0)
			at = line + i;
	c->line = it->line;
	c->col = at ? (int)(at - line) + 1 + (int)(tags - it->note) : it->col;
	tags_each(tags, check_tag, c);
}

void topics_check_issue(const struct newsletter *n, const struct issue *is, diag_list *d)
{
	if (!value_getc(n->settings, "topics"))
		return; /* without a vocabulary, "tags:" is the editor's text */
	struct vocab v;
	vocab_load(n, &v);
	struct tag_check c = { n, is, &v, d, 0, 0 };
	const value *tags = value_getc(is->front, "tags");
	int ok = !tags || value_str(tags) || value_type(tags) == VALUE_LIST;
	for (size_t i = 0; ok && i < value_len(tags); i++)
		ok = value_str(value_at(tags, i)) != NULL;
	if (!ok)
		diag_add(d, DIAG_ERROR, is->path, value_line(tags), value_col(tags), "front-matter",
			 "'tags' is a topic or a list of topics, such as [video, web]");
	else
		front_tags(is, check_front_tag, &c);
	for (size_t s = 0; s < is->nsections; s++)
		for (size_t k = 0; k < is->sections[s].nitems; k++)
			check_note(&c, &is->sections[s].items[k]);
}

/* --- an issue's items with topics: lines of the cache ------------------------- */

/* One line per item with topics: its section (an index into the
 * settings' sections), its number there, its topics ("0,3"), title, url
 * and note, tab-separated. */
static void issue_lines(const struct vocab *v, const struct issue *is, buf *out)
{
	unsigned char issue_on[TOPICS_MAX] = { 0 }, on[TOPICS_MAX];
	struct marks m = { v, issue_on };
	front_tags(is, mark_value_tag, &m);
	for (size_t s = 0; s < is->nsections; s++) {
		const struct section *sec = &is->sections[s];
		for (size_t k = 0; sec->conf >= 0 && k < sec->nitems; k++) {
			const struct item *it = &sec->items[k];
			item_topics(v, it, issue_on, on);
			size_t count = 0;
			for (size_t t = 0; t < v->n; t++)
				if (on[t]) {
					if (!count++)
						buf_printf(out, "%ld\t%zu\t", sec->conf, k + 1);
					buf_printf(out, count > 1 ? ",%zu" : "%zu", t);
				}
			if (!count)
				continue;
			char *note = xstrndup(it->note, tags_note_len(it->note));
			const char *fields[] = { it->title, it->has_link ? it->url : "", note };
			for (size_t f = 0; f < 3; f++) {
				buf_putc(out, '\t');
				archive_put_field(out, fields[f]);
			}
			free(note);
			buf_putc(out, '\n');
		}
	}
}

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

/* text in lower case (ASCII letters), in a fresh string. */
static char *lower(const char *s, size_t len)
{
	char *l = xstrndup(s, len);
	for (size_t i = 0; i < len; i++)
		if (l[i] >= 'A' && l[i] <= 'Z')
			l[i] = (char)(l[i] + 'a' - 'A');
	return l;
}

/* Whether a source may give an item a topic: it holds a marker or "tags". */
static int mentions(const struct vocab *v, const char *text, size_t len)
{
	char *l = lower(text, len);
	int found = strstr(l, "tags") != NULL; /* a source with a NUL byte is not listed */
	for (size_t k = 0; k < v->n && !found; k++)
		for (size_t m = 0; m < value_len(v->markers[k]) && !found; m++) {
			const char *s = value_str(value_at(v->markers[k], m));
			char *ls = lower(s, strlen(s));
			found = strstr(l, ls) != NULL;
			free(ls);
		}
	free(l);
	return found;
}

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
		if (mentions(r->v, text, len)) {
			struct issue *is = issue_parse_outline(r->n, path, text, len, &d);
			issue_lines(r->v, is, out);
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

/* Each listed issue's lines: from the cache when its key is the same,
 * else read again, in worker processes. */
static void gather(struct state *s)
{
	struct archive *a = s->r->a;
	size_t ntodo = 0;
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
		} else {
			slot[ntodo] = j;
			todo[ntodo++] = s->order[j];
		}
	}
	struct reading rd = { s->r->n, a, &s->v, todo };
	if (ntodo)
		pool_run(ntodo, s->r->workers ? s->r->workers : pool_workers(ntodo), read_job, &rd,
			 s->fresh);
	for (size_t k = 0; k < ntodo; k++) {
		buf *res = &s->fresh[k];
		struct block *b = &s->blocks[slot[k]];
		int ok = res->len >= 2 && memcmp(res->data, "OK", 2) == 0;
		b->key = ok ? b->key : 0; /* not kept: read again next time */
		b->text = ok ? res->data + 2 : "";
		b->len = ok ? res->len - 2 : 0;
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

/* The cache file, new: every listed issue's block, newest first. */
static void cache_text(const struct state *s, buf *out)
{
	buf_printf(out, "%s\n", TOPICS_FORMAT);
	for (size_t t = 0; t < s->v.n; t++)
		for (size_t f = 0; f < 2; f++) {
			char *name = output_name(s->v.id[t], f);
			uint64_t digest;
			if (s->digest[f] && recorded(s->r->a, name, &digest))
				buf_printf(out, "=%s\t%016llx\n", name, (unsigned long long)digest);
			free(name);
		}
	for (size_t j = 0; s->blocks && j < s->count; j++) {
		const struct block *b = &s->blocks[j];
		if (!b->key)
			continue;
		buf_printf(out, "%ld\t%016llx\t%zu\n", b->number, (unsigned long long)b->key, b->len);
		buf_put(out, b->text, b->len);
	}
}

static int write_cache(struct state *s, uint64_t key)
{
	struct archive *a = s->r->a;
	buf out = BUF_INIT;
	cache_text(s, &out);
	char *path = archive_output_path(a, CACHE_NAME), *dir = fs_dirname(path);
	int same = s->old && s->oldlen == out.len && memcmp(s->old, out.data, out.len) == 0;
	int rc = EXIT_CLEAN;
	long long size, mtime;
	if (!same && (fs_mkdirs(dir) < 0 || fs_write_atomic(path, out.data, out.len) < 0)) {
		fprintf(stderr, "weekly: cannot write '%s': %s\n", path, strerror(errno));
		rc = EXIT_SYSTEM;
	} else if (archive_stat(a, CACHE_NAME, &size, &mtime) == 0) {
		archive_record(a, CACHE_NAME, key, digest_bytes(out.data, out.len, 0), size, mtime);
	}
	free(dir);
	free(path);
	buf_release(&out);
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
	vocab_load(r->n, &s->v);
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
