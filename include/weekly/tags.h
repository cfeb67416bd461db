/* tags.h - how an editor names topics in words (topics.h has the rest):
 * an item's note ends with "tags: video, web" ("tags:" in any case, after
 * a blank or at the start), and an issue's front matter may say
 * "tags: web" or "tags: [web, video]". Tags are separated by commas,
 * blanks, full-width or ideographic commas and ideographic spaces. */
#ifndef WEEKLY_TAGS_H
#define WEEKLY_TAGS_H

#include <stddef.h>

/* Where the tags of a note start (just after "tags:"), or NULL. */
const char *tags_in_note(const char *note);
/* How much of a note readers see: what comes before its tags, without the
 * blanks before them (all of it when it has none). */
size_t tags_note_len(const char *note);
/* How much of a note readers see in a newsletter with topics set (the tags
 * are weekly's then: tags_note_len) or without (all of it: "tags:" is the
 * editor's text). */
size_t tags_shown_len(const char *note, int topics);
/* Call fn with each tag of s (len bytes, not NUL-terminated), and its
 * offset in s. */
typedef void (*tags_fn)(void *ud, const char *tag, size_t len, size_t off);
void tags_each(const char *s, tags_fn fn, void *ud);

#endif
