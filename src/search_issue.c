/* search_issue.c - one issue as the search index keeps it: its item file
 * (weeklySearch.issue) and its terms with their postings (search.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "search_int.h"
#include "weekly/util.h"

/* An issue's terms, while its items are read: title first, so that the
 * first posting of an item says whether the term is in its title. Its
 * postings go to one array, in the order they come, each term's linked
 * from its first to its last (head, tail and next: indexes into the
 * array), not to a buffer per term: an issue has a thousand terms, most
 * of them in one item. */
struct posting {
	uint32_t item;
	uint32_t next;       /* the term's next posting; 0 after its last */
	int title;
};

/* A posting's bytes but for the comma and the "!": the item's place K
 * (its issue's number is the record's), with room to be copied all at
 * once. */
struct label {
	char s[24];
	size_t len;
};

struct collect {
	struct table tb;
	uint32_t item;
	int title;
	struct posting *p;   /* p[0] unused: 0 ends a list */
	size_t np, cap;
	struct label *labels; /* each item's postings, made as the terms are written */
	size_t nlabels;
	uint32_t *by;        /* room for nby terms' order by group, then their hashes */
	size_t nby;
};

/* Write ",K!" (the comma after the first, "!" for a title) at w, which
 * has room for sizeof l->s bytes more than it takes: a call per word of
 * every item, so not through printf. Where it ends. */
static char *put_posting(char *w, int comma, const struct label *l, int title)
{
	*w = ',';
	w += comma;
	memcpy(w, l->s, sizeof l->s);
	w += l->len;
	*w = '!';
	return w + title;
}

static void collect_term(void *ud, const char *term, size_t len, uint32_t hash)
{
	struct collect *c = ud;
	struct term *t = search_table_term(&c->tb, term, len, hash);
	if (t->last == (long)c->item)
		return;
	if (c->np >= c->cap)
		xgrow((void **)&c->p, &c->cap, c->np + 1, sizeof *c->p);
	uint32_t k = (uint32_t)c->np++;
	c->p[k] = (struct posting){ c->item, 0, c->title };
	if (t->count++)
		c->p[t->tail].next = k;
	else
		t->head = k;
	t->tail = k;
	t->last = c->item;
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

/* Write count (or an item's place, or a length) in decimal at w; where it
 * ends. */
static char *put_count(char *w, size_t count)
{
	char d[20];
	int n = 0;
	do
		d[n++] = (char)('0' + count % 10);
	while (count /= 10);
	while (n)
		*w++ = d[--n];
	return w;
}

/* The line of term t: TERM <TAB> COUNT <TAB> K!,K, its postings in the
 * order they came, at w; where it ends. */
static char *put_line(const struct collect *c, const struct term *t, char *w)
{
	memcpy(w, c->tb.bytes.data + t->off, t->len);
	w += t->len;
	*w++ = '\t';
	w = put_count(w, t->count);
	*w++ = '\t';
	for (uint32_t k = t->head; k; k = c->p[k].next)
		w = put_posting(w, k != t->head, &c->labels[c->p[k].item], c->p[k].title);
	*w++ = '\n';
	return w;
}

/* The room the line of SEARCH_GROUPS lengths takes at most. */
#define GROUPS_LINE (SEARCH_GROUPS * 21 + 1)

/* The terms: the line of the lengths of their groups (search_int.h),
 * then the lines of each group, each term's in the order the terms came
 * (the shards and the delta sort what they gather; the archive's table
 * puts the issue's number before each posting). Room for all of them is
 * made first (a posting takes at most 22 bytes and K, and one is written
 * with room to spare), then the lines are written in place after room for
 * the line of lengths, which is put before them once they are known. */
static void put_terms(struct collect *c, buf *out)
{
	if (c->item >= c->nlabels)
		xgrow((void **)&c->labels, &c->nlabels, c->item + 1, sizeof *c->labels);
	for (uint32_t k = 0; k < c->item; k++)
		c->labels[k].len = (size_t)(put_count(c->labels[k].s, k) - c->labels[k].s);
	if (c->tb.n > c->nby) {
		c->nby = c->tb.n;
		free(c->by);
		c->by = xmalloc(2 * c->nby * sizeof *c->by); /* the order, then the hashes */
	}
	size_t first[SEARCH_GROUPS + 1], glen[SEARCH_GROUPS];
	for (size_t id = 0; id < c->tb.n; id++)
		c->by[c->nby + id] = c->tb.t[id].hash;
	search_group(c->by + c->nby, c->tb.n, SEARCH_GROUPS, c->by, first);
	buf_reserve(out, GROUPS_LINE + c->tb.bytes.len + 48 * c->tb.n +
			 (24 + sizeof c->labels->s) * c->np);
	char *lines = out->data + out->len + GROUPS_LINE, *w = lines;
	for (unsigned g = 0; g < SEARCH_GROUPS; g++) {
		char *from = w;
		for (size_t k = first[g]; k < first[g + 1]; k++)
			w = put_line(c, &c->tb.t[c->by[k]], w);
		glen[g] = (size_t)(w - from);
	}
	char head[GROUPS_LINE], *h = head;
	for (unsigned g = 0; g < SEARCH_GROUPS; g++) {
		*h = ' ';
		h = put_count(h + (g > 0), glen[g]);
	}
	*h++ = '\n';
	memcpy(out->data + out->len, head, (size_t)(h - head));
	memmove(out->data + out->len + (h - head), lines, (size_t)(w - lines));
	out->len += (size_t)(h - head) + (size_t)(w - lines);
	out->data[out->len] = '\0';
}

int search_record_split(const char *data, size_t len, struct record *rec)
{
	char *end;
	const char *nl = data ? memchr(data, '\n', len) : NULL;
	size_t n = nl ? strtoul(data, &end, 10) : 0;
	if (!n || end != nl || (size_t)(nl + 1 - data) + n > len)
		return -1;
	rec->items = nl + 1;
	rec->ilen = n;
	const char *p = rec->items + n, *stop = data + len;
	nl = memchr(p, '\n', (size_t)(stop - p));
	if (!nl)
		return -1;
	const char *at = nl + 1;
	for (unsigned g = 0; g < SEARCH_GROUPS; g++) {
		if (*p < '0' || *p > '9')
			return -1;
		rec->glen[g] = strtoul(p, &end, 10);
		if (end > nl || *end != (g + 1 < SEARCH_GROUPS ? ' ' : '\n') ||
		    rec->glen[g] > (size_t)(stop - at))
			return -1;
		rec->group[g] = at;
		at += rec->glen[g];
		p = end + 1;
	}
	return at == stop ? 0 : -1;
}

static void put_json_string(buf *b, const char *s)
{
	buf_putc(b, '"');
	if (s)
		buf_put_json(b, s, strlen(s));
	buf_putc(b, '"');
}

/* Item it, the k-th of section sec of newsletter n, as [section, title,
 * url], or, without a URL to follow, [section, title, "", anchor]: the
 * place its issue's page gives it (SECTION-K), which the result links to. */
static void put_item(buf *out, const struct newsletter *n, const struct section *sec,
		     size_t k, const struct item *it)
{
	const char *url = it->has_link && util_url_safe(it->url) ? it->url : NULL;
	put_json_string(out, sec->heading);
	buf_putc(out, ',');
	put_json_string(out, it->title);
	buf_putc(out, ',');
	put_json_string(out, url);
	if ((!url || !*url) && sec->conf >= 0) {
		buf_puts(out, ",\"");
		buf_put_json(out, n->sections[sec->conf].id, strlen(n->sections[sec->conf].id));
		buf_putc(out, '-');
		buf_put_dec(out, (long long)(k + 1));
		buf_putc(out, '"');
	}
}

/* weeklySearch.issue({...}) for issue i, its terms collected on the way. */
static void put_items(const struct archive *a, const struct newsletter *n, size_t i,
		      const struct issue *is, struct collect *c, buf *out)
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
			put_item(out, n, sec, k, it);
			buf_putc(out, ']');
			collect_text(c, it->title, 1);
			collect_text(c, it->note, 0);
			collect_text(c, it->description_text, 0);
			collect_host(c, it->has_link ? it->url : NULL);
		}
	}
	buf_puts(out, "]});\n");
}

void search_issue(const struct archive *a, const struct newsletter *n, size_t i,
		  const struct issue *is, buf *out)
{
	/* The table of one issue's terms and its postings are kept for the
	 * next: a process that indexes thousands of issues (a build's worker)
	 * would otherwise take a hundred kilobytes of fresh pages from the
	 * system for each. An issue's table holds no postings of its own
	 * (collect). */
	static struct collect c;
	if (!c.tb.cap)
		c.tb.bytes = (buf)BUF_INIT;
	search_table_clear(&c.tb);
	c.item = 0;
	c.np = 1;
	buf items = BUF_INIT;
	put_items(a, n, i, is, &c, &items);
	buf_printf(out, "%zu\n", items.len);
	buf_put(out, items.data, items.len);
	put_terms(&c, out);
	buf_release(&items);
}
