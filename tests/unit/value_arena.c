/* value_arena.c - values made in an arena: they behave as heap values,
 * freeing them lets go of the shared values they hold, and the arena takes
 * the rest back at once. */
#include <stdio.h>
#include "weekly/arena.h"
#include "weekly/util.h"
#include "weekly/value.h"
#include "expect.h"

int main(void)
{
	struct arena a = ARENA_INIT;
	value *shared = value_map();
	value_map_lit(shared, "name", value_cstring("Weekly"));

	value *ctx = value_map_in(&a);
	value_map_lit(ctx, "newsletter", value_ref(shared));
	value *list = value_map_lit(ctx, "items", value_list_in(&a));
	for (int i = 0; i < 100; i++)
		value_list_push(list, value_number_in(&a, i));
	value *big = value_map_lit(ctx, "big", value_map_in(&a));
	for (int i = 0; i < 40; i++) { /* past the size where maps get an index */
		char key[16];
		snprintf(key, sizeof key, "k%d", i);
		value_map_setc(big, key, value_number_in(&a, i * 2));
	}
	value *copy = value_map_lit(ctx, "copy", value_copy_in(&a, shared));

	value *later = value_map_lit(ctx, "later", value_cstring("from the heap"));
	expect("made in the arena", "1", value_arena(ctx) == &a && value_arena(big) == &a &&
	       value_arena(copy) == &a && value_arena(value_getc(copy, "name")) == &a ? "1" : "0");
	expect("made on the heap", "1", value_arena(later) == NULL ? "1" : "0");
	expect("copied", "Weekly", value_str(value_getc(copy, "name")));
	expect_long("list grown in the arena", 100, (long)value_len(list));
	expect_long("last of the list", 99, (long)value_num(value_at(list, 99)));
	expect_long("big map found by key", 78, (long)value_num(value_getc(big, "k39")));
	expect_long("big map, first key", 0, (long)value_num(value_getc(big, "k0")));
	value_map_setc(big, "k5", value_cstring("replaced"));
	expect("replaced in the arena", "replaced", value_str(value_getc(big, "k5")));
	expect("shared value held, not copied", "1",
	       value_getc(ctx, "newsletter") == shared ? "1" : "0");
	value_free(ctx); /* frees "later" from the heap, lets go of shared */
	arena_reset(&a);
	expect("shared value intact", "Weekly", value_str(value_getc(shared, "name")));

	value *heap = value_map();
	value_map_lit(heap, "x", value_bool(1));
	expect("made on the heap", "1", value_arena(heap) == NULL ? "1" : "0");
	value_free(heap);
	value_free(shared); /* its last owner: LeakSanitizer (make check) sees it freed */
	arena_release(&a);
	return expect_summary();
}
