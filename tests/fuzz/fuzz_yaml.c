/* fuzz_yaml.c - the YAML loader: any text loads as a tree or fails with an
 * error; a tree writes as valid JSON, copies, gains its _html siblings, and
 * (when it looks like settings) loads as a newsletter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "weekly/fsutil.h"
#include "weekly/markdown.h"
#include "weekly/util.h"
#include "weekly/yaml.h"
#include "harness.h"

static void json(const value *v)
{
	buf b = BUF_INIT;
	size_t at;
	value_json(v, &b);
	if (!fuzz_json_valid(b.data, b.len, &at))
		fuzz_fail("value_json wrote invalid JSON", b.data, b.len, at);
	buf_release(&b);
}

static void walk(const value *v)
{
	buf b = BUF_INIT;
	value_text(v, &b);
	(void)value_truthy(v);
	for (size_t i = 0; i < value_len(v); i++) {
		const struct value_entry *e = value_entry_at(v, i);
		if (value_type(v) == VALUE_MAP && value_get(v, e->key, e->keylen) != e->val)
			fuzz_fail("a map key does not find its own value", e->key, e->keylen, 0);
		walk(value_type(v) == VALUE_MAP ? e->val : value_at(v, i));
	}
	buf_release(&b);
}

/* Text that loads as a map with sections is tried as newsletter.yaml. */
static void settings(const uint8_t *data, size_t size, const value *v)
{
	if (value_type(v) != VALUE_MAP || !value_getc(v, "sections"))
		return;
	char *issues = fs_join(fuzz_scratch(), "issues");
	char *path = fs_join(issues, "newsletter.yaml");
	if (fs_mkdirs(issues) < 0 || fs_write_atomic(path, (const char *)data, size) < 0) {
		perror(path);
		exit(1);
	}
	struct newsletter n;
	diag_list d = DIAG_LIST_INIT;
	if (newsletter_load(fuzz_scratch(), &n, &d) == 0) {
		static const char *const headings[] = { "Articles", "🦄articles", "x", "" };
		for (size_t i = 0; i < sizeof headings / sizeof *headings; i++)
			(void)newsletter_section(&n, headings[i], strlen(headings[i]));
	}
	newsletter_release(&n);
	diag_release(&d);
	free(path);
	free(issues);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	diag_list d = DIAG_LIST_INIT;
	value *v = yaml_load((const char *)data, size, "fuzz.yaml", 3, &d);
	if (!v && !d.errors)
		fuzz_fail("yaml_load failed without an error", NULL, 0, 0);
	if (v) {
		walk(v);
		json(v);
		value *copy = value_copy(v);
		markdown_annotate(copy);
		json(copy);
		value_free(copy);
		settings(data, size, v);
	}
	value_free(v);
	diag_release(&d);
	return 0;
}
