/* main.c - global options and the command table; dispatches, then closes
 * standard output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "weekly/cmd.h"
#include "weekly/diag.h"
#include "weekly/util.h"

static int help(int argc, char **argv, struct newsletter *n);

static const struct cmd help_cmd = {
	"help", help, "show help for weekly, one of its commands or its rules", 0,
	"usage: weekly help [COMMAND]\n"
	"       weekly help rules [RULE]\n\n"
	"The commands, one command's usage, every rule a diagnostic can name\n"
	"([rule]), or one rule with a wrong and a right example.\n",
	NULL, NULL
};

/* Every command, in the order `weekly help` lists them. */
static const struct cmd *const commands[] = {
	&cmd_build, &cmd_check, &cmd_new, &cmd_add, &cmd_stats, &cmd_import, &cmd_links,
	&cmd_where, &cmd_send, &cmd_render, &cmd_init, &cmd_serve, &help_cmd, NULL
};

static int help(int argc, char **argv, struct newsletter *n)
{
	(void)n;
	return cmd_help(commands, argc, argv);
}

static int unknown_command(const char *word)
{
	const char *names[sizeof commands / sizeof *commands];
	size_t n = 0;
	for (const struct cmd *const *c = commands; *c; c++)
		names[n++] = (*c)->name;
	long k = util_closest(word, names, n);
	if (k >= 0)
		fprintf(stderr, "weekly: '%s' is not a command; did you mean '%s'? see 'weekly help'\n",
			word, names[k]);
	else
		fprintf(stderr, "weekly: '%s' is not a command; see 'weekly help'\n", word);
	return EXIT_USAGE;
}

static int wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

/* An option before the command that weekly does not take: the long one
 * it comes closest to, if any (one letter is too little to guess from). */
static int unknown_option(const char *arg)
{
	static const char *const global[] = { "--version", "--help" };
	long k = strlen(arg) > 2 ? util_closest(arg, global, 2) : -1;
	if (strcmp(arg, "-C") == 0)
		fprintf(stderr, "weekly: -C needs a folder\n");
	else if (k >= 0)
		fprintf(stderr, "weekly: unknown option '%s'; did you mean '%s'?\n", arg, global[k]);
	else
		fprintf(stderr, "weekly: unknown option '%s'\n", arg);
	fputs("see 'weekly help'\n", stderr);
	return EXIT_USAGE;
}

/* Standard output, checked and closed once for every command: status, or
 * EXIT_SYSTEM when what went there could not all be written. */
static int close_stdout(int status)
{
	int failed_before = ferror(stdout); /* why is no longer known */
	if (fflush(stdout) == 0 && !ferror(stdout) && fclose(stdout) == 0)
		return status;
	fprintf(stderr, "weekly: cannot write to standard output%s%s\n",
		failed_before ? "" : ": ", failed_before ? "" : strerror(errno));
	return EXIT_SYSTEM;
}

/* The options before the command: *i past them, or an exit status. */
static int global_options(int argc, char **argv, int *i)
{
	for (; *i < argc && argv[*i][0] == '-'; ++*i) {
		const char *a = argv[*i];
		if (strcmp(a, "--version") == 0) {
			puts("weekly " WEEKLY_VERSION);
			return EXIT_CLEAN;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			return cmd_help(commands, 1, argv);
		} else if (strcmp(a, "-C") != 0 || *i + 1 == argc) {
			return unknown_option(a);
		} else if (chdir(argv[++*i]) < 0) {
			fprintf(stderr, "weekly: cannot change to '%s': %s\n", argv[*i],
				strerror(errno));
			return EXIT_SYSTEM;
		}
	}
	return -1;
}

static int dispatch(int argc, char **argv)
{
	int i = 1, rc = global_options(argc, argv, &i);
	if (rc >= 0)
		return rc;
	if (i == argc) {
		fputs("weekly: which command?\nsee 'weekly help'\n", stderr);
		return EXIT_USAGE;
	}
	const struct cmd *c = cmd_find(commands, argv[i]);
	if (!c)
		return unknown_command(argv[i]);
	if (wants_help(argc - i, argv + i)) {
		cmd_write_usage(c, stdout);
		return EXIT_CLEAN;
	}
	return cmd_run(c, argc - i, argv + i);
}

int main(int argc, char **argv)
{
	return close_stdout(dispatch(argc, argv));
}
