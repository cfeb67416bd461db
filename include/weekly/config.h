/* config.h - the newsletter on disk: where it is, its settings
 * (issues/newsletter.yaml) and its issue files.
 *
 * A newsletter owns its settings tree and section table;
 * newsletter_release frees them. */
#ifndef WEEKLY_CONFIG_H
#define WEEKLY_CONFIG_H

#include <stddef.h>
#include "diag.h"
#include "value.h"

/* The settings weekly reads or its default templates do, NULL-ended: at the
 * top, in each section, under check: and under teaser:. A newsletter's own
 * templates may read further keys. */
extern const char *const settings_keys[], *const section_keys[];
extern const char *const check_keys[], *const teaser_keys[], *const email_keys[];
/* The front matter keys that are an issue's own, NULL-ended: every other
 * key of an issue's front matter overrides the setting of its name for that
 * issue. */
extern const char *const issue_keys[];

struct section_conf {
	const char *id, *title;   /* borrowed from settings */
	const value *conf;        /* the section's whole settings map */
	const value *aliases;     /* list of strings, or NULL */
	int required;
	long min_items, max_items; /* -1 when not set */
};

struct newsletter {
	char *root;          /* folder holding issues/ ("." for the current one) */
	char *settings_path; /* root/issues/newsletter.yaml */
	value *settings;
	struct section_conf *sections;
	size_t nsections;
};

/* An issue file found in root/issues. */
struct issue_file {
	char *path;   /* root/issues/015.md */
	char *stem;   /* the digits of the name as written: "015" */
	long number;
};

/* Find the newsletter by walking up from dir (or use dir itself with
 * exact=1, for -C). Returns 0, or -1 after adding diagnostics to d (the
 * exit status is then EXIT_SYSTEM when nothing was found, else content). */
int newsletter_load(const char *dir, struct newsletter *n, diag_list *d);
void newsletter_release(struct newsletter *n);

/* The index of the section a heading names (title with or without its
 * leading emoji, id or alias, ignoring case), or -1. */
long newsletter_section(const struct newsletter *n, const char *heading,
			size_t len);

/* The eras (settings 'eras:', each a map of settings with 'from' and/or
 * 'until' issue numbers) that hold issue number, in settings order: up to
 * max of them into out. Returns how many. An era's keys replace the
 * newsletter's for its issues, as an issue's front matter does. */
long newsletter_eras(const struct newsletter *n, long number, const value **out, long max);

/* The title of the section whose title, id or alias heading comes
 * closest to without naming it (for "did you mean"), or NULL. */
const char *newsletter_section_near(const struct newsletter *n, const char *heading);

/* Every issue file of the newsletter, sorted by number. The caller frees
 * with issue_files_free. Returns -1 (errno set) if issues/ is unreadable. */
int issue_files_list(const struct newsletter *n, struct issue_file **out,
		     size_t *count);
void issue_files_free(struct issue_file *f, size_t count);
/* The file of issue number among files[0..count), or NULL. */
const struct issue_file *issue_files_find(const struct issue_file *files, size_t count,
					  long number);
/* The number a file name stands for (015.md, 15.md, 015-slug.md), or -1. */
long issue_file_number(const char *name, size_t *digits);

#endif
