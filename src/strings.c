/* strings.c - the words templates print (see strings.h). */
#include <stdlib.h>
#include <string.h>
#include "weekly/buf.h"
#include "weekly/strings.h"
#include "weekly/util.h"
#include "weekly/yaml.h"

/* The defaults, as settings would write them. */
static const char en[] =
	"title_separator: \": \"\n"
	"all_issues: All issues\n"
	"archive_title: all issues\n"
	"issues: {one: \"{n} issue\", other: \"{n} issues\"}\n"
	"newest_first: \", newest first.\"\n"
	"atom_feed: Atom feed\n"
	"search_link: Search every item\n"
	"search: Search\n"
	"search_intro: \"Every item of every issue, found by the words of its title, note or\n"
	"  description, or by its site.\"\n"
	"search_label: Words from a title, a note, a description or a site\n"
	"search_needs_script: Searching needs JavaScript.\n"
	"search_none: No item has this word.\n"
	"search_none_all: No item has all of these words.\n"
	"search_found: {one: \"{n} item:\", other: \"{n} items:\"}\n"
	"search_first: \"{n} items, the first {shown}:\"\n"
	"topics: Topics\n"
	"item_link: Link to item\n"
	"lookback: Looking back\n"
	"season: \"Season {n}\"\n"
	"seasons: Seasons\n"
	"season_intro: \"Every item of these issues, by section.\"\n"
	"links: {one: \"{n} link\", other: \"{n} links\"}\n"
	"list_colon: \": \"\n"
	"shared: \"Shared \"\n"
	"separator: \", \"\n"
	"sentence_end: \"\"\n"
	"summaries: \"Here are the title summaries for this issue:\"\n"
	"full_text: \"After subscribing, you can view the full text of Issue {number} for free:\"\n"
	"original_before: \"The \"\n"
	"original_link: original version\n"
	"date_format: \"{month} {day}, {year}\"\n"
	"months: [January, February, March, April, May, June, July, August, September,\n"
	"  October, November, December]\n";

static const char zh[] =
	"title_separator: \"：\"\n"
	"all_issues: 全部周刊\n"
	"archive_title: 全部周刊\n"
	"issues: {other: \"共 {n} 期\"}\n"
	"newest_first: \"，最新的在前。\"\n"
	"atom_feed: Atom 订阅\n"
	"search_link: 搜索全部分享\n"
	"search: 搜索\n"
	"search_intro: 按标题、简介、描述中的词语或网站，搜索每一期的每一则分享。\n"
	"search_label: 标题、简介、描述或网站中的词语\n"
	"search_needs_script: 搜索需要 JavaScript。\n"
	"search_none: 没有分享含有这个词。\n"
	"search_none_all: 没有分享同时含有这些词。\n"
	"search_found: {other: \"共 {n} 则分享：\"}\n"
	"search_first: \"共 {n} 则分享，以下是前 {shown} 则：\"\n"
	"topics: 主题\n"
	"item_link: 分享链接\n"
	"lookback: 往期回顾\n"
	"season: \"第 {n} 季\"\n"
	"seasons: 往季合集\n"
	"season_intro: 本季每一期的全部分享，按分类排列。\n"
	"links: {other: \"{n} 则分享\"}\n"
	"list_colon: \"：\"\n"
	"shared: \"分享了 \"\n"
	"separator: \"，\"\n"
	"sentence_end: \"。\"\n"
	"summaries: \"以下是本期标题摘要：\"\n"
	"full_text: \"订阅后可免费阅读第 {number} 期全文：\"\n"
	"original_before: \"\"\n"
	"original_link: 原文\n"
	"date_format: \"{year}年{m}月{day}日\"\n"
	"months: [一月, 二月, 三月, 四月, 五月, 六月, 七月, 八月, 九月, 十月, 十一月, 十二月]\n";

/* Whether lang is code, or code followed by a region or script ("zh-CN"). */
static int is_lang(const char *lang, const char *code)
{
	size_t n = strlen(code);
	return lang && strncmp(lang, code, n) == 0 && (lang[n] == '\0' || lang[n] == '-' ||
						       lang[n] == '_');
}

static const char *language(const value *settings)
{
	const char *l = value_str(value_getc(settings, "language"));
	return l ? l : "en";
}

/* The defaults of a language, loaded once. */
static const value *defaults(const char *lang)
{
	static value *loaded[2];
	int k = is_lang(lang, "zh");
	if (!loaded[k]) {
		diag_list d = DIAG_LIST_INIT;
		const char *text = k ? zh : en;
		loaded[k] = yaml_load(text, strlen(text), "(default strings)", 0, &d);
		diag_release(&d);
	}
	return loaded[k];
}

const char *const *strings_names(void)
{
	static const char **names;
	if (!names) {
		const value *en_words = defaults("en");
		names = xcalloc(value_len(en_words) + 1, sizeof(char *));
		for (size_t i = 0; i < value_len(en_words); i++)
			names[i] = value_entry_at(en_words, i)->key;
	}
	return names;
}

value *strings_resolve(struct arena *a, const value *settings)
{
	value *m = value_copy_in(a, defaults(language(settings)));
	const value *own = value_getc(settings, "strings");
	for (size_t i = 0; own && value_type(own) == VALUE_MAP && i < value_len(own); i++) {
		const struct value_entry *e = value_entry_at(own, i);
		value_map_set(m, e->key, e->keylen, value_copy_in(a, e->val));
	}
	return m;
}

const char *strings_plural(const char *lang, long n)
{
	if (is_lang(lang, "zh") || is_lang(lang, "ja") || is_lang(lang, "ko"))
		return "other";
	return n == 1 ? "one" : "other";
}

/* text with every occurrence of name replaced by with, into out. */
static void replace(const char *text, const char *name, const char *with, buf *out)
{
	size_t n = strlen(name);
	const char *p;
	while ((p = strstr(text, name))) {
		buf_put(out, text, (size_t)(p - text));
		buf_puts(out, with);
		text = p + n;
	}
	buf_puts(out, text);
}

static char *replaced(const char *text, const char *name, const char *with)
{
	buf b = BUF_INIT;
	replace(text, name, with, &b);
	char *s = xstrdup(b.data);
	buf_release(&b);
	return s;
}

char *strings_count(const value *strings, const char *key, const char *lang, long n)
{
	const value *w = value_getc(strings, key);
	const char *form = value_str(w);
	if (w && value_type(w) == VALUE_MAP) {
		form = value_str(value_getc(w, strings_plural(lang, n)));
		if (!form)
			form = value_str(value_getc(w, "other"));
	}
	if (!form)
		return NULL;
	char num[24];
	snprintf(num, sizeof num, "%ld", n);
	return replaced(form, "{n}", num);
}

/* The n digits at s as a number is written: no leading zeros, at least one
 * digit. */
static void number_of(char *out, const char *s, size_t n)
{
	while (n > 1 && *s == '0')
		s++, n--;
	memcpy(out, s, n);
	out[n] = '\0';
}

char *strings_date(const value *strings, const char *date)
{
	const char *format = value_str(value_getc(strings, "date_format"));
	if (!format || !date || strlen(date) != 10 || !util_is_date(date))
		return xstrdup(date ? date : "");
	char ys[5], ms[3], ds[3]; /* a date is YYYY-MM-DD */
	number_of(ys, date, 4);
	number_of(ms, date + 5, 2);
	number_of(ds, date + 8, 2);
	const char *name = value_str(value_at(value_getc(strings, "months"), (size_t)atoi(ms) - 1));
	buf a = BUF_INIT, b = BUF_INIT; /* each name replaced in turn, as it was */
	replace(format, "{year}", ys, &a);
	replace(a.data, "{month}", name ? name : ms, &b);
	buf_reset(&a);
	replace(b.data, "{m}", ms, &a);
	buf_reset(&b);
	replace(a.data, "{day}", ds, &b);
	buf_release(&a);
	return buf_take(&b);
}

value *strings_for_issue(struct arena *arena, const value *strings, long number,
			 const char *date)
{
	value *m = value_map_share_in(arena, strings, 0);
	char num[24];
	snprintf(num, sizeof num, "%ld", number);
	for (size_t i = 0; i < value_len(strings); i++) {
		const struct value_entry *e = value_entry_at(strings, i);
		const char *s = value_str(e->val);
		if (!s || !strchr(s, '{') || (!strstr(s, "{number}") && !strstr(s, "{date}")))
			continue;
		char *a = replaced(s, "{number}", num), *b = replaced(a, "{date}", date ? date : "");
		/* the keys are those of strings, which outlives m */
		value_map_set_literal(m, e->key, e->keylen, value_cstring_in(arena, b));
		free(a);
		free(b);
	}
	return m;
}
