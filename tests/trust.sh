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
tmp=$(mktemp -d "${TMPDIR:-/tmp}/weekly-trust.XXXXXX") || exit 3
trap 'rm -rf "$tmp"' EXIT
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
run "front matter: build" "$d" 1 build 7 -f html -f email
same "front matter: build reports the same" $T/raw-html.err "$tmp/err"
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
	same "settings: $cmd reports the settings' errors" "$tmp/settings.err" "$tmp/err"
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

# --- the feed is XML whatever the source holds ------------------------------
# Character references Markdown turns into characters XML forbids, and ]]>
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
grep -qF 'A lead with �[31m an escape, � � � � and ]]&gt; too.' "$feed" &&
	ok "hostile feed: forbidden characters became U+FFFD" ||
	ko "hostile feed: forbidden characters became U+FFFD"
if command -v xmllint >/dev/null; then
	xmllint --noout "$feed" 2>"$tmp/xml"
	expect_status "hostile feed: xmllint reads it" 0 $?
else
	echo "skipped: xmllint (install libxml2-utils)"
fi
py=""
for p in python3 /usr/bin/python3; do
	"$p" -c 'import feedparser' 2>/dev/null && { py=$p; break; }
done
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
