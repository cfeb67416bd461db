/* cmd_add.c - `weekly add URL [--section ID] [N]`: ask the web what a link
 * is and append it to a section of issue N (default: the newest draft) in
 * the editor's style, changing nothing else in the file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "weekly/cmd.h"
#include "weekly/fsutil.h"
#include "weekly/issue.h"
#include "weekly/ledger.h"
#include "weekly/linkmeta.h"
#include "weekly/metacache.h"
#include "weekly/util.h"

struct add {
	const char *url, *section_arg;
	long number;          /* 0: the newest draft */
	double timeout;
	const struct newsletter *n; /* borrowed from the command layer */
	long conf;            /* the section's index in the settings */
	char *path;           /* the issue's file */
	char *text;           /* as read, byte for byte */
	size_t len;
	struct issue *is;
};

/* ---- arguments ---- */

enum { O_SECTION = 1, O_TIMEOUT };

static const struct option options[] = {
	{ "--section", "ID", O_SECTION, "the section (a title, id or alias; default: the first)",
	  NULL },
	{ "--timeout", "S", O_TIMEOUT, "seconds per request (default 10)", NULL },
	{ NULL, NULL, 0, NULL, NULL }
};

/* The URL, then the issue; --section and --timeout. */
static int add_option(void *ud, int key, const struct opts *o)
{
	struct add *a = ud;
	char *end;
	if (key == OPTS_ARG && !a->url) {
		a->url = o->val;
	} else if (key == OPTS_ARG && a->number) {
		return opts_unexpected(o);
	} else if (key == OPTS_ARG) {
		a->number = opts_issue_arg(o);
		return a->number < 0 ? EXIT_USAGE : 0;
	} else if (key == O_SECTION) {
		a->section_arg = o->val;
	} else {
		a->timeout = strtod(o->val, &end);
		if (end == o->val || *end || !(a->timeout > 0 && a->timeout <= 600))
			return cmd_usage_error("add", "option '--timeout' needs a number of seconds");
	}
	return 0;
}

static int add_parse(struct add *a, int argc, char **argv)
{
	int rc = opts_parse("add", options, argc, argv, add_option, a);
	if (rc)
		return rc;
	if (!a->url)
		return cmd_usage_error("add", "which URL? give one");
	if (!util_is_web(a->url) || strpbrk(a->url, " \t\r\n<>"))
		return cmd_usage_error("add", "'%s' is not an http or https URL", a->url);
	return 0;
}

/* The section --section names (a title, id or alias), else the first. */
static int add_section(struct add *a)
{
	if (!a->n->nsections) {
		fprintf(stderr, "weekly add: %s: no sections are configured\n", a->n->settings_path);
		return EXIT_CONTENT;
	}
	if (!a->section_arg)
		return 0;
	a->conf = newsletter_section(a->n, a->section_arg, strlen(a->section_arg));
	if (a->conf >= 0)
		return 0;
	const char **ids = xcalloc(a->n->nsections, sizeof(*ids));
	for (size_t i = 0; i < a->n->nsections; i++)
		ids[i] = a->n->sections[i].id;
	long near = util_closest(a->section_arg, ids, a->n->nsections);
	free(ids);
	fprintf(stderr, "weekly add: unknown section '%s'", a->section_arg);
	if (near >= 0)
		fprintf(stderr, "; did you mean '%s'?", a->n->sections[near].id);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

/* ---- the issue ---- */

static int add_read(struct add *a, const char *path)
{
	diag_list d = DIAG_LIST_INIT;
	if (fs_read(path, &a->text, &a->len) < 0) {
		fprintf(stderr, "weekly add: %s: cannot read: %s\n", path, strerror(errno));
		return EXIT_SYSTEM;
	}
	a->path = xstrdup(path);
	a->is = issue_parse_outline(a->n, path, a->text, a->len, &d);
	int rc = d.errors ? EXIT_CONTENT : EXIT_CLEAN;
	if (rc) /* an item added to a broken file could land anywhere */
		diag_print(&d, stderr, diag_default_format(), diag_want_color(stderr));
	diag_release(&d);
	return rc;
}

static int add_is_draft(const struct newsletter *n, const struct issue_file *f)
{
	diag_list d = DIAG_LIST_INIT;
	int syserr = 0;
	struct issue *is = issue_load(n, f->path, &d, &syserr);
	int draft = is && value_truthy(value_getc(is->front, "draft"));
	issue_free(is);
	diag_release(&d);
	return draft;
}

static const struct issue_file *newest_draft(const struct newsletter *n,
					     const struct issue_file *files, size_t count)
{
	while (count > 0 && !add_is_draft(n, &files[count - 1]))
		count--;
	return count ? &files[count - 1] : NULL;
}

/* Issue N's file, or the newest draft's. */
static int add_find_issue(struct add *a)
{
	struct issue_file *files;
	size_t count;
	if (issue_files_list(a->n, &files, &count) < 0) {
		fprintf(stderr, "weekly add: cannot list issues: %s\n", strerror(errno));
		return EXIT_SYSTEM;
	}
	const struct issue_file *f = a->number ? issue_files_find(files, count, a->number)
					       : newest_draft(a->n, files, count);
	int rc = EXIT_CONTENT;
	if (f)
		rc = add_read(a, f->path);
	else if (a->number)
		fprintf(stderr, "weekly add: no issue %ld\n", a->number);
	else
		fprintf(stderr, "weekly add: no draft issue (draft: true); name the issue, or start "
				"one with 'weekly new'\n");
	issue_files_free(files, count);
	return rc;
}

/* A link of the issue that is the same page as url, or NULL. */
static const struct link *add_already(const struct issue *is, const char *url)
{
	char *key = ledger_key(url);
	const struct link *found = NULL;
	for (size_t i = 0; i < is->nlinks && !found; i++) {
		char *k = ledger_key(is->links[i].url);
		if (strcmp(k, key) == 0)
			found = &is->links[i];
		free(k);
	}
	free(key);
	return found;
}

static int add_refuse_repeat(const struct add *a, const char *url)
{
	const struct link *l = add_already(a->is, url);
	if (!l)
		return 0;
	diag_say(stderr, "%s:%d:%d: error: %s is already in this issue [duplicate-url]\n", a->path,
		 l->line, l->col, url);
	return EXIT_CONTENT;
}

/* ---- the metadata ---- */

static int add_fetch(struct add *a, struct linkmeta *m)
{
	struct linkcheck_opts o;
	struct linkmeta_opts mo;
	linkcheck_defaults(&o);
	if (a->timeout > 0)
		o.timeout = a->timeout;
	o.user_agent = value_str(value_getc(a->n->settings, "user_agent"));
	linkmeta_defaults(&mo, &o);
	linkmeta_configure(&mo, a->n->settings);
	char *err = NULL;
	int rc = linkmeta_fetch(&mo, a->url, m, &err);
	if (rc != EXIT_CLEAN)
		diag_say(stderr, "weekly add: %s\n", err);
	free(err);
	return rc;
}

/* ---- the item, in the editor's words ---- */

/* Markdown text that reads as s, on one line: the characters that would
 * start a link, emphasis, code or HTML are escaped. */
static void add_put_text(buf *b, const char *s)
{
	for (const char *p = s; *p; p++) {
		int word = p > s && ((p[-1] | 0x20) >= 'a' && (p[-1] | 0x20) <= 'z') &&
			   ((p[1] | 0x20) >= 'a' && (p[1] | 0x20) <= 'z');
		if (strchr("\\[]*`<>", *p) || (*p == '_' && !word))
			buf_putc(b, '\\');
		buf_putc(b, *p);
	}
}

/* A paragraph that starts like a heading, quote, list or rule would not be
 * one: its first character is escaped. */
static void add_put_paragraph(buf *b, const char *s)
{
	size_t digits = strspn(s, "0123456789");
	if (strchr("#>+-=|", s[0]))
		buf_putc(b, '\\');
	else if (digits && (s[digits] == '.' || s[digits] == ')'))
		buf_printf(b, "%.*s\\", (int)digits, s), s += digits;
	add_put_text(b, s);
}

/* "(5.5K stars)", the way the example newsletter writes them. */
static void add_put_stars(buf *b, long stars)
{
	if (stars >= 1000) {
		char num[32];
		snprintf(num, sizeof num, "%.1f", (double)stars / 1000);
		size_t n = strlen(num);
		if (n > 2 && strcmp(num + n - 2, ".0") == 0)
			num[n - 2] = '\0';
		buf_printf(b, "(%sK stars)", num);
	} else {
		buf_printf(b, "(%ld star%s)", stars, stars == 1 ? "" : "s");
	}
}

/* The note after the link when the page's language is not the
 * newsletter's: language_notes in the settings, else these. */
static const char *add_default_note(const char *newsletter, const char *page)
{
	static const struct { const char *in, *page, *note; } notes[] = {
		{ "en", "zh", " (Chinese)" }, { "en", "ja", " (Japanese)" },
		{ "en", "ko", " (Korean)" }, { "en", "de", " (German)" },
		{ "en", "fr", " (French)" }, { "en", "es", " (Spanish)" },
		{ "en", "ru", " (Russian)" }, { "zh", "en", "（英文）" },
		{ "zh", "ja", "（日文）" }, { "zh", "ko", "（韩文）" },
		{ "zh", "de", "（德文）" }, { "zh", "fr", "（法文）" },
		{ "zh", "es", "（西班牙文）" }, { "zh", "ru", "（俄文）" },
	};
	for (size_t i = 0; i < sizeof notes / sizeof *notes; i++)
		if (strcmp(notes[i].in, newsletter) == 0 && strcmp(notes[i].page, page) == 0)
			return notes[i].note;
	return NULL;
}

static const char *add_note(const struct add *a, const char *page)
{
	if (!page)
		return NULL;
	const char *set = value_str(value_getc(value_getc(a->n->settings, "language_notes"), page));
	if (set)
		return set; /* said for this language: always written */
	char *own = linkmeta_language_tag(value_str(value_getc(a->n->settings, "language")));
	const char *note = own && strcmp(own, page) != 0 ? add_default_note(own, page) : NULL;
	free(own);
	return note;
}

/* An item's list marker as the editor wrote it: "3. ", "  - ", "3、". */
struct add_marker {
	int indent;        /* spaces before it */
	long number;       /* -1 for a bullet */
	const char *delim; /* ".", ")", "、", or the bullet */
	int delim_len, after; /* spaces after it */
	int body;          /* spaces before the description's lines */
};

/* The marker of the item whose link is at line (1-based). */
static int add_marker(const struct issue *is, int line, struct add_marker *mk)
{
	const char *p = is->text;
	for (int l = 1; l < line && p; l++)
		p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
	if (!p)
		return -1;
	size_t indent = strspn(p, " "), digits = strspn(p + indent, "0123456789");
	const char *m = p + indent + digits;
	mk->indent = (int)indent;
	mk->number = digits ? strtol(p + indent, NULL, 10) : -1;
	mk->delim = m;
	if (digits && (*m == '.' || *m == ')'))
		mk->delim_len = 1;
	else if (digits && strncmp(m, "、", 3) == 0)
		mk->delim_len = 3;
	else if (!digits && *m && strchr("-*+", *m))
		mk->delim_len = 1;
	else
		return -1;
	mk->after = (int)strspn(m + mk->delim_len, " ");
	/* the description indented under the item, or not */
	const char *next = strchr(m, '\n');
	while (next && next[1 + strspn(next + 1, " \t\r")] == '\n')
		next = strchr(next + 1, '\n');
	size_t body = next ? strspn(next + 1, " ") : 0;
	mk->body = body > indent && next[1 + body] != '\r' && next[1 + body] != '\n' ? (int)body : 0;
	return 0;
}

/* The item's marker, following the editor's last item in the section (or
 * in the issue, numbering from 1), else "1. ". Returns the indentation of
 * the description's lines. */
static int add_put_marker(const struct add *a, const struct section *s, buf *b)
{
	const struct item *last = s && s->nitems ? &s->items[s->nitems - 1] : NULL;
	for (size_t i = a->is->nsections; !last && i > 0; i--)
		if (a->is->sections[i - 1].nitems)
			last = &a->is->sections[i - 1].items[a->is->sections[i - 1].nitems - 1];
	struct add_marker mk;
	if (!last || add_marker(a->is, last->line, &mk) < 0) {
		buf_puts(b, "1. ");
		return 0;
	}
	buf_printf(b, "%*s", mk.indent, "");
	if (mk.number >= 0)
		buf_printf(b, "%ld", s && s->nitems ? mk.number + 1 : 1);
	buf_printf(b, "%.*s%*s", mk.delim_len, mk.delim, mk.after, "");
	return mk.body;
}

static char *add_item(const struct add *a, const struct section *s, const struct linkmeta *m)
{
	buf b = BUF_INIT;
	int body = add_put_marker(a, s, &b);
	buf_putc(&b, '[');
	add_put_text(&b, m->title);
	buf_puts(&b, "](");
	char *url = linkmeta_markdown_url(m->url);
	buf_puts(&b, url);
	free(url);
	buf_putc(&b, ')');
	const char *note = add_note(a, m->language);
	if (note)
		buf_puts(&b, note);
	buf_putc(&b, '\n');
	if (m->kind == LINKMETA_GITHUB && m->stars >= 0) {
		buf_printf(&b, "\n%*s", body, "");
		add_put_stars(&b, m->stars);
		buf_putc(&b, '\n');
	} else if (m->kind == LINKMETA_PAGE && m->description) {
		buf_printf(&b, "\n%*s", body, "");
		add_put_paragraph(&b, m->description);
		buf_putc(&b, '\n');
	}
	return buf_take(&b);
}

/* ---- where it goes ---- */

/* The byte offset where line (1-based) starts; the length past the end. */
static size_t add_line_start(const char *text, size_t len, int line)
{
	size_t off = 0;
	for (int l = 1; l < line && off < len; l++) {
		const char *nl = memchr(text + off, '\n', len - off);
		off = nl ? (size_t)(nl - text) + 1 : len;
	}
	return off;
}

/* After the last line that is not blank in [from, to). */
static size_t add_after_content(const char *text, size_t from, size_t to)
{
	size_t at = from;
	for (size_t i = from; i < to;) {
		const char *nl = memchr(text + i, '\n', to - i);
		size_t end = nl ? (size_t)(nl - text) + 1 : to;
		if (strspn(text + i, " \t\r") < end - i - (nl != NULL))
			at = end;
		i = end;
	}
	return at;
}

/* Whether b is empty or ends with a blank line. */
static int add_ends_blank(const buf *b)
{
	size_t n = b->len;
	while (n && (b->data[n - 1] == '\r'))
		n--;
	if (!n)
		return 1;
	if (b->data[n - 1] != '\n')
		return 0;
	n--;
	while (n && (b->data[n - 1] == '\r' || b->data[n - 1] == ' ' || b->data[n - 1] == '\t'))
		n--;
	return !n || b->data[n - 1] == '\n';
}

static void add_put_lines(buf *b, const char *s, const char *eol)
{
	for (; *s; s++)
		*s == '\n' ? buf_puts(b, eol) : buf_putc(b, *s);
}

/* The new text: the source with the item put after the section's last
 * line, or, when the section is not in the issue yet, with its heading
 * where the configured order puts it. *line is the item's line. */
static char *add_insert(const struct add *a, const struct section *s, const char *item, int *line)
{
	const struct issue *is = a->is;
	const struct section *next = NULL;
	for (size_t i = 0; i < is->nsections && !next; i++)
		if (s ? &is->sections[i] > s : is->sections[i].conf > a->conf)
			next = &is->sections[i];
	const char *eol = strstr(a->text, "\r\n") ? "\r\n" : "\n";
	size_t end = next ? add_line_start(a->text, a->len, next->line) : a->len;
	size_t at = s ? add_after_content(a->text, add_line_start(a->text, a->len, s->line), end)
		      : end;
	buf b = BUF_INIT;
	buf_put(&b, a->text, at);
	if (b.len && b.data[b.len - 1] != '\n')
		buf_puts(&b, eol);
	if (!add_ends_blank(&b))
		buf_puts(&b, eol);
	if (!s) {
		buf_printf(&b, "## %s", a->n->sections[a->conf].title);
		buf_puts(&b, eol);
		buf_puts(&b, eol);
	}
	*line = 1;
	for (size_t i = 0; i < b.len; i++)
		*line += b.data[i] == '\n';
	add_put_lines(&b, item, eol);
	const char *rest = a->text + at;
	if (at < a->len && rest[strspn(rest, " \t\r")] != '\n')
		buf_puts(&b, eol); /* a blank line before what follows */
	buf_put(&b, rest, a->len - at);
	return buf_take(&b);
}

/* Write the new text unless the file changed since it was read. */
static int add_write(const struct add *a, const char *text)
{
	char *now = NULL;
	size_t len = 0;
	int same = fs_read(a->path, &now, &len) == 0 && len == a->len &&
		   memcmp(now, a->text, len) == 0;
	free(now);
	if (!same) {
		fprintf(stderr, "weekly add: %s changed while the link was asked; nothing written\n",
			a->path);
		return EXIT_SYSTEM;
	}
	if (fs_write_atomic(a->path, text, strlen(text)) < 0) {
		fprintf(stderr, "weekly add: %s: cannot write: %s\n", a->path, strerror(errno));
		return EXIT_SYSTEM;
	}
	return EXIT_CLEAN;
}

/* What the link said, for templates (items[].meta) and later checks. */
static int add_remember(const struct add *a, const struct linkmeta *m)
{
	diag_list d = DIAG_LIST_INIT;
	value *cache = metacache_load(a->n->root, &d);
	metacache_put(cache, m->url, m, time(NULL));
	int rc = metacache_save(cache, NULL, a->n->root, &d) < 0 ? EXIT_SYSTEM : EXIT_CLEAN;
	diag_print(&d, stderr, diag_default_format(), diag_want_color(stderr));
	value_free(cache);
	diag_release(&d);
	return rc;
}

static int add_run(struct add *a)
{
	struct linkmeta m;
	int rc = add_section(a);
	if (!rc)
		rc = add_find_issue(a);
	if (!rc)
		rc = add_refuse_repeat(a, a->url);
	if (rc)
		return rc;
	if ((rc = add_fetch(a, &m)) != EXIT_CLEAN)
		return rc;
	rc = add_refuse_repeat(a, m.url);
	if (!rc) {
		const struct section *s = NULL;
		for (size_t i = 0; i < a->is->nsections && !s; i++)
			if (a->is->sections[i].conf == a->conf)
				s = &a->is->sections[i];
		char *item = add_item(a, s, &m);
		int line = 0;
		char *text = add_insert(a, s, item, &line);
		rc = add_write(a, text);
		if (!rc)
			diag_say(stdout, "%s:%d: %.*s\n", a->path, line, (int)strcspn(item, "\n"),
				 item);
		if (!rc)
			rc = add_remember(a, &m);
		free(text);
		free(item);
	}
	linkmeta_release(&m);
	return rc;
}

static int add_main(int argc, char **argv, struct newsletter *n)
{
	struct add a;
	memset(&a, 0, sizeof a);
	a.n = n;
	int rc = add_parse(&a, argc, argv);
	if (!rc)
		rc = add_run(&a);
	issue_free(a.is);
	free(a.text);
	free(a.path);
	return rc;
}

const struct cmd cmd_add = {
	"add", add_main, "add a link to an issue, titled and described by the page", CMD_SETTINGS,
	"usage: weekly add URL [--section ID] [N] [--timeout S]\n\n"
	"Ask the web what URL is and append it as an item to a section of issue N\n"
	"(default: the newest issue marked draft: true), numbered and written like\n"
	"the items before it, changing nothing else in the file:\n"
	"  a page         [title](canonical URL) and its description; a note such as\n"
	"                 (Chinese) when its language is not the newsletter's\n"
	"  GitHub         [name: description](URL) and its stars, from GitHub's API\n"
	"                 (GITHUB_TOKEN is sent when set)\n"
	"  PyPI           [name: summary](URL), from PyPI's JSON API\n",
	options,
	"Settings: github_api, pypi_api (base URLs), language_notes (language: note),\n"
	"user_agent. Prints FILE:LINE and the item's first line.\n"
	"Exit status: 0 added, 1 the link is wrong or already there, 2 usage,\n"
	"3 no usable answer (network, rate limit, invalid reply) or I/O error.\n"
};
