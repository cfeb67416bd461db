/* value_pack.c - a value sent back by a worker process (the feed entries of
 * `weekly build`) reads back the same: kinds, strings with NULs and any
 * bytes, exact numbers, maps' keys in order; a damaged record reads as
 * NULL, never as part of a value. */
#include <stdio.h>
#include "weekly/buf.h"
#include "weekly/value.h"
#include "expect.h"

static value *sample(void)
{
	value *m = value_map();
	value_map_lit(m, "title", value_cstring("周刊 #15: \"quotes\""));
	value_map_lit(m, "bytes", value_string("a\0b\x1b\xff", 5));
	value_map_lit(m, "tiny", value_number(0.1 + 0.2));
	value_map_lit(m, "big", value_number(-1e300));
	value_map_lit(m, "yes", value_bool(1));
	value_map_lit(m, "none", value_null());
	value *list = value_map_lit(m, "items", value_list());
	for (int i = 0; i < 3; i++) {
		value *it = value_map();
		value_map_lit(it, "n", value_number(i));
		value_map_lit(it, "zeta", value_cstring("z"));
		value_map_lit(it, "alpha", value_list());
		value_list_push(list, it);
	}
	return m;
}

int main(void)
{
	value *v = sample();
	buf packed = BUF_INIT, a = BUF_INIT, b = BUF_INIT;
	value_pack(v, &packed);
	struct buf_reader r = buf_reader(&packed);
	value *back = value_unpack_in(NULL, &r);
	value_json(v, &a);
	value_json(back, &b);
	/* JSON shows every byte of strings, numbers in their shortest exact
	 * form and maps' keys in their order */
	expect("the same value, as JSON", a.data, b.data ? b.data : "(none)");
	expect("read whole", "1", buf_read_all(&r) ? "1" : "0");
	int refused = 0, cuts = 0;
	for (size_t cut = 0; cut < packed.len; cut += 7, cuts++) {
		buf part = BUF_INIT;
		buf_put(&part, packed.data, cut);
		struct buf_reader pr = buf_reader(&part);
		value *got = value_unpack_in(NULL, &pr);
		refused += !got;
		value_free(got);
		buf_release(&part);
	}
	expect_long("a record cut short is refused, wherever it is cut", cuts, refused);
	value_free(v);
	value_free(back);
	buf_release(&packed);
	buf_release(&a);
	buf_release(&b);
	return expect_summary();
}
