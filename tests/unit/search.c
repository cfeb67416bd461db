/* search.c - unit tests of the search index's terms (search_terms) against
 * tests/search/terms.tsv, the table the browser test holds search.js to;
 * and of the hash that picks a term's shard (util_hash32). */
#include <stdlib.h>
#include "expect.h"
#include "weekly/buf.h"
#include "weekly/fsutil.h"
#include "weekly/search.h"
#include "weekly/util.h"

/* The terms joined by |, each followed by "?" when the hash that came with
 * it is not util_hash32 of its bytes. */
static void join(void *ud, const char *term, size_t len, uint32_t hash)
{
	buf *b = ud;
	if (b->len)
		buf_putc(b, '|');
	buf_put(b, term, len);
	if (hash != util_hash32(term, len))
		buf_putc(b, '?');
}

static void test_table(const char *path)
{
	char *text;
	size_t len;
	if (fs_read(path, &text, &len) < 0) {
		expect("the table of terms can be read", path, "(unreadable)");
		return;
	}
	int lineno = 0;
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		char *tab = strchr(line, '\t');
		if (line[0] == '#' || !tab)
			continue;
		buf got = BUF_INIT;
		search_terms(line, (size_t)(tab - line), join, &got);
		char name[64];
		snprintf(name, sizeof name, "%s:%d", path, lineno);
		expect(name, tab + 1, got.data);
		buf_release(&got);
	}
	free(text);
}

static void test_hash(void)
{
	/* FNV-1a, 32 bits: the published values of "" and "a" */
	expect_long("the hash of nothing", 0x811c9dc5L, (long)util_hash32("", 0));
	expect_long("the hash of \"a\"", 0xe40c292cL, (long)util_hash32("a", 1));
}

int main(void)
{
	test_table("tests/search/terms.tsv");
	test_hash();
	return expect_summary();
}
