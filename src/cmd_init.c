/* cmd_init.c - `weekly init DIR`: a new newsletter that builds at once. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "weekly/cmd.h"
#include "weekly/diag.h"
#include "weekly/fsutil.h"
#include "weekly/render.h"
#include "weekly/util.h"

static const char settings[] =
	"# Settings shared by every issue. Any key reaches templates as\n"
	"# newsletter.KEY; an issue's front matter may override it. Keys ending\n"
	"# in _md hold Markdown (templates also get KEY_html).\n"
	"name: My Weekly\n"
	"language: en\n"
	"intro_md: \"Welcome to My Weekly: the week's best links, with a few words on each.\"\n"
	"\n"
	"# Sections in the order of output. A heading names a section by its title\n"
	"# (with or without the emoji), its id or an alias, ignoring case.\n"
	"sections:\n"
	"  - id: articles\n"
	"    title: \"📰 Articles\"\n"
	"    required: true\n"
	"  - id: projects\n"
	"    title: \"🛠️ Projects\"\n"
	"  - id: discussion\n"
	"    title: \"💬 Discussion\"\n";

static const char first_issue[] =
	"---\n"
	"number: 1\n"
	"date: %s\n"
	"---\n"
	"\n"
	"## Articles\n"
	"\n"
	"1. [CommonMark](https://commonmark.org/) (the Markdown this file is written in)\n"
	"\n"
	"Each item is a list item that starts with a link; the paragraphs after it,\n"
	"up to the next item or heading, are its description.\n"
	"\n"
	"## Projects\n"
	"\n"
	"1. [Mustache](https://mustache.github.io/)\n"
	"\n"
	"The templates in templates/ are Mustache: change them to shape every issue.\n";

static int write_new(const char *dir, const char *name, const char *text)
{
	char *path = fs_join(dir, name);
	char *folder = fs_dirname(path);
	int rc = fs_mkdirs(folder) < 0 || fs_write_atomic(path, text, strlen(text)) < 0;
	if (rc)
		fprintf(stderr, "weekly: cannot write '%s': %s\n", path, strerror(errno));
	free(folder);
	free(path);
	return rc;
}

/* Copy every *.mustache of from (one level of folders deep) into to. */
static int copy_templates(const char *from, const char *to)
{
	DIR *d = opendir(from);
	if (!d) {
		fprintf(stderr, "weekly: cannot read the default templates '%s': %s\n", from,
			strerror(errno));
		return 1;
	}
	int rc = 0;
	struct dirent *e;
	while (!rc && (e = readdir(d))) {
		char *src = fs_join(from, e->d_name), *dst = fs_join(to, e->d_name);
		size_t n = strlen(e->d_name), len;
		char *text;
		if (e->d_name[0] != '.' && fs_is_dir(src))
			rc = copy_templates(src, dst);
		else if (n > 9 && strcmp(e->d_name + n - 9, ".mustache") == 0) {
			if (fs_read(src, &text, &len) < 0) {
				fprintf(stderr, "weekly: cannot read '%s': %s\n", src, strerror(errno));
				rc = 1;
			} else {
				rc = write_new(to, e->d_name, text);
				free(text);
			}
		}
		free(src);
		free(dst);
	}
	closedir(d);
	return rc;
}

static int already(const char *dir)
{
	char *p = fs_join(dir, "issues/newsletter.yaml");
	int found = fs_exists(p);
	if (found)
		fprintf(stderr, "weekly: '%s' already holds a newsletter\n", p);
	free(p);
	return found;
}

int cmd_init(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-')
		return cmd_usage_error("init", argc < 2 ? "which folder? give DIR"
				       : argv[1][0] == '-' ? "unknown option '%s'" : "unexpected argument '%s'",
				       argv[argc < 2 ? 0 : argv[1][0] == '-' ? 1 : 2]);
	const char *dir = argv[1];
	if (already(dir))
		return EXIT_CONTENT;
	char date[11];
	time_t now = time(NULL);
	strftime(date, sizeof date, "%Y-%m-%d", localtime(&now));
	char *issue = xasprintf(first_issue, date);
	char *defaults = render_default_templates();
	char *templates = fs_join(dir, "templates");
	int rc = write_new(dir, "issues/newsletter.yaml", settings) ||
		 write_new(dir, "issues/001.md", issue) || copy_templates(defaults, templates);
	if (!rc)
		printf("created a newsletter in %s: build it with 'weekly -C %s build --all'\n",
		       dir, dir);
	free(templates);
	free(defaults);
	free(issue);
	return rc ? EXIT_SYSTEM : EXIT_CLEAN;
}
