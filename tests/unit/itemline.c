/* itemline.c - which lines start like items, and what each slip is called. */
#include <stdlib.h>
#include <string.h>
#include "expect.h"
#include "weekly/itemline.h"

/* "number mark text" of a line that starts like an item, or "no". */
static void reads(const char *name, const char *line, const char *want)
{
	struct item_line il;
	char got[64] = "no";
	if (item_line_read(line, strlen(line), &il))
		snprintf(got, sizeof got, "%ld %zu %zu", il.number, il.mark, il.text);
	expect(name, want, got);
}

static void problem(const char *name, const char *line, enum item_link where, int runs_on,
		    const char *want)
{
	struct item_line il;
	item_line_read(line, strlen(line), &il);
	char *msg = item_line_problem(line, strlen(line), &il, where, runs_on, 0);
	expect(name, want, msg);
	free(msg);
}

int main(void)
{
	reads("numbered", "2. [t](u)", "2 2 3");
	reads("parenthesis", "11) [t](u)", "11 3 4");
	reads("no space", "1.[t](u)", "1 2 2");
	reads("indented three", "   3. x", "3 5 6");
	reads("indented four is code", "    3. x", "no");
	reads("enumeration comma", "1、[t](u)", "1 4 4");
	reads("full-width stop", "1．[t](u)", "1 4 4");
	reads("full-width space after", "1.\u3000[t](u)", "1 2 5");
	reads("a number alone", "2.", "2 2 2");
	reads("bullet", "- x", "-1 1 2");
	reads("bullet without space before a link", "*[t](u)", "-1 1 1");
	reads("a decimal is not", "3.14 is pi", "no");
	reads("a version is not", "1.2.3 released", "no");
	reads("emphasis is not", "*Note*: x", "no");
	reads("strong is not", "**Bold**", "no");
	reads("a rule is not", "---", "no");
	reads("plus one is not", "+1 from me", "no");
	reads("ten digits is not", "1234567890. x", "no");
	reads("text is not", "Text. 2. x", "no");
	reads("a number in bold", "**2. [t](u)**", "2 4 5");
	reads("a number and a link, no sign", "4 [t](u)", "4 1 2");
	reads("a number and words is not", "4 people", "no");
	reads("a year in bold is not", "**2024** was a year", "no");
	reads("bold alone is not", "**- [t](u)**", "no");
	problem("no link", "2. An article", LINK_NONE, 0,
		"'2. An article' looks like item 2 but has no link; write 2. [title](url), or say 'titles_only: true' in the front matter of an issue that lists titles only");
	problem("link later", "7. Daft: [l](u)", LINK_LATER, 0,
		"'7. Daft: [l](u)' looks like item 7 but does not start with its link; "
		"write 7. [title](url) and the rest after the link");
	problem("unclosed bracket", "1. [t(u)", LINK_NONE, 0,
		"'1. [t(u)' looks like item 1 but its '[' is not closed; write 1. [title](url)");
	problem("unclosed parenthesis", "1. [t](u", LINK_NONE, 0,
		"'1. [t](u' looks like item 1 but its '(' is not closed; write 1. [title](url)");
	problem("escaped bracket", "1. [t\\](u)", LINK_NONE, 0,
		"'1. [t\\](u)' looks like item 1 but its '[' is not closed; write 1. [title](url)");
	problem("nested brackets", "1. [a [b] c] (u)", LINK_NONE, 0,
		"'1. [a [b] c] (u)' looks like item 1 but no space may come between ']' and '('; "
		"write 1. [title](url)");
	problem("no url", "1. [t] and more", LINK_NONE, 0,
		"'1. [t] and more' looks like item 1 but the [title] is not followed by (url); "
		"write 1. [title](url)");
	problem("runs on", "3) [t](u)", LINK_FIRST, 1,
		"'3) [t](u)' looks like item 3 but runs on from the line above; "
		"leave a blank line before it");
	problem("bullet, no link", "+ x", LINK_NONE, 0,
		"'+ x' looks like an item but has no link; write + [title](url), "
		"or indent the line to keep it in a description");
	problem("comma, no blank wanted", "5、x", LINK_NONE, 0,
		"'5、x' looks like item 5 but has no link; write 5、[title](url), or say 'titles_only: true' in the front matter of an issue that lists titles only");
	problem("wrapped in bold", "**2. [t](u)**", LINK_FIRST, 0,
		"'**2. [t](u)**' looks like item 2 but is wrapped in '**'; "
		"write 2. [title](url) without it");
	problem("no sign", "4 [t](u)", LINK_FIRST, 0,
		"'4 [t](u)' looks like item 4 but has no '.' after its number; write 4. [title](url)");
	return expect_summary();
}
