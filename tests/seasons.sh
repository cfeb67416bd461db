#!/bin/bash
# seasons.sh - `seasons:` in the settings: one page per season with every
# item of its listed issues by section (build/season-N.html, and .md from
# the newsletter's own template), linked from the archive page and the
# sitemap, rewritten only when its issues changed, removed when the season
# goes; the setting's mistakes at their line.
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
W="${WEEKLY:-./weekly}"
A=tests/archive
G=tests/seasons
use_tmp seasons
export NO_COLOR=1

# The archive tests' newsletter (issues 1, 2 and 4; 3 a draft) with seasons.
newsletter() { archive_copy "$tmp/n" "$@"; }
build() { "$W" -C "$tmp/n" build --all -v "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?; unsearched "$tmp/out"; return $rc; }
# listing NAME WANT: what the last build wrote, one name a line.
listing() { text "$1" "$2" "$tmp/out"; }
b="$tmp/n/build"

# --- by size -------------------------------------------------------------------
newsletter "seasons: {size: 2}"
build
expect_status "size: builds" 0 $?
listing "size: every page, then the seasons' after the archive page" "build/001.md
build/001.html
build/002.md
build/002.html
build/004.md
build/004.html
build/index.html
build/sitemap.xml
build/robots.txt
build/season-1.html
build/season-2.html
build/topics/profiling.html
build/topics/profiling.xml
build/topics/packaging.html
build/topics/packaging.xml
build/feed.xml
build/feed.json
build/search.html"
same "season 1: every item of issues 1 and 2, by section" $G/season-1.html "$b/season-1.html"
expect_text "season 2: the draft (issue 3) is left out" \
	'<li><a href="004.html">#4: Profilers</a> <span class="note">(<time datetime="2024-01-27">January 27, 2024</time>)</span></li>' \
	"$(sed -n '/<ul class="archive">/,/<\/ul>/p' "$b/season-2.html" | grep '^<li>')"
grep -q '003\.html\|Not yet' "$b/season-2.html" && ko "season 2: nothing of the draft" ||
	ok "season 2: nothing of the draft"
expect_text "season 2: one issue, its range written once" \
	"<p>#4 (<time datetime=\"2024-01-27\">January 27, 2024</time> – <time datetime=\"2024-01-27\">January 27, 2024</time>): 1 issue, 3 links. Every item of these issues, by section.</p>" \
	"$(grep '^<p>#4' "$b/season-2.html")"
expect_text "season 2: its link to season 1, none to a next" \
	'<a rel="prev" href="season-1.html">← Season 1 (#1–#2)</a>' \
	"$(grep 'rel="prev"\|rel="next"' "$b/season-2.html")"
same "archive page: the seasons, linked" $G/index-seasons.html \
	<(sed -n '/<nav aria-labelledby="seasons">/,/<\/nav>/p' "$b/index.html")
text "sitemap: each season's page, dated by its newest issue" \
	"<url><loc>https://tiny.example/archive/season-1.html</loc><lastmod>2024-01-13</lastmod></url>
<url><loc>https://tiny.example/archive/season-2.html</loc><lastmod>2024-01-27</lastmod></url>" \
	<(grep season "$b/sitemap.xml")
for p in season-1 season-2; do
	expect_text "$p: description, Open Graph and Twitter tags, canonical URL" 7 \
		"$(grep -c '<meta name="description" content="Season\|<link rel="canonical" href="https://tiny.example/archive/'$p'.html">\|<meta property="og:url" content="https://tiny.example/archive/'$p'.html">\|<meta property="og:title" content="Tiny Weekly: Season\|<meta property="og:description" content="Season\|<meta name="twitter:title" content="Tiny Weekly: Season\|<meta name="twitter:description" content="Season' "$b/$p.html")"
done
if command -v xmllint >/dev/null; then
	xmllint --noout "$b/sitemap.xml" 2>"$tmp/lint" && ok "sitemap: well-formed" ||
		ko "sitemap: well-formed" "$(head -3 "$tmp/lint")"
else
	skip "sitemap: well-formed" "no xmllint"
fi

# --- only what changed ---------------------------------------------------------
build
[ -s "$tmp/out" ] && ko "no change: nothing written" "$(cat "$tmp/out")" || ok "no change: nothing written"
build --check
expect_status "no change: --check finds nothing out of date" 0 $?
sed -i 's/\[py-spy\]/[py-spy, the sampler]/' "$tmp/n/issues/004.md"
build
listing "an item of issue 4 retitled: its pages, its season's (not season 1's) and the feeds" "build/004.md
build/004.html
build/season-2.html
build/topics/profiling.html
build/topics/profiling.xml
build/feed.xml
build/feed.json"
grep -q 'py-spy, the sampler' "$b/season-2.html" && ok "season 2: the new title" ||
	ko "season 2: the new title"
sed -i 's/^date: 2024-01-06/date: 2024-01-05/' "$tmp/n/issues/001.md"
build
listing "issue 1 redated: its season's page with it" "build/001.md
build/001.html
build/002.html
build/index.html
build/sitemap.xml
build/season-1.html
build/topics/profiling.html
build/topics/profiling.xml
build/feed.xml
build/feed.json"
touch "$tmp/n/build/season-1.html"
build --force
grep -q 'season-1.html' "$tmp/out" && ko "--force: a page the same byte for byte is not rewritten" ||
	ok "--force: a page the same byte for byte is not rewritten"
sed -i '/^draft: true$/d' "$tmp/n/issues/003.md"
build
grep -q 'build/season-1.html' "$tmp/out" && grep -q '(#3–#4) →' "$b/season-1.html" &&
	ok "issue 3 published: season 1's link to season 2 shows its new first issue" ||
	ko "issue 3 published: season 1's link to season 2 shows its new first issue" "$(cat "$tmp/out")"
cp $A/issues/003.md "$tmp/n/issues/" && build

# --- an issue with errors holds the seasons back, and removes nothing ----------
cp "$b/season-1.html" "$tmp/season-1.before"
sed -i 's/^date: 2024-01-05/date: 2024-01-5/' "$tmp/n/issues/001.md"
build
expect_status "an issue with errors: the build fails" 1 $?
same "an issue with errors: its season's page stays as it was" "$tmp/season-1.before" "$b/season-1.html"
sed -i 's/^date: 2024-01-5/date: 2024-01-05/' "$tmp/n/issues/001.md"
build

# --- a page changed or in the way in build/ ------------------------------------
cp "$b/season-1.html" "$tmp/season-1.before"
echo '<p>edited</p>' >>"$b/season-1.html"
cp "$b/season-1.html" "$tmp/season-1.edited"
build --check
expect_status "a season's page edited in build/: --check fails" 1 $?
listing "a season's page edited in build/: --check lists it" "build/season-1.html"
same "a season's page edited in build/: --check leaves it" "$tmp/season-1.edited" "$b/season-1.html"
build
listing "a season's page edited in build/: the build puts it back" "build/season-1.html"
same "a season's page edited in build/: as it was made" "$tmp/season-1.before" "$b/season-1.html"
build
[ -s "$tmp/out" ] && ko "a season's page put back: fresh after" "$(cat "$tmp/out")" ||
	ok "a season's page put back: fresh after"
rm "$b/season-2.html" && mkdir "$b/season-2.html"
sed -i 's/\[Sampling versus tracing\]/[Sampling or tracing]/' "$tmp/n/issues/004.md"
build
expect_status "a season's page that cannot be written: the build fails" 3 $?
expect_text "a season's page that cannot be written: said" \
	"weekly: cannot write 'build/season-2.html': Is a directory" "$(grep '^weekly:' "$tmp/err")"
grep -q 'Sampling or tracing' "$b/004.html" && ok "a season's page that cannot be written: the issue's pages made" ||
	ko "a season's page that cannot be written: the issue's pages made"
rmdir "$b/season-2.html"
build
expect_status "the way cleared: the build passes" 0 $?
grep -q 'Sampling or tracing' "$b/season-2.html" && ok "the way cleared: the season's page made" ||
	ko "the way cleared: the season's page made" "$(cat "$tmp/out" "$tmp/err")"
sed -i 's/\[Sampling or tracing\]/[Sampling versus tracing]/' "$tmp/n/issues/004.md"
build

# --- ranges ------------------------------------------------------------------------
sed -i '/^seasons:/d' "$tmp/n/issues/newsletter.yaml"
cat >>"$tmp/n/issues/newsletter.yaml" <<'YAML'
seasons:
  - {from: 1, until: 3, title: "The beginning"}
  - from: 4
YAML
build
listing "ranges: both pages rewritten, the archive page too" "build/index.html
build/season-1.html
build/season-2.html"
expect_text "ranges: a range's own title" "<h1>Tiny Weekly: The beginning</h1>" \
	"$(grep '<h1>' "$b/season-1.html")"
expect_text "ranges: an open last range, named by its number" "<h1>Tiny Weekly: Season 2</h1>" \
	"$(grep '<h1>' "$b/season-2.html")"
sed -i '/^seasons:/,$d' "$tmp/n/issues/newsletter.yaml"
echo "seasons: {size: 30}" >>"$tmp/n/issues/newsletter.yaml"
build
listing "a season gone: its page removed" "build/index.html
build/sitemap.xml
build/season-1.html
removed build/season-2.html"
[ -e "$b/season-2.html" ] && ko "a season gone: no file left" || ok "a season gone: no file left"
sed -i '/^seasons:/d' "$tmp/n/issues/newsletter.yaml"
build
listing "seasons no longer set: every season page removed" "build/index.html
build/sitemap.xml
removed build/season-1.html"
grep -q 'season' "$b/index.html" "$b/sitemap.xml" && ko "seasons no longer set: no link left" ||
	ok "seasons no longer set: no link left"

# --- the Markdown page, and Chinese words --------------------------------------
newsletter "seasons: {size: 2}" "language: zh"
sed -i 's/^language: en$//' "$tmp/n/issues/newsletter.yaml"
cat >"$tmp/n/templates/season.md.mustache" <<'MD'
# {{season.title}}（第 {{season.from}}~{{season.until}} 期）
{{#sections}}

## {{title}}

{{#items}}
{{n}}、[{{title}}]({{url}})
{{/items}}
{{/sections}}
MD
build
expect_status "Markdown: builds" 0 $?
same "Markdown: every item numbered across the season, by section" $G/season-1.md "$b/season-1.md"
expect_text "Chinese: the season's default title" "<h1>Tiny Weekly：第 1 季</h1>" \
	"$(grep '<h1>' "$b/season-1.html")"

# --- mistakes in the setting, at their line -------------------------------------
# bad NAME WANT SETTING...: the check's lines about the settings are WANT,
# where @L@ stands for the first line of the settings matching the pattern
# in it (@L:pattern@); the check and the build fail, and nothing is built.
bad() {
	local name=$1 want=$2; shift 2
	newsletter "$@"
	"$W" -C "$tmp/n" check >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	while [[ $want =~ @L:([^@]*)@ ]]; do
		local at; at=$(grep -n -- "${BASH_REMATCH[1]}" "$tmp/n/issues/newsletter.yaml" | head -1 | cut -d: -f1)
		want=${want//"${BASH_REMATCH[0]}"/$at}
	done
	expect_text "$name" "$want" "$(grep '^issues/newsletter.yaml' "$tmp/err")"
	expect_status "$name: check fails" 1 $rc
	"$W" -C "$tmp/n" build --all -q >/dev/null 2>&1
	expect_status "$name: build fails" 1 $?
	ls "$tmp/n/build" 2>/dev/null | grep -q . && ko "$name: nothing built" || ok "$name: nothing built"
}
F=issues/newsletter.yaml
bad "size 0" \
	"$F:@L:^seasons@:17: error: 'size' of 'seasons' takes a whole number of issues from 1 up [settings]" \
	"seasons: {size: 0}"
bad "size not a whole number" \
	"$F:@L:^seasons@:17: error: 'size' of 'seasons' takes a whole number of issues from 1 up [settings]" \
	"seasons: {size: 2.5}"
bad "an unknown key, and no size" \
	"$F:@L:^seasons@:19: error: unknown key 'length' in 'seasons', which takes 'size' ({size: 30}) or a list of ranges [settings]
$F:@L:^seasons@:10: error: 'seasons' needs its 'size', such as {size: 30} [settings]" \
	"seasons: {length: 30}"
bad "neither a map nor a list" \
	"$F:@L:^seasons@:10: error: 'seasons' must be {size: N} or a list of ranges such as [{from: 1, until: 30}] [settings]" \
	"seasons: 30"
bad "an empty list" \
	"$F:@L:^seasons@:10: error: 'seasons' lists no range; write [{from: 1, until: 30}] [settings]" \
	"seasons: []"
bad "overlapping ranges" \
	"$F:@L:from: 20@:12: error: season 2 starts at issue 20, within season 1; ranges go in order without overlapping [settings]" \
	"seasons:" "  - {from: 1, until: 30}" "  - {from: 20, until: 40}"
bad "an open range before the last" \
	"$F:@L:from: 1}@:5: error: season 1 needs 'until': only the last season may leave it out [settings]" \
	"seasons:" "  - {from: 1}" "  - {from: 31}"
bad "a range that ends before it starts" \
	"$F:@L:until: 5@:23: error: season 1 ends (until: 5) before it starts (from: 10) [settings]" \
	"seasons:" "  - {from: 10, until: 5}"
bad "a range without from, a key unknown, a title not text" \
	"$F:@L:till@:12: error: unknown key 'till' in a season, which takes from, until and title [settings]
$F:@L:till@:23: error: 'title' of a season takes text [settings]
$F:@L:till@:5: error: season 1 needs 'from', the number of its first issue [settings]" \
	"seasons:" "  - {till: 30, title: [x]}"
bad "a range not a map" \
	"$F:@L:  - 30@:5: error: a season is a range such as {from: 1, until: 30} [settings]" \
	"seasons:" "  - 30"

finish
