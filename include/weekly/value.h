/* value.h - the one dynamic value type: null, bool, number, string, list, map.
 *
 * YAML documents, the template context and the data of `weekly render` are
 * all trees of values. A tree owns its children: value_free frees the whole
 * tree. Adding a child (value_list_push, value_map_set) hands ownership of the
 * child to the container. A value may have several owners (value_ref):
 * each frees it once and the last frees it; a shared value must not change.
 * Strings are copied on creation, into the value's own block. Maps keep their
 * keys in insertion order; a key set twice keeps its first place and takes
 * the new value. */
#ifndef WEEKLY_VALUE_H
#define WEEKLY_VALUE_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"

typedef enum {
	VALUE_NULL, VALUE_BOOL, VALUE_NUMBER, VALUE_STRING, VALUE_LIST, VALUE_MAP
} value_kind;

typedef struct value value;

struct value_entry {
	char *key;
	size_t keylen;
	value *val;
	int borrowed;  /* VALUE_KEY_*: key is the map's copy, or not */
};
enum {
	VALUE_KEY_OWNED,    /* the map's copy */
	VALUE_KEY_BORROWED, /* a string that outlives the map */
	VALUE_KEY_STATIC    /* a string literal: no other key has its address */
};

value *value_null(void);
value *value_bool(int b);
value *value_number(double d);
value *value_string(const char *s, size_t len);
value *value_cstring(const char *s);
value *value_list(void);
value *value_map(void);
value *value_copy(const value *v);
/* One more owner for v; returns v. */
value *value_ref(value *v);
void value_free(value *v);

/* The same, made in arena a (arena.h; NULL: on the heap as above). The
 * keys and entries added to a container later come from its arena too.
 * Freeing a value of an arena frees nothing but lets go of what it holds
 * from elsewhere (a shared value it took a reference to), and
 * arena_reset(a) then frees it all at once. For trees of thousands of
 * small values that die together; none may outlive the reset. */
struct arena;
value *value_null_in(struct arena *a);
value *value_bool_in(struct arena *a, int b);
value *value_number_in(struct arena *a, double d);
value *value_string_in(struct arena *a, const char *s, size_t len);
value *value_cstring_in(struct arena *a, const char *s);
value *value_list_in(struct arena *a);
value *value_map_in(struct arena *a);
value *value_copy_in(struct arena *a, const value *v);
/* A string value of the len bytes at s (a NUL after them), which are not
 * copied: they must outlive the value. Copies of it (value_copy_in) copy
 * them. For a tree shown for a while (a template's context) made of texts
 * that outlive it. */
value *value_borrow_in(struct arena *a, const char *s, size_t len);
/* The arena v was made in, NULL for the heap: where values that join it
 * are made. */
struct arena *value_arena(const value *v);

/* A list of len items too many to hold at once (the archive page's
 * issues): item i is made by make(ud, i, in) when the list is walked, in
 * arena in, which the walker resets before the next (value_item_in).
 * value_at finds none of its items; it takes no value_list_push. ud must
 * outlive the list and its copies. */
typedef value *(*value_make_fn)(const void *ud, size_t i, struct arena *in);
value *value_list_made_in(struct arena *a, size_t len, value_make_fn make, const void *ud);
/* Item i of a list, made in arena in if the list makes its items, else
 * the one it holds (in untouched); NULL past the end. */
const value *value_item_in(const value *list, size_t i, struct arena *in);

/* Room for n items of a list or entries of a map, made at once. */
void value_reserve(value *v, size_t n);
/* Containers: the child becomes the container's. Returns the child. */
value *value_list_push(value *list, value *child);
value *value_map_set(value *map, const char *key, size_t keylen, value *child);
value *value_map_setc(value *map, const char *key, value *child);
/* The same with a string literal for key, which is used without a copy. */
#define value_map_lit(map, key, child) \
	value_map_set_static((map), "" key "", sizeof(key) - 1, (child))
value *value_map_set_static(value *map, const char *key, size_t keylen, value *child);
/* The same with a key that outlives the map (a literal, a setting). */
value *value_map_set_literal(value *map, const char *key, size_t keylen, value *child);
/* A map made at once of the n entries at e, in that order, with room for
 * extra more: keys distinct and used without a copy (literals, or keys
 * that outlive the map: each entry's borrowed says which; 0 is taken as
 * VALUE_KEY_BORROWED), values handed over as value_map_set does. */
value *value_map_of_in(struct arena *a, const struct value_entry *e, size_t n, size_t extra);
/* A map of the entries of map m, with room for extra more: its keys (not
 * copied) and its values (value_ref) are m's, which must outlive the map
 * and not change. Setting a key of the new map replaces its value there
 * alone. */
value *value_map_share_in(struct arena *a, const value *m, size_t extra);

/* Lookups return borrowed pointers, or NULL when absent or not a map/list. */
const value *value_get(const value *map, const char *key, size_t keylen);
const value *value_getc(const value *map, const char *key);
/* Where a key was found last (value_get_hinted): the entry, and the
 * key's address when it is a string literal. Zero before the first. */
struct value_hint { const char *key; uint32_t at; };
/* The same, looking first at the entry hint says (NULL: no hint), and
 * setting it to where key was found: a caller that looks the same key up
 * in many maps made alike (a template's name, in each item of a list)
 * finds it there at once, without comparing it when its key is a
 * literal. */
const value *value_get_hinted(const value *map, const char *key, size_t keylen,
			      struct value_hint *hint);
/* The value of key in the topmost of the maps stack[0..n) that has it
 * (stack[n - 1] is the top; items that are not maps have no keys), or
 * NULL: a template's context stack. Adds to *tried the maps it looked in;
 * hint as for value_get_hinted. */
const value *value_lookup(const value *const *stack, size_t n, const char *key, size_t keylen,
			  size_t *tried, struct value_hint *hint);
/* Follow a dotted path ("issue.date") through maps. */
const value *value_path(const value *v, const char *path);
size_t value_len(const value *v); /* items of a list, entries of a map, else 0 */
const value *value_at(const value *list, size_t i);
/* The same for editing a tree in place: the i-th item of a list (NULL past
 * the end or when list is not one). */
value *value_item(value *list, size_t i);
/* Put child in the place of the i-th item of a list or the value of the
 * i-th entry of a map, and hand back what was there, now the caller's;
 * NULL (and child left alone) when there is no such place. */
value *value_swap(value *v, size_t i, value *child);
/* The i-th entry of a map, in insertion order (NULL past the end); its
 * val may be edited in place. */
const struct value_entry *value_entry_at(const value *map, size_t i);

/* What v is: VALUE_NULL for NULL too. */
value_kind value_type(const value *v);
/* The number of a number value, else 0. */
double value_num(const value *v);
/* The truth of a boolean value, else 0. */
int value_boolean(const value *v);
/* The length in bytes of a string value, else 0. */
size_t value_strlen(const value *v);
/* Where v starts in its source, 1-based (value_line, value_col); 0 when
 * it has no place or v is NULL. The YAML reader sets it. */
int value_line(const value *v);
int value_col(const value *v);
void value_set_place(value *v, int line, int col);

/* Mustache truthiness: false, null, the empty list and the empty string are
 * falsey, everything else is truthy. */
int value_truthy(const value *v);
/* The text a value interpolates to: strings as they are, numbers in their
 * shortest exact form (85, 1.21), booleans as true/false, null as nothing,
 * containers as nothing. */
void value_text(const value *v, buf *out);
/* The string of a string value, else NULL. */
const char *value_str(const value *v);
/* The same, with its length in *len (0 for NULL). */
const char *value_strn(const value *v, size_t *len);
/* Write the value as JSON (NaN and infinities, which JSON lacks, as null). */
void value_json(const value *v, buf *out);

/* v as a record a worker process sends back (buf.h): kinds, strings,
 * numbers, and maps' keys in their order (not where values were in their
 * source). value_unpack_in reads it back where r reads, made in arena a
 * (NULL: on the heap); NULL when the record is cut short or damaged. */
void value_pack(const value *v, buf *out);
value *value_unpack_in(struct arena *a, struct buf_reader *r);

#endif
