/* cmd_help.c - `weekly help [COMMAND]`: the command list or one command's
 * usage; `weekly help rules [NAME]`: the rules diagnostics name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/cmd.h"
#include "weekly/diag.h"
#include "weekly/rules.h"
#include "weekly/util.h"

/* Lines of text, each indented. */
static void put_indented(const char *text)
{
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		printf("    %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

static int help_rule(const char *name)
{
	const struct rule *r = rule_find(name);
	if (!r) {
		const char **names = xcalloc(nrules, sizeof *names);
		for (size_t i = 0; i < nrules; i++)
			names[i] = rules[i].name;
		long k = util_closest(name, names, nrules);
		fprintf(stderr, "weekly help: no rule '%s'", name);
		if (k >= 0)
			fprintf(stderr, "; did you mean '%s'?", names[k]);
		fputs("\nsee 'weekly help rules'\n", stderr);
		free(names);
		return EXIT_USAGE;
	}
	printf("%s (%s): %s\n\n%s\n\nwrong:\n", r->name, r->severity, r->summary, r->why);
	put_indented(r->wrong);
	puts("right:");
	put_indented(r->right);
	return EXIT_CLEAN;
}

static int help_rules(int argc, char **argv)
{
	if (argc > 3)
		return cmd_usage_error("help", "one rule at a time");
	if (argc == 3)
		return help_rule(argv[2]);
	puts("rules: the [name] that ends each diagnostic\n");
	for (size_t i = 0; i < nrules; i++)
		printf("  %-18s %-17s %s\n", rules[i].name, rules[i].severity, rules[i].summary);
	puts("\nSee 'weekly help rules NAME' for one rule, with an example.");
	return EXIT_CLEAN;
}

int cmd_help(const struct cmd *const *table, int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "rules") == 0)
		return help_rules(argc, argv);
	if (argc > 1) {
		const struct cmd *c = cmd_find(table, argv[1]);
		if (!c) {
			fprintf(stderr, "weekly: no help for '%s': not a command\n", argv[1]);
			return EXIT_USAGE;
		}
		cmd_write_usage(c, stdout);
		return EXIT_CLEAN;
	}
	puts("usage: weekly [-C DIR] [--version] COMMAND [ARGS]\n\ncommands:");
	for (; *table; table++)
		printf("  %-8s %s\n", (*table)->name, (*table)->summary);
	puts("\nSee 'weekly help COMMAND' for one command, 'weekly help rules' for the\n"
	     "rules diagnostics name.");
	return EXIT_CLEAN;
}
