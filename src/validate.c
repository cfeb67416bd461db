/* validate.c - the rules over a parsed issue: front matter, sections, items,
 * links and text. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "weekly/tags.h"
#include "weekly/text.h"
#include "weekly/topics.h"
#include "weekly/util.h"
#include "weekly/validate.h"
#include "validate_int.h"

struct ctx {
	const struct newsletter *n;
	const struct issue *is;
	diag_list *d;
	diag_severity unfinished; /* what an incomplete issue is: a draft may be */
};

/* s as a message quotes it. */
static char *quoted(const char *s)
{
	return util_quoted(s, strlen(s));
}

int validate_blank(const char *s)
{
	for (; s && *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

/* --- front matter ------------------------------------------------------ */

/* Whether the parser already said what is wrong with the front matter. */
static int front_reported(const struct ctx *c)
{
	for (size_t i = 0; i < c->d->len; i++) {
		const diag *x = &c->d->items[i];
		if (x->rule && x->file && strcmp(x->file, c->is->path) == 0 &&
		    (strcmp(x->rule, "front-matter") == 0 || strcmp(x->rule, "yaml") == 0))
			return 1;
	}
	return 0;
}

static void number_rule(struct ctx *c, long file_number)
{
	const struct issue *is = c->is;
	const value *num = value_getc(is->front, "number");
	if (!num)
		diag_add(c->d, DIAG_ERROR, is->path, 1, 1, "front-matter",
			 "missing 'number' in front matter");
	else if (is->number < 0)
		diag_add(c->d, DIAG_ERROR, is->path, value_line(num), value_col(num),
			 "front-matter", "'number' must be a positive whole number");
	else if (file_number >= 0 && is->number != file_number)
		diag_add(c->d, DIAG_ERROR, is->path, value_line(num), value_col(num),
			 "front-matter", "'number' is %ld but the file name says %ld", is->number,
			 file_number);
}

static void date_rule(struct ctx *c)
{
	const struct issue *is = c->is;
	const value *date = value_getc(is->front, "date");
	if (!date)
		diag_add(c->d, DIAG_ERROR, is->path, 1, 1, "front-matter",
			 "missing 'date' in front matter");
	else if (!is->date)
		diag_add(c->d, DIAG_ERROR, is->path, value_line(date), value_col(date),
			 "front-matter", "'date' must be a date written YYYY-MM-DD");
	else if (!util_is_date(is->date)) {
		char *q = quoted(is->date);
		diag_add(c->d, DIAG_ERROR, is->path, value_line(date), value_col(date),
			 "front-matter", "'date' must be a real date written YYYY-MM-DD, not '%s'",
			 q);
		free(q);
	}
}

/* updated: the day a published issue was corrected, on or after its date. */
static void updated_rule(struct ctx *c, const value *v)
{
	const char *s = value_str(v);
	if (!s || !util_is_date(s))
		diag_add(c->d, DIAG_ERROR, c->is->path, value_line(v), value_col(v), "front-matter",
			 "'updated' must be a real date written YYYY-MM-DD");
	else if (c->is->date && strcmp(s, c->is->date) < 0)
		diag_add(c->d, DIAG_ERROR, c->is->path, value_line(v), value_col(v), "front-matter",
			 "'updated' is %s, before the issue's date %s", s, c->is->date);
}

static const char *kind_name(value_kind k)
{
	return k == VALUE_LIST ? "a list" : k == VALUE_MAP ? "a mapping" : "a single value";
}

static int is_container(value_kind k)
{
	return k == VALUE_LIST || k == VALUE_MAP;
}

/* A key the settings also have overrides them: it must be the same shape,
 * or null (the issue goes without it, as an era may). */
static void override_rule(struct ctx *c, const struct value_entry *e, const value *setting)
{
	value_kind want = value_type(setting), got = value_type(e->val);
	if (want == got || got == VALUE_NULL || (!is_container(want) && !is_container(got)))
		return;
	char *q = quoted(e->key);
	diag_add(c->d, DIAG_ERROR, c->is->path, value_line(e->val), value_col(e->val),
		 "front-matter", "'%s' must be %s, as in newsletter.yaml", q, kind_name(want));
	free(q);
}

static int in_list(const value *list, const char *s, size_t len)
{
	for (size_t i = 0; i < value_len(list); i++) {
		const char *x = value_str(value_at(list, i));
		if (x && strlen(x) == len && memcmp(x, s, len) == 0)
			return 1;
	}
	return 0;
}

/* The name among names[0..n) that word comes closest to without being it:
 * the same but for case, spaces or punctuation, else the closest by
 * util_closest; or NULL. */
const char *validate_nearest(const char *word, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (util_name_eq(word, names[i]) && strcmp(word, names[i]) != 0)
			return names[i];
	long k = util_closest(word, names, n);
	return k < 0 ? NULL : names[k];
}

/* The known front matter key closest to key: an issue's own, or a
 * setting's (which the front matter may override). */
static const char *suggest(const struct ctx *c, const char *key)
{
	size_t ns = value_len(c->n->settings), count = 0, nk = 0;
	while (issue_keys[nk])
		nk++;
	const char **names = xmalloc((ns + nk) * sizeof *names);
	for (const char *const *k = issue_keys; *k; k++)
		names[count++] = *k;
	for (size_t i = 0; i < ns; i++)
		names[count++] = value_entry_at(c->n->settings, i)->key;
	const char *s = validate_nearest(key, names, count);
	free(names);
	return s;
}

/* A key nothing reads is a warning, with the key it may have meant; a
 * misspelt 'draft' is an error: it would publish a draft. */
static void unknown_key(struct ctx *c, const struct value_entry *e)
{
	const value *extra = value_path(c->n->settings, "check.issue_keys");
	if (in_list(extra, e->key, e->keylen))
		return;
	const char *s = suggest(c, e->key);
	char *q = quoted(e->key);
	if (s && strcmp(s, "draft") == 0)
		diag_add(c->d, DIAG_ERROR, c->is->path, value_line(e->val), 1, "front-matter",
			 "unknown front matter key '%s'; did you mean 'draft'? As written, "
			 "the issue is not a draft", q);
	else
		diag_add(c->d, DIAG_WARNING, c->is->path, value_line(e->val), 1, "unknown-key",
			 "unknown front matter key '%s'%s%s%s", q,
			 s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
	free(q);
}

static int key_is(const struct value_entry *e, const char *name)
{
	return e->keylen == strlen(name) && memcmp(e->key, name, e->keylen) == 0;
}

/* The keys an issue itself has: whether e is one (checked here, or by
 * number_rule and date_rule). */
static int issue_key_rule(struct ctx *c, const struct value_entry *e)
{
	const value *v = e->val;
	if ((key_is(e, "draft") || key_is(e, "titles_only") || key_is(e, "sections_as_written")) &&
	    value_type(v) != VALUE_BOOL)
		diag_add(c->d, DIAG_ERROR, c->is->path, value_line(v), value_col(v), "front-matter",
			 "'%.*s' must be true or false", (int)e->keylen, e->key);
	else if ((key_is(e, "title") || key_is(e, "description") || key_is(e, "image")) &&
		 is_container(value_type(v)))
		diag_add(c->d, DIAG_ERROR, c->is->path, value_line(v), value_col(v), "front-matter",
			 "'%.*s' must be a single value", (int)e->keylen, e->key);
	else if (key_is(e, "updated"))
		updated_rule(c, v);
	return util_in_names(issue_keys, e->key, e->keylen);
}

static void key_rules(struct ctx *c)
{
	const value *front = c->is->front;
	for (size_t i = 0; i < value_len(front); i++) {
		const struct value_entry *e = value_entry_at(front, i);
		const value *setting = value_get(c->n->settings, e->key, e->keylen);
		if (issue_key_rule(c, e) || validate_html_key(e))
			continue; /* validate_trust refuses the HTML */
		if (setting)
			override_rule(c, e, setting);
		else if (!util_in_names(settings_keys, e->key, e->keylen))
			unknown_key(c, e);
	}
}

static void front_rules(struct ctx *c, long file_number)
{
	if (!c->is->front && front_reported(c))
		return;
	number_rule(c, file_number);
	date_rule(c);
	key_rules(c);
	if (c->is->front)
		validate_trust(c->is->path, c->is->text, c->is->len, c->is->front, c->d);
}

/* --- sections ----------------------------------------------------------- */

static const char *conf_title(const struct ctx *c, long conf)
{
	return c->n->sections[conf].title;
}

static int last_line(const struct issue *is)
{
	return is->nlines ? (int)is->nlines : 1;
}

/* Where a missing section belongs: the heading of the first section the
 * settings put after it, else the end of the file. */
static void missing_section(struct ctx *c, long conf)
{
	const struct issue *is = c->is;
	int line = 0, col = 1;
	for (size_t i = 0; i < is->nsections && !line; i++)
		if (is->sections[i].conf > conf)
			line = is->sections[i].line, col = is->sections[i].col;
	diag_add(c->d, c->unfinished, is->path, line ? line : last_line(is), col,
		 "required-section", "missing required section '%s'", conf_title(c, conf));
}

static void count_rule(struct ctx *c, const struct section *s, size_t count)
{
	const struct section_conf *sc = &c->n->sections[s->conf];
	if (sc->min_items >= 0 && count < (size_t)sc->min_items)
		diag_add(c->d, c->unfinished, c->is->path, s->line, s->col, "count",
			 "section '%s' has %zu item%s; the settings ask for at least %ld",
			 sc->title, count, count == 1 ? "" : "s", sc->min_items);
	else if (sc->max_items >= 0 && count > (size_t)sc->max_items)
		diag_add(c->d, DIAG_ERROR, c->is->path, s->line, s->col, "count",
			 "section '%s' has %zu items; the settings allow at most %ld",
			 sc->title, count, sc->max_items);
}

/* Each section against the ones before it: repeats and order. */
static void section_order(struct ctx *c, const struct section **first)
{
	const struct section *latest = NULL; /* furthest along the settings' order */
	for (size_t i = 0; i < c->is->nsections; i++) {
		const struct section *s = &c->is->sections[i];
		if (s->conf < 0)
			continue;
		if (first[s->conf])
			diag_add(c->d, DIAG_ERROR, c->is->path, s->line, s->col, "duplicate-section",
				 "section '%s' appears twice; first at line %d",
				 conf_title(c, s->conf), first[s->conf]->line);
		else
			first[s->conf] = s;
		if (latest && s->conf < latest->conf && !c->is->as_written)
			diag_add(c->d, DIAG_WARNING, c->is->path, s->line, s->col, "order",
				 "section '%s' should come before '%s', as in newsletter.yaml",
				 conf_title(c, s->conf), conf_title(c, latest->conf));
		else
			latest = s;
		if (s->nitems == 0 && c->n->sections[s->conf].min_items != 0) /* 0: text only */
			diag_add(c->d, c->unfinished, c->is->path, s->line, s->col, "empty-section",
				 "section '%s' has no items", conf_title(c, s->conf));
	}
}

/* without: the ids of required sections the issue goes without (as an
 * issue of the archive did), a list of section ids. */
static void without_rule(struct ctx *c, const value *without)
{
	if (!without)
		return;
	if (value_type(without) != VALUE_LIST) {
		diag_add(c->d, DIAG_ERROR, c->is->path, value_line(without), value_col(without),
			 "front-matter", "'without' is a list of section ids: without: [projects]");
		return;
	}
	for (size_t i = 0; i < value_len(without); i++) {
		const value *v = value_at(without, i);
		const char *id = value_str(v);
		size_t k = 0;
		while (id && k < c->n->nsections && strcmp(c->n->sections[k].id, id) != 0)
			k++;
		if (!id || k == c->n->nsections)
			diag_add(c->d, DIAG_ERROR, c->is->path, value_line(v), value_col(v),
				 "front-matter",
				 "'without' lists '%s', which is not the id of a section",
				 id ? id : "");
	}
}

static void section_rules(struct ctx *c)
{
	size_t nconf = c->n->nsections;
	if (c->is->nsections == 0 && c->is->body_line > last_line(c->is) && front_reported(c))
		return; /* an unclosed front matter took the whole file */
	const struct section **first = xcalloc(nconf, sizeof(*first));
	size_t *count = xcalloc(nconf, sizeof(*count));
	section_order(c, first);
	for (size_t i = 0; i < c->is->nsections; i++)
		if (c->is->sections[i].conf >= 0)
			count[c->is->sections[i].conf] += c->is->sections[i].nitems;
	const value *without = value_getc(c->is->front, "without");
	without_rule(c, without);
	for (size_t k = 0; k < nconf; k++) {
		const char *id = c->n->sections[k].id;
		if (!first[k] && c->n->sections[k].required && !in_list(without, id, strlen(id)))
			missing_section(c, (long)k);
		else if (first[k] && count[k])
			count_rule(c, first[k], count[k]);
	}
	free(first);
	free(count);
}

/* --- items --------------------------------------------------------------- */

/* Where the bracketed run at p ends ("(English)", "（英文）", a marker such
 * as "[video]"), or NULL when p starts none. */
static const char *past_tag(const char *p, const char *end)
{
	static const char *const pairs[][2] = { { "(", ")" }, { "[", "]" },
						{ "\xEF\xBC\x88", "\xEF\xBC\x89" } }; /* （） */
	for (size_t k = 0; k < sizeof pairs / sizeof *pairs; k++) {
		size_t o = strlen(pairs[k][0]), c = strlen(pairs[k][1]);
		if ((size_t)(end - p) < o || strncmp(p, pairs[k][0], o) != 0)
			continue;
		for (const char *q = p + o; (size_t)(end - q) >= c; q++)
			if (strncmp(q, pairs[k][1], c) == 0)
				return q + c;
	}
	return NULL;
}

/* Whether the len bytes of an item's note that readers see (its tags left
 * out) say what the link is ("[Blog](url): my notes on ..."), rather than
 * only tag it ("(English)", "（英文） [video]"): after the blanks and a
 * separator before it, something that is not a bracketed run. */
static int note_describes(const char *note, size_t len)
{
	static const char *const seps[] = { ":", "\xEF\xBC\x9A", "-", "\xE2\x80\x93",
					    "\xE2\x80\x94" }; /* : ： - – — */
	const char *p = note, *end = note + len;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	for (size_t k = 0; k < sizeof seps / sizeof *seps; k++)
		if ((size_t)(end - p) >= strlen(seps[k]) && strncmp(p, seps[k], strlen(seps[k])) == 0) {
			p += strlen(seps[k]);
			break;
		}
	for (const char *next;; p = next) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			return 0;
		if (!(next = past_tag(p, end)))
			return 1;
	}
}

static void description_rule(struct ctx *c, const struct item *it)
{
	const char *note = it->note ? it->note : "";
	size_t seen = tags_shown_len(note, value_getc(c->n->settings, "topics") != NULL);
	if (!validate_blank(it->description_md) || note_describes(note, seen))
		return;
	if (validate_blank(it->title)) {
		diag_add(c->d, DIAG_WARNING, c->is->path, it->line, it->col, "description",
			 "item has no description");
		return;
	}
	char *q = quoted(it->title);
	diag_add(c->d, DIAG_WARNING, c->is->path, it->line, it->col, "description",
		 "item '%s' has no description", q);
	free(q);
}

/* The same URL (in any form with the same key) as an earlier item. */
static void duplicate_rule(struct ctx *c, const struct item *it, struct ledger *seen)
{
	const struct ledger_entry *e = ledger_add_new(seen, &(struct ledger_entry){
		.url = it->url, .line = it->line, .col = it->col, .issue = -1, .item = -1 });
	if (e) {
		char *q = quoted(it->url);
		diag_add(c->d, DIAG_ERROR, c->is->path, it->line, it->col, "duplicate-url",
			 "URL '%s' is already an item at line %d", q, e->line);
		free(q);
	}
}

static void item_rules(struct ctx *c, const struct item *it, struct ledger *seen)
{
	if (validate_blank(it->title))
		diag_add(c->d, DIAG_ERROR, c->is->path, it->line, it->col, "title",
			 "item has an empty title");
	description_rule(c, it);
	if (!validate_blank(it->url))
		duplicate_rule(c, it, seen);
}

static void items_rules(struct ctx *c)
{
	struct ledger seen = LEDGER_INIT;
	for (size_t i = 0; i < c->is->nsections; i++) {
		const struct section *s = &c->is->sections[i];
		for (size_t j = 0; j < s->nitems; j++)
			if (s->items[j].has_link)
				item_rules(c, &s->items[j], &seen);
	}
	ledger_release(&seen);
}

/* --- links ------------------------------------------------------------- */

static int has_scheme(const char *u, const char *scheme)
{
	size_t n = strlen(scheme);
	return strncasecmp(u, scheme, n) == 0;
}

/* Items and images must be on the web; other links may also be mailto:. */
static void url_rule(struct ctx *c, const struct link *l)
{
	const char *u = l->url;
	int web = util_is_web(u);
	const char *problem = NULL;
	if (!*u && l->opens_item) {
		diag_add(c->d, DIAG_WARNING, c->is->path, l->line, l->col, "url",
			 "item without an address: its title is printed alone, without a link");
		return;
	}
	if (validate_blank(u)) {
		diag_add(c->d, DIAG_ERROR, c->is->path, l->line, l->col, "url", "empty URL");
		return;
	}
	if (!web && !(has_scheme(u, "mailto:") && !l->image && !l->opens_item))
		problem = "is not http or https";
	else if (web && strcspn(strstr(u, "://") + 3, "/?#") == 0)
		problem = "has no host";
	if (!problem)
		return;
	char *q = quoted(u);
	diag_add(c->d, DIAG_ERROR, c->is->path, l->line, l->col, "url", "URL '%s' %s", q, problem);
	free(q);
}

/* utm_* parameters: name them all in one warning. */
static void tracking_rule(struct ctx *c, const struct link *l)
{
	const char *q = strchr(l->url, '?');
	buf names = BUF_INIT;
	size_t count = 0;
	while (q && *q && *q != '#') {
		q++;
		size_t len = strcspn(q, "=&#");
		if (ledger_tracking_param(q, len) && count++ < 8)
			buf_printf(&names, "%s'%.*s'", names.len ? ", " : "", len > 40 ? 40 : (int)len, q);
		q += strcspn(q, "&#");
	}
	if (count) {
		char *q = quoted(names.data);
		diag_add(c->d, DIAG_WARNING, c->is->path, l->line, l->col, "tracking",
			 "URL carries tracking parameter%s %s%s", count > 1 ? "s" : "", q,
			 count > 8 ? ", …" : "");
		free(q);
	}
	buf_release(&names);
}

/* Link text that says nothing of where the link leads, as a reader of a
 * page's list of links, a screen reader or a search engine sees it. */
static const char *const vague_texts[] = {
	"click here", "click this", "go", "here", "information", "learn more", "link",
	"more", "more info", "more information", "read more", "right here", "see more",
	"start", "this", "这里", "此处", "点击这里", "点击此处", "更多", "了解更多",
	"阅读更多", "链接",
};

/* Whether text, its blanks around it and its ASCII case aside, is one of
 * vague_texts. */
static int vague(const char *text)
{
	while (*text == ' ')
		text++;
	size_t n = strlen(text);
	while (n && text[n - 1] == ' ')
		n--;
	for (size_t k = 0; k < sizeof vague_texts / sizeof *vague_texts; k++)
		if (strlen(vague_texts[k]) == n && strncasecmp(vague_texts[k], text, n) == 0)
			return 1;
	return 0;
}

static void link_rules(struct ctx *c)
{
	for (size_t i = 0; i < c->is->nlinks; i++) {
		const struct link *l = &c->is->links[i];
		url_rule(c, l);
		tracking_rule(c, l);
		if (l->image && !l->has_alt)
			diag_add(c->d, DIAG_WARNING, c->is->path, l->line, l->col, "alt",
				 "image has no alt text");
		if (l->text && vague(l->text)) {
			char *q = quoted(l->text);
			diag_add(c->d, DIAG_WARNING, c->is->path, l->line, l->col, "link-text",
				 "link text '%s' says nothing of where it leads", q);
			free(q);
		}
	}
}

/* --- the issue ------------------------------------------------------------ */

void validate_issue(const struct newsletter *n, const struct issue *is,
		    long file_number, diag_list *d)
{
	int draft = value_truthy(value_getc(is->front, "draft"));
	struct ctx c = { n, is, d, draft ? DIAG_WARNING : DIAG_ERROR };
	front_rules(&c, file_number);
	if (!is->unread) /* its sections are not known */
		section_rules(&c);
	items_rules(&c);
	topics_check_issue(n, is, d);
	link_rules(&c);
	text_check(is->path, is->text, is->len, d);
	if (!is->unread)
		validate_body_refs(is, d);
}
