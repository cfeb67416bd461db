/* topics.h - the newsletter's topics: a vocabulary in the settings, the
 * topics each item carries, their check, and one page and one Atom feed per
 * topic listing its items across the archive, newest first.
 *
 *   topics:
 *     - id: english              # a-z, 0-9 and '-': names topics/english.html
 *       title: In English
 *       description: "..."       # optional, plain text
 *       markers: ["(English)", "（英文）"]
 *
 * An item carries a topic when its title or its note (the text after its
 * link on its line) holds one of the topic's markers (ASCII letters in any
 * case), when its note names it after "tags:" ("tags: video, web", the
 * rest of the note), or when its issue's front matter does ("tags: [web]"
 * or "tags: web": every item of the issue); tags.h reads those words. A tag names a topic by its id
 * or its title, in any case; one the vocabulary lacks is an error [topic]
 * at its FILE:LINE:COL with the topic it may have meant. A note's tags are
 * for weekly: note_html leaves them out (pages, feeds), note and note_md
 * keep them (the Markdown output, as written).
 *
 * The pages come from templates/topic.html.mustache and
 * topic.xml.mustache (each optional), as build/topics/ID.html and
 * build/topics/ID.xml. Which items each issue holds, and which pages and
 * feeds were written, are kept in build/.weekly/topics.tsv: only issues
 * whose source changed are taken again (from the build job that parsed
 * them, topics_run.handed, or else read again), a topic's page and feed are
 * rendered only when its items (or the settings, templates or the issues
 * they name) changed, and those of a topic taken out of the vocabulary are
 * removed while they hold what was written. */
#ifndef WEEKLY_TOPICS_H
#define WEEKLY_TOPICS_H

#include <stddef.h>
#include <stdint.h>
#include "archive.h"
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "issue.h"
#include "value.h"

/* At most this many topics in the vocabulary. */
#define TOPICS_MAX 256
/* How many of a topic's newest items its page lists (a page of a few
 * hundred kilobytes, and the memory of its context, at any archive size). */
#define TOPICS_PAGE_SIZE 1000
/* How many of a topic's newest items its feed carries. */
#define TOPICS_FEED_SIZE 50

#define TOPICS_PAGE_TEMPLATE "topic.html.mustache"
#define TOPICS_FEED_TEMPLATE "topic.xml.mustache"

/* Errors in the setting topics: not a list of maps, an id missing, not
 * made of a-z, 0-9 and '-', or given twice, a title missing, markers not a
 * list of strings; each at its line. */
void topics_check_settings(const struct newsletter *n, diag_list *d);
/* Errors for the tags of is that name no topic, front matter and notes. */
void topics_check_issue(const struct newsletter *n, const struct issue *is, diag_list *d);

/* Render a topic's page or feed from template tmpl into build/NAME, unless
 * it is there as made from key: the caller's writer. Returns an exit status. */
typedef int (*topics_render_fn)(void *ud, const char *tmpl, const char *name, value *ctx,
				uint64_t key);
/* A page or feed an earlier build wrote that nothing makes any more (its
 * topic or its template is gone), and whether it still holds what was
 * written: the caller's to remove. */
typedef void (*topics_gone_fn)(void *ud, const char *name, int intact);

struct topics_run {
	struct archive *a;
	const struct newsletter *n;
	value *newsletter;   /* the settings as templates see them (borrowed) */
	const char *tdir;    /* the templates' folder */
	int force;           /* render every page, fresh or not */
	int check;           /* --check: write nothing of weekly's own */
	int workers;         /* processes to read issues in, 0: as many as pay */
	topics_render_fn render;
	topics_gone_fn gone;
	/* The lines a build job of this run made of issue i (topics_lines),
	 * into out: 0, or -1 when none did and the issue is read again; NULL
	 * for none at all. */
	int (*handed)(void *ud, size_t i, buf *out);
	void *ud;
};

/* The vocabulary of the settings and its markers, made once for the
 * topics_lines of every issue of a run; topics_marks_free(NULL) does
 * nothing. */
struct topics_marks;
struct topics_marks *topics_marks_new(const struct newsletter *n);
void topics_marks_free(struct topics_marks *m);
/* The lines the topics keep of issue is: one per item with topics (its
 * section, number, topics, title, url and note); nothing without a
 * vocabulary. A build job, which has parsed the issue anyway, makes them
 * and hands them over (topics_run.handed). */
void topics_lines(const struct topics_marks *m, const struct issue *is, buf *out);

/* Bring the topic pages and feeds of the listed issues of r->a up to date.
 * Returns an exit status: the worst render's, or EXIT_SYSTEM after saying
 * on standard error what could not be read or written. */
int topics_build(const struct topics_run *r);

#endif
