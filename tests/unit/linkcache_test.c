/* linkcache_test.c - the link cache: what it reads from the file of an
 * earlier version into the archive index (once), what it refuses there
 * (with the file and line named), and the rows it keeps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "weekly/buf.h"
#include "weekly/fsutil.h"
#include "weekly/index.h"
#include "weekly/linkcache.h"
#include "weekly/util.h"
#include "expect.h"

#define HEADER "# weekly link cache: url, verdict, checked (UTC), reason, " \
	"permanent redirect target\n"
static int roots;

static char *dir;

static char *render(const diag_list *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	diag_print(d, f, DIAG_HUMAN, 0);
	fclose(f);
	return text;
}

/* The archive index of a newsletter of its own. */
static struct index *fresh_index(void)
{
	char *root = xasprintf("%s/root%d", dir, ++roots);
	struct index *ix = index_open(root, 0);
	free(root);
	return ix;
}

static void add_row(void *ud, const char *url, const char *row)
{
	(void)url;
	buf_printf(ud, "%s\n", row);
}

/* The rows the index keeps, a line each, by URL. */
static char *dump(struct index *ix)
{
	buf b = BUF_INIT;
	buf_puts(&b, "");
	if (!ix || index_rows(ix, INDEX_VERDICTS, add_row, &b) < 0)
		buf_puts(&b, "(not kept)");
	return b.data;
}

/* Load text as the cache file of an earlier version into a fresh index;
 * return the diagnostics, and what the index then keeps in *out. */
static char *load(const char *text, char **out, struct linkcache *c)
{
	char *path = fs_join(dir, "cache.tsv");
	fs_write_atomic(path, text, strlen(text));
	diag_list d = DIAG_LIST_INIT;
	struct index *ix = fresh_index();
	linkcache_load(c, ix, path, &d);
	char *diags = render(&d);
	diag_release(&d);
	*out = dump(ix);
	index_close(ix);
	free(path);
	return diags;
}

static void case_roundtrip(void)
{
	struct linkcache c = LINKCACHE_INIT;
	char *out;
	const char *text = HEADER
		"https://b.example/\tbroken\t2026-01-05T10:00:00Z\t404 Not Found\t\n"
		"https://a.example/x\tok\t2026-01-04T09:08:07Z\t301 Moved Permanently\t"
		"https://a.example/y\n";
	char *diags = load(text, &out, &c);
	expect("roundtrip: no diagnostics", "", diags);
	expect("roundtrip: kept by URL", ""
	       "https://a.example/x\tok\t2026-01-04T09:08:07Z\t301 Moved Permanently\t"
	       "https://a.example/y\n"
	       "https://b.example/\tbroken\t2026-01-05T10:00:00Z\t404 Not Found\t\n", out);
	const struct linkcache_entry *e = linkcache_find(&c, "https://a.example/x");
	expect("roundtrip: permanent redirect target kept", "https://a.example/y",
	       e && e->moved_to ? e->moved_to : "(none)");
	expect("roundtrip: missing URL not found", "(none)",
	       linkcache_find(&c, "https://c.example/") ? "found" : "(none)");
	free(diags), free(out);
	linkcache_release(&c);
}

static void case_lenient(void)
{
	struct linkcache c = LINKCACHE_INIT;
	char *out;
	const char *text = "# a comment\r\n\r\n"
		"https://a.example/\tok\t2026-01-01T00:00:00Z\t200 OK\t\r\n"
		"https://a.example/\tbroken\t2026-01-02T00:00:00Z\t404 Not Found\t\r\n";
	char *diags = load(text, &out, &c);
	expect("CRLF, blank lines and comments are fine", "", diags);
	expect("a URL twice keeps the latest verdict", ""
	       "https://a.example/\tbroken\t2026-01-02T00:00:00Z\t404 Not Found\t\n", out);
	free(diags), free(out);
	linkcache_release(&c);
}

static void case_corrupt(const char *name, const char *line, const char *why)
{
	struct linkcache c = LINKCACHE_INIT;
	char *out;
	char *text = xasprintf(HEADER "https://ok.example/\tok\t2026-01-01T00:00:00Z\t200 OK\t\n%s\n",
			       line);
	char *diags = load(text, &out, &c);
	/* the line is shown under the warning, tabs as four spaces */
	buf shown = BUF_INIT;
	for (const char *p = line; *p; p++)
		buf_puts(&shown, *p == '\t' ? "    " : (char[]){ *p, 0 });
	char *want = xasprintf("%s/cache.tsv:3:1: warning: corrupt link cache (%s); ignoring it "
			       "[link-cache]\n    3 | %s\n      | ^\n", dir, why, shown.data);
	buf_release(&shown);
	expect(name, want, diags);
	char *wname = xasprintf("%s: the whole cache is ignored", name);
	expect(wname, "", out);
	free(text), free(diags), free(out), free(want), free(wname);
	linkcache_release(&c);
}

static void case_put(void)
{
	struct linkcache c = LINKCACHE_INIT;
	diag_list d = DIAG_LIST_INIT;
	struct index *ix = fresh_index();
	char *none = fs_join(dir, "none/cache.tsv");
	linkcache_load(&c, ix, none, &d);
	linkcache_put(&c, "https://z.example/", LINK_UNVERIFIABLE, 86400, "timed\tout\nhere", NULL);
	linkcache_put(&c, "https://m.example/", LINK_OK, 0, "200 OK", "");
	linkcache_put(&c, "https://m.example/", LINK_BROKEN, 172800, "410 Gone", NULL);
	expect("put: saved", "0", linkcache_save(&c, ix) == 0 ? "0" : "-1");
	char *out = dump(ix);
	expect("put: replaces, sorts, and keeps reasons on one line", ""
	       "https://m.example/\tbroken\t1970-01-03T00:00:00Z\t410 Gone\t\n"
	       "https://z.example/\tunverifiable\t1970-01-02T00:00:00Z\ttimed out here\t\n", out);
	expect("storable: a URL with a tab is not", "0",
	       linkcache_storable("https://a.example/\tb") ? "1" : "0");
	free(out), free(none);
	index_close(ix);
	diag_release(&d);
	linkcache_release(&c);
}

/* The file of an earlier version is read once: later its changes are not
 * seen, the index's rows are. Without an index it is read every time. */
static void case_once(void)
{
	char *path = fs_join(dir, "cache.tsv");
	const char *first = "https://a.example/\tok\t2026-01-01T00:00:00Z\t200 OK\t\n";
	fs_write_atomic(path, first, strlen(first));
	diag_list d = DIAG_LIST_INIT;
	struct index *ix = fresh_index();
	struct linkcache c = LINKCACHE_INIT, again = LINKCACHE_INIT, alone = LINKCACHE_INIT;
	linkcache_load(&c, ix, path, &d);
	const char *later = "https://b.example/\tok\t2026-01-01T00:00:00Z\t200 OK\t\n";
	fs_write_atomic(path, later, strlen(later));
	linkcache_load(&again, ix, path, &d);
	expect("once: the index's verdicts, not the file's", "kept",
	       linkcache_find(&again, "https://a.example/") &&
	       !linkcache_find(&again, "https://b.example/") ? "kept" : "read again");
	linkcache_load(&alone, NULL, path, &d);
	expect("without an index: the file", "read",
	       linkcache_find(&alone, "https://b.example/") ? "read" : "not read");
	expect("without an index: nothing kept, no error", "0",
	       linkcache_save(&alone, NULL) == 0 ? "0" : "-1");
	index_close(ix);
	diag_release(&d);
	linkcache_release(&c);
	linkcache_release(&again);
	linkcache_release(&alone);
	free(path);
}

static void case_missing(void)
{
	struct linkcache c = LINKCACHE_INIT;
	diag_list d = DIAG_LIST_INIT;
	char *path = fs_join(dir, "none/cache.tsv");
	struct index *ix = fresh_index();
	linkcache_load(&c, ix, path, &d);
	char *diags = render(&d);
	expect("a missing cache is an empty one, silently", "", diags);
	free(diags), free(path);
	index_close(ix);
	diag_release(&d);
	linkcache_release(&c);
}

int main(void)
{
	char tmpl[] = "/tmp/weekly-linkcache.XXXXXX";
	dir = mkdtemp(tmpl);
	if (!dir) {
		perror("mkdtemp");
		return 3;
	}
	case_roundtrip();
	case_lenient();
	case_corrupt("corrupt: too few fields", "https://x.example/\tok", "expected 5 tab-separated fields");
	case_corrupt("corrupt: too many fields", "a\tok\t2026-01-01T00:00:00Z\tr\tm\textra",
		     "expected 5 tab-separated fields");
	case_corrupt("corrupt: unknown verdict", "a\tfine\t2026-01-01T00:00:00Z\tr\t",
		     "unknown verdict");
	case_corrupt("corrupt: bad time", "a\tok\t2026-13-01T00:00:00Z\tr\t", "bad time");
	case_corrupt("corrupt: merge conflict", "<<<<<<< HEAD", "expected 5 tab-separated fields");
	case_corrupt("corrupt: empty URL", "\tok\t2026-01-01T00:00:00Z\tr\t", "empty URL");
	case_put();
	case_once();
	case_missing();
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	free(cmd);
	return expect_summary();
}
