#!/bin/bash
# titles.sh - an issue of titles only ("titles_only: true"): "1. Title"
# items without links, accepted there and an error elsewhere; imported from
# the published teaser with every title, and built back in its layout, in
# English and in Chinese.
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
W="${WEEKLY:-./weekly}" SHARED=${SHARED:-../shared}
use_tmp titles
export NO_COLOR=1

# newsletter LANG: a scratch copy of that example's settings and templates.
newsletter() {
	local d src=.; d=$(mktemp -d "$tmp/n.XXXXXX"); mkdir "$d/issues"
	[ "$1" = zh ] && src=examples/python-weekly-zh
	cp $src/issues/newsletter.yaml "$d/issues/"; cp -r $src/templates "$d/"; echo "$d"
}
# titles FILE: how many lines of FILE start with a circled number.
titles() { grep -c '^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳] ' "$1"; }

# --- round trips: source -> published -> source -> published --------------

for lang in en zh; do
	d=$(newsletter $lang)
	cp tests/titles/$lang.md "$d/issues/160.md"
	"$W" -C "$d" build 160 -f md -o - >"$tmp/$lang.md" 2>"$tmp/err"
	expect_status "$lang: an issue of titles only builds" 0 $?
	expect_text "$lang: every title, circled" 3 "$(titles "$tmp/$lang.md")"
	mkdir -p "$tmp/pub-$lang"; cp "$tmp/$lang.md" "$tmp/pub-$lang/2026-07-25-weekly.md"
	e=$(newsletter $lang)
	"$W" -C "$e" import "$tmp/pub-$lang/2026-07-25-weekly.md" >"$tmp/out" 2>"$tmp/err"
	expect_status "$lang: the teaser imports" 0 $?
	quiet "$lang: a clean import says nothing"
	same "$lang: import gives the source back" tests/titles/$lang.md "$e/issues/160.md"
	"$W" -C "$e" build 160 -f md -o - >"$tmp/again.md" 2>/dev/null
	same "$lang: and the source the published text, byte for byte" "$tmp/$lang.md" "$tmp/again.md"
	"$W" -C "$e" check >/dev/null 2>"$tmp/err"
	expect_status "$lang: the imported issue checks clean" 0 $?
done

# --- the feeds: a title without a link is its text, not an empty link ------

d=$(newsletter en)
cp tests/titles/en.md "$d/issues/160.md"
"$W" -C "$d" build --all -q 2>"$tmp/err"
expect_status "feeds: an archive with an issue of titles only builds" 0 $?
python3 - "$d/build/feed.json" >"$tmp/out" 2>&1 <<'PY'
import json, re, sys
html = json.load(open(sys.argv[1]))["items"][0]["content_html"]
print(len(re.findall(r'<a href=""', html)), "empty links")
print(re.search(r"<li><p>([^<]*)</p>", html).group(1))
PY
text "feeds: JSON Feed, each title as text" "0 empty links
PEP 836: a JIT *for* CPython #3" "$tmp/out"
expect_text "feeds: Atom, no empty link either" 0 "$(grep -c 'href=&quot;&quot;' "$d/build/feed.xml")"

# --- the published English teaser ------------------------------------------

pub=$(realpath -m "$SHARED/reference/2026-07-18-weekly.md")
if [ -f "$pub" ]; then
	d=$(newsletter en)
	"$W" -C "$d" import "$pub" -o "$d/issues/159.md" >/dev/null 2>"$tmp/err"
	expect_status "published teaser: imports" 0 $?
	quiet "published teaser: nothing to say"
	expect_text "published teaser: the source says titles only" "titles_only: true" \
		"$(grep -m 1 '^titles_only:' "$d/issues/159.md")"
	expect_text "published teaser: an item per title" "$(titles "$pub")" \
		"$(grep -cE '^[0-9]+\. ' "$d/issues/159.md")"
	"$W" -C "$d" build 159 -f md -o - >"$tmp/159.md" 2>/dev/null
	same "published teaser: built back byte for byte" "$pub" "$tmp/159.md"
else
	skip "the published teaser" "$pub not found"
fi

# --- published teasers of other shapes ---------------------------------------
# What each published teaser holds is read as it is there: no counts line
# (the word shared none for the issue), a counts line without the
# sentence's end, the line over the links in other words or not there (the
# line with the address then part of the outro), text after the links,
# "：" after the number, one or two blank lines under a heading, more
# before a paragraph. Each comes back byte for byte and checks clean.

# import_pub LANG FILE: import FILE as published into a fresh newsletter
# of that language, as issue 161; the newsletter in $d.
import_pub() {
	d=$(newsletter "$1"); mkdir "$d/pub"
	cp "$2" "$d/pub/2026-08-01-weekly.md"
	"$W" -C "$d" import "$d/pub/2026-08-01-weekly.md" >/dev/null 2>"$tmp/err"
}
for lang in en zh; do
	import_pub $lang tests/titles/pub-$lang.md
	expect_status "$lang shapes: imports" 0 $?
	quiet "$lang shapes: nothing to say"
	"$W" -C "$d" build 161 -f md -o - >"$tmp/out" 2>/dev/null
	same "$lang shapes: built back byte for byte" tests/titles/pub-$lang.md "$tmp/out"
	"$W" -C "$d" check --strict >/dev/null 2>"$tmp/err"
	expect_status "$lang shapes: checks clean, strictly" 0 $?
	cp "$d/issues/161.md" "$tmp/$lang-161.md"
done
words() { grep -a -m 1 '^strings: ' "$1"; }
expect_text "en shapes: no counts line, no line over the links, '：' after the number" \
	'strings: {"summaries":"Here are the title summaries for this issue: ","full_text":null,"title_separator":"：","shared":null}' \
	"$(words "$tmp/en-161.md")"
expect_text "zh shapes: the counts line as the templates write it, but for its '。'" \
	'strings: {"summaries":"以下是本期标题摘要： ","sentence_end":null}' "$(words "$tmp/zh-161.md")"
grep -q '"after_links_md":"\*\*关注我们\*\*：' "$tmp/zh-161.md" &&
	ok "zh shapes: the text after the links is its own" || ko "zh shapes: the text after the links is its own"
# a counts line the templates do not write (a noun of another year): the
# issue says it as published, and the templates write none
sed 's/1 个开源项目$/1 则热门话题/' tests/titles/pub-zh.md >"$tmp/pub-zh-noun.md"
import_pub zh "$tmp/pub-zh-noun.md"
expect_status "zh counts of other words: imports" 0 $?
"$W" -C "$d" build 161 -f md -o - >"$tmp/out" 2>/dev/null
same "zh counts of other words: built back byte for byte" "$tmp/pub-zh-noun.md" "$tmp/out"
expect_text "zh counts of other words: the templates write none" \
	'strings: {"summaries":"以下是本期标题摘要： ","shared":null}' "$(words "$d/issues/161.md")"
grep -q '全文链接](https://example.com/zh/161)\\n\\n分享了 2 篇文章，1 则热门话题"' "$d/issues/161.md" &&
	ok "zh counts of other words: said by the issue, after its subscribe text" ||
	ko "zh counts of other words: said by the issue, after its subscribe text"

# titles right under the title line, a link after them, nothing else: no
# intro, subscribe text, counts or summaries line, each said by the source
printf '# Python Trending Weekly #161\n\n**[🦄Articles & Tutorials](https://example.com/weekly)**\n\n① Only a title\n\n[Season one](https://example.com/s1)\n\n' >"$tmp/bare.md"
import_pub en "$tmp/bare.md"
expect_status "bare teaser: imports" 0 $?
"$W" -C "$d" build 161 -f md -o - >"$tmp/out" 2>/dev/null
same "bare teaser: built back byte for byte" "$tmp/bare.md" "$tmp/out"
expect_text "bare teaser: no line the templates write" \
	'strings: {"summaries":null,"full_text":null,"shared":null}|intro_md: null|subscribe_md: null' \
	"$(grep -a -E '^(strings|intro_md|subscribe_md):' "$d/issues/161.md" | paste -sd '|')"

# --- an optional teaser setting left out is no misspelt name ---------------
# The teaser asks {{#outro_md}}; without one, the name is close to the
# intro_md that is there, yet an optional setting is no slip: check
# --strict passes, in either language. A name the settings do not know
# is still judged, with the name meant.

for lang in en zh; do
	d=$(newsletter $lang)
	sed 's/,"outro_md":"[^"]*"//' tests/titles/$lang.md > "$d/issues/160.md"
	"$W" -C "$d" check --strict >/dev/null 2>"$tmp/err"
	expect_status "$lang: a teaser without outro_md passes check --strict" 0 $?
	quiet "$lang: and no template warning"
	"$W" -C "$d" build 160 -f md -o - >"$tmp/out" 2>/dev/null
	expect_status "$lang: the issue builds" 0 $?
done
printf '{{#newsletter.teaser.outro_md}}{{.}}{{/newsletter.teaser.outro_md}}{{#newsletter.teaser.heading_ur}}x{{/newsletter.teaser.heading_ur}}{{#newsletter.outro_md}}{{/newsletter.outro_md}}{{#newsletter.teaser.subscribe_mb}}{{/newsletter.teaser.subscribe_mb}}\n' \
	>"$d/templates/partials/names.md.mustache"
sed -i '1s/^/{{>names.md}}/' "$d/templates/partials/teaser.md.mustache"
"$W" -C "$d" check --strict >/dev/null 2>"$tmp/err"
expect_status "misspelt teaser names: check --strict fails" 1 $?
grep -a "\[template\]" "$tmp/err" >"$tmp/out"
printf '%s\n' "templates/partials/names.md.mustache:1:68: warning: 'newsletter.teaser.heading_ur' is nothing in the context of issue 160: it renders empty; did you mean 'newsletter.teaser.heading_url'? [template]" \
	"templates/partials/names.md.mustache:1:135: warning: 'newsletter.outro_md' is nothing in the context of issue 160: it renders empty; did you mean 'newsletter.intro_md'? [template]" \
	"templates/partials/names.md.mustache:1:183: warning: 'newsletter.teaser.subscribe_mb' is nothing in the context of issue 160: it renders empty; did you mean 'newsletter.teaser.subscribe_md'? [template]" >"$tmp/want"
same "misspelt teaser names: each at its tag with the name meant, the optional one not" "$tmp/want" "$tmp/out"

# --- a title without a link is an error in any other issue ------------------

d=$(newsletter en)
sed '/^titles_only: true$/d' tests/titles/en.md > "$d/issues/160.md"
"$W" -C "$d" check >/dev/null 2>"$tmp/err.full"
expect_status "normal issue: an item without a link is refused" 1 $?
grep -avE '^ +([0-9]+ )?\|( |$)' "$tmp/err.full" | grep -a 'item-link' | head -1 > "$tmp/err"
text "normal issue: said at FILE:LINE:COL, with both ways out" "issues/160.md:11:4: error: '1. PEP 836: a JIT \*for\* CPython \#3' looks like item 1 but has no link; write 1. [title](url), or say 'titles_only: true' in the front matter of an issue that lists titles only [item-link]" "$tmp/err"
expect_text "normal issue: each of them" 3 "$(grep -ac 'item-link' "$tmp/err.full")"
sed 's/^titles_only: true$/titles_only: yes please/' tests/titles/en.md > "$d/issues/160.md"
"$W" -C "$d" check >/dev/null 2>"$tmp/err.full"
expect_status "titles_only: not true or false is refused" 1 $?
text "titles_only: says it must be true or false" "issues/160.md:5:14: error: 'titles_only' must be true or false [front-matter]" \
	<(grep -a "front-matter" "$tmp/err.full")
# an item with its link stays an item in an issue of titles only
d=$(newsletter en)
sed 's|^2\. Why.*|2. [Linked](https://example.com/linked) still fine|' tests/titles/en.md > "$d/issues/160.md"
"$W" -C "$d" build 160 -f md -o - >"$tmp/out" 2>"$tmp/err"
expect_status "titles_only: a linked item is fine there too" 0 $?
grep -q '^② Linked$' "$tmp/out" && ok "titles_only: its title is listed" || ko "titles_only: its title is listed"

finish
