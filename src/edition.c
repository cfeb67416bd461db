/* edition.c - the newsletter's other editions: loaded from the folders
 * newsletter.yaml names, linked from pages, compared issue by issue. */
#include <stdlib.h>
#include <string.h>
#include "weekly/archive.h"
#include "weekly/buf.h"
#include "weekly/digest.h"
#include "weekly/edition.h"
#include "weekly/fsutil.h"
#include "weekly/issue.h"
#include "weekly/ledger.h"
#include "weekly/util.h"

#define RULE "edition"

/* --- loading --------------------------------------------------------------- */

/* The folder of edition path, as seen from this newsletter's root. */
static char *edition_dir(const struct newsletter *n, const char *path)
{
	return path[0] == '/' ? xstrdup(path) : fs_join(n->root, path);
}

static int load_one(const struct newsletter *n, const char *lang, const value *path,
		    struct edition *e, diag_list *d)
{
	const char *p = value_str(path);
	if (!p || !*p) {
		e->lang = xstrdup(lang);
		e->path = xstrdup("");
		diag_add(d, DIAG_ERROR, n->settings_path, value_line(path), value_col(path), RULE,
			 "edition '%s' is not a folder: write editions: {%s: ../folder}", lang, lang);
		return -1;
	}
	char *dir = edition_dir(n, p), *settings = fs_join(dir, "issues/newsletter.yaml");
	int there = fs_exists(settings);
	diag_list own = DIAG_LIST_INIT;
	int rc = -1;
	if (!there)
		diag_add(d, DIAG_ERROR, n->settings_path, value_line(path), value_col(path), RULE,
			 "edition '%s': no newsletter in '%s' (no issues/newsletter.yaml there)",
			 lang, p);
	else if (newsletter_load(dir, &e->n, &own) < 0)
		diag_add(d, DIAG_ERROR, n->settings_path, value_line(path), value_col(path), RULE,
			 "edition '%s': the settings of '%s' do not load; run weekly check there",
			 lang, p);
	else if (issue_files_list(&e->n, &e->files, &e->nfiles) < 0)
		diag_add(d, DIAG_ERROR, n->settings_path, value_line(path), value_col(path), RULE,
			 "edition '%s': cannot list the issues of '%s'", lang, p);
	else
		rc = 0;
	e->lang = xstrdup(lang);
	e->path = xstrdup(p ? p : "");
	diag_release(&own);
	free(settings);
	free(dir);
	return rc;
}

int editions_load(const struct newsletter *n, struct editions *e, diag_list *d)
{
	const value *ed = value_getc(n->settings, "editions");
	int rc = 0;
	e->at = NULL;
	e->len = 0;
	if (!ed || value_type(ed) == VALUE_NULL)
		return 0;
	if (value_type(ed) != VALUE_MAP) {
		diag_add(d, DIAG_ERROR, n->settings_path, value_line(ed), value_col(ed), RULE,
			 "editions is a map of languages to folders: editions: {zh: ../folder}");
		return -1;
	}
	e->at = xcalloc(value_len(ed) + 1, sizeof(struct edition));
	for (size_t i = 0; i < value_len(ed); i++) {
		const struct value_entry *en = value_entry_at(ed, i);
		if (load_one(n, en->key, en->val, &e->at[e->len], d) < 0) {
			free(e->at[e->len].lang);
			free(e->at[e->len].path);
			newsletter_release(&e->at[e->len].n);
			memset(&e->at[e->len], 0, sizeof(struct edition));
			rc = -1;
			continue;
		}
		e->len++;
	}
	return rc;
}

void editions_release(struct editions *e)
{
	for (size_t i = 0; i < e->len; i++) {
		free(e->at[i].lang);
		free(e->at[i].path);
		newsletter_release(&e->at[i].n);
		issue_files_free(e->at[i].files, e->at[i].nfiles);
	}
	free(e->at);
	e->at = NULL;
	e->len = 0;
}

/* --- links ------------------------------------------------------------------ */

/* Where page of edition e is: under its archive_url or url, else beside
 * this edition's build/ as the setting names its folder. */
static char *page_url(const struct edition *e, const char *page)
{
	const char *base = value_str(value_getc(e->n.settings, "archive_url"));
	if (!base || !*base)
		base = value_str(value_getc(e->n.settings, "url"));
	if (base && *base)
		return xasprintf("%s%s%s", base, base[strlen(base) - 1] == '/' ? "" : "/", page);
	return xasprintf("%s%s/build/%s", e->path[0] == '/' ? "" : "../", e->path, page);
}

/* The issue file of number in edition e, or NULL (number < 0: none). */
static const struct issue_file *twin(const struct edition *e, long number)
{
	return number >= 0 ? issue_files_find(e->files, e->nfiles, number) : NULL;
}

value *editions_links(const struct editions *e, long number, struct arena *in)
{
	value *list = value_list_in(in);
	size_t count = 0, k = 0;
	for (size_t i = 0; i < e->len; i++)
		count += number < 0 || twin(&e->at[i], number);
	for (size_t i = 0; i < e->len; i++) {
		const struct edition *ed = &e->at[i];
		const struct issue_file *f = twin(ed, number);
		if (number >= 0 && !f)
			continue;
		char *page = f ? xasprintf("%s.html", f->stem) : xstrdup("index.html");
		char *url = page_url(ed, page);
		const char *name = value_str(value_getc(ed->n.settings, "name"));
		value *m = value_list_push(list, value_map_in(in));
		value_map_lit(m, "lang", value_cstring_in(in, ed->lang));
		value_map_lit(m, "name", value_cstring_in(in, name ? name : ed->lang));
		value_map_lit(m, "url", value_cstring_in(in, url));
		value_map_lit(m, "first", value_bool_in(in, k == 0));
		value_map_lit(m, "last", value_bool_in(in, ++k == count));
		free(url);
		free(page);
	}
	return list;
}

uint64_t editions_digest(const struct editions *e, uint64_t seed)
{
	if (!seed || !e->len)
		return seed;
	buf b = BUF_INIT;
	for (size_t i = 0; i < e->len; i++) {
		char *home = page_url(&e->at[i], "");
		buf_printf(&b, "%s\t%s\n", e->at[i].lang, home);
		for (size_t k = 0; k < e->at[i].nfiles; k++)
			buf_printf(&b, "%ld %s\n", e->at[i].files[k].number, e->at[i].files[k].stem);
		free(home);
	}
	uint64_t h = digest_bytes(b.data, b.len, seed);
	buf_release(&b);
	return h;
}

/* --- comparing --------------------------------------------------------------- */

/* An item as the comparison sees it. */
struct entry {
	char *key;             /* the URL as `weekly where` compares it */
	const char *section;   /* the configured section's id */
	const struct item *it;
	size_t n;              /* its number in its section, from 1 */
	long twin;             /* the other edition's entry with its URL, or -1 */
};

struct side {
	const char *lang, *path;
	struct entry *at;
	size_t len;
};

static void entries_of(const struct newsletter *n, const struct issue *is, struct side *s)
{
	size_t cap = 0;
	for (size_t i = 0; i < is->nsections; i++)
		cap += is->sections[i].nitems;
	s->at = xcalloc(cap + 1, sizeof(struct entry));
	s->len = 0;
	for (size_t i = 0; i < is->nsections; i++) {
		const struct section *sec = &is->sections[i];
		for (size_t j = 0; sec->conf >= 0 && j < sec->nitems; j++) {
			if (!sec->items[j].has_link)
				continue;
			s->at[s->len++] = (struct entry){ ledger_key(sec->items[j].url),
				n->sections[sec->conf].id, &sec->items[j], j + 1, -1 };
		}
	}
}

static void pair(struct side *a, struct side *b)
{
	for (size_t i = 0; i < a->len; i++)
		for (size_t j = 0; j < b->len && a->at[i].twin < 0; j++)
			if (b->at[j].twin < 0 && strcmp(a->at[i].key, b->at[j].key) == 0) {
				a->at[i].twin = (long)j;
				b->at[j].twin = (long)i;
			}
}

static void say(diag_list *d, const struct side *s, const struct entry *e, const char *fmt,
		const char *what, const struct side *o, const struct entry *t)
{
	char *q = util_quoted(e->it->title, strlen(e->it->title));
	if (t)
		diag_add(d, DIAG_WARNING, s->path, e->it->line, e->it->col, RULE, fmt, q, what,
			 o->lang, o->path, t->it->line);
	else
		diag_add(d, DIAG_WARNING, s->path, e->it->line, e->it->col, RULE, fmt, q, o->lang,
			 o->path);
	free(q);
}

/* Items of s with no twin in o. */
static void unmatched(const struct side *s, const struct side *o, diag_list *d)
{
	for (size_t i = 0; i < s->len; i++)
		if (s->at[i].twin < 0)
			say(d, s, &s->at[i], "'%s' is not in the %s edition (%s)", NULL, o, NULL);
}

/* Whether items i and j of a are in the same section, as are their twins. */
static int same_place(const struct side *a, const struct side *b, size_t i, size_t j)
{
	const struct entry *e = &a->at[i], *f = &a->at[j];
	return strcmp(e->section, f->section) == 0 &&
	       strcmp(b->at[e->twin].section, e->section) == 0 &&
	       strcmp(b->at[f->twin].section, f->section) == 0;
}

/* Items of a whose twin is in another section, and those out of the order
 * their twins keep: of the items a section shares with its twin section,
 * the longest run in the same order stays, the others moved. Said in a's
 * order. */
static void moved(const struct side *a, const struct side *b, diag_list *d)
{
	size_t n = a->len, *run = xcalloc(n + 1, sizeof(size_t)), *prev = xcalloc(n + 1, sizeof(size_t));
	int *kept = xcalloc(n + 1, sizeof(int));
	for (size_t i = 0; i < n; i++) {
		if (a->at[i].twin < 0 || !same_place(a, b, i, i))
			continue;
		run[i] = 1, prev[i] = i;
		for (size_t j = 0; j < i; j++)
			if (run[j] && same_place(a, b, i, j) && a->at[j].twin < a->at[i].twin &&
			    run[j] + 1 > run[i])
				run[i] = run[j] + 1, prev[i] = j;
	}
	for (size_t s = 0; s < n; s++) { /* each section's longest run stays */
		size_t best = n;
		for (size_t i = 0; i < n; i++)
			if (run[i] && strcmp(a->at[i].section, a->at[s].section) == 0 &&
			    (best == n || run[i] > run[best]))
				best = i;
		for (size_t i = best; i < n && !kept[i]; i = prev[i])
			kept[i] = 1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct entry *e = &a->at[i], *t = e->twin >= 0 ? &b->at[e->twin] : NULL;
		char *where = !t || kept[i] ? NULL : run[i]
			? xasprintf("item %zu of '%s' here and item %zu", e->n, e->section, t->n)
			: xasprintf("under '%s' here and under '%s'", e->section, t->section);
		if (where)
			say(d, a, e, "'%s' is %s in the %s edition (%s:%d)", where, b, t);
		free(where);
	}
	free(run);
	free(prev);
	free(kept);
}

static void release_side(struct side *s)
{
	for (size_t i = 0; i < s->len; i++)
		free(s->at[i].key);
	free(s->at);
}

/* Issue file f of n against file g of edition e. */
static void compare(const struct newsletter *n, const char *lang, const struct issue_file *f,
		    const struct edition *e, const struct issue_file *g, diag_list *d)
{
	diag_list ignored = DIAG_LIST_INIT; /* the issues' own problems: check's to say */
	int syserr = 0;
	struct issue *x = issue_load(n, f->path, &ignored, &syserr);
	struct issue *y = issue_load(&e->n, g->path, &ignored, &syserr);
	if (x && y) {
		struct side a = { lang, f->path, NULL, 0 }, b = { e->lang, g->path, NULL, 0 };
		entries_of(n, x, &a);
		entries_of(&e->n, y, &b);
		pair(&a, &b);
		unmatched(&a, &b, d);
		unmatched(&b, &a, d);
		moved(&a, &b, d);
		release_side(&a);
		release_side(&b);
	}
	issue_free(x);
	issue_free(y);
	diag_release(&ignored);
}

void editions_check(const struct newsletter *n, const struct issue_file *files, size_t nfiles,
		    const struct editions *e, int (*wanted)(const void *ud, long number),
		    const void *ud, diag_list *d)
{
	const char *lang = value_str(value_getc(n->settings, "language"));
	if (!lang || !*lang)
		lang = "en";
	for (size_t k = 0; k < e->len; k++) {
		const struct edition *ed = &e->at[k];
		for (size_t i = 0; i < nfiles; i++) {
			if (wanted && !wanted(ud, files[i].number))
				continue;
			const struct issue_file *g = issue_files_find(ed->files, ed->nfiles,
								      files[i].number);
			if (g)
				compare(n, lang, &files[i], ed, g, d);
			else
				diag_add(d, DIAG_WARNING, files[i].path, 1, 1, RULE,
					 "issue %ld is not in the %s edition (%s has no issue %ld)",
					 files[i].number, ed->lang, ed->n.root, files[i].number);
		}
		for (size_t j = 0; j < ed->nfiles; j++)
			if ((!wanted || wanted(ud, ed->files[j].number)) &&
			    !issue_files_find(files, nfiles, ed->files[j].number))
				diag_add(d, DIAG_WARNING, ed->files[j].path, 1, 1, RULE,
					 "issue %ld of the %s edition is not in the %s edition (%s has "
					 "no issue %ld)", ed->files[j].number, ed->lang, lang, n->root,
					 ed->files[j].number);
	}
}
