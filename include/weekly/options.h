/* options.h - a command's command line: its options declared in a table,
 * read by one parser, which also writes the options' part of the usage
 * text and reports usage errors; and the one reading of an argument that
 * names an issue (15, 015, issues/015.md). */
#ifndef WEEKLY_OPTIONS_H
#define WEEKLY_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

/* One option. A table of them ends with a row whose name is NULL. */
struct option {
	const char *name;  /* "--format" or "-f" */
	const char *arg;   /* the value's name in the usage ("F"), or NULL: a flag */
	int key;           /* what the parser returns for it; above 0 */
	const char *help;  /* its lines in the usage text, '\n' between them */
	const char *alias; /* another spelling, not listed ("--verbose"), or NULL */
};

/* Walking through argv[1..argc) of the command cmd. */
struct opts {
	const char *cmd;
	const struct option *table;
	int argc;
	char **argv;
	int i;             /* the next argument */
	const char *val;   /* the option's value, or the argument */
	const struct option *opt; /* the option just read */
};

enum {
	OPTS_DONE = 0,     /* no argument left */
	OPTS_ARG = -1,     /* an argument that is not an option, in val */
	OPTS_BAD = -2      /* a usage error, reported */
};

/* What a command does with one option (key, its value in o->val) or
 * argument (OPTS_ARG, in o->val) of its command line: 0, or an exit
 * status after reporting what is wrong with it. */
typedef int opts_fn(void *ud, int key, const struct opts *o);
/* Read argv[1..argc) of cmd through table, calling fn(ud, ...) for each
 * option and argument in turn: 0, the first status fn returned, or
 * EXIT_USAGE after reporting an option that is not well formed. */
int opts_parse(const char *cmd, const struct option *table, int argc, char **argv,
	       opts_fn *fn, void *ud);
/* Whether every option of argv is one of the table's, with its value:
 * 0, or EXIT_USAGE after reporting the first that is not. */
int opts_check(const char *cmd, const struct option *table, int argc, char **argv);

/* The table's options as the usage text lists them, one column for the
 * names and one for the help, into f. */
void opts_help(const struct option *table, FILE *f);

/* Report a bad command line of cmd on standard error: "weekly CMD:
 * message" and the hint "see 'weekly help CMD'"; returns EXIT_USAGE. */
int cmd_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* An argument cmd does not take: "unexpected argument 'ARG'". */
int opts_unexpected(const struct opts *o);

/* The issue the argument o->val names: its number (15 or 015) or its
 * file (issues/015.md, 015-slug.md); -1 after reporting "'ARG' is not an
 * issue number or issue file" when it names none. */
long opts_issue_arg(const struct opts *o);
/* The same, appended to nums[*n] (room for every argument): 0, or
 * EXIT_USAGE after reporting. */
int opts_add_issue(const struct opts *o, long *nums, size_t *n);

#endif
