/* arena.c - a bump allocator in chunks, for cmark-gfm (see arena.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/arena.h"
#include "weekly/util.h"

#define CHUNK_MIN (256u << 10)
#define ALIGN 16u
#define KEEP_MAX (4u << 20)

/* Each block is preceded by its size, in a header of ALIGN bytes. */
struct chunk {
	struct chunk *prev;
	size_t size, used;
	_Alignas(ALIGN) unsigned char data[];
};

static struct chunk *top;  /* the chunk blocks come from; older ones by prev */
static unsigned char *last; /* the newest block of top, NULL if none */

static size_t round_up(size_t n)
{
	return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

static size_t *header(void *p)
{
	return (size_t *)((unsigned char *)p - ALIGN);
}

static void new_chunk(size_t need)
{
	size_t size = top && top->size * 2 > CHUNK_MIN ? top->size * 2 : CHUNK_MIN;
	if (size < need)
		size = need;
	struct chunk *c = xmalloc(sizeof *c + size);
	c->prev = top;
	c->size = size;
	c->used = 0;
	top = c;
}

static void *take(size_t n)
{
	if (n > SIZE_MAX - 2 * ALIGN) {
		xmalloc(SIZE_MAX); /* does not return */
		return NULL;
	}
	size_t need = ALIGN + round_up(n);
	if (!top || top->size - top->used < need)
		new_chunk(need);
	unsigned char *p = top->data + top->used + ALIGN;
	top->used += need;
	*header(p) = n;
	last = p;
	return p;
}

static void *arena_calloc(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return take(SIZE_MAX);
	void *p = take(count * size);
	memset(p, 0, count * size);
	return p;
}

/* A block shrinks in place; the newest grows in place when its chunk has
 * room. */
static void *arena_realloc(void *p, size_t n)
{
	if (!p)
		return take(n);
	size_t old = *header(p);
	if (n <= old) {
		*header(p) = n;
		return p;
	}
	if (p == last && n <= SIZE_MAX - 2 * ALIGN &&
	    round_up(n) - round_up(old) <= top->size - top->used) {
		top->used += round_up(n) - round_up(old);
		*header(p) = n;
		return p;
	}
	void *q = take(n);
	memcpy(q, p, old < n ? old : n);
	return q;
}

static void arena_free(void *p)
{
	if (p && p == last) {
		top->used = (size_t)((unsigned char *)p - top->data) - ALIGN;
		last = NULL;
	}
}

cmark_mem *arena_mem(void)
{
	static cmark_mem mem = { arena_calloc, arena_realloc, arena_free };
	return &mem;
}

/* The newest chunk is the biggest: it stays, unless a big source made it
 * bigger than KEEP_MAX. */
void arena_reset(void)
{
	while (top && top->prev) {
		struct chunk *c = top->prev;
		top->prev = c->prev;
		free(c);
	}
	if (top && top->size > KEEP_MAX) {
		free(top);
		top = NULL;
	}
	if (top)
		top->used = 0;
	last = NULL;
}
