/* mail.c - an issue as an RFC 5322 message with MIME parts. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "weekly/mail.h"
#include "weekly/util.h"

/* A message's parts. Strings are borrowed; NULL or "" leaves a header out. */
struct mail_message {
	const char *from, *reply_to, *list_unsubscribe; /* as in the settings */
	const char *subject;
	const char *date;       /* YYYY-MM-DD, the issue's date */
	long number;            /* the issue's, for the Message-ID */
	const char *text, *html;
	size_t text_len, html_len;
};

/* Lines a header folds to stay within (RFC 5322 asks for 78). */
#define MAIL_LINE 78
/* Quoted-printable lines: 76 characters, the soft break's "=" included. */
#define MAIL_QP_LINE 76

/* --- quoted-printable ------------------------------------------------- */

static int qp_literal(const char *s, size_t i, size_t n, size_t col)
{
	unsigned char c = (unsigned char)s[i];
	int at_eol = i + 1 == n || s[i + 1] == '\n';
	if (col == 0 && (c == '.' || (n - i >= 5 && memcmp(s + i, "From ", 5) == 0)))
		return 0;
	if (c == ' ' || c == '\t')
		return !at_eol;
	return c >= 33 && c <= 126 && c != '=';
}

/* Append s as quoted-printable: lines of at most 76 characters, "\n"
 * written as CRLF, spaces before a line end, "=", control and non-ASCII
 * bytes as =XX, and a "." or "From " starting a line encoded too. */
static void mail_qp(const char *s, size_t n, buf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n') {
			buf_puts(out, "\r\n");
			col = 0;
			continue;
		}
		size_t w = qp_literal(s, i, n, col) ? 1 : 3;
		if (col + w > MAIL_QP_LINE - 1) {
			buf_puts(out, "=\r\n");
			col = 0;
			w = qp_literal(s, i, n, col) ? 1 : 3;
		}
		unsigned char c = (unsigned char)s[i];
		if (w == 1) {
			buf_putc(out, (char)c);
		} else {
			char e[3] = { '=', hex[c >> 4], hex[c & 15] };
			buf_put(out, e, 3);
		}
		col += w;
	}
}

/* --- headers ------------------------------------------------------------ */

static void base64(const unsigned char *s, size_t n, buf *out)
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (size_t i = 0; i < n; i += 3) {
		unsigned long v = (unsigned long)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		char q[4] = { abc[v >> 18], abc[(v >> 12) & 63],
			      i + 1 < n ? abc[(v >> 6) & 63] : '=', i + 2 < n ? abc[v & 63] : '=' };
		buf_put(out, q, 4);
	}
}

/* Whether s (n bytes) can stand in a header as it is: printable ASCII and
 * spaces, nothing that reads as an encoded word. */
static int header_plain(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < 32 || s[i] > 126)
			return 0;
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == '=' && s[i + 1] == '?')
			return 0;
	return 1;
}

/* s with line breaks, tabs and runs of spaces made one space, trimmed. */
static char *one_line(const char *s)
{
	buf b = BUF_INIT;
	for (; *s; s++) {
		int blank = *s == ' ' || *s == '\t' || *s == '\r' || *s == '\n';
		if (!blank)
			buf_putc(&b, *s);
		else if (b.len && b.data[b.len - 1] != ' ')
			buf_putc(&b, ' ');
	}
	if (b.len && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	return buf_take(&b);
}

/* ASCII words, folded before a word that would pass MAIL_LINE columns. */
static void fold_plain(const char *s, size_t n, size_t col, buf *out)
{
	size_t i = 0;
	while (i < n) {
		size_t word = i;
		while (word < n && s[word] == ' ')
			word++;
		size_t end = word;
		while (end < n && s[end] != ' ')
			end++;
		if (i > 0 && col + (end - i) > MAIL_LINE) {
			buf_puts(out, "\r\n ");
			buf_put(out, s + word, end - word);
			col = 1 + end - word;
		} else {
			buf_put(out, s + i, end - i);
			col += end - i;
		}
		i = end;
	}
}

/* Encoded words of whole UTF-8 characters, one per folded line. */
static void encoded_words(const char *s, size_t n, size_t col, buf *out)
{
	size_t i = 0;
	while (i < n) {
		size_t room = MAIL_LINE - 2 - col - 12; /* "=?UTF-8?B?" "?=" */
		size_t take = room / 4 * 3, end = i;
		while (end < n) {
			unsigned long cp;
			size_t len = util_utf8_decode(s + end, n - end, &cp);
			len = len ? len : 1;
			if (end + len - i > take && end > i)
				break;
			end += len;
		}
		if (i > 0)
			buf_puts(out, "\r\n ");
		buf_puts(out, "=?UTF-8?B?");
		base64((const unsigned char *)s + i, end - i, out);
		buf_puts(out, "?=");
		i = end;
		col = 1;
	}
}

/* Whether a word of s is too long to fold before (encoded words split
 * anywhere). */
static int long_word(const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		run = s[i] == ' ' ? 0 : run + 1;
		if (run > MAIL_LINE - 12)
			return 1;
	}
	return 0;
}

static void header_value(buf *out, size_t col, const char *v)
{
	size_t n = strlen(v);
	if (header_plain(v, n) && !long_word(v, n))
		fold_plain(v, n, col, out);
	else
		encoded_words(v, n, col, out);
}

/* Append the header "name: value" and its CRLF: plain ASCII folded at
 * spaces before 78 columns, anything else as RFC 2047 encoded words
 * (base64, UTF-8, whole characters in each). Line breaks in value become
 * spaces. */
static void mail_header(buf *out, const char *name, const char *value)
{
	char *v = one_line(value);
	buf_printf(out, "%s: ", name);
	header_value(out, strlen(name) + 2, v);
	buf_puts(out, "\r\n");
	free(v);
}

/* --- addresses ---------------------------------------------------------- */

/* An address setting split: the display name (maybe empty, quotes
 * removed) and the address, both fresh strings. */
struct address {
	char *name, *box;
};

static void address_split(const char *s, struct address *a)
{
	char *v = one_line(s);
	char *lt = strrchr(v, '<');
	size_t n = strlen(v);
	if (lt && n && v[n - 1] == '>') {
		a->box = xstrndup(lt + 1, (size_t)(v + n - 1 - lt - 1));
		char *end = lt;
		while (end > v && end[-1] == ' ')
			end--;
		char *start = v;
		if (end - start >= 2 && *start == '"' && end[-1] == '"')
			start++, end--;
		a->name = xstrndup(start, (size_t)(end - start));
	} else {
		a->box = xstrdup(v);
		a->name = xstrdup("");
	}
	free(v);
}

static void address_release(struct address *a)
{
	free(a->name);
	free(a->box);
}

/* box@host: printable ASCII, one "@" with text on both sides, nothing a
 * header would read as structure. */
static const char *box_problem(const char *box)
{
	const char *at = strchr(box, '@');
	if (!at || at == box || !at[1] || strchr(at + 1, '@'))
		return "is not an address like name@example.org";
	for (const char *p = box; *p; p++)
		if (*p <= 32 || *p > 126 || strchr("<>()[],;:\\\"", *p))
			return "has a character an address cannot hold";
	return NULL;
}

const char *mail_address_problem(const char *s)
{
	struct address a;
	address_split(s, &a);
	const char *why = box_problem(a.box);
	if (!why && strpbrk(a.name, "\"\\<>"))
		why = "has a name with a quote, backslash or angle bracket";
	address_release(&a);
	return why;
}

void mail_address_only(const char *s, buf *out)
{
	struct address a;
	address_split(s, &a);
	buf_puts(out, a.box);
	address_release(&a);
}

/* "Name <box>" at column col: a name of plain words as it is, one with
 * punctuation quoted, one that is not ASCII as encoded words. */
static void address(buf *out, const char *s, size_t col)
{
	struct address a;
	address_split(s, &a);
	size_t n = strlen(a.name);
	if (!n) {
		buf_puts(out, a.box);
	} else if (!header_plain(a.name, n)) {
		encoded_words(a.name, n, col, out);
		buf_printf(out, "\r\n <%s>", a.box);
	} else if (strpbrk(a.name, "()<>[]:;@\\,.\"")) {
		buf_printf(out, "\"%s\" <%s>", a.name, a.box);
	} else {
		buf_printf(out, "%s <%s>", a.name, a.box);
	}
	address_release(&a);
}

static void address_header(buf *out, const char *header, const char *s)
{
	buf_printf(out, "%s: ", header);
	address(out, s, strlen(header) + 2);
	buf_puts(out, "\r\n");
}

void mail_to_header(buf *out, const char *const *to, size_t n)
{
	buf_puts(out, "To: ");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(out, ",\r\n ");
		address(out, to[i], i ? 1 : 4);
	}
	buf_puts(out, "\r\n");
}

/* --- the message -------------------------------------------------------- */

/* "Sat, 12 Aug 2023 00:00:00 +0000" for "2023-08-12"; 0, or -1. */
static int date_header(const char *ymd, buf *out)
{
	static const char days[][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char months[][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm = { 0 };
	if (!ymd || sscanf(ymd, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3 ||
	    tm.tm_mon < 1 || tm.tm_mon > 12)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon--;
	time_t t = timegm(&tm);
	struct tm day;
	if (t == (time_t)-1 || !gmtime_r(&t, &day))
		return -1;
	buf_printf(out, "Date: %s, %02d %s %04d 00:00:00 +0000\r\n", days[day.tm_wday],
		   day.tm_mday, months[day.tm_mon], day.tm_year + 1900);
	return 0;
}

static void part(buf *out, const char *boundary, const char *type, const char *s, size_t n)
{
	buf_printf(out, "--%s\r\nContent-Type: %s; charset=utf-8\r\n"
		   "Content-Transfer-Encoding: quoted-printable\r\n\r\n", boundary, type);
	mail_qp(s, n, out);
	buf_puts(out, "\r\n"); /* the line break before a boundary is the boundary's */
}

static const char *addresses_problem(const struct mail_message *m)
{
	if (!m->from || !*m->from)
		return "has no sender: set email.from in issues/newsletter.yaml";
	if (mail_address_problem(m->from))
		return "cannot use email.from: it is not an address like Name <name@example.org>";
	if (m->reply_to && *m->reply_to && mail_address_problem(m->reply_to))
		return "cannot use email.reply_to: it is not an address like name@example.org";
	const char *u = m->list_unsubscribe;
	if (u && *u && (strpbrk(u, " <>\r\n\t") || (!util_is_web(u) && strncmp(u, "mailto:", 7))))
		return "cannot use email.list_unsubscribe: it is not an https: or mailto: address";
	return NULL;
}

/* Append the message to out. Returns 0, or -1 with *why set to a static
 * reason (a missing From, an address that is not one). */
static int mail_message(const struct mail_message *m, buf *out, const char **why)
{
	if ((*why = addresses_problem(m)))
		return -1;
	buf head = BUF_INIT;
	if (date_header(m->date, &head) < 0) {
		*why = "has no date to put in its Date header";
		buf_release(&head);
		return -1;
	}
	buf_put(out, head.data, head.len);
	buf_release(&head);
	address_header(out, "From", m->from);
	if (m->reply_to && *m->reply_to)
		address_header(out, "Reply-To", m->reply_to);
	mail_header(out, "Subject", m->subject ? m->subject : "");
	struct address from;
	address_split(m->from, &from);
	buf_printf(out, "Message-ID: <weekly.%ld.%s@%s>\r\n", m->number, m->date,
		   strchr(from.box, '@') + 1);
	address_release(&from);
	if (m->list_unsubscribe && *m->list_unsubscribe)
		buf_printf(out, "List-Unsubscribe: <%s>\r\n", m->list_unsubscribe);
	uint64_t h = util_hash(m->text, m->text_len) ^ util_hash(m->html, m->html_len);
	char boundary[32]; /* "=_" never appears in quoted-printable text */
	snprintf(boundary, sizeof boundary, "=_weekly_%016llx", (unsigned long long)h);
	buf_printf(out, "MIME-Version: 1.0\r\n"
		   "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", boundary);
	part(out, boundary, "text/plain", m->text, m->text_len);
	part(out, boundary, "text/html", m->html, m->html_len);
	buf_printf(out, "--%s--\r\n", boundary);
	return 0;
}

/* --- the eml format ----------------------------------------------------- */

static const char *setting(const value *ctx, const char *key)
{
	return value_str(value_path(ctx, key));
}

int mail_issue(const value *ctx, const buf *doc, const buf *parts, buf *out,
	       diag_list *d)
{
	const buf *text = &parts[0], *html = &parts[1];
	const value *num = value_path(ctx, "issue.number");
	struct mail_message m = {
		.from = setting(ctx, "newsletter.email.from"), .reply_to = setting(ctx, "newsletter.email.reply_to"),
		.list_unsubscribe = setting(ctx, "newsletter.email.list_unsubscribe"),
		.subject = doc->data,
		.date = value_str(value_path(ctx, "issue.date")),
		.number = num && value_type(num) == VALUE_NUMBER ? (long)value_num(num) : 0,
		.text = text->data, .text_len = text->len,
		.html = html->data, .html_len = html->len,
	};
	const char *why;
	if (mail_message(&m, out, &why) < 0) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "email", "the message of issue %ld %s",
			 m.number, why);
		return -1;
	}
	return 0;
}
