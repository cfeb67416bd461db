/* arena.h - memory handed out by a pointer bump and given back all at once.
 *
 * For many small blocks that die together: an issue's template context,
 * the values of the archive page, the strings of the link ledger, and the
 * trees cmark-gfm makes while an issue is read. */
#ifndef WEEKLY_ARENA_H
#define WEEKLY_ARENA_H

#include <stddef.h>

struct arena_chunk;
struct cmark_mem; /* cmark-gfm's allocator, for the parse arena */

struct arena {
	struct arena_chunk *top; /* blocks come from here; older chunks follow */
	unsigned char *last;     /* the newest block of top that has a size */
};

#define ARENA_INIT { NULL, NULL }

/* n bytes, aligned for any type, uninitialised. */
void *arena_alloc(struct arena *a, size_t n);
/* n bytes with no alignment, for strings: packed one after the other. */
char *arena_bytes(struct arena *a, size_t n);
/* A copy of the n bytes at s, with a NUL after them, packed as
 * arena_bytes packs. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Forget every block, keeping the newest (biggest) chunk for reuse
 * unless it is very big. */
void arena_reset(struct arena *a);
/* Give all the memory back. */
void arena_release(struct arena *a);

/* The parse arena: one per process, as cmark-gfm's allocator (its
 * callbacks take no context). Blocks freed in the order they were made
 * are given back; the rest wait for arena_parse_reset, which trees made
 * with it must not outlive. */
struct cmark_mem *arena_parse_mem(void);
void arena_parse_reset(void);

/* Sources bigger than this are parsed with malloc: the parse arena reuses
 * no memory before it is reset, and a hostile source must not make that
 * cost many times its size. */
#define ARENA_MAX_SOURCE (1u << 20)

#endif
