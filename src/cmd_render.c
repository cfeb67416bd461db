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

enum { O_PARTIALS = 1, O_ESCAPE };

static const struct option options[] = {
	{ "--partials", "DIR", O_PARTIALS, "where {{>name}} finds name.mustache (default: the\n"
	  "template's folder)", NULL },
	{ "--escape", "E", O_ESCAPE, "html, xml, json or none (default: by the template's name)",
	  NULL },
	{ NULL, NULL, 0, NULL, NULL }
};

static int escape_option(struct render_args *a, const char *v)
{
	if (strcmp(v, "html") == 0)
		a->escape = TMPL_ESCAPE_HTML;
	else if (strcmp(v, "xml") == 0)
		a->escape = TMPL_ESCAPE_XML;
	else if (strcmp(v, "json") == 0)
		a->escape = TMPL_ESCAPE_JSON;
	else if (strcmp(v, "none") == 0)
		a->escape = TMPL_ESCAPE_NONE;
	else
		return cmd_usage_error("render", "--escape takes html, xml, json or none, not '%s'", v);
	return 0;
}

/* TEMPLATE, then DATA; --partials and --escape. */
static int option(void *ud, int key, const struct opts *o)
{
	struct render_args *a = ud;
	if (key == O_ESCAPE)
		return escape_option(a, o->val);
	if (key == O_PARTIALS && !*o->val)
		return cmd_usage_error("render", "--partials needs a folder");
	if (key == O_PARTIALS)
		a->partials = o->val;
	else if (!a->template)
		a->template = o->val;
	else if (!a->data)
		a->data = o->val;
	else
		return opts_unexpected(o);
	return 0;
}

static int parse(int argc, char **argv, struct render_args *a)
{
	*a = (struct render_args){ NULL, NULL, NULL, -1 };
	int rc = opts_parse("render", options, argc, argv, option, a);
	if (!rc && !a->data)
		return cmd_usage_error("render", "%s", a->template ? "missing DATA" : "missing TEMPLATE and DATA");
	return rc;
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

static int render_main(int argc, char **argv, struct newsletter *n)
{
	struct render_args a;
	char *src = NULL, *data = NULL;
	size_t len, dlen;
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	value *ctx = NULL;
	int rc = parse(argc, argv, &a);
	(void)n;
	if (rc)
		return rc;
	rc = EXIT_SYSTEM;
	if (read_file(a.template, &src, &len) < 0 || read_file(a.data, &data, &dlen) < 0)
		goto done;
	ctx = yaml_load(data, dlen, a.data, 0, &d);
	rc = ctx || !d.errors ? render(&a, src, len, ctx, &out, &d) : -1;
	diag_print(&d, stderr, diag_default_format(), diag_want_color(stderr));
	rc = rc < 0 || d.errors ? EXIT_CONTENT : EXIT_CLEAN;
	if (rc == EXIT_CLEAN && out.len) /* standard output is checked as it closes */
		fwrite(out.data, 1, out.len, stdout);
done:
	value_free(ctx);
	buf_release(&out);
	diag_release(&d);
	free(src);
	free(data);
	return rc;
}

const struct cmd cmd_render = {
	"render", render_main, "render any Mustache template against YAML or JSON data", 0,
	"usage: weekly render TEMPLATE DATA [--partials DIR] [--escape html|xml|none]\n\n"
	"Render TEMPLATE with the data of DATA (a YAML or JSON file) to standard\n"
	"output. {{>name}} loads DIR/name.mustache (default: the template's folder).\n"
	"Escaping is HTML unless the template is named *.md.mustache or\n"
	"*.txt.mustache (none) or *.xml.mustache (XML: HTML escaping, and no value\n"
	"can break the document), or --escape says otherwise.\n",
	options, NULL
};
