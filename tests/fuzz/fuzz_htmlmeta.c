/* fuzz_htmlmeta.c - a page's head read through libxml2's HTML parser: any
 * bytes, fed in pieces of any size under any declared charset, give texts
 * that are valid UTF-8 on one line (no control characters, no runs of
 * spaces), never longer than the parser keeps. The first input byte picks
 * the charset and the size of the pieces. */
#include <string.h>
#include "weekly/htmlmeta.h"
#include "weekly/util.h"
#include "harness.h"

static void clean(const char *what, const char *s)
{
	if (!s)
		return;
	size_t n = strlen(s);
	if (!n || s[0] == ' ' || s[n - 1] == ' ')
		fuzz_fail(what, s, n, 0);
	for (size_t i = 0; i < n;) {
		unsigned long cp;
		size_t k = util_utf8_decode(s + i, n - i, &cp);
		if (!k || cp < 0x20 || cp == 0x7f || (cp == ' ' && s[i + 1] == ' '))
			fuzz_fail(what, s, n, i);
		i += k;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const charsets[] = { NULL, "utf-8", "gbk", "iso-8859-1", "shift_jis",
						"no-such-charset", "utf-16", "big5" };
	if (!size)
		return 0;
	struct htmlmeta m;
	const char *why;
	if (htmlmeta_begin(&m, charsets[data[0] & 7], &why) < 0)
		fuzz_fail(why, "", 0, 0);
	size_t piece = 1 + (data[0] >> 3) * 97;
	for (size_t i = 1; i < size;) {
		size_t n = size - i < piece ? size - i : piece;
		if (!htmlmeta_feed(&m, (const char *)data + i, n))
			break;
		i += n;
	}
	htmlmeta_end(&m);
	clean("title", m.title);
	clean("og:title", m.og_title);
	clean("h1", m.h1);
	clean("description", m.description);
	clean("og:description", m.og_description);
	clean("canonical", m.canonical);
	clean("lang", m.lang);
	htmlmeta_release(&m);
	return 0;
}
