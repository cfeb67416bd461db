/* outcheck.h - what `weekly check` says of an issue's rendered outputs:
 * its email (mailcheck.h, with --email) and its channel posts (post.h).
 * Each renders the issue through the newsletter's templates and adds only
 * the outputs' own warnings to d: problems of the issue itself, and of
 * templates that do not render, are left to the other checks and to
 * `weekly build`. */
#ifndef WEEKLY_OUTCHECK_H
#define WEEKLY_OUTCHECK_H

#include "config.h"
#include "diag.h"
#include "issue.h"

struct renderer;

/* The email and text formats of the issue file path of n, checked as
 * mail clients will treat them. */
void outcheck_email(const struct newsletter *n, const char *path, diag_list *d);
/* Every channel's post of is that r has a template for, checked against
 * the channel's limit. The posts render *ctx, the context of is, made
 * when NULL and needed: the caller frees it. */
void outcheck_posts(struct renderer *r, const struct newsletter *n,
		    const struct issue *is, value **ctx, diag_list *d);

#endif
