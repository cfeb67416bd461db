/* pool.c - one job per input, spread over forked worker processes. */
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "weekly/fsutil.h"
#include "weekly/pool.h"

/* Free heap a worker keeps between jobs before it gives memory back. */
#define POOL_KEEP_FREE (32u << 20)
#include "weekly/util.h"

/* A worker sends each result as a frame: input index, length, bytes. */
struct frame {
	uint64_t index, len;
};

struct worker {
	pid_t pid;   /* 0: never started */
	int fd;      /* read end, -1 once closed */
	buf in;      /* every frame received */
};

int pool_workers(size_t n)
{
	const char *env = getenv("WEEKLY_WORKERS");
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (env && *env) {
		char *end;
		long w = strtol(env, &end, 10);
		if (!*end && w >= 1)
			cpus = w;
	}
	if (cpus > POOL_MAX_WORKERS)
		cpus = POOL_MAX_WORKERS;
	if (cpus < 1 || n < 16)
		return 1;
	return (int)cpus;
}

int pool_fit(int workers, size_t job_bytes)
{
	size_t most = job_bytes ? POOL_MEMORY / job_bytes : (size_t)workers;
	return most < 1 ? 1 : most < (size_t)workers ? (int)most : workers;
}

/* The next input a worker takes: from the counter all workers share, so
 * that none idles while another has inputs left; or, without one, every
 * nw-th input from w. */
static size_t next_input(_Atomic size_t *counter, size_t i, size_t nw)
{
	return counter ? atomic_fetch_add(counter, 1) : i + nw;
}

/* Give memory back to the system when a job grew the heap much past
 * where it started (the program break, at hand without a system call), as
 * a big issue does: trimming after every job would cost each next job the
 * page faults of growing the heap again, and asking malloc how much is
 * free (mallinfo) walks all of it. */
static void give_back(const char *start)
{
	if ((size_t)((char *)sbrk(0) - start) > POOL_KEEP_FREE)
		malloc_trim(0);
}

/* In the child: inputs frame by frame until none is left, then exit,
 * freeing the workers' table it inherited (all its own memory else dies with
 * the jobs). */
static void work(int fd, _Atomic size_t *counter, size_t w, size_t nw, size_t n,
		 pool_job job, void *arg, struct worker *inherited)
{
	int rc = 0;
	for (size_t i = counter ? atomic_fetch_add(counter, 1) : w; i < n && rc == 0;
	     i = next_input(counter, i, nw)) {
		buf r = BUF_INIT;
		const char *heap = sbrk(0);
		job(i, &r, arg);
		struct frame f = { i, r.len };
		rc = fs_write_all(fd, (const char *)&f, sizeof f);
		if (rc == 0 && r.len)
			rc = fs_write_all(fd, r.data, r.len);
		buf_release(&r);
		give_back(heap); /* the next job starts from what this one left */
	}
	free(inherited);
	_exit(rc == 0 ? 0 : 1);
}

static void start(struct worker *all, _Atomic size_t *counter, size_t w, size_t nw, size_t n,
		  pool_job job, void *arg)
{
	struct worker *wk = &all[w];
	int fds[2];
	wk->fd = -1;
	if (pipe(fds) < 0)
		return;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		work(fds[1], counter, w, nw, n, job, arg, all);
	}
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return;
	}
	wk->pid = pid;
	wk->fd = fds[0];
}

/* Read from every worker until each has closed its pipe. */
static void collect(struct worker *wk, size_t nw)
{
	struct pollfd *p = xcalloc(nw, sizeof(*p));
	char chunk[65536];
	for (;;) {
		size_t open = 0;
		for (size_t w = 0; w < nw; w++)
			if (wk[w].fd >= 0)
				p[open++] = (struct pollfd){ .fd = wk[w].fd, .events = POLLIN };
		if (!open || (poll(p, open, -1) < 0 && errno != EINTR))
			break;
		for (size_t w = 0; w < nw; w++) {
			if (wk[w].fd < 0)
				continue;
			size_t k = 0;
			while (k < open && p[k].fd != wk[w].fd)
				k++;
			if (k == open || !p[k].revents)
				continue;
			ssize_t r = read(wk[w].fd, chunk, sizeof chunk);
			if (r > 0)
				buf_put(&wk[w].in, chunk, (size_t)r);
			else if (r == 0 || errno != EINTR)
				close(wk[w].fd), wk[w].fd = -1;
		}
	}
	free(p);
}

/* Hand a worker's frames to results; a worker that died keeps only the
 * frames it finished. */
static void unpack(struct worker *wk, size_t n, buf *results, char *done)
{
	int status = 0;
	if (wk->pid > 0)
		while (waitpid(wk->pid, &status, 0) < 0 && errno == EINTR)
			;
	size_t off = 0;
	struct frame f;
	while (wk->in.len - off >= sizeof f) {
		memcpy(&f, wk->in.data + off, sizeof f);
		off += sizeof f;
		if (f.index >= n || f.len > wk->in.len - off)
			break;
		buf_put(&results[f.index], wk->in.data + off, (size_t)f.len);
		done[f.index] = 1;
		off += (size_t)f.len;
	}
	buf_release(&wk->in);
}

void pool_run(size_t n, int workers, pool_job job, void *arg, buf *results)
{
	size_t nw = workers > 1 ? (size_t)workers : 0;
	struct worker *wk = xcalloc(nw ? nw : 1, sizeof(*wk));
	for (size_t i = 0; i < n; i++)
		results[i] = (buf)BUF_INIT;
	for (size_t w = 0; w < nw; w++)
		wk[w].in = (buf)BUF_INIT;
	_Atomic size_t *counter = nw ? mmap(NULL, sizeof *counter, PROT_READ | PROT_WRITE,
					   MAP_SHARED | MAP_ANONYMOUS, -1, 0) : MAP_FAILED;
	if (counter == MAP_FAILED)
		counter = NULL;
	else
		atomic_init(counter, 0);
	for (size_t w = 0; w < nw; w++)
		start(wk, counter, w, nw, n, job, arg);
	collect(wk, nw);
	if (counter)
		munmap((void *)counter, sizeof *counter);
	/* after the forks: workers exit without freeing what they inherit */
	char *done = xcalloc(n ? n : 1, 1);
	for (size_t w = 0; w < nw; w++)
		unpack(&wk[w], n, results, done);
	for (size_t i = 0; i < n; i++)
		if (!done[i]) {
			const char *heap = sbrk(0);
			job(i, &results[i], arg);
			give_back(heap);
		}
	free(wk);
	free(done);
}
