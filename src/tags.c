/* tags.c - the words that name topics: a note's "tags:", and the tags of
 * a text (see tags.h). */
#include <string.h>
#include <strings.h>
#include "weekly/tags.h"

#define TAGS "tags:"

/* The length of the separator at s: a comma, a space or a tab, a
 * full-width comma, an ideographic comma or space; 0 when s is none. */
static size_t separator(const char *s)
{
	if (*s == ',' || *s == ' ' || *s == '\t')
		return 1;
	if (strncmp(s, "\xef\xbc\x8c", 3) == 0 || strncmp(s, "\xe3\x80\x81", 3) == 0 ||
	    strncmp(s, "\xe3\x80\x80", 3) == 0)
		return 3;
	return 0;
}

void tags_each(const char *s, tags_fn fn, void *ud)
{
	size_t i = 0;
	while (s[i]) {
		size_t k = separator(s + i);
		if (k) {
			i += k;
			continue;
		}
		size_t start = i;
		while (s[i] && !separator(s + i))
			i++;
		fn(ud, s + start, i - start, start);
	}
}

const char *tags_in_note(const char *note)
{
	for (const char *p = note; p && *p; p++)
		if ((*p | 0x20) == TAGS[0] && strncasecmp(p, TAGS, strlen(TAGS)) == 0 &&
		    (p == note || p[-1] == ' ' || p[-1] == '\t'))
			return p + strlen(TAGS);
	return NULL;
}

size_t tags_note_len(const char *note)
{
	const char *tags = tags_in_note(note);
	size_t n = tags ? (size_t)(tags - note) - strlen(TAGS) : note ? strlen(note) : 0;
	while (n && (note[n - 1] == ' ' || note[n - 1] == '\t'))
		n--;
	return n;
}

size_t tags_shown_len(const char *note, int topics)
{
	return topics ? tags_note_len(note) : note ? strlen(note) : 0;
}
