/* htmlmeta.h - what a web page says about itself in its markup: titles,
 * description, canonical URL, language, whether it is free to read.
 *
 * The only module that reads HTML. It uses libxml2's HTML parser, through
 * its SAX events (no tree is built), loaded at run time like libcurl so that
 * commands that never read a page start without it; WEEKLY_LIBXML2 names
 * another file to load. Bytes are fed as they arrive; the parser says when
 * it has read enough (the head is over and a title was found, or the first
 * <h1> ended) and never looks past HTMLMETA_MAX_BYTES. Text is UTF-8 with
 * spaces collapsed, whatever the page's encoding. An htmlmeta owns its
 * strings; htmlmeta_release frees them. */
#ifndef WEEKLY_HTMLMETA_H
#define WEEKLY_HTMLMETA_H

#include <stddef.h>

#define HTMLMETA_MAX_BYTES (512u << 10)

struct htmlmeta {
	char *title;          /* <title> */
	char *og_title;       /* <meta property="og:title"> */
	char *h1;             /* the first <h1>'s text */
	char *description;    /* <meta name="description"> */
	char *og_description; /* <meta property="og:description"> */
	char *canonical;      /* <link rel="canonical" href>, as written */
	char *lang;           /* <html lang>, else og:locale, as written */
	int not_free;         /* isAccessibleForFree false (JSON-LD or microdata) */
	struct htmlmeta_parser *p; /* while parsing */
};

/* Start reading a page whose HTTP header named charset (NULL when it did
 * not). A byte order mark at the page's start wins over it; without
 * either, the page's own <meta charset> is used. Returns -1 with a
 * message in *err (static text) when libxml2 cannot be loaded. */
int htmlmeta_begin(struct htmlmeta *m, const char *charset, const char **err);
/* Feed the next n bytes; returns 1 while more are wanted, 0 when enough
 * was read. */
int htmlmeta_feed(struct htmlmeta *m, const char *data, size_t n);
/* No more bytes: finish what was read. */
void htmlmeta_end(struct htmlmeta *m);
void htmlmeta_release(struct htmlmeta *m);

/* Text as weekly keeps what a page or a web service says: runs of white
 * space made one space, trimmed, characters a terminal acts on (controls,
 * bidirectional overrides: util_steers) dropped and bytes that are not
 * UTF-8 (a page that lied about its encoding) made U+FFFD; NULL when
 * empty. The caller frees it. */
char *htmlmeta_squeeze(const char *s, size_t n);

/* The page's best title (og:title, <title>, the first <h1>) and description
 * (og:description, <meta name=description>); borrowed, NULL when none. */
const char *htmlmeta_best_title(const struct htmlmeta *m);
const char *htmlmeta_best_description(const struct htmlmeta *m);

#endif
