/* linkcheck.c - check every distinct web URL once, remember verdicts in the
 * link cache, and report each problem at every place its URL appears. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "weekly/linkcache.h"
#include "weekly/linkcheck.h"
#include "weekly/linkrun.h"
#include "weekly/util.h"

#define LINKCHECK_RULE "link"

void linkcheck_defaults(struct linkcheck_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->jobs = 128;
	o->per_host = 8;
	o->timeout = 10;
	o->connect_timeout = 5;
	o->deadline = 300;
	o->max_age = 86400;
	o->progress = isatty(STDERR_FILENO);
}

struct linkcheck_keyed {
	char *key;
	size_t ref;
};

static int linkcheck_keyed_cmp(const void *a, const void *b)
{
	const struct linkcheck_keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->ref > y->ref) - (x->ref < y->ref);
}

static void linkcheck_add_link(struct linkcheck_run *r, char *key)
{
	struct linkcheck_link *l = &r->links[r->nlinks++];
	memset(l, 0, sizeof(*l));
	l->key = key;
	l->chain[0] = xstrdup(key);
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
		if (refs[i].url && util_is_web(refs[i].url)) {
			k[nk].key = xstrndup(refs[i].url, strcspn(refs[i].url, "#"));
			k[nk++].ref = i;
		}
	}
	qsort(k, nk, sizeof(*k), linkcheck_keyed_cmp);
	r->links = xcalloc(nk, sizeof(*r->links));
	for (size_t i = 0; i < nk; i++) {
		if (r->nlinks && strcmp(k[i].key, r->links[r->nlinks - 1].key) == 0)
			free(k[i].key);
		else
			linkcheck_add_link(r, k[i].key);
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

static void linkcheck_report(const struct linkcheck_run *r, const struct link_ref *refs,
			     size_t n, diag_list *d)
{
	for (size_t i = 0; i < n; i++) {
		if (r->ref_link[i] == SIZE_MAX)
			continue;
		const struct linkcheck_link *l = &r->links[r->ref_link[i]];
		const struct link_ref *f = &refs[i];
		if (l->state != LINKCHECK_DONE)
			continue;
		if (l->verdict == LINK_BROKEN)
			diag_add(d, DIAG_ERROR, f->file, f->line, f->col, LINKCHECK_RULE,
				 "broken link %s (%s)", f->url, l->reason);
		else if (l->verdict == LINK_UNVERIFIABLE)
			diag_add(d, DIAG_WARNING, f->file, f->line, f->col, LINKCHECK_RULE,
				 "unverifiable link %s (%s)", f->url, l->reason);
		else if (l->moved_to)
			diag_add(d, DIAG_WARNING, f->file, f->line, f->col, LINKCHECK_RULE,
				 "link %s redirects permanently to %s (%s)", f->url,
				 l->moved_to, l->reason);
	}
}

/* Fresh verdicts join the cache, which is written only when one came. */
static int linkcheck_store(struct linkcheck_run *r, struct linkcache *cache, const char *path,
			   diag_list *d)
{
	time_t now = time(NULL);
	int changed = 0;
	for (size_t i = 0; i < r->nlinks; i++) {
		const struct linkcheck_link *l = &r->links[i];
		if (!l->store || !linkcache_storable(l->key))
			continue;
		linkcache_put(cache, l->key, l->verdict, now, l->reason, l->moved_to);
		changed = 1;
	}
	if (!changed || linkcache_save(cache, path) == 0)
		return 0;
	diag_add(d, DIAG_ERROR, path, 0, 0, NULL, "cannot write link cache: %s", strerror(errno));
	return -1;
}

static void linkcheck_release(struct linkcheck_run *r)
{
	for (size_t i = 0; i < r->nlinks; i++) {
		struct linkcheck_link *l = &r->links[i];
		for (int j = 0; j < l->hops; j++)
			free(l->chain[j]);
		free(l->key);
		free(l->reason);
		free(l->moved_to);
	}
	for (size_t i = 0; i < r->nhosts; i++) {
		free(r->hosts[i].key);
		free(r->hosts[i].queue);
	}
	free(r->links);
	free(r->ref_link);
	free(r->hosts);
	free(r->htab);
}

int linkcheck_run(const struct linkcheck_opts *o, const struct link_ref *refs, size_t n,
		  diag_list *d)
{
	struct linkcheck_run r;
	struct linkcache cache = LINKCACHE_INIT;
	memset(&r, 0, sizeof r);
	r.o = o;
	linkcheck_dedupe(&r, refs, n);
	if (o->cache_path)
		linkcache_load(&cache, o->cache_path, d);
	linkcheck_consult(&r, &cache);
	int rc = r.pending ? linkcheck_fetch(&r, d) : 0; /* libcurl only when needed */
	if (rc == 0) {
		linkcheck_offline(&r);
		linkcheck_report(&r, refs, n, d);
		if (o->cache_path)
			rc = linkcheck_store(&r, &cache, o->cache_path, d);
	}
	linkcache_release(&cache);
	linkcheck_release(&r);
	return rc;
}
