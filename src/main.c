/* main.c - global options and the command table; dispatches, nothing else. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "weekly/cmd.h"
#include "weekly/diag.h"
#include "weekly/util.h"
#include "weekly/validate.h"

const struct cmd commands[] = {
	{ "build", cmd_build, "render issues to Markdown and HTML",
	  "usage: weekly build [N...|--all] [-f FORMAT] [-o FILE|-]\n"
	  "                    [--drafts] [--force] [--check] [-v|-q] [-j N]\n\n"
	  "Check and render issues N... (or every issue with --all) into build/NNN.md\n"
	  "and build/NNN.html. An issue with errors is reported and nothing is written\n"
	  "for it.\n\n"
	  "  -f FORMAT   write only this format: md, html, teaser (titles only,\n"
	  "              build/NNN.teaser.md), email (HTML for mail clients,\n"
	  "              build/NNN.email.html), text (plain text wrapped at 72\n"
	  "              columns, build/NNN.txt), eml (the email message, text\n"
	  "              and HTML, build/NNN.eml; email.from in the settings),\n"
	  "              telegram, mastodon or bluesky (the channel posts,\n"
	  "              build/NNN.CHANNEL.txt; a post over the platform's limit\n"
	  "              is a warning)\n"
	  "  -o FILE     write to FILE, or standard output with -; one issue, one format\n"
	  "  --all       every issue but drafts, and the archive page (build/index.html),\n"
	  "              the Atom feed of the newest 20 issues (build/feed.xml) and\n"
	  "              search over every item (build/search.html, build/search/)\n"
	  "  --drafts    with --all, drafts too (draft: true); never in index or feed\n"
	  "  --force     render everything again, changed or not\n"
	  "  --check     write nothing; list the outputs that are out of date, those\n"
	  "              --all would remove and leftover temporary files, and exit 1\n"
	  "              if there are any\n"
	  "  -v          list each output written (and removed)\n"
	  "  -q          no summary line (\"built 3 issues, 6 files\")\n"
	  "  -j N        render in N processes (default: one per processor for 16\n"
	  "              issues or more, or WEEKLY_WORKERS)\n\n"
	  "Only what changed is rendered: the archive index (build/.weekly/index.sqlite,\n"
	  "a cache) remembers what each\n"
	  "output was made from (the issue, its neighbours, the settings, the\n"
	  "templates), by content. An output that would come out the same is not\n"
	  "rewritten. With --all, outputs of deleted issues and of drafts are\n"
	  "removed (only files weekly wrote). Warnings of skipped issues are shown\n"
	  "again.\n"
	  "Exit status: 0 built, 1 problems in the content (or out of date with\n"
	  "--check), 2 usage, 3 I/O error.\n" },
	{ "check", cmd_check, "report every mistake in issues, like a compiler",
	  "usage: weekly check [N...] [--strict] [--format human|json|github] [--email] [--fix]\n"
	  "                    [--links [--jobs N] [--per-host N] [--timeout S] [--max-age S]\n"
	  "                             [--only-new] [--meta] [--wayback]]\n\n"
	  "Check issues N... (numbers or issue files; default: every issue) and print\n"
	  "each problem as FILE:LINE:COL: error|warning: message [rule], with the line\n"
	  "and a caret under the column, then a summary line. Nothing stops at the\n"
	  "first problem. An item already featured in an earlier issue is a warning\n"
	  "unless newsletter.yaml lists it under check.allow_repeats. Templates of\n"
	  "templates/ must compile; a name that resolves to nothing in the newest\n"
	  "checked issue is a warning. 'weekly help rules' explains every rule.\n\n"
	  "  --strict       warnings fail the check too\n"
	  "  --email        also check the email format as mail clients will treat it:\n"
	  "                 over 90 KB (Gmail clips above about 102 KB), images\n"
	  "                 without width or alt text, http: images and links, no\n"
	  "                 plain-text part\n"
	  "  --format F     human (default; colour on a terminal unless NO_COLOR is\n"
	  "                 set), json (one array on standard output) or github\n"
	  "                 (workflow commands; the default when GITHUB_ACTIONS=true)\n"
	  "  --links        also ask the web whether every link still works; verdicts\n"
	  "                 are kept in build/linkcache.tsv (newsletter.yaml: link_cache)\n"
	  "  --jobs N       links checked at once (default 128)\n"
	  "  --per-host N   links checked at once on one host (default 16;\n"
	  "                 newsletter.yaml: link_per_host)\n"
	  "  --timeout S    seconds per request (default 10)\n"
	  "  --max-age S    seconds a kept verdict stays good (default 86400)\n"
	  "  --only-new     check only links never checked before\n"
	  "  --meta         also ask what each item's link is (a page's title, a\n"
	  "                 repository's stars...) for build/linkmeta.tsv, which\n"
	  "                 templates read as items[].meta\n"
	  "  --wayback      ask an archive service (wayback_api) for a copy of each\n"
	  "                 dead link and print it\n"
	  "With --all, when each link was first seen broken is kept in\n"
	  "build/linkmeta.tsv, and links already known broken are warnings.\n"
	  "  --fix          rewrite in the issues what is certain: utm_* parameters\n"
	  "                 dropped and, with --links, links that redirect\n"
	  "                 permanently or name another canonical URL; each change\n"
	  "                 is printed on standard output\n\n"
	  "Exit status: 0 clean or warnings only, 1 errors (or warnings with --strict),\n"
	  "2 usage, 3 I/O or system error.\n" },
	{ "new", cmd_new, "start the next issue's source",
	  "usage: weekly new [N] [--date YYYY-MM-DD]\n\n"
	  "Create issues/NNN.md for issue N (default: the last issue's number + 1)\n"
	  "dated --date (default: the last issue's date plus a week per issue; today\n"
	  "for a first issue), marked draft: true, with every configured section as\n"
	  "an empty heading, from templates/new.md.mustache. Prints the path it\n"
	  "created, and on standard error the next step. Never replaces a file: an\n"
	  "issue that exists already is an error (exit 1).\n" },
	{ "add", cmd_add, "add a link to an issue, titled and described by the page",
	  "usage: weekly add URL [--section ID] [N] [--timeout S]\n\n"
	  "Ask the web what URL is and append it as an item to a section of issue N\n"
	  "(default: the newest issue marked draft: true), numbered and written like\n"
	  "the items before it, changing nothing else in the file:\n"
	  "  a page         [title](canonical URL) and its description; a note such as\n"
	  "                 (Chinese) when its language is not the newsletter's\n"
	  "  GitHub         [name: description](URL) and its stars, from GitHub's API\n"
	  "                 (GITHUB_TOKEN is sent when set)\n"
	  "  PyPI           [name: summary](URL), from PyPI's JSON API\n\n"
	  "  --section ID   the section (a title, id or alias; default: the first)\n"
	  "  --timeout S    seconds per request (default 10)\n\n"
	  "Settings: github_api, pypi_api (base URLs), language_notes (language: note),\n"
	  "user_agent. Prints FILE:LINE and the item's first line.\n"
	  "Exit status: 0 added, 1 the link is wrong or already there, 2 usage,\n"
	  "3 no usable answer (network, rate limit, invalid reply) or I/O error.\n" },
	{ "stats", cmd_stats, "count items, words, links and images of issues",
	  "usage: weekly stats [N...|--all] [--format text|json|tsv]\n\n"
	  "Count, per issue and in total, the items of each section, the words of\n"
	  "the items' descriptions, the links (items' own included) and the images\n"
	  "of issues N... (default: every issue). Templates see the same counts as\n"
	  "stats.* and sections[].stats.*.\n\n"
	  "  --format F   text (a table; the default), json or tsv (one row per\n"
	  "               issue, then a total row when there are several)\n\n"
	  "An issue that cannot be read is reported and left out (exit 1).\n" },
	{ "import", cmd_import, "turn published issues back into source files",
	  "usage: weekly import FILE.md|DIR... [-n N] [--date YYYY-MM-DD] [-o FILE|-] [--force]\n\n"
	  "Read issues as published (the Markdown `weekly build -f md` writes, or an\n"
	  "archive's) and write their sources: number, date and title from the title\n"
	  "line ('NAME #N: TITLE (YYYY-MM-DD)', with or without '#', ':' or '：') or\n"
	  "the front matter (title, pubDate or date), the date else from the file\n"
	  "name (2024-03-09-weekly.md); sections and items verbatim (link headings\n"
	  "name their section, '1、' items become '1.', a near miss of a configured\n"
	  "section is imported as it, with a warning). What the templates add\n"
	  "stays out; where the published text differs from it, the difference\n"
	  "goes into the source (overrides in the front matter, the lead). The\n"
	  "source is then built, checked and compared with the published text;\n"
	  "what comes back differently is a warning at FILE:LINE.\n\n"
	  "A part the source cannot hold (a section the settings lack, text the\n"
	  "templates write otherwise, fewer items, a teaser) is an error at its\n"
	  "line, and nothing is written for that issue. A folder's *.md files or\n"
	  "several files import in one run with one summary line:\n"
	  "'imported N (K with errors to fix: FILE (why)), refused M: FILE (why)'.\n\n"
	  "  -n N           the issue's number (one file only)\n"
	  "  --date D       the issue's date, YYYY-MM-DD (one file only)\n"
	  "  -o FILE        where to write (default: issues/NNN.md; - for standard\n"
	  "                 output; one file only)\n"
	  "  --force        replace a file that exists\n\n"
	  "Exit status: 0 every issue written, nothing left out; 1 a part left out\n"
	  "(that issue not written), the file exists, or a source written with\n"
	  "errors to fix; 2 usage; 3 a file that cannot be read or written.\n" },
	{ "links", cmd_links, "list every link of the archive and where it is",
	  "usage: weekly links [N...|--all] [--format tsv|json]\n\n"
	  "List each link and image of issues N... (default: every issue) with its\n"
	  "issue, section, item, kind (item, link or image), file, line, column, the\n"
	  "URL as written and its normalised form (scheme and host in lower case, no\n"
	  "default port, no trailing slash, no utm_* parameters, no fragment).\n"
	  "TSV has a header line; JSON is one array.\n" },
	{ "where", cmd_where, "say in which issues a URL appeared",
	  "usage: weekly where URL [--format human|tsv|json]\n\n"
	  "Find every place URL appears in the archive, comparing normalised URLs\n"
	  "(as `weekly links` writes them; http and https count as one), and print\n"
	  "each as FILE:LINE:COL: issue N, SECTION item K: URL as written.\n\n"
	  "Exit status: 0 found, 1 not found, 2 usage, 3 I/O error.\n" },
	{ "send", cmd_send, "mail an issue to a few addresses as a proof",
	  "usage: weekly send N --to ADDRESS [--to ADDRESS...]\n\n"
	  "Send issue N's message (what `weekly build N -f eml` writes, with a To\n"
	  "header) to at most 5 addresses by SMTP, through the server of\n"
	  "email.smtp_url in issues/newsletter.yaml (smtp://HOST:587, or\n"
	  "smtps://HOST:465). STARTTLS is used whenever the server offers it, and\n"
	  "required before a password goes to a server on another machine;\n"
	  "certificates are verified (email.smtp_ca_file: a private authority). The\n"
	  "login is email.smtp_user and email.smtp_password, or WEEKLY_SMTP_USER\n"
	  "and WEEKLY_SMTP_PASSWORD from the environment.\n\n"
	  "Exit status: 0 sent, 1 the issue or the settings have errors, 2 usage,\n"
	  "3 not sent (no connection, login refused, message refused).\n" },
	{ "render", cmd_render, "render any Mustache template against YAML or JSON data",
	  "usage: weekly render TEMPLATE DATA [--partials DIR] [--escape html|xml|none]\n\n"
	  "Render TEMPLATE with the data of DATA (a YAML or JSON file) to standard\n"
	  "output. {{>name}} loads DIR/name.mustache (default: the template's folder).\n"
	  "Escaping is HTML unless the template is named *.md.mustache or\n"
	  "*.txt.mustache (none) or *.xml.mustache (XML: HTML escaping, and no value\n"
	  "can break the document), or --escape says otherwise.\n" },
	{ "init", cmd_init, "create a new newsletter that builds at once",
	  "usage: weekly init DIR [--lang en|zh]\n\n"
	  "Create DIR/issues/newsletter.yaml, a first issue DIR/issues/001.md and\n"
	  "DIR/templates/ (a copy of the default templates). Refuses to touch a\n"
	  "folder that already holds a newsletter.\n\n"
	  "  --lang L    the newsletter's language: en (the default) or zh; its\n"
	  "              settings, first issue and every word the templates print\n"
	  "              are in that language\n" },
	{ "serve", cmd_serve, "preview the pages in a browser as you write",
	  "usage: weekly serve [--port N] [--bind ADDR] [--drafts]\n\n"
	  "Build what is out of date, then serve the output folder on\n"
	  "http://127.0.0.1:8000/ and build again each time an issue, a template or\n"
	  "newsletter.yaml is saved: open pages reload where they were scrolled to.\n"
	  "While an issue has errors, its page shows them over the last version that\n"
	  "built; warnings show in a bar that can be closed; drafts are marked.\n\n"
	  "  --port N     the port (default 8000; 0: any free one)\n"
	  "  --bind ADDR  the address to listen on (default 127.0.0.1: this machine\n"
	  "               only; 0.0.0.0 or :: for every network)\n"
	  "  --drafts     build and serve drafts too (draft: true)\n\n"
	  "Ctrl-C stops it. Exit status: 0 stopped, 2 usage, 3 no newsletter, the\n"
	  "port is taken or libmicrohttpd cannot be loaded.\n" },
	{ "help", cmd_help, "show help for weekly, one of its commands or its rules",
	  "usage: weekly help [COMMAND]\n"
	  "       weekly help rules [RULE]\n\n"
	  "The commands, one command's usage, every rule a diagnostic can name\n"
	  "([rule]), or one rule with a wrong and a right example.\n" },
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

int cmd_usage_error(const char *name, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "weekly %s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nsee 'weekly help %s'\n", name);
	return EXIT_USAGE;
}

/* The options NAME's usage text names ("--all", "-f"...), into names
 * (at most max); how many. */
static size_t usage_options(const char *usage, const char **names, char (*buf)[32], size_t max)
{
	size_t n = 0;
	for (const char *u = usage; *u && n < max; u++) {
		if (*u != '-' || (u > usage && !strchr(" [|", u[-1])))
			continue;
		size_t len = strspn(u, "-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
		if (len < 2 || len >= sizeof buf[0])
			continue;
		memcpy(buf[n], u, len);
		buf[n][len] = '\0';
		names[n] = buf[n];
		n++;
		u += len - 1;
	}
	return n;
}

int cmd_bad_argument(const char *name, const char *arg)
{
	if (arg[0] != '-' || !arg[1])
		return cmd_usage_error(name, "unexpected argument '%s'", arg);
	const struct cmd *c = cmd_find(name);
	const char *names[64];
	char buf[64][32];
	size_t n = c ? usage_options(c->usage, names, buf, 64) : 0;
	char *opt = xstrndup(arg, strcspn(arg, "="));
	long k = strlen(opt) > 2 ? util_closest(opt, names, n) : -1;
	free(opt);
	if (k < 0)
		return cmd_usage_error(name, "unknown option '%s'", arg);
	return cmd_usage_error(name, "unknown option '%s'; did you mean '%s'?", arg, names[k]);
}

int cmd_opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return 0;
	if (argv[*i][n] == '=') {
		*val = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*val = argv[++*i];
	return 1;
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

static int unknown_command(const char *word)
{
	const char *names[sizeof commands / sizeof *commands];
	size_t n = 0;
	for (const struct cmd *c = commands; c->name; c++)
		names[n++] = c->name;
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
			return unknown_option(argv[i]);
		}
	}
	if (i == argc) {
		fputs("weekly: which command?\nsee 'weekly help'\n", stderr);
		return EXIT_USAGE;
	}
	const struct cmd *c = cmd_find(argv[i]);
	if (!c)
		return unknown_command(argv[i]);
	if (wants_help(argc - i, argv + i)) {
		fputs(c->usage, stdout);
		return EXIT_CLEAN;
	}
	return c->fn(argc - i, argv + i);
}
