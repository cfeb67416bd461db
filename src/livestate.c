/* livestate.c - diagnostics and draft flags of issues, as open pages are
 * told them: parsed from check's JSON and build's messages, each with the
 * line of source it points at. */
#define _GNU_SOURCE /* memrchr */
#include <stdlib.h>
#include <string.h>
#include "weekly/config.h"
#include "weekly/diag.h"
#include "weekly/fsutil.h"
#include "weekly/livestate.h"
#include "weekly/source.h"
#include "weekly/util.h"
#include "weekly/yaml.h"

#define SOURCE_LINE_MAX 2000 /* bytes of a source line shown */

void livestate_init(struct livestate *s, struct livehub *hub)
{
	memset(s, 0, sizeof *s);
	s->hub = hub;
}

void livestate_release(struct livestate *s)
{
	for (size_t i = 0; i < s->len; i++) {
		free(s->issues[i].stem);
		value_free(s->issues[i].diags);
	}
	free(s->issues);
	memset(s, 0, sizeof *s);
}

/* The stem of an issue file's outputs ("015" for issues/015-slug.md) in a
 * fresh string, or NULL when path is not an issue file. */
static char *livestate_stem(const char *path)
{
	const char *name = fs_basename(path);
	size_t digits;
	if (issue_file_number(name, &digits) < 0)
		return NULL;
	return xstrndup(name, digits);
}

static struct live_issue *find(struct livestate *s, const char *stem)
{
	for (size_t i = 0; i < s->len; i++)
		if (strcmp(s->issues[i].stem, stem) == 0)
			return &s->issues[i];
	xgrow((void **)&s->issues, &s->cap, s->len + 1, sizeof *s->issues);
	struct live_issue *is = &s->issues[s->len++];
	*is = (struct live_issue){ xstrdup(stem), 0, value_list() };
	return is;
}

static void publish(struct livestate *s, struct live_issue *is)
{
	if (!is->draft && !value_len(is->diags)) {
		livehub_set_state(s->hub, is->stem, NULL);
		return;
	}
	buf b = BUF_INIT;
	buf_printf(&b, "{\"draft\": %s, \"diagnostics\": ", is->draft ? "true" : "false");
	value_json(is->diags, &b);
	buf_putc(&b, '}');
	livehub_set_state(s->hub, is->stem, b.data);
	buf_release(&b);
}

/* The last file read for its lines (source.h): diagnostics come file by
 * file. */
struct source {
	char *path;
	struct src src;
	int read;            /* 0 when it cannot be read */
};

#define SOURCE_INIT { NULL, SRC_INIT, 0 }

/* d with "source": the line of its file it points at, when there is one. */
static value *with_source(const value *d, struct source *s)
{
	value *out = value_copy(d);
	const value *line = value_getc(d, "line");
	const char *file = value_str(value_getc(d, "file"));
	if (!file || !line || value_type(line) != VALUE_NUMBER)
		return out;
	if (!s->path || strcmp(s->path, file) != 0) {
		free(s->path);
		src_release(&s->src);
		s->path = xstrdup(file);
		s->read = src_load(&s->src, file) == 0;
	}
	if (s->read && value_num(line) >= 1 && value_num(line) <= (double)s->src.nlines) {
		size_t len;
		const char *l = src_line(&s->src, (size_t)value_num(line) - 1, &len);
		len = len < SOURCE_LINE_MAX ? len : SOURCE_LINE_MAX;
		value_map_lit(out, "source", value_string(l, len));
	}
	return out;
}

static void source_release(struct source *s)
{
	free(s->path);
	src_release(&s->src);
}

/* An issue file checked, and the issue its diagnostics go to. */
struct checked {
	const char *path;
	struct live_issue *is;
};

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct checked *)a)->path, ((const struct checked *)b)->path);
}

int livestate_checked(struct livestate *s, char *const *files, size_t nfiles,
		      const char *json, size_t len)
{
	diag_list d = DIAG_LIST_INIT;
	value *list = yaml_load(json, len, "check", 0, &d);
	diag_release(&d);
	if (!list || value_type(list) != VALUE_LIST) {
		value_free(list);
		return -1;
	}
	struct checked *c = xcalloc(nfiles + 1, sizeof *c);
	size_t n = 0;
	for (size_t i = 0; i < nfiles; i++) {
		char *stem = livestate_stem(files[i]);
		if (!stem)
			continue;
		c[n] = (struct checked){ files[i], find(s, stem) };
		value_free(c[n].is->diags);
		c[n++].is->diags = value_list();
		free(stem);
	}
	qsort(c, n, sizeof *c, by_path);
	struct source src = SOURCE_INIT;
	for (size_t k = 0; k < value_len(list); k++) {
		struct checked key = { value_str(value_getc(value_at(list, k), "file")), NULL };
		struct checked *at = key.path ? bsearch(&key, c, n, sizeof *c, by_path) : NULL;
		if (at)
			value_list_push(at->is->diags, with_source(value_at(list, k), &src));
	}
	for (size_t i = 0; i < n; i++)
		publish(s, c[i].is);
	source_release(&src);
	free(c);
	value_free(list);
	return 0;
}

int livestate_is_draft(struct livestate *s, const char *path)
{
	char *stem = livestate_stem(path);
	int draft = stem && find(s, stem)->draft;
	free(stem);
	return draft;
}

void livestate_draft(struct livestate *s, const char *stem, int draft)
{
	struct live_issue *is = find(s, stem);
	if (is->draft != !!draft) {
		is->draft = !!draft;
		publish(s, is);
	}
}

/* A diagnostic as check's JSON has it; takes file, rule and message. */
static value *diagnostic(value *file, long line, long column, const char *severity,
			 value *rule, value *message)
{
	value *d = value_map();
	value_map_lit(d, "file", file);
	value_map_lit(d, "line", value_number((double)line));
	value_map_lit(d, "column", value_number((double)column));
	value_map_lit(d, "severity", value_cstring(severity));
	value_map_lit(d, "rule", rule);
	value_map_lit(d, "message", message);
	return d;
}

/* "FILE:LINE:COL: error: message [rule]" as a diagnostic map; NULL when
 * line is not one. */
static value *parse_message(const char *line)
{
	const char *sev = "error", *at = strstr(line, ": error: ");
	if (!at) {
		sev = "warning";
		at = strstr(line, ": warning: ");
	}
	if (!at)
		return NULL;
	const char *msg = at + strlen(sev) + 4;
	size_t flen = (size_t)(at - line);
	long num[2] = { 0, 0 };
	for (int k = 1; k >= 0; k--) {  /* COL, then LINE, from the end */
		const char *colon = flen ? memrchr(line, ':', flen) : NULL;
		char *end;
		long v = colon ? strtol(colon + 1, &end, 10) : 0;
		if (!colon || end != line + flen || v <= 0)
			break;
		num[k] = v;
		flen = (size_t)(colon - line);
	}
	size_t mlen = strlen(msg), rlen = 0;
	if (mlen > 2 && msg[mlen - 1] == ']') {
		const char *open = memrchr(msg, '[', mlen);
		if (open && open > msg && open[-1] == ' ') {
			rlen = mlen - (size_t)(open - msg) - 2;
			mlen = (size_t)(open - msg) - 1;
		}
	}
	return diagnostic(value_string(line, flen), num[0], num[1], sev,
			  rlen ? value_string(msg + mlen + 2, rlen) : value_null(),
			  value_string(msg, mlen));
}

/* Whether list has d already (the build says a template's error once per
 * issue that uses it). */
static int listed(const value *list, const value *d)
{
	static const char *const keys[] = { "file", "line", "column", "message" };
	for (size_t i = 0; i < value_len(list); i++) {
		size_t k = 0;
		for (; k < sizeof keys / sizeof *keys; k++) {
			buf a = BUF_INIT, b = BUF_INIT;
			value_json(value_getc(value_at(list, i), keys[k]), &a);
			value_json(value_getc(d, keys[k]), &b);
			int same = a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
			buf_release(&a);
			buf_release(&b);
			if (!same)
				break;
		}
		if (k == sizeof keys / sizeof *keys)
			return 1;
	}
	return 0;
}

/* The build's diagnostics about issue file path, into is; whether the
 * build read it (said something of it, or wrote its outputs). */
static int take_built(struct live_issue *is, const char *path, const value *list,
		      const char *written)
{
	value *mine = value_list();
	struct source src = SOURCE_INIT;
	for (size_t i = 0; i < value_len(list); i++) {
		const char *file = value_str(value_getc(value_at(list, i), "file"));
		if (file && strcmp(file, path) == 0)
			value_list_push(mine, with_source(value_at(list, i), &src));
	}
	source_release(&src);
	size_t n = strlen(is->stem);
	int wrote = 0;
	for (const char *w = written; *w; w += strcspn(w, " "), w += *w == ' ')
		wrote |= strncmp(w, is->stem, n) == 0 && w[n] == '.';
	if (!value_len(mine) && !wrote) {
		value_free(mine);
		return 0;
	}
	value_free(is->diags);
	is->diags = mine;
	return 1;
}

/* The build's messages as a list of diagnostics. */
static value *parse_messages(const char *text, int status)
{
	value *list = value_list();
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);
		value *d = parse_message(line);
		if (d && !listed(list, d))
			value_list_push(list, d);
		else if (!d && status > EXIT_CONTENT && n)
			value_list_push(list, diagnostic(value_cstring(""), 0, 0, "error",
							 value_null(), value_cstring(line)));
		else
			value_free(d);
		free(line);
		p += n + (p[n] == '\n');
	}
	return list;
}

void livestate_built(struct livestate *s, const char *text, int status,
		     char *const *changed, size_t nchanged, const char *written)
{
	value *list = parse_messages(text, status), *all = value_list();
	struct source src = SOURCE_INIT;
	for (size_t i = 0; i < value_len(list); i++) {
		const char *file = value_str(value_getc(value_at(list, i), "file"));
		char *stem = file ? livestate_stem(file) : NULL;
		if (!stem)
			value_list_push(all, with_source(value_at(list, i), &src));
		free(stem);
	}
	source_release(&src);
	for (size_t i = 0; i < nchanged; i++) {
		char *stem = livestate_stem(changed[i]);
		struct live_issue *is = stem ? find(s, stem) : NULL;
		if (is && take_built(is, changed[i], list, written))
			publish(s, is);
		free(stem);
	}
	if (!value_len(all)) {
		livehub_set_state(s->hub, "", NULL);
	} else {
		buf b = BUF_INIT;
		buf_puts(&b, "{\"diagnostics\": ");
		value_json(all, &b);
		buf_putc(&b, '}');
		livehub_set_state(s->hub, "", b.data);
		buf_release(&b);
	}
	value_free(all);
	value_free(list);
}
