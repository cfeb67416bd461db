/* validate_int.h - what the rules' three files share, and nothing else:
 * validate.c (an issue), validate_trust.c (what any source may not say)
 * and validate_settings.c (the settings and the archive, once a run). */
#ifndef WEEKLY_VALIDATE_INT_H
#define WEEKLY_VALIDATE_INT_H

#include <stddef.h>
#include "weekly/diag.h"
#include "weekly/issue.h"
#include "weekly/value.h"

/* Whether s is NULL or holds nothing but white space. */
int validate_blank(const char *s);
/* The name among names[0..n) that word comes closest to without being it:
 * the same but for case, spaces or punctuation, else the closest by
 * util_closest; or NULL. */
const char *validate_nearest(const char *word, const char *const *names, size_t n);

/* Whether e's key ends in _html: HTML only weekly may make. */
int validate_html_key(const struct value_entry *e);
/* The trust rules over tree, which file (whose text, len bytes, is read
 * when needed if NULL) wrote, at any depth: no key sets HTML (weekly makes
 * every "_html" value from its "_md" sibling), strings under URL keys are
 * web, mail or relative addresses (never javascript:, data: and the
 * like), and no string holds a character XML forbids (YAML escapes such
 * as "\e" can write them, Markdown values references such as &#27;). */
void validate_trust(const char *file, const char *text, size_t len, const value *tree,
		    diag_list *d);
/* Character references in the body of is that name characters XML
 * forbids: an error each, at its place. */
void validate_body_refs(const struct issue *is, diag_list *d);

#endif
