/* stats.h - the counts an editor reports about an issue: items, words of
 * description, links and images, per section and in total. `weekly stats`
 * and the template context both count here.
 *
 * Counting allocates nothing the caller keeps; stats_value returns a fresh
 * tree the caller frees. */
#ifndef WEEKLY_STATS_H
#define WEEKLY_STATS_H

#include <stddef.h>
#include "issue.h"
#include "value.h"

struct stats {
	long items;   /* items (list entries that start with a link) */
	long words;   /* words of the items' descriptions, as plain text */
	long links;   /* every link: items' own, in descriptions and leads */
	long images;
};

/* The counts of is->sections[i]: its items, their descriptions, and the
 * links and images anywhere under its heading. */
void stats_section(const struct issue *is, size_t i, struct stats *out);
/* The counts of every heading of is that names configured section conf. */
void stats_conf(const struct issue *is, long conf, struct stats *out);
/* The counts of the whole issue: every section, and the links and images
 * of its lead. */
void stats_issue(const struct issue *is, struct stats *out);
/* The links and images of the issue's lead (text before the first heading). */
void stats_lead(const struct issue *is, struct stats *out);
void stats_add(struct stats *sum, const struct stats *s);

/* The map {items, words, links, images}, made in arena a (value.h; NULL:
 * on the heap). */
struct arena;
value *stats_value(struct arena *a, const struct stats *s);

#endif
