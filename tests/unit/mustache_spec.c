/* mustache_spec.c - runs the official Mustache spec (every file but
 * ~lambdas) through the template engine, reading the spec's YAML with the
 * project's own loader. Usage: mustache_spec SPEC_DIR. Exit 0 when all pass,
 * 1 when some fail, 77 when SPEC_DIR is missing. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/fsutil.h"
#include "weekly/mustache.h"
#include "weekly/util.h"
#include "weekly/yaml.h"
#include "expect.h"
#include "partials.h"

/* An environment whose partials are those of the test's "partials" map,
 * written into the folder dir. */
static tmpl_env *env_with(const value *partials, const char *dir)
{
	for (size_t i = 0; i < value_len(partials); i++) {
		const struct value_entry *e = value_entry_at(partials, i);
		if (value_str(e->val))
			partial_put(dir, e->key, value_str(e->val));
	}
	return tmpl_env_new_dir(dir, TMPL_ESCAPE_HTML);
}

/* Print s with control characters visible, so whitespace differences show. */
static void show(const char *label, const char *s, size_t n)
{
	printf("  %s \"", label);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\r')
			fputs("\\r", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c == '"' || c == '\\')
			printf("\\%c", c);
		else
			putchar(c);
	}
	puts("\"");
}

static void show_diags(const diag_list *d)
{
	for (size_t i = 0; i < d->len; i++)
		printf("  diag: %s:%d:%d: %s\n", d->items[i].file ? d->items[i].file : "-",
		       d->items[i].line, d->items[i].col, d->items[i].message);
}

/* Run one test of file, named "FILE: NAME"; what failed is shown. */
static void run_test(const char *file, const value *test)
{
	const value *name = value_getc(test, "name");
	const value *tpl = value_getc(test, "template");
	const value *want = value_getc(test, "expected");
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	int ok = 0;
	char *what = xasprintf("%s: %s", file, value_str(name) ? value_str(name) : "?");
	if (!value_str(tpl) || !value_str(want)) {
		expect_that(what, 0, "malformed test");
		free(what);
		return;
	}
	const char *src = value_str(tpl), *expected = value_str(want);
	char dir[] = "/tmp/weekly-spec.XXXXXX";
	tmpl_env *env = env_with(value_getc(test, "partials"), partials_folder(dir));
	tmpl *t = tmpl_compile(env, "template", src, strlen(src), &d);
	if (t && tmpl_render(env, t, value_getc(test, "data"), &out, &d) == 0)
		ok = out.len == strlen(expected) &&
			memcmp(out.data, expected, out.len) == 0;
	expect_that(what, ok, NULL);
	if (!ok) {
		show("template:", src, strlen(src));
		show("expected:", expected, strlen(expected));
		show("actual:  ", out.data, out.len);
		show_diags(&d);
	}
	free(what);
	tmpl_env_free(env);
	partials_remove(dir);
	buf_release(&out);
	diag_release(&d);
}

static void run_file(const char *dir, const char *name)
{
	char *path = fs_join(dir, name), *src;
	size_t len;
	diag_list d = DIAG_LIST_INIT;
	if (fs_read(path, &src, &len) < 0) {
		expect_that(path, 0, "cannot read");
		free(path);
		return;
	}
	value *doc = yaml_load(src, len, path, 0, &d);
	const value *tests = value_getc(doc, "tests");
	expect_that(path, tests != NULL, "no tests loaded");
	if (!tests)
		show_diags(&d);
	for (size_t i = 0; i < value_len(tests); i++)
		run_test(name, value_at(tests, i));
	value_free(doc);
	diag_release(&d);
	free(src);
	free(path);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The spec files to run, sorted: every *.yml but ~lambdas. */
static char **spec_files(const char *dir, size_t *n)
{
	DIR *dh = opendir(dir);
	char **names = NULL;
	size_t cap = 0;
	struct dirent *e;
	*n = 0;
	if (!dh)
		return NULL;
	while ((e = readdir(dh))) {
		size_t k = strlen(e->d_name);
		if (k < 5 || strcmp(e->d_name + k - 4, ".yml") != 0 ||
		    strcmp(e->d_name, "~lambdas.yml") == 0)
			continue;
		xgrow((void **)&names, &cap, *n + 1, sizeof *names);
		names[(*n)++] = xstrdup(e->d_name);
	}
	closedir(dh);
	if (*n)
		qsort(names, *n, sizeof *names, by_name);
	return names;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "../shared/mustache-spec";
	size_t n;
	char **names = spec_files(dir, &n);
	if (!names) {
		printf("mustache spec: skipped (%s not found)\n", dir);
		return 77;
	}
	for (size_t i = 0; i < n; i++) {
		run_file(dir, names[i]);
		free(names[i]);
	}
	free(names);
	expect_that("spec files found", n > 0, dir);
	return expect_summary();
}
