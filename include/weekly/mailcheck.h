/* mailcheck.h - what keeps an issue's email from arriving whole, read off
 * the rendered email format (its HTML part): `weekly check --email` (and
 * the size alone in `weekly build -f email`). All warnings:
 *
 *   [email-size]   the HTML is over 90 KB: Gmail clips a message above
 *                  about 102 KB and hides the rest behind a link
 *   [email-image]  an image without a width attribute (Outlook shows it at
 *                  its full size, however wide)
 *   [email-http]   an image or link over plain http:
 *   [email-alt]    an image without alt text (the issue's own images are
 *                  [alt] already; these come from templates or settings)
 *   [email-text]   no plain-text part: the text format's template is
 *                  missing or writes nothing
 *
 * A link or image of the issue is reported where the issue writes it; one
 * from the templates or settings at the issue's file, without a line. */
#ifndef WEEKLY_MAILCHECK_H
#define WEEKLY_MAILCHECK_H

#include <stddef.h>
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "issue.h"

/* Gmail clips above about 102 KB; the warning comes earlier. */
#define MAILCHECK_MAX_BYTES (90 * 1024)

/* Only [email-size]: what `weekly build -f email` warns about. */
void mailcheck_size(const struct issue *is, const buf *html, diag_list *d);

/* The email of is, its HTML part (html) and its plain-text part (text,
 * from templates/TEXT_TEMPLATE), checked: all of the warnings above. NULL
 * for a part that could not be rendered. */
void mailcheck_email(const struct issue *is, const buf *html, const buf *text,
		     const char *text_template, diag_list *d);

#endif
