/* import_place.c - where each part of a published issue goes (import.h):
 * the probe, an issue with every section empty, shows what the templates
 * write; the published intro and sections are matched with it, a
 * difference by one setting's text becoming an override, the rest the
 * lead or sections kept, or left out. */
#define _GNU_SOURCE /* memmem */
#include <stdlib.h>
#include <string.h>
#include "weekly/import.h"
#include "weekly/itemline.h"
#include "weekly/util.h"

/* --- the intro ---------------------------------------------------------- */

#define MAX_PROBE_BLOCKS 64

/* The paragraphs of lines [first, end): runs of non-blank lines. */
static size_t blocks(const struct doc *d, size_t first, size_t end, struct chunk *out, size_t max)
{
	size_t n = 0;
	for (size_t i = first; i < end && n < max; i++) {
		if (doc_blank(d, i))
			continue;
		size_t j = i;
		while (j < end && !doc_blank(d, j))
			j++;
		out[n++] = (struct chunk){ i, j, 0 };
		i = j;
	}
	return n;
}

/* Published block w is probe block g, or becomes it by an override. */
static int place_block(struct import *im, const struct doc *pr, const struct chunk *g,
		       const struct chunk *w)
{
	size_t gl, wl;
	const char *gs = src_lines(&pr->src, g->first, g->end, &gl);
	const char *ws = src_lines(&im->pub.src, w->first, w->end, &wl);
	return (gl == wl && memcmp(gs, ws, gl) == 0) || import_find_override(im, gs, gl, ws, wl) == 0;
}

/* How many bytes of intro the templates write after the title with the
 * overrides so far; *title learns the title block (the caller frees it). */
static size_t probe_intro(struct import *im, char **title)
{
	struct doc pr;
	struct chunks prc = { 0 };
	struct chunk b[MAX_PROBE_BLOCKS];
	size_t size = 0, len;
	import_probe(im, &pr, NULL);
	import_chunks(&pr, NULL, &prc);
	size_t nb = blocks(&pr, prc.at[0].first, prc.at[0].end, b, MAX_PROBE_BLOCKS);
	size_t hg = nb > 0;
	for (size_t i = hg; i < nb; i++)
		size += doc_at(&pr, b[i].end) - doc_at(&pr, b[i].first);
	const char *t = hg ? src_lines(&pr.src, b[0].first, b[0].end, &len) : "";
	*title = xstrndup(t, hg ? len : 0);
	free(prc.at);
	doc_release(&pr);
	return size;
}

/* Whether setting v's text shows in the probe's blocks got[0..ng). */
static int shown(const value *v, const struct doc *pr, const struct chunk *got, size_t ng)
{
	size_t len;
	const char *t = ng ? src_lines(&pr->src, got[0].first, got[ng - 1].end, &len) : "";
	return ng && memmem(t, len, value_str(v), value_strlen(v)) != NULL;
}

/* The intro's own words leave the settings for the lead: each
 * setting the templates' intro shows is emptied for this issue when that
 * makes the templates' intro shorter and leaves the title as it was. */
static void intro_as_lead(struct import *im, const struct doc *pr, const struct chunk *got,
			  size_t ng)
{
	value *s = im->settings;
	char *title0, *title;
	size_t size = probe_intro(im, &title0);
	for (size_t i = 0; i < value_len(s) && size; i++) {
		const struct value_entry *e = value_entry_at(s, i);
		value *old = e->val;
		if (value_type(old) != VALUE_STRING || !value_strlen(old) ||
		    import_is_reserved(e->key) || !shown(old, pr, got, ng))
			continue;
		value_swap(s, i, value_cstring(""));
		int noted = import_note_override(im, e->key);
		size_t now = probe_intro(im, &title);
		if (now < size && strcmp(title, title0) == 0) {
			size = now;
			value_free(old);
		} else {
			value_free(value_swap(s, i, old));
			if (noted)
				free(im->ov[--im->nov]);
		}
		free(title);
	}
	free(title0);
}

#define MAX_BLOCKS 256

/* Match the published intro with the probe's, paragraph by paragraph,
 * after the head: a paragraph that differs by one setting's text gives an
 * override, the paragraphs after the templates' are the lead; an
 * intro that differs otherwise becomes the lead, whole. */
static void intro(struct import *im, const struct doc *pr, const struct chunk *pc)
{
	struct chunk *want = xcalloc(MAX_BLOCKS, sizeof(struct chunk));
	struct chunk *got = xcalloc(MAX_BLOCKS, sizeof(struct chunk));
	const struct chunk *c = &im->pc.at[0];
	size_t nw = blocks(&im->pub, im->head.end, c->end, want, MAX_BLOCKS);
	size_t ng = blocks(pr, pc->first, pc->end, got, MAX_BLOCKS), hg = ng > 0;
	struct chunk h = { 0, im->head.end, 0 };
	while (h.first < h.end && doc_blank(&im->pub, h.first))
		h.first++;
	if (hg && !im->head.end)
		import_say(im, DIAG_WARNING, 0, "the templates write a title that is not here");
	else if (hg && !place_block(im, pr, &got[0], &h))
		import_say(im, DIAG_WARNING, h.first, "the templates write this title differently; "
		    "its number, date and title are in the front matter");
	int placed = 1;
	struct import_snapshot before = import_snapshot(im);
	for (size_t i = 0; i < ng - hg && i < nw && placed; i++)
		placed = place_block(im, pr, &got[hg + i], &want[i]);
	for (size_t i = nw; placed && i + hg < ng; i++) { /* the templates write more */
		size_t gl;
		const char *gs = src_lines(&pr->src, got[hg + i].first, got[hg + i].end, &gl);
		placed = import_find_override(im, gs, gl, "", 0) == 0;
	}
	im->lead_first = im->lead_end = 0;
	import_settle(im, &before, !placed); /* a failed try's overrides go back */
	if (!placed) {
		intro_as_lead(im, pr, got + hg, ng - hg);
		if (nw)
			import_say(im, DIAG_WARNING, want[0].first, "the intro differs from what the settings "
			    "write; it is the issue's lead");
		ng = hg;
	}
	if (nw + hg > ng)
		im->lead_first = want[ng - hg].first, im->lead_end = c->end;
	free(want);
	free(got);
}

/* The probe's chunk for published chunk c: for a section (conf >= 0) the
 * one naming the same section, else the one with the same heading line. */
static const struct chunk *probe_chunk(const struct import *im, const struct doc *pr,
				       const struct chunks *prc, const struct chunk *c, long conf)
{
	for (size_t i = 1; i < prc->len; i++) {
		char *h = import_heading_name(pr, &prc->at[i]);
		int same = conf >= 0 ? newsletter_section(im->n, h, strlen(h)) == conf
				     : import_same_text(pr, prc->at[i].first, prc->at[i].first + 1, &im->pub,
						 c->first, c->first + 1);
		free(h);
		if (same)
			return &prc->at[i];
	}
	return NULL;
}

/* Keep a section without the lines the templates add after its items: the
 * probe's section p has them after its heading and a blank line. */
static void keep_section(struct import *im, const struct doc *pr, const struct chunk *p,
			 struct chunk c, const char *title)
{
	size_t end = import_trimmed(&im->pub, c).end, pend = p ? import_trimmed(pr, *p).end : 0, tail = 0;
	if (p && pend > p->first + 2)
		tail = pend - p->first - 2;
	if (tail && end - c.first > tail &&
	    import_same_text(&im->pub, end - tail, end, pr, pend - tail, pend))
		c.end = end - tail;
	else if (tail)
		import_say(im, DIAG_WARNING, end - 1, "the section does not end with the text the "
		    "templates add after it; this stays part of its last item");
	xgrow((void **)&im->keep, &im->keepcap, im->nkeep + 1, sizeof(struct kept));
	im->keep[im->nkeep++] = (struct kept){ c, title };
}

/* The configured section closest to a heading no section answers to, or
 * -1. */
static long closest_section(const struct newsletter *n, const char *name)
{
	const char *title = newsletter_section_near(n, name);
	return title ? newsletter_section(n, title, strlen(title)) : -1;
}

/* A chunk the templates write (the probe's p) that was published
 * differently: its heading and its text may each differ by a setting. */
static int place_written(struct import *im, const struct doc *pr, const struct chunk *p,
			 const struct chunk *c)
{
	struct chunk g = import_trimmed(pr, *p), w = import_trimmed(&im->pub, *c);
	struct chunk gh = { g.first, g.first + 1, 0 }, wh = { w.first, w.first + 1, 0 };
	struct chunk gb = { g.first + 1, g.end, 0 }, wb = { w.first + 1, w.end, 0 };
	struct import_snapshot before = import_snapshot(im);
	int placed = place_block(im, pr, &gh, &wh) && place_block(im, pr, &gb, &wb);
	import_settle(im, &before, !placed);
	return placed;
}

/* Whether the probe's chunk p is a section's: its heading is a configured
 * section's title, as the probe's source wrote it. */
static int probe_section(const struct import *im, const struct doc *pr, const struct chunk *p)
{
	size_t len;
	const char *h = doc_line(pr, p->first, &len);
	for (size_t i = 0; i < im->n->nsections; i++)
		if (len - 3 == strlen(im->n->sections[i].title) &&
		    memcmp(h + 3, im->n->sections[i].title, len - 3) == 0)
			return 1;
	return 0;
}

/* The first of the probe's chunks that no section and no published chunk
 * took: what the templates write that the published text may have
 * written differently. */
static const struct chunk *next_written(const struct import *im, const struct doc *pr,
					const struct chunks *prc, const int *used)
{
	for (size_t i = 1; i < prc->len; i++)
		if (!used[i] && !probe_section(im, pr, &prc->at[i]))
			return &prc->at[i];
	return NULL;
}

/* Keep published chunk i as configured section conf, under the section's
 * title when its heading is written otherwise. */
static void keep_as(struct import *im, const struct doc *pr, const struct chunks *prc, size_t i,
		    long conf)
{
	const struct chunk *c = &im->pc.at[i];
	const char *title = im->n->sections[conf].title;
	size_t hlen;
	const char *h = doc_line(&im->pub, c->first, &hlen);
	int plain = c->heading == 1 && hlen - 3 == strlen(title) && memcmp(h + 3, title, hlen - 3) == 0;
	if (c->heading == 2)
		import_say(im, DIAG_WARNING, c->first, "this line names a section but is not a '## ' heading; "
		    "the source makes it '## %s'", title);
	else if (!plain && !import_reported(im, c->first, c->first + 1))
		import_say(im, DIAG_WARNING, c->first, "the source names this section '## %s'", title);
	im->conf[i] = conf;
	keep_section(im, pr, probe_chunk(im, pr, prc, c, conf), *c, plain ? NULL : title);
}

/* --- what the templates write that was not published ------------------- */

/* Whether a string of v shows in t (len bytes). */
static int shows(const value *v, const char *t, size_t len)
{
	if (value_type(v) == VALUE_STRING)
		return value_strlen(v) && memmem(t, len, value_str(v), value_strlen(v)) != NULL;
	for (size_t i = 0; i < value_len(v); i++)
		if (shows(value_type(v) == VALUE_LIST ? value_at(v, i) : value_entry_at(v, i)->val, t, len))
			return 1;
	return 0;
}

static void reprobe(struct import *im, struct doc *pr, struct chunks *prc)
{
	doc_release(pr);
	import_probe(im, pr, NULL);
	import_chunks(pr, NULL, prc);
}

/* Whether the probe, once size bytes, lost text t (len bytes) and little
 * else: the blank line around it. */
static int lost_only(const struct doc *pr, size_t size, const char *t, size_t len)
{
	size_t now = pr->src.len;
	return !memmem(pr->src.text, now, t, len) && now < size && now + len + 2 >= size;
}

/* Drop what writes t (len bytes, a copy) from the settings for this issue:
 * each top-level setting whose text shows in t emptied in turn, or, for a
 * list, each of its entries that shows in t left out, kept when the probe
 * then loses t and nothing more. Returns 1 when one did. */
static int drop_written(struct import *im, struct doc *pr, struct chunks *prc, const char *t,
			size_t len)
{
	for (size_t i = 0; i < value_len(im->settings); i++) {
		const struct value_entry *e = value_entry_at(im->settings, i);
		if (import_is_reserved(e->key) || !shows(e->val, t, len))
			continue;
		size_t size = pr->src.len, n = value_type(e->val) == VALUE_LIST ? value_len(e->val) : 1;
		for (size_t k = 0; k < n; k++) {
			struct import_snapshot before = import_snapshot(im);
			e = value_entry_at(im->settings, i);
			const value *v = e->val;
			if (value_type(v) != VALUE_LIST) {
				value_map_setc(im->settings, e->key, value_null());
			} else if (shows(value_at(v, k), t, len)) {
				value *without = value_list();
				for (size_t j = 0; j < value_len(v); j++)
					if (j != k)
						value_list_push(without, value_copy(value_at(v, j)));
				value_map_setc(im->settings, e->key, without);
			} else {
				import_settle(im, &before, 0);
				continue;
			}
			import_note_override(im, e->key);
			reprobe(im, pr, prc);
			int done = lost_only(pr, size, t, len);
			import_settle(im, &before, !done);
			if (done)
				return 1;
			reprobe(im, pr, prc);
		}
	}
	return 0;
}

/* The published chunk of the section the probe's chunk p is, or NULL. */
static const struct chunk *published_section(const struct import *im, const struct doc *pr,
					     const struct chunk *p)
{
	char *name = import_heading_name(pr, p);
	long conf = newsletter_section(im->n, name, strlen(name));
	const struct chunk *found = NULL;
	free(name);
	for (size_t i = 1; i < im->pc.len && !found; i++) {
		char *h = import_heading_name(&im->pub, &im->pc.at[i]);
		if (newsletter_section(im->n, h, strlen(h)) == conf)
			found = &im->pc.at[i];
		free(h);
	}
	return found;
}

/* Whether a published chunk has the heading line of the probe's chunk p. */
static int heading_published(const struct import *im, const struct doc *pr, const struct chunk *p)
{
	for (size_t i = 1; i < im->pc.len; i++)
		if (import_same_text(&im->pub, im->pc.at[i].first, im->pc.at[i].first + 1, pr, p->first,
				     p->first + 1))
			return 1;
	return 0;
}

/* What the probe writes that the published text lacks goes out of the
 * settings for this issue: the lines after a section's items (t) that its
 * published section does not end with, a chunk (a closing section) whose
 * heading was not published. */
static void unpublished(struct import *im, struct doc *pr, struct chunks *prc)
{
	for (size_t i = 1; i < prc->len; i++) {
		const struct chunk *p = &prc->at[i], *c;
		struct chunk t = import_trimmed(pr, *p);
		if (probe_section(im, pr, p)) {
			size_t n = t.end - p->first - 2, end;
			if (t.end <= p->first + 2 || !(c = published_section(im, pr, p)))
				continue;
			end = import_trimmed(&im->pub, *c).end;
			if (end - c->first > n && import_same_text(&im->pub, end - n, end, pr, t.end - n, t.end))
				continue;
			t.first = p->first + 2;
		} else if (heading_published(im, pr, p)) {
			continue;
		}
		size_t len;
		const char *text = src_lines(&pr->src, t.first, t.end, &len);
		char *copy = xstrndup(text, len);
		if (drop_written(im, pr, prc, copy, len))
			i = 0; /* the probe changed: from its first chunk again */
		free(copy);
	}
}

/* Each published section: written by the templates (maybe with settings
 * of its own), a configured section or a near miss of one (kept), or left
 * out. */
static void sections(struct import *im, const struct doc *pr, const struct chunks *prc)
{
	int *used = xcalloc(prc->len, sizeof(int));
	im->conf = xcalloc(im->pc.len, sizeof(long));
	for (size_t i = 0; i < im->pc.len; i++)
		im->conf[i] = -1;
	for (size_t i = 1; i < im->pc.len; i++) {
		const struct chunk *c = &im->pc.at[i];
		char *name = import_heading_name(&im->pub, c);
		long conf = newsletter_section(im->n, name, strlen(name));
		const struct chunk *p = probe_chunk(im, pr, prc, c, -1), *q;
		if (p && probe_section(im, pr, p))
			p = NULL;  /* a section the published text fills */
		struct chunk tc = import_trimmed(&im->pub, *c), tp = p ? import_trimmed(pr, *p) : tc;
		if (p && !used[p - prc->at] &&
		    (import_same_text(&im->pub, tc.first, tc.end, pr, tp.first, tp.end) ||
		     place_written(im, pr, p, c))) {
			used[p - prc->at] = 1;  /* written by the templates */
		} else if (conf >= 0) {
			keep_as(im, pr, prc, i, conf);
		} else if ((conf = closest_section(im->n, name)) >= 0) {
			import_say(im, DIAG_WARNING, c->first, "section '%s' is not in the settings; "
			    "imported as '%s', the closest configured section", name,
			    im->n->sections[conf].title);
			keep_as(im, pr, prc, i, conf);
		} else if (!p && (q = next_written(im, pr, prc, used)) && place_written(im, pr, q, c)) {
			used[q - prc->at] = 1;  /* the templates write it with another heading */
		} else {
			char *what = p ? xasprintf("'%s' differs from what the templates write", name)
				: xasprintf("section '%s' is not in the settings and no configured section "
					    "is close (add it to the sections of %s)", name,
					    im->n->settings_path);
			import_left_out(im, c->first, what);
			free(what);
		}
		free(name);
	}
	free(used);
}

/* Items numbered "1、" are published with a blank after the comma or
 * without; the settings' item_marker writes one way: when more of the
 * published sections' items are written the other way, the issue's
 * item_marker says so ("、 " for "、"), and the source keeps the marker of
 * each item written otherwise than it (import_source.c). */
static void marker_blank(struct import *im)
{
	const char *m = value_str(value_getc(im->settings, "item_marker"));
	size_t blank = 0, none = 0, n = m ? strlen(m) : 0;
	if (!n || !strstr(m, "\xE3\x80\x81"))
		return;
	for (size_t s = 0; s < im->nkeep; s++)
		for (size_t i = im->keep[s].c.first; i < im->keep[s].c.end; i++) {
			size_t len;
			struct item_line il;
			const char *l = doc_line(&im->pub, i, &len);
			if (item_line_read(l, len, &il) && il.comma && !il.indent)
				*(il.text > il.mark ? &blank : &none) += 1;
		}
	int spaced = m[n - 1] == ' ';
	if ((spaced ? none : blank) <= (spaced ? blank : none))
		return;
	char *to = spaced ? xstrndup(m, n - 1) : xasprintf("%s ", m);
	value_map_setc(im->settings, "item_marker", value_cstring(to));
	import_note_override(im, "item_marker");
	free(to);
}

/* The published text ends with as many line breaks as it has (none, one,
 * or a blank line). */
static void ending(struct import *im)
{
	buf src = BUF_INIT, md = BUF_INIT;
	diag_list d = DIAG_LIST_INIT;
	import_source(im, im->number, &src, NULL, NULL);
	if (import_rebuild(im, src.data, src.len, &md, NULL, &d) == 0)
		import_end_as_published(im, md.data, md.len);
	diag_release(&d);
	buf_release(&src);
	buf_release(&md);
}

int import_place(struct import *im)
{
	struct doc pr;
	struct chunks prc = { 0 };
	diag_list said = DIAG_LIST_INIT;
	im->settings = render_settings(im->n, im->number);
	int rc = import_probe(im, &pr, &said);
	if (rc < 0) {
		diag_move(&im->d, &said); /* why nothing can be made */
		doc_release(&pr);
		return -1;
	}
	diag_release(&said);
	import_chunks(&pr, NULL, &prc);
	intro(im, &pr, &prc.at[0]);
	unpublished(im, &pr, &prc);
	sections(im, &pr, &prc);
	for (size_t k = 0; k < im->n->nsections; k++)
		if (im->n->sections[k].required && !import_kept_section(im, (long)k))
			import_say(im, DIAG_WARNING, im->head.end ? im->head.end - 1 : 0, "the published issue has no section '%s', "
			    "which the settings require; the source goes without it (without: [%s])",
			    im->n->sections[k].title, im->n->sections[k].id);
	marker_blank(im);
	ending(im);
	import_check(im);
	doc_release(&pr);
	free(prc.at);
	return 0;
}

