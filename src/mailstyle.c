/* mailstyle.c - inline styles for every element of the email format. */
#include <string.h>
#include <strings.h>
#include "weekly/mailstyle.h"

#define MONO "font-family:Menlo,Consolas,'Courier New',monospace;"
/* Long words and addresses break rather than widen the message (the
 * template's content cell says so for the text it holds; links, code and
 * table cells say it again, for clients that drop the cell's style). */
#define BREAK "overflow-wrap:anywhere;word-break:break-word;"
#define TEXT "color:#222222;"
#define CELL "border:1px solid #cccccc;padding:4px 6px;vertical-align:top;" BREAK

static const struct {
	const char *name, *style;
} mailstyle_table[] = {
	{ "a", "color:#1a5fb4;" BREAK },
	{ "p", "margin:0 0 16px;" },
	{ "pre", "margin:0 0 16px;padding:10px 12px;background-color:#f4f4f4;" TEXT MONO
		 "font-size:13px;line-height:1.45;white-space:pre-wrap;" BREAK },
	{ "code", "background-color:#f4f4f4;" TEXT MONO "font-size:14px;padding:1px 3px;" BREAK },
	{ "blockquote", "margin:0 0 16px;padding:2px 0 2px 12px;border-left:3px solid #cccccc;"
			"background-color:#ffffff;color:#555555;" },
	{ "ul", "margin:0 0 16px;padding-left:24px;" },
	{ "ol", "margin:0 0 16px;padding-left:24px;" },
	{ "li", "margin:0 0 6px;" },
	{ "table", "width:100%;max-width:100%;table-layout:fixed;border-collapse:collapse;"
		   "margin:0 0 16px;font-size:14px;background-color:#ffffff;" TEXT },
	{ "thead", "vertical-align:top;" }, { "tbody", "vertical-align:top;" },
	{ "tr", "vertical-align:top;" },
	{ "th", CELL "font-weight:bold;background-color:#f4f4f4;" TEXT },
	{ "td", CELL },
	{ "h1", "margin:24px 0 8px;font-size:24px;line-height:1.3;color:#111111;" },
	{ "h2", "margin:24px 0 8px;font-size:21px;line-height:1.3;color:#111111;" },
	{ "h3", "margin:24px 0 8px;font-size:18px;line-height:1.3;color:#111111;" },
	{ "h4", "margin:16px 0 8px;font-size:16px;line-height:1.3;color:#111111;" },
	{ "h5", "margin:16px 0 8px;font-size:15px;line-height:1.3;color:#111111;" },
	{ "h6", "margin:16px 0 8px;font-size:14px;line-height:1.3;color:#111111;" },
	{ "hr", "border:0;border-top:1px solid #cccccc;margin:24px 0;" },
	{ "img", "max-width:100%;height:auto;border:0" },
	{ "strong", "font-weight:bold;" }, { "b", "font-weight:bold;" },
	{ "em", "font-style:italic;" }, { "i", "font-style:italic;" },
	{ "del", "text-decoration:line-through;" }, { "s", "text-decoration:line-through;" },
	{ "sup", "font-size:75%;line-height:0;" }, { "sub", "font-size:75%;line-height:0;" },
};

/* Inside pre, code is the block's text: no box of its own. */
#define PRE_CODE "background-color:transparent;padding:0;font-size:13px;" MONO

/* The style mailstyle_inline gives an element named name (lowercase), or
 * NULL for an element that takes none (br, and everything outside the
 * message's body). */
static const char *mailstyle_for(const char *name, size_t len, int in_pre)
{
	if (in_pre && len == 4 && strncasecmp(name, "code", 4) == 0)
		return PRE_CODE;
	for (size_t i = 0; i < sizeof mailstyle_table / sizeof *mailstyle_table; i++)
		if (strlen(mailstyle_table[i].name) == len &&
		    strncasecmp(mailstyle_table[i].name, name, len) == 0)
			return mailstyle_table[i].style;
	return NULL;
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The end of the tag starting at s ('>' or the end of the text), quoted
 * attribute values skipped. */
static const char *tag_end(const char *s)
{
	char quote = 0;
	for (; *s; s++) {
		if (quote) {
			if (*s == quote)
				quote = 0;
		} else if (*s == '"' || *s == '\'') {
			quote = *s;
		} else if (*s == '>') {
			return s;
		}
	}
	return s;
}

/* Whether the attributes from s to end hold a style. */
static int has_style(const char *s, const char *end)
{
	for (const char *p = s; p + 6 < end; p++)
		if ((p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n') &&
		    strncasecmp(p, "style", 5) == 0 && (p[5] == '=' || p[5] == ' '))
			return 1;
	return 0;
}

void mailstyle_inline(buf *doc)
{
	buf out = BUF_INIT;
	const char *s = doc->data, *p;
	int in_pre = 0;
	while ((p = strchr(s, '<'))) {
		int closing = p[1] == '/';
		const char *name = p + 1 + closing, *n = name;
		while (is_alpha(*n) || (n > name && *n >= '0' && *n <= '9'))
			n++;
		size_t len = (size_t)(n - name);
		if (len == 3 && strncasecmp(name, "pre", 3) == 0)
			in_pre = !closing;
		const char *end = tag_end(n);
		const char *style = closing || !len || has_style(n, end)
			? NULL : mailstyle_for(name, len, in_pre);
		buf_put(&out, s, (size_t)(n - s));
		if (style)
			buf_printf(&out, " style=\"%s\"", style);
		s = n;
	}
	buf_puts(&out, s);
	buf_release(doc);
	*doc = out;
}
