/* simd.c - unit tests of the vector scans of texts on the path util_simd
 * chose (tests/simd.sh runs this file on each path): util_masks against a
 * lookup of one byte at a time, every length up to the most it takes and
 * at four alignments; and text_check of one unusual byte at every column
 * of a line long enough for several steps of its scan. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/text.h"
#include "weekly/util.h"
#include "expect.h"

static const char *const level_name[] = { "none", "ssse3", "avx2" };

/* A byte of the test texts: often one of set, else any byte but NUL. */
static unsigned char next_byte(uint32_t *seed, const char *set)
{
	*seed = *seed * 1103515245u + 12345u;
	uint32_t r = *seed >> 16;
	size_t nset = strlen(set);
	return r % 4 == 0 ? (unsigned char)set[r / 4 % nset] : (unsigned char)(1 + r % 255);
}

static int masks_agree(const struct util_byteset *b, const char *s, size_t n)
{
	uint16_t masks[UTIL_MASKS_MAX];
	memset(masks, 0xAA, sizeof masks);
	util_masks(b, s, n, masks);
	for (size_t j = 0; j * 16 < n; j++)
		for (size_t k = 0; k < 16; k++) {
			int want = 16 * j + k < n && s[16 * j + k] && strchr(b->set, s[16 * j + k]);
			if (((masks[j] >> k) & 1) != want)
				return 0;
		}
	return 1;
}

static void test_masks(void)
{
	static const char *const sets[] = { "*_`[]<>!\\&\n", "\x80\xE4\xFF", "abc", "\x01\x7F\t",
					    "\xC3\xA9\xE3\x80\x81" };
	char text[16 * UTIL_MASKS_MAX + 3];
	uint32_t seed = 7;
	for (size_t i = 0; i < sizeof sets / sizeof *sets; i++) {
		struct util_byteset b;
		util_byteset(&b, sets[i]);
		int ok = 1;
		for (size_t n = 0; n <= 16 * UTIL_MASKS_MAX && ok; n++)
			for (size_t at = 0; at < 4 && ok; at++) {
				for (size_t k = 0; k < n; k++)
					text[at + k] = (char)next_byte(&seed, sets[i]);
				ok = masks_agree(&b, text + at, n);
			}
		char name[96];
		snprintf(name, sizeof name, "util_masks (%s), set %zu: each bit as one byte's lookup",
			 level_name[util_simd()], i + 1);
		expect_that(name, ok, NULL);
	}
}

static void test_text_columns(void)
{
	/* U+007F is a character of XML 1.0 */
	static const char *const bytes[] = { "\x01", "\x1F", "\xFF", "\x7F", "\xC3\xA9", "\t", "\r" };
	static const char *const rules[] = { "xml-char", "xml-char", "utf8", NULL, NULL, NULL, NULL };
	int ok = 1;
	for (size_t b = 0; b < sizeof bytes / sizeof *bytes; b++)
		for (size_t col = 0; col < 100 && ok; col++) {
			buf t = BUF_INIT;
			buf_puts(&t, "first line\n");
			for (size_t k = 0; k < col; k++)
				buf_putc(&t, (char)('a' + k % 26));
			buf_puts(&t, bytes[b]);
			buf_puts(&t, " and plain text after it, long enough for more steps\nlast");
			diag_list d = DIAG_LIST_INIT;
			text_check("t.md", t.data, t.len, &d);
			ok = rules[b] ? d.len == 1 && d.items[0].line == 2 &&
						d.items[0].col == (int)col + 1 &&
						strcmp(d.items[0].rule, rules[b]) == 0
				      : d.len == 0;
			diag_release(&d);
			buf_release(&t);
		}
	char name[96];
	snprintf(name, sizeof name, "text check (%s): an unusual byte at each column 1-100",
		 level_name[util_simd()]);
	expect_that(name, ok, NULL);
}

int main(void)
{
	test_masks();
	test_text_columns();
	return expect_summary();
}
