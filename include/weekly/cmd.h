/* cmd.h - the subcommands, one file each (src/cmd_NAME.c), and the table
 * main.c dispatches through. Each cmd_NAME returns an exit status from
 * diag.h. argv[0] is the command's name. */
#ifndef WEEKLY_CMD_H
#define WEEKLY_CMD_H

#include <stdio.h>
#include "config.h"

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary; /* one line for `weekly help` */
	const char *usage;   /* the full text of `weekly help NAME` */
};

/* The table, ended by a row whose name is NULL. */
extern const struct cmd commands[];
const struct cmd *cmd_find(const char *name);
/* Print NAME's usage to f; for `--help` and usage errors. */
void cmd_usage(const char *name, FILE *f);
/* Report a bad command line of NAME ("weekly NAME: message" and its usage
 * on standard error); returns EXIT_USAGE. */
int cmd_usage_error(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Report an argument NAME does not take: an unknown option, with the
 * option of NAME's usage it may have meant, or an unexpected argument.
 * Returns EXIT_USAGE. */
int cmd_bad_argument(const char *name, const char *arg);
/* "--name VALUE" or "--name=VALUE" at argv[*i]: 1 with *val set (and *i
 * past the value), 0 when argv[*i] is something else, -1 when the value is
 * missing. */
int cmd_opt_value(int argc, char **argv, int *i, const char *name, const char **val);
/* Load the settings of the newsletter around the current folder into n
 * and check them (validate_settings): 0, or after printing why not,
 * EXIT_CONTENT for settings with errors and
 * EXIT_SYSTEM when there are none to read. The caller releases n either
 * way. */
int cmd_load_settings(struct newsletter *n);

int cmd_add(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_new(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_links(int argc, char **argv);
int cmd_where(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_send(int argc, char **argv);
int cmd_serve(int argc, char **argv);

#endif
