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
	buf in;      /* what was received of frames not yet whole */
	int broken;  /* sent a frame that does not fit: the rest is ignored */
	size_t after; /* 1 + the input of the last result it sent, 0: none yet */
};

int pool_workers(size_t n)
{
	long cpus = util_env_count("WEEKLY_WORKERS", sysconf(_SC_NPROCESSORS_ONLN));
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
	/* What a job frees stays for the next job: by default malloc maps
	 * big blocks afresh and unmaps them when freed, and gives the top of
	 * the heap back, so that each job that builds a big context (a
	 * season's) pays a page fault per page again; give_back trims. */
	mallopt(M_MMAP_THRESHOLD, POOL_KEEP_FREE);
	mallopt(M_TRIM_THRESHOLD, POOL_KEEP_FREE);
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

/* Results that came before those of every input ahead of them are held
 * until these are taken; past this many bytes held, a worker that is
 * already ahead is not read from (its writes wait in its pipe), so that a
 * slow input does not make the others pile up. */
#define POOL_HOLD ((size_t)256 << 10)

/* A result that came early: input index, its bytes. */
struct early {
	size_t index;
	buf data;
};

/* Where a run stands: the next result to take, and the results that came
 * before it could be taken (a few: workers take inputs in order). */
struct run {
	size_t n, next;
	struct early *held;
	size_t nheld, capheld, bytes;
	pool_take take;
	void *take_arg;
};

/* Where result i is held, or -1. */
static long held_at(const struct run *r, size_t i)
{
	for (size_t k = 0; k < r->nheld; k++)
		if (r->held[k].index == i)
			return (long)k;
	return -1;
}

/* Hold result i, taking data's bytes. */
static void hold(struct run *r, size_t i, buf *data)
{
	xgrow((void **)&r->held, &r->capheld, r->nheld + 1, sizeof *r->held);
	r->held[r->nheld++] = (struct early){ i, *data };
	r->bytes += data->len;
	*data = (buf)BUF_INIT;
}

/* Hand over the results that are complete, in the order of the inputs. */
static void take_ready(struct run *r)
{
	long k;
	while (r->next < r->n && (k = held_at(r, r->next)) >= 0) {
		struct early e = r->held[k];
		r->held[k] = r->held[--r->nheld];
		r->bytes -= e.data.len;
		r->take(r->next++, &e.data, r->take_arg);
		buf_release(&e.data);
	}
}

/* Move the whole frames a worker sent so far to the results. A frame
 * that does not fit the run ends what is read from that worker. */
static void frames(struct worker *wk, struct run *r)
{
	size_t off = 0;
	struct frame f;
	while (wk->in.len - off >= sizeof f) {
		memcpy(&f, wk->in.data + off, sizeof f);
		if (f.index >= r->n || f.index < r->next || held_at(r, f.index) >= 0) {
			wk->broken = 1;
			off = wk->in.len;
			break;
		}
		if (f.len > wk->in.len - off - sizeof f)
			break;
		off += sizeof f;
		buf got = BUF_INIT;
		buf_put(&got, wk->in.data + off, (size_t)f.len);
		hold(r, f.index, &got);
		wk->after = (size_t)f.index + 1;
		off += (size_t)f.len;
	}
	memmove(wk->in.data, wk->in.data + off, wk->in.len - off);
	wk->in.len -= off;
	take_ready(r);
}

/* Whether worker wk may wait: too much is held and it sent a result past
 * the next one, so it is not working on that (a worker takes its inputs
 * in order). */
static int may_wait(const struct worker *wk, const struct run *r)
{
	return r->bytes > POOL_HOLD && wk->after > r->next + 1;
}

/* The workers to read from: those with a pipe open that need not wait;
 * all of those with a pipe open when every one could. */
static size_t listen_to(struct worker *wk, size_t nw, const struct run *r, struct pollfd *p)
{
	size_t open = 0;
	for (int all = 0; all < 2 && !open; all++)
		for (size_t w = 0; w < nw; w++)
			if (wk[w].fd >= 0 && (all || !may_wait(&wk[w], r)))
				p[open++] = (struct pollfd){ .fd = wk[w].fd, .events = POLLIN };
	return open;
}

/* Read from every worker until each has closed its pipe, taking results
 * as they come. */
static void collect(struct worker *wk, size_t nw, struct run *r)
{
	struct pollfd *p = xcalloc(nw, sizeof(*p));
	char chunk[65536];
	for (;;) {
		size_t open = listen_to(wk, nw, r, p);
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
			ssize_t got = read(wk[w].fd, chunk, sizeof chunk);
			if (got > 0 && !wk[w].broken) {
				buf_put(&wk[w].in, chunk, (size_t)got);
				frames(&wk[w], r);
			} else if (got > 0) {
				continue;
			} else if (got == 0 || errno != EINTR) {
				close(wk[w].fd), wk[w].fd = -1;
			}
		}
	}
	free(p);
}

static void reap(struct worker *wk)
{
	int status = 0;
	if (wk->pid > 0)
		while (waitpid(wk->pid, &status, 0) < 0 && errno == EINTR)
			;
	buf_release(&wk->in);
}

void pool_stream(size_t n, int workers, pool_job job, void *arg, pool_take take,
		 void *take_arg)
{
	size_t nw = workers > 1 ? (size_t)workers : 0;
	struct worker *wk = xcalloc(nw ? nw : 1, sizeof(*wk));
	struct run r = { .n = n, .take = take, .take_arg = take_arg };
	for (size_t w = 0; w < nw; w++)
		wk[w].in = (buf)BUF_INIT;
	_Atomic size_t *counter = nw ? mmap(NULL, sizeof *counter, PROT_READ | PROT_WRITE,
					   MAP_SHARED | MAP_ANONYMOUS, -1, 0) : MAP_FAILED;
	if (counter == MAP_FAILED)
		counter = NULL;
	else
		atomic_init(counter, 0);
	if (nw) /* what the heap holds free would count in every worker too */
		malloc_trim(0);
	for (size_t w = 0; w < nw; w++)
		start(wk, counter, w, nw, n, job, arg);
	collect(wk, nw, &r);
	if (counter)
		munmap((void *)counter, sizeof *counter);
	/* after the forks: workers exit without freeing what they inherit */
	for (size_t w = 0; w < nw; w++)
		reap(&wk[w]);
	while (r.next < r.n) { /* inputs no worker finished run here */
		if (held_at(&r, r.next) < 0) {
			buf out = BUF_INIT;
			const char *heap = sbrk(0);
			job(r.next, &out, arg);
			give_back(heap);
			hold(&r, r.next, &out);
		}
		take_ready(&r);
	}
	free(wk);
	free(r.held);
}

/* pool_run's taker: each result is kept where the caller wants it. */
static void keep(size_t i, buf *result, void *results)
{
	((buf *)results)[i] = *result;
	*result = (buf)BUF_INIT;
}

void pool_run(size_t n, int workers, pool_job job, void *arg, buf *results)
{
	for (size_t i = 0; i < n; i++)
		results[i] = (buf)BUF_INIT;
	pool_stream(n, workers, job, arg, keep, results);
}

/* --- a job beside the caller -------------------------------------------- */

struct pool_aside {
	pid_t pid;           /* -1: the job runs in pool_aside_end */
	int fd;              /* the read end of its result */
	pool_job job;
	void *arg;
};

struct pool_aside *pool_aside(int apart, pool_job job, void *arg)
{
	struct pool_aside *a = xcalloc(1, sizeof *a);
	int fds[2];
	*a = (struct pool_aside){ -1, -1, job, arg };
	if (!apart || pipe(fds) < 0)
		return a;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) { /* its result waits in the pipe until it is taken */
		buf r = BUF_INIT;
		close(fds[0]);
		job(0, &r, arg);
		_exit(fs_write_all(fds[1], r.data, r.len) == 0 ? 0 : 1);
	}
	close(fds[1]);
	if (pid < 0)
		close(fds[0]);
	else
		*a = (struct pool_aside){ pid, fds[0], job, arg };
	return a;
}

int pool_aside_end(struct pool_aside *a, buf *out)
{
	int rc = 0, status = 0;
	buf_reset(out);
	if (a->pid < 0) {
		a->job(0, out, a->arg);
		free(a);
		return 0;
	}
	char piece[65536];
	for (ssize_t got; (got = read(a->fd, piece, sizeof piece)) != 0;) {
		if (got > 0)
			buf_put(out, piece, (size_t)got);
		else if (errno != EINTR)
			break;
	}
	close(a->fd);
	while (waitpid(a->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		buf_reset(out);
		rc = -1;
	}
	free(a);
	return rc;
}
