/* expect.h - what the C unit tests share: a string comparison that prints
 * "PASS name" or "FAIL name" with both sides, a number comparison, a
 * condition, and the closing summary line tests/run reads. Included once,
 * by a test's own file. */
#ifndef WEEKLY_TEST_EXPECT_H
#define WEEKLY_TEST_EXPECT_H

#include <stdio.h>
#include <string.h>

static int passed, failed;

static inline void expect(const char *name, const char *want, const char *got)
{
	if (strcmp(want, got ? got : "(null)") == 0) {
		passed++;
		printf("PASS %s\n", name);
	} else {
		failed++;
		printf("FAIL %s:\n  want '%s'\n  got  '%s'\n", name, want, got ? got : "(null)");
	}
}

static inline void expect_long(const char *name, long want, long got)
{
	char w[32], g[32];
	snprintf(w, sizeof w, "%ld", want);
	snprintf(g, sizeof g, "%ld", got);
	expect(name, w, g);
}

/* A condition: PASS, or FAIL with detail (NULL: none). */
static inline void expect_that(const char *name, int ok, const char *detail)
{
	if (ok) {
		passed++;
		printf("PASS %s\n", name);
	} else {
		failed++;
		printf("FAIL %s%s%s\n", name, detail ? ": " : "", detail ? detail : "");
	}
}

/* Print the summary; the test's exit status. */
static inline int expect_summary(void)
{
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}

#endif
