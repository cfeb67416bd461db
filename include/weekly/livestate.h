/* livestate.h - what an open page is told about its issue: the issue's
 * diagnostics, read from `weekly check --format json`, each with its
 * source line, and whether it is a draft; and what is wrong with the
 * newsletter as a whole (templates, settings), read from the messages of
 * `weekly build` (FILE:LINE:COL: error|warning: message [rule]). Each
 * state goes to the hub as one line of JSON:
 *   {"draft": BOOL, "diagnostics": [{"file", "line", "column", "severity",
 *    "rule", "message", "source"}...]}
 * or {"pending": true} while the issue is being checked again.
 *
 * The states own their values; livestate_release frees them. */
#ifndef WEEKLY_LIVESTATE_H
#define WEEKLY_LIVESTATE_H

#include <stddef.h>
#include "livehub.h"
#include "value.h"

struct livestate {
	struct livehub *hub;
	struct live_issue {
		char *stem;          /* "015" for issues/015.md and build/015.html */
		int draft;
		value *diags;        /* list of maps as above */
	} *issues;
	size_t len, cap;
};

void livestate_init(struct livestate *s, struct livehub *hub);
void livestate_release(struct livestate *s);

/* The stem of an issue file's outputs ("015" for issues/015-slug.md) in a
 * fresh string, or NULL when path is not an issue file. */
char *livestate_stem(const char *path);
/* The issues files (issue paths) were checked: json is what `weekly check
 * FILES --format json` printed. Their diagnostics are replaced (by none for
 * a file json does not name). -1 when json is not such a list. */
int livestate_checked(struct livestate *s, char *const *files, size_t nfiles,
		      const char *json, size_t len);
/* Mark the pages of issue file path as being checked again. */
void livestate_pending(struct livestate *s, const char *path);
/* Whether issue stem is a draft. */
void livestate_draft(struct livestate *s, const char *stem, int draft);
/* What the build said (its standard error) about files other than issues,
 * for every page; messages without a position count when status says the
 * build failed for another reason than content. */
void livestate_built(struct livestate *s, const char *text, int status);

#endif
