/* seasons.c - the archive's seasons: the setting, which issues each season
 * holds, what its pages are made from and their context (see seasons.h). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/arena.h"
#include "weekly/digest.h"
#include "weekly/issue.h"
#include "weekly/seasons.h"
#include "weekly/strings.h"
#include "weekly/util.h"

static const char *const season_exts[SEASON_FORMATS] = { ".html", ".md" };
const char *const season_templates[SEASON_FORMATS] = { "season.html.mustache",
						       "season.md.mustache" };

#define MAX_NUMBER 1000000000L

/* --- the setting ------------------------------------------------------------ */

/* What the setting says: a size, or ranges. */
struct conf {
	long size;           /* seasons: {size: N}; 0 for ranges */
	struct season *ranges;
	size_t len;
};

struct reader {
	const struct newsletter *n;
	diag_list *d;
	size_t errors;
};

/* Add msg (taken) to the mistakes, at value at. */
static void say(struct reader *r, const value *at, char *msg)
{
	diag_add(r->d, DIAG_ERROR, r->n->settings_path, value_line(at), value_col(at), "settings",
		 "%s", msg);
	free(msg);
	r->errors++;
}

/* The whole number v holds, from 1 up; -1 after saying what key takes. */
static long whole(struct reader *r, const value *v, const char *key)
{
	if (value_type(v) == VALUE_NUMBER && value_num(v) >= 1 && value_num(v) <= MAX_NUMBER &&
	    value_num(v) == (double)(long)value_num(v))
		return (long)value_num(v);
	say(r, v, xasprintf("'%s' of 'seasons' takes a whole number of issues from 1 up", key));
	return -1;
}

static void by_size(struct reader *r, const value *s, struct conf *c)
{
	for (size_t i = 0; i < value_len(s); i++) {
		const struct value_entry *e = value_entry_at(s, i);
		if (strcmp(e->key, "size") == 0)
			c->size = whole(r, e->val, "size");
		else
			say(r, e->val, xasprintf("unknown key '%s' in 'seasons', which takes 'size' "
						 "({size: 30}) or a list of ranges", e->key));
	}
	if (c->size == 0)
		say(r, s, xstrdup("'seasons' needs its 'size', such as {size: 30}"));
	if (c->size < 0)
		c->size = 0;
}

/* Range e of the list, after prev (NULL for the first); last: whether it
 * is the last one, the only one that may leave out 'until'. */
static void range(struct reader *r, const value *e, const struct season *prev, int last,
		  struct season *out)
{
	*out = (struct season){ .n = prev ? prev->n + 1 : 1, .until = LONG_MAX };
	if (value_type(e) != VALUE_MAP) {
		say(r, e, xstrdup("a season is a range such as {from: 1, until: 30}"));
		return;
	}
	for (size_t i = 0; i < value_len(e); i++) {
		const struct value_entry *k = value_entry_at(e, i);
		if (strcmp(k->key, "from") == 0)
			out->from = whole(r, k->val, "from");
		else if (strcmp(k->key, "until") == 0)
			out->until = whole(r, k->val, "until");
		else if (strcmp(k->key, "title") == 0 && value_type(k->val) == VALUE_STRING)
			out->title = value_str(k->val);
		else if (strcmp(k->key, "title") == 0)
			say(r, k->val, xstrdup("'title' of a season takes text"));
		else
			say(r, k->val, xasprintf("unknown key '%s' in a season, which takes from, "
						 "until and title", k->key));
	}
	const value *from = value_getc(e, "from"), *until = value_getc(e, "until");
	if (!from)
		say(r, e, xasprintf("season %ld needs 'from', the number of its first issue", out->n));
	else if (!until && !last)
		say(r, e, xasprintf("season %ld needs 'until': only the last season may leave it "
				    "out", out->n));
	else if (out->from > 0 && out->until > 0 && out->until < out->from)
		say(r, until, xasprintf("season %ld ends (until: %ld) before it starts (from: %ld)",
					out->n, out->until, out->from));
	else if (prev && out->from > 0 && prev->until > 0 && prev->until < LONG_MAX &&
		 out->from <= prev->until)
		say(r, from, xasprintf("season %ld starts at issue %ld, within season %ld; ranges "
				       "go in order without overlapping", out->n, out->from, prev->n));
}

static void by_ranges(struct reader *r, const value *s, struct conf *c)
{
	c->len = value_len(s);
	c->ranges = xcalloc(c->len ? c->len : 1, sizeof *c->ranges);
	for (size_t i = 0; i < c->len; i++)
		range(r, value_at(s, i), i ? &c->ranges[i - 1] : NULL, i + 1 == c->len,
		      &c->ranges[i]);
	if (c->len == 0)
		say(r, s, xstrdup("'seasons' lists no range; write [{from: 1, until: 30}]"));
}

/* Read the setting into c; the number of its mistakes, each said in d. */
static size_t read_conf(const struct newsletter *n, struct conf *c, diag_list *d)
{
	struct reader r = { n, d, 0 };
	const value *s = value_getc(n->settings, "seasons");
	*c = (struct conf){ 0 };
	if (!s || value_type(s) == VALUE_NULL)
		return 0;
	if (value_type(s) == VALUE_MAP)
		by_size(&r, s, c);
	else if (value_type(s) == VALUE_LIST)
		by_ranges(&r, s, c);
	else
		say(&r, s, xstrdup("'seasons' must be {size: N} or a list of ranges such as "
				   "[{from: 1, until: 30}]"));
	return r.errors;
}

void seasons_validate(const struct newsletter *n, diag_list *d)
{
	struct conf c;
	read_conf(n, &c, d);
	free(c.ranges);
}

/* --- the seasons of an archive ---------------------------------------------- */

static void add(struct seasons *s, size_t *cap, const struct season *proto, size_t lo, size_t hi,
		size_t count)
{
	if (!count)
		return;
	xgrow((void **)&s->at, cap, s->len + 1, sizeof *s->at);
	s->at[s->len] = *proto;
	s->at[s->len].lo = lo;
	s->at[s->len].hi = hi;
	s->at[s->len].count = count;
	s->len++;
}

/* The issues of a from *i on whose numbers are at most until: their end,
 * and how many of them are listed. */
static size_t take(const struct archive *a, size_t *i, long until)
{
	size_t count = 0;
	for (; *i < a->len && a->issues[*i].number <= until; (*i)++)
		count += (size_t)a->issues[*i].listed;
	return count;
}

void seasons_open(struct seasons *s, const struct newsletter *n, const struct archive *a)
{
	struct conf c;
	diag_list ignored = DIAG_LIST_INIT; /* check and build said them */
	size_t cap = 0, i = 0;
	*s = (struct seasons){ .parts = RENDER_ALL };
	if (read_conf(n, &c, &ignored) == 0 && c.size) {
		while (i < a->len) {
			long k = (a->issues[i].number - 1) / c.size;
			struct season proto = { .n = k + 1, .from = k * c.size + 1,
						.until = (k + 1) * c.size };
			size_t lo = i, count = take(a, &i, proto.until);
			add(s, &cap, &proto, lo, i, count);
		}
	}
	for (size_t k = 0; k < c.len && !ignored.errors; k++) {
		while (i < a->len && a->issues[i].number < c.ranges[k].from)
			i++;
		size_t lo = i, count = take(a, &i, c.ranges[k].until);
		add(s, &cap, &c.ranges[k], lo, i, count);
	}
	free(c.ranges);
	diag_release(&ignored);
}

void seasons_release(struct seasons *s)
{
	free(s->at);
	*s = (struct seasons){ 0 };
}

unsigned seasons_parts(struct renderer *r, const char *tdir)
{
	unsigned parts = 0;
	for (size_t f = 0; f < SEASON_FORMATS; f++)
		if (archive_template_digest(tdir, season_templates[f]))
			parts |= renderer_parts(r, season_templates[f]);
	return parts;
}

char *seasons_page(const struct seasons *s, size_t k, size_t f)
{
	return xasprintf("season-%ld%s", s->at[k].n, season_exts[f]);
}

int seasons_stale(const struct seasons *s, const char *name)
{
	if (strncmp(name, "season-", 7) != 0)
		return 0;
	char *end;
	long n = strtol(name + 7, &end, 10);
	int page = end > name + 7 && name[7] != '0' && (strcmp(end, ".html") == 0 ||
							 strcmp(end, ".md") == 0);
	for (size_t k = 0; page && k < s->len; k++)
		if (s->at[k].n == n)
			return 0;
	return page;
}

/* The first and last listed issues of season k. */
static void ends(const struct season *se, const struct archive *a, size_t *first, size_t *last)
{
	*first = se->lo;
	while (!a->issues[*first].listed)
		(*first)++;
	*last = se->hi - 1;
	while (!a->issues[*last].listed)
		(*last)--;
}

/* An issue's name and source into h. */
static uint64_t issue_digest(const struct archive_issue *is, uint64_t h)
{
	h = digest_bytes(is->name, strlen(is->name), h);
	return digest_bytes(&is->digest, sizeof is->digest, h);
}

uint64_t seasons_key(const struct seasons *s, const struct archive *a, size_t k, uint64_t tmpl)
{
	uint64_t h = digest_bytes(&a->settings, sizeof a->settings, tmpl);
	for (size_t j = 0; j < s->len; j++) {
		long r[3] = { s->at[j].n, s->at[j].from, s->at[j].until };
		h = digest_bytes(r, sizeof r, h);
	}
	for (size_t i = s->at[k].lo; i < s->at[k].hi; i++)
		if (a->issues[i].listed)
			h = issue_digest(&a->issues[i], h);
	/* The links to the seasons before and after show their ends and count. */
	for (size_t j = k ? k - 1 : k + 1; j < s->len && j <= k + 1; j += 2) {
		size_t first, last;
		ends(&s->at[j], a, &first, &last);
		h = issue_digest(&a->issues[first], issue_digest(&a->issues[last], h));
		h = digest_bytes(&s->at[j].count, sizeof s->at[j].count, h);
	}
	return h;
}

/* --- contexts --------------------------------------------------------------- */


static value *date_text(const value *strings, const char *date, struct arena *in)
{
	char *s = strings_date(strings, date);
	value *v = value_cstring_in(in, s);
	free(s);
	return v;
}

/* Season k as a link target. */
static value *season_link(const struct seasons *s, const struct archive *a, size_t k,
			  const value *newsletter, struct arena *in)
{
	const struct season *se = &s->at[k];
	const value *strings = value_getc(newsletter, "strings");
	const char *lang = value_str(value_getc(newsletter, "language"));
	char *title = se->title ? xstrdup(se->title) : strings_count(strings, "season", lang, se->n);
	char *page = seasons_page(s, k, 0);
	char *issues = strings_count(strings, "issues", lang, (long)se->count);
	size_t first, last;
	ends(se, a, &first, &last);
	value *m = value_map_in(in);
	value_map_lit(m, "n", value_number_in(in, (double)se->n));
	value_map_lit(m, "title", value_cstring_in(in, title ? title : ""));
	value_map_lit(m, "page", value_cstring_in(in, page));
	value_map_lit(m, "from", value_number_in(in, (double)a->issues[first].number));
	value_map_lit(m, "until", value_number_in(in, (double)a->issues[last].number));
	value_map_lit(m, "single", value_bool_in(in, first == last));
	value_map_lit(m, "count", value_number_in(in, (double)se->count));
	value_map_lit(m, "issues", value_cstring_in(in, issues ? issues : ""));
	value_map_lit(m, "date_from", value_cstring_in(in, a->issues[first].date));
	value_map_lit(m, "date_until", value_cstring_in(in, a->issues[last].date));
	value_map_lit(m, "date_from_text", date_text(strings, a->issues[first].date, in));
	value_map_lit(m, "date_until_text", date_text(strings, a->issues[last].date, in));
	value_map_lit(m, "first", value_bool_in(in, k == 0));
	value_map_lit(m, "last", value_bool_in(in, k + 1 == s->len));
	free(title);
	free(page);
	free(issues);
	return m;
}

value *seasons_links(const struct seasons *s, const struct archive *a, const value *newsletter)
{
	value *list = value_list();
	for (size_t k = 0; k < s->len; k++)
		value_list_push(list, season_link(s, a, k, newsletter, NULL));
	return list;
}

/* What season k's pages gather as they read its issues: the items of each
 * configured section, numbered across the season. */
struct gather {
	const struct render_shared *sh;
	unsigned parts;      /* of each item (render.h) */
	struct arena *in;
	value **items;       /* a list per configured section */
	value **last;        /* the item pushed last to each */
	size_t *count;
	size_t links;
};

/* Issue i's items into g, each with its issue, its page and its anchor
 * there (the issue and the page made once, for all its items). */
static void gather_issue(struct gather *g, const struct archive *a, size_t i,
			 const struct newsletter *n, const struct issue *is)
{
	char *name = archive_output_name(a, i, render_format("html"));
	value *number = value_number_in(g->in, (double)is->number);
	value *page = value_cstring_in(g->in, name);
	buf href = BUF_INIT; /* PAGE#SECTION-K, made without printf: one per item */
	for (size_t s = 0; s < is->nsections; s++) {
		const struct section *sec = &is->sections[s];
		if (sec->conf < 0)
			continue;
		size_t c = (size_t)sec->conf;
		buf_reset(&href);
		buf_puts(&href, name);
		buf_putc(&href, '#');
		buf_puts(&href, n->sections[c].id);
		buf_putc(&href, '-');
		size_t stem = href.len;
		for (size_t k = 0; k < sec->nitems; k++) {
			href.len = stem;
			buf_put_dec(&href, (long long)(k + 1));
			struct value_entry more[] = {
				{ (char *)"issue", 5, value_ref(number), VALUE_KEY_STATIC },
				{ (char *)"page", 4, value_ref(page), VALUE_KEY_STATIC },
				{ (char *)"href", 4, value_string_in(g->in, href.data, href.len),
				  VALUE_KEY_STATIC },
			};
			/* its count is not known yet: the last is marked at the end */
			value *m = render_item_value(g->in, &sec->items[k], g->count[c]++, SIZE_MAX,
						     g->sh, g->parts, more, sizeof more / sizeof *more);
			value_list_push(g->items[c], g->last[c] = m);
		}
		g->links += sec->nitems;
	}
	buf_release(&href);
	free(name);
}

/* An item's texts as seasons_items hands them over, in this order: the
 * first ITEM_TEXTS_PLAIN always, the rest for the Markdown parts
 * (RENDER_SOURCE) only; the rest of struct item stays empty, as in an
 * outline (issue.h). */
#define ITEM_TEXTS 7
#define ITEM_TEXTS_PLAIN 3
static char **item_text(struct item *it, size_t k)
{
	char **texts[ITEM_TEXTS] = { &it->title, &it->url, &it->note, &it->link_md,
				     &it->note_md, &it->description_md, &it->marker };
	return texts[k];
}

static size_t item_texts(unsigned parts)
{
	return parts & RENDER_SOURCE ? ITEM_TEXTS : ITEM_TEXTS_PLAIN;
}

void seasons_items(const struct issue *is, unsigned parts, buf *out)
{
	buf_put_int(out, parts);
	buf_put_int(out, is->number);
	for (size_t s = 0; s < is->nsections; s++) {
		const struct section *sec = &is->sections[s];
		if (sec->conf < 0)
			continue;
		buf_put_int(out, sec->conf);
		buf_put_int(out, (long long)sec->nitems);
		for (size_t k = 0; k < sec->nitems; k++) {
			struct item *it = &sec->items[k];
			buf_put_int(out, it->line);
			buf_put_int(out, it->gap);
			for (size_t t = 0; t < item_texts(parts); t++)
				buf_put_str(out, *item_text(it, t));
		}
	}
}

/* Gather the items seasons_items handed over of issue i: 0, or -1 when
 * they do not read or lack a part the pages use (then the issue is read
 * again). */
static int take_items(struct gather *g, const struct archive *a, size_t i,
		      const struct newsletter *n, const buf *items)
{
	struct buf_reader r = buf_reader(items);
	unsigned parts = (unsigned)buf_get_int(&r);
	struct issue is = { .number = buf_get_int(&r) };
	size_t cap = 0;
	if (g->parts & ~parts)
		return -1;
	while (r.p < r.end && !r.bad) {
		xgrow((void **)&is.sections, &cap, is.nsections + 1, sizeof *is.sections);
		struct section *sec = &is.sections[is.nsections++];
		*sec = (struct section){ .conf = buf_get_int(&r), .nitems = (size_t)buf_get_int(&r) };
		if (r.bad || sec->conf < 0 || (size_t)sec->conf >= n->nsections ||
		    sec->nitems > (size_t)(r.end - r.p))
			break;
		sec->items = xcalloc(sec->nitems + 1, sizeof *sec->items);
		for (size_t k = 0; k < sec->nitems; k++) {
			struct item *it = &sec->items[k];
			it->line = (int)buf_get_int(&r);
			it->gap = (int)buf_get_int(&r);
			for (size_t t = 0; t < item_texts(parts); t++)
				*item_text(it, t) = (char *)buf_get_str(&r);
			it->url = it->url ? it->url : (char *)"";
		}
	}
	int ok = buf_read_all(&r);
	if (ok)
		gather_issue(g, a, i, n, &is);
	for (size_t s = 0; s < is.nsections; s++)
		free(is.sections[s].items);
	free(is.sections);
	return ok ? 0 : -1;
}

/* Read issue i and gather its items: 0, or -1 after an error in d. */
static int read_issue(struct gather *g, const struct archive *a, size_t i,
		      const struct newsletter *n, diag_list *d)
{
	char *path = archive_source_path(a, i), *text;
	size_t len;
	int syserr = 0, rc = issue_read(path, &text, &len, d, &syserr);
	if (rc == 0) {
		diag_list ignored = DIAG_LIST_INIT; /* its build said them */
		struct issue *is = issue_parse_outline(n, path, text, len, &ignored);
		gather_issue(g, a, i, n, is);
		issue_free(is);
		diag_release(&ignored);
		free(text);
	}
	free(path);
	return rc;
}

/* sections[]: the configured sections with items in g, in order. */
static value *sections_value(struct gather *g, const struct newsletter *n)
{
	size_t shown = 0, pos = 0;
	for (size_t c = 0; c < n->nsections; c++)
		shown += g->count[c] > 0;
	value *list = value_list_in(g->in);
	for (size_t c = 0; c < n->nsections; c++) {
		if (!g->count[c])
			continue;
		value *m = render_section_value(value_copy_in(g->in, g->sh->sections[c]),
						&n->sections[c], pos++, shown);
		value_map_lit(m, "count", value_number_in(g->in, (double)g->count[c]));
		value_map_lit(m, "items", g->items[c]);
		value_map_lit(g->last[c], "last", value_bool_in(g->in, 1));
		value_list_push(list, m);
	}
	return list;
}

/* issues[]: the listed issues of season k, oldest first. */
static value *issues_value(const struct season *se, const struct archive *a,
			   const value *strings, struct arena *in)
{
	value *list = value_list_in(in), *last = NULL;
	for (size_t i = se->lo; i < se->hi; i++) {
		if (!a->issues[i].listed)
			continue;
		value *m = archive_link_value(a, (long)i, in);
		value_map_lit(m, "date_text", date_text(strings, a->issues[i].date, in));
		value_map_lit(m, "first", value_bool_in(in, !last));
		value_map_lit(m, "last", value_bool_in(in, 0));
		value_list_push(list, last = m);
	}
	value_map_lit(last, "last", value_bool_in(in, 1));
	return list;
}

/* The page's place: page, page_url (when build/ is published somewhere),
 * prev and next. */
static void place(value *ctx, const struct seasons *s, const struct archive *a, size_t k,
		  const value *newsletter, struct arena *in)
{
	char *page = seasons_page(s, k, 0), *base = archive_base_url(newsletter);
	value_map_lit(ctx, "page", value_cstring_in(in, page));
	if (*base) {
		char *url = xasprintf("%s%s", base, page);
		value_map_lit(ctx, "page_url", value_cstring_in(in, url));
		free(url);
	}
	if (k > 0)
		value_map_lit(ctx, "prev", season_link(s, a, k - 1, newsletter, in));
	if (k + 1 < s->len)
		value_map_lit(ctx, "next", season_link(s, a, k + 1, newsletter, in));
	free(page);
	free(base);
}

value *seasons_context(const struct seasons *s, const struct archive *a, size_t k,
		       const struct newsletter *n, const struct render_shared *sh,
		       struct arena *in, diag_list *d)
{
	const struct season *se = &s->at[k];
	struct gather g = { sh, s->parts, in, xcalloc(n->nsections + 1, sizeof *g.items),
			    xcalloc(n->nsections + 1, sizeof *g.last),
			    xcalloc(n->nsections + 1, sizeof *g.count), 0 };
	for (size_t c = 0; c < n->nsections; c++)
		g.items[c] = value_list_in(in);
	int rc = 0;
	buf items = BUF_INIT;
	for (size_t i = se->lo; i < se->hi && rc == 0; i++)
		if (a->issues[i].listed && !(s->handed && s->handed(s->ud, i, &items) == 0 &&
					     take_items(&g, a, i, n, &items) == 0))
			rc = read_issue(&g, a, i, n, d);
	buf_release(&items);
	value *ctx = NULL;
	if (rc == 0) {
		const value *strings = value_getc(sh->newsletter, "strings");
		const char *lang = value_str(value_getc(sh->newsletter, "language"));
		char *links = strings_count(strings, "links", lang, (long)g.links);
		ctx = value_map_in(in);
		value_map_lit(ctx, "newsletter", sh->newsletter);
		value_map_lit(ctx, "strings", (value *)strings);
		value *link = value_map_lit(ctx, "season", season_link(s, a, k, sh->newsletter, in));
		value_map_lit(link, "links", value_cstring_in(in, links ? links : ""));
		place(ctx, s, a, k, sh->newsletter, in);
		value_map_lit(ctx, "issues", issues_value(se, a, strings, in));
		value_map_lit(ctx, "sections", sections_value(&g, n));
		free(links);
	}
	free(g.items);
	free(g.last);
	free(g.count);
	return ctx;
}
