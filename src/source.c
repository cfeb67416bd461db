/* source.c - a source's text as every reader sees it (see source.h). */
#include <stdlib.h>
#include <string.h>
#include "weekly/fsutil.h"
#include "weekly/source.h"
#include "weekly/util.h"

/* text (len bytes, room for one more) without its byte-order mark, each
 * CRLF made LF, in place, as s's text. */
static void normalize(struct src *s, char *text, size_t len)
{
	size_t i = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0, j = 0;
	while (i < len) {
		const char *cr = memchr(text + i, '\r', len - i);
		size_t n = cr ? (size_t)(cr - text) - i : len - i;
		if (j != i)
			memmove(text + j, text + i, n);
		j += n;
		i += n;
		if (cr && !(i + 1 < len && text[i + 1] == '\n'))
			text[j++] = '\r'; /* a lone CR stays */
		i += cr != NULL;
	}
	text[j] = '\0';
	s->text = text;
	s->len = j;
}

/* The offsets where the lines of text (as src_init leaves it) start, the
 * first max of them, into starts; how many it wrote. */
static size_t src_index(const char *text, size_t len, uint32_t *starts, size_t max)
{
	size_t n = 0;
	const char *t = text, *end = text + len, *nl;
	if (len && n < max)
		starts[n++] = 0;
	for (; n < max && (nl = memchr(t, '\n', (size_t)(end - t))) && nl + 1 < end; t = nl + 1)
		starts[n++] = (uint32_t)(nl + 1 - text);
	return n;
}

/* Index s's lines from room for cap of them on (doubled until they fit):
 * all of them, or (front given) those up to the one closing its front
 * matter, which *front is then. */
static void index_lines(struct src *s, size_t cap, struct src_front *front)
{
	for (;; cap *= 2) {
		s->starts = xmalloc(cap * sizeof *s->starts);
		s->nlines = src_index(s->text, s->len, s->starts, cap);
		if (front)
			*front = src_front(s);
		if (s->nlines < cap || (front && front->kind != SRC_FRONT_OPEN))
			break;
		free(s->starts);
	}
}

void src_take(struct src *s, char *text, size_t len)
{
	normalize(s, text, len);
	/* room for a line every 16 bytes, and more in the rare text that
	 * has more */
	index_lines(s, s->len / 16 + 2, NULL);
}

struct src_front src_take_front(struct src *s, char *text, size_t len)
{
	struct src_front f;
	normalize(s, text, len);
	index_lines(s, 32, &f);
	return f;
}

void src_init(struct src *s, const char *text, size_t len)
{
	char *copy = xmalloc(len + 1);
	memcpy(copy, text, len);
	src_take(s, copy, len);
}

int src_load(struct src *s, const char *path)
{
	char *text;
	size_t len;
	*s = (struct src)SRC_INIT;
	if (fs_read(path, &text, &len) < 0)
		return -1;
	src_take(s, text, len);
	return 0;
}

void src_release(struct src *s)
{
	free(s->text);
	free(s->starts);
	*s = (struct src)SRC_INIT;
}

size_t src_at(const struct src *s, size_t i)
{
	return i < s->nlines ? s->starts[i] : s->len;
}

const char *src_lines(const struct src *s, size_t first, size_t end, size_t *len)
{
	size_t from = src_at(s, first), to = src_at(s, end);
	if (to > from && s->text[to - 1] == '\n')
		to--;
	*len = to > from ? to - from : 0;
	return s->text + from;
}

const char *src_line(const struct src *s, size_t i, size_t *len)
{
	return src_lines(s, i, i + 1, len);
}

/* Whether line i is word with nothing after it but spaces and tabs. */
static int is_fence(const struct src *s, size_t i, const char *word)
{
	size_t len;
	const char *l = src_line(s, i, &len);
	while (len && (l[len - 1] == ' ' || l[len - 1] == '\t'))
		len--;
	return len == 3 && memcmp(l, word, 3) == 0;
}

struct src_front src_front(const struct src *s)
{
	struct src_front f = { SRC_FRONT_NONE, 0, "", 0 };
	if (!is_fence(s, 0, "---"))
		return f;
	f.kind = SRC_FRONT_OPEN;
	for (size_t i = 1; i < s->nlines && f.kind == SRC_FRONT_OPEN; i++)
		if (is_fence(s, i, "---") || is_fence(s, i, "...")) {
			f = (struct src_front){ SRC_FRONT_CLOSED, i, s->text + src_at(s, 1),
						src_at(s, i) - src_at(s, 1) };
		}
	return f;
}
