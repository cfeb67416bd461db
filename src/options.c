/* options.c - option tables: parsing a command line, listing the options
 * in the usage text, usage errors, issue arguments. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/config.h"
#include "weekly/diag.h"
#include "weekly/fsutil.h"
#include "weekly/options.h"
#include "weekly/util.h"

static void opts_init(struct opts *o, const char *cmd, const struct option *table, int argc,
		      char **argv)
{
	*o = (struct opts){ cmd, table, argc, argv, 1, NULL, NULL };
}

int cmd_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "weekly %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nsee 'weekly help %s'\n", cmd);
	return EXIT_USAGE;
}

int opts_unexpected(const struct opts *o)
{
	return cmd_usage_error(o->cmd, "unexpected argument '%s'", o->val);
}

/* The option spelt name (len bytes), or NULL. */
static const struct option *lookup(const struct option *t, const char *name, size_t len)
{
	for (; t->name; t++)
		if ((strlen(t->name) == len && strncmp(t->name, name, len) == 0) ||
		    (t->alias && strlen(t->alias) == len && strncmp(t->alias, name, len) == 0))
			return t;
	return NULL;
}

/* An option the table lacks, with the long one it comes closest to (one
 * letter is too little to guess from). */
static int unknown(const struct opts *o, const char *arg, size_t len)
{
	size_t n = 0;
	while (o->table[n].name)
		n++;
	const char **names = xcalloc(n + 1, sizeof *names);
	for (size_t i = 0; i < n; i++)
		names[i] = o->table[i].name;
	char *name = xstrndup(arg, len);
	long k = len > 2 ? util_closest(name, names, n) : -1;
	if (k >= 0)
		cmd_usage_error(o->cmd, "unknown option '%s'; did you mean '%s'?", arg, names[k]);
	else
		cmd_usage_error(o->cmd, "unknown option '%s'", arg);
	free(name);
	free(names);
	return OPTS_BAD;
}

/* The value of o->opt, whose name a spells in len bytes: after its '='
 * or the next argument. */
static int take_value(struct opts *o, const char *a, size_t len)
{
	if (!a[len] && o->i == o->argc) {
		cmd_usage_error(o->cmd, "option '%s' needs a value", a);
		return OPTS_BAD;
	}
	o->val = a[len] ? a + len + 1 : o->argv[o->i++];
	return o->opt->key;
}

/* The key of the next option (its value in o->val: "--name VALUE",
 * "--name=VALUE", "-n VALUE" or "-nVALUE"), OPTS_ARG, OPTS_DONE, or OPTS_BAD after
 * reporting an unknown option (with the one of the table it may have
 * meant) or a missing value. */
static int opts_next(struct opts *o)
{
	if (o->i >= o->argc)
		return OPTS_DONE;
	const char *a = o->argv[o->i++];
	o->val = a;
	if (a[0] != '-' || !a[1])
		return OPTS_ARG;
	size_t len = a[1] == '-' ? strcspn(a, "=") : strlen(a);
	o->opt = lookup(o->table, a, len);
	const struct option *joined = !o->opt && a[1] != '-' && len > 2 ? lookup(o->table, a, 2)
		: NULL;
	if (joined && joined->arg && a[2] != '=') { /* "-j2": a short option's value joined
						      * to it ("-o=x" is not one) */
		o->opt = joined;
		o->val = a + 2;
		return joined->key;
	}
	if (!o->opt)
		return unknown(o, a, len);
	if (o->opt->arg)
		return take_value(o, a, len);
	if (!a[len])
		return o->opt->key;
	cmd_usage_error(o->cmd, "option '%s' takes no value", o->opt->name);
	return OPTS_BAD;
}

int opts_parse(const char *cmd, const struct option *table, int argc, char **argv,
	       opts_fn *fn, void *ud)
{
	struct opts o;
	int k, rc = 0;
	opts_init(&o, cmd, table, argc, argv);
	while (!rc && (k = opts_next(&o)) != OPTS_DONE)
		rc = k == OPTS_BAD ? EXIT_USAGE : fn(ud, k, &o);
	return rc;
}

static int accept(void *ud, int key, const struct opts *o)
{
	(void)ud, (void)key, (void)o;
	return 0;
}

int opts_check(const char *cmd, const struct option *table, int argc, char **argv)
{
	return opts_parse(cmd, table, argc, argv, accept, NULL);
}

/* "--name ARG": how wide it is in the list. */
static size_t label_width(const struct option *t)
{
	return strlen(t->name) + (t->arg ? 1 + strlen(t->arg) : 0);
}

void opts_help(const struct option *table, FILE *f)
{
	size_t width = 0;
	for (const struct option *t = table; t->name; t++)
		if (t->help && label_width(t) > width)
			width = label_width(t);
	for (const struct option *t = table; t->name; t++) {
		if (!t->help)
			continue;
		int pad = (int)(width + 3 - label_width(t));
		fprintf(f, "  %s%s%s%*s", t->name, t->arg ? " " : "", t->arg ? t->arg : "", pad, "");
		for (const char *p = t->help; *p;) {
			size_t n = strcspn(p, "\n");
			fprintf(f, "%*s%.*s\n", p == t->help ? 0 : (int)width + 5, "", (int)n, p);
			p += n + (p[n] == '\n');
		}
	}
}

/* The issue arg names, or -1. */
static long issue_number(const char *arg)
{
	if (arg[0] >= '0' && arg[0] <= '9') {
		char *end;
		long n = strtol(arg, &end, 10);
		if (!*end && n > 0 && n <= 999999999)
			return n;
	}
	return issue_file_number(fs_basename(arg), NULL);
}

long opts_issue_arg(const struct opts *o)
{
	long n = issue_number(o->val);
	if (n < 0)
		cmd_usage_error(o->cmd, "'%s' is not an issue number or issue file", o->val);
	return n;
}

int opts_add_issue(const struct opts *o, long *nums, size_t *n)
{
	long number = opts_issue_arg(o);
	if (number < 0)
		return EXIT_USAGE;
	nums[(*n)++] = number;
	return 0;
}
