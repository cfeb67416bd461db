/* validate_settings.c - the rules over what a run reads once: the settings
 * of newsletter.yaml and the archive as a whole (repeated links, twin
 * files, files named by date, dates going backwards). */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/archive.h"
#include "weekly/fsutil.h"
#include "weekly/render.h"
#include "weekly/seasons.h"
#include "weekly/strings.h"
#include "weekly/topics.h"
#include "weekly/util.h"
#include "weekly/validate.h"
#include "validate_int.h"
#include "build.h"

/* s as a message quotes it. */
static char *quoted(const char *s)
{
	return util_quoted(s, strlen(s));
}

/* --- the settings ---------------------------------------------------------- */

static void string_list_rule(const struct newsletter *n, const char *key, const char *what,
			     diag_list *d)
{
	const value *v = value_getc(value_getc(n->settings, "check"), key);
	int ok = !v || value_type(v) == VALUE_LIST;
	for (size_t i = 0; ok && i < value_len(v); i++)
		ok = value_str(value_at(v, i)) != NULL;
	if (!ok)
		diag_add(d, DIAG_ERROR, n->settings_path, value_line(v), value_col(v), "settings",
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
	for (size_t i = 0; map && value_type(map) == VALUE_MAP && i < value_len(map); i++) {
		const struct value_entry *e = value_entry_at(map, i);
		if (util_in_names(names, e->key, e->keylen) ||
		    template_reads(r, e->key, e->keylen) || validate_html_key(e))
			continue; /* validate_trust refuses HTML */
		const char *s = validate_nearest(e->key, names, count_names(names));
		const value *v = e->val;
		int col = value_type(v) != VALUE_MAP && value_type(v) != VALUE_LIST &&
			value_col(v) > (int)e->keylen + 2 ? value_col(v) - (int)e->keylen - 2 : 1;
		char *q = quoted(e->key);
		diag_add(d, DIAG_WARNING, n->settings_path, value_line(v), col, "unknown-key",
			 "unknown %s '%s'%s%s%s", what, q, s ? "; did you mean '" : "",
			 s ? s : "", s ? "'?" : "");
		free(q);
	}
}

/* A page the settings ask for that the templates cannot make: key set,
 * none of its templates there (build then makes no such page, and says
 * nothing). */
static void page_template_rule(const struct newsletter *n, const struct renderer *r,
			       const char *key, const char *page, const char *const *names,
			       size_t nnames, diag_list *d)
{
	const value *v = value_getc(n->settings, key);
	if (!r || !v ||
	    (value_type(v) != VALUE_LIST && !value_truthy(v))) /* an empty list asks too */
		return;
	for (size_t i = 0; i < nnames; i++)
		if (renderer_has(r, names[i]))
			return;
	diag_add(d, DIAG_WARNING, n->settings_path, value_line(v), value_col(v), "settings",
		 "'%s' asks for %s, but templates/%s is missing: none is built", key, page,
		 names[0]);
}

void validate_settings(const struct newsletter *n, struct renderer *r, diag_list *d)
{
	static const char *const search[] = { SEARCH_TEMPLATE };
	page_template_rule(n, r, "search", "a search page", search, 1, d);
	page_template_rule(n, r, "seasons", "season pages", season_templates, SEASON_FORMATS, d);
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
	if (lb && value_type(lb) != VALUE_LIST) {
		diag_add(d, DIAG_ERROR, n->settings_path, value_line(lb), value_col(lb), "settings",
			 "'lookback' must be a list of numbers of issues, such as [50, 100]");
		return;
	}
	for (size_t i = 0; i < value_len(lb); i++) {
		const value *v = value_at(lb, i);
		if (value_type(v) != VALUE_NUMBER || value_num(v) < 1 || value_num(v) > 1e9 ||
		    value_num(v) != (double)(long)value_num(v) || i >= ARCHIVE_MAX_LOOKBACK)
			diag_add(d, DIAG_ERROR, n->settings_path, value_line(v), value_col(v),
				 "settings",
				 i >= ARCHIVE_MAX_LOOKBACK
					 ? "'lookback' takes at most %d numbers"
					 : "'lookback' takes whole numbers of issues from 1 up",
				 ARCHIVE_MAX_LOOKBACK);
	}
}

void validate_settings_errors(const struct newsletter *n, diag_list *d)
{
	const value *check = value_getc(n->settings, "check");
	if (check && value_type(check) != VALUE_MAP)
		diag_add(d, DIAG_ERROR, n->settings_path, value_line(check), value_col(check),
			 "settings", "'check' must be a mapping (allow_repeats, issue_keys)");
	string_list_rule(n, "allow_repeats", "URLs", d); /* nothing when not a map */
	string_list_rule(n, "issue_keys", "keys", d);
	lookback_rule(n, d);
	seasons_validate(n, d);
	topics_check_settings(n, d);
	validate_trust(n->settings_path, NULL, 0, n->settings, d);
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
		if (l->kind != LEDGER_ITEM || validate_blank(l->url))
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
	diag_add(d, DIAG_ERROR, path, 0, 0, "file", "issue %ld also has the file '%s'", number,
		 other);
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
	static const char shape[] = "dddd-dd-dd";
	for (int i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)name[i]) : name[i] != '-')
			return 0;
	return 1;
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
