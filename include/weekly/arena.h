/* arena.h - the allocator behind cmark-gfm's trees while an issue is read.
 *
 * Reading an issue makes and drops thousands of small blocks (nodes,
 * buffers, delimiters); from an arena each costs a pointer bump, and they
 * all go at once when the tree is done with. cmark_mem's callbacks take no
 * context, so there is one arena per process: the trees that use it must
 * not outlive the next arena_reset. */
#ifndef WEEKLY_ARENA_H
#define WEEKLY_ARENA_H

#include <stddef.h>
#include <cmark-gfm.h>

/* Sources bigger than this are parsed with malloc: an arena never reuses
 * memory before it is reset, and a hostile source must not make that cost
 * many times its size. */
#define ARENA_MAX_SOURCE (1u << 20)

/* The arena as a cmark-gfm allocator. Blocks freed in the order they were
 * made are given back; others wait for the reset. */
cmark_mem *arena_mem(void);
/* Forget every block; some memory is kept for the next tree. */
void arena_reset(void);

#endif
