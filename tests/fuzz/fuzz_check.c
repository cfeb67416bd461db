/* fuzz_check.c - the rules of `weekly check` over any text: the issue
 * rules and the text rules (UTF-8, NUL, double encoding), repeats against
 * an archive of the example's issues, the link ledger, and diagnostics in
 * every output format (JSON output must be valid JSON). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/fsutil.h"
#include "weekly/ledger.h"
#include "weekly/text.h"
#include "weekly/util.h"
#include "weekly/validate.h"
#include "harness.h"

/* The example's issues, as `weekly check` reads them before the issue. */
static const struct ledger *archive(const struct newsletter *n)
{
	static struct ledger l;
	static int ready;
	if (ready)
		return &l;
	ledger_init(&l);
	struct issue_file *files;
	size_t count;
	if (issue_files_list(n, &files, &count) < 0) {
		perror("issues");
		exit(1);
	}
	for (size_t i = 0; i < count; i++) {
		diag_list d = DIAG_LIST_INIT;
		int syserr = 0;
		struct issue *is = issue_load(n, files[i].path, &d, &syserr);
		if (is)
			ledger_add_issue(&l, n, is, files[i].number);
		issue_free(is);
		diag_release(&d);
	}
	issue_files_free(files, count);
	ready = 1;
	return &l;
}

/* The issue's own ledger: every link found again, normalising settled, and
 * the items checked for repeats against the archive. */
static void ledger_rules(const struct newsletter *n, const struct issue *is, diag_list *d)
{
	struct ledger l;
	ledger_init(&l);
	ledger_add_issue(&l, n, is, is->number);
	validate_featured(n, l.entries, l.len, is->number, archive(n), d);
	for (size_t i = 0; i < is->nlinks; i++) {
		const char *url = is->links[i].url;
		char *key = ledger_key(url);
		if (!ledger_first_key(&l, key))
			fuzz_fail("a URL added to the ledger is not found", url, strlen(url), 0);
		free(key);
		char *once = ledger_normalize(url), *twice = ledger_normalize(once);
		if (strcmp(once, twice) != 0)
			fuzz_fail("normalising a URL twice changes it", url, strlen(url), 0);
		free(once);
		free(twice);
	}
	ledger_release(&l);
}

static void print_all(diag_list *d)
{
	static const diag_format formats[] = { DIAG_HUMAN, DIAG_GITHUB, DIAG_JSON };
	diag_sort(d);
	for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
		char *text = NULL;
		size_t len = 0, at;
		FILE *f = open_memstream(&text, &len);
		if (!f)
			abort();
		diag_print(d, f, formats[i], formats[i] == DIAG_HUMAN);
		fclose(f);
		if (formats[i] == DIAG_JSON && !fuzz_json_valid(text, len, &at))
			fuzz_fail("diagnostics as JSON are not valid JSON", text, len, at);
		free(text);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct newsletter *n = fuzz_newsletter();
	diag_list d = DIAG_LIST_INIT;
	struct issue *is = issue_parse(n, "issues/016.md", (const char *)data, size, &d);
	validate_issue(n, is, 16, &d);
	ledger_rules(n, is, &d);
	text_check("raw.md", (const char *)data, size, &d);
	print_all(&d);
	issue_free(is);
	diag_release(&d);
	return 0;
}
