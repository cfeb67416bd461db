/* linkmeta.c - what a link says about itself: a page's markup, GitHub's
 * REST API for repositories, PyPI's JSON API for projects. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "weekly/buf.h"
#include "weekly/diag.h"
#include "weekly/htmlmeta.h"
#include "weekly/ledger.h"
#include "weekly/linkmeta.h"
#include "weekly/util.h"
#include "weekly/value.h"
#include "weekly/yaml.h"

#define LINKMETA_JSON_MAX (8u << 20) /* PyPI lists every release */
#define LINKMETA_ACCEPT_JSON "Accept: application/json"
#define LINKMETA_ACCEPT_GITHUB "Accept: application/vnd.github+json"

void linkmeta_defaults(struct linkmeta_opts *mo, const struct linkcheck_opts *o)
{
	memset(mo, 0, sizeof(*mo));
	mo->o = o;
	mo->github_api = "https://api.github.com";
	mo->pypi_api = "https://pypi.org";
	mo->retry_cap = 30;
}

void linkmeta_configure(struct linkmeta_opts *mo, const value *settings)
{
	const char *gh = value_str(value_getc(settings, "github_api"));
	const char *pypi = value_str(value_getc(settings, "pypi_api"));
	if (gh && *gh)
		mo->github_api = gh;
	if (pypi && *pypi)
		mo->pypi_api = pypi;
	mo->github_token = getenv("GITHUB_TOKEN");
}

void linkmeta_release(struct linkmeta *m)
{
	free(m->url);
	free(m->title);
	free(m->name);
	free(m->description);
	free(m->language);
	free(m->pushed);
	free(m->license);
	free(m->version);
	memset(m, 0, sizeof(*m));
}

/* ---- URLs ---- */

/* The parts of an http(s) URL: host (without port) and path (up to ? or #). */
struct linkmeta_url {
	const char *host, *path;
	size_t host_len, path_len, origin_len; /* origin: scheme://authority */
};

static int linkmeta_split(const char *url, struct linkmeta_url *u)
{
	if (!util_is_web(url))
		return -1;
	const char *a = strstr(url, "://") + 3;
	size_t alen = strcspn(a, "/?#");
	const char *at = memchr(a, '@', alen);
	u->host = at ? at + 1 : a;
	u->host_len = strcspn(u->host, ":/?#");
	u->origin_len = (size_t)(a + alen - url);
	u->path = a + alen;
	u->path_len = strcspn(u->path, "?#");
	return u->host_len ? 0 : -1;
}

char *linkmeta_resolve(const char *base, const char *ref)
{
	struct linkmeta_url u;
	if (util_has_scheme(ref) || linkmeta_split(base, &u) < 0)
		return xstrdup(ref);
	if (ref[0] == '/' && ref[1] == '/')
		return xasprintf("%.*s%s", (int)(strchr(base, ':') - base + 1), base, ref);
	if (ref[0] == '/')
		return xasprintf("%.*s%s", (int)u.origin_len, base, ref);
	if (ref[0] == '?' || ref[0] == '#' || !ref[0])
		return xasprintf("%.*s%s", (int)(u.path + u.path_len - base), base, ref);
	const char *slash = u.path;
	for (size_t i = 0; i < u.path_len; i++)
		if (u.path[i] == '/')
			slash = u.path + i + 1;
	if (slash == u.path) /* no path: the root */
		return xasprintf("%.*s/%s", (int)u.origin_len, base, ref);
	return xasprintf("%.*s%s", (int)(slash - base), base, ref);
}

char *linkmeta_untrack(const char *url)
{
	const char *q = strchr(url, '?');
	if (!q)
		return xstrdup(url);
	size_t qend = (size_t)(q - url) + 1 + strcspn(q + 1, "#");
	buf b = BUF_INIT;
	buf_put(&b, url, (size_t)(q - url));
	char sep = '?';
	for (const char *p = q + 1; p < url + qend;) {
		size_t n = strcspn(p, "&#");
		if (p + n > url + qend)
			n = (size_t)(url + qend - p);
		size_t name = strcspn(p, "=&#");
		if (n && !ledger_tracking_param(p, name < n ? name : n)) {
			buf_putc(&b, sep);
			buf_put(&b, p, n);
			sep = '&';
		}
		p += n + (p[n] == '&');
	}
	buf_puts(&b, url + qend);
	return buf_take(&b);
}

/* The bytes a Markdown link's destination holds as they are. */
static int markdown_url_byte(unsigned char c)
{
	return c >= 0x20 && c != 0x7F && !strchr(" ()<>", c);
}

char *linkmeta_markdown_url(const char *url)
{
	buf b = BUF_INIT;
	buf_put_percent(&b, url, markdown_url_byte);
	return buf_take(&b);
}

/* github.com/OWNER/REPO (a trailing slash or .git allowed): "OWNER/REPO". */
static char *linkmeta_github_repo(const char *url)
{
	struct linkmeta_url u;
	if (linkmeta_split(url, &u) < 0 ||
	    !(util_ieq(u.host, u.host_len, "github.com") || util_ieq(u.host, u.host_len, "www.github.com")))
		return NULL;
	const char *p = u.path, *end = u.path + u.path_len;
	while (end > p && end[-1] == '/')
		end--;
	if (end - p > 4 && strncmp(end - 4, ".git", 4) == 0)
		end -= 4;
	if (p >= end || *p++ != '/')
		return NULL;
	size_t owner = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-");
	if (!owner || p[owner] != '/')
		return NULL;
	const char *repo = p + owner + 1;
	size_t rn = strspn(repo, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");
	if (!rn || repo + rn != end)
		return NULL;
	return xstrndup(p, (size_t)(end - p));
}

/* pypi.org/project/NAME[/VERSION][/]: NAME. */
static char *linkmeta_pypi_project(const char *url)
{
	struct linkmeta_url u;
	static const char prefix[] = "/project/";
	if (linkmeta_split(url, &u) < 0 ||
	    !(util_ieq(u.host, u.host_len, "pypi.org") || util_ieq(u.host, u.host_len, "www.pypi.org")) ||
	    u.path_len <= sizeof prefix - 1 || strncmp(u.path, prefix, sizeof prefix - 1) != 0)
		return NULL;
	const char *name = u.path + sizeof prefix - 1;
	size_t n = strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");
	if (!n || (name + n < u.path + u.path_len && name[n] != '/'))
		return NULL;
	return xstrndup(name, n);
}

/* ---- languages ---- */

char *linkmeta_language_tag(const char *tag)
{
	if (!tag)
		return NULL;
	tag += strspn(tag, " \t");
	size_t n = strspn(tag, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
	if (n < 2 || n > 3)
		return NULL;
	char *s = xstrndup(tag, n);
	for (char *p = s; *p; p++)
		*p = (char)(*p | 0x20);
	return s;
}

/* A guess from the script of text: Han "zh", kana "ja", Hangul "ko", Latin
 * letters "en"; NULL when text has none of them. */
static const char *linkmeta_language_guess(const char *text)
{
	int latin = 0;
	size_t len = text ? strlen(text) : 0;
	for (size_t i = 0; i < len;) {
		unsigned long cp;
		size_t n = util_utf8_decode(text + i, len - i, &cp);
		if (!n) {
			i++;
			continue;
		}
		i += n;
		if ((cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x31f0 && cp <= 0x31ff))
			return "ja";
		if ((cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0x1100 && cp <= 0x11ff))
			return "ko";
		if ((cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf))
			return "zh";
		latin |= (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
	}
	return latin ? "en" : NULL;
}

/* ---- asking, with rate limits honoured ---- */

static void linkmeta_sleep(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - floor(s)) * 1e9) };
	while (nanosleep(&ts, &ts) < 0)
		;
}

/* How long a refusal asks us to wait: Retry-After, or GitHub's spent rate
 * limit until its reset; -1 when it is no such refusal. */
static double linkmeta_wait(const struct link_page *p)
{
	if (p->status != 429 && p->status != 503 && p->status != 403)
		return -1;
	if (p->retry_after >= 0)
		return p->retry_after;
	if (p->rate_remaining == 0 && p->rate_reset) {
		double d = difftime(p->rate_reset, time(NULL));
		return d > 0 ? d : 0;
	}
	return p->status == 403 ? -1 : 1;
}

static char *linkmeta_status_text(const struct link_page *p, const char *url)
{
	if (!p->status)
		return xasprintf("%s: %s", url, p->error);
	return xasprintf("%s: HTTP status %ld", url, p->status);
}

/* GET url, once more after the wait a rate limit asks for (when it is no
 * longer than the cap). Returns EXIT_CLEAN with a 2xx page in p, else an
 * exit status with *err set. */
static int linkmeta_get(const struct linkmeta_opts *mo, struct link_get *q, struct link_page *p,
			char **err)
{
	diag_list d = DIAG_LIST_INIT;
	for (int attempt = 0;; attempt++) {
		if (linkcheck_get(q, p, &d) < 0) {
			*err = xstrdup(d.len ? d.items[0].message : "cannot load libcurl");
			diag_release(&d);
			return EXIT_SYSTEM;
		}
		double wait = linkmeta_wait(p);
		if (wait < 0 || attempt == 1)
			break;
		if (wait > mo->retry_cap) {
			*err = xasprintf("%s: rate limited (HTTP status %ld); asked to wait %.0f s%s",
					 q->url, p->status, wait,
					 mo->github_token ? "" : " (set GITHUB_TOKEN for a higher limit)");
			return EXIT_SYSTEM;
		}
		linkmeta_sleep(wait);
		link_page_release(p);
	}
	if (p->status >= 200 && p->status < 300)
		return EXIT_CLEAN;
	*err = linkmeta_status_text(p, q->url);
	if (p->status && linkmeta_wait(p) >= 0)
		return EXIT_SYSTEM;
	return p->status == 404 || p->status == 410 ? EXIT_CONTENT : EXIT_SYSTEM;
}

/* GET a JSON document: EXIT_CLEAN with its tree in *out. */
static int linkmeta_json(const struct linkmeta_opts *mo, const char *url, const char *accept,
			 const char *token, value **out, char **err)
{
	struct link_get q = { .url = url, .o = mo->o, .accept = accept, .token = token,
			      .max_body = LINKMETA_JSON_MAX };
	struct link_page p;
	int rc = linkmeta_get(mo, &q, &p, err);
	if (rc == EXIT_CLEAN) {
		diag_list d = DIAG_LIST_INIT;
		*out = p.cut ? NULL : yaml_load(p.body.data, p.body.len, url, 0, &d);
		if (!*out || value_type(*out) != VALUE_MAP) {
			*err = p.cut ? xasprintf("%s: reply larger than %u MiB", url, LINKMETA_JSON_MAX >> 20)
			     : xasprintf("%s: %s", url, d.len ? "invalid JSON" : "not a JSON object");
			value_free(*out);
			*out = NULL;
			rc = EXIT_SYSTEM;
		}
		diag_release(&d);
	}
	link_page_release(&p);
	return rc;
}

/* A string of a web service's answer, squeezed as a page's text is: no
 * line breaks or control characters in an item. */
static char *linkmeta_text(const value *map, const char *key)
{
	const value *v = value_getc(map, key);
	return value_str(v) ? htmlmeta_squeeze(value_str(v), value_strlen(v)) : NULL;
}

static void linkmeta_title_from_name(struct linkmeta *m)
{
	m->title = m->description ? xasprintf("%s: %s", m->name, m->description) : xstrdup(m->name);
	m->language = xstrdup(linkmeta_language_guess(m->title) ? linkmeta_language_guess(m->title) : "en");
}

/* ---- the three sources ---- */

static int linkmeta_github(const struct linkmeta_opts *mo, const char *repo, struct linkmeta *m,
			   char **err)
{
	value *v = NULL;
	char *api = xasprintf("%s/repos/%s", mo->github_api, repo);
	int rc = linkmeta_json(mo, api, LINKMETA_ACCEPT_GITHUB, mo->github_token, &v, err);
	free(api);
	if (rc != EXIT_CLEAN)
		return rc;
	m->kind = LINKMETA_GITHUB;
	m->name = linkmeta_text(v, "name");
	if (!m->name) {
		*err = xasprintf("GitHub's answer for %s has no name", repo);
		value_free(v);
		return EXIT_SYSTEM;
	}
	m->description = linkmeta_text(v, "description");
	const value *stars = value_getc(v, "stargazers_count"), *archived = value_getc(v, "archived");
	/* a count no repository has (1e400, -3) is no count */
	m->stars = stars && value_type(stars) == VALUE_NUMBER && value_num(stars) >= 0 &&
		   value_num(stars) < 1e15
		? (long)value_num(stars)
		: -1;
	m->archived = archived && value_type(archived) == VALUE_BOOL && value_boolean(archived);
	const char *pushed = value_str(value_getc(v, "pushed_at"));
	if (pushed && strlen(pushed) >= 10)
		m->pushed = xstrndup(pushed, 10);
	const char *spdx = value_str(value_path(v, "license.spdx_id"));
	if (spdx && strcmp(spdx, "NOASSERTION") != 0)
		m->license = xstrdup(spdx);
	/* the repository's name as it is now; a repository, on GitHub */
	const char *html = value_str(value_getc(v, "html_url"));
	char *renamed = html ? linkmeta_github_repo(html) : NULL;
	if (renamed && !strpbrk(html, " \t\r\n"))
		m->url = xstrdup(html);
	free(renamed);
	linkmeta_title_from_name(m);
	value_free(v);
	return EXIT_CLEAN;
}

static int linkmeta_pypi(const struct linkmeta_opts *mo, const char *project, struct linkmeta *m,
			 char **err)
{
	value *v = NULL;
	char *api = xasprintf("%s/pypi/%s/json", mo->pypi_api, project);
	int rc = linkmeta_json(mo, api, LINKMETA_ACCEPT_JSON, NULL, &v, err);
	free(api);
	if (rc != EXIT_CLEAN)
		return rc;
	const value *info = value_getc(v, "info");
	m->kind = LINKMETA_PYPI;
	m->name = linkmeta_text(info, "name");
	if (!m->name) {
		*err = xasprintf("PyPI's answer for %s has no info.name", project);
		value_free(v);
		return EXIT_SYSTEM;
	}
	m->description = linkmeta_text(info, "summary");
	m->version = linkmeta_text(info, "version");
	m->license = linkmeta_text(info, "license");
	m->stars = -1;
	linkmeta_title_from_name(m);
	value_free(v);
	return EXIT_CLEAN;
}

/* "text/html; charset=gbk": the charset, in a fresh string, or NULL. */
static char *linkmeta_charset(const char *type)
{
	const char *c = type;
	while (c && strncasecmp(c, "charset=", 8) != 0)
		c = *c ? c + 1 : NULL;
	if (!c)
		return NULL;
	c += 8;
	c += *c == '"';
	return xstrndup(c, strcspn(c, "\"; \t"));
}

static int linkmeta_is_html(const char *type)
{
	if (!type)
		return 1; /* unsaid: the parser will tell */
	size_t n = strcspn(type, "; \t");
	return util_ieq(type, n, "text/html") || util_ieq(type, n, "application/xhtml+xml");
}

/* Where the page says it lives: permanent redirects, then its canonical
 * link, unless that points a deep page at the site's root (a sign of a
 * site that says so of every page). */
static char *linkmeta_where(const char *asked, const struct link_page *p, const struct htmlmeta *h)
{
	const char *url = p->moved_to ? p->moved_to : asked;
	struct linkmeta_url a, c;
	if (h->canonical) {
		char *canon = linkmeta_resolve(p->url, h->canonical);
		if (linkmeta_split(canon, &c) == 0 && linkmeta_split(url, &a) == 0 &&
		    !(c.path_len <= 1 && a.path_len > 1))
			return canon;
		free(canon);
	}
	return xstrdup(url);
}

/* A page's HTML, read as it arrives until the parser has what it wants:
 * a page that sends its head and then trickles is read as quickly as one
 * that ends there. */
struct linkmeta_read {
	struct htmlmeta h;
	int begun;
	const char *why; /* libxml2 could not be loaded */
};

static int linkmeta_read_page(void *ud, const struct link_page *p, const char *data, size_t n)
{
	struct linkmeta_read *r = ud;
	if (!r->begun) {
		if (!linkmeta_is_html(p->content_type))
			return 0; /* nothing of it is wanted */
		char *charset = linkmeta_charset(p->content_type);
		r->begun = 1;
		int ok = htmlmeta_begin(&r->h, charset, &r->why) == 0;
		free(charset);
		if (!ok)
			return 0;
	}
	return htmlmeta_feed(&r->h, data, n);
}

static int linkmeta_page(const struct linkmeta_opts *mo, const char *url, struct linkmeta *m,
			 char **err)
{
	struct linkmeta_read r = { .begun = 0 };
	struct htmlmeta *h = &r.h;
	struct link_get q = { .url = url, .o = mo->o, .max_body = HTMLMETA_MAX_BYTES,
			      .sink = linkmeta_read_page, .sink_ud = &r };
	struct link_page p;
	int rc = linkmeta_get(mo, &q, &p, err);
	htmlmeta_end(h);
	if (rc == EXIT_CLEAN && !linkmeta_is_html(p.content_type)) {
		*err = xasprintf("%s: not an HTML page (%s)", url, p.content_type);
		rc = EXIT_CONTENT;
	}
	if (rc == EXIT_CLEAN && r.why) {
		*err = xstrdup(r.why);
		rc = EXIT_SYSTEM;
	}
	if (rc == EXIT_CLEAN && !htmlmeta_best_title(h)) {
		*err = xasprintf("%s: the page has no title (og:title, <title> or <h1>)", url);
		rc = EXIT_CONTENT;
	}
	if (rc == EXIT_CLEAN) {
		m->kind = LINKMETA_PAGE;
		m->title = xstrdup(htmlmeta_best_title(h));
		const char *desc = htmlmeta_best_description(h);
		m->description = desc ? xstrdup(desc) : NULL;
		m->url = linkmeta_where(url, &p, h);
		m->language = linkmeta_language_tag(h->lang);
		if (!m->language)
			m->language = linkmeta_language_tag(p.content_language);
		if (!m->language && linkmeta_language_guess(m->title))
			m->language = xstrdup(linkmeta_language_guess(m->title));
		m->not_free = h->not_free;
		m->stars = -1;
	}
	htmlmeta_release(h);
	link_page_release(&p);
	return rc;
}

int linkmeta_fetch(const struct linkmeta_opts *mo, const char *url, struct linkmeta *m,
		   char **err)
{
	memset(m, 0, sizeof(*m));
	*err = NULL;
	char *clean = linkmeta_untrack(url), *repo = linkmeta_github_repo(clean);
	char *project = repo ? NULL : linkmeta_pypi_project(clean);
	int rc = repo ? linkmeta_github(mo, repo, m, err)
	       : project ? linkmeta_pypi(mo, project, m, err)
	       : linkmeta_page(mo, clean, m, err);
	if (rc == EXIT_CLEAN && !m->url)
		m->url = xstrdup(clean);
	if (rc == EXIT_CLEAN && strcmp(m->url, clean) != 0) {
		char *u = linkmeta_untrack(m->url);
		free(m->url);
		m->url = u;
	}
	free(clean);
	free(repo);
	free(project);
	return rc;
}
