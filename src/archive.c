/* archive.c - the archive as the build sees it: issue facts, the state file
 * that keeps them between runs, and digests of what outputs depend on. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "weekly/archive.h"
#include "weekly/buf.h"
#include "weekly/fsutil.h"
#include "weekly/metacache.h"
#include "weekly/mustache.h"
#include "weekly/source.h"
#include "weekly/util.h"
#include "weekly/validate.h"
#include "weekly/yaml.h"

#define STATE_MAGIC "weekly-state"
#define STATE_REVISION "4"
#define MAX_FIELDS 13

/* --- digests ------------------------------------------------------------ */

#define HASH_M 0xc6a4a7935bd1e995ull

static uint64_t hash_mix(uint64_t k)
{
	k *= HASH_M;
	k ^= k >> 47;
	return k * HASH_M;
}

/* Eight bytes of p, mixed. */
static uint64_t hash_word(const unsigned char *p)
{
	uint64_t k;
	memcpy(&k, p, 8);
	return hash_mix(k);
}

/* MurmurHash64A, eight bytes a step, good spread, no tables; long inputs
 * (outputs, sources) in four lanes of eight bytes, whose multiplications
 * the processor overlaps, folded into one at the end. */
uint64_t archive_hash(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ (len * HASH_M);
	if (len >= 32) {
		uint64_t a = h, b = h ^ 1, c = h ^ 2, d = h ^ 3;
		for (; len >= 32; p += 32, len -= 32) {
			a = (a ^ hash_word(p)) * HASH_M;
			b = (b ^ hash_word(p + 8)) * HASH_M;
			c = (c ^ hash_word(p + 16)) * HASH_M;
			d = (d ^ hash_word(p + 24)) * HASH_M;
		}
		h = (a ^ hash_mix(b)) * HASH_M;
		h = (h ^ hash_mix(c)) * HASH_M;
		h = (h ^ hash_mix(d)) * HASH_M;
	}
	for (; len >= 8; p += 8, len -= 8)
		h = (h ^ hash_word(p)) * HASH_M;
	if (len) {
		uint64_t t = 0;
		memcpy(&t, p, len);
		h = (h ^ t) * HASH_M;
	}
	h ^= h >> 47;
	h *= HASH_M;
	return h ^ (h >> 47);
}

static uint64_t hash_str(const char *s, uint64_t h)
{
	return archive_hash(s ? s : "", s ? strlen(s) + 1 : 0, h);
}

static uint64_t hash_long(long long v, uint64_t h)
{
	return archive_hash(&v, sizeof v, h);
}

static uint64_t file_digest(const char *path, uint64_t h, int *found)
{
	char *src;
	size_t len;
	*found = fs_read(path, &src, &len) == 0;
	if (!*found)
		return hash_str("\001missing", h);
	h = archive_hash(src, len, h);
	free(src);
	return h;
}

/* --- small helpers -------------------------------------------------------- */

static long long mtime_ns(const struct stat *st)
{
	return (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

char *archive_source_path(const struct archive *a, size_t i)
{
	return fs_join(a->issues_dir, a->issues[i].name);
}

char *archive_output_path(const struct archive *a, const char *name)
{
	return fs_join(a->dir, name);
}

static void issue_clear(struct archive_issue *is)
{
	free(is->name);
	free(is->title);
	free(is->lede);
	free(is->counts);
	free(is->diags);
}

/* A failed issue is not listed. */
static void set_failed(struct archive_issue *is, int failed)
{
	is->failed = failed;
	is->listed = !is->draft && is->numbered && is->date[0] && !failed;
}

/* --- front matter facts ---------------------------------------------------- */

/* The front matter of an issue's source as a value, or NULL. Problems are
 * not reported here: building the issue reports them. */
static value *front_matter(const char *text, size_t len)
{
	struct src s;
	value *v = NULL;
	src_init(&s, text, len);
	struct src_front f = src_front(&s);
	if (f.kind == SRC_FRONT_CLOSED) {
		diag_list d = DIAG_LIST_INIT;
		v = yaml_load(f.yaml, f.len, "", 1, &d);
		diag_release(&d);
	}
	src_release(&s);
	return v;
}

static void read_facts(struct archive_issue *is, const char *text, size_t len)
{
	value *front = front_matter(text, len);
	const value *num = value_getc(front, "number");
	const char *date = value_str(value_getc(front, "date"));
	const value *title = value_getc(front, "title");
	if (date && validate_date(date))
		memcpy(is->date, date, sizeof is->date);
	if (title && title->kind != VALUE_LIST && title->kind != VALUE_MAP) {
		buf b = BUF_INIT;
		value_text(title, &b);
		is->title = b.len ? buf_take(&b) : NULL;
		buf_release(&b);
	}
	is->draft = value_truthy(value_getc(front, "draft"));
	is->numbered = num && num->kind == VALUE_NUMBER && num->u.number == (double)is->number;
	set_failed(is, 0);
	value_free(front);
}

/* --- the state file: reading ------------------------------------------- */

struct state {
	struct archive_issue *issues; /* sorted by name */
	size_t len, cap;
	size_t diagslen, diagscap; /* of the last issue's diags, as they grow */
};

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

void archive_put_field(buf *b, const char *s)
{
	diag_escape_field(b, s ? s : "");
}

static long *parse_counts(const char *s, size_t n)
{
	if (strcmp(s, "-") == 0)
		return NULL;
	long *c = xcalloc(n, sizeof *c);
	for (size_t i = 0; i < n; i++) {
		char *end;
		c[i] = strtol(s, &end, 10);
		if (end == s || c[i] < 0 || (*end != (i + 1 < n ? ',' : '\0'))) {
			free(c);
			return NULL;
		}
		s = end + (i + 1 < n);
	}
	return c;
}

static int parse_issue(struct state *st, char **f, size_t nf, size_t ncounts)
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
	set_failed(&is, failed != 0);
	is.counts = parse_counts(f[9], ncounts);
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
	xgrow((void **)&a->outs, &a->capouts, a->nouts + 1, sizeof *a->outs);
	a->outs[a->nouts++] = o;
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
		return parse_issue(st, f, nf, a->ncounts);
	if (strcmp(f[0], "output") == 0)
		return parse_output(a, f, nf);
	if (strcmp(f[0], "diag") == 0)
		return parse_diag(st, f, nf);
	return -1;
}

static int by_issue_name(const void *x, const void *y)
{
	return strcmp(((const struct archive_issue *)x)->name,
		      ((const struct archive_issue *)y)->name);
}

static int by_output_name(const void *x, const void *y)
{
	return strcmp(((const struct archive_output *)x)->name,
		      ((const struct archive_output *)y)->name);
}

static void state_release(struct state *st)
{
	for (size_t i = 0; i < st->len; i++)
		issue_clear(&st->issues[i]);
	free(st->issues);
	memset(st, 0, sizeof *st);
}

static void outputs_release(struct archive *a)
{
	for (size_t i = 0; i < a->nouts; i++)
		free(a->outs[i].name);
	free(a->outs);
	a->outs = NULL;
	a->nouts = a->capouts = 0;
}

/* Read the state file into st and a->outs; a missing, foreign or damaged
 * file leaves both empty. */
static void state_load(struct archive *a, struct state *st)
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
		state_release(st);
		outputs_release(a);
		return;
	}
	if (st->len) /* qsort may not be given NULL, even for nothing */
		qsort(st->issues, st->len, sizeof *st->issues, by_issue_name);
	if (a->nouts)
		qsort(a->outs, a->nouts, sizeof *a->outs, by_output_name);
}

/* --- opening the archive ------------------------------------------------ */

static struct archive_issue *state_find(struct state *st, const char *name)
{
	struct archive_issue key = { .name = (char *)name };
	return st->len ? bsearch(&key, st->issues, st->len, sizeof key, by_issue_name) : NULL;
}

/* Move the facts of the state's record o into is. */
static void take_facts(struct archive_issue *is, struct archive_issue *o)
{
	memcpy(is->date, o->date, sizeof is->date);
	is->title = o->title;
	is->lede = o->lede;
	is->counts = o->counts;
	is->diags = o->diags;
	is->draft = o->draft;
	is->numbered = o->numbered;
	set_failed(is, o->failed);
	is->digest = o->digest;
	o->title = NULL;
	o->lede = NULL;
	o->counts = NULL;
	o->diags = NULL;
}

/* An issue whose size or time changed is read: same bytes, same facts (and
 * the state need not change: a fresh clone leaves it as committed). */
static void read_source(struct archive *a, struct archive_issue *is,
			struct archive_issue *o, const char *path)
{
	char *text;
	size_t len;
	if (fs_read(path, &text, &len) < 0) {
		is->unreadable = 1;
		a->dirty = 1;
		return;
	}
	uint64_t digest = archive_hash(text, len, 0);
	if (o && o->digest == digest) {
		take_facts(is, o);
	} else {
		read_facts(is, text, len);
		a->dirty = 1;
	}
	is->digest = digest;
	free(text);
}

static void scan_issue(struct archive *a, struct archive_issue *is,
		       const struct issue_file *f, struct state *st)
{
	struct stat sb;
	is->name = xstrdup(fs_basename(f->path));
	is->stemlen = strlen(f->stem);
	is->number = f->number;
	if (stat(f->path, &sb) < 0) {
		is->unreadable = 1;
		a->dirty = 1;
		return;
	}
	is->size = (long long)sb.st_size;
	is->mtime = mtime_ns(&sb);
	struct archive_issue *o = state_find(st, is->name);
	if (o && o->size == is->size && o->mtime == is->mtime)
		take_facts(is, o);
	else
		read_source(a, is, o, f->path);
}

int archive_open(struct archive *a, const struct newsletter *n)
{
	struct issue_file *files;
	size_t nfiles;
	int found;
	memset(a, 0, sizeof *a);
	a->dir = fs_join(n->root, "build");
	a->issues_dir = fs_join(n->root, "issues");
	a->ncounts = n->nsections + 1;
	a->settings = file_digest(n->settings_path, 0, &found);
	char *meta = fs_join(n->root, METACACHE_PATH); /* items[].meta: an input too */
	a->settings = file_digest(meta, a->settings, &found);
	free(meta);
	if (issue_files_list(n, &files, &nfiles) < 0)
		return -1;
	struct state st = { 0 };
	state_load(a, &st);
	a->issues = xcalloc(nfiles, sizeof *a->issues);
	a->len = nfiles;
	for (size_t i = 0; i < nfiles; i++)
		scan_issue(a, &a->issues[i], &files[i], &st);
	a->dirty |= st.len != nfiles;
	state_release(&st);
	issue_files_free(files, nfiles);
	return 0;
}

void archive_release(struct archive *a)
{
	for (size_t i = 0; i < a->len; i++)
		issue_clear(&a->issues[i]);
	free(a->issues);
	outputs_release(a);
	free(a->dir);
	free(a->issues_dir);
	memset(a, 0, sizeof *a);
}

/* --- the state file: writing ------------------------------------------- */

static void put_issue(buf *b, const struct archive *a, const struct archive_issue *is)
{
	buf_puts(b, "issue\t");
	archive_put_field(b, is->name);
	buf_printf(b, "\t%lld\t%lld\t%016llx\t%d\t%d\t%d\t%s\t", is->size, is->mtime,
		   (unsigned long long)is->digest, is->draft, is->numbered, is->failed, is->date);
	for (size_t i = 0; is->counts && i < a->ncounts; i++)
		buf_printf(b, "%s%ld", i ? "," : "", is->counts[i]);
	if (!is->counts)
		buf_putc(b, '-');
	buf_putc(b, '\t');
	archive_put_field(b, is->title);
	buf_putc(b, '\t');
	archive_put_field(b, is->lede);
	buf_putc(b, '\n');
	for (const char *p = is->diags; p && *p;) {
		size_t n = strcspn(p, "\n");
		buf_puts(b, "diag\t");
		archive_put_field(b, is->name);
		buf_printf(b, "\t%.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

static int by_number(const void *key, const void *elem)
{
	long n = *(const long *)key, m = ((const struct archive_issue *)elem)->number;
	return n < m ? -1 : n > m;
}

/* The issue output name belongs to, or NULL (a page, or an issue gone). */
static const struct archive_issue *output_issue(const struct archive *a, const char *name)
{
	size_t digits = strspn(name, "0123456789");
	long number = strtol(name, NULL, 10);
	const struct archive_issue *is = a->len ? bsearch(&number, a->issues, a->len,
							  sizeof *is, by_number) : NULL;
	/* files with the same number sit together: look at each */
	while (is && is > a->issues && is[-1].number == number)
		is--;
	for (; digits && is && is < a->issues + a->len && is->number == number; is++)
		if (is->stemlen == digits && strncmp(is->name, name, digits) == 0 &&
		    name[digits] == '.')
			return is;
	return NULL;
}

const char **archive_stale(const struct archive *a, int drafts, size_t *count)
{
	const char **out = xcalloc(a->nouts ? a->nouts : 1, sizeof *out);
	size_t n = 0;
	for (size_t i = 0; i < a->nouts; i++) {
		const char *name = a->outs[i].name;
		const struct archive_issue *is = output_issue(a, name);
		if (strspn(name, "0123456789") && (!is || (is->draft && !drafts)))
			out[n++] = name;
	}
	*count = n;
	return out;
}

/* By name, then in the order recorded. */
static int by_name_seq(const void *x, const void *y)
{
	const struct archive_output *o = x, *p = y;
	int c = strcmp(o->name, p->name);
	return c ? c : (o->seq > p->seq) - (o->seq < p->seq);
}

static void put_outputs(buf *b, struct archive *a)
{
	/* the latest of two records for one output ends up last */
	for (size_t i = 0; i < a->nouts; i++)
		a->outs[i].seq = i;
	if (a->nouts)
		qsort(a->outs, a->nouts, sizeof *a->outs, by_name_seq);
	for (size_t i = 0; i < a->nouts; i++) {
		const struct archive_output *o = &a->outs[i];
		if (i + 1 < a->nouts && strcmp(o->name, a->outs[i + 1].name) == 0)
			continue;
		buf_printf(b, "output\t%s\t%lld\t%lld\t%016llx\t%016llx\n", o->name, o->size,
			   o->mtime, (unsigned long long)o->key, (unsigned long long)o->digest);
	}
}

int archive_save(struct archive *a)
{
	if (!a->dirty)
		return 0;
	buf b = BUF_INIT;
	buf_printf(&b, "%s\t%s\t%s\n", STATE_MAGIC, STATE_REVISION, WEEKLY_VERSION);
	buf_printf(&b, "settings\t%016llx\n", (unsigned long long)a->settings);
	for (size_t i = 0; i < a->len; i++)
		if (!a->issues[i].unreadable)
			put_issue(&b, a, &a->issues[i]);
	put_outputs(&b, a);
	char *path = archive_output_path(a, ARCHIVE_STATE);
	int rc = fs_mkdirs(a->dir) < 0 ? -1 : fs_write_atomic(path, b.data, b.len);
	free(path);
	buf_release(&b);
	if (rc == 0)
		a->dirty = 0;
	return rc;
}

/* --- output records ------------------------------------------------------- */

static struct archive_output *output_find(const struct archive *a, const char *name)
{
	struct archive_output key = { .name = (char *)name };
	return a->nouts ? bsearch(&key, a->outs, a->nouts, sizeof key, by_output_name) : NULL;
}

int archive_stat(const struct archive *a, const char *name, long long *size,
		 long long *mtime)
{
	char *path = archive_output_path(a, name);
	struct stat sb;
	int rc = stat(path, &sb);
	free(path);
	if (rc < 0)
		return -1;
	*size = (long long)sb.st_size;
	*mtime = mtime_ns(&sb);
	return 0;
}

/* Whether the file of output o holds what weekly wrote: its size and time
 * say so, or (a fresh clone, a touched file) its bytes. */
static int output_intact(const struct archive *a, struct archive_output *o)
{
	long long size, mtime;
	if (archive_stat(a, o->name, &size, &mtime) < 0 || size != o->size)
		return 0;
	if (mtime == o->mtime)
		return 1;
	char *path = archive_output_path(a, o->name), *data;
	size_t len;
	int read = fs_read(path, &data, &len) == 0;
	int same = read && archive_hash(data, len, 0) == o->digest;
	if (read)
		free(data);
	free(path);
	if (same)
		o->mtime = mtime; /* saved with the state, should it change */
	return same;
}

int archive_fresh(struct archive *a, const char *name, uint64_t key)
{
	struct archive_output *o = output_find(a, name);
	return o && o->key == key && output_intact(a, o);
}

int archive_intact(struct archive *a, const char *name)
{
	struct archive_output *o = output_find(a, name);
	return o && output_intact(a, o);
}

void archive_forget(struct archive *a, const char *name)
{
	struct archive_output *o = output_find(a, name);
	if (!o)
		return;
	free(o->name);
	memmove(o, o + 1, (size_t)(a->outs + a->nouts - o - 1) * sizeof *o);
	a->nouts--;
	a->dirty = 1;
}

int archive_set_result(struct archive *a, size_t i, int failed, char *diags)
{
	struct archive_issue *is = &a->issues[i];
	int listed = is->listed;
	if (is->failed != failed || strcmp(is->diags ? is->diags : "", diags ? diags : "") != 0)
		a->dirty = 1;
	set_failed(is, failed);
	free(is->diags);
	is->diags = diags;
	return listed != is->listed;
}

/* New records go after the sorted ones (lookups see only those, which is
 * all a run asks about); archive_save sorts them in. */
void archive_record(struct archive *a, const char *name, uint64_t key, uint64_t digest,
		    long long size, long long mtime)
{
	struct archive_output *o = output_find(a, name);
	if (!o) {
		xgrow((void **)&a->outs, &a->capouts, a->nouts + 1, sizeof *a->outs);
		o = &a->outs[a->nouts++];
		*o = (struct archive_output){ .name = xstrdup(name) };
		a->dirty = 1;
	}
	if (o->size != size || o->digest != digest || o->key != key)
		a->dirty = 1;
	o->size = size;
	o->mtime = mtime;
	o->key = key;
	o->digest = digest;
}

long *archive_count(const struct archive *a, const struct issue *is)
{
	long *c = xcalloc(a->ncounts, sizeof *c);
	for (size_t s = 0; s < is->nsections; s++) {
		const struct section *sec = &is->sections[s];
		if (sec->conf < 0 || (size_t)sec->conf + 1 >= a->ncounts)
			continue;
		c[sec->conf] += (long)sec->nitems;
		c[a->ncounts - 1] += (long)sec->nitems;
	}
	return c;
}

char *archive_lede(const struct issue *is)
{
	return issue_first_titles(is, ARCHIVE_LEDE_ITEMS);
}

void archive_set_counts(struct archive *a, size_t i, long *counts, char *lede)
{
	struct archive_issue *is = &a->issues[i];
	if (!is->counts || memcmp(is->counts, counts, a->ncounts * sizeof *counts) != 0 ||
	    strcmp(is->lede ? is->lede : "", lede) != 0)
		a->dirty = 1;
	free(is->counts);
	free(is->lede);
	is->counts = counts;
	is->lede = lede;
}

/* --- neighbours ----------------------------------------------------------- */

long archive_prev(const struct archive *a, size_t i)
{
	while (i-- > 0)
		if (a->issues[i].listed)
			return (long)i;
	return -1;
}

long archive_next(const struct archive *a, size_t i)
{
	for (i++; i < a->len; i++)
		if (a->issues[i].listed)
			return (long)i;
	return -1;
}

size_t *archive_newest(const struct archive *a, size_t max, size_t *count)
{
	size_t *out = xcalloc(a->len ? a->len : 1, sizeof *out), n = 0;
	for (size_t i = a->len; i-- > 0 && (!max || n < max);)
		if (a->issues[i].listed)
			out[n++] = i;
	*count = n;
	return out;
}

/* --- what outputs depend on ------------------------------------------- */

static int by_string(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Every partial there is, for templates whose partials cannot be known
 * before rendering. */
static uint64_t all_partials(const char *pdir, uint64_t h)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	DIR *dp = opendir(pdir);
	struct dirent *e;
	int found;
	while (dp && (e = readdir(dp)))
		if (e->d_name[0] != '.') {
			xgrow((void **)&names, &cap, n + 1, sizeof *names);
			names[n++] = xstrdup(e->d_name);
		}
	if (dp)
		closedir(dp);
	if (n)
		qsort(names, n, sizeof *names, by_string);
	for (size_t i = 0; i < n; i++) {
		char *p = fs_join(pdir, names[i]);
		if (tmpl_file_check(pdir, p) == TMPL_FILE_OK) /* else rendering fails */
			h = file_digest(p, hash_str(names[i], h), &found);
		free(p);
		free(names[i]);
	}
	free(names);
	return h;
}

/* A partial's name and source into the digest. */
static void partial_digest(void *ud, const char *name, size_t n, const char *src, size_t len)
{
	uint64_t *h = ud;
	char *file = xasprintf("%.*s.mustache", (int)n, name);
	*h = hash_str(file, *h);
	if (src)
		*h = archive_hash(src, len, *h);
	free(file);
}

/* The digest of template src (len bytes) of tdir and the partials its
 * compiled form may include: every partial there is when they cannot be
 * known before rendering (a name chosen then, or a template that does not
 * compile and so renders nothing but its error). */
static uint64_t template_digest(const char *tdir, const char *path, const char *src, size_t len)
{
	char *pdir = fs_join(tdir, "partials");
	tmpl_env *env = tmpl_env_new_dir(pdir, TMPL_ESCAPE_NONE);
	diag_list d = DIAG_LIST_INIT; /* rendering reports them */
	tmpl *t = tmpl_compile(env, path, src, len, &d);
	uint64_t h = archive_hash(src, len, 1);
	if (!t || tmpl_partials(env, t, partial_digest, &h))
		h = all_partials(pdir, archive_hash(src, len, 2));
	diag_release(&d);
	tmpl_env_free(env);
	free(pdir);
	return h;
}

uint64_t archive_template_digest(const char *tdir, const char *name)
{
	char *path = fs_join(tdir, name), *src;
	size_t len;
	uint64_t h = 0;
	if (tmpl_file_check(tdir, path) != TMPL_FILE_OK) {
		h = 1; /* not read: rendering refuses it, with an error */
	} else if (fs_read(path, &src, &len) == 0) {
		h = template_digest(tdir, path, src, len);
		h += !h;
		free(src);
	}
	free(path);
	return h;
}

static uint64_t link_digest(const struct archive *a, long i, uint64_t h)
{
	if (i < 0)
		return hash_str("\001none", h);
	const struct archive_issue *is = &a->issues[i];
	h = hash_long(is->number, h);
	h = archive_hash(is->name, is->stemlen, h);
	return hash_str(is->title, hash_str(is->date, h));
}

uint64_t archive_issue_key(const struct archive *a, size_t i, uint64_t tmpl, const char *ext)
{
	uint64_t h = hash_long((long long)tmpl, a->settings);
	h = hash_str(ext, hash_long((long long)a->issues[i].digest, h));
	h = link_digest(a, archive_prev(a, i), h);
	return link_digest(a, archive_next(a, i), h);
}

uint64_t archive_index_key(const struct archive *a, uint64_t tmpl)
{
	uint64_t h = hash_str("index", hash_long((long long)tmpl, a->settings));
	for (size_t i = a->len; i-- > 0;) {
		const struct archive_issue *is = &a->issues[i];
		if (!is->listed)
			continue;
		h = link_digest(a, (long)i, h);
		h = is->counts ? archive_hash(is->counts, a->ncounts * sizeof(long), h) : h + 1;
		h = hash_str(is->lede, h);
	}
	return h;
}

uint64_t archive_feed_key(const struct archive *a, uint64_t tmpl)
{
	size_t n, *newest = archive_newest(a, ARCHIVE_FEED_SIZE, &n);
	uint64_t h = hash_str("feed", hash_long((long long)tmpl, a->settings));
	for (size_t k = 0; k < n; k++)
		h = hash_long((long long)a->issues[newest[k]].digest, link_digest(a, (long)newest[k], h));
	free(newest);
	return h;
}

/* --- an issue's warnings, kept for when it is skipped -------------------- */

char *archive_keep_diags(const diag_list *d, const char *source)
{
	buf b = BUF_INIT;
	for (size_t i = 0; i < d->len; i++) {
		const diag *x = &d->items[i];
		int own = x->file && strcmp(x->file, source) == 0;
		buf_printf(&b, "%d\t%d\t%d\t", (int)x->severity, x->line, x->col);
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
		if (!*file) { /* the issue's own line, as it was: no need to read it */
			char *text = diag_unescape_field(f[6]);
			diag_set_source(d, text, strlen(text));
			free(text);
		}
		free(rule), free(file), free(msg);
	}
	free(copy);
}
