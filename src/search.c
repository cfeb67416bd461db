/* search.c - the archive's search index: terms of every item, term shards,
 * item files and the script that reads them (see search.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/fsutil.h"
#include "weekly/issue.h"
#include "weekly/pool.h"
#include "weekly/search.h"
#include "weekly/util.h"

/* src/search.js as a C string, made by the Makefile. */
#include "search_js.h"

/* Bump when the files' format or the term rules change. */
#define SEARCH_FORMAT "weekly-search 1"
#define MAX_TERM 48 /* bytes; longer words (hashes, run-on URLs) are left out */

/* --- terms ------------------------------------------------------------------ */

static int is_cjk(unsigned long c)
{
	return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) ||
		(c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) ||
		(c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x2fa1f);
}

/* Letters and digits outside ASCII: everything from U+00C0 on that is not
 * CJK, punctuation, a symbol block or a full-width form. */
static int is_word(unsigned long c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	if (c < 0xc0 || c == 0xd7 || c == 0xf7)
		return 0;
	if ((c >= 0x2000 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x303f) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xffef) ||
	    (c >= 0xd800 && c <= 0xf8ff) || c >= 0x1f000)
		return 0;
	return !is_cjk(c);
}

struct scan {
	const char *s;
	size_t n, i;
};

/* The next code point of the scan (0 at the end), its length in *k. */
static unsigned long next_cp(const struct scan *sc, size_t at, size_t *k)
{
	if (at >= sc->n) {
		*k = 0;
		return 0;
	}
	unsigned long c;
	*k = util_utf8_decode(sc->s + at, sc->n - at, &c);
	if (!*k) {
		*k = 1;
		return 0xfffd;
	}
	return c;
}

/* A word from start to end: lower-cased (ASCII and Latin-1 letters), then
 * once whole and, when it has dots, once per part. */
static void emit_word(const char *s, size_t len, search_term_fn fn, void *ud)
{
	if (len > MAX_TERM)
		return;
	char w[MAX_TERM];
	int dotted = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		/* A-Z, and U+00C0-U+00DE but U+00D7: C3 80-9E, less 97 */
		int upper = (c >= 'A' && c <= 'Z') || (i && (unsigned char)s[i - 1] == 0xc3 &&
							 c >= 0x80 && c <= 0x9e && c != 0x97);
		w[i] = (char)(upper ? c + 0x20 : c);
		dotted |= c == '.';
	}
	fn(ud, w, len);
	for (size_t i = 0, start = 0; dotted && i <= len; i++) {
		if (i == len || w[i] == '.') {
			fn(ud, w + start, i - start);
			start = i + 1;
		}
	}
}

/* A word: word characters, with single dots between them. */
static size_t scan_word(const struct scan *sc, size_t at)
{
	size_t k, end = at;
	for (;;) {
		unsigned long c = next_cp(sc, end, &k);
		if (k && is_word(c)) {
			end += k;
			continue;
		}
		size_t k2;
		if (c == '.' && end > at && is_word(next_cp(sc, end + 1, &k2)) && k2) {
			end += 1;
			continue;
		}
		return end;
	}
}

/* A run of CJK characters: its pairs, or the lone character. */
static size_t scan_cjk(const struct scan *sc, size_t at, search_term_fn fn, void *ud)
{
	size_t k, k2, pos = at;
	next_cp(sc, pos, &k);
	unsigned long c2 = next_cp(sc, pos + k, &k2);
	if (!k2 || !is_cjk(c2)) {
		fn(ud, sc->s + pos, k);
		return pos + k;
	}
	while (k2 && is_cjk(c2)) {
		fn(ud, sc->s + pos, k + k2);
		pos += k;
		k = k2;
		c2 = next_cp(sc, pos + k, &k2);
	}
	return pos + k;
}

void search_terms(const char *text, size_t len, search_term_fn fn, void *ud)
{
	struct scan sc = { text, len, 0 };
	size_t i = 0, k;
	while (i < len) {
		unsigned long c = next_cp(&sc, i, &k);
		if (is_cjk(c)) {
			i = scan_cjk(&sc, i, fn, ud);
		} else if (is_word(c)) {
			size_t end = scan_word(&sc, i);
			emit_word(text + i, end - i, fn, ud);
			i = end;
		} else {
			i += k;
		}
	}
}


/* --- one issue: its item file and its terms ---------------------------------- */

struct posting {
	size_t off, len;     /* the term, in the collector's bytes */
	long item;
	int title;
};

struct collect {
	buf bytes;
	struct posting *p;
	size_t n, cap;
	long item;
	int title;
};

static void collect_term(void *ud, const char *term, size_t len)
{
	struct collect *c = ud;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 256;
		c->p = xrealloc(c->p, c->cap * sizeof *c->p);
	}
	c->p[c->n++] = (struct posting){ c->bytes.len, len, c->item, c->title };
	buf_put(&c->bytes, term, len);
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

static const char *collect_bytes;

static int posting_cmp(const void *x, const void *y)
{
	const struct posting *a = x, *b = y;
	size_t n = a->len < b->len ? a->len : b->len;
	int d = memcmp(collect_bytes + a->off, collect_bytes + b->off, n);
	if (d)
		return d;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	if (a->item != b->item)
		return a->item < b->item ? -1 : 1;
	return b->title - a->title;
}

/* TERM <TAB> K!,K lines, sorted, one per term. */
static void put_terms(struct collect *c, buf *out)
{
	collect_bytes = c->bytes.data;
	qsort(c->p, c->n, sizeof *c->p, posting_cmp);
	for (size_t i = 0; i < c->n; i++) {
		const struct posting *p = &c->p[i], *q = i ? &c->p[i - 1] : NULL;
		int same = q && q->len == p->len &&
			memcmp(c->bytes.data + q->off, c->bytes.data + p->off, p->len) == 0;
		if (same && q->item == p->item)
			continue; /* title first: the flag is kept */
		if (same) {
			buf_putc(out, ',');
		} else {
			if (q)
				buf_putc(out, '\n');
			buf_put(out, c->bytes.data + p->off, p->len);
			buf_putc(out, '\t');
		}
		buf_printf(out, "%ld%s", p->item, p->title ? "!" : "");
	}
	if (c->n)
		buf_putc(out, '\n');
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
	value *link = archive_link_value(a, (long)i);
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

struct run {
	struct archive *a;
	const struct newsletter *n;
	size_t *todo;        /* issues whose files are out of date */
	int force;           /* every file is out of date */
};

/* A job's result: "OK" or "NO", the item file's length and a newline, the
 * item file, then the terms. */
static void issue_job(size_t j, buf *out, void *arg)
{
	struct run *r = arg;
	size_t i = r->todo[j];
	char *path = archive_source_path(r->a, i);
	diag_list d = DIAG_LIST_INIT;
	int syserr = 0;
	struct issue *is = issue_load(r->n, path, &d, &syserr);
	free(path);
	diag_release(&d);
	if (!is) {
		buf_puts(out, "NO");
		return;
	}
	struct collect c = { .bytes = BUF_INIT };
	buf items = BUF_INIT;
	put_items(r->a, i, is, &c, &items);
	buf_printf(out, "OK%zu\n", items.len);
	buf_put(out, items.data, items.len);
	put_terms(&c, out);
	buf_release(&items);
	buf_release(&c.bytes);
	free(c.p);
	issue_free(is);
}

/* --- writing ---------------------------------------------------------------- */

/* Write build/NAME unless it is on disk as made from key. */
static int put_file(struct archive *a, const char *name, const char *data, size_t len,
		    uint64_t key)
{
	if (archive_fresh(a, name, key))
		return 0;
	char *path = archive_output_path(a, name), *dir = fs_dirname(path);
	long long size, mtime;
	int rc = fs_mkdirs(dir) < 0 || fs_write_atomic(path, data, len) < 0 ? -1 : 0;
	if (rc < 0)
		fprintf(stderr, "weekly: cannot write '%s': %s\n", path, strerror(errno));
	else if (archive_stat(a, name, &size, &mtime) == 0)
		archive_record(a, name, key, size, mtime);
	free(dir);
	free(path);
	return rc;
}

static char *item_name(const struct archive_issue *is)
{
	return xasprintf("search/i/%ld.js", is->number);
}

static char *terms_name(const struct archive_issue *is)
{
	return xasprintf("search/t/%ld.txt", is->number);
}

static uint64_t issue_key(const struct archive *a, size_t i)
{
	const struct archive_issue *is = &a->issues[i];
	uint64_t k = archive_hash(SEARCH_FORMAT, strlen(SEARCH_FORMAT), is->digest);
	k = archive_hash(&is->number, sizeof is->number, k);
	return archive_hash(&a->settings, sizeof a->settings, k);
}

static int issue_fresh(const struct archive *a, size_t i, uint64_t key)
{
	char *in = item_name(&a->issues[i]), *tn = terms_name(&a->issues[i]);
	int fresh = archive_fresh(a, in, key) && archive_fresh(a, tn, key);
	free(in);
	free(tn);
	return fresh;
}

/* Store a job's files; -1 when the result is a failure or a file could
 * not be written. */
static int store_issue(struct archive *a, size_t i, const buf *res)
{
	char *end;
	size_t n = res->len > 2 && memcmp(res->data, "OK", 2) == 0 ?
		strtoul(res->data + 2, &end, 10) : 0;
	if (!n || *end != '\n' || (size_t)(end + 1 - res->data) + n > res->len) {
		char *path = archive_source_path(a, i);
		fprintf(stderr, "weekly: cannot index '%s'\n", path);
		free(path);
		return -1;
	}
	const char *items = end + 1, *terms = items + n;
	uint64_t key = issue_key(a, i);
	char *in = item_name(&a->issues[i]), *tn = terms_name(&a->issues[i]);
	int rc = put_file(a, in, items, n, key) < 0 ||
		put_file(a, tn, terms, (size_t)(res->data + res->len - terms), key) < 0 ? -1 : 0;
	free(in);
	free(tn);
	return rc;
}

/* --- the shards ------------------------------------------------------------- */

/* Every term of the archive, with its postings so far (newest issue
 * first), in an open-addressing table. */
struct term {
	size_t off, len;     /* in the table's bytes */
	uint32_t hash;
	size_t count;        /* postings, up to SEARCH_MAX_POSTINGS */
	buf posts;           /* "N.K!,N.K" */
};

struct table {
	buf bytes;
	struct term *t;      /* cap slots, len 0 for an empty one */
	size_t n, cap;
};

static uint32_t fnv(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

unsigned search_shard(const char *term, size_t len)
{
	return fnv(term, len) & (SEARCH_SHARDS - 1);
}

static struct term *slot(struct table *tb, const char *s, size_t len, uint32_t h)
{
	size_t i = h & (tb->cap - 1);
	while (tb->t[i].len && (tb->t[i].hash != h || tb->t[i].len != len ||
				memcmp(tb->bytes.data + tb->t[i].off, s, len) != 0))
		i = (i + 1) & (tb->cap - 1);
	return &tb->t[i];
}

static void grow(struct table *tb)
{
	struct table old = *tb;
	tb->cap = old.cap ? 2 * old.cap : 1 << 14;
	tb->t = xcalloc(tb->cap, sizeof *tb->t);
	for (size_t i = 0; i < old.cap; i++)
		if (old.t[i].len)
			*slot(tb, old.bytes.data + old.t[i].off, old.t[i].len, old.t[i].hash) = old.t[i];
	free(old.t);
}

static struct term *find_term(struct table *tb, const char *s, size_t len)
{
	if (2 * (tb->n + 1) > tb->cap)
		grow(tb);
	uint32_t h = fnv(s, len);
	struct term *t = slot(tb, s, len, h);
	if (!t->len) {
		*t = (struct term){ tb->bytes.len, len, h, 0, BUF_INIT };
		buf_put(&tb->bytes, s, len);
		tb->n++;
	}
	return t;
}

/* Add the lines of one issue's terms file (TERM <TAB> K!,K) to the table,
 * each posting prefixed with the issue's number. */
static void add_terms(struct table *tb, const char *text, size_t len, long number)
{
	char num[24];
	size_t numlen = (size_t)snprintf(num, sizeof num, "%ld.", number);
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *line_end = nl ? nl : end;
		const char *tab = memchr(p, '\t', (size_t)(line_end - p));
		struct term *t = tab && tab > p ? find_term(tb, p, (size_t)(tab - p)) : NULL;
		for (const char *q = tab + 1; t && q < line_end && t->count < SEARCH_MAX_POSTINGS;) {
			const char *comma = memchr(q, ',', (size_t)(line_end - q));
			const char *stop = comma ? comma : line_end;
			if (t->count++)
				buf_putc(&t->posts, ',');
			buf_put(&t->posts, num, numlen);
			buf_put(&t->posts, q, (size_t)(stop - q));
			q = stop + 1;
		}
		p = line_end + 1;
	}
}

static const char *sort_bytes;

static int term_cmp(const void *x, const void *y)
{
	const struct term *a = *(const struct term *const *)x, *b = *(const struct term *const *)y;
	size_t n = a->len < b->len ? a->len : b->len;
	int d = memcmp(sort_bytes + a->off, sort_bytes + b->off, n);
	return d ? d : (a->len > b->len) - (a->len < b->len);
}

/* weeklySearch.shard("XXX",{TERM:"N.K!,N.K",...}); its terms sorted. */
static void put_shard(const struct table *tb, struct term **terms, size_t n, unsigned id,
		      buf *out)
{
	sort_bytes = tb->bytes.data;
	qsort(terms, n, sizeof *terms, term_cmp);
	buf_printf(out, "weeklySearch.shard(\"%03x\",{", id);
	for (size_t k = 0; k < n; k++) {
		buf_puts(out, k ? ",\n\"" : "\n\"");
		buf_put_json(out, tb->bytes.data + terms[k]->off, terms[k]->len);
		buf_puts(out, "\":\"");
		buf_put(out, terms[k]->posts.data, terms[k]->posts.len);
		buf_putc(out, '"');
	}
	buf_puts(out, "});\n");
}

/* Write the shards that changed. */
static int put_shards(struct archive *a, struct table *tb)
{
	size_t *first = xcalloc(SEARCH_SHARDS + 1, sizeof *first);
	struct term **by = xcalloc(tb->n ? tb->n : 1, sizeof *by);
	for (size_t i = 0; i < tb->cap; i++)
		if (tb->t[i].len)
			first[(tb->t[i].hash & (SEARCH_SHARDS - 1)) + 1]++;
	for (unsigned s = 0; s < SEARCH_SHARDS; s++)
		first[s + 1] += first[s];
	size_t *fill = xcalloc(SEARCH_SHARDS, sizeof *fill);
	for (size_t i = 0; i < tb->cap; i++)
		if (tb->t[i].len) {
			unsigned s = tb->t[i].hash & (SEARCH_SHARDS - 1);
			by[first[s] + fill[s]++] = &tb->t[i];
		}
	buf out = BUF_INIT;
	int rc = 0;
	for (unsigned s = 0; s < SEARCH_SHARDS && rc == 0; s++) {
		out.len = 0;
		put_shard(tb, by + first[s], first[s + 1] - first[s], s, &out);
		char *name = xasprintf("search/p/%03x.js", s);
		rc = put_file(a, name, out.data, out.len, archive_hash(out.data, out.len, 0));
		free(name);
	}
	buf_release(&out);
	free(fill);
	free(by);
	free(first);
	return rc;
}

/* Read back every listed issue's terms, newest first, and write the
 * shards that changed. */
static int write_shards(struct archive *a, const size_t *order, size_t count)
{
	struct table tb = { .bytes = BUF_INIT };
	grow(&tb);
	int rc = 0;
	for (size_t k = 0; k < count && rc == 0; k++) {
		const struct archive_issue *is = &a->issues[order[k]];
		char *name = terms_name(is), *path = archive_output_path(a, name), *text;
		size_t len;
		if (fs_read(path, &text, &len) < 0) {
			fprintf(stderr, "weekly: cannot read '%s': %s\n", path, strerror(errno));
			rc = -1;
		} else {
			add_terms(&tb, text, len, is->number);
			free(text);
		}
		free(name);
		free(path);
	}
	if (rc == 0)
		rc = put_shards(a, &tb);
	for (size_t i = 0; i < tb.cap; i++)
		buf_release(&tb.t[i].posts);
	free(tb.t);
	buf_release(&tb.bytes);
	return rc;
}

/* --- the item chunks -------------------------------------------------------- */

/* Concatenate the item files of listed issues N with N / SEARCH_CHUNK the
 * same into search/c/CHUNK.js: a query then loads a file or two for its
 * first results, not one per issue. order is newest first. */
static int write_chunks(struct archive *a, const size_t *order, size_t count)
{
	buf out = BUF_INIT;
	int rc = 0;
	for (size_t k = 0; k < count && rc == 0;) {
		long chunk = a->issues[order[k]].number / SEARCH_CHUNK;
		out.len = 0;
		for (; k < count && a->issues[order[k]].number / SEARCH_CHUNK == chunk && rc == 0; k++) {
			char *name = item_name(&a->issues[order[k]]);
			char *path = archive_output_path(a, name), *text;
			size_t len;
			rc = fs_read(path, &text, &len);
			if (rc < 0)
				fprintf(stderr, "weekly: cannot read '%s': %s\n", path, strerror(errno));
			else
				buf_put(&out, text, len), free(text);
			free(name);
			free(path);
		}
		char *name = xasprintf("search/c/%ld.js", chunk);
		if (rc == 0)
			rc = put_file(a, name, out.data, out.len, archive_hash(out.data, out.len, 0));
		free(name);
	}
	buf_release(&out);
	return rc;
}

/* --- the whole index -------------------------------------------------------- */

static int index_issues(struct run *r, const size_t *order, size_t count, int workers)
{
	size_t ntodo = 0;
	r->todo = xcalloc(count ? count : 1, sizeof *r->todo);
	for (size_t k = 0; k < count; k++)
		if (r->force || !issue_fresh(r->a, order[k], issue_key(r->a, order[k])))
			r->todo[ntodo++] = order[k];
	buf *results = xcalloc(ntodo ? ntodo : 1, sizeof *results);
	if (ntodo)
		pool_run(ntodo, workers ? workers : pool_workers(ntodo), issue_job, r, results);
	int rc = 0;
	for (size_t j = 0; j < ntodo; j++) {
		if (store_issue(r->a, r->todo[j], &results[j]) < 0)
			rc = -1;
		buf_release(&results[j]);
	}
	free(results);
	free(r->todo);
	return rc;
}

/* weeklySearch.about({issues, newest}): written last, from the key of
 * every indexed issue, it says whether the shards are up to date. */
static int write_about(struct archive *a, const size_t *order, size_t count, uint64_t key)
{
	buf out = BUF_INIT;
	buf_printf(&out, "weeklySearch.about({\"issues\":%zu,\"newest\":%ld});\n", count,
		   count ? a->issues[order[0]].number : 0L);
	int rc = put_file(a, "search/about.js", out.data, out.len, key);
	buf_release(&out);
	return rc;
}

int search_build(struct archive *a, const struct newsletter *n, int force, int workers)
{
	size_t count;
	size_t *order = archive_newest(a, 0, &count);
	uint64_t key = archive_hash(SEARCH_FORMAT, strlen(SEARCH_FORMAT), 0);
	for (size_t k = 0; k < count; k++) {
		uint64_t ik = issue_key(a, order[k]);
		key = archive_hash(&ik, sizeof ik, key);
	}
	const char *script = SEARCH_JS;
	int rc = put_file(a, "search/search.js", script, strlen(script),
			  archive_hash(script, strlen(script), 0));
	if (rc == 0 && (force || !archive_fresh(a, "search/about.js", key))) {
		struct run r = { a, n, NULL, force };
		rc = index_issues(&r, order, count, workers);
		if (rc == 0)
			rc = write_shards(a, order, count);
		if (rc == 0)
			rc = write_chunks(a, order, count);
		if (rc == 0)
			rc = write_about(a, order, count, key);
	}
	free(order);
	return rc;
}
