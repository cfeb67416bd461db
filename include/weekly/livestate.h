/* livestate.h - what an open page is told about its issue: the issue's
 * diagnostics, read from `weekly check --format json`, each with its
 * source line, and whether it is a draft; and what is wrong with the
 * newsletter as a whole (templates, settings), read from the messages of
 * `weekly build` (FILE:LINE:COL: error|warning: message [rule]). Each
 * state goes to the hub as one line of JSON:
 *   {"draft": BOOL, "diagnostics": [{"file", "line", "column", "severity",
 *    "rule", "message", "source"}...]}
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

/* The issues files (issue paths) were checked: json is what `weekly check
 * FILES --format json` printed. Their diagnostics are replaced (by none for
 * a file json does not name). -1 when json is not such a list. */
int livestate_checked(struct livestate *s, char *const *files, size_t nfiles,
		      const char *json, size_t len);
/* Whether issue stem is a draft. */
void livestate_draft(struct livestate *s, const char *stem, int draft);
/* Whether the issue file path is a draft, as last said. */
int livestate_is_draft(struct livestate *s, const char *path);
/* What the build said (text: its standard error; status: its exit status)
 * after the issue files changed were saved; written names the outputs it
 * wrote, separated by spaces. Its messages about other files than issues
 * (templates, settings; and, when it failed for another reason than
 * content, those without a position) go to every page; those about a
 * changed issue it read replace that issue's diagnostics at once, until
 * the check's come. */
void livestate_built(struct livestate *s, const char *text, int status,
		     char *const *changed, size_t nchanged, const char *written);

#endif
