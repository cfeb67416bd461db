#!/bin/bash
# build/ as weekly leaves it: the state keyed on content (a fresh clone
# leaves it unchanged), warnings of skipped issues replayed, outputs of
# issues gone or drafts again removed, temporary files of killed writes
# removed, and build --all failing where check fails (the failing issue
# then not linked from its neighbours). Exact listings and exit statuses.
cd "$(dirname "$0")/.." && . tests/lib.sh
W=${WEEKLY:-$PWD/weekly}
T=tests/state
use_tmp state
export NO_COLOR=1
N=$tmp/n
# The archive tests' newsletter: issues 1, 2, 4 and the draft 3.
newsletter() { archive_copy "$N"; }
# run NAME STATUS ARGS...: weekly -C the newsletter; output in $tmp/out, $tmp/err.
run() {
	local name=$1 status=$2; shift 2
	"$W" -C "$N" "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
	unsearched "$tmp/out"
	expect_status "$name: exit status" "$status" "$rc"
}
# listed NAME LINES...: standard output was exactly these lines.
listed() { local name=$1; shift; printf '%s\n' "$@" | sed '/^$/d' >"$tmp/want"; same "$name" "$tmp/want" "$tmp/out"; }
# said NAME LINES...: standard error was exactly these lines.
said() { local name=$1; shift; printf '%s\n' "$@" >"$tmp/want"; same "$name" "$tmp/want" "$tmp/err"; }
nav() { sed -n 's/.*\(rel="\(prev\|next\)" href="[^"]*"\).*/\1/p' "$N/build/$1"; }
WARN2=("issues/002.md:9:4: warning: URL carries tracking parameter 'utm_source' [tracking]"
       "    9 | 1. [Shrinking wheels](https://Blog.Example:443/wheels/?utm_source=weekly&page=2#top)"
       "      |    ^")

# --- content, not times, decides --------------------------------------------------
newsletter
run "first build" 0 build --all
contents "$N" >"$tmp/before"
cp -r "$N" "$tmp/clone"; rm -rf "$N"; mv "$tmp/clone" "$N"   # every file a new time
touch "$N/issues/"*.md "$N/build/"*
run "a fresh copy: --check" 0 build --all --check
listed "a fresh copy: nothing out of date"
run "a fresh copy: build" 0 build --all -v
listed "a fresh copy: nothing written"
contents "$N" >"$tmp/after"
same "a fresh copy: build/ byte for byte as it was, state included" "$tmp/before" "$tmp/after"
run "a fresh copy: again" 0 build --all -v
listed "a fresh copy, again: nothing written"

# --- warnings of issues skipped are said again ---------------------------------------
said "nothing built: the warnings of issue 2 again" "${WARN2[@]}" "built 0 issues, 0 files"
run "build 2, skipped" 0 build 2 -q
said "build 2, skipped: its warnings again" "${WARN2[@]}"
sed -i 's/Strip debug symbols/Strip the debug symbols/' "$N/issues/002.md"
run "issue 2 changed" 0 build --all -v
said "issue 2 changed: its warnings once" "${WARN2[@]}" "built 1 issue, 6 files"   # its chunk's cache and the delta too
sed -i 's/?utm_source=weekly&/?/' "$N/issues/002.md"
run "warning fixed" 0 build --all
said "warning fixed: only the summary" "built 1 issue, 8 files"   # its packaging topic too
run "warning fixed, skipped" 0 build --all
said "warning fixed, skipped: nothing to say again" "built 0 issues, 0 files"

# --- no stale pages -------------------------------------------------------------------
newsletter
run "stale: first build" 0 build --all --drafts -q
echo "mine" >"$N/build/notes.txt"
cp "$N/build/002.md" "$N/build/002-copy.md"
rm "$N/issues/001.md"
sed -i 's/^date: 2024-01-27$/date: 2024-01-27\ndraft: true/' "$N/issues/004.md"
run "stale: --check" 1 build --all --check
listed "stale: --check lists what would change and what would go" \
	build/002.html build/index.html build/sitemap.xml build/topics/profiling.html \
	build/topics/profiling.xml build/feed.xml build/feed.json build/001.html build/001.md build/003.html build/003.md build/004.html build/004.md
[ -e "$N/build/001.md" ] && ok "stale: --check removes nothing" || ko "stale: --check removes nothing"
run "stale: build --all" 0 build --all -v
listed "stale: the outputs of issue 1 (deleted) and of drafts 3 and 4 removed" \
	build/002.html build/index.html build/sitemap.xml build/topics/profiling.html \
	build/topics/profiling.xml build/feed.xml build/feed.json "removed build/001.html" "removed build/001.md" "removed build/003.html" "removed build/003.md" \
	"removed build/004.html" "removed build/004.md"
(cd "$N/build" && ls) >"$tmp/out"
listed "stale: nothing else touched" 002-copy.md 002.html 002.md feed.json feed.xml index.html \
	notes.txt robots.txt search search.html sitemap.xml topics
run "stale: then --check" 0 build --all --check
listed "stale: then up to date"
said "stale: then, --check says only the warnings" "${WARN2[@]}"
newsletter
run "stale, changed by hand: first build" 0 build --all -q
echo "edited" >>"$N/build/004.html"
rm "$N/issues/004.md"
run "stale, changed by hand" 0 build --all -q
[ -e "$N/build/004.html" ] && [ ! -e "$N/build/004.md" ] &&
	ok "stale, changed by hand: kept; the untouched one removed" ||
	ko "stale, changed by hand: kept; the untouched one removed"
grep -qx "weekly: left 'build/004.html' in place: it changed since weekly wrote it" "$tmp/err" &&
	ok "stale, changed by hand: said" || ko "stale, changed by hand: said" "$(cat "$tmp/err")"
run "stale, changed by hand: then" 0 build --all --check
listed "stale, changed by hand: forgotten, not removed later"

# --- temporary files of killed writes ------------------------------------------------
newsletter
run "leftovers: first build" 0 build --all -q
sh -c 'exit 0' & dead=$!; wait
touch "$N/build/002.html.tmp$dead-7" "$N/build/.weekly-state.tmp$dead-Ab3xYz" \
	"$N/build/002.md.tmp$$-1" "$N/build/draft.tmp" "$N/build/x.tmp${dead}y"
touch "$N/issues/005.md.tmp$dead-q1W2e3"    # weekly new, killed before its link
run "leftovers: --check" 1 build --all --check
listed "leftovers: --check lists those of processes gone" \
	"build/.weekly-state.tmp$dead-Ab3xYz" "build/002.html.tmp$dead-7" "issues/005.md.tmp$dead-q1W2e3"
run "leftovers: build 1" 0 build 1 -v
listed "leftovers: any build removes them" \
	"removed build/.weekly-state.tmp$dead-Ab3xYz" "removed build/002.html.tmp$dead-7" \
	"removed issues/005.md.tmp$dead-q1W2e3"
[ -e "$N/build/002.md.tmp$$-1" ] && [ -e "$N/build/draft.tmp" ] && [ -e "$N/build/x.tmp${dead}y" ] &&
	ok "leftovers: a running process's file and other names stay" ||
	ko "leftovers: a running process's file and other names stay"

# A build killed between the renames of an issue's outputs (one new, one
# old, the state not yet written): --check lists the old one, the next
# build replaces it, the new one is not written again.
newsletter
run "half a pair: first build" 0 build --all -q
cp -r "$N/build/.weekly" "$tmp/index"; cp "$N/build/002.html" "$tmp/002.html"
sed -i 's/Strip debug symbols/Strip the debug symbols/' "$N/issues/002.md"
run "half a pair: the build that is killed" 0 build --all -q
rm -rf "$N/build/.weekly"; cp -r "$tmp/index" "$N/build/.weekly"; cp "$tmp/002.html" "$N/build/002.html"
run "half a pair: --check" 1 build --all --check
listed "half a pair: --check lists the old half" build/002.html
run "half a pair: build" 0 build --all -v
listed "half a pair: the next build completes it" build/002.html

# --- check and build --all agree ------------------------------------------------------
# An issue with errors: check and build fail it; its neighbours link past it.
newsletter
run "agree: first build" 0 build --all -q
nav 001.html >"$tmp/nav1"
cp "$N/build/feed.xml" "$N/build/index.html" "$tmp/"
printf '\n## Recipes\n' >>"$N/issues/002.md"
run "agree: check" 1 check 2
grep '^issues/' "$tmp/err" >"$tmp/check"
run "agree: build --all" 1 build --all -v
grep '^issues/' "$tmp/err" >"$tmp/build"
same "agree: build --all reports what check reports" "$tmp/check" "$tmp/build"
listed "agree: the neighbours rebuilt, index and feed held back" build/001.html build/004.html
nav 001.html >"$tmp/out"
listed "agree: issue 1 links past the failing issue" 'rel="next" href="004.html"'
nav 004.html >"$tmp/out"
listed "agree: issue 4 too" 'rel="prev" href="001.html"'
run "agree: again" 1 build --all -v
listed "agree: again, nothing rewritten"
sed -i '$d' "$N/issues/002.md"; sed -i '$d' "$N/issues/002.md"
run "agree: fixed" 0 build --all -v
listed "agree: fixed, the neighbours link to it again" build/001.html build/004.html
nav 001.html >"$tmp/out"
same "agree: as before" "$tmp/nav1" "$tmp/out"
same "agree: the feed as before" "$tmp/feed.xml" "$N/build/feed.xml"
same "agree: the archive page as before" "$tmp/index.html" "$N/build/index.html"
# Fixed in another way: the feed and the page list it again.
printf '\n## Recipes\n' >>"$N/issues/002.md"
run "agree: broken again" 1 build --all -q
sed -i '/^## Recipes$/d' "$N/issues/002.md"
printf -- '2. [A podcast](https://pod.example/1)\n\nAbout it.\n' >>"$N/issues/002.md"
run "agree: fixed otherwise" 0 build --all -v
listed "agree: fixed otherwise, everything that lists it" \
	build/001.html build/002.md build/002.html build/004.html build/index.html build/feed.xml \
	build/feed.json
grep -c 'pod.example/1' "$N/build/feed.xml" >"$tmp/out"
listed "agree: the feed carries the fixed issue" 1

# Two files for one number.
newsletter
cp "$N/issues/004.md" "$N/issues/4.md"
run "twins: check" 1 check
grep -x "issues/4.md: error: issue 4 also has the file 'issues/004.md' \[file\]" "$tmp/err" >"$tmp/check"
run "twins: build --all" 1 build --all -v
grep -x "issues/4.md: error: issue 4 also has the file 'issues/004.md' \[file\]" "$tmp/err" >"$tmp/build"
[ -s "$tmp/check" ] && same "twins: build --all fails it as check does" "$tmp/check" "$tmp/build" ||
	ko "twins: build --all fails it as check does" "check: $(cat "$tmp/err")"
listed "twins: the others built, index and feed held back" \
	build/001.md build/001.html build/002.md build/002.html build/004.md build/004.html
nav 004.html >"$tmp/out"
listed "twins: issue 4 links to no second 4" 'rel="prev" href="002.html"'
rm "$N/issues/004.md"
run "twins: the first removed" 0 build --all -v
listed "twins: the second builds, and everything that lists it" build/002.html \
	build/4.md build/4.html build/index.html build/sitemap.xml build/robots.txt \
	build/topics/profiling.html build/topics/profiling.xml build/topics/packaging.html \
	build/topics/packaging.xml build/feed.xml build/feed.json build/search.html \
	"removed build/004.html" "removed build/004.md"
grep -c '<title>Tiny Weekly #4: Profilers (January 27, 2024)</title>' "$N/build/feed.xml" >"$tmp/out"
listed "twins: the feed carries it" 1
nav 002.html >"$tmp/out"
listed "twins: issue 2 links to it" 'rel="prev" href="001.html"' 'rel="next" href="4.html"'

# Settings: duplicate section ids, malformed check settings.
for bad in ids keys; do
	newsletter
	if [ $bad = ids ]; then
		sed -i '0,/^  - id: projects$/s//  - id: articles/' "$N/issues/newsletter.yaml"
	else
		printf 'check:\n  issue_keys: sponsor\n' >>"$N/issues/newsletter.yaml"
	fi
	run "settings $bad: check" 1 check
	grep -a '^issues/newsletter' "$tmp/err" >"$tmp/check"
	run "settings $bad: build --all" 1 build --all -v
	grep -a '^issues/newsletter' "$tmp/err" >"$tmp/build"
	[ -s "$tmp/check" ] && same "settings $bad: build fails as check does" "$tmp/check" "$tmp/build" ||
		ko "settings $bad: build fails as check does"
	listed "settings $bad: nothing built"
done
text=$(sed -n 1p "$tmp/check")
expect_text "settings keys: the error" \
	"issues/newsletter.yaml:30:15: error: 'check.issue_keys' must be a list of keys [settings]" "$text"
newsletter
sed -i '0,/^  - id: projects$/s//  - id: articles/' "$N/issues/newsletter.yaml"
run "duplicate section id" 1 check
said "duplicate section id: the error at the second" \
	"issues/newsletter.yaml:13:9: error: section id 'articles' is used twice; first at line 10 [settings]" \
	"   13 |   - id: articles" "      |         ^" "1 error, 0 warnings"

# Templates: check compiles every one and every partial, used or not; a
# build then builds nothing. A name that resolves to nothing in a real
# issue's context is a warning, with the closest name there is.
newsletter
printf '{{#items}}\n  {{title}\n{{/items}}\n' >"$N/templates/partials/unused.mustache"
run "templates: check" 1 check 4
grep -a -A2 '^templates/' "$tmp/err" >"$tmp/check"
printf '%s\n' "templates/partials/unused.mustache:2:3: error: unclosed tag '{{title}': missing '}}' [template]" \
	"    2 |   {{title}" "      |   ^" >"$tmp/want"
same "templates: a broken partial nothing includes, at its line and column" "$tmp/want" "$tmp/check"
run "templates: build --all" 1 build --all -v
grep -a -A2 '^templates/' "$tmp/err" >"$tmp/build"
same "templates: build --all fails as check does" "$tmp/check" "$tmp/build"
listed "templates: nothing built"
rm "$N/templates/partials/unused.mustache"
sed -i 's/{{issue.number}}/{{isue.number}}/' "$N/templates/issue.md.mustache"
sed -i 's/{{page}}/{{pgae}}/' "$N/templates/issue.html.mustache"
run "template names: check" 0 check 4
# where the misspelt names are, found in the templates as they are now
at() { grep -n -o "^.*{{$2}}" "$N/templates/$1" | awk -F: -v f="$1" '{ print "templates/" f ":" $1 ":" length($0) - length($1) - length("{{'"$2"'}}") }'; }
{ at issue.html.mustache pgae | sed "s/\$/: warning: 'pgae' is nothing in the context of issue 4: it renders empty; did you mean 'page'? [template]/"
  echo "$(at issue.md.mustache isue.number): warning: 'isue.number' is nothing in the context of issue 4: it renders empty; did you mean 'issue.number'? [template]"
} >"$tmp/want"
grep -a "did you mean" "$tmp/err" | grep -v '^ ' | sort -u >"$tmp/out"
same "template names: misspelt names at their tags, with the names meant" "$tmp/want" "$tmp/out"
grep -a -A2 "^$(at issue.md.mustache isue.number):" "$tmp/err" | tail -n 1 >"$tmp/out"
col=$(at issue.md.mustache isue.number | cut -d: -f3)
printf '      |%*s^\n' "$col" "" >"$tmp/want"
same "template names: the caret under the tag" "$tmp/want" "$tmp/out"
run "template names: check --strict" 1 check 4 --strict
run "template names: build" 0 build 4 -q
# The names are judged in the newest issue's context, made once where that
# issue is checked, even when it has errors; what the templates get comes
# after what the issues get, in the order of their files.
sed -i 's/^date: .*/date: 2024-13-45/' "$N/issues/004.md"
run "template names, newest issue broken: check" 1 check
grep -a -v '^ ' "$tmp/err" >"$tmp/out"
{ echo "issues/002.md:9:4: warning: URL carries tracking parameter 'utm_source' [tracking]"
  echo "issues/003.md:16:4: warning: 'https://GITHUB.com/joerick/pyinstrument/' was already featured in issue 1 (issues/001.md:14) [featured]"
  echo "issues/004.md:3:7: error: 'date' must be a real date written YYYY-MM-DD, not '2024-13-45' [front-matter]"
  echo "issues/004.md:21:4: warning: 'https://github.com/joerick/pyinstrument#readme' was already featured in issue 1 (issues/001.md:14) [featured]"
  at issue.html.mustache pgae | sed "s/\$/: warning: 'pgae' is nothing in the context of issue 4: it renders empty; did you mean 'page'? [template]/"
  echo "$(at issue.md.mustache isue.number): warning: 'isue.number' is nothing in the context of issue 4: it renders empty; did you mean 'issue.number'? [template]"
  echo "1 error, 7 warnings in 4 issues"
} >"$tmp/want"
same "template names, newest issue broken: the issues' problems, then the templates'" "$tmp/want" "$tmp/out"
run "template names, older issue named: check" 0 check 2
grep -a -c "is nothing in the context of issue 2: " "$tmp/err" >"$tmp/out"
echo 4 >"$tmp/want"
same "template names, older issue named: judged in its context" "$tmp/want" "$tmp/out"

# A file over the size limit: a content error in both, exit 1.
newsletter
truncate -s 17M "$N/issues/005.md"
run "big file: check" 1 check 5
grep -x 'issues/005.md: error: file is larger than the limit of 16 MiB \[file\]' "$tmp/err" >"$tmp/check"
run "big file: build" 1 build 5 -q
same "big file: build says what check says" "$tmp/check" "$tmp/err"
finish
