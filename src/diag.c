/* diag.c - collect diagnostics and print them as a compiler (with the
 * source line and a caret under the column), as JSON, or as GitHub Actions
 * workflow commands. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "weekly/buf.h"
#include "weekly/diag.h"
#include "weekly/source.h"
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
	d->source = NULL;
	if (sev == DIAG_ERROR)
		l->errors++;
	else if (sev == DIAG_WARNING)
		l->warnings++;
}

/* A line as a string: a NUL byte in it becomes another control character,
 * which shows as '?' as NUL would. A line longer than DIAG_SOURCE_MAX
 * gives NULL: it is read from its file again when printed (a copy under
 * each of its diagnostics could take the file's size many times over). */
static char *line_copy(const char *line, size_t len)
{
	if (len > DIAG_SOURCE_MAX)
		return NULL;
	char *s = xmalloc(len + 1);
	memcpy(s, line, len);
	s[len] = '\0';
	for (char *p = s; (p = memchr(p, '\0', (size_t)(s + len - p))) != NULL; p++)
		*p = '\001';
	return s;
}

void diag_set_source(diag_list *l, const char *line, size_t len)
{
	if (l->len) {
		free(l->items[l->len - 1].source);
		l->items[l->len - 1].source = line_copy(line, len);
	}
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

/* Merge sort: lists of tens of thousands of diagnostics (one per item of
 * a huge issue) stay fast, and equal positions keep their order. */
static void sort_run(diag *a, diag *tmp, size_t n)
{
	if (n < 2)
		return;
	size_t h = n / 2, i = 0, j = h, k = 0;
	sort_run(a, tmp, h);
	sort_run(a + h, tmp, n - h);
	while (i < h && j < n)
		tmp[k++] = cmp_pos(&a[j], &a[i]) < 0 ? a[j++] : a[i++];
	while (i < h)
		tmp[k++] = a[i++];
	while (j < n)
		tmp[k++] = a[j++];
	memcpy(a, tmp, n * sizeof(*a));
}

void diag_sort(diag_list *l)
{
	if (l->len < 2)
		return;
	diag *tmp = xmalloc(l->len * sizeof(*tmp));
	sort_run(l->items, tmp, l->len);
	free(tmp);
}

/* --- from a worker process --------------------------------------------------- */

void diag_pack(const diag_list *l, buf *out)
{
	buf_put_int(out, (long long)l->len);
	for (size_t i = 0; i < l->len; i++) {
		const diag *x = &l->items[i];
		buf_put_int(out, x->severity);
		buf_put_int(out, x->line);
		buf_put_int(out, x->col);
		buf_put_str(out, x->file);
		buf_put_str(out, x->rule);
		buf_put_str(out, x->message);
		buf_put_str(out, x->source);
	}
}

int diag_unpack(struct buf_reader *r, diag_list *l)
{
	for (long long n = buf_get_int(r); n > 0 && !r->bad; n--) {
		diag_severity sev = (diag_severity)buf_get_int(r);
		int line = (int)buf_get_int(r), col = (int)buf_get_int(r);
		const char *file = buf_get_str(r), *rule = buf_get_str(r);
		const char *msg = buf_get_str(r), *source = buf_get_str(r);
		if (r->bad || !msg || sev < DIAG_ERROR || sev > DIAG_NOTE)
			break;
		diag_add(l, sev, file, line, col, rule, "%s", msg);
		if (source)
			diag_set_source(l, source, strlen(source));
	}
	return r->bad ? -1 : 0;
}

/* --- text a source or a server wrote, made safe for a terminal ------------ */

/* How put_escaped treats line breaks and backslashes. */
enum { KEEP_LINES = 1, FIELD = 2 };

/* How many bytes from s on (before n) are printable ASCII, and no
 * backslash when stop is one: sixteen at a time, as signed bytes (the
 * others are below a blank). */
typedef signed char signed16 __attribute__((vector_size(16)));
static size_t printable_run(const char *s, size_t n, char stop)
{
	size_t i = 0;
	for (; i + 16 <= n; i += 16) {
		signed16 v, bad;
		uint64_t w[2];
		memcpy(&v, s + i, 16);
		bad = (v < ' ') | (v == 0x7F) | (v == stop);
		memcpy(w, &bad, 16);
		if (w[0] | w[1])
			break;
	}
	while (i < n && s[i] >= 0x20 && s[i] < 0x7F && s[i] != stop)
		i++;
	return i;
}

static void put_escaped(buf *b, const char *s, int how)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		/* printable ASCII, most of every message, at once */
		size_t run = printable_run(s + i, n - i, how & FIELD ? '\\' : 0x7F);
		buf_put(b, s + i, run);
		if ((i += run) == n)
			break;
		unsigned long c;
		size_t len = util_utf8_decode(s + i, n - i, &c);
		if (!len)
			buf_printf(b, "\\x%02x", (unsigned char)s[i]);
		else if (c == '\\')
			buf_puts(b, "\\\\");
		else if (how & KEEP_LINES && (c == '\n' || c == '\r'))
			buf_putc(b, (char)c);
		else if (c == '\n' || c == '\r' || c == '\t')
			buf_puts(b, c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t");
		else if (c < 0x80 && util_steers(c))
			buf_printf(b, "\\x%02lx", c);
		else if (util_steers(c))
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

char *diag_escaped(const char *s)
{
	buf b = BUF_INIT;
	put_escaped(&b, s, 0);
	return buf_take(&b);
}

void diag_say(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	size_t n = strlen(s);
	int nl = n && s[n - 1] == '\n';
	if (nl)
		s[n - 1] = '\0';
	buf b = BUF_INIT;
	put_escaped(&b, s, 0);
	if (nl)
		buf_putc(&b, '\n');
	if (b.len)
		fwrite(b.data, 1, b.len, f);
	buf_release(&b);
	free(s);
}

void diag_escape_field(buf *b, const char *s)
{
	put_escaped(b, s, FIELD);
}

/* The value of the n hex digits at s, or -1. */
static long hex_at(const char *s, int n)
{
	long v = 0;
	for (int i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v = v * 16 + ((c | 0x20) - 'a' + 10);
		else
			return -1;
	}
	return v;
}

char *diag_unescape_field(const char *s)
{
	buf b = BUF_INIT;
	for (const char *bs; (bs = strchr(s, '\\')) != NULL && bs[1];) {
		buf_put(&b, s, (size_t)(bs - s));
		char c = bs[1];
		long v;
		s = bs + 2;
		if (c == 'x' && (v = hex_at(s, 2)) >= 0)
			buf_putc(&b, (char)v), s += 2;
		else if (c == 'u' && (v = hex_at(s, 4)) >= 0)
			buf_put_utf8(&b, (unsigned long)v), s += 4;
		else
			buf_putc(&b, c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c);
	}
	buf_puts(&b, s);
	return buf_take(&b);
}

/* --- the source line under a diagnostic ------------------------------------ */

/* Columns of the snippet shown before the caret, and in all, for long lines. */
#define SNIPPET_BEFORE 60
#define SNIPPET_WIDTH 120
/* A tab shows as this many spaces (columns count bytes; the caret counts
 * what a terminal shows). */
#define SNIPPET_TAB 4

/* The file a run of diagnostics is about, read once for all of them. */
struct source {
	char *file;          /* its name as diagnostics give it, or NULL */
	struct src src;      /* its text as source.h reads it */
	int read;            /* 0 when it cannot be read */
};

static void source_release(struct source *s)
{
	free(s->file);
	src_release(&s->src);
	*s = (struct source){ NULL, SRC_INIT, 0 };
}

/* Line n (1-based) of the source, without its line break: 0, or -1 when
 * there is no such line to show (the one line of an empty file is empty). */
static int line_of(const struct source *s, int n, const char **line, size_t *len)
{
	if (!s->read || n < 1 || (size_t)n > (s->src.nlines ? s->src.nlines : 1))
		return -1;
	*line = src_line(&s->src, (size_t)n - 1, len);
	return 0;
}

/* Line n of file, read when it is another file than the last one. */
static int source_line(struct source *s, const char *file, int n, const char **line,
		       size_t *len)
{
	if (!s->file || strcmp(s->file, file) != 0) {
		source_release(s);
		s->file = xstrdup(file);
		struct stat st; /* not a pipe or a terminal: it was read already */
		s->read = stat(file, &st) == 0 && S_ISREG(st.st_mode) &&
			src_load(&s->src, file) == 0;
	}
	return line_of(s, n, line, len);
}

void diag_set_sources(diag_list *l, const char *file, const struct src *src)
{
	struct source s = { NULL, *src, 1 }; /* the caller's */
	const char *line;
	size_t n;
	for (size_t i = 0; i < l->len; i++) {
		diag *d = &l->items[i];
		if (!d->source && d->file && strcmp(d->file, file) == 0 &&
		    line_of(&s, d->line, &line, &n) == 0)
			d->source = line_copy(line, n);
	}
}

/* Characters a terminal shows two columns wide (East Asian wide and full
 * width, emoji) and those it shows in none (combining marks, joiners,
 * variation selectors). */
static int char_width(unsigned long c)
{
	static const unsigned long zero[][2] = {
		{ 0x300, 0x36F }, { 0x200B, 0x200F }, { 0x20D0, 0x20FF }, { 0xFE00, 0xFE0F },
		{ 0xFE20, 0xFE2F }, { 0xE0100, 0xE01EF },
	};
	static const unsigned long wide[][2] = {
		{ 0x1100, 0x115F }, { 0x231A, 0x231B }, { 0x2329, 0x232A }, { 0x23E9, 0x23EC },
		{ 0x25FD, 0x25FE }, { 0x2614, 0x2615 }, { 0x2648, 0x2653 }, { 0x26AA, 0x26AB },
		{ 0x26BD, 0x26BE }, { 0x26F5, 0x26F5 }, { 0x26FA, 0x26FA }, { 0x2705, 0x2705 },
		{ 0x270A, 0x270B }, { 0x2728, 0x2728 }, { 0x274C, 0x274C }, { 0x2753, 0x2757 },
		{ 0x2795, 0x2797 }, { 0x27B0, 0x27B0 }, { 0x2B1B, 0x2B1C }, { 0x2B50, 0x2B55 },
		{ 0x2E80, 0x303E }, { 0x3041, 0x33FF }, { 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF },
		{ 0xA000, 0xA4CF }, { 0xA960, 0xA97F }, { 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF },
		{ 0xFE30, 0xFE4F }, { 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 }, { 0x16FE0, 0x18AFF },
		{ 0x1B000, 0x1B2FF }, { 0x1F004, 0x1F004 }, { 0x1F0CF, 0x1F0CF }, { 0x1F18E, 0x1F18E },
		{ 0x1F191, 0x1F19A }, { 0x1F200, 0x1F2FF }, { 0x1F300, 0x1F64F }, { 0x1F680, 0x1F6FF },
		{ 0x1F7E0, 0x1F7EB }, { 0x1F90C, 0x1F9FF }, { 0x1FA70, 0x1FAFF }, { 0x20000, 0x3FFFD },
	};
	if (c < 0x300)
		return 1;
	if (c == 0x200D)
		return 0;
	for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++)
		if (c >= zero[i][0] && c <= zero[i][1])
			return 0;
	for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
		if (c >= wide[i][0] && c <= wide[i][1])
			return 2;
	return 1;
}

/* The character at s (n bytes left) as shown: its bytes in *len, its
 * columns returned. A tab is spaces; control characters and bytes that are
 * not UTF-8 show as '?', so that nothing in a source can drive the
 * terminal. */
static int shown_char(const char *s, size_t n, size_t *len, buf *out)
{
	unsigned long c = (unsigned char)*s;
	if (c >= 0x20 && c < 0x7F) { /* most of every line */
		*len = 1;
		if (out)
			buf_putc(out, *s);
		return 1;
	}
	*len = util_utf8_decode(s, n, &c);
	if (*len == 0) {
		*len = 1;
		c = 0; /* shown as a control character */
	}
	if (c == '\t') {
		if (out)
			buf_put(out, "    ", SNIPPET_TAB);
		return SNIPPET_TAB;
	}
	if (util_steers(c)) {
		if (out)
			buf_putc(out, '?');
		return 1;
	}
	if (out)
		buf_put(out, s, *len);
	return char_width(c);
}

/* Where the snippet of a long line starts: far enough before the caret's
 * byte at to show SNIPPET_BEFORE columns, at the start of a character. */
static size_t snippet_from(const char *line, size_t at)
{
	size_t from = at;
	int cols = 0;
	while (from > 0 && cols < SNIPPET_BEFORE) {
		size_t k = from - 1, len;
		while (k > 0 && from - k < 4 && ((unsigned char)line[k] & 0xC0) == 0x80)
			k--;
		cols += shown_char(line + k, from - k, &len, NULL);
		from = k;
	}
	return from;
}

/* The bytes "%d" writes v in. */
static int dec_len(long v)
{
	int n = v < 0 ? 2 : 1;
	for (unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v; u >= 10; u /= 10)
		n++;
	return n;
}

static void put_spaces(buf *b, int n)
{
	static const char spaces[] = "                                ";
	for (; n > 0; n -= (int)sizeof spaces - 1)
		buf_put(b, spaces, n < (int)sizeof spaces - 1 ? (size_t)n : sizeof spaces - 1);
}

/* The line, and a caret under byte column col (past the end: after it). */
static void put_snippet(buf *b, int lineno, const char *line, size_t len, int col, int color)
{
	size_t at = col > 0 && (size_t)col - 1 < len ? (size_t)col - 1 : len;
	size_t from = snippet_from(line, at), p = from, clen;
	int width = dec_len(lineno), cols = 0, caret = -1;
	put_spaces(b, 1 + (width < 4 ? 4 - width : 0));
	buf_put_dec(b, lineno);
	buf_puts(b, len ? " | " : " |");
	if (from > 0) {
		buf_puts(b, "...");
		cols = 3;
	}
	for (; p < len && cols < SNIPPET_WIDTH; p += clen) {
		size_t run = 0; /* printable ASCII goes as it is, at once */
		while (p + run < len && cols + (int)run < SNIPPET_WIDTH && p + run != at &&
		       line[p + run] >= 0x20 && line[p + run] < 0x7F)
			run++;
		buf_put(b, line + p, run);
		cols += (int)run;
		p += run;
		if (p == at)
			caret = cols;
		clen = 0;
		if (p < len && cols < SNIPPET_WIDTH)
			cols += shown_char(line + p, len - p, &clen, b);
	}
	if (caret < 0)
		caret = cols;
	if (p < len)
		buf_puts(b, "...");
	buf_putc(b, '\n');
	put_spaces(b, (width < 4 ? 4 : width) + 1);
	buf_puts(b, " | ");
	put_spaces(b, caret);
	if (col > 0)
		buf_puts(b, color ? "\033[1;32m^\033[0m" : "^");
	buf_putc(b, '\n');
}

static void print_human(const diag *d, buf *b, int color, struct source *src)
{
	static const char *sev_color[] = { "\033[1;31m", "\033[1;35m", "\033[1;36m" };
	if (color)
		buf_puts(b, "\033[1m");
	if (d->file) {
		diag_escape(b, d->file);
		if (d->line)
			buf_putc(b, ':'), buf_put_dec(b, d->line);
		if (d->line && d->col)
			buf_putc(b, ':'), buf_put_dec(b, d->col);
		buf_puts(b, ": ");
	} else {
		buf_puts(b, "weekly: ");
	}
	if (color) {
		buf_puts(b, "\033[0m");
		buf_puts(b, sev_color[d->severity]);
	}
	buf_puts(b, sev_name[d->severity]);
	buf_putc(b, ':');
	if (color)
		buf_puts(b, "\033[0m");
	buf_putc(b, ' ');
	diag_escape(b, d->message);
	if (d->rule) {
		buf_puts(b, " [");
		buf_puts(b, d->rule);
		buf_putc(b, ']');
	}
	buf_putc(b, '\n');
	const char *line = d->source;
	size_t len = line ? strlen(line) : 0;
	if (d->file && d->line > 0 &&
	    (line || source_line(src, d->file, d->line, &line, &len) == 0))
		put_snippet(b, d->line, line, len, d->col, color);
}

static void print_json(const diag *d, buf *b, int first)
{
	buf_puts(b, first ? "\n  {" : ",\n  {");
	buf_put_json_field(b, "file", d->file);
	buf_printf(b, ", \"line\": %d, \"column\": %d, ", d->line, d->col);
	buf_put_json_field(b, "severity", sev_name[d->severity]);
	buf_puts(b, ", ");
	buf_put_json_field(b, "rule", d->rule);
	buf_puts(b, ", ");
	buf_put_json_field(b, "message", d->message);
	buf_putc(b, '}');
}

/* Workflow commands give %, CR and LF a meaning; properties also : and ,.
 * Other control characters are escaped: the log is shown as a terminal. */
static void put_github(buf *b, const char *text, int property)
{
	buf e = BUF_INIT;
	put_escaped(&e, text, KEEP_LINES);
	for (const char *s = e.data; *s; s++) {
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
	struct source src = { NULL, SRC_INIT, 0 };
	if (fmt == DIAG_JSON)
		buf_putc(b, '[');
	for (size_t i = 0; i < l->len; i++) {
		if (fmt == DIAG_JSON)
			print_json(&l->items[i], b, i == 0);
		else if (fmt == DIAG_GITHUB)
			print_github(&l->items[i], b);
		else
			print_human(&l->items[i], b, color, &src);
	}
	source_release(&src);
	if (fmt == DIAG_JSON)
		buf_puts(b, l->len ? "\n]\n" : "]\n");
}

void diag_print(const diag_list *l, FILE *out, diag_format fmt, int color)
{
	buf b = BUF_INIT;
	diag_format_list(l, &b, fmt, color);
	fwrite(b.data, 1, b.len, out);
	fflush(out);
	buf_release(&b);
}

void diag_release(diag_list *l)
{
	for (size_t i = 0; i < l->len; i++) {
		free(l->items[i].file);
		free(l->items[i].rule);
		free(l->items[i].message);
		free(l->items[i].source);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

static void put_count(buf *b, size_t n, const char *one, const char *many)
{
	buf_printf(b, "%zu %s", n, n == 1 ? one : many);
}

void diag_summary(const diag_list *l, size_t issues, buf *b)
{
	put_count(b, l->errors, "error", "errors");
	buf_puts(b, ", ");
	put_count(b, l->warnings, "warning", "warnings");
	if (issues) {
		buf_puts(b, " in ");
		put_count(b, issues, "issue", "issues");
	}
	buf_putc(b, '\n');
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
