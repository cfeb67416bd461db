/* linkmeta.h - what a link says about itself, asked of the web: a page's
 * title, description, canonical URL and language (its HTML, through
 * htmlmeta.h), a GitHub repository's name, description, stars, licence and
 * state (GitHub's REST API), a PyPI project's name and summary (PyPI's JSON
 * API). The APIs' base URLs are settings, so that tests can use local
 * servers. A linkmeta owns its strings; linkmeta_release frees them. */
#ifndef WEEKLY_LINKMETA_H
#define WEEKLY_LINKMETA_H

#include "linkfetch.h"
#include "value.h"

enum linkmeta_kind { LINKMETA_PAGE, LINKMETA_GITHUB, LINKMETA_PYPI };

struct linkmeta {
	enum linkmeta_kind kind;
	char *url;          /* the URL to write: where permanent redirects or the
			     * canonical link lead, else the one asked */
	char *title;        /* the page's title; for a repository or project,
			     * "name: description" */
	char *name;         /* repository or project name */
	char *description;  /* the page's description, the repository's or
			     * project's */
	char *language;     /* primary language subtag ("en", "zh"), or NULL */
	long stars;         /* GitHub stars, -1 when unknown */
	int archived;       /* an archived GitHub repository */
	char *pushed;       /* GitHub: the last push, YYYY-MM-DD */
	char *license;      /* SPDX identifier or PyPI's licence text */
	char *version;      /* PyPI: the latest version */
	int not_free;       /* the page says it is not free to read */
};

struct linkmeta_opts {
	const struct linkcheck_opts *o; /* timeouts, user agent */
	const char *github_api;   /* default https://api.github.com */
	const char *pypi_api;     /* default https://pypi.org */
	const char *github_token; /* GITHUB_TOKEN, or NULL */
	double retry_cap;         /* longest wait a rate limit may ask, seconds */
};

void linkmeta_defaults(struct linkmeta_opts *mo, const struct linkcheck_opts *o);
/* The settings github_api and pypi_api, and GITHUB_TOKEN from the
 * environment; strings are borrowed from settings. */
void linkmeta_configure(struct linkmeta_opts *mo, const value *settings);
/* Ask what url says about itself. Returns EXIT_CLEAN, or with a message in
 * *err (the caller frees): EXIT_CONTENT when the answer says the link is
 * wrong (404, not a page, no title), EXIT_SYSTEM when no usable answer came
 * (no reply, invalid JSON, a rate limit, libcurl or libxml2 missing). */
int linkmeta_fetch(const struct linkmeta_opts *mo, const char *url, struct linkmeta *m,
		   char **err);
void linkmeta_release(struct linkmeta *m);

/* ref read against the page at base, as a browser would (dot segments are
 * left as they are); a fresh string. */
char *linkmeta_resolve(const char *base, const char *ref);
/* url without its utm_* parameters (they only tell a site where a reader
 * came from); a fresh string. */
char *linkmeta_untrack(const char *url);

/* url as a Markdown link may hold it: blanks, control characters,
 * parentheses and angle brackets percent-encoded (they would end the link
 * or split it); a fresh string. */
char *linkmeta_markdown_url(const char *url);

/* The primary subtag of a language tag ("zh" of "zh-Hans-CN", "en" of
 * "en_US"), lower case, in a fresh string; NULL when there is none. */
char *linkmeta_language_tag(const char *tag);

#endif
