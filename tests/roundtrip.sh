#!/bin/bash
# Build, import, build: every issue of the tests and the example comes back
# with the same items and the same bytes. Descriptions are the editor's text
# as written (indentation included), so an indented list of links stays in
# its item's description and never turns into items on import.
cd "$(dirname "$0")/.." && . tests/lib.sh
W=${WEEKLY:-$PWD/weekly}
use_tmp roundtrip

# items DIR N: the items of issue N, one per line (section, number, URL).
items() { "$W" -C "$1" links "$2" --format tsv | awk -F'\t' '$4 == "item" { print $2, $3, $8 }'; }

# roundtrip SETTINGS SOURCE: the source as an issue of a newsletter with
# SETTINGS, built to Markdown, imported into a fresh one and built again.
roundtrip() {
	local settings=$1 src=$2 name n a b
	name=${src#tests/}
	n=$(sed -n 's/^number: *//p' "$src" | head -n 1)
	a=$(scratch); b=$(scratch)
	cp "$settings" "$a/issues/newsletter.yaml"; cp "$settings" "$b/issues/newsletter.yaml"
	cp "$src" "$a/issues/$(printf %03d "$n").md"
	"$W" -C "$a" build "$n" -f md -o - > "$tmp/first.md" 2>/dev/null
	(cd "$b" && "$W" import "$tmp/first.md" > /dev/null 2> "$tmp/err"); rc=$?
	expect_status "round trip $name: imported" 0 $rc
	same "round trip $name: import says nothing" /dev/null "$tmp/err"
	"$W" -C "$b" build "$n" -f md -o - > "$tmp/again.md" 2>/dev/null
	same "round trip $name: the same bytes" "$tmp/first.md" "$tmp/again.md"
	items "$a" "$n" > "$tmp/items-first"
	items "$b" "$n" > "$tmp/items-again"
	[ -s "$tmp/items-first" ] && same "round trip $name: the same items" \
		"$tmp/items-first" "$tmp/items-again" || ko "round trip $name: the same items" "none"
	rm -rf "$a" "$b"
}

for src in issues/[0-9]*.md tests/build/ok/*.md tests/roundtrip/*.md; do
	roundtrip issues/newsletter.yaml "$src"
done
for src in tests/archive/issues/*.md; do
	roundtrip tests/archive/newsletter.yaml "$src"
done
for src in tests/check/archive/*.md tests/check/rules/clean.md; do
	roundtrip tests/check/newsletter.yaml "$src"
done

# The description list of links is the description's, before and after.
d=$(scratch)
cp tests/roundtrip/descriptions.md "$d/issues/009.md"
"$W" -C "$d" check 9 2> "$tmp/err"
same "indented lists of links: no diagnostics" /dev/null "$tmp/err"
items "$d" 9 > "$tmp/got"
printf '%s\n' "articles 1 https://one.example/a" "articles 2 https://two.example/b" \
	"articles 3 https://three.example/" "projects 1 https://four.example/" \
	"projects 2 https://five.example/" > "$tmp/want"
same "indented lists of links stay in descriptions; 1、 marks items" "$tmp/want" "$tmp/got"

# Items indented alike are items, however far: only a list indented
# further than its item's marker joins the description.
cp tests/roundtrip/indented-items.md "$d/issues/010.md"
items "$d" 10 > "$tmp/got"
printf '%s\n' "articles 1 https://a.example/" "articles 2 https://b.example/" \
	"projects 1 https://p.example/" > "$tmp/want"
same "items indented alike are all items" "$tmp/want" "$tmp/got"
finish
