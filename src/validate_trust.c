/* validate_trust.c - the trust rules over what a source wrote: no key sets
 * HTML, addresses under URL keys are web, mail or relative ones, and no
 * text holds a character XML forbids, raw, escaped or as a Markdown
 * character reference. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "weekly/fsutil.h"
#include "weekly/markdown.h"
#include "weekly/text.h"
#include "weekly/util.h"
#include "weekly/validate.h"
#include "validate_int.h"

/* s as a message quotes it. */
static char *quoted(const char *s)
{
	return util_quoted(s, strlen(s));
}

int validate_html_key(const struct value_entry *e)
{
	return util_ends_with(e->key, e->keylen, "_html");
}

/* Whether a front matter key names a URL: templates put those in href and
 * src attributes. */
static int url_key(const char *k, size_t n)
{
	static const char *const ends[] = { "url", "href", "src", "link", "image", NULL };
	if (n == 8 && strncasecmp(k, "smtp_url", 8) == 0)
		return 0; /* the mail server `weekly send` talks to (smtp.h), never a page's */
	for (const char *const *e = ends; *e; e++) {
		size_t m = strlen(*e);
		if (n >= m && strncasecmp(k + n - m, *e, m) == 0)
			return 1;
	}
	return 0;
}

/* --- character references --------------------------------------------- */

/* A source file: its text given, or read when first needed (NULL when it
 * cannot be). */
struct src_file {
	const char *file;
	const char *text;
	size_t len;
	char *read;
	int tried;
};

static const char *src_file_text(struct src_file *s)
{
	if (!s->text && !s->tried++ && fs_read(s->file, &s->read, &s->len) == 0)
		s->text = s->read;
	return s->text;
}

/* One Markdown text of a source whose references XML forbids are reported:
 * its body (md within the source's text) or a YAML value read from it,
 * starting at line, col. */
struct refs_at {
	struct src_file *src;
	const char *md;
	int line, col;
	diag_list *d;
	size_t count;
	int more_line, more_col; /* the first one not reported on its own */
};

/* Where line, col is in text (len bytes), or NULL. */
static const char *place_in(const char *text, size_t len, int line, int col)
{
	const char *p = text, *end = text + len;
	for (int l = 1; l < line && p; l++)
		if ((p = memchr(p, '\n', (size_t)(end - p))) != NULL)
			p++;
	return p && (size_t)(end - p) >= (size_t)col - 1 ? p + col - 1 : NULL;
}

/* The first place from from on, up to end, that holds the n bytes of s,
 * or NULL. */
static const char *find_from(const char *from, const char *end, const char *s, size_t n)
{
	for (const char *p = from; (size_t)(end - p) >= n; p++) {
		if ((p = memchr(p, *s, (size_t)(end - p) - n + 1)) == NULL)
			return NULL;
		if (memcmp(p, s, n) == 0)
			return p;
	}
	return NULL;
}

/* The place of the reference at off (len bytes) of md in the source: in
 * the body, where it is; in a YAML value, where the source writes it (the
 * same spelling as often before it as in the value), else the value's. */
static void ref_place(struct refs_at *r, size_t off, size_t len, int *line, int *col)
{
	const char *text = src_file_text(r->src), *from, *at = NULL, *ref = r->md + off;
	*line = r->line, *col = r->col;
	if (!text || !(from = place_in(text, r->src->len, r->line, r->col)))
		return;
	const char *end = text + r->src->len;
	if (r->md >= text && r->md <= end) {
		at = ref;
	} else {
		size_t k = 0;
		for (const char *p = r->md; (p = find_from(p, ref, ref, len)) != NULL; p++)
			k++;
		for (at = from; (at = find_from(at, end, ref, len)) != NULL && k; at++)
			k--;
	}
	for (const char *p = from; at && p < at; p++)
		if (*p == '\n')
			++*line, *col = 1;
		else
			++*col;
}

static void ref_found(size_t off, size_t len, unsigned long cp, void *ud)
{
	struct refs_at *r = ud;
	int line, col;
	if (++r->count > TEXT_MAX_REPORTS + 1)
		return;
	ref_place(r, off, len, &line, &col);
	if (r->count > TEXT_MAX_REPORTS)
		r->more_line = line, r->more_col = col;
	else if (cp > 0x10FFFF)
		diag_add(r->d, DIAG_ERROR, r->src->file, line, col, "xml-char",
			 "character reference '%.*s' is past U+10FFFF, the last character "
			 "(Markdown makes it U+FFFD)", (int)len, r->md + off);
	else
		diag_add(r->d, DIAG_ERROR, r->src->file, line, col, "xml-char",
			 "character reference '%.*s' stands for U+%04lX, which XML 1.0 does not "
			 "allow (%s)", (int)len, r->md + off, cp,
			 cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) ? "Markdown makes it U+FFFD"
			 : "the feed would break");
}

/* An error for each character reference of md (len bytes) that names a
 * character XML forbids, at its place in the source. */
static void refs_rule(struct src_file *s, const char *md, size_t len, int line, int col,
		      diag_list *d)
{
	struct refs_at r = { s, md, line, col, d, 0, 0, 0 };
	markdown_bad_refs(md, len, ref_found, &r);
	if (r.count > TEXT_MAX_REPORTS)
		diag_add(d, DIAG_ERROR, s->file, r.more_line, r.more_col, "xml-char",
			 "%zu more character references XML 1.0 does not allow",
			 r.count - TEXT_MAX_REPORTS);
}

/* The trust rules over a tree a source wrote (front matter, settings), at
 * any depth: no key sets HTML (weekly makes every "_html" value from its
 * "_md" sibling), strings under URL keys are web, mail or relative
 * addresses (never javascript:, data: and the like), and no string holds
 * a character XML forbids (YAML escapes such as "\e" can write them). */
static void tree_rules(struct src_file *s, const value *v, int urlish, diag_list *d)
{
	const char *file = s->file;
	unsigned long cp;
	if (value_type(v) == VALUE_STRING && urlish && !util_url_safe(value_str(v))) {
		char *q = quoted(value_str(v));
		diag_add(d, DIAG_ERROR, file, value_line(v), value_col(v), "url",
			 "URL '%s' is not http or https", q);
		free(q);
	}
	if (value_type(v) == VALUE_STRING && text_xml_bad(value_str(v), value_strlen(v), &cp))
		diag_add(d, DIAG_ERROR, file, value_line(v), value_col(v), "xml-char",
			 "character U+%04lX is not allowed in XML 1.0 (the feed would break)", cp);
	for (size_t i = 0; i < value_len(v); i++) {
		const struct value_entry *e = value_entry_at(v, i);
		if (e && validate_html_key(e)) {
			char *q = quoted(e->key);
			diag_add(d, DIAG_ERROR, file, value_line(e->val), value_col(e->val),
				 "raw-html",
				 "'%s' would be raw HTML; write Markdown under '%.*s_md' instead",
				 q, (int)(strlen(q) - 5), q);
			free(q);
		}
		if (e && util_ends_with(e->key, e->keylen, "_md") &&
		    value_type(e->val) == VALUE_STRING)
			refs_rule(s, value_str(e->val), value_strlen(e->val), value_line(e->val),
				  value_col(e->val), d);
		if (e)
			tree_rules(s, e->val, url_key(e->key, e->keylen), d);
		else
			tree_rules(s, value_at(v, i), urlish, d);
	}
}

void validate_trust(const char *file, const char *text, size_t len, const value *tree,
		    diag_list *d)
{
	struct src_file s = { file, text, len, NULL, 0 };
	tree_rules(&s, tree, 0, d);
	free(s.read);
}

/* Character references in the body that name characters XML forbids. */
void validate_body_refs(const struct issue *is, diag_list *d)
{
	struct src_file s = { is->path, is->text, is->len, NULL, 0 };
	const char *body = place_in(is->text, is->len, is->body_line, 1);
	if (body)
		refs_rule(&s, body, (size_t)(is->text + is->len - body), is->body_line, 1, d);
}
