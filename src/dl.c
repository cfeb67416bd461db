/* dl.c - libraries loaded at run time: see dl.h. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/dl.h"

int dl_load(const char *label, const char *env, const char *deflt,
	    const struct dl_sym *syms, size_t n, void *table, const char **why)
{
	static _Thread_local char msg[512]; /* libcurl may load on a thread of its own */
	const char *name = getenv(env);
	void *h = dlopen(name && *name ? name : deflt, RTLD_NOW | RTLD_LOCAL);
	*why = msg;
	if (!h) {
		snprintf(msg, sizeof msg, "cannot load %s: %s", label, dlerror());
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		void *p = dlsym(h, syms[i].name);
		if (!p && !syms[i].optional) {
			snprintf(msg, sizeof msg, "cannot load %s: %s is missing", label,
				 syms[i].name);
			dlclose(h);
			return -2;
		}
		memcpy((char *)table + syms[i].off, &p, sizeof p);
	}
	*why = NULL;
	return 0;
}
