/* linkcheck.c - check every distinct web URL once, remember verdicts in the
 * link cache, and report each problem at every place its URL appears. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "weekly/index.h"
#include "weekly/linkcache.h"
#include "weekly/linkcheck.h"
#include "weekly/metacache.h"
#include "weekly/util.h"
#include "weekly/yaml.h"
#include "linkrun.h"

#define LINKCHECK_RULE "link"

struct linkcheck_keyed {
	const char *key; /* the ref's URL, or a copy without its fragment */
	int copied;
	size_t ref;
};

static int linkcheck_keyed_cmp(const void *a, const void *b)
{
	const struct linkcheck_keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->ref > y->ref) - (x->ref < y->ref);
}

static void linkcheck_add_link(struct linkcheck_run *r, const struct linkcheck_keyed *k)
{
	struct linkcheck_link *l = &r->links[r->nlinks++];
	memset(l, 0, sizeof(*l));
	l->key = k->key;
	l->key_owned = k->copied != 0;
	l->hops = 1;
}

/* One link per distinct http(s) URL; the fragment is not sent, so it does
 * not make a URL distinct. Other schemes and relative links are left alone. */
static void linkcheck_dedupe(struct linkcheck_run *r, const struct link_ref *refs, size_t n)
{
	struct linkcheck_keyed *k = xcalloc(n, sizeof(*k));
	size_t nk = 0;
	r->ref_link = xcalloc(n, sizeof(*r->ref_link));
	for (size_t i = 0; i < n; i++) {
		r->ref_link[i] = SIZE_MAX;
		const char *url = refs[i].url;
		if (url && util_is_web(url)) {
			size_t len = strcspn(url, "#");
			k[nk].copied = url[len] != '\0';
			k[nk].key = k[nk].copied ? xstrndup(url, len) : url;
			k[nk++].ref = i;
		}
	}
	qsort(k, nk, sizeof(*k), linkcheck_keyed_cmp);
	r->links = xcalloc(nk, sizeof(*r->links));
	for (size_t i = 0; i < nk; i++) {
		if (r->nlinks && strcmp(k[i].key, r->links[r->nlinks - 1].key) == 0) {
			if (k[i].copied)
				free((void *)k[i].key);
		} else {
			linkcheck_add_link(r, &k[i]);
		}
		r->ref_link[k[i].ref] = r->nlinks - 1;
	}
	free(k);
}

static void linkcheck_from_cache(struct linkcheck_run *r, struct linkcheck_link *l,
				 const struct linkcache_entry *e)
{
	l->state = LINKCHECK_DONE;
	l->verdict = e->verdict;
	l->reason = xstrdup(e->reason);
	l->moved_to = e->moved_to ? xstrdup(e->moved_to) : NULL;
	r->done++;
	r->broken += e->verdict == LINK_BROKEN;
}

/* Take fresh verdicts from the cache and queue the rest; with only_new,
 * whatever the cache has seen is neither asked nor reported. */
static void linkcheck_consult(struct linkcheck_run *r, struct linkcache *cache)
{
	time_t now = time(NULL);
	for (size_t i = 0; i < r->nlinks; i++) {
		struct linkcheck_link *l = &r->links[i];
		const struct linkcache_entry *e = linkcache_find(cache, l->key);
		if (e && r->o->only_new)
			continue;
		r->total++;
		if (e && difftime(now, e->checked) < r->o->max_age) {
			linkcheck_from_cache(r, l, e);
			continue;
		}
		l->state = LINKCHECK_QUEUED;
		r->pending++;
		linkcheck_enqueue(r, i);
	}
}

/* When no server answered at all and names did not resolve, the network
 * is more likely down than every site gone: do not cry wolf. */
static void linkcheck_offline(struct linkcheck_run *r)
{
	size_t failed = 0;
	for (size_t i = 0; i < r->nlinks; i++) {
		if (r->links[i].answered)
			return;
		failed += r->links[i].dns_failed;
	}
	if (failed < 2)
		return;
	for (size_t i = 0; i < r->nlinks; i++) {
		struct linkcheck_link *l = &r->links[i];
		if (!l->dns_failed)
			continue;
		char *why = xasprintf("%s; no server answered, is the network down?", l->reason);
		free(l->reason);
		l->reason = why;
		l->verdict = LINK_UNVERIFIABLE;
		l->store = 0;
	}
}

/* A suspect link's reason is "rule: what the page does". */
static void linkcheck_suspect(const struct linkcheck_link *l, const struct link_ref *f,
			      diag_list *d)
{
	size_t n = strcspn(l->reason, ":");
	char *rule = xstrndup(l->reason, n);
	const char *what = l->reason[n] ? l->reason + n + 1 + (l->reason[n + 1] == ' ') : "";
	diag_add(d, DIAG_WARNING, f->file, f->line, f->col, rule, "link %s %s", f->url, what);
	free(rule);
}

static void linkcheck_report_one(const struct linkcheck_run *r, const struct linkcheck_link *l,
				 const struct link_ref *f, diag_list *d, char **fix)
{
	const value *known = r->meta ? metacache_find(r->meta, l->key) : NULL;
	const value *archived = value_getc(known, "archived");
	if (archived && value_type(archived) == VALUE_BOOL && value_boolean(archived))
		diag_add(d, DIAG_WARNING, f->file, f->line, f->col, "archived",
			 "link %s is an archived GitHub repository", f->url);
	if (l->state != LINKCHECK_DONE)
		return;
	const char *since = r->o->rot ? value_str(value_getc(known, "broken_since")) : NULL;
	const char *copy = value_str(value_getc(known, "archived_copy"));
	if (l->verdict == LINK_BROKEN && since && l->rot_known) {
		diag_add(d, DIAG_WARNING, f->file, f->line, f->col, "link-rot",
			 "link %s broken since %.10s (%s)", f->url, since, l->reason);
	} else if (l->verdict == LINK_BROKEN) {
		diag_add(d, DIAG_ERROR, f->file, f->line, f->col, LINKCHECK_RULE,
			 "broken link %s (%s)", f->url, l->reason);
	} else if (l->verdict == LINK_UNVERIFIABLE) {
		diag_add(d, DIAG_WARNING, f->file, f->line, f->col, LINKCHECK_RULE,
			 "unverifiable link %s (%s)", f->url, l->reason);
	} else if (l->verdict == LINK_SUSPECT) {
		linkcheck_suspect(l, f, d);
	} else if (l->moved_to && strcmp(l->reason, "canonical URL") == 0) {
		diag_add(d, DIAG_WARNING, f->file, f->line, f->col, "canonical",
			 "link %s names %s as its canonical URL", f->url, l->moved_to);
		*fix = xstrdup(l->moved_to);
	} else if (l->moved_to) {
		diag_add(d, DIAG_WARNING, f->file, f->line, f->col, LINKCHECK_RULE,
			 "link %s redirects permanently to %s (%s)", f->url,
			 l->moved_to, l->reason);
		*fix = xstrdup(l->moved_to);
	}
	if (l->verdict == LINK_BROKEN && copy && r->o->wayback)
		diag_add(d, DIAG_NOTE, f->file, f->line, f->col, "wayback",
			 "archived copy of %s: %s", f->url, copy);
}

static void linkcheck_report(const struct linkcheck_run *r, const struct link_ref *refs,
			     size_t n, diag_list *d, char **fix)
{
	for (size_t i = 0; i < n; i++) {
		char *to = NULL;
		if (r->ref_link[i] != SIZE_MAX)
			linkcheck_report_one(r, &r->links[r->ref_link[i]], &refs[i], d, &to);
		if (fix)
			fix[i] = to;
		else
			free(to);
	}
}

/* Link l's fresh verdict joins cache; whether it has one to keep. */
static int linkcheck_put(const struct linkcheck_link *l, struct linkcache *cache, time_t now)
{
	if (!l->store || !linkcache_storable(l->key))
		return 0;
	linkcache_put(cache, l->key, l->verdict, now, l->reason, l->moved_to);
	return 1;
}

/* A fresh verdict that may be written before the run ends. */
static int linkcheck_keepable(const struct linkcheck_link *l)
{
	return l->state == LINKCHECK_DONE && l->store && !l->dns_failed;
}

/* While the last replies are awaited, the verdicts already in go to the
 * index, so that little is left to write once the last one is in. A name
 * that did not resolve waits for the end (linkcheck_offline may find the
 * network down); so does everything once the index cannot be opened or
 * written, when linkcheck_store says why. */
static void linkcheck_keep(struct linkcheck_run *r, size_t min)
{
	if (r->unkept < min || !r->ix || r->keep_failed)
		return;
	struct linkcache fresh = LINKCACHE_INIT;
	time_t now = time(NULL);
	for (size_t i = 0; i < r->nlinks; i++)
		if (linkcheck_keepable(&r->links[i]))
			linkcheck_put(&r->links[i], &fresh, now);
	if (fresh.len && linkcache_save(&fresh, r->ix) < 0)
		r->keep_failed = 1;
	for (size_t i = 0; i < r->nlinks && !r->keep_failed; i++)
		if (linkcheck_keepable(&r->links[i]))
			r->links[i].store = 0; /* kept */
	r->unkept = 0;
	linkcache_release(&fresh);
}

/* Fresh verdicts not kept yet join the cache, which is written only when
 * one came. */
static int linkcheck_store(struct linkcheck_run *r, struct linkcache *cache, diag_list *d)
{
	time_t now = time(NULL);
	int changed = 0;
	for (size_t i = 0; i < r->nlinks; i++)
		changed |= linkcheck_put(&r->links[i], cache, now);
	if (!changed || (!r->ix && !index_supported()) ||
	    (r->ix && linkcache_save(cache, r->ix) == 0))
		return 0;
	char *path = index_path(r->o->root);
	diag_add(d, DIAG_ERROR, path, 0, 0, NULL, "cannot keep link verdicts in the archive index");
	free(path);
	return -1;
}

static void linkcheck_release(struct linkcheck_run *r)
{
	for (size_t i = 0; i < r->nlinks; i++) {
		struct linkcheck_link *l = &r->links[i];
		for (int j = 1; j < l->hops; j++)
			free(l->chain[j]);
		free(l->chain);
		if (l->key_owned)
			free((void *)l->key);
		free(l->reason);
		free(l->moved_to);
	}
	for (size_t i = 0; i < r->nhosts; i++) {
		free(r->hosts[i].key);
		free(r->hosts[i].queue);
	}
	index_close(r->ix);
	free(r->links);
	free(r->ref_link);
	free(r->hosts);
	free(r->htab);
}

/* Whether u is a web address written as a URL is: printable ASCII, no
 * blanks (it goes to terminals, the index and the pages' links). */
static int linkcheck_plain_web(const char *u)
{
	for (const unsigned char *p = (const unsigned char *)u; *p; p++)
		if (*p <= ' ' || *p >= 0x7F)
			return 0;
	return util_is_web(u);
}

/* The bytes a query's value holds as they are (RFC 3986's unreserved). */
static int query_byte(unsigned char c)
{
	return isalnum(c) || (c && strchr("-._~", c));
}

/* The closest snapshot an archive service holds of url, from its
 * availability API ({"archived_snapshots": {"closest": {"available": true,
 * "url": ...}}}), or NULL. */
static char *linkcheck_snapshot(const struct linkcheck_opts *o, const char *url)
{
	buf q = BUF_INIT;
	buf_printf(&q, "%s/wayback/available?url=", o->wayback);
	buf_put_percent(&q, url, query_byte);
	struct link_get g = { .url = q.data, .o = o, .accept = "Accept: application/json",
			      .max_body = 1u << 20 };
	struct link_page p;
	diag_list d = DIAG_LIST_INIT;
	char *snap = NULL;
	if (linkcheck_get(&g, &p, &d) == 0 && p.status == 200 && !p.cut) {
		value *v = yaml_load(p.body.data, p.body.len, "wayback", 0, &d);
		const value *closest = value_path(v, "archived_snapshots.closest");
		const value *ok = value_getc(closest, "available");
		const char *s = value_str(value_getc(closest, "url"));
		if (ok && value_type(ok) == VALUE_BOOL && value_boolean(ok) && s && linkcheck_plain_web(s))
			snap = xstrdup(s);
		value_free(v);
	}
	link_page_release(&p);
	diag_release(&d);
	buf_release(&q);
	return snap;
}

/* Link rot: a link broken now is recorded with the time it was first seen
 * so (known: it was before this run); a link that works again is
 * forgotten; with wayback, a dead link's snapshot is looked up once.
 * Returns whether anything changed. */
static int linkcheck_rot(struct linkcheck_run *r, value *meta)
{
	char now[32];
	int changed = 0;
	metacache_time(time(NULL), now);
	for (size_t i = 0; i < r->nlinks; i++) {
		struct linkcheck_link *l = &r->links[i];
		const value *known = metacache_find(meta, l->key);
		const char *since = value_str(value_getc(known, "broken_since"));
		if (l->state != LINKCHECK_DONE || !linkcache_storable(l->key))
			continue;
		if (l->verdict == LINK_BROKEN) {
			l->rot_known = since != NULL;
			if (!since && r->o->rot) {
				metacache_note(meta, l->key, "broken_since", now);
				changed = 1;
			}
			if (r->o->wayback && !value_str(value_getc(metacache_find(meta, l->key),
								   "archived_copy"))) {
				char *snap = linkcheck_snapshot(r->o, l->key);
				if (snap) {
					metacache_note(meta, l->key, "archived_copy", snap);
					changed = 1;
				}
				free(snap);
			}
		} else if (since && r->o->rot && l->verdict != LINK_UNVERIFIABLE) {
			metacache_note(meta, l->key, "broken_since", NULL);
			metacache_note(meta, l->key, "archived_copy", NULL);
			changed = 1;
		}
	}
	return changed;
}

int linkcheck_run(const struct linkcheck_opts *o, const struct link_ref *refs, size_t n,
		  diag_list *d, char **fix)
{
	struct linkcheck_run r;
	struct linkcache cache = LINKCACHE_INIT;
	memset(&r, 0, sizeof r);
	r.o = o;
	r.judge = linkcheck_judge;
	r.keep = linkcheck_keep;
	linkcheck_dedupe(&r, refs, n);
	struct index *ix = o->ix ? o->ix : o->root ? index_open(o->root, 0) : NULL;
	value *meta = o->root && o->meta ? metacache_read(ix, o->root, d) : NULL;
	r.meta = meta;
	r.read_pages = o->read_pages;
	if (o->root)
		linkcache_load(&cache, ix, o->cache_path, d);
	linkcheck_consult(&r, &cache);
	/* the links hold what the cache said of them: the verdicts of the
	 * whole archive are not held while the web is asked; fresh verdicts go
	 * into an empty cache, which writes only what is put, through the
	 * index opened once (10,000 links peak no higher with it held) */
	linkcache_release(&cache);
	cache = (struct linkcache)LINKCACHE_INIT;
	r.ix = ix;
	int rc = r.pending ? linkcheck_fetch(&r, d) : 0; /* libcurl only when needed */
	if (rc == 0) {
		linkcheck_offline(&r);
		if (meta && (o->rot || o->wayback) && linkcheck_rot(&r, meta) &&
		    metacache_save(meta, ix, o->root, d) < 0)
			rc = -1;
		linkcheck_report(&r, refs, n, d, fix);
		if (o->root && linkcheck_store(&r, &cache, d) < 0)
			rc = -1;
	}
	linkcache_release(&cache);
	linkcheck_release(&r);
	value_free(meta);
	return rc;
}
