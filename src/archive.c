/* archive.c - the archive as the build sees it: issue facts, kept between
 * runs in the archive index (index.h) or read from the state file of
 * earlier versions (archive_state.c). Digests are archive_key.c's, output
 * records archive_out.c's. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "archive_int.h"
#include "weekly/buf.h"
#include "weekly/digest.h"
#include "weekly/fsutil.h"
#include "weekly/index.h"
#include "weekly/source.h"
#include "weekly/util.h"
#include "weekly/yaml.h"


/* --- small helpers -------------------------------------------------------- */

char *archive_source_path(const struct archive *a, size_t i)
{
	return fs_join(a->issues_dir, a->issues[i].name);
}

size_t archive_job_memory(const struct archive *a, const size_t *at, size_t n)
{
	size_t most = 0;
	if (!at)
		n = a->len;
	for (size_t k = 0; k < n; k++) {
		long long size = a->issues[at ? at[k] : k].size;
		if (size > 0 && ISSUE_MEMORY(size) > most)
			most = ISSUE_MEMORY(size);
	}
	return most;
}

/* An issue's name or title, kept packed in the archive's own arena (no
 * allocation of its own each): a fresh copy of s, NULL for NULL. */
static char *keep_text(struct archive *a, const char *s, size_t len)
{
	return s ? arena_strndup(&a->texts, s, len) : NULL;
}

static char *keep_str(struct archive *a, const char *s)
{
	return keep_text(a, s, s ? strlen(s) : 0);
}

/* --- front matter facts ---------------------------------------------------- */

/* The front matter of an issue's source text (fs_read's, which it frees)
 * as a value, or NULL. Problems are not reported here: building the issue
 * reports them. */
static value *front_matter(char *text, size_t len)
{
	struct src s;
	value *v = NULL;
	struct src_front f = src_take_front(&s, text, len);
	if (f.kind == SRC_FRONT_CLOSED) {
		diag_list d = DIAG_LIST_INIT;
		v = yaml_load(f.yaml, f.len, "", 1, &d);
		diag_release(&d);
	}
	src_release(&s);
	return v;
}

static void read_facts(struct archive *a, struct archive_issue *is, char *text, size_t len)
{
	value *front = front_matter(text, len);
	const value *num = value_getc(front, "number");
	const char *date = value_str(value_getc(front, "date"));
	const value *title = value_getc(front, "title");
	if (date && util_is_date(date))
		memcpy(is->date, date, sizeof is->date);
	if (title && value_type(title) != VALUE_LIST && value_type(title) != VALUE_MAP) {
		buf b = BUF_INIT;
		value_text(title, &b);
		is->title = b.len ? keep_text(a, b.data, b.len) : NULL;
		buf_release(&b);
	}
	is->draft = value_truthy(value_getc(front, "draft"));
	is->numbered =
		num && value_type(num) == VALUE_NUMBER && value_num(num) == (double)is->number;
	archive_set_failed(is, 0);
	value_free(front);
}

/* --- opening the archive ------------------------------------------------ */

/* Move the facts of the state's record o into is (its title copied). */
static void take_facts(struct archive *a, struct archive_issue *is, struct archive_issue *o)
{
	memcpy(is->date, o->date, sizeof is->date);
	is->title = keep_str(a, o->title);
	is->lede = o->lede;
	is->counts = o->counts;
	is->diags = o->diags;
	is->lede_digest = o->lede_digest;
	is->diags_digest = o->diags_digest;
	is->draft = o->draft;
	is->numbered = o->numbered;
	archive_set_failed(is, o->failed);
	is->digest = o->digest;
	o->lede = NULL;
	o->counts = NULL;
	o->diags = NULL;
}

/* An issue whose size or time changed is read: same bytes, same facts. */
static void read_source(struct archive *a, struct archive_issue *is,
			struct archive_issue *o, const char *path)
{
	char *text;
	size_t len;
	a->dirty = is->changed = 1;
	if (fs_read(path, &text, &len) < 0) {
		is->unreadable = 1;
		return;
	}
	uint64_t digest = digest_bytes(text, len, 0);
	if (o && o->digest == digest) {
		take_facts(a, is, o);
		free(text);
	} else {
		read_facts(a, is, text, len); /* text goes with the front matter */
	}
	is->digest = digest;
}

/* Look at issue is's file: take the facts of its record o (NULL: none)
 * when size and time are the same, else read it. */
static void scan_issue(struct archive *a, struct archive_issue *is, const char *path,
		       struct archive_issue *o)
{
	struct stat sb;
	if (stat(path, &sb) < 0) {
		is->unreadable = 1;
		a->dirty = is->changed = 1;
		return;
	}
	is->size = (long long)sb.st_size;
	is->mtime = fs_mtime_ns(&sb);
	if (o && o->size == is->size && o->mtime == is->mtime)
		take_facts(a, is, o);
	else
		read_source(a, is, o, path);
}

/* --- records in the index -------------------------------------------------- */

/* The record r of the index, for these settings, as an issue's facts. */
static struct archive_issue record_of(struct archive *a, const struct index_issue *r)
{
	struct archive_issue is = {
		.name = xstrdup(r->name), .number = r->number, .size = r->size,
		.mtime = r->mtime, .digest = r->digest, .draft = r->draft,
		.numbered = r->numbered,
		.counts = r->counts ? archive_parse_counts(a, r->counts) : NULL,
		.title = r->title ? xstrdup(r->title) : NULL,
		.diags_digest = r->diags ? digest_str(r->diags, 0) : 0,
		.lede_digest = r->counts && r->lede ? digest_str(r->lede, 0) : 0,
	}; /* the texts stay in the index (archive_texts) */
	if (strlen(r->date) < sizeof is.date)
		memcpy(is.date, r->date, strlen(r->date) + 1);
	archive_set_failed(&is, r->failed);
	return is;
}

static void add_record(void *ud, const struct index_issue *r)
{
	void **args = ud;
	struct state *st = args[0];
	xgrow((void **)&st->issues, &st->cap, st->len + 1, sizeof *st->issues);
	st->issues[st->len++] = record_of(args[1], r);
}

static void add_output(void *ud, const struct index_output *r)
{
	struct archive *a = ud;
	archive_outputs_add(a, &(struct archive_output){ .name = xstrdup(r->name),
		.size = r->size, .mtime = r->mtime, .key = r->key, .digest = r->digest });
}

/* The records of the issues numbered lo to hi (by number, then name), for
 * these settings, and of their outputs (and the pages', when pages): those
 * made for other settings are out of date, but still say which files weekly
 * wrote (a page that other settings made, such as a season's, is removed
 * by what they say). */
static void index_load(struct archive *a, struct state *st, long lo, long hi, int pages)
{
	if (!a->ix)
		return;
	void *args[2] = { st, a };
	if ((!a->clear && index_issues(a->ix, lo, hi, add_record, args) < 0) ||
	    index_outputs(a->ix, lo, hi, pages, add_output, a) < 0) {
		archive_state_release(st);
		archive_outputs_release(a);
	}
}

/* What decides whether the index's records can be used: the settings they
 * were made for, and the time of issues/ they saw. */
static void start(struct archive *a, const struct newsletter *n, unsigned flags)
{
	struct stat sb;
	memset(a, 0, sizeof *a);
	a->dir = fs_join(n->root, "build");
	a->issues_dir = fs_join(n->root, "issues");
	a->ncounts = n->nsections + 1;
	const value *lb = value_getc(n->settings, "lookback");
	for (size_t k = 0; k < value_len(lb) && a->nlookback < ARCHIVE_MAX_LOOKBACK; k++) {
		const value *v = value_at(lb, k);
		if (value_type(v) == VALUE_NUMBER && value_num(v) >= 1 && value_num(v) <= 1e9)
			a->lookback[a->nlookback++] = (long)value_num(v);
	}
	a->dir_mtime = stat(a->issues_dir, &sb) == 0 ? fs_mtime_ns(&sb) : -1;
	a->out_mtime = stat(a->dir, &sb) == 0 ? fs_mtime_ns(&sb) : -1;
	a->ix = index_open(n->root, (flags & ARCHIVE_LOOK) != 0);
	a->settings = digest_settings(n, a->ix);
	a->clear = a->ix && (uint64_t)index_meta(a->ix, "settings", 0) != a->settings;
}

/* Opening the whole archive: the files of issues/ and the records, both
 * in the order of numbers, then names, walked together, so that no record
 * waits for its file (20,000 issues take a few megabytes). */
struct opening {
	struct archive *a;
	struct issue_file *files;
	size_t nfiles, next; /* the next file to look at */
	size_t rows;         /* records the index had */
};

/* Look at the next file, with its record o (NULL: none), whose name it
 * takes; the file's entry of the listing is freed. */
static void open_file(struct opening *op, struct archive_issue *o)
{
	struct archive *a = op->a;
	struct issue_file *f = &op->files[op->next];
	struct archive_issue *is = &a->issues[op->next++];
	is->name = keep_str(a, o ? o->name : fs_basename(f->path));
	is->stemlen = strlen(f->stem);
	is->number = f->number;
	scan_issue(a, is, f->path, o);
	if (is->unreadable)
		archive_drop_record(a, is->name);
	free(f->path);
	free(f->stem);
	f->path = f->stem = NULL;
}

static int file_before(const struct issue_file *f, const struct archive_issue *o)
{
	return f->number != o->number ? f->number < o->number
				       : strcmp(fs_basename(f->path), o->name) < 0;
}

/* Record o, in order: the files before it have none; it is the next
 * file's, or that of a file that is gone. */
static void open_record(struct opening *op, struct archive_issue *o)
{
	while (op->next < op->nfiles && file_before(&op->files[op->next], o))
		open_file(op, NULL);
	if (op->next < op->nfiles && op->files[op->next].number == o->number &&
	    strcmp(fs_basename(op->files[op->next].path), o->name) == 0)
		open_file(op, o);
	else
		archive_drop_record(op->a, o->name);
}

static void open_row(void *ud, const struct index_issue *r)
{
	struct opening *op = ud;
	struct archive_issue o = record_of(op->a, r);
	op->rows++;
	open_record(op, &o);
	archive_issue_clear(&o);
}

static int by_number_name(const void *x, const void *y)
{
	const struct archive_issue *p = x, *q = y;
	return p->number != q->number ? (p->number < q->number ? -1 : 1) : strcmp(p->name, q->name);
}

/* The records of the index (none for other settings), else those of the
 * state file of earlier versions, each with its file. */
static void open_records(struct opening *op)
{
	struct archive *a = op->a;
	struct state st = { 0 };
	/* for other settings, every record: a clear index is written whole */
	int lazy = a->ix && !a->clear;
	a->win_lo = 1, a->win_hi = 0;
	if (a->ix && index_outputs(a->ix, lazy ? 1 : LONG_MIN, lazy ? 0 : LONG_MAX, 1,
				   add_output, a) < 0)
		archive_outputs_release(a);
	if (lazy)
		index_issues(a->ix, LONG_MIN, LONG_MAX, open_row, op);
	if (lazy && !op->rows && !a->nouts) {
		/* the index may still know outputs: read whole, they are held to
		 * the end, not read again as asked for */
		index_outputs(a->ix, LONG_MIN, LONG_MAX, 0, add_output, a);
		lazy = 0;
	}
	if (!op->rows && !a->nouts) /* its records are held to the end */
		archive_legacy_load(a, &st);
	a->lazy = lazy || (a->ix && !a->nouts); /* none held: none to keep */
	for (size_t i = 0, digits; i < st.len; i++) /* its records name their files */
		st.issues[i].number = issue_file_number(st.issues[i].name, &digits);
	if (st.len) /* qsort may not be given NULL, even for nothing */
		qsort(st.issues, st.len, sizeof *st.issues, by_number_name);
	for (size_t i = 0; i < st.len; i++)
		open_record(op, &st.issues[i]);
	archive_state_release(&st);
}

static int open_all(struct archive *a, const struct newsletter *n)
{
	struct opening op = { a, NULL, 0, 0, 0 };
	if (issue_files_list(n, &op.files, &op.nfiles) < 0)
		return -1;
	a->issues = xcalloc(op.nfiles ? op.nfiles : 1, sizeof *a->issues);
	a->len = op.nfiles;
	open_records(&op);
	while (op.next < op.nfiles) /* files after the last record */
		open_file(&op, NULL);
	a->dirty |= a->clear || (a->ix && index_meta(a->ix, "issues_mtime", -1) != a->dir_mtime);
	issue_files_free(op.files, op.nfiles);
	return 0;
}

/* The window of numbers the issues nums need: from the listed issue before
 * the first to the one after the last. */
static void window(struct archive *a, const long *nums, size_t nnums, long *lo, long *hi)
{
	*lo = LONG_MAX;
	*hi = LONG_MIN;
	for (size_t k = 0; k < nnums; k++) {
		*lo = nums[k] < *lo ? nums[k] : *lo;
		*hi = nums[k] > *hi ? nums[k] : *hi;
	}
	if (!nnums)
		return;
	long p = index_listed_near(a->ix, *lo, -1), q = index_listed_near(a->ix, *hi, 1);
	*lo = p < 0 ? LONG_MIN : p;
	*hi = q < 0 ? LONG_MAX : q;
}

struct range {
	long lo, hi;
};

static int by_lo(const void *x, const void *y)
{
	long a = ((const struct range *)x)->lo, b = ((const struct range *)y)->lo;
	return (a > b) - (a < b);
}

/* Load the records the window needs: lo to hi, the issues the look-backs
 * of nums name (their pages link to them), and with ARCHIVE_NEWEST the
 * newest issues as well; each record once, in the order of numbers. */
static void load_window(struct archive *a, struct state *st, const long *nums, size_t nnums,
			long lo, long hi, unsigned flags)
{
	struct range *r = xcalloc(nnums * a->nlookback + 2, sizeof *r);
	size_t n = 0, m = 0;
	if (lo <= hi)
		r[n++] = (struct range){ lo, hi };
	for (size_t k = 0; k < nnums; k++)
		for (size_t j = 0; j < a->nlookback; j++)
			if (nums[k] - a->lookback[j] < lo || nums[k] - a->lookback[j] > hi)
				r[n++] = (struct range){ nums[k] - a->lookback[j],
							 nums[k] - a->lookback[j] };
	long t = flags & ARCHIVE_NEWEST ? index_newest(a->ix, ARCHIVE_NEWEST_FILES) : LONG_MAX;
	if (t != LONG_MAX)
		r[n++] = (struct range){ t, LONG_MAX };
	qsort(r, n, sizeof *r, by_lo);
	for (size_t k = 0; k < n; k++) { /* ranges that overlap become one */
		if (m && r[k].lo <= r[m - 1].hi)
			r[m - 1].hi = r[k].hi > r[m - 1].hi ? r[k].hi : r[m - 1].hi;
		else
			r[m++] = r[k];
	}
	for (size_t k = 0; k < m; k++)
		index_load(a, st, r[k].lo, r[k].hi, 0);
	free(r);
}

/* The issues of the window from their records, each file looked at: 0, or
 * -1 when the whole archive must be read (a number the index does not
 * know, an issue whose listing changed). */
static int open_window(struct archive *a, const long *nums, size_t nnums, unsigned flags)
{
	if (!a->ix || a->clear || a->dir_mtime < 0 ||
	    index_meta(a->ix, "issues_mtime", -1) != a->dir_mtime)
		return -1;
	long lo, hi;
	struct state st = { 0 };
	window(a, nums, nnums, &lo, &hi);
	load_window(a, &st, nums, nnums, lo, hi, flags);
	a->issues = xcalloc(st.len ? st.len : 1, sizeof *a->issues);
	a->len = st.len;
	int ok = 1;
	for (size_t i = 0; i < st.len; i++) { /* st is by number, as issues are */
		struct archive_issue *is = &a->issues[i], *o = &st.issues[i];
		size_t digits;
		char *path = fs_join(a->issues_dir, o->name);
		int listed = o->listed;
		is->name = keep_str(a, o->name);
		is->number = issue_file_number(o->name, &digits);
		is->stemlen = digits;
		scan_issue(a, is, path, o);
		ok &= is->number == o->number && !is->unreadable && is->listed == listed;
		free(path);
	}
	for (size_t k = 0; k < nnums; k++)
		ok &= archive_number(a, nums[k]) >= 0;
	archive_state_release(&st);
	a->partial = 1;
	return ok ? 0 : -1;
}

/* What an issue of the archive holds of its own: its name and title are
 * the archive's (keep_text). */
static void issue_release(struct archive_issue *is)
{
	free(is->lede);
	free(is->diags);
}

/* Forget what a window read, keeping the index open. */
static void forget_all(struct archive *a)
{
	for (size_t i = 0; i < a->len; i++)
		issue_release(&a->issues[i]);
	free(a->issues);
	arena_reset(&a->texts);
	a->issues = NULL;
	a->len = 0;
	archive_outputs_release(a);
	for (size_t i = 0; i < a->ndropped; i++)
		free(a->dropped[i]);
	a->ndropped = 0;
	a->partial = a->dirty = 0;
}

int archive_open(struct archive *a, const struct newsletter *n)
{
	start(a, n, 0);
	return open_all(a, n);
}

int archive_open_some(struct archive *a, const struct newsletter *n, const long *nums,
		      size_t nnums, unsigned flags)
{
	start(a, n, flags);
	if (nums && open_window(a, nums, nnums, flags) == 0)
		return 0;
	forget_all(a);
	return open_all(a, n);
}

int archive_moved(const struct archive *a, int outputs)
{
	if (!outputs)
		return !a->partial;
	return !a->ix || index_meta(a->ix, "build_mtime", -1) != a->out_mtime;
}

int archive_issue_files(const struct newsletter *n, const long *nums, size_t nnums,
			struct issue_file **out, size_t *count)
{
	struct archive a;
	if (!nums)
		return issue_files_list(n, out, count);
	if (archive_open_some(&a, n, nums, nnums, 0) < 0)
		return -1;
	archive_save(&a); /* what was read, for the next command */
	*out = xcalloc(a.len ? a.len : 1, sizeof **out);
	*count = a.len;
	for (size_t i = 0; i < a.len; i++)
		(*out)[i] = (struct issue_file){ archive_source_path(&a, i),
			xstrndup(a.issues[i].name, a.issues[i].stemlen), a.issues[i].number };
	archive_release(&a);
	return 0;
}

void archive_release(struct archive *a)
{
	for (size_t i = 0; i < a->len; i++)
		issue_release(&a->issues[i]);
	free(a->issues);
	arena_release(&a->texts);
	archive_outputs_release(a);
	for (size_t i = 0; i < a->ndropped; i++)
		free(a->dropped[i]);
	free(a->dropped);
	index_close(a->ix);
	free(a->dir);
	free(a->issues_dir);
	archive_counts_release(a);
	memset(a, 0, sizeof *a);
}

/* --- the state file: writing ------------------------------------------- */

/* The counts as a record keeps them: "n,n,...,total". */
static char *counts_text(const struct archive *a, const long *counts)
{
	buf b = BUF_INIT;
	for (size_t i = 0; counts && i < a->ncounts; i++) {
		if (i)
			buf_putc(&b, ',');
		buf_put_dec(&b, counts[i]);
	}
	return counts ? buf_take(&b) : NULL;
}

static void put_issue(struct archive *a, size_t i)
{
	const struct archive_issue *is = &a->issues[i];
	char *counts = counts_text(a, is->counts), *lede, *diags;
	archive_texts(a, i, &lede, &diags);
	index_put_issue(a->ix, &(struct index_issue){
		.name = is->name, .number = is->number, .size = is->size, .mtime = is->mtime,
		.digest = is->digest, .draft = is->draft, .numbered = is->numbered,
		.failed = is->failed, .listed = is->listed, .date = is->date, .title = is->title,
		.counts = counts, .diags = diags, .lede = is->counts ? lede : NULL });
	free(counts);
	free(lede);
	free(diags);
}

/* Forget what is gone, then write what changed; when whole, also the
 * times that say the index knows issues/ and build/ as they are. */
static void put_records(struct archive *a, int whole)
{
	if (a->clear)
		index_clear(a->ix);
	for (size_t i = 0; i < a->ndropped; i++) {
		index_drop_issue(a->ix, a->dropped[i]);
		index_drop_output(a->ix, a->dropped[i]);
	}
	for (size_t i = 0; i < a->len; i++)
		if ((a->clear || a->issues[i].changed) && !a->issues[i].unreadable)
			put_issue(a, i);
	archive_outputs_put(a);
	struct stat sb;
	index_set_meta(a->ix, "settings", (long long)a->settings);
	if (!whole)
		return;
	index_set_meta(a->ix, "build_mtime", stat(a->dir, &sb) == 0 ? fs_mtime_ns(&sb) : -1);
	if (!a->partial)
		index_set_meta(a->ix, "issues_mtime", a->dir_mtime);
}

static int save(struct archive *a, int whole)
{
	if (!a->dirty || !a->ix)
		return 0;
	if (index_begin(a->ix) < 0) {
		errno = EAGAIN;
		return -1;
	}
	put_records(a, whole);
	if (index_commit(a->ix) < 0) {
		errno = EIO;
		return -1;
	}
	for (size_t i = 0; i < a->len; i++) { /* the index holds them now */
		struct archive_issue *is = &a->issues[i];
		is->changed = 0;
		free(is->lede);
		free(is->diags);
		is->lede = is->diags = NULL;
	}
	for (size_t i = 0; i < a->nouts; i++)
		a->outs[i].changed = 0;
	for (size_t i = 0; i < a->ndropped; i++)
		free(a->dropped[i]);
	a->ndropped = 0;
	a->dirty = a->clear = 0;
	return 0;
}

int archive_save(struct archive *a)
{
	return save(a, 1);
}

int archive_save_part(struct archive *a)
{
	return save(a, 0);
}

/* Put text (taken) in *held, with its digest in *digest, when it is not
 * the text held or kept already: then whether it is new. */
static int new_text(char **held, uint64_t *digest, char *text)
{
	uint64_t d = text ? digest_str(text, 0) : 0;
	if (d == *digest) {
		free(text);
		return 0;
	}
	free(*held);
	*held = text;
	*digest = d;
	return 1;
}

static int needs_index(const struct archive_issue *is)
{
	return (is->lede_digest && !is->lede) || (is->diags_digest && !is->diags);
}

/* The texts is holds, over those read from the index (fresh or NULL). */
static void held_texts(const struct archive_issue *is, char **lede, char **diags)
{
	if (is->lede || !is->lede_digest) {
		free(*lede);
		*lede = is->lede ? xstrdup(is->lede) : NULL;
	}
	if (is->diags || !is->diags_digest) {
		free(*diags);
		*diags = is->diags ? xstrdup(is->diags) : NULL;
	}
}

void archive_texts(const struct archive *a, size_t i, char **lede, char **diags)
{
	const struct archive_issue *is = &a->issues[i];
	*lede = *diags = NULL;
	if (needs_index(is) && (!a->ix || index_issue_texts(a->ix, is->name, lede, diags) < 0))
		*lede = *diags = NULL;
	held_texts(is, lede, diags);
}

/* Whether record r of a pass comes before issue is (by number, then name). */
static int texts_before(const struct index_texts *r, const struct archive_issue *is)
{
	return r->number != is->number ? r->number < is->number : strcmp(r->name, is->name) < 0;
}

/* Issue is's texts from the pass of the index (begun at *pass == 0, 1
 * while it has records, -1 when it has no more), hi_number its last
 * number; or read on their own when the pass does not have them there. */
static void passed_texts(const struct archive *a, const struct archive_issue *is,
			 long hi_number, int *pass, struct index_texts *r, char **lede, char **diags)
{
	if (*pass == 0)
		*pass = index_texts_begin(a->ix, is->number, hi_number) == 0 &&
			index_texts_next(a->ix, r) ? 1 : -1;
	while (*pass == 1 && texts_before(r, is))
		*pass = index_texts_next(a->ix, r) ? 1 : -1;
	if (*pass == 1 && r->number == is->number && strcmp(r->name, is->name) == 0) {
		*lede = r->lede ? xstrdup(r->lede) : NULL;
		*diags = r->diags ? xstrdup(r->diags) : NULL;
	} else if (index_issue_texts(a->ix, is->name, lede, diags) < 0) {
		*lede = *diags = NULL;
	}
}

void archive_texts_each(const struct archive *a, size_t lo, size_t hi, archive_want_fn want,
			archive_texts_fn fn, void *ud)
{
	struct index_texts r = { 0 };
	int pass = 0;
	hi = hi < a->len ? hi : a->len;
	for (size_t i = lo; i < hi; i++) {
		const struct archive_issue *is = &a->issues[i];
		char *lede = NULL, *diags = NULL;
		if (!want(ud, i))
			continue;
		if (needs_index(is) && a->ix)
			passed_texts(a, is, a->issues[hi - 1].number, &pass, &r, &lede, &diags);
		held_texts(is, &lede, &diags);
		fn(ud, i, lede, diags);
		free(lede);
		free(diags);
	}
	if (pass != 0)
		index_texts_end(a->ix);
}

int archive_set_result(struct archive *a, size_t i, int failed, char *diags)
{
	struct archive_issue *is = &a->issues[i];
	int listed = is->listed;
	if (new_text(&is->diags, &is->diags_digest, diags) || is->failed != failed)
		a->dirty = is->changed = 1;
	archive_set_failed(is, failed);
	return listed != is->listed;
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
	if (new_text(&is->lede, &is->lede_digest, lede) | !is->counts ||
	    memcmp(is->counts, counts, a->ncounts * sizeof *counts) != 0)
		a->dirty = is->changed = 1;
	is->counts = archive_counts_keep(a, counts);
	free(counts);
}

/* --- neighbours ----------------------------------------------------------- */

long archive_number(const struct archive *a, long number)
{
	size_t i = archive_first_from(a, number);
	return i < a->len && a->issues[i].number == number ? (long)i : -1;
}

long archive_find(const struct archive *a, long number)
{
	long i = archive_number(a, number);
	for (; i >= 0 && (size_t)i < a->len && a->issues[i].number == number; i++)
		if (a->issues[i].listed)
			return i;
	return -1;
}

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
