/* linklist.c - the listing of links of `weekly links` and `weekly where`. */
#include <stdlib.h>
#include <string.h>
#include "weekly/archive.h"
#include "weekly/diag.h"
#include "weekly/linklist.h"

int linklist_parse_format(const char *s, enum linklist_format *out)
{
	static const char *const names[] = { "human", "tsv", "json" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum linklist_format)i;
			return 0;
		}
	return -1;
}

static const char *kind_name(const struct ledger_entry *e)
{
	return e->kind == LEDGER_ITEM ? "item" : e->kind == LEDGER_IMAGE ? "image" : "link";
}

void linklist_begin(struct linklist *ls, enum linklist_format format, FILE *f)
{
	*ls = (struct linklist){ .format = format, .to = f, .out = BUF_INIT };
	if (format == LINKLIST_TSV)
		buf_puts(&ls->out, "issue\tsection\titem\tkind\tfile\tline\tcolumn\turl\tnormalized\n");
	else if (format == LINKLIST_JSON)
		buf_puts(&ls->out, "[\n");
}

/* The place in a terminal's words; what a source wrote is escaped. */
static void row_human(buf *out, const struct ledger_entry *e)
{
	diag_escape(out, e->file);
	buf_printf(out, ":%d:%d: issue %ld, ", e->line, e->col, e->issue);
	if (e->kind != LEDGER_ITEM)
		buf_printf(out, "%s in ", kind_name(e));
	if (!e->section)
		buf_puts(out, "the lead");
	else if (e->item >= 0)
		buf_printf(out, "%s item %ld", e->section, e->item + 1);
	else
		buf_puts(out, e->section);
	buf_puts(out, ": ");
	diag_escape(out, e->url);
	buf_putc(out, '\n');
}

static void row_json(buf *out, const struct ledger_entry *e, const char *norm, int first)
{
	buf_printf(out, "%s  {\"issue\": %ld, ", first ? "" : ",\n", e->issue);
	buf_put_json_field(out, "section", e->section);
	if (e->item >= 0)
		buf_printf(out, ", \"item\": %ld, ", e->item + 1);
	else
		buf_puts(out, ", \"item\": null, ");
	buf_put_json_field(out, "kind", kind_name(e));
	buf_puts(out, ", ");
	buf_put_json_field(out, "file", e->file);
	buf_printf(out, ", \"line\": %d, \"column\": %d, ", e->line, e->col);
	buf_put_json_field(out, "url", e->url);
	buf_puts(out, ", ");
	buf_put_json_field(out, "normalized", norm);
	buf_putc(out, '}');
}

static void row_tsv(buf *out, const struct ledger_entry *e, const char *norm)
{
	buf_printf(out, "%ld\t", e->issue);
	archive_put_field(out, e->section);
	if (e->item >= 0)
		buf_printf(out, "\t%ld\t", e->item + 1);
	else
		buf_puts(out, "\t\t");
	buf_printf(out, "%s\t", kind_name(e));
	archive_put_field(out, e->file);
	buf_printf(out, "\t%d\t%d\t", e->line, e->col);
	archive_put_field(out, e->url);
	buf_putc(out, '\t');
	archive_put_field(out, norm);
	buf_putc(out, '\n');
}

void linklist_row(struct linklist *ls, const struct ledger_entry *e)
{
	if (ls->format == LINKLIST_HUMAN) {
		row_human(&ls->out, e);
	} else {
		char *norm = ledger_normalize(e->url);
		if (ls->format == LINKLIST_JSON)
			row_json(&ls->out, e, norm, ls->rows == 0);
		else
			row_tsv(&ls->out, e, norm);
		free(norm);
	}
	ls->rows++;
}

void linklist_flush(struct linklist *ls)
{
	buf_flush(&ls->out, ls->to);
}

void linklist_end(struct linklist *ls)
{
	if (ls->format == LINKLIST_JSON)
		buf_puts(&ls->out, ls->rows ? "\n]\n" : "]\n");
	linklist_flush(ls);
	buf_release(&ls->out);
}
