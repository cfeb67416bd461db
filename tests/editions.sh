#!/bin/bash
# editions.sh - a newsletter in two languages: `check --editions` over a
# pair with a dropped, an added and a moved item and issues one edition
# lacks, each at its FILE:LINE; pages linking to the same issue in the
# other edition (hreflang), rebuilt when the other edition changes; each
# edition's feed its own.
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
W="${WEEKLY:-$PWD/weekly}"
use_tmp editions
export NO_COLOR=1

# edition DIR LANG NAME URL OTHER ARTICLES PROJECTS: a newsletter with the
# shipped templates and two sections, naming OTHER (LANG=FOLDER) as its
# other edition.
edition() {
	mkdir -p "$tmp/$1/issues"
	cp -r templates "$tmp/$1/"
	cat > "$tmp/$1/issues/newsletter.yaml" <<EOF
name: $3
language: $2
url: $4
sections:
  - id: articles
    title: $6
  - id: projects
    title: $7
editions: {$5}
EOF
}
# issue DIR N HEADING ITEMS... [-- HEADING ITEMS...]: issue N of DIR, each
# item "TITLE URL".
issue() {
	local dir=$1 n=$2 f
	f="$tmp/$dir/issues/$(printf %03d "$n").md"
	shift 2
	printf -- '---\nnumber: %d\ndate: 2024-01-%02d\n---\n' "$n" "$n" > "$f"
	local k=0
	for a in "$@"; do
		case $a in
		--) ;;
		'## '*) k=0; printf '\n%s\n' "$a" >> "$f" ;;
		*) k=$((k + 1)); printf '\n%d. [%s](%s)\n\n%s.\n' $k "${a% *}" "${a##* }" "About it" >> "$f" ;;
		esac
	done
}

edition en en "Tiny Weekly" https://tiny.example "zh: ../zh" Articles Projects
edition zh zh "小周刊" https://zh.tiny.example "en: ../en" 文章 项目
issue en 1 "## Articles" "One https://a.example/1" "## Projects" "Tool https://p.example/1"
issue zh 1 "## 文章" "一 https://a.example/1" "## 项目" "工具 https://p.example/1"
# Issue 2: B dropped from the translation, E added, C before A, D moved
# to the projects.
issue en 2 "## Articles" "A https://a.example/a" "B https://a.example/b" \
	"C https://a.example/c" "D https://a.example/d" "## Projects" "P https://p.example/p"
issue zh 2 "## 文章" "丙 https://a.example/c" "甲 https://a.example/a" "戊 https://a.example/e" \
	"## 项目" "丁 https://a.example/d" "己 https://p.example/p"
issue en 3 "## Articles" "Only here https://a.example/3" "## Projects" "T https://p.example/3"
issue zh 4 "## 文章" "只在这里 https://a.example/4" "## 项目" "工 https://p.example/4"

cd "$tmp/en" || exit 3
run "check --editions: warnings only" 0 check --editions
grep -a '\[edition\]' "$tmp/err" > "$tmp/got"
text "check --editions: each difference at its line" \
"issues/002.md:12:4: warning: 'B' is not in the zh edition (../zh/issues/002.md) [edition]
../zh/issues/002.md:16:4: warning: '戊' is not in the en edition (issues/002.md) [edition]
issues/002.md:16:4: warning: 'C' is item 3 of 'articles' here and item 1 in the zh edition (../zh/issues/002.md:8) [edition]
issues/002.md:20:4: warning: 'D' is under 'articles' here and under 'projects' in the zh edition (../zh/issues/002.md:22) [edition]
issues/003.md:1:1: warning: issue 3 is not in the zh edition (../zh has no issue 3) [edition]
../zh/issues/004.md:1:1: warning: issue 4 of the zh edition is not in the en edition (. has no issue 4) [edition]" "$tmp/got"
run "check --editions --strict: fails" 1 check --editions --strict
run "check --editions 1: one issue, in step" 0 check 1 --editions
quiet "check --editions 1: says nothing"
run "check --editions 2: that issue only" 0 check 2 --editions
expect_text "check --editions 2: its four" 4 "$(grep -c '\[edition\]' "$tmp/err")"
run "check without --editions: quiet" 0 check
quiet "check without --editions: says nothing"
cd "$tmp/zh" || exit 3
run "from the other side" 0 check 2 --editions
grep -a '\[edition\]' "$tmp/err" > "$tmp/got"
text "from the other side: the same differences" \
"issues/002.md:16:4: warning: '戊' is not in the en edition (../en/issues/002.md) [edition]
../en/issues/002.md:12:4: warning: 'B' is not in the zh edition (issues/002.md) [edition]
issues/002.md:12:4: warning: '甲' is item 2 of 'articles' here and item 1 in the en edition (../en/issues/002.md:8) [edition]
issues/002.md:22:4: warning: '丁' is under 'projects' here and under 'articles' in the en edition (../en/issues/002.md:20) [edition]" "$tmp/got"
cd "$tmp" || exit 3

# Settings that name no edition, or a folder without a newsletter.
sed -i 's/^editions: .*/editions: {fr: ..\/fr}/' en/issues/newsletter.yaml
run "a folder without a newsletter" 1 -C en check --editions
grep -a ': error: ' "$tmp/err" > "$tmp/got"
text "a folder without a newsletter: at the setting's line" \
	"issues/newsletter.yaml:9:16: error: edition 'fr': no newsletter in '../fr' (no issues/newsletter.yaml there) [edition]" "$tmp/got"
sed -i '/^editions: /d' en/issues/newsletter.yaml
run "no editions named" 1 -C en check --editions
grep -a ': error: ' "$tmp/err" > "$tmp/got"
text "no editions named: says how to name one" \
	"issues/newsletter.yaml:1:1: error: --editions: the settings name no other edition; write editions: {zh: ../folder} [edition]" "$tmp/got"
echo 'editions: {zh: ../zh}' >> en/issues/newsletter.yaml

# --- pages link to the same issue in the other edition -------------------------

run "build: en" 0 -C en build --all -q
run "build: zh" 0 -C zh build --all -q
grep -h 'hreflang' en/build/002.html > "$tmp/got"
text "issue page: the zh edition's issue 2" \
'<link rel="alternate" hreflang="zh" href="https://zh.tiny.example/002.html">
<p class="editions"><a hreflang="zh" lang="zh" href="https://zh.tiny.example/002.html">小周刊</a></p>' "$tmp/got"
grep -h 'hreflang' zh/build/002.html > "$tmp/got"
text "issue page: and back" \
'<link rel="alternate" hreflang="en" href="https://tiny.example/002.html">
<p class="editions"><a hreflang="en" lang="en" href="https://tiny.example/002.html">Tiny Weekly</a></p>' "$tmp/got"
grep -c 'hreflang' en/build/003.html > "$tmp/got"
text "issue page: none for an issue the other edition lacks" 0 "$tmp/got"
grep -h 'hreflang' en/build/index.html > "$tmp/got"
text "archive page: the other edition's archive page" \
'<link rel="alternate" hreflang="zh" href="https://zh.tiny.example/index.html">
<p class="editions"><a hreflang="zh" lang="zh" href="https://zh.tiny.example/index.html">小周刊</a></p>' "$tmp/got"
grep -c 'zh.tiny.example\|小周刊' en/build/feed.xml > "$tmp/got"
text "feed: its own edition's only" 0 "$tmp/got"
grep -c '<entry>' zh/build/feed.xml > "$tmp/got"
text "feed: the zh edition's own issues" 3 "$tmp/got"

# When the other edition gets issue 3, the page of issue 3 links to it.
issue zh 3 "## 文章" "只 https://a.example/3" "## 项目" "工具 https://p.example/3"
run "rebuild after the other edition changed" 0 -C en build --all -q
grep -h 'link rel="alternate" hreflang' en/build/003.html > "$tmp/got"
text "rebuilt: issue 3 links to the new twin" \
	'<link rel="alternate" hreflang="zh" href="https://zh.tiny.example/003.html">' "$tmp/got"
# Without a url, the link goes beside this edition's build/.
sed -i '/^url: /d' zh/issues/newsletter.yaml
run "no url: rebuilt" 0 -C en build 3 -q
grep -h 'link rel="alternate" hreflang' en/build/003.html > "$tmp/got"
text "no url: a relative link" '<link rel="alternate" hreflang="zh" href="../../zh/build/003.html">' "$tmp/got"
finish
