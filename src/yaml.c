/* yaml.c - libyaml events to a value tree, with bounded depth and aliases. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "weekly/util.h"
#include "weekly/yaml.h"

struct anchor {
	char *name;
	value *node; /* a copy: the original may be a key, freed once read */
	size_t bytes; /* what a copy costs, to bound alias expansion */
};

struct frame {
	value *v;
	char *key; /* a map's pending key, or NULL */
	size_t keylen;
	char *anchor;
	size_t start_bytes;
};

struct loader {
	yaml_parser_t parser;
	const char *src; /* the text, for the lines errors are on */
	size_t len;
	const char *file;
	int line_offset;
	diag_list *d;
	struct frame stack[YAML_MAX_DEPTH + 1];
	int depth;
	struct anchor *anchors;
	size_t nanchors, anchors_cap;
	value *names;    /* anchor name -> its latest index in anchors */
	size_t nodes;    /* events so far */
	size_t bytes;    /* the tree so far, aliases counted expanded */
	size_t expanded; /* bytes copied for aliases */
	value *root;
};

static void fail(struct loader *l, yaml_mark_t m, const char *msg, const char *arg)
{
	diag_add(l->d, DIAG_ERROR, l->file, (int)m.line + 1 + l->line_offset,
		 (int)m.column + 1, "yaml", "%s%s%s%s", msg, arg ? " '" : "",
		 arg ? arg : "", arg ? "'" : "");
}

/* Whether s (n bytes) is one of words; the first byte is compared first,
 * as most scalars are none of them. */
static int match(const char *s, size_t n, const char *const *words)
{
	char first = n ? s[0] : '\0';
	for (; *words; words++)
		if ((*words)[0] == first && strlen(*words) == n && memcmp(s, *words, n) == 0)
			return 1;
	return 0;
}

static int parse_number(const char *s, size_t n, double *out)
{
	static const char *const inf[] = { ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", NULL };
	static const char *const ninf[] = { "-.inf", "-.Inf", "-.INF", NULL };
	static const char *const nan[] = { ".nan", ".NaN", ".NAN", NULL };
	if (match(s, n, inf) || match(s, n, ninf) || match(s, n, nan)) {
		*out = match(s, n, nan) ? NAN : match(s, n, ninf) ? -INFINITY : INFINITY;
		return 1;
	}
	size_t i = (n && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
	if (i == n)
		return 0;
	if (n - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'o')) {
		char *end;
		unsigned long long u = strtoull(s + i + 2, &end, s[i + 1] == 'x' ? 16 : 8);
		*out = s[0] == '-' ? -(double)u : (double)u;
		return end == s + n;
	}
	int digits = 0, dot = 0, exp = 0;
	for (; i < n; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9')
			digits = 1;
		else if (c == '.' && !dot && !exp)
			dot = 1;
		else if ((c == 'e' || c == 'E') && digits && !exp) {
			exp = 1;
			if (i + 1 < n && (s[i + 1] == '-' || s[i + 1] == '+'))
				i++;
			digits = 0;
		} else
			return 0;
	}
	if (!digits)
		return 0;
	char *end;
	*out = strtod(s, &end);
	return end == s + n;
}

/* A plain scalar's type under the core schema; quoted ones are strings. */
static value *scalar(const yaml_event_t *e)
{
	const char *s = (const char *)e->data.scalar.value;
	size_t n = e->data.scalar.length;
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
	static const char *const yes[] = { "true", "True", "TRUE", NULL };
	static const char *const no[] = { "false", "False", "FALSE", NULL };
	const char *tag = (const char *)e->data.scalar.tag;
	double d;
	if (e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    (tag && strcmp(tag, YAML_STR_TAG) == 0))
		return value_string(s, n);
	if (match(s, n, nulls))
		return value_null();
	if (match(s, n, yes) || match(s, n, no))
		return value_bool(match(s, n, yes));
	if (parse_number(s, n, &d))
		return value_number(d);
	return value_string(s, n);
}

static void remember(struct loader *l, const char *name, value *v, size_t bytes)
{
	xgrow((void **)&l->anchors, &l->anchors_cap, l->nanchors + 1, sizeof(struct anchor));
	l->anchors[l->nanchors] = (struct anchor){ xstrdup(name), value_copy(v), bytes };
	value_map_setc(l->names, name, value_number((double)l->nanchors++));
}

/* Hand a finished node to the container on top of the stack. */
static int add(struct loader *l, value *v, yaml_mark_t m)
{
	value_set_place(v, (int)m.line + 1 + l->line_offset, (int)m.column + 1);
	if (l->depth == 0) {
		if (!l->root)
			l->root = v;
		else
			value_free(v);
		return 0;
	}
	struct frame *f = &l->stack[l->depth - 1];
	if (value_type(f->v) == VALUE_LIST) {
		value_list_push(f->v, v);
		return 0;
	}
	if (!f->key) {
		if (value_type(v) == VALUE_LIST || value_type(v) == VALUE_MAP) {
			value_free(v);
			fail(l, m, "a mapping key must be a plain value", NULL);
			return -1;
		}
		buf b = BUF_INIT;
		value_text(v, &b);
		if (!b.data)
			buf_puts(&b, "");
		const value *first = value_get(f->v, b.data, b.len);
		if (first) {
			char *q = util_quoted(b.data, b.len);
			diag_add(l->d, DIAG_ERROR, l->file, (int)m.line + 1 + l->line_offset,
				 (int)m.column + 1, "yaml", "the key '%s' appears twice; first at line %d",
				 q, value_line(first));
			free(q);
			buf_release(&b);
			value_free(v);
			return -1;
		}
		f->keylen = b.len;
		f->key = buf_take(&b);
		value_free(v);
		return 0;
	}
	value_map_set(f->v, f->key, f->keylen, v);
	free(f->key);
	f->key = NULL;
	return 0;
}

static int on_alias(struct loader *l, const yaml_event_t *e)
{
	const char *name = (const char *)e->data.alias.anchor;
	const value *at = value_getc(l->names, name);
	if (!at) {
		fail(l, e->start_mark, "unknown alias", name);
		return -1;
	}
	const struct anchor *a = &l->anchors[(size_t)value_num(at)];
	l->bytes += a->bytes;
	l->expanded += a->bytes;
	if (l->expanded > YAML_MAX_EXPANSION) {
		char limit[64];
		snprintf(limit, sizeof limit, "aliases expand to more than %u bytes at",
			 YAML_MAX_EXPANSION);
		fail(l, e->start_mark, limit, name);
		return -1;
	}
	return add(l, value_copy(a->node), e->start_mark);
}

static int on_start(struct loader *l, const yaml_event_t *e, value *v,
		    const yaml_char_t *anchor)
{
	if (l->depth >= YAML_MAX_DEPTH) {
		value_free(v);
		fail(l, e->start_mark, "nesting deeper than the limit", NULL);
		return -1;
	}
	value_set_place(v, (int)e->start_mark.line + 1 + l->line_offset,
			(int)e->start_mark.column + 1);
	l->stack[l->depth++] = (struct frame){ v, NULL, 0,
		anchor ? xstrdup((const char *)anchor) : NULL, l->bytes };
	return 0;
}

static int on_end(struct loader *l, const yaml_event_t *e)
{
	struct frame f = l->stack[--l->depth];
	if (f.anchor) {
		remember(l, f.anchor, f.v, l->bytes - f.start_bytes);
		free(f.anchor);
	}
	free(f.key);
	int line = value_line(f.v), col = value_col(f.v);
	yaml_mark_t m = e->start_mark;
	m.line = (size_t)(line - 1 - l->line_offset);
	m.column = (size_t)(col - 1);
	return add(l, f.v, m);
}

static int on_scalar(struct loader *l, const yaml_event_t *e)
{
	value *v = scalar(e);
	l->bytes += e->data.scalar.length;
	if (e->data.scalar.anchor)
		remember(l, (const char *)e->data.scalar.anchor, v,
			 YAML_NODE_BYTES + e->data.scalar.length);
	return add(l, v, e->start_mark);
}

static int on_event(struct loader *l, const yaml_event_t *e)
{
	l->bytes += YAML_NODE_BYTES;
	if (++l->nodes > YAML_MAX_NODES) {
		char limit[64];
		snprintf(limit, sizeof limit, "more than %u values", YAML_MAX_NODES);
		fail(l, e->start_mark, limit, NULL);
		return -1;
	}
	switch (e->type) {
	case YAML_SCALAR_EVENT: return on_scalar(l, e);
	case YAML_ALIAS_EVENT: return on_alias(l, e);
	case YAML_SEQUENCE_START_EVENT:
		return on_start(l, e, value_list(), e->data.sequence_start.anchor);
	case YAML_MAPPING_START_EVENT:
		return on_start(l, e, value_map(), e->data.mapping_start.anchor);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return on_end(l, e);
	default: return 0;
	}
}

/* libyaml's problems said in plain words: the problem (and context) it
 * names, what to tell the editor, and whether the context's mark (where
 * the thing not closed starts) is the place to point at. */
static const struct plain {
	const char *problem, *context, *words;
	int at_context;
} plain[] = {
	{ "end of stream", "quoted scalar",
	  "this quoted value is not closed: the closing quote is missing", 1 },
	{ "could not find expected ':'", NULL,
	  "this line has no ':' after its key; write 'key: value'", 1 },
	{ "mapping values are not allowed", NULL,
	  "unexpected ':' here; put a value holding ': ' in quotes, and indent the keys "
	  "of one mapping alike", 0 },
	{ "did not find expected key", NULL,
	  "this line is not indented like the keys above it", 0 },
	{ "did not find expected '-' indicator", NULL,
	  "this line is not indented like the list items above it", 0 },
	{ "did not find expected ',' or ']'", NULL,
	  "this '[' list is not closed with ']' (or two items lack a ',' between them)", 1 },
	{ "did not find expected ',' or '}'", NULL,
	  "this '{' mapping is not closed with '}' (or two entries lack a ',' between them)", 1 },
	{ "unknown escape character", NULL,
	  "unknown escape after '\\' in a double-quoted value; write '\\\\' for a backslash, "
	  "or use single quotes", 0 },
	{ "cannot start any token", NULL,
	  "a value cannot start with this character; put the value in quotes", 0 },
	{ "did not find expected node content", NULL, "a value is missing here", 0 },
	{ "block sequence entries are not allowed", NULL,
	  "a '- ' list item cannot follow a value on the same line; put the list on the "
	  "lines below its key", 0 },
	{ NULL, NULL, NULL, 0 }
};

/* Whether line n (0-based) of the source is indented with a tab. */
static int tab_indented(const struct loader *l, size_t n)
{
	const char *s = l->src, *end = l->src + l->len;
	for (size_t line = 0; s < end && line < n; s++)
		line += *s == '\n';
	for (; s < end && (*s == ' ' || *s == '\t'); s++)
		if (*s == '\t')
			return 1;
	return 0;
}

static void parse_error(struct loader *l)
{
	yaml_parser_t *p = &l->parser;
	const char *problem = p->problem ? p->problem : "cannot parse";
	const char *context = p->context ? p->context : "";
	yaml_mark_t m = p->problem_mark;
	const char *words = NULL;
	for (const struct plain *w = plain; w->problem && !words; w++)
		if (strstr(problem, w->problem) && (!w->context || strstr(context, w->context))) {
			words = w->words;
			if (w->at_context)
				m = p->context_mark;
		}
	if (tab_indented(l, p->problem_mark.line)) {
		m = p->problem_mark;
		m.column = 0;
		words = "this line is indented with a tab; YAML indents with spaces only";
	}
	int line = (int)m.line + 1 + l->line_offset, col = (int)m.column + 1;
	if (words)
		diag_add(l->d, DIAG_ERROR, l->file, line, col, "yaml", "invalid YAML: %s", words);
	else
		diag_add(l->d, DIAG_ERROR, l->file, line, col, "yaml", "invalid YAML: %s%s%s",
			 problem, *context ? " " : "", context);
}

static void cleanup(struct loader *l)
{
	while (l->depth > 0) {
		struct frame *f = &l->stack[--l->depth];
		free(f->key);
		free(f->anchor);
		value_free(f->v);
	}
	for (size_t i = 0; i < l->nanchors; i++) {
		free(l->anchors[i].name);
		value_free(l->anchors[i].node);
	}
	free(l->anchors);
	value_free(l->names);
	yaml_parser_delete(&l->parser);
}

value *yaml_load(const char *src, size_t len, const char *file,
		 int line_offset, diag_list *d)
{
	struct loader l = { .src = src, .len = len, .file = file, .line_offset = line_offset,
			    .d = d, .names = value_map() };
	yaml_parser_initialize(&l.parser);
	yaml_parser_set_input_string(&l.parser, (const unsigned char *)src, len);
	int done = 0, ok = 1;
	while (!done && ok) {
		yaml_event_t e;
		if (!yaml_parser_parse(&l.parser, &e)) {
			parse_error(&l);
			ok = 0;
			break;
		}
		ok = on_event(&l, &e) == 0;
		done = e.type == YAML_DOCUMENT_END_EVENT || e.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&e);
	}
	cleanup(&l);
	if (!ok) {
		value_free(l.root);
		return NULL;
	}
	return l.root ? l.root : value_null();
}
