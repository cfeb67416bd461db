/* diag.c - collect diagnostics and print them as a compiler, as JSON, or as
 * GitHub Actions workflow commands. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "weekly/buf.h"
#include "weekly/diag.h"
#include "weekly/util.h"

static const char *sev_name[] = { "error", "warning", "note" };

void diag_add(diag_list *l, diag_severity sev, const char *file, int line,
	      int col, const char *rule, const char *fmt, ...)
{
	xgrow((void **)&l->items, &l->cap, l->len + 1, sizeof(diag));
	diag *d = &l->items[l->len++];
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	d->file = file ? xstrdup(file) : NULL;
	d->line = line;
	d->col = col;
	d->severity = sev;
	d->rule = rule ? xstrdup(rule) : NULL;
	d->message = s;
	if (sev == DIAG_ERROR)
		l->errors++;
	else if (sev == DIAG_WARNING)
		l->warnings++;
}

void diag_move(diag_list *dst, diag_list *src)
{
	xgrow((void **)&dst->items, &dst->cap, dst->len + src->len, sizeof(diag));
	if (src->len)
		memcpy(dst->items + dst->len, src->items, src->len * sizeof(diag));
	dst->len += src->len;
	dst->errors += src->errors;
	dst->warnings += src->warnings;
	free(src->items);
	memset(src, 0, sizeof(*src));
}

static int cmp_pos(const diag *a, const diag *b)
{
	int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->col < b->col ? -1 : a->col > b->col;
}

void diag_sort(diag_list *l)
{
	/* insertion sort: stable, and lists are short or nearly sorted */
	for (size_t i = 1; i < l->len; i++) {
		diag t = l->items[i];
		size_t j = i;
		for (; j > 0 && cmp_pos(&l->items[j - 1], &t) > 0; j--)
			l->items[j] = l->items[j - 1];
		l->items[j] = t;
	}
}

/* --- text a source or a server wrote, made safe for a terminal ------------ */

/* Characters a terminal acts on rather than shows: C0 and C1 controls, DEL,
 * and the bidirectional overrides that reorder what is shown. */
static int steers(unsigned long c)
{
	return c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2066 && c <= 0x2069);
}

static void put_escaped(buf *b, const char *s, int keep_lines)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		unsigned long c;
		size_t len = util_utf8_decode(s + i, n - i, &c);
		if (!len)
			buf_printf(b, "\\x%02x", (unsigned char)s[i]);
		else if (keep_lines && (c == '\n' || c == '\r'))
			buf_putc(b, (char)c);
		else if (c == '\n' || c == '\r' || c == '\t')
			buf_puts(b, c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t");
		else if (c < 0x80 && steers(c))
			buf_printf(b, "\\x%02lx", c);
		else if (steers(c))
			buf_printf(b, "\\u%04lx", c);
		else
			buf_put(b, s + i, len);
		i += len ? len : 1;
	}
}

void diag_escape(buf *b, const char *s)
{
	put_escaped(b, s, 0);
}

static void print_human(const diag *d, buf *b, int color)
{
	static const char *sev_color[] = { "\033[1;31m", "\033[1;35m", "\033[1;36m" };
	if (color)
		buf_puts(b, "\033[1m");
	if (d->file) {
		diag_escape(b, d->file);
		if (d->line)
			buf_printf(b, ":%d", d->line);
		if (d->line && d->col)
			buf_printf(b, ":%d", d->col);
		buf_puts(b, ": ");
	} else {
		buf_puts(b, "weekly: ");
	}
	if (color)
		buf_printf(b, "\033[0m%s", sev_color[d->severity]);
	buf_printf(b, "%s:", sev_name[d->severity]);
	if (color)
		buf_puts(b, "\033[0m");
	buf_putc(b, ' ');
	diag_escape(b, d->message);
	if (d->rule)
		buf_printf(b, " [%s]", d->rule);
	buf_putc(b, '\n');
}

static void put_json_field(buf *b, const char *key, const char *s)
{
	buf_printf(b, "\"%s\": ", key);
	if (!s) {
		buf_puts(b, "null");
		return;
	}
	buf_putc(b, '"');
	buf_put_json(b, s, strlen(s));
	buf_putc(b, '"');
}

static void print_json(const diag *d, buf *b, int first)
{
	buf_puts(b, first ? "\n  {" : ",\n  {");
	put_json_field(b, "file", d->file);
	buf_printf(b, ", \"line\": %d, \"column\": %d, ", d->line, d->col);
	put_json_field(b, "severity", sev_name[d->severity]);
	buf_puts(b, ", ");
	put_json_field(b, "rule", d->rule);
	buf_puts(b, ", ");
	put_json_field(b, "message", d->message);
	buf_putc(b, '}');
}

/* Workflow commands give %, CR and LF a meaning; properties also : and ,.
 * Other control characters are escaped: the log is shown as a terminal. */
static void put_github(buf *b, const char *text, int property)
{
	buf e = BUF_INIT;
	put_escaped(&e, text, 1);
	for (const char *s = e.data ? e.data : ""; *s; s++) {
		if (*s == '%')
			buf_puts(b, "%25");
		else if (*s == '\r')
			buf_puts(b, "%0D");
		else if (*s == '\n')
			buf_puts(b, "%0A");
		else if (property && *s == ':')
			buf_puts(b, "%3A");
		else if (property && *s == ',')
			buf_puts(b, "%2C");
		else
			buf_putc(b, *s);
	}
	buf_release(&e);
}

static void print_github(const diag *d, buf *b)
{
	buf_printf(b, "::%s ", d->severity == DIAG_NOTE ? "notice" : sev_name[d->severity]);
	if (d->file) {
		buf_puts(b, "file=");
		put_github(b, d->file, 1);
		if (d->line)
			buf_printf(b, ",line=%d", d->line);
		if (d->line && d->col)
			buf_printf(b, ",col=%d", d->col);
		buf_putc(b, ',');
	}
	buf_puts(b, "title=");
	put_github(b, d->rule ? d->rule : "weekly", 1);
	buf_puts(b, "::");
	put_github(b, d->message, 0);
	buf_putc(b, '\n');
}

void diag_format_list(const diag_list *l, buf *b, diag_format fmt, int color)
{
	if (fmt == DIAG_JSON)
		buf_putc(b, '[');
	for (size_t i = 0; i < l->len; i++) {
		if (fmt == DIAG_JSON)
			print_json(&l->items[i], b, i == 0);
		else if (fmt == DIAG_GITHUB)
			print_github(&l->items[i], b);
		else
			print_human(&l->items[i], b, color);
	}
	if (fmt == DIAG_JSON)
		buf_puts(b, l->len ? "\n]\n" : "]\n");
}

void diag_print(const diag_list *l, FILE *out, diag_format fmt, int color)
{
	buf b = BUF_INIT;
	diag_format_list(l, &b, fmt, color);
	fwrite(b.data ? b.data : "", 1, b.len, out);
	fflush(out);
	buf_release(&b);
}

void diag_release(diag_list *l)
{
	for (size_t i = 0; i < l->len; i++) {
		free(l->items[i].file);
		free(l->items[i].rule);
		free(l->items[i].message);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

diag_format diag_default_format(void)
{
	const char *gh = getenv("GITHUB_ACTIONS");
	return gh && strcmp(gh, "true") == 0 ? DIAG_GITHUB : DIAG_HUMAN;
}

int diag_want_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return 0;
	return isatty(fileno(f));
}

int diag_parse_format(const char *s, diag_format *out)
{
	static const char *names[] = { "human", "json", "github" };
	for (int i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (diag_format)i;
			return 0;
		}
	return -1;
}

int diag_exit_status(const diag_list *l, int strict)
{
	if (l->errors || (strict && l->warnings))
		return EXIT_CONTENT;
	return EXIT_CLEAN;
}
