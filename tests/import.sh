#!/bin/bash
# import.sh - `weekly import`: issues as published back into sources, in
# every shape the archive has (title lines, front matter, dates from file
# names, link headings, 1、 items), what it refuses and why, exit statuses,
# runs over folders, and every published issue in ../shared.
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
W="${WEEKLY:-./weekly}" SHARED=${SHARED:-../shared}
ZH=examples/python-weekly-zh
use_tmp import
export NO_COLOR=1

# run NAME STATUS ARGS...: run weekly, expect that exit status; stdout and
# stderr are left in $tmp/out and $tmp/err ($tmp/ taken out of stderr).
run() {
	local name=$1 status=$2; shift 2
	"$W" "$@" >"$tmp/out" 2>"$tmp/err.full"; local rc=$?
	sed -i "s|$tmp/||g" "$tmp/err.full"
	# the diagnostics, without the lines of the file shown under them
	grep -avE '^ +([0-9]+ )?\|( |$)' "$tmp/err.full" >"$tmp/err"
	expect_status "$name" "$status" "$rc"
}
# zh: a scratch copy of the Chinese example's settings and templates.
zh() { local d; d=$(mktemp -d "$tmp/zh.XXXXXX"); mkdir "$d/issues";
	cp $ZH/issues/newsletter.yaml "$d/issues/"; cp -r $ZH/templates "$d/"; echo "$d"; }
# items DIR N: how many items issue N of DIR has, as `weekly stats` counts.
items() { "$W" -C "$1" stats "$2" --format tsv 2>/dev/null | awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "items") c = i } NR == 2 { print $c }'; }

# --- the published issue 15, as this repository builds it ------------------

"$W" build 15 -f md -o - > "$tmp/published.md" 2>/dev/null
run "import: the published issue 15" 0 import "$tmp/published.md" -o -
same "import: gives back the source of issue 15" issues/015.md "$tmp/out"
quiet "import: a clean import says nothing"
d=$(scratch)
run "import: into the newsletter" 0 -C "$d" import "$tmp/published.md"
text "import: prints the path it wrote" "issues/015.md" "$tmp/out"
same "import: issues/015.md" issues/015.md "$d/issues/015.md"
echo "edited" >> "$d/issues/015.md"; cp "$d/issues/015.md" "$tmp/edited"
run "import: an existing issue is refused" 1 -C "$d" import "$tmp/published.md"
text "import: says so" "weekly import: 'issues/015.md' already exists; --force replaces it" "$tmp/err"
same "import: never overwrites" "$tmp/edited" "$d/issues/015.md"
run "import: -o FILE that exists is refused" 1 -C "$d" import "$tmp/published.md" -o "$tmp/edited"
same "import: -o FILE kept" "$d/issues/015.md" "$tmp/edited"
run "import --force replaces" 0 -C "$d" import "$tmp/published.md" --force
same "import --force: the source again" issues/015.md "$d/issues/015.md"
run "import -n N" 0 -C "$d" import "$tmp/published.md" -n 40
quiet "import -n N: a renumbered issue still imports clean"
text "import -n N: the number in the front matter" "number: 40" "$(sed -n 2p "$d/issues/040.md" > "$tmp/got"; echo "$tmp/got")"
rm -rf "$d"

# --- what differs from the settings goes into the source -------------------

# A new name (an override), a changed intro (the whole intro becomes the
# issue's lead), a changed note after a section (part of its last item),
# a changed footer (an override of the footer).
sed -e '1s/Python Trending Weekly/Python Weekly/' -e '3s/Welcome/Hello/' \
	-e '5s/^The \[original/An [original/' -e '73s/seasons/SEASONS/' \
	-e 's/^- \[Twitter\]/- [X]/' "$tmp/published.md" > "$tmp/changed.md"
run "import: what differs is kept" 0 import "$tmp/changed.md" -o "$tmp/changed-source.md"
text "import: says where it went" "changed.md:3:1: warning: the intro differs from what the settings write; it is the issue's lead [import]
changed.md:73:1: warning: the section does not end with the text the templates add after it; this stays part of its last item [import]" "$tmp/err"
sed -n '4,8p' "$tmp/changed-source.md" | sed 's/^\(footer: {"title":"[^"]*"\).*/\1/' > "$tmp/got"
text "import: the name and the footer are overrides, the intro's settings emptied" \
	'name: "Python Weekly"
intro_md: ""
original_url: ""
subscribe_md: ""
footer: {"title":"🐼Subscribe Welcome"' "$tmp/got"
grep -q '"name":"X"' "$tmp/changed-source.md" && ok "import: the footer's new link name is in the source" ||
	ko "import: the footer's new link name is in the source"
# (Trailing spaces of the lead are compared apart: the lead is the
# parser's to keep byte for byte.)
d=$(scratch); cp "$tmp/changed-source.md" "$d/issues/015.md"
"$W" -C "$d" build 15 -f md -o - 2>/dev/null | head -n 72 | sed 's/ *$//' > "$tmp/rebuilt"
head -n 72 "$tmp/changed.md" | sed 's/ *$//' > "$tmp/want"
same "import: the rebuilt issue has the changed name and intro" "$tmp/want" "$tmp/rebuilt"
"$W" -C "$d" build 15 -f md -o - 2>/dev/null | tail -n 8 > "$tmp/rebuilt"
tail -n 8 "$tmp/changed.md" > "$tmp/want"
same "import: …and the changed footer" "$tmp/want" "$tmp/rebuilt"
rm -rf "$d"

# A section published before one the settings put first (as the Chinese
# archive's issues 26 to 33 put their sponsor first): the source keeps the
# order published, and the templates write the sections in the source's
# order.
{ sed -n '1,8p' "$tmp/published.md"; sed -n '/^## 🐿️/,/^## 🐢/p' "$tmp/published.md" | sed '$d'
  sed -n '/^## 🦄/,/^## 🐿️/p' "$tmp/published.md" | sed '$d'; sed -n '/^## 🐢/,$p' "$tmp/published.md"; } > "$tmp/moved.md"
expect_text "moved: the projects first" "## 🐿️Projects & Resources" "$(grep -m 1 '^## ' "$tmp/moved.md")"
run "moved: imported" 0 import "$tmp/moved.md" -o "$tmp/moved-source.md"
grep -a "import\]" "$tmp/err" >"$tmp/said"
same "moved: nothing to say about it" /dev/null "$tmp/said"
expect_text "moved: the source keeps the order" "## 🐿️Projects & Resources" "$(grep -m 1 '^## ' "$tmp/moved-source.md")"
d=$(scratch); cp "$tmp/moved-source.md" "$d/issues/015.md"
"$W" -C "$d" build 15 -f md -o "$tmp/rebuilt.md" 2>/dev/null
same "moved: built in the order published, byte for byte" "$tmp/moved.md" "$tmp/rebuilt.md"
"$W" -C "$d" build 15 -f html -o "$tmp/rebuilt.html" 2>/dev/null
expect_text "moved: the page too" "projects articles" \
	"$(grep -o '<section id="[a-z]*"' "$tmp/rebuilt.html" | sed 's/.*id="//; s/"//' | head -2 | tr '\n' ' ' | sed 's/ $//')"
expect_text "moved: the source says it keeps its own order" "sections_as_written: true" \
	"$(grep -a '^sections_as_written' "$tmp/moved-source.md")"
"$W" -C "$d" check 15 >/dev/null 2>"$tmp/err"
expect_text "moved: check has nothing to say about the order it was told" "0" \
	"$(grep -a -c "\[order\]" "$tmp/err")"
# Without the key the settings' order holds, as it does for any issue.
grep -av '^sections_as_written' "$tmp/moved-source.md" >"$d/issues/015.md"
"$W" -C "$d" build 15 -f md -o "$tmp/rebuilt.md" 2>/dev/null
same "moved, without the key: built in the settings' order" "$tmp/published.md" "$tmp/rebuilt.md"
"$W" -C "$d" check 15 >/dev/null 2>"$tmp/err"
expect_text "moved, without the key: check says the settings put it further down" \
	"issues/015.md:48:1: warning: section '🦄Articles & Tutorials' should come before '🐿️Projects & Resources', as in newsletter.yaml [order]" \
	"$(grep -a "\[order\]" "$tmp/err")"
sed 's/^sections_as_written: true$/sections_as_written: maybe/' "$tmp/moved-source.md" >"$d/issues/015.md"
"$W" -C "$d" check 15 >/dev/null 2>"$tmp/err"
expect_status "sections_as_written: not true or false is refused" 1 $?
expect_text "sections_as_written: says it must be true or false" \
	"issues/015.md:4:22: error: 'sections_as_written' must be true or false [front-matter]" \
	"$(grep -a "front-matter" "$tmp/err")"
rm -rf "$d"

# --- what building says, said once -----------------------------------------

# Import builds the issue many times, trying settings: what the templates
# say about themselves is said once, from the source as written, and
# nothing is said for settings tried and given up.
d=$(scratch)
sed -i '1s/^/{{>nowhere}}/' "$d/templates/issue.md.mustache"
cp issues/015.md "$d/issues/"
"$W" -C "$d" build 15 -f md -o "$tmp/partial.md" 2>/dev/null
rm "$d/issues/015.md"
run "said once: imported" 0 -C "$d" import "$tmp/partial.md" -o -
grep -a 'missing partial' "$tmp/err" > "$tmp/got"
text "said once: the missing partial" "templates/issue.md.mustache:1:1: warning: missing partial 'nowhere' [template]" "$tmp/got"
rm -rf "$d"
d="$tmp/tried"; mkdir -p "$d/issues" "$d/templates"
printf 'name: Demo\nsections: [{id: a, title: A}]\nclosing: [{title: Thanks, text: Thanks for reading.}]\n' \
	> "$d/issues/newsletter.yaml"
cat > "$d/templates/issue.md.mustache" <<'TEMPLATE'
# {{newsletter.name}} #{{issue.number}} ({{issue.date}})

{{#sections}}
## {{title}}

{{#items}}
{{n}}. {{{link_md}}}

{{/items}}
{{/sections}}
{{#newsletter.closing}}
## {{title}}

{{text}}
{{/newsletter.closing}}
{{^newsletter.closing}}
{{>sign-off}}Without a closing section, a longer word of goodbye goes here.
{{/newsletter.closing}}
TEMPLATE
printf '# Demo #3 (2024-01-06)\n\n## A\n\n1. [One](https://example.com/1)\n' > "$tmp/tried.md"
run "tried: imported" 0 -C "$d" import "$tmp/tried.md" -o -
text "tried: the closing section kept is named, the settings given up say nothing" \
	"tried.md:5:1: warning: the imported issue adds '## Thanks', which is not here [import]" "$tmp/err"

# --- left out: exit 1, each part named, nothing written ---------------------

sed -e 's/^## 🐢Podcasts & Videos$/## Recipes/' \
	-e 's/^## 🐼Subscribe Welcome$/## Kitchen Tools\n\n1. [Knife](https:\/\/example.com\/knife)\n\n&/' \
	"$tmp/published.md" > "$tmp/unknown.md"
run "import: sections missing from the settings" 1 import "$tmp/unknown.md" -o "$tmp/unknown-source.md"
text "import: names each part left out" "unknown.md:117:1: error: section 'Recipes' is not in the settings and no configured section is close (add it to the sections of issues/newsletter.yaml); left out [import]
unknown.md:137:1: error: section 'Kitchen Tools' is not in the settings and no configured section is close (add it to the sections of issues/newsletter.yaml); left out [import]
weekly import: unknown.md: 2 parts left out; nothing written" "$tmp/err"
[ ! -e "$tmp/unknown-source.md" ] && ok "import: nothing written" || ko "import: nothing written"

# A near miss of a configured section is kept under it, with a warning
# naming both.
sed -e 's/^## 🐢Podcasts & Videos$/## 🐢Podcast \& Video/' "$tmp/published.md" > "$tmp/near.md"
run "import: a near miss is kept" 0 import "$tmp/near.md" -o "$tmp/near-source.md"
text "import: the warning names both" "near.md:117:1: warning: section '🐢Podcast & Video' is not in the settings; imported as '🐢Podcasts & Videos', the closest configured section [import]" "$tmp/err"
d=$(scratch); cp "$tmp/near-source.md" "$d/issues/015.md"
expect_text "import: the near miss's items are all there" 28 "$(items "$d" 15)"
rm -rf "$d"

# A teaser (titles.sh has more), and a text with no title.
printf '# Python Trending Weekly #60: A Teaser\n\n**Articles**\n\n① One title\n\n② Another\n' > "$tmp/teaser.md"
run "import: a teaser imports as an issue of titles only" 0 import "$tmp/teaser.md" --date 2026-01-01 -o -
expect_text "import: a teaser's every title is an item" "1. One title
2. Another" "$(grep -E '^[0-9]+\. ' "$tmp/out")"
printf 'Just some text.\n\n## 🦄Articles & Tutorials\n\n1. [A](https://example.com/a)\n\n## 🐿️Projects & Resources\n\n- [B](https://example.com/b)\n' > "$tmp/notitle.md"
run "import: no title, no -n" 1 import "$tmp/notitle.md" -o -
text "import: says what it expected" "notitle.md:1:1: error: expected a title line 'NAME #N: TITLE (YYYY-MM-DD)' or front matter with a title; or give the number with -n N [import]" "$tmp/err"
text "import: shows the line, with a caret" "notitle.md:1:1: error: expected a title line 'NAME #N: TITLE (YYYY-MM-DD)' or front matter with a title; or give the number with -n N [import]
    1 | Just some text.
      | ^" "$tmp/err.full"
run "import: no date" 1 import "$tmp/notitle.md" -n 3 -o -
text "import: says where a date may come from" "notitle.md:1:1: error: no date in the title, the front matter or the file name (YYYY-MM-DD-….md); give it with --date YYYY-MM-DD [import]" "$tmp/err"
run "import: -n and --date" 0 import "$tmp/notitle.md" -n 3 --date 2024-03-09 -o -
text "import: number and date from the command line, the text as the lead" "---
number: 3
date: 2024-03-09
intro_md: \"\"
original_url: \"\"
subscribe_md: \"\"
footer: null
---

Just some text.

## 🦄Articles & Tutorials

1. [A](https://example.com/a)

## 🐿️Projects & Resources

- [B](https://example.com/b)" "$tmp/out"
text "import: what it says" "notitle.md:1:1: warning: the templates write a title that is not here [import]
notitle.md:1:1: warning: the intro differs from what the settings write; it is the issue's lead [import]
notitle.md:5:1: warning: the section does not end with the text the templates add after it; this stays part of its last item [import]
notitle.md:9:1: warning: the imported issue does not give this line back [import]" "$tmp/err"
run "import: a missing file" 3 import "$tmp/none.md"
run "import: no file" 2 import
run "import: bad -n" 2 import "$tmp/published.md" -n 0
run "import: bad --date" 2 import "$tmp/published.md" --date 2024-02-30
run "import: -n takes one file" 2 import "$tmp/published.md" "$tmp/near.md" -n 3
text "import: says so" "weekly import: -n, -o and --date take one file; 2 given" "$(head -n 1 "$tmp/err" > "$tmp/got"; echo "$tmp/got")"

# --- heads: title lines, front matter, dates from file names ----------------

# The same issue written in each shape of head the archive has.
body() { sed -n '/^## 🦄Articles/,$p' "$tmp/published.md"; }
head_case() { # NAME FILE HEAD...: import FILE (its head, then the body)
	local name=$1 file=$2; shift 2
	{ printf '%s\n' "$@"; echo; body; } > "$tmp/$file"
	"$W" import "$tmp/$file" -o - > "$tmp/out" 2> "$tmp/err"; local rc=$?
	expect_status "head: $name" 0 $rc
	sed -n '2,4p' "$tmp/out" | sed '/^[a-z_]*_md:\|^name:\|^original_url:/d' > "$tmp/got"
}
head_case "title line" 1.md "# Python Trending Weekly #15 (2023-08-12)"
text "head: title line: number and date" "number: 15
date: 2023-08-12" "$tmp/got"
head_case "title line without #" 2.md "Python Trending Weekly #15 (2023-08-12)"
text "head: title line without #: number and date" "number: 15
date: 2023-08-12" "$tmp/got"
head_case "theme after ':', no date, date from the file name" 2023-08-12-weekly.md \
	"# Python Trending Weekly #15: How to Profile Async Tasks"
text "head: theme, date from the file name" 'number: 15
date: 2023-08-12
title: "How to Profile Async Tasks"' "$tmp/got"
head_case "theme after '：'" 3.md "# Python Trending Weekly#15：如何分析异步任务的性能？ (2023-08-12)"
text "head: full-width colon" 'number: 15
date: 2023-08-12
title: "如何分析异步任务的性能？"' "$tmp/got"
head_case "a number without #" 4.md "# Python Trending Weekly 15 (2023-08-12)"
text "head: a number standing alone" "number: 15
date: 2023-08-12" "$tmp/got"
head_case "front matter with title and pubDate" 5.md "---" \
	"title: 'Python Trending Weekly #15: How to Profile Async Tasks'" "pubDate: 2023-08-12" "---"
text "head: front matter title and pubDate" 'number: 15
date: 2023-08-12
title: "How to Profile Async Tasks"' "$tmp/got"
head_case "front matter with date and number" 6.md "---" "title: A theme of its own" "date: 2023-08-12" "number: 15" "---"
text "head: front matter date and number" 'number: 15
date: 2023-08-12
title: "A theme of its own"' "$tmp/got"
{ printf -- '---\ntitle: "Python Weekly #15"\npubDate: soon\n---\n\n'; body; } > "$tmp/baddate.md"
run "head: a front matter date that is no date" 1 import "$tmp/baddate.md" -o -
text "head: says so at its line" "baddate.md:3:10: error: the front matter's date is not a date written YYYY-MM-DD [import]" "$tmp/err"
{ printf -- '---\ntitle: "Python Weekly #15"\n\n'; body; } > "$tmp/open.md"
run "head: front matter never closed" 1 import "$tmp/open.md" -o -
text "head: says so" "open.md:1:1: error: the front matter opened here is not closed with '---' [import]" "$tmp/err"

# --- items: 1、 numbering, link headings ------------------------------------

d=$(zh)
cat > "$tmp/zh.md" <<'EOF'
---
title: 'Python 潮流周刊#16：标题'
pubDate: 2023-08-19
author: '豌豆花下猫'
---

你好。

## [🦄文章&教程](https://xiaobot.net/p/python_weekly)

1、[第一篇](https://example.com/1)

第一篇的介绍。

2、 [第二篇](https://example.com/2)（英文）

3、[第三篇](https://example.com/3)

## 🐿️ 项目&资源

1、[项目](https://example.com/p)
EOF
run "items: 1、 and link headings" 0 -C "$d" import "$tmp/zh.md"
text "items: what it says" "zh.md:7:1: warning: the intro differs from what the settings write; it is the issue's lead [import]
zh.md:9:1: warning: the source names this section '## 🦄文章&教程' [import]
zh.md:19:1: warning: the source names this section '## 🐿️项目&资源' [import]" "$tmp/err"
# (The one item written with a blank after "、", where the settings write
# none, keeps its marker in the source.)
text "items: the source" '## 🦄文章&教程

1. [第一篇](https://example.com/1)

第一篇的介绍。

2、 [第二篇](https://example.com/2)（英文）

3. [第三篇](https://example.com/3)

## 🐿️项目&资源

1. [项目](https://example.com/p)' "$(sed -n '/^## /,$p' "$d/issues/016.md" > "$tmp/got"; echo "$tmp/got")"
expect_text "items: every item" 4 "$(items "$d" 16)"
"$W" -C "$d" build 16 -f md -o - 2>/dev/null | grep '^[0-9]' > "$tmp/got"
text "items: built as 1、 again, each with its blank or not, notes kept" "1、[第一篇](https://example.com/1)
2、 [第二篇](https://example.com/2)（英文）
3、[第三篇](https://example.com/3)
1、[项目](https://example.com/p)" "$tmp/got"

# A section of text only, as later issues have ("Looking Back"), is kept:
# its settings say min_items: 0.
{ sed -n '1,/^## 🐼Subscribe Welcome$/p' "$tmp/published.md" | sed '$d'
  printf '## [🐧 Looking Back](https://example.com/back)\n\n[Python Trending Weekly #3](https://example.com/3) (2023-05-27)\n\n'
  sed -n '/^## 🐼Subscribe Welcome$/,$p' "$tmp/published.md"; } > "$tmp/back.md"
d=$(scratch)
run "text only: imported" 0 -C "$d" import "$tmp/back.md"
text "text only: the heading named as configured" "back.md:137:1: warning: the source names this section '## 🐧Looking Back' [import]" "$tmp/err"
"$W" -C "$d" check 15 > /dev/null 2> "$tmp/err"
expect_status "text only: the source checks" 0 $?
"$W" -C "$d" build 15 -f teaser -o - 2>/dev/null > "$tmp/teaser"
expect_text "text only: the teaser counts sections with items only" \
	"Shared 15 articles, 9 open-source projects, 4 podcasts and videos" "$(sed -n 7p "$tmp/teaser")"
grep -q 'Looking Back' "$tmp/teaser" && ko "text only: no heading for it in the teaser" ||
	ok "text only: no heading for it in the teaser"
sed 's/^    min_items: 0$//' issues/newsletter.yaml > "$d/issues/newsletter.yaml"
"$W" -C "$d" check 15 > /dev/null 2> "$tmp/err"
expect_status "text only: without min_items: 0 an empty section is an error" 1 $?
grep ": error: " "$tmp/err" > "$tmp/got"
text "text only: says so" "issues/015.md:132:1: error: section '🐧Looking Back' has no items [empty-section]" "$tmp/got"
rm -rf "$d"

# Section headings published without "## " (a link on a line of its own,
# or a heading of another level) still open their sections.
sed -e 's/^## 🦄Articles & Tutorials$/[🦄Articles \& Tutorials](https:\/\/example.com\/a)/' \
	-e 's/^## 🐿️Projects & Resources$/### 🐿️Projects \& Resources/' "$tmp/published.md" > "$tmp/bare.md"
run "bare headings: imported" 0 import "$tmp/bare.md" -o "$tmp/bare-source.md"
text "bare headings: each named" "bare.md:9:1: warning: this line names a section but is not a '## ' heading; the source makes it '## 🦄Articles & Tutorials' [import]
bare.md:75:1: warning: this line names a section but is not a '## ' heading; the source makes it '## 🐿️Projects & Resources' [import]" "$tmp/err"
same "bare headings: the source is issue 15's" issues/015.md "$tmp/bare-source.md"
sed -e 's/^## \(.*\)$/**\1**/' "$tmp/published.md" > "$tmp/bold.md"
run "no headings at all: refused" 1 import "$tmp/bold.md" -o -
text "no headings at all: says why" "bold.md:1:1: error: 33 items but no section heading ('## TITLE') to put them under; left out [import]
weekly import: bold.md: a part left out; nothing written" "$tmp/err"

# --- items without a link, notes as written, the text's last line break ------

# The first Chinese issues number an item whose article was taken down
# ("3、原推荐文章已删") and a title over a list of links; a note keeps the
# space before it, and the text ends without a line break. The source
# writes such an item "3. [title]()": built again, the text is the same.
if [ -d "$SHARED/reference" ]; then
	d=$(zh)
	sed -e 's/^3、 \[使用 Python 创建直方图\](.*)$/3、 三篇直方图教程：\n\n- [甲](https:\/\/example.com\/a) （英文）：一\n- [乙](https:\/\/example.com\/b)/' \
		-e 's/^\(4、 \[Mypy 1.5 发布了\](.*)\)$/\1 （英文）/' \
		"$SHARED/reference/zh-2023-08-12-weekly.md" | head -c -1 > "$tmp/text-items.md"
	run "no link: imported" 0 -C "$d" import "$tmp/text-items.md"
	text "no link: named" "text-items.md:25:1: warning: item 3 has no link; the source writes it 3. [三篇直方图教程：](), an item without an address [import]" "$tmp/err"
	text "no link: the source" "3. [三篇直方图教程：]()

- [甲](https://example.com/a) （英文）：一
- [乙](https://example.com/b)" "$(sed -n '/^3\. \[三篇/,/^- \[乙/p' "$d/issues/015.md" > "$tmp/got"; echo "$tmp/got")"
	expect_text "no link: still an item, its list its description" 28 "$(items "$d" 15)"
	"$W" -C "$d" check 15 > /dev/null 2> "$tmp/err"
	expect_status "no link: the source checks" 0 $?
	grep -a ': warning: .*\[url\]' "$tmp/err" > "$tmp/got"
	text "no link: check says so" "issues/015.md:20:4: warning: item without an address: its title is printed alone, without a link [url]" "$tmp/got"
	"$W" -C "$d" build 15 -f md -o - > "$tmp/rebuilt.md" 2>/dev/null
	same "no link: the rebuilt issue is the published one, to its last byte" "$tmp/text-items.md" "$tmp/rebuilt.md"
	"$W" -C "$d" build 15 -f html -o - 2>/dev/null | grep -a '<p class="item">三篇直方图教程' > "$tmp/got"
	text "no link: the page shows its title without a link" \
		'<p class="item">三篇直方图教程：<a class="anchor" href="#articles-3" aria-label="分享链接 3">#</a></p>' "$tmp/got"
	rm -rf "$d"
fi
# Issue 15 as if it were 16, which the settings number "1、" without the
# blank that 15 has after it: the issue's item_marker says so.
if [ -d "$SHARED/reference" ]; then
	d=$(zh)
	sed 's/#15：/#16：/; s/^pubDate: 2023-08-12$/pubDate: 2023-08-19/; s/已免费发布了 15 期/已免费发布了 16 期/' \
		"$SHARED/reference/zh-2023-08-12-weekly.md" > "$tmp/marker.md"
	run "marker: imported" 0 -C "$d" import "$tmp/marker.md"
	grep '^item_marker: ' "$d/issues/016.md" > "$tmp/got"
	text "marker: the issue's own" 'item_marker: "、 "' "$tmp/got"
	"$W" -C "$d" build 16 -f md -o - > "$tmp/rebuilt.md" 2>/dev/null
	same "marker: the rebuilt issue is the published one" "$tmp/marker.md" "$tmp/rebuilt.md"
	rm -rf "$d"
fi
# Issue 2 with its items both ways (as the published 8 has them: "3、["
# then "4、 ["): the issue's item_marker is the one most items use, each
# item written the other way keeps its marker in the source, and the issue
# builds back byte for byte.
if [ -d "$SHARED/reference" ]; then
	d=$(zh)
	sed '/^## 🐿/,$s/^\([0-9]*\)、\[/\1、 [/' "$SHARED/reference/zh-2023-05-20-weekly.md" > "$tmp/mixed.md"
	expect_text "mixed: the published items both ways" "10 12" \
		"$(grep -c '^[0-9]*、\[' "$tmp/mixed.md") $(grep -c '^[0-9]*、 \[' "$tmp/mixed.md")"
	run "mixed: imported" 0 -C "$d" import "$tmp/mixed.md"
	grep '^item_marker: ' "$d/issues/002.md" > "$tmp/got"
	text "mixed: the issue's marker, most items'" 'item_marker: "、 "' "$tmp/got"
	expect_text "mixed: the items written the other way keep their marker" "10 0 12" \
		"$(grep -c '^[0-9]*、\[' "$d/issues/002.md") $(grep -c '^[0-9]*、 \[' "$d/issues/002.md") $(grep -c '^[0-9]*\. \[' "$d/issues/002.md")"
	expect_text "mixed: every item" 22 "$(items "$d" 2)"
	"$W" -C "$d" build 2 -f md -o - > "$tmp/rebuilt.md" 2>/dev/null
	same "mixed: the rebuilt issue is the published one" "$tmp/mixed.md" "$tmp/rebuilt.md"
	"$W" -C "$d" build 2 -f text -o - > "$tmp/mixed.txt" 2>/dev/null
	expect_text "mixed: the text format keeps each item's marker too" "10 12" \
		"$(grep -c '^[0-9]*、[^ ]' "$tmp/mixed.txt") $(grep -c '^[0-9]*、 ' "$tmp/mixed.txt")"
	rm -rf "$d"
fi
# An English item whose link comes after its title.
sed 's/^2\. \[Leveraging Background Tasks in FastAPI: Enhancing Performance and Responsiveness\](\(.*\))$/2. Background tasks [\1](\1)/' \
	"$tmp/published.md" > "$tmp/later.md"
d=$(scratch)
run "link later: imported" 0 -C "$d" import "$tmp/later.md"
text "link later: the source" "2. [Background tasks]() [https://noplacelikelocalhost.medium.com/leveraging-background-tasks-in-fastapi-enhancing-performance-and-responsiveness-6e4ad64c7d16](https://noplacelikelocalhost.medium.com/leveraging-background-tasks-in-fastapi-enhancing-performance-and-responsiveness-6e4ad64c7d16)" "$(grep '^2\. ' "$d/issues/015.md" | head -n 1 > "$tmp/got"; echo "$tmp/got")"
"$W" -C "$d" build 15 -f md -o - > "$tmp/rebuilt.md" 2>/dev/null
same "link later: the rebuilt issue is the published one" "$tmp/later.md" "$tmp/rebuilt.md"
rm -rf "$d"

# A published issue without a section the settings require (issue 4 had
# no projects): the source says so, and checks.
sed '/^## 🐿️Projects & Resources$/,/^## 🐢Podcasts & Videos$/{/^## 🐢Podcasts & Videos$/!d}' \
	"$tmp/published.md" > "$tmp/noprojects.md"
d=$(scratch)
run "without: imported" 0 -C "$d" import "$tmp/noprojects.md"
text "without: named" "noprojects.md:1:1: warning: the published issue has no section '🐿️Projects & Resources', which the settings require; the source goes without it (without: [projects]) [import]" "$tmp/err"
text "without: in the front matter" 'without: ["projects"]' "$(sed -n 4p "$d/issues/015.md" > "$tmp/got"; echo "$tmp/got")"
"$W" -C "$d" check 15 > /dev/null 2>&1
expect_status "without: the source checks" 0 $?
"$W" -C "$d" build 15 -f md -o - > "$tmp/rebuilt.md" 2>/dev/null
same "without: the rebuilt issue is the published one" "$tmp/noprojects.md" "$tmp/rebuilt.md"
sed -i '4s/.*/without: [project]/' "$d/issues/015.md"
"$W" -C "$d" check 15 > /dev/null 2> "$tmp/err"
expect_status "without: an id that is none" 1 $?
grep -a ': error: ' "$tmp/err" > "$tmp/got"
text "without: says so at its line" "issues/015.md:4:11: error: 'without' lists 'project', which is not the id of a section [front-matter]
issues/015.md:71:1: error: missing required section '🐿️Projects & Resources' [required-section]" "$tmp/got"
rm -rf "$d"

# --- a folder, or a list of files, in one run --------------------------------

mkdir "$tmp/run"
cp "$tmp/published.md" "$tmp/run/2023-08-12-weekly.md"
sed 's/#15 (/#16 (/; s/2023-08-12/2023-08-19/g' "$tmp/published.md" > "$tmp/run/2023-08-19-weekly.md"
printf '# Python Trending Weekly #60: Nothing\n\nJust words.\n' > "$tmp/run/2023-08-26-weekly.md"
d=$(scratch)
run "folder: one run" 1 -C "$d" import "$tmp/run"
text "folder: the sources written" "issues/015.md
issues/016.md" "$tmp/out"
tail -n 1 "$tmp/err" > "$tmp/got"
text "folder: one summary" "imported 2, refused 1: run/2023-08-26-weekly.md (line 1: no section heading ('## TITLE') and no items)" "$tmp/got"
rm "$d"/issues/01[56].md
# A source that keeps a slip of the published text is written, for the
# editor to fix, and named in the summary.
sed 's/#15 (/#17 (/; s/2023-08-12/2023-09-02/g; s/^2\. \[Leveraging Background Tasks in FastAPI: Enhancing Performance and Responsiveness\](.*)$/**2. Background tasks in FastAPI**/' \
	"$tmp/published.md" > "$tmp/run/2023-09-02-weekly.md"
run "folder: a slip is written, exit 1" 1 -C "$d" import "$tmp/run"
text "folder: the sources written" "issues/015.md
issues/016.md
issues/017.md" "$tmp/out"
tail -n 1 "$tmp/err" > "$tmp/got"
text "folder: the slip named in the summary, the counts adding up to the files" "imported 2, 1 written with errors to fix: run/2023-09-02-weekly.md (line 17: '**2. Background tasks in FastAPI**' looks like item 2 but is wrapped in '**'; write 2. [title](url) without it), refused 1: run/2023-08-26-weekly.md (line 1: no section heading ('## TITLE') and no items)" "$tmp/got"
rm "$d"/issues/01[567].md "$tmp/run/2023-09-02-weekly.md"
run "files: a list in one run" 0 -C "$d" import "$tmp/run/2023-08-19-weekly.md" "$tmp/run/2023-08-12-weekly.md"
text "files: one summary" "imported 2, refused 0" "$tmp/err"
rm "$d"/issues/01[56].md
# Two files that say the same number (the archive's English #93 twice):
# the second is refused, naming the first, and the first is kept; with
# --force too.
sed 's/2023-08-12/2023-08-19/g' "$tmp/published.md" > "$tmp/run/2023-08-19-weekly.md"
for force in "" --force; do
	run "same number$force: one run" 1 -C "$d" import "$tmp/run" $force
	text "same number$force: the first written" "issues/015.md" "$tmp/out"
	grep -a 'error: issue' "$tmp/err" > "$tmp/got"
	text "same number$force: the second named at its head" "run/2023-08-19-weekly.md:1:1: error: issue 15 is also 'run/2023-08-12-weekly.md', written in this run; import this one alone with -n N [import]" "$tmp/got"
	tail -n 1 "$tmp/err" > "$tmp/got"
	text "same number$force: the summary" "imported 1, refused 2: run/2023-08-19-weekly.md (line 1: issue 15 is also 'run/2023-08-12-weekly.md', written in this run; import this one alone with -n N); run/2023-08-26-weekly.md (line 1: no section heading ('## TITLE') and no items)" "$tmp/got"
	same "same number$force: the first one's source kept" issues/015.md "$d/issues/015.md"
	rm "$d/issues/015.md"
done
rm -rf "$d"

# --- every published issue in ../shared --------------------------------------

# Items as the published text shows them, counted here: numbered or bulleted
# lines that start with a link, under headings other than the closing ones
# (subscribe, sponsor, about) that the templates write; in a teaser, the
# titles numbered ①, ②…
published_items() {
	awk '/^## / { skip = ($0 ~ /Subscribe|订阅|关于|赞助/); next }
	     /^(```|~~~)/ { code = !code }
	     !skip && !code && /^([0-9]+(\.|、|\))|[-*+]) ?\[/ { n++ }
	     !code && /^(①|②|③|④|⑤|⑥|⑦|⑧|⑨|⑩|⑪|⑫|⑬|⑭|⑮|⑯|⑰|⑱|⑲|⑳) / { n++ }
	     END { print n + 0 }' "$1"
}
if [ -d "$SHARED/reference" ]; then
	for pub in "$SHARED"/reference/*.md "$SHARED"/reference/eras/*.md; do
		pub="$(cd "$(dirname "$pub")" && pwd)/$(basename "$pub")"
		f=$(basename "$pub" .md)
		case $f in zh-*) d=$(zh) ;; *) d=$(scratch) ;; esac
		want=$(published_items "$pub")
		"$W" -C "$d" import "$pub" > "$tmp/out" 2> "$tmp/err"; rc=$?
		if [ "$want" = 0 ]; then
			expect_status "archive $f: no items, refused" 1 $rc
			continue
		fi
		expect_status "archive $f: imported" 0 $rc
		n=$(sed -n 's/^number: //p' "$d/$(cat "$tmp/out")")
		expect_text "archive $f: every item ($want)" "$want" "$(items "$d" "$n")"
		"$W" -C "$d" check "$n" > /dev/null 2>&1
		expect_status "archive $f: the source checks" 0 $?
		case $f in 2023-*|zh-2023-*|2026-07-18-weekly)
			"$W" -C "$d" build "$n" -f md -o - > "$tmp/rebuilt.md" 2>/dev/null
			same "archive $f: the rebuilt issue is the published one" "$pub" "$tmp/rebuilt.md" ;;
		esac
		rm -rf "$d"
	done
	# More blank lines than one between blocks, as some issues were published
	# (after the intro, after a heading, before an item and a heading): the
	# source keeps them and builds them back.
	for pub in zh-2023-05-20-weekly 2023-05-20-weekly; do
		case $pub in zh-*) d=$(zh) ;; *) d=$(scratch) ;; esac
		awk 'NR == 9 || /^## .*(项目|Projects)/ || /^(3、|3\. )/ { print "" } NR == 9 { print; print ""; next } 1' \
			"$SHARED/reference/$pub.md" > "$tmp/$pub.md"
		expect_text "gaps: $pub has seven places with a blank line more" 7 \
			"$(awk 'p == "" && $0 == "" { n++ } { p = $0 } END { print n }' "$tmp/$pub.md")"
		"$W" -C "$d" import "$tmp/$pub.md" > /dev/null 2>&1
		expect_status "gaps: $pub imported" 0 $?
		"$W" -C "$d" build 2 -f md -o - > "$tmp/rebuilt.md" 2>/dev/null
		same "gaps: $pub built back with its blank lines" "$tmp/$pub.md" "$tmp/rebuilt.md"
		rm -rf "$d"
	done
	# Published without what the settings write (the count of issues after
	# the articles, the sponsor's closing section): the source goes without
	# them (promo: null, closing as published) and builds back the same.
	d=$(zh)
	awk '/^🎁/ { skip = 1 } /^## 🐿/ { skip = 0 } /^## 🐱赞助/ { skip = 1 } /^## 🐼/ { skip = 0 } !skip' \
		"$SHARED/reference/zh-2023-08-12-weekly.md" > "$tmp/without.md"
	"$W" -C "$d" import "$tmp/without.md" > /dev/null 2> "$tmp/err"
	expect_status "without: imported" 0 $?
	expect_text "without: the source goes without them" "promo: null
closing: 1" "$(sed -n '/^promo:/p' "$d/issues/015.md"; grep -o '"title":' "$d/issues/015.md" | wc -l | sed 's/^/closing: /')"
	"$W" -C "$d" build 15 -f md -o - > "$tmp/rebuilt.md" 2>/dev/null
	same "without: built back as published" "$tmp/without.md" "$tmp/rebuilt.md"
	rm -rf "$d"
	"$W" import "$SHARED/reference/2023-05-20-weekly.md" -o - > "$tmp/002.md" 2>/dev/null
	same "archive: the published issue 2 is issues/002.md" issues/002.md "$tmp/002.md"
	"$W" -C $ZH import "$(cd "$SHARED/reference" && pwd)/zh-2023-08-12-weekly.md" -o - > "$tmp/015.md" 2>/dev/null
	same "archive: the published Chinese 15 is its issues/015.md" $ZH/issues/015.md "$tmp/015.md"
else
	skip "importing the published issues" "$SHARED/reference not found"
fi
finish
