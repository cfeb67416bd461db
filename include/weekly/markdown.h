/* markdown.h - Markdown snippets (settings, notes) to safe HTML with the
 * same cmark-gfm options and extensions as issue descriptions, and Markdown
 * to plain text with links as numbered references. */
#ifndef WEEKLY_MARKDOWN_H
#define WEEKLY_MARKDOWN_H

#include <stddef.h>
#include "buf.h"
#include "value.h"

/* Append the HTML of md to out. Raw HTML and unsafe links are dropped.
 * A snippet that is one paragraph gives its content without <p>. */
void markdown_html(const char *md, size_t len, buf *out);

/* The trust rule, applied to a tree read from a source (settings, front
 * matter) before templates see it: every key ending in "_html" anywhere in
 * the tree is emptied (null), and every string under a key ending in "_md"
 * gets its sibling ending in "_html", made here in safe mode. So every
 * "_html" value a template sees was made by weekly. */
void markdown_annotate(value *tree);

/* Links numbered for plain text: the n-th distinct URL added is number n.
 * The refs own copies of the URLs; md_refs_release frees them. */
typedef struct md_refs {
	char **urls;
	size_t len, cap;
} md_refs;

#define MD_REFS_INIT { NULL, 0, 0 }

/* url's number, adding it when new. */
size_t md_refs_add(md_refs *r, const char *url);
void md_refs_release(md_refs *r);

/* Append md as plain text to out, without a final newline: emphasis marks
 * dropped, headings of levels 1 and 2 underlined with = and -, quotes
 * prefixed with "> ", list items marked "- " or "N. ", code indented by four
 * spaces, table cells joined by " | ", raw HTML dropped. With refs, a link
 * is followed by " [N]" (N its number in refs) unless its text is its own
 * address, and an image is written "[image: ALT] [N]"; without refs, links
 * are their text alone and images are left out. */
void markdown_text(const char *md, size_t len, md_refs *refs, buf *out);


/* The columns plain text is wrapped at, as mail readers expect. */
#define MARKDOWN_TEXT_WIDTH 72

/* Replace the Markdown document in doc by its plain text (markdown_text),
 * its paragraphs wrapped at MARKDOWN_TEXT_WIDTH columns (less the marks of
 * quotes and lists before them; Chinese and Japanese break between
 * characters, a word longer than a line stays whole) without trailing
 * spaces, ended by a newline and followed by its references: after a
 * blank line, one "[N] URL" line each. */
void markdown_plain(buf *doc);

#endif
