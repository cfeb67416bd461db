/* linkcache.c - the link checker's verdicts, kept in the archive index, one
 * tab-separated row per URL (as the files of earlier versions held them). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "weekly/buf.h"
#include "weekly/fsutil.h"
#include "weekly/index.h"
#include "weekly/linkcache.h"
#include "weekly/util.h"

#define LINKCACHE_FIELDS 5
/* In the index's meta: the file of an earlier version was read. */
#define LINKCACHE_IMPORTED "link_verdicts_imported"

static const char *verdict_names[] = { "ok", "broken", "unverifiable", "suspect" };

int linkcache_storable(const char *url)
{
	return *url && !strpbrk(url, "\t\r\n");
}

static int linkcache_parse_verdict(const char *s, enum linkcache_verdict *v)
{
	for (int i = 0; i < (int)(sizeof verdict_names / sizeof *verdict_names); i++)
		if (strcmp(s, verdict_names[i]) == 0) {
			*v = (enum linkcache_verdict)i;
			return 0;
		}
	return -1;
}

/* 2026-01-05T10:00:00Z, nothing else. */
static int linkcache_parse_time(const char *s, time_t *t)
{
	struct tm tm = { 0 };
	int n = 0;
	if (strlen(s) != 20 || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year,
				       &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
				       &tm.tm_sec, &n) != 6 || n != 20)
		return -1;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*t = timegm(&tm);
	return *t == (time_t)-1 ? -1 : 0;
}

static void linkcache_format_time(buf *b, time_t t)
{
	struct tm tm;
	char s[32];
	gmtime_r(&t, &tm);
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_puts(b, s);
}

static int linkcache_cmp(const void *a, const void *b)
{
	const struct linkcache_entry *x = a, *y = b;
	int c = strcmp(x->url, y->url);
	if (c)
		return c;
	return (x->checked > y->checked) - (x->checked < y->checked);
}

static void linkcache_free_entry(struct linkcache_entry *e)
{
	free(e->url);
	free(e->reason);
	free(e->moved_to);
}

/* Sort by URL and keep the latest entry of each. */
static void linkcache_sort(struct linkcache *c)
{
	if (c->sorted)
		return;
	qsort(c->items, c->len, sizeof(*c->items), linkcache_cmp);
	size_t out = 0;
	for (size_t i = 0; i < c->len; i++) {
		if (out && strcmp(c->items[out - 1].url, c->items[i].url) == 0) {
			linkcache_free_entry(&c->items[out - 1]);
			c->items[out - 1] = c->items[i];
		} else {
			c->items[out++] = c->items[i];
		}
	}
	c->len = out;
	c->sorted = 1;
}

static struct linkcache_entry *linkcache_lookup(struct linkcache *c, const char *url)
{
	linkcache_sort(c);
	struct linkcache_entry key = { .url = (char *)url, .checked = 0 };
	size_t lo = 0, hi = c->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(key.url, c->items[mid].url);
		if (r == 0)
			return &c->items[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct linkcache_entry *linkcache_find(struct linkcache *c, const char *url)
{
	return linkcache_lookup(c, url);
}

/* A field as kept: control characters (tabs and line breaks among them,
 * which would split the line) become spaces. */
static char *linkcache_clean(const char *s)
{
	char *d = xstrdup(s);
	for (char *p = d; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7F)
			*p = ' ';
	return d;
}

void linkcache_put(struct linkcache *c, const char *url, enum linkcache_verdict v,
		   time_t checked, const char *reason, const char *moved_to)
{
	struct linkcache_entry *e = c->sorted ? linkcache_lookup(c, url) : NULL;
	if (e) {
		linkcache_free_entry(e);
	} else {
		xgrow((void **)&c->items, &c->cap, c->len + 1, sizeof(*c->items));
		e = &c->items[c->len++];
		c->sorted = c->len == 1;
	}
	e->url = xstrdup(url);
	e->verdict = v;
	e->checked = checked;
	e->reason = linkcache_clean(reason);
	e->moved_to = moved_to && *moved_to ? linkcache_clean(moved_to) : NULL;
	e->changed = 1;
}

/* Split line (modified in place) at tabs into exactly LINKCACHE_FIELDS. */
static int linkcache_split(char *line, char **f)
{
	int n = 0;
	for (char *p = line;; p++) {
		if (n == LINKCACHE_FIELDS)
			return -1;
		f[n++] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p = '\0';
	}
	return n == LINKCACHE_FIELDS ? 0 : -1;
}

/* Returns NULL, or what is wrong with the line. */
static const char *linkcache_parse_line(struct linkcache *c, char *line)
{
	char *f[LINKCACHE_FIELDS];
	enum linkcache_verdict v;
	time_t t;
	if (linkcache_split(line, f) < 0)
		return "expected 5 tab-separated fields";
	if (!*f[0])
		return "empty URL";
	if (linkcache_parse_verdict(f[1], &v) < 0)
		return "unknown verdict";
	if (linkcache_parse_time(f[2], &t) < 0)
		return "bad time";
	linkcache_put(c, f[0], v, t, f[3], f[4]);
	return NULL;
}

static void linkcache_clear(struct linkcache *c)
{
	for (size_t i = 0; i < c->len; i++)
		linkcache_free_entry(&c->items[i]);
	c->len = 0;
	c->sorted = 1;
}

/* Parse every line; on the first bad one, warn, forget all and stop. */
static void linkcache_parse(struct linkcache *c, const char *path, char *text,
			    diag_list *d)
{
	int lineno = 0;
	buf as_read = BUF_INIT; /* the line before parsing splits it */
	for (char *line = text; *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		size_t n = strlen(line);
		if (n && line[n - 1] == '\r') /* checked out with CRLF */
			line[n - 1] = '\0';
		const char *bad = NULL;
		as_read.len = 0;
		buf_put(&as_read, line, strlen(line));
		if (*line && *line != '#')
			bad = linkcache_parse_line(c, line);
		if (bad) {
			/* the cache is rewritten before the report is printed */
			diag_add(d, DIAG_WARNING, path, lineno, 1, "link-cache",
				 "corrupt link cache (%s); ignoring it", bad);
			diag_set_source(d, as_read.data, as_read.len);
			linkcache_clear(c);
			break;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	buf_release(&as_read);
}

/* The file an earlier version kept verdicts in, read into c. */
static void linkcache_read_file(struct linkcache *c, const char *path, diag_list *d)
{
	char *text;
	size_t len;
	if (fs_read(path, &text, &len) < 0) {
		if (errno != ENOENT && errno != ENOTDIR) /* no cache yet */
			diag_add(d, DIAG_WARNING, path, 0, 0, "link-cache",
				 "cannot read link cache: %s; ignoring it", strerror(errno));
		return;
	}
	if (memchr(text, '\0', len))
		diag_add(d, DIAG_WARNING, path, 0, 0, "link-cache",
			 "corrupt link cache (not text); ignoring it");
	else
		linkcache_parse(c, path, text, d);
	free(text);
}

/* A row of the index, as a line of the file; a row that does not read is
 * left out. */
static void linkcache_row(void *ud, const char *url, const char *row)
{
	(void)url;
	char *line = xstrdup(row);
	linkcache_parse_line(ud, line);
	free(line);
}

void linkcache_load(struct linkcache *c, struct index *ix, const char *legacy, diag_list *d)
{
	if (!ix || !index_meta(ix, LINKCACHE_IMPORTED, 0)) {
		linkcache_read_file(c, legacy, d);
		if (ix && linkcache_save(c, ix) == 0) /* read once: the index has them now */
			index_set_meta(ix, LINKCACHE_IMPORTED, 1);
	} else {
		index_rows(ix, INDEX_VERDICTS, linkcache_row, c);
	}
	for (size_t i = 0; i < c->len; i++)
		c->items[i].changed = 0;
}

static void linkcache_format(const struct linkcache_entry *e, buf *b)
{
	buf_printf(b, "%s\t%s\t", e->url, verdict_names[e->verdict]);
	linkcache_format_time(b, e->checked);
	buf_printf(b, "\t%s\t%s", e->reason, e->moved_to ? e->moved_to : "");
}

int linkcache_save(struct linkcache *c, struct index *ix)
{
	int rc = ix ? index_begin(ix) : 0;
	buf b = BUF_INIT;
	for (size_t i = 0; ix && rc == 0 && i < c->len; i++) {
		const struct linkcache_entry *e = &c->items[i];
		if (!e->changed)
			continue;
		buf_reset(&b);
		linkcache_format(e, &b);
		rc = index_put_row(ix, INDEX_VERDICTS, e->url, b.data);
	}
	buf_release(&b);
	if (ix && rc == 0)
		rc = index_commit(ix);
	else if (ix)
		index_rollback(ix);
	for (size_t i = 0; rc == 0 && i < c->len; i++)
		c->items[i].changed = 0;
	return rc;
}

void linkcache_release(struct linkcache *c)
{
	linkcache_clear(c);
	free(c->items);
	c->items = NULL;
	c->cap = 0;
}
