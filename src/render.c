/* render.c - template contexts -> outputs: the formats, their templates
 * and their finishing (render_context.c makes the contexts). */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "weekly/fsutil.h"
#include "weekly/mail.h"
#include "weekly/mailcheck.h"
#include "weekly/mailstyle.h"
#include "weekly/post.h"
#include "weekly/render.h"
#include "weekly/text.h"
#include "weekly/util.h"

/* What goes into a message or a post is UTF-8 without control characters
 * (a source's "&#27;[31m" must not reach a reader's terminal): any other
 * byte or character becomes U+FFFD, as in XML outputs. */
static void clean(buf *doc)
{
	buf out = BUF_INIT;
	text_xml_put(&out, doc->data, doc->len);
	buf_release(doc);
	*doc = out;
}

static void email_finish(buf *doc)
{
	mailstyle_inline(doc);
	clean(doc);
}

/* The text format: its template's Markdown made plain text, then tidied as
 * posts are, so that no line ends in spaces (code included) and no setting
 * left empty leaves a gap. */
static void text_finish(buf *doc)
{
	markdown_plain(doc);
	post_tidy(doc);
	clean(doc);
}

/* The teaser is pasted into posts: tidied as they are, whatever its
 * template or a setting's own text ends a line with. */
static void teaser_finish(buf *doc)
{
	post_tidy(doc);
}

static void post_finish(buf *doc)
{
	post_tidy(doc);
	clean(doc);
}

const struct format render_formats[] = {
	{ "md", "issue.md.mustache", ".md", NULL, NULL, { NULL }, NULL },
	{ "html", "issue.html.mustache", ".html", NULL, NULL, { NULL }, NULL },
	{ "teaser", "teaser.md.mustache", ".teaser.md", teaser_finish, NULL, { NULL }, NULL },
	{ "email", "email.html.mustache", ".email.html", email_finish, NULL, { NULL },
	  mailcheck_size },
	{ "text", "issue.txt.mustache", ".txt", text_finish, NULL, { NULL }, NULL },
	{ "telegram", "telegram.txt.mustache", ".telegram.txt", post_finish, NULL, { NULL },
	  post_check_telegram },
	{ "mastodon", "mastodon.txt.mustache", ".mastodon.txt", post_finish, NULL, { NULL },
	  post_check_mastodon },
	{ "bluesky", "bluesky.txt.mustache", ".bluesky.txt", post_finish, NULL, { NULL },
	  post_check_bluesky },
	{ "eml", "subject.txt.mustache", ".eml", NULL, mail_issue,
	  { "issue.txt.mustache", "email.html.mustache" }, NULL },
	{ NULL, NULL, NULL, NULL, NULL, { NULL }, NULL }
};

const struct format *render_format(const char *name)
{
	for (const struct format *f = render_formats; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

#ifndef WEEKLY_DATADIR
#define WEEKLY_DATADIR "/usr/local/share/weekly"
#endif

char *render_default_templates(void)
{
	const char *dir = getenv("WEEKLY_DATADIR");
	return fs_join(dir && *dir ? dir : WEEKLY_DATADIR, "templates");
}

static const struct format *format_of(const char *template)
{
	for (const struct format *f = render_formats; f->name; f++)
		if (strcmp(f->template, template) == 0)
			return f;
	return NULL;
}

struct renderer {
	char *dir;          /* root/templates */
	tmpl_env *env[TMPL_ESCAPES]; /* one per escaping (TMPL_ESCAPE_*) */
};

struct renderer *renderer_new(const struct newsletter *n)
{
	struct renderer *r = xcalloc(1, sizeof *r);
	r->dir = fs_join(n->root, "templates");
	if (!fs_is_dir(r->dir)) {
		free(r->dir);
		r->dir = render_default_templates();
	}
	char *partials = fs_join(r->dir, "partials");
	for (int e = 0; e < TMPL_ESCAPES; e++)
		r->env[e] = tmpl_env_new_dir(partials, e);
	free(partials);
	return r;
}

void renderer_free(struct renderer *r)
{
	if (!r)
		return;
	for (int e = 0; e < TMPL_ESCAPES; e++)
		tmpl_env_free(r->env[e]);
	free(r->dir);
	free(r);
}

/* The template named name, compiled once, read only when it is a file of
 * the templates folder (what the envs hold passed that test when it was
 * read); NULL after adding diagnostics to d. */
static tmpl *renderer_load(struct renderer *r, const char *name, tmpl_env **env, diag_list *d)
{
	char *path = fs_join(r->dir, name);
	*env = r->env[tmpl_escape_for(path)];
	tmpl *t = tmpl_loaded(*env, path);
	int problem = t ? TMPL_FILE_OK : tmpl_file_check(r->dir, path);
	if (problem != TMPL_FILE_OK)
		diag_add(d, DIAG_ERROR, path, 0, 0, "template", "template '%s' %s", name,
			 tmpl_file_problem(problem));
	else if (!t)
		t = tmpl_load(*env, path, d);
	free(path);
	return t;
}

int renderer_has(const struct renderer *r, const char *name)
{
	char *path = fs_join(r->dir, name);
	int have = fs_exists(path);
	free(path);
	return have;
}

/* Format f made of the outputs of the templates it uses and of doc, what
 * its own template wrote. */
static int assemble(struct renderer *r, const struct format *f, const value *ctx,
		    const buf *doc, buf *out, diag_list *d)
{
	enum { N = sizeof f->uses / sizeof *f->uses };
	buf parts[N] = { BUF_INIT, BUF_INIT };
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < N && f->uses[i]; i++)
		rc = renderer_run(r, f->uses[i], ctx, &parts[i], d);
	if (rc == 0)
		rc = f->assemble(ctx, doc, parts, out, d);
	for (size_t i = 0; i < N; i++)
		buf_release(&parts[i]);
	return rc;
}

/* The format of template name when it finishes or assembles the document,
 * else NULL (the template's text is the output). */
static const struct format *finishing(const char *name)
{
	const struct format *f = format_of(name);
	return f && (f->finish || f->assemble) ? f : NULL;
}

int renderer_run(struct renderer *r, const char *name, const value *ctx,
		 buf *out, diag_list *d)
{
	tmpl_env *env;
	tmpl *t = renderer_load(r, name, &env, d);
	const struct format *f = finishing(name);
	if (!t)
		return -1;
	if (!f)
		return tmpl_render(env, t, ctx, out, d);
	buf doc = BUF_INIT;
	int rc = tmpl_render(env, t, ctx, &doc, d);
	if (rc == 0 && f->assemble) {
		rc = assemble(r, f, ctx, &doc, out, d);
	} else if (rc == 0) {
		f->finish(&doc);
		buf_put(out, doc.data, doc.len);
	}
	buf_release(&doc);
	return rc;
}

int renderer_stream(struct renderer *r, const char *name, const value *ctx, tmpl_sink sink,
		    void *ud, diag_list *d)
{
	if (finishing(name)) {
		buf out = BUF_INIT; /* a format's document is finished whole */
		int rc = renderer_run(r, name, ctx, &out, d);
		if (rc == 0)
			sink(ud, out.data, out.len);
		buf_release(&out);
		return rc;
	}
	tmpl_env *env;
	tmpl *t = renderer_load(r, name, &env, d);
	return t ? tmpl_render_to(env, t, ctx, sink, ud, d) : -1;
}

unsigned renderer_parts(struct renderer *r, const char *name)
{
	tmpl_env *env;
	diag_list d = DIAG_LIST_INIT;
	tmpl *t = renderer_load(r, name, &env, &d);
	diag_release(&d);
	if (!t)
		return RENDER_ALL;
	static const char *const source[] = { RENDER_SOURCE_NAMES, NULL };
	unsigned parts = tmpl_mentions(env, t, "stats") ? RENDER_STATS : 0;
	for (const char *const *k = source; *k && !(parts & RENDER_SOURCE); k++)
		parts |= tmpl_mentions(env, t, *k) ? RENDER_SOURCE : 0;
	const struct format *f = format_of(name);
	for (size_t i = 0; f && i < sizeof f->uses / sizeof *f->uses && f->uses[i]; i++)
		parts |= renderer_parts(r, f->uses[i]);
	return parts;
}

/* Compile every template of dir (*.mustache) into the env its name calls
 * for; errors go to d. */
static void compile_all(struct renderer *r, const char *dir, diag_list *d)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	while (dp && (e = readdir(dp))) {
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.' || n < 9 || strcmp(e->d_name + n - 9, ".mustache") != 0)
			continue;
		char *path = fs_join(dir, e->d_name);
		struct stat st; /* links and special files: refused where included */
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
			tmpl_load(r->env[tmpl_escape_for(path)], path, d);
		free(path);
	}
	if (dp)
		closedir(dp);
}

int renderer_mentions(struct renderer *r, const char *name)
{
	DIR *dp = opendir(r->dir);
	struct dirent *e;
	int found = 0;
	while (dp && !found && (e = readdir(dp))) {
		size_t len = strlen(e->d_name);
		if (len < 9 || strcmp(e->d_name + len - 9, ".mustache") != 0)
			continue;
		tmpl_env *env;
		diag_list d = DIAG_LIST_INIT; /* rendering reports a broken template */
		tmpl *t = renderer_load(r, e->d_name, &env, &d);
		found = !t || tmpl_mentions(env, t, name);
		diag_release(&d);
	}
	if (dp)
		closedir(dp);
	return found;
}

/* Add the diagnostics of from to d, each once: a partial that several
 * templates include is judged for each. */
static void add_once(diag_list *d, const diag_list *from)
{
	for (size_t i = 0; i < from->len; i++) {
		const diag *x = &from->items[i];
		size_t k = 0;
		while (k < i && !(from->items[k].line == x->line && from->items[k].col == x->col &&
				  strcmp(from->items[k].file, x->file) == 0 &&
				  strcmp(from->items[k].message, x->message) == 0))
			k++;
		if (k == i)
			diag_add(d, x->severity, x->file, x->line, x->col, x->rule, "%s", x->message);
	}
}

void renderer_compile(struct renderer *r, diag_list *d)
{
	char *partials = fs_join(r->dir, "partials");
	compile_all(r, r->dir, d);
	compile_all(r, partials, d);
	free(partials);
}

/* The keys the settings know for map m of the context ctx, NULL-ended, or
 * NULL: the newsletter's, its teaser's, check's and email's, the issue's
 * and each section's. */
static const char *const *schema_of(const value *ctx, const value *m)
{
	const value *nl = value_getc(ctx, "newsletter"), *sections = value_getc(ctx, "sections");
	static const struct { const char *key; const char *const *keys; } under[] = {
		{ "teaser", teaser_keys }, { "check", check_keys }, { "email", email_keys } };
	if (m == nl)
		return settings_keys;
	if (m == value_getc(ctx, "issue"))
		return issue_keys;
	for (size_t i = 0; nl && i < sizeof under / sizeof *under; i++)
		if (m == value_getc(nl, under[i].key))
			return under[i].keys;
	for (size_t i = 0; i < value_len(sections); i++)
		if (m == value_at(sections, i))
			return section_keys;
	return NULL;
}

/* Whether map m of the context ctx may lack the key name: a setting left
 * out is optional, however close its name is to another. */
static int schema_knows(void *ctx, const value *m, const char *name, size_t len)
{
	const char *const *keys = schema_of(ctx, m);
	return keys && util_in_names(keys, name, len);
}

void renderer_check(struct renderer *r, const value *ctx, const char *what, diag_list *d)
{
	size_t errors = d->errors;
	renderer_compile(r, d);
	diag_list names = DIAG_LIST_INIT;
	for (const struct format *f = render_formats; f->name && d->errors == errors; f++) {
		char *path = fs_join(r->dir, f->template);
		int is_default = f - render_formats < RENDER_DEFAULT_FORMATS;
		/* a link or a file outside is refused where it is rendered */
		if ((is_default || fs_exists(path)) && tmpl_file_check(r->dir, path) == TMPL_FILE_OK) {
			tmpl_env *env = r->env[tmpl_escape_for(path)];
			tmpl *t = tmpl_load(env, path, d);
			if (t)
				tmpl_check_names(env, t, ctx, what, schema_knows, (void *)ctx, &names);
		}
		free(path);
	}
	add_once(d, &names);
	diag_release(&names);
}
