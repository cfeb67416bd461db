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
#include "weekly/index.h"
#include "weekly/render.h"
#include "weekly/util.h"

/* A new newsletter in each language weekly has words for: its settings
 * and its first issue (the date goes in at %s). */
struct starter {
	const char *lang, *settings, *first_issue;
};

static const struct starter starters[] = {
	{ "en",
	  "# Settings shared by every issue. Any key reaches templates as\n"
	  "# newsletter.KEY; an issue's front matter may override it. Keys ending\n"
	  "# in _md hold Markdown (templates also get KEY_html). The words the\n"
	  "# templates print come from the language's defaults; strings: sets\n"
	  "# your own.\n"
	  "name: My Weekly\n"
	  "language: en\n"
	  "intro_md: \"Welcome to My Weekly: the week's best links, with a few words on each.\"\n"
	  "\n"
	  "# Sections in the order of output. A heading names a section by its title\n"
	  "# (with or without the emoji), its id or an alias, ignoring case. The\n"
	  "# noun counts a section's items, in each plural form of the language.\n"
	  "sections:\n"
	  "  - id: articles\n"
	  "    title: \"📰 Articles\"\n"
	  "    required: true\n"
	  "    noun: {one: article, other: articles}\n"
	  "  - id: projects\n"
	  "    title: \"🛠️ Projects\"\n"
	  "    noun: {one: project, other: projects}\n"
	  "  - id: discussion\n"
	  "    title: \"💬 Discussion\"\n"
	  "    noun: {one: discussion, other: discussions}\n",
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
	  "The templates in templates/ are Mustache: change them to shape every issue.\n" },
	{ "zh",
	  "# 每一期共用的设置。每个键在模板里是 newsletter.KEY；某一期的\n"
	  "# front matter 可以为这一期改写它。以 _md 结尾的键是 Markdown（模板\n"
	  "# 还会得到 KEY_html）。模板里的字词来自语言的默认设置；strings: 可以\n"
	  "# 改写它们。\n"
	  "name: 我的周刊\n"
	  "language: zh\n"
	  "intro_md: \"欢迎阅读我的周刊：每周值得一读的链接，各附几句介绍。\"\n"
	  "\n"
	  "# 栏目，按输出的顺序。一期里的标题用栏目的标题（带不带表情符号都\n"
	  "# 可以）、id 或别名来指明栏目，不分大小写。noun 用来给栏目里的\n"
	  "# 分享计数（中文不分单复数）。\n"
	  "sections:\n"
	  "  - id: articles\n"
	  "    title: \"📰 文章\"\n"
	  "    required: true\n"
	  "    noun: 篇文章\n"
	  "  - id: projects\n"
	  "    title: \"🛠️ 项目\"\n"
	  "    noun: 个项目\n"
	  "  - id: discussion\n"
	  "    title: \"💬 讨论\"\n"
	  "    noun: 则讨论\n",
	  "---\n"
	  "number: 1\n"
	  "date: %s\n"
	  "---\n"
	  "\n"
	  "## 文章\n"
	  "\n"
	  "1. [CommonMark](https://commonmark.org/)（这个文件所用的 Markdown）\n"
	  "\n"
	  "每一则分享是以链接开头的列表项；它后面直到下一项或下一个标题的段落，\n"
	  "是它的介绍。\n"
	  "\n"
	  "## 项目\n"
	  "\n"
	  "1. [Mustache](https://mustache.github.io/)\n"
	  "\n"
	  "templates/ 里的模板是 Mustache：修改它们，就能改变每一期的样子。\n" },
};

static const struct starter *starter(const char *lang)
{
	for (size_t i = 0; i < sizeof starters / sizeof *starters; i++)
		if (strcmp(starters[i].lang, lang) == 0)
			return &starters[i];
	return NULL;
}

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

/* The archive index's folder and the .gitignore that keeps it out of
 * version control (index.h). */
static int ignore_index(const char *dir)
{
	if (index_make_folder(dir) == 0)
		return 0;
	fprintf(stderr, "weekly: cannot write '%s/%s/.gitignore': %s\n", dir, INDEX_DIR,
		strerror(errno));
	return 1;
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

static const struct option options[] = {
	{ "--lang", "L", 1, "the newsletter's language: en (the default) or zh; its\n"
	  "settings, first issue and every word the templates print\n"
	  "are in that language", NULL },
	{ NULL, NULL, 0, NULL, NULL }
};

/* DIR, then nothing more; --lang. */
struct init_args {
	const char *dir, *lang;
};

static int option(void *ud, int key, const struct opts *o)
{
	struct init_args *a = ud;
	if (key == OPTS_ARG && a->dir)
		return opts_unexpected(o);
	*(key == OPTS_ARG ? &a->dir : &a->lang) = o->val;
	return 0;
}

/* The newsletter of st's language in dir, dated today. */
static int create(const char *dir, const struct starter *st)
{
	char date[11];
	time_t now = time(NULL);
	strftime(date, sizeof date, "%Y-%m-%d", localtime(&now));
	char *issue = xasprintf(st->first_issue, date);
	char *defaults = render_default_templates();
	char *templates = fs_join(dir, "templates");
	int rc = write_new(dir, "issues/newsletter.yaml", st->settings) ||
		 write_new(dir, "issues/001.md", issue) || copy_templates(defaults, templates) ||
		 ignore_index(dir);
	if (!rc)
		printf("created a newsletter in %s: build it with 'weekly -C %s build --all'\n",
		       dir, dir);
	free(templates);
	free(defaults);
	free(issue);
	return rc ? EXIT_SYSTEM : EXIT_CLEAN;
}

static int init_main(int argc, char **argv, struct newsletter *n)
{
	struct init_args a = { NULL, "en" };
	int rc = opts_parse("init", options, argc, argv, option, &a);
	const struct starter *st = starter(a.lang);
	(void)n;
	if (rc)
		return rc;
	if (!a.dir)
		return cmd_usage_error("init", "which folder? give the new newsletter's folder");
	if (!st)
		return cmd_usage_error("init", "no words for language '%s'; --lang takes en or zh",
				       a.lang);
	return already(a.dir) ? EXIT_CONTENT : create(a.dir, st);
}

const struct cmd cmd_init = {
	"init", init_main, "create a new newsletter that builds at once", 0,
	"usage: weekly init DIR [--lang en|zh]\n\n"
	"Create DIR/issues/newsletter.yaml, a first issue DIR/issues/001.md and\n"
	"DIR/templates/ (a copy of the default templates). Refuses to touch a\n"
	"folder that already holds a newsletter.\n",
	options, NULL
};
