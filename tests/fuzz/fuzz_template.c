/* fuzz_template.c - the template compiler and renderer: any text compiles
 * or fails with an error; what compiles renders (escaped and not) over a
 * fixed context, with partials (one of them the input itself, to recurse)
 * read from a folder as weekly reads them, and fails only with an error. */
#include <stdlib.h>
#include <string.h>
#include "weekly/fsutil.h"
#include "weekly/mustache.h"
#include "weekly/util.h"
#include "weekly/yaml.h"
#include "harness.h"

/* Every map in a list hides the names that lead to a list, so nested
 * sections cannot iterate exponentially: only templates can be large. */
static const char data_yaml[] =
	"name: \"Tools & <Tricks>\"\n"
	"html: \"<b>bold</b> & 'q'\"\n"
	"num: 1.5\nzero: 0\nflag: true\noff: false\nnone: ~\nempty: \"\"\nnolist: []\n"
	"partial: p\nself: self\nbad: ../../etc/passwd\n"
	"map: {a: {b: {c: deep}}, name: inner}\n"
	"items:\n"
	"  - {name: one, n: 1, items: ~, first: true}\n"
	"  - {name: two, n: 2, items: ~, html: \"<i>\"}\n"
	"  - {name: three, n: 3, items: ~, last: true}\n";

struct part { const char *name, *src; };
static const struct part parts[] = {
	{ "p", "[{{name}}]\n" },
	{ "indent", "  a\n  {{>p}}\n{{#items}}\n  - {{name}}\n{{/items}}\n" },
	{ "parent", "<{{$title}}default{{/title}}|{{$body}}{{/body}}>\n" },
	{ "broken", "{{#open}}" },
	{ "rec", "{{#items}}{{>rec}}{{/items}}{{name}}" },
};

static void write_partial(const char *dir, const char *name, const char *src, size_t len)
{
	char *file = xasprintf("%s.mustache", name), *path = fs_join(dir, file);
	if (fs_write_atomic(path, src, len) < 0)
		fuzz_fail("cannot write a partial", path, strlen(path), 0);
	free(path);
	free(file);
}

static const uint8_t *input;
static size_t input_len;

/* The folder of the partials, the input as "self" among them. */
static const char *partials(void)
{
	static char *dir;
	if (!dir) {
		dir = fs_join(fuzz_scratch(), "partials");
		fs_mkdirs(dir);
		for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
			write_partial(dir, parts[i].name, parts[i].src, strlen(parts[i].src));
	}
	write_partial(dir, "self", (const char *)input, input_len);
	return dir;
}

static const value *context(void)
{
	static value *v;
	if (!v) {
		diag_list d = DIAG_LIST_INIT;
		v = yaml_load(data_yaml, sizeof data_yaml - 1, "data", 0, &d);
		if (!v)
			fuzz_fail("the fuzz data does not load", NULL, 0, 0);
		diag_release(&d);
	}
	return v;
}

static void run(const char *dir, int escape)
{
	tmpl_env *env = tmpl_env_new_dir(dir, escape);
	diag_list d = DIAG_LIST_INIT;
	tmpl *t = tmpl_compile(env, "fuzz.mustache", (const char *)input, input_len, &d);
	if (!t && !d.errors)
		fuzz_fail("compiling failed without an error", NULL, 0, 0);
	if (t) {
		buf out = BUF_INIT;
		size_t before = d.errors;
		int rc = tmpl_render(env, t, context(), &out, &d);
		if ((rc < 0) != (d.errors > before))
			fuzz_fail("rendering failed without an error, or erred and went on",
				  NULL, 0, 0);
		buf_release(&out);
	}
	diag_release(&d);
	tmpl_env_free(env);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	input = data;
	input_len = size;
	const char *dir = partials();
	run(dir, TMPL_ESCAPE_HTML);
	run(dir, TMPL_ESCAPE_NONE);
	return 0;
}
