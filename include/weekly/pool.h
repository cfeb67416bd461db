/* pool.h - run one job per input in worker processes, for work that is
 * independent per input and heavy next to its result, like parsing every
 * issue of an archive (cmark-gfm keeps global parser state, so threads
 * cannot share it).
 *
 * A worker is a fork of the caller: it sees the caller's memory as it was
 * when pool_run began, its own changes are lost, and only the bytes each job
 * writes come back. Jobs must not write to stdio. */
#ifndef WEEKLY_POOL_H
#define WEEKLY_POOL_H

#include <stddef.h>
#include "buf.h"

#define POOL_MAX_WORKERS 8
/* What the workers of a run may hold in memory together. */
#define POOL_MEMORY ((size_t)256 << 20)

/* Write the result of input i to out. */
typedef void (*pool_job)(size_t i, buf *out, void *arg);

/* How many workers n inputs are worth: one per processor online (at most
 * POOL_MAX_WORKERS, or WEEKLY_WORKERS from the environment), and 1 for a
 * handful of inputs. */
int pool_workers(size_t n);

/* workers, or fewer when each job may take job_bytes of memory, so that
 * together they stay within POOL_MEMORY; at least 1. */
int pool_fit(int workers, size_t job_bytes);

/* Run job for every input i < n, leaving its result in results[i] (room
 * for n bufs, made empty here, that the caller releases afterwards).
 * Workers take the next input as they finish one, so uneven inputs keep
 * them all busy. With workers <= 1, or for the inputs no worker finished
 * (one could not start, or died), jobs run in this process. */
void pool_run(size_t n, int workers, pool_job job, void *arg, buf *results);

/* Take the result of input i; what is left in result is released after. */
typedef void (*pool_take)(size_t i, buf *result, void *take_arg);

/* As pool_run, but each result is handed to take as soon as it and those
 * of every input before it are done, in the order of the inputs, so that
 * only the results that came early are held at once. */
void pool_stream(size_t n, int workers, pool_job job, void *arg, pool_take take,
		 void *take_arg);

/* One job (input 0) run beside the caller, in a worker of its own, while
 * the caller goes on: begun by pool_aside, its result taken by
 * pool_aside_end, which waits for it. Not apart, or with no process to
 * run it in, the job runs in pool_aside_end. */
struct pool_aside;
struct pool_aside *pool_aside(int apart, pool_job job, void *arg);
/* The result of a's job into out (empty, and -1 returned, when its worker
 * died); a is freed. */
int pool_aside_end(struct pool_aside *a, buf *out);

#endif
