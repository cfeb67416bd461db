/* search.h - the archive's search index, read by a script of its own in the
 * reader's browser (build/search/search.js, from src/search.js), offline and
 * from file:// as well as from any static host.
 *
 * Every item of every listed issue is indexed: the words of its title, its
 * note, its description, and the host of its link (as "github.com" and as
 * "github" "com"). A word is a run of letters and digits, ASCII and Latin-1
 * letters folded to lower case, dots kept between letters ("node.js", also
 * indexed as "node" and "js"); runs of CJK characters are indexed as overlapping
 * pairs (a lone character as itself), so any two neighbouring characters of a
 * Chinese, Japanese or Korean text find it. search_terms is the one
 * definition in C; src/search.js holds the same rules for queries.
 *
 * The files, under build/search/:
 *   search.js        the script;
 *   about.js         weeklySearch.about({issues, newest, shards}), written
 *                    last: it says whether the rest is up to date, and the
 *                    script reads it when the page did not name the
 *                    number of shards rightly;
 *   d.js             the delta: weeklySearch.delta([N, ...], {TERM: "N.K!"});
 *                    the issues changed, added or gone since the shards
 *                    were made (the script leaves out what the shards say
 *                    of them), and their terms;
 *   p/XXX.js         term shards, XXX = the low bits of the term's FNV-1a
 *                    hash in hex, as many bits as shards has:
 *                    weeklySearch.shard("XXX", SHARDS, {TERM: "N.K!,N.K"});
 *                    SHARDS the number of shards, N an
 *                    issue number, K an item's place in it (0-based, across
 *                    sections), "!" when the term is in its title; newest
 *                    issue first;
 *   c/C.js           the items of the issues N with N / SEARCH_CHUNK = C,
 *                    newest first, for each weeklySearch.issue({n, page,
 *                    date, title, items: [[section, title, url], ...]}),
 *                    an item without a URL as [section, title, "",
 *                    anchor]: its place on its issue's page (SECTION-K);
 *   t/shards.txt     what the shards were made from: "FORMAT <TAB> shards",
 *                    then an "N <TAB> KEY" line per issue (KEY in hex);
 *   t/C.txt          the cache of chunk C: the record of each of its
 *                    issues (search_issue), newest first, after a line
 *                    "N <TAB> KEY <TAB> LENGTH" each and an empty line;
 *                    read back when the rest is remade, so that an
 *                    unchanged issue is not parsed again.
 * A query loads the script, then the delta and one shard a word at once
 * (the search page names the number of shards, search_shards, and each
 * shard says it again: when a shard is missing or says another number, as
 * from a stale page or one that named none, about.js is read and the
 * shards loaded after it), then the chunks of the issues it shows: a few
 * hundred kilobytes at 5,000 issues. A change of up to
 * SEARCH_DELTA_ISSUES issues rewrites the delta (and the changed issues'
 * chunks), not the shards.
 *
 * Each file is rewritten only when what it is made of changed; the build
 * state (archive.h) remembers which. The shards are made a group of terms
 * at a time, the groups shared among worker processes, so that no
 * process holds the terms of the whole archive. */
#ifndef WEEKLY_SEARCH_H
#define WEEKLY_SEARCH_H

#include <stddef.h>
#include <stdint.h>
#include "archive.h"
#include "buf.h"
#include "config.h"
#include "issue.h"

/* Shards hold about this many bytes of terms and postings each, and there
 * are at most this many. */
#define SEARCH_SHARD_BYTES 32768
#define SEARCH_MAX_SHARDS 1024
/* A term keeps the items of its newest issues, this many at most: a word in
 * more items than that finds the newest of them (and a query that has it
 * and rarer words, only among those). */
#define SEARCH_MAX_POSTINGS 2000
/* A change rewrites the delta (d.js) instead of the shards while it holds
 * at most this many issues and bytes. */
#define SEARCH_DELTA_ISSUES 32
#define SEARCH_DELTA_BYTES 65536
/* Issues whose numbers divided by this are the same share a chunk. */
#define SEARCH_CHUNK 16

/* Call fn with each term of text (len bytes of UTF-8), in order, repeats
 * included, and its hash (util_hash32 of its bytes). */
typedef void (*search_term_fn)(void *ud, const char *term, size_t len, uint32_t hash);
void search_terms(const char *text, size_t len, search_term_fn fn, void *ud);

/* Whether the record of issue i (search_issue) is not in the cache of
 * its chunk as the issue is now: a build job, which has parsed the issue
 * anyway, then makes it and hands it over to search_build. */
int search_stale(struct archive *a, size_t i);
/* Issue i's record: the length of its weeklySearch.issue call, a newline,
 * the call, then its terms (TERM <TAB> COUNT <TAB> K!,K lines: COUNT
 * postings, each an item's place K, the issue's number left out: the
 * shards put it back), in groups by the low bits of their hash after a
 * line of the groups' lengths. It may run in a worker process. */
void search_issue(const struct archive *a, const struct newsletter *n, size_t i,
		  const struct issue *is, buf *out);

/* Whether output name is the cache of a chunk that holds no listed issue
 * (the issues gone or drafts again), or one that an earlier version of
 * weekly kept per issue: nothing reads it any more. */
int search_gone(const struct archive *a, const char *name);

/* A file search_build has on disk as it made it: its name under build/,
 * whether this run wrote it, and, when its size and time could be read
 * (recorded), what the build state records of it (archive_record). */
struct search_file {
	const char *name;
	int wrote, recorded;
	uint64_t key, digest;
	long long size, mtime;
};

/* What search_build takes from the build that runs it: the records its
 * jobs handed over (handed(ud, i, out): 0 and issue i's record in out, or
 * -1 when none did; with out NULL, only whether one did), and word of
 * each file it has on disk as made (put), after recording it in the
 * state of the archive it was given. Either may be NULL. */
struct search_host {
	int (*handed)(void *ud, size_t i, buf *out);
	void (*put)(void *ud, const struct search_file *f);
	void *ud;
};

/* Bring build/search/ up to date with the listed issues of a, whose
 * search_key is key (the caller has it for the page too): the caches
 * of the chunks with an issue changed, added or gone are made again from
 * the records host's jobs handed over, the old caches' records of the
 * issues that did not change, and the rest parsed here in up to workers
 * processes (0: as many as pay); then the delta, or the chunks' item files
 * and the shards (with force, whether or not the delta would do). A file
 * whose bytes are those on disk already is not written again.
 * Returns 0, or -1 after saying on standard error which file could not be
 * read, indexed or written. */
int search_build(struct archive *a, const struct newsletter *n, uint64_t key, int force,
		 int workers, const struct search_host *host);
/* The key of what the index of a's listed issues is made of (search_build
 * takes it, and the search page, which names the number of shards, is made
 * again when it changes). */
uint64_t search_key(const struct archive *a);
/* The number of shards the index in build/search/ names in its manifest,
 * 0 when it is missing or damaged: what the search page tells its script,
 * which finds out a wrong number, so the file is read even when the build
 * state has no record of it (a committed build/ without its state). */
unsigned search_shards(struct archive *a);

#endif
