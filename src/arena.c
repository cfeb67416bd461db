/* arena.c - a bump allocator in chunks (see arena.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmark-gfm.h>
#include "weekly/arena.h"
#include "weekly/util.h"

#define CHUNK_MIN (64u << 10)
#define CHUNK_MAX (1u << 20)
#define ALIGN 16u
#define KEEP_MAX (4u << 20)

struct arena_chunk {
	struct arena_chunk *prev;
	size_t size, used;
	_Alignas(ALIGN) unsigned char data[];
};

/* Chunks double up to CHUNK_MAX, so that a big tree needs few of them and
 * the last one wastes little. */
static void new_chunk(struct arena *a, size_t need)
{
	size_t size = a->top && a->top->size * 2 > CHUNK_MIN ? a->top->size * 2 : CHUNK_MIN;
	if (size > CHUNK_MAX)
		size = CHUNK_MAX;
	if (size < need)
		size = need;
	struct arena_chunk *c = xmalloc(sizeof *c + size);
	c->prev = a->top;
	c->size = size;
	c->used = 0;
	a->top = c;
}

/* n bytes at the start of a new chunk. */
static void *carve_new(struct arena *a, size_t n)
{
	if (n > SIZE_MAX - sizeof(struct arena_chunk) - ALIGN)
		return xmalloc(SIZE_MAX); /* fails: out of memory */
	new_chunk(a, n);
	a->top->used = n;
	a->last = NULL;
	return a->top->data;
}

/* n bytes at the next multiple of align (a power of two) in top: inline,
 * since cmark-gfm and the contexts take many small blocks. */
static inline __attribute__((always_inline)) void *carve(struct arena *a, size_t n, size_t align)
{
	struct arena_chunk *c = a->top;
	size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
	if (!c || at > c->size || c->size - at < n)
		return carve_new(a, n);
	c->used = at + n;
	a->last = NULL;
	return c->data + at;
}

void *arena_alloc(struct arena *a, size_t n)
{
	return carve(a, n, ALIGN);
}

char *arena_bytes(struct arena *a, size_t n)
{
	return carve(a, n, 1);
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *c = carve(a, n + 1, 1);
	memcpy(c, s, n);
	c[n] = '\0';
	return c;
}

void arena_reset(struct arena *a)
{
	while (a->top && a->top->prev) {
		struct arena_chunk *c = a->top->prev;
		a->top->prev = c->prev;
		free(c);
	}
	if (a->top && a->top->size > KEEP_MAX) {
		free(a->top);
		a->top = NULL;
	}
	if (a->top)
		a->top->used = 0;
	a->last = NULL;
}

void arena_release(struct arena *a)
{
	arena_reset(a);
	free(a->top);
	a->top = NULL;
}

/* --- the parse arena, for cmark-gfm ---------------------------------------- */

/* cmark-gfm reallocates, so its blocks carry their size in a header of
 * ALIGN bytes before them. */
static struct arena parse = ARENA_INIT;

static size_t *header(void *p)
{
	return (size_t *)((unsigned char *)p - ALIGN);
}

static void *take(size_t n)
{
	if (n > SIZE_MAX - 2 * ALIGN)
		return xmalloc(SIZE_MAX); /* fails: out of memory */
	unsigned char *p = (unsigned char *)arena_alloc(&parse, ALIGN + n) + ALIGN;
	*header(p) = n;
	parse.last = p;
	return p;
}

static void *parse_calloc(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return xmalloc(SIZE_MAX);
	void *p = take(count * size);
	memset(p, 0, count * size);
	return p;
}

/* A block shrinks in place; the newest grows in place when its chunk has
 * room. */
static void *parse_realloc(void *p, size_t n)
{
	if (!p)
		return take(n);
	size_t old = *header(p);
	if (n <= old) {
		*header(p) = n;
		return p;
	}
	struct arena_chunk *top = parse.top;
	size_t at = p == parse.last ? (size_t)((unsigned char *)p - top->data) : 0;
	if (p == parse.last && n <= top->size - at) {
		top->used = at + n;
		*header(p) = n;
		return p;
	}
	void *q = take(n);
	memcpy(q, p, old);
	return q;
}

static void parse_free(void *p)
{
	if (p && p == parse.last) {
		parse.top->used = (size_t)((unsigned char *)p - parse.top->data) - ALIGN;
		parse.last = NULL;
	}
}

cmark_mem *arena_parse_mem(void)
{
	static cmark_mem mem = { parse_calloc, parse_realloc, parse_free };
	return &mem;
}

void arena_parse_reset(void)
{
	arena_reset(&parse);
}
