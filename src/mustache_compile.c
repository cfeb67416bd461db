/* mustache_compile.c - the Mustache compiler: a template's text to a flat
 * array of ops, with standalone lines, delimiters, sections, partials,
 * parents and blocks resolved, and errors that point at the tag. */
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
#include "mustache_int.h"

void tmpl_free_one(tmpl *t)
{
	free(t->file);
	free(t->src);
	free(t->ops);
	free(t->segs);
	free(t);
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
		t->segs[t->nsegs++] = (struct seg){ (uint32_t)a, (uint32_t)(e - a), { NULL, 0 } };
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
		tmpl_free_one(t);
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
		tmpl_free_one(t);
		return NULL;
	}
	t->next = env->all;
	env->all = t;
	return t;
}

