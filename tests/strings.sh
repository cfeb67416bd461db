#!/bin/bash
# strings.sh - the words templates print come from settings: counted words
# in the language's plural forms, dates per language, lang on every page,
# and `weekly init --lang zh` makes a newsletter Chinese throughout.
cd "$(dirname "$0")/.." && . tests/lib.sh
W=${WEEKLY:-./weekly}
use_tmp strings
export WEEKLY_DATADIR=$PWD

# English: one issue, two issues; one link, two links.
d="$tmp/en"
$W init "$d" > /dev/null; expect_status "init" 0 $?
$W -C "$d" build --all 2>/dev/null; expect_status "en: build --all" 0 $?
expect_text "en: one issue" "<p>1 issue, newest first. <a href=\"feed.xml\">Atom feed</a></p>" \
	"$(grep '^<p>.*newest first' "$d/build/index.html")"
today=$(date +%Y-%m-%d)
expect_text "en: two links" "<span class=\"note\"><time datetime=\"$today\">$(date -d "$today" '+%B %-d, %Y')</time> · 2 links: 1 📰 Articles · 1 🛠️ Projects</span></li>" \
	"$(grep 'class="note"' "$d/build/index.html")"
sed -e 's/^number: 1$/number: 2/' -e '/^## Projects$/,$d' "$d/issues/001.md" > "$d/issues/002.md"
$W -C "$d" build --all 2>/dev/null
expect_text "en: two issues" "<p>2 issues, newest first. <a href=\"feed.xml\">Atom feed</a></p>" \
	"$(grep '^<p>.*newest first' "$d/build/index.html")"
expect_text "en: one link" "<span class=\"note\"><time datetime=\"$today\">$(date -d "$today" '+%B %-d, %Y')</time> · 1 link: 1 📰 Articles</span></li>" \
	"$(grep -m1 'class="note"' "$d/build/index.html")"
expect_text "en: the feed counts in words" "<summary>CommonMark (1 link)</summary>" "$(grep -m1 '<summary>' "$d/build/feed.xml")"
expect_text "en: the teaser counts in the noun's forms" "Shared 1 article" \
	"$($W -C "$d" build 2 -f teaser -o - 2>/dev/null | grep '^Shared')"
expect_text "en: the date in words" "$(date -d "$today" '+%B %-d, %Y')" \
	"$(sed -n 's/.*<time datetime="[0-9-]*">(\(.*\))<\/time>.*/\1/p' "$d/build/002.html")"

# The settings' own words win over the language's.
cat >> "$d/issues/newsletter.yaml" <<'YAML'
strings:
  issues: {one: "{n} edition", other: "{n} editions"}
  all_issues: Every edition
YAML
$W -C "$d" build --all --force 2>/dev/null
expect_text "own words: counted" "<p>2 editions, newest first. <a href=\"feed.xml\">Atom feed</a></p>" \
	"$(grep '^<p>.*newest first' "$d/build/index.html")"
expect_text "own words: plain" '<a href="index.html">Every edition</a>' "$(grep -m1 'href="index.html"' "$d/build/002.html")"

# A misspelt word is said, with the word it may mean.
printf '  newest_frist: ", latest first."\n' >> "$d/issues/newsletter.yaml"
$W -C "$d" check 2 > /dev/null 2> "$tmp/err"
expect_text "own words: a misspelt one" "issues/newsletter.yaml:27:3: warning: unknown word 'newest_frist'; did you mean 'newest_first'? [unknown-key]" \
	"$(grep unknown-key "$tmp/err")"

# Chinese throughout.
z="$tmp/zh"
$W init "$z" --lang zh > /dev/null; expect_status "init --lang zh" 0 $?
echo "search: true" >> "$z/issues/newsletter.yaml" # its link in Chinese too
$W -C "$z" check --all 2>/dev/null; expect_status "zh: the first issue checks" 0 $?
$W -C "$z" build --all 2>/dev/null; expect_status "zh: build --all" 0 $?
for f in index.html 001.html; do
	grep -q '<html lang="zh">' "$z/build/$f" && ok "zh: $f has lang=zh" || ko "zh: $f has lang=zh"
done
grep -q 'xml:lang="zh"' "$z/build/feed.xml" && ok "zh: the feed has xml:lang=zh" || ko "zh: the feed has xml:lang=zh"
$W -C "$z" build 1 -f email -o - 2>/dev/null | grep -q '<html lang="zh">' && ok "zh: the email has lang=zh" ||
	ko "zh: the email has lang=zh"
expect_text "zh: the archive in Chinese" "<p>共 1 期，最新的在前。 <a href=\"feed.xml\">Atom 订阅</a> · <a href=\"search.html\">搜索全部分享</a></p>" \
	"$(grep '^<p>.*最新的在前' "$z/build/index.html")"
expect_text "zh: counted in one form" "<span class=\"note\"><time datetime=\"$today\">$(date -d "$today" '+%Y年%-m月%-d日')</time> · 2 则分享：1 📰 文章 · 1 🛠️ 项目</span></li>" \
	"$(grep 'class="note"' "$z/build/index.html")"
expect_text "zh: the date in Chinese" "$(date -d "$today" '+%Y年%-m月%-d日')" \
	"$(sed -n 's/.*<time datetime="[0-9-]*">(\(.*\))<\/time>.*/\1/p' "$z/build/001.html")"
expect_text "zh: the link to every issue" '<a href="index.html">全部周刊</a>' "$(grep -m1 'href="index.html"' "$z/build/001.html")"
$W -C "$z" build 1 -f teaser -o - > "$tmp/teaser" 2>/dev/null
expect_text "zh: the teaser's counts" "分享了 1 篇文章，1 个项目。" "$(grep '^分享了' "$tmp/teaser")"
expect_text "zh: the teaser's summary line" "以下是本期标题摘要：" "$(grep -A2 '^分享了' "$tmp/teaser" | sed -n 3p)"
# (Markup aside: class names and tags are not words the reader sees.)
english=$(cat "$z/build/index.html" "$z/build/001.html" "$tmp/teaser" | sed 's/<[^>]*>//g' |
	grep -E 'Shared|issue|link|newest|Here are|original version|Atom feed' | grep -v '^[[:space:]]*:root\|{')
if [ -n "$english" ]; then
	ko "zh: no English word on any page" "$english"
else
	ok "zh: no English word on any page"
fi

for f in text email md; do
	$W -C "$z" build 1 -f $f -o - 2>/dev/null | grep -q '原文\|original' &&
		ko "zh: $f has no translation note without an original_url" ||
		ok "zh: $f has no translation note without an original_url"
done

$W init "$tmp/fr" --lang fr > /dev/null 2> "$tmp/err"
expect_status "init --lang fr: refused" 2 $?
expect_text "init --lang fr: says which languages" "weekly init: no words for language 'fr'; --lang takes en or zh" \
	"$(head -n 1 "$tmp/err")"
[ ! -e "$tmp/fr" ] && ok "init --lang fr: nothing made" || ko "init --lang fr: nothing made"
finish
