/* search_issue.c - one issue as the search index keeps it: its item file
 * (weeklySearch.issue) and its terms with their postings (search.h). */
#include <stdlib.h>
#include <string.h>
#include "search_int.h"
#include "weekly/util.h"

/* An issue's terms, while its items are read: title first, so that the
 * first posting of an item says whether the term is in its title. Its
 * postings go to one array, in the order they come, not to a buffer per
 * term: an issue has a thousand terms, most of them in one item. */
struct posting {
	size_t term;         /* its id */
	long item;
	int title;
};

struct collect {
	struct table tb;
	long item;
	int title;
	struct posting *p;
	size_t np, cap;
	size_t *slot;        /* of each term, by id */
	size_t slotcap;
};

/* The slots of the terms, by id, found again after the table grew. */
static void find_slots(struct collect *c)
{
	for (size_t i = 0; i < c->tb.cap; i++)
		if (c->tb.t[i].len)
			c->slot[c->tb.t[i].id] = i;
}

/* Append ",K!" (the comma after the first, "!" for a title) to posts: a
 * call per word of every item, so not through printf. */
static void put_posting(buf *posts, int comma, long item, int title)
{
	char s[24], *p = s + sizeof s;
	if (title)
		*--p = '!';
	do
		*--p = (char)('0' + item % 10);
	while ((item /= 10) > 0);
	if (comma)
		*--p = ',';
	buf_put(posts, p, (size_t)(s + sizeof s - p));
}

static void collect_term(void *ud, const char *term, size_t len)
{
	struct collect *c = ud;
	size_t cap = c->tb.cap, n = c->tb.n;
	struct term *t = search_table_term(&c->tb, term, len);
	if (c->tb.n > n) /* a new term */
		xgrow((void **)&c->slot, &c->slotcap, c->tb.n, sizeof *c->slot);
	if (c->tb.cap != cap) /* the table grew: every term moved */
		find_slots(c);
	else if (c->tb.n > n)
		c->slot[t->id] = (size_t)(t - c->tb.t);
	if (t->last == c->item)
		return;
	t->last = c->item;
	xgrow((void **)&c->p, &c->cap, c->np + 1, sizeof *c->p);
	c->p[c->np++] = (struct posting){ t->id, c->item, c->title };
}

static void collect_text(struct collect *c, const char *s, int title)
{
	c->title = title;
	if (s)
		search_terms(s, strlen(s), collect_term, c);
}

/* The host of url, without "www.". */
static void collect_host(struct collect *c, const char *url)
{
	const char *p = url && util_is_web(url) ? strstr(url, "://") : NULL;
	if (!p)
		return;
	p += 3;
	size_t n = strcspn(p, "/?#");
	for (size_t k = 0; k < n; k++)
		if (p[k] == '@') /* user info: the host comes after it */
			p += k + 1, n -= k + 1, k = 0;
	n = strcspn(p, ":/?#");
	if (n > 4 && strncmp(p, "www.", 4) == 0)
		p += 4, n -= 4;
	c->title = 0;
	search_terms(p, n, collect_term, c);
}

/* TERM <TAB> K!,K lines, one per term, in the order they came: the shards
 * and the delta sort what they gather. The postings are grouped by term
 * (counted, then placed), each term's in the order they came. Each term's
 * slot is emptied once said, so that the table is empty at the end. */
static void put_terms(struct collect *c, buf *out)
{
	size_t *first = xcalloc(c->tb.n + 1, sizeof *first), *fill;
	size_t *by = xcalloc(c->np + 1, sizeof *by);
	for (size_t k = 0; k < c->np; k++)
		first[c->p[k].term + 1]++;
	for (size_t t = 0; t < c->tb.n; t++)
		first[t + 1] += first[t];
	fill = xcalloc(c->tb.n + 1, sizeof *fill);
	for (size_t k = 0; k < c->np; k++)
		by[first[c->p[k].term] + fill[c->p[k].term]++] = k;
	for (size_t id = 0; id < c->tb.n; id++) {
		struct term *t = &c->tb.t[c->slot[id]];
		buf_put(out, c->tb.bytes.data + t->off, t->len);
		buf_putc(out, '\t');
		for (size_t k = first[id]; k < first[id + 1]; k++)
			put_posting(out, k > first[id], c->p[by[k]].item, c->p[by[k]].title);
		buf_putc(out, '\n');
		*t = (struct term){ 0 };
	}
	c->tb.n = 0;
	free(fill);
	free(by);
	free(first);
}

static void put_json_string(buf *b, const char *s)
{
	buf_putc(b, '"');
	if (s)
		buf_put_json(b, s, strlen(s));
	buf_putc(b, '"');
}

/* weeklySearch.issue({...}) for issue i, its terms collected on the way. */
static void put_items(const struct archive *a, size_t i, const struct issue *is,
		      struct collect *c, buf *out)
{
	const struct archive_issue *ai = &a->issues[i];
	value *link = archive_link_value(a, (long)i, NULL);
	buf_printf(out, "weeklySearch.issue({\"n\":%ld,\"page\":", ai->number);
	put_json_string(out, value_str(value_getc(link, "page")));
	buf_puts(out, ",\"date\":");
	put_json_string(out, ai->date);
	buf_puts(out, ",\"title\":");
	put_json_string(out, ai->title);
	buf_puts(out, ",\"items\":[");
	value_free(link);
	for (size_t s = 0; s < is->nsections; s++) {
		const struct section *sec = &is->sections[s];
		for (size_t k = 0; k < sec->nitems; k++, c->item++) {
			const struct item *it = &sec->items[k];
			buf_puts(out, c->item ? ",\n[" : "\n[");
			put_json_string(out, sec->heading);
			buf_putc(out, ',');
			put_json_string(out, it->title);
			buf_putc(out, ',');
			put_json_string(out, it->has_link && util_url_safe(it->url) ? it->url : NULL);
			buf_putc(out, ']');
			collect_text(c, it->title, 1);
			collect_text(c, it->note, 0);
			collect_text(c, it->description_text, 0);
			collect_host(c, it->has_link ? it->url : NULL);
		}
	}
	buf_puts(out, "]});\n");
}

void search_issue(const struct archive *a, size_t i, const struct issue *is, buf *out)
{
	/* The table of one issue's terms is kept for the next, emptied slot
	 * by slot (put_terms): a process that indexes thousands of issues (a
	 * build's worker) would otherwise take a hundred kilobytes of fresh
	 * pages from the system for each, or clear them all. An issue's table
	 * holds no postings of its own (collect). */
	static struct table tb = { .bytes = BUF_INIT };
	if (!tb.cap)
		search_table_grow(&tb);
	buf_reset(&tb.bytes);
	struct collect c = { .tb = tb };
	buf items = BUF_INIT;
	put_items(a, i, is, &c, &items);
	buf_printf(out, "%zu\n", items.len);
	buf_put(out, items.data, items.len);
	put_terms(&c, out);
	tb = c.tb; /* grown, perhaps; empty again */
	buf_release(&items);
	free(c.p);
	free(c.slot);
}
