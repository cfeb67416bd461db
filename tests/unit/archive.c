/* archive.c - unit tests of the archive: facts from front matter, the state
 * file (round trip, trust in size and time, damage), neighbours, digests of
 * templates and their partials. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "weekly/archive.h"
#include "weekly/digest.h"
#include "weekly/fsutil.h"
#include "weekly/libsqlite.h"
#include "weekly/util.h"

static int passed, failed;
static char root[] = "/tmp/weekly-archive-unit.XXXXXX";

static void expect(int ok, const char *name)
{
	if (ok)
		passed++;
	else
		failed++;
	printf("%s %s\n", ok ? "PASS" : "FAIL", name);
}

static void put(const char *rel, const char *text)
{
	char *path = fs_join(root, rel), *dir = fs_dirname(path);
	fs_mkdirs(dir);
	fs_write_atomic(path, text, strlen(text));
	free(dir);
	free(path);
}

/* Give rel the time of 2024-01-01 plus sec seconds. */
static void set_time(const char *rel, long sec)
{
	char *path = fs_join(root, rel);
	struct timespec t[2] = { { 1704067200 + sec, 0 }, { 1704067200 + sec, 0 } };
	utimensat(AT_FDCWD, path, t, 0);
	free(path);
}

static const char settings[] =
	"name: Unit\nsections:\n  - id: articles\n    title: Articles\n"
	"  - id: projects\n    title: Projects\n";

static const char issue1[] = "---\nnumber: 1\ndate: 2024-01-06\ntitle: \"Tab\\there, back\\\\slash\"\n---\n";
static const char issue2[] = "---\nnumber: 2\ndate: 2024-01-13\ndraft: true\n---\n";
static const char issue3[] = "---\nnumber: 3\ndate: 2024-01-20\ntitle: Three\n---\n";

static void open_archive(struct archive *a, struct newsletter *n)
{
	diag_list d = DIAG_LIST_INIT;
	if (newsletter_load(root, n, &d) < 0)
		printf("cannot load the test newsletter\n");
	archive_open(a, n);
	diag_release(&d);
}

static void test_facts(void)
{
	struct newsletter n;
	struct archive a;
	open_archive(&a, &n);
	expect(a.len == 3, "three issues listed by number");
	expect(strcmp(a.issues[0].title, "Tab\there, back\\slash") == 0, "title from front matter");
	expect(strcmp(a.issues[0].date, "2024-01-06") == 0, "date from front matter");
	expect(a.issues[1].draft && !a.issues[1].listed, "a draft is not listed");
	expect(!a.issues[1].title, "no title: NULL");
	expect(archive_prev(&a, 2) == 0 && archive_next(&a, 0) == 2, "neighbours skip the draft");
	expect(archive_prev(&a, 0) == -1 && archive_next(&a, 2) == -1, "no neighbour at the ends");
	expect(a.dirty, "a first open has a state to write");
	long *c = xcalloc(a.ncounts, sizeof *c);
	c[0] = 4, c[1] = 2, c[2] = 6;
	archive_set_counts(&a, 0, c, xstrdup("A · B"));
	put("build/001.html", "page");
	long long size, mtime;
	expect(archive_stat(&a, "001.html", &size, &mtime) == 0 && size == 4, "archive_stat");
	archive_record(&a, "001.html", 42, digest_bytes("page", 4, 0), size, mtime);
	expect(archive_save(&a) == 0, "state saved");
	archive_release(&a);
	newsletter_release(&n);
}

static void test_reopen(void)
{
	struct newsletter n;
	struct archive a;
	/* same size, same time, other bytes: the record is trusted */
	put("issues/003.md", "---\nnumber: 3\ndate: 2024-01-20\ntitle: Thr3e\n---\n");
	set_time("issues/003.md", 3);
	open_archive(&a, &n);
	expect(a.dirty, "a file renamed into issues/: the folder's new time to write");
	expect(archive_save(&a) == 0, "saved");
	archive_release(&a);
	newsletter_release(&n);
	open_archive(&a, &n);
	expect(!a.dirty, "nothing changed: nothing to write");
	expect(strcmp(a.issues[0].title, "Tab\there, back\\slash") == 0, "title survives the index");
	expect(a.issues[0].counts && a.issues[0].counts[2] == 6, "counts survive the index");
	expect(strcmp(a.issues[2].title, "Three") == 0, "same size and time: not read again");
	expect(archive_fresh(&a, "001.html", 42), "output fresh");
	expect(!archive_fresh(&a, "001.html", 43), "other key: stale");
	put("build/001.html", "page!");
	expect(!archive_fresh(&a, "001.html", 42), "output changed on disk: stale");
	archive_release(&a);
	newsletter_release(&n);
	set_time("issues/003.md", 4);
	open_archive(&a, &n);
	expect(strcmp(a.issues[2].title, "Thr3e") == 0, "another time: read again");
	expect(a.dirty, "read again: record to write");
	expect(archive_save(&a) == 0, "saved again");
	archive_release(&a);
	newsletter_release(&n);
}

/* Run sql on the index, beside the archive: 0, or -1. */
static int index_exec(const char *sql)
{
	const char *why;
	sqlite3 *db = NULL;
	char *path = fs_join(root, "build/.weekly/index.sqlite");
	int rc = libsqlite_load(&why) == 0 &&
		 libsqlite.open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
		 libsqlite.exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
	libsqlite.close_v2(db);
	free(path);
	return rc;
}

/* The index's write-ahead log copied into its file, as SQLite's own close
 * does, so that the file holds every page. */
static void fold_log(void)
{
	index_exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

/* An index that knows outputs but no issue rows: its output records are
 * read whole once and held, not read again as they are asked for. */
static void test_rows_gone(void)
{
	struct newsletter n;
	struct archive a;
	expect(index_exec("DELETE FROM issues") == 0, "the index's issue rows removed");
	open_archive(&a, &n);
	expect(a.len == 3 && a.nouts == 1 && strcmp(a.outs[0].name, "001.html") == 0 && !a.lazy,
	       "no issue rows: the output records read once, all held");
	expect(a.dirty && archive_save(&a) == 0, "the issue rows written again");
	archive_release(&a);
	newsletter_release(&n);
	open_archive(&a, &n);
	expect(a.lazy && !a.dirty, "with them, records are read as asked for again");
	archive_release(&a);
	newsletter_release(&n);
}

/* A state file as weekly 0.1 wrote it, for these settings: issue 1 with
 * counts 4,2,6 and as it is on disk. */
static void put_legacy(uint64_t settings, const char *version)
{
	char *text = xasprintf("weekly-state\t4\t%s\nsettings\t%016llx\n"
			       "issue\t001.md\t%zu\t%lld\t%016llx\t0\t1\t0\t2024-01-06\t4,2,6\tOld\tA · B\n",
			       version, (unsigned long long)settings, strlen(issue1),
			       (1704067200LL + 1) * 1000000000LL,
			       (unsigned long long)digest_bytes(issue1, strlen(issue1), 0));
	put("build/.weekly-state", text);
	free(text);
}

static void remove_index(void)
{
	char *cmd = xasprintf("rm -rf '%s/build/.weekly'", root);
	if (system(cmd) != 0)
		printf("cannot remove the index\n");
	free(cmd);
}

static int index_is_database(void)
{
	char *path = fs_join(root, "build/.weekly/index.sqlite"), *data;
	size_t len;
	int ok = fs_read(path, &data, &len) == 0;
	ok = ok && len > 16 && memcmp(data, "SQLite format 3", 16) == 0;
	if (ok || len)
		free(data);
	free(path);
	return ok;
}


static void test_migration(void)
{
	struct newsletter n;
	struct archive a;
	open_archive(&a, &n);
	uint64_t settings = a.settings;
	archive_release(&a);
	newsletter_release(&n);
	remove_index();
	put_legacy(settings, WEEKLY_VERSION);
	open_archive(&a, &n);
	expect(a.issues[0].counts && a.issues[0].counts[2] == 6 &&
	       strcmp(a.issues[0].title, "Old") == 0, "no index: the old state file is read");
	expect(a.dirty && archive_save(&a) == 0 && index_is_database(), "and kept in the index");
	archive_release(&a);
	newsletter_release(&n);
	put("build/.weekly-state", "weekly-state\t2\t0.1.0\nsettings\t0\n");
	open_archive(&a, &n);
	expect(a.issues[0].counts && a.issues[0].counts[2] == 6, "with an index the state file is not read");
	archive_release(&a);
	newsletter_release(&n);
	remove_index();
	put_legacy(settings, "0.0.0-other");
	open_archive(&a, &n);
	expect(a.nouts == 0 && !a.issues[0].counts, "another version's state is ignored");
	archive_release(&a);
	newsletter_release(&n);
	put("build/.weekly-state", "garbage\nsettings\tzz\n");
	open_archive(&a, &n);
	expect(a.nouts == 0 && strcmp(a.issues[2].title, "Thr3e") == 0, "a damaged state is ignored");
	expect(archive_save(&a) == 0, "saved");
	archive_release(&a);
	newsletter_release(&n);
}

static void test_damage(void)
{
	struct newsletter n;
	struct archive a;
	put("build/.weekly/index.sqlite", "garbage, not a database, long enough to have a header "
	    "of a hundred bytes, as a real one has: here it ends.");
	open_archive(&a, &n);
	expect(a.ix && a.nouts == 0 && strcmp(a.issues[2].title, "Thr3e") == 0 && a.dirty,
	       "a damaged index is made again, from the sources");
	expect(archive_save(&a) == 0 && index_is_database(), "and replaced");
	archive_release(&a);
	newsletter_release(&n);
	fold_log();
	char *path = fs_join(root, "build/.weekly/index.sqlite");
	expect(truncate(path, 4096) == 0, "truncate the index");
	free(path);
	open_archive(&a, &n);
	expect(a.ix && strcmp(a.issues[2].title, "Thr3e") == 0 && a.dirty,
	       "a truncated index is made again");
	expect(archive_save(&a) == 0 && index_is_database(), "and replaced too");
	archive_release(&a);
	newsletter_release(&n);
}

static uint64_t digest(void)
{
	char *tdir = fs_join(root, "templates");
	uint64_t h = archive_template_digest(tdir, "page.html.mustache");
	free(tdir);
	return h;
}

static void test_digests(void)
{
	expect(digest_bytes("abc", 3, 0) == digest_bytes("abc", 3, 0), "hash is stable");
	expect(digest_bytes("abc", 3, 0) != digest_bytes("abd", 3, 0), "hash sees a byte");
	expect(digest_bytes("abc", 3, 0) != digest_bytes("abc", 3, 1), "hash is seeded");
	expect(digest() == 0, "no template: digest 0");
	put("templates/page.html.mustache", "{{> head }}<p>{{x}}</p>");
	put("templates/partials/head.mustache", "<h1>{{> title}}</h1>");
	put("templates/partials/title.mustache", "T");
	put("templates/partials/other.mustache", "O");
	uint64_t h0 = digest();
	put("templates/partials/other.mustache", "O2");
	expect(h0 && digest() == h0, "a partial not included changes nothing");
	put("templates/partials/title.mustache", "T2");
	uint64_t h1 = digest();
	expect(h1 != h0, "a partial included by a partial counts");
	put("templates/page.html.mustache", "{{>*name}}");
	uint64_t h2 = digest();
	put("templates/partials/other.mustache", "O3");
	expect(digest() != h2, "dynamic partials: every partial counts");
	put("templates/page.html.mustache", "{{=<% %>=}}<%> head %>");
	uint64_t h3 = digest();
	put("templates/partials/other.mustache", "O4");
	expect(digest() == h3, "changed delimiters: a partial not included changes nothing");
	put("templates/partials/title.mustache", "T3");
	expect(digest() != h3, "changed delimiters: the partials included count");
	put("templates/page.html.mustache", "{{! {{> other}} }}{{> head}}");
	uint64_t h4 = digest();
	put("templates/partials/other.mustache", "O5");
	expect(digest() == h4, "a partial named in a comment is not included");
	put("templates/page.html.mustache", "{{#x}}");
	uint64_t h5 = digest();
	put("templates/partials/other.mustache", "O6");
	expect(h5 && digest() != h5, "a template that does not compile: every partial counts");
}

/* Records made in a run, in any order, are found at once, as loaded ones
 * are; one name is one record; forgetting one leaves the others found. */
static void test_records(void)
{
	struct newsletter n;
	struct archive a;
	enum { N = 300 };
	char name[N][40];
	long long size, mtime;
	open_archive(&a, &n);
	size_t before = a.nouts;
	for (int k = 0; k < N; k++) { /* 0, 7, 14, ...: not in the order of names */
		int x = (k * 7) % N;
		snprintf(name[k], sizeof name[k], x % 2 ? "search/p/%03x.js" : "%03d.txt", x + 4);
	}
	int found = 1, once = 1;
	for (int k = 0; k < N; k++) {
		char *rel = fs_join("build", name[k]);
		put(rel, name[k]);
		free(rel);
		archive_stat(&a, name[k], &size, &mtime);
		archive_record(&a, name[k], (uint64_t)k, digest_bytes(name[k], strlen(name[k]), 0),
			       size, mtime);
		for (int j = 0; j <= k; j += 37)
			found &= archive_fresh(&a, name[j], (uint64_t)j);
	}
	for (int k = 0; k < N; k++) { /* again: the same records */
		archive_stat(&a, name[k], &size, &mtime);
		archive_record(&a, name[k], (uint64_t)k, digest_bytes(name[k], strlen(name[k]), 0),
			       size, mtime);
	}
	once = a.nouts == before + N;
	expect(found, "a record made in this run is found at once, whatever the order");
	expect(once, "a name recorded twice is one record");
	for (int k = 0; k < N; k += 3)
		archive_forget(&a, name[k]);
	found = 1;
	for (int k = 0; k < N; k++)
		found &= archive_fresh(&a, name[k], (uint64_t)k) == (k % 3 != 0);
	expect(found && a.nouts == before + N - (N + 2) / 3, "forgotten: gone; the others found");
	size_t nstale;
	char **stale = archive_stale(&a, 0, &nstale);
	int sorted = nstale > 1;
	for (size_t k = 1; k < nstale; k++)
		sorted &= strcmp(stale[k - 1], stale[k]) < 0;
	expect(sorted, "the outputs of issues that are gone, by name");
	for (size_t k = 0; k < nstale; k++)
		free(stale[k]);
	free(stale);
	expect(archive_save(&a) == 0, "records saved");
	archive_release(&a);
	newsletter_release(&n);
	open_archive(&a, &n);
	found = 1;
	for (int k = 0; k < N; k++)
		found &= archive_fresh(&a, name[k], (uint64_t)k) == (k % 3 != 0);
	expect(found, "the records saved, found again after opening");
	for (int k = 0; k < N; k++)
		archive_forget(&a, name[k]);
	expect(archive_save(&a) == 0 && a.nouts == before, "all forgotten");
	archive_release(&a);
	newsletter_release(&n);
}

int main(void)
{
	if (!mkdtemp(root))
		return 3;
	put("issues/newsletter.yaml", settings);
	put("issues/001.md", issue1);
	put("issues/002.md", issue2);
	put("issues/003.md", issue3);
	for (int i = 1; i <= 3; i++) {
		char name[32];
		snprintf(name, sizeof name, "issues/%03d.md", i);
		set_time(name, i);
	}
	test_facts();
	test_reopen();
	test_rows_gone();
	test_records();
	test_migration();
	test_damage();
	test_digests();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	if (system(cmd) != 0)
		printf("cannot remove %s\n", root);
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
