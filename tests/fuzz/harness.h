/* harness.h - what the fuzz targets share: the example newsletter (read
 * once from the source tree), a scratch folder, and a check that HTML
 * carries nothing a reader's browser would run.
 *
 * Each target defines LLVMFuzzerTestOneInput. Built with -fsanitize=fuzzer
 * it runs under libFuzzer; built with replay.c it replays files, which is
 * how `make test` runs the seeds and every input a fuzzer ever found. */
#ifndef WEEKLY_FUZZ_HARNESS_H
#define WEEKLY_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include "weekly/buf.h"
#include "weekly/config.h"

#ifndef FUZZ_ROOT
#define FUZZ_ROOT "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The example newsletter of the source tree, with check settings added
 * (allow_repeats, issue_keys) so that every rule has something to read.
 * Loaded on first use; exits the process when it cannot be loaded. */
struct newsletter *fuzz_newsletter(void);

/* A folder of its own for the process, made on first use. */
const char *fuzz_scratch(void);

/* 1 when html (len bytes) holds something a browser would run or load
 * from a dangerous scheme: a script-capable element (script, iframe,
 * object, embed, svg, math, form, base, frame, applet), an on* event
 * attribute, or a javascript:, vbscript: or data: URL in a URL attribute
 * (character references decoded, blanks removed, as browsers read them).
 * *why then points to a static description and *at to the offset. */
int fuzz_html_unsafe(const char *html, size_t len, const char **why, size_t *at);

/* 1 when text (len bytes) is one JSON document (RFC 8259, UTF-8 checked);
 * else 0 with *at set to the offset of the first problem. */
int fuzz_json_valid(const char *text, size_t len, size_t *at);

/* Print what went wrong, with a piece of the text around at, and abort. */
void fuzz_fail(const char *what, const char *text, size_t len, size_t at)
	__attribute__((noreturn));

#endif
