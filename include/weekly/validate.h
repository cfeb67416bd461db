/* validate.h - the rules an issue must follow, over a parsed issue.
 *
 * Parsing (issue.h) reports what makes the source unreadable; the rules
 * here report what is wrong with what it says. Every problem found is added
 * to d; nothing stops at the first. */
#ifndef WEEKLY_VALIDATE_H
#define WEEKLY_VALIDATE_H

#include "config.h"
#include "diag.h"
#include "issue.h"

/* Check is against the settings of n. file_number is the number the file
 * name stands for (-1 when unknown, e.g. for standard input). */
void validate_issue(const struct newsletter *n, const struct issue *is,
		    long file_number, diag_list *d);

/* Whether s is a real calendar date written YYYY-MM-DD. */
int validate_date(const char *s);

#endif
