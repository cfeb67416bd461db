#!/bin/bash
# search.sh - the search index `weekly build --all` writes (build/search/,
# include/weekly/search.h): item chunks byte for byte, terms and their
# postings, drafts left out, and files rewritten only when what they are made
# of changed: a one-issue change goes to the delta (d.js), not the shards. The script itself is tested in a browser (tests/browser/run).
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
W="${WEEKLY:-./weekly}"
A=tests/archive
use_tmp search
export NO_COLOR=1
n=$tmp/n
s=$n/build/search

archive_copy "$n"
"$W" -C "$n" build --all 2>/dev/null
expect_status "build --all" 0 $?
same "issues 1, 2 and 4 in chunk 0, newest first" tests/search/golden/chunk-0.js "$s/c/0.js"
expect_text "a small index: 16 shards" 16 "$(ls "$s/p" | wc -l)"
grep -q '^weeklySearch.about({"issues":3,"newest":4,"shards":16});$' "$s/about.js" &&
	ok "about.js: 3 issues, the newest 4, 16 shards" ||
	ko "about.js: 3 issues, the newest 4, 16 shards" "$(cat "$s/about.js")"
expect_text "the search page names the shards, so the script loads them with the delta" \
	'data-shards="16"' "$(grep -o 'data-shards="[0-9]*"' "$n/build/search.html")"
expect_text "each shard says how many there are: a stale page's guess is found out" \
	'weeklySearch.shard("00a",16,{' "$(head -n 1 "$s/p/00a.js")"
# The page's words are the newsletter's, in its language: the script says
# its counts in them (data-*), and a Chinese newsletter's page is Chinese
grep -o ' data-found="[^"]*"' "$n/build/search.html" >"$tmp/out"
text "the search page hands its words to the script" ' data-found="{n} items:"' "$tmp/out"
z=$tmp/z
archive_copy "$z"
sed -i 's/^language: .*/language: zh/' "$z/issues/newsletter.yaml"
grep -q '^language: zh' "$z/issues/newsletter.yaml" || echo 'language: zh' >>"$z/issues/newsletter.yaml"
"$W" -C "$z" build --all -q 2>/dev/null
grep -oE '<h1>[^<]*</h1>|<label for="q">[^<]*|data-(none|found)="[^"]*"' "$z/build/search.html" >"$tmp/out"
text "a Chinese newsletter's search page is in Chinese" "<h1>$(sed -n 's/^name: //p' "$z/issues/newsletter.yaml" | tr -d '"')：搜索</h1>
<label for=\"q\">标题、简介、描述或网站中的词语
data-none=\"没有分享含有这个词。\"
data-found=\"共 {n} 则分享：\"" "$tmp/out"
# A committed build/ checked in a fresh clone: no build state, the page the same
c=$tmp/c
cp -r "$n" "$c" && rm -rf "$c/build/.weekly"
"$W" -C "$c" build --all --check >"$tmp/out" 2>/dev/null
expect_status "without the build state, build --all --check: the search page is up to date" 0 $?
expect_text "without the build state, build --all --check: nothing listed" "" "$(cat "$tmp/out")"
# term TERM: its line in whichever shard holds it
term() { grep -h "^\"$1\":" "$s"/p/*.js | sed 's/,$//; s/});$//'; }
expect_text "a title word: its items, newest first, ! in titles" '"profiling":"1.0!"' "$(term profiling)"
expect_text "a word of titles and descriptions" '"profiler":"4.0,4.2,1.1"' "$(term profiler)"
expect_text "a site" '"github.com":"4.1,4.2,2.2,1.1"' "$(term github.com)"
expect_text "a word of a note or description" '"restarting":"4.1"' "$(term restarting)"
grep -q "^3	" "$s/t/0.txt" || grep -q '"n":3' "$s/c/0.js" && ko "a draft is not indexed" ||
	ok "a draft is not indexed"
expect_text "the cache: a file for the chunk of issues 1 to 15, and the shards' manifest" \
	"0.txt shards.txt" "$(ls "$s/t" | tr '\n' ' ' | sed 's/ $//')"
expect_text "the chunk's cache: its issues newest first, a line each, then their records" \
	"4 2 1" "$(sed '/^$/q' "$s/t/0.txt" | cut -f1 | tr '\n' ' ' | sed 's/ *$//')"
# A term's shard is named by the low bits of its FNV-1a hash (32 bits), as
# src/search.js finds it: computed here apart from weekly.
shard_of() { python3 -c 'import sys
h = 2166136261
for b in sys.argv[1].encode(): h = ((h ^ b) * 16777619) & 0xffffffff
print("%03x" % (h & 15))' "$1"; }
misplaced=""
for w in profiling profiler github.com restarting sampling; do
	grep -q "^\"$w\":" "$s/p/$(shard_of "$w").js" 2>/dev/null || misplaced="$misplaced $w"
done
[ -z "$misplaced" ] && ok "each term in the shard its FNV-1a hash names" ||
	ko "each term in the shard its FNV-1a hash names" "not there:$misplaced"

snap() { (cd "$s" && find . -type f -printf '%p %s %T@ %i\n' | sort); }
snap >"$tmp/before"
"$W" -C "$n" build --all 2>/dev/null
snap >"$tmp/after"
same "no change: nothing in build/search rewritten" "$tmp/before" "$tmp/after"

sed -i 's/Why a sampling profiler/Why a statistical profiler/' "$n/issues/004.md"
"$W" -C "$n" build --all -v >"$tmp/v" 2>"$tmp/err"
snap >"$tmp/after"
changed=$(diff "$tmp/before" "$tmp/after" | sed -n 's/^> \.\/\([^ ]*\) .*/\1/p' | tr '\n' ' ')
expect_text "one issue changed: the cache and the delta rewritten, nothing else (about.js says the same)" \
	"d.js t/0.txt " "$changed"
expect_text "one issue changed: -v lists the index's files written" "build/search/t/0.txt
build/search/d.js" "$(grep '^build/search/' "$tmp/v")"
expect_text "one issue changed: and counts them" "built 1 issue, $(grep -c . "$tmp/v") files" \
	"$(tail -n 1 "$tmp/err")"
expect_text "one issue changed: its chunk's cache made again" "t/0.txt" \
	"$(tr ' ' '\n' <<<"$changed" | grep '^t/')"
case "$changed" in
*c/0.js*) ko "one word of a description changed: the chunk is the same" "$changed" ;;
*) ok "one word of a description changed: the chunk is the same" ;;
esac
expect_text "one issue changed: no shard rewritten, the delta is" "d.js" \
	"$(tr ' ' '\n' <<<"$changed" | grep -E '^(p/|d\.js)')"
expect_text "the delta: the changed issue, which the shards no longer answer for" \
	'weeklySearch.delta([4],{' "$(head -c 24 "$s/d.js")"
delta_term() { grep -o "\"$1\":\"[^\"]*\"" "$s/d.js"; }
expect_text "the delta: the new word, in the changed issue" '"statistical":"4.0"' \
	"$(delta_term statistical)"
expect_text "the delta: every word of the changed issue" '"sampling":"4.0!"' "$(delta_term sampling)"
expect_text "the shards as they were" '"statistical":"1.1"' "$(term statistical)"
rm "$n/issues/002.md"
"$W" -C "$n" build --all 2>/dev/null
expect_text "an issue gone: in the delta, with no words" 'weeklySearch.delta([2,4],{' \
	"$(head -c 26 "$s/d.js")"
"$W" -C "$n" build --all --force 2>/dev/null
expect_text "--force: the shards made again" '"statistical":"4.0,1.1"' "$(term statistical)"
expect_text "--force: the delta is empty" 'weeklySearch.delta([],{});' "$(cat "$s/d.js")"

# Chunks of 16 issues: one issue changed, its chunk's cache is made again
# from the others' records in it, and no other issue is read.
g=$tmp/g
tests/bench/gen-archive "$g" 40 >/dev/null && echo "search: true" >>"$g/issues/newsletter.yaml"
"$W" -C "$g" build --all -q 2>/dev/null
gsnap() { (cd "$g/build/search" && find t -type f -printf '%p %s %T@ %i\n' | sort); }
gsnap >"$tmp/before"
sed -n '/^$/q;p' "$g/build/search/t/1.txt" | cut -f1,2 >"$tmp/kept"
printf '\n1. [Quagga](https://q.example/)\n' >>"$g/issues/020.md"
if command -v strace >/dev/null; then
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -qq -e trace=openat -o "$tmp/trace" "$W" -C "$g" build --all -q 2>/dev/null
	expect_text "one issue changed: only its source read" "issues/020.md" \
		"$(grep -o 'issues/[0-9]*\.md' "$tmp/trace" | sort -u)"
else
	"$W" -C "$g" build --all -q 2>/dev/null
	skip "one issue changed: only its source read" "no strace"
fi
gsnap >"$tmp/after"
expect_text "one issue changed: only its chunk's cache made again" "t/1.txt" \
	"$(diff "$tmp/before" "$tmp/after" | sed -n 's/^> \([^ ]*\) .*/\1/p')"
expect_text "the chunk's other issues: their records kept, issue 20 made again" \
	"$(grep -v '^20	' "$tmp/kept")" "$(sed -n '/^$/q;p' "$g/build/search/t/1.txt" | cut -f1,2 | grep -v '^20	')"
grep -q '"quagga":"20\.' "$g/build/search/d.js" && ok "one issue changed: its new word in the delta" ||
	ko "one issue changed: its new word in the delta" "$(head -c 200 "$g/build/search/d.js")"
# A title changed and changed back: the issue is again as the shards have
# it (in no delta), but its chunk's items are written again all the same.
cp "$g/build/search/c/2.js" "$tmp/c2"
sed -i '0,/^1\. \[/s//1. [Quagga /' "$g/issues/033.md"
"$W" -C "$g" build --all -q 2>/dev/null
grep -q '"Quagga How to Profile' "$g/build/search/c/2.js" && ok "a title changed: in its chunk's items" ||
	ko "a title changed: in its chunk's items" "$(head -c 300 "$g/build/search/c/2.js")"
sed -i 's/^1\. \[Quagga /1. [/' "$g/issues/033.md"
"$W" -C "$g" build --all -q 2>/dev/null
same "a title changed back: its chunk's items as they were" "$tmp/c2" "$g/build/search/c/2.js"
# A cache damaged by hand is found out when it is read back.
cp -p "$g/build/search/t/2.txt" "$tmp/t2" && printf '32\tzz\n' >"$g/build/search/t/2.txt" &&
	truncate -s "$(stat -c %s "$tmp/t2")" "$g/build/search/t/2.txt" &&
	touch -r "$tmp/t2" "$g/build/search/t/2.txt"
"$W" -C "$g" build --all -q --force >/dev/null 2>"$tmp/err"
expect_status "a damaged cache: I/O error" 3 $?
grep -q "^weekly: '.*build/search/t/2\.txt' is damaged: delete it and build again$" "$tmp/err" &&
	ok "a damaged cache: said so" || ko "a damaged cache: said so" "$(grep '^weekly' "$tmp/err")"
cp -p "$tmp/t2" "$g/build/search/t/2.txt" && touch -r "$tmp/t2" "$g/build/search/t/2.txt"

# More issues changed than the delta holds: the shards are made again
for f in "$g"/issues/0[0-3]*.md; do printf '\n1. [Zyzzyva](https://z.example/)\n' >>"$f"; done
"$W" -C "$g" build --all -q 2>/dev/null
expect_status "40 issues, 39 with one more item: built" 0 $?
expect_text "more changed than the delta holds: an empty delta" 'weeklySearch.delta([],{});' \
	"$(cat "$g/build/search/d.js")"
grep -q '"zyzzyva":"39\.' "$g"/build/search/p/*.js && ok "more changed than the delta holds: shards remade" ||
	ko "more changed than the delta holds: shards remade" "no 'zyzzyva' in the shards"
rm "$g"/issues/03[2-9].md "$g"/issues/040.md
"$W" -C "$g" build --all -q 2>/dev/null
expect_status "issues 32 to 40 gone: built" 0 $?
expect_text "issues 32 to 40 gone: the cache of their chunk removed" "0.txt 1.txt shards.txt" \
	"$(ls "$g/build/search/t" | tr '\n' ' ' | sed 's/ $//')"

# Items without a link (an issue of titles only, "[Content deleted]()"): the
# chunk gives their place on the issue's page, which a result links to.
m=$tmp/m
rm -rf "$m" && mkdir -p "$m/issues" && cp $A/newsletter.yaml "$m/issues/" && cp -r templates "$m/"
printf -- '---\nnumber: 5\ndate: 2024-02-03\n---\n\n## Articles\n\n1. [Content deleted]()\n\nIt was here.\n
2. [Kept](https://kept.example/)\n\nStill here.\n\n## Projects\n\n1. [Gone too]()\n\nAnd this.\n' >"$m/issues/005.md"
printf -- '---\nnumber: 6\ndate: 2024-02-10\ntitles_only: true\n---\n\n## Articles\n
1. PEP 836: a JIT for CPython\n\n2. [Linked](https://linked.example/)\n\n## Projects\n\n1. uv skills\n' \
	>"$m/issues/006.md"
"$W" -C "$m" build --all -q 2>/dev/null
expect_status "items without a link: built" 0 $?
cat >"$tmp/want" <<'EOF'
weeklySearch.issue({"n":6,"page":"006.html","date":"2024-02-10","title":"","items":[
["Articles","PEP 836: a JIT for CPython","","articles-1"],
["Articles","Linked","https://linked.example/"],
["Projects","uv skills","","projects-1"]]});
weeklySearch.issue({"n":5,"page":"005.html","date":"2024-02-03","title":"","items":[
["Articles","Content deleted","","articles-1"],
["Articles","Kept","https://kept.example/"],
["Projects","Gone too","","projects-1"]]});
EOF
same "items without a link: their anchors on the issue's page" "$tmp/want" "$m/build/search/c/0.js"
for a in 006.html:articles-1 006.html:projects-1 005.html:articles-1 005.html:projects-1; do
	grep -q "<li id=\"${a#*:}\">" "$m/build/${a%%:*}" && ok "the anchor $a is on its page" ||
		ko "the anchor $a is on its page" "no id=\"${a#*:}\" in ${a%%:*}"
done

rm -rf "$s/p" && echo x >"$s/p"
rm "$s/about.js"
"$W" -C "$n" build --all >/dev/null 2>"$tmp/err"
expect_status "build/search/p is a file: I/O error" 3 $?
grep -q "^weekly: cannot write '.*build/search/p/[0-9a-f]*\.js': Not a directory$" "$tmp/err" &&
	ok "build/search/p is a file: said so" || ko "build/search/p is a file: said so" "$(cat "$tmp/err")"
finish
