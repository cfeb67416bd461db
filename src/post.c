/* post.c - channel posts: tidied, measured, checked against their limits. */
#include <stdlib.h>
#include <string.h>
#include "weekly/post.h"
#include "weekly/util.h"

/* Mastodon counts every address as this many characters, however long. */
#define POST_MASTODON_URL 23

enum post_unit { POST_UTF16, POST_GRAPHEMES };

static const struct post_channel {
	const char *name, *title;
	long limit;
	enum post_unit unit;
	int url_length;        /* what an address counts for; 0: its length */
} post_channels[] = {
	{ "telegram", "Telegram", 4096, POST_UTF16, 0 },
	{ "mastodon", "Mastodon", 500, POST_GRAPHEMES, POST_MASTODON_URL },
	{ "bluesky", "Bluesky", 300, POST_GRAPHEMES, 0 },
};

static const struct post_channel *channel_named(const char *name)
{
	for (size_t i = 0; i < sizeof post_channels / sizeof *post_channels; i++)
		if (strcmp(post_channels[i].name, name) == 0)
			return &post_channels[i];
	return NULL;
}

int post_is_channel(const char *name)
{
	return channel_named(name) != NULL;
}

/* --- tidying -------------------------------------------------------------- */

void post_tidy(buf *doc)
{
	buf out = BUF_INIT;
	const char *s = doc->data, *end = s + doc->len;
	size_t blanks = 0;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		const char *t = e;
		while (t > s && (t[-1] == ' ' || t[-1] == '\t' || t[-1] == '\r'))
			t--;
		if (t == s) {
			blanks++;
		} else {
			if (out.len && blanks)
				buf_putc(&out, '\n');
			buf_put(&out, s, (size_t)(t - s));
			buf_putc(&out, '\n');
			blanks = 0;
		}
		s = nl ? nl + 1 : end;
	}
	buf_release(doc);
	*doc = out;
}

/* --- measuring ------------------------------------------------------------ */

static unsigned long decode(const char *s, size_t n, size_t *len)
{
	unsigned long cp;
	*len = util_utf8_decode(s, n, &cp);
	if (!*len) {
		*len = 1;
		return 0xFFFD;
	}
	return cp;
}

/* Code points that join the character before them into one grapheme. */
static int extends(unsigned long cp)
{
	return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
	       (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
	       (cp >= 0xFE20 && cp <= 0xFE2F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
	       (cp >= 0xE0100 && cp <= 0xE01EF) || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
	       (cp >= 0xE0020 && cp <= 0xE007F) || cp == 0x200D ||
	       (cp >= 0x3099 && cp <= 0x309A);
}

static int regional(unsigned long cp)
{
	return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

/* Extended grapheme clusters of s (n bytes of UTF-8): what a reader counts
 * as characters. Combining marks, variation selectors, emoji modifiers,
 * zero-width joiner sequences, tag sequences and flag pairs each stay with
 * the character before them; CRLF is one. */
static size_t graphemes(const char *s, size_t n)
{
	size_t count = 0, len;
	unsigned long prev = 0;
	int ri = 0; /* regional indicators in the current run */
	for (size_t i = 0; i < n; i += len) {
		unsigned long cp = decode(s + i, n - i, &len);
		int joined = i > 0 && (extends(cp) || prev == 0x200D ||
				       (prev == '\r' && cp == '\n') ||
				       (regional(cp) && ri % 2 == 1));
		ri = regional(cp) ? ri + 1 : 0;
		count += !joined;
		prev = cp;
	}
	return count;
}

static size_t utf16_units(const char *s, size_t n)
{
	size_t count = 0, len;
	for (size_t i = 0; i < n; i += len)
		count += decode(s + i, n - i, &len) > 0xFFFF ? 2 : 1;
	return count;
}

/* The length of an address starting at s (n bytes), or 0: http(s)://
 * and what follows up to a space. */
static size_t url_at(const char *s, size_t n)
{
	if (!(n > 8 && strncmp(s, "https://", 8) == 0) && !(n > 7 && strncmp(s, "http://", 7) == 0))
		return 0;
	size_t k = 0;
	while (k < n && s[k] != ' ' && s[k] != '\n' && s[k] != '\t')
		k++;
	return k;
}

static long measure(const struct post_channel *c, const char *s, size_t n)
{
	long total = 0;
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		size_t u = i < n && c->url_length && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\n')
			? url_at(s + i, n - i) : 0;
		if (!u && i < n)
			continue;
		total += (long)(c->unit == POST_UTF16 ? utf16_units(s + start, i - start)
				: graphemes(s + start, i - start));
		if (u) {
			total += c->url_length;
			i += u - 1;
		}
		start = i + 1;
	}
	return total;
}

/* --- checking ------------------------------------------------------------- */

static void check(const char *channel, const struct issue *is, const buf *out, diag_list *d)
{
	const struct post_channel *c = channel_named(channel);
	size_t n = out->len;
	while (n && out->data[n - 1] == '\n') /* the file's last newline is not posted */
		n--;
	long len = measure(c, out->data, n);
	if (len > c->limit)
		diag_add(d, DIAG_WARNING, is->path, 0, 0, "post-length",
			 "the %s post is %ld %s, over %s's limit of %ld%s", c->title, len,
			 c->unit == POST_UTF16 ? "characters" : "graphemes", c->title, c->limit,
			 c->url_length ? " (every address counts as 23)" : "");
}

void post_check_telegram(const struct issue *is, const buf *out, diag_list *d)
{
	check("telegram", is, out, d);
}

void post_check_mastodon(const struct issue *is, const buf *out, diag_list *d)
{
	check("mastodon", is, out, d);
}

void post_check_bluesky(const struct issue *is, const buf *out, diag_list *d)
{
	check("bluesky", is, out, d);
}
