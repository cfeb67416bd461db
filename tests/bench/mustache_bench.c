/* mustache_bench.c - times the template engine: compiling and rendering a
 * 1 MB template with 100,000 tags, and rendering an issue-sized template.
 * Prints best and median of several runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "weekly/fsutil.h"
#include "weekly/mustache.h"
#include "weekly/util.h"

#define BIG_TAGS 100000

/* The folder of the partials: footer.mustache. */
static const char *dir;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void report(const char *what, double *ms, int n)
{
	qsort(ms, (size_t)n, sizeof *ms, by_value);
	printf("  %-22s best %8.3f ms, median %8.3f ms (of %d runs)\n", what, ms[0],
	       ms[n / 2], n);
}

/* One unit of the big template: 20 tags in about 230 bytes. */
static const char unit[] =
	"<h2>{{title}}</h2> <p class=\"{{kind}}\">{{a.b.c}} &amp; {{{raw}}}</p>\n"
	"{{#flag}}<b>{{x}}</b>{{/flag}}{{^none}}<i>none</i>{{/none}}\n"
	"<ul>{{#items}}<li>{{n}}: {{name}}</li>{{/items}}</ul>\n"
	"{{! a comment }}{{&amp}} {{count}} {{missing}} {{#a}}{{b.c}}{{/a}}\n";
#define UNIT_TAGS 20

static value *big_context(void)
{
	value *ctx = value_map(), *a = value_map(), *b = value_map();
	value *items = value_list();
	value_map_setc(ctx, "title", value_cstring("A title <with> markup & more"));
	value_map_setc(ctx, "kind", value_cstring("article"));
	value_map_setc(b, "c", value_cstring("deep value"));
	value_map_setc(a, "b", b);
	value_map_setc(ctx, "a", a);
	value_map_setc(ctx, "raw", value_cstring("<em>raw</em>"));
	value_map_setc(ctx, "flag", value_bool(1));
	value_map_setc(ctx, "x", value_number(42));
	value_map_setc(ctx, "none", value_bool(0));
	value_map_setc(ctx, "amp", value_cstring("&"));
	value_map_setc(ctx, "count", value_number(1.5));
	for (int i = 1; i <= 2; i++) {
		value *it = value_map();
		value_map_setc(it, "n", value_number(i));
		value_map_setc(it, "name", value_cstring(i == 1 ? "first" : "second"));
		value_list_push(items, it);
	}
	value_map_setc(ctx, "items", items);
	return ctx;
}

static void bench_big(void)
{
	buf src = BUF_INIT;
	diag_list d = DIAG_LIST_INIT;
	double ms[20];
	for (int i = 0; i < BIG_TAGS / UNIT_TAGS; i++)
		buf_put(&src, unit, sizeof unit - 1);
	printf("big template: %.2f MB, %d tags\n", src.len / 1048576.0, BIG_TAGS);
	for (int i = 0; i < 10; i++) {
		tmpl_env *env = tmpl_env_new_dir(dir, TMPL_ESCAPE_HTML);
		double t0 = now_ms();
		tmpl *t = tmpl_compile(env, "big.mustache", src.data, src.len, &d);
		ms[i] = now_ms() - t0;
		tmpl_env_free(env);
		if (!t)
			exit(1);
	}
	report("compile", ms, 10);

	tmpl_env *env = tmpl_env_new_dir(dir, TMPL_ESCAPE_HTML);
	tmpl *t = tmpl_compile(env, "big.mustache", src.data, src.len, &d);
	value *ctx = big_context();
	size_t outlen = 0;
	for (int i = 0; i < 20; i++) {
		buf out = BUF_INIT;
		double t0 = now_ms();
		tmpl_render(env, t, ctx, &out, &d);
		ms[i] = now_ms() - t0;
		outlen = out.len;
		buf_release(&out);
	}
	report("render", ms, 20);
	printf("  output %.2f MB\n", outlen / 1048576.0);
	value_free(ctx);
	tmpl_env_free(env);
	buf_release(&src);
	diag_release(&d);
}

/* Like templates/issue.md.mustache, with its footer partial. */
static const char issue_tmpl[] =
	"# {{newsletter.name}} #{{issue.number}}{{#issue.title}}: {{issue.title}}"
	"{{/issue.title}} ({{issue.date}})\n\n"
	"{{newsletter.intro_md}}\n\n"
	"{{#issue.lead_md}}\n{{{issue.lead_md}}}\n\n{{/issue.lead_md}}\n"
	"{{#sections}}\n## {{title}}\n\n"
	"{{#items}}\n{{n}}. [{{title}}]({{url}}){{#note}} {{{note}}}{{/note}}\n\n"
	"{{#description_md}}\n{{{description_md}}}\n\n{{/description_md}}\n"
	"{{/items}}\n{{/sections}}\n"
	"{{>footer}}\n";
static const char footer_tmpl[] =
	"{{#newsletter.footer}}\n## {{title}}\n\n{{#links}}\n"
	"- [{{name}}]({{url}}): {{text}}\n{{/links}}\n{{/newsletter.footer}}\n";

static value *issue_item(int s, int i)
{
	value *it = value_map();
	char text[160];
	value_map_setc(it, "n", value_number(i + 1));
	snprintf(text, sizeof text, "Item %d of section %d: a project worth a look", i, s);
	value_map_setc(it, "title", value_cstring(text));
	snprintf(text, sizeof text, "https://example.com/%d/%d", s, i);
	value_map_setc(it, "url", value_cstring(text));
	if (i % 3 == 0)
		value_map_setc(it, "note", value_cstring("(English)"));
	value_map_setc(it, "description_md", value_cstring(
		"A **lightweight** library that does one thing well, with a few "
		"paragraphs of explanation and an image.\n\n![img](https://img.example/x.png)"));
	return it;
}

static value *issue_context(void)
{
	value *ctx = value_map(), *nl = value_map(), *issue = value_map();
	value *sections = value_list(), *footer = value_map(), *links = value_list();
	value_map_setc(nl, "name", value_cstring("Python Trending Weekly"));
	value_map_setc(nl, "intro_md", value_cstring("Weekly links on Python."));
	value_map_setc(issue, "number", value_number(15));
	value_map_setc(issue, "date", value_cstring("2023-08-12"));
	for (int s = 0; s < 4; s++) {
		value *sec = value_map(), *items = value_list();
		value_map_setc(sec, "title", value_cstring("Articles & Tutorials"));
		for (int i = 0; i < 8; i++)
			value_list_push(items, issue_item(s, i));
		value_map_setc(sec, "items", items);
		value_list_push(sections, sec);
	}
	for (int i = 0; i < 3; i++) {
		value *l = value_map();
		value_map_setc(l, "name", value_cstring("Blog"));
		value_map_setc(l, "url", value_cstring("https://example.com"));
		value_map_setc(l, "text", value_cstring("where it all goes"));
		value_list_push(links, l);
	}
	value_map_setc(footer, "title", value_cstring("Links"));
	value_map_setc(footer, "links", links);
	value_map_setc(nl, "footer", footer);
	value_map_setc(ctx, "newsletter", nl);
	value_map_setc(ctx, "issue", issue);
	value_map_setc(ctx, "sections", sections);
	return ctx;
}

static void bench_issue(void)
{
	enum { RUNS = 2000 };
	static double ms[RUNS];
	diag_list d = DIAG_LIST_INIT;
	tmpl_env *env = tmpl_env_new_dir(dir, TMPL_ESCAPE_NONE);
	double t0 = now_ms();
	tmpl *t = tmpl_compile(env, "issue.md.mustache", issue_tmpl,
			       sizeof issue_tmpl - 1, &d);
	double compile = now_ms() - t0;
	value *ctx = issue_context();
	size_t outlen = 0;
	for (int i = 0; i < RUNS; i++) {
		buf out = BUF_INIT;
		t0 = now_ms();
		tmpl_render(env, t, ctx, &out, &d);
		ms[i] = now_ms() - t0;
		outlen = out.len;
		buf_release(&out);
	}
	printf("issue template: %zu bytes, 4 sections x 8 items, output %zu bytes\n",
	       sizeof issue_tmpl - 1, outlen);
	printf("  %-22s %8.3f ms\n", "compile", compile);
	report("render", ms, RUNS);
	value_free(ctx);
	tmpl_env_free(env);
	diag_release(&d);
}

int main(void)
{
	char folder[] = "/tmp/weekly-bench.XXXXXX";
	if (!(dir = mkdtemp(folder)))
		return 3;
	char *footer = fs_join(dir, "footer.mustache");
	if (fs_write_atomic(footer, footer_tmpl, strlen(footer_tmpl)) < 0)
		return 3;
	bench_big();
	bench_issue();
	unlink(footer);
	rmdir(dir);
	free(footer);
	return 0;
}
