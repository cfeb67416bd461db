/* topics.c - the vocabulary of topics, the topics each item carries and
 * their check (see topics.h); the pages and feeds are topic_pages.c's. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "weekly/diag.h"
#include "weekly/tags.h"
#include "weekly/topics.h"
#include "weekly/util.h"
#include "topics_int.h"

/* --- the vocabulary --------------------------------------------------------- */


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

void topics_vocab_load(const struct newsletter *n, struct vocab *v)
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

/* Every marker of a vocabulary, to look for them all in one pass over a
 * text: the bytes markers start with (in either case), found sixteen at a
 * time (util_masks); the pairs of bytes markers start with, in any case,
 * as a bit each (a text's pair is tested at once, without lowering it);
 * and a chain of the markers per pair (ASCII letters lowered, in
 * buckets), so that only where a text holds such a pair are those markers
 * compared. A marker of one byte is compared wherever its byte is. */
#define MARKER_BUCKETS 256
struct marker_set {
	uint64_t pairs[(1u << 16) / 64]; /* bit b0 | b1 << 8 for bytes b0, b1 */
	unsigned char first[256];    /* the bytes markers start with, in either case */
	char firsts[257];            /* the same as a string */
	struct util_byteset set;     /* of firsts; set.set NULL: too many kinds */
	size_t head[MARKER_BUCKETS]; /* the first marker of a bucket, + 1 */
	size_t n;
	int solo; /* a marker of one byte */
	struct marker { const char *text; size_t len, topic, next; unsigned pair; } *at;
};

static unsigned lower_byte(const char *p)
{
	unsigned char c = (unsigned char)*p;
	return c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c;
}

static unsigned bucket(unsigned pair)
{
	return (pair ^ pair >> 5) % MARKER_BUCKETS;
}

/* The bits of the pairs a marker's text starts with, in any case (any
 * byte after a marker of one byte), and its first bytes. */
static void marker_pairs(struct marker_set *m, const char *text)
{
	unsigned char c0 = (unsigned char)text[0], c1 = (unsigned char)text[1];
	unsigned firsts[2] = { (unsigned)toupper(c0), (unsigned)tolower(c0) };
	unsigned seconds[2] = { (unsigned)toupper(c1), (unsigned)tolower(c1) };
	for (unsigned i = 0; i < 2; i++) {
		for (unsigned c = 0; c < (c1 ? 2 : 256); c++) {
			unsigned pair = firsts[i] | (c1 ? seconds[c] : c) << 8;
			m->pairs[pair / 64] |= 1ull << (pair % 64);
		}
		if (!m->first[firsts[i]])
			m->firsts[strlen(m->firsts)] = (char)firsts[i];
		m->first[firsts[i]] = 1;
	}
}

static void markers_load(const struct vocab *v, struct marker_set *m)
{
	memset(m, 0, sizeof *m);
	size_t cap = 0;
	for (size_t k = 0; k < v->n; k++)
		for (size_t i = 0; i < value_len(v->markers[k]); i++) {
			const char *text = value_str(value_at(v->markers[k], i));
			if (!text || !*text)
				continue;
			unsigned pair = lower_byte(text) << 8 | lower_byte(text + 1);
			xgrow((void **)&m->at, &cap, m->n + 1, sizeof *m->at);
			m->at[m->n] = (struct marker){ text, strlen(text), k, m->head[bucket(pair)], pair };
			m->head[bucket(pair)] = ++m->n;
			m->solo |= !text[1];
			marker_pairs(m, text);
		}
	if (util_byteset(&m->set, m->firsts) < 0)
		m->set.set = NULL;
}

/* Mark in on the topics of the markers of pair's chain that p starts with. */
static void chain_in(const struct marker_set *m, unsigned pair, const char *p, unsigned char *on)
{
	for (size_t i = m->head[bucket(pair)]; i; i = m->at[i - 1].next) {
		const struct marker *mk = &m->at[i - 1];
		if (mk->pair == pair && !on[mk->topic] && strncasecmp(p, mk->text, mk->len) == 0)
			on[mk->topic] = 1;
	}
}

/* Mark in on the topics of the markers s starts with (s[1] may be the NUL
 * at the end of the text). */
static inline void markers_at(const struct marker_set *m, const char *s, unsigned char *on)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned bytes = p[0] | (unsigned)p[1] << 8;
	if (!(m->pairs[bytes / 64] & (1ull << (bytes % 64))))
		return;
	unsigned pair = lower_byte(s) << 8 | lower_byte(s + 1);
	chain_in(m, pair, s, on);
	if (m->solo)
		chain_in(m, pair & 0xff00, s, on);
}

/* Mark in on the topics whose markers s holds, ASCII letters in any case:
 * looked for only where a marker's first byte is. */
static void markers_in(const struct marker_set *m, const char *s, unsigned char *on)
{
	size_t n = s && m->n ? strlen(s) : 0;
	uint16_t at[UTIL_MASKS_MAX];
	if (!m->set.set) { /* more kinds of first bytes than util_masks tells apart */
		for (size_t i = 0; i < n; i++)
			if (m->first[(unsigned char)s[i]])
				markers_at(m, s + i, on);
		return;
	}
	for (size_t from = 0, len; from < n; from += len) {
		len = n - from < 16 * UTIL_MASKS_MAX ? n - from : 16 * UTIL_MASKS_MAX;
		util_masks(&m->set, s + from, len, at);
		for (size_t j = 0; 16 * j < len; j++)
			for (unsigned b = at[j]; b; b &= b - 1)
				markers_at(m, s + from + 16 * j + (size_t)__builtin_ctz(b), on);
	}
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
static void item_topics(const struct vocab *v, const struct marker_set *ms, const struct item *it,
			const unsigned char *issue_on, unsigned char *on)
{
	struct marks m = { v, on };
	memcpy(on, issue_on, v->n);
	markers_in(ms, it->title, on);
	markers_in(ms, it->note, on);
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
	const char *seen;   /* the start of the line of the source last asked for */
	int seen_line;      /* (1-based): tags come in the order of their lines */
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

/* Line line (1-based) of the issue's source, and its length: found from
 * the line asked for before when it is not after this one. */
static const char *source_line(struct tag_check *c, int line, size_t *len)
{
	if (!c->seen || line < c->seen_line)
		c->seen = c->is->text, c->seen_line = 1;
	const char *p = c->seen, *end = c->is->text + c->is->len;
	for (; c->seen_line < line && p < end; c->seen_line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	c->seen = p;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	*len = (size_t)((nl ? nl : end) - p);
	return p;
}

static void check_front_tag(void *ud, const value *at, const char *w, size_t len, size_t off)
{
	struct tag_check *c = ud;
	size_t n;
	const char *line = source_line(c, value_line(at), &n);
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
	const char *line = source_line(c, it->line, &n), *at = NULL;
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
	topics_vocab_load(n, &v);
	struct tag_check c = { n, is, &v, d, 0, 0, NULL, 0 };
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

/* The lines of the items of is with topics, ms made of v's markers. */
static void issue_lines(const struct vocab *v, const struct marker_set *ms,
			const struct issue *is, buf *out)
{
	unsigned char issue_on[TOPICS_MAX] = { 0 }, on[TOPICS_MAX];
	struct marks m = { v, issue_on };
	front_tags(is, mark_value_tag, &m);
	for (size_t s = 0; s < is->nsections; s++) {
		const struct section *sec = &is->sections[s];
		for (size_t k = 0; sec->conf >= 0 && k < sec->nitems; k++) {
			const struct item *it = &sec->items[k];
			item_topics(v, ms, it, issue_on, on);
			size_t count = 0;
			for (size_t t = 0; t < v->n; t++)
				if (on[t]) {
					if (!count++) {
						buf_put_dec(out, sec->conf);
						buf_putc(out, '\t');
						buf_put_dec(out, (long long)k + 1);
						buf_putc(out, '\t');
					} else {
						buf_putc(out, ',');
					}
					buf_put_dec(out, (long long)t);
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

void topics_issue_lines(const struct vocab *v, const struct issue *is, buf *out)
{
	struct marker_set *ms = xmalloc(sizeof *ms);
	markers_load(v, ms);
	issue_lines(v, ms, is, out);
	free(ms->at);
	free(ms);
}

/* A vocabulary with its markers ready for many issues. */
struct topics_marks {
	struct vocab v;
	struct marker_set ms;
};

struct topics_marks *topics_marks_new(const struct newsletter *n)
{
	struct topics_marks *m = xmalloc(sizeof *m);
	topics_vocab_load(n, &m->v);
	markers_load(&m->v, &m->ms);
	return m;
}

void topics_marks_free(struct topics_marks *m)
{
	if (!m)
		return;
	free(m->ms.at);
	free(m);
}

void topics_lines(const struct topics_marks *m, const struct issue *is, buf *out)
{
	if (m->v.n)
		issue_lines(&m->v, &m->ms, is, out);
}

/* text in lower case (ASCII letters), in a fresh string. */
static char *lower(const char *s, size_t len)
{
	char *l = xstrndup(s, len);
	for (size_t i = 0; i < len; i++)
		if (l[i] >= 'A' && l[i] <= 'Z')
			l[i] = (char)(l[i] + 'a' - 'A');
	return l;
}

int topics_mentioned(const struct vocab *v, const char *text, size_t len)
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
