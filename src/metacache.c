/* metacache.c - links' metadata, kept in the archive index one
 * tab-separated row per URL (as the files of earlier versions held them). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/buf.h"
#include "weekly/fsutil.h"
#include "weekly/index.h"
#include "weekly/ledger.h"
#include "weekly/metacache.h"
#include "weekly/util.h"

/* The columns, in order: a key of the meta map and its kind. */
static const struct {
	const char *key;
	char type; /* s string, n number, b boolean */
} metacache_cols[] = {
	{ "url", 's' }, { "kind", 's' }, { "checked", 's' }, { "name", 's' },
	{ "title", 's' }, { "description", 's' }, { "language", 's' }, { "stars", 'n' },
	{ "archived", 'b' }, { "pushed", 's' }, { "license", 's' }, { "not_free", 'b' },
	{ "broken_since", 's' }, { "archived_copy", 's' },
};
#define METACACHE_NCOLS (sizeof metacache_cols / sizeof *metacache_cols)

static void metacache_set_str(value *m, const char *key, const char *s)
{
	if (s && *s)
		value_map_setc(m, key, value_cstring(s));
}

/* One line, split at its tabs in place: the entry, or NULL when it has not
 * exactly one field per column. */
static value *metacache_parse_line(char *line)
{
	value *m = value_map();
	char *p = line;
	for (size_t i = 0; i < METACACHE_NCOLS; i++) {
		char *tab = strchr(p, '\t');
		if ((i + 1 < METACACHE_NCOLS) != (tab != NULL) || (i == 0 && p == tab)) {
			value_free(m);
			return NULL;
		}
		if (tab)
			*tab = '\0';
		char *end;
		if (metacache_cols[i].type == 's') {
			metacache_set_str(m, metacache_cols[i].key, p);
		} else if (metacache_cols[i].type == 'b' && *p) {
			value_map_setc(m, metacache_cols[i].key, value_bool(strcmp(p, "true") == 0));
		} else if (*p) {
			double d = strtod(p, &end);
			if (*end) {
				value_free(m);
				return NULL;
			}
			value_map_setc(m, metacache_cols[i].key, value_number(d));
		}
		p = tab ? tab + 1 : p;
	}
	return m;
}

/* Every line into cache; -1 after a warning at the first bad one. */
static int metacache_parse(value *cache, const char *path, char *text, diag_list *d)
{
	int lineno = 0;
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		if (*line && *line != '#') {
			value *m = metacache_parse_line(line);
			if (!m) {
				diag_add(d, DIAG_WARNING, path, lineno, 1, "link-cache",
					 "corrupt link metadata (expected %zu tab-separated fields); "
					 "ignoring it", METACACHE_NCOLS);
				return -1;
			}
			char *key = ledger_key(value_str(value_getc(m, "url")));
			value_map_setc(cache, key, m);
			free(key);
		}
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}

/* The file an earlier version kept the metadata in: a map. */
static value *metacache_read_file(const char *path, diag_list *d)
{
	value *cache = value_map();
	char *text;
	size_t len;
	if (fs_read(path, &text, &len) < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			diag_add(d, DIAG_WARNING, path, 0, 0, "link-cache",
				 "cannot read link metadata: %s; ignoring it", strerror(errno));
		return cache;
	}
	if (memchr(text, '\0', len))
		diag_add(d, DIAG_WARNING, path, 0, 0, "link-cache",
			 "corrupt link metadata (not text); ignoring it");
	else if (metacache_parse(cache, path, text, d) < 0) {
		value_free(cache);
		cache = value_map();
	}
	free(text);
	return cache;
}

/* A row of the index into the map; one that does not read is left out. */
static void metacache_row(void *ud, const char *url, const char *row)
{
	char *line = xstrdup(row);
	value *m = metacache_parse_line(line);
	free(line);
	if (!m)
		return;
	char *key = ledger_key(url);
	value_map_setc(ud, key, m);
	free(key);
}

/* The file of an earlier version, at the root. */
static char *metacache_legacy(const char *root)
{
	return fs_join(root, METACACHE_PATH);
}

value *metacache_read(struct index *ix, const char *root, diag_list *d)
{
	if (ix && index_meta(ix, METACACHE_STAMP, 0)) {
		value *cache = value_map();
		index_rows(ix, INDEX_LINKMETA, metacache_row, cache);
		return cache;
	}
	char *path = metacache_legacy(root);
	value *cache = metacache_read_file(path, d);
	free(path);
	return cache;
}

value *metacache_load(const char *root, diag_list *d)
{
	struct index *ix = index_open(root, 1);
	value *cache = metacache_read(ix, root, d);
	index_close(ix);
	return cache;
}

const value *metacache_find(const value *cache, const char *url)
{
	if (!value_len(cache)) /* nothing known: no key to make */
		return NULL;
	char *key = ledger_key(url);
	const value *m = value_getc(cache, key);
	free(key);
	return m && value_type(m) == VALUE_MAP ? m : NULL;
}

static const char *const metacache_kinds[] = { "page", "github", "pypi" };

void metacache_time(time_t t, char out[32])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void metacache_note(value *cache, const char *url, const char *key, const char *text)
{
	char *k = ledger_key(url);
	value *e = (value *)value_getc(cache, k);
	if (!e || value_type(e) != VALUE_MAP) {
		e = value_map_setc(cache, k, value_map());
		value_map_setc(e, "url", value_cstring(url));
	}
	free(k);
	value_map_setc(e, key, text ? value_cstring(text) : value_null());
}

void metacache_put(value *cache, const char *url, const struct linkmeta *m, time_t t)
{
	const value *old = metacache_find(cache, url);
	const char *title = old ? value_str(value_getc(old, "title")) : NULL;
	char checked[32];
	metacache_time(t, checked);
	value *e = value_map();
	metacache_set_str(e, "url", url);
	metacache_set_str(e, "kind", metacache_kinds[m->kind]);
	metacache_set_str(e, "checked", checked);
	metacache_set_str(e, "name", m->name);
	metacache_set_str(e, "title", title ? title : m->title);
	metacache_set_str(e, "description", m->description);
	metacache_set_str(e, "language", m->language);
	if (m->stars >= 0)
		value_map_setc(e, "stars", value_number((double)m->stars));
	if (m->kind == LINKMETA_GITHUB)
		value_map_setc(e, "archived", value_bool(m->archived));
	metacache_set_str(e, "pushed", m->pushed);
	metacache_set_str(e, "license", m->license);
	value_map_setc(e, "not_free", value_bool(m->not_free));
	metacache_set_str(e, "broken_since", value_str(value_getc(old, "broken_since")));
	metacache_set_str(e, "archived_copy", value_str(value_getc(old, "archived_copy")));
	char *key = ledger_key(url);
	value_map_setc(cache, key, e);
	free(key);
}

/* Whether url's entry was checked less than max_age seconds ago. */
static int metacache_fresh(const value *cache, const char *url, double max_age, time_t now)
{
	const char *checked = value_str(value_getc(metacache_find(cache, url), "checked"));
	struct tm tm = { 0 };
	if (!checked || sscanf(checked, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon,
			       &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return difftime(now, timegm(&tm)) < max_age;
}

int metacache_refresh(struct index *ix, const char *root, const struct link_ref *refs,
		      size_t n, const struct linkmeta_opts *mo, double max_age, diag_list *d)
{
	value *cache = ix ? metacache_read(ix, root, d) : metacache_load(root, d);
	time_t now = time(NULL);
	int changed = 0, rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (metacache_fresh(cache, refs[i].url, max_age, now))
			continue;
		struct linkmeta m;
		char *err = NULL;
		int st = linkmeta_fetch(mo, refs[i].url, &m, &err);
		if (st == EXIT_CLEAN) {
			metacache_put(cache, refs[i].url, &m, now);
			changed = 1;
		} else if (err && strncmp(err, "cannot load", 11) == 0) {
			diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL, "%s", err);
			rc = -1;
		} else {
			diag_add(d, DIAG_WARNING, refs[i].file, refs[i].line, refs[i].col, "meta",
				 "cannot tell what %s is: %s", refs[i].url, err ? err : "no answer");
		}
		free(err);
		linkmeta_release(&m);
	}
	if (changed && metacache_save(cache, ix, root, d) < 0)
		rc = -1;
	value_free(cache);
	return rc;
}

/* A field without tabs or line breaks. */
static void metacache_put_field(buf *b, const value *v)
{
	buf text = BUF_INIT;
	value_text(v, &text);
	for (size_t i = 0; i < text.len; i++)
		buf_putc(b, strchr("\t\r\n", text.data[i]) ? ' ' : text.data[i]);
	buf_release(&text);
}

/* Every entry's row, over the one kept for its URL (rows of URLs the map
 * lacks stay: a read that failed part way loses nothing), and the stamp of
 * them all. */
static int metacache_write(const value *cache, struct index *ix)
{
	buf row = BUF_INIT;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < value_len(cache); i++) {
		const value *m = value_entry_at(cache, i)->val;
		const char *url = value_str(value_getc(m, "url"));
		if (value_type(m) != VALUE_MAP || !url)
			continue;
		buf_reset(&row);
		for (size_t c = 0; c < METACACHE_NCOLS; c++) {
			metacache_put_field(&row, value_getc(m, metacache_cols[c].key));
			if (c + 1 < METACACHE_NCOLS)
				buf_putc(&row, '\t');
		}
		rc = index_put_row(ix, INDEX_LINKMETA, url, row.data);
	}
	buf_release(&row);
	if (rc == 0)
		index_set_meta(ix, METACACHE_STAMP, index_meta(ix, METACACHE_STAMP, 0) + 1);
	return rc;
}

int metacache_save(const value *cache, struct index *ix, const char *root, diag_list *d)
{
	struct index *own = ix ? NULL : index_open(root, 0);
	if (!ix && !(ix = own) && !index_supported())
		return 0;
	int rc = ix ? index_begin(ix) : -1;
	if (rc == 0 && metacache_write(cache, ix) == 0)
		rc = index_commit(ix);
	else if (rc == 0)
		index_rollback(ix), rc = -1;
	index_close(own);
	if (rc < 0) {
		char *path = index_path(root);
		diag_add(d, DIAG_ERROR, path, 0, 0, NULL,
			 "cannot keep link metadata in the archive index");
		free(path);
	}
	return rc;
}
