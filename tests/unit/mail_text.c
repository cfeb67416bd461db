/* mail_text.c - the measures and encodings of mail and posts: graphemes and
 * each platform's post length (CJK, emoji sequences, flags, combining
 * marks, addresses), plain text wrapped at 72 columns (Chinese, links'
 * numbers, long addresses), post tidying, quoted-printable and RFC 2047
 * headers. */
#include <stdlib.h>
#include "expect.h"
#include "weekly/mail.h"
#include "weekly/markdown.h"
#include "weekly/post.h"
#include "weekly/util.h"
#include "weekly/yaml.h"

/* The length of text as post_check of the channel (its limit limit)
 * measures it: after limit - 1 letters and a space (the limit), it is over,
 * and the warning says by how much; -1 without a warning. */
static long post_length(void (*check)(const struct issue *, const buf *, diag_list *),
			long limit, const char *text)
{
	struct issue is = { .path = "issues/015.md" };
	buf post = BUF_INIT;
	for (long i = 1; i < limit; i++)
		buf_putc(&post, 'x');
	buf_printf(&post, " %s\n", text);
	diag_list d = DIAG_LIST_INIT;
	check(&is, &post, &d);
	long n = -1;
	if (d.len != 1 || sscanf(d.items[0].message, "the %*s post is %ld", &n) != 1)
		n = -1;
	diag_release(&d);
	buf_release(&post);
	return n < 0 ? -1 : n - limit;
}

static void lengths(void)
{
	static const struct {
		const char *text;
		long graphemes, telegram, mastodon;
	} cases[] = {
		{ "abc", 3, 3, 3 },
		{ "中文周刊", 4, 4, 4 },
		{ "e\xCC\x81t\xC3\xA9", 3, 4, 3 },                 /* e + combining acute, t, é */
		{ "👍🏽", 1, 4, 1 },                               /* emoji and skin tone */
		{ "👨‍👩‍👧", 1, 8, 1 },                              /* a family: joiners */
		{ "🇨🇳🇺🇸", 2, 8, 2 },                              /* two flags */
		{ "❤️", 1, 2, 1 },                                 /* variation selector */
		{ "a\r\nb", 3, 4, 3 },                           /* CRLF is one */
		{ "see https://example.org/a/very/long/path/that/goes/on", 53, 53, 27 },
		{ "https://a.example 和 http://b.example/x", 38, 38, 49 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *t = cases[i].text;
		char name[160], shown[80];
		snprintf(shown, sizeof shown, "%s", t);
		for (char *c = shown; *c; c++)
			if (*c == '\r' || *c == '\n')
				*c = ' ';
		/* Bluesky counts graphemes, addresses in full. */
		snprintf(name, sizeof name, "bluesky length of '%s'", shown);
		expect_long(name, cases[i].graphemes, post_length(post_check_bluesky, 300, t));
		snprintf(name, sizeof name, "telegram length of '%s'", shown);
		expect_long(name, cases[i].telegram, post_length(post_check_telegram, 4096, t));
		snprintf(name, sizeof name, "mastodon length of '%s'", shown);
		expect_long(name, cases[i].mastodon, post_length(post_check_mastodon, 500, t));
	}
	expect_long("a post at its limit: no warning", -1, post_length(post_check_bluesky, 300, ""));
}

static void tidy(const char *name, const char *in, const char *want)
{
	buf b = BUF_INIT;
	buf_puts(&b, in);
	post_tidy(&b);
	expect(name, want, b.data);
	buf_release(&b);
}

static void wrap(const char *name, const char *md, const char *want)
{
	buf b = BUF_INIT;
	buf_puts(&b, md);
	markdown_plain(&b);
	expect(name, want, b.data);
	buf_release(&b);
}

/* The email message of issue 15 with subject and text as its text part
 * (mail_issue), into m. */
static void message(buf *m, const char *subject, const char *text)
{
	static const char settings[] = "newsletter:\n  email:\n    from: W <w@example.org>\n"
				       "issue:\n  number: 15\n  date: 2023-08-12\n";
	diag_list d = DIAG_LIST_INIT;
	value *ctx = yaml_load(settings, sizeof settings - 1, "ctx.yaml", 1, &d);
	buf parts[2] = { BUF_INIT, BUF_INIT }, doc = BUF_INIT;
	buf_puts(&doc, subject);
	buf_puts(&parts[0], text);
	buf_puts(&parts[1], "<p>x</p>");
	buf_reset(m);
	if (mail_issue(ctx, &doc, parts, m, &d) < 0)
		buf_puts(m, "(no message)");
	buf_release(&doc);
	buf_release(&parts[0]);
	buf_release(&parts[1]);
	value_free(ctx);
	diag_release(&d);
}

/* The part of m from the first from on, up to the next until. */
static char *between(const buf *m, const char *from, const char *until)
{
	const char *a = strstr(m->data, from), *b = a ? strstr(a + strlen(from), until) : NULL;
	return b ? xstrndup(a, (size_t)(b - a)) : xstrdup("(not found)");
}

/* The text part of the message, as quoted-printable. */
static void qp(const char *name, const char *in, const char *want)
{
	buf m = BUF_INIT;
	message(&m, "s", in);
	char *got = between(&m, "quoted-printable\r\n\r\n", "\r\n--=_weekly");
	expect(name, want, got + strlen("quoted-printable\r\n\r\n"));
	free(got);
	buf_release(&m);
}

/* The message's Subject header, up to the header after it. */
static void header(const char *name, const char *value, const char *want)
{
	buf m = BUF_INIT;
	message(&m, value, "t");
	char *got = between(&m, "Subject: ", "Message-ID: ");
	expect(name, want, got);
	free(got);
	buf_release(&m);
}

int main(void)
{
	lengths();
	tidy("tidy: trailing spaces, blank runs, ends", "\n\n a  \n\n\n\nb\t\n \n", " a\n\nb\n");
	tidy("tidy: nothing", " \n\n", "");
	wrap("wrap: at 72 columns, a link's number kept with its word",
	     "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod "
	     "tempor [incididunt](https://a.example) ut labore et dolore magna aliqua.",
	     "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod\n"
	     "tempor incididunt [1] ut labore et dolore magna aliqua.\n\n[1] https://a.example\n");
	wrap("wrap: Chinese breaks between characters, not before punctuation",
	     "这是一个很长的中文段落，没有空格，用来测试换行是否在汉字之间进行，并且不会在标点符号之前换行。",
	     "这是一个很长的中文段落，没有空格，用来测试换行是否在汉字之间进行，并且不\n"
	     "会在标点符号之前换行。\n");
	wrap("wrap: an address longer than a line stays whole",
	     "see https://example.org/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa now",
	     "see\nhttps://example.org/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\nnow\n");
	wrap("wrap: list items and quotes wrap inside their marks",
	     "1. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor\n\n"
	     "> Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor\n",
	     "1. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do\n"
	     "   eiusmod tempor\n\n"
	     "> Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do\n"
	     "> eiusmod tempor\n");
	wrap("wrap: a long heading, underlined as wide as its widest line",
	     "# Python Trending Weekly #900: Every kind of content, and a title that goes on\n",
	     "Python Trending Weekly #900: Every kind of content, and a title that\n"
	     "goes on\n"
	     "====================================================================\n");
	qp("qp: =, trailing space, leading dot and From, UTF-8",
	   "a=b \n.x\nFrom me\né\n", "a=3Db=20\r\n=2Ex\r\n=46rom me\r\n=C3=A9\r\n");
	qp("qp: a long line gets soft breaks at 76",
	   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=\r\n"
	   "aaaaaaa");
	header("header: ASCII as it is", "Python Weekly #15", "Subject: Python Weekly #15\r\n");
	header("header: Chinese as encoded words", "周刊 #15",
	       "Subject: =?UTF-8?B?5ZGo5YiKICMxNQ==?=\r\n");
	header("header: text that looks encoded is encoded", "=?x?= hi",
	       "Subject: =?UTF-8?B?PT94Pz0gaGk=?=\r\n");
	header("header: line breaks become spaces", "a\r\nBcc: x@y", "Subject: a Bcc: x@y\r\n");
	header("header: long ASCII folded at spaces",
	       "Python Trending Weekly #15: How to Profile the Performance of Asynchronous Requests",
	       "Subject: Python Trending Weekly #15: How to Profile the Performance of\r\n"
	       " Asynchronous Requests\r\n");
	header("header: a word too long to fold is encoded",
	       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	       "Subject: =?UTF-8?B?YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFh?=\r\n"
	       " =?UTF-8?B?YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYQ==?=\r\n");
	expect("address: a name with a comma is fine", "(null)",
	       mail_address_problem("\"Doe, Jane\" <jane@example.org>"));
	expect("address: no @", "is not an address like name@example.org",
	       mail_address_problem("jane"));
	expect("address: no angle brackets inside", "has a name with a quote, backslash or angle bracket",
	       mail_address_problem("Jane <ja<ne@example.org>"));
	return expect_summary();
}
