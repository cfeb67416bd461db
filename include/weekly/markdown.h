/* markdown.h - Markdown snippets (settings, notes) to safe HTML with the
 * same cmark-gfm options and extensions as issue descriptions, and Markdown
 * to plain text with links as numbered references. */
#ifndef WEEKLY_MARKDOWN_H
#define WEEKLY_MARKDOWN_H

#include <stddef.h>
#include "buf.h"
#include "diag.h"
#include "value.h"

struct cmark_parser;
struct cmark_mem;
/* The one cmark-gfm parser setup: a parser with options opts (CMARK_OPT_*)
 * and the extensions weekly reads every Markdown text with (tables,
 * strikethrough, autolinks, the tag filter), its trees allocated with mem
 * (NULL: the library's allocator). cmark_parser_get_syntax_extensions
 * gives them to the HTML renderer. */
struct cmark_parser *markdown_parser(int opts, struct cmark_mem *mem);
/* The node after n in document order (a node, then its children) in the
 * tree under root, or NULL after its last: a walk from root that costs
 * no stack and no iterator, for looking at nodes on the way in only. */
struct cmark_node;
struct cmark_node *markdown_next(struct cmark_node *n, struct cmark_node *root);

/* What cmark-gfm may be given. Its work and memory grow with the nodes it
 * makes, and some shapes cost it time that grows faster than the text; a
 * text over one of these limits is refused before it is parsed:
 *   - MD_MAX_NODES nodes in one text, counted from the source: 2 a line
 *     that is not blank (its text and a break or a block), 1 each of
 *     `[ ] < & \`, a run of `*`, `_`, `~` or backticks, `w` and `:`, and
 *     3 each of `www.`, `://` and `@`, which may start an autolink; a
 *     table row counts as many cells as the widest row before it;
 *   - MD_MAX_PARAGRAPH runs of `*`, `_`, `~` or backticks and `<` in one
 *     paragraph (lines between blank lines, or from a list item or heading
 *     on), where emphasis, strikethrough and code spans cost its square;
 *   - MD_MAX_NESTING brackets open at once, or block quotes and list items
 *     nested on one line, or a line indented more than MD_MAX_INDENT
 *     columns (lists nest by indentation): the library walks every open
 *     bracket on each link, and every open block on each line;
 *   - MD_MAX_LINES lines, blank ones too (as cmark-gfm reads them: a line
 *     ends at a line feed, a carriage return or both);
 *   - MD_MAX_EXPANSION bytes that uses of link references may copy: each
 *     closing bracket counts the longest definition's destination. */
#define MD_MAX_LINES 1000000
#define MD_MAX_EXPANSION (16 << 20)
#define MD_MAX_INDENT 128
#define MD_MAX_NODES 500000
#define MD_MAX_PARAGRAPH 5000
#define MD_MAX_NESTING 32

/* Whether md (len bytes) goes over a limit: 0 when it is within them all,
 * else 1 with the first place over (line and column, 1-based, within md)
 * and a message saying which limit in *at. Either way at->nodes is what
 * md counts (up to that place). */
struct md_over { int line, col; size_t nodes; char why[128]; };
int markdown_over(const char *md, size_t len, struct md_over *at);

/* Add an error to d for every string under a key ending in "_md" anywhere
 * in tree that markdown_over refuses, at its place in file. */
void markdown_check_tree(const value *tree, const char *file, diag_list *d);

/* Append the HTML of md to out. Raw HTML and unsafe links are dropped.
 * A snippet that is one paragraph gives its content without <p>; one over
 * the limits above is escaped as plain text, unparsed. */
void markdown_html(const char *md, size_t len, buf *out);

/* The numeric character references of md (&#27;, &#x1B;: "&#", 1 to 8
 * decimal digits or "x" and 1 to 8 hex digits, ";") that cmark-gfm decodes
 * (in text, link destinations and titles, code block info strings; not in
 * code, raw HTML or after a backslash) and that name a character XML 1.0
 * forbids: a C0 control other than tab, LF and CR, U+FFFE, U+FFFF, and the
 * ones cmark-gfm writes as U+FFFD (&#0;, a surrogate, past U+10FFFF, which
 * cp gives as 0x110000). found gets each in source order: its offset in md,
 * its length and what it names. md over the limits above is not parsed, so
 * has none; of more than MD_MAX_REFS, the rest are all given, unparsed. */
#define MD_MAX_REFS 0x20000
typedef void (*md_ref_fn)(size_t off, size_t len, unsigned long cp, void *ud);
void markdown_bad_refs(const char *md, size_t len, md_ref_fn found, void *ud);

/* The trust rule, applied to a tree read from a source (settings, front
 * matter) before templates see it: every key ending in "_html" anywhere in
 * the tree is emptied (null), and every string under a key ending in "_md"
 * gets its sibling ending in "_html", made here in safe mode. So every
 * "_html" value a template sees was made by weekly. The values it adds are
 * made where the map they join was (value_arena). */
void markdown_annotate(value *tree);

/* Append md as plain text to out, without a final newline: emphasis marks
 * dropped, headings of levels 1 and 2 underlined with = and -, quotes
 * prefixed with "> ", list items marked "- " or "N. ", code indented by four
 * spaces, table cells joined by " | ", raw HTML dropped, links their text
 * alone and images left out. */
void markdown_text(const char *md, size_t len, buf *out);


/* The columns plain text is wrapped at, as mail readers expect. */
#define MARKDOWN_TEXT_WIDTH 72

/* Replace the Markdown document in doc by its plain text (markdown_text),
 * its paragraphs wrapped at MARKDOWN_TEXT_WIDTH columns (less the marks of
 * quotes and lists before them; Chinese and Japanese break between
 * characters, a word longer than a line stays whole) without trailing
 * spaces, ended by a newline and followed by its references: after a
 * blank line, one "[N] URL" line each. A link is followed by " [N]" (N its
 * number: the n-th distinct address is number n) unless its text is its
 * own address, and an image is written "[image: ALT] [N]". */
void markdown_plain(buf *doc);

#endif
