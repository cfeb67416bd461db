/* buf_dec.c - buf_put_dec writes numbers as printf's "%lld" does. */
#include <limits.h>
#include "weekly/buf.h"
#include "expect.h"

static void dec(long long v)
{
	char want[32], name[64];
	buf b = BUF_INIT;
	buf_puts(&b, "n=");
	buf_put_dec(&b, v);
	snprintf(want, sizeof want, "n=%lld", v);
	snprintf(name, sizeof name, "%lld as printf writes it", v);
	expect(name, want, b.data);
	buf_release(&b);
}

int main(void)
{
	const long long values[] = { 0, 1, 9, 10, 99, 100, 12345, -1, -10, -98765,
				     LLONG_MAX, LLONG_MIN, LLONG_MIN + 1 };
	for (size_t i = 0; i < sizeof values / sizeof *values; i++)
		dec(values[i]);
	return expect_summary();
}
