/* mustache.c - the template engine's renderer: Mustache compiled once
 * (mustache_compile.c) into a flat array of ops (text spans, names split at
 * compile time, jump indices) is rendered over value trees through a context
 * stack; templates and partials come from the environment (mustache_env.c).
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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/arena.h"
#include "weekly/mustache.h"
#include "weekly/text.h"
#include "weekly/util.h"
#include "mustache_int.h"

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
	struct probe *probe;       /* names looked up, for tmpl_check_names */
	size_t start, steps;       /* out's length before; ops run */
	tmpl_sink sink;            /* where out goes a piece at a time, or NULL */
	void *sinkud;
	size_t flushed;            /* bytes handed to sink */
	size_t watch;              /* out's length from which within looks closer */
};

/* out, handed to the sink when it holds this much. */
#define TMPL_PIECE (64u << 10)

static void flush(struct rs *r)
{
	r->sink(r->sinkud, r->out->data, r->out->len);
	r->flushed += r->out->len;
	r->out->len = 0;
}

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

static void probe_note(const struct rs *r, const tmpl *t, const struct op *o, int found,
		       unsigned seg, const value *in);

/* The first part of a name is looked up through the context stack, from
 * the top; the other parts only inside what it found. */
static inline __attribute__((always_inline)) const value *lookup(struct rs *r, const tmpl *t,
								   const struct op *o)
{
	if (!o->nseg) /* "." (a template may then have no segments at all) */
		return r->ctx[r->nctx - 1];
	struct seg *sg = t->segs + o->seg; /* the hints change; the template does not */
	const value *in = NULL; /* each map looked in is a step */
	const value *v = value_lookup(r->ctx, (size_t)r->nctx, t->src + sg->off, sg->len, &r->steps,
				      &sg->hint);
	unsigned k = 1;
	for (; v && k < o->nseg; k++)
		v = value_get_hinted(in = v, t->src + sg[k].off, sg[k].len, &sg[k].hint);
	if (r->probe)
		probe_note(r, t, o, v != NULL, k - 1, in);
	return v;
}

/* A string into an XML document: see TMPL_ESCAPE_XML. */
static void put_xml(buf *out, const char *s, size_t n, int escape)
{
	buf clean = BUF_INIT; /* NUL-terminated, and holds no NUL: XML forbids it */
	text_xml_put(&clean, s, n);
	const char *c = clean.data, *p;
	if (escape)
		buf_put_html(out, c, clean.len);
	else
		for (; (p = strstr(c, "]]>")); c = p + 3) {
			buf_put(out, c, (size_t)(p - c));
			buf_puts(out, "]]&gt;");
		}
	if (!escape)
		buf_puts(out, c);
	buf_release(&clean);
}

/* A string into a JSON string: see TMPL_ESCAPE_JSON. */
static void put_json(buf *out, const char *s, size_t n, int escape)
{
	if (!escape) {
		buf_put_json(out, s, n);
		return;
	}
	buf html = BUF_INIT;
	buf_put_html(&html, s, n);
	buf_put_json(out, html.data, html.len);
	buf_release(&html);
}

static void put_var(struct rs *r, const tmpl *t, const struct op *o)
{
	const value *v = lookup(r, t, o);
	size_t n;
	const char *s = value_strn(v, &n);
	if (!s)
		value_text(v, r->out);
	else if (r->env->escape == TMPL_ESCAPE_XML)
		put_xml(r->out, s, n, o->kind == OP_VAR);
	else if (r->env->escape == TMPL_ESCAPE_JSON)
		put_json(r->out, s, n, o->kind == OP_VAR);
	else if (o->kind == OP_VAR && r->env->escape)
		buf_put_html(r->out, s, n);
	else
		buf_put(r->out, s, n);
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

/* The render went over a limit at op o of t: the error; 0. */
static int over_limit(struct rs *r, const tmpl *t, const struct op *o)
{
	const char *over = r->steps > TMPL_MAX_STEPS ? "takes more than %u steps"
		: "writes more than %u bytes";
	buf msg = BUF_INIT;
	buf_printf(&msg, over, r->steps > TMPL_MAX_STEPS ? TMPL_MAX_STEPS : TMPL_MAX_OUTPUT);
	int line = (int)o->line, col = (int)o->col;
	if (!line) { /* a text: its place counted from the start */
		line = col = 1;
		for (uint32_t k = 0; k < o->off; k++, col++)
			if (t->src[k] == '\n')
				line++, col = 0;
	}
	diag_add(r->d, DIAG_ERROR, t->file, line, col, "template", "the template %s", msg.data);
	buf_release(&msg);
	return 0;
}

/* The length of out from which within looks closer: a piece for the sink,
 * or more output than the limit allows. */
static void set_watch(struct rs *r)
{
	size_t room = r->flushed < TMPL_MAX_OUTPUT ? TMPL_MAX_OUTPUT - r->flushed : 0;
	r->watch = r->start + room + 1;
	if (r->sink && r->watch > TMPL_PIECE)
		r->watch = TMPL_PIECE;
}

/* within, once out has grown to its watch: the sink takes a piece, and
 * the render goes on while within the limits. */
static int closer(struct rs *r, const tmpl *t, const struct op *o)
{
	if (r->sink && r->out->len >= TMPL_PIECE)
		flush(r);
	set_watch(r);
	if (r->steps <= TMPL_MAX_STEPS && r->out->len - r->start + r->flushed <= TMPL_MAX_OUTPUT)
		return 1;
	return over_limit(r, t, o);
}

/* A render starts with ctx alone on the stack. */
static void begin(struct rs *r, const value *ctx)
{
	r->ctx[r->nctx++] = ctx;
	set_watch(r);
}

/* Whether the render may go on past op o of t: within the limits of
 * output and steps (a test on every op, so inline and cheap). */
static inline int within(struct rs *r, const tmpl *t, const struct op *o)
{
	if (++r->steps <= TMPL_MAX_STEPS && r->out->len < r->watch)
		return 1;
	return closer(r, t, o);
}

/* Render a section's body once with ctx (when not NULL) on the stack. */
static int body(struct rs *r, const tmpl *t, size_t i, const value *ctx)
{
	const struct op *o = &t->ops[i];
	int rc;
	if (!within(r, t, o) || enter(r, t, o) < 0)
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
	if (value_type(v) != VALUE_LIST)
		return body(r, t, i, v);
	struct arena in = ARENA_INIT; /* of items a list makes as it is walked */
	int rc = 0;
	for (size_t k = 0, n = value_len(v); k < n && rc == 0; k++) {
		rc = body(r, t, i, value_item_in(v, k, &in));
		arena_reset(&in);
	}
	arena_release(&in);
	return rc;
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
			tmpl_table_add(&env->partials, name, n, (tmpl *)*p);
		else
			diag_add(r->d, DIAG_NOTE, t->file, (int)o->line, (int)o->col,
				 "template", "partial '%.*s' included here",
				 shown(n), name);
		rc = *p ? 1 : -1;
	} else if (rc > 0) {
		tmpl_table_add(&env->partials, name, n, NULL);
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
		n = value_strlen(v);
	}
	struct slot *sl = tmpl_table_find(&r->env->partials, name, n);
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

/* Whether op o, which starts a line of its template, is indented now:
 * unless it is a blank line, or skip says the first op is not. */
static inline int indents(const struct rs *r, const tmpl *t, const struct op *o, int skip)
{
	return r->indused != r->indstart && (o->flags & F_BOL) && !skip &&
		!(o->kind == OP_TEXT && empty_line(t->src + o->off, o->len));
}

/* Render ops i..end of t; skip: the first op does not indent. */
static int run(struct rs *r, const tmpl *t, size_t i, size_t end, int skip)
{
	if (i >= end) /* (a template of no ops at all has none: t->ops is NULL) */
		return 0;
	for (const struct op *o = t->ops + i, *last = t->ops + end; o < last; o++) {
		if (!within(r, t, o))
			return -1;
		if (indents(r, t, o, skip))
			put_indent(r);
		skip = 0;
		switch (o->kind) {
		case OP_TEXT:
			put_text(r, t->src + o->off, o->len);
			break;
		case OP_VAR: case OP_RAW:
			put_var(r, t, o);
			break;
		default:
			if (run_tag(r, t, (size_t)(o - t->ops)) < 0)
				return -1;
			o = t->ops + o->end - 1;
		}
	}
	return 0;
}

/* --- what a template looks up ------------------------------------------- */

struct seen { const tmpl **at; size_t len, cap; };

static int visited(const struct seen *seen, const tmpl *t)
{
	for (size_t i = 0; i < seen->len; i++)
		if (seen->at[i] == t)
			return 1;
	return 0;
}

static void visit(struct seen *seen, const tmpl *t)
{
	xgrow((void **)&seen->at, &seen->cap, seen->len + 1, sizeof *seen->at);
	seen->at[seen->len++] = t;
}

static int op_names(const tmpl *t, const struct op *o, const char *name, size_t n)
{
	for (unsigned k = 0; k < o->nseg; k++) {
		const struct seg *sg = &t->segs[o->seg + k];
		if (sg->len == n && memcmp(t->src + sg->off, name, n) == 0)
			return 1;
	}
	return 0;
}

static int mentions(struct rs *r, const tmpl *t, const char *name, size_t n,
		    struct seen *seen)
{
	if (visited(seen, t))
		return 0;
	visit(seen, t);
	for (size_t i = 0; i < t->nops; i++) {
		const struct op *o = &t->ops[i];
		if (o->kind == OP_TEXT || o->kind == OP_BLOCK)
			continue;
		if (o->kind != OP_PARTIAL && o->kind != OP_PARENT) {
			if (op_names(t, o, name, n))
				return 1;
			continue;
		}
		if (o->flags & F_DYNAMIC) /* any partial may come */
			return 1;
		const tmpl *p = NULL;
		if (resolve(r, t, o, &p) == 1 && mentions(r, p, name, n, seen))
			return 1;
	}
	return 0;
}

int tmpl_mentions(tmpl_env *env, const tmpl *t, const char *name)
{
	diag_list d = DIAG_LIST_INIT; /* partials with errors say so when rendered */
	struct rs r = { .env = env, .d = &d };
	struct seen seen = { 0 };
	int found = mentions(&r, t, name, strlen(name), &seen);
	free(seen.at);
	free(r.warned);
	diag_release(&d);
	return found;
}

struct partials { struct seen seen; tmpl_partial_fn each; void *ud; };

/* Name each partial and parent t includes, and theirs after it: 1 when one
 * is named at render time. */
static int partials(struct rs *r, const tmpl *t, struct partials *ps)
{
	visit(&ps->seen, t);
	for (size_t i = 0; i < t->nops; i++) {
		const struct op *o = &t->ops[i];
		if (o->kind != OP_PARTIAL && o->kind != OP_PARENT)
			continue;
		if (o->flags & F_DYNAMIC)
			return 1;
		const tmpl *p = NULL;
		int found = resolve(r, t, o, &p) == 1;
		if (found && visited(&ps->seen, p))
			continue;
		ps->each(ps->ud, t->src + o->off, o->len, found ? p->src : NULL,
			 found ? p->len : 0);
		if (found && partials(r, p, ps))
			return 1;
	}
	return 0;
}

int tmpl_partials(tmpl_env *env, const tmpl *t, tmpl_partial_fn each, void *ud)
{
	diag_list d = DIAG_LIST_INIT; /* missing partials are reported when rendered */
	struct rs r = { .env = env, .d = &d };
	struct partials ps = { { 0 }, each, ud };
	int dynamic = partials(&r, t, &ps);
	free(ps.seen.at);
	free(r.warned);
	diag_release(&d);
	return dynamic;
}

/* --- names that resolve to nothing ---------------------------------------- */

/* Each name tag rendered, whether any lookup of it found something, and the
 * closest name there is to the first that did not. */
struct probe {
	struct probe_tag { const tmpl *t; const struct op *o; int found; char *guess; } *at;
	size_t len, cap;
	tmpl_known_fn known; /* keys maps may lack, or NULL */
	void *ud;
};

/* Add the keys of m (when a map) to names. */
static void keys_of(const value *m, const char ***names, size_t *n, size_t *cap)
{
	for (size_t k = 0; value_type(m) == VALUE_MAP && k < value_len(m); k++) {
		xgrow((void **)names, cap, *n + 1, sizeof **names);
		(*names)[(*n)++] = value_entry_at(m, k)->key;
	}
}

/* Whether part seg of o's name, not found in `in` (or in the stack), is a
 * key the map it was looked up in may lack, as its caller knows. */
static int known(const struct rs *r, const tmpl *t, const struct op *o, unsigned seg,
		 const value *in)
{
	const struct probe *p = r->probe;
	const struct seg *sg = t->segs + o->seg + seg;
	int k = !!in && p->known && p->known(p->ud, in, t->src + sg->off, sg->len);
	for (int i = r->nctx; !in && p->known && !k && i-- > 0;)
		k = p->known(p->ud, r->ctx[i], t->src + sg->off, sg->len);
	return k;
}

/* The name of o with part seg (not found in `in`, or in the stack) replaced
 * by the closest key there is, or NULL: none for a key known to be
 * optional, which is no slip however close it is to another. */
static char *guess(const struct rs *r, const tmpl *t, const struct op *o, unsigned seg,
		   const value *in)
{
	if (known(r, t, o, seg, in))
		return NULL;
	const struct seg *sg = t->segs + o->seg;
	const char **names = NULL;
	size_t n = 0, cap = 0;
	if (in)
		keys_of(in, &names, &n, &cap);
	for (int i = r->nctx; !in && i-- > 0;)
		keys_of(r->ctx[i], &names, &n, &cap);
	char *word = xstrndup(t->src + sg[seg].off, sg[seg].len);
	long k = util_closest(word, names, n);
	char *out = NULL;
	if (k >= 0) {
		const char *name = t->src + o->off;
		size_t before = sg[seg].off - o->off, after = sg[seg].off + sg[seg].len - o->off;
		out = xasprintf("%.*s%s%.*s", (int)before, name, names[k], (int)(o->len - after),
				name + after);
	}
	free(word);
	free(names);
	return out;
}

static void probe_note(const struct rs *r, const tmpl *t, const struct op *o, int found,
		       unsigned seg, const value *in)
{
	struct probe *p = r->probe;
	struct probe_tag *g = NULL;
	for (size_t i = 0; i < p->len && !g; i++)
		if (p->at[i].o == o)
			g = &p->at[i];
	if (!g) {
		xgrow((void **)&p->at, &p->cap, p->len + 1, sizeof *p->at);
		g = &p->at[p->len++];
		*g = (struct probe_tag){ t, o, 0, NULL };
	}
	g->found |= found;
	if (!found && !g->guess)
		g->guess = guess(r, t, o, seg, in);
}

/* Whether t tests the name of tag o with a section or an inverted section:
 * then it is meant to be there or not. */
static int tested(const tmpl *t, const struct op *o)
{
	for (size_t i = 0; i < t->nops; i++) {
		const struct op *x = &t->ops[i];
		if ((x->kind == OP_SECTION || x->kind == OP_INVERTED) && x->len == o->len &&
		    memcmp(t->src + x->off, t->src + o->off, o->len) == 0)
			return 1;
	}
	return 0;
}

/* A name never found is a slip when it is close to one that is there, or
 * when it is printed without the template ever asking whether it is there
 * (an optional setting is asked about: {{#x}}, {{^x}}). */
static int slip(const struct probe_tag *g)
{
	return !g->found && (g->guess || ((g->o->kind == OP_VAR || g->o->kind == OP_RAW) &&
					   !tested(g->t, g->o)));
}

int tmpl_check_names(tmpl_env *env, const tmpl *t, const value *ctx, const char *what,
		     tmpl_known_fn known, void *ud, diag_list *d)
{
	struct probe p = { .known = known, .ud = ud };
	buf out = BUF_INIT;
	struct rs r = { .env = env, .out = &out, .d = d, .probe = &p };
	begin(&r, ctx);
	int rc = run(&r, t, 0, t->nops, 0);
	for (size_t i = 0; i < p.len; i++) {
		const struct probe_tag *g = &p.at[i];
		if (slip(g))
			diag_add(d, DIAG_WARNING, g->t->file, (int)g->o->line, (int)g->o->col,
				 "template", "'%.*s' is nothing in the context of %s: it renders "
				 "empty%s%s%s", shown(g->o->len), g->t->src + g->o->off, what,
				 g->guess ? "; did you mean '" : "", g->guess ? g->guess : "",
				 g->guess ? "'?" : "");
		free(g->guess);
	}
	free(p.at);
	free(r.ind);
	free(r.warned);
	buf_release(&out);
	return rc;
}

int tmpl_render(tmpl_env *env, const tmpl *t, const value *ctx, buf *out,
		diag_list *d)
{
	struct rs r = { .env = env, .out = out, .d = d, .start = out->len };
	begin(&r, ctx);
	int rc = run(&r, t, 0, t->nops, 0);
	free(r.ind);
	free(r.warned);
	return rc;
}

int tmpl_render_to(tmpl_env *env, const tmpl *t, const value *ctx, tmpl_sink sink, void *ud,
		   diag_list *d)
{
	buf out = BUF_INIT;
	struct rs r = { .env = env, .out = &out, .d = d, .sink = sink, .sinkud = ud };
	begin(&r, ctx);
	int rc = run(&r, t, 0, t->nops, 0);
	if (out.len)
		flush(&r);
	free(r.ind);
	free(r.warned);
	buf_release(&out);
	return rc;
}
