/* ledger.c - unit tests of URL normalisation, URL keys and the link index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/issue.h"
#include "weekly/ledger.h"
#include "weekly/util.h"
#include "expect.h"

/* The first place url appears in l, found by its key. */
static const struct ledger_entry *first(const struct ledger *l, const char *url)
{
	char *key = ledger_key(url);
	const struct ledger_entry *e = ledger_first_key(l, key);
	free(key);
	return e;
}

/* Compare, then free got. */
static void expect_str(const char *name, const char *want, char *got)
{
	expect(name, want, got);
	free(got);
}

static const char *const normal[][2] = {
	{ "HTTPS://Example.COM/Path", "https://example.com/Path" },
	{ "https://example.com", "https://example.com/" },
	{ "https://example.com/", "https://example.com/" },
	{ "https://example.com/a/", "https://example.com/a" },
	{ "https://example.com/a//", "https://example.com/a" },
	{ "http://example.com:80/a", "http://example.com/a" },
	{ "https://example.com:443/a", "https://example.com/a" },
	{ "https://example.com:/a", "https://example.com/a" },
	{ "https://example.com:8443/a", "https://example.com:8443/a" },
	{ "http://example.com:443/a", "http://example.com:443/a" },
	{ "https://example.com/a?utm_source=x&id=1&utm_medium=y", "https://example.com/a?id=1" },
	{ "https://example.com/a?utm_source=x", "https://example.com/a" },
	{ "https://example.com/a?UTM_Campaign=z", "https://example.com/a" },
	{ "https://example.com/a/?utm_source=x#frag", "https://example.com/a" },
	{ "https://example.com/a#frag", "https://example.com/a" },
	{ "https://example.com/a#frag/with?query", "https://example.com/a" },
	{ "https://example.com?q=1", "https://example.com/?q=1" },
	{ "https://example.com/?", "https://example.com/" },
	{ "https://example.com/a?b&&c", "https://example.com/a?b&c" },
	{ "https://example.com/a?utm=1&xutm_a=2", "https://example.com/a?utm=1&xutm_a=2" },
	{ "https://example.com/a%2fb%7e?q=%c3%a9", "https://example.com/a%2Fb%7E?q=%C3%A9" },
	{ "https://example.com/100%", "https://example.com/100%" },
	{ "https://User:Pw@Example.com:443/", "https://User:Pw@example.com/" },
	{ "https://A@b@Example.COM:443", "https://A@b@example.com/" },
	{ "https://[2001:DB8::1]:443/x", "https://[2001:db8::1]/x" },
	{ "https://[2001:db8::1]:8080/x", "https://[2001:db8::1]:8080/x" },
	{ "  https://example.com/a \n", "https://example.com/a" },
	{ "MAILTO:Someone@Example.com", "mailto:Someone@Example.com" },
	{ "/relative/path/", "/relative/path/" },
	{ "javascript:alert(1)", "javascript:alert(1)" },
	{ "", "" },
};

static void test_normalize(void)
{
	for (size_t i = 0; i < sizeof normal / sizeof *normal; i++) {
		char name[256];
		snprintf(name, sizeof name, "normalize '%s'", normal[i][0]);
		expect_str(name, normal[i][1], ledger_normalize(normal[i][0]));
	}
}

static void test_key(void)
{
	expect_str("key: http counts as https", "https://example.com/a",
		   ledger_key("http://Example.com/a/?utm_source=x"));
	expect_str("key: https as it is", "https://example.com/a", ledger_key("https://example.com/a"));
	expect_str("key: other schemes kept", "ftp://example.com/", ledger_key("FTP://example.com"));
	expect_that("tracking parameters are utm_*",
		    ledger_tracking_param("utm_source", 10) && ledger_tracking_param("UTM_x", 5) &&
		    !ledger_tracking_param("utm", 3) && !ledger_tracking_param("xutm_a", 6), NULL);
}

/* The scheme a URL starts with: the one reading of it, for the ledger's
 * keys and for the references that are URLs of their own. */
static void test_scheme(void)
{
	static const struct { const char *s; size_t n, len; } cases[] = {
		{ "https://x", 9, 5 }, { "a+b-c.d:x", 9, 7 }, { "x:", 2, 1 },
		{ "HTTP:", 5, 4 }, { "1ab:x", 5, 0 }, { "+a:x", 4, 0 }, { "a_b:c", 5, 0 },
		{ "ab", 2, 0 }, { "ab:", 2, 0 }, { ":x", 2, 0 }, { "", 0, 0 },
		{ "\xc3\xa9:x", 4, 0 }, { "a b:x", 5, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char name[80];
		snprintf(name, sizeof name, "scheme of '%.*s'", (int)cases[i].n, cases[i].s);
		expect_long(name, (long)cases[i].len, (long)util_scheme_len(cases[i].s, cases[i].n));
		if (strlen(cases[i].s) == cases[i].n)
			expect_long(name, cases[i].len != 0, util_has_scheme(cases[i].s));
	}
}

static void test_index(void)
{
	struct ledger l = LEDGER_INIT;
	ledger_add(&l, &(struct ledger_entry){ .url = "https://a.example/x", .issue = 1,
		.file = "issues/001.md", .line = 8, .col = 4, .kind = LEDGER_ITEM });
	ledger_add(&l, &(struct ledger_entry){ .url = "https://b.example/", .issue = 1,
		.file = "issues/001.md", .line = 9, .col = 1, .kind = LEDGER_LINK });
	ledger_add(&l, &(struct ledger_entry){ .url = "http://A.example/x/", .issue = 2,
		.file = "issues/002.md", .section = "articles", .line = 12, .col = 4 });
	const struct ledger_entry *e = first(&l, "https://a.example/x?utm_medium=mail");
	expect_that("index: first place of a URL",
		    e && e->issue == 1 && e->line == 8 && strcmp(e->file, "issues/001.md") == 0, NULL);
	e = e ? ledger_next(&l, e) : NULL;
	expect_that("index: next place, as written", e && e->issue == 2 &&
		    strcmp(e->url, "http://A.example/x/") == 0 && strcmp(e->section, "articles") == 0,
		    NULL);
	expect_that("index: no third place", e && !ledger_next(&l, e), NULL);
	expect_that("index: unknown URL", !first(&l, "https://c.example/"), NULL);
	ledger_release(&l);
}

static void test_many(void)
{
	struct ledger l = LEDGER_INIT;
	char url[64];
	for (int i = 0; i < 20000; i++) {
		snprintf(url, sizeof url, "https://example.com/post/%d", i);
		ledger_add(&l, &(struct ledger_entry){ .url = url, .issue = i, .line = 1 });
	}
	int found = 0;
	for (int i = 0; i < 20000; i++) {
		snprintf(url, sizeof url, "http://EXAMPLE.com/post/%d/", i);
		const struct ledger_entry *e = first(&l, url);
		found += e && e->issue == i && !ledger_next(&l, e);
	}
	expect_that("index: 20000 URLs, each found once", found == 20000 && l.len == 20000, NULL);
	ledger_release(&l);
}

static void test_issue(void)
{
	static const char src[] =
		"---\nnumber: 3\ndate: 2023-05-27\n---\n\n## Articles\n\n"
		"1. [A](https://a.example/) (note)\n\nSee [B](https://b.example/).\n\n"
		"![C](https://c.example/c.png)\n";
	struct newsletter n = { 0 };
	diag_list d = DIAG_LIST_INIT;
	struct issue *is = issue_parse(&n, "issues/003.md", src, sizeof src - 1, &d);
	struct ledger l = LEDGER_INIT;
	ledger_add_issue(&l, &n, is, 3);
	int ok = l.len == 3 && l.entries[0].kind == LEDGER_ITEM && l.entries[0].line == 8 &&
		l.entries[0].col == 4 && l.entries[0].item == 0 && l.entries[1].kind == LEDGER_LINK &&
		l.entries[1].line == 10 && l.entries[2].kind == LEDGER_IMAGE &&
		l.entries[2].issue == 3 && strcmp(l.entries[2].file, "issues/003.md") == 0;
	expect_that("an issue's links: item, link, image, with positions", ok, NULL);
	ledger_release(&l);
	issue_free(is);
	diag_release(&d);
}

/* ledger_add_new: each key kept once, the first place of it answered, over
 * enough URLs to grow the index; the key given, or computed. */
static void test_add_new(void)
{
	struct ledger l = LEDGER_INIT;
	char url[64];
	int added = 0, first_back = 0;
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 500; i++) {
			snprintf(url, sizeof url, round ? "HTTP://example.com/p/%d/" :
				 "https://example.com/p/%d", i);
			char *key = round ? NULL : ledger_key(url); /* the second: computed */
			const struct ledger_entry *e = ledger_add_new(&l, &(struct ledger_entry){
				.url = url, .key = key, .line = round + 1, .issue = i });
			added += !e;
			first_back += e && e->line == 1 && e->issue == i;
			free(key);
		}
	expect_long("add_new: each key added once", 500, added);
	expect_long("add_new: a second form answers the first place", 500, first_back);
	const struct ledger_entry *e = first(&l, "https://example.com/p/7");
	expect_that("add_new: found by its key, with no second place",
		    e && e->issue == 7 && strcmp(e->url, "https://example.com/p/7") == 0 &&
		    !ledger_next(&l, e) && l.len == 500, NULL);
	ledger_release(&l);
}

int main(void)
{
	test_normalize();
	test_key();
	test_scheme();
	test_index();
	test_many();
	test_add_new();
	test_issue();
	return expect_summary();
}
