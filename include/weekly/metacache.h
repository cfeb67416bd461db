/* metacache.h - what links said about themselves (linkmeta.h), kept in
 * build/linkmeta.tsv so that builds stay offline and deterministic: one
 * sorted, tab-separated line per URL, written by `weekly add` and
 * `weekly check --links --meta`, read by builds (items[].meta.*) and by the
 * link check (archived repositories, titles that changed).
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

#define METACACHE_PATH "build/linkmeta.tsv"

/* Read path: a map (empty when the file is missing). A corrupt file adds a
 * warning at its line to d and reads as empty. */
value *metacache_load(const char *path, diag_list *d);
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
/* Ask what each of urls says about itself, unless the cache at path has an
 * entry for it checked less than max_age seconds ago, and save the cache.
 * A link that cannot tell is a warning at its place (refs[i]). Returns 0,
 * or -1 after an error in d when the cache cannot be written or a library
 * cannot be loaded. */
int metacache_refresh(const char *path, const struct link_ref *refs, size_t n,
		      const struct linkmeta_opts *mo, double max_age, diag_list *d);
/* Write the cache atomically, creating the folder. 0, or -1 with errno. */
int metacache_save(const value *cache, const char *path);

#endif
