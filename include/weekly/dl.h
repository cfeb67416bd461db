/* dl.h - the one way weekly loads a library at run time (dlopen), so that
 * only the commands that need it pay for it: a table of the functions it
 * needs, each written into its field of the caller's struct. A library
 * loaded is never closed; one that lacks a function is closed again at
 * once (the caller's fields then point nowhere: it must not use them). */
#ifndef WEEKLY_DL_H
#define WEEKLY_DL_H

#include <stddef.h>

struct dl_sym {
	const char *name; /* the function's name in the library */
	size_t off;       /* offsetof its field in the caller's struct */
	int optional;     /* 1: a library without it still loads (field NULL) */
};

/* Open the library the environment variable env names (when set and not
 * empty) or else deflt, and fill table's fields from syms[0..n). 0, or -1
 * when it cannot be opened and -2 when it lacks a function, with *why
 * "cannot load LABEL: ..." (static storage). */
int dl_load(const char *label, const char *env, const char *deflt,
	    const struct dl_sym *syms, size_t n, void *table, const char **why);

#endif
