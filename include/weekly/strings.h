/* strings.h - the words templates print, in the newsletter's language.
 *
 * Settings name the language (`language: zh`) and may set any word under
 * `strings:`; what they leave out comes from the defaults of the language
 * (en and zh; others get en's words with their own plural rule). A word
 * that counts something is a map of CLDR plural forms ({one: "{n} issue",
 * other: "{n} issues"}); "{n}" stands for the number. Dates are written
 * by `date_format` with {year}, {month} (a name from `months`), {m} (the
 * month's number) and {day}. */
#ifndef WEEKLY_STRINGS_H
#define WEEKLY_STRINGS_H

#include "value.h"

/* The strings of settings (a map): the language's defaults, the settings'
 * own `strings:` over them, made in arena a (value.h; NULL: on the heap).
 * The caller frees it. */
struct arena;
value *strings_resolve(struct arena *a, const value *settings);

/* The CLDR plural category of n in language lang: "one" or "other".
 * English and the languages weekly does not know: "one" for 1 alone;
 * Chinese, Japanese and Korean: always "other". */
const char *strings_plural(const char *lang, long n);

/* strings' word key for n things, in n's plural form, "{n}" replaced:
 * a fresh string, or NULL when strings has no such word. */
char *strings_count(const value *strings, const char *key, const char *lang, long n);

/* A YYYY-MM-DD date as strings' date_format writes it: a fresh string
 * (the date itself when it is not YYYY-MM-DD or there is no format). */
char *strings_date(const value *strings, const char *date);

/* The names of the words weekly has defaults for, NULL-terminated (for
 * "did you mean" on a misspelt one). */
const char *const *strings_names(void);

/* strings with every "{number}" replaced by number and "{date}" by date,
 * for one issue's pages: a fresh map made in arena (NULL: on the heap)
 * whose strings that say neither are those of strings, shared, and whose
 * keys are those of strings: strings must outlive it. */
value *strings_for_issue(struct arena *arena, const value *strings, long number,
			 const char *date);

#endif
