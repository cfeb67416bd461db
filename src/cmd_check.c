/* cmd_check.c - `weekly check`: every rule over the chosen issues (and their
 * links with --links), reported like a compiler, as JSON or for GitHub. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>
#include "weekly/archive.h"
#include "weekly/cmd.h"
#include "weekly/edition.h"
#include "weekly/fsutil.h"
#include "weekly/index.h"
#include "weekly/ledger.h"
#include "weekly/libcurl.h"
#include "weekly/linkcheck.h"
#include "weekly/linkfix.h"
#include "weekly/linkindex.h"
#include "weekly/linkmeta.h"
#include "weekly/metacache.h"
#include "weekly/outcheck.h"
#include "weekly/render.h"
#include "weekly/pool.h"
#include "weekly/render.h"
#include "weekly/util.h"
#include "weekly/render.h"
#include "weekly/validate.h"

/* Where earlier versions kept link verdicts, under the newsletter's root,
 * unless newsletter.yaml names another file with link_cache: read into the
 * archive index once (linkcache.h). */
#define CHECK_LINK_CACHE "build/linkcache.tsv"

struct check {
	struct newsletter n;
	diag_format fmt;
	int strict, links, link_opts, all, email;
	int per_host_given;  /* --per-host, which wins over link_per_host */
	int fix;             /* --fix: rewrite what is certain about links */
	int meta;            /* --meta: ask what items' links are (metacache.h) */
	int wayback;         /* --wayback: look dead links up in an archive service */
	int editions;        /* --editions: compare issues with the other editions' */
	struct linkcheck_opts lo;
	long *want;          /* issue numbers asked for, sorted; none: every issue */
	size_t nwant;
	const struct issue_file *files; /* the issue files read, by number */
	uint64_t *digests;   /* of their sources, as the archive index knows them */
	unsigned char *keep; /* whether their links go to the index */
	struct archive a;    /* the archive, or the named issues' part of it */
	int indexed;         /* earlier features are looked up in the index */
	int tx;              /* links to keep: 0 until their transaction begins, 1 in it;
			      * -1 none, or no transaction */
	struct ledger archive;
	struct renderer *posts; /* for the channel posts, made in a worker when needed */
	size_t newest;       /* the file the templates are checked against: its job does it */
	diag_list templates; /* what that check said, handed back by the job */
	diag_list out;       /* everything to print, in order */
	size_t checked;      /* issue files checked */
	int syserr;
};

/* --- arguments ------------------------------------------------------------ */

static int number_arg(const char *s, double min, double max, double *out)
{
	char *end;
	errno = 0;
	double d = strtod(s, &end);
	if (!*s || *end || errno || d < min || d > max)
		return -1;
	*out = d;
	return 0;
}

enum { O_STRICT = 1, O_EMAIL, O_FORMAT, O_LINKS, O_JOBS, O_PER_HOST, O_TIMEOUT, O_MAX_AGE,
       O_ONLY_NEW, O_META, O_WAYBACK, O_FIX, O_ALL, O_EDITIONS };

static int link_option(struct check *c, int key, const char *name, const char *val)
{
	double d;
	static const char *const bad = "option '%s' needs a number";
	c->link_opts = 1;
	if (key == O_JOBS || key == O_PER_HOST) {
		if (number_arg(val, 1, 1024, &d) < 0 || d != (int)d)
			return cmd_usage_error("check", "option '%s' needs a whole number from 1 to 1024", name);
		*(key == O_JOBS ? &c->lo.jobs : &c->lo.per_host) = (int)d;
		c->per_host_given |= key == O_PER_HOST;
	} else if (key == O_TIMEOUT) {
		if (number_arg(val, 0.001, 86400, &d) < 0)
			return cmd_usage_error("check", bad, name);
		c->lo.timeout = d;
	} else {
		if (number_arg(val, 0, 1e9, &d) < 0)
			return cmd_usage_error("check", bad, name);
		c->lo.max_age = d;
	}
	return 0;
}


static const struct option options[] = {
	{ "--strict", NULL, O_STRICT, "warnings fail the check too", NULL },
	{ "--email", NULL, O_EMAIL, "also check the email format as mail clients will treat it:\n"
	  "over 90 KB (Gmail clips above about 102 KB), images\n"
	  "without width or alt text, http: images and links, no\n"
	  "plain-text part", NULL },
	{ "--format", "F", O_FORMAT, "human (default; colour on a terminal unless NO_COLOR is\n"
	  "set), json (one array on standard output) or github\n"
	  "(workflow commands; the default when GITHUB_ACTIONS=true)", NULL },
	{ "--links", NULL, O_LINKS, "also ask the web whether every link still works; verdicts\n"
	  "are kept in the archive index (build/.weekly/)", NULL },
	{ "--jobs", "N", O_JOBS, "links checked at once in all (default 320)", NULL },
	{ "--per-host", "N", O_PER_HOST, "links checked at once on one host (default 16;\n"
	  "newsletter.yaml: link_per_host)", NULL },
	{ "--timeout", "S", O_TIMEOUT, "seconds per request (default 10)", NULL },
	{ "--max-age", "S", O_MAX_AGE, "seconds a kept verdict stays good (default 86400)", NULL },
	{ "--only-new", NULL, O_ONLY_NEW, "check only links never checked before", NULL },
	{ "--meta", NULL, O_META, "also ask what each item's link is (a page's title, a\n"
	  "repository's stars...), kept in the archive index, which\n"
	  "templates read as items[].meta", NULL },
	{ "--wayback", NULL, O_WAYBACK, "ask an archive service (wayback_api) for a copy of each\n"
	  "dead link and print it", NULL },
	{ "--fix", NULL, O_FIX, "rewrite in the issues what is certain: utm_* parameters\n"
	  "dropped and, with --links, links that redirect\n"
	  "permanently or name another canonical URL; each change\n"
	  "is printed on standard output", NULL },
	{ "--editions", NULL, O_EDITIONS, "also compare each issue with the same issue in the\n"
	  "other editions newsletter.yaml names (editions:): items\n"
	  "one has and the other not, or in another section or\n"
	  "place, issues one edition lacks", NULL },
	{ "--all", NULL, O_ALL, "every issue (the default)", NULL },
	{ NULL, NULL, 0, NULL, NULL }
};

static int flag_option(struct check *c, int key)
{
	switch (key) {
	case O_STRICT: c->strict = 1; break;
	case O_LINKS: c->links = 1; break;
	case O_ONLY_NEW: c->lo.only_new = c->link_opts = 1; break;
	case O_ALL: c->all = 1; break;
	case O_EMAIL: c->email = 1; break;
	case O_FIX: c->fix = 1; break;
	case O_EDITIONS: c->editions = 1; break;
	case O_META: c->meta = c->link_opts = 1; break;
	case O_WAYBACK: c->wayback = c->link_opts = 1; break;
	}
	return 0;
}

static int option(void *ud, int key, const struct opts *o)
{
	struct check *c = ud;
	if (key == OPTS_ARG)
		return opts_add_issue(o, c->want, &c->nwant);
	if (key == O_FORMAT && diag_parse_format(o->val, &c->fmt) < 0)
		return cmd_usage_error("check", "unknown format '%s' (human, json or github)", o->val);
	if (key == O_FORMAT)
		return 0;
	if (key >= O_JOBS && key <= O_MAX_AGE)
		return link_option(c, key, o->opt->name, o->val);
	return flag_option(c, key);
}

static int by_value(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return x < y ? -1 : x > y;
}

static int parse_args(struct check *c, int argc, char **argv)
{
	c->want = xcalloc((size_t)argc, sizeof(long));
	int rc = opts_parse("check", options, argc, argv, option, c);
	if (rc)
		return rc;
	if (c->link_opts && !c->links)
		return cmd_usage_error("check", "--jobs, --per-host, --timeout, --max-age, --only-new, --meta and --wayback need --links");
	if (c->all)
		c->nwant = 0;
	qsort(c->want, c->nwant, sizeof(long), by_value);
	return 0;
}

/* --- one issue, in a worker ------------------------------------------------ */

static int wanted(const struct check *c, long number)
{
	return !c->nwant || bsearch(&number, c->want, c->nwant, sizeof(long), by_value);
}

/* Issue file f, in outline unless whole (what its outputs need too). */
static struct issue *load(struct check *c, const struct issue_file *f, int whole,
			  diag_list *d, int *syserr)
{
	if (whole)
		return issue_load(&c->n, f->path, d, syserr);
	char *text;
	size_t len;
	if (issue_read(f->path, &text, &len, d, syserr) < 0)
		return NULL;
	struct issue *is = issue_parse_outline(&c->n, f->path, text, len, d);
	free(text);
	return is;
}

/* The issue of file f as a link target, as build gives an issue its
 * neighbours and look-backs: it stands for them, so that names under prev,
 * next and lookback are judged too. */
static value *self_link(const struct issue_file *f, const struct issue *is)
{
	struct archive_issue ai = { .name = (char *)fs_basename(f->path), .number = f->number,
				    .stemlen = strlen(f->stem),
				    .title = (char *)value_str(value_getc(is->front, "title")) };
	if (is->date && util_is_date(is->date))
		memcpy(ai.date, is->date, sizeof ai.date);
	struct archive one = { .issues = &ai, .len = 1 };
	return archive_link_value(&one, 0, NULL);
}

/* The newsletter's own templates (the installed ones are weekly's
 * business): each compiles, and names nothing that is not in ctx, the
 * context of is (file f), which gains what build adds to an issue's. */
static void check_templates(struct check *c, const struct issue_file *f,
			    const struct issue *is, value *ctx, diag_list *d)
{
	value_map_lit(ctx, "prev", self_link(f, is));
	value_map_lit(ctx, "next", self_link(f, is));
	value *back = value_map_lit(ctx, "lookback", value_list()), *self = self_link(f, is);
	value_map_lit(self, "ago", value_number(1)); /* it stands for its look-backs too */
	value_map_lit(self, "first", value_bool(1));
	value_map_lit(self, "last", value_bool(1));
	value_list_push(back, self);
	const char *page = value_str(value_getc(self, "page")); /* the issue's own */
	value_map_lit(ctx, "page", value_cstring(page));
	value_map_lit(ctx, "page_url", value_cstring(page));
	value_map_lit(ctx, "editions", value_list());
	struct renderer *r = renderer_new(&c->n);
	char *what = xasprintf("issue %ld", f->number);
	renderer_check(r, ctx, what, d);
	free(what);
	renderer_free(r);
}

/* A result travels from a worker as: syserr, the diagnostics (each with the
 * line it points at), the number its front matter gives (-1: none), the
 * links (buf.h), what the check of the templates said. */
static void pack(buf *b, int syserr, long number, const diag_list *d,
		 const struct ledger *links, const diag_list *templates)
{
	buf_put_int(b, syserr);
	buf_put_int(b, number);
	diag_pack(d, b);
	ledger_pack(links, b);
	diag_pack(templates, b);
}

/* Read, parse and check issue file i; its links go along for the archive.
 * The newest issue's context, made once, serves its posts and the check of
 * the templates. */
static void check_job(size_t i, buf *out, void *arg)
{
	struct check *c = arg;
	const struct issue_file *f = &c->files[i];
	diag_list d = DIAG_LIST_INIT, templates = DIAG_LIST_INIT;
	struct ledger links = LEDGER_INIT;
	int syserr = 0;
	value *ctx = NULL;
	struct issue *is = load(c, f, i == c->newest, &d, &syserr);
	if (is && wanted(c, f->number))
		validate_issue(&c->n, is, f->number, &d);
	if (is && c->email && wanted(c, f->number))
		outcheck_email(&c->n, f->path, &d);
	if (is && wanted(c, f->number) && !d.errors) {
		if (!c->posts)
			c->posts = renderer_new(&c->n);
		outcheck_posts(c->posts, &c->n, is, &ctx, &d);
	}
	if (is && i == c->newest)
		check_templates(c, f, is, ctx ? ctx : (ctx = render_context(&c->n, is)), &templates);
	if (is) /* the parent reads nothing to show the lines */
		issue_diag_sources(is, &d);
	if (is)
		ledger_add_issue(&links, &c->n, is, f->number);
	pack(out, syserr, is ? is->number : -1, &d, &links, &templates);
	value_free(ctx);
	ledger_release(&links);
	diag_release(&d);
	diag_release(&templates);
	issue_free(is);
}

/* --- one issue, back in order ---------------------------------------------- */

static void emit(struct check *c, diag_list *d)
{
	diag_sort(d);
	diag_move(&c->out, d);
}

/* Where the items of issue file f were featured before: the archive read
 * so far, or the index. */
static void featured(struct check *c, const struct issue_file *f,
		     const struct ledger_entry *links, size_t n, diag_list *d)
{
	struct ledger earlier = LEDGER_INIT;
	if (c->indexed)
		linkindex_featured(c->a.ix, c->a.issues_dir, links, n, f->number, &earlier);
	validate_featured(&c->n, links, n, f->number, c->indexed ? &earlier : &c->archive, d);
	ledger_release(&earlier);
}

/* What only the whole archive knows; then the issue's links join it (and
 * the index, for the next run). */
static void merge(struct check *c, size_t i, const buf *result)
{
	const struct issue_file *f = &c->files[i], *prev = i ? &c->files[i - 1] : NULL;
	struct buf_reader r = buf_reader(result);
	diag_list d = DIAG_LIST_INIT;
	int report = wanted(c, f->number), syserr = buf_get_int(&r) != 0;
	long fm = buf_get_int(&r);
	c->syserr |= syserr;
	diag_unpack(&r, &d);
	size_t n;
	struct ledger_entry *links = ledger_unpack(&r, f->path, f->number, &n);
	if (c->keep[i] && !syserr)
		linkindex_keep(c->a.ix, f->path, f->number, fm, c->digests[i], links, n);
	if (report && prev && prev->number == f->number)
		validate_twin(f->path, f->number, prev->path, &d);
	if (report)
		featured(c, f, links, n, &d);
	for (size_t k = 0; (report || !c->indexed) && k < n; k++) /* the index knows the rest */
		ledger_add(&c->archive, &links[k]);
	diag_unpack(&r, &c->templates);
	if (!buf_read_all(&r)) {
		diag_say(stderr, "weekly: checking %s failed\n", f->path);
		c->syserr = 1;
	}
	if (report) {
		emit(c, &d);
		c->checked++;
	}
	diag_release(&d);
	free(links);
}

/* Issue file i's result, merged as soon as it and those before it are
 * done, so that the results are not all held at once; the links kept go to
 * the index in one transaction, begun after the workers started. */
static void take(size_t i, buf *result, void *arg)
{
	struct check *c = arg;
	if (c->tx == 0)
		c->tx = index_begin(c->a.ix) == 0 ? 1 : -1;
	merge(c, i, result);
}

/* --- the run ---------------------------------------------------------------- */

static void missing_issues(struct check *c, const struct issue_file *files, size_t n)
{
	char *dir = fs_join(c->n.root, "issues");
	for (size_t i = 0; i < c->nwant; i++) {
		size_t j = 0;
		while (j < n && files[j].number != c->want[i])
			j++;
		if (j == n && (i == 0 || c->want[i] != c->want[i - 1]))
			diag_add(&c->out, DIAG_ERROR, NULL, 0, 0, NULL, "no issue %ld in '%s'",
				 c->want[i], dir);
	}
	free(dir);
}

/* newsletter.yaml's link_cache (a path from the root: the verdicts file of
 * an earlier version), user_agent,
 * wayback_api and link_per_host (unless --per-host said otherwise). */
static char *link_settings(struct check *c)
{
	const char *path = value_str(value_getc(c->n.settings, "link_cache"));
	const char *wayback = value_str(value_getc(c->n.settings, "wayback_api"));
	if (c->wayback)
		c->lo.wayback = wayback && *wayback ? wayback : "https://archive.org";
	c->lo.rot = c->all;
	const value *ph = value_getc(c->n.settings, "link_per_host");
	c->lo.user_agent = value_str(value_getc(c->n.settings, "user_agent"));
	if (ph && (value_type(ph) != VALUE_NUMBER || value_num(ph) < 1 || value_num(ph) > 1024 ||
		   value_num(ph) != (int)value_num(ph)))
		diag_add(&c->out, DIAG_ERROR, c->n.settings_path, value_line(ph), value_col(ph),
			 "setting", "link_per_host must be a whole number from 1 to 1024");
	else if (ph && !c->per_host_given)
		c->lo.per_host = (int)value_num(ph);
	if (!path || !*path)
		path = CHECK_LINK_CACHE;
	return path[0] == '/' ? xstrdup(path) : fs_join(c->n.root, path);
}

/* --meta: what the items' links are, asked for those the link metadata
 * has no fresh answer for. */
static int refresh_meta(struct check *c, const struct link_ref *refs, size_t n,
			diag_list *d)
{
	struct link_ref *items = xcalloc(n ? n : 1, sizeof(*items));
	size_t k = 0;
	for (size_t i = 0, j = 0; i < c->archive.len && j < n; i++) {
		const struct ledger_entry *e = &c->archive.entries[i];
		if (!wanted(c, e->issue) || !util_is_web(e->url))
			continue;
		if (e->kind == LEDGER_ITEM)
			items[k++] = refs[j];
		j++;
	}
	struct linkmeta_opts mo;
	linkmeta_defaults(&mo, &c->lo);
	linkmeta_configure(&mo, c->n.settings);
	int rc = metacache_refresh(c->lo.ix, c->n.root, items, k, &mo, c->lo.max_age, d);
	free(items);
	return rc;
}

/* Every web link of the issues checked, asked of the web at once (with
 * --links); with --fix, what is certain about them rewritten. */
static void check_links(struct check *c)
{
	struct link_ref *refs = xcalloc(c->archive.len, sizeof(*refs));
	char **fix = xcalloc(c->archive.len, sizeof(*fix));
	size_t n = 0;
	for (size_t i = 0; i < c->archive.len; i++) {
		const struct ledger_entry *e = &c->archive.entries[i];
		if (wanted(c, e->issue) && util_is_web(e->url))
			refs[n++] = (struct link_ref){ e->url, e->file, e->line, e->col };
	}
	char *cache = link_settings(c);
	c->lo.root = c->n.root;
	c->lo.cache_path = cache;
	c->lo.meta = 1;
	c->lo.progress = c->lo.progress && c->fmt == DIAG_HUMAN;
	diag_list d = DIAG_LIST_INIT;
	if (c->meta && refresh_meta(c, refs, n, &d) < 0)
		c->syserr = 1;
	ledger_forget(&c->archive); /* refs keep its strings; the rest is not held while asking */
	if (c->links && linkcheck_run(&c->lo, refs, n, &d, fix) < 0)
		c->syserr = 1;
	if (c->fix && !c->syserr && linkfix_apply(refs, fix, n, c->fmt == DIAG_JSON ? stderr : stdout, &d) < 0)
		c->syserr = 1;
	emit(c, &d);
	for (size_t i = 0; i < n; i++)
		free(fix[i]);
	free(fix);
	free(cache);
	free(refs);
}

/* The file whose context the newsletter's own templates are checked
 * against (the installed ones are weekly's business): the newest issue
 * checked of the first n; n when there is none. */
static size_t templates_issue(const struct check *c, size_t n)
{
	char *tdir = fs_join(c->n.root, "templates");
	int own = fs_is_dir(tdir);
	free(tdir);
	size_t k = n;
	while (k > 0 && !wanted(c, c->files[k - 1].number))
		k--;
	return own && k ? k - 1 : n;
}

/* The memory the check of one of the first n files may take, at most. */
static size_t job_memory(const struct issue_file *files, size_t n)
{
	size_t most = 0;
	struct stat st;
	for (size_t i = 0; i < n; i++)
		if (stat(files[i].path, &st) == 0 && ISSUE_MEMORY(st.st_size) > most)
			most = ISSUE_MEMORY(st.st_size);
	return most;
}

/* The issue files to read, by number, each with the digest of its source
 * and whether the index lacks its links (keep). */
struct reading {
	struct issue_file *files;
	uint64_t *digests;
	unsigned char *keep;
	size_t len, cap;
};

static int by_file(const void *x, const void *y)
{
	const struct issue_file *a = x, *b = y;
	return a->number != b->number ? (a->number > b->number) - (a->number < b->number)
		: strcmp(a->path, b->path);
}

/* Move file f into rd, in the order of issue_files_list. */
static void insert_file(struct reading *rd, struct issue_file f, uint64_t digest, int keep)
{
	size_t cap = rd->cap, j = rd->len;
	xgrow((void **)&rd->files, &rd->cap, rd->len + 1, sizeof *rd->files);
	xgrow((void **)&rd->digests, &cap, rd->len + 1, sizeof *rd->digests);
	rd->keep = xrealloc(rd->keep, rd->cap);
	for (; j > 0 && by_file(&rd->files[j - 1], &f) > 0; j--) {
		rd->files[j] = rd->files[j - 1];
		rd->digests[j] = rd->digests[j - 1];
		rd->keep[j] = rd->keep[j - 1];
	}
	rd->files[j] = f;
	rd->digests[j] = digest;
	rd->keep[j] = (unsigned char)keep;
	rd->len++;
}

/* Issue i of the archive as a file to read. */
static struct issue_file archive_file(const struct archive *a, size_t i)
{
	const struct archive_issue *is = &a->issues[i];
	return (struct issue_file){ archive_source_path(a, i), xstrndup(is->name, is->stemlen),
				    is->number };
}

static int by_path(const void *x, const void *y)
{
	return strcmp(((const struct issue_file *)x)->path, ((const struct issue_file *)y)->path);
}

/* Whether file f is one of the n files (sorted by path). */
static int among(const struct issue_file *f, const struct issue_file *files, size_t n)
{
	return n && bsearch(f, files, n, sizeof *f, by_path);
}

static int has_file(const struct reading *rd, const struct issue_file *f)
{
	for (size_t i = 0; i < rd->len; i++)
		if (strcmp(rd->files[i].path, f->path) == 0)
			return 1;
	return 0;
}

/* Every issue file up to the last one named (all when none is); when the
 * index holds the links of the others, only the files named and those
 * whose links it lacks. The links read go to the index when issues are
 * named (a check of everything reads everything anyway). */
static void files_to_read(struct check *c, struct reading *rd)
{
	long last = c->nwant ? c->want[c->nwant - 1] : -1;
	struct issue_file *missing = NULL;
	uint64_t *digests = NULL;
	size_t nmissing = 0;
	int known = c->a.ix && linkindex_missing(c->a.ix, c->a.issues_dir, last, &missing,
						 &digests, &nmissing) == 0;
	c->indexed = known && c->nwant;
	for (size_t i = 0; c->indexed && i < nmissing; i++) /* moved into rd */
		insert_file(rd, missing[i], digests[i], 1);
	size_t sorted = c->indexed ? rd->len : nmissing;
	const struct issue_file *lacking = c->indexed ? NULL : missing;
	if (lacking && nmissing)
		qsort(missing, nmissing, sizeof *missing, by_path);
	for (size_t i = 0; i < c->a.len && (last < 0 || c->a.issues[i].number <= last); i++) {
		if (c->indexed && !wanted(c, c->a.issues[i].number))
			continue;
		struct issue_file f = archive_file(&c->a, i);
		int lacks = c->indexed ? 0 : !known || among(&f, lacking, sorted);
		if (c->indexed && has_file(rd, &f))
			free(f.path), free(f.stem);
		else
			insert_file(rd, f, c->a.issues[i].digest, c->a.ix && lacks && c->nwant);
	}
	if (!c->indexed)
		issue_files_free(missing, nmissing);
	else
		free(missing);
	free(digests);
}

static int wanted_number(const void *ud, long number)
{
	return wanted(ud, number);
}

/* --editions: each issue against its twins in the other editions. */
static void check_editions(struct check *c, const struct issue_file *files, size_t nfiles)
{
	struct editions e = EDITIONS_INIT;
	if (editions_load(&c->n, &e, &c->out) == 0 && e.len == 0)
		diag_add(&c->out, DIAG_ERROR, c->n.settings_path, 1, 1, "edition",
			 "--editions: the settings name no other edition; write editions: "
			 "{zh: ../folder}");
	editions_check(&c->n, files, nfiles, &e, wanted_number, c, &c->out);
	editions_release(&e);
}

static void check_all(struct check *c)
{
	struct issue_file *files;
	if (archive_open_some(&c->a, &c->n, c->nwant ? c->want : NULL, c->nwant,
			      ARCHIVE_NEWEST) < 0) {
		diag_add(&c->out, DIAG_ERROR, NULL, 0, 0, NULL, "cannot list issues: %s",
			 strerror(errno));
		c->syserr = 1;
		return;
	}
	archive_save(&c->a); /* what was read, for the next command */
	struct reading rd = { 0 };
	files_to_read(c, &rd);
	size_t n = rd.len;
	files = rd.files;
	c->digests = rd.digests;
	c->keep = rd.keep;
	missing_issues(c, files, n);
	int workers = pool_fit(pool_workers(n), job_memory(files, n));
	if (workers > 1) /* no fork while a thread loads a library */
		libcurl_preload_wait();
	struct renderer *r = renderer_new(&c->n);
	validate_settings(&c->n, r, &c->out);
	renderer_free(r);
	if (!c->nwant) /* with no issue named, the archive as a whole is checked too */
		validate_archive(&c->n, &c->a, &c->out);
	c->files = files;
	c->newest = templates_issue(c, n);
	c->tx = c->a.ix && c->keep && memchr(c->keep, 1, n) ? 0 : -1;
	pool_stream(n, workers, check_job, c, take, c);
	if (c->tx == 1)
		index_commit(c->a.ix);
	emit(c, &c->templates);
	if (c->editions)
		check_editions(c, files, n);
	issue_files_free(files, n);
	free(c->digests);
	free(c->keep);
	if (c->links || c->fix) {
		c->lo.ix = c->links ? c->a.ix : NULL; /* the link check's: not opened again */
		if (c->links)
			c->a.ix = NULL;
		archive_release(&c->a); /* its records are not held while asking */
		check_links(c);
	}
}

/* The report; in human form ended by a summary when there is anything. */
static int print(struct check *c)
{
	FILE *f = c->fmt == DIAG_JSON ? stdout : stderr;
	buf b = BUF_INIT;
	diag_format_list(&c->out, &b, c->fmt, c->fmt == DIAG_HUMAN && diag_want_color(f));
	if (c->fmt == DIAG_HUMAN && (c->out.errors || c->out.warnings))
		diag_summary(&c->out, c->checked, &b);
	buf_flush(&b, f); /* standard output is checked as it closes */
	buf_release(&b);
	return c->syserr ? EXIT_SYSTEM : diag_exit_status(&c->out, c->strict);
}

static int check_main(int argc, char **argv, struct newsletter *n)
{
	struct check c = { .fmt = diag_default_format() };
	(void)n; /* its errors are reported with the issues' */
	linkcheck_defaults(&c.lo);
	ledger_init(&c.archive);
	int rc = parse_args(&c, argc, argv);
	if (rc == 0 && c.links) /* loading while the settings and issues are read */
		libcurl_preload();
	if (rc == 0) {
		if (newsletter_load(".", &c.n, &c.out) < 0)
			c.syserr = !c.n.root;
		else
			check_all(&c);
		libcurl_preload_wait(); /* when no link needed asking */
		rc = print(&c);
	}
	renderer_free(c.posts);
	archive_release(&c.a);
	newsletter_release(&c.n);
	ledger_release(&c.archive);
	diag_release(&c.out);
	diag_release(&c.templates);
	free(c.want);
	return rc;
}

const struct cmd cmd_check = {
	"check", check_main, "report every mistake in issues, like a compiler", 0,
	"usage: weekly check [N...|--all] [--strict] [--format human|json|github]\n"
	"                    [--email] [--fix] [--editions]\n"
	"                    [--links [--jobs N] [--per-host N] [--timeout S]\n"
	"                             [--max-age S] [--only-new] [--meta] [--wayback]]\n\n"
	"Check issues N... (numbers or issue files; default: every issue) and print\n"
	"each problem as FILE:LINE:COL: error|warning: message [rule], with the line\n"
	"and a caret under the column, then a summary line. Nothing stops at the\n"
	"first problem. An item already featured in an earlier issue is a warning\n"
	"unless newsletter.yaml lists it under check.allow_repeats. Templates of\n"
	"templates/ must compile; a name that resolves to nothing in the newest\n"
	"checked issue is a warning. 'weekly help rules' explains every rule.\n",
	options,
	"With --all, when each link was first seen broken is kept in the\n"
	"archive index, and links already known broken are warnings.\n\n"
	"Exit status: 0 clean or warnings only, 1 errors (or warnings with --strict),\n"
	"2 usage, 3 I/O or system error.\n"
};
