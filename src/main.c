/* main.c - global options and the command table; dispatches, nothing else. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "weekly/cmd.h"
#include "weekly/diag.h"

const struct cmd commands[] = {
	{ "build", cmd_build, "render issues to Markdown and HTML",
	  "usage: weekly build [N...|--all] [-f md|html] [-o FILE|-]\n\n"
	  "Check and render issues N... (or every issue with --all) into build/NNN.md\n"
	  "and build/NNN.html. An issue with errors is reported and nothing is written\n"
	  "for it.\n\n"
	  "  -f FORMAT   write only this format (md, html)\n"
	  "  -o FILE     write to FILE, or standard output with -; one issue, one format\n"
	  "  --all       every issue of the newsletter\n" },
	{ "render", cmd_render, "render any Mustache template against YAML or JSON data",
	  "usage: weekly render TEMPLATE DATA [--partials DIR] [--escape html|none]\n\n"
	  "Render TEMPLATE with the data of DATA (a YAML or JSON file) to standard\n"
	  "output. {{>name}} loads DIR/name.mustache (default: the template's folder).\n"
	  "Escaping is HTML unless the template is named *.md.mustache or\n"
	  "*.txt.mustache, or --escape says otherwise.\n" },
	{ "help", cmd_help, "show help for weekly or one of its commands",
	  "usage: weekly help [COMMAND]\n" },
	{ NULL, NULL, NULL, NULL }
};

const struct cmd *cmd_find(const char *name)
{
	for (const struct cmd *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

void cmd_usage(const char *name, FILE *f)
{
	const struct cmd *c = cmd_find(name);
	if (c)
		fputs(c->usage, f);
}

static int wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--version") == 0) {
			puts("weekly " WEEKLY_VERSION);
			return EXIT_CLEAN;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			return cmd_help(1, argv);
		} else if (strcmp(argv[i], "-C") == 0 && i + 1 < argc) {
			if (chdir(argv[++i]) < 0) {
				fprintf(stderr, "weekly: cannot change to '%s': %s\n", argv[i],
					strerror(errno));
				return EXIT_SYSTEM;
			}
		} else {
			fprintf(stderr, "weekly: unknown option '%s'\n", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (i == argc)
		return cmd_help(1, argv), EXIT_USAGE;
	const struct cmd *c = cmd_find(argv[i]);
	if (!c) {
		fprintf(stderr, "weekly: '%s' is not a command; see 'weekly help'\n", argv[i]);
		return EXIT_USAGE;
	}
	if (wants_help(argc - i, argv + i)) {
		fputs(c->usage, stdout);
		return EXIT_CLEAN;
	}
	return c->fn(argc - i, argv + i);
}
