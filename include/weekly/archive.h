/* archive.h - the archive as `weekly build` sees it: each issue's facts (its
 * front matter, and its counts once built), digests of what every output
 * depends on, and their record between runs in the archive index (index.h),
 * so that an unchanged issue is neither read nor rendered again.
 *
 * What decides is content: digests of sources, of outputs and of what each
 * output was made from. Sizes and times only spare reading a file that did
 * not change. Records made for other settings are forgotten. The index is
 * trusted to know which files issues/ holds while the folder's time is the
 * one it recorded: a command about some issues then reads only their
 * records and their neighbours' (and looks at those files), not the whole
 * folder. When the folder changed, every file is looked at again.
 *
 * The state file of earlier versions (build/.weekly-state) is read once,
 * when there is no index yet, and left as it is.
 *
 * An archive owns its issues, output records and their strings;
 * archive_release frees them. Index contexts live in an arena of their own
 * (archive_index_release frees it) and borrow the newsletter value given. */
#ifndef WEEKLY_ARCHIVE_H
#define WEEKLY_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "issue.h"
#include "ledger.h"
#include "value.h"

#define ARCHIVE_STATE ".weekly-state" /* of earlier versions */
/* How many of the newest issues the feed carries. */
#define ARCHIVE_FEED_SIZE 20
/* How many look-backs (lookback: [50, 100, 150]) an issue page shows. */
#define ARCHIVE_MAX_LOOKBACK 8

struct archive_issue { /* one per issue file: its flags are bytes, at the end */
	char *name;          /* file name in issues/: "015.md", "015-slug.md" */
	long number;         /* what the file name says */
	char *title;         /* NULL when none; name and title are kept in the
	                      * archive's arena (texts), not allocated each */
	char *lede;          /* its first items' titles, " · " between them,
	                      * when this run has them; else the index keeps
	                      * them (archive_texts) */
	uint64_t lede_digest; /* of the lede (digest_str), 0 until the issue has
	                      * been parsed */
	const long *counts;  /* items per configured section, then the total;
	                      * NULL until the issue has been parsed; held
	                      * once per distinct set by the archive */
	long long size, mtime; /* of the source, mtime in nanoseconds */
	uint64_t digest;     /* of the source's bytes */
	char *diags;         /* its last build's warnings, as the state keeps
	                      * them (archive_diags reads them), when this run
	                      * has them; else the index keeps them */
	uint64_t diags_digest; /* of the warnings, 0: none */
	char date[11];       /* YYYY-MM-DD, "" unless the front matter has a real date */
	unsigned char stemlen; /* the name's leading digits: the stem of its
	                      * outputs (a file name is at most 255 bytes) */
	unsigned char draft; /* draft: true */
	unsigned char numbered; /* the front matter's number is the file name's */
	unsigned char failed; /* its last build found errors */
	unsigned char listed; /* in the index, the feed and prev/next links: not a
	                      * draft, number and date usable, not failed */
	unsigned char unreadable; /* the source could not be read (the build says why) */
	unsigned char changed; /* its record needs writing */
};

struct archive_output {
	char *name;          /* in build/: "015.html", "index.html" */
	long long size, mtime;
	uint64_t key;        /* digest of everything the output was made from */
	uint64_t digest;     /* of its bytes */
	int changed;         /* its record needs writing */
};

struct index;

struct archive {
	char *dir;           /* root/build */
	char *issues_dir;    /* root/issues */
	struct archive_issue *issues; /* sorted by number */
	size_t len;
	struct arena texts;  /* the issues' names and titles, packed */
	struct archive_output *outs;  /* as loaded, then as recorded */
	size_t nouts, capouts;
	uint32_t *slots;     /* outs by name (archive_out.c): place + 1 */
	size_t nslots;
	int lazy;            /* outs hold the pages' records, those recorded
	                      * this run and a window of the issues' (those
	                      * numbered win_lo to win_hi), read from the index
	                      * as they are asked for: not 40,000 at once */
	long win_lo, win_hi;
	size_t ncounts;      /* configured sections + 1 (the total) */
	long lookback[ARCHIVE_MAX_LOOKBACK]; /* the setting lookback: [50, 100] */
	size_t nlookback;
	uint64_t settings;   /* digest of newsletter.yaml */
	int dirty;           /* records need writing */
	struct index *ix;    /* the archive index, NULL when there is none */
	int partial;         /* only some issues are here (archive_open_some) */
	int clear;           /* the index's records are for other settings */
	long long dir_mtime; /* of issues/, in nanoseconds, when listed */
	long long out_mtime; /* of build/ when opened, -1 when missing */
	char **dropped;      /* records to remove: issues (a name) and outputs */
	size_t ndropped, capdropped;
	struct arena counts_mem; /* the distinct sets of counts of issues */
	const long **counts_table; /* and where each is (archive_state.c) */
	size_t counts_cap, counts_len;
};

/* Open the archive of n: list its issues, read their records from the
 * index and take each unchanged issue's facts from them; read the front
 * matter of the rest. Returns 0, or -1 with errno set when issues/ cannot
 * be listed. */
int archive_open(struct archive *a, const struct newsletter *n);
/* The same for the issues numbered nums only, with those of their numbers
 * and the listed issues before and after them, when the index knows the
 * folder as it is; else the whole archive. With no numbers, no issue: the
 * index is then only brought up to date. */
int archive_open_some(struct archive *a, const struct newsletter *n, const long *nums,
		      size_t nnums, unsigned flags);
/* flags: ARCHIVE_LOOK when nothing will be saved: no index is made;
 * ARCHIVE_NEWEST to look at the files of the newest issues too (the ones
 * an editor is likely to have edited in place), for commands that read
 * what the index holds of every issue. */
#define ARCHIVE_LOOK 1u
#define ARCHIVE_NEWEST 2u
#define ARCHIVE_NEWEST_FILES 8
void archive_release(struct archive *a);
/* The files of issues: all of them (nums NULL, listing issues/), or those
 * of the numbers nums and their neighbours (looked up in the index when it
 * knows issues/ as it is); as issue_files_list gives them. Returns 0, or
 * -1 with errno set when issues/ cannot be listed. */
int archive_issue_files(const struct newsletter *n, const long *nums, size_t nnums,
			struct issue_file **out, size_t *count);
/* Write the changed records to the index in one transaction. 0, or -1
 * with errno set. */
int archive_save(struct archive *a);
/* The same in the middle of a run, so that the lede and warnings of every
 * issue built are not held to the end: what changed so far, without the
 * times that say the index knows issues/ and build/ as they are (a run
 * killed after it leaves an index the next command looks at the folder
 * for). */
int archive_save_part(struct archive *a);

/* Whether files may have come into build/ since the index last saw it
 * (its time is another), or issues/ (the whole archive was read): the
 * leftovers of killed writes are then looked for. */
int archive_moved(const struct archive *a, int outputs);

/* The path of issue i's source, or of an output, in a fresh string. */
char *archive_source_path(const struct archive *a, size_t i);
/* The memory a job reading one of the issues at[0..n) may take, at most
 * (ISSUE_MEMORY of the biggest source); at NULL: any issue of the archive.
 * For pool_fit, so that workers together keep within the budget. */
size_t archive_job_memory(const struct archive *a, const size_t *at, size_t n);
char *archive_output_path(const struct archive *a, const char *name);
/* The name in build/ of issue i's output in format f (render.h): the
 * issue's stem and f's extension, in a fresh string. */
struct format;
char *archive_output_name(const struct archive *a, size_t i, const struct format *f);

/* Whether output name was made from key and is on disk as it was left
 * (same size and time, or same bytes: then its time is taken as it is). */
int archive_fresh(struct archive *a, const char *name, uint64_t key);
/* Size and time of output name on disk; -1 when it is not there. */
int archive_stat(const struct archive *a, const char *name, long long *size,
		 long long *mtime);
/* Remember that output name, on disk with those bytes (digest), size and
 * time, was made from key. */
void archive_record(struct archive *a, const char *name, uint64_t key, uint64_t digest,
		    long long size, long long mtime);
/* The recorded outputs of issues that are gone, or drafts (unless drafts
 * are built), in the order of their names: fresh strings in a fresh array,
 * the caller frees both. */
char **archive_stale(struct archive *a, int drafts, size_t *count);
/* Whether recorded output name still holds what weekly wrote there. */
int archive_intact(struct archive *a, const char *name);
/* Whether it does, and those were bytes of that digest. */
int archive_holds(struct archive *a, const char *name, uint64_t digest);
/* Forget the record of output name. */
void archive_forget(struct archive *a, const char *name);
/* What building issue i found: whether it failed (a failed issue is not
 * listed), and its warnings as archive_keep_diags keeps them (taken).
 * Returns whether the issue's listing changed. */
int archive_set_result(struct archive *a, size_t i, int failed, char *diags);
/* The diagnostics of d in the form the state keeps (those of the issue's
 * own source, source, stored without its path and with the line they carry,
 * diag_set_sources), a fresh string or NULL; and back, into d, with source
 * as their path. */
char *archive_keep_diags(const diag_list *d, const char *source);
void archive_diags(const char *kept, const char *source, diag_list *d);
/* Issue i's lede and warnings (NULL: none), held or read from the index:
 * fresh strings. The archive holds those of an issue only while they are
 * new, so that records of 20,000 issues keep to a few megabytes. */
void archive_texts(const struct archive *a, size_t i, char **lede, char **diags);
/* The same for each issue from lo to before hi that want says, in order,
 * handed to fn (the strings are freed when it returns); those the index
 * keeps are read in one pass of it, not a query each. */
typedef int (*archive_want_fn)(void *ud, size_t i);
typedef void (*archive_texts_fn)(void *ud, size_t i, const char *lede, const char *diags);
void archive_texts_each(const struct archive *a, size_t lo, size_t hi, archive_want_fn want,
			archive_texts_fn fn, void *ud);
/* Issue is's counts (a->ncounts of them) in a fresh array the caller frees,
 * and its lede (the titles of its first ARCHIVE_LEDE_ITEMS items) in a
 * fresh string; then hand both to issue i of the archive, which takes them. */
#define ARCHIVE_LEDE_ITEMS 3
long *archive_count(const struct archive *a, const struct issue *is);
char *archive_lede(const struct issue *is);
void archive_set_counts(struct archive *a, size_t i, long *counts, char *lede);

/* The listed issue numbered number, or -1; archive_number: the first
 * issue numbered number, listed or not (a draft, one that failed), or -1. */
long archive_find(const struct archive *a, long number);
long archive_number(const struct archive *a, long number);
/* The first issue numbered number or more (a's issues are sorted by
 * number); a->len when there is none. */
size_t archive_first_from(const struct archive *a, long number);
/* The nearest listed issue before or after issue i, or -1. */
long archive_prev(const struct archive *a, size_t i);
long archive_next(const struct archive *a, size_t i);
/* The listed issues, newest first, at most max of them (0: all); the
 * caller frees the array. */
size_t *archive_newest(const struct archive *a, size_t max, size_t *count);

/* Append s as a field of a tab-separated line, with every control
 * character and backslash escaped (diag_escape_field): safe on a terminal,
 * and read back whole. */
void archive_put_field(buf *b, const char *s);

/* Digest of template name in tdir and of every partial it includes (read
 * from tdir/partials). 0 when the template does not exist. */
uint64_t archive_template_digest(const char *tdir, const char *name);
/* What issue i's output with extension ext depends on: the settings, the
 * format's template, the source and the prev/next issues it links to. */
uint64_t archive_issue_key(const struct archive *a, size_t i, uint64_t tmpl,
			   const char *ext);
/* What the index and the feed depend on. */
uint64_t archive_index_key(const struct archive *a, uint64_t tmpl);
uint64_t archive_feed_key(const struct archive *a, uint64_t tmpl);

/* Issue i's look-backs: for each N of the setting lookback (in its order),
 * the listed issue numbered N less than i's, as a link target with ago: N;
 * those that do not exist are left out. */
value *archive_lookback(const struct archive *a, size_t i, struct arena *in);
/* Issue i as a link target, {number, stem, page, date, title}, made in
 * arena in (value.h; NULL: on the heap), or NULL for i < 0. The caller
 * frees it. */
struct arena;
value *archive_link_value(const struct archive *a, long i, struct arena *in);

/* The context of the archive page: newsletter (borrowed), archive {count,
 * url, updated}, issues[] newest first: number, page, date, date_text,
 * year, title, lede, counts.ID, counts.total, counts.links, sections[] (id,
 * title, count, first, last: the non-empty ones), first, last; and years[],
 * newest first: year, count, issues[] (the same entries), first, last.
 * The entries are made one at a time as a template walks them
 * (value_list_made_in): an archive of any size takes the memory of one. */
struct archive_index;
value *archive_index_context(const struct archive *a, const struct newsletter *n,
			     value *newsletter, struct archive_index **out);
void archive_index_release(struct archive_index *ix);
/* Where build/ is published: the setting archive_url, else url, with a
 * final slash; "" when neither is set. A fresh string. */
char *archive_base_url(const value *newsletter);
/* Add v (taken) to the archive page's `archive` map under key. */
void archive_index_put(struct archive_index *ix, const char *key, value *v);

/* One issue of the feed: where it is in the archive and the Markdown
 * nodes of its source. */
struct archive_feed_item {
	size_t issue;
	size_t nodes;
};
/* How many of items, the newest ARCHIVE_FEED_SIZE issues newest first
 * (archive_newest), the feed holds: as many as hold MD_MAX_NODES Markdown
 * nodes together (one issue at its limit: a warning in d says where the
 * feed stops), so that the feed keeps to the memory budget too. */
size_t archive_feed_cut(const struct archive *a, const struct archive_feed_item *items,
			size_t count, diag_list *d);
/* The feed's context: newsletter, archive ({count, url, updated}) and
 * entries (taken: a list of archive_feed_entry's, each with first and
 * last; made as it is walked, so that the feed holds one at a time). The
 * caller frees it with value_free. */
value *archive_feed_context(const struct archive *a, value *newsletter, value *entries);
/* A feed entry made of an issue's context ctx (render_context_with; taken):
 * without what a feed does not carry (render_feed_prune), with its page's
 * name and its url, base (where build/ is published) and page; what it
 * adds is made where ctx was (value_arena). */
value *archive_feed_entry(value *ctx, const char *page, const char *base);

/* --- the link ledger, for `weekly links` and `weekly where` (linklist.h) */

/* Call fn with the ledger of each of the n issue files, one issue at a time
 * (an archive is never all in memory). When want is not NULL, an issue
 * whose source does not mention want's host (in any case) is skipped
 * unparsed. Returns 0, or -1 after adding an error to d for each file that
 * cannot be read. */
typedef void (*archive_links_fn)(void *ud, const struct ledger *l);
int archive_links(const struct newsletter *nl, const struct issue_file *files, size_t n,
		  const char *want, archive_links_fn fn, void *ud, diag_list *d);

#endif
