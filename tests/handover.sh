#!/bin/bash
# handover.sh - `build --all` with search, topics and seasons reads each
# issue once: the issue's job hands the topics its lines and the seasons
# their items (and search its terms), and the pages made from what was
# handed over are the pages made from the sources read again.
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
W="${WEEKLY:-./weekly}"
use_tmp handover
export NO_COLOR=1

# pages DIR [PATTERN]: the files the three make in DIR/build (search's
# caches aside), or those of them whose names PATTERN (grep) finds, one
# "DIGEST NAME" line each.
pages() {
	(cd "$1/build" && find . -type f \( -path './topics/*' -o -name 'season-*' -o \
		\( -path './search/*' ! -path './search/t/*' \) \) | grep -- "${2:-.}" |
		LC_ALL=C sort | xargs sha256sum)
}

# --- each issue read once -----------------------------------------------------
# strace counts the opens of each source: with the three on, as many as
# without them (each issue's job hands over what they take of it).
if command -v strace >/dev/null; then
	opens() { # (LeakSanitizer, in a sanitizers' build, cannot run under ptrace)
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
			strace -f -qq -e trace=openat -o "$tmp/trace" "$W" -C "$1" build --all -q -j 2 \
			>/dev/null 2>&1
		grep -o 'issues/[0-9]*\.md' "$tmp/trace" | LC_ALL=C sort | uniq -c
	}
	archive_copy "$tmp/none"
	sed -i '/^search:/d; /^topics:/,/^[^ -]/{/^topics:/d; /^[ -]/d}' "$tmp/none/issues/newsletter.yaml"
	grep -q '^search:\|^topics:' "$tmp/none/issues/newsletter.yaml" &&
		ko "a newsletter without search and topics" "$(grep '^search:\|^topics:' "$tmp/none/issues/newsletter.yaml")"
	archive_copy "$tmp/all" "seasons: {size: 2}"
	without=$(opens "$tmp/none")
	with=$(opens "$tmp/all")
	[ -n "$without" ] && [ -f "$tmp/all/build/season-1.html" ] &&
		[ -f "$tmp/all/build/topics/profiling.html" ] && [ -f "$tmp/all/build/search/about.js" ] ||
		ko "search, topics and seasons are made" "$(ls "$tmp/all/build")"
	printf '%s\n' "$with" >"$tmp/with"
	text "from nothing: search, topics and seasons open no source again" "$without" "$tmp/with"
else
	skip "from nothing: search, topics and seasons open no source again" "no strace"
fi

# --- handed over or read again: the same pages -----------------------------------
archive_copy "$tmp/n" "seasons: {size: 2}"
"$W" -C "$tmp/n" build --all -q 2>/dev/null
expect_status "from nothing: builds" 0 $?
pages "$tmp/n" >"$tmp/handed"
[ "$(grep -c 'season-\|topics/' "$tmp/handed")" -ge 6 ] ||
	ko "from nothing: the seasons' and the topics' pages" "$(cat "$tmp/handed")"
# Their pages and the topics' cache gone, the issues' outputs up to date:
# no job runs, and the topics and seasons read the sources themselves.
rm -rf "$tmp/n/build/topics" "$tmp/n/build/.weekly/topics.tsv" "$tmp/n/build"/season-*.html
"$W" -C "$tmp/n" build --all -v >"$tmp/out" 2>/dev/null
expect_status "read again: builds" 0 $?
grep -q '/00[0-9]\.\(md\|html\)$' "$tmp/out" && ko "read again: no issue built" "$(cat "$tmp/out")" ||
	ok "read again: no issue built"
same "read again: the same pages as handed over" "$tmp/handed" <(pages "$tmp/n")

# One issue changed: its job hands over, the other issue of its season is
# read; the pages are those of the same sources built from nothing.
sed -i 's/^\(1\. \[[^]]*\)\]/\1, revised]/' "$tmp/n/issues/002.md"
grep -q 'revised' "$tmp/n/issues/002.md" || ko "issue 2 changed" "$(head -20 "$tmp/n/issues/002.md")"
"$W" -C "$tmp/n" build --all -v >"$tmp/out" 2>/dev/null
expect_status "one issue changed: builds" 0 $?
grep -v '^build/search/\|^build/feed' "$tmp/out" >"$tmp/listed"
text "one issue changed: its outputs, its season and its topic's page and feed" \
	"build/002.md
build/002.html
build/season-1.html
build/topics/packaging.html
build/topics/packaging.xml" "$tmp/listed"
grep -q 'season-1\.html' "$tmp/out" && grep -q 'season-2\.html' "$tmp/out" &&
	ko "one issue changed: the other season left alone" "$(cat "$tmp/out")" ||
	ok "one issue changed: the other season left alone"
cp -r "$tmp/n" "$tmp/fresh"
rm -rf "$tmp/fresh/build"
"$W" -C "$tmp/fresh" build --all -q 2>/dev/null
# (search's differ: a change goes to its delta, not to its shards)
pages "$tmp/fresh" 'topics/\|season-' >"$tmp/want-pages"
same "one issue changed: the pages of the same sources built from nothing" \
	"$tmp/want-pages" <(pages "$tmp/n" 'topics/\|season-')
grep -q 'revised' "$tmp/n/build/season-1.html" && ok "one issue changed: its season shows it" ||
	ko "one issue changed: its season shows it" "$(grep -c revised "$tmp/n/build/season-1.html")"

# An item's marker as written ('1、 [') reaches the season's items handed
# over as it does those read again.
archive_copy "$tmp/m" "seasons: {size: 2}"
sed -i 's/^1\. \[/1、 [/' "$tmp/m/issues/001.md"
sed -i 's/^{{#items}}$/&[{{marker}}]/' "$tmp/m/templates/season.html.mustache"
"$W" -C "$tmp/m" build --all -q 2>/dev/null
expect_status "marker: builds" 0 $?
grep '^\[' "$tmp/m/build/season-1.html" >"$tmp/handed"
rm "$tmp/m/build"/season-*.html
"$W" -C "$tmp/m" build --all -q 2>/dev/null
grep '^\[' "$tmp/m/build/season-1.html" >"$tmp/read"
text "marker: handed over, the items' markers" "[、 ]
[]
[]
[、 ]
[]
[]" "$tmp/handed"
same "marker: handed over as read again" "$tmp/read" "$tmp/handed"

finish
