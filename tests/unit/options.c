/* options.c - the option parser over a table: every form of an option and
 * its value, arguments in between, the errors it reports, the option list
 * it writes, and issue arguments. */
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include "expect.h"
#include "weekly/diag.h"
#include "weekly/options.h"

enum { O_ALL = 1, O_FORMAT, O_OUT, O_VERBOSE };

static const struct option table[] = {
	{ "--all", NULL, O_ALL, "every issue", NULL },
	{ "--format", "F", O_FORMAT, "text or json,\nas you like", NULL },
	{ "-o", "FILE", O_OUT, "where to write", NULL },
	{ "-v", NULL, O_VERBOSE, "say more", "--verbose" },
	{ NULL, NULL, 0, NULL, NULL }
};

#define WALK_MAX 512

/* One option or argument as walk writes it: "key=value". */
static int step(void *ud, int key, const struct opts *o)
{
	char *out = ud;
	size_t n = strlen(out);
	snprintf(out + n, WALK_MAX - n, "%s%d=%s", n ? " " : "", key,
		 key == OPTS_ARG || table[key - 1].arg ? o->val : "");
	return 0;
}

/* Each key the parser gives for argv, with its value: "key=value ...",
 * ended by OPTS_BAD's "-2=" when the command line is not well formed. */
static char *walk(char **argv, int argc)
{
	static char out[WALK_MAX];
	out[0] = '\0';
	if (opts_parse("test", table, argc, argv, step, out) == EXIT_USAGE) {
		size_t n = strlen(out);
		snprintf(out + n, sizeof out - n, "%s%d=", n ? " " : "", OPTS_BAD);
	}
	return out;
}

#define WALK(...) walk((char *[]){ "test", __VA_ARGS__ }, \
		       (int)(sizeof((char *[]){ "test", __VA_ARGS__ }) / sizeof(char *)))

/* What f wrote, as a string. */
static char *written(void (*fn)(FILE *), size_t max)
{
	char *s = calloc(1, max);
	FILE *f = fmemopen(s, max, "w");
	fn(f);
	fclose(f);
	return s;
}

static void list(FILE *f)
{
	opts_help(table, f);
}

/* The issue arg names, as every command reads it. */
static long issue(const char *arg)
{
	struct opts o = { .cmd = "test", .val = arg };
	return opts_issue_arg(&o);
}

static void stderr_to(int fd)
{
	fflush(stderr);
	dup2(fd, 2);
}

int main(void)
{
	expect("flags and arguments in any order", "1= -1=15 4= -1=16", WALK("--all", "15", "-v", "16"));
	expect("a value after a blank", "2=json", WALK("--format", "json"));
	expect("a value after =", "2=json", WALK("--format=json"));
	expect("an empty value after =", "2=", WALK("--format="));
	expect("a short option's value", "3=out.md", WALK("-o", "out.md"));
	expect("a value that looks like an option", "3=-", WALK("-o", "-"));
	expect("a short option's value joined to it", "3=out.md 3=-", WALK("-oout.md", "-o-"));
	expect("another spelling", "4=", WALK("--verbose"));
	expect("- alone is an argument", "-1=-", WALK("-"));

	int saved = dup(2), null = open("/dev/null", 1);
	stderr_to(null);
	expect("an unknown option", "1= -2=", WALK("--all", "--bogus", "15"));
	expect("a missing value", "-2=", WALK("--format"));
	expect("a flag with a value", "-2=", WALK("--all=yes"));
	expect("a short option spelt long", "-2=", WALK("-o=x"));
	expect_long("opts_check: a bad command line", EXIT_USAGE,
		    opts_check("test", table, 3, (char *[]){ "test", "--all", "--formt" }));
	stderr_to(saved);
	expect_long("opts_check: a good one", 0,
		    opts_check("test", table, 4, (char *[]){ "test", "--all", "-o", "x" }));

	char *help = written(list, 512);
	expect("the option list: names in one column, help lines under each other",
	       "  --all        every issue\n"
	       "  --format F   text or json,\n"
	       "               as you like\n"
	       "  -o FILE      where to write\n"
	       "  -v           say more\n", help);
	free(help);

	stderr_to(null);
	expect_long("issue: a number", 15, issue("15"));
	expect_long("issue: with zeros", 15, issue("015"));
	expect_long("issue: its file", 15, issue("issues/015.md"));
	expect_long("issue: a file with a slug", 15, issue("/x/015-pycon.md"));
	expect_long("issue: a word", -1, issue("seven"));
	expect_long("issue: a number and more", -1, issue("15x"));
	expect_long("issue: a file named by a date", -1, issue("2024-03-09-weekly.md"));
	expect_long("issue: zero", -1, issue("0"));
	stderr_to(saved);
	return expect_summary();
}
