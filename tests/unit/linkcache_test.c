/* linkcache_test.c - the link cache file: what it reads, what it refuses
 * (with the file and line named) and what it writes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "weekly/buf.h"
#include "weekly/fsutil.h"
#include "weekly/linkcache.h"
#include "weekly/util.h"
#include "expect.h"

#define HEADER "# weekly link cache: url, verdict, checked (UTC), reason, " \
	"permanent redirect target\n"

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

/* Load text as a cache file; return the diagnostics, and the cache as it
 * would be written back in *out. */
static char *load(const char *text, char **out, struct linkcache *c)
{
	char *path = fs_join(dir, "cache.tsv");
	fs_write_atomic(path, text, strlen(text));
	diag_list d = DIAG_LIST_INIT;
	linkcache_load(c, path, &d);
	char *diags = render(&d);
	diag_release(&d);
	char *saved = fs_join(dir, "saved.tsv");
	size_t len;
	if (linkcache_save(c, saved) < 0 || fs_read(saved, out, &len) < 0)
		*out = xstrdup("(not written)");
	free(path);
	free(saved);
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
	expect("roundtrip: written sorted by URL", HEADER
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
	expect("a URL twice keeps the latest verdict", HEADER
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
	expect(wname, HEADER, out);
	free(text), free(diags), free(out), free(want), free(wname);
	linkcache_release(&c);
}

static void case_put(void)
{
	struct linkcache c = LINKCACHE_INIT;
	char *out;
	char *diags = load("", &out, &c);
	free(diags), free(out);
	linkcache_put(&c, "https://z.example/", LINK_UNVERIFIABLE, 86400, "timed\tout\nhere", NULL);
	linkcache_put(&c, "https://m.example/", LINK_OK, 0, "200 OK", "");
	linkcache_put(&c, "https://m.example/", LINK_BROKEN, 172800, "410 Gone", NULL);
	char *path = fs_join(dir, "put.tsv");
	size_t len;
	linkcache_save(&c, path);
	fs_read(path, &out, &len);
	expect("put: replaces, sorts, and keeps reasons on one line", HEADER
	       "https://m.example/\tbroken\t1970-01-03T00:00:00Z\t410 Gone\t\n"
	       "https://z.example/\tunverifiable\t1970-01-02T00:00:00Z\ttimed out here\t\n", out);
	expect("storable: a URL with a tab is not", "0",
	       linkcache_storable("https://a.example/\tb") ? "1" : "0");
	free(out), free(path);
	linkcache_release(&c);
}

static void case_missing(void)
{
	struct linkcache c = LINKCACHE_INIT;
	diag_list d = DIAG_LIST_INIT;
	char *path = fs_join(dir, "none/cache.tsv");
	linkcache_load(&c, path, &d);
	char *diags = render(&d);
	expect("a missing cache is an empty one, silently", "", diags);
	free(diags), free(path);
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
	case_missing();
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	free(cmd);
	return expect_summary();
}
