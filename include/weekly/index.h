/* index.h - the archive index: one SQLite file, build/.weekly/index.sqlite,
 * that remembers what reading the archive found, so that a command about one
 * issue reads that issue and looks the rest up instead of reading it all.
 *
 * It holds (schema INDEX_SCHEMA, kept in PRAGMA user_version):
 *   meta(key, value)      the settings' digest, the issues folder's time
 *   issues(name, ...)     each issue file's size, time and digest, number,
 *                         date, title, draft flag, section counts and
 *                         first items' titles (lede), whether
 *                         its last build failed and its warnings
 *   outputs(name, ...)    each file weekly wrote in build/: size, time,
 *                         what it was made from and the digest of its bytes
 *   links(issue, seq, ...) every link of every issue (the ledger: URL as
 *                         written and its key, section, item, line, column),
 *                         indexed by key; `linked` in issues says from which
 *                         version of the source they were read
 *   verdicts(url, row)    the link checker's last verdict on each URL
 *                         (linkcache.h)
 *   linkmeta(url, row)    what each link said about itself (metacache.h)
 * The archive's part is a cache: everything in it comes from the sources,
 * and deleting it loses nothing (the next command reads the sources
 * again). Verdicts and link metadata come from the web: deleting the index
 * loses them until links are asked again; they are kept across versions of
 * the schema, and meta keys starting with "link" are theirs.
 * Its folder holds a .gitignore of its own, so a committed build/ never
 * shows it. Writes go in transactions; the file is in WAL mode, so that
 * several commands (serve, check, build) use it at once, and a close
 * leaves a log of up to 1 MiB beside it for the next command (no disk
 * sync for a command that wrote a few rows).
 *
 * A file that is not a database, is truncated, or has another schema is
 * removed and made afresh (with a note on standard error for damage).
 * Without SQLite (the library cannot be loaded) index_open returns NULL and
 * every command reads the sources, with the same results.
 *
 * An index owns its statements; strings handed to callbacks live until the
 * callback returns. */
#ifndef WEEKLY_INDEX_H
#define WEEKLY_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include "ledger.h"

#define INDEX_SCHEMA 4
#define INDEX_DIR "build/.weekly"
#define INDEX_FILE "index.sqlite"

struct index;

/* One issue file's record. */
struct index_issue {
	const char *name;      /* file name in issues/ */
	long number;
	long long size, mtime; /* of the source, mtime in nanoseconds */
	uint64_t digest;       /* of the source's bytes */
	int draft, numbered, failed, listed;
	const char *date;      /* "" when none */
	const char *title;     /* NULL when none */
	const char *counts;    /* as the archive writes them, NULL when unknown */
	const char *diags;     /* the last build's warnings, NULL when none */
	const char *lede;      /* its first items' titles, NULL until parsed */
};

/* One output's record; number is its issue's, -1 for the archive's pages. */
struct index_output {
	const char *name;
	long number;
	long long size, mtime;
	uint64_t key, digest;
};

/* The index of the newsletter at root, made when missing unless only to
 * look (then NULL when there is none); NULL when there can be none (no
 * SQLite, build/ cannot be written). */
struct index *index_open(const char *root, int look);
/* Whether an index can be kept here at all (SQLite loads): without it,
 * what only the index would keep is not kept, and that is no error. */
int index_supported(void);
void index_close(struct index *ix);
/* The path of the index file of the newsletter at root, fresh string. */
char *index_path(const char *root);
/* The index's folder at root (INDEX_DIR), with a .gitignore that hides it
 * and itself from version control, so that a committed build/ never shows
 * the index (weekly init makes it). 0, or -1 with errno set. */
int index_make_folder(const char *root);

/* A write transaction (waiting for other writers); 0 or -1. */
int index_begin(struct index *ix);
int index_commit(struct index *ix);
void index_rollback(struct index *ix);

/* meta: a number kept under key, or missing when there is none. */
long long index_meta(struct index *ix, const char *key, long long missing);
void index_set_meta(struct index *ix, const char *key, long long value);
/* Forget every issue, output and link (the settings changed). */
void index_clear(struct index *ix);

/* The issues numbered lo to hi, by number then name. 0, or -1 when the
 * index cannot be read. */
typedef void (*index_issue_fn)(void *ud, const struct index_issue *r);
int index_issues(struct index *ix, long lo, long hi, index_issue_fn fn, void *ud);
/* The lede and the warnings the record of issue file name keeps, in
 * fresh strings (NULL when it keeps none); -1 when there is no such
 * record or it cannot be read. For the texts the archive does not hold. */
int index_issue_texts(struct index *ix, const char *name, char **lede, char **diags);
/* The same texts of the issues numbered lo to hi in one pass, by number
 * then name: after index_texts_begin (0, or -1 when the index cannot be
 * read), index_texts_next gives 1 and the next record's fields (valid until
 * the next call) until none is left (0); index_texts_end closes the pass. */
struct index_texts {
	const char *name;
	long number;
	const char *lede, *diags;
};
int index_texts_begin(struct index *ix, long lo, long hi);
int index_texts_next(struct index *ix, struct index_texts *r);
void index_texts_end(struct index *ix);
/* The number of the nearest listed issue before (dir < 0) or after
 * number, or -1. */
long index_listed_near(struct index *ix, long number, int dir);
/* The number of the k-th newest issue file (by number); LONG_MIN when
 * there are fewer. */
long index_newest(struct index *ix, long k);
void index_put_issue(struct index *ix, const struct index_issue *r);
void index_drop_issue(struct index *ix, const char *name);

/* The outputs of issues numbered lo to hi, and the pages when pages. */
typedef void (*index_output_fn)(void *ud, const struct index_output *r);
int index_outputs(struct index *ix, long lo, long hi, int pages, index_output_fn fn,
		  void *ud);
void index_put_output(struct index *ix, const struct index_output *r);
void index_drop_output(struct index *ix, const char *name);

/* The issues up to number upto whose links were not read from the source
 * as it is (their digest), by number then name. */
typedef void (*index_name_fn)(void *ud, const char *name, long number, uint64_t digest);
int index_unlinked(struct index *ix, long upto, index_name_fn fn, void *ud);
/* Replace the links of issue file name (numbered number; shown, the
 * number its front matter gives, as `where` shows it) with the n entries
 * e, read from the version of its source with that digest. */
void index_put_links(struct index *ix, const char *name, long number, long shown,
		     uint64_t digest, const struct ledger_entry *e, size_t n);
/* The places key appears, in the order of the issue files (number, then
 * name) and of their sources; only items when items_only, only in files
 * numbered below before (-1: any), at most limit of them (0: all). The
 * entry's file is the issue's file name; number is the file's. */
typedef void (*index_link_fn)(void *ud, const struct ledger_entry *e, long number);
int index_links(struct index *ix, const char *key, int items_only, long before, long limit,
		index_link_fn fn, void *ud);

/* What links said, each URL's row in the text its module writes. */
enum index_store { INDEX_VERDICTS, INDEX_LINKMETA };
typedef void (*index_row_fn)(void *ud, const char *url, const char *row);
/* Every row of store, by URL: 0, or -1 when it cannot be read. */
int index_rows(struct index *ix, enum index_store store, index_row_fn fn, void *ud);
/* Set url's row; 0 or -1. */
int index_put_row(struct index *ix, enum index_store store, const char *url, const char *row);

#endif
