/* published.c - the head of an issue as published: every shape of title
 * line and front matter the archive has, and dates from file names. */
#include <stdlib.h>
#include <string.h>
#include "weekly/published.h"
#include "weekly/util.h"
#include "expect.h"

/* The title s, as the first line of an issue, read back as
 * "number|date|theme|name" ("-" for none). */
static char *title(const char *s)
{
	char *text = xasprintf("# %s\n", s);
	struct doc d;
	struct pub_head h;
	diag_list dl = DIAG_LIST_INIT;
	doc_init(&d, "t.md", text, strlen(text));
	char *r = pub_head(&d, &h, &dl) <= 0 ? xstrdup("(no number)")
		: xasprintf("%ld|%s|%s|%s", h.number, h.date ? h.date : "-",
			    h.theme ? h.theme : "-", h.name ? h.name : "-");
	pub_head_release(&h);
	diag_release(&dl);
	doc_release(&d);
	free(text);
	return r;
}

/* The head of text as "number|date|theme|end" (end: lines of the head),
 * or the first diagnostic. */
static char *head(const char *text)
{
	struct doc d;
	struct pub_head h;
	diag_list dl = DIAG_LIST_INIT;
	doc_init(&d, "t.md", text, strlen(text));
	int rc = pub_head(&d, &h, &dl);
	char *r = rc < 0 ? xasprintf("%d:%d: %s", dl.items[0].line, dl.items[0].col,
				     dl.items[0].message)
		: rc == 0 ? xstrdup("(no head)")
		: xasprintf("%ld|%s|%s|%zu", h.number, h.date ? h.date : "-",
			    h.theme ? h.theme : "-", h.end);
	pub_head_release(&h);
	diag_release(&dl);
	doc_release(&d);
	return r;
}

static void check(const char *name, const char *want, char *got)
{
	expect(name, want, got);
	free(got);
}

static char *file_date(const char *path)
{
	char *d = pub_file_date(path);
	return d ? d : xstrdup("(none)");
}

int main(void)
{
	check("title: name, number, date", "15|2023-08-12|-|Python Trending Weekly",
	      title("Python Trending Weekly #15 (2023-08-12)"));
	check("title: a theme after ':' and a date", "60|2024-07-13|So Many Managers!|Python Trending Weekly",
	      title("Python Trending Weekly #60: So Many Managers! (2024-07-13)"));
	check("title: a theme, no date", "69|-|Time to Stop Using Python 3.8|Python Weekly",
	      title("Python Weekly #69: Time to Stop Using Python 3.8"));
	check("title: '：' and no space before '#'", "15|-|如何分析异步任务的性能？|Python 潮流周刊",
	      title("Python 潮流周刊#15：如何分析异步任务的性能？"));
	check("title: a date in full-width parentheses", "2|2023-05-20|Rust 让 Python 再次伟大|Python潮流周刊",
	      title("Python潮流周刊#2：Rust 让 Python 再次伟大（2023-05-20）"));
	check("title: a number without '#'", "40|2024-03-02|-|Python Trending Weekly",
	      title("Python Trending Weekly 40 (2024-03-02)"));
	check("title: digits in the theme are not the number", "53|-|Python 3.13 at PyCon 2024|Weekly",
	      title("Weekly #53: Python 3.13 at PyCon 2024"));
	check("title: a date that is no date stays in the theme", "7|-|A (2023-02-30)|W",
	      title("W #7: A (2023-02-30)"));
	check("title: no number", "(no number)", title("Python Trending Weekly: a special issue"));
	check("title: number 0", "(no number)", title("Weekly #0"));
	check("title: ten digits", "(no number)", title("Weekly #1234567890"));

	check("head: a title line", "15|2023-08-12|-|1", head("# Python Trending Weekly #15 (2023-08-12)\n\nText.\n"));
	check("head: after blank lines, without '#'", "15|-|T|3", head("\n\nWeekly #15: T\n"));
	check("head: a section first is no head", "(no head)", head("## 🦄Articles\n\n1. [a](b)\n"));
	check("head: a list item first is no head", "(no head)", head("- Weekly #15\n"));
	check("head: front matter title and pubDate", "15|2023-08-12|如何分析？|5",
	      head("---\ntitle: 'Python 潮流周刊#15：如何分析？'\npubDate: 2023-08-12\nauthor: x\n---\n\nText\n"));
	check("head: front matter date and number", "16|2023-08-19|A theme|5",
	      head("---\ntitle: A theme\ndate: 2023-08-19\nnumber: 16\n---\n"));
	check("head: a timestamp's date", "3|2024-01-06|-|4",
	      head("---\ntitle: 'Weekly #3'\npubDate: 2024-01-06T08:00:00Z\n---\n"));
	check("head: CRLF and a BOM", "9|2024-01-06|T|4",
	      head("\xEF\xBB\xBF---\r\ntitle: 'W #9: T'\r\npubDate: 2024-01-06\r\n---\r\n"));
	check("head: a bad date", "3:10: the front matter's date is not a date written YYYY-MM-DD",
	      head("---\ntitle: 'Weekly #3'\npubDate: 2024-02-30\n---\n"));
	check("head: a short date", "3:10: the front matter's date is not a date written YYYY-MM-DD",
	      head("---\ntitle: 'Weekly #3'\npubDate: soon\n---\n"));
	check("head: a date that is a number", "3:10: the front matter's date is not a date written YYYY-MM-DD",
	      head("---\ntitle: 'Weekly #3'\npubDate: 2024\n---\n"));
	check("head: unclosed front matter", "1:1: the front matter opened here is not closed with '---'",
	      head("---\ntitle: 'Weekly #3'\n"));
	check("head: front matter that is a list", "2:1: the front matter is not a map of keys",
	      head("---\n- a\n- b\n---\n"));

	check("file date", "2024-03-09", file_date("docs/2024-03-09-weekly.md"));
	check("file date: the name only", "2024-03-09", file_date("2024-03-09.md"));
	check("file date: not a date", "(none)", file_date("docs/2024-13-09-weekly.md"));
	check("file date: digits running on", "(none)", file_date("2024-03-091.md"));
	check("file date: a number", "(none)", file_date("issues/015.md"));
	check("file date: in the folder, not the name", "(none)", file_date("2024-03-09/015.md"));
	return expect_summary();
}
