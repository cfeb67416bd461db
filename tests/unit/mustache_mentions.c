/* mustache_mentions.c - tmpl_mentions: whether a template, through its
 * partials and parents, may look a name up. Contexts leave out the costly
 * parts no template asks for, so a wrong "no" would lose output. */
#include <stdlib.h>
#include "weekly/mustache.h"
#include "weekly/util.h"
#include "expect.h"
#include "partials.h"

static const char *dir;

static void check(const char *name, const char *src, long want)
{
	tmpl_env *env = tmpl_env_new_dir(dir, TMPL_ESCAPE_HTML);
	diag_list d = DIAG_LIST_INIT;
	tmpl *t = tmpl_compile(env, "t.mustache", src, strlen(src), &d);
	expect_long(name, want, t ? tmpl_mentions(env, t, "stats") : -1);
	diag_release(&d);
	tmpl_env_free(env);
}

int main(void)
{
	static const char *parts[][2] = {
		{ "uses", "{{#sections}}{{stats.words}}{{/sections}}" },
		{ "plain", "{{title}}" },
		{ "deeper", "x{{>uses}}" },
		{ "loop", "{{>loop}}{{title}}" },
		{ "base", "{{$body}}{{/body}}" },
	};
	char folder[] = "/tmp/weekly-mentions.XXXXXX";
	dir = partials_folder(folder);
	for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
		partial_put(dir, parts[i][0], parts[i][1]);
	check("a variable", "{{stats}}", 1);
	check("a section", "{{#stats}}{{words}}{{/stats}}", 1);
	check("an inverted section", "{{^stats}}none{{/stats}}", 1);
	check("raw", "{{{stats.words}}} {{&stats}}", 1);
	check("the middle of a dotted name", "{{section.articles.stats.words}}", 1);
	check("the end of a dotted name", "{{issue.stats}}", 1);
	check("not a longer name", "{{statsx}} {{xstats}} {{stat}}", 0);
	check("not in text", "stats {{title}} stats", 0);
	check("not a block name", "{{<base}}{{$stats}}x{{/stats}}{{/base}}", 0);
	check("in a partial", "{{>plain}}{{>uses}}", 1);
	check("in a partial's partial", "{{>deeper}}", 1);
	check("not in partials", "{{>plain}}{{>loop}}", 0);
	check("a missing partial", "{{>nope}}", 0);
	check("a partial named at render time", "{{>*which}}", 1);
	check("in a block passed to a parent", "{{<base}}{{$body}}{{stats}}{{/body}}{{/base}}", 1);
	check("none at all", "", 0);
	partials_remove(dir);
	return expect_summary();
}
