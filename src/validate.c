/* validate.c - the rules over a parsed issue: front matter, sections, items,
 * links and text. */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "weekly/fsutil.h"
#include "weekly/strings.h"
#include "weekly/text.h"
#include "weekly/util.h"
#include "weekly/seasons.h"
#include "weekly/topics.h"
#include "weekly/validate.h"

struct ctx {
	const struct newsletter *n;
	const struct issue *is;
	diag_list *d;
	diag_severity unfinished; /* what an incomplete issue is: a draft may be */
};

/* s as a message quotes it. */
static char *quoted(const char *s)
{
	return util_quoted(s, strlen(s));
}

static int blank(const char *s)
{
	for (; s && *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

/* --- front matter ------------------------------------------------------ */

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int validate_date(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (strlen(s) != 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2))
		return 0;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(m == 2 && d == 29 && !leap);
}

/* Whether the parser already said what is wrong with the front matter. */
static int front_reported(const struct ctx *c)
{
	for (size_t i = 0; i < c->d->len; i++) {
		const diag *x = &c->d->items[i];
		if (x->rule && x->file && strcmp(x->file, c->is->path) == 0 &&
		    (strcmp(x->rule, "front-matter") == 0 || strcmp(x->rule, "yaml") == 0))
			return 1;
	}
	return 0;
}

static void number_rule(struct ctx *c, long file_number)
{
	const struct issue *is = c->is;
	const value *num = value_getc(is->front, "number");
	if (!num)
		diag_add(c->d, DIAG_ERROR, is->path, 1, 1, "front-matter",
			 "missing 'number' in front matter");
	else if (is->number < 0)
		diag_add(c->d, DIAG_ERROR, is->path, num->line, num->col, "front-matter",
			 "'number' must be a positive whole number");
	else if (file_number >= 0 && is->number != file_number)
		diag_add(c->d, DIAG_ERROR, is->path, num->line, num->col, "front-matter",
			 "'number' is %ld but the file name says %ld", is->number, file_number);
}

static void date_rule(struct ctx *c)
{
	const struct issue *is = c->is;
	const value *date = value_getc(is->front, "date");
	if (!date)
		diag_add(c->d, DIAG_ERROR, is->path, 1, 1, "front-matter",
			 "missing 'date' in front matter");
	else if (!is->date)
		diag_add(c->d, DIAG_ERROR, is->path, date->line, date->col, "front-matter",
			 "'date' must be a date written YYYY-MM-DD");
	else if (!validate_date(is->date)) {
		char *q = quoted(is->date);
		diag_add(c->d, DIAG_ERROR, is->path, date->line, date->col, "front-matter",
			 "'date' must be a real date written YYYY-MM-DD, not '%s'", q);
		free(q);
	}
}

/* updated: the day a published issue was corrected, on or after its date. */
static void updated_rule(struct ctx *c, const value *v)
{
	const char *s = value_str(v);
	if (!s || !validate_date(s))
		diag_add(c->d, DIAG_ERROR, c->is->path, v->line, v->col, "front-matter",
			 "'updated' must be a real date written YYYY-MM-DD");
	else if (c->is->date && strcmp(s, c->is->date) < 0)
		diag_add(c->d, DIAG_ERROR, c->is->path, v->line, v->col, "front-matter",
			 "'updated' is %s, before the issue's date %s", s, c->is->date);
}

static const char *kind_name(value_kind k)
{
	return k == VALUE_LIST ? "a list" : k == VALUE_MAP ? "a mapping" : "a single value";
}

static int is_container(value_kind k)
{
	return k == VALUE_LIST || k == VALUE_MAP;
}

/* A key the settings also have overrides them: it must be the same shape,
 * or null (the issue goes without it, as an era may). */
static void override_rule(struct ctx *c, const struct value_entry *e, const value *setting)
{
	value_kind want = setting->kind, got = e->val->kind;
	if (want == got || got == VALUE_NULL || (!is_container(want) && !is_container(got)))
		return;
	char *q = quoted(e->key);
	diag_add(c->d, DIAG_ERROR, c->is->path, e->val->line, e->val->col, "front-matter",
		 "'%s' must be %s, as in newsletter.yaml", q, kind_name(want));
	free(q);
}

static int in_list(const value *list, const char *s, size_t len)
{
	for (size_t i = 0; i < value_len(list); i++) {
		const char *x = value_str(value_at(list, i));
		if (x && strlen(x) == len && memcmp(x, s, len) == 0)
			return 1;
	}
	return 0;
}

/* The name among names[0..n) that word comes closest to without being it:
 * the same but for case, spaces or punctuation, else the closest by
 * util_closest; or NULL. */
static const char *nearest(const char *word, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (util_name_eq(word, names[i]) && strcmp(word, names[i]) != 0)
			return names[i];
	long k = util_closest(word, names, n);
	return k < 0 ? NULL : names[k];
}

/* The known front matter key closest to key: an issue's own, or a
 * setting's (which the front matter may override). */
static const char *suggest(const struct ctx *c, const char *key)
{
	size_t ns = value_len(c->n->settings), count = 0, nk = 0;
	while (issue_keys[nk])
		nk++;
	const char **names = xmalloc((ns + nk) * sizeof *names);
	for (const char *const *k = issue_keys; *k; k++)
		names[count++] = *k;
	for (size_t i = 0; i < ns; i++)
		names[count++] = value_entry_at(c->n->settings, i)->key;
	const char *s = nearest(key, names, count);
	free(names);
	return s;
}

/* A key nothing reads is a warning, with the key it may have meant; a
 * misspelt 'draft' is an error: it would publish a draft. */
static void unknown_key(struct ctx *c, const struct value_entry *e)
{
	const value *extra = value_path(c->n->settings, "check.issue_keys");
	if (in_list(extra, e->key, e->keylen))
		return;
	const char *s = suggest(c, e->key);
	char *q = quoted(e->key);
	if (s && strcmp(s, "draft") == 0)
		diag_add(c->d, DIAG_ERROR, c->is->path, e->val->line, 1, "front-matter",
			 "unknown front matter key '%s'; did you mean 'draft'? As written, "
			 "the issue is not a draft", q);
	else
		diag_add(c->d, DIAG_WARNING, c->is->path, e->val->line, 1, "unknown-key",
			 "unknown front matter key '%s'%s%s%s", q,
			 s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
	free(q);
}

static int key_is(const struct value_entry *e, const char *name)
{
	return e->keylen == strlen(name) && memcmp(e->key, name, e->keylen) == 0;
}

/* The keys an issue itself has: whether e is one (checked here, or by
 * number_rule and date_rule). */
static int issue_key_rule(struct ctx *c, const struct value_entry *e)
{
	const value *v = e->val;
	if (key_is(e, "draft") && v->kind != VALUE_BOOL)
		diag_add(c->d, DIAG_ERROR, c->is->path, v->line, v->col, "front-matter",
			 "'draft' must be true or false");
	else if ((key_is(e, "title") || key_is(e, "description") || key_is(e, "image")) &&
		 is_container(v->kind))
		diag_add(c->d, DIAG_ERROR, c->is->path, v->line, v->col, "front-matter",
			 "'%.*s' must be a single value", (int)e->keylen, e->key);
	else if (key_is(e, "updated"))
		updated_rule(c, v);
	return util_in_names(issue_keys, e->key, e->keylen);
}

static int ends_html(const struct value_entry *e)
{
	return util_ends_with(e->key, e->keylen, "_html");
}

static void key_rules(struct ctx *c)
{
	const value *front = c->is->front;
	for (size_t i = 0; i < value_len(front); i++) {
		const struct value_entry *e = value_entry_at(front, i);
		const value *setting = value_get(c->n->settings, e->key, e->keylen);
		if (issue_key_rule(c, e) || ends_html(e))
			continue; /* source_rules refuses the HTML */
		if (setting)
			override_rule(c, e, setting);
		else
			unknown_key(c, e);
	}
}

/* Whether a front matter key names a URL: templates put those in href and
 * src attributes. */
static int url_key(const char *k, size_t n)
{
	static const char *const ends[] = { "url", "href", "src", "link", "image", NULL };
	if (n == 8 && strncasecmp(k, "smtp_url", 8) == 0)
		return 0; /* the mail server `weekly send` talks to (smtp.h), never a page's */
	for (const char *const *e = ends; *e; e++) {
		size_t m = strlen(*e);
		if (n >= m && strncasecmp(k + n - m, *e, m) == 0)
			return 1;
	}
	return 0;
}

/* --- character references --------------------------------------------- */

/* A source file: its text given, or read when first needed (NULL when it
 * cannot be). */
struct src_file {
	const char *file;
	const char *text;
	size_t len;
	char *read;
	int tried;
};

static const char *src_file_text(struct src_file *s)
{
	if (!s->text && !s->tried++ && fs_read(s->file, &s->read, &s->len) == 0)
		s->text = s->read;
	return s->text;
}

/* One Markdown text of a source whose references XML forbids are reported:
 * its body (md within the source's text) or a YAML value read from it,
 * starting at line, col. */
struct refs_at {
	struct src_file *src;
	const char *md;
	int line, col;
	diag_list *d;
	size_t count;
	int more_line, more_col; /* the first one not reported on its own */
};

/* Where line, col is in text (len bytes), or NULL. */
static const char *place_in(const char *text, size_t len, int line, int col)
{
	const char *p = text, *end = text + len;
	for (int l = 1; l < line && p; l++)
		if ((p = memchr(p, '\n', (size_t)(end - p))) != NULL)
			p++;
	return p && (size_t)(end - p) >= (size_t)col - 1 ? p + col - 1 : NULL;
}

/* The first place from from on, up to end, that holds the n bytes of s,
 * or NULL. */
static const char *find_from(const char *from, const char *end, const char *s, size_t n)
{
	for (const char *p = from; (size_t)(end - p) >= n; p++) {
		if ((p = memchr(p, *s, (size_t)(end - p) - n + 1)) == NULL)
			return NULL;
		if (memcmp(p, s, n) == 0)
			return p;
	}
	return NULL;
}

/* The place of the reference at off (len bytes) of md in the source: in
 * the body, where it is; in a YAML value, where the source writes it (the
 * same spelling as often before it as in the value), else the value's. */
static void ref_place(struct refs_at *r, size_t off, size_t len, int *line, int *col)
{
	const char *text = src_file_text(r->src), *from, *at = NULL, *ref = r->md + off;
	*line = r->line, *col = r->col;
	if (!text || !(from = place_in(text, r->src->len, r->line, r->col)))
		return;
	const char *end = text + r->src->len;
	if (r->md >= text && r->md <= end) {
		at = ref;
	} else {
		size_t k = 0;
		for (const char *p = r->md; (p = find_from(p, ref, ref, len)) != NULL; p++)
			k++;
		for (at = from; (at = find_from(at, end, ref, len)) != NULL && k; at++)
			k--;
	}
	for (const char *p = from; at && p < at; p++)
		if (*p == '\n')
			++*line, *col = 1;
		else
			++*col;
}

static void ref_found(size_t off, size_t len, unsigned long cp, void *ud)
{
	struct refs_at *r = ud;
	int line, col;
	if (++r->count > TEXT_MAX_REPORTS + 1)
		return;
	ref_place(r, off, len, &line, &col);
	if (r->count > TEXT_MAX_REPORTS)
		r->more_line = line, r->more_col = col;
	else if (cp > 0x10FFFF)
		diag_add(r->d, DIAG_ERROR, r->src->file, line, col, "xml-char",
			 "character reference '%.*s' is past U+10FFFF, the last character "
			 "(Markdown makes it U+FFFD)", (int)len, r->md + off);
	else
		diag_add(r->d, DIAG_ERROR, r->src->file, line, col, "xml-char",
			 "character reference '%.*s' stands for U+%04lX, which XML 1.0 does not "
			 "allow (%s)", (int)len, r->md + off, cp,
			 cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) ? "Markdown makes it U+FFFD"
			 : "the feed would break");
}

/* An error for each character reference of md (len bytes) that names a
 * character XML forbids, at its place in the source. */
static void refs_rule(struct src_file *s, const char *md, size_t len, int line, int col,
		      diag_list *d)
{
	struct refs_at r = { s, md, line, col, d, 0, 0, 0 };
	markdown_bad_refs(md, len, ref_found, &r);
	if (r.count > TEXT_MAX_REPORTS)
		diag_add(d, DIAG_ERROR, s->file, r.more_line, r.more_col, "xml-char",
			 "%zu more character references XML 1.0 does not allow",
			 r.count - TEXT_MAX_REPORTS);
}

/* The trust rules over a tree a source wrote (front matter, settings), at
 * any depth: no key sets HTML (weekly makes every "_html" value from its
 * "_md" sibling), strings under URL keys are web, mail or relative
 * addresses (never javascript:, data: and the like), and no string holds
 * a character XML forbids (YAML escapes such as "\e" can write them). */
static void source_rules(struct src_file *s, const value *v, int urlish, diag_list *d)
{
	const char *file = s->file;
	unsigned long cp;
	if (v->kind == VALUE_STRING && urlish && !util_url_safe(v->u.str.s)) {
		char *q = quoted(v->u.str.s);
		diag_add(d, DIAG_ERROR, file, v->line, v->col, "url",
			 "URL '%s' is not http or https", q);
		free(q);
	}
	if (v->kind == VALUE_STRING && text_xml_bad(v->u.str.s, v->u.str.len, &cp))
		diag_add(d, DIAG_ERROR, file, v->line, v->col, "xml-char",
			 "character U+%04lX is not allowed in XML 1.0 (the feed would break)", cp);
	for (size_t i = 0; i < value_len(v); i++) {
		const struct value_entry *e = value_entry_at(v, i);
		if (e && ends_html(e)) {
			char *q = quoted(e->key);
			diag_add(d, DIAG_ERROR, file, e->val->line, e->val->col, "raw-html",
				 "'%s' would be raw HTML; write Markdown under '%.*s_md' instead",
				 q, (int)(strlen(q) - 5), q);
			free(q);
		}
		if (e && util_ends_with(e->key, e->keylen, "_md") && e->val->kind == VALUE_STRING)
			refs_rule(s, e->val->u.str.s, e->val->u.str.len, e->val->line,
				  e->val->col, d);
		if (e)
			source_rules(s, e->val, url_key(e->key, e->keylen), d);
		else
			source_rules(s, value_at(v, i), urlish, d);
	}
}

static void front_rules(struct ctx *c, long file_number)
{
	if (!c->is->front && front_reported(c))
		return;
	number_rule(c, file_number);
	date_rule(c);
	key_rules(c);
	struct src_file s = { c->is->path, c->is->text, c->is->len, NULL, 0 };
	if (c->is->front)
		source_rules(&s, c->is->front, 0, c->d);
}

/* --- sections ----------------------------------------------------------- */

static const char *conf_title(const struct ctx *c, long conf)
{
	return c->n->sections[conf].title;
}

static int last_line(const struct issue *is)
{
	return is->nlines ? (int)is->nlines : 1;
}

/* Where a missing section belongs: the heading of the first section the
 * settings put after it, else the end of the file. */
static void missing_section(struct ctx *c, long conf)
{
	const struct issue *is = c->is;
	int line = 0, col = 1;
	for (size_t i = 0; i < is->nsections && !line; i++)
		if (is->sections[i].conf > conf)
			line = is->sections[i].line, col = is->sections[i].col;
	diag_add(c->d, c->unfinished, is->path, line ? line : last_line(is), col,
		 "required-section", "missing required section '%s'", conf_title(c, conf));
}

static void count_rule(struct ctx *c, const struct section *s, size_t count)
{
	const struct section_conf *sc = &c->n->sections[s->conf];
	if (sc->min_items >= 0 && count < (size_t)sc->min_items)
		diag_add(c->d, c->unfinished, c->is->path, s->line, s->col, "count",
			 "section '%s' has %zu item%s; the settings ask for at least %ld",
			 sc->title, count, count == 1 ? "" : "s", sc->min_items);
	else if (sc->max_items >= 0 && count > (size_t)sc->max_items)
		diag_add(c->d, DIAG_ERROR, c->is->path, s->line, s->col, "count",
			 "section '%s' has %zu items; the settings allow at most %ld",
			 sc->title, count, sc->max_items);
}

/* Each section against the ones before it: repeats and order. */
static void section_order(struct ctx *c, const struct section **first)
{
	const struct section *latest = NULL; /* furthest along the settings' order */
	for (size_t i = 0; i < c->is->nsections; i++) {
		const struct section *s = &c->is->sections[i];
		if (s->conf < 0)
			continue;
		if (first[s->conf])
			diag_add(c->d, DIAG_ERROR, c->is->path, s->line, s->col, "duplicate-section",
				 "section '%s' appears twice; first at line %d",
				 conf_title(c, s->conf), first[s->conf]->line);
		else
			first[s->conf] = s;
		if (latest && s->conf < latest->conf)
			diag_add(c->d, DIAG_WARNING, c->is->path, s->line, s->col, "order",
				 "section '%s' should come before '%s', as in newsletter.yaml",
				 conf_title(c, s->conf), conf_title(c, latest->conf));
		else
			latest = s;
		if (s->nitems == 0 && c->n->sections[s->conf].min_items != 0) /* 0: text only */
			diag_add(c->d, c->unfinished, c->is->path, s->line, s->col, "empty-section",
				 "section '%s' has no items", conf_title(c, s->conf));
	}
}

/* without: the ids of required sections the issue goes without (as an
 * issue of the archive did), a list of section ids. */
static void without_rule(struct ctx *c, const value *without)
{
	if (!without)
		return;
	if (without->kind != VALUE_LIST) {
		diag_add(c->d, DIAG_ERROR, c->is->path, without->line, without->col, "front-matter",
			 "'without' is a list of section ids: without: [projects]");
		return;
	}
	for (size_t i = 0; i < value_len(without); i++) {
		const value *v = value_at(without, i);
		const char *id = value_str(v);
		size_t k = 0;
		while (id && k < c->n->nsections && strcmp(c->n->sections[k].id, id) != 0)
			k++;
		if (!id || k == c->n->nsections)
			diag_add(c->d, DIAG_ERROR, c->is->path, v->line, v->col, "front-matter",
				 "'without' lists '%s', which is not the id of a section", id ? id : "");
	}
}

static void section_rules(struct ctx *c)
{
	size_t nconf = c->n->nsections;
	if (c->is->nsections == 0 && c->is->body_line > last_line(c->is) && front_reported(c))
		return; /* an unclosed front matter took the whole file */
	const struct section **first = xcalloc(nconf, sizeof(*first));
	size_t *count = xcalloc(nconf, sizeof(*count));
	section_order(c, first);
	for (size_t i = 0; i < c->is->nsections; i++)
		if (c->is->sections[i].conf >= 0)
			count[c->is->sections[i].conf] += c->is->sections[i].nitems;
	const value *without = value_getc(c->is->front, "without");
	without_rule(c, without);
	for (size_t k = 0; k < nconf; k++) {
		const char *id = c->n->sections[k].id;
		if (!first[k] && c->n->sections[k].required && !in_list(without, id, strlen(id)))
			missing_section(c, (long)k);
		else if (first[k] && count[k])
			count_rule(c, first[k], count[k]);
	}
	free(first);
	free(count);
}

/* --- items --------------------------------------------------------------- */

static void description_rule(struct ctx *c, const struct item *it)
{
	if (!blank(it->description_md))
		return;
	if (blank(it->title)) {
		diag_add(c->d, DIAG_WARNING, c->is->path, it->line, it->col, "description",
			 "item has no description");
		return;
	}
	char *q = quoted(it->title);
	diag_add(c->d, DIAG_WARNING, c->is->path, it->line, it->col, "description",
		 "item '%s' has no description", q);
	free(q);
}

/* The same URL (in any form with the same key) as an earlier item. */
static void duplicate_rule(struct ctx *c, const struct item *it, struct ledger *seen)
{
	char *key = ledger_key(it->url);
	const struct ledger_entry *e = ledger_first_key(seen, key);
	if (e) {
		char *q = quoted(it->url);
		diag_add(c->d, DIAG_ERROR, c->is->path, it->line, it->col, "duplicate-url",
			 "URL '%s' is already an item at line %d", q, e->line);
		free(q);
	} else {
		ledger_add(seen, &(struct ledger_entry){ .url = it->url, .key = key,
			.line = it->line, .col = it->col, .issue = -1, .item = -1 });
	}
	free(key);
}

static void item_rules(struct ctx *c, const struct item *it, struct ledger *seen)
{
	if (blank(it->title))
		diag_add(c->d, DIAG_ERROR, c->is->path, it->line, it->col, "title",
			 "item has an empty title");
	description_rule(c, it);
	if (!blank(it->url))
		duplicate_rule(c, it, seen);
}

static void items_rules(struct ctx *c)
{
	struct ledger seen = LEDGER_INIT;
	for (size_t i = 0; i < c->is->nsections; i++) {
		const struct section *s = &c->is->sections[i];
		for (size_t j = 0; j < s->nitems; j++)
			if (s->items[j].has_link)
				item_rules(c, &s->items[j], &seen);
	}
	ledger_release(&seen);
}

/* --- links ------------------------------------------------------------- */

static int has_scheme(const char *u, const char *scheme)
{
	size_t n = strlen(scheme);
	return strncasecmp(u, scheme, n) == 0;
}

/* Items and images must be on the web; other links may also be mailto:. */
static void url_rule(struct ctx *c, const struct link *l)
{
	const char *u = l->url;
	int web = util_is_web(u);
	const char *problem = NULL;
	if (!*u && l->opens_item) {
		diag_add(c->d, DIAG_WARNING, c->is->path, l->line, l->col, "url",
			 "item without an address: its title is printed alone, without a link");
		return;
	}
	if (blank(u)) {
		diag_add(c->d, DIAG_ERROR, c->is->path, l->line, l->col, "url", "empty URL");
		return;
	}
	if (!web && !(has_scheme(u, "mailto:") && !l->image && !l->opens_item))
		problem = "is not http or https";
	else if (web && strcspn(strstr(u, "://") + 3, "/?#") == 0)
		problem = "has no host";
	if (!problem)
		return;
	char *q = quoted(u);
	diag_add(c->d, DIAG_ERROR, c->is->path, l->line, l->col, "url", "URL '%s' %s", q, problem);
	free(q);
}

/* utm_* parameters: name them all in one warning. */
static void tracking_rule(struct ctx *c, const struct link *l)
{
	const char *q = strchr(l->url, '?');
	buf names = BUF_INIT;
	size_t count = 0;
	while (q && *q && *q != '#') {
		q++;
		size_t len = strcspn(q, "=&#");
		if (ledger_tracking_param(q, len) && count++ < 8)
			buf_printf(&names, "%s'%.*s'", names.len ? ", " : "", len > 40 ? 40 : (int)len, q);
		q += strcspn(q, "&#");
	}
	if (count) {
		char *q = quoted(names.data);
		diag_add(c->d, DIAG_WARNING, c->is->path, l->line, l->col, "tracking",
			 "URL carries tracking parameter%s %s%s", count > 1 ? "s" : "", q,
			 count > 8 ? ", …" : "");
		free(q);
	}
	buf_release(&names);
}

static void link_rules(struct ctx *c)
{
	for (size_t i = 0; i < c->is->nlinks; i++) {
		const struct link *l = &c->is->links[i];
		url_rule(c, l);
		tracking_rule(c, l);
		if (l->image && !l->has_alt)
			diag_add(c->d, DIAG_WARNING, c->is->path, l->line, l->col, "alt",
				 "image has no alt text");
	}
}

/* --- the issue ------------------------------------------------------------ */

/* Character references in the body that name characters XML forbids. */
static void body_refs(const struct issue *is, diag_list *d)
{
	struct src_file s = { is->path, is->text, is->len, NULL, 0 };
	const char *body = place_in(is->text, is->len, is->body_line, 1);
	if (body)
		refs_rule(&s, body, (size_t)(is->text + is->len - body), is->body_line, 1, d);
}

void validate_issue(const struct newsletter *n, const struct issue *is,
		    long file_number, diag_list *d)
{
	int draft = value_truthy(value_getc(is->front, "draft"));
	struct ctx c = { n, is, d, draft ? DIAG_WARNING : DIAG_ERROR };
	front_rules(&c, file_number);
	if (!is->unread) /* its sections are not known */
		section_rules(&c);
	items_rules(&c);
	topics_check_issue(n, is, d);
	link_rules(&c);
	text_check(is->path, is->text, is->len, d);
	if (!is->unread)
		body_refs(is, d);
}

/* --- the settings ---------------------------------------------------------- */

static void string_list_rule(const struct newsletter *n, const char *key, const char *what,
			     diag_list *d)
{
	const value *v = value_getc(value_getc(n->settings, "check"), key);
	int ok = !v || v->kind == VALUE_LIST;
	for (size_t i = 0; ok && i < value_len(v); i++)
		ok = value_str(value_at(v, i)) != NULL;
	if (!ok)
		diag_add(d, DIAG_ERROR, n->settings_path, v->line, v->col, "settings",
			 "'check.%s' must be a list of %s", key, what);
}

static size_t count_names(const char *const *names)
{
	size_t n = 0;
	while (names[n])
		n++;
	return n;
}

/* Whether a template may read key of the settings (or, for a Markdown
 * key, the HTML made of it). */
static int template_reads(struct renderer *r, const char *key, size_t len)
{
	if (!r)
		return 0;
	char *html = util_ends_with(key, len, "_md")
		? xasprintf("%.*s_html", (int)(len - 3), key) : NULL;
	int found = renderer_mentions(r, key) || (html && renderer_mentions(r, html));
	free(html);
	return found;
}

/* Every key of map that neither weekly nor a template reads: a warning
 * with the known key it may have meant. what says where ("setting",
 * "section setting"). */
static void unknown_settings(const struct newsletter *n, struct renderer *r, const value *map,
			     const char *const *names, const char *what, diag_list *d)
{
	for (size_t i = 0; map && map->kind == VALUE_MAP && i < value_len(map); i++) {
		const struct value_entry *e = value_entry_at(map, i);
		if (util_in_names(names, e->key, e->keylen) || template_reads(r, e->key, e->keylen) ||
		    ends_html(e))
			continue; /* source_rules refuses HTML */
		const char *s = nearest(e->key, names, count_names(names));
		const value *v = e->val;
		int col = v->kind != VALUE_MAP && v->kind != VALUE_LIST &&
			v->col > (int)e->keylen + 2 ? v->col - (int)e->keylen - 2 : 1;
		char *q = quoted(e->key);
		diag_add(d, DIAG_WARNING, n->settings_path, v->line, col, "unknown-key",
			 "unknown %s '%s'%s%s%s", what, q, s ? "; did you mean '" : "",
			 s ? s : "", s ? "'?" : "");
		free(q);
	}
}

void validate_settings(const struct newsletter *n, struct renderer *r, diag_list *d)
{
	unknown_settings(n, r, n->settings, settings_keys, "setting", d);
	for (size_t i = 0; i < n->nsections; i++)
		unknown_settings(n, r, n->sections[i].conf, section_keys, "section setting", d);
	unknown_settings(n, r, value_getc(n->settings, "check"), check_keys, "check setting", d);
	unknown_settings(n, r, value_getc(n->settings, "teaser"), teaser_keys, "teaser setting", d);
	unknown_settings(n, r, value_getc(n->settings, "strings"), strings_names(), "word", d);
	unknown_settings(n, r, value_getc(n->settings, "email"), email_keys, "email setting", d);
	validate_settings_errors(n, d);
}

/* lookback: a list of whole numbers of issues, each at least 1. */
static void lookback_rule(const struct newsletter *n, diag_list *d)
{
	const value *lb = value_getc(n->settings, "lookback");
	if (lb && lb->kind != VALUE_LIST) {
		diag_add(d, DIAG_ERROR, n->settings_path, lb->line, lb->col, "settings",
			 "'lookback' must be a list of numbers of issues, such as [50, 100]");
		return;
	}
	for (size_t i = 0; i < value_len(lb); i++) {
		const value *v = value_at(lb, i);
		if (v->kind != VALUE_NUMBER || v->u.number < 1 || v->u.number > 1e9 ||
		    v->u.number != (double)(long)v->u.number || i >= ARCHIVE_MAX_LOOKBACK)
			diag_add(d, DIAG_ERROR, n->settings_path, v->line, v->col, "settings",
				 i >= ARCHIVE_MAX_LOOKBACK ? "'lookback' takes at most %d numbers"
				 : "'lookback' takes whole numbers of issues from 1 up",
				 ARCHIVE_MAX_LOOKBACK);
	}
}

void validate_settings_errors(const struct newsletter *n, diag_list *d)
{
	const value *check = value_getc(n->settings, "check");
	if (check && check->kind != VALUE_MAP)
		diag_add(d, DIAG_ERROR, n->settings_path, check->line, check->col, "settings",
			 "'check' must be a mapping (allow_repeats, issue_keys)");
	string_list_rule(n, "allow_repeats", "URLs", d); /* nothing when not a map */
	string_list_rule(n, "issue_keys", "keys", d);
	lookback_rule(n, d);
	seasons_validate(n, d);
	topics_check_settings(n, d);
	struct src_file s = { n->settings_path, NULL, 0, NULL, 0 };
	source_rules(&s, n->settings, 0, d);
	free(s.read);
}

/* --- the archive ---------------------------------------------------------- */

static int allowed_repeat(const struct newsletter *n, const char *key)
{
	const value *allow = value_path(n->settings, "check.allow_repeats");
	for (size_t i = 0; i < value_len(allow); i++) {
		const char *pat = value_str(value_at(allow, i));
		size_t len = pat ? strlen(pat) : 0;
		if (!len)
			continue;
		char *stem = xstrndup(pat, pat[len - 1] == '*' ? len - 1 : len);
		char *pk = ledger_key(stem);
		int match = pat[len - 1] == '*' ? strncmp(key, pk, strlen(pk)) == 0
			: strcmp(key, pk) == 0;
		free(pk);
		free(stem);
		if (match)
			return 1;
	}
	return 0;
}

static const struct ledger_entry *featured_before(const struct ledger *archive,
						   const char *key, long number)
{
	for (const struct ledger_entry *e = ledger_first_key(archive, key); e;
	     e = ledger_next(archive, e))
		if (e->kind == LEDGER_ITEM && (number < 0 || e->issue < number))
			return e;
	return NULL;
}

void validate_featured(const struct newsletter *nl, const struct ledger_entry *links,
		       size_t n, long number, const struct ledger *archive, diag_list *d)
{
	for (size_t i = 0; i < n; i++) {
		const struct ledger_entry *l = &links[i];
		if (l->kind != LEDGER_ITEM || blank(l->url))
			continue;
		char *key = l->key ? NULL : ledger_key(l->url);
		const char *k = l->key ? l->key : key;
		const struct ledger_entry *e = featured_before(archive, k, number);
		if (e && !allowed_repeat(nl, k)) {
			char *q = quoted(l->url);
			diag_add(d, DIAG_WARNING, l->file, l->line, l->col, "featured",
				 "'%s' was already featured in issue %ld (%s:%d)", q, e->issue,
				 e->file ? e->file : "?", e->line);
			free(q);
		}
		free(key);
	}
}

void validate_twin(const char *path, long number, const char *other, diag_list *d)
{
	diag_add(d, DIAG_ERROR, path, 0, 0, "file", "issue %ld also has the file '%s'", number, other);
}

/* --- the archive as a whole ------------------------------------------------ */

/* The line of path's front matter that says 'date:' (1 when none does). */
static int date_line(const char *path)
{
	char *text;
	size_t len;
	int line = 1, found = 0;
	if (fs_read(path, &text, &len) < 0)
		return 1;
	for (const char *s = text, *end = text + len; s < end && !found; line++) {
		found = end - s > 5 && memcmp(s, "date:", 5) == 0;
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		s = nl ? nl + 1 : end;
		if (found)
			line--;
	}
	free(text);
	return found ? line : 1;
}

/* Each issue dated before the one numbered before it: a warning at its
 * date. Drafts count too: a draft dated wrong is published so. */
static void date_order(const struct archive *a, diag_list *d)
{
	const struct archive_issue *prev = NULL;
	for (size_t i = 0; i < a->len; i++) {
		const struct archive_issue *is = &a->issues[i];
		if (!is->date[0])
			continue;
		if (prev && strcmp(is->date, prev->date) < 0) {
			char *path = archive_source_path(a, i);
			diag_add(d, DIAG_WARNING, path, date_line(path), 1, "date-order",
				 "issue %ld is dated %s, before issue %ld (%s): the dates go "
				 "backwards or the numbers are out of order", is->number, is->date,
				 prev->number, prev->date);
			free(path);
		}
		prev = is;
	}
}

/* The number path's front matter gives, or -1. */
static long front_number(const struct newsletter *n, const char *path)
{
	diag_list d = DIAG_LIST_INIT;
	int syserr = 0;
	struct issue *is = issue_load(n, path, &d, &syserr);
	long number = is ? is->number : -1;
	issue_free(is);
	diag_release(&d);
	return number;
}

/* Whether name starts with a date (2024-03-09-weekly.md). */
static int dated_name(const char *name)
{
	return strlen(name) >= 10 && digits(name, 4) && name[4] == '-' && digits(name + 5, 2) &&
		name[7] == '-' && digits(name + 8, 2);
}

/* Markdown files in issues/ named by date are not issues: say so, and how
 * issue files are named. */
static void dated_files(const struct newsletter *n, diag_list *d)
{
	char *dir = fs_join(n->root, "issues");
	DIR *dp = opendir(dir);
	struct dirent *e;
	while (dp && (e = readdir(dp))) {
		size_t len = strlen(e->d_name);
		if (len < 4 || strcmp(e->d_name + len - 3, ".md") != 0 || !dated_name(e->d_name))
			continue;
		char *path = fs_join(dir, e->d_name);
		long number = front_number(n, path);
		char *name = number > 0 ? xasprintf("rename it %03ld.md (or %03ld-some-words.md)",
						    number, number)
			: xstrdup("as 040.md (or 040-some-words.md) for issue 40");
		diag_add(d, DIAG_ERROR, path, 1, 1, "file-name",
			 "'%s' is named by a date and is not read: issue files are named by the "
			 "issue's number; %s", e->d_name, name);
		free(name);
		free(path);
	}
	if (dp)
		closedir(dp);
	free(dir);
}

void validate_archive(const struct newsletter *n, const struct archive *a, diag_list *d)
{
	date_order(a, d);
	dated_files(n, d);
}
