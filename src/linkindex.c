/* linkindex.c - the link ledger in the archive index (linkindex.h). */
#include <stdlib.h>
#include <string.h>
#include "weekly/fsutil.h"
#include "weekly/linkindex.h"
#include "weekly/util.h"

struct missing {
	const char *dir;
	struct issue_file *files;
	uint64_t *digests;
	size_t len, cap, dcap;
};

static void add_missing(void *ud, const char *name, long number, uint64_t digest)
{
	struct missing *m = ud;
	size_t digits;
	if (issue_file_number(name, &digits) != number)
		return; /* not a name the folder's listing would give */
	xgrow((void **)&m->files, &m->cap, m->len + 1, sizeof *m->files);
	xgrow((void **)&m->digests, &m->dcap, m->len + 1, sizeof *m->digests);
	m->files[m->len] = (struct issue_file){ fs_join(m->dir, name), xstrndup(name, digits),
						number };
	m->digests[m->len++] = digest;
}

int linkindex_missing(struct index *ix, const char *issues_dir, long upto,
		      struct issue_file **files, uint64_t **digests, size_t *n)
{
	struct missing m = { .dir = issues_dir };
	int rc = index_unlinked(ix, upto, add_missing, &m);
	*files = m.files;
	*digests = m.digests;
	*n = m.len;
	return rc;
}

void linkindex_keep(struct index *ix, const char *path, long number, long fm,
		    uint64_t digest, const struct ledger_entry *e, size_t n)
{
	index_put_links(ix, fs_basename(path), number, fm >= 0 ? fm : number, digest, e, n);
}

struct first {
	const char *dir;
	struct ledger *out;
	int found;
};

static void add_first(void *ud, const struct ledger_entry *e, long number)
{
	struct first *f = ud;
	char *path = fs_join(f->dir, e->file);
	struct ledger_entry x = *e;
	x.file = path;
	x.issue = number; /* check counts issues by their files */
	ledger_add(f->out, &x);
	free(path);
	f->found = 1;
}

void linkindex_featured(struct index *ix, const char *issues_dir,
			const struct ledger_entry *links, size_t n, long number,
			struct ledger *out)
{
	for (size_t i = 0; i < n; i++) {
		if (links[i].kind != LEDGER_ITEM || !links[i].key)
			continue;
		if (ledger_first_key(out, links[i].key))
			continue; /* asked already */
		struct first f = { issues_dir, out, 0 };
		index_links(ix, links[i].key, 1, number, 1, add_first, &f);
	}
}

struct where {
	const char *dir;
	linkindex_fn fn;
	void *ud;
};

static void each_place(void *ud, const struct ledger_entry *e, long number)
{
	struct where *w = ud;
	char *path = fs_join(w->dir, e->file);
	struct ledger_entry x = *e;
	(void)number;
	x.file = path;
	w->fn(w->ud, &x);
	free(path);
}

int linkindex_where(struct index *ix, const char *issues_dir, const char *key,
		    linkindex_fn fn, void *ud)
{
	struct where w = { issues_dir, fn, ud };
	return index_links(ix, key, 0, -1, 0, each_place, &w);
}
