/* metacache.h - what links said about themselves (linkmeta.h), kept in
 * the archive index (index.h, table linkmeta) so that builds stay offline
 * and deterministic: one tab-separated row per URL, written by `weekly add`
 * and `weekly check --links --meta`, read by builds (items[].meta.*) and by
 * the link check (archived repositories, titles that changed). Earlier
 * versions kept the same rows in build/linkmeta.tsv; until the index holds
 * metadata that file is read, and the first write moves it into the index.
 *
 * In memory the cache is a map value: ledger_key(url) -> the meta map
 * templates see (url, kind, checked, name, title, description, language,
 * stars, archived, pushed, license, not_free; absent fields left out), and
 * for dead links (`weekly check --links --all`) broken_since, when the
 * link was first seen broken, and archived_copy, the snapshot an archive
 * service holds of it (--wayback). */
#ifndef WEEKLY_METACACHE_H
#define WEEKLY_METACACHE_H

#include <time.h>
#include "diag.h"
#include "linkmeta.h"
#include "value.h"

struct index;

#define METACACHE_PATH "build/linkmeta.tsv"
/* In the index's meta: how many times metadata was kept there; missing
 * until the index holds metadata. Outputs whose templates read it are
 * made from it. */
#define METACACHE_STAMP "link_meta_stamp"

/* The metadata kept for the newsletter at root: a map (empty when there is
 * none). A corrupt file of an earlier version adds a warning at its line to
 * d and reads as empty. */
value *metacache_load(const char *root, diag_list *d);
/* The same from ix, the newsletter's archive index already open (NULL:
 * there is none). */
value *metacache_read(struct index *ix, const char *root, diag_list *d);

/* The entry of url, or NULL. */
const value *metacache_find(const value *cache, const char *url);
/* Set url's entry from m, checked at t. The title recorded first is kept:
 * it is what the link was added as. */
void metacache_put(value *cache, const char *url, const struct linkmeta *m, time_t t);
/* Set one field of url's entry (made when missing) to text, or remove it
 * when text is NULL. */
void metacache_note(value *cache, const char *url, const char *key, const char *text);
/* t as the cache writes times: 2026-01-05T10:00:00Z. */
void metacache_time(time_t t, char out[32]);
/* Ask what each of urls says about itself, unless the metadata of the
 * newsletter at root has an entry for it checked less than max_age seconds
 * ago, and save it, through ix, root's archive index already open (NULL:
 * opened here). A link that cannot tell is a warning at its place
 * (refs[i]). Returns 0, or -1 after an error in d when the metadata cannot
 * be kept or a library cannot be loaded. */
int metacache_refresh(struct index *ix, const char *root, const struct link_ref *refs,
		      size_t n, const struct linkmeta_opts *mo, double max_age, diag_list *d);
/* Keep cache as the metadata of the newsletter at root, in one transaction
 * of its archive index (each URL's row replaced; without SQLite nothing is
 * kept): ix, the index already open, or NULL to open it for the write.
 * 0, or -1 after an error in d. */
int metacache_save(const value *cache, struct index *ix, const char *root, diag_list *d);

#endif
