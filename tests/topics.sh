#!/bin/bash
# topics.sh - topics: the vocabulary of the settings, what each item
# carries (markers in titles and notes, full-width ones, tags in notes and
# front matter), `weekly check` of unknown tags and of the setting, a page
# and an Atom feed per topic (golden bytes, xmllint, a real feed parser),
# rewritten only when their items change, and removed with their topic.
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
W="${WEEKLY:-./weekly}"
T=tests/topics
use_tmp topics
export NO_COLOR=1
N=$tmp/n

# A fresh copy of the topic tests' newsletter: issues 1 to 3.
newsletter() {
	rm -rf "$N"
	mkdir -p "$N"
	cp -r $T/issues templates "$N/"
}
# expect NAME WANT_STATUS WANT_STDOUT ARGS...: weekly -C the newsletter.
expect() {
	local name=$1 status=$2 want=$3; shift 3
	"$W" -C "$N" "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
	printf '%s' "$want" >"$tmp/want"
	[ -n "$want" ] && echo >>"$tmp/want"
	expect_status "$name: exit status" "$status" "$rc"
	same "$name: listing" "$tmp/want" "$tmp/out"
}
# said NAME LINES...: standard error was exactly these lines.
said() { local name=$1; shift; printf '%s\n' "$@" >"$tmp/want"; same "$name" "$tmp/want" "$tmp/err"; }
# Size, time and inode of every file under build/ (the index and cache
# included): equal listings, nothing written.
# (but the index's shared memory, which SQLite writes as any command opens
# an index whose log it left)
snapshot() { (cd "$N/build" && find . -type f ! -name '*-shm' -print0 | sort -z |
	xargs -0 stat -c '%n %s %y %i'); }

# --- a first build: a page and a feed per topic -----------------------------------
# The topic pages and feeds a build of the vocabulary makes, in its order.
TOPIC_PAGES="build/topics/video.html
build/topics/video.xml
build/topics/english.html
build/topics/english.xml
build/topics/web.html
build/topics/web.xml
build/topics/rust.html
build/topics/rust.xml"
newsletter
expect "first build" 0 "build/001.md
build/001.html
build/002.md
build/002.html
build/003.md
build/003.html
build/index.html
build/sitemap.xml
build/robots.txt
$TOPIC_PAGES
build/feed.xml
build/feed.json" build --all -v
said "first build: nothing to say" "built 3 issues, 19 files"
for f in video.html video.xml english.html web.xml; do
	same "topic $f" $T/golden/$f "$N/build/topics/$f"
done
# Who carries what, newest first: a marker in a title ([video]) or a note,
# full-width (（英文）), a note's tags by id or title in any case (Videos,
# videos), and the front matter's tags for every item of issue 2.
for t in video english web rust; do
	echo "$t: $(grep -o 'href="\.\./00[0-9].html#[a-z]*-[0-9]*"' "$N/build/topics/$t.html" | tr '\n' ' ')"
done >"$tmp/who"
cat >"$tmp/want" <<'EOF'
video: href="../002.html#articles-2" href="../001.html#articles-1" href="../001.html#projects-1" 
english: href="../002.html#articles-1" href="../001.html#articles-2" 
web: href="../002.html#articles-1" href="../002.html#articles-2" href="../001.html#projects-1" 
rust: href="../001.html#projects-1" 
EOF
same "each item on the pages of its topics, newest issue first" "$tmp/want" "$tmp/who"
grep -q 'tags:' "$N/build/002.html" "$N/build/feed.xml" "$N/build/topics/web.html" &&
	ko "a note's tags are not shown to readers" || ok "a note's tags are not shown to readers"
grep -q '^2. \[HTTP/3 from Python\](https://h3.example/) tags: Videos$' "$N/build/002.md" &&
	ok "the Markdown output keeps the note's tags" || ko "the Markdown output keeps the note's tags"
grep -q '<a href="topics/english.html">In English</a>' "$N/build/index.html" &&
	ok "the archive page links to each topic" || ko "the archive page links to each topic"

# The feeds: well-formed, and read by a real feed parser.
if command -v xmllint >/dev/null; then
	xmllint --noout "$N"/build/topics/*.xml 2>"$tmp/xml" && ok "topic feeds are well-formed XML" ||
		ko "topic feeds are well-formed XML" "$(head -3 "$tmp/xml")"
else
	skip "topic feeds are well-formed XML" "no xmllint (install libxml2-utils)"
fi
py=$(feedparser_python)
if [ -n "$py" ]; then
	"$py" - "$N"/build/topics/*.xml >"$tmp/feeds" 2>&1 <<'EOF'
import sys, feedparser
for path in sys.argv[1:]:
    f = feedparser.parse(path)
    print(path.rsplit("/", 1)[1], f.version, "bozo", f.bozo, f.feed.title, f.feed.id, f.feed.updated)
    for e in f.entries:
        print(" ", e.title, "|", e.link, "|", e.id, "|", e.updated, "|", e.summary)
EOF
	same "the topic feeds parse, every entry complete" $T/golden/feeds.parsed "$tmp/feeds"
else
	skip "the topic feeds parse, every entry complete" "no feed parser (install python3-feedparser)"
fi

# --- rewritten only when their items change -----------------------------------------
snapshot >"$tmp/before"
expect "no change" 0 "" build --all -v
said "no change: nothing built" "built 0 issues, 0 files"
snapshot >"$tmp/after"
same "no change: nothing under build/ written, the topics' cache included" "$tmp/before" "$tmp/after"
sed -i 's/^Plain\.$/Plainer./' "$N/issues/003.md"
expect "an issue without topics changed: no topic page" 0 "build/003.md
build/003.html
build/feed.xml
build/feed.json" build --all -v
sed -i 's/^1\. \[Nothing to tag here\](https:\/\/plain.example\/)$/& tags: rust/' "$N/issues/003.md"
# (the issue's page and feed do not show the note's tags: they stay as they were)
expect "an item gains a topic: that topic's page and feed" 0 "build/003.md
build/topics/rust.html
build/topics/rust.xml" build --all -v
grep -c 'plain.example' "$N/build/topics/rust.html" >"$tmp/out"
text "an item gains a topic: on its page" 1 "$tmp/out"
sed -i 's/^title: First$/title: The first/' "$N/issues/001.md"
# (topic feeds do not carry issue titles: rendered again, the same bytes)
expect "an issue's title changed: the pages that name it" 0 "build/001.md
build/001.html
build/002.html
build/index.html
build/topics/video.html
build/topics/english.html
build/topics/web.html
build/topics/rust.html
build/feed.xml
build/feed.json" build --all -v
echo '<!-- topic -->' >>"$N/templates/topic.xml.mustache"
expect "the feed template changed" 0 "build/topics/video.xml
build/topics/english.xml
build/topics/web.xml
build/topics/rust.xml" build --all -v
rm "$N/build/topics/web.html"
expect "a page deleted by hand is made again" 0 "build/topics/web.html" build --all -v
printf 'weekly-topics 1\n1\tzz\n' >"$N/build/.weekly/topics.tsv"
expect "a damaged cache: read again, pages as they were" 0 "" build --all -v
snapshot >"$tmp/before"
expect "then up to date" 0 "" build --all -v
snapshot >"$tmp/after"
same "then nothing written" "$tmp/before" "$tmp/after"
sed -i 's/^1\. \[Nothing to tag here\](https:\/\/plain.example\/) tags: rust$/1. [Nothing to tag here](https:\/\/plain.example\/) tags: web/' "$N/issues/003.md"
expect "--check: what would change" 1 "build/003.md
build/topics/web.html
build/topics/web.xml
build/topics/rust.html
build/topics/rust.xml" build --all --check
snapshot >"$tmp/after"
same "--check: nothing written" "$tmp/before" "$tmp/after"

# --- more items than a page shows; the cache taken a piece at a time ----------------
# 80 issues of 14 English items (the page shows the newest 1,000, the feed
# 50). An issue edited, one deleted and one added in the middle of the
# archive: the pages and the cache come out as a build from nothing makes
# them, and so they do when every issue is read again (no cache).
big_issue() { # N DATE TAG
	printf -- '---\nnumber: %d\ndate: %s\n---\n\n## Articles\n\n' "$1" "$2"
	for k in $(seq 1 14); do
		printf '%d. [Item %d of %d%s](https://i%d.example/%d) (English)\n\n' "$k" "$k" "$1" "$3" "$1" "$k"
	done
}
newsletter
for i in $(seq 4 83); do
	big_issue "$i" "$(date -u -d "2024-03-09 + $((i * 7)) days" +%F)" "" >"$N/issues/$(printf %03d "$i").md"
done
expect "80 issues more" 0 "" build --all -q
grep -c 'class="item"' "$N/build/topics/english.html" >"$tmp/out"
text "a page shows the newest 1,000 items" 1000 "$tmp/out"
grep -c '<entry>' "$N/build/topics/english.xml" >"$tmp/out"
text "a feed carries the newest 50" 50 "$tmp/out"
grep -o 'Item [0-9]* of [0-9]*' "$N/build/topics/english.html" | sed -n '1p;1000p' >"$tmp/out"
printf 'Item 1 of 83\nItem 6 of 12\n' >"$tmp/want"
same "the newest first, to the 1,000th" "$tmp/want" "$tmp/out"
big_issue 40 "$(date -u -d "2024-03-09 + 280 days" +%F)" " (edited)" >"$N/issues/040.md"
rm "$N/issues/020.md"
big_issue 84 "$(date -u -d "2024-03-09 + 588 days" +%F)" "" >"$N/issues/084.md"
expect "one edited, one gone, one new" 0 "" build --all -q
mkdir -p "$tmp/scratch" && rm -rf "$tmp/scratch/n" && cp -r "$N" "$tmp/scratch/n" && rm -rf "$tmp/scratch/n/build"
"$W" -C "$tmp/scratch/n" build --all -q 2>"$tmp/err"
for f in topics/english.html topics/english.xml topics/web.html .weekly/topics.tsv; do
	same "edited in the middle: $f as from nothing" "$tmp/scratch/n/build/$f" "$N/build/$f"
done
rm "$N/build/.weekly/topics.tsv"
expect "no cache: every issue read again, no page changed" 0 "" build --all -v
same "no cache: the cache made again as it was" "$tmp/scratch/n/build/.weekly/topics.tsv" \
	"$N/build/.weekly/topics.tsv"
head -c 3000 "$tmp/scratch/n/build/.weekly/topics.tsv" >"$N/build/.weekly/topics.tsv"
expect "a cache cut short: the rest read again, no page changed" 0 "" build --all -v
same "a cache cut short: made whole again" "$tmp/scratch/n/build/.weekly/topics.tsv" \
	"$N/build/.weekly/topics.tsv"

# --- the topics' temporary file is made in $TMPDIR ----------------------------------
newsletter
TMPDIR=/nonexistent/weekly-tmp "$W" -C "$N" build --all -q >"$tmp/out" 2>"$tmp/err"
expect_status "TMPDIR a folder that is not there: exit status" 3 $?
said "TMPDIR a folder that is not there: said so, naming it" \
	"weekly: cannot keep the topics' items in a temporary file in /nonexistent/weekly-tmp: No such file or directory"
expect_text "TMPDIR a folder that is not there: no topic page written" "" "$(ls "$N/build/topics")"
: >"$tmp/file"
TMPDIR=$tmp/file "$W" -C "$N" build --all -q >"$tmp/out" 2>"$tmp/err"
expect_status "TMPDIR a file: exit status" 3 $?
said "TMPDIR a file: said so" \
	"weekly: cannot keep the topics' items in a temporary file in $tmp/file: Not a directory"
mkdir -p "$tmp/tmpdir"
TMPDIR=$tmp/tmpdir expect "TMPDIR a folder: the topic pages made" 0 "$TOPIC_PAGES" build --all -v
expect_text "TMPDIR a folder: nothing left in it" "" "$(ls -A "$tmp/tmpdir")"

# --- a feed entry's issue, with that issue's items in the topic ------------------------
# (made only when a template walks them: a feed's 50 entries of one issue of
# a thousand items do not make its items 50 times)
newsletter
printf '%s' '{{#entries}}{{title}} in #{{issue.number}}: {{#issue.items}}{{#first}}[{{/first}}{{anchor}}{{#last}}]{{/last}}{{^last}}, {{/last}}{{/issue.items}}
{{/entries}}' >"$N/templates/topic.xml.mustache"
"$W" -C "$N" build --all -q 2>/dev/null
cat "$N"/build/topics/{english,video}.xml >"$tmp/out"
printf '%s\n' '多线程的真相 in #2: [articles-1]' 'Packaging notes in #1: [articles-2]' \
	'HTTP/3 from Python in #2: [articles-2]' 'Async in depth [video] in #1: [articles-1, projects-1]' \
	'PyO3 0.21 in #1: [articles-1, projects-1]' >"$tmp/want"
same "a feed entry's issue: its items in the topic, first and last marked" "$tmp/want" "$tmp/out"

# --- a topic taken out of the vocabulary: its page and feed go -------------------------
newsletter
"$W" -C "$N" build --all -q 2>/dev/null
sed -i '/^  - id: rust$/,$d' "$N/issues/newsletter.yaml"
# (every output is rendered again for new settings; only these differ)
expect "a topic removed" 0 "build/index.html
build/topics/video.html
build/topics/english.html
build/topics/web.html
removed build/topics/rust.html
removed build/topics/rust.xml" build --all -v
rm "$N/templates/topic.xml.mustache"
expect "no feed template: the feeds go" 0 "removed build/topics/video.xml
removed build/topics/english.xml
removed build/topics/web.xml" build --all -v
echo "mine" >>"$N/build/topics/web.html"
sed -i '/^  - id: web$/,/^    title: The Web$/d' "$N/issues/newsletter.yaml"
sed -i 's/ tags: web, videos$/ tags: videos/' "$N/issues/001.md"
sed -i '/^tags: web$/d' "$N/issues/002.md"
expect "a topic removed, its page edited by hand" 0 "build/001.md
build/index.html
build/topics/video.html
build/topics/english.html" build --all -v
said "a topic removed, its page edited by hand: left in place" \
	"weekly: left 'build/topics/web.html' in place: it changed since weekly wrote it" \
	"built 1 issue, 4 files"
sed -i '/^topics:$/,$d' "$N/issues/newsletter.yaml"
# (without a vocabulary a note's "tags:" is the editor's text: on the pages again)
expect "no topics left: their pages go" 0 "build/001.html
build/002.html
build/index.html
removed build/topics/video.html
removed build/topics/english.html
build/feed.xml
build/feed.json" build --all -v
[ -e "$N/build/topics/web.html" ] && ok "the page edited by hand stays" || ko "the page edited by hand stays"

# --- weekly check: tags the vocabulary lacks ------------------------------------------
newsletter
cat >"$N/issues/004.md" <<'EOF'
---
number: 4
date: 2024-03-23
tags: [web, Rusty, "vid"]
---

## Articles

1. [A talk](https://talk.example/) (English) tags: vidoe, web，rust、englsh

A recording.
EOF
expect "unknown topics: check" 1 "" check 4
said "unknown topics: each at its line and column, with the topic meant" \
	"issues/004.md:4:13: error: unknown topic 'Rusty'; did you mean 'rust'? [topic]" \
	"    4 | tags: [web, Rusty, \"vid\"]" \
	"      |             ^" \
	"issues/004.md:4:21: error: unknown topic 'vid' [topic]" \
	"    4 | tags: [web, Rusty, \"vid\"]" \
	"      |                     ^" \
	"issues/004.md:9:52: error: unknown topic 'vidoe'; did you mean 'video'? [topic]" \
	"    9 | 1. [A talk](https://talk.example/) (English) tags: vidoe, web，rust、englsh" \
	"      |                                                    ^" \
	"issues/004.md:9:72: error: unknown topic 'englsh'; did you mean 'english'? [topic]" \
	"    9 | ...k](https://talk.example/) (English) tags: vidoe, web，rust、englsh" \
	"      |                                                                ^" \
	"4 errors, 0 warnings in 1 issue"
expect "unknown topics: build writes nothing for the issue" 1 "" build 4 -v
[ -e "$N/build/004.html" ] && ko "unknown topics: no page" || ok "unknown topics: no page"
printf -- '---\nnumber: 5\ndate: 2024-03-30\ntags: {web: 1}\n---\n\n## Articles\n\n1. [A](https://a.example/)\n\nA.\n' \
	>"$N/issues/005.md"
"$W" -C "$N" check 5 --format json >"$tmp/out" 2>/dev/null
expect_status "front matter tags of the wrong shape: exit status" 1 $?
grep -o '"line": *4, *"column": *7, *"severity": *"error", *"rule": *"front-matter"' "$tmp/out" |
	wc -l >"$tmp/n5"
text "front matter tags of the wrong shape: at its line" 1 "$tmp/n5"
printf -- '---\nnumber: 6\ndate: 2024-04-06\n---\n\n## Articles\n\n1. [A](https://a.example/) tags: \033[31mred\n\nA.\n' \
	>"$N/issues/006.md"
expect "a tag with a control character" 1 "" check 6
grep -q "unknown topic '?\[31mred'" "$tmp/err" && ok "a tag with a control character: shown escaped" ||
	ko "a tag with a control character: shown escaped" "$(head -1 "$tmp/err")"

# --- the setting itself -----------------------------------------------------------------
newsletter
cat >>"$N/issues/newsletter.yaml" <<'EOF'
  - id: Bad Id
    title: Bad
  - id: web
    title: The Web again
  - id: notitle
  - id: markers
    title: Markers
    markers: "(English)"
  - not a map
EOF
expect "bad topics: check" 1 "" check 1
grep 'newsletter.yaml' "$tmp/err" | grep -v '^ ' >"$tmp/got"
cat >"$tmp/want" <<'EOF'
issues/newsletter.yaml:26:9: error: a topic's 'id' is made of a-z, 0-9 and '-' (it names the topic's page) [settings]
issues/newsletter.yaml:28:9: error: a topic's 'id' must be unique [settings]
issues/newsletter.yaml:30:5: error: a topic needs a 'title': a string [settings]
issues/newsletter.yaml:33:14: error: a topic's 'markers' is a list of texts, such as ["(English)", "[video]"] [settings]
issues/newsletter.yaml:34:5: error: a topic is a map: id, title, and markers [settings]
EOF
same "bad topics: each error at its line" "$tmp/want" "$tmp/got"
expect "bad topics: build --all writes nothing" 1 "" build --all -v
newsletter
printf 'topics: {video: Videos}\n' >>"$N/issues/newsletter.yaml"
sed -i '/^topics:$/,/^    markers: \[PyO3\]$/d' "$N/issues/newsletter.yaml"
expect "topics not a list" 1 "" check 1
grep -c "^issues/newsletter.yaml:[0-9]*:9: error: 'topics' must be a list of topics, each with an id and a title \[settings\]$" \
	"$tmp/err" >"$tmp/out"
text "topics not a list: said at its line" 1 "$tmp/out"

# --- markers: found anywhere in a title or note, ASCII letters in any case ------------
# Markers that start alike (PyO3, PyPI, py), one of one byte (#), one at the
# very end of a note, one that starts with a byte beyond ASCII (（英文）),
# and a marker that is only a prefix of the text (nogil in "NOGIL-ready").
newsletter
cat >"$N/issues/newsletter.yaml" <<'EOF'
name: Topic Weekly
language: en
url: https://topics.example/
sections:
  - id: articles
    title: Articles
topics:
  - id: pyo3
    title: PyO3
    markers: [PyO3]
  - id: pypi
    title: PyPI
    markers: [pypi]
  - id: py
    title: Py
    markers: [py]
  - id: hash
    title: Hash
    markers: ["#"]
  - id: english
    title: In English
    markers: ["（英文）"]
  - id: nogil
    title: No GIL
    markers: [nogil]
EOF
rm "$N"/issues/00[23].md
cat >"$N/issues/001.md" <<'EOF'
---
number: 1
date: 2024-03-02
---

## Articles

1. [Bindings with PYO3](https://a.example/) on PyPI

One.

2. [Going NOGIL-ready](https://b.example/) issue #12

Two.

3. [Nothing here](https://c.example/) at all

Three.

4. [Rust](https://d.example/) （英文）

Four.

5. [Ends with](https://e.example/) ok pY

Five.
EOF
"$W" -C "$N" build --all -q 2>"$tmp/err"
for t in pyo3 pypi py hash english nogil; do
	echo "$t: $(grep -o 'href="\.\./001.html#articles-[0-9]*"' "$N/build/topics/$t.html" |
		sed 's/.*-\([0-9]*\)"/\1/' | tr '\n' ' ')"
done >"$tmp/who"
cat >"$tmp/want" <<'EOF'
pyo3: 1 
pypi: 1 
py: 1 5 
hash: 2 
english: 4 
nogil: 2 
EOF
same "markers: each item on the pages of the markers it holds" "$tmp/want" "$tmp/who"

# --- the Chinese example: its full-width marker --------------------------------------------
rm -rf "$N" && mkdir -p "$N" && cp -r examples/python-weekly-zh/issues examples/python-weekly-zh/templates "$N/"
"$W" -C "$N" build --all -q 2>/dev/null
grep -c '（英文）' "$N/build/topics/english.html" >"$tmp/out"
text "the Chinese example: every （英文） item on its English page" "$(cat "$N"/issues/0*.md |
	grep -c '^[0-9]*[.、] *\[.*（英文）')" "$tmp/out"

finish
