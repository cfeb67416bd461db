/* mustache_int.h - the compiled form of templates, shared by the compiler
 * (mustache_compile.c), the environment (mustache_env.c) and the renderer
 * (mustache.c). Not part of the engine's interface: everything else sees
 * mustache.h. */
#ifndef WEEKLY_MUSTACHE_INT_H
#define WEEKLY_MUSTACHE_INT_H

#include <stdint.h>
#include "weekly/mustache.h"

#define NONE ((size_t)-1)
#define DELIM_MAX 16
#define SHOW_MAX 60 /* longest name quoted in a message */

enum op_kind { OP_TEXT, OP_VAR, OP_RAW, OP_SECTION, OP_INVERTED, OP_PARTIAL,
	       OP_PARENT, OP_BLOCK };
enum { F_BOL = 1, F_STANDALONE = 2, F_DYNAMIC = 4 };

struct op {
	unsigned char kind, flags;
	unsigned short nseg;   /* parts of a dotted name; 0 for "." */
	uint32_t line, col;    /* of the tag */
	uint32_t off, len;     /* the text, or the name as written */
	uint32_t seg;          /* first part of the dotted name in segs */
	uint32_t end;          /* index past the op and its body */
	uint32_t ind, indlen;  /* indentation it adds, as a span of src */
};

/* A part of a dotted name, and where it was last found, where lookups
 * look first (maps made alike hold it at the same place). */
struct seg { uint32_t off, len; struct value_hint hint; };

struct tmpl {
	tmpl *next;            /* every template of the env, for freeing */
	char *file, *src;
	size_t len;
	struct op *ops;
	size_t nops, capops;
	struct seg *segs;
	size_t nsegs, capsegs;
};

/* Where partials come from. load returns 0 and sets *src and *len (a fresh
 * buffer the engine frees) and *file (a fresh display name for diagnostics,
 * freed by the engine); returns 1 when there is no such partial; returns -1
 * when the name is refused, with *file set to a fresh message. */
typedef int (*tmpl_load_fn)(void *ud, const char *name, size_t namelen,
			    char **src, size_t *len, char **file);

struct slot { char *key; size_t klen; uint64_t hash; tmpl *t; };
struct table { struct slot *s; size_t cap, n; };

struct tmpl_env {
	int escape;
	tmpl_load_fn load;
	void *ud;
	char *dir;
	struct table partials; /* name -> template, or NULL when missing */
	struct table files;    /* path -> template (tmpl_load) */
	tmpl *all;
};

/* How much of a name a message quotes. */
static inline int shown(size_t n) { return (int)(n < SHOW_MAX ? n : SHOW_MAX); }

/* The env's tables: the slot of a key, or NULL; add a key (copied). */
struct slot *tmpl_table_find(const struct table *tb, const char *k, size_t n);
void tmpl_table_add(struct table *tb, const char *k, size_t n, tmpl *t);

/* Free one template (not its environment's caches). */
void tmpl_free_one(tmpl *t);

#endif
