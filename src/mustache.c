/* mustache.c - the template engine: Mustache compiled once into a flat array
 * of ops (text spans, names split at compile time, jump indices) and
 * rendered over value trees through a context stack.
 *
 * Whitespace follows the spec. A tag alone on its line (but for blanks)
 * takes the whole line with it. A standalone partial or parent indents every
 * line of its template. The indentation is applied while rendering (ops that
 * start a template line carry F_BOL), so a partial compiles once whatever
 * indentation it is used at; blank lines stay blank, as in mustache.js.
 * Blocks passed to a parent lose their own indentation when compiled and take
 * that of the block they replace when rendered.
 *
 * Inside {{<parent}}...{{/parent}} only blocks, comments and delimiter
 * changes mean anything: other text is ignored, as the spec says, and any
 * other tag is an error ("only blocks may appear inside parent ...").
 *
 * Compiling stops at the first error, except that every section still open
 * at the end is reported. Rendering stops at the first error (a refused
 * partial name, a partial that does not compile, nesting too deep); a
 * missing partial is a warning, once per tag and render. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/fsutil.h"
#include "weekly/mustache.h"
#include "weekly/util.h"

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

struct seg { uint32_t off, len; };

struct tmpl {
	tmpl *next;            /* every template of the env, for freeing */
	char *file, *src;
	size_t len;
	struct op *ops;
	size_t nops, capops;
	struct seg *segs;
	size_t nsegs, capsegs;
};

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

/* --- the environment and its caches ------------------------------------ */

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

static struct slot *table_find(const struct table *tb, const char *k, size_t n,
			       uint64_t h)
{
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

static void table_add(struct table *tb, const char *k, size_t n, tmpl *t)
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
	table_put(tb, xstrndup(k, n), n, hash(k, n), t);
	tb->n++;
}

static void table_release(struct table *tb)
{
	for (size_t i = 0; i < tb->cap; i++)
		free(tb->s[i].key);
	free(tb->s);
}

tmpl_env *tmpl_env_new(int escape_html, tmpl_load_fn load, void *ud)
{
	tmpl_env *env = xcalloc(1, sizeof *env);
	env->escape = escape_html;
	env->load = load;
	env->ud = ud;
	return env;
}

static void tmpl_free(tmpl *t)
{
	free(t->file);
	free(t->src);
	free(t->ops);
	free(t->segs);
	free(t);
}

void tmpl_env_free(tmpl_env *env)
{
	if (!env)
		return;
	for (tmpl *t = env->all, *next; t; t = next) {
		next = t->next;
		tmpl_free(t);
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
				  (int)(n < SHOW_MAX ? n : SHOW_MAX), name);
		return -1;
	}
	size_t dl = strlen(dir);
	int here = strcmp(dir, ".") == 0;
	const char *sep = here || dir[dl - 1] == '/' ? "" : "/";
	char *path = xasprintf("%s%s%.*s.mustache", here ? "" : dir, sep, (int)n, name);
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

tmpl_env *tmpl_env_new_dir(const char *dir, int escape_html)
{
	tmpl_env *env = tmpl_env_new(escape_html, dir_load, NULL);
	env->dir = xstrdup(dir && *dir ? dir : ".");
	env->ud = env->dir;
	return env;
}

int tmpl_escape_for(const char *path)
{
	static const char *plain[] = { ".md.mustache", ".txt.mustache" };
	size_t n = strlen(path);
	for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
		size_t k = strlen(plain[i]);
		if (n >= k && strcmp(path + n - k, plain[i]) == 0)
			return 0;
	}
	return 1;
}

/* --- compiling: the lexer ---------------------------------------------- */

struct open {
	uint32_t op, line, col;
	char sig;              /* '#', '^', '<' or '$' */
	unsigned char def;     /* a block passed to a parent */
	unsigned char dyn;
	size_t name, namelen;
	size_t at, ls, body;   /* tag start, start of blank before it, content */
	uint32_t strip;        /* strip in force outside */
	size_t textop;         /* text op just before a parent, or NONE */
};

struct tag {
	size_t at, end;        /* the tag, delimiters included */
	size_t off, n;         /* its content, trimmed, sigil and '*' removed */
	size_t ls;             /* start of blank before it on its line, or NONE */
	char sig;
	int dyn;
	uint32_t line, col;
};

struct lex {
	tmpl *t;
	diag_list *d;
	const char *s;
	size_t len, pos;
	char otag[DELIM_MAX], ctag[DELIM_MAX + 1]; /* ctag[0] is '}' */
	size_t olen, clen;
	size_t cur;            /* where line and col are */
	uint32_t line, col;
	int bol;               /* the next op starts a template line */
	int linetag;           /* the current line holds a tag that stays */
	uint32_t strip;        /* blank removed from each line of a passed block */
	struct open open[TMPL_MAX_DEPTH];
	int nopen;
};

static int is_blank(char c) { return c == ' ' || c == '\t'; }
static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static void locate(struct lex *lx, size_t at, uint32_t *line, uint32_t *col)
{
	const char *p = lx->s + lx->cur, *e = lx->s + at, *nl;
	uint32_t c;
	if (at < lx->cur) {
		p = lx->s;
		lx->line = lx->col = 1;
	}
	while ((nl = memchr(p, '\n', (size_t)(e - p)))) {
		lx->line++;
		lx->col = 1;
		p = nl + 1;
	}
	for (c = 0; p < e; p++)
		c += ((unsigned char)*p & 0xC0) != 0x80; /* characters, not bytes */
	lx->col += c;
	lx->cur = at;
	*line = lx->line;
	*col = lx->col;
}

static int fail(struct lex *lx, uint32_t line, uint32_t col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(struct lex *lx, uint32_t line, uint32_t col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_add(lx->d, DIAG_ERROR, lx->t->file, (int)line, (int)col, "template",
		 "%s", msg);
	return -1;
}

/* How much of a name or tag to quote in a message. */
static int shown(size_t n) { return (int)(n < SHOW_MAX ? n : SHOW_MAX); }

static int tag_fail(struct lex *lx, const struct tag *tg, const char *why)
{
	size_t n = tg->end - tg->at;
	return fail(lx, tg->line, tg->col, "%s '%.*s': %s", tg->sig == '=' ?
		    "bad delimiter change" : "invalid tag", shown(n),
		    lx->s + tg->at, why);
}

static struct op *push_op(struct lex *lx, int kind, const struct tag *tg)
{
	tmpl *t = lx->t;
	xgrow((void **)&t->ops, &t->capops, t->nops + 1, sizeof *t->ops);
	struct op *o = &t->ops[t->nops++];
	memset(o, 0, sizeof *o);
	o->kind = (unsigned char)kind;
	if (tg) {
		o->line = tg->line;
		o->col = tg->col;
		o->off = (uint32_t)tg->off;
		o->len = (uint32_t)tg->n;
	}
	return o;
}

/* An op that does not stand alone: it takes a pending line start. */
static struct op *push_inline(struct lex *lx, int kind, const struct tag *tg)
{
	struct op *o = push_op(lx, kind, tg);
	if (lx->bol)
		o->flags |= F_BOL;
	lx->bol = 0;
	return o;
}

static void push_text(struct lex *lx, size_t a, size_t b)
{
	if (a >= b)
		return;
	struct op *o = push_inline(lx, OP_TEXT, NULL);
	o->off = (uint32_t)a;
	o->len = (uint32_t)(b - a);
	lx->bol = lx->s[b - 1] == '\n';
	if (memchr(lx->s + a, '\n', b - a))
		lx->linetag = 0;
}

static int in_parent(const struct lex *lx)
{
	return lx->nopen && lx->open[lx->nopen - 1].sig == '<';
}

/* Text between tags; inside a block passed to a parent, each line loses up
 * to strip blanks. Text directly inside a parent is ignored. */
static void emit_text(struct lex *lx, size_t a, size_t b)
{
	const char *s = lx->s;
	if (in_parent(lx))
		return;
	if (!lx->strip) {
		push_text(lx, a, b);
		return;
	}
	while (a < b) {
		const char *nl = memchr(s + a, '\n', b - a);
		size_t e = nl ? (size_t)(nl - s) + 1 : b;
		if (a == 0 || s[a - 1] == '\n')
			for (uint32_t k = 0; k < lx->strip && a < e && is_blank(s[a]); k++)
				a++;
		push_text(lx, a, e);
		a = e;
	}
}

/* Where the blank before at starts when nothing else precedes it on its
 * line, else NONE. */
static size_t left_clear(const struct lex *lx, size_t at)
{
	size_t i = at;
	while (i > lx->pos && is_blank(lx->s[i - 1]))
		i--;
	return i == 0 || lx->s[i - 1] == '\n' ? i : NONE;
}

/* Where the next line starts when only blanks follow end on its line. */
static size_t right_clear(const struct lex *lx, size_t end)
{
	const char *s = lx->s;
	while (end < lx->len && is_blank(s[end]))
		end++;
	if (end == lx->len)
		return end;
	if (s[end] == '\n')
		return end + 1;
	if (s[end] == '\r' && end + 1 < lx->len && s[end + 1] == '\n')
		return end + 2;
	return NONE;
}

/* Emit the text before tg and step past it. A tag alone on its line takes
 * the line with it: returns 1 then, else 0. */
static int take_line(struct lex *lx, struct tag *tg)
{
	size_t r = tg->ls == NONE ? NONE : right_clear(lx, tg->end);
	if (r == NONE) {
		emit_text(lx, lx->pos, tg->at);
		lx->pos = tg->end;
		lx->linetag = 1;
		return 0;
	}
	emit_text(lx, lx->pos, tg->ls);
	lx->pos = r;
	lx->bol = 1;
	lx->linetag = 0;
	return 1;
}

/* The span of the blank from ls to at that stripping leaves. */
static void set_indent(const struct lex *lx, struct op *o, size_t ls, size_t at)
{
	if (ls == NONE)
		return;
	size_t ws = at - ls, k = lx->strip < ws ? lx->strip : ws;
	o->ind = (uint32_t)(ls + k);
	o->indlen = (uint32_t)(ws - k);
}

/* Leading blanks of the first line from a to b holding more than blanks;
 * NONE when there is none. */
static size_t first_indent(const struct lex *lx, size_t a, size_t b, size_t *ls)
{
	const char *s = lx->s;
	while (a < b) {
		size_t i = a;
		while (i < b && is_blank(s[i]))
			i++;
		if (i < b && s[i] != '\n' && s[i] != '\r') {
			*ls = a;
			return i - a;
		}
		while (i < b && s[i] != '\n')
			i++;
		a = i + 1;
	}
	return NONE;
}

/* Where pat (n > 0 bytes) first occurs in s[from, to), or NONE. */
static size_t span_find(const char *s, size_t from, size_t to, const char *pat,
			size_t n)
{
	while (from + n <= to) {
		const char *p = memchr(s + from, pat[0], to - from - n + 1);
		if (!p)
			return NONE;
		from = (size_t)(p - s);
		if (memcmp(p, pat, n) == 0)
			return from;
		from++;
	}
	return NONE;
}

static size_t find(const struct lex *lx, size_t from, const char *pat, size_t n)
{
	return span_find(lx->s, from, lx->len, pat, n);
}

static void trim(const char *s, size_t *off, size_t *n)
{
	while (*n && is_space(s[*off])) {
		(*off)++;
		(*n)--;
	}
	while (*n && is_space(s[*off + *n - 1]))
		(*n)--;
}

static int unclosed(struct lex *lx, const struct tag *tg, const char *want,
		    size_t wantlen)
{
	size_t n = 0;
	while (tg->at + n < lx->len && n < SHOW_MAX && !is_space(lx->s[tg->at + n]))
		n++;
	return fail(lx, tg->line, tg->col, "unclosed tag '%.*s': missing '%.*s'",
		    (int)n, lx->s + tg->at, (int)wantlen, want);
}

/* Read the tag at at: its sigil, its trimmed content, its end. */
static int read_tag(struct lex *lx, size_t at, struct tag *tg)
{
	const char *s = lx->s;
	size_t p = at + lx->olen, close;
	memset(tg, 0, sizeof *tg);
	tg->at = at;
	locate(lx, at, &tg->line, &tg->col);
	if (p < lx->len && s[p] && strchr("#^/!>=&{<$", s[p]))
		tg->sig = s[p++];
	const char *want = tg->sig == '{' ? lx->ctag : lx->ctag + 1;
	size_t wantlen = lx->clen + (tg->sig == '{');
	close = find(lx, p, want, wantlen);
	if (close == NONE)
		return unclosed(lx, tg, want, wantlen);
	tg->end = close + wantlen;
	tg->off = p;
	tg->n = close - p;
	if (tg->sig != '!' && (memchr(s + p, '\n', tg->n) ||
			       span_find(s, p, close, lx->otag, lx->olen) != NONE))
		return unclosed(lx, tg, want, wantlen);
	if (tg->sig == '=') {
		if (!tg->n || s[close - 1] != '=')
			return tag_fail(lx, tg, "it must end with '='");
		tg->n--;
	}
	trim(s, &tg->off, &tg->n);
	if ((tg->sig == '>' || tg->sig == '<' || tg->sig == '/') && tg->n &&
	    s[tg->off] == '*') {
		tg->dyn = 1;
		tg->off++;
		tg->n--;
		trim(s, &tg->off, &tg->n);
	}
	tg->ls = left_clear(lx, at);
	return 0;
}

/* --- compiling: names and tags ------------------------------------------- */

static int check_name(struct lex *lx, const struct tag *tg)
{
	for (size_t i = 0; i < tg->n; i++)
		if (is_space(lx->s[tg->off + i]))
			return tag_fail(lx, tg, "a name cannot contain spaces");
	if (!tg->n)
		return tag_fail(lx, tg, "the name is missing");
	return 0;
}

/* Split a dotted name into the op's parts; "." has none. */
static int split_name(struct lex *lx, const struct tag *tg, struct op *o)
{
	const char *s = lx->s;
	tmpl *t = lx->t;
	size_t a = tg->off, end = tg->off + tg->n;
	o->seg = (uint32_t)t->nsegs;
	if (tg->n == 1 && s[a] == '.')
		return 0;
	for (;;) {
		const char *dot = memchr(s + a, '.', end - a);
		size_t e = dot ? (size_t)(dot - s) : end;
		if (e == a)
			return tag_fail(lx, tg, "a dotted name has an empty part");
		if (o->nseg == USHRT_MAX)
			return tag_fail(lx, tg, "the name has too many parts");
		xgrow((void **)&t->segs, &t->capsegs, t->nsegs + 1, sizeof *t->segs);
		t->segs[t->nsegs++] = (struct seg){ (uint32_t)a, (uint32_t)(e - a) };
		o->nseg++;
		if (!dot)
			return 0;
		a = e + 1;
	}
}

static int on_var(struct lex *lx, struct tag *tg)
{
	if (check_name(lx, tg) < 0)
		return -1;
	emit_text(lx, lx->pos, tg->at);
	lx->pos = tg->end;
	lx->linetag = 1;
	struct op *o = push_inline(lx, tg->sig ? OP_RAW : OP_VAR, tg);
	return split_name(lx, tg, o);
}

static int set_delims(struct lex *lx, const struct tag *tg)
{
	const char *s = lx->s;
	size_t a = tg->off, end = tg->off + tg->n, b = a, c, e;
	while (b < end && !is_space(s[b]))
		b++;
	for (c = b; c < end && is_space(s[c]); c++)
		;
	for (e = c; e < end && !is_space(s[e]); e++)
		;
	if (b == a || c == end || e != end)
		return tag_fail(lx, tg, "expected two delimiters separated by "
				"a space");
	if (memchr(s + a, '=', b - a) || memchr(s + c, '=', e - c))
		return tag_fail(lx, tg, "a delimiter cannot contain '='");
	if (b - a > DELIM_MAX || e - c > DELIM_MAX)
		return tag_fail(lx, tg, "a delimiter is at most 16 characters long");
	memcpy(lx->otag, s + a, b - a);
	lx->olen = b - a;
	memcpy(lx->ctag + 1, s + c, e - c);
	lx->clen = e - c;
	return 0;
}

/* Comments and delimiter changes. */
static int on_quiet(struct lex *lx, struct tag *tg)
{
	if (in_parent(lx))
		lx->pos = tg->end;
	else
		take_line(lx, tg);
	return tg->sig == '=' ? set_delims(lx, tg) : 0;
}

static struct open *push_open(struct lex *lx, const struct tag *tg, uint32_t op)
{
	if (lx->nopen == TMPL_MAX_DEPTH) {
		fail(lx, tg->line, tg->col, "sections nest deeper than %d levels",
		     TMPL_MAX_DEPTH);
		return NULL;
	}
	struct open *o = &lx->open[lx->nopen++];
	*o = (struct open){ .op = op, .line = tg->line, .col = tg->col,
			    .sig = tg->sig, .dyn = (unsigned char)tg->dyn,
			    .name = tg->off, .namelen = tg->n, .at = tg->at,
			    .ls = tg->ls, .body = lx->pos, .strip = lx->strip,
			    .textop = NONE };
	return o;
}

/* {{#name}}, {{^name}}, and {{$name}} outside a parent. */
static int on_open(struct lex *lx, struct tag *tg)
{
	static const int kinds[] = { ['#'] = OP_SECTION, ['^'] = OP_INVERTED,
				     ['$'] = OP_BLOCK };
	int kind = kinds[(unsigned char)tg->sig];
	if (check_name(lx, tg) < 0)
		return -1;
	int alone = take_line(lx, tg);
	struct op *o = alone ? push_op(lx, kind, tg) : push_inline(lx, kind, tg);
	if (alone)
		o->flags |= F_STANDALONE;
	if (kind != OP_BLOCK && split_name(lx, tg, o) < 0)
		return -1;
	return push_open(lx, tg, (uint32_t)(lx->t->nops - 1)) ? 0 : -1;
}

/* {{$name}} directly inside a parent: an argument. A line break right after
 * it belongs to the tag, and its content loses its own indentation. */
static int on_arg(struct lex *lx, struct tag *tg)
{
	size_t r = right_clear(lx, tg->end), ls;
	if (check_name(lx, tg) < 0)
		return -1;
	push_op(lx, OP_BLOCK, tg);
	lx->pos = r == NONE ? tg->end : r;
	lx->bol = r != NONE;
	struct open *o = push_open(lx, tg, (uint32_t)(lx->t->nops - 1));
	if (!o)
		return -1;
	o->def = 1;
	if (r != NONE) {
		size_t ws = first_indent(lx, r, lx->len, &ls);
		lx->strip = ws == NONE ? 0 : (uint32_t)ws;
	}
	return 0;
}

/* {{<name}}: a parent. Whether it stands alone is known at its end. */
static int on_parent(struct lex *lx, struct tag *tg)
{
	tmpl *t = lx->t;
	if (check_name(lx, tg) < 0)
		return -1;
	emit_text(lx, lx->pos, tg->at);
	size_t textop = t->nops && t->ops[t->nops - 1].kind == OP_TEXT &&
		t->ops[t->nops - 1].off + t->ops[t->nops - 1].len == tg->at ?
		t->nops - 1 : NONE;
	lx->pos = tg->end;
	lx->linetag = 1;
	struct op *o = push_inline(lx, OP_PARENT, tg);
	if (tg->dyn) {
		o->flags |= F_DYNAMIC;
		if (split_name(lx, tg, o) < 0)
			return -1;
	}
	struct open *op = push_open(lx, tg, (uint32_t)(t->nops - 1));
	if (!op)
		return -1;
	op->textop = textop;
	return 0;
}

static int on_partial(struct lex *lx, struct tag *tg)
{
	if (check_name(lx, tg) < 0)
		return -1;
	size_t ls = tg->ls;
	int alone = take_line(lx, tg);
	struct op *o = alone ? push_op(lx, OP_PARTIAL, tg) :
		push_inline(lx, OP_PARTIAL, tg);
	o->end = (uint32_t)lx->t->nops;
	if (alone) {
		o->flags |= F_STANDALONE;
		set_indent(lx, o, ls, tg->at);
	}
	if (tg->dyn) {
		o->flags |= F_DYNAMIC;
		return split_name(lx, tg, o);
	}
	return 0;
}

/* The indentation a block gives what replaces it: when it stands alone,
 * that of its first line holding more than blanks (else the tag's own);
 * when it starts a line inline, the blank before it. */
static void block_indent(struct lex *lx, struct op *o, const struct open *op,
			 size_t body_end)
{
	size_t ls = op->ls, at = op->at;
	if (o->flags & F_STANDALONE) {
		size_t l, ws = first_indent(lx, op->body, body_end, &l);
		if (ws != NONE) {
			ls = l;
			at = l + ws;
		}
	}
	set_indent(lx, o, ls, at);
}

static void close_section(struct lex *lx, struct tag *tg, const struct open *op)
{
	tmpl *t = lx->t;
	size_t ls = tg->ls;
	int alone = take_line(lx, tg);
	if (!alone && lx->bol)
		push_inline(lx, OP_TEXT, NULL); /* the indentation of this line */
	struct op *o = &t->ops[op->op];
	if (o->kind == OP_BLOCK)
		block_indent(lx, o, op, alone ? ls : tg->at);
	o->end = (uint32_t)t->nops;
}

static void close_arg(struct lex *lx, struct tag *tg, const struct open *op)
{
	emit_text(lx, lx->pos, tg->ls != NONE ? tg->ls : tg->at);
	lx->pos = tg->end;
	lx->bol = 0;
	lx->strip = op->strip;
	lx->t->ops[op->op].end = (uint32_t)lx->t->nops;
}

/* A parent stands alone when its opening tag starts a line and its closing
 * tag ends one: the blank before it then indents the parent. */
static void close_parent(struct lex *lx, struct tag *tg, const struct open *op)
{
	tmpl *t = lx->t;
	struct op *o = &t->ops[op->op];
	size_t r = right_clear(lx, tg->end);
	o->end = (uint32_t)t->nops;
	if (op->ls == NONE || r == NONE) {
		lx->pos = tg->end;
		lx->bol = 0;
		return;
	}
	o->flags = (unsigned char)((o->flags & ~F_BOL) | F_STANDALONE);
	set_indent(lx, o, op->ls, op->at);
	if (op->textop != NONE) {
		struct op *tx = &t->ops[op->textop];
		size_t end = op->ls > tx->off ? op->ls : tx->off;
		tx->len = (uint32_t)(end - tx->off);
		if (!tx->len)
			tx->flags &= (unsigned char)~F_BOL;
	}
	lx->pos = r;
	lx->bol = 1;
	lx->linetag = 0;
}

static const char *sig_word(char sig)
{
	return sig == '<' ? "parent" : sig == '$' ? "block" : "section";
}

static int on_close(struct lex *lx, struct tag *tg)
{
	if (check_name(lx, tg) < 0)
		return -1;
	if (!lx->nopen)
		return fail(lx, tg->line, tg->col,
			    "closing tag '%.*s' has no open section",
			    shown(tg->n), lx->s + tg->off);
	struct open op = lx->open[lx->nopen - 1];
	if (op.namelen != tg->n || op.dyn != tg->dyn ||
	    memcmp(lx->s + op.name, lx->s + tg->off, tg->n) != 0)
		return fail(lx, tg->line, tg->col, "closing tag '%s%.*s' does not "
			    "match open %s '%s%.*s' (opened at line %u)",
			    tg->dyn ? "*" : "", shown(tg->n), lx->s + tg->off,
			    sig_word(op.sig), op.dyn ? "*" : "", shown(op.namelen),
			    lx->s + op.name, (unsigned)op.line);
	if (op.sig == '<')
		close_parent(lx, tg, &op);
	else if (op.def)
		close_arg(lx, tg, &op);
	else
		close_section(lx, tg, &op);
	lx->nopen--; /* after: the text before the tag was the section's */
	return 0;
}

static int on_tag(struct lex *lx, struct tag *tg)
{
	if (in_parent(lx) && (!tg->sig || !strchr("$!=/", tg->sig))) {
		const struct open *p = &lx->open[lx->nopen - 1];
		size_t n = tg->end - tg->at;
		return fail(lx, tg->line, tg->col, "only blocks may appear inside "
			    "parent '%.*s', found '%.*s'", shown(p->namelen),
			    lx->s + p->name, shown(n), lx->s + tg->at);
	}
	switch (tg->sig) {
	case '!': case '=': return on_quiet(lx, tg);
	case '#': case '^': return on_open(lx, tg);
	case '$': return in_parent(lx) ? on_arg(lx, tg) : on_open(lx, tg);
	case '<': return on_parent(lx, tg);
	case '/': return on_close(lx, tg);
	case '>': return on_partial(lx, tg);
	default: return on_var(lx, tg);
	}
}

static int finish(struct lex *lx)
{
	for (int i = 0; i < lx->nopen; i++) {
		const struct open *o = &lx->open[i];
		fail(lx, o->line, o->col, "unclosed %s '%s%.*s'", sig_word(o->sig),
		     o->dyn ? "*" : "", shown(o->namelen), lx->s + o->name);
	}
	if (lx->nopen)
		return -1;
	if (lx->bol && lx->linetag)
		push_inline(lx, OP_TEXT, NULL);
	return 0;
}

static int lex_run(struct lex *lx)
{
	struct tag tg;
	for (;;) {
		size_t at = find(lx, lx->pos, lx->otag, lx->olen);
		if (at == NONE)
			break;
		if (read_tag(lx, at, &tg) < 0 || on_tag(lx, &tg) < 0)
			return -1;
	}
	emit_text(lx, lx->pos, lx->len);
	return finish(lx);
}

tmpl *tmpl_compile(tmpl_env *env, const char *file, const char *src,
		   size_t len, diag_list *d)
{
	tmpl *t = xcalloc(1, sizeof *t);
	t->file = xstrdup(file ? file : "<template>");
	if (len >= UINT32_MAX / 2) {
		diag_add(d, DIAG_ERROR, t->file, 0, 0, "template", "template too large");
		tmpl_free(t);
		return NULL;
	}
	t->src = xmalloc(len + 1);
	memcpy(t->src, src, len);
	t->src[len] = '\0';
	t->len = len;
	struct lex lx = { .t = t, .d = d, .s = t->src, .len = len, .otag = "{{",
			  .ctag = "}}}", .olen = 2, .clen = 2, .line = 1, .col = 1,
			  .bol = 1 };
	if (lex_run(&lx) < 0) {
		tmpl_free(t);
		return NULL;
	}
	t->next = env->all;
	env->all = t;
	return t;
}

tmpl *tmpl_load(tmpl_env *env, const char *path, diag_list *d)
{
	size_t n = strlen(path), len;
	struct slot *sl = table_find(&env->files, path, n, hash(path, n));
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
		table_add(&env->files, path, n, t);
	return t;
}

/* --- rendering ------------------------------------------------------------ */

/* The blocks a parent tag passes, for the templates it includes. */
struct args {
	const tmpl *t;
	size_t first, end;
	const struct args *outer;
};

struct rs {
	tmpl_env *env;
	buf *out;
	diag_list *d;
	const value *ctx[TMPL_MAX_DEPTH + 1];
	int nctx, depth;
	char *ind;                 /* indentation now is ind[indstart, indused) */
	size_t indstart, indused, indcap;
	const struct args *args;   /* innermost parent's blocks */
	const struct op **warned;  /* missing-partial tags already reported */
	size_t nwarned, capwarned;
};

struct indsave { size_t start, used; };

static int run(struct rs *r, const tmpl *t, size_t i, size_t end, int skip);

static void put_indent(struct rs *r)
{
	if (r->indused > r->indstart)
		buf_put(r->out, r->ind + r->indstart, r->indused - r->indstart);
}

/* Indent by s more (or, with reset, by nothing at all) until ind_pop. */
static struct indsave ind_push(struct rs *r, const char *s, size_t n, int reset)
{
	struct indsave sv = { r->indstart, r->indused };
	if (reset)
		r->indstart = r->indused;
	if (n) {
		xgrow((void **)&r->ind, &r->indcap, r->indused + n, 1);
		memcpy(r->ind + r->indused, s, n);
		r->indused += n;
	}
	return sv;
}

static void ind_pop(struct rs *r, struct indsave sv)
{
	r->indstart = sv.start;
	r->indused = sv.used;
}

/* Blank lines are not indented: they would only gain trailing blanks. */
static int empty_line(const char *s, size_t n)
{
	return n && (s[0] == '\n' || (s[0] == '\r' && n > 1 && s[1] == '\n'));
}

static void put_text(struct rs *r, const char *s, size_t n)
{
	if (r->indused == r->indstart) {
		buf_put(r->out, s, n);
		return;
	}
	for (const char *nl; n && (nl = memchr(s, '\n', n - 1));) {
		size_t k = (size_t)(nl - s) + 1;
		buf_put(r->out, s, k);
		if (!empty_line(s + k, n - k))
			put_indent(r);
		s += k;
		n -= k;
	}
	buf_put(r->out, s, n);
}

/* The first part of a name is looked up through the context stack, from
 * the top; the other parts only inside what it found. */
static const value *lookup(const struct rs *r, const tmpl *t, const struct op *o)
{
	if (!o->nseg) /* "." (a template may then have no segments at all) */
		return r->ctx[r->nctx - 1];
	const struct seg *sg = t->segs + o->seg;
	const value *v = NULL;
	for (int i = r->nctx; i-- > 0 && !v;)
		v = value_get(r->ctx[i], t->src + sg->off, sg->len);
	for (unsigned k = 1; v && k < o->nseg; k++)
		v = value_get(v, t->src + sg[k].off, sg[k].len);
	return v;
}

static void put_var(struct rs *r, const tmpl *t, const struct op *o)
{
	const value *v = lookup(r, t, o);
	if (!v)
		return;
	if (v->kind != VALUE_STRING)
		value_text(v, r->out);
	else if (o->kind == OP_VAR && r->env->escape)
		buf_put_html(r->out, v->u.str.s, v->u.str.len);
	else
		buf_put(r->out, v->u.str.s, v->u.str.len);
}

static int enter(struct rs *r, const tmpl *t, const struct op *o)
{
	if (r->depth < TMPL_MAX_DEPTH) {
		r->depth++;
		return 0;
	}
	diag_add(r->d, DIAG_ERROR, t->file, (int)o->line, (int)o->col, "template",
		 "nesting deeper than %d levels (sections, partials and parents)",
		 TMPL_MAX_DEPTH);
	return -1;
}

/* Render a section's body once with ctx (when not NULL) on the stack. */
static int body(struct rs *r, const tmpl *t, size_t i, const value *ctx)
{
	const struct op *o = &t->ops[i];
	int rc;
	if (enter(r, t, o) < 0)
		return -1;
	if (ctx)
		r->ctx[r->nctx++] = ctx;
	rc = run(r, t, i + 1, o->end, 0);
	if (ctx)
		r->nctx--;
	r->depth--;
	return rc;
}

static int render_section(struct rs *r, const tmpl *t, size_t i)
{
	const struct op *o = &t->ops[i];
	const value *v = lookup(r, t, o);
	int truthy = value_truthy(v);
	if (o->kind == OP_INVERTED)
		return truthy ? 0 : body(r, t, i, NULL);
	if (!truthy)
		return 0;
	if (v->kind != VALUE_LIST)
		return body(r, t, i, v);
	for (size_t k = 0, n = value_len(v); k < n; k++)
		if (body(r, t, i, value_at(v, k)) < 0)
			return -1;
	return 0;
}

static void warn_missing(struct rs *r, const tmpl *t, const struct op *o,
			 const char *name, size_t n)
{
	for (size_t i = 0; i < r->nwarned; i++)
		if (r->warned[i] == o)
			return;
	xgrow((void **)&r->warned, &r->capwarned, r->nwarned + 1, sizeof *r->warned);
	r->warned[r->nwarned++] = o;
	diag_add(r->d, DIAG_WARNING, t->file, (int)o->line, (int)o->col, "template",
		 "missing partial '%.*s'", shown(n), name);
}

/* Load and compile a partial the env has not seen: 1 with *p set, 0 when
 * missing, -1 after an error. */
static int load_partial(struct rs *r, const tmpl *t, const struct op *o,
			const char *name, size_t n, const tmpl **p)
{
	tmpl_env *env = r->env;
	char *src = NULL, *file = NULL;
	size_t len = 0;
	int rc = env->load ? env->load(env->ud, name, n, &src, &len, &file) : 1;
	if (rc < 0)
		diag_add(r->d, DIAG_ERROR, t->file, (int)o->line, (int)o->col,
			 "template", "%s", file ? file : "partial name refused");
	if (rc == 0) {
		*p = tmpl_compile(env, file, src, len, r->d);
		if (*p)
			table_add(&env->partials, name, n, (tmpl *)*p);
		else
			diag_add(r->d, DIAG_NOTE, t->file, (int)o->line, (int)o->col,
				 "template", "partial '%.*s' included here",
				 shown(n), name);
		rc = *p ? 1 : -1;
	} else if (rc > 0) {
		table_add(&env->partials, name, n, NULL);
		rc = 0;
	}
	free(src);
	free(file);
	return rc;
}

/* The template a partial or parent tag names: 1 with *p set, 0 when there
 * is nothing to render, -1 after an error. */
static int resolve(struct rs *r, const tmpl *t, const struct op *o,
		   const tmpl **p)
{
	const char *name = t->src + o->off;
	size_t n = o->len;
	if (o->flags & F_DYNAMIC) {
		const value *v = lookup(r, t, o);
		if (!(name = value_str(v)))
			return 0;
		n = v->u.str.len;
	}
	struct slot *sl = table_find(&r->env->partials, name, n, hash(name, n));
	int rc = sl ? (sl->t != NULL) : load_partial(r, t, o, name, n, p);
	if (sl)
		*p = sl->t;
	if (rc == 0)
		warn_missing(r, t, o, name, n);
	return rc;
}

/* Render partial p for the tag o of t; args are the blocks a parent
 * passes. A standalone tag indents p by its own indentation. */
static int include(struct rs *r, const tmpl *t, const struct op *o,
		   const tmpl *p, const struct args *args)
{
	const struct args *saved = r->args;
	int rc;
	if (enter(r, t, o) < 0)
		return -1;
	struct indsave sv = ind_push(r, t->src + o->ind, o->indlen,
				     !(o->flags & F_STANDALONE));
	if (args)
		r->args = args;
	rc = run(r, p, 0, p->nops, 0);
	r->args = saved;
	ind_pop(r, sv);
	r->depth--;
	return rc;
}

/* The block that replaces o: the outermost parent's wins. */
static int find_arg(const struct rs *r, const tmpl *t, const struct op *o,
		    const tmpl **dt, size_t *di)
{
	int found = 0;
	for (const struct args *a = r->args; a; a = a->outer)
		for (size_t j = a->first; j < a->end; j = a->t->ops[j].end) {
			const struct op *b = &a->t->ops[j];
			if (b->len == o->len &&
			    memcmp(a->t->src + b->off, t->src + o->off, o->len) == 0) {
				*dt = a->t;
				*di = j;
				found = 1;
			}
		}
	return found;
}

static int render_block(struct rs *r, const tmpl *t, size_t i)
{
	const struct op *o = &t->ops[i];
	const tmpl *dt = t;
	size_t di = i;
	int rc;
	if (!find_arg(r, t, o, &dt, &di))
		return body(r, t, i, NULL);
	if (enter(r, t, o) < 0)
		return -1;
	struct indsave sv = ind_push(r, t->src + o->ind, o->indlen, 0);
	rc = run(r, dt, di + 1, dt->ops[di].end, !(o->flags & F_STANDALONE));
	ind_pop(r, sv);
	r->depth--;
	return rc;
}

static int run_tag(struct rs *r, const tmpl *t, size_t i)
{
	const struct op *o = &t->ops[i];
	const tmpl *p;
	int rc;
	switch (o->kind) {
	case OP_SECTION: case OP_INVERTED:
		return render_section(r, t, i);
	case OP_BLOCK:
		return render_block(r, t, i);
	case OP_PARTIAL:
		rc = resolve(r, t, o, &p);
		return rc <= 0 ? rc : include(r, t, o, p, NULL);
	default: {
		struct args a = { t, i + 1, o->end, r->args };
		rc = resolve(r, t, o, &p);
		return rc <= 0 ? rc : include(r, t, o, p, &a);
	}
	}
}

/* Render ops i..end of t; skip: the first op does not indent. */
static int run(struct rs *r, const tmpl *t, size_t i, size_t end, int skip)
{
	for (; i < end; i++) {
		const struct op *o = &t->ops[i];
		if ((o->flags & F_BOL) && !skip && !(o->kind == OP_TEXT &&
		    empty_line(t->src + o->off, o->len)))
			put_indent(r);
		skip = 0;
		if (o->kind == OP_TEXT) {
			put_text(r, t->src + o->off, o->len);
		} else if (o->kind == OP_VAR || o->kind == OP_RAW) {
			put_var(r, t, o);
		} else {
			if (run_tag(r, t, i) < 0)
				return -1;
			i = o->end - 1;
		}
	}
	return 0;
}

int tmpl_render(tmpl_env *env, const tmpl *t, const value *ctx, buf *out,
		diag_list *d)
{
	struct rs r = { .env = env, .out = out, .d = d, .nctx = 1 };
	r.ctx[0] = ctx;
	int rc = run(&r, t, 0, t->nops, 0);
	free(r.ind);
	free(r.warned);
	return rc;
}
