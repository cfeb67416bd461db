#!/bin/bash
# pages.sh - what readers and search engines get from `weekly build --all`:
# the archive page grouped by year with each issue's title (or its first
# items' titles), descriptions and sharing tags, canonical addresses, the
# sitemap, robots.txt, the JSON Feed beside the Atom feed, feed summaries
# and the `updated` date of a corrected issue.
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
W="${WEEKLY:-./weekly}"
A=tests/archive
use_tmp pages
export NO_COLOR=1
n=$tmp/n
b=$n/build
archive_copy "$n"
sed -i 's/^date: 2024-01-06$/date: 2023-12-30/' "$n/issues/001.md"
"$W" -C "$n" build --all -q 2>/dev/null
expect_status "build --all" 0 $?

# --- the archive page -----------------------------------------------------------
expect_text "issues grouped by year, newest first" "2024 2023" \
	"$(sed -n 's/^<h2 id="y[0-9]*">\([0-9]*\)<\/h2>$/\1/p' "$b/index.html" | tr '\n' ' ' | sed 's/ $//')"
expect_text "no second numbering: no ordered list" 0 "$(grep -c '<ol' "$b/index.html")"
expect_text "an untitled issue shows its first items' titles" \
	'<li><a class="title" href="001.html">#1: Profiling asyncio programs · pyinstrument</a><br>' \
	"$(grep 'href="001.html"' "$b/index.html")"
expect_text "a titled issue shows its title" \
	'<li><a class="title" href="004.html">#4: Profilers</a><br>' "$(grep 'href="004.html"' "$b/index.html")"

# --- sharing tags ---------------------------------------------------------------
meta() { sed -n "s/^<meta $1=\"$2\" content=\"\(.*\)\">$/\1/p" "$b/$3"; }
expect_text "issue page: description from its lead" "Three profilers and a podcast this week." \
	"$(meta name description 004.html)"
expect_text "issue page: description from its first items when it has no lead" \
	"Profiling asyncio programs · pyinstrument" "$(meta name description 001.html)"
expect_text "issue page: og:description" "Three profilers and a podcast this week." \
	"$(meta property og:description 004.html)"
expect_text "issue page: og:title" "Tiny Weekly #4: Profilers" "$(meta property og:title 004.html)"
expect_text "issue page: twitter:card without an image" "summary" "$(meta name twitter:card 004.html)"
expect_text "issue page: canonical address" '<link rel="canonical" href="https://tiny.example/archive/004.html">' \
	"$(grep 'rel="canonical"' "$b/004.html")"
expect_text "archive page: canonical address" '<link rel="canonical" href="https://tiny.example/archive/index.html">' \
	"$(grep 'rel="canonical"' "$b/index.html")"
expect_text "archive page: description" "Links about Python, once a week. 3 issues, newest first." \
	"$(meta name description index.html)"

# --- sitemap and robots.txt ---------------------------------------------------------
cat >"$tmp/want" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://tiny.example/archive/index.html</loc><lastmod>2024-01-27</lastmod></url>
<url><loc>https://tiny.example/archive/search.html</loc></url>
<url><loc>https://tiny.example/archive/004.html</loc><lastmod>2024-01-27</lastmod></url>
<url><loc>https://tiny.example/archive/002.html</loc><lastmod>2024-01-13</lastmod></url>
<url><loc>https://tiny.example/archive/001.html</loc><lastmod>2023-12-30</lastmod></url>
</urlset>
EOF
same "sitemap.xml: every listed page" "$tmp/want" "$b/sitemap.xml"
printf 'User-agent: *\nAllow: /\n\nSitemap: https://tiny.example/archive/sitemap.xml\n' >"$tmp/want"
same "robots.txt names the sitemap" "$tmp/want" "$b/robots.txt"

# --- the feeds ------------------------------------------------------------------
expect_text "Atom: an entry's summary" "<summary>Three profilers and a podcast this week. (3 links)</summary>" \
	"$(grep -m1 '<summary>' "$b/feed.xml")"
python3 - "$b/feed.json" >"$tmp/out" 2>&1 <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert d["version"] == "https://jsonfeed.org/version/1.1", d["version"]
assert d["feed_url"] == "https://tiny.example/archive/feed.json"
print(len(d["items"]), d["items"][0]["id"], d["items"][0]["title"], "|", d["items"][0]["summary"])
assert all(i["content_html"] and i["date_published"] for i in d["items"])
EOF
expect_text "JSON Feed 1.1: parses, newest first, summaries" \
	"3 https://tiny.example/archive/004.html Tiny Weekly #4: Profilers (2024-01-27) | Three profilers and a podcast this week. (3 links)" \
	"$(cat "$tmp/out")"

# A title with quotes, backslashes and markup stays one JSON string, the
# markup escaped inside content_html.
sed -i 's/^title: Profilers$/title: "Profilers \\"fast\\" \\\\ <b>slow<\/b>"/' "$n/issues/004.md"
"$W" -C "$n" build --all -q 2>/dev/null
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["items"][0]["title"])' "$b/feed.json" >"$tmp/out" 2>&1
expect_text "JSON Feed: a hostile title is one string" 'Tiny Weekly #4: Profilers "fast" \ <b>slow</b> (2024-01-27)' \
	"$(cat "$tmp/out")"

# --- corrected issues -------------------------------------------------------------
sed -i 's/^date: 2024-01-13$/date: 2024-01-13\nupdated: 2024-02-01/' "$n/issues/002.md"
"$W" -C "$n" build --all -q 2>/dev/null
expect_status "updated: builds" 0 $?
expect_text "updated: the Atom entry's updated date" \
	"<published>2024-01-13T00:00:00Z</published> <updated>2024-02-01T00:00:00Z</updated>" \
	"$(grep -A1 '<published>2024-01-13' "$b/feed.xml" | tr '\n' ' ' | sed 's/ $//')"
expect_text "updated: the JSON Feed's date_modified" "2024-02-01T00:00:00Z" \
	"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["items"][1]["date_modified"])' "$b/feed.json")"
expect_text "updated: the page's modified time" '<meta property="article:modified_time" content="2024-02-01">' \
	"$(grep modified_time "$b/002.html")"
sed -i 's/^updated: 2024-02-01$/updated: 2024-01-01/' "$n/issues/002.md"
"$W" -C "$n" check 2 >/dev/null 2>"$tmp/err"
expect_status "updated before the date: check fails" 1 $?
expect_text "updated before the date: said at its line" \
	"issues/002.md:4:10: error: 'updated' is 2024-01-01, before the issue's date 2024-01-13 [front-matter]" \
	"$(grep -m1 error: "$tmp/err")"
sed -i 's/^updated: 2024-01-01$/updated: soon/' "$n/issues/002.md"
"$W" -C "$n" check 2 >/dev/null 2>"$tmp/err"
expect_text "updated not a date: said at its line" \
	"issues/002.md:4:10: error: 'updated' must be a real date written YYYY-MM-DD [front-matter]" \
	"$(grep -m1 error: "$tmp/err")"

# --- look-backs -------------------------------------------------------------------
sed -i 's/^updated: .*$//' "$n/issues/002.md"
echo "lookback: [2, 3, 50]" >>"$n/issues/newsletter.yaml"
"$W" -C "$n" build --all -q 2>/dev/null
expect_status "lookback: builds" 0 $?
expect_text "lookback: the issues 2 and 3 before issue 4, as listed (none 50 before)" \
	'<li><a href="002.html">#2: Faster &amp; smaller</a> <span class="note">(<time datetime="2024-01-13">2024-01-13</time>)</span></li> <li><a href="001.html">#1</a> <span class="note">(<time datetime="2023-12-30">2023-12-30</time>)</span></li>' \
	"$(sed -n '/id="lookback"/,/<\/section>/p' "$b/004.html" | grep '^<li>' | tr '\n' ' ' | sed 's/ $//')"
grep -q 'id="lookback"' "$b/002.html" && ko "lookback: nothing to look back to, no section" ||
	ok "lookback: nothing to look back to, no section"
sed -i 's/^date: 2023-12-30$/date: 2023-12-30\ntitle: Asyncio/' "$n/issues/001.md"
"$W" -C "$n" build --all -v 2>/dev/null | grep -c '^build/004.html$' >"$tmp/out"
expect_text "lookback: a looked-back issue's new title rebuilds the page" 1 "$(cat "$tmp/out")"
# build 4 alone reads only its neighbours from the index (2, as 3 is a
# draft): issue 1, three before, is read too
"$W" -C "$n" build 4 -f html -o - >"$tmp/one" 2>/dev/null
same "lookback: build 4 alone gives the page build --all wrote" "$b/004.html" "$tmp/one"
"$W" -C "$n" build 4 -v >"$tmp/out" 2>/dev/null
expect_text "lookback: build 4 alone, nothing changed, writes nothing" "" "$(cat "$tmp/out")"
echo "lookback: 50" >>"$n/issues/newsletter.yaml"
sed -i '/^lookback: \[/d' "$n/issues/newsletter.yaml"
"$W" -C "$n" check 2 >/dev/null 2>"$tmp/err"
expect_text "lookback: not a list, said at its line" \
	"issues/newsletter.yaml:$(grep -n '^lookback' "$n/issues/newsletter.yaml" | cut -d: -f1):11: error: 'lookback' must be a list of numbers of issues, such as [50, 100] [settings]" \
	"$(grep -m1 error: "$tmp/err")"

# --- without an address: no sitemap, no canonical ---------------------------------
m=$tmp/m
mkdir -p "$m/issues" && cp $A/issues/*.md "$m/issues/" && cp -r templates "$m/"
grep -v '^url:\|^archive_url:' $A/newsletter.yaml >"$m/issues/newsletter.yaml"
"$W" -C "$m" build --all -q 2>/dev/null
expect_status "no url: builds" 0 $?
[ -e "$m/build/sitemap.xml" ] || [ -e "$m/build/robots.txt" ] &&
	ko "no url: no sitemap, no robots.txt (a sitemap needs absolute addresses)" ||
	ok "no url: no sitemap, no robots.txt (a sitemap needs absolute addresses)"
grep -q 'rel="canonical"' "$m/build/004.html" && ko "no url: no canonical link" || ok "no url: no canonical link"

# --- a page the settings ask for, its template gone: check says so ----------------
sed -i '/^search:/d; /^seasons:/d' "$m/issues/newsletter.yaml"
printf 'search: true\nseasons: {size: 2}\n' >>"$m/issues/newsletter.yaml"
"$W" -C "$m" check >/dev/null 2>"$tmp/err"
expect_text "own templates with every page: no warning for search or seasons" "" \
	"$(grep "asks for" "$tmp/err")"
rm "$m/templates/search.html.mustache" "$m/templates"/season.*.mustache
"$W" -C "$m" check >/dev/null 2>"$tmp/err"
l=$(grep -n '^search:' "$m/issues/newsletter.yaml" | cut -d: -f1)
expect_text "search and seasons without their templates: a warning at each setting" \
	"issues/newsletter.yaml:$l:9: warning: 'search' asks for a search page, but templates/search.html.mustache is missing: none is built [settings]
issues/newsletter.yaml:$((l + 1)):10: warning: 'seasons' asks for season pages, but templates/season.html.mustache is missing: none is built [settings]" \
	"$(grep "asks for" "$tmp/err")"
finish
