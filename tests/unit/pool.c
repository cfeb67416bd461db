/* pool.c - unit tests of the worker-process pool: every result in its
 * place, big results, and the input of a worker that dies redone here;
 * a job run aside while the caller goes on. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "weekly/pool.h"
#include "expect.h"

static pid_t parent;

/* Input i's result: i and the process that made it ("here" or "there"). */
static void square(size_t i, buf *out, void *arg)
{
	size_t die = *(size_t *)arg;
	if (i == die && getpid() != parent)
		raise(SIGKILL);
	buf_printf(out, "%zu:%s", i * i, getpid() == parent ? "here" : "there");
}

/* A result of about 200 KB, more than a pipe holds. */
static void big(size_t i, buf *out, void *arg)
{
	(void)arg;
	for (size_t k = 0; k < 20000; k++)
		buf_printf(out, "%09zu\n", i + k);
}

static int results_ok(buf *r, size_t n, size_t die, int workers)
{
	int ok = 1;
	for (size_t i = 0; i < n; i++) {
		char want[64];
		/* workers take inputs as they go: the one a killed worker had
		 * taken is redone here, the others take the rest */
		int lost = i == die;
		const char *where = workers <= 1 || lost ? "here" : "there";
		snprintf(want, sizeof want, "%zu:%s", i * i, where);
		ok &= r[i].data && strcmp(r[i].data, want) == 0;
		buf_release(&r[i]);
	}
	return ok;
}

static void run(const char *name, size_t n, int workers, size_t die)
{
	buf *r = calloc(n, sizeof(*r));
	pool_run(n, workers, square, &die, r);
	expect_that(name, results_ok(r, n, die, workers), NULL);
	free(r);
}

/* Counts its calls in *arg, here or in a worker (through the result). */
static void counted(size_t i, buf *out, void *arg)
{
	(void)i;
	(*(int *)arg)++;
	buf_puts(out, "ran");
}

/* No inputs: no job runs, here or in a worker, and the results array is
 * not touched (a sentinel right where results[0] would be stays as it is). */
static void run_none(void)
{
	int calls = 0;
	buf sentinel = { 0 };
	buf_puts(&sentinel, "untouched");
	pool_run(0, 4, counted, &calls, &sentinel);
	expect_that("no inputs: no job runs, no result written",
		    calls == 0 && strcmp(sentinel.data, "untouched") == 0 && sentinel.len == 9, NULL);
	buf_release(&sentinel);
}

static void run_big(void)
{
	buf r[6] = { 0 };
	pool_run(6, 3, big, NULL, r);
	int ok = 1;
	for (size_t i = 0; i < 6; i++) {
		char first[16];
		snprintf(first, sizeof first, "%09zu\n", i);
		ok &= r[i].len == 200000 && strncmp(r[i].data, first, 10) == 0;
		buf_release(&r[i]);
	}
	expect_that("results larger than a pipe, from three workers at once", ok, NULL);
}

/* A job beside this process: its result, whether it ran apart or here,
 * one larger than a pipe holds, and none from one that died. */
static void run_aside(void)
{
	size_t none = (size_t)-1, die = 0;
	buf r = BUF_INIT;
	struct pool_aside *a = pool_aside(1, square, &none);
	int rc = pool_aside_end(a, &r);
	expect_that("aside: its result, made apart", rc == 0 && r.data && !strcmp(r.data, "0:there"),
		    r.data);
	rc = pool_aside_end(pool_aside(0, square, &none), &r);
	expect_that("aside, not apart: made here", rc == 0 && r.data && !strcmp(r.data, "0:here"),
		    r.data);
	rc = pool_aside_end(pool_aside(1, big, NULL), &r);
	expect_that("aside: a result larger than a pipe, whole",
		    rc == 0 && r.len == 200000 && !strncmp(r.data, "000000000\n", 10), NULL);
	rc = pool_aside_end(pool_aside(1, square, &die), &r);
	expect_that("aside: its worker killed, no result", rc == -1 && r.len == 0, r.data);
	buf_release(&r);
}

int main(void)
{
	parent = getpid();
	run("one process: every result in its place", 100, 1, (size_t)-1);
	run("four workers: every result in its place", 100, 4, (size_t)-1);
	run("a worker killed midway: its input redone here", 100, 4, 41);
	run("more workers than inputs", 3, 8, (size_t)-1);
	run_none();
	run_big();
	run_aside();
	setenv("WEEKLY_WORKERS", "3", 1);
	expect_long("WEEKLY_WORKERS sets the number of workers", 3, pool_workers(100));
	expect_long("a handful of inputs stays in one process", 1, pool_workers(5));
	setenv("WEEKLY_WORKERS", "99", 1);
	expect_long("at most POOL_MAX_WORKERS", POOL_MAX_WORKERS, pool_workers(100));
	return expect_summary();
}
