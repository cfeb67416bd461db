#!/bin/bash
# trust.sh - sources are untrusted. HTML comes only from Markdown that weekly
# renders in safe mode: a front matter or settings key ending in _html is an
# error at its line and never reaches an output; URLs in settings follow the
# scheme rules of URLs in issues; characters XML 1.0 forbids are an error at
# their line and never reach the feed, which stays valid XML whatever the
# source holds; what a source says is shown on a terminal or in a GitHub
# annotation with its control characters escaped.
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
W=${WEEKLY:-$PWD/weekly}
T=tests/trust
use_tmp trust
export NO_COLOR=1

# run NAME DIR WANT_STATUS ARGS...: weekly in DIR, stderr in $tmp/err.
run() {
	local name=$1 dir=$2 want=$3
	shift 3
	(cd "$dir" && "$W" "$@") >"$tmp/out" 2>"$tmp/err"
	expect_status "$name: exit status" "$want" $?
}
nothing_built() {
	if [ -n "$(ls "$2/build" 2>/dev/null)" ]; then ko "$1: nothing written" "$(ls "$2/build")"
	else ok "$1: nothing written"; fi
}

# --- _html keys and script URLs in front matter ---------------------------
d=$(scratch)
cp $T/raw-html.md "$d/issues/007.md"
run "front matter" "$d" 1 check
same "front matter: every _html key and script URL, at its line" $T/raw-html.err "$tmp/err"
run "front matter: build" "$d" 1 build 7 -f html -f email -q
grep -avE '^[0-9]+ errors?, [0-9]+ warnings?' $T/raw-html.err >"$tmp/want"
same "front matter: build reports the same" "$tmp/want" "$tmp/err"
nothing_built "front matter" "$d"
run "front matter: build --all" "$d" 1 build --all
nothing_built "front matter: build --all" "$d"
rm -rf "$d"

# --- the same in the settings, at any depth ---------------------------------
d=$(scratch)
sed -i -e 's|^    noun: {one: article, other: articles}$|&\n    after_html: "]]></content><script>alert(1)</script>"|' \
	-e 's|^      url: https://pythoncat.top$|      url: " javascript:alert(document.cookie)"|' \
	-e 's|^  heading_url: .*|  heading_url: "data:text/html;base64,PHNjcmlwdD4="|' \
	"$d/issues/newsletter.yaml"
cat $T/settings.yaml >>"$d/issues/newsletter.yaml"
cp issues/015.md "$d/issues/"
run "settings" "$d" 1 check
same "settings: every _html key, script URL and control character, at its line" \
	$T/settings.err "$tmp/err"
grep '^issues/newsletter.yaml:.*: error: ' $T/settings.err >"$tmp/settings.err"
for cmd in "build --all" "build 15 -f teaser" "build 15 -f html -o -"; do
	run "settings: $cmd refuses" "$d" 1 $cmd
	grep -a '^issues/newsletter.yaml:.*: error: ' "$tmp/err" >"$tmp/got"
	same "settings: $cmd reports the settings' errors" "$tmp/settings.err" "$tmp/got"
done
nothing_built "settings" "$d"
rm -rf "$d"

# --- characters XML forbids, raw or written as YAML escapes -----------------
d=$(scratch)
{
	printf -- '---\nnumber: 8\ndate: 2024-03-09\ntitle: "Bell \\a, escape \\e[2J"\n'
	printf -- 'intro_md: "Noncharacter \\uFFFE"\n---\n\n'
	printf -- 'A lead with a form feed \f and a backspace \b.\n\n## Articles\n\n'
	printf -- '1. [A \033%%Gred title](https://a.example/)\n\n'
	printf -- 'Noncharacters \xef\xbf\xbe and \xef\xbf\xbf, DEL \x7f and C1 \xc2\x9b are XML.\n\n'
	printf -- '## Projects \033]0;pwned\007 \xc2\x9b \xe2\x80\xae\n\n- [B](https://b.example/)\n\n  About B.\n'
} >"$d/issues/008.md"
run "XML characters" "$d" 1 check
same "XML characters: an error at each line, messages escaped" $T/controls.err "$tmp/err"
run "XML characters: github format" "$d" 1 check --format github
same "XML characters: annotations escaped" $T/controls.github "$tmp/err"
if LC_ALL=C grep -q $'[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]\|\xc2[\x80-\x9f]' "$T/controls.err" "$T/controls.github"; then
	ko "XML characters: the expected reports hold no control character"
else
	ok "XML characters: the expected reports hold no control character"
fi
printf -- '- [C](<https://c.example/\033[2J\033]0;x\007>)\n' >>"$d/issues/008.md"
(cd "$d" && "$W" where $'https://c.example/\e[2J\e]0;x\a') >"$tmp/out"
expect_text "weekly where: the URL a source wrote, escaped" \
	'issues/008.md:21:3: issue 8, the lead: https://c.example/\x1b[2J\x1b]0;x\x07' "$(cat "$tmp/out")"
run "XML characters: build" "$d" 1 build 8
nothing_built "XML characters" "$d"
rm -rf "$d"

# --- character references Markdown would turn into characters XML forbids --
# In titles, notes, descriptions, link destinations and titles, reference
# definitions, tables, code info strings and front matter Markdown: an error
# at each; in code, raw HTML, after a backslash or not references at all
# (no semicolon, nine digits): none.
d=$(scratch)
cp $T/refs.md "$d/issues/010.md"
run "references" "$d" 1 check
same "references: an error at each one Markdown decodes" $T/refs.err "$tmp/err"
for f in md html teaser email text telegram eml; do
	run "references: build -f $f refuses" "$d" 1 build 10 -f $f -o "$tmp/out.$f"
	[ -e "$tmp/out.$f" ] && ko "references: -f $f writes nothing" || ok "references: -f $f writes nothing"
done
run "references: build --all refuses" "$d" 1 build --all
nothing_built "references" "$d"
rm -rf "$d"

# Past 20 in a file, one line stands for the rest.
d=$(scratch)
{ printf -- '---\nnumber: 11\ndate: 2024-03-23\n---\n\n'; for i in $(seq 25); do printf 'A &#x1b; lead\n'; done; } \
	>"$d/issues/011.md"
run "many references" "$d" 1 check
grep -c "error: character reference '&#x1b;'" "$tmp/err" >"$tmp/got"
text "many references: 20 on their own" 20 "$tmp/got"
grep -a "more character references" "$tmp/err" >"$tmp/got"
text "many references: one line for the rest, at the first of them" \
	"issues/011.md:26:3: error: 5 more character references XML 1.0 does not allow [xml-char]" "$tmp/got"
rm -rf "$d"

# --- what reaches a terminal: every listing escapes what sources say -------
# A file name, a URL and a heading with C0 and C1 controls, a bidirectional
# override and a backslash: `weekly links` (TSV and JSON), `where` and JSON
# diagnostics show them escaped; the build state holds no control character
# and gives back a title with backslashes whole.
d=$(scratch)
name="012-$(printf '\033]0;x\007')"
{ printf -- '---\nnumber: 12\ndate: 2024-03-23\ntitle: "Back\\\\slash, \\\\x1b and \\\\u009b as typed"\n---\n\n'
  printf '## Articles\n\n1. [A](<https://a.example/\033[2J\xc2\x9b\xe2\x80\xae/a\\b>)\n\n'
  printf '## Projects \xc2\x9b\n\n- [B](https://b.example/)\n'
} >"$d/issues/$name.md"
(cd "$d" && "$W" links) >"$tmp/out"
same "links --format tsv: every control character and backslash escaped" $T/links.tsv "$tmp/out"
(cd "$d" && "$W" links --format json) >"$tmp/out"
same "links --format json: C0, C1 and bidirectional controls as \\u escapes" $T/links.json "$tmp/out"
(cd "$d" && "$W" where https://b.example/) >"$tmp/out"
text "where: the file name escaped" \
	'issues/012-\x1b]0;x\x07.md:13:3: issue 12, the lead: https://b.example/' "$tmp/out"
(cd "$d" && "$W" check --format json) >"$tmp/out" 2>"$tmp/err"
same "check --format json: file names and messages escaped" $T/controls.json "$tmp/out"
quiet "check --format json: nothing on standard error"
sed -i 's/^## Projects .*/## Projects/; s/^1\. .*/1. [A](https:\/\/a.example\/)/' "$d/issues/$name.md"
run "state: builds" "$d" 0 build --all -q
python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("select title from issues where number = 12").fetchone()[0])' \
	"$d/build/.weekly/index.sqlite" >"$tmp/got"
text "state: the index holds the title as typed" 'Back\slash, \x1b and \u009b as typed' "$tmp/got"
printf -- '---\nnumber: 13\ndate: 2024-03-30\n---\n\n## Articles\n\n1. [C](https://c.example/)\n\n## Projects\n\n- [D](https://d.example/)\n' \
	>"$d/issues/013.md"
run "state: a second build reads it" "$d" 0 build --all -q
grep -c 'Back\\slash, \\x1b and \\u009b as typed' "$d/build/index.html" >"$tmp/got"
text "state: the title read back byte for byte" 1 "$tmp/got"
rm -rf "$d"

# --- the feed is XML whatever the source holds ------------------------------
# Character references to the last characters XML allows, and ]]>
# everywhere: the issue is fine for check, and its feed still parses.
d=$(scratch)
cp $T/feed.md "$d/issues/009.md"
run "hostile feed" "$d" 0 build --all
feed=$d/build/feed.xml
if LC_ALL=C grep -q $'[\x01-\x08\x0b\x0c\x0e-\x1f]\|\xef\xbf[\xbe\xbf]' "$feed"; then
	ko "hostile feed: no character XML forbids"
else
	ok "hostile feed: no character XML forbids"
fi
grep -qF "$(printf 'A lead with the last characters XML allows, \355\237\277 \356\200\200 \357\277\275 \364\217\277\277, and ]]&gt; too.')" "$feed" &&
	ok "hostile feed: the characters the references stand for" ||
	ko "hostile feed: the characters the references stand for"
if command -v xmllint >/dev/null; then
	xmllint --noout "$feed" 2>"$tmp/xml"
	expect_status "hostile feed: xmllint reads it" 0 $?
else
	echo "skipped: xmllint (install libxml2-utils)"
fi
py=$(feedparser_python)
if [ -n "$py" ]; then
	"$py" - "$feed" >"$tmp/parsed" 2>&1 <<'PY'
import sys, feedparser
f = feedparser.parse(sys.argv[1])
print("bozo", f.bozo, f.get("bozo_exception", ""))
for e in f.entries:
    print("entry", e.title, "|", e.id, "|", len(e.content[0].value) > 200)
PY
	same "hostile feed: a feed parser reads every entry" $T/feed.parsed "$tmp/parsed"
else
	echo "skipped: feed parser (install python3-feedparser)"
fi
rm -rf "$d"

# --- an XML template is well-formed whatever its values hold -----------------
"$W" render $T/cdata.xml.mustache $T/cdata.yaml >"$tmp/cdata.xml" 2>"$tmp/err"
expect_status "XML template: renders" 0 $?
same "XML template: ]]> never ends a CDATA section, forbidden characters are U+FFFD" \
	$T/cdata.xml "$tmp/cdata.xml"
if command -v xmllint >/dev/null; then
	xmllint --noout "$tmp/cdata.xml"
	expect_status "XML template: xmllint reads it" 0 $?
fi
finish
