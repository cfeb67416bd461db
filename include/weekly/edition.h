/* edition.h - the newsletter's other editions: the same issues in other
 * languages, each a newsletter of its own in its folder, named in
 * newsletter.yaml by language (editions: {zh: ../python-weekly-zh}).
 *
 * Pages link to the same issue in each edition (editions_links), and
 * `weekly check --editions` compares each issue with its twins
 * (editions_check): an item whose URL one edition has and the other not,
 * an item under another section or in another place, an issue one edition
 * lacks; warnings [edition] at the item's or issue's FILE:LINE. An
 * editions set owns its newsletters and file lists. */
#ifndef WEEKLY_EDITION_H
#define WEEKLY_EDITION_H

#include <stddef.h>
#include <stdint.h>
#include "config.h"
#include "diag.h"
#include "value.h"

struct edition {
	char *lang;                 /* the key newsletter.yaml names it by */
	char *path;                 /* its folder, as newsletter.yaml names it */
	struct newsletter n;
	struct issue_file *files;   /* its issue files, by number */
	size_t nfiles;
};

struct editions {
	struct edition *at;
	size_t len;
};

#define EDITIONS_INIT { NULL, 0 }

/* Load the editions n names (none: e stays empty). Returns 0, or -1 after
 * adding an error at the setting's line for an edition whose folder holds
 * no newsletter or whose issues cannot be listed [edition]. */
int editions_load(const struct newsletter *n, struct editions *e, diag_list *d);
void editions_release(struct editions *e);

/* For templates: a list of {lang, name, url} with an entry for each
 * edition that has issue number (number < 0: the edition's archive page),
 * url its page: under the edition's archive_url or url, else relative to
 * this edition's build/. Made in arena in (NULL: on the heap). */
value *editions_links(const struct editions *e, long number, struct arena *in);

/* seed mixed with what the links of editions_links depend on (each
 * edition's issues and where its pages are); seed itself when there are
 * no editions, and 0 when seed is 0 (nothing to render). */
uint64_t editions_digest(const struct editions *e, uint64_t seed);

/* Compare issues files[0..nfiles) of n whose number wanted says yes
 * (NULL: all) with their twins in every edition, and the editions' issues
 * with no twin here, into d. */
void editions_check(const struct newsletter *n, const struct issue_file *files, size_t nfiles,
		    const struct editions *e, int (*wanted)(const void *ud, long number),
		    const void *ud, diag_list *d);

#endif
