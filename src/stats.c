/* stats.c - items, words, links and images of an issue, per section and in total. */
#include <string.h>
#include "weekly/markdown.h"
#include "weekly/stats.h"
#include "weekly/util.h"

enum cls { SPACE, IDEOGRAPH, LETTER, MARK };

static int in(unsigned long cp, unsigned long lo, unsigned long hi)
{
	return cp >= lo && cp <= hi;
}

static enum cls classify(unsigned long cp)
{
	if (in(cp, 0x4E00, 0x9FFF)) /* the common case in Chinese text, first */
		return IDEOGRAPH;
	if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
	    cp == '\v' || cp == 0xA0 || in(cp, 0x2000, 0x200B) || cp == 0x3000)
		return SPACE;
	if (in(cp, 0x3040, 0x30FF) || in(cp, 0x3400, 0x4DBF) || in(cp, 0x4E00, 0x9FFF) ||
	    in(cp, 0xF900, 0xFAFF) || in(cp, 0x20000, 0x3FFFF))
		return IDEOGRAPH;
	if (cp < 0x80)
		return (in(cp, '0', '9') || in(cp, 'a', 'z') || in(cp, 'A', 'Z')) ? LETTER : MARK;
	if (in(cp, 0xA1, 0xBF) || cp == 0xD7 || cp == 0xF7 || in(cp, 0x2010, 0x2BFF) ||
	    in(cp, 0x3001, 0x303F) || in(cp, 0xFE00, 0xFE0F) || in(cp, 0xFF01, 0xFF0F) ||
	    in(cp, 0xFF1A, 0xFF20) || in(cp, 0x1F000, 0x1FAFF))
		return MARK;
	return LETTER;
}

/* Classes of ASCII, without decoding. */
static const unsigned char *ascii_classes(void)
{
	static unsigned char table[128];
	static int ready;
	if (!ready) {
		for (unsigned i = 0; i < 128; i++)
			table[i] = (unsigned char)classify(i);
		ready = 1;
	}
	return table;
}

/* Where a word is: between words, in a word counted at its first letter,
 * or in one of marks alone, which is counted if a letter comes. */
enum state { OUT, COUNTED, MARKS };

/* add[state][class]: words to count; next[state][class]: the state after */
static const unsigned char add[3][4] = {
	[OUT] = { [IDEOGRAPH] = 1, [LETTER] = 1 },
	[COUNTED] = { [IDEOGRAPH] = 1 },
	[MARKS] = { [IDEOGRAPH] = 1, [LETTER] = 1 },
};
static const unsigned char next[3][4] = {
	[OUT] = { [SPACE] = OUT, [IDEOGRAPH] = OUT, [LETTER] = COUNTED, [MARK] = MARKS },
	[COUNTED] = { [SPACE] = OUT, [IDEOGRAPH] = OUT, [LETTER] = COUNTED, [MARK] = COUNTED },
	[MARKS] = { [SPACE] = OUT, [IDEOGRAPH] = OUT, [LETTER] = COUNTED, [MARK] = MARKS },
};

static enum cls class_at(const char *text, size_t len, size_t *i)
{
	unsigned char b = (unsigned char)text[*i];
	if (b >= 0xE1 && b <= 0xEC && len - *i >= 3 && (text[*i + 1] & 0xC0) == 0x80 &&
	    (text[*i + 2] & 0xC0) == 0x80) {
		/* three bytes for U+1000 to U+CFFF, always valid: decoded here */
		unsigned long cp = (b & 0x0Fu) << 12 | (text[*i + 1] & 0x3Fu) << 6 |
			(text[*i + 2] & 0x3Fu);
		*i += 3;
		return classify(cp);
	}
	unsigned long cp;
	size_t n = util_utf8_decode(text + *i, len - *i, &cp);
	*i += n ? n : 1;
	return n ? classify(cp) : LETTER;
}

/* Words in UTF-8 text: runs of letters and digits between spaces, and each
 * Chinese, Japanese kana or similar character on its own. Runs of only
 * punctuation or symbols (-, —, 🎁) are not words. */
static long words_of(const char *text, size_t len)
{
	const unsigned char *ascii = ascii_classes();
	long words = 0;
	unsigned st = OUT;
	for (size_t i = 0; i < len;) {
		unsigned char b = (unsigned char)text[i];
		enum cls c = b < 0x80 ? (enum cls)ascii[b] : class_at(text, len, &i);
		i += b < 0x80;
		words += add[st][c];
		st = next[st][c];
	}
	return words;
}

static long description_words(const struct item *it)
{
	const char *t = it->description_text;
	return t ? words_of(t, strlen(t)) : 0;
}

/* Links and images of is whose section is sec (-1: the lead). */
static void count_links(const struct issue *is, long sec, struct stats *out)
{
	for (size_t i = 0; i < is->nlinks; i++) {
		if (is->links[i].section != sec)
			continue;
		if (is->links[i].image)
			out->images++;
		else
			out->links++;
	}
}

void stats_section(const struct issue *is, size_t i, struct stats *out)
{
	const struct section *s = &is->sections[i];
	memset(out, 0, sizeof(*out));
	out->items = (long)s->nitems;
	for (size_t j = 0; j < s->nitems; j++)
		out->words += description_words(&s->items[j]);
	count_links(is, (long)i, out);
}

void stats_add(struct stats *sum, const struct stats *s)
{
	sum->items += s->items;
	sum->words += s->words;
	sum->links += s->links;
	sum->images += s->images;
}

void stats_conf(const struct issue *is, long conf, struct stats *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < is->nsections; i++) {
		if (is->sections[i].conf != conf)
			continue;
		struct stats one;
		stats_section(is, i, &one);
		stats_add(out, &one);
	}
}

void stats_lead(const struct issue *is, struct stats *out)
{
	memset(out, 0, sizeof(*out));
	count_links(is, -1, out);
}

void stats_issue(const struct issue *is, struct stats *out)
{
	stats_lead(is, out);
	for (size_t i = 0; i < is->nsections; i++) {
		struct stats one;
		stats_section(is, i, &one);
		stats_add(out, &one);
	}
}

value *stats_value(struct arena *a, const struct stats *s)
{
	value *m = value_map_in(a);
	value_map_lit(m, "items", value_number_in(a, (double)s->items));
	value_map_lit(m, "words", value_number_in(a, (double)s->words));
	value_map_lit(m, "links", value_number_in(a, (double)s->links));
	value_map_lit(m, "images", value_number_in(a, (double)s->images));
	return m;
}
