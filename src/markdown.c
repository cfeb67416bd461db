/* markdown.c - Markdown snippets to safe HTML. */
#include <stdlib.h>
#include <string.h>
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include "weekly/markdown.h"
#include "weekly/util.h"

static char *render(const char *md, size_t len)
{
	static const char *const names[] = { "table", "strikethrough", "autolink", "tagfilter" };
	cmark_gfm_core_extensions_ensure_registered();
	cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(names[i]);
		if (e)
			cmark_parser_attach_syntax_extension(p, e);
	}
	cmark_parser_feed(p, md, len);
	cmark_node *doc = cmark_parser_finish(p);
	char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(p));
	cmark_node_free(doc);
	cmark_parser_free(p);
	return html;
}

void markdown_html(const char *md, size_t len, buf *out)
{
	char *html = render(md, len);
	size_t n = strlen(html);
	if (n >= 8 && strncmp(html, "<p>", 3) == 0 && strcmp(html + n - 5, "</p>\n") == 0 &&
	    !strstr(html + 3, "<p>"))
		buf_put(out, html + 3, n - 8);
	else
		buf_put(out, html, n);
	free(html);
}

static int ends_md(const char *key, size_t len)
{
	return len > 3 && memcmp(key + len - 3, "_md", 3) == 0;
}

void markdown_annotate(value *tree)
{
	if (tree->kind == VALUE_LIST) {
		for (size_t i = 0; i < tree->u.list.len; i++)
			markdown_annotate(tree->u.list.at[i]);
		return;
	}
	if (tree->kind != VALUE_MAP)
		return;
	for (size_t i = 0; i < tree->u.map.len; i++) {
		struct value_entry e = tree->u.map.at[i];
		markdown_annotate(e.val);
		if (!ends_md(e.key, e.keylen) || e.val->kind != VALUE_STRING)
			continue;
		char *key = xasprintf("%.*s_html", (int)(e.keylen - 3), e.key);
		if (!value_getc(tree, key)) {
			buf b = BUF_INIT;
			markdown_html(e.val->u.str.s, e.val->u.str.len, &b);
			value_map_setc(tree, key, value_string(b.data ? b.data : "", b.len));
			buf_release(&b);
		}
		free(key);
	}
}
