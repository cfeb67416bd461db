/* cmd_render.c - `weekly render TEMPLATE DATA`: any Mustache template over
 * the data of a YAML or JSON file, to standard output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/cmd.h"
#include "weekly/fsutil.h"
#include "weekly/mustache.h"
#include "weekly/yaml.h"

struct render_args {
	const char *template, *data, *partials;
	int escape; /* -1: as the template's name says */
};

/* The value of --name VALUE or --name=VALUE at argv[*i], or NULL. */
static const char *option(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0')
		return NULL;
	if (*i + 1 >= argc)
		return "";
	return argv[++*i];
}

static int parse(int argc, char **argv, struct render_args *a)
{
	const char *v;
	*a = (struct render_args){ NULL, NULL, NULL, -1 };
	for (int i = 1; i < argc; i++) {
		if ((v = option(argc, argv, &i, "--partials"))) {
			if (!*v)
				return cmd_usage_error("render", "--partials needs a folder");
			a->partials = v;
		} else if ((v = option(argc, argv, &i, "--escape"))) {
			if (strcmp(v, "html") == 0)
				a->escape = TMPL_ESCAPE_HTML;
			else if (strcmp(v, "xml") == 0)
				a->escape = TMPL_ESCAPE_XML;
			else if (strcmp(v, "none") == 0)
				a->escape = TMPL_ESCAPE_NONE;
			else
				return cmd_usage_error("render", "--escape takes html, xml or none, not '%s'", v);
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cmd_bad_argument("render", argv[i]);
		} else if (!a->template) {
			a->template = argv[i];
		} else if (!a->data) {
			a->data = argv[i];
		} else {
			return cmd_usage_error("render", "unexpected argument '%s'", argv[i]);
		}
	}
	if (!a->data)
		return cmd_usage_error("render", "%s", a->template ? "missing DATA" : "missing TEMPLATE and DATA");
	return 0;
}

static int read_file(const char *path, char **src, size_t *len)
{
	if (fs_read(path, src, len) == 0)
		return 0;
	fprintf(stderr, "weekly: cannot read '%s': %s\n", path, strerror(errno));
	return -1;
}

/* Compile and render; the diagnostics stay in d for the caller. */
static int render(const struct render_args *a, const char *src, size_t len,
		  const value *data, buf *out, diag_list *d)
{
	char *dir = a->partials ? NULL : fs_dirname(a->template);
	int escape = a->escape >= 0 ? a->escape : tmpl_escape_for(a->template);
	tmpl_env *env = tmpl_env_new_dir(a->partials ? a->partials : dir, escape);
	tmpl *t = tmpl_compile(env, a->template, src, len, d);
	int rc = t ? tmpl_render(env, t, data, out, d) : -1;
	tmpl_env_free(env);
	free(dir);
	return rc;
}

static int write_out(const buf *out)
{
	if ((out->len && fwrite(out->data, 1, out->len, stdout) != out->len) ||
	    fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "weekly: cannot write to standard output: %s\n",
			strerror(errno));
		return EXIT_SYSTEM;
	}
	return EXIT_CLEAN;
}

int cmd_render(int argc, char **argv)
{
	struct render_args a;
	char *src = NULL, *data = NULL;
	size_t len, dlen;
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	value *ctx = NULL;
	int rc = parse(argc, argv, &a);
	if (rc)
		return rc;
	rc = EXIT_SYSTEM;
	if (read_file(a.template, &src, &len) < 0 || read_file(a.data, &data, &dlen) < 0)
		goto done;
	ctx = yaml_load(data, dlen, a.data, 0, &d);
	rc = ctx || !d.errors ? render(&a, src, len, ctx, &out, &d) : -1;
	diag_print(&d, stderr, diag_default_format(), diag_want_color(stderr));
	rc = rc < 0 || d.errors ? EXIT_CONTENT : write_out(&out);
done:
	value_free(ctx);
	buf_release(&out);
	diag_release(&d);
	free(src);
	free(data);
	return rc;
}
