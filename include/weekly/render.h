/* render.h - an issue and its newsletter become a template context, and the
 * context becomes each output format through its template.
 *
 * A renderer owns the template environments and compiled templates of one
 * run (each template is compiled once, however many issues use it). */
#ifndef WEEKLY_RENDER_H
#define WEEKLY_RENDER_H

#include <stdint.h>
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "issue.h"
#include "mustache.h"
#include "value.h"

struct renderer;

struct format {
	const char *name;     /* -f NAME */
	const char *template; /* in templates/ */
	const char *ext;      /* output: build/NNN + ext */
	void (*finish)(buf *out); /* applied to what the template wrote, or NULL */
	/* For a format made of others' outputs (eml): what the template wrote
	 * (doc), the outputs of the templates of uses (parts, in that order)
	 * and the context become the output; 0, or -1 after adding errors to
	 * d. NULL for the others. */
	int (*assemble)(const value *ctx, const buf *doc, const buf *parts, buf *out,
			diag_list *d);
	const char *uses[2];  /* the other templates whose outputs assemble takes */
	/* Warnings about an output of issue is, or NULL (mailcheck.h). */
	void (*check)(const struct issue *is, const buf *out, diag_list *d);
};

/* The formats `weekly build` writes when no -f is given come first. */
extern const struct format render_formats[];
#define RENDER_DEFAULT_FORMATS 2
/* issue.summary, a page's description: at most this many bytes of the
 * issue's description or lead, else the titles of this many items. */
#define RENDER_SUMMARY_BYTES 300
#define RENDER_SUMMARY_ITEMS 3
const struct format *render_format(const char *name);

/* Where the default templates are, for newsletters without a templates/
 * folder: $WEEKLY_DATADIR/templates, else the installed ones. The caller
 * frees the string. */
char *render_default_templates(void);

/* A renderer of the newsletter's templates: those of its templates/
 * folder, or the defaults. Each template is compiled once, when first
 * used. renderer_free(NULL) does nothing. */
struct renderer *renderer_new(const struct newsletter *n);
void renderer_free(struct renderer *r);
/* Whether the templates folder holds the template named name. */
int renderer_has(const struct renderer *r, const char *name);
/* Render the template named name (in templates/) over ctx into out, then
 * finish it as the format using that template says (the text format's
 * template writes Markdown that becomes plain text). An XML template such
 * as the feed's is well-formed whatever the context holds (TMPL_ESCAPE_XML).
 * Returns 0, or -1 after adding diagnostics to d. */
int renderer_run(struct renderer *r, const char *name, const value *ctx,
		 buf *out, diag_list *d);
/* The same, handing the output to sink a piece at a time (tmpl_render_to)
 * when the template is not one a format finishes whole. */
int renderer_stream(struct renderer *r, const char *name, const value *ctx, tmpl_sink sink,
		    void *ud, diag_list *d);
/* Compile every template and partial of the folder; errors (at
 * FILE:LINE:COL) go to d. */
void renderer_compile(struct renderer *r, diag_list *d);
/* What check says of the templates: every template and partial of the
 * folder compiles (errors at FILE:LINE:COL in d); the issue formats'
 * templates (those of the default formats must exist), rendered over ctx,
 * look up no name that resolves to nothing there (a warning each; what
 * names whose context it is: "issue 15"). Names are judged only when
 * everything compiles. */
void renderer_check(struct renderer *r, const value *ctx, const char *what, diag_list *d);
/* The costly parts of the context (RENDER_*) that the template named name
 * may look up; all of them when it cannot be read (rendering says why). */
unsigned renderer_parts(struct renderer *r, const char *name);

/* The settings as issue number sees them: those of the eras holding it
 * (see newsletter_eras) replace the newsletter's. The caller frees the
 * copy with value_free. */
value *render_settings(const struct newsletter *n, long number);

/* Whether any template of templates/ (with its partials) may look name
 * up: 0 only when none certainly does (one that cannot be read may). */
int renderer_mentions(struct renderer *r, const char *name);
/* The context of one issue (README.md, "What templates see"). It
 * borrows the issue's texts: the caller frees it with value_free before
 * the issue. */
value *render_context(const struct newsletter *n, const struct issue *is);

/* What the contexts of a run's issues share, made once: the newsletter
 * part, as render_context makes it for an issue that overrides no setting,
 * each section's settings with their Markdown made HTML, and what links
 * said about themselves (items[].meta, from build/linkmeta.tsv). */
struct render_shared {
	value *newsletter;
	value **sections;   /* one per section of the settings */
	size_t nsections;
	value *meta;        /* build/linkmeta.tsv: items' meta (metacache.h) */
	int dead_to_copy;   /* dead_links: archived */
	int tags_in_notes;  /* topics are set: a note's tags are weekly's (tags.h) */
};
void render_shared_init(struct render_shared *sh, const struct newsletter *n);
void render_shared_release(struct render_shared *sh);
/* Parts of a context that cost work to make, left out of one that no
 * template will look them up in: */
enum {
	RENDER_STATS = 1,  /* stats, of the issue and of each section */
	RENDER_SOURCE = 2, /* the texts as the source writes them and where:
			      RENDER_SOURCE_NAMES (formats made of Markdown) */
	RENDER_ALL = RENDER_STATS | RENDER_SOURCE
};
#define RENDER_SOURCE_NAMES "link_md", "note_md", "description_md", "lead_md", \
	"circled", "domain", "line", "gap", "marker"

/* render_context with only the costly parts in parts, made from sh (or
 * from nothing when sh is NULL) in arena a (value.h; NULL: on the heap):
 * the newsletter part is shared when the issue overrides no setting, so an
 * archive of many issues copies the settings once. Free the context with
 * value_free, before the issue, whose texts it borrows. */
struct arena;
value *render_context_with(const struct newsletter *n, const struct issue *is,
			   const struct render_shared *sh, unsigned parts, struct arena *a);
/* A feed carries HTML: drop from an issue's context the Markdown variants
 * of its texts and its sections by id (a second copy of them),
 * so that the feed's 20 issues take little memory. */
void render_feed_prune(value *ctx);

/* A section as templates see it: m (the section's settings, or an empty
 * map) given the section's id and title, and first and last for the
 * pos-th of count sections shown; made where m is (value_arena).
 * Returns m. */
struct section_conf;
value *render_section_value(value *m, const struct section_conf *c, size_t pos, size_t count);

/* Item i of count as templates see it (items[] of a section, README.md),
 * with the costly parts in parts (renderer_parts of the templates that
 * will see it), made in arena a (NULL: on the heap); sh gives what links
 * said about themselves (meta) and where dead links go (NULL: nothing).
 * The nmore entries at more (at most RENDER_ITEM_MORE, keys an item
 * lacks) join it, made at once. */
#define RENDER_ITEM_MORE 8
struct item;
value *render_item_value(struct arena *a, const struct item *it, size_t i, size_t count,
			 const struct render_shared *sh, unsigned parts,
			 const struct value_entry *more, size_t nmore);

#endif
