/* value_hint.c - lookups that look first where the same key was found last
 * (a template's names): the hint only ever saves work, whatever map comes
 * next; a map made at once or sharing another's entries finds its keys;
 * a literal set over a copied key is kept by address; the context stack
 * finds the topmost map holding a key. */
#include <stdio.h>
#include <string.h>
#include "weekly/arena.h"
#include "weekly/util.h"
#include "weekly/value.h"
#include "expect.h"

/* The string the hinted lookup of key finds in m, or "(none)". */
static const char *get(const value *m, const char *key, struct value_hint *h)
{
	const char *s = value_str(value_get_hinted(m, key, strlen(key), h));
	return s ? s : "(none)";
}

/* A map of keys whose names are copies (not literals), in this order. */
static value *copied(const char *const *keys, size_t n)
{
	value *m = value_map();
	for (size_t i = 0; i < n; i++)
		value_map_setc(m, keys[i], value_cstring(keys[i]));
	return m;
}

int main(void)
{
	struct value_hint h = { 0 };
	value *items[3];
	for (int i = 0; i < 3; i++) { /* made alike, as a list's items are */
		items[i] = value_map();
		value_map_lit(items[i], "n", value_number(i));
		value_map_lit(items[i], "title", value_cstring(i ? "second" : "first"));
	}
	expect("found", "first", get(items[0], "title", &h));
	expect_long("the hint is where it was", 1, (long)h.at);
	expect("found again at the hint in a map made alike", "second", get(items[1], "title", &h));

	/* the hinted entry holds another key: looked up as without a hint */
	value *other = value_map();
	value_map_lit(other, "title", value_cstring("third"));
	value_map_lit(other, "n", value_number(0));
	expect("another key at the hinted place", "third", get(other, "title", &h));
	expect_long("the hint follows", 0, (long)h.at);
	h.at = 7;
	expect("a hint past the end", "third", get(other, "title", &h));
	expect("a key that is not there", "(none)", get(other, "url", &h));
	expect_long("a hint is kept when nothing is found", 0, (long)h.at);

	/* a key of the same length and first byte at the hinted place */
	static const char *const near[] = { "tidle", "title" };
	value *m = copied(near, 2);
	h = (struct value_hint){ 0 };
	expect("a key alike is not the key", "title", get(m, "title", &h));
	expect("copied keys compare", "title", get(m, "title", &h));
	value_free(m);

	/* a literal set over a copied key: the entry takes the literal, which
	 * the hint then holds (compared by address) */
	m = copied(near, 2);
	value_map_lit(m, "title", value_cstring("retitled"));
	static const char title[] = "title";
	h = (struct value_hint){ 0 };
	expect("set over a copied key", "retitled", get(m, title, &h));
	expect_long("the entry's key is the literal", 1, value_entry_at(m, 1)->borrowed == VALUE_KEY_STATIC);
	expect_long("the hint holds its address", 1, h.key == value_entry_at(m, 1)->key);
	h.key = NULL; /* found again at the hint by comparing: the hint learns it */
	expect("found at the hint", "retitled", get(m, title, &h));
	expect_long("the hint learns the literal", 1, h.key == value_entry_at(m, 1)->key);
	expect_long("the other key is kept", 1, value_entry_at(m, 0)->borrowed == VALUE_KEY_OWNED);
	value_free(m);

	/* made at once, and sharing another's entries: same keys, same places */
	struct arena a = ARENA_INIT;
	struct value_entry e[] = {
		{ "id", 2, value_cstring_in(&a, "articles"), VALUE_KEY_STATIC },
		{ "title", 5, value_cstring_in(&a, "Articles"), VALUE_KEY_STATIC },
	};
	value *made = value_map_of_in(&a, e, 2, 1);
	value_map_lit(made, "count", value_number_in(&a, 3));
	value *big = value_map(); /* past the size where maps get an index */
	for (int i = 0; i < 40; i++) {
		char key[16];
		snprintf(key, sizeof key, "k%d", i);
		value_map_setc(big, key, value_number(i));
	}
	value *shared = value_map_share_in(&a, big, 1);
	value_map_lit(shared, "k3", value_cstring_in(&a, "replaced"));
	h = (struct value_hint){ 0 };
	expect("made at once", "Articles", get(made, "title", &h));
	expect_long("set after", 3, (long)value_num(value_getc(made, "count")));
	expect_long("shared with its index", 39, (long)value_num(value_getc(shared, "k39")));
	expect("replaced in the sharing map alone", "replaced", value_str(value_getc(shared, "k3")));
	expect_long("the shared map keeps its own", 3, (long)value_num(value_getc(big, "k3")));

	/* the stack: the topmost map with the key, whatever the hint says */
	const value *stack[] = { other, items[2] };
	size_t tried = 0;
	h = (struct value_hint){ 0 };
	expect("topmost first", "second", value_str(value_lookup(stack, 2, "title", 5, &tried, &h)));
	expect("below when the top lacks it", "(none)",
	       value_str(value_lookup(stack, 2, "url", 3, &tried, &h)) ? "?" : "(none)");
	const value *lower[] = { items[1], other };
	expect("the same hint on another stack", "third",
	       value_str(value_lookup(lower, 2, "title", 5, &tried, &h)));

	value_free(shared);
	value_free(made);
	arena_release(&a);
	value_free(big);
	value_free(other);
	for (int i = 0; i < 3; i++)
		value_free(items[i]);
	return expect_summary();
}
