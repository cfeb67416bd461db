/* post.h - channel posts: the issue for a Telegram channel, Mastodon or
 * Bluesky (-f telegram|mastodon|bluesky), each from its template
 * (templates/CHANNEL.txt.mustache), tidied and measured as its platform
 * measures it.
 *
 *   telegram   4,096 characters, counted in UTF-16 units
 *   mastodon   500 characters (graphemes), every address counted as 23
 *   bluesky    300 graphemes, addresses in full
 *
 * A post over its limit is a warning [post-length], from `weekly check`
 * and `weekly build -f CHANNEL` alike. */
#ifndef WEEKLY_POST_H
#define WEEKLY_POST_H

#include <stddef.h>
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "issue.h"


/* The channels, as -f post --channel NAME (or -f NAME) names them. */
#define POST_CHANNELS "telegram, mastodon or bluesky"
/* Whether name is one of them. */
int post_is_channel(const char *name);

/* Trailing spaces and tabs of every line removed, blank lines at the start
 * and end dropped and runs of them made one, one newline at the end: what
 * a template writes with some settings empty reads as if they were not
 * there. */
void post_tidy(buf *doc);

/* The format checks of the three channels: a warning on d when out, the
 * post of is, is over the channel's limit. */
void post_check_telegram(const struct issue *is, const buf *out, diag_list *d);
void post_check_mastodon(const struct issue *is, const buf *out, diag_list *d);
void post_check_bluesky(const struct issue *is, const buf *out, diag_list *d);


#endif
