/* markdown.h - Markdown snippets (settings, notes) to safe HTML with the
 * same cmark-gfm options and extensions as issue descriptions. */
#ifndef WEEKLY_MARKDOWN_H
#define WEEKLY_MARKDOWN_H

#include <stddef.h>
#include "buf.h"
#include "value.h"

/* Append the HTML of md to out. Raw HTML and unsafe links are dropped.
 * A snippet that is one paragraph gives its content without <p>. */
void markdown_html(const char *md, size_t len, buf *out);

/* For every string under a key ending in "_md" anywhere in the tree, add
 * the sibling key ending in "_html" (unless already present). */
void markdown_annotate(value *tree);

#endif
