/* index.c - the archive index in SQLite (index.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "weekly/fsutil.h"
#include "weekly/index.h"
#include "weekly/libsqlite.h"
#include "weekly/util.h"

/* Statements, prepared once each when first used. */
enum stmt {
	S_META, S_SET_META, S_ISSUES, S_TEXTS, S_TEXTS_RANGE, S_NEAR_BEFORE, S_NEAR_AFTER, S_PUT_ISSUE,
	S_DROP_ISSUE, S_DROP_ISSUE_LINKS, S_OUTPUTS, S_PAGES, S_PUT_OUTPUT, S_DROP_OUTPUT, S_UNLINKED,
	S_DROP_LINKS, S_PUT_LINK, S_LINKED, S_LINKS, S_LINKS_BEFORE, S_NEWEST,
	S_ROWS_VERDICTS, S_ROWS_LINKMETA, S_PUT_VERDICTS, S_PUT_LINKMETA, NSTMTS
};

static const char *const sql[NSTMTS] = {
	[S_META] = "SELECT value FROM meta WHERE key = ?1",
	[S_SET_META] = "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
	[S_ISSUES] = "SELECT name, number, size, mtime, digest, draft, numbered, failed, listed,"
		" date, title, counts, diags, lede FROM issues WHERE number BETWEEN ?1 AND ?2"
		" ORDER BY number, name",
	[S_TEXTS] = "SELECT lede, diags FROM issues WHERE name = ?1",
	[S_TEXTS_RANGE] = "SELECT name, number, lede, diags FROM issues WHERE number BETWEEN ?1 AND ?2"
		" ORDER BY number, name",
	[S_NEAR_BEFORE] = "SELECT max(number) FROM issues WHERE listed AND number < ?1",
	[S_NEAR_AFTER] = "SELECT min(number) FROM issues WHERE listed AND number > ?1",
	[S_NEWEST] = "SELECT number FROM issues ORDER BY number DESC LIMIT 1 OFFSET ?1",
	[S_PUT_ISSUE] = "INSERT INTO issues(name, number, size, mtime, digest, draft, numbered,"
		" failed, listed, date, title, counts, diags, lede)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
		" ON CONFLICT(name) DO UPDATE SET number = ?2, size = ?3, mtime = ?4,"
		" linked = CASE WHEN digest = ?5 THEN linked END, digest = ?5, draft = ?6,"
		" numbered = ?7, failed = ?8, listed = ?9, date = ?10, title = ?11,"
		" counts = ?12, diags = ?13, lede = ?14",
	[S_DROP_ISSUE] = "DELETE FROM issues WHERE name = ?1",
	[S_DROP_ISSUE_LINKS] = "DELETE FROM links WHERE issue = ?1",
	/* apart, so that each is a search of outputs_number, not a scan */
	[S_OUTPUTS] = "SELECT name, number, size, mtime, key, digest FROM outputs"
		" WHERE number BETWEEN ?1 AND ?2 ORDER BY number, name",
	[S_PAGES] = "SELECT name, number, size, mtime, key, digest FROM outputs"
		" WHERE number IS NULL ORDER BY name",
	[S_PUT_OUTPUT] = "INSERT OR REPLACE INTO outputs(name, number, size, mtime, key, digest)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[S_DROP_OUTPUT] = "DELETE FROM outputs WHERE name = ?1",
	[S_UNLINKED] = "SELECT name, number, digest FROM issues WHERE linked IS NOT digest"
		" AND number <= ?1 ORDER BY number, name",
	[S_DROP_LINKS] = "DELETE FROM links WHERE issue = ?1",
	[S_PUT_LINK] = "INSERT INTO links(issue, seq, number, shown, kind, key, url, section,"
		" item, line, col) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[S_LINKED] = "UPDATE issues SET linked = ?2 WHERE name = ?1",
	[S_LINKS] = "SELECT issue, number, kind, url, section, item, line, col, shown FROM links"
		" WHERE key = ?1 AND (NOT ?2 OR kind = 0) ORDER BY number, issue, seq",
	[S_LINKS_BEFORE] = "SELECT issue, number, kind, url, section, item, line, col, shown"
		" FROM links"
		" WHERE key = ?1 AND (NOT ?2 OR kind = 0) AND number < ?3"
		" ORDER BY number, issue, seq",
	[S_ROWS_VERDICTS] = "SELECT url, row FROM verdicts ORDER BY url",
	[S_ROWS_LINKMETA] = "SELECT url, row FROM linkmeta ORDER BY url",
	[S_PUT_VERDICTS] = "INSERT OR REPLACE INTO verdicts(url, row) VALUES (?1, ?2)",
	[S_PUT_LINKMETA] = "INSERT OR REPLACE INTO linkmeta(url, row) VALUES (?1, ?2)",
};

/* The schema: the tables of index.h and the indexes lookups use. The
 * archive's tables are made again with each version of the schema; what
 * links said (verdicts, linkmeta, and the keys of meta about them) cannot
 * be read from the sources, so it is kept across versions. */
static const char archive_schema[] =
	"CREATE TABLE issues(name TEXT PRIMARY KEY, number INTEGER NOT NULL, size INTEGER,"
	" mtime INTEGER, digest INTEGER, draft INTEGER, numbered INTEGER, failed INTEGER,"
	" listed INTEGER, date TEXT, title TEXT, counts TEXT, diags TEXT, lede TEXT,"
	" linked INTEGER);"
	"CREATE INDEX issues_number ON issues(number);"
	"CREATE INDEX issues_unlinked ON issues(number) WHERE linked IS NOT digest;"
	/* the listed issue next to a number is the first row either way, not
	 * the first after the drafts and failed issues in between */
	"CREATE INDEX issues_listed ON issues(number) WHERE listed;"
	"CREATE TABLE outputs(name TEXT PRIMARY KEY, number INTEGER, size INTEGER,"
	" mtime INTEGER, key INTEGER, digest INTEGER) WITHOUT ROWID;"
	"CREATE INDEX outputs_number ON outputs(number);"
	"CREATE TABLE links(issue TEXT NOT NULL, seq INTEGER NOT NULL, number INTEGER, shown INTEGER,"
	" kind INTEGER, key TEXT, url TEXT, section TEXT, item INTEGER, line INTEGER,"
	" col INTEGER, PRIMARY KEY(issue, seq)) WITHOUT ROWID;"
	"CREATE INDEX links_key ON links(key, number);";
static const char kept_schema[] =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER) WITHOUT ROWID;"
	"DELETE FROM meta WHERE key NOT LIKE 'link%';"
	"CREATE TABLE IF NOT EXISTS verdicts(url TEXT PRIMARY KEY, row TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS linkmeta(url TEXT PRIMARY KEY, row TEXT NOT NULL)"
	" WITHOUT ROWID;";

/* A close leaves the write-ahead log to the next command instead of copying
 * it into the file, which costs two disk syncs (of the log, then of the
 * file) and, at the next write, two more for a fresh log (its header and
 * its folder): a command that wrote a few rows (a link check's verdicts)
 * pays none. A log past this size is copied in as it closes, as SQLite
 * does by default, so that the next command's open, which reads the log
 * back, stays cheap. */
#define INDEX_LOG_KEPT (1L << 20)

struct index {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *st[NSTMTS];
	int damaged;         /* a query found the file damaged: removed at close */
};

char *index_path(const char *root)
{
	return xasprintf("%s/%s/%s", root, INDEX_DIR, INDEX_FILE);
}

static void note_damage(const char *path, const char *why)
{
	fprintf(stderr, "weekly: note: the archive index '%s' %s; it is made again from the "
		"sources\n", path, why);
}

static void remove_files(const char *path)
{
	static const char *const tails[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
		char *p = xasprintf("%s%s", path, tails[i]);
		unlink(p);
		free(p);
	}
}

static int damage(int rc)
{
	return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

/* What is wrong with the file at path before SQLite opens it, or NULL: a
 * file that does not start as a database does, or is shorter than its
 * header says (and no write-ahead log holds the rest). */
static const char *file_problem(const char *path)
{
	struct stat st, wal;
	unsigned char h[100];
	if (stat(path, &st) < 0 || st.st_size == 0)
		return NULL;
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(h, 1, sizeof h, f) : 0;
	if (f)
		fclose(f);
	if (n < sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
		return "is not a database";
	unsigned long page = (unsigned long)h[16] << 8 | h[17];
	unsigned long pages = (unsigned long)h[28] << 24 | (unsigned long)h[29] << 16 |
		(unsigned long)h[30] << 8 | h[31];
	page = page == 1 ? 65536 : page;
	char *walpath = xasprintf("%s-wal", path);
	int logged = stat(walpath, &wal) == 0 && wal.st_size > 0;
	free(walpath);
	if (!logged && (unsigned long long)st.st_size < (unsigned long long)page * pages)
		return "is truncated";
	return NULL;
}

static int exec(struct index *ix, const char *s)
{
	int rc = libsqlite.exec(ix->db, s, NULL, NULL, NULL);
	ix->damaged |= damage(rc);
	return rc == SQLITE_OK ? 0 : -1;
}

static long long pragma(struct index *ix, const char *s)
{
	sqlite3_stmt *st;
	long long v = -1;
	int rc = libsqlite.prepare_v2(ix->db, s, -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = libsqlite.step(st)) == SQLITE_ROW)
		v = libsqlite.column_int64(st, 0);
	ix->damaged |= damage(rc);
	if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE)
		libsqlite.finalize(st);
	return v;
}

/* Make the tables of a new (or foreign) file, in one transaction. The
 * archive's part of an index of another schema is a cache of another
 * version: made afresh; what links said is kept. */
static int ensure_schema(struct index *ix)
{
	if (pragma(ix, "PRAGMA user_version") == INDEX_SCHEMA)
		return 0;
	if (exec(ix, "BEGIN IMMEDIATE") < 0)
		return -1;
	long long v = pragma(ix, "PRAGMA user_version");
	if (v == INDEX_SCHEMA)
		return exec(ix, "COMMIT");
	int rc = exec(ix, "DROP TABLE IF EXISTS issues; DROP TABLE IF EXISTS outputs;"
		      " DROP TABLE IF EXISTS links");
	char *set = xasprintf("PRAGMA user_version = %d", INDEX_SCHEMA);
	if (rc == 0)
		rc = exec(ix, kept_schema);
	if (rc == 0)
		rc = exec(ix, archive_schema);
	if (rc == 0)
		rc = exec(ix, set);
	free(set);
	if (rc == 0)
		return exec(ix, "COMMIT");
	exec(ix, "ROLLBACK");
	return -1;
}

static struct index *open_file(const char *path)
{
	struct index *ix = xcalloc(1, sizeof *ix);
	ix->path = xstrdup(path);
	int rc = libsqlite.open_v2(path, &ix->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				   SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK) {
		libsqlite.busy_timeout(ix->db, 30000);
		libsqlite.db_config(ix->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
		if (exec(ix, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -256") == 0 &&
		    ensure_schema(ix) == 0)
			return ix;
	}
	ix->damaged |= damage(rc);
	return ix; /* the caller looks at db and damaged */
}

static void close_file(struct index *ix)
{
	struct stat st;
	char *log = xasprintf("%s-wal", ix->path);
	if (ix->db && stat(log, &st) == 0 && st.st_size > INDEX_LOG_KEPT)
		libsqlite.db_config(ix->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, (int *)NULL);
	free(log);
	for (size_t i = 0; i < NSTMTS; i++)
		if (ix->st[i])
			libsqlite.finalize(ix->st[i]);
	libsqlite.close_v2(ix->db);
	free(ix->path);
	free(ix);
}

int index_make_folder(const char *root)
{
	char *dir = xasprintf("%s/%s", root, INDEX_DIR), *ignore = fs_join(dir, ".gitignore");
	int rc = fs_mkdirs(dir);
	if (rc == 0 && !fs_exists(ignore))
		rc = fs_write_atomic(ignore, "*\n", 2);
	free(dir);
	free(ignore);
	return rc;
}

struct index *index_open(const char *root, int look)
{
	const char *why;
	char *path = index_path(root);
	if ((look && !fs_exists(path)) || libsqlite_load(&why) < 0 ||
	    index_make_folder(root) < 0) {
		free(path);
		return NULL;
	}
	const char *problem = file_problem(path);
	if (problem) {
		note_damage(path, problem);
		remove_files(path);
	}
	struct index *ix = open_file(path);
	if (ix->damaged && !problem) {
		note_damage(path, "is damaged");
		close_file(ix);
		remove_files(path);
		ix = open_file(path);
	}
	free(path);
	if (ix->db && !ix->damaged && pragma(ix, "PRAGMA user_version") == INDEX_SCHEMA)
		return ix;
	close_file(ix);
	return NULL;
}

int index_supported(void)
{
	const char *why;
	return libsqlite_load(&why) == 0;
}

void index_close(struct index *ix)
{
	if (!ix)
		return;
	char *path = ix->damaged ? xstrdup(ix->path) : NULL;
	close_file(ix);
	if (path) {
		note_damage(path, "is damaged");
		remove_files(path);
	}
	free(path);
}

/* --- statements ----------------------------------------------------------- */

static sqlite3_stmt *stmt(struct index *ix, enum stmt s)
{
	if (!ix->st[s] && libsqlite.prepare_v2(ix->db, sql[s], -1, &ix->st[s], NULL) != SQLITE_OK)
		ix->st[s] = NULL;
	return ix->st[s];
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		libsqlite.bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		libsqlite.bind_null(st, i);
}

static void bind_int(sqlite3_stmt *st, int i, long long v)
{
	libsqlite.bind_int64(st, i, v);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	return (const char *)libsqlite.column_text(st, i);
}

static long long col_int(sqlite3_stmt *st, int i)
{
	return libsqlite.column_int64(st, i);
}

/* Step st to its end (a write); -1 on failure. */
static int run(struct index *ix, sqlite3_stmt *st)
{
	int rc = st ? libsqlite.step(st) : SQLITE_ERROR;
	ix->damaged |= damage(rc);
	if (st)
		libsqlite.reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The next row of a query: 1, or 0 at its end or on failure (reset). */
static int row(struct index *ix, sqlite3_stmt *st, int *failed)
{
	int rc = libsqlite.step(st);
	if (rc == SQLITE_ROW)
		return 1;
	ix->damaged |= damage(rc);
	*failed |= rc != SQLITE_DONE;
	libsqlite.reset(st);
	return 0;
}

int index_begin(struct index *ix)
{
	return exec(ix, "BEGIN IMMEDIATE");
}

int index_commit(struct index *ix)
{
	if (exec(ix, "COMMIT") == 0)
		return 0;
	index_rollback(ix);
	return -1;
}

void index_rollback(struct index *ix)
{
	exec(ix, "ROLLBACK");
}

long long index_meta(struct index *ix, const char *key, long long missing)
{
	sqlite3_stmt *st = stmt(ix, S_META);
	int failed = 0;
	if (!st)
		return missing;
	bind_text(st, 1, key);
	long long v = missing;
	while (row(ix, st, &failed))
		v = col_int(st, 0);
	return v;
}

void index_set_meta(struct index *ix, const char *key, long long value)
{
	sqlite3_stmt *st = stmt(ix, S_SET_META);
	if (!st)
		return;
	bind_text(st, 1, key);
	bind_int(st, 2, value);
	run(ix, st);
}

void index_clear(struct index *ix)
{
	exec(ix, "DELETE FROM issues; DELETE FROM outputs; DELETE FROM links");
}

/* --- issues ------------------------------------------------------------ */

int index_issues(struct index *ix, long lo, long hi, index_issue_fn fn, void *ud)
{
	sqlite3_stmt *st = stmt(ix, S_ISSUES);
	int failed = !st;
	if (!st)
		return -1;
	bind_int(st, 1, lo);
	bind_int(st, 2, hi);
	while (row(ix, st, &failed)) {
		const char *date = col_text(st, 9);
		struct index_issue r = {
			.name = col_text(st, 0), .number = (long)col_int(st, 1),
			.size = col_int(st, 2), .mtime = col_int(st, 3),
			.digest = (uint64_t)col_int(st, 4), .draft = (int)col_int(st, 5),
			.numbered = (int)col_int(st, 6), .failed = (int)col_int(st, 7),
			.listed = (int)col_int(st, 8), .date = date ? date : "",
			.title = col_text(st, 10), .counts = col_text(st, 11),
			.diags = col_text(st, 12), .lede = col_text(st, 13),
		};
		if (r.name)
			fn(ud, &r);
	}
	return failed ? -1 : 0;
}

static long one_number(struct index *ix, enum stmt s, long arg)
{
	sqlite3_stmt *st = stmt(ix, s);
	int failed = 0;
	long v = -1;
	if (!st)
		return -1;
	bind_int(st, 1, arg);
	while (row(ix, st, &failed))
		v = libsqlite.column_type(st, 0) == SQLITE_NULL ? -1 : (long)col_int(st, 0);
	return failed ? -1 : v;
}

int index_issue_texts(struct index *ix, const char *name, char **lede, char **diags)
{
	sqlite3_stmt *st = stmt(ix, S_TEXTS);
	int failed = !st, found = 0;
	*lede = *diags = NULL;
	if (!st)
		return -1;
	bind_text(st, 1, name);
	while (row(ix, st, &failed)) {
		const char *l = col_text(st, 0), *d = col_text(st, 1);
		free(*lede);
		free(*diags);
		*lede = l ? xstrdup(l) : NULL;
		*diags = d ? xstrdup(d) : NULL;
		found = 1;
	}
	return failed || !found ? -1 : 0;
}

int index_texts_begin(struct index *ix, long lo, long hi)
{
	sqlite3_stmt *st = stmt(ix, S_TEXTS_RANGE);
	if (!st)
		return -1;
	bind_int(st, 1, lo);
	bind_int(st, 2, hi);
	return 0;
}

int index_texts_next(struct index *ix, struct index_texts *r)
{
	sqlite3_stmt *st = ix->st[S_TEXTS_RANGE];
	int failed = 0;
	while (st && row(ix, st, &failed)) {
		*r = (struct index_texts){ .name = col_text(st, 0), .number = (long)col_int(st, 1),
			.lede = col_text(st, 2), .diags = col_text(st, 3) };
		if (r->name)
			return 1;
	}
	return 0;
}

void index_texts_end(struct index *ix)
{
	if (ix->st[S_TEXTS_RANGE])
		libsqlite.reset(ix->st[S_TEXTS_RANGE]);
}

long index_listed_near(struct index *ix, long number, int dir)
{
	return one_number(ix, dir < 0 ? S_NEAR_BEFORE : S_NEAR_AFTER, number);
}

long index_newest(struct index *ix, long k)
{
	long v = one_number(ix, S_NEWEST, k - 1);
	return v < 0 ? LONG_MIN : v;
}

void index_put_issue(struct index *ix, const struct index_issue *r)
{
	sqlite3_stmt *st = stmt(ix, S_PUT_ISSUE);
	if (!st)
		return;
	bind_text(st, 1, r->name);
	bind_int(st, 2, r->number);
	bind_int(st, 3, r->size);
	bind_int(st, 4, r->mtime);
	bind_int(st, 5, (long long)r->digest);
	bind_int(st, 6, r->draft);
	bind_int(st, 7, r->numbered);
	bind_int(st, 8, r->failed);
	bind_int(st, 9, r->listed);
	bind_text(st, 10, r->date);
	bind_text(st, 11, r->title);
	bind_text(st, 12, r->counts);
	bind_text(st, 13, r->diags);
	bind_text(st, 14, r->lede);
	run(ix, st);
}

void index_drop_issue(struct index *ix, const char *name)
{
	sqlite3_stmt *st = stmt(ix, S_DROP_ISSUE), *links = stmt(ix, S_DROP_ISSUE_LINKS);
	if (!st || !links)
		return;
	bind_text(st, 1, name);
	run(ix, st);
	bind_text(links, 1, name);
	run(ix, links);
}

/* --- outputs ----------------------------------------------------------- */

/* The rows of st, outputs' records, to fn. */
static int output_rows(struct index *ix, sqlite3_stmt *st, index_output_fn fn, void *ud)
{
	int failed = 0;
	while (row(ix, st, &failed)) {
		struct index_output r = {
			.name = col_text(st, 0),
			.number = libsqlite.column_type(st, 1) == SQLITE_NULL ? -1 : (long)col_int(st, 1),
			.size = col_int(st, 2), .mtime = col_int(st, 3),
			.key = (uint64_t)col_int(st, 4), .digest = (uint64_t)col_int(st, 5),
		};
		if (r.name)
			fn(ud, &r);
	}
	return failed ? -1 : 0;
}

int index_outputs(struct index *ix, long lo, long hi, int pages, index_output_fn fn,
		  void *ud)
{
	sqlite3_stmt *st = lo <= hi ? stmt(ix, S_OUTPUTS) : NULL;
	if (lo <= hi && !st)
		return -1;
	if (st) {
		bind_int(st, 1, lo);
		bind_int(st, 2, hi);
	}
	if (st && output_rows(ix, st, fn, ud) < 0)
		return -1;
	st = pages ? stmt(ix, S_PAGES) : NULL;
	if (pages && !st)
		return -1;
	return st ? output_rows(ix, st, fn, ud) : 0;
}

void index_put_output(struct index *ix, const struct index_output *r)
{
	sqlite3_stmt *st = stmt(ix, S_PUT_OUTPUT);
	if (!st)
		return;
	bind_text(st, 1, r->name);
	if (r->number < 0)
		libsqlite.bind_null(st, 2);
	else
		bind_int(st, 2, r->number);
	bind_int(st, 3, r->size);
	bind_int(st, 4, r->mtime);
	bind_int(st, 5, (long long)r->key);
	bind_int(st, 6, (long long)r->digest);
	run(ix, st);
}

void index_drop_output(struct index *ix, const char *name)
{
	sqlite3_stmt *st = stmt(ix, S_DROP_OUTPUT);
	if (!st)
		return;
	bind_text(st, 1, name);
	run(ix, st);
}

/* --- links ------------------------------------------------------------- */

int index_unlinked(struct index *ix, long upto, index_name_fn fn, void *ud)
{
	sqlite3_stmt *st = stmt(ix, S_UNLINKED);
	int failed = !st;
	if (!st)
		return -1;
	bind_int(st, 1, upto < 0 ? LONG_MAX : upto);
	while (row(ix, st, &failed))
		if (col_text(st, 0))
			fn(ud, col_text(st, 0), (long)col_int(st, 1), (uint64_t)col_int(st, 2));
	return failed ? -1 : 0;
}

void index_put_links(struct index *ix, const char *name, long number, long shown,
		     uint64_t digest, const struct ledger_entry *e, size_t n)
{
	sqlite3_stmt *drop = stmt(ix, S_DROP_LINKS), *put = stmt(ix, S_PUT_LINK);
	sqlite3_stmt *linked = stmt(ix, S_LINKED);
	if (!drop || !put || !linked)
		return;
	bind_text(drop, 1, name);
	run(ix, drop);
	for (size_t i = 0; i < n; i++) {
		bind_text(put, 1, name);
		bind_int(put, 2, (long long)i);
		bind_int(put, 3, number);
		bind_int(put, 4, shown);
		bind_int(put, 5, e[i].kind);
		bind_text(put, 6, e[i].key);
		bind_text(put, 7, e[i].url);
		bind_text(put, 8, e[i].section);
		bind_int(put, 9, e[i].item);
		bind_int(put, 10, e[i].line);
		bind_int(put, 11, e[i].col);
		run(ix, put);
	}
	bind_text(linked, 1, name);
	bind_int(linked, 2, (long long)digest);
	run(ix, linked);
}

int index_links(struct index *ix, const char *key, int items_only, long before, long limit,
		index_link_fn fn, void *ud)
{
	sqlite3_stmt *st = stmt(ix, before < 0 ? S_LINKS : S_LINKS_BEFORE);
	int failed = !st;
	long found = 0;
	if (!st)
		return -1;
	bind_text(st, 1, key);
	bind_int(st, 2, items_only);
	if (before >= 0)
		bind_int(st, 3, before);
	while (row(ix, st, &failed)) {
		struct ledger_entry e = {
			.file = (char *)col_text(st, 0), .issue = (long)col_int(st, 8),
			.kind = (enum ledger_kind)col_int(st, 2), .url = (char *)col_text(st, 3),
			.key = (char *)key, .section = (char *)col_text(st, 4),
			.item = (long)col_int(st, 5), .line = (int)col_int(st, 6),
			.col = (int)col_int(st, 7),
		};
		if (e.file && e.url)
			fn(ud, &e, (long)col_int(st, 1));
		if (limit && ++found >= limit) {
			libsqlite.reset(st);
			break;
		}
	}
	return failed ? -1 : 0;
}

/* --- what links said ----------------------------------------------------- */

int index_rows(struct index *ix, enum index_store store, index_row_fn fn, void *ud)
{
	sqlite3_stmt *st = stmt(ix, store == INDEX_VERDICTS ? S_ROWS_VERDICTS : S_ROWS_LINKMETA);
	int failed = !st;
	if (!st)
		return -1;
	while (row(ix, st, &failed))
		if (col_text(st, 0) && col_text(st, 1))
			fn(ud, col_text(st, 0), col_text(st, 1));
	return failed ? -1 : 0;
}

int index_put_row(struct index *ix, enum index_store store, const char *url, const char *text)
{
	sqlite3_stmt *st = stmt(ix, store == INDEX_VERDICTS ? S_PUT_VERDICTS : S_PUT_LINKMETA);
	if (!st)
		return -1;
	bind_text(st, 1, url);
	bind_text(st, 2, text);
	return run(ix, st);
}
