/* value.c - the dynamic value tree shared by YAML, templates and data. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/arena.h"
#include "weekly/util.h"
#include "weekly/value.h"

struct value {
	value_kind kind;
	int refs;      /* owners beyond the first */
	struct arena *arena; /* the arena holding it (value_map_in...), or NULL */
	int line, col; /* where the value starts in its source, 1-based; 0 if none */
	union {
		int boolean;
		double number;
		struct { char *s; size_t len; } str;
		struct {
			value **at;
			size_t len, cap;
			value_make_fn make; /* a list made as it is walked */
			const void *ud;
		} list;
		struct {
			struct value_entry *at;
			size_t len, cap;
			size_t *index; /* hash of entries, for big maps */
			/* with index: its slots; without: a bit per key's length
			 * and first byte (key_bit), for a quick "not here" */
			size_t index_cap;
		} map;
	} u;
};

/* n bytes from arena a, or from the heap. */
static void *take_in(struct arena *a, size_t n)
{
	return a ? arena_alloc(a, n) : xmalloc(n);
}

/* n bytes for what value v holds. */
static void *take(const value *v, size_t n)
{
	return take_in(v->arena, n);
}

/* Room for need elements of elem bytes at *p, which holds *cap. */
static void grow(const value *v, void **p, size_t *cap, size_t need, size_t elem)
{
	if (!v->arena) {
		xgrow(p, cap, need, elem);
		return;
	}
	if (need <= *cap)
		return;
	size_t n = *cap ? *cap * 2 : 8;
	while (n < need)
		n *= 2;
	void *q = arena_alloc(v->arena, n * elem);
	if (*cap)
		memcpy(q, *p, *cap * elem);
	*p = q;
	*cap = n;
}

/* Room for exactly n elements of elem bytes at *p, which holds *cap < n. */
static void grow_to(const value *v, void **p, size_t *cap, size_t n, size_t elem)
{
	void *q = v->arena ? arena_alloc(v->arena, n * elem) : xrealloc(*p, n * elem);
	if (v->arena && *cap)
		memcpy(q, *p, *cap * elem);
	*p = q;
	*cap = n;
}

static value *new_value(struct arena *a, value_kind k)
{
	value *v = take_in(a, sizeof *v);
	memset(v, 0, sizeof *v);
	v->kind = k;
	v->arena = a;
	return v;
}

value *value_null_in(struct arena *a) { return new_value(a, VALUE_NULL); }
value *value_list_in(struct arena *a) { return new_value(a, VALUE_LIST); }

value *value_list_made_in(struct arena *a, size_t len, value_make_fn make, const void *ud)
{
	value *v = new_value(a, VALUE_LIST);
	v->u.list.len = len;
	v->u.list.make = make;
	v->u.list.ud = ud;
	return v;
}

const value *value_item_in(const value *list, size_t i, struct arena *in)
{
	if (list && list->kind == VALUE_LIST && list->u.list.make && i < list->u.list.len)
		return list->u.list.make(list->u.list.ud, i, in);
	return value_at(list, i);
}
value *value_map_in(struct arena *a) { return new_value(a, VALUE_MAP); }

value *value_bool_in(struct arena *a, int b)
{
	value *v = new_value(a, VALUE_BOOL);
	v->u.boolean = !!b;
	return v;
}

value *value_number_in(struct arena *a, double d)
{
	value *v = new_value(a, VALUE_NUMBER);
	v->u.number = d;
	return v;
}

/* A string's bytes follow its value in the same block. */
value *value_string_in(struct arena *a, const char *s, size_t len)
{
	size_t size = sizeof(value) + len + 1;
	value *v = take_in(a, size < len ? SIZE_MAX : size); /* too big: out of memory */
	memset(v, 0, sizeof *v);
	v->kind = VALUE_STRING;
	v->arena = a;
	v->u.str.s = (char *)(v + 1);
	memcpy(v->u.str.s, s, len);
	v->u.str.s[len] = '\0';
	v->u.str.len = len;
	return v;
}

value *value_borrow_in(struct arena *a, const char *s, size_t len)
{
	value *v = new_value(a, VALUE_STRING);
	v->u.str.s = (char *)s;
	v->u.str.len = len;
	return v;
}

value *value_cstring_in(struct arena *a, const char *s)
{
	return value_string_in(a, s, strlen(s));
}

value *value_null(void) { return value_null_in(NULL); }
value *value_list(void) { return value_list_in(NULL); }
value *value_map(void) { return value_map_in(NULL); }
value *value_bool(int b) { return value_bool_in(NULL, b); }
value *value_number(double d) { return value_number_in(NULL, d); }
value *value_string(const char *s, size_t len) { return value_string_in(NULL, s, len); }
value *value_cstring(const char *s) { return value_string_in(NULL, s, strlen(s)); }
value *value_copy(const value *v) { return value_copy_in(NULL, v); }

struct arena *value_arena(const value *v)
{
	return v->arena;
}

value *value_copy_in(struct arena *a, const value *v)
{
	value *c;
	switch (v->kind) {
	case VALUE_STRING:
		c = value_string_in(a, v->u.str.s, v->u.str.len);
		break;
	case VALUE_LIST:
		if (v->u.list.make) {
			c = value_list_made_in(a, v->u.list.len, v->u.list.make, v->u.list.ud);
			break;
		}
		c = value_list_in(a);
		for (size_t i = 0; i < v->u.list.len; i++)
			value_list_push(c, value_copy_in(a, v->u.list.at[i]));
		break;
	case VALUE_MAP:
		c = value_map_in(a);
		for (size_t i = 0; i < v->u.map.len; i++)
			value_map_set(c, v->u.map.at[i].key, v->u.map.at[i].keylen,
				      value_copy_in(a, v->u.map.at[i].val));
		break;
	default:
		c = new_value(a, v->kind);
		c->u = v->u;
	}
	c->line = v->line;
	c->col = v->col;
	return c;
}

value *value_ref(value *v)
{
	v->refs++;
	return v;
}

/* Whether freeing v does anything: not for a value of an arena that is
 * neither shared nor a container (an issue's context is thousands of
 * them, freed at once with their arena). */
static inline int holds(const value *v)
{
	return v && (!v->arena || v->refs || v->kind == VALUE_LIST || v->kind == VALUE_MAP);
}

void value_free(value *v)
{
	if (!v)
		return;
	if (v->refs) {
		v->refs--;
		return;
	}
	int heap = !v->arena;
	if (v->kind == VALUE_LIST) {
		for (size_t i = 0; v->u.list.at && i < v->u.list.len; i++)
			if (holds(v->u.list.at[i]))
				value_free(v->u.list.at[i]);
		if (heap)
			free(v->u.list.at);
	} else if (v->kind == VALUE_MAP) {
		for (size_t i = 0; i < v->u.map.len; i++) {
			if (heap && !v->u.map.at[i].borrowed)
				free(v->u.map.at[i].key);
			if (holds(v->u.map.at[i].val))
				value_free(v->u.map.at[i].val);
		}
		if (heap) {
			free(v->u.map.at);
			free(v->u.map.index);
		}
	}
	if (heap)
		free(v);
}

void value_reserve(value *v, size_t n)
{
	if (v->kind == VALUE_LIST && n > v->u.list.cap)
		grow_to(v, (void **)&v->u.list.at, &v->u.list.cap, n, sizeof(value *));
	else if (v->kind == VALUE_MAP && n > v->u.map.cap)
		grow_to(v, (void **)&v->u.map.at, &v->u.map.cap, n, sizeof(struct value_entry));
}

value *value_list_push(value *list, value *child)
{
	grow(list, (void **)&list->u.list.at, &list->u.list.cap, list->u.list.len + 1,
	     sizeof(value *));
	list->u.list.at[list->u.list.len++] = child;
	return child;
}

/* Maps up to this size are searched linearly; bigger ones get a hash index
 * so that hostile documents with huge maps stay linear. */
#define LINEAR_MAX 16

/* The bit of a key in a small map's mask: most lookups in a template's
 * context stack miss the maps on top (an item's map is asked for its
 * section's names), and most keys put are new. */
static size_t key_bit(const char *key, size_t keylen)
{
	unsigned c = keylen ? (unsigned char)key[0] : 0;
	return (size_t)1 << ((keylen * 7 + c) % (8 * sizeof(size_t)));
}

static int key_is(const struct value_entry *e, const char *key, size_t keylen)
{
	if (e->keylen != keylen || (keylen && e->key[0] != key[0]))
		return 0;
	size_t i = 1; /* keys are short: byte by byte, without a call */
	while (i < keylen && e->key[i] == key[i])
		i++;
	return i >= keylen;
}

/* index slots hold entry position + 1; 0 is empty */
static void index_insert(value *map, size_t pos)
{
	struct value_entry *e = &map->u.map.at[pos];
	size_t mask = map->u.map.index_cap - 1;
	size_t i = (size_t)util_hash(e->key, e->keylen) & mask;
	while (map->u.map.index[i])
		i = (i + 1) & mask;
	map->u.map.index[i] = pos + 1;
}

static void index_rebuild(value *map)
{
	size_t cap = 64;
	while (cap < map->u.map.len * 2)
		cap *= 2;
	if (!map->arena)
		free(map->u.map.index);
	map->u.map.index = take(map, cap * sizeof(size_t));
	memset(map->u.map.index, 0, cap * sizeof(size_t));
	map->u.map.index_cap = cap;
	for (size_t i = 0; i < map->u.map.len; i++)
		index_insert(map, i);
}

/* Where key is in map, or -1. hint (or NULL) says the entry to look at
 * first, and learns where the key was found. */
static inline __attribute__((always_inline)) long find_key(const value *map, const char *key,
							   size_t keylen, struct value_hint *hint)
{
	long at = -1;
	if (!map->u.map.index && !(map->u.map.index_cap & key_bit(key, keylen)))
		return -1;
	if (hint && hint->at < map->u.map.len) {
		const struct value_entry *e = &map->u.map.at[hint->at];
		if (hint->key && e->key == hint->key && e->keylen == keylen)
			return (long)hint->at;
		if (key_is(e, key, keylen)) {
			hint->key = e->borrowed == VALUE_KEY_STATIC ? e->key : NULL;
			return (long)hint->at;
		}
	}
	if (!map->u.map.index) {
		for (size_t i = 0; i < map->u.map.len && at < 0; i++)
			if (key_is(&map->u.map.at[i], key, keylen))
				at = (long)i;
	} else {
		size_t mask = map->u.map.index_cap - 1;
		for (size_t i = (size_t)util_hash(key, keylen) & mask; map->u.map.index[i] && at < 0;
		     i = (i + 1) & mask)
			if (key_is(&map->u.map.at[map->u.map.index[i] - 1], key, keylen))
				at = (long)map->u.map.index[i] - 1;
	}
	if (hint && at >= 0) {
		const struct value_entry *e = &map->u.map.at[at];
		*hint = (struct value_hint){ e->borrowed == VALUE_KEY_STATIC ? e->key : NULL,
					     (uint32_t)at };
	}
	return at;
}

/* Set e's key (copied unless borrowed) to child. */
static value *put(value *map, const struct value_entry *e, value *child)
{
	long at = find_key(map, e->key, e->keylen, NULL);
	if (at >= 0) {
		struct value_entry *x = &map->u.map.at[at];
		value_free(x->val);
		x->val = child;
		if (e->borrowed == VALUE_KEY_STATIC && x->borrowed != VALUE_KEY_STATIC) {
			if (x->borrowed == VALUE_KEY_OWNED && !map->arena)
				free(x->key);
			x->key = e->key; /* the literal: hints compare its address */
			x->borrowed = VALUE_KEY_STATIC;
		}
		return child;
	}
	size_t n = map->u.map.len;
	grow(map, (void **)&map->u.map.at, &map->u.map.cap, n + 1, sizeof(struct value_entry));
	char *key = (char *)e->key;
	if (!e->borrowed) {
		key = take(map, e->keylen + 1);
		memcpy(key, e->key, e->keylen);
		key[e->keylen] = '\0';
	}
	map->u.map.at[n] = (struct value_entry){ key, e->keylen, child, e->borrowed };
	map->u.map.len = n + 1;
	if (map->u.map.index && (n + 1) * 2 <= map->u.map.index_cap)
		index_insert(map, n);
	else if (n + 1 > LINEAR_MAX)
		index_rebuild(map);
	else
		map->u.map.index_cap |= key_bit(key, e->keylen);
	return child;
}

value *value_map_set(value *map, const char *key, size_t keylen, value *child)
{
	return put(map, &(struct value_entry){ (char *)key, keylen, NULL, VALUE_KEY_OWNED },
		   child);
}

value *value_map_set_literal(value *map, const char *key, size_t keylen, value *child)
{
	return put(map, &(struct value_entry){ (char *)key, keylen, NULL, VALUE_KEY_BORROWED },
		   child);
}

value *value_map_set_static(value *map, const char *key, size_t keylen, value *child)
{
	return put(map, &(struct value_entry){ (char *)key, keylen, NULL, VALUE_KEY_STATIC },
		   child);
}

value *value_map_of_in(struct arena *a, const struct value_entry *e, size_t n, size_t extra)
{
	value *c = value_map_in(a);
	value_reserve(c, n + extra);
	for (size_t i = 0; i < n; i++) { /* distinct keys: no lookups */
		c->u.map.at[i] = (struct value_entry){ e[i].key, e[i].keylen, e[i].val,
						       e[i].borrowed ? e[i].borrowed : VALUE_KEY_BORROWED };
		c->u.map.index_cap |= key_bit(e[i].key, e[i].keylen);
	}
	c->u.map.len = n;
	if (n > LINEAR_MAX)
		index_rebuild(c);
	return c;
}

value *value_map_share_in(struct arena *a, const value *m, size_t extra)
{
	size_t n = value_type(m) == VALUE_MAP ? m->u.map.len : 0;
	value *c = value_map_in(a);
	value_reserve(c, n + extra);
	for (size_t i = 0; i < n; i++) {
		struct value_entry e = m->u.map.at[i];
		c->u.map.at[i] = (struct value_entry){ e.key, e.keylen, value_ref(e.val),
						       e.borrowed ? e.borrowed : VALUE_KEY_BORROWED };
	}
	c->u.map.len = n;
	if (!n)
		return c;
	c->u.map.index_cap = m->u.map.index_cap; /* its keys' bits, or its index's size */
	if (m->u.map.index) { /* the same keys at the same places: the same index */
		size_t size = m->u.map.index_cap * sizeof(size_t);
		c->u.map.index = take(c, size);
		memcpy(c->u.map.index, m->u.map.index, size);
	}
	return c;
}

value *value_map_setc(value *map, const char *key, value *child)
{
	return value_map_set(map, key, strlen(key), child);
}

const value *value_get(const value *map, const char *key, size_t keylen)
{
	return value_get_hinted(map, key, keylen, NULL);
}

const value *value_get_hinted(const value *map, const char *key, size_t keylen,
			      struct value_hint *hint)
{
	if (!map || map->kind != VALUE_MAP)
		return NULL;
	long at = find_key(map, key, keylen, hint);
	return at < 0 ? NULL : map->u.map.at[at].val;
}

/* value_lookup past its first test. */
static __attribute__((noinline)) const value *lookup_down(const value *const *stack, size_t n, const char *key,
				size_t keylen, size_t *tried, struct value_hint *hint)
{
	for (size_t i = n; i-- > 0;) {
		const value *m = stack[i];
		++*tried;
		long at = m && m->kind == VALUE_MAP ? find_key(m, key, keylen, hint) : -1;
		if (at >= 0)
			return m->u.map.at[at].val;
	}
	return NULL;
}

/* The test first, without a frame (the rest is lookup_down's): the hint
 * names a literal key of the top map, as it does when a template looks
 * up what each item of a list of maps made alike holds. */
const value *value_lookup(const value *const *stack, size_t n, const char *key, size_t keylen,
			  size_t *tried, struct value_hint *hint)
{
	const value *m = n ? stack[n - 1] : NULL;
	if (m && m->kind == VALUE_MAP && hint && hint->key && hint->at < m->u.map.len) {
		const struct value_entry *e = &m->u.map.at[hint->at];
		if (e->key == hint->key && e->keylen == keylen) {
			++*tried;
			return e->val;
		}
	}
	return lookup_down(stack, n, key, keylen, tried, hint);
}

const value *value_getc(const value *map, const char *key)
{
	return value_get(map, key, strlen(key));
}

const value *value_path(const value *v, const char *path)
{
	while (v && *path) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);
		v = value_get(v, path, n);
		path += n + (dot != NULL);
	}
	return v;
}

size_t value_len(const value *v)
{
	if (v && v->kind == VALUE_LIST)
		return v->u.list.len;
	if (v && v->kind == VALUE_MAP)
		return v->u.map.len;
	return 0;
}

const value *value_at(const value *list, size_t i)
{
	if (!list || list->kind != VALUE_LIST || i >= list->u.list.len || list->u.list.make)
		return NULL;
	return list->u.list.at[i];
}

value *value_item(value *list, size_t i)
{
	return (value *)value_at(list, i);
}

value *value_swap(value *v, size_t i, value *child)
{
	value **slot = NULL;
	if (v && v->kind == VALUE_LIST && i < v->u.list.len && !v->u.list.make)
		slot = &v->u.list.at[i];
	else if (v && v->kind == VALUE_MAP && i < v->u.map.len)
		slot = &v->u.map.at[i].val;
	if (!slot)
		return NULL;
	value *old = *slot;
	*slot = child;
	return old;
}

const struct value_entry *value_entry_at(const value *map, size_t i)
{
	if (!map || map->kind != VALUE_MAP || i >= map->u.map.len)
		return NULL;
	return &map->u.map.at[i];
}

value_kind value_type(const value *v)
{
	return v ? v->kind : VALUE_NULL;
}

double value_num(const value *v)
{
	return v && v->kind == VALUE_NUMBER ? v->u.number : 0;
}

int value_boolean(const value *v)
{
	return v && v->kind == VALUE_BOOL && v->u.boolean;
}

size_t value_strlen(const value *v)
{
	return v && v->kind == VALUE_STRING ? v->u.str.len : 0;
}

int value_line(const value *v)
{
	return v ? v->line : 0;
}

int value_col(const value *v)
{
	return v ? v->col : 0;
}

void value_set_place(value *v, int line, int col)
{
	v->line = line;
	v->col = col;
}

int value_truthy(const value *v)
{
	if (!v)
		return 0;
	switch (v->kind) {
	case VALUE_NULL: return 0;
	case VALUE_BOOL: return v->u.boolean;
	case VALUE_STRING: return v->u.str.len > 0;
	case VALUE_LIST: return v->u.list.len > 0;
	default: return 1;
	}
}

static void number_text(double d, buf *out)
{
	if (d >= 0 && d < 100 && d == (double)(int)d) { /* a count, a place in a list */
		int n = (int)d;
		if (n >= 10)
			buf_putc(out, (char)('0' + n / 10));
		buf_putc(out, (char)('0' + n % 10));
		return;
	}
	if (d > -1e15 && d < 1e15 && d == (double)(long long)d) { /* whole (NaN is not) */
		buf_put_dec(out, (long long)d);
		return;
	}
	if (isnan(d) || isinf(d)) {
		buf_puts(out, isnan(d) ? ".nan" : d < 0 ? "-.inf" : ".inf");
		return;
	}
	/* the shortest form that reads back as the same double */
	char tmp[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	buf_puts(out, tmp);
}

void value_text(const value *v, buf *out)
{
	if (!v)
		return;
	switch (v->kind) {
	case VALUE_STRING: buf_put(out, v->u.str.s, v->u.str.len); break;
	case VALUE_NUMBER: number_text(v->u.number, out); break;
	case VALUE_BOOL: buf_puts(out, v->u.boolean ? "true" : "false"); break;
	default: break;
	}
}

const char *value_str(const value *v)
{
	return v && v->kind == VALUE_STRING ? v->u.str.s : NULL;
}

const char *value_strn(const value *v, size_t *len)
{
	int str = v && v->kind == VALUE_STRING;
	*len = str ? v->u.str.len : 0;
	return str ? v->u.str.s : NULL;
}

void value_json(const value *v, buf *out)
{
	if (!v || v->kind == VALUE_NULL) {
		buf_puts(out, "null");
	} else if (v->kind == VALUE_STRING) {
		buf_putc(out, '"');
		buf_put_json(out, v->u.str.s, v->u.str.len);
		buf_putc(out, '"');
	} else if (v->kind == VALUE_NUMBER && !isfinite(v->u.number)) {
		buf_puts(out, "null"); /* JSON has no NaN or infinity */
	} else if (v->kind == VALUE_LIST) {
		struct arena in = ARENA_INIT;
		buf_putc(out, '[');
		for (size_t i = 0; i < v->u.list.len; i++) {
			if (i)
				buf_putc(out, ',');
			value_json(value_item_in(v, i, &in), out);
			arena_reset(&in);
		}
		buf_putc(out, ']');
		arena_release(&in);
	} else if (v->kind == VALUE_MAP) {
		buf_putc(out, '{');
		for (size_t i = 0; i < v->u.map.len; i++) {
			if (i)
				buf_putc(out, ',');
			buf_putc(out, '"');
			buf_put_json(out, v->u.map.at[i].key, v->u.map.at[i].keylen);
			buf_puts(out, "\":");
			value_json(v->u.map.at[i].val, out);
		}
		buf_putc(out, '}');
	} else {
		value_text(v, out);
	}
}

/* --- records (buf.h) ----------------------------------------------------- */

/* Containers nested deeper than this are refused when read back. */
#define VALUE_PACK_DEPTH 512

void value_pack(const value *v, buf *out)
{
	value_kind k = v ? v->kind : VALUE_NULL;
	buf_put_int(out, k);
	if (k == VALUE_BOOL) {
		buf_put_int(out, v->u.boolean);
	} else if (k == VALUE_NUMBER) {
		buf_put_bytes(out, (const char *)&v->u.number, sizeof v->u.number);
	} else if (k == VALUE_STRING) {
		buf_put_bytes(out, v->u.str.s, v->u.str.len);
	} else if (k == VALUE_LIST) {
		struct arena in = ARENA_INIT;
		buf_put_int(out, (long long)v->u.list.len);
		for (size_t i = 0; i < v->u.list.len; i++) {
			value_pack(value_item_in(v, i, &in), out);
			arena_reset(&in);
		}
		arena_release(&in);
	} else if (k == VALUE_MAP) {
		buf_put_int(out, (long long)v->u.map.len);
		for (size_t i = 0; i < v->u.map.len; i++) {
			buf_put_bytes(out, v->u.map.at[i].key, v->u.map.at[i].keylen);
			value_pack(v->u.map.at[i].val, out);
		}
	}
}

static value *unpack_at(struct arena *a, struct buf_reader *r, int depth);

/* n children of container v, lists' items or maps' keyed values. */
static int unpack_children(struct buf_reader *r, value *v, long long n, int depth)
{
	for (long long i = 0; i < n && !r->bad; i++) {
		size_t keylen = 0;
		const char *key = v->kind == VALUE_MAP ? buf_get_bytes(r, &keylen) : NULL;
		value *child = unpack_at(v->arena, r, depth + 1);
		if (!child || (v->kind == VALUE_MAP && !key)) {
			value_free(child);
			return -1;
		}
		if (v->kind == VALUE_MAP)
			value_map_set(v, key, keylen, child);
		else
			value_list_push(v, child);
	}
	return r->bad ? -1 : 0;
}

static value *unpack_at(struct arena *a, struct buf_reader *r, int depth)
{
	long long k = buf_get_int(r), n = 0;
	size_t len = 0;
	const char *s;
	if (r->bad || depth > VALUE_PACK_DEPTH)
		return NULL;
	switch (k) {
	case VALUE_NULL: return value_null_in(a);
	case VALUE_BOOL: n = buf_get_int(r); return r->bad ? NULL : value_bool_in(a, n != 0);
	case VALUE_NUMBER: {
		double d;
		s = buf_get_bytes(r, &len);
		if (!s || len != sizeof d)
			return NULL;
		memcpy(&d, s, sizeof d);
		return value_number_in(a, d);
	}
	case VALUE_STRING:
		s = buf_get_bytes(r, &len);
		return s ? value_string_in(a, s, len) : NULL;
	case VALUE_LIST: case VALUE_MAP: {
		n = buf_get_int(r);
		value *v = k == VALUE_LIST ? value_list_in(a) : value_map_in(a);
		if (n < 0 || unpack_children(r, v, n, depth) < 0) {
			value_free(v);
			return NULL;
		}
		return v;
	}
	}
	return NULL;
}

value *value_unpack_in(struct arena *a, struct buf_reader *r)
{
	return unpack_at(a, r, 0);
}

