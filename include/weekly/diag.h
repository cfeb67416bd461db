/* diag.h - diagnostics about content, printed like a compiler's, and the
 * exit statuses of every command (defined here and nowhere else).
 *
 * A diag_list collects every problem of a run; nothing is printed until the
 * caller asks. Strings passed to diag_add are copied. */
#ifndef WEEKLY_DIAG_H
#define WEEKLY_DIAG_H

#include <stdio.h>
#include <stddef.h>
#include "buf.h"

enum {
	EXIT_CLEAN = 0,   /* success; warnings allowed */
	EXIT_CONTENT = 1, /* errors in the content (or warnings under --strict) */
	EXIT_USAGE = 2,   /* bad command line */
	EXIT_SYSTEM = 3   /* I/O or system error */
};

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_severity;
typedef enum { DIAG_HUMAN, DIAG_JSON, DIAG_GITHUB } diag_format;

typedef struct diag {
	char *file;      /* may be NULL for problems not tied to a file */
	int line, col;   /* 1-based; 0 when unknown */
	diag_severity severity;
	char *rule;      /* short rule name, e.g. "front-matter"; may be NULL */
	char *message;
	char *source;    /* the line shown under it, when not read from file at
	                  * printing (diag_set_source); NULL */
} diag;

typedef struct diag_list {
	diag *items;
	size_t len, cap;
	size_t errors, warnings;
} diag_list;

#define DIAG_LIST_INIT { NULL, 0, 0, 0, 0 }

void diag_add(diag_list *l, diag_severity sev, const char *file, int line,
	      int col, const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
/* The longest line a diagnostic keeps: a longer one is read from its file
 * when the diagnostic is printed. */
#define DIAG_SOURCE_MAX 4096
/* Give the last diagnostic of l the text of the line it points at (copied),
 * for a file that changes before the list is printed. */
void diag_set_source(diag_list *l, const char *line, size_t len);
/* Give every diagnostic of l about file its line from src, the file as
 * source.h read it, its lines indexed: printing then reads nothing (but
 * for lines over DIAG_SOURCE_MAX). */
struct src;
void diag_set_sources(diag_list *l, const char *file, const struct src *src);
/* Move every diagnostic of src to the end of dst, leaving src empty. */
void diag_move(diag_list *dst, diag_list *src);
/* Stable sort by file, line, column. */
void diag_sort(diag_list *l);
/* Append l to out, each diagnostic with the line it shows, as a worker
 * process sends it back (buf.h). */
void diag_pack(const diag_list *l, buf *out);
/* Add to l the diagnostics diag_pack wrote where r reads; -1 when the
 * record is cut short or damaged. */
int diag_unpack(struct buf_reader *r, diag_list *l);
/* Print the whole list. Human output uses colour when color is non-zero,
 * and shows under each diagnostic the line of its file it points at, read
 * when printed, with a caret under its column (which counts bytes; the
 * caret goes where a terminal shows that byte: tabs, wide and combining
 * characters counted as shown). */
void diag_print(const diag_list *l, FILE *out, diag_format fmt, int color);
/* The same text, added to b. */
void diag_format_list(const diag_list *l, buf *b, diag_format fmt, int color);
void diag_release(diag_list *l);
/* The summary line "2 errors, 1 warning in 3 issues" (the issues looked
 * at; without " in ..." when none was), with its line break, into b. */
void diag_summary(const diag_list *l, size_t issues, buf *b);

/* Append s to b as a terminal may show it: control characters (C0, DEL,
 * C1), bidirectional overrides and bytes that are not UTF-8 become \xNN,
 * \n, \t, \r or \uNNNN. Human and GitHub output pass every file name and
 * message through it: what a source or a server wrote cannot steer a
 * terminal or a log. */
void diag_escape(buf *b, const char *s);
/* s escaped so, in a string of its own that the caller frees. */
char *diag_escaped(const char *s);
/* Print the message fmt makes to f escaped so (a final line break kept):
 * for messages that quote what a file name, a source or a server says. */
void diag_say(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same with backslashes doubled: a field of a tab-separated line
 * (build state, `weekly links`) that shows safely and that
 * diag_unescape_field gives back byte for byte. */
void diag_escape_field(buf *b, const char *s);
/* The text such a field stands for (\\, \t, \n, \r, \xNN, \uNNNN read
 * back; a backslash before another character dropped). The caller frees it. */
char *diag_unescape_field(const char *s);

/* The format and colour standard error should get: github when
 * GITHUB_ACTIONS=true, colour only on a terminal and never with NO_COLOR. */
diag_format diag_default_format(void);
int diag_want_color(FILE *f);
/* Parse a --format value; returns -1 when unknown. */
int diag_parse_format(const char *s, diag_format *out);

/* The exit status a list deserves. */
int diag_exit_status(const diag_list *l, int strict);

#endif
