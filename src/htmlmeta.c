/* htmlmeta.c - a page's title, description, canonical URL and language from
 * libxml2's HTML parser (SAX events, loaded at run time). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include "weekly/buf.h"
#include "weekly/dl.h"
#include "weekly/diag.h"
#include "weekly/htmlmeta.h"
#include "weekly/util.h"
#include "weekly/value.h"
#include "weekly/yaml.h"

#define HTMLMETA_TEXT_MAX 4096     /* bytes of a title or heading kept */
#define HTMLMETA_SCRIPT_MAX 65536  /* bytes of a JSON-LD script read */

/* ---- libxml2, loaded when a page is read ---- */

struct htmlmeta_xml {
	htmlParserCtxtPtr (*create)(htmlSAXHandlerPtr, void *, const char *, int, const char *,
				    xmlCharEncoding);
	int (*use_options)(htmlParserCtxtPtr, int);
	int (*parse_chunk)(htmlParserCtxtPtr, const char *, int, int);
	void (*free_ctxt)(htmlParserCtxtPtr);
	void (*stop)(xmlParserCtxtPtr);
	xmlCharEncodingHandlerPtr (*find_encoding)(const char *);
	int (*switch_encoding)(xmlParserCtxtPtr, xmlCharEncodingHandlerPtr);
	void (*set_generic_error)(void *, xmlGenericErrorFunc);
	void (*set_structured_error)(void *, xmlStructuredErrorFunc);
};

#define HTMLMETA_SYM(name, field) { name, offsetof(struct htmlmeta_xml, field), 0 }
static const struct dl_sym htmlmeta_syms[] = {
	HTMLMETA_SYM("htmlCreatePushParserCtxt", create),
	HTMLMETA_SYM("htmlCtxtUseOptions", use_options),
	HTMLMETA_SYM("htmlParseChunk", parse_chunk),
	HTMLMETA_SYM("htmlFreeParserCtxt", free_ctxt),
	HTMLMETA_SYM("xmlStopParser", stop),
	HTMLMETA_SYM("xmlFindCharEncodingHandler", find_encoding),
	HTMLMETA_SYM("xmlSwitchToEncoding", switch_encoding),
	HTMLMETA_SYM("xmlSetGenericErrorFunc", set_generic_error),
	HTMLMETA_SYM("xmlSetStructuredErrorFunc", set_structured_error),
};

static struct htmlmeta_xml X;

static void htmlmeta_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx, (void)msg;
}

static void htmlmeta_quiet_structured(void *ctx, xmlErrorPtr e)
{
	(void)ctx, (void)e;
}

static const char *htmlmeta_load(void)
{
	static int loaded;
	const char *why;
	if (loaded)
		return NULL;
	if (dl_load("libxml2", "WEEKLY_LIBXML2", "libxml2.so.2", htmlmeta_syms,
		    sizeof htmlmeta_syms / sizeof *htmlmeta_syms, &X, &why) < 0)
		return why;
	X.set_generic_error(NULL, htmlmeta_quiet); /* a page's errors are not ours */
	X.set_structured_error(NULL, htmlmeta_quiet_structured);
	loaded = 1;
	return NULL;
}

/* ---- the parser's state ---- */

enum htmlmeta_collect { COLLECT_NONE, COLLECT_TITLE, COLLECT_H1, COLLECT_LDJSON };

struct htmlmeta_parser {
	htmlParserCtxtPtr ctxt;
	struct htmlmeta *m;
	enum htmlmeta_collect collect;
	buf text;
	size_t fed;
	char *charset;  /* the HTTP header's, until the encoding is chosen */
	char head[3];   /* the first bytes, held until a byte order mark can be
			 * told (a page may come a byte at a time) */
	size_t nhead;
	int chosen;     /* the encoding is chosen, head parsed */
	int in_body, in_svg, done;
};

char *htmlmeta_squeeze(const char *s, size_t n)
{
	buf b = BUF_INIT;
	int space = 0;
	for (size_t i = 0; i < n;) {
		unsigned long cp;
		size_t k = util_utf8_decode(s + i, n - i, &cp);
		if (k && (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v')) {
			space = b.len > 0;
		} else if (!k || !util_steers(cp)) {
			if (space)
				buf_putc(&b, ' ');
			space = 0;
			if (k)
				buf_put(&b, s + i, k);
			else
				buf_puts(&b, "\xef\xbf\xbd");
		}
		i += k ? k : 1;
	}
	if (!b.len) {
		buf_release(&b);
		return NULL;
	}
	return buf_take(&b);
}

static void htmlmeta_keep(char **slot, const char *s)
{
	if (!*slot && s)
		*slot = htmlmeta_squeeze(s, strlen(s));
}

static const char *htmlmeta_attr(const xmlChar **atts, const char *name)
{
	for (; atts && atts[0]; atts += 2)
		if (strcasecmp((const char *)atts[0], name) == 0)
			return atts[1] ? (const char *)atts[1] : "";
	return NULL;
}

/* Whether a space-separated list (rel="canonical shortlink") has word. */
static int htmlmeta_has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; *p;) {
		p += strspn(p, " \t\n\r\f");
		size_t k = strcspn(p, " \t\n\r\f");
		if (k == n && strncasecmp(p, word, n) == 0)
			return 1;
		p += k;
	}
	return 0;
}

static void htmlmeta_meta(struct htmlmeta *m, const xmlChar **atts)
{
	const char *key = htmlmeta_attr(atts, "property"), *content = htmlmeta_attr(atts, "content");
	if (!key)
		key = htmlmeta_attr(atts, "name");
	const char *itemprop = htmlmeta_attr(atts, "itemprop");
	if (itemprop && content && strcasecmp(itemprop, "isAccessibleForFree") == 0 &&
	    strcasecmp(content, "false") == 0)
		m->not_free = 1;
	if (!key || !content)
		return;
	if (strcasecmp(key, "og:title") == 0)
		htmlmeta_keep(&m->og_title, content);
	else if (strcasecmp(key, "og:description") == 0)
		htmlmeta_keep(&m->og_description, content);
	else if (strcasecmp(key, "description") == 0)
		htmlmeta_keep(&m->description, content);
	else if (strcasecmp(key, "og:locale") == 0 && !m->lang)
		htmlmeta_keep(&m->lang, content);
}

static void htmlmeta_start_collect(struct htmlmeta_parser *p, enum htmlmeta_collect c)
{
	p->collect = c;
	buf_reset(&p->text);
}

static void htmlmeta_on_start(void *ud, const xmlChar *tag, const xmlChar **atts)
{
	struct htmlmeta_parser *p = ud;
	struct htmlmeta *m = p->m;
	const char *name = (const char *)tag;
	if (strcasecmp(name, "html") == 0) {
		const char *lang = htmlmeta_attr(atts, "lang");
		if (lang && *lang) {
			free(m->lang); /* <html lang> wins over og:locale */
			m->lang = htmlmeta_squeeze(lang, strlen(lang));
		}
	} else if (strcasecmp(name, "svg") == 0) {
		p->in_svg++;
	} else if (strcasecmp(name, "title") == 0 && !m->title && !p->in_svg) {
		htmlmeta_start_collect(p, COLLECT_TITLE);
	} else if (strcasecmp(name, "h1") == 0 && !m->h1) {
		htmlmeta_start_collect(p, COLLECT_H1);
	} else if (strcasecmp(name, "meta") == 0) {
		htmlmeta_meta(m, atts);
	} else if (strcasecmp(name, "link") == 0) {
		const char *rel = htmlmeta_attr(atts, "rel"), *href = htmlmeta_attr(atts, "href");
		if (rel && href && htmlmeta_has_word(rel, "canonical"))
			htmlmeta_keep(&m->canonical, href);
	} else if (strcasecmp(name, "script") == 0) {
		const char *type = htmlmeta_attr(atts, "type");
		if (type && strcasecmp(type, "application/ld+json") == 0)
			htmlmeta_start_collect(p, COLLECT_LDJSON);
	} else if (strcasecmp(name, "body") == 0) {
		p->in_body = 1;
		if (m->title || m->og_title)
			p->done = 1;
	}
}

static void htmlmeta_on_text(void *ud, const xmlChar *s, int n)
{
	struct htmlmeta_parser *p = ud;
	size_t max = p->collect == COLLECT_LDJSON ? HTMLMETA_SCRIPT_MAX : HTMLMETA_TEXT_MAX;
	if (p->collect != COLLECT_NONE && n > 0 && p->text.len < max)
		buf_put(&p->text, (const char *)s, (size_t)n);
}

/* isAccessibleForFree: false anywhere in a JSON-LD tree. */
static int htmlmeta_ld_not_free(const value *v, int depth)
{
	if (!v || depth > 16)
		return 0;
	if (value_type(v) == VALUE_LIST) {
		for (size_t i = 0; i < value_len(v); i++)
			if (htmlmeta_ld_not_free(value_at(v, i), depth + 1))
				return 1;
	} else if (value_type(v) == VALUE_MAP) {
		const value *free_ = value_getc(v, "isAccessibleForFree");
		const char *s = value_str(free_);
		if (free_ && ((value_type(free_) == VALUE_BOOL && !value_boolean(free_)) ||
			      (s && strcasecmp(s, "false") == 0)))
			return 1;
		for (size_t i = 0; i < value_len(v); i++)
			if (htmlmeta_ld_not_free(value_entry_at(v, i)->val, depth + 1))
				return 1;
	}
	return 0;
}

static void htmlmeta_ldjson(struct htmlmeta *m, const buf *text)
{
	diag_list d = DIAG_LIST_INIT;
	value *v = yaml_load(text->data, text->len, "ld+json", 0, &d);
	m->not_free |= htmlmeta_ld_not_free(v, 0);
	value_free(v);
	diag_release(&d);
}

static void htmlmeta_on_end(void *ud, const xmlChar *tag)
{
	struct htmlmeta_parser *p = ud;
	struct htmlmeta *m = p->m;
	const char *name = (const char *)tag;
	char **slot = NULL;
	if (strcasecmp(name, "svg") == 0 && p->in_svg)
		p->in_svg--;
	if (p->collect == COLLECT_TITLE && strcasecmp(name, "title") == 0)
		slot = &m->title;
	else if (p->collect == COLLECT_H1 && strcasecmp(name, "h1") == 0)
		slot = &m->h1;
	else if (p->collect == COLLECT_LDJSON && strcasecmp(name, "script") == 0)
		htmlmeta_ldjson(m, &p->text);
	else if (strcasecmp(name, "head") == 0 && (m->title || m->og_title))
		p->done = 1;
	if (slot && !*slot && p->text.len)
		*slot = htmlmeta_squeeze(p->text.data, p->text.len);
	if (slot || (p->collect == COLLECT_LDJSON && strcasecmp(name, "script") == 0))
		p->collect = COLLECT_NONE;
	if (slot == &m->h1 && p->in_body)
		p->done = 1;
}

/* ---- the interface ---- */

int htmlmeta_begin(struct htmlmeta *m, const char *charset, const char **err)
{
	memset(m, 0, sizeof(*m));
	if ((*err = htmlmeta_load()))
		return -1;
	htmlSAXHandler sax;
	memset(&sax, 0, sizeof sax);
	sax.startElement = htmlmeta_on_start;
	sax.endElement = htmlmeta_on_end;
	sax.characters = htmlmeta_on_text;
	sax.cdataBlock = htmlmeta_on_text; /* the text of <script> */
	struct htmlmeta_parser *p = xcalloc(1, sizeof(*p));
	p->text = (buf)BUF_INIT;
	p->m = m;
	p->ctxt = X.create(&sax, p, NULL, 0, NULL, XML_CHAR_ENCODING_NONE);
	if (!p->ctxt) {
		free(p);
		*err = "cannot load libxml2: it failed to start";
		return -1;
	}
	X.use_options(p->ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
				       HTML_PARSE_NONET);
	p->charset = charset && *charset ? xstrdup(charset) : NULL;
	m->p = p;
	return 0;
}

/* The encoding of a page, as a browser decides it: a byte order mark,
 * else the HTTP header's charset, else (left to the parser) the page's own
 * <meta charset>. Returns the length of the mark, which is not text. */
static size_t htmlmeta_encoding(struct htmlmeta_parser *p, const char *data, size_t n)
{
	static const struct { const char *mark, *name; } boms[] = {
		{ "\xef\xbb\xbf", "UTF-8" }, { "\xff\xfe", "UTF-16LE" }, { "\xfe\xff", "UTF-16BE" },
	};
	const char *name = p->charset;
	size_t skip = 0;
	for (size_t i = 0; i < sizeof boms / sizeof *boms && !skip; i++) {
		size_t k = strlen(boms[i].mark);
		if (n >= k && memcmp(data, boms[i].mark, k) == 0)
			name = boms[i].name, skip = k;
	}
	xmlCharEncodingHandlerPtr enc = name ? X.find_encoding(name) : NULL;
	if (enc)
		X.switch_encoding(p->ctxt, enc);
	free(p->charset);
	p->charset = NULL;
	return skip;
}

/* Choose the encoding by the first bytes held in head, and parse them. */
static void htmlmeta_choose(struct htmlmeta_parser *p)
{
	size_t mark = htmlmeta_encoding(p, p->head, p->nhead);
	p->chosen = 1;
	if (p->nhead > mark)
		X.parse_chunk(p->ctxt, p->head + mark, (int)(p->nhead - mark), 0);
}

int htmlmeta_feed(struct htmlmeta *m, const char *data, size_t n)
{
	struct htmlmeta_parser *p = m->p;
	if (!p || p->done)
		return 0;
	if (n > HTMLMETA_MAX_BYTES - p->fed)
		n = HTMLMETA_MAX_BYTES - p->fed;
	p->fed += n;
	if (!p->chosen) { /* the first bytes, as long as a mark may be coming */
		size_t k = n < sizeof p->head - p->nhead ? n : sizeof p->head - p->nhead;
		memcpy(p->head + p->nhead, data, k);
		p->nhead += k, data += k, n -= k;
		if (p->nhead < sizeof p->head && p->fed < HTMLMETA_MAX_BYTES)
			return 1;
		htmlmeta_choose(p);
	}
	if (n)
		X.parse_chunk(p->ctxt, data, (int)n, 0);
	if (p->done)
		X.stop(p->ctxt);
	return !p->done && p->fed < HTMLMETA_MAX_BYTES;
}

void htmlmeta_end(struct htmlmeta *m)
{
	struct htmlmeta_parser *p = m->p;
	if (!p)
		return;
	if (!p->chosen) /* a page shorter than a mark */
		htmlmeta_choose(p);
	if (!p->done)
		X.parse_chunk(p->ctxt, NULL, 0, 1);
	if (p->collect == COLLECT_TITLE && !m->title && p->text.len) /* cut off mid-title */
		m->title = htmlmeta_squeeze(p->text.data, p->text.len);
	X.free_ctxt(p->ctxt);
	free(p->charset);
	buf_release(&p->text);
	free(p);
	m->p = NULL;
}

void htmlmeta_release(struct htmlmeta *m)
{
	htmlmeta_end(m);
	free(m->title);
	free(m->og_title);
	free(m->h1);
	free(m->description);
	free(m->og_description);
	free(m->canonical);
	free(m->lang);
	memset(m, 0, sizeof(*m));
}

const char *htmlmeta_best_title(const struct htmlmeta *m)
{
	return m->og_title ? m->og_title : m->title ? m->title : m->h1;
}

const char *htmlmeta_best_description(const struct htmlmeta *m)
{
	return m->og_description ? m->og_description : m->description;
}
