/* linkfix.c - links rewritten in the issues' sources, where they are written. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/buf.h"
#include "weekly/diag.h"
#include "weekly/fsutil.h"
#include "weekly/linkfix.h"
#include "weekly/linkmeta.h"
#include "weekly/util.h"

struct linkfix_change {
	const struct link_ref *ref;
	char *to;
	size_t at;          /* byte offset of the URL in the file */
};

static int linkfix_by_place(const void *a, const void *b)
{
	const struct linkfix_change *x = a, *y = b;
	int c = strcmp(x->ref->file, y->ref->file);
	if (c)
		return c;
	if (x->ref->line != y->ref->line)
		return x->ref->line < y->ref->line ? -1 : 1;
	return (x->ref->col > y->ref->col) - (x->ref->col < y->ref->col);
}

/* Where url is written on line, at col or after it, ending where a URL
 * ends; (size_t)-1 when it is not there. */
static size_t linkfix_find(const char *text, size_t len, int line, int col, const char *url)
{
	size_t off = 0, n = strlen(url);
	for (int l = 1; l < line && off < len; l++) {
		const char *nl = memchr(text + off, '\n', len - off);
		off = nl ? (size_t)(nl - text) + 1 : len;
	}
	size_t end = off + strcspn(text + off, "\n");
	for (size_t i = off + (col > 0 ? (size_t)col - 1 : 0); i + n <= end; i++)
		if (memcmp(text + i, url, n) == 0 && (i + n == end || strchr(")> \t\"'\r", text[i + n])))
			return i;
	return (size_t)-1;
}

/* The changes of one file, sorted by place: applied from the last. */
static int linkfix_file(struct linkfix_change *c, size_t n, FILE *out, diag_list *d)
{
	const char *path = c[0].ref->file;
	char *text;
	size_t len;
	if (fs_read(path, &text, &len) < 0) {
		diag_add(d, DIAG_ERROR, path, 0, 0, NULL, "cannot read: %s", strerror(errno));
		return -1;
	}
	buf b = BUF_INIT;
	size_t done = len, changed = 0;
	for (size_t i = n; i-- > 0;) {
		size_t at = linkfix_find(text, len, c[i].ref->line, c[i].ref->col, c[i].ref->url);
		size_t ulen = strlen(c[i].ref->url);
		if (at == (size_t)-1 || at + ulen > done) {
			c[i].at = (size_t)-1;
			continue;
		}
		c[i].at = at;
		buf tail = BUF_INIT;
		buf_puts(&tail, c[i].to);
		buf_put(&tail, text + at + ulen, done - at - ulen);
		buf_put(&tail, b.data, b.len);
		buf_release(&b);
		b = tail;
		done = at;
		changed++;
	}
	buf whole = BUF_INIT;
	buf_put(&whole, text, done);
	buf_put(&whole, b.data, b.len);
	int rc = changed ? fs_write_atomic(path, whole.data, whole.len) : 0;
	if (rc < 0)
		diag_add(d, DIAG_ERROR, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
	for (size_t i = 0; i < n && rc == 0; i++)
		if (c[i].at != (size_t)-1)
			diag_say(out, "%s:%d:%d: %s -> %s\n", path, c[i].ref->line, c[i].ref->col,
				 c[i].ref->url, c[i].to);
	buf_release(&whole);
	buf_release(&b);
	free(text);
	return rc < 0 ? -1 : (int)changed;
}

long linkfix_apply(const struct link_ref *refs, char *const *to, size_t n, FILE *out,
		   diag_list *d)
{
	struct linkfix_change *c = xcalloc(n ? n : 1, sizeof(*c));
	size_t k = 0;
	long total = 0;
	for (size_t i = 0; i < n; i++) {
		const char *frag = strchr(refs[i].url, '#');
		char *target = to && to[i] && frag && !strchr(to[i], '#')
				       ? xasprintf("%s%s", to[i], frag) /* the same part of it */
				       : xstrdup(to && to[i] ? to[i] : refs[i].url);
		char *clean = linkmeta_untrack(target);
		/* as a link holds it: a ')' would end the link */
		char *written = linkmeta_markdown_url(clean);
		/* the same URL, or the same as --fix wrote it before */
		int same = strcmp(clean, refs[i].url) == 0 || strcmp(written, refs[i].url) == 0;
		free(target);
		free(clean);
		if (same || !refs[i].file) {
			free(written);
			continue;
		}
		c[k].ref = &refs[i];
		c[k++].to = written;
	}
	qsort(c, k, sizeof(*c), linkfix_by_place);
	for (size_t i = 0, j; i < k; i = j) {
		for (j = i + 1; j < k && strcmp(c[j].ref->file, c[i].ref->file) == 0; j++)
			;
		int rc = linkfix_file(c + i, j - i, out, d);
		total = rc < 0 || total < 0 ? -1 : total + rc;
	}
	for (size_t i = 0; i < k; i++)
		free(c[i].to);
	free(c);
	return total;
}
