#!/bin/bash
# archive.sh - `weekly build --all` (archive page, Atom feed, drafts, prev/next
# links), incremental builds and --check, `weekly links` and `weekly where`:
# golden outputs, exact listings and exit statuses.
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
W="${WEEKLY:-./weekly}"
A=tests/archive
use_tmp archive
export NO_COLOR=1

# A fresh copy of the test newsletter: four issues, number 3 a draft.
newsletter() { archive_copy "$tmp/n"; }
# expect NAME WANT_STATUS WANT_STDOUT ARGS...: weekly -C the newsletter.
expect() {
	local name=$1 status=$2 want=$3; shift 3
	"$W" -C "$tmp/n" "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
	unsearched "$tmp/out"
	printf '%s' "$want" >"$tmp/want"
	[ -n "$want" ] && echo >>"$tmp/want"
	expect_status "$name: exit status" "$status" "$rc"
	same "$name: listing" "$tmp/want" "$tmp/out"
}
# What a first build writes, in the order it lists them.
EVERY_OUTPUT="build/001.md
build/001.html
build/002.md
build/002.html
build/004.md
build/004.html
build/index.html
build/sitemap.xml
build/robots.txt
build/topics/profiling.html
build/topics/profiling.xml
build/topics/packaging.html
build/topics/packaging.xml
build/feed.xml
build/feed.json
build/search.html"
# Size, time and inode of every file in build/: equal listings, nothing written.
snapshot() { (cd "$tmp/n/build" 2>/dev/null && stat -c '%n %s %y %i' .weekly/index.sqlite * ); }
nav() { sed -n '/<nav class="issues"/,/<\/nav>/p' "$tmp/n/build/$1"; }

# --- a first build -----------------------------------------------------------
newsletter
expect "first build" 0 "$EVERY_OUTPUT" build --all -v
same "first build: diagnostics" $A/golden/build.err "$tmp/err"
same "archive page" $A/golden/index.html "$tmp/n/build/index.html"
same "Atom feed" $A/golden/feed.xml "$tmp/n/build/feed.xml"
for i in 001 002 004; do
	nav $i.html >"$tmp/nav"
	same "issue $i links to its neighbours" $A/golden/nav-$i.html "$tmp/nav"
done
[ -e "$tmp/n/build/003.md" ] && ko "drafts are not built" || ok "drafts are not built"
grep -q '003' "$tmp/n/build/index.html" "$tmp/n/build/feed.xml" &&
	ko "drafts are in neither index nor feed" || ok "drafts are in neither index nor feed"

# The feed, read by a real feed parser.
py=$(feedparser_python)
if [ -n "$py" ]; then
	"$py" - "$tmp/n/build/feed.xml" >"$tmp/feed" 2>&1 <<'EOF'
import sys, feedparser
f = feedparser.parse(sys.argv[1])
print("bozo", f.bozo, f.get("bozo_exception", ""))
print("feed", f.feed.title, f.feed.id, f.feed.updated)
for e in f.entries:
    html = e.content[0]
    print("entry", e.title, "|", e.link, "|", e.id, "|", e.updated, "|",
          e.published, "|", html.type, len(html.value) > 200, "<h2>" in html.value)
EOF
	same "the feed parses, every entry complete" $A/golden/feed.parsed "$tmp/feed"
else
	skip "the feed parses, every entry complete" "no feed parser (install python3-feedparser)"
fi

# --- nothing changed: nothing read, rendered or written -----------------------
snapshot >"$tmp/before"
expect "no change" 0 "" build --all -v
snapshot >"$tmp/after"
same "no change: build/ untouched, state included" "$tmp/before" "$tmp/after"
touch "$tmp/n/issues/001.md"
expect "touched, same bytes" 0 "" build --all -v
# An output altered behind weekly's back, size and time kept: trusted, since
# sources are not read again; --force renders it afresh.
f="$tmp/n/build/001.md"; t=$(stat -c %y "$f")
sed -i 's/Profiling/PROFILING/' "$f"; touch -d "$t" "$f"
expect "state trusted" 0 "" build --all -v
expect "--force renders everything" 0 "build/001.md" build --all --force -v
expect "--force again: all the same" 0 "" build --all --force -v
rm "$tmp/n/build/002.html"
expect "a deleted output is made again" 0 "build/002.html" build --all -v

# --- changes rebuild what depends on them ---------------------------------------
sed -i 's/Fifty lines/Sixty lines/' "$tmp/n/issues/002.md"
expect "body of 2 changed" 0 "build/002.md
build/002.html
build/feed.xml
build/feed.json" build --all -v
sed -i 's/^title: Profilers/title: Three profilers/' "$tmp/n/issues/004.md"
expect "title of 4 changed: its neighbour's link too" 0 "build/002.html
build/004.md
build/004.html
build/index.html
build/topics/profiling.html
build/feed.xml
build/feed.json" build --all -v
echo '<!-- page -->' >>"$tmp/n/templates/issue.html.mustache"
expect "issue.html template changed" 0 "build/001.html
build/002.html
build/004.html" build --all -v
echo '/* archive */' >>"$tmp/n/templates/partials/style.html.mustache"
expect "a partial changed: what includes it" 0 "build/001.html
build/002.html
build/004.html
build/index.html
build/topics/profiling.html
build/topics/packaging.html
build/search.html" build --all -v
echo 'unused' >"$tmp/n/templates/partials/unused.mustache"
expect "a partial nothing includes" 0 "" build --all -v
echo '<!-- feed -->' >>"$tmp/n/templates/feed.xml.mustache"
expect "feed template changed" 0 "build/feed.xml" build --all -v
sed -i 's/^name: Tiny Weekly/name: Tiny Weekly!/' "$tmp/n/issues/newsletter.yaml"
expect "settings changed: everything" 0 "build/001.md
build/001.html
build/002.md
build/002.html
build/004.md
build/004.html
build/index.html
build/topics/profiling.html
build/topics/profiling.xml
build/topics/packaging.html
build/topics/packaging.xml
build/feed.xml
build/feed.json
build/search.html" build --all -v

# --- drafts, single issues --------------------------------------------------------
newsletter
expect "build 2 alone" 0 "build/002.md
build/002.html" build 2 -v
nav 002.html >"$tmp/nav"
same "build 2 alone: neighbours known" $A/golden/nav-002.html "$tmp/nav"
expect "then --all: the rest" 0 "build/001.md
build/001.html
build/004.md
build/004.html
build/index.html
build/sitemap.xml
build/robots.txt
build/topics/profiling.html
build/topics/profiling.xml
build/topics/packaging.html
build/topics/packaging.xml
build/feed.xml
build/feed.json
build/search.html" build --all -v
cp "$tmp/n/build/index.html" "$tmp/index.before"
expect "--drafts adds the draft" 0 "build/003.md
build/003.html" build --all --drafts -v
nav 003.html >"$tmp/nav"
same "a draft links to the issues around it" $A/golden/nav-003.html "$tmp/nav"
same "--drafts leaves the index alone" "$tmp/index.before" "$tmp/n/build/index.html"
snapshot >"$tmp/before"
expect "-o FILE" 0 "" build 4 -f md -o "$tmp/004.md"
cmp -s "$tmp/004.md" "$tmp/n/build/004.md" && ok "-o FILE: the same issue" || ko "-o FILE: the same issue"
snapshot >"$tmp/after"
same "-o FILE: build/ untouched" "$tmp/before" "$tmp/after"
newsletter
expect "a draft named by number is built" 0 "build/003.md
build/003.html" build 3 -v

# --- worker processes do not change the result ---------------------------------------------
for j in 1 4; do
	newsletter
	sed -i 's/^date: 2024-01-06/date: 2024-01-6/' "$tmp/n/issues/001.md"
	"$W" -C "$tmp/n" build --all -v -j $j >"$tmp/out.$j" 2>"$tmp/err.$j"
	echo "exit $?" >>"$tmp/out.$j"
	(cd "$tmp/n/build" && cat ./*) >"$tmp/files.$j"
done
same "-j 1 and -j 4: same listing" "$tmp/out.1" "$tmp/out.4"
same "-j 1 and -j 4: same diagnostics" "$tmp/err.1" "$tmp/err.4"
same "-j 1 and -j 4: same files" "$tmp/files.1" "$tmp/files.4"
same "an issue with errors holds back index and feed" $A/golden/error.out "$tmp/out.1"
same "an issue with errors: its diagnostics" $A/golden/error.err "$tmp/err.1"

# --- --check ------------------------------------------------------------------------
newsletter
expect "--check before any build" 1 "$EVERY_OUTPUT" build --all --check
[ -e "$tmp/n/build" ] && ko "--check writes nothing" || ok "--check writes nothing"
"$W" -C "$tmp/n" build --all 2>/dev/null
rm -rf "$tmp/clone" && cp -r "$tmp/n" "$tmp/clone" && rm -rf "$tmp/n" && mv "$tmp/clone" "$tmp/n"
touch "$tmp/n/issues/"*.md
snapshot >"$tmp/before"
expect "--check in a fresh copy: up to date" 0 "" build --all --check
sed -i 's/An hour about/Sixty minutes about/' "$tmp/n/issues/002.md"
expect "--check after an edit" 1 "build/002.md
build/002.html
build/feed.xml
build/feed.json" build --all --check
snapshot >"$tmp/after"
same "--check wrote nothing, not even the state" "$tmp/before" "$tmp/after"
expect "--check of one issue" 1 "build/002.md
build/002.html" build 2 --check
printf 'garbage\n' >"$tmp/n/build/.weekly/index.sqlite"
expect "a damaged index is ignored" 0 "build/002.md
build/002.html
build/feed.xml
build/feed.json" build --all -v
grep -q "^weekly: note: the archive index '.*build/.weekly/index.sqlite' is not a database; it is made again from the sources$" "$tmp/err" &&
	ok "a damaged index: a note says so" || ko "a damaged index: a note says so"
head -c 15 "$tmp/n/build/.weekly/index.sqlite" >"$tmp/head"
printf 'SQLite format 3' | cmp -s - "$tmp/head" && ok "a damaged index is replaced" ||
	ko "a damaged index is replaced"

# --- an archive without issues: an empty archive page, no feed -------------------------
newsletter
rm "$tmp/n/issues/"0*.md
expect "no issues yet" 0 "build/index.html
build/sitemap.xml
build/robots.txt
build/topics/profiling.html
build/topics/profiling.xml
build/topics/packaging.html
build/topics/packaging.xml
build/search.html" build --all -v
grep -q '<p>0 issues' "$tmp/n/build/index.html" && ok "no issues yet: the page says so" ||
	ko "no issues yet: the page says so"

# --- usage ----------------------------------------------------------------------------
expect "--check with -o" 2 "" build 2 -f md -o - --check
expect "-j 0" 2 "" build --all -j 0
expect "-j without a value" 2 "" build --all -j
expect "no such issue" 1 "" build 9

# --- weekly links -----------------------------------------------------------------------
newsletter
expect "links, TSV" 0 "$(cat $A/golden/links.tsv)" links
expect "links --all, JSON" 0 "$(cat $A/golden/links.json)" links --all --format json
expect "links of issue 2" 0 "$(sed -n '1p;/^2\t/p' $A/golden/links.tsv)" links 2
expect "links of no issue" 1 "issue	section	item	kind	file	line	column	url	normalized" links 9
expect "links --format xml" 2 "" links --format xml

# --- weekly where -------------------------------------------------------------------------
expect "where: every form of a URL" 0 "$(cat $A/golden/where.out)" \
	where 'HTTP://GitHub.COM:80/joerick/pyinstrument/?utm_medium=mail#top'
expect "where: utm_* dropped, other parameters kept" 0 \
	"issues/002.md:9:4: issue 2, articles item 1: https://Blog.Example:443/wheels/?utm_source=weekly&page=2#top" \
	where 'https://blog.example/wheels?page=2'
expect "where: TSV" 0 "issue	section	item	kind	file	line	column	url	normalized
2	projects	1	image	issues/002.md	21	1	https://img.example/uv.png	https://img.example/uv.png" \
	where https://img.example/uv.png --format tsv
expect "where: not found" 1 "" where https://blog.example/nowhere
expect "where: no URL" 2 "" where
expect "where: two URLs" 2 "" where https://a.example https://b.example

# A section's settings are shared by the contexts of every issue a worker
# builds: making an issue's feed entry leaves them as they are, so a nested
# *_md setting reaches every page, in one worker as in several.
archive_copy "$tmp/nested"
sed -i '/^  - id: articles$/a\    extra: {text_md: "nested *md*"}' "$tmp/nested/issues/newsletter.yaml"
sed -i '0,/^{{#sections}}$/s//&<!--X{{extra.text_md}}X-->/' "$tmp/nested/templates/issue.html.mustache"
for workers in 1 2; do
	rm -rf "$tmp/nested/build"
	WEEKLY_WORKERS=$workers "$W" -C "$tmp/nested" build --all -q 2>/dev/null
	expect_text "a section's nested *_md setting on every page, $workers worker(s)" "3 3" \
		"$(ls "$tmp/nested/build/"[0-9]*.html | wc -l) $(grep -l -F '<!--Xnested *md*X-->' "$tmp/nested/build/"[0-9]*.html | wc -l)"
done
finish
