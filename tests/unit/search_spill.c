/* search_spill.c - unit tests of the search index's postings set aside
 * (src/search_spill.c): a table whose postings went to the temporary file
 * several times, read back bucket by bucket, holds for every term the same
 * postings, in the same order and with the same commas, as a table that
 * kept them all; and it counts the same bytes (what picks the number of
 * shards). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "expect.h"
#include "../../src/search_int.h"
#include "weekly/util.h"

#define ISSUES 300
#define TERMS 500
#define BUCKETS SEARCH_MAX_SHARDS

/* The term s of tb. */
static struct term *term_of(struct table *tb, const char *s)
{
	return search_table_term(tb, s, strlen(s), util_hash32(s, strlen(s)));
}

/* Issue n (newest first) has some of the terms, each in an item or two
 * ("K!,K" as an issue's record has them, the table making them
 * "N.K!,N.K"): every term is in several issues, some in each of them. */
static void add_issue(struct table *tb, int n)
{
	char line[80];
	for (int k = 0; k < TERMS; k++) {
		if ((n * 7 + k * 13) % (k % 5 + 1))
			continue;
		int two = (n + k) % 2;
		int len = two ? snprintf(line, sizeof line, "w%d\t2\t%d!,%d\n", k, k % 3, k % 3 + 1)
			      : snprintf(line, sizeof line, "w%d\t1\t%d!\n", k, k % 3);
		search_table_lines(tb, line, (size_t)len, n);
	}
}

static void test_round_trip(void)
{
	struct table whole = { .bytes = BUF_INIT }, aside = { .bytes = BUF_INIT };
	search_table_grow(&whole);
	search_table_grow(&aside);
	int spills = 0, ok = 1;
	for (int n = ISSUES; n > 0; n--) {
		add_issue(&whole, n);
		add_issue(&aside, n);
		if (n % 70 == 0 || n == 1) {
			ok &= search_spill(&aside) == 0;
			spills++;
		}
	}
	expect_that("setting postings aside succeeds", ok, NULL);
	expect_long("set aside five times", 5, spills);
	expect_long("the same bytes of postings counted", (long)whole.posted, (long)aside.posted);
	expect_long("none held after the last time", 0, (long)aside.held);
	expect_long("the same terms", (long)whole.n, (long)aside.n);
	size_t same = 0, terms = 0;
	for (unsigned b = 0; b < BUCKETS; b++) {
		ok &= search_spill_load(&aside, b) == 0;
		for (size_t i = 0; i < whole.n; i++) {
			const struct term *w = &whole.t[i];
			if ((w->hash & (BUCKETS - 1)) != b)
				continue;
			struct term *a = search_table_term(&aside, whole.bytes.data + w->off, w->len,
							   w->hash);
			terms++;
			same += a->posts.len == w->posts.len &&
				memcmp(a->posts.data, w->posts.data, w->posts.len) == 0;
			if (a->posts.len != w->posts.len || memcmp(a->posts.data, w->posts.data,
								   w->posts.len))
				expect("the postings of a term read back", w->posts.data,
				       a->posts.data);
		}
	}
	expect_that("reading back succeeds", ok, NULL);
	expect_long("every term read back with its postings", (long)whole.n, (long)same);
	expect_long("every term in one bucket", (long)whole.n, (long)terms);
	search_table_release(&whole);
	search_spill_release(&aside);
	search_table_release(&aside);
}

static void test_nothing_aside(void)
{
	struct table tb = { .bytes = BUF_INIT };
	search_table_grow(&tb);
	add_issue(&tb, 1);
	size_t len = term_of(&tb, "w0")->posts.len;
	expect_long("a table with nothing set aside reads back nothing", 0,
		    search_spill_load(&tb, 0));
	expect_long("its postings are left as they are", (long)len,
		    (long)term_of(&tb, "w0")->posts.len);
	search_table_release(&tb);
}

/* The postings go to a file in $TMPDIR: a folder that is not there is an
 * error, not a file elsewhere. */
static void test_tmpdir(void)
{
	const char *was = getenv("TMPDIR");
	char *keep = was ? strdup(was) : NULL;
	struct table tb = { .bytes = BUF_INIT };
	search_table_grow(&tb);
	add_issue(&tb, 1);
	setenv("TMPDIR", "/nonexistent/weekly-tmp", 1);
	expect_long("TMPDIR a folder that is not there: the postings cannot be set aside", -1,
		    search_spill(&tb));
	if (keep)
		setenv("TMPDIR", keep, 1);
	else
		unsetenv("TMPDIR");
	free(keep);
	search_spill_release(&tb);
	search_table_release(&tb);
}

/* The postings of term s of tb, or "(none)". */
static const char *posts_of(struct table *tb, const char *s)
{
	for (size_t k = 0; k < tb->n; k++)
		if (tb->t[k].len == strlen(s) && !memcmp(tb->bytes.data + tb->t[k].off, s, tb->t[k].len))
			return tb->t[k].posts.data;
	return "(none)";
}

/* Lines as records have them ("K!,K", the issue's number given, or said by
 * a line "<TAB>N" before them) become postings "N.K!,N.K"; the number
 * carries from one piece of lines to the next; a line's count caps what
 * it adds, whatever it holds. */
static void test_numbers(void)
{
	struct table tb = { .bytes = BUF_INIT };
	search_table_grow(&tb);
	const char *one = "alpha\t2\t0!,3\nbeta\t1\t2\n";
	long n = search_table_lines(&tb, one, strlen(one), 15);
	expect_long("the number given stays in effect", 15, n);
	const char *two = "\t14\nalpha\t1\t5!\n\t9\nbeta\t2\t0,1!\ngamma\t1\t7";
	n = search_table_lines(&tb, two, strlen(two), n);
	expect_long("the last number said is in effect at the end", 9, n);
	const char *three = "gamma\t1\t8\nalpha\t1\t4,5,6\nbeta\t3\t2\n";
	search_table_lines(&tb, three, strlen(three), n);
	expect("postings of the numbers in effect, in order", "15.0!,15.3,14.5!,9.4",
	       posts_of(&tb, "alpha"));
	expect("a count larger than the postings adds what there is", "15.2,9.0,9.1!,9.2",
	       posts_of(&tb, "beta"));
	expect("a line without its end, and the next piece", "9.7,9.8", posts_of(&tb, "gamma"));
	expect_long("counts as added", 4, (long)tb.t[0].count);
	expect_long("the postings' bytes counted as the shards have them",
		    (long)(strlen("15.0!,15.3,14.5!,9.4") + strlen("15.2,9.0,9.1!,9.2") +
			   strlen("9.7,9.8")),
		    (long)tb.posted);
	search_table_release(&tb);
}

int main(void)
{
	test_numbers();
	test_round_trip();
	test_nothing_aside();
	test_tmpdir();
	return expect_summary();
}
