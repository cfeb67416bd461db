/* validate.h - the rules an issue must follow, over a parsed issue.
 *
 * Parsing (issue.h) reports what makes the source unreadable; the rules
 * here report what is wrong with what it says. Every problem found is added
 * to d; nothing stops at the first. Rule names (the [rule] of a diagnostic;
 * every rule of weekly, with examples, is in the table of rules.h):
 *
 *   front-matter  number, date and known keys of the front matter
 *   unknown-key   a front matter or settings key nothing reads (warning,
 *                 with the closest known key; a misspelt draft is an error)
 *   duplicate-section, required-section, empty-section, count, order (warning)
 *   url           empty, not http(s), no host; strings of the front matter
 *                 and the settings under keys ending in url, href, src, link
 *                 or image: not javascript:, data: or another scheme but
 *                 http(s) and mailto
 *   raw-html      a front matter or settings key ending in _html (HTML comes
 *                 only from Markdown, made by weekly in safe mode)
 *   xml-char      a character XML 1.0 forbids, in the text or a YAML value
 *   title         an item with an empty title
 *   duplicate-url an item URL featured twice in the issue
 *   featured      an item URL featured in an earlier issue (warning)
 *   description, alt, tracking (warnings)
 *   file-name     an issue file named by date; date-order  dates going
 *                 backwards from issue to issue (warning)
 *   utf8, nul     invalid UTF-8, NUL bytes;  mojibake  double-encoded text (warning)
 *
 * Settings read from newsletter.yaml, all optional:
 *   check:
 *     allow_repeats: [URL, PREFIX*...]  URLs that may be featured again
 *     issue_keys: [KEY...]              further front matter keys templates read
 */
#ifndef WEEKLY_VALIDATE_H
#define WEEKLY_VALIDATE_H

#include "config.h"
#include "diag.h"
#include "issue.h"
#include "ledger.h"

struct archive;
struct renderer;

/* Check is against the settings of n. file_number is the number the file
 * name stands for (-1 when unknown, e.g. for standard input). */
void validate_issue(const struct newsletter *n, const struct issue *is,
		    long file_number, diag_list *d);

/* Warn about every item among links (the n links of issue number, as
 * ledger_add_issue lists them) whose URL an earlier issue in archive already
 * featured, unless check.allow_repeats lets it repeat. */
void validate_featured(const struct newsletter *nl, const struct ledger_entry *links,
		       size_t n, long number, const struct ledger *archive, diag_list *d);

/* An error for issue file path, whose number an earlier file, other, has
 * already: one file per issue [file]. */
void validate_twin(const char *path, long number, const char *other, diag_list *d);

/* The settings of newsletter.yaml themselves (once a run): the check
 * settings, the trust rules front matter also follows (raw-html, url,
 * xml-char), and keys that neither weekly nor a template of r (NULL: none)
 * reads, with the known key each may have meant. */
void validate_settings(const struct newsletter *n, struct renderer *r, diag_list *d);
/* What of that is an error, which no command may go past: the trust rules
 * and the shapes of the check settings. */
void validate_settings_errors(const struct newsletter *n, diag_list *d);

/* The archive as a whole (once a run): Markdown files in issues/ named by
 * a date rather than a number are not read, an error that says how issue
 * files are named [file-name]; an issue dated before the one numbered
 * before it is a warning [date-order]. */
void validate_archive(const struct newsletter *n, const struct archive *a, diag_list *d);

#endif
