#!/bin/bash
# weekly build: exact outputs, atomic writes, errors with positions.
cd "$(dirname "$0")/.." && . tests/lib.sh
W=${WEEKLY:-./weekly} SHARED=${SHARED:-../shared}
use_tmp build

# The published issues, reproduced byte for byte from the sources.
if [ -d "$SHARED/reference" ]; then
	$W build 15 -f md -o - 2>/dev/null > "$tmp/15.md"
	same "issue 15 is the published Markdown" "$SHARED/reference/2023-08-12-weekly.md" "$tmp/15.md"
	$W build 2 -f md -o - 2>/dev/null > "$tmp/2.md"
	same "issue 2 is the published Markdown" "$SHARED/reference/2023-05-20-weekly.md" "$tmp/2.md"
else
	skip "the published issues" "$SHARED/reference not found"
fi
# The note after an item's link, kept as written: no blank added before
# it, none taken away.
d=$(mktemp -d "$tmp/notes.XXXXXX"); mkdir "$d/issues"; cp issues/newsletter.yaml "$d/issues/"; cp -r templates "$d/"
printf -- '---\nnumber: 3\ndate: 2023-05-27\n---\n\n## Articles\n\n%s\n\n%s\n\n%s\n\n## Projects\n\n%s\n' \
	'1. [Github](https://github.com/a/b): Get started' \
	'2. [Two blanks](https://two.example/)  (English)' \
	'3. [Plain](https://plain.example/) (English)' '1. [Tool](https://tool.example/):x' \
	> "$d/issues/003.md"
$W -C "$d" build 3 -f md -o - 2>/dev/null | grep -E '^[0-9]+\. \[' > "$tmp/notes"
text "item notes kept byte for byte in Markdown" "1. [Github](https://github.com/a/b): Get started
2. [Two blanks](https://two.example/)  (English)
3. [Plain](https://plain.example/) (English)
1. [Tool](https://tool.example/):x" "$tmp/notes"
$W build 15 -f html -o - 2>/dev/null > "$tmp/15.html"
same "issue 15 HTML" tests/build/golden/015.html "$tmp/15.html"
$W build 2 -f html -o - 2>/dev/null > "$tmp/2.html"
same "issue 2 HTML" tests/build/golden/002.html "$tmp/2.html"

# Every link and image of the source appears in the page with the same URL:
# the source's inline links are read here with a pattern of their own, and
# `weekly links` must list exactly those (none missing, none extra).
for n in 2 15; do
	src=$(printf 'issues/%03d.md' $n)
	grep -oE '\]\([^) ]+' "$src" | cut -c3- > "$tmp/src-urls"
	$W links $n --format tsv | tail -n +2 | cut -f8 > "$tmp/listed-urls"
	want=$(wc -l < "$tmp/src-urls")
	[ "$want" -gt 20 ] && cmp -s "$tmp/src-urls" "$tmp/listed-urls" &&
		ok "issue $n: weekly links lists the source's $want links" ||
		ko "issue $n: weekly links lists the source's $want links" "$(diff "$tmp/src-urls" "$tmp/listed-urls" | head -3)"
	missing=$($W links $n --format tsv | tail -n +2 | while IFS=$'\t' read -r _ _ _ kind _ _ _ url _; do
		attr=href; [ "$kind" = image ] && attr=src
		url=${url//&/&amp;}
		grep -qF "$attr=\"$url\"" "$tmp/$n.html" || echo "$url"
	done)
	[ -z "$missing" ] && ok "issue $n: every source link is in the HTML" ||
		ko "issue $n: every source link is in the HTML" "missing $missing"
done

# Parsing variants: bullets, indented descriptions, ids and aliases, a lead.
d=$(scratch)
cp tests/build/ok/variants.md "$d/issues/007.md"
$W -C "$d" build 7 2>/dev/null; expect_status "variants build" 0 $?
same "variants Markdown" tests/build/golden/variants.md "$d/build/007.md"
same "variants HTML" tests/build/golden/variants.html "$d/build/007.html"

# Statistics reach templates that ask for them, also through a partial
# (contexts leave them out only when no template can look them up).
d2=$(scratch)
cp issues/015.md "$d2/issues/"
printf '{{stats.words}} {{stats.links}} {{stats.images}}\n{{> counts}}' > "$d2/templates/issue.md.mustache"
printf '{{#sections}}{{id}} {{stats.items}} {{stats.words}}\n{{/sections}}' > "$d2/templates/partials/counts.mustache"
$W -C "$d2" build 15 -f md -o - > "$tmp/stats.md" 2>/dev/null
expect_text "issue statistics in a template" "1185 32 4" "$(head -1 "$tmp/stats.md")"
expect_text "section statistics through a partial" "articles 15 705 projects 9 329 podcasts 4 151 " \
	"$(tail -n +2 "$tmp/stats.md" | tr '\n' ' ')"
rm -rf "$d2"

# A warning shows its own source line, not the rest of the file after it
# (the build indexes the issue's lines only up to the ones it needs).
d2=$(scratch)
cp issues/015.md "$d2/issues/"
NO_COLOR=1 $W -C "$d2" build 15 2>"$tmp/warn.err" >/dev/null
expect_text "a warning's source line is its line alone" \
	"  118 | $(sed -n 118p issues/015.md)" "$(grep -A1 '^issues/015.md:118:1:' "$tmp/warn.err" | tail -1)"
rm -rf "$d2"

# CRLF line endings and a byte-order mark read the same as LF.
printf '\xef\xbb\xbf' > "$d/issues/015.md"
sed 's/$/\r/' issues/015.md >> "$d/issues/015.md"
$W -C "$d" build 15 -f md -o - 2>/dev/null > "$tmp/crlf.md"
$W build 15 -f md -o - 2>/dev/null > "$tmp/lf.md"
same "CRLF and BOM accepted" "$tmp/lf.md" "$tmp/crlf.md"

# The lines after an item's link read with the extensions the rest of the
# issue is read with: the same text gives the same HTML on the link's
# paragraph and after a blank line.
ext='~~gone~~ https://bare.example/x\n| a | b |\n|---|---|\n| 1 | 2 |'
{ sed -n '1,/^## articles/p' tests/build/ok/variants.md
  printf -- '- [Joined](https://joined.example/)\n%b\n\n- [Apart](https://apart.example/)\n\n%b\n' "$ext" "$ext"
  sed -n '/^## Projects/,$p' tests/build/ok/variants.md; } > "$d/issues/007.md"
$W -C "$d" build 7 -f html -o - 2>/dev/null | awk '/joined.example/,/apart.example/' > "$tmp/joined"
$W -C "$d" build 7 -f html -o - 2>/dev/null | awk '/apart.example/,/<\/table>/' > "$tmp/apart"
expect_text "the lines after an item's link: strikethrough, autolink, table" \
	"1 1 1" "$(grep -c '<del>gone</del>' "$tmp/joined") $(grep -c 'href="https://bare.example/x"' "$tmp/joined") $(grep -c '<table>' "$tmp/joined")"
same "the lines after an item's link read as a paragraph apart" \
	<(sed -n '/<del>/,/<\/table>/p' "$tmp/apart") <(sed -n '/<del>/,/<\/table>/p' "$tmp/joined")
rm -f "$d/issues/007.md"

# Default outputs and -o FILE.
$W -C "$d" build 15 2>/dev/null; expect_status "build 15" 0 $?
same "build/015.md written" "$tmp/lf.md" "$d/build/015.md"
$W -C "$d" build 15 -f md -o "$tmp/out.md" 2>/dev/null
same "-o FILE" "$tmp/lf.md" "$tmp/out.md"

# Bad sources: exact diagnostics, exit 1, nothing written, old outputs kept.
for src in tests/build/bad/*.md; do
	name=$(basename "$src" .md)
	cp "$src" "$d/issues/007.md"
	rm -f "$d/build/007.md" "$d/build/007.html"
	$W -C "$d" build 7 -q 2> "$tmp/err"; rc=$?
	same "bad: $name diagnostics" "${src%.md}.err" "$tmp/err"
	expect_status "bad: $name exit status" 1 $rc
	if ls "$d/build" | grep -q '^007'; then ko "bad: $name writes nothing"; else ok "bad: $name writes nothing"; fi
done
cp tests/build/ok/variants.md "$d/issues/007.md"
$W -C "$d" build 7 2>/dev/null && cp "$d/build/007.html" "$tmp/before.html"
cp tests/build/bad/unknown-section.md "$d/issues/007.md"
$W -C "$d" build 7 2>/dev/null
same "a failed build keeps the previous output" "$tmp/before.html" "$d/build/007.html"
if ls "$d/build" | grep -q tmp; then ko "no temporary files left"; else ok "no temporary files left"; fi

# Sources are never written.
sum=$(cat issues/*.md issues/newsletter.yaml | md5sum)
$W build 2 15 >/dev/null 2>&1
[ "$sum" = "$(cat issues/*.md issues/newsletter.yaml | md5sum)" ] && ok "sources untouched" || ko "sources untouched"

# Write errors are reported with exit status 3.
d2=$(scratch); cp issues/015.md "$d2/issues/"; touch "$d2/build"
$W -C "$d2" build 15 2> "$tmp/err"; rc=$?
expect_status "unwritable build/ exits 3" 3 $rc
grep -q "^weekly: cannot create 'build': Not a directory$" "$tmp/err" && ok "unwritable build/ message" || ko "unwritable build/ message" "$(cat "$tmp/err")"
$W build 15 -f md -o /dev/full 2> "$tmp/err"; rc=$?
expect_status "full disk exits 3" 3 $rc
grep -q "^weekly: cannot write '/dev/full': No space left on device$" "$tmp/err" && ok "full disk message" || ko "full disk message" "$(cat "$tmp/err")"
$W build 15 -f md -o "$tmp/no/such/dir/x.md" 2>/dev/null; expect_status "missing -o folder exits 3" 3 $?
rm -rf "$d" "$d2"

# Usage errors exit 2; a missing issue is a content error.
$W build 2>/dev/null; expect_status "no issue given" 2 $?
$W build 2 15 -f md -o - >/dev/null 2>&1; expect_status "-o with two issues" 2 $?
$W build 15 -o - >/dev/null 2>&1; expect_status "-o without -f" 2 $?
$W build 15 -f pdf 2>/dev/null; expect_status "unknown format" 2 $?
$W build 99 2> "$tmp/err"; expect_status "no such issue" 1 $?
finish
