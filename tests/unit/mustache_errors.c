/* mustache_errors.c - the template engine's diagnostics: every bad template
 * and every refused or missing partial must say exactly where and what. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "weekly/fsutil.h"
#include "weekly/mustache.h"
#include "weekly/util.h"
#include "weekly/yaml.h"
#include "expect.h"
#include "partials.h"

/* The partials of the tests: p and broken. */
static const char *dir;

/* Every diagnostic as "FILE:LINE:COL: severity: message", one a line. */
static char *format(const diag_list *d)
{
	static const char *sev[] = { "error", "warning", "note" };
	buf b = BUF_INIT;
	buf_puts(&b, "");
	for (size_t i = 0; i < d->len; i++) {
		const diag *g = &d->items[i];
		buf_printf(&b, "%s:%d:%d: %s: %s\n", g->file ? g->file : "-", g->line,
			   g->col, sev[g->severity], g->message);
	}
	return buf_take(&b);
}

static void expect_diags(const char *name, const diag_list *d, const char *want)
{
	char *got = format(d);
	expect(name, want, got);
	free(got);
}

static value *data(const char *yaml)
{
	diag_list d = DIAG_LIST_INIT;
	value *v = yaml_load(yaml, strlen(yaml), "data", 0, &d);
	diag_release(&d);
	return v;
}

/* src must not compile, and must say exactly want. */
static void bad(const char *name, const char *src, const char *want)
{
	diag_list d = DIAG_LIST_INIT;
	tmpl_env *env = tmpl_env_new_dir(dir, TMPL_ESCAPE_HTML);
	tmpl *t = tmpl_compile(env, "t.mustache", src, strlen(src), &d);
	if (t)
		expect_that(name, 0, "compiled");
	else
		expect_diags(name, &d, want);
	tmpl_env_free(env);
	diag_release(&d);
}

/* Render src in env over yaml; the status must be rc and the diagnostics
 * want. Returns the output, which the caller frees. */
static char *rendered(const char *name, tmpl_env *env, const char *src,
		      const char *yaml, int rc, const char *want)
{
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	value *ctx = data(yaml);
	tmpl *t = tmpl_compile(env, "t.mustache", src, strlen(src), &d);
	int got = t ? tmpl_render(env, t, ctx, &out, &d) : -2;
	if (got != rc)
		expect_long(name, rc, got);
	else
		expect_diags(name, &d, want);
	value_free(ctx);
	diag_release(&d);
	buf_puts(&out, "");
	return buf_take(&out);
}

static void render_case(const char *name, tmpl_env *env, const char *src,
			const char *yaml, int rc, const char *want)
{
	free(rendered(name, env, src, yaml, rc, want));
}

static void syntax_errors(void)
{
	bad("unclosed section", "a\n{{#items}}\nx\n",
	    "t.mustache:2:1: error: unclosed section 'items'\n");
	bad("every unclosed section", "{{#a}}\n  {{^b}}\n",
	    "t.mustache:1:1: error: unclosed section 'a'\n"
	    "t.mustache:2:3: error: unclosed section 'b'\n");
	bad("mismatched closing tag", "{{#bar}}\n\n  {{/foo}}\n",
	    "t.mustache:3:3: error: closing tag 'foo' does not match open section "
	    "'bar' (opened at line 1)\n");
	bad("closing tag without section", "x\n{{/foo}}",
	    "t.mustache:2:1: error: closing tag 'foo' has no open section\n");
	bad("unclosed tag", "x {{foo",
	    "t.mustache:1:3: error: unclosed tag '{{foo': missing '}}'\n");
	bad("unclosed tag before another", "{{foo\n{{bar}}",
	    "t.mustache:1:1: error: unclosed tag '{{foo': missing '}}'\n");
	bad("unclosed triple mustache", "{{{x}}",
	    "t.mustache:1:1: error: unclosed tag '{{{x}}': missing '}}}'\n");
	bad("column counts characters", "h\xc3\xa9llo {{x",
	    "t.mustache:1:7: error: unclosed tag '{{x': missing '}}'\n");
	bad("name with a space", "{{a b}}",
	    "t.mustache:1:1: error: invalid tag '{{a b}}': a name cannot contain "
	    "spaces\n");
	bad("empty dotted part", "{{a..b}}",
	    "t.mustache:1:1: error: invalid tag '{{a..b}}': a dotted name has an "
	    "empty part\n");
	bad("missing name", "{{#}}{{/}}",
	    "t.mustache:1:1: error: invalid tag '{{#}}': the name is missing\n");
}

static void delimiter_errors(void)
{
	bad("one delimiter", "{{= a =}}",
	    "t.mustache:1:1: error: bad delimiter change '{{= a =}}': expected two "
	    "delimiters separated by a space\n");
	bad("three delimiters", "{{=<% %> x=}}",
	    "t.mustache:1:1: error: bad delimiter change '{{=<% %> x=}}': expected "
	    "two delimiters separated by a space\n");
	bad("delimiter change without closing =", "x\n{{=<% %>}}",
	    "t.mustache:2:1: error: bad delimiter change '{{=<% %>}}': it must end "
	    "with '='\n");
	bad("delimiter with =", "{{=a= b=}}",
	    "t.mustache:1:1: error: bad delimiter change '{{=a= b=}}': a delimiter "
	    "cannot contain '='\n");
	bad("error after delimiter change", "{{=<% %>=}}\n<%#a%>\n<%/b%>",
	    "t.mustache:3:1: error: closing tag 'b' does not match open section 'a' "
	    "(opened at line 2)\n");
}

static void parent_errors(void)
{
	bad("unknown block in a parent", "{{<layout}}\n  {{title}}\n{{/layout}}",
	    "t.mustache:2:3: error: only blocks may appear inside parent 'layout', "
	    "found '{{title}}'\n");
	bad("section in a parent", "{{<layout}}{{#s}}{{/s}}{{/layout}}",
	    "t.mustache:1:12: error: only blocks may appear inside parent 'layout', "
	    "found '{{#s}}'\n");
	bad("unclosed parent", "{{<layout}}{{$a}}x{{/a}}",
	    "t.mustache:1:1: error: unclosed parent 'layout'\n");
	bad("block closed by parent's name", "{{<layout}}{{$a}}{{/layout}}",
	    "t.mustache:1:18: error: closing tag 'layout' does not match open "
	    "block 'a' (opened at line 1)\n");
}

static void partial_errors(void)
{
	tmpl_env *env = tmpl_env_new_dir("/tmp", 1);
	render_case("partial leaving the folder", env, "line\n  {{>../../etc/passwd}}",
		    "{}", -1, "t.mustache:2:3: error: partial name '../../etc/passwd' "
		    "leaves the templates folder\n");
	render_case("absolute partial name", env, "{{> /etc/passwd }}", "{}", -1,
		    "t.mustache:1:1: error: partial name '/etc/passwd' leaves the "
		    "templates folder\n");
	render_case("backslash in partial name", env, "{{>a\\b}}", "{}", -1,
		    "t.mustache:1:1: error: partial name 'a\\b' leaves the templates "
		    "folder\n");
	render_case("dynamic name leaving the folder", env, "x {{>*p}}",
		    "p: ../../etc/passwd", -1, "t.mustache:1:3: error: partial name "
		    "'../../etc/passwd' leaves the templates folder\n");
	render_case("parent leaving the folder", env, "{{<*p}}{{/*p}}",
		    "p: a/../../b", -1, "t.mustache:1:1: error: partial name "
		    "'a/../../b' leaves the templates folder\n");
	tmpl_env_free(env);

	env = tmpl_env_new_dir(dir, TMPL_ESCAPE_HTML);
	char *broken = xasprintf("%s/broken.mustache:2:1: error: unclosed section 'x'\n"
				 "t.mustache:1:1: note: partial 'broken' included here\n", dir);
	render_case("missing partial", env, "a\n {{>nope}}\n", "{}", 0,
		    "t.mustache:2:2: warning: missing partial 'nope'\n");
	render_case("missing partial warns once a render", env,
		    "{{#l}}{{>nope}}{{/l}}", "l: [1, 2, 3]", 0,
		    "t.mustache:1:7: warning: missing partial 'nope'\n");
	render_case("partial with a syntax error", env, "{{>broken}}", "{}", -1, broken);
	free(broken);
	render_case("missing dynamic name renders nothing", env, "{{>*nothing}}",
		    "{}", 0, "");
	tmpl_env_free(env);
}

static void recursion(void)
{
	partial_put(dir, "loop", "x{{>loop}}");
	tmpl_env *env = tmpl_env_new_dir(dir, TMPL_ESCAPE_HTML);
	char *want = xasprintf("%s/loop.mustache:1:2: error: nesting deeper than %d "
			       "levels (sections, partials and parents)\n", dir,
			       TMPL_MAX_DEPTH);
	render_case("self-recursive partial", env, "{{>loop}}", "{}", -1, want);
	free(want);
	tmpl_env_free(env);

	buf deep = BUF_INIT;
	for (int i = 0; i <= TMPL_MAX_DEPTH; i++)
		buf_puts(&deep, "{{#a}}");
	want = xasprintf("t.mustache:1:%d: error: sections nest deeper than %d "
			 "levels\n", TMPL_MAX_DEPTH * 6 + 1, TMPL_MAX_DEPTH);
	bad("sections nested too deep", deep.data, want);
	free(want);
	buf_release(&deep);
}

/* Render t of env over ctx into out: its status. */
static int render(tmpl_env *env, const tmpl *t, const value *ctx, buf *out, diag_list *d)
{
	int rc = t ? tmpl_render(env, t, ctx, out, d) : -1;
	buf_puts(out, "");
	return rc;
}

static void compile_once(void)
{
	diag_list d = DIAG_LIST_INIT;
	buf a = BUF_INIT, b = BUF_INIT, c = BUF_INIT;
	value *ctx = data("x: 1\nl: [{x: 2}, {x: '<3>'}]");
	static const char src[] = "{{>p}}{{#l}}{{>p}}{{/l}}";
	tmpl_env *env = tmpl_env_new_dir(dir, TMPL_ESCAPE_HTML);
	tmpl *t = tmpl_compile(env, "t.mustache", src, strlen(src), &d);
	int rc = render(env, t, ctx, &a, &d);
	partial_put(dir, "p", "<{{x}}>");
	rc |= render(env, t, ctx, &b, &d);
	expect_long("compile once, render twice: status", 0, rc);
	expect("compile once, render twice: first", "[1][2][&lt;3&gt;]", a.data);
	expect("compile once, render twice: second", "[1][2][&lt;3&gt;]", b.data);
	tmpl_env *fresh = tmpl_env_new_dir(dir, TMPL_ESCAPE_HTML);
	render(fresh, tmpl_compile(fresh, "t.mustache", src, strlen(src), &d), ctx, &c, &d);
	expect("partial loaded once: its file changed since, as a new environment reads",
	       "<1><2><&lt;3&gt;>", c.data);
	partial_put(dir, "p", "[{{x}}]");
	tmpl_env_free(fresh);
	tmpl_env_free(env);
	value_free(ctx);
	buf_release(&a);
	buf_release(&b);
	buf_release(&c);
	diag_release(&d);
}

static void escaping(void)
{
	expect_long("escape for html", 1, tmpl_escape_for("t/issue.html.mustache"));
	expect_long("escape for md", 0, tmpl_escape_for("t/issue.md.mustache"));
	expect_long("escape for txt", 0, tmpl_escape_for("x.txt.mustache"));
	expect_long("escape for other", 1, tmpl_escape_for("md.mustache"));
	tmpl_env *env = tmpl_env_new_dir(dir, TMPL_ESCAPE_NONE);
	char *out = rendered("no escaping", env, "{{x}}", "x: '<&>'", 0, "");
	expect("no escaping output", "<&>", out);
	free(out);
	tmpl_env_free(env);
}

int main(void)
{
	char folder[] = "/tmp/weekly-mustache.XXXXXX";
	dir = partials_folder(folder);
	partial_put(dir, "p", "[{{x}}]");
	partial_put(dir, "broken", "ok\n{{#x}}");
	syntax_errors();
	delimiter_errors();
	parent_errors();
	partial_errors();
	recursion();
	compile_once();
	escaping();
	partials_remove(dir);
	return expect_summary();
}
