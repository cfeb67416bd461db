/* mailcheck.c - the email format checked as mail clients will treat it. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "weekly/mailcheck.h"
#include "weekly/util.h"

/* The value of attribute name in the tag from s to end, HTML entities of
 * URLs (&amp; &quot; &#39;) decoded, in a fresh string; NULL when the tag
 * has none. Templates and cmark quote every value with ". */
static char *attr(const char *s, const char *end, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = s; p + n + 2 < end; p++) {
		if (p[-1] != ' ' || strncasecmp(p, name, n) != 0 || p[n] != '=' || p[n + 1] != '"')
			continue;
		const char *v = p + n + 2, *q = memchr(v, '"', (size_t)(end - v));
		buf b = BUF_INIT;
		for (const char *c = v; c < (q ? q : end); c++) {
			static const struct { const char *ent; char ch; } ents[] = {
				{ "&amp;", '&' }, { "&quot;", '"' }, { "&#39;", '\'' }, { "&lt;", '<' },
				{ "&gt;", '>' } };
			size_t k = 0;
			while (k < sizeof ents / sizeof *ents &&
			       strncmp(c, ents[k].ent, strlen(ents[k].ent)) != 0)
				k++;
			if (k < sizeof ents / sizeof *ents) {
				buf_putc(&b, ents[k].ch);
				c += strlen(ents[k].ent) - 1;
			} else {
				buf_putc(&b, *c);
			}
		}
		return buf_take(&b);
	}
	return NULL;
}

/* Where the issue writes url as a link (image 0) or an image (1), or NULL. */
static const struct link *written(const struct issue *is, const char *url, int image)
{
	for (size_t i = 0; i < is->nlinks; i++)
		if (is->links[i].image == image && strcmp(is->links[i].url, url) == 0)
			return &is->links[i];
	return NULL;
}

static void warn(const struct issue *is, const struct link *at, diag_list *d,
		 const char *rule, const char *what, const char *url)
{
	diag_add(d, DIAG_WARNING, is->path, at ? at->line : 0, at ? at->col : 0, rule,
		 "%s%s%s%s", what, url ? " " : "", url ? url : "",
		 at ? "" : " (from the templates or settings)");
}

static void check_image(const struct issue *is, const char *s, const char *end, diag_list *d)
{
	char *src = attr(s, end, "src"), *alt = attr(s, end, "alt"), *width = attr(s, end, "width");
	const struct link *at = src ? written(is, src, 1) : NULL;
	if (src && *src) { /* an empty one is an address refused as unsafe: no image */
		if (!width)
			warn(is, at, d, "email-image", "image without a width attribute "
			     "(Outlook shows it at its full size):", src);
		if (strncasecmp(src, "http:", 5) == 0)
			warn(is, at, d, "email-http", "image over plain http (mail clients block "
			     "or flag it; use https):", src);
		if (!at && (!alt || !*alt))
			warn(is, at, d, "email-alt", "image without alt text:", src);
	}
	free(src);
	free(alt);
	free(width);
}

static void check_link(const struct issue *is, const char *s, const char *end, diag_list *d)
{
	char *href = attr(s, end, "href");
	if (href && strncasecmp(href, "http:", 5) == 0)
		warn(is, written(is, href, 0), d, "email-http",
		     "link over plain http (mail clients flag it; use https):", href);
	free(href);
}

void mailcheck_size(const struct issue *is, const buf *html, diag_list *d)
{
	if (html->len > MAILCHECK_MAX_BYTES)
		diag_add(d, DIAG_WARNING, is->path, 0, 0, "email-size",
			 "the email is %.1f KB: Gmail clips a message above about 102 KB and "
			 "hides the rest behind a link (warned above %d KB)",
			 (double)html->len / 1024, MAILCHECK_MAX_BYTES / 1024);
}

/* Check html, the email format of is, adding warnings to d. */
static void mailcheck_html(const struct issue *is, const buf *html, diag_list *d)
{
	mailcheck_size(is, html, d);
	const char *s = html->data, *p = s;
	while ((p = strchr(p, '<'))) {
		const char *end = strchr(p, '>');
		if (!end)
			break;
		if (strncasecmp(p, "<img ", 5) == 0)
			check_image(is, p + 4, end, d);
		else if (strncasecmp(p, "<a ", 3) == 0)
			check_link(is, p + 2, end, d);
		p = end;
	}
}

static int blank(const buf *b)
{
	for (size_t i = 0; i < b->len; i++)
		if (b->data[i] != ' ' && b->data[i] != '\n' && b->data[i] != '\t')
			return 0;
	return 1;
}

void mailcheck_email(const struct issue *is, const buf *html, const buf *text,
		     const char *text_template, diag_list *d)
{
	if (html)
		mailcheck_html(is, html, d);
	if (!text || blank(text))
		diag_add(d, DIAG_WARNING, is->path, 0, 0, "email-text",
			 "the email has no plain-text part: templates/%s is missing or "
			 "writes nothing", text_template);
}
