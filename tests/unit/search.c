/* search.c - unit tests of the search index's terms (search_terms) against
 * tests/search/terms.tsv, the table the browser test holds search.js to;
 * and of shards: the same term, the same shard. */
#include <stdlib.h>
#include "expect.h"
#include "weekly/buf.h"
#include "weekly/fsutil.h"
#include "weekly/search.h"

static void join(void *ud, const char *term, size_t len)
{
	buf *b = ud;
	if (b->len)
		buf_putc(b, '|');
	buf_put(b, term, len);
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
		expect(name, tab + 1, got.data ? got.data : "");
		buf_release(&got);
	}
	free(text);
}

static void test_shards(void)
{
	expect_long("a shard is below SEARCH_SHARDS", 1,
		    search_shard("python", 6) < SEARCH_SHARDS);
	/* FNV-1a of "a" is 0xe40c292c: its low ten bits */
	expect_long("the shard of \"a\"", 0x12c, search_shard("a", 1));
	expect_long("the shard of nothing", 0x1c5, search_shard("", 0));
}

int main(void)
{
	test_table("tests/search/terms.tsv");
	test_shards();
	return expect_summary();
}
