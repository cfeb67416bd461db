/* value_made.c - lists made as they are walked (value_list_made_in), for
 * the archive page of any size: a template walks them as any list, nested
 * in themselves too, each item made once per walk and gone before the
 * next; JSON, records and copies see the same items; tmpl_render_to hands
 * the output over in pieces that add up to tmpl_render's; and
 * digest_file, which reads a page back a piece at a time, gives
 * digest_bytes's digest at every length around its blocks and pieces. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "weekly/arena.h"
#include "weekly/buf.h"
#include "weekly/digest.h"
#include "weekly/mustache.h"
#include "weekly/util.h"
#include "weekly/value.h"
#include "expect.h"

static size_t made;      /* items made so far */
static int watching;     /* where items are made is looked at */
static const value *first_item;
static int elsewhere;    /* an item was not made where the first was */

/* Item i: {n: i, name: "item i"}. */
static value *item(const void *ud, size_t i, struct arena *in)
{
	(void)ud;
	made++;
	value *m = value_map_in(in);
	char name[32];
	snprintf(name, sizeof name, "item %zu", i);
	value_map_lit(m, "n", value_number_in(in, (double)i));
	value_map_lit(m, "name", value_cstring_in(in, name));
	if (watching && !first_item)
		first_item = m;
	else if (watching && m != first_item)
		elsewhere = 1;
	return m;
}

static char *render(const char *src, const value *ctx)
{
	tmpl_env *env = tmpl_env_new_dir("/nonexistent", TMPL_ESCAPE_HTML);
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	tmpl *t = tmpl_compile(env, "t.mustache", src, strlen(src), &d);
	if (!t || tmpl_render(env, t, ctx, &out, &d) < 0)
		buf_puts(&out, "(error)");
	diag_release(&d);
	tmpl_env_free(env);
	char *s = xstrdup(out.data ? out.data : "");
	buf_release(&out);
	return s;
}

struct pieces {
	buf all;
	size_t count, biggest;
};

static void take(void *ud, const char *data, size_t len)
{
	struct pieces *p = ud;
	buf_put(&p->all, data, len);
	p->count++;
	p->biggest = len > p->biggest ? len : p->biggest;
}

static void walks(void)
{
	struct arena a = ARENA_INIT;
	value *ctx = value_map_in(&a);
	value_map_lit(ctx, "items", value_list_made_in(&a, 3, item, NULL));
	value_map_lit(ctx, "none", value_list_made_in(&a, 0, item, NULL));
	const value *items = value_getc(ctx, "items");
	expect_long("length", 3, (long)value_len(items));
	expect("no item held", "1", value_at(items, 0) == NULL ? "1" : "0");
	char *s = render("{{#items}}{{n}}:{{name}};{{/items}}{{^none}}none{{/none}}", ctx);
	expect("walked by a template", "0:item 0;1:item 1;2:item 2;none", s);
	free(s);
	made = 0;
	s = render("{{#items}}[{{#items}}{{n}}{{/items}} {{name}}]{{/items}}", ctx);
	expect("walked inside its own walk, the outer item still there",
	       "[012 item 0][012 item 1][012 item 2]", s);
	expect_long("each item made once per walk", 12, (long)made);
	free(s);

	buf json = BUF_INIT;
	value_json(ctx, &json);
	expect("as JSON", "{\"items\":[{\"n\":0,\"name\":\"item 0\"},{\"n\":1,\"name\":\"item 1\"},"
	       "{\"n\":2,\"name\":\"item 2\"}],\"none\":[]}", json.data);
	buf packed = BUF_INIT;
	value_pack(ctx, &packed);
	struct buf_reader r = buf_reader(&packed);
	value *back = value_unpack_in(NULL, &r);
	expect("packed and read back, items held", "item 2",
	       value_str(value_getc(value_at(value_getc(back, "items"), 2), "name")));
	value *copy = value_copy(ctx);
	s = render("{{#items}}{{n}}{{/items}}", copy);
	expect("copied, still made as walked", "012", s);
	free(s);
	value_free(copy);
	value_free(back);
	buf_release(&packed);
	buf_release(&json);
	arena_release(&a);
}

/* A walk of many items keeps one at a time: every item is made in the
 * same arena, reset before the next. */
static void long_walk(void)
{
	struct arena a = ARENA_INIT;
	value *ctx = value_map_in(&a);
	value_map_lit(ctx, "items", value_list_made_in(&a, 100000, item, NULL));
	tmpl_env *env = tmpl_env_new_dir("/nonexistent", TMPL_ESCAPE_HTML);
	diag_list d = DIAG_LIST_INIT;
	const char *src = "<ul>\n{{#items}}<li>{{name}}</li>\n{{/items}}</ul>\n";
	tmpl *t = tmpl_compile(env, "t.mustache", src, strlen(src), &d);
	struct pieces p = { BUF_INIT, 0, 0 };
	buf whole = BUF_INIT;
	made = 0;
	watching = 1;
	int rc = tmpl_render_to(env, t, ctx, take, &p, &d);
	watching = 0;
	expect_long("streamed", 0, rc);
	expect_long("every item made", 100000, (long)made);
	expect("each item made where the one before was: one held at a time", "1",
	       first_item && !elsewhere ? "1" : "0");
	tmpl_render(env, t, ctx, &whole, &d);
	expect("pieces add up to the rendering", "1",
	       p.all.len == whole.len && memcmp(p.all.data, whole.data, whole.len) == 0 ? "1" : "0");
	expect("handed over in pieces", "1", p.count > 10 && p.biggest < (256u << 10) ? "1" : "0");
	buf_release(&p.all);
	buf_release(&whole);
	diag_release(&d);
	tmpl_env_free(env);
	arena_release(&a);
}

static void digests(void)
{
	static const size_t sizes[] = { 0, 1, 7, 8, 31, 32, 33, 63, 64, 65, 65535, 65536, 65537,
					131072 + 5, 200003 };
	size_t max = 200003;
	unsigned char *data = xmalloc(max);
	for (size_t i = 0; i < max; i++)
		data[i] = (unsigned char)(i * 2654435761u >> 13);
	char path[] = "/tmp/weekly-digest-XXXXXX";
	int fd = mkstemp(path), ok = fd >= 0;
	for (size_t k = 0; ok && k < sizeof sizes / sizeof *sizes; k++) {
		int found;
		ok = ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0 &&
		     write(fd, data, sizes[k]) == (ssize_t)sizes[k] &&
		     digest_file(path, 5, &found) == digest_bytes(data, sizes[k], 5) && found;
		if (!ok)
			printf("at %zu bytes\n", sizes[k]);
	}
	expect("a file read in pieces digests as its bytes", "1", ok ? "1" : "0");
	int found = 1;
	unlink(path);
	digest_file(path, 0, &found);
	expect("a missing file is not found", "0", found ? "1" : "0");
	if (fd >= 0)
		close(fd);
	free(data);
}

int main(void)
{
	walks();
	long_walk();
	digests();
	return expect_summary();
}
