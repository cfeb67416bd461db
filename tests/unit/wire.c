/* wire.c - what a worker process sends back: diagnostics and ledger rows
 * come back as they went, and a record cut short is seen as damaged; and
 * diagnostics sort by place, keeping the order of those at one place. */
#include <stdio.h>
#include <stdlib.h>
#include "weekly/buf.h"
#include "weekly/diag.h"
#include "weekly/ledger.h"
#include "expect.h"

static void diagnostics(void)
{
	diag_list d = DIAG_LIST_INIT, back = DIAG_LIST_INIT;
	diag_add(&d, DIAG_WARNING, "issues/003.md", 7, 3, "featured", "seen in %d", 2);
	diag_set_source(&d, "- [A](https://a.example)", 24);
	diag_add(&d, DIAG_ERROR, NULL, 0, 0, NULL, "no file");
	buf b = BUF_INIT;
	diag_pack(&d, &b);
	struct buf_reader r = buf_reader(&b);
	expect_long("diagnostics unpacked", 0, diag_unpack(&r, &back));
	expect_long("every byte read", 1, buf_read_all(&r));
	buf text = BUF_INIT;
	diag_format_list(&back, &text, DIAG_JSON, 0);
	buf want = BUF_INIT;
	diag_format_list(&d, &want, DIAG_JSON, 0);
	expect("diagnostics as they went", want.data, text.data);
	expect_long("errors counted", 1, (long)back.errors);
	expect("source line kept", "- [A](https://a.example)", back.items[0].source);
	expect("no file stays none", "(null)", back.items[1].file ? back.items[1].file : "(null)");

	diag_list cut = DIAG_LIST_INIT;
	b.len -= 3;
	r = buf_reader(&b);
	expect_long("a cut record is damaged", -1, diag_unpack(&r, &cut));
	expect_long("what came whole is kept", 1, (long)cut.len);
	diag_release(&cut);
	diag_release(&d);
	diag_release(&back);
	buf_release(&b);
	buf_release(&text);
	buf_release(&want);
}

static void ledger_rows(void)
{
	struct ledger l = LEDGER_INIT;
	ledger_init(&l);
	ledger_add(&l, &(struct ledger_entry){ .url = "https://A.example/x/", .issue = 4,
		   .file = "w.md", .section = "news", .item = 2, .line = 9, .col = 4,
		   .kind = LEDGER_ITEM });
	ledger_add(&l, &(struct ledger_entry){ .url = "img.png", .issue = 4, .file = "w.md",
		   .item = -1, .line = 1, .col = 1, .kind = LEDGER_IMAGE });
	buf b = BUF_INIT;
	buf_put_int(&b, 42);
	ledger_pack(&l, &b);
	struct buf_reader r = buf_reader(&b);
	size_t n;
	expect_long("a number first", 42, (long)buf_get_int(&r));
	struct ledger_entry *e = ledger_unpack(&r, "issues/004.md", 4, &n);
	expect_long("rows unpacked", 2, (long)n);
	expect_long("every byte read", 1, buf_read_all(&r));
	expect("url", "https://A.example/x/", e[0].url);
	expect("key", "https://a.example/x", e[0].key);
	expect("section", "news", e[0].section);
	expect("no section stays none", "(null)", e[1].section ? e[1].section : "(null)");
	expect("file given", "issues/004.md", e[1].file);
	char got[64];
	snprintf(got, sizeof got, "%ld %d:%d %ld %d", e[0].item, e[0].line, e[0].col, e[0].issue,
		 (int)e[1].kind);
	expect("numbers", "2 9:4 4 2", got);
	free(e);

	b.len -= 1; /* the last NUL gone */
	r = buf_reader(&b);
	buf_get_int(&r);
	e = ledger_unpack(&r, "issues/004.md", 4, &n);
	expect_long("a cut row is dropped", 1, (long)n);
	expect_long("and the reader knows", 1, r.bad);
	free(e);
	buf_release(&b);
	ledger_release(&l);
}

static void sorted(void)
{
	diag_list d = DIAG_LIST_INIT;
	for (int i = 3000; i > 0; i--) /* backwards: a big list, every place twice */
		for (int k = 0; k < 2; k++)
			diag_add(&d, DIAG_WARNING, i % 2 ? "b.md" : "a.md", i / 10, i % 10,
				 NULL, "%d", k);
	diag_add(&d, DIAG_NOTE, NULL, 0, 0, NULL, "none");
	diag_sort(&d);
	int order = 1, stable = 1;
	for (size_t i = 1; i < d.len; i++) {
		const diag *a = &d.items[i - 1], *b = &d.items[i];
		int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
		if (c > 0 || (!c && (a->line > b->line || (a->line == b->line && a->col > b->col))))
			order = 0;
		if (!c && a->line == b->line && a->col == b->col && strcmp(a->message, b->message) > 0)
			stable = 0;
	}
	expect("no file first", "none", d.items[0].message);
	expect_long("sorted by file, line, column", 1, order);
	expect_long("one place keeps its order", 1, stable);
	diag_release(&d);
}

int main(void)
{
	sorted();
	diagnostics();
	ledger_rows();
	return expect_summary();
}
