/* closest.c - util_closest, the "did you mean" of every name weekly knows. */
#include "weekly/util.h"
#include "expect.h"

static const char *const keys[] = { "draft", "required", "intro_md", "number", "date" };
static const char *const sections[] = { "🦄Articles & Tutorials", "🐿️Projects & Resources",
					"文章&教程", "Podcasts" };

static const char *closest(const char *word, const char *const *names, size_t n)
{
	long i = util_closest(word, names, n);
	return i < 0 ? "(none)" : names[i];
}

int main(void)
{
	expect("one letter off", "draft", closest("darft", keys, 5));
	expect("one letter missing", "required", closest("requird", keys, 5));
	expect("suffix missing", "intro_md", closest("intro", keys, 5));
	expect("nothing close", "(none)", closest("colour", keys, 5));
	expect("equal is not a hint", "(none)", closest("draft", keys, 5));
	expect("case and spacing ignored", "(none)", closest("DRAFT", keys, 5));
	expect("emoji ignored", "🦄Articles & Tutorials",
	       closest("Articles and Tutorial", sections, 4));
	expect("plural", "🐿️Projects & Resources", closest("Project & Resource", sections, 4));
	expect("chinese", "文章&教程", closest("文章和教程", sections, 4));
	expect("empty word", "(none)", closest("", keys, 5));
	expect("long word", "(none)",
	       closest("a very long name that is nothing like any key at all, far too long "
		       "to fit the comparison buffer of the function under test here", keys, 5));
	expect_long("same name but for case", 1, util_name_eq("Draft", "draft"));
	expect_long("same name but for punctuation and emoji", 1,
		    util_name_eq("Articles Tutorials", "🦄Articles & Tutorials"));
	expect_long("same name, chinese", 1, util_name_eq("文章 教程", "文章&教程"));
	expect_long("another name", 0, util_name_eq("drafts", "draft"));
	expect_long("nothing is no name", 0, util_name_eq("&", "-"));
	return expect_summary();
}
