/* seasons.h - the archive's seasons: runs of issues with a page each that
 * lists every item of their issues by section, as a newsletter publishes a
 * season's collection.
 *
 * The setting names them, either by size (`seasons: {size: 30}`: issues 1
 * to 30 are season 1, 31 to 60 season 2...) or as ranges of issue numbers
 * (`seasons: [{from: 1, until: 30, title: "…"}, {from: 31}]`, in order, not
 * overlapping, the last one open-ended when it has no `until`). This module
 * owns the setting's rules (its mistakes are errors at their line), which
 * seasons hold listed issues, what each season's pages are made from (to
 * rewrite them only when that changed), and their template context.
 *
 * A season's pages are build/season-N.html (templates/season.html.mustache)
 * and build/season-N.md (templates/season.md.mustache, when the newsletter
 * has it); N is the season's number, from 1. */
#ifndef WEEKLY_SEASONS_H
#define WEEKLY_SEASONS_H

#include <stddef.h>
#include <stdint.h>
#include "archive.h"
#include "buf.h"
#include "issue.h"
#include "config.h"
#include "diag.h"
#include "render.h"
#include "value.h"

struct season {
	long n;              /* its number, from 1 */
	long from, until;    /* issue numbers, both included (until: LONG_MAX
	                      * for an open-ended last range) */
	const char *title;   /* the range's own title (borrowed), or NULL */
	size_t lo, hi;       /* its issues: a->issues[lo..hi) */
	size_t count;        /* of them, the listed ones */
};

struct seasons {
	struct season *at;   /* those that hold a listed issue, in order */
	size_t len;
	/* The items a build job of this run made of issue i (seasons_items),
	 * into out: 0, or -1 when none did and the issue is read again. NULL
	 * (as seasons_open leaves it) for none at all. */
	int (*handed)(void *ud, size_t i, buf *out);
	void *ud;
	/* The costly parts of the items that the pages' templates use
	 * (seasons_parts): RENDER_ALL as seasons_open leaves it. */
	unsigned parts;
};

/* What a season's pages take of issue is: the items of its configured
 * sections, with the texts of the parts their templates use (parts, as
 * seasons.parts), as a build job, which has parsed the issue anyway,
 * hands them over (seasons.handed). */
void seasons_items(const struct issue *is, unsigned parts, buf *out);

/* The formats of a season's pages: the template of each. */
#define SEASON_FORMATS 2
extern const char *const season_templates[SEASON_FORMATS];

/* Check the setting `seasons` of n, adding each mistake to d as an error
 * at its line of the settings file [settings]. */
void seasons_validate(const struct newsletter *n, diag_list *d);

/* The seasons of a that hold listed issues (none when the settings have
 * no valid `seasons`). seasons_release frees them. */
void seasons_open(struct seasons *s, const struct newsletter *n, const struct archive *a);
void seasons_release(struct seasons *s);

/* The costly parts of an item (render.h) that the season templates of r
 * in folder tdir use. */
unsigned seasons_parts(struct renderer *r, const char *tdir);

/* The name of season k's page in format f: "season-2.html", fresh. */
char *seasons_page(const struct seasons *s, size_t k, size_t f);

/* What season k's pages are made from, with tmpl the digest of their
 * template: the settings, every season's range (for the links between
 * them), each listed issue of the season: its number, page and source, and
 * the ends and count of the seasons before and after (their links show them). */
uint64_t seasons_key(const struct seasons *s, const struct archive *a, size_t k,
		     uint64_t tmpl);

/* The seasons as links, in order, each {n, title, page, from, until,
 * count, first, last}: for the archive page and the sitemap. The caller
 * frees the list. Each also has single (from and until are one issue), issues (their count in words), date_from,
 * date_until and the same as the language writes dates (date_from_text,
 * date_until_text). */
value *seasons_links(const struct seasons *s, const struct archive *a,
		     const value *newsletter);

/* The context of season k's pages: newsletter (sh's), strings, season
 * (its link, as above, with links: its items' count in words), page,
 * page_url (when build/ is published somewhere), prev and next (the seasons beside it, as links), issues[]
 * (its listed issues, oldest first: number, page, date, date_text, title)
 * and sections[] (the configured sections that have items in it: id,
 * title, count, first, last, items[]: every item of its issues in order,
 * as an issue's items are (render.h), n counting across the season, with
 * issue (its issue's number) and href (its anchor on the issue's page)).
 * Each listed issue's items are those a build job handed over (s->handed),
 * else read again from its source; one that cannot be read is an error in
 * d. Made in arena in; NULL when d got an error. */
value *seasons_context(const struct seasons *s, const struct archive *a, size_t k,
		       const struct newsletter *n, const struct render_shared *sh,
		       struct arena *in, diag_list *d);

/* Whether output name is a season's page that is not one of s (a season
 * gone with a change of the settings or the archive). */
int seasons_stale(const struct seasons *s, const char *name);

#endif
