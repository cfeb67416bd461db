/* archive_state.c - issue records as loaded (struct state), the counts
 * and the warnings they hold, and the state file of earlier versions
 * (build/.weekly-state), read once to migrate its records into the
 * archive index. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "archive_int.h"
#include "weekly/arena.h"
#include "weekly/digest.h"
#include "weekly/fsutil.h"
#include "weekly/util.h"

#define STATE_MAGIC "weekly-state"
#define STATE_REVISION "4"
#define MAX_FIELDS 13

/* --- issue records ---------------------------------------------------------- */

void archive_issue_clear(struct archive_issue *is)
{
	free(is->name);
	free(is->title);
	free(is->lede);
	free(is->diags);
}

/* A failed issue is not listed. */
void archive_set_failed(struct archive_issue *is, int failed)
{
	is->failed = failed;
	is->listed = !is->draft && is->numbered && is->date[0] && !failed;
}

void archive_put_field(buf *b, const char *s)
{
	diag_escape_field(b, s ? s : "");
}

/* Cut line at its tabs into at most max fields f; how many. */
static size_t split(char *line, char **f, size_t max)
{
	size_t n = 0;
	f[n++] = line;
	for (char *p = line; *p && n < max; p++)
		if (*p == '\t') {
			*p = '\0';
			f[n++] = p + 1;
		}
	return n;
}

/* --- counts: each distinct set held once --------------------------------- */

/* An archive of 20,000 issues has a few hundred sets of counts: they are
 * kept in an arena, found through a table of pointers to them (open
 * addressing, at most half full). */

static size_t slot_of(const struct archive *a, const long *counts)
{
	size_t bytes = a->ncounts * sizeof *counts, mask = a->counts_cap - 1;
	size_t s = (size_t)digest_bytes(counts, bytes, 0) & mask;
	while (a->counts_table[s] && memcmp(a->counts_table[s], counts, bytes) != 0)
		s = (s + 1) & mask;
	return s;
}

static void grow(struct archive *a)
{
	const long **old = a->counts_table;
	size_t oldcap = a->counts_cap;
	a->counts_cap = oldcap ? oldcap * 2 : 64;
	a->counts_table = xcalloc(a->counts_cap, sizeof *a->counts_table);
	for (size_t i = 0; i < oldcap; i++)
		if (old[i])
			a->counts_table[slot_of(a, old[i])] = old[i];
	free(old);
}

const long *archive_counts_keep(struct archive *a, const long *counts)
{
	if (!counts)
		return NULL;
	if (2 * (a->counts_len + 1) > a->counts_cap)
		grow(a);
	size_t s = slot_of(a, counts);
	if (!a->counts_table[s]) {
		long *kept = arena_alloc(&a->counts_mem, a->ncounts * sizeof *kept);
		memcpy(kept, counts, a->ncounts * sizeof *kept);
		a->counts_table[s] = kept;
		a->counts_len++;
	}
	return a->counts_table[s];
}

void archive_counts_release(struct archive *a)
{
	free(a->counts_table);
	arena_release(&a->counts_mem);
	a->counts_table = NULL;
	a->counts_cap = a->counts_len = 0;
}

const long *archive_parse_counts(struct archive *a, const char *s)
{
	if (strcmp(s, "-") == 0)
		return NULL;
	size_t n = a->ncounts;
	long small[32], *c = n <= 32 ? small : xcalloc(n, sizeof *c);
	const long *kept = NULL;
	for (size_t i = 0; i < n; i++) {
		char *end;
		c[i] = strtol(s, &end, 10);
		if (end == s || c[i] < 0 || (*end != (i + 1 < n ? ',' : '\0')))
			break;
		s = end + (i + 1 < n);
		if (i + 1 == n)
			kept = archive_counts_keep(a, c);
	}
	if (c != small)
		free(c);
	return kept;
}

void archive_state_release(struct state *st)
{
	for (size_t i = 0; i < st->len; i++)
		archive_issue_clear(&st->issues[i]);
	free(st->issues);
	memset(st, 0, sizeof *st);
}

/* --- the state file of earlier versions: migration ----------------------- */

static int parse_ll(const char *s, long long *out)
{
	char *end;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return *s && !*end && !errno ? 0 : -1;
}

static int parse_hex(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	*out = strtoull(s, &end, 16);
	return *s && !*end && !errno ? 0 : -1;
}

static int parse_issue(struct archive *a, struct state *st, char **f, size_t nf)
{
	struct archive_issue is = { 0 };
	long long draft, numbered, failed;
	if (nf != 12 || parse_ll(f[2], &is.size) || parse_ll(f[3], &is.mtime) ||
	    parse_hex(f[4], &is.digest) || parse_ll(f[5], &draft) ||
	    parse_ll(f[6], &numbered) || parse_ll(f[7], &failed) || strlen(f[8]) >= sizeof is.date)
		return -1;
	is.name = diag_unescape_field(f[1]);
	is.draft = draft != 0;
	is.numbered = numbered != 0;
	memcpy(is.date, f[8], strlen(f[8]) + 1);
	archive_set_failed(&is, failed != 0);
	is.counts = archive_parse_counts(a, f[9]);
	is.title = *f[10] ? diag_unescape_field(f[10]) : NULL;
	is.lede = is.counts ? diag_unescape_field(f[11]) : NULL;
	xgrow((void **)&st->issues, &st->cap, st->len + 1, sizeof *st->issues);
	st->issues[st->len++] = is;
	st->diagslen = st->diagscap = 0;
	return 0;
}

static int parse_output(struct archive *a, char **f, size_t nf)
{
	struct archive_output o = { 0 };
	if (nf != 6 || parse_ll(f[2], &o.size) || parse_ll(f[3], &o.mtime) ||
	    parse_hex(f[4], &o.key) || parse_hex(f[5], &o.digest))
		return -1;
	o.name = xstrdup(f[1]);
	archive_outputs_add(a, &o);
	return 0;
}

/* A diagnostic of the issue recorded just before: kept in its own form,
 * the fields after the name, for archive_diags to read. */
static int parse_diag(struct state *st, char **f, size_t nf)
{
	char *name = nf == 9 ? diag_unescape_field(f[1]) : NULL;
	int other = !name || !st->len || strcmp(st->issues[st->len - 1].name, name) != 0;
	free(name);
	if (other)
		return -1;
	struct archive_issue *is = &st->issues[st->len - 1];
	/* the fields are where split left them, NULs for tabs; the length so
	 * far is kept, not measured again (an issue may keep 50,000) */
	size_t old = st->diagslen;
	size_t n = (size_t)(f[nf - 1] + strlen(f[nf - 1]) - f[2]);
	xgrow((void **)&is->diags, &st->diagscap, old + n + 2, 1);
	memcpy(is->diags + old, f[2], n);
	for (size_t i = old; i < old + n; i++)
		if (!is->diags[i])
			is->diags[i] = '\t';
	memcpy(is->diags + old + n, "\n", 2);
	st->diagslen = old + n + 1;
	return 0;
}

/* One line; -1 when it makes the whole state unusable. */
static int parse_line(struct archive *a, struct state *st, char *line, size_t lineno)
{
	char *f[MAX_FIELDS];
	size_t nf = split(line, f, MAX_FIELDS);
	if (lineno == 0)
		return nf == 3 && strcmp(f[0], STATE_MAGIC) == 0 &&
			strcmp(f[1], STATE_REVISION) == 0 && strcmp(f[2], WEEKLY_VERSION) == 0 ? 0 : -1;
	if (strcmp(f[0], "settings") == 0) {
		uint64_t h;
		return nf == 2 && parse_hex(f[1], &h) == 0 && h == a->settings ? 0 : -1;
	}
	if (strcmp(f[0], "issue") == 0)
		return parse_issue(a, st, f, nf);
	if (strcmp(f[0], "output") == 0)
		return parse_output(a, f, nf);
	if (strcmp(f[0], "diag") == 0)
		return parse_diag(st, f, nf);
	return -1;
}

/* Read the state file into st and a->outs; a missing, foreign or damaged
 * file leaves both empty. */
void archive_legacy_load(struct archive *a, struct state *st)
{
	char *path = archive_output_path(a, ARCHIVE_STATE), *text;
	size_t len, lineno = 0;
	int rc = fs_read(path, &text, &len);
	free(path);
	if (rc < 0)
		return;
	for (char *line = text, *nl; rc == 0 && *line; line = nl + 1, lineno++) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		*nl = '\0';
		rc = parse_line(a, st, line, lineno);
	}
	free(text);
	if (rc < 0 || lineno < 2) {
		archive_state_release(st);
		archive_outputs_release(a);
		return;
	}
	for (size_t i = 0; i < st->len; i++) {
		struct archive_issue *is = &st->issues[i];
		is->lede_digest = is->lede ? digest_str(is->lede, 0) : 0;
		is->diags_digest = is->diags ? digest_str(is->diags, 0) : 0;
	}
}

/* --- an issue's warnings, kept for when it is skipped -------------------- */

char *archive_keep_diags(const diag_list *d, const char *source)
{
	buf b = BUF_INIT;
	for (size_t i = 0; i < d->len; i++) {
		const diag *x = &d->items[i];
		int own = x->file && strcmp(x->file, source) == 0;
		buf_put_dec(&b, (int)x->severity);
		buf_putc(&b, '\t');
		buf_put_dec(&b, x->line);
		buf_putc(&b, '\t');
		buf_put_dec(&b, x->col);
		buf_putc(&b, '\t');
		archive_put_field(&b, x->rule);
		buf_putc(&b, '\t');
		archive_put_field(&b, own ? "" : x->file);
		buf_putc(&b, '\t');
		archive_put_field(&b, x->message);
		buf_putc(&b, '\t');
		if (own)
			archive_put_field(&b, x->source);
		buf_putc(&b, '\n');
	}
	return b.len ? buf_take(&b) : (buf_release(&b), NULL);
}

void archive_diags(const char *kept, const char *source, diag_list *d)
{
	char *copy = xstrdup(kept ? kept : "");
	for (char *line = copy, *nl; *line; line = nl + 1) {
		char *f[7];
		nl = strchr(line, '\n');
		if (!nl)
			break;
		*nl = '\0';
		if (split(line, f, 7) != 7)
			continue;
		char *rule = diag_unescape_field(f[3]), *file = diag_unescape_field(f[4]);
		char *msg = diag_unescape_field(f[5]);
		int sev = atoi(f[0]);
		diag_add(d, sev == DIAG_ERROR ? DIAG_ERROR : sev == DIAG_NOTE ? DIAG_NOTE : DIAG_WARNING,
			 *file ? file : source, atoi(f[1]), atoi(f[2]), *rule ? rule : NULL, "%s", msg);
		if (!*file) { /* the issue's own line, as it was: no need to read it
				 (unless it was too long to keep: then none was) */
			char *text = diag_unescape_field(f[6]);
			if (*text)
				diag_set_source(d, text, strlen(text));
			free(text);
		}
		free(rule), free(file), free(msg);
	}
	free(copy);
}
