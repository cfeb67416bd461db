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

struct counts { int passed, failed; };

/* Partials come from the test's "partials" map. */
static int map_load(void *ud, const char *name, size_t n, char **src,
		    size_t *len, char **file)
{
	const value *v = value_get(ud, name, n);
	if (!value_str(v))
		return 1;
	*src = xstrndup(v->u.str.s, v->u.str.len);
	*len = v->u.str.len;
	*file = xasprintf("partial %.*s", (int)n, name);
	return 0;
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

/* Run one test; returns 1 when it passes. */
static int run_test(const char *file, const value *test)
{
	const value *name = value_getc(test, "name");
	const value *tpl = value_getc(test, "template");
	const value *want = value_getc(test, "expected");
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	int ok = 0;
	if (!value_str(tpl) || !value_str(want)) {
		printf("FAIL %s: %s: malformed test\n", file, value_str(name));
		return 0;
	}
	tmpl_env *env = tmpl_env_new(1, map_load, (void *)value_getc(test, "partials"));
	tmpl *t = tmpl_compile(env, "template", tpl->u.str.s, tpl->u.str.len, &d);
	if (t && tmpl_render(env, t, value_getc(test, "data"), &out, &d) == 0)
		ok = out.len == want->u.str.len &&
			memcmp(out.data, want->u.str.s, out.len) == 0;
	if (!ok) {
		printf("FAIL %s: %s\n", file, value_str(name));
		show("template:", tpl->u.str.s, tpl->u.str.len);
		show("expected:", want->u.str.s, want->u.str.len);
		show("actual:  ", out.data, out.len);
		show_diags(&d);
	}
	tmpl_env_free(env);
	buf_release(&out);
	diag_release(&d);
	return ok;
}

static int run_file(const char *dir, const char *name, struct counts *all)
{
	char *path = fs_join(dir, name), *src;
	size_t len;
	diag_list d = DIAG_LIST_INIT;
	struct counts c = { 0, 0 };
	if (fs_read(path, &src, &len) < 0) {
		printf("FAIL %s: cannot read\n", path);
		free(path);
		all->failed++;
		return -1;
	}
	value *doc = yaml_load(src, len, path, 0, &d);
	const value *tests = value_getc(doc, "tests");
	if (!tests) {
		printf("FAIL %s: no tests loaded\n", path);
		show_diags(&d);
		c.failed++;
	}
	for (size_t i = 0; i < value_len(tests); i++) {
		if (run_test(name, value_at(tests, i)))
			c.passed++;
		else
			c.failed++;
	}
	printf("%s: %d passed, %d failed\n", name, c.passed, c.failed);
	all->passed += c.passed;
	all->failed += c.failed;
	value_free(doc);
	diag_release(&d);
	free(src);
	free(path);
	return 0;
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
	struct counts all = { 0, 0 };
	size_t n;
	char **names = spec_files(dir, &n);
	if (!names) {
		printf("mustache spec: skipped (%s not found)\n", dir);
		return 77;
	}
	for (size_t i = 0; i < n; i++) {
		run_file(dir, names[i], &all);
		free(names[i]);
	}
	free(names);
	printf("mustache spec: %d passed, %d failed\n", all.passed, all.failed);
	return all.failed || !all.passed ? 1 : 0;
}
