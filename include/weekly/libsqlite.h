/* libsqlite.h - SQLite, loaded at run time by the commands that read or
 * write the archive index (index.h), so that every other command starts
 * without it, and a system without the library still builds every output
 * (the index is only a cache).
 *
 * libsqlite_load fills the table `libsqlite` with the library's functions;
 * callers use them through it and never link the library. */
#ifndef WEEKLY_LIBSQLITE_H
#define WEEKLY_LIBSQLITE_H

#include <sqlite3.h>

struct libsqlite {
	int (*open_v2)(const char *, sqlite3 **, int, const char *);
	int (*close_v2)(sqlite3 *);
	int (*db_config)(sqlite3 *, int, ...);
	int (*exec)(sqlite3 *, const char *, int (*)(void *, int, char **, char **), void *,
		    char **);
	int (*prepare_v2)(sqlite3 *, const char *, int, sqlite3_stmt **, const char **);
	int (*step)(sqlite3_stmt *);
	int (*reset)(sqlite3_stmt *);
	int (*finalize)(sqlite3_stmt *);
	int (*bind_int64)(sqlite3_stmt *, int, sqlite3_int64);
	int (*bind_text)(sqlite3_stmt *, int, const char *, int, void (*)(void *));
	int (*bind_null)(sqlite3_stmt *, int);
	sqlite3_int64 (*column_int64)(sqlite3_stmt *, int);
	const unsigned char *(*column_text)(sqlite3_stmt *, int);
	int (*column_type)(sqlite3_stmt *, int);
	const char *(*errmsg)(sqlite3 *);
	int (*busy_timeout)(sqlite3 *, int);
	void (*free)(void *);
	int (*config)(int, ...);
};

extern struct libsqlite libsqlite;

/* Load libsqlite3.so.0 (or the file WEEKLY_LIBSQLITE names) once: 0, or -1
 * when it cannot be loaded (the reason then in *why, a static string). */
int libsqlite_load(const char **why);

#endif
