/* archive_links.c - the links of the issues a build parses, kept in the
 * archive index as it goes (archive.h: archive_keep_links), so that `check`
 * and `where` need not read those sources again. */
#include "weekly/archive.h"
#include "weekly/index.h"

void archive_keep_links(struct archive *a, size_t i, long shown,
			const struct ledger_entry *e, size_t n)
{
	struct archive_issue *is = &a->issues[i];
	if (!a->ix || is->unreadable)
		return;
	if (!a->linking) {
		if (index_begin(a->ix) < 0)
			return;
		a->linking = 1;
		if (a->clear && !a->cleared) /* links of other settings go before these */
			index_clear(a->ix);
		a->cleared |= a->clear;
		if (a->bulk)
			index_links_bulk(a->ix);
	}
	index_put_links(a->ix, is->name, is->number, shown >= 0 ? shown : is->number,
			is->digest, e, n);
	is->linked = 1;
	a->dirty = is->changed = 1;
}

void archive_links_done(struct archive *a, int whole)
{
	if (a->linking && index_commit(a->ix) < 0) { /* rolled back: nothing kept */
		a->cleared = 0;
		for (size_t i = 0; i < a->len; i++)
			a->issues[i].linked = 0;
	}
	a->linking = 0;
	if (whole && a->bulk && a->ix)
		index_links_keyed(a->ix);
	a->bulk &= !whole;
}
