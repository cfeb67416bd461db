/* mailstyle.h - the email format's finishing step: mail clients drop style
 * sheets, so every element of the message that has no style of its own
 * gets one inline, by tag: description content (paragraphs, links, code,
 * tables, quotes, lists, images...) looks the same in every client, holds
 * within a phone's width (pre wraps, long words and addresses break,
 * tables shrink to the message, images no wider than it) and sets its text
 * colour with its background so that clients that darken messages keep
 * the two apart. Elements the template styled keep their own style. */
#ifndef WEEKLY_MAILSTYLE_H
#define WEEKLY_MAILSTYLE_H

#include "buf.h"

/* Templates and cmark write tags as "<name" and escape every other "<",
 * so tags are found without parsing the document. */
void mailstyle_inline(buf *doc);

#endif
