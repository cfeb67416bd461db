/* topics_int.h - what topics.c (the vocabulary, the topics of items, their
 * check) gives topic_pages.c (the pages and feeds). Not part of topics.h. */
#ifndef WEEKLY_TOPICS_INT_H
#define WEEKLY_TOPICS_INT_H

#include <stddef.h>
#include "weekly/buf.h"
#include "weekly/topics.h"

struct vocab {
	size_t n;
	const char *id[TOPICS_MAX], *title[TOPICS_MAX], *description[TOPICS_MAX];
	const value *markers[TOPICS_MAX];
};

/* The topics of the settings that can be used (topics_check_settings says
 * what is wrong with the others), in their order. */
void topics_vocab_load(const struct newsletter *n, struct vocab *v);
/* One line per item of is with topics: its section (an index into the
 * settings' sections), its number there, its topics ("0,3"), title, url
 * and note, tab-separated. */
void topics_issue_lines(const struct vocab *v, const struct issue *is, buf *out);
/* Whether a source may give an item a topic: it holds a marker or "tags". */
int topics_mentioned(const struct vocab *v, const char *text, size_t len);

#endif
