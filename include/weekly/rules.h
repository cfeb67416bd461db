/* rules.h - every rule a diagnostic can name (the [rule] that ends it), in
 * one table: what it checks, whether it is an error or a warning, and an
 * example of a source it reports and of the fix. `weekly help rules` prints
 * it; a module that reports under a new rule name adds a row here. */
#ifndef WEEKLY_RULES_H
#define WEEKLY_RULES_H

#include <stddef.h>

struct rule {
	const char *name;     /* as diagnostics print it: "item-link" */
	const char *severity; /* "error", "warning" or "error or warning" */
	const char *summary;  /* one line: what it reports */
	const char *why;      /* a few lines: why it matters, what to do */
	const char *wrong;    /* a source it reports (lines of text) */
	const char *right;    /* the same, fixed */
};

/* The table, sorted by name, and its length. */
extern const struct rule rules[];
extern const size_t nrules;

/* The rule called name, or NULL. */
const struct rule *rule_find(const char *name);

#endif
