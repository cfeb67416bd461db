/* harness.c - the example newsletter, a scratch folder and an HTML safety
 * check, shared by the fuzz targets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "weekly/diag.h"
#include "weekly/fsutil.h"
#include "weekly/util.h"
#include "weekly/yaml.h"
#include "harness.h"

/* Settings the example does not use, so that the rules reading them run. */
static const char check_settings[] =
	"allow_repeats: [\"https://github.com/*\", \"https://pythoncat.top\"]\n"
	"issue_keys: [cover, draft]\n";

struct newsletter *fuzz_newsletter(void)
{
	static struct newsletter n;
	static int loaded;
	if (loaded)
		return &n;
	diag_list d = DIAG_LIST_INIT;
	if (newsletter_load(FUZZ_ROOT, &n, &d) < 0) {
		diag_print(&d, stderr, DIAG_HUMAN, 0);
		exit(1);
	}
	if (!value_getc(n.settings, "check"))
		value_map_setc(n.settings, "check",
			       yaml_load(check_settings, sizeof check_settings - 1,
					 "check", 0, &d));
	diag_release(&d);
	loaded = 1;
	return &n;
}

static char scratch[64];

static void remove_scratch(void)
{
	char *issues = fs_join(scratch, "issues");
	char *settings = fs_join(issues, "newsletter.yaml");
	unlink(settings);
	rmdir(issues);
	rmdir(scratch);
	free(settings);
	free(issues);
}

const char *fuzz_scratch(void)
{
	if (scratch[0])
		return scratch;
	const char *tmp = getenv("TMPDIR");
	snprintf(scratch, sizeof scratch, "%s/weekly-fuzz.XXXXXX",
		 tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
	if (!mkdtemp(scratch)) {
		perror("mkdtemp");
		exit(1);
	}
	atexit(remove_scratch);
	return scratch;
}

/* --- HTML ----------------------------------------------------------------- */

static const char *const bad_tags[] = {
	"script", "iframe", "object", "embed", "svg", "math", "form", "base",
	"frame", "frameset", "applet", NULL
};
static const char *const url_attrs[] = {
	"href", "src", "action", "formaction", "poster", "background", "cite",
	"data", "codebase", "srcset", "ping", "xlink:href", NULL
};
/* Elements whose content is text up to their end tag. */
static const char *const text_tags[] = { "style", "title", "textarea", "xmp", NULL };

static int in_words(const char *s, size_t n, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == n && strncasecmp(s, *words, n) == 0)
			return 1;
	return 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static size_t find_ci(const char *s, size_t len, size_t from, const char *pat)
{
	size_t n = strlen(pat);
	for (size_t i = from; i + n <= len; i++)
		if (strncasecmp(s + i, pat, n) == 0)
			return i;
	return len;
}

/* One character reference at s (after '&'): its character, or -1. */
static long char_ref(const char *s, size_t n, size_t *used)
{
	static const struct { const char *name; char c; } named[] = {
		{ "colon;", ':' }, { "Tab;", '\t' }, { "NewLine;", '\n' },
		{ "amp;", '&' }, { "sol;", '/' }, { "lpar;", '(' },
	};
	for (size_t i = 0; i < sizeof named / sizeof *named; i++) {
		size_t k = strlen(named[i].name);
		if (n >= k && strncasecmp(s, named[i].name, k) == 0) {
			*used = k;
			return named[i].c;
		}
	}
	if (n < 2 || s[0] != '#')
		return -1;
	int hex = s[1] == 'x' || s[1] == 'X';
	size_t i = hex ? 2 : 1;
	long c = 0;
	for (; i < n && i < 12; i++) {
		char x = s[i];
		int d = x >= '0' && x <= '9' ? x - '0'
			: hex && x >= 'a' && x <= 'f' ? x - 'a' + 10
			: hex && x >= 'A' && x <= 'F' ? x - 'A' + 10 : -1;
		if (d < 0)
			break;
		c = c * (hex ? 16 : 10) + d;
	}
	if (i == (hex ? 2u : 1u))
		return -1;
	*used = i < n && s[i] == ';' ? i + 1 : i;
	return c;
}

/* Whether an attribute value is a URL with a scheme that runs or embeds. */
static int dangerous_url(const char *v, size_t n)
{
	char u[32];
	size_t k = 0;
	for (size_t i = 0; i < n && k < sizeof u - 1;) {
		long c = (unsigned char)v[i];
		size_t used = 1;
		if (c == '&') {
			long r = char_ref(v + i + 1, n - i - 1, &used);
			used = r < 0 ? 1 : used + 1;
			c = r < 0 ? '&' : r;
		}
		i += used;
		if (c == '\t' || c == '\n' || c == '\r' || (k == 0 && c <= ' '))
			continue;
		u[k++] = c > 127 ? '?' : (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	u[k] = '\0';
	return strncmp(u, "javascript:", 11) == 0 || strncmp(u, "vbscript:", 9) == 0 ||
	       strncmp(u, "data:", 5) == 0;
}

struct scan {
	const char *s;
	size_t len, i;
	const char *why;
	size_t at;
};

static int unsafe(struct scan *sc, const char *why, size_t at)
{
	sc->why = why;
	sc->at = at;
	return 1;
}

/* One attribute at sc->i; 1 when unsafe. */
static int attribute(struct scan *sc)
{
	const char *s = sc->s;
	size_t start = sc->i;
	while (sc->i < sc->len && !is_blank(s[sc->i]) && s[sc->i] != '=' &&
	       s[sc->i] != '>' && s[sc->i] != '/')
		sc->i++;
	size_t nlen = sc->i - start;
	if (nlen == 0) {
		sc->i++;
		return 0;
	}
	if (nlen > 2 && strncasecmp(s + start, "on", 2) == 0)
		return unsafe(sc, "an event handler attribute", start);
	if (in_words(s + start, nlen, (const char *const[]){ "http-equiv", NULL }))
		return unsafe(sc, "an http-equiv attribute", start);
	while (sc->i < sc->len && is_blank(s[sc->i]))
		sc->i++;
	if (sc->i >= sc->len || s[sc->i] != '=')
		return 0;
	sc->i++;
	while (sc->i < sc->len && is_blank(s[sc->i]))
		sc->i++;
	size_t vstart = sc->i, vend;
	if (sc->i < sc->len && (s[sc->i] == '"' || s[sc->i] == '\'')) {
		const char *q = memchr(s + sc->i + 1, s[sc->i], sc->len - sc->i - 1);
		vstart = sc->i + 1;
		vend = q ? (size_t)(q - s) : sc->len;
		sc->i = q ? vend + 1 : sc->len;
	} else {
		while (sc->i < sc->len && !is_blank(s[sc->i]) && s[sc->i] != '>')
			sc->i++;
		vend = sc->i;
	}
	if (in_words(s + start, nlen, url_attrs) && dangerous_url(s + vstart, vend - vstart))
		return unsafe(sc, "a javascript:, vbscript: or data: URL", vstart);
	return 0;
}

/* A start tag at sc->i (just past '<'); 1 when unsafe. */
static int start_tag(struct scan *sc)
{
	const char *s = sc->s;
	size_t start = sc->i;
	while (sc->i < sc->len && !is_blank(s[sc->i]) && s[sc->i] != '>' && s[sc->i] != '/')
		sc->i++;
	size_t nlen = sc->i - start;
	if (in_words(s + start, nlen, bad_tags))
		return unsafe(sc, "an element that runs or embeds content", start);
	while (sc->i < sc->len && s[sc->i] != '>')
		if (attribute(sc))
			return 1;
	if (in_words(s + start, nlen, text_tags)) {
		char end[16];
		snprintf(end, sizeof end, "</%.*s", (int)nlen, s + start);
		sc->i = find_ci(s, sc->len, sc->i, end);
	}
	return 0;
}

int fuzz_html_unsafe(const char *html, size_t len, const char **why, size_t *at)
{
	struct scan sc = { html, len, 0, NULL, 0 };
	while (sc.i < len) {
		const char *lt = memchr(html + sc.i, '<', len - sc.i);
		if (!lt)
			break;
		sc.i = (size_t)(lt - html) + 1;
		char c = sc.i < len ? html[sc.i] : '\0';
		if (c == '!' && sc.i + 2 < len && html[sc.i + 1] == '-' && html[sc.i + 2] == '-') {
			sc.i = find_ci(html, len, sc.i + 3, "-->");
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			if (start_tag(&sc)) {
				*why = sc.why;
				*at = sc.at;
				return 1;
			}
		}
	}
	return 0;
}

void fuzz_fail(const char *what, const char *text, size_t len, size_t at)
{
	size_t from = at > 80 ? at - 80 : 0, to = at + 80 < len ? at + 80 : len;
	fprintf(stderr, "fuzz: %s\n", what);
	if (text) {
		fputs("  near: ", stderr);
		for (size_t i = from; i < to; i++) {
			unsigned char c = (unsigned char)text[i];
			if (c >= 0x20 && c < 0x7f)
				fputc(c, stderr);
			else
				fprintf(stderr, "\\x%02x", c);
		}
		fputc('\n', stderr);
	}
	abort();
}

/* --- JSON ----------------------------------------------------------------- */

struct json {
	const char *s;
	size_t n, i;
	int depth;
};

static void json_blanks(struct json *j)
{
	while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' ||
			       j->s[j->i] == '\n' || j->s[j->i] == '\r'))
		j->i++;
}

static int json_word(struct json *j, const char *w)
{
	size_t k = strlen(w);
	if (j->n - j->i < k || memcmp(j->s + j->i, w, k) != 0)
		return 0;
	j->i += k;
	return 1;
}

/* Length of the UTF-8 sequence at s, or 0 when it is not valid UTF-8. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
		: s[0] >= 0xE0 && s[0] <= 0xEF ? 3 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
	if (!len || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
	    (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
		return 0;
	return len;
}

static int json_string(struct json *j)
{
	if (j->i >= j->n || j->s[j->i] != '"')
		return 0;
	for (j->i++; j->i < j->n;) {
		unsigned char c = (unsigned char)j->s[j->i];
		if (c == '"') {
			j->i++;
			return 1;
		}
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			char e = j->i + 1 < j->n ? j->s[j->i + 1] : '\0';
			if (e && strchr("\"\\/bfnrt", e)) {
				j->i += 2;
				continue;
			}
			if (e != 'u' || j->n - j->i < 6)
				return 0;
			for (size_t k = 2; k < 6; k++)
				if (!strchr("0123456789abcdefABCDEF", j->s[j->i + k]) || !j->s[j->i + k])
					return 0;
			j->i += 6;
			continue;
		}
		size_t k = utf8_len((const unsigned char *)j->s + j->i, j->n - j->i);
		if (!k)
			return 0;
		j->i += k;
	}
	return 0;
}

static int json_digits(struct json *j)
{
	size_t start = j->i;
	while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
		j->i++;
	return j->i > start;
}

static int json_number(struct json *j)
{
	if (j->i < j->n && j->s[j->i] == '-')
		j->i++;
	if (j->i < j->n && j->s[j->i] == '0')
		j->i++;
	else if (!json_digits(j))
		return 0;
	if (j->i < j->n && j->s[j->i] == '.') {
		j->i++;
		if (!json_digits(j))
			return 0;
	}
	if (j->i < j->n && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
		j->i++;
		if (j->i < j->n && (j->s[j->i] == '+' || j->s[j->i] == '-'))
			j->i++;
		if (!json_digits(j))
			return 0;
	}
	return 1;
}

static int json_value(struct json *j);

/* The members of an array or object, up to close. */
static int json_members(struct json *j, char close, int keyed)
{
	if (++j->depth > 1000)
		return 0;
	j->i++;
	json_blanks(j);
	if (j->i < j->n && j->s[j->i] == close) {
		j->i++;
		j->depth--;
		return 1;
	}
	for (;;) {
		json_blanks(j);
		if (keyed) {
			if (!json_string(j))
				return 0;
			json_blanks(j);
			if (j->i >= j->n || j->s[j->i++] != ':')
				return 0;
		}
		if (!json_value(j))
			return 0;
		json_blanks(j);
		if (j->i >= j->n)
			return 0;
		char c = j->s[j->i++];
		if (c == close) {
			j->depth--;
			return 1;
		}
		if (c != ',')
			return 0;
	}
}

static int json_value(struct json *j)
{
	json_blanks(j);
	if (j->i >= j->n)
		return 0;
	switch (j->s[j->i]) {
	case '{': return json_members(j, '}', 1);
	case '[': return json_members(j, ']', 0);
	case '"': return json_string(j);
	case 't': return json_word(j, "true");
	case 'f': return json_word(j, "false");
	case 'n': return json_word(j, "null");
	default: return json_number(j);
	}
}

int fuzz_json_valid(const char *text, size_t len, size_t *at)
{
	struct json j = { text, len, 0, 0 };
	int ok = json_value(&j);
	json_blanks(&j);
	*at = j.i;
	return ok && j.i == len;
}
