/* cmd.h - the subcommands, one file each (src/cmd_NAME.c), each described
 * by a struct cmd (its options table and usage text) that main.c's command
 * table lists; and what the command layer does for every command. */
#ifndef WEEKLY_CMD_H
#define WEEKLY_CMD_H

#include <stdio.h>
#include "config.h"
#include "options.h"

/* setup: what the command needs before it runs. */
#define CMD_SETTINGS 1u /* the newsletter's settings, loaded and checked */

struct cmd {
	const char *name;
	/* Runs the command; argv[0] is its name, its options are known to be
	 * well formed (opts_check), and with CMD_SETTINGS n holds the
	 * settings (else it is empty). Returns an exit status of diag.h. */
	int (*fn)(int argc, char **argv, struct newsletter *n);
	const char *summary;            /* one line for `weekly help` */
	unsigned setup;
	const char *usage;              /* synopsis and what it does */
	const struct option *options;   /* listed after usage */
	const char *notes;              /* after the options, or NULL */
};

/* The command called name in table (ended by NULL), or NULL. */
const struct cmd *cmd_find(const struct cmd *const *table, const char *name);
/* c's usage text, its options listed, into f: `weekly help NAME`. */
void cmd_write_usage(const struct cmd *c, FILE *f);
/* Run c: its options checked, its setup done, then c->fn. */
int cmd_run(const struct cmd *c, int argc, char **argv);
/* Load the settings of the newsletter around the current folder into n
 * and check them (validate_settings): 0, or after printing why not,
 * EXIT_CONTENT for settings with errors and EXIT_SYSTEM when there are
 * none to read. The caller releases n either way. */
int cmd_load_settings(struct newsletter *n);

extern const struct cmd cmd_add, cmd_build, cmd_check, cmd_render, cmd_new, cmd_stats,
	cmd_import, cmd_links, cmd_where, cmd_init, cmd_send, cmd_serve;
/* `weekly help` over the commands of table (ended by NULL). */
int cmd_help(const struct cmd *const *table, int argc, char **argv);

#endif
