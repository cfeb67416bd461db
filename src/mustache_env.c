/* mustache_env.c - the template environment: where templates come from and
 * the caches that keep each compiled once. Partials are looked up by name
 * through the env's loader (by default a folder, refusing names that leave
 * it, symlinks and files that are not regular); files by path (tmpl_load).
 * The escaping a template gets follows from its file name's ending. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "weekly/fsutil.h"
#include "weekly/mustache.h"
#include "weekly/util.h"
#include "mustache_int.h"

/* --- the environment and its caches ------------------------------------ */

struct slot *tmpl_table_find(const struct table *tb, const char *k, size_t n)
{
	uint64_t h = util_hash(k, n);
	if (!tb->cap)
		return NULL;
	for (size_t i = h & (tb->cap - 1);; i = (i + 1) & (tb->cap - 1)) {
		struct slot *s = &tb->s[i];
		if (!s->key)
			return NULL;
		if (s->hash == h && s->klen == n && memcmp(s->key, k, n) == 0)
			return s;
	}
}

static void table_put(struct table *tb, char *key, size_t n, uint64_t h, tmpl *t)
{
	size_t i = h & (tb->cap - 1);
	while (tb->s[i].key)
		i = (i + 1) & (tb->cap - 1);
	tb->s[i] = (struct slot){ key, n, h, t };
}

void tmpl_table_add(struct table *tb, const char *k, size_t n, tmpl *t)
{
	if ((tb->n + 1) * 2 > tb->cap) {
		struct table old = *tb;
		tb->cap = old.cap ? old.cap * 2 : 16;
		tb->s = xcalloc(tb->cap, sizeof *tb->s);
		for (size_t i = 0; i < old.cap; i++)
			if (old.s[i].key)
				table_put(tb, old.s[i].key, old.s[i].klen,
					  old.s[i].hash, old.s[i].t);
		free(old.s);
	}
	table_put(tb, xstrndup(k, n), n, util_hash(k, n), t);
	tb->n++;
}

static void table_release(struct table *tb)
{
	for (size_t i = 0; i < tb->cap; i++)
		free(tb->s[i].key);
	free(tb->s);
}

void tmpl_env_free(tmpl_env *env)
{
	if (!env)
		return;
	for (tmpl *t = env->all, *next; t; t = next) {
		next = t->next;
		tmpl_free_one(t);
	}
	table_release(&env->partials);
	table_release(&env->files);
	free(env->dir);
	free(env);
}

/* A partial name stays inside the folder: relative, no "..", no
 * backslash, no NUL. */
static int name_inside(const char *name, size_t n)
{
	if (n == 0 || name[0] == '/' || memchr(name, '\0', n) || memchr(name, '\\', n))
		return 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && name[j] != '/')
			j++;
		if (j - i == 2 && name[i] == '.' && name[i + 1] == '.')
			return 0;
		i = j + 1;
	}
	return 1;
}

int tmpl_file_check(const char *dir, const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return TMPL_FILE_OK; /* missing: reading it says so */
	if (S_ISLNK(st.st_mode))
		return TMPL_FILE_LINK;
	if (!S_ISREG(st.st_mode))
		return TMPL_FILE_SPECIAL;
	char *real = realpath(path, NULL), *top = realpath(dir, NULL);
	size_t tl = top ? strlen(top) : 0;
	int inside = real && top && strncmp(real, top, tl) == 0 &&
		     (real[tl] == '/' || (tl == 1 && top[0] == '/'));
	free(real);
	free(top);
	return inside ? TMPL_FILE_OK : TMPL_FILE_OUTSIDE;
}

const char *tmpl_file_problem(int problem)
{
	static const char *const why[] = {
		[TMPL_FILE_OK] = "can be read",
		[TMPL_FILE_LINK] = "is a symbolic link; templates must be files inside the folder",
		[TMPL_FILE_SPECIAL] = "is not a regular file",
		[TMPL_FILE_OUTSIDE] = "resolves outside the templates folder",
	};
	return why[problem];
}

static int dir_load(void *ud, const char *name, size_t n, char **src,
		    size_t *len, char **file)
{
	const char *dir = ud;
	if (n == 0) {
		*file = xstrdup("empty partial name");
		return -1;
	}
	if (!name_inside(name, n)) {
		*file = xasprintf("partial name '%.*s' leaves the templates folder",
				  shown(n), name);
		return -1;
	}
	size_t dl = strlen(dir);
	int here = strcmp(dir, ".") == 0;
	const char *sep = here || dir[dl - 1] == '/' ? "" : "/";
	char *path = xasprintf("%s%s%.*s.mustache", here ? "" : dir, sep, (int)n, name);
	int problem = tmpl_file_check(dir, path);
	if (problem != TMPL_FILE_OK) {
		free(path);
		*file = xasprintf("partial '%.*s' %s", shown(n), name, tmpl_file_problem(problem));
		return -1;
	}
	if (fs_read(path, src, len) < 0) {
		int e = errno;
		if (e == ENOENT || e == ENOTDIR) {
			free(path);
			return 1;
		}
		*file = xasprintf("cannot read partial '%s': %s", path, strerror(e));
		free(path);
		return -1;
	}
	*file = path;
	return 0;
}

tmpl_env *tmpl_env_new_dir(const char *dir, int escape)
{
	tmpl_env *env = xcalloc(1, sizeof *env);
	env->escape = escape;
	env->dir = xstrdup(dir && *dir ? dir : ".");
	env->load = dir_load;
	env->ud = env->dir;
	return env;
}

int tmpl_escape_for(const char *path)
{
	static const struct { const char *end; int escape; } by_end[] = {
		{ ".md.mustache", TMPL_ESCAPE_NONE }, { ".txt.mustache", TMPL_ESCAPE_NONE },
		{ ".xml.mustache", TMPL_ESCAPE_XML }, { ".json.mustache", TMPL_ESCAPE_JSON },
	};
	size_t n = strlen(path);
	for (size_t i = 0; i < sizeof by_end / sizeof *by_end; i++) {
		size_t k = strlen(by_end[i].end);
		if (n >= k && strcmp(path + n - k, by_end[i].end) == 0)
			return by_end[i].escape;
	}
	return TMPL_ESCAPE_HTML;
}


tmpl *tmpl_loaded(tmpl_env *env, const char *path)
{
	size_t n = strlen(path);
	struct slot *sl = tmpl_table_find(&env->files, path, n);
	return sl ? sl->t : NULL;
}

tmpl *tmpl_load(tmpl_env *env, const char *path, diag_list *d)
{
	size_t n = strlen(path), len;
	struct slot *sl = tmpl_table_find(&env->files, path, n);
	char *src;
	if (sl)
		return sl->t;
	if (fs_read(path, &src, &len) < 0) {
		int e = errno;
		diag_add(d, DIAG_ERROR, path, 0, 0, "template", "cannot read '%s': %s",
			 path, strerror(e));
		errno = e;
		return NULL;
	}
	tmpl *t = tmpl_compile(env, path, src, len, d);
	free(src);
	if (t)
		tmpl_table_add(&env->files, path, n, t);
	return t;
}
