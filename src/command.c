/* command.c - what every command gets from the command layer: its usage
 * text, its options checked, the settings it needs. */
#include <string.h>
#include "weekly/cmd.h"
#include "weekly/diag.h"
#include "weekly/validate.h"

const struct cmd *cmd_find(const struct cmd *const *table, const char *name)
{
	for (; *table; table++)
		if (strcmp((*table)->name, name) == 0)
			return *table;
	return NULL;
}

void cmd_write_usage(const struct cmd *c, FILE *f)
{
	fputs(c->usage, f);
	if (c->options && c->options->name) {
		fputc('\n', f);
		opts_help(c->options, f);
	}
	if (c->notes) {
		fputc('\n', f);
		fputs(c->notes, f);
	}
}

int cmd_load_settings(struct newsletter *n)
{
	diag_list d = DIAG_LIST_INIT;
	int rc = EXIT_CLEAN;
	if (newsletter_load(".", n, &d) < 0)
		rc = n->root ? EXIT_CONTENT : EXIT_SYSTEM;
	else if (validate_settings_errors(n, &d), d.errors)
		rc = EXIT_CONTENT;
	if (rc != EXIT_CLEAN)
		diag_print(&d, stderr, diag_default_format(), diag_want_color(stderr));
	diag_release(&d);
	return rc;
}

int cmd_run(const struct cmd *c, int argc, char **argv)
{
	static const struct option none[] = { { NULL, NULL, 0, NULL, NULL } };
	struct newsletter n = { 0 };
	int rc = opts_check(c->name, c->options ? c->options : none, argc, argv);
	if (rc == 0 && (c->setup & CMD_SETTINGS))
		rc = cmd_load_settings(&n);
	if (rc == 0)
		rc = c->fn(argc, argv, &n);
	newsletter_release(&n);
	return rc;
}
