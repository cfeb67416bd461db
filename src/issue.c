/* issue.c - an issue's source (front matter + Markdown) to struct issue:
 * sections, items, descriptions (as written and as HTML) and every link,
 * each with its source position, read with cmark-gfm. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>
#include "issue_int.h"
#include "weekly/arena.h"
#include "weekly/fsutil.h"
#include "weekly/markdown.h"
#include "weekly/util.h"
#include "weekly/yaml.h"

#define HTML_OPTS (CMARK_OPT_DEFAULT)

/* --- source text ------------------------------------------------------- */

/* How many blank lines come before file line n beyond the one that parts
 * two blocks: a layout the Markdown output keeps. */
static int gap_before(const struct parser *p, int n)
{
	int blank = 0;
	for (int l = n - 1; l > p->line_shift; l--, blank++) {
		size_t len;
		const char *s = line_at(p, l, &len);
		if (len > strspn(s, " \t"))
			break;
	}
	return blank > 1 ? blank - 1 : 0;
}

static void error(struct parser *p, int line, int col, const char *rule,
		  const char *fmt, const char *arg)
{
	diag_add(p->d, DIAG_ERROR, p->is->path, line, col, rule, fmt, arg);
}

/* --- front matter ------------------------------------------------------ */

/* Returns the file line the body starts on. */
static int front_matter(struct parser *p)
{
	struct src_front f = src_front(&p->src);
	if (f.kind == SRC_FRONT_NONE) {
		error(p, 1, 1, "front-matter", "%s",
		      "missing front matter: the file must start with a '---' line");
		return 1;
	}
	if (f.kind == SRC_FRONT_OPEN) {
		error(p, 1, 1, "front-matter", "%s",
		      "front matter is not closed: no '---' line after line 1");
		return (int)p->src.nlines + 1;
	}
	value *v = yaml_load(f.yaml, f.len, p->is->path, 1, p->d);
	if (v && value_type(v) != VALUE_MAP && value_type(v) != VALUE_NULL)
		error(p, 2, 1, "front-matter", "%s", "front matter must be a mapping of keys");
	if (v)
		markdown_check_tree(v, p->is->path, p->d);
	if (v && value_type(v) == VALUE_MAP)
		p->is->front = v;
	else
		value_free(v);
	return (int)f.end + 2;
}

/* --- plain text and raw spans ------------------------------------------ */

static void plain_text(cmark_node *node, buf *out)
{
	for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
		cmark_node_type t = cmark_node_get_type(c);
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
			buf_puts(out, cmark_node_get_literal(c));
		else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			buf_putc(out, ' ');
		else
			plain_text(c, out);
	}
}

static char *text_of(cmark_node *node)
{
	buf b = BUF_INIT;
	plain_text(node, &b);
	return buf_take(&b);
}

/* A copy of s (n bytes) among the issue's strings (issue.h). */
static char *keep(const struct parser *p, const char *s, size_t n)
{
	return arena_strndup(&p->is->strings, s, n);
}

static char *keep_str(const struct parser *p, const char *s)
{
	return keep(p, s, strlen(s));
}

/* The plain text of node, kept among the issue's strings. */
static char *kept_text(struct parser *p, cmark_node *node)
{
	buf_reset(&p->scratch);
	plain_text(node, &p->scratch);
	return keep(p, p->scratch.data, p->scratch.len);
}

static char *trimmed(const struct parser *p, const char *s, size_t len)
{
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return keep(p, s, len);
}

/* --- descriptions ------------------------------------------------------ */

/* Append file lines from..to to the collected Markdown as written,
 * indentation included: the Markdown output is the editor's text. */
static void copy_lines(struct parser *p, int from, int to)
{
	for (int n = from; n <= to; n++) {
		size_t len;
		const char *l = line_at(p, n, &len);
		if (p->md.len)
			buf_putc(&p->md, '\n');
		buf_put(&p->md, l, len);
	}
}

/* cmark-gfm gives an autolink (<url>) inside a list item the column it
 * would have outside the item: look for it from there on. */
static int autolink_col(const struct parser *p, cmark_node *n, int line, int col)
{
	size_t len;
	const char *s = line_at(p, line, &len);
	if (col < 1 || (size_t)col > len || s[col - 1] == '[' || s[col - 1] == '!' ||
	    cmark_node_get_type(n) != CMARK_NODE_LINK)
		return col;
	char *text = text_of(n);
	size_t tlen = strlen(text);
	for (size_t i = (size_t)col - 1; i + tlen + 2 <= len; i++)
		if (s[i] == '<' && memcmp(s + i + 1, text, tlen) == 0 && s[i + tlen + 1] == '>') {
			col = (int)i + 1;
			break;
		}
	free(text);
	return col;
}

/* Where to look for text a block's links have no position for: on file
 * lines from..to, from column col (1-based) of line from on. */
struct place { int from, to, col; };

/* The first place of text at or after at: *line and *col (and at moves
 * past it), or *col left alone. */
static void find_text(const struct parser *p, const char *text, struct place *at,
		      int *line, int *col)
{
	size_t tlen = strlen(text);
	for (int ln = at->from; tlen && ln <= at->to; ln++) {
		size_t len;
		const char *s = line_at(p, ln, &len);
		for (size_t i = ln == at->from ? (size_t)at->col - 1 : 0; i + tlen <= len; i++)
			if (memcmp(s + i, text, tlen) == 0) {
				*line = ln;
				*col = (int)i + 1;
				*at = (struct place){ ln, at->to, *col + 1 };
				return;
			}
	}
}

/* Whether cmark's position of an inline node holds: not in a paragraph the
 * table extension split off (its inlines are placed as if it began the
 * document), nor made by the autolink extension (no position at all). */
static int positioned(cmark_node *n)
{
	if (cmark_node_get_start_line(n) == 0)
		return 0;
	for (cmark_node *a = cmark_node_parent(n); a; a = cmark_node_parent(a))
		if (cmark_node_get_type(a) == CMARK_NODE_PARAGRAPH)
			return cmark_node_get_start_line(a) > 0;
	return 1;
}

/* Where node n starts. Links the autolink extension makes have no source
 * position: they take the place where their text next appears in the
 * nearest block that has one (after, kept between the links of a block,
 * is where the last one was found), and its column (0 when not found). */
static void node_start(const struct parser *p, cmark_node *n, struct place *after,
		       int *line, int *col)
{
	if (positioned(n)) {
		*line = file_line(p, n);
		*col = autolink_col(p, n, *line, cmark_node_get_start_column(n));
		return;
	}
	cmark_node *b = cmark_node_parent(n); /* the nearest block with a position */
	while (b && ((cmark_node_get_type(b) & CMARK_NODE_TYPE_MASK) != CMARK_NODE_TYPE_BLOCK ||
		     cmark_node_get_start_line(b) == 0))
		b = cmark_node_parent(b);
	*line = b ? file_line(p, b) : p->line_shift + 1;
	*col = 0;
	struct place whole = { *line, b ? end_line(p, b) : *line, 1 };
	if (after->from < whole.from || after->from > whole.to)
		*after = whole;
	cmark_node_type t = cmark_node_get_type(n);
	char *text = text_of(n);
	char *marked = xasprintf("%s%s", t == CMARK_NODE_IMAGE ? "![" : "[", text);
	size_t ul = strlen(cmark_node_get_url(n)), tl = strlen(text);
	int bare = t == CMARK_NODE_LINK && ul >= tl &&
		strcmp(cmark_node_get_url(n) + ul - tl, text) == 0; /* an autolink */
	if (!bare)
		find_text(p, marked, after, line, col);
	if (!*col)
		find_text(p, text, after, line, col);
	if (!*col) /* not after the last one: anywhere in the block */
		find_text(p, text, &whole, line, col);
	free(marked);
	free(text);
}

/* The text of link n when it is one run of plain text of at most
 * LINK_TEXT_MAX bytes, as cmark reads it; else NULL. */
static char *short_text(const struct parser *p, cmark_node *n)
{
	cmark_node *only = cmark_node_first_child(n);
	const char *s = only && !cmark_node_next(only) &&
		cmark_node_get_type(only) == CMARK_NODE_TEXT ? cmark_node_get_literal(only) : NULL;
	return s && strlen(s) <= LINK_TEXT_MAX ? keep_str(p, s) : NULL;
}

/* Every link and image under root to the issue's links; how many of the
 * images have no alt text. */
static size_t collect_links(struct parser *p, cmark_node *root)
{
	size_t bare = 0;
	struct place after = { 0, 0, 1 };
	for (cmark_node *c = root; c; c = markdown_next(c, root)) {
		cmark_node_type t = cmark_node_get_type(c);
		if (t != CMARK_NODE_LINK && t != CMARK_NODE_IMAGE)
			continue;
		struct issue *is = p->is;
		xgrow((void **)&is->links, &is->links_cap, is->nlinks + 1, sizeof(struct link));
		struct link *l = &is->links[is->nlinks++];
		l->url = keep_str(p, cmark_node_get_url(c));
		node_start(p, c, &after, &l->line, &l->col);
		l->image = t == CMARK_NODE_IMAGE;
		l->has_alt = cmark_node_first_child(c) != NULL;
		l->section = p->sec ? (long)(p->sec - is->sections) : -1;
		l->item = p->item ? (long)(p->item - p->sec->items) : -1;
		l->opens_item = c == p->opener;
		l->text = l->image ? NULL : short_text(p, c);
		bare += l->image && !l->has_alt;
	}
	return bare;
}

/* Images without alt text get one in HTML: the title of their item, else
 * the heading of their section, else the newsletter's name, so that a page
 * never shows an image with no words for it. The Markdown keeps the source
 * as written, and the alt rule still warns. */
static void fill_alt(const struct parser *p, cmark_node *root)
{
	const char *alt = p->item && *p->item->title ? p->item->title
		: p->sec && *p->sec->heading ? p->sec->heading
		: value_str(value_getc(p->n->settings, "name"));
	cmark_node **images = NULL;
	size_t n = 0, cap = 0;
	for (cmark_node *c = alt && *alt ? root : NULL; c; c = markdown_next(c, root))
		if (cmark_node_get_type(c) == CMARK_NODE_IMAGE && !cmark_node_first_child(c)) {
			xgrow((void **)&images, &cap, n + 1, sizeof *images);
			images[n++] = c;
		}
	for (size_t i = 0; i < n; i++) {
		cmark_node *text = cmark_node_new_with_mem(CMARK_NODE_TEXT, p->mem);
		cmark_node_set_literal(text, alt);
		cmark_node_append_child(images[i], text);
	}
	free(images);
}

/* The block's words as plain text, after those collected so far: the
 * literal text of its nodes but images, a space for a line break, a new
 * line after each block. Iterative, so nesting depth costs no stack. */
static void add_text(struct parser *p, cmark_node *block)
{
	cmark_iter *it = cmark_iter_new(block);
	cmark_event_type ev;
	int image = 0; /* alt text is not read as part of the text */
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(c);
		if (t == CMARK_NODE_IMAGE)
			image += ev == CMARK_EVENT_ENTER ? 1 : -1;
		if (image)
			continue;
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_CODE_BLOCK)
			buf_puts(&p->text, cmark_node_get_literal(c));
		else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
			buf_putc(&p->text, ' ');
		int block = (t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK;
		if ((ev == CMARK_EVENT_EXIT && block) ||
		    t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_HTML_BLOCK)
			buf_putc(&p->text, '\n');
	}
	cmark_iter_free(it);
}

static void put_html(struct parser *p, cmark_node *node)
{
	char *html = cmark_render_html_with_mem(node, HTML_OPTS, p->exts, p->mem);
	buf_puts(&p->html, html);
	p->mem->free(html);
}

/* Add a block to the description (or lead) being collected. */
static void add_block(struct parser *p, cmark_node *block)
{
	struct span sp = issue_block_span(p, block);
	copy_lines(p, p->last_line ? p->last_line + 1 : sp.from, sp.to);
	p->last_line = sp.to;
	size_t bare = collect_links(p, block);
	if (p->parts & ISSUE_HTML) {
		if (bare)
			fill_alt(p, block);
		put_html(p, block);
	}
	if (p->parts & ISSUE_TEXT)
		add_text(p, block);
}

/* A copy of what b holds, b emptied for the next text: its room is kept
 * (growing a fresh buffer for each description costs more). */
static char *take_copy(const struct parser *p, buf *b)
{
	char *s = keep(p, b->data, b->len);
	buf_reset(b);
	return s;
}

/* The collected text ends here: hand it to whoever owns it. */
static void flush(struct parser *p)
{
	char **md, **html;
	if (p->item)
		md = &p->item->description_md, html = &p->item->description_html;
	else if (p->sec)
		md = &p->sec->lead_md, html = &p->sec->lead_html;
	else
		md = &p->is->lead_md, html = &p->is->lead_html;
	while (p->md.len && p->md.data[p->md.len - 1] == '\n')
		p->md.data[--p->md.len] = '\0';
	*md = take_copy(p, &p->md);
	*html = take_copy(p, &p->html);
	if (p->item)
		p->item->description_text = take_copy(p, &p->text);
	buf_reset(&p->text);
	p->last_line = 0;
}

/* --- items -------------------------------------------------------------- */

/* "、" and the blanks after it when file line n numbers an item the
 * Chinese way ("4、 [title](url)"), as written: a layout the templates may
 * keep; else NULL. */
static char *comma_marker(const struct parser *p, int n)
{
	size_t len;
	struct item_line il;
	const char *s = line_at(p, n, &len);
	if (!item_line_read(s, len, &il) || !il.comma)
		return NULL;
	return keep(p, s + il.mark - 3, il.text - (il.mark - 3));
}

/* A new item of the section; read_link gives it its link and note. */
static struct item *new_item(struct parser *p, int line, int col)
{
	struct section *s = p->sec;
	xgrow((void **)&s->items, &s->cap, s->nitems + 1, sizeof(struct item));
	struct item *it = &s->items[s->nitems++];
	memset(it, 0, sizeof(*it));
	it->line = line;
	it->col = col;
	it->gap = gap_before(p, line);
	it->marker = comma_marker(p, line);
	return it;
}

/* How long the link that line (len bytes) starts with is, found by reading
 * the line alone: the table extension leaves links without a position. */
static size_t link_len(const struct parser *p, const char *line, size_t len)
{
	cmark_node *doc = issue_parse_apart(p, line, len, CMARK_OPT_SOURCEPOS);
	cmark_node *para = cmark_node_first_child(doc);
	cmark_node *link = para ? cmark_node_first_child(para) : NULL;
	size_t n = len;
	if (link && cmark_node_get_type(link) == CMARK_NODE_LINK &&
	    cmark_node_get_end_line(link) == 1)
		n = (size_t)cmark_node_get_end_column(link);
	cmark_node_free(doc);
	return n < len ? n : len;
}

/* The item's first line: the link as written and the note after it. */
static void read_link(struct parser *p, struct item *it, cmark_node *link)
{
	size_t len;
	const char *l = line_at(p, it->line, &len);
	size_t start = (size_t)cmark_node_get_start_column(link) - 1;
	size_t end = cmark_node_get_end_line(link) == cmark_node_get_start_line(link)
		? (size_t)cmark_node_get_end_column(link) : len;
	if (!positioned(link)) {
		start = (size_t)it->col - 1;
		end = start < len ? start + link_len(p, l + start, len - start) : len;
	}
	if (start > len)
		start = len;
	if (end > len || end < start)
		end = len;
	it->link_md = keep(p, l + start, end - start);
	it->note = trimmed(p, l + end, len - end);
	it->note_md = keep(p, l + end, len - end);
	it->title = kept_text(p, link);
	it->url = keep_str(p, cmark_node_get_url(link));
	it->has_link = *it->url != '\0';
	size_t n = strlen(it->link_md);
	if (!it->has_link && n >= 4 && it->link_md[0] == '[' && strcmp(it->link_md + n - 3, "]()") == 0)
		memmove(it->link_md, it->link_md + 1, n - 4), it->link_md[n - 4] = '\0';
}

/* Lines of the first paragraph after the link's line are description. */
static void first_paragraph_rest(struct parser *p, cmark_node *para)
{
	struct span sp = issue_block_span(p, para);
	if (cmark_node_get_start_line(para) == 0)
		p->last_line = sp.to; /* a table split it off: the table starts on its line */
	if (sp.from + 1 > sp.to)
		return;
	copy_lines(p, sp.from + 1, sp.to);
	p->last_line = sp.to;
	if (!p->parts)
		return;
	cmark_node *doc = issue_parse_apart(p, p->md.data, p->md.len, CMARK_OPT_DEFAULT);
	if (p->parts & ISSUE_HTML) {
		fill_alt(p, doc);
		put_html(p, doc);
	}
	if (p->parts & ISSUE_TEXT)
		add_text(p, doc);
	cmark_node_free(doc);
}

static void other_heading(struct parser *p, cmark_node *h, int nested);

/* An item of an issue that publishes titles only ("titles_only: true"):
 * its first paragraph is its title, as written and as text; no address. */
static void title_item(struct parser *p, cmark_node *para)
{
	struct span sp = issue_block_span(p, para);
	buf md = BUF_INIT;
	for (int l = sp.from; l <= sp.to; l++) {
		size_t len;
		const char *s = line_at(p, l, &len);
		size_t skip = l == sp.from ? (size_t)sp.col - 1 : 0;
		if (skip > len)
			skip = len;
		if (l > sp.from)
			buf_putc(&md, ' ');
		s += skip, len -= skip;
		while (len && (*s == ' ' || *s == '\t'))
			s++, len--;
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		buf_put(&md, s, len);
	}
	p->item->link_md = keep(p, md.data, md.len);
	buf_release(&md);
	p->item->title = kept_text(p, para);
	p->item->url = keep(p, "", 0);
	p->item->note = keep(p, "", 0);
	p->item->note_md = keep(p, "", 0);
	p->last_line = sp.to;
}

/* A list item that does not start with a link: still an item, so that none
 * goes missing, and an error at its line (unless the issue publishes
 * titles only). */
static void linkless_item(struct parser *p, cmark_node *li, cmark_node *para)
{
	int n = file_line(p, li);
	size_t len;
	const char *s = line_at(p, n, &len);
	struct item_line il;
	if (p->is->titles_only && para && cmark_node_get_type(para) == CMARK_NODE_PARAGRAPH) {
		title_item(p, para);
		return;
	}
	if (item_line_read(s, len, &il))
		issue_item_slip(p, n, &il, 0);
	else
		error(p, p->item->line, p->item->col, "item-link", "%s",
		      "item has no link: an item must start with [title](url)");
	p->item->title = keep(p, "", 0);
	p->item->url = keep(p, "", 0);
	p->item->link_md = keep(p, "", 0);
	p->item->note = keep(p, "", 0);
	p->item->note_md = keep(p, "", 0);
	if (para)
		add_block(p, para);
}

static void list_item(struct parser *p, cmark_node *li)
{
	cmark_node *para = cmark_node_first_child(li);
	cmark_node *link = para && cmark_node_get_type(para) == CMARK_NODE_PARAGRAPH
		? cmark_node_first_child(para) : NULL;
	struct span sp = issue_block_span(p, para ? para : li);
	flush(p);
	p->item = new_item(p, sp.from, sp.col);
	p->item_indent = issue_block_span(p, li).col - 1;
	if (!link || cmark_node_get_type(link) != CMARK_NODE_LINK) {
		linkless_item(p, li, para);
	} else {
		read_link(p, p->item, link);
		p->opener = link;
		collect_links(p, para);
		p->opener = NULL;
		first_paragraph_rest(p, para);
	}
	cmark_node *c = para ? cmark_node_next(para) : cmark_node_first_child(li);
	for (; c; c = cmark_node_next(c)) {
		if (cmark_node_get_type(c) == CMARK_NODE_HEADING)
			other_heading(p, c, 1);
		add_block(p, c);
	}
}

/* Whether bullet list l follows an item without an address ("3. [Three
 * tutorials:]()"): a title over the links the list gives. */
static int under_text_item(const struct parser *p, cmark_node *l)
{
	return cmark_node_get_list_type(l) == CMARK_BULLET_LIST && !p->item->has_link &&
	       *p->item->title;
}

/* A top-level list in a section is items, each of them, except a list
 * indented under an item (two spaces or more further than the item's
 * marker, after its unindented description), or a bulleted one after an
 * item without an address: that stays part of the item's description. */
static void list(struct parser *p, cmark_node *l)
{
	if (p->item && (issue_block_span(p, l).col - 1 >= p->item_indent + 2 || under_text_item(p, l))) {
		add_block(p, l);
		return;
	}
	for (cmark_node *li = cmark_node_first_child(l); li; li = cmark_node_next(li))
		list_item(p, li);
}

/* --- sections ----------------------------------------------------------- */

static void heading(struct parser *p, cmark_node *h)
{
	flush(p);
	p->item = NULL;
	struct issue *is = p->is;
	xgrow((void **)&is->sections, &is->sections_cap, is->nsections + 1, sizeof(struct section));
	struct section *s = &is->sections[is->nsections++];
	memset(s, 0, sizeof(*s));
	s->heading = kept_text(p, h);
	s->line = file_line(p, h);
	s->col = cmark_node_get_start_column(h);
	s->gap = gap_before(p, s->line);
	s->conf = newsletter_section(p->n, s->heading, strlen(s->heading));
	const char *near = s->conf < 0 ? newsletter_section_near(p->n, s->heading) : NULL;
	char *q = util_quoted(s->heading, strlen(s->heading));
	if (s->conf < 0)
		diag_add(p->d, DIAG_ERROR, p->is->path, s->line, s->col, "section",
			 "unknown section '%s'%s%s%s", q, near ? "; did you mean '" : "",
			 near ? near : "", near ? "'?" : "");
	free(q);
	p->sec = s;
}

/* A heading that names a section but is not a section's (of another level,
 * or indented under an item): the editor meant a section, and its items
 * must not run on in the one before. */
static void other_heading(struct parser *p, cmark_node *h, int nested)
{
	char *text = text_of(h);
	long conf = newsletter_section(p->n, text, strlen(text));
	if (conf >= 0) {
		int level = cmark_node_get_heading_level(h), line = file_line(p, h);
		size_t len;
		const char *s = line_at(p, line, &len);
		char *q = util_quoted(s, len), *why = nested ? xstrdup("is indented under an item")
			: xasprintf("is a level-%d heading", level);
		diag_add(p->d, DIAG_ERROR, p->is->path, line, cmark_node_get_start_column(h),
			 "section", "'%s' names section '%s' but %s; a section starts with '## %s' "
			 "at the start of its line", q, p->n->sections[conf].title, why, text);
		free(why);
		free(q);
	}
	free(text);
}

static void block(struct parser *p, cmark_node *b)
{
	cmark_node_type t = cmark_node_get_type(b);
	if (t == CMARK_NODE_HEADING && cmark_node_get_heading_level(b) == 2) {
		heading(p, b);
		return;
	}
	if (t == CMARK_NODE_HEADING)
		other_heading(p, b, 0);
	issue_stray_lines(p, b);
	if (t == CMARK_NODE_LIST && p->sec)
		list(p, b);
	else
		add_block(p, b);
}

static void body(struct parser *p, int first_line)
{
	if ((size_t)first_line > p->src.nlines)
		return;
	size_t off = src_at(&p->src, (size_t)first_line - 1);
	p->line_shift = first_line - 1;
	struct md_over o;
	if (markdown_over(p->is->text + off, p->is->len - off, &o)) {
		error(p, o.line + p->line_shift, o.col, "limit", "%s", o.why);
		p->is->unread = 1;
		return;
	}
	p->mem = p->is->len <= ARENA_MAX_SOURCE ? arena_parse_mem() : cmark_get_default_mem_allocator();
	cmark_parser *cp = markdown_parser(CMARK_OPT_SOURCEPOS, p->mem);
	p->exts = cmark_parser_get_syntax_extensions(cp);
	char *marked = issue_comma_markers(p, first_line);
	const char *text = marked ? marked : p->is->text;
	cmark_parser_feed(cp, text + off, p->is->len - off);
	free(marked);
	cmark_node *doc = cmark_parser_finish(cp);
	for (cmark_node *b = cmark_node_first_child(doc); b; b = cmark_node_next(b))
		block(p, b);
	flush(p);
	issue_more_slips(p);
	cmark_parser_free(cp);
	if (p->mem == arena_parse_mem())
		arena_parse_reset(); /* the tree goes with the arena */
	else
		cmark_node_free(doc);
}

/* --- the issue ---------------------------------------------------------- */

static void read_front(struct issue *is)
{
	const value *num = value_getc(is->front, "number");
	if (num && value_type(num) == VALUE_NUMBER && value_num(num) >= 1 &&
	    value_num(num) <= 1e9 && value_num(num) == (double)(long)value_num(num))
		is->number = (long)value_num(num);
	is->titles_only = value_truthy(value_getc(is->front, "titles_only"));
	is->as_written = value_truthy(value_getc(is->front, "sections_as_written"));
	const char *date = value_str(value_getc(is->front, "date"));
	if (date)
		is->date = xstrdup(date);
}

/* Parse the source src holds (its text goes to the issue). */
static struct issue *parse(const struct newsletter *n, const char *path, struct src src,
			   diag_list *d, unsigned parts)
{
	struct issue *is = xcalloc(1, sizeof(*is));
	is->path = xstrdup(path);
	is->number = -1;
	struct parser p = { .n = n, .is = is, .d = d, .src = src, .parts = parts,
			    .md = BUF_INIT, .html = BUF_INIT, .text = BUF_INIT,
			    .scratch = BUF_INIT };
	is->text = p.src.text; /* the issue keeps the text and its lines */
	is->len = p.src.len;
	is->nlines = p.src.nlines;
	is->starts = p.src.starts;
	is->body_line = front_matter(&p);
	read_front(is);
	body(&p, is->body_line);
	buf_release(&p.md);
	buf_release(&p.html);
	buf_release(&p.text);
	buf_release(&p.scratch);
	return is;
}

/* Parse a copy of text. */
static struct issue *parse_copy(const struct newsletter *n, const char *path,
				const char *text, size_t len, diag_list *d, unsigned parts)
{
	struct src src;
	if (!text)
		return NULL;
	src_init(&src, text, len);
	return parse(n, path, src, d, parts);
}

struct issue *issue_parse(const struct newsletter *n, const char *path,
			  const char *text, size_t len, diag_list *d)
{
	return parse_copy(n, path, text, len, d, ISSUE_ALL);
}

struct issue *issue_parse_outline(const struct newsletter *n, const char *path,
				  const char *text, size_t len, diag_list *d)
{
	return parse_copy(n, path, text, len, d, 0);
}

int issue_read(const char *path, char **text, size_t *len, diag_list *d, int *syserr)
{
	if (fs_read(path, text, len) == 0)
		return 0;
	if (errno == EFBIG) {
		diag_add(d, DIAG_ERROR, path, 0, 0, "file", "file is larger than the limit of %u MiB",
			 FS_MAX_FILE >> 20);
	} else {
		diag_add(d, DIAG_ERROR, path, 0, 0, NULL, "cannot read: %s", strerror(errno));
		*syserr = 1;
	}
	return -1;
}

struct issue *issue_load_parts(const struct newsletter *n, const char *path, unsigned parts,
			       diag_list *d, int *syserr)
{
	char *text;
	size_t len;
	struct src src;
	if (issue_read(path, &text, &len, d, syserr) < 0)
		return NULL;
	src_take(&src, text, len);
	return parse(n, path, src, d, parts);
}

struct issue *issue_load(const struct newsletter *n, const char *path,
			 diag_list *d, int *syserr)
{
	return issue_load_parts(n, path, ISSUE_ALL, d, syserr);
}

void issue_free(struct issue *is)
{
	if (!is)
		return;
	for (size_t i = 0; i < is->nsections; i++)
		free(is->sections[i].items);
	free(is->sections);
	free(is->links);
	arena_release(&is->strings);
	free(is->path);
	free(is->text);
	free(is->starts);
	free(is->date);
	value_free(is->front);
	free(is);
}

void issue_diag_sources(const struct issue *is, diag_list *d)
{
	diag_set_sources(d, is->path, &(struct src){ is->text, is->len, is->starts, is->nlines });
}

char *issue_first_titles(const struct issue *is, size_t max)
{
	buf b = BUF_INIT;
	size_t n = 0;
	for (size_t s = 0; s < is->nsections && n < max; s++)
		for (size_t k = 0; k < is->sections[s].nitems && n < max; k++, n++) {
			buf_puts(&b, n ? " · " : "");
			buf_puts(&b, is->sections[s].items[k].title);
		}
	return buf_take(&b);
}
