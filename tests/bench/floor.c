/* floor.c - the least work a builder can do, as a yardstick for benchmarks:
 * parse the settings and each issue's front matter with libyaml, parse the
 * body with cmark-gfm, and write the page as HTML. No checks, no templates.
 * With --gfm the parser has the extensions weekly's Markdown has (tables,
 * strikethrough, autolinks, the tag filter): the same dialect's floor.
 * usage: floor [--gfm] OUTDIR SETTINGS ISSUE.md... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <yaml.h>

static int gfm; /* --gfm */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	*len = fread(s, 1, (size_t)n, f);
	s[*len] = '\0';
	fclose(f);
	return s;
}

static void yaml_parse(const char *s, size_t len)
{
	yaml_parser_t p;
	yaml_event_t e;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)s, len);
	do {
		if (!yaml_parser_parse(&p, &e))
			break;
		int done = e.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&e);
		if (done)
			break;
	} while (1);
	yaml_parser_delete(&p);
}

static int page(const char *outdir, const char *path)
{
	size_t len;
	char *s = slurp(path, &len);
	if (!s)
		return 1;
	char *body = strstr(s + 3, "\n---\n");
	size_t fm = body ? (size_t)(body - s) : 0;
	yaml_parse(s + 4, fm > 4 ? fm - 4 : 0);
	body = body ? body + 5 : s;
	static const char *const exts[] = { "table", "strikethrough", "autolink", "tagfilter" };
	cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
	for (size_t i = 0; gfm && i < sizeof exts / sizeof *exts; i++)
		cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension(exts[i]));
	cmark_parser_feed(p, body, len - (size_t)(body - s));
	cmark_node *doc = cmark_parser_finish(p);
	char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(p));
	cmark_parser_free(p);
	const char *base = strrchr(path, '/');
	char out[4096];
	snprintf(out, sizeof out, "%s/%s.html", outdir, base ? base + 1 : path);
	FILE *f = fopen(out, "wb");
	if (f) {
		fputs("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>", f);
		fputs(html, f);
		fputs("</body></html>\n", f);
		fclose(f);
	}
	free(html);
	cmark_node_free(doc);
	free(s);
	return !f;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--gfm") == 0) {
		gfm = 1;
		cmark_gfm_core_extensions_ensure_registered();
		argc--, argv++;
	}
	if (argc < 3)
		return 2;
	size_t len;
	char *settings = slurp(argv[2], &len);
	if (settings)
		yaml_parse(settings, len);
	free(settings);
	int rc = 0;
	for (int i = 3; i < argc; i++)
		rc |= page(argv[1], argv[i]);
	return rc;
}
