/* itemline.c - lines that start like items, and what is wrong with them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/itemline.h"
#include "weekly/util.h"

#define FULLSTOP "\xEF\xBC\x8E" /* ． U+FF0E */
#define WIDE_SPACE "\xE3\x80\x80" /* U+3000 */
#define WIDE_PAREN "\xEF\xBC\x88" /* （ U+FF08 */
#define LENTICULAR "\xE3\x80\x90" /* 【 U+3010 */
#define WIDE_BRACKET "\xEF\xBC\xBB" /* ［ U+FF3B */

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The number and its sign at s: where the marker ends, or 0. */
static size_t numbered(const char *s, size_t len, struct item_line *il)
{
	size_t i = 0;
	long n = 0;
	for (; i < len && i < 9 && s[i] >= '0' && s[i] <= '9'; i++)
		n = n * 10 + (s[i] - '0');
	if (i == 0 || i == len)
		return 0;
	il->number = n;
	size_t b = i;
	while (b < len && is_blank(s[b]))
		b++;
	if (b > i && b < len && s[b] == '[') /* "2 [title](url)": no sign */
		return il->nosign = 1, i;
	if (s[i] == '.' || s[i] == ')') {
		/* "3.14", "1.2.3": a number, not a marker */
		return i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9' ? 0 : i + 1;
	}
	il->comma = len - i >= 3 && memcmp(s + i, ITEM_LINE_COMMA, 3) == 0;
	il->fullstop = len - i >= 3 && memcmp(s + i, FULLSTOP, 3) == 0;
	return il->comma || il->fullstop ? i + 3 : 0;
}

int item_line_read(const char *s, size_t len, struct item_line *il)
{
	memset(il, 0, sizeof *il);
	while (il->indent < len && il->indent < 4 && s[il->indent] == ' ')
		il->indent++;
	if (il->indent > 3)
		return 0;
	const char *m = s + il->indent;
	size_t rest = len - il->indent, mark;
	while (il->emphasis < rest && il->emphasis < 3 &&
	       (m[il->emphasis] == '*' || m[il->emphasis] == '_'))
		il->emphasis++;
	if (il->emphasis && rest > il->emphasis && m[il->emphasis] >= '0' &&
	    m[il->emphasis] <= '9') {
		m += il->emphasis, rest -= il->emphasis; /* "**1. [title](url)**" */
	} else {
		il->emphasis = 0;
	}
	if (!il->emphasis && rest && (*m == '-' || *m == '*' || *m == '+')) {
		/* "- text" and "-[title](url)"; not "**bold**", "---" or "+1" */
		il->number = -1;
		if (rest > 1 && !is_blank(m[1]) && m[1] != '[')
			return 0;
		mark = 1;
	} else if (!(mark = numbered(m, rest, il))) {
		return 0;
	}
	il->mark = il->indent + il->emphasis + mark;
	il->text = il->mark;
	for (;;) {
		if (il->text < len && is_blank(s[il->text]))
			il->text++;
		else if (len - il->text >= 3 && memcmp(s + il->text, WIDE_SPACE, 3) == 0)
			il->text += 3, il->wide_blank = 1;
		else
			break;
	}
	return 1;
}

/* --- what is wrong ------------------------------------------------------ */

size_t item_line_closing(const char *s, size_t len)
{
	char open = s[0], close = open == '[' ? ']' : ')';
	int depth = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len)
			i++;
		else if (s[i] == open)
			depth++;
		else if (s[i] == close && --depth == 0)
			return i;
	}
	return 0;
}

/* What keeps the text t, starting with '[', from being a link. */
static const char *broken_link(const char *t, size_t len)
{
	size_t end = item_line_closing(t, len), i = end + 1;
	if (!end)
		return "its '[' is not closed";
	while (i < len && is_blank(t[i]))
		i++;
	if (len - i >= 3 && memcmp(t + i, WIDE_PAREN, 3) == 0)
		return "'（' is a full-width parenthesis: a link is [title](url)";
	if (i == len || t[i] != '(')
		return "the [title] is not followed by (url)";
	if (i > end + 1)
		return "no space may come between ']' and '('";
	size_t close = item_line_closing(t + i, len - i);
	if (!close)
		return "its '(' is not closed";
	const char *url = t + i + 1;
	size_t ulen = close - 1;
	if (memchr(url, ' ', ulen) || memchr(url, '\t', ulen))
		return "its URL has a space in it (in a URL a space is written %20)";
	return "it is not read as a link";
}

/* "item 2" or "an item", and the marker a fix writes with its blank:
 * "2. " "2) " "-", and "2、" (Chinese writes none after it). */
static void names(const char *s, const struct item_line *il, char *what, size_t wcap,
		  char *mark, size_t mcap)
{
	if (il->number < 0) {
		snprintf(what, wcap, "an item");
		snprintf(mark, mcap, "%c ", s[il->indent]);
		return;
	}
	snprintf(what, wcap, "item %ld", il->number);
	if (il->fullstop)
		snprintf(mark, mcap, "%ld. ", il->number);
	else
		snprintf(mark, mcap, "%.*s%s", (int)(il->mark - il->indent - il->emphasis),
			 s + il->indent + il->emphasis, il->comma ? "" : " ");
}

char *item_line_problem(const char *s, size_t len, const struct item_line *il,
			enum item_link where, int runs_on, int before_sections)
{
	while (len > il->indent && is_blank(s[len - 1]))
		len--;
	char what[32], mark[32];
	names(s, il, what, sizeof what, mark, sizeof mark);
	char *q = util_quoted(s + il->indent, len - il->indent), *msg;
	const char *t = s + il->text;
	size_t tlen = len > il->text ? len - il->text : 0;
	if (before_sections)
		msg = xasprintf("'%s' looks like %s but comes before the first section heading; "
				"put it under its section's '## ' heading", q, what);
	else if (il->nosign)
		msg = xasprintf("'%s' looks like %s but has no '.' after its number; "
				"write %ld. [title](url)", q, what, il->number);
	else if (il->emphasis)
		msg = xasprintf("'%s' looks like %s but is wrapped in '%.*s'; write %s[title](url) "
				"without it", q, what, (int)il->emphasis, s + il->indent, mark);
	else if (where == LINK_LATER)
		msg = xasprintf("'%s' looks like %s but does not start with its link; "
				"write %s[title](url) and the rest after the link", q, what, mark);
	else if (where == LINK_NONE && tlen && t[0] == '[')
		msg = xasprintf("'%s' looks like %s but %s; write %s[title](url)", q, what,
				broken_link(t, tlen), mark);
	else if (where == LINK_NONE && tlen >= 3 && (memcmp(t, LENTICULAR, 3) == 0 ||
						     memcmp(t, WIDE_BRACKET, 3) == 0))
		msg = xasprintf("'%s' looks like %s but '%.3s' is a full-width bracket: a link is "
				"[title](url); write %s[title](url)", q, what, t, mark);
	else if (where == LINK_NONE)
		msg = xasprintf("'%s' looks like %s but has no link; write %s[title](url)%s", q,
				what, mark, il->number < 0
				? ", or indent the line to keep it in a description"
				: ", or say 'titles_only: true' in the front matter of an issue "
				  "that lists titles only");
	else if (il->fullstop)
		msg = xasprintf("'%s' looks like %s but '．' is not an item marker; write %s[title](url)",
				q, what, mark);
	else if (il->wide_blank)
		msg = xasprintf("'%s' looks like %s but the space after '%.*s' is a full-width one; "
				"write %s[title](url)", q, what, (int)(il->mark - il->indent),
				s + il->indent, mark);
	else if (il->text == il->mark && !il->comma)
		msg = xasprintf("'%s' looks like %s but has no space after '%.*s'; write %s[title](url)",
				q, what, (int)(il->mark - il->indent), s + il->indent, mark);
	else if (runs_on)
		msg = xasprintf("'%s' looks like %s but runs on from the line above; "
				"leave a blank line before it", q, what);
	else
		msg = xasprintf("'%s' looks like %s but is not read as one; write %s[title](url) "
				"after a blank line", q, what, mark);
	free(q);
	return msg;
}
