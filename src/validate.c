/* validate.c - the rules over a parsed issue: front matter, sections, items,
 * links and text. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "weekly/text.h"
#include "weekly/util.h"
#include "weekly/validate.h"

#define SHOW 100 /* the most of a URL or title a message quotes, in bytes */

struct ctx {
	const struct newsletter *n;
	const struct issue *is;
	diag_list *d;
	diag_severity unfinished; /* what an incomplete issue is: a draft may be */
};

/* s as a message quotes it, in a fresh string: at most SHOW bytes (whole
 * characters, then "…"), control characters shown as '?' so that no text
 * of an issue can steer a terminal. */
static char *quoted(const char *s)
{
	size_t n = strnlen(s, SHOW + 1), cut = n;
	if (n > SHOW)
		for (cut = SHOW; cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80; cut--)
			;
	char *q = xmalloc(cut + sizeof "…");
	for (size_t i = 0; i < cut; i++)
		q[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7F ? '?' : s[i];
	memcpy(q + cut, n > SHOW ? "…" : "", n > SHOW ? sizeof "…" : 1);
	return q;
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

static const char *kind_name(value_kind k)
{
	return k == VALUE_LIST ? "a list" : k == VALUE_MAP ? "a mapping" : "a single value";
}

static int is_container(value_kind k)
{
	return k == VALUE_LIST || k == VALUE_MAP;
}

/* A key the settings also have overrides them: it must be the same shape. */
static void override_rule(struct ctx *c, const struct value_entry *e, const value *setting)
{
	value_kind want = setting->kind, got = e->val->kind;
	if (want == got || (!is_container(want) && !is_container(got)))
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

/* Edit distance of a and b, or a large number when over 2 or too long. */
static size_t distance(const char *a, size_t an, const char *b, size_t bn)
{
	size_t row[33];
	if (an > 32 || bn > 32)
		return 99;
	for (size_t j = 0; j <= bn; j++)
		row[j] = j;
	for (size_t i = 1; i <= an; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= bn; j++) {
			size_t up = row[j];
			size_t sub = diag + (tolower((unsigned char)a[i - 1]) !=
					     tolower((unsigned char)b[j - 1]));
			size_t best = up + 1 < row[j - 1] + 1 ? up + 1 : row[j - 1] + 1;
			row[j] = sub < best ? sub : best;
			diag = up;
		}
	}
	return row[bn];
}

static const char *const issue_keys[] = { "number", "date", "title", "draft", NULL };

/* The known key closest to key (two edits at most), or NULL. */
static const char *suggest(const struct ctx *c, const char *key, size_t len)
{
	const char *best = NULL;
	size_t bd = len > 3 ? 3 : 2;
	for (const char *const *k = issue_keys; *k; k++) {
		size_t dist = distance(key, len, *k, strlen(*k));
		if (dist < bd)
			best = *k, bd = dist;
	}
	for (size_t i = 0; i < value_len(c->n->settings); i++) {
		const struct value_entry *e = value_entry_at(c->n->settings, i);
		size_t dist = distance(key, len, e->key, e->keylen);
		if (dist < bd)
			best = e->key, bd = dist;
	}
	return best;
}

static void unknown_key(struct ctx *c, const struct value_entry *e)
{
	const value *extra = value_path(c->n->settings, "check.issue_keys");
	if (in_list(extra, e->key, e->keylen))
		return;
	const char *s = suggest(c, e->key, e->keylen);
	char *q = quoted(e->key);
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
	else if (key_is(e, "title") && is_container(v->kind))
		diag_add(c->d, DIAG_ERROR, c->is->path, v->line, v->col, "front-matter",
			 "'title' must be a single value");
	for (const char *const *k = issue_keys; *k; k++)
		if (key_is(e, *k))
			return 1;
	return 0;
}

static void key_rules(struct ctx *c)
{
	const value *front = c->is->front;
	for (size_t i = 0; i < value_len(front); i++) {
		const struct value_entry *e = value_entry_at(front, i);
		const value *setting = value_get(c->n->settings, e->key, e->keylen);
		if (issue_key_rule(c, e))
			continue;
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
	for (const char *const *e = ends; *e; e++) {
		size_t m = strlen(*e);
		if (n >= m && strncasecmp(k + n - m, *e, m) == 0)
			return 1;
	}
	return 0;
}

/* Strings under such keys, at any depth, must be web, mail or relative
 * addresses: never javascript:, data: and the like. */
static void front_urls(struct ctx *c, const value *v, int urlish)
{
	if (v->kind == VALUE_STRING && urlish && !util_url_safe(v->u.str.s)) {
		char *q = quoted(v->u.str.s);
		diag_add(c->d, DIAG_ERROR, c->is->path, v->line, v->col, "url",
			 "URL '%s' is not http or https", q);
		free(q);
	}
	for (size_t i = 0; i < value_len(v); i++) {
		const struct value_entry *e = value_entry_at(v, i);
		if (e)
			front_urls(c, e->val, url_key(e->key, e->keylen));
		else
			front_urls(c, value_at(v, i), urlish);
	}
}

static void front_rules(struct ctx *c, long file_number)
{
	if (!c->is->front && front_reported(c))
		return;
	number_rule(c, file_number);
	date_rule(c);
	key_rules(c);
	if (c->is->front)
		front_urls(c, c->is->front, 0);
}

/* --- sections ----------------------------------------------------------- */

static const char *conf_title(const struct ctx *c, long conf)
{
	return c->n->sections[conf].title;
}

static int last_line(const struct issue *is)
{
	int n = 1;
	for (const char *p = is->text; (p = memchr(p, '\n', is->len - (size_t)(p - is->text)));) {
		p++;
		if ((size_t)(p - is->text) < is->len)
			n++;
	}
	return n;
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
		if (s->nitems == 0)
			diag_add(c->d, c->unfinished, c->is->path, s->line, s->col, "empty-section",
				 "section '%s' has no items", conf_title(c, s->conf));
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
	for (size_t k = 0; k < nconf; k++) {
		if (!first[k] && c->n->sections[k].required)
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

static int is_item_link(const struct issue *is, const struct link *l)
{
	if (l->image || l->section < 0 || l->item < 0)
		return 0;
	const struct item *it = &is->sections[l->section].items[l->item];
	return it->line == l->line && it->col == l->col;
}

/* Items and images must be on the web; other links may also be mailto:. */
static void url_rule(struct ctx *c, const struct link *l)
{
	const char *u = l->url;
	int web = has_scheme(u, "http://") || has_scheme(u, "https://");
	const char *problem = NULL;
	if (blank(u)) {
		diag_add(c->d, DIAG_ERROR, c->is->path, l->line, l->col, "url", "empty URL");
		return;
	}
	if (!web && !(has_scheme(u, "mailto:") && !l->image && !is_item_link(c->is, l)))
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

void validate_issue(const struct newsletter *n, const struct issue *is,
		    long file_number, diag_list *d)
{
	int draft = value_truthy(value_getc(is->front, "draft"));
	struct ctx c = { n, is, d, draft ? DIAG_WARNING : DIAG_ERROR };
	front_rules(&c, file_number);
	if (!is->unread) /* its sections are not known */
		section_rules(&c);
	items_rules(&c);
	link_rules(&c);
	text_check(is->path, is->text, is->len, d);
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

void validate_settings(const struct newsletter *n, diag_list *d)
{
	const value *check = value_getc(n->settings, "check");
	if (check && check->kind != VALUE_MAP) {
		diag_add(d, DIAG_ERROR, n->settings_path, check->line, check->col, "settings",
			 "'check' must be a mapping (allow_repeats, issue_keys)");
		return;
	}
	string_list_rule(n, "allow_repeats", "URLs", d);
	string_list_rule(n, "issue_keys", "keys", d);
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
