/* rules.c - the table of every rule diagnostics name, for `weekly help rules`. */
#include <string.h>
#include "weekly/rules.h"

const struct rule rules[] = {
	{ "alt", "warning", "an image without alt text",
	  "Screen readers, and mail clients that block images, show the alt text\n"
	  "in its place. Say what the image shows.",
	  "![](https://img.example/chart.png)",
	  "![Downloads per month since 2020](https://img.example/chart.png)" },
	{ "archived", "warning", "a link to an archived GitHub repository (check --links)",
	  "The project no longer changes: say so, or link what replaced it.",
	  "1. [old-thing](https://github.com/someone/old-thing)",
	  "1. [new-thing, which replaced old-thing](https://github.com/someone/new-thing)" },
	{ "canonical", "warning", "a link whose page names another canonical URL (check --links)",
	  "The page says where it really lives; link that address.",
	  "[Profiling FastAPI](https://blog.example/page/blog?id=7)",
	  "[Profiling FastAPI](https://blog.example/posts/profiling-fastapi)" },
	{ "count", "error", "a section with fewer items than min_items or more than max_items",
	  "newsletter.yaml can ask for a number of items in a section (min_items,\n"
	  "max_items). Add or move items; a draft is only warned.",
	  "sections:\n  - id: discussion\n    min_items: 2\n\n## Discussion\n\n1. [Only one](https://a.example/)",
	  "## Discussion\n\n1. [One](https://a.example/)\n2. [Two](https://b.example/)" },
	{ "date-order", "warning", "an issue dated before the issue numbered before it",
	  "Dates go forward with the numbers: one of the two is wrong. Checked\n"
	  "over the whole archive (check with no issue named, build --all).",
	  "issues/007.md   date: 2023-06-24\nissues/008.md   date: 2023-06-17",
	  "issues/007.md   date: 2023-06-24\nissues/008.md   date: 2023-07-01" },
	{ "description", "warning", "an item without a description",
	  "An item is a link and what the editor says about it: the text under\n"
	  "its line, up to the next item or heading, or a note after the link on\n"
	  "its line that says what it is (tags alone, such as (English), do not).",
	  "1. [A fast JSON parser](https://json.example/)\n2. [Next](https://next.example/)",
	  "1. [A fast JSON parser](https://json.example/)\n\n   Parses 2 GB/s using SIMD.\n\n"
	  "2. [Next](https://next.example/)" },
	{ "duplicate-section", "error", "a section heading written twice",
	  "Each configured section appears once; put its items under one heading.",
	  "## Articles\n\n1. [A](https://a.example/)\n\n## Articles\n\n1. [B](https://b.example/)",
	  "## Articles\n\n1. [A](https://a.example/)\n2. [B](https://b.example/)" },
	{ "duplicate-url", "error", "the same item URL twice in one issue",
	  "URLs are compared as `weekly where` compares them: scheme and host in\n"
	  "any case, a trailing slash, utm_* parameters and the fragment ignored.",
	  "1. [Fast](https://a.example/post)\n2. [Fast, again](https://A.example/post/)",
	  "1. [Fast](https://a.example/post)\n2. [Something else](https://b.example/)" },
	{ "email", "error", "an issue's message that cannot be made: its sender",
	  "The message (build -f eml, weekly send) needs email.from in\n"
	  "newsletter.yaml, an address with a name.",
	  "email:\n  from: editor",
	  "email:\n  from: \"Python Trending Weekly <editor@example.org>\"" },
	{ "email-alt", "warning", "an image of the email without alt text (check --email)",
	  "Mail clients block images until asked: the alt text is what is read.",
	  "<img src=\"https://img.example/logo.png\">",
	  "<img src=\"https://img.example/logo.png\" alt=\"Python Trending Weekly\">" },
	{ "email-http", "warning", "an image or link of the email over plain http (check --email)",
	  "Mail clients block http images and flag http links; use https.",
	  "[the old page](http://old.example/page)",
	  "[the old page](https://old.example/page)" },
	{ "email-image", "warning", "an image of the email without a width (check --email)",
	  "Outlook shows such an image at its full size, wider than the message.",
	  "<img src=\"https://img.example/chart.png\" alt=\"Chart\">",
	  "<img src=\"https://img.example/chart.png\" alt=\"Chart\" width=\"600\">" },
	{ "email-size", "warning", "an email over 90 KB",
	  "Gmail clips a message above about 102 KB and hides the rest behind a\n"
	  "link: move some descriptions to the web page, or split the issue.",
	  "an issue whose email.html is 140 KB",
	  "the same issue with shorter descriptions: 80 KB" },
	{ "email-text", "warning", "an email without a plain-text part (check --email)",
	  "Mail clients that show no HTML show the text part; it comes from\n"
	  "templates/issue.txt.mustache.",
	  "templates/issue.txt.mustache missing, or writing nothing",
	  "templates/issue.txt.mustache rendering the issue as text" },
	{ "empty-section", "error", "a section heading without items",
	  "A heading with nothing under it would print an empty section. Add\n"
	  "items, or delete the heading; in a draft it is only a warning.",
	  "## Podcasts\n\n## Projects",
	  "## Podcasts\n\n1. [Episode 12](https://pod.example/12)\n\n## Projects" },
	{ "edition", "warning", "an issue out of step with the same issue in another edition (check --editions)",
	  "newsletter.yaml names the newsletter's other editions (editions: {zh:\n"
	  "../folder}); a translation has the same items, in the same sections and\n"
	  "order, and every issue is in every edition. Each item one edition has\n"
	  "and the other not is named at its line, as is one moved.",
	  "issues/015.md      1. [A](https://a.example/)  2. [B](https://b.example/)\n"
	  "../zh/issues/015.md  1. [A](https://a.example/)",
	  "issues/015.md      1. [A](https://a.example/)  2. [B](https://b.example/)\n"
	  "../zh/issues/015.md  1. [A](https://a.example/)  2. [乙](https://b.example/)" },
	{ "featured", "warning", "an item an earlier issue already featured",
	  "The warning names the issue and line. URLs that may repeat (a sponsor,\n"
	  "a trending page) go under check.allow_repeats in newsletter.yaml.",
	  "1. [uv](https://github.com/astral-sh/uv)   # also in issue 2",
	  "check:\n  allow_repeats:\n    - https://github.com/astral-sh/uv" },
	{ "file", "error", "an issue file that cannot be used as it is",
	  "A file over the 16 MiB limit, or two files for one issue number\n"
	  "(015.md and 15-slug.md): keep one file per issue.",
	  "issues/015.md\nissues/15-profilers.md",
	  "issues/015.md" },
	{ "file-name", "error", "a file in issues/ named by a date, which is not read",
	  "Issue files are named by the issue's number, with words after it if\n"
	  "you like; the error says which name the file should have.",
	  "issues/2024-03-09-weekly.md",
	  "issues/040.md   (or issues/040-some-words.md)" },
	{ "front-matter", "error", "front matter missing, unclosed, or a key of the wrong shape",
	  "An issue starts with a '---' line, YAML, and a '---' line. number is the\n"
	  "file name's number; date a real YYYY-MM-DD; draft true or false.",
	  "---\nnumber: 15\ndate: 2023-02-30\n---",
	  "---\nnumber: 15\ndate: 2023-03-02\n---" },
	{ "import", "error or warning", "part of a published issue import could not place",
	  "`weekly import` names each part it left out or could not read; the\n"
	  "imported source builds back to the published text without them.",
	  "# Not a title\n\n## Articles",
	  "# Python Trending Weekly #15 (2023-08-12)\n\n## Articles" },
	{ "item-link", "error", "an item that does not start with a link",
	  "An item is [title](url) at the start of a list item; text after the\n"
	  "link on its line is its note.",
	  "1. A great article https://a.example/post",
	  "1. [A great article](https://a.example/post)" },
	{ "limit", "error", "a source past a stated limit (weekly(1), LIMITS)",
	  "Some shapes cost a Markdown parser time or memory far beyond their size:\n"
	  "brackets or quotes nested very deep, thousands of emphasis marks in one\n"
	  "paragraph, text indented past column 128. weekly refuses them at the\n"
	  "first place over the limit instead of hanging.",
	  "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[title](https://example.com/)",
	  "[title](https://example.com/)" },
	{ "link", "error or warning", "a link the web says is broken (check --links)",
	  "404, 410, a name that does not resolve or a redirect loop is an error;\n"
	  "429, 503, timeouts are warnings; so is a permanent redirect: link the\n"
	  "new address.",
	  "[docs](http://old.example/docs)   # 301 to https://new.example/docs",
	  "[docs](https://new.example/docs)" },
	{ "link-cache", "warning", "a link cache file of an earlier version that cannot be read",
	  "build/linkcache.tsv (or link_cache) and build/linkmeta.tsv, where\n"
	  "earlier versions kept what links said, are read into the archive index\n"
	  "once; a damaged one (a merge conflict) is ignored.",
	  "<<<<<<< HEAD\nhttps://a.example/\tok\t...",
	  "https://a.example/\tok\t2026-01-01T00:00:00Z\t200 OK\t" },
	{ "link-rot", "warning", "a link broken since an earlier check, with the date (check --links)",
	  "The link cache remembers when a link first failed; replace it, or link\nan archived copy (--wayback finds one).",
	  "[docs](https://gone.example/docs)   # 404 since 2026-01-01",
	  "[docs](https://web.archive.org/web/2025/https://gone.example/docs)" },
	{ "link-text", "warning", "a link whose text says nothing of where it leads",
	  "\"here\", \"read more\", \"链接\": a reader skimming a page's links, a\n"
	  "screen reader listing them and a search engine all see only the text.\n"
	  "Link the words that name what the reader finds there.",
	  "The PEP is [here](https://peps.python.org/pep-0703/).",
	  "[PEP 703](https://peps.python.org/pep-0703/) makes the GIL optional." },
	{ "login-wall", "warning", "a link that leads to a sign-in page (check --links)",
	  "Readers without an account see only the sign-in form.",
	  "[Members' talk](https://site.example/members/talk)",
	  "[The talk, public](https://site.example/talks/public)" },
	{ "meta", "warning", "a link whose page could not be read for its title (check --links)",
	  "Content checks (title, canonical URL, paywall) need the page itself.",
	  "[Slow page](https://slow.example/)   # no answer",
	  "[Same page, elsewhere](https://mirror.example/)" },
	{ "mojibake", "warning", "double-encoded text",
	  "UTF-8 read as another encoding and saved again: the warning says what\n"
	  "the text was meant to be.",
	  "title: Caf√© time",
	  "title: Café time" },
	{ "nul", "error", "a NUL byte in the text",
	  "Text files hold no NUL bytes; one usually means a binary file or a\n"
	  "broken copy.",
	  "A NUL \\0 here",
	  "A NUL here" },
	{ "order", "warning", "sections out of the configured order",
	  "Outputs list sections in the order of newsletter.yaml whatever the\n"
	  "source says; write them in that order so the source reads the same,\n"
	  "or say 'sections_as_written: true' in the front matter of an issue\n"
	  "published in its own order.",
	  "## Projects\n...\n## Articles",
	  "## Articles\n...\n## Projects" },
	{ "parked", "warning", "a link to a parked domain (check --links)",
	  "The page offers the domain for sale: the site is gone.",
	  "[Tool](https://tool-that-was.example/)   # 'buy this domain'",
	  "[Tool](https://github.com/someone/tool)" },
	{ "paywall", "warning", "a link behind a paywall (check --links)",
	  "Say so in the description, or link a free version.",
	  "[Deep dive](https://news.example/deep-dive)",
	  "[Deep dive](https://news.example/deep-dive) (paywalled)" },
	{ "post-length", "warning", "a social post over its site's length limit",
	  "Each post format says how its site counts (characters or graphemes,\n"
	  "addresses as 23); shorten the teaser or the post template.",
	  "a 320-character post for a site that takes 300",
	  "the same post in 280 characters" },
	{ "raw-html", "error", "a front matter or settings key ending in _html",
	  "Text from issues and settings is Markdown or plain text, never raw\n"
	  "HTML: weekly makes every _html value from the _md one, in safe mode.",
	  "intro_html: \"<b>Hello</b>\"",
	  "intro_md: \"**Hello**\"" },
	{ "required-section", "error", "a required section missing",
	  "Sections with required: true must appear in every issue that is not a\n"
	  "draft.",
	  "## Projects\n\n- [A](https://a.example/)",
	  "## Articles\n\n1. [B](https://b.example/)\n\n## Projects\n\n- [A](https://a.example/)" },
	{ "section", "error", "a heading that names no configured section",
	  "A '##' heading names a section by its title (with or without its\n"
	  "emoji), id or an alias, in any case.",
	  "## Recipes",
	  "## Articles" },
	{ "setting", "error", "a setting check --links reads with a value of the wrong kind",
	  "link_per_host and the other link settings take whole numbers.",
	  "link_per_host: lots",
	  "link_per_host: 4" },
	{ "settings", "error", "newsletter.yaml cannot be used as it is",
	  "Settings need a sections list, each section an id and a title, ids\n"
	  "unique; check.allow_repeats and check.issue_keys are lists.",
	  "sections:\n  - id: articles\n  - id: articles",
	  "sections:\n  - id: articles\n    title: Articles\n  - id: projects\n    title: Projects" },
	{ "soft-404", "warning", "a link that answers but looks gone (check --links)",
	  "Its title says 'Not Found', or it sends readers to the site's root.",
	  "[Post](https://blog.example/2019/post)   # title: Page Not Found",
	  "[Post](https://blog.example/posts/post)" },
	{ "template", "error or warning", "a template that does not compile, or a name it cannot find",
	  "`check` compiles every template and partial. A name that resolves to\n"
	  "nothing in a real issue's context renders empty: it is a warning.",
	  "<h1>{{isue.title}}</h1>",
	  "<h1>{{issue.title}}</h1>" },
	{ "title", "error", "an item with an empty title, or a title of the wrong shape",
	  "The link text is the item's title in every output.",
	  "1. [](https://a.example/)",
	  "1. [A fast parser](https://a.example/)" },
	{ "title-changed", "warning", "a linked page whose title changed since it was added (check --links)",
	  "The page may now be another article than the one described.",
	  "[The original article](https://blog.example/a)   # now 'Something else'",
	  "[The original article](https://web.archive.org/web/2025/https://blog.example/a)" },
	{ "topic", "error", "a tag that names no topic of the settings",
	  "An item's note ('tags: video') and an issue's front matter ('tags:\n"
	  "[web]') name topics by the id or title the setting topics gives them.",
	  "1. [A talk](https://a.example/) tags: vidoe",
	  "1. [A talk](https://a.example/) tags: video" },
	{ "tracking", "warning", "utm_* parameters in a URL",
	  "Tracking parameters follow readers; the newsletter's own, if any, are\n"
	  "added by whoever sends it.",
	  "[A](https://a.example/post?utm_source=weekly&id=3)",
	  "[A](https://a.example/post?id=3)" },
	{ "unknown-key", "warning", "a front matter key nothing reads",
	  "Keys of newsletter.yaml may be overridden per issue; others must be\n"
	  "listed in check.issue_keys, or they are probably misspelt.",
	  "---\nnumber: 15\ntitel: Profilers\n---",
	  "---\nnumber: 15\ntitle: Profilers\n---" },
	{ "url", "error", "a URL that is empty, has no host, or is not http or https",
	  "javascript:, data:, file: and other schemes are refused everywhere;\n"
	  "mailto: is fine in descriptions.",
	  "1. [Run me](javascript:alert(1))",
	  "1. [Read me](https://a.example/)" },
	{ "utf8", "error", "bytes that are not UTF-8",
	  "Sources are UTF-8. Save the file as UTF-8 in the editor.",
	  "Caf\\xe9 au lait   # Latin-1",
	  "Café au lait" },
	{ "wayback", "note", "an archived copy of a broken link (check --links --wayback)",
	  "The Wayback Machine holds a copy: link it instead of the dead page.",
	  "[docs](https://gone.example/docs)",
	  "[docs](https://web.archive.org/web/2025/https://gone.example/docs)" },
	{ "xml-char", "error", "a character XML 1.0 forbids",
	  "Control characters (but tab and line breaks) and U+FFFE, U+FFFF would\n"
	  "make the feed invalid XML, and a feed reader drop all of it; so would\n"
	  "a Markdown character reference to one, such as &#27;.",
	  "title: \"Caf\\u001b[31m\u00e9\"",
	  "title: Caf\u00e9" },
	{ "yaml", "error", "front matter or settings that are not valid YAML",
	  "The message says what libyaml found, at its line; quote values that\n"
	  "hold ': ' or start with a special character.",
	  "title: Profilers: a tour",
	  "title: \"Profilers: a tour\"" },
};

const size_t nrules = sizeof rules / sizeof rules[0];

const struct rule *rule_find(const char *name)
{
	for (size_t i = 0; i < nrules; i++)
		if (strcmp(rules[i].name, name) == 0)
			return &rules[i];
	return NULL;
}
