/* text.c - unit tests of UTF-8 decoding, double-encoded text, the text
 * check's limits, and dates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/text.h"
#include "weekly/util.h"
#include "weekly/validate.h"
#include "expect.h"

static void test_decode(void)
{
	static const struct { const char *s; size_t len; unsigned long cp; } cases[] = {
		{ "A", 1, 0x41 }, { "\xC3\xA9", 2, 0xE9 }, { "\xE2\x80\xA6", 3, 0x2026 },
		{ "\xF0\x9F\xA6\x84", 4, 0x1F984 }, { "\xF4\x8F\xBF\xBF", 4, 0x10FFFF },
		{ "\xC0\xAF", 0, 0 }, { "\xE0\x80\xAF", 0, 0 }, { "\xED\xA0\x80", 0, 0 },
		{ "\xF4\x90\x80\x80", 0, 0 }, { "\xFF", 0, 0 }, { "\x80", 0, 0 },
		{ "\xE2\x80", 0, 0 }, { "\xC3(", 0, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		unsigned long cp = 0;
		size_t n = util_utf8_decode(cases[i].s, strlen(cases[i].s), &cp);
		char name[64];
		snprintf(name, sizeof name, "utf8 decode case %zu", i + 1);
		expect_that(name, n == cases[i].len && (!n || cp == cases[i].cp), NULL);
	}
	buf b = BUF_INIT;
	buf_put_utf8(&b, 0x1F984);
	buf_put_utf8(&b, 0xE9);
	expect_that("utf8 encode", b.len == 6 && memcmp(b.data, "\xF0\x9F\xA6\x84\xC3\xA9", 6) == 0,
		    NULL);
	buf_release(&b);
}

/* Double-encoded text at the start of the input, and what it meant. */
static const char *const mojibake[][3] = {
	{ "ü¶ÑArticles", "ü¶Ñ", "🦄" },
	{ "\xEF\xA3\xBFüéÅ gift", "\xEF\xA3\xBFüéÅ", "🎁" },
	{ "üêøÔ∏èProjects", "üêøÔ∏è", "🐿️" },
	{ "‚Ä¶ and more", "‚Ä¶", "…" },
	{ "Ã©tÃ©", "Ã©", "é" },
	{ "Ã¼ber", "Ã¼", "ü" },
	{ "â€” dash", "â€”", "—" },
	{ "â€œquoteâ€", "â€œ", "“" },
	{ "√≠rez", "√≠", "í" },
	{ "Âè§ÊòéÂú∞Ëßâ**", "Âè§ÊòéÂú∞Ëßâ", "古明地觉" },
	{ "Â\xC2\xA0x", "Â\xC2\xA0", "\xC2\xA0" },
	{ "â\xC2\x80\xC2\xA6!", "â\xC2\x80\xC2\xA6", "…" },
	{ "–ü—Ä–∏", "–ü—Ä–∏", "При" },
};

/* Real text that must stay unflagged. */
static const char *const real[] = {
	"üçüncü", "üçü de", "“Äpfel”", "—éclair", "«Élise»", "naïve", "café", "Straße",
	"古明地觉", "…", "é", "🦄", "Sebastián Ramírez", "ü¶", "Ã", "voilà…", "©2023",
};

static void test_mojibake(void)
{
	for (size_t i = 0; i < sizeof mojibake / sizeof *mojibake; i++) {
		diag_list d = DIAG_LIST_INIT;
		text_check("t.md", mojibake[i][0], strlen(mojibake[i][0]), &d);
		char name[128], *want = xasprintf("double-encoded text '%s'; did you mean '%s'?",
						  mojibake[i][1], mojibake[i][2]);
		snprintf(name, sizeof name, "double-encoded '%s'", mojibake[i][1]);
		expect_that(name, d.len && d.items[0].col == 1 &&
			    strcmp(d.items[0].rule, "mojibake") == 0 &&
			    strcmp(d.items[0].message, want) == 0,
			    d.len ? d.items[0].message : "nothing");
		free(want);
		diag_release(&d);
	}
	/* after characters that no 8-bit encoding writes, which are passed
	 * over, double-encoded text is still found, where it starts */
	diag_list after = DIAG_LIST_INIT;
	text_check("t.md", "古明地觉：ü¶Ñ", strlen("古明地觉：ü¶Ñ"), &after);
	expect_that("double-encoded after CJK text", after.len == 1 && after.items[0].col == 16 &&
		    strcmp(after.items[0].rule, "mojibake") == 0,
		    after.len ? after.items[0].message : "nothing");
	diag_release(&after);
	for (size_t i = 0; i < sizeof real / sizeof *real; i++) {
		diag_list d = DIAG_LIST_INIT;
		text_check("t.md", real[i], strlen(real[i]), &d);
		char name[128];
		snprintf(name, sizeof name, "real text '%s'", real[i]);
		expect_that(name, d.len == 0, d.len ? d.items[0].message : NULL);
		diag_release(&d);
	}
}

static void test_check(void)
{
	diag_list d = DIAG_LIST_INIT;
	static const char text[] = "ok\nbad \xFF here\nnul \0 here\nCaf‚Ä¶\n";
	text_check("t.md", text, sizeof text - 1, &d);
	expect_that("text check: lines, columns, messages",
		    d.len == 3 && d.items[0].line == 2 && d.items[0].col == 5 &&
		    strcmp(d.items[0].message, "invalid UTF-8 byte 0xff") == 0 &&
	       d.items[1].line == 3 && d.items[1].col == 5 && strcmp(d.items[1].rule, "nul") == 0 &&
	       d.items[2].line == 4 && d.items[2].severity == DIAG_WARNING &&
	       strcmp(d.items[2].message, "double-encoded text '‚Ä¶'; did you mean '…'?") == 0, NULL);
	diag_release(&d);
	buf far = BUF_INIT; /* plain lines longer than a step of the scan before it */
	for (int i = 0; i < 9; i++)
		buf_puts(&far, "a line of plain text, \ttabbed and\r\n");
	buf_puts(&far, "forty-two bytes of plain text, and then a \x01 and \xC3\xA9 \xFF\nend");
	text_check("t.md", far.data, far.len, &d);
	expect_that("text check: a bad byte after long plain lines",
		    d.len == 2 && d.items[0].line == 10 && d.items[0].col == 43 &&
		    strcmp(d.items[0].rule, "xml-char") == 0 && d.items[1].line == 10 &&
		    d.items[1].col == 52 && strcmp(d.items[1].rule, "utf8") == 0, NULL);
	buf_release(&far);
	diag_release(&d);
	buf many = BUF_INIT;
	for (int i = 0; i < 25; i++)
		buf_puts(&many, "\xFF\xFE\n");
	text_check("t.md", many.data, many.len, &d);
	expect_that("text check: one report a line, then a summary",
		    d.len == TEXT_MAX_REPORTS + 1 && d.items[TEXT_MAX_REPORTS].line == 21 &&
		    strcmp(d.items[TEXT_MAX_REPORTS].message, "5 more lines with invalid UTF-8") == 0, NULL);
	buf_release(&many);
	diag_release(&d);
}

static void test_dates(void)
{
	static const char *const good[] = { "2023-08-12", "2024-02-29", "2000-02-29", "1999-12-31" };
	static const char *const bad[] = {
		"2023-02-29", "1900-02-29", "2023-13-01", "2023-00-10", "2023-04-31", "2023-4-1",
		"2023-04-01x", "", "2023/04/01", "20230401", "2023-04-00",
	};
	int ok = 1;
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		ok &= util_is_date(good[i]);
	expect_that("real dates", ok, NULL);
	ok = 1;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ok &= !util_is_date(bad[i]);
	expect_that("dates that are not", ok, NULL);
}

int main(void)
{
	test_decode();
	test_mojibake();
	test_check();
	test_dates();
	return expect_summary();
}
