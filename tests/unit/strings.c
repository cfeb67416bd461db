/* strings.c - the words templates print: plural forms by CLDR rules,
 * counted words, dates per language, the settings' own words. */
#include <stdlib.h>
#include <string.h>
#include "weekly/strings.h"
#include "weekly/util.h"
#include "weekly/yaml.h"
#include "expect.h"

static value *settings(const char *yaml)
{
	diag_list d = DIAG_LIST_INIT;
	value *v = yaml_load(yaml, strlen(yaml), "t.yaml", 0, &d);
	diag_release(&d);
	return v;
}

/* The word key of settings yaml for n things. */
static void count(const char *name, const char *want, const char *yaml, const char *key, long n)
{
	value *s = settings(yaml), *w = strings_resolve(NULL, s);
	char *got = strings_count(w, key, value_str(value_getc(s, "language")), n);
	expect(name, want, got ? got : "(none)");
	free(got);
	value_free(w);
	value_free(s);
}

static void date(const char *name, const char *want, const char *yaml, const char *d)
{
	value *s = settings(yaml), *w = strings_resolve(NULL, s);
	char *got = strings_date(w, d);
	expect(name, want, got);
	free(got);
	value_free(w);
	value_free(s);
}

int main(void)
{
	expect("plural: en 1", "one", strings_plural("en", 1));
	expect("plural: en 0", "other", strings_plural("en", 0));
	expect("plural: en 2", "other", strings_plural("en", 2));
	expect("plural: en 11", "other", strings_plural("en-GB", 11));
	expect("plural: zh 1", "other", strings_plural("zh", 1));
	expect("plural: zh-CN 1", "other", strings_plural("zh-CN", 1));
	expect("plural: ja 1", "other", strings_plural("ja", 1));
	expect("plural: a language without rules takes English's", "one", strings_plural("fr", 1));
	expect("plural: no language", "one", strings_plural(NULL, 1));
	expect("plural: 'zhx' is not zh", "one", strings_plural("zhx", 1));

	count("count: 1 issue", "1 issue", "language: en", "issues", 1);
	count("count: 2 issues", "2 issues", "language: en", "issues", 2);
	count("count: 0 issues", "0 issues", "language: en", "issues", 0);
	count("count: no language is English", "1 link", "name: x", "links", 1);
	count("count: zh one form", "共 1 期", "language: zh", "issues", 1);
	count("count: zh many", "共 159 期", "language: zh", "issues", 159);
	count("count: the settings' own forms", "1 edition",
	      "language: en\nstrings: {issues: {one: '{n} edition', other: '{n} editions'}}", "issues", 1);
	count("count: only other given", "3 tomes",
	      "language: en\nstrings: {issues: {other: '{n} tomes'}}", "issues", 1 + 2);
	count("count: a plain word", "1 things", "strings: {issues: '{n} things'}", "issues", 1);
	count("count: no such word", "(none)", "language: en", "nothing", 1);

	date("date: en", "August 12, 2023", "language: en", "2023-08-12");
	date("date: zh", "2023年8月12日", "language: zh", "2023-08-12");
	date("date: January 6", "January 6, 2024", "language: en", "2024-01-06");
	date("date: the settings' format", "12/8/2023",
	     "strings: {date_format: '{day}/{m}/{year}'}", "2023-08-12");
	date("date: not a date stays as written", "2023-02-30", "language: en", "2023-02-30");
	date("date: no format", "2023-08-12", "strings: {date_format: [1]}", "2023-08-12");

	value *s = settings("language: en"), *w = strings_resolve(NULL, s);
	value *is = strings_for_issue(NULL, w, 159, "2026-07-18");
	expect("issue: {number} filled in",
	       "After subscribing, you can view the full text of Issue 159 for free:",
	       value_str(value_getc(is, "full_text")));
	expect("issue: the other words as they are", "All issues", value_str(value_getc(is, "all_issues")));
	value_free(is);
	value_free(w);
	value_free(s);
	return expect_summary();
}
