/* mustache.h - the template engine: Mustache, compiled once, rendered many
 * times over a value tree.
 *
 * Conforms to the official spec (comments, delimiters, interpolation,
 * inverted, partials, sections, dynamic names, inheritance; not lambdas).
 * An environment owns every template compiled in it and caches partials by
 * name, so each is read and compiled once per run. The engine reads nothing
 * but the templates of its folder and the data it is given. */
#ifndef WEEKLY_MUSTACHE_H
#define WEEKLY_MUSTACHE_H

#include <stddef.h>
#include "buf.h"
#include "diag.h"
#include "value.h"

/* Nesting of sections and partials deeper than this is a render error. */
#define TMPL_MAX_DEPTH 100
/* So is a render that writes more than TMPL_MAX_OUTPUT bytes, or takes
 * more than TMPL_MAX_STEPS steps (a step: a tag, a text, a round of a
 * section, a context a name is looked up in), as partials that include
 * each other many times over or sections over lists nested in each other
 * would. */
#define TMPL_MAX_OUTPUT (32u << 20)
#define TMPL_MAX_STEPS 20000000u

typedef struct tmpl tmpl;
typedef struct tmpl_env tmpl_env;

/* How values are written out. TMPL_ESCAPE_HTML is Mustache's default:
 * {{x}} escapes HTML, {{{x}}} does not. TMPL_ESCAPE_XML is the same for an
 * XML document that may carry HTML in CDATA sections (the feed): any value,
 * whatever it holds, leaves the document well-formed. A character XML 1.0
 * forbids becomes U+FFFD, and {{{x}}} writes "]]>" as "]]&gt;" (the same
 * HTML, and no end of a CDATA section). TMPL_ESCAPE_JSON is for a JSON
 * document whose strings may hold HTML: {{x}} escapes HTML, {{{x}}} does
 * not, and both then write the text as the inside of a JSON string
 * (quotes, backslashes and control characters escaped), so that "{{x}}"
 * and "{{{x}}}" are valid JSON strings whatever x holds. */
enum { TMPL_ESCAPE_NONE, TMPL_ESCAPE_HTML, TMPL_ESCAPE_XML, TMPL_ESCAPE_JSON, TMPL_ESCAPES };

/* An environment whose partials are dir/NAME.mustache (escape:
 * TMPL_ESCAPE_*). Names that would
 * leave dir (absolute, "..", backslashes, NUL) are refused, and so is a
 * partial that is a symbolic link or not a regular file, or whose path
 * resolves outside dir (through a linked folder). */
tmpl_env *tmpl_env_new_dir(const char *dir, int escape);
/* Whether the file at path may be read as a template or partial of the
 * folder dir: TMPL_FILE_OK (or missing), else why not. A template that is a
 * link, or leads out through a linked folder, could put any file of the
 * machine into a page. tmpl_file_problem says why in words ("is a symbolic
 * link; ..."). */
enum { TMPL_FILE_OK, TMPL_FILE_LINK, TMPL_FILE_SPECIAL, TMPL_FILE_OUTSIDE };
int tmpl_file_check(const char *dir, const char *path);
const char *tmpl_file_problem(int problem);
void tmpl_env_free(tmpl_env *env);

/* Compile src; file names it in diagnostics ("templates/issue.md.mustache").
 * On a syntax error returns NULL and adds "FILE:LINE:COL: error: ..." to d.
 * The template belongs to env. */
tmpl *tmpl_compile(tmpl_env *env, const char *file, const char *src,
		   size_t len, diag_list *d);
/* Read path and compile it (the file name in diagnostics is path). */
tmpl *tmpl_load(tmpl_env *env, const char *path, diag_list *d);
/* The template tmpl_load compiled from path already, or NULL. */
tmpl *tmpl_loaded(tmpl_env *env, const char *path);

/* Render t over ctx, appending to out. Returns 0, or -1 after adding an
 * error to d (nesting too deep, output or steps over the limits, a refused
 * partial name, a partial with a syntax error). A missing partial renders as nothing and adds a warning
 * naming the template's file, line and column. */
int tmpl_render(tmpl_env *env, const tmpl *t, const value *ctx, buf *out,
		diag_list *d);
/* The same, handing the output to sink a piece at a time as it is made
 * (for pages too big to hold at once): what it was given before an error
 * is not a whole rendering. */
typedef void (*tmpl_sink)(void *ud, const char *data, size_t len);
int tmpl_render_to(tmpl_env *env, const tmpl *t, const value *ctx, tmpl_sink sink, void *ud,
		   diag_list *d);

/* Render t over ctx as tmpl_render does (the output thrown away) and warn,
 * at its tag, about every name that each time it was looked up resolved to
 * nothing [template] and is a slip: close to a name that was there (which
 * the warning offers), or printed ({{x}}, {{{x}}}) without the template
 * testing it with {{#x}} or {{^x}} anywhere (optional names are tested).
 * what says whose context ctx is ("issue 15"). Names under sections that
 * never rendered are not judged. A name that known(ud, map, name, len)
 * says map may lack (an optional setting left out; known may be NULL) is
 * no slip whatever names are close to it: it is judged as printed or
 * tested only. Returns what tmpl_render returns. */
typedef int (*tmpl_known_fn)(void *ud, const value *map, const char *name, size_t len);
int tmpl_check_names(tmpl_env *env, const tmpl *t, const value *ctx, const char *what,
		     tmpl_known_fn known, void *ud, diag_list *d);

/* Whether rendering t may look up name, as any part of a dotted name
 * ({{name}}, {{#name}}, {{a.name.b}}), in t, its partials or its parents:
 * 0 only when it certainly does not (a partial named at render time may be
 * anything). Missing partials are still reported when t is rendered. */
int tmpl_mentions(tmpl_env *env, const tmpl *t, const char *name);

/* The partials rendering t may include, for what an output depends on:
 * its partials and parents, theirs after each, each template once, as
 * each(ud, name, namelen, src, len) with the partial's source (src NULL
 * when there is none, or it cannot be read). Returns 1 when a partial is
 * named at render time ({{>*name}}): any partial may come; else 0. */
typedef void (*tmpl_partial_fn)(void *ud, const char *name, size_t namelen,
				const char *src, size_t len);
int tmpl_partials(tmpl_env *env, const tmpl *t, tmpl_partial_fn each, void *ud);

/* Escaping a template's name calls for: none for *.md.mustache and
 * *.txt.mustache, XML for *.xml.mustache, HTML for everything else. */
int tmpl_escape_for(const char *path);

#endif
