/* source.h - the one reader of a Markdown source's text (an issue, an
 * issue as published): what every module that reads one sees.
 *
 * The byte-order mark is dropped and CRLF made LF (a lone CR stays, as
 * Markdown reads it as text); lines are indexed; the front matter is the
 * lines between a first line '---' and the next line '---' or '...'
 * (spaces and tabs after either allowed). A src owns its text and index;
 * src_release frees them. */
#ifndef WEEKLY_SOURCE_H
#define WEEKLY_SOURCE_H

#include <stddef.h>
#include <stdint.h>

struct src {
	char *text;        /* NUL-terminated */
	size_t len;
	uint32_t *starts;  /* offset where each line starts (texts are at most
			      FS_MAX_FILE: 4 bytes a line) */
	size_t nlines;     /* a final newline ends a line, it starts none: an
			      empty text has no lines */
};

#define SRC_INIT { NULL, 0, NULL, 0 }

/* Read len bytes of text (copied) into s. */
void src_init(struct src *s, const char *text, size_t len);
/* The same with text itself, a block of len bytes and room for one more
 * (as fs_read gives) that s now owns. */
void src_take(struct src *s, char *text, size_t len);
/* Read the file at path into s: 0, or -1 (errno set, s left empty) when
 * it cannot be read (fsutil.h's fs_read). */
int src_load(struct src *s, const char *path);
void src_release(struct src *s);

/* Offset where line i (0-based) starts; len past the last line. */
size_t src_at(const struct src *s, size_t i);
/* Lines [first, end) (0-based) without the last newline; "" past the last
 * line. */
const char *src_lines(const struct src *s, size_t first, size_t end, size_t *len);
/* Line i (0-based) without its newline. */
const char *src_line(const struct src *s, size_t i, size_t *len);

/* Whether s opens with front matter (line 0 is '---') and which line, if
 * any, closes it; the YAML between them (lines 1 to end - 1). */
struct src_front {
	enum { SRC_FRONT_NONE, SRC_FRONT_OPEN, SRC_FRONT_CLOSED } kind;
	size_t end;        /* the closing line */
	const char *yaml;  /* points into s->text */
	size_t len;
};
struct src_front src_front(const struct src *s);
/* src_take for a reader of the front matter alone: the lines are indexed
 * up to the one closing it (all of them when there is none or it is not
 * closed), and the front matter returned as src_front finds it. */
struct src_front src_take_front(struct src *s, char *text, size_t len);

#endif
