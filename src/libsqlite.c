/* libsqlite.c - load SQLite at run time. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/dl.h"
#include "weekly/libsqlite.h"

#define LIBSQLITE_SYM(name, field) { "sqlite3_" name, offsetof(struct libsqlite, field), 0 }
static const struct dl_sym libsqlite_syms[] = {
	LIBSQLITE_SYM("open_v2", open_v2),
	LIBSQLITE_SYM("close_v2", close_v2),
	LIBSQLITE_SYM("db_config", db_config),
	LIBSQLITE_SYM("exec", exec),
	LIBSQLITE_SYM("prepare_v2", prepare_v2),
	LIBSQLITE_SYM("step", step),
	LIBSQLITE_SYM("reset", reset),
	LIBSQLITE_SYM("finalize", finalize),
	LIBSQLITE_SYM("bind_int64", bind_int64),
	LIBSQLITE_SYM("bind_text", bind_text),
	LIBSQLITE_SYM("bind_null", bind_null),
	LIBSQLITE_SYM("column_int64", column_int64),
	LIBSQLITE_SYM("column_text", column_text),
	LIBSQLITE_SYM("column_type", column_type),
	LIBSQLITE_SYM("errmsg", errmsg),
	LIBSQLITE_SYM("busy_timeout", busy_timeout),
	LIBSQLITE_SYM("free", free),
	LIBSQLITE_SYM("config", config),
};

struct libsqlite libsqlite;

/* WEEKLY_LIBSQLITE names another library to load; a name that cannot be
 * loaded ("none") runs weekly without its index. */
int libsqlite_load(const char **why)
{
	static int state; /* 0: not tried, 1: loaded, -1: failed */
	static const char *reason;
	if (state) {
		*why = reason;
		return state > 0 ? 0 : -1;
	}
	const char *ignored;
	int rc = dl_load("libsqlite3", "WEEKLY_LIBSQLITE", "libsqlite3.so.0", libsqlite_syms,
			 sizeof libsqlite_syms / sizeof *libsqlite_syms, &libsqlite, &ignored);
	state = -1;
	reason = rc == -2 ? "libsqlite3 lacks a function weekly needs"
			  : "libsqlite3.so.0 cannot be loaded";
	*why = reason;
	if (rc < 0)
		return -1;
	/* before the first connection: no count of memory in use kept (one
	 * more lock taken at each allocation) */
	libsqlite.config(SQLITE_CONFIG_MEMSTATUS, 0);
	state = 1;
	reason = NULL;
	*why = NULL;
	return 0;
}
