/* ledger.c - URL normalisation and the archive's index of where URLs appear. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "weekly/buf.h"
#include "weekly/ledger.h"
#include "weekly/util.h"

struct ledger_slot {
	uint64_t hash;
	size_t first, last; /* first == LEDGER_END: empty slot */
};

/* --- normalisation ------------------------------------------------------ */

/* Output never outgrows its input by more than "/" and the "s" of https, so
 * a writer needs no bounds of its own (see ledger_normalize). */
struct out {
	char *s;
	size_t len;
};

static void put(struct out *o, const char *s, size_t n)
{
	memcpy(o->s + o->len, s, n);
	o->len += n;
}

/* Copy s with ASCII letters lower-cased. */
static void put_lower(struct out *o, const char *s, size_t n)
{
	char *to = o->s + o->len;
	for (size_t i = 0; i < n; i++)
		to[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 'a' - 'A' : s[i]);
	o->len += n;
}

/* Copy s with the hex digits of percent escapes upper-cased: the text up
 * to each '%' at once. */
static void put_escaped(struct out *o, const char *s, size_t n)
{
	for (const char *end = s + n, *pc; s < end; s = pc + 1) {
		if (!(pc = memchr(s, '%', (size_t)(end - s)))) {
			put(o, s, (size_t)(end - s));
			return;
		}
		put(o, s, (size_t)(pc + 1 - s));
		if (end - pc > 2 && isxdigit((unsigned char)pc[1]) &&
		    isxdigit((unsigned char)pc[2])) {
			o->s[o->len++] = (char)toupper((unsigned char)pc[1]);
			o->s[o->len++] = (char)toupper((unsigned char)pc[2]);
			pc += 2;
		}
	}
}

static int default_port(const char *scheme, size_t slen, const char *port, size_t plen)
{
	if (plen == 0)
		return 1;
	if (slen == 4 && strncasecmp(scheme, "http", 4) == 0)
		return plen == 2 && memcmp(port, "80", 2) == 0;
	if (slen == 5 && strncasecmp(scheme, "https", 5) == 0)
		return plen == 3 && memcmp(port, "443", 3) == 0;
	return 0;
}

/* userinfo@host:port, with the host lower-cased and a default port dropped. */
static void put_authority(struct out *o, const char *scheme, size_t slen, const char *a, size_t n)
{
	const char *at = NULL; /* the last '@' */
	for (const char *p = a; (p = memchr(p, '@', n - (size_t)(p - a))); p++)
		at = p;
	if (at) {
		put(o, a, (size_t)(at - a) + 1);
		n -= (size_t)(at - a) + 1;
		a = at + 1;
	}
	const char *bracket = memchr(a, ']', n);
	const char *from = bracket ? bracket : a;
	const char *colon = memchr(from, ':', n - (size_t)(from - a));
	size_t hlen = colon ? (size_t)(colon - a) : n;
	put_lower(o, a, hlen);
	if (colon && !default_port(scheme, slen, colon + 1, n - hlen - 1))
		put(o, colon, n - hlen);
}

int ledger_tracking_param(const char *name, size_t len)
{
	return len >= 4 && strncasecmp(name, "utm_", 4) == 0;
}

/* The query without tracking parameters, '?' included when any is left. */
static void put_query(struct out *o, const char *q, size_t n)
{
	int first = 1;
	while (n) {
		const char *amp = memchr(q, '&', n);
		size_t len = amp ? (size_t)(amp - q) : n;
		const char *eq = memchr(q, '=', len);
		size_t name = eq ? (size_t)(eq - q) : len;
		if (len && !ledger_tracking_param(q, name)) {
			o->s[o->len++] = first ? '?' : '&';
			put_escaped(o, q, len);
			first = 0;
		}
		q += len + (amp != NULL);
		n -= len + (amp != NULL);
	}
}

/* Length of s before the first of the stop characters. */
static size_t span(const char *s, size_t n, const char *stops)
{
	return util_find_any(s, 0, n, stops);
}

static void put_hierarchical(struct out *o, const char *s, size_t n, size_t slen)
{
	const char *a = s + slen + 3;
	size_t rest = n - slen - 3;
	size_t alen = span(a, rest, "/?#");
	put_authority(o, s, slen, a, alen);
	const char *p = a + alen;
	size_t end = rest - alen, plen = span(p, end, "?#"), keep = plen;
	while (keep > 1 && p[keep - 1] == '/')
		keep--;
	if (keep == 0)
		o->s[o->len++] = '/';
	put_escaped(o, p, keep);
	if (plen < end && p[plen] == '?')
		put_query(o, p + plen + 1, span(p + plen + 1, end - plen - 1, "#"));
}

/* Write the canonical form of url into o, which has room for its length
 * plus two bytes (see struct out). */
static void normalize_into(struct out *o, const char *url, size_t n)
{
	while (n && isspace((unsigned char)*url))
		url++, n--;
	while (n && isspace((unsigned char)url[n - 1]))
		n--;
	size_t slen = util_scheme_len(url, n);
	put_lower(o, url, slen);
	if (slen && n >= slen + 3 && memcmp(url + slen, "://", 3) == 0) {
		put(o, "://", 3);
		put_hierarchical(o, url, n, slen);
	} else {
		put(o, url + slen, n - slen);
	}
	o->s[o->len] = '\0';
	if (o->len && isspace((unsigned char)o->s[o->len - 1])) {
		/* a blank that ended the path or query before what was dropped
		 * after it ends the URL now: trimmed, as it would be next time */
		char *again = xstrndup(o->s, o->len);
		size_t len = o->len;
		o->len = 0;
		normalize_into(o, again, len);
		free(again);
	}
}

/* The canonical form of url, or its key when key is set, in a block of its
 * length plus three bytes (see struct out) from strings, or from malloc
 * when strings is NULL; its length in *len. */
static char *canonical(struct arena *strings, const char *url, int key, size_t *len)
{
	size_t n = strlen(url);
	struct out o = { strings ? arena_bytes(strings, n + 3) : xmalloc(n + 3), 0 };
	normalize_into(&o, url, n);
	if (key && o.len >= 7 && memcmp(o.s, "http://", 7) == 0) {
		memmove(o.s + 5, o.s + 4, o.len - 4 + 1);
		o.s[4] = 's';
		o.len++;
	}
	*len = o.len;
	return o.s;
}

char *ledger_normalize(const char *url)
{
	size_t len;
	return canonical(NULL, url, 0, &len);
}

char *ledger_key(const char *url)
{
	size_t len;
	return canonical(NULL, url, 1, &len);
}

/* --- the index ----------------------------------------------------------- */

/* A copy of s, or same when it holds the same text (an issue's entries
 * share their file and, mostly, their section). */
static char *keep(struct ledger *l, const char *s, char *same)
{
	if (!s)
		return NULL;
	if (same && strcmp(same, s) == 0)
		return same;
	return arena_strndup(&l->strings, s, strlen(s));
}

void ledger_init(struct ledger *l)
{
	memset(l, 0, sizeof(*l));
}

void ledger_release(struct ledger *l)
{
	arena_release(&l->strings);
	free(l->entries);
	free(l->slots);
	memset(l, 0, sizeof(*l));
}

void ledger_forget(struct ledger *l)
{
	free(l->entries);
	free(l->slots);
	l->entries = NULL;
	l->slots = NULL;
	l->len = l->cap = l->nslots = l->nkeys = 0;
}

/* The slot of key: where it is, or the empty one where it would go. */
static struct ledger_slot *find_slot(const struct ledger *l, const char *key, uint64_t h)
{
	size_t mask = l->nslots - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		struct ledger_slot *s = &l->slots[i];
		if (s->first == LEDGER_END ||
		    (s->hash == h && strcmp(l->entries[s->first].key, key) == 0))
			return s;
	}
}

static void rehash(struct ledger *l)
{
	struct ledger_slot *old = l->slots;
	size_t n = l->nslots;
	l->nslots = n ? n * 2 : 64;
	l->slots = xmalloc(l->nslots * sizeof(*l->slots));
	for (size_t i = 0; i < l->nslots; i++)
		l->slots[i].first = LEDGER_END;
	for (size_t i = 0; i < n; i++)
		if (old[i].first != LEDGER_END)
			*find_slot(l, l->entries[old[i].first].key, old[i].hash) = old[i];
	free(old);
}

/* The strings of entry idx, copied from e's into the ledger; its key is
 * one of the ledger's strings already when kept. */
static void keep_strings(struct ledger *l, size_t idx, const struct ledger_entry *e, int kept)
{
	struct ledger_entry *c = &l->entries[idx];
	const struct ledger_entry *prev = idx ? &l->entries[idx - 1] : NULL;
	size_t len;
	c->url = keep(l, e->url ? e->url : "", NULL);
	c->key = kept ? e->key : e->key ? keep(l, e->key, NULL)
			: canonical(&l->strings, c->url, 1, &len);
	c->file = keep(l, e->file, prev ? prev->file : NULL);
	c->section = keep(l, e->section, prev ? prev->section : NULL);
}

/* Chain entry idx after the last one with its key, or start a chain. */
static void index_entry(struct ledger *l, size_t idx)
{
	const char *key = l->entries[idx].key;
	uint64_t h = util_hash(key, strlen(key));
	struct ledger_slot *s = find_slot(l, key, h);
	if (s->first == LEDGER_END) {
		*s = (struct ledger_slot){ h, idx, idx };
		l->nkeys++;
	} else {
		l->entries[s->last].next = idx;
		s->last = idx;
	}
}

/* Append e to the entries, its strings copied (but a key kept already):
 * its index. */
static size_t append(struct ledger *l, const struct ledger_entry *e, int kept)
{
	xgrow((void **)&l->entries, &l->cap, l->len + 1, sizeof(*l->entries));
	size_t idx = l->len++;
	l->entries[idx] = *e;
	l->entries[idx].next = LEDGER_END;
	keep_strings(l, idx, e, kept);
	return idx;
}

const struct ledger_entry *ledger_add(struct ledger *l, const struct ledger_entry *e)
{
	if ((l->nkeys + 1) * 2 > l->nslots)
		rehash(l);
	size_t idx = append(l, e, 0);
	index_entry(l, idx);
	return &l->entries[idx];
}

/* The key of a URL that is there already is left in the strings: a
 * repeat is rare. */
const struct ledger_entry *ledger_add_new(struct ledger *l, const struct ledger_entry *e)
{
	if ((l->nkeys + 1) * 2 > l->nslots)
		rehash(l);
	struct ledger_entry own = *e;
	size_t len;
	own.key = e->key ? e->key : canonical(&l->strings, e->url ? e->url : "", 1, &len);
	uint64_t h = util_hash(own.key, e->key ? strlen(e->key) : len);
	struct ledger_slot *s = find_slot(l, own.key, h); /* stays: the slots do not move */
	if (s->first != LEDGER_END)
		return &l->entries[s->first];
	size_t idx = append(l, &own, !e->key);
	*s = (struct ledger_slot){ h, idx, idx };
	l->nkeys++;
	return NULL;
}

const struct ledger_entry *ledger_first_key(const struct ledger *l, const char *key)
{
	if (!l->nslots)
		return NULL;
	const struct ledger_slot *s = find_slot(l, key, util_hash(key, strlen(key)));
	return s->first == LEDGER_END ? NULL : &l->entries[s->first];
}

const struct ledger_entry *ledger_next(const struct ledger *l, const struct ledger_entry *e)
{
	return e->next == LEDGER_END ? NULL : &l->entries[e->next];
}

/* --- issues -------------------------------------------------------------- */

static enum ledger_kind kind_of(const struct link *lk)
{
	return lk->image ? LEDGER_IMAGE : lk->opens_item ? LEDGER_ITEM : LEDGER_LINK;
}

static const char *section_id(const struct newsletter *n, const struct issue *is, long s)
{
	if (s < 0 || (size_t)s >= is->nsections)
		return NULL;
	long conf = is->sections[s].conf;
	return conf >= 0 && (size_t)conf < n->nsections ? n->sections[conf].id : NULL;
}

void ledger_add_issue(struct ledger *l, const struct newsletter *n,
		      const struct issue *is, long number)
{
	for (size_t i = 0; i < is->nlinks; i++) {
		const struct link *lk = &is->links[i];
		struct ledger_entry e = {
			.url = lk->url, .issue = number, .file = is->path,
			.section = (char *)section_id(n, is, lk->section),
			.item = lk->item, .line = lk->line, .col = lk->col,
			.kind = kind_of(lk),
		};
		ledger_add(l, &e);
	}
}

/* --- from a worker process --------------------------------------------------- */

void ledger_pack(const struct ledger *l, buf *out)
{
	buf_put_int(out, (long long)l->len);
	for (size_t i = 0; i < l->len; i++) {
		const struct ledger_entry *e = &l->entries[i];
		buf_put_int(out, e->kind);
		buf_put_int(out, e->line);
		buf_put_int(out, e->col);
		buf_put_int(out, e->item);
		buf_put_str(out, e->url);
		buf_put_str(out, e->key);
		buf_put_str(out, e->section);
	}
}

struct ledger_entry *ledger_unpack(struct buf_reader *r, const char *file, long issue,
				   size_t *count)
{
	long long n = buf_get_int(r);
	size_t k = 0, cap = 0;
	struct ledger_entry *e = NULL;
	for (; (long long)k < n && !r->bad; k++) {
		struct ledger_entry x = { .file = (char *)file, .issue = issue };
		x.kind = (enum ledger_kind)buf_get_int(r);
		x.line = (int)buf_get_int(r);
		x.col = (int)buf_get_int(r);
		x.item = (long)buf_get_int(r);
		x.url = (char *)buf_get_str(r);
		x.key = (char *)buf_get_str(r);
		x.section = (char *)buf_get_str(r);
		if (r->bad || !x.url || !x.key)
			break;
		xgrow((void **)&e, &cap, k + 1, sizeof(*e));
		e[k] = x;
	}
	*count = k;
	return e;
}
