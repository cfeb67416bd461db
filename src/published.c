/* published.c - an issue as published: lines and head (see published.h). */
#include <stdlib.h>
#include <string.h>
#include "weekly/published.h"
#include "weekly/util.h"
#include "weekly/yaml.h"

/* --- documents ---------------------------------------------------------- */

void doc_init(struct doc *d, const char *path, const char *s, size_t len)
{
	d->path = path;
	src_init(&d->src, s, len);
}

void doc_release(struct doc *d)
{
	src_release(&d->src);
}

size_t doc_at(const struct doc *d, size_t i)
{
	return src_at(&d->src, i);
}

const char *doc_line(const struct doc *d, size_t i, size_t *len)
{
	return src_line(&d->src, i, len);
}

int doc_blank(const struct doc *d, size_t i)
{
	size_t len;
	const char *l = doc_line(d, i, &len);
	for (size_t k = 0; k < len; k++)
		if (l[k] != ' ' && l[k] != '\t')
			return 0;
	return 1;
}

int doc_fence(const struct doc *d, size_t i)
{
	size_t len, k = 0;
	const char *l = doc_line(d, i, &len);
	while (k < len && k < 3 && l[k] == ' ')
		k++;
	return len - k >= 3 && (memcmp(l + k, "```", 3) == 0 || memcmp(l + k, "~~~", 3) == 0);
}

/* --- titles ------------------------------------------------------------- */

#define FULL_COLON "\xEF\xBC\x9A"   /* ： */
#define FULL_OPEN "\xEF\xBC\x88"    /* （ */
#define FULL_CLOSE "\xEF\xBC\x89"   /* ） */

static int is_space(char c) { return c == ' ' || c == '\t'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

static void trim(const char **s, size_t *len)
{
	while (*len && is_space(**s))
		(*s)++, (*len)--;
	while (*len && is_space((*s)[*len - 1]))
		(*len)--;
}

static int starts(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && memcmp(s, prefix, n) == 0;
}

/* A valid YYYY-MM-DD at s, or NULL; the caller frees it. */
static char *date_at(const char *s, size_t len)
{
	if (len < 10)
		return NULL;
	char *d = xstrndup(s, 10);
	if (util_is_date(d))
		return d;
	free(d);
	return NULL;
}

/* "(YYYY-MM-DD)" or "（YYYY-MM-DD）" ending s: its date, *len shortened. */
static char *trailing_date(const char *s, size_t *len)
{
	static const char *const open[] = { "(", FULL_OPEN }, *const close[] = { ")", FULL_CLOSE };
	for (int k = 0; k < 2; k++) {
		size_t o = strlen(open[k]), c = strlen(close[k]);
		if (*len < o + 10 + c || memcmp(s + *len - c, close[k], c) != 0 ||
		    memcmp(s + *len - c - 10 - o, open[k], o) != 0)
			continue;
		char *d = date_at(s + *len - c - 10, 10);
		if (d) {
			*len -= o + 10 + c;
			return d;
		}
	}
	return NULL;
}

/* Where the issue number's digits start in s: after the first '#' that
 * digits follow, else the first run of digits standing alone (a space
 * before, the end, a space or a colon after) before any colon. */
static size_t number_start(const char *s, size_t len, size_t *end)
{
	for (size_t i = 0; i + 1 < len; i++)
		if (s[i] == '#' && is_digit(s[i + 1])) {
			for (*end = i + 1; *end < len && is_digit(s[*end]); (*end)++)
				;
			return i + 1;
		}
	for (size_t i = 1; i < len && s[i] != ':' && !starts(s + i, len - i, FULL_COLON); i++) {
		if (!is_digit(s[i]) || !is_space(s[i - 1]))
			continue;
		size_t k = i;
		while (k < len && is_digit(s[k]))
			k++;
		if (k == len || is_space(s[k]) || s[k] == ':' || starts(s + k, len - k, FULL_COLON)) {
			*end = k;
			return i;
		}
		i = k;
	}
	return 0;
}

static char *text_or_null(const char *s, size_t len)
{
	trim(&s, &len);
	return len ? xstrndup(s, len) : NULL;
}

/* Read a title "NAME #N[: THEME] [(YYYY-MM-DD)]": the number is the first
 * "#digits" (or, without one, digits standing alone before the theme or
 * the date), the theme follows ":" or "：", and the date may be written in
 * ASCII or full-width parentheses. Returns 0, or -1 when s has no number
 * (h is then left empty). */
static int read_title(const char *s, size_t len, struct pub_head *h)
{
	size_t end = 0;
	trim(&s, &len);
	char *date = trailing_date(s, &len);
	trim(&s, &len);
	size_t start = number_start(s, len, &end);
	if (!start || end - start > 9 || (h->number = strtol(s + start, NULL, 10)) < 1) {
		h->number = 0;
		free(date);
		return -1;
	}
	h->name = text_or_null(s, s[start - 1] == '#' ? start - 1 : start);
	size_t k = end;
	while (k < len && is_space(s[k]))
		k++;
	if (k < len && s[k] == ':')
		k++;
	else if (starts(s + k, len - k, FULL_COLON))
		k += strlen(FULL_COLON);
	h->theme = text_or_null(s + k, len - k);
	h->date = date;
	return 0;
}

/* --- the head ----------------------------------------------------------- */

#define MAX_FRONT_LINES 200

static int front_error(const struct doc *d, int line, int col, diag_list *diag, const char *msg)
{
	diag_add(diag, DIAG_ERROR, d->path, line, col, "import", "%s", msg);
	return -1;
}

/* The front matter f, closed. */
static int front_head(const struct doc *d, const struct src_front *f, struct pub_head *h,
		      diag_list *diag)
{
	value *fm = yaml_load(f->yaml, f->len, d->path, 1, diag);
	if (!fm)
		return -1;
	int rc = 1;
	const char *title = value_str(value_getc(fm, "title"));
	const value *date = value_getc(fm, "pubDate");
	const value *num = value_getc(fm, "number");
	if (!date)
		date = value_getc(fm, "date");
	if (value_type(fm) != VALUE_MAP) {
		rc = front_error(d, 2, 1, diag, "the front matter is not a map of keys");
	} else if (title && read_title(title, strlen(title), h) < 0) {
		h->theme = text_or_null(title, strlen(title));
	}
	if (rc > 0 && date) {
		const char *s = value_str(date);
		size_t len = s ? strlen(s) : 0;
		free(h->date);
		h->date = len == 10 || (len > 10 && (s[10] == 'T' || s[10] == ' ')) ? date_at(s, len)
										: NULL;
		if (!h->date)
			rc = front_error(
				d, value_line(date) ? value_line(date) : 2,
				value_col(date) ? value_col(date) : 1, diag,
				"the front matter's date is not a date written YYYY-MM-DD");
	}
	if (rc > 0 && num && value_type(num) == VALUE_NUMBER && value_num(num) >= 1 &&
	    value_num(num) < 1e9)
		h->number = (long)value_num(num);
	h->front = 1;
	h->end = f->end + 1;
	value_free(fm);
	return rc;
}

int pub_head(const struct doc *d, struct pub_head *h, diag_list *diag)
{
	memset(h, 0, sizeof *h);
	struct src_front f = src_front(&d->src);
	if (f.kind == SRC_FRONT_CLOSED && f.end < MAX_FRONT_LINES)
		return front_head(d, &f, h, diag);
	if (f.kind != SRC_FRONT_NONE)
		return front_error(d, 1, 1, diag, "the front matter opened here is not closed with '---'");
	size_t i = 0, len;
	while (i < d->src.nlines && doc_blank(d, i))
		i++;
	if (i == d->src.nlines)
		return 0;
	const char *l = doc_line(d, i, &len);
	if (starts(l, len, "# "))
		l += 2, len -= 2;
	else if (starts(l, len, "#") || starts(l, len, "- ") || starts(l, len, "* "))
		return 0;
	if (read_title(l, len, h) < 0)
		return 0;
	h->end = i + 1;
	return 1;
}

void pub_head_release(struct pub_head *h)
{
	free(h->date);
	free(h->theme);
	free(h->name);
	memset(h, 0, sizeof *h);
}

char *pub_file_date(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strlen(base);
	char *d = date_at(base, len);
	if (d && len > 10 && base[10] != '-' && base[10] != '_' && base[10] != '.') {
		free(d);
		return NULL;
	}
	return d;
}
