/* config.c - find the newsletter, read issues/newsletter.yaml, list issues. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/config.h"
#include "weekly/fsutil.h"
#include "weekly/markdown.h"
#include "weekly/util.h"
#include "weekly/yaml.h"

#define SETTINGS "issues/newsletter.yaml"

const char *const settings_keys[] = {
	"name", "language", "description", "url", "archive_url", "sections", "intro_md",
	"original_url", "translation_note_md", "subscribe_md", "footer", "teaser", "check",
	"link_cache", "user_agent", "email", "eras", "strings", "link_per_host", "github_api",
	"pypi_api", "language_notes", "wayback_api", "dead_links", "search", "editions", "lookback",
	"image", "seasons", "topics", NULL };
const char *const section_keys[] = {
	"id", "title", "aliases", "required", "min_items", "max_items", "after_md", "noun",
	"noun_one", "occasional", NULL };
const char *const check_keys[] = { "allow_repeats", "issue_keys", NULL };
const char *const email_keys[] = {
	"from", "reply_to", "list_unsubscribe", "smtp_url", "smtp_user", "smtp_password",
	"smtp_ca_file", NULL };
const char *const issue_keys[] = { "number", "date", "title", "draft", "updated", "image",
				    "description", "without", "tags", "titles_only",
				    "sections_as_written", NULL };
const char *const teaser_keys[] = {
	"heading_url", "intro_md", "subscribe_md", "outro_md", "links", "after_links_md", NULL };

static char *find_root(const char *dir)
{
	char *root = xstrdup(dir);
	for (int up = 0; up < 64; up++) {
		char *p = fs_join(root, SETTINGS);
		int found = fs_exists(p);
		free(p);
		if (found)
			return root;
		char *parent = strcmp(root, ".") == 0 ? xstrdup("..") : fs_join(root, "..");
		free(root);
		root = parent;
	}
	free(root);
	return NULL;
}

static const char *str_or(const value *v, const char *fallback)
{
	const char *s = value_str(v);
	return s ? s : fallback;
}

/* A number setting as a long: NaN is no number, and values past what a
 * long holds are clamped (converting them would be undefined). */
static long int_or(const value *v, long fallback)
{
	if (!v || value_type(v) != VALUE_NUMBER || isnan(value_num(v)))
		return fallback;
	double d = value_num(v);
	return d >= 1e15 ? 1000000000000000L : d <= -1e15 ? -1000000000000000L : (long)d;
}

static int read_section(struct newsletter *n, const value *s, diag_list *d)
{
	const char *id = value_str(value_getc(s, "id"));
	if (!id) {
		diag_add(d, DIAG_ERROR, n->settings_path, value_line(s), value_col(s), "settings",
			 "a section needs an 'id'");
		return -1;
	}
	for (size_t i = 0; i < n->nsections; i++)
		if (strcmp(n->sections[i].id, id) == 0) {
			const value *v = value_getc(s, "id");
			diag_add(d, DIAG_ERROR, n->settings_path, value_line(v), value_col(v),
				 "settings", "section id '%s' is used twice; first at line %d", id,
				 value_line(value_getc(n->sections[i].conf, "id")));
			return -1;
		}
	struct section_conf *c = &n->sections[n->nsections++];
	c->id = id;
	c->title = str_or(value_getc(s, "title"), id);
	c->conf = s;
	c->aliases = value_getc(s, "aliases");
	c->required = value_truthy(value_getc(s, "required"));
	c->min_items = int_or(value_getc(s, "min_items"), -1);
	c->max_items = int_or(value_getc(s, "max_items"), -1);
	return 0;
}

/* An era's 'from' or 'until': absent, or an issue number. */
static int era_bound(const struct newsletter *n, const value *era, const char *key, diag_list *d)
{
	const value *v = value_getc(era, key);
	if (!v || (value_type(v) == VALUE_NUMBER && value_num(v) >= 1 && value_num(v) < 1e15))
		return 0;
	diag_add(d, DIAG_ERROR, n->settings_path, value_line(v), value_col(v), "settings",
		 "an era's '%s' is an issue number", key);
	return -1;
}

/* eras: a list of maps, each with 'from' or 'until' (or both). */
static int read_eras(const struct newsletter *n, diag_list *d)
{
	const value *eras = value_getc(n->settings, "eras");
	int rc = 0;
	if (!eras)
		return 0;
	if (value_type(eras) != VALUE_LIST) {
		diag_add(d, DIAG_ERROR, n->settings_path, value_line(eras), value_col(eras),
			 "settings", "'eras' is a list of settings, each with 'from' or 'until' "
			 "an issue number");
		return -1;
	}
	for (size_t i = 0; i < value_len(eras); i++) {
		const value *e = value_at(eras, i);
		if (value_type(e) != VALUE_MAP ||
		    (!value_getc(e, "from") && !value_getc(e, "until"))) {
			diag_add(d, DIAG_ERROR, n->settings_path, value_line(e), value_col(e),
				 "settings",
				 "an era needs 'from' or 'until': the issue numbers it holds");
			rc = -1;
		} else if (era_bound(n, e, "from", d) < 0 || era_bound(n, e, "until", d) < 0) {
			rc = -1;
		}
	}
	return rc;
}

long newsletter_eras(const struct newsletter *n, long number, const value **out, long max)
{
	const value *eras = value_getc(n->settings, "eras");
	long count = 0;
	for (size_t i = 0; i < value_len(eras) && count < max; i++) {
		const value *e = value_at(eras, i);
		long from = int_or(value_getc(e, "from"), 1);
		long until = int_or(value_getc(e, "until"), LONG_MAX);
		if (value_type(e) == VALUE_MAP && number >= from && number <= until)
			out[count++] = e;
	}
	return count;
}

static int read_settings(struct newsletter *n, diag_list *d)
{
	const value *secs = value_getc(n->settings, "sections");
	if (value_type(n->settings) != VALUE_MAP || !secs || value_type(secs) != VALUE_LIST ||
	    value_len(secs) == 0) {
		diag_add(d, DIAG_ERROR, n->settings_path, 1, 1, "settings",
			 "settings need a 'sections' list");
		return -1;
	}
	n->sections = xcalloc(value_len(secs), sizeof(struct section_conf));
	int rc = 0;
	for (size_t i = 0; i < value_len(secs); i++)
		if (read_section(n, value_at(secs, i), d) < 0)
			rc = -1;
	return read_eras(n, d) < 0 ? -1 : rc;
}

/* The settings of n read from their text. */
static int settings_from_text(struct newsletter *n, const char *text, size_t len, diag_list *d)
{
	n->settings = yaml_load(text, len, n->settings_path, 0, d);
	if (!n->settings)
		return -1;
	size_t errors = d->errors;
	markdown_check_tree(n->settings, n->settings_path, d);
	return d->errors > errors ? -1 : read_settings(n, d);
}

int newsletter_load(const char *dir, struct newsletter *n, diag_list *d)
{
	memset(n, 0, sizeof(*n));
	n->root = find_root(dir ? dir : ".");
	if (!n->root) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL,
			 "no newsletter here: no %s in this folder or above", SETTINGS);
		return -1;
	}
	n->settings_path = fs_join(n->root, SETTINGS);
	char *text;
	size_t len;
	if (fs_read(n->settings_path, &text, &len) < 0) {
		diag_add(d, DIAG_ERROR, n->settings_path, 0, 0, NULL,
			 "cannot read: %s", strerror(errno));
		return -1;
	}
	int rc = settings_from_text(n, text, len, d);
	free(text);
	return rc;
}


void newsletter_release(struct newsletter *n)
{
	free(n->root);
	free(n->settings_path);
	value_free(n->settings);
	free(n->sections);
	memset(n, 0, sizeof(*n));
}

/* Length of the emoji and symbols a title starts with (🦄, 🐿️, ✨…). */
static size_t symbols_len(const char *s, size_t len)
{
	size_t i = 0, n;
	unsigned long cp;
	while ((n = util_utf8_decode(s + i, len - i, &cp)) > 0 &&
	       ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x1F000 && cp <= 0x1FAFF) ||
		(cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0000 && cp <= 0xE007F) || cp == ' '))
		i += n;
	return i;
}

static int names(const char *h, size_t hlen, const char *name)
{
	if (!name)
		return 0;
	if (util_ieq(h, hlen, name))
		return 1;
	size_t hs = symbols_len(h, hlen), ns = symbols_len(name, strlen(name));
	return util_ieq(h + hs, hlen - hs, name + ns);
}

long newsletter_section(const struct newsletter *n, const char *heading, size_t len)
{
	for (size_t i = 0; i < n->nsections; i++) {
		const struct section_conf *c = &n->sections[i];
		if (names(heading, len, c->title) || names(heading, len, c->id))
			return (long)i;
		for (size_t j = 0; j < value_len(c->aliases); j++)
			if (names(heading, len, value_str(value_at(c->aliases, j))))
				return (long)i;
	}
	return -1;
}

const char *newsletter_section_near(const struct newsletter *n, const char *heading)
{
	const char **names = NULL;
	size_t *owner = NULL, count = 0, cap = 0, ocap = 0;
	for (size_t i = 0; i < n->nsections; i++) {
		const struct section_conf *c = &n->sections[i];
		size_t na = value_len(c->aliases);
		xgrow((void **)&names, &cap, count + 2 + na, sizeof *names);
		xgrow((void **)&owner, &ocap, count + 2 + na, sizeof *owner);
		names[count] = c->title, owner[count++] = i;
		names[count] = c->id, owner[count++] = i;
		for (size_t j = 0; j < na; j++)
			if (value_str(value_at(c->aliases, j)))
				names[count] = value_str(value_at(c->aliases, j)), owner[count++] = i;
	}
	long k = -1;
	for (size_t i = 0; i < count && k < 0; i++)
		if (util_name_eq(heading, names[i]))
			k = (long)i;
	if (k < 0)
		k = util_closest(heading, names, count);
	const char *title = k < 0 ? NULL : n->sections[owner[k]].title;
	free(names);
	free(owner);
	return title;
}

long issue_file_number(const char *name, size_t *digits)
{
	size_t i = 0;
	while (name[i] >= '0' && name[i] <= '9')
		i++;
	const char *rest = name + i;
	size_t rl = strlen(rest);
	if (i == 0 || i > 9 || (i == 4 && strspn(rest, "-0123456789") >= 6))
		return -1; /* 2024-03-09-weekly.md is named by a date, not a number */
	if (strcmp(rest, ".md") != 0 &&
	    (rest[0] != '-' || rl < 5 || strcmp(rest + rl - 3, ".md") != 0))
		return -1;
	if (digits)
		*digits = i;
	return strtol(name, NULL, 10);
}

const struct issue_file *issue_files_find(const struct issue_file *files, size_t count,
					  long number)
{
	for (size_t i = 0; i < count; i++)
		if (files[i].number == number)
			return &files[i];
	return NULL;
}

static int by_number(const void *a, const void *b)
{
	const struct issue_file *x = a, *y = b;
	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	return strcmp(x->path, y->path);
}

int issue_files_list(const struct newsletter *n, struct issue_file **out, size_t *count)
{
	char *dir = fs_join(n->root, "issues");
	DIR *dp = opendir(dir);
	if (!dp) {
		free(dir);
		return -1;
	}
	struct issue_file *f = NULL;
	size_t len = 0, cap = 0, digits;
	struct dirent *e;
	while ((e = readdir(dp))) {
		long num = issue_file_number(e->d_name, &digits);
		if (num < 0)
			continue;
		xgrow((void **)&f, &cap, len + 1, sizeof(*f));
		f[len++] = (struct issue_file){ fs_join(dir, e->d_name),
			xstrndup(e->d_name, digits), num };
	}
	closedir(dp);
	free(dir);
	if (len)
		qsort(f, len, sizeof(*f), by_number);
	*out = f;
	*count = len;
	return 0;
}

void issue_files_free(struct issue_file *f, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(f[i].path);
		free(f[i].stem);
	}
	free(f);
}
