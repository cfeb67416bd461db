/* build.h - the state of one `weekly build`, shared by its three parts and
 * nothing else: cmd_build.c (the command line, planning what is out of
 * date, the run), build_job.c (the jobs that render an issue and hand over
 * its feed entry,
 * possibly in worker processes, and their outcomes taken back in order) and
 * build_pages.c (the pages made from the whole archive, and what earlier
 * builds left behind). */
#ifndef WEEKLY_BUILD_H
#define WEEKLY_BUILD_H

#include <stdint.h>
#include "weekly/archive.h"
#include "weekly/buf.h"
#include "weekly/diag.h"
#include "weekly/edition.h"
#include "weekly/render.h"
#include "weekly/seasons.h"
#include "weekly/topics.h"

#define MAX_FORMATS 8
#define INDEX_TEMPLATE "index.html.mustache"
#define SEARCH_TEMPLATE "search.html.mustache"
/* The feeds of the newest issues, made from one context: Atom, JSON Feed. */
#define NFEEDS 2
extern const char *const build_feed_names[NFEEDS];
extern const char *const build_feed_templates[NFEEDS];


/* One issue to build, and which of its formats are out of date; with
 * feed, an issue of the feed, whose entry the job hands over (parsed once,
 * for its pages and the feed alike). */
struct job {             /* 8 bytes: a plan for 20,000 issues takes 160 kB */
	uint32_t issue;      /* an archive holds far fewer issues than 2^32 */
	unsigned char stale; /* a bit per format (none: only the feed entry) */
	unsigned char feed;  /* 1 + its place among the feed's issues, or 0 */
};
_Static_assert(MAX_FORMATS <= 8 && ARCHIVE_FEED_SIZE < 255, "a job's bytes hold its formats");

/* The entry of one issue of the feed, as its job handed it over. */
struct feed_entry {
	size_t issue;        /* in the archive */
	size_t nodes;        /* the Markdown nodes of its source */
	long long at;        /* the entry (value_pack), set aside in the
			      * bulk file there, len bytes; -1: held in */
	size_t len;
	buf packed;          /* (empty when the feed cannot hold it) */
	int ready;           /* handed over */
};

/* The parts a job hands over of its issue: its topic lines (topics_lines),
 * its season items (seasons_items) and its search record (search_issue). */
enum { HANDED_TOPICS, HANDED_SEASON, HANDED_SEARCH, HANDED_PARTS };

/* What issue i's job handed over for the archive's pages is set aside in
 * the run's spill file (build_job.c), so that the parent does not hold
 * every item of the archive: the lengths of the parts (64 bits each) and
 * where its search record is in the run's bulk file (which holds the big
 * pieces: search records and the feed's entries), then the other parts
 * one after the other. handed[i] is 1 + where that starts, 0 when nothing
 * was handed over: 8 bytes an issue. */

/* What the run did with each issue of the archive. */
struct mark {
	unsigned char wanted; /* asked for (by number or --all) */
	unsigned char job;    /* built this run; its diagnostics printed */
	unsigned char failed; /* built this run, with errors */
	unsigned char built;  /* counted among the issues built */
	unsigned wrote;       /* formats written (said and counted once) */
};

struct build {
	const struct newsletter *n; /* borrowed from the command layer */
	struct archive a;
	struct renderer *r;
	const struct format *formats[MAX_FORMATS];
	size_t nformats;
	uint64_t tmpl[MAX_FORMATS]; /* digests of the formats' templates */
	const char *out;     /* -o FILE, "-" for standard output, or NULL */
	char *tdir;          /* root/templates */
	char *base;          /* where build/ is published (archive_base_url) */
	struct render_shared shared; /* what issue contexts share */
	struct editions editions;    /* the newsletter's other editions, pages link to */
	struct seasons seasons;      /* with --all, once the issues are built */
	int paged;           /* the archive's pages were brought up to date */
	unsigned parts;      /* the costly parts of them the templates use */
	struct arena values; /* an issue's context, while it is rendered */
	int all, drafts, force, check, verbose, quiet, workers;
	int post;            /* -f post: the channels of --channel */
	const char *channels[MAX_FORMATS];
	size_t nchannels;
	int search;          /* the archive's search index is built (search: true) */
	diag_format dfmt;
	int color;
	int rc;              /* the worst status so far */
	int dir_failed;      /* build/ could not be created (already said) */
	size_t failed;       /* issues with errors */
	int held;            /* errors of the archive as a whole hold back its pages */
	size_t listed;       /* outputs --check found out of date */
	size_t built, written; /* issues with outputs written, and files written */
	struct job *jobs;
	size_t njobs;
	struct mark *marks;  /* one per issue of the archive */
	int hand_topics, hand_seasons; /* jobs hand over topic lines, season items */
	unsigned season_parts; /* of those items, what the season templates use */
	struct topics_marks *topics; /* the vocabulary, when they hand over topic lines */
	long long *handed;   /* one per issue (above) */
	struct stash *spill, *bulk; /* the spill file; the bulk file */
	int round;           /* plans made: another when a listing changed */
	int relisted;        /* an issue's listing changed: neighbours to redo */
	size_t removed;      /* outputs of issues gone, and leftovers, removed */
	size_t replayed;     /* issues before this one had their warnings said */
	size_t save_every;   /* jobs between the index's saves in the middle of a run */
	uint64_t feed_key[NFEEDS]; /* 0: no template, no such feed */
	int feed_stale;      /* a feed is made this run */
	struct feed_entry entries[ARCHIVE_FEED_SIZE]; /* newest first */
	size_t nentries;
};

/* build_job.c */
void build_report(struct build *b, diag_list *d);
void build_worse(struct build *b, int rc);
char *build_output_name(const struct build *b, size_t i, size_t f);
/* Read, parse and check issue i, its diagnostics carrying their lines. NULL
 * when it cannot be built; d says why and *rc is set. */
struct issue *build_load_checked(struct build *b, size_t i, diag_list *d, int *rc);
/* Render the formats of stale into outs, and pack the issue's feed entry
 * into entry unless it is NULL; -1 after adding errors to d. */
int build_render_issue(struct build *b, size_t i, unsigned stale, const struct issue *is,
		       buf *outs, buf *entry, diag_list *d);
/* Create build/ (said once if it cannot be). */
int build_make_dir(struct build *b);
void build_say_path(const struct build *b, const char *name);
/* Run the jobs planned and take their outcomes in order. */
void build_run_jobs(struct build *b);
/* What a job of this run handed over for issue i (part: HANDED_TOPICS...),
 * into out: 0, or -1 when none did (read it again); with out NULL, only
 * whether one did. It may be called in a worker process.
 * build_spill_close removes the files. */
int build_handed(const struct build *b, size_t i, int part, buf *out);
/* The packed entry of the k-th newest issue for the feeds, into out: 0,
 * or -1 when none came (the feed cannot hold it). */
int build_feed_packed(const struct build *b, size_t k, buf *out);
void build_spill_close(struct build *b);

/* build_pages.c */
/* The archive page, the seasons, search and the feeds; not when an issue
 * failed. */
void build_pages(struct build *b);
/* Temporary files that killed writes left behind, removed (--check: listed). */
void build_leftovers(struct build *b);
/* The outputs of issues that are gone or drafts again, and the pages of
 * seasons gone, removed. */
void build_remove_stale(struct build *b);

#endif
