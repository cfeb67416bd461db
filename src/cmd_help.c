/* cmd_help.c - `weekly help [COMMAND]`: the command list or one command's usage. */
#include <stdio.h>
#include "weekly/cmd.h"
#include "weekly/diag.h"

int cmd_help(int argc, char **argv)
{
	if (argc > 1) {
		const struct cmd *c = cmd_find(argv[1]);
		if (!c) {
			fprintf(stderr, "weekly: no help for '%s': not a command\n", argv[1]);
			return EXIT_USAGE;
		}
		fputs(c->usage, stdout);
		return EXIT_CLEAN;
	}
	puts("usage: weekly [-C DIR] [--version] COMMAND [ARGS]\n\ncommands:");
	for (const struct cmd *c = commands; c->name; c++)
		printf("  %-8s %s\n", c->name, c->summary);
	puts("\nSee 'weekly help COMMAND' for one command.");
	return EXIT_CLEAN;
}
