#!/bin/bash
# limits.sh - what weekly refuses rather than spend unbounded time or
# memory on: each limit of markdown.h, yaml.h and mustache.h gets an input
# just over it (made here, at test time), refused by check and by every
# build format with its exact error at the first line and column over the
# limit, exit status 1 and nothing written; and inputs just inside the
# limits pass. The time and memory they take are measured by
# tests/bench/hostile.sh (make bench-hostile), not here.
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
W=${WEEKLY:-$PWD/weekly}
use_tmp limits
export NO_COLOR=1

# issue FILE FRONT MIDDLE: issue 7 with FRONT (YAML lines) in its front
# matter and MIDDLE (Python expressions, joined) starting on line 12 when
# FRONT is empty.
issue() {
	python3 - "$@" <<'EOF'
import sys
path, front, middle = sys.argv[1], sys.argv[2], sys.argv[3]
text = ("---\nnumber: 7\ndate: 2024-03-02\n" + eval(front or "''") + "---\n\n"
        "## Articles\n\n1. [A](https://a.example/)\n\nD.\n\n" + eval(middle or "''") +
        "\n\n## Projects\n\n- [B](https://b.example/)\n\n  D.\n")
open(path, "w").write(text)
EOF
}

d=$(scratch)
trap 'rm -rf "$tmp" "$d"' EXIT

# refused NAME WANT: issue 7 of $d is refused with the error WANT (file,
# line, column, message, rule) by check and by each build format, which
# writes nothing.
refused() {
	local name=$1 want=$2
	rm -rf "$d/build"
	"$W" -C "$d" check 7 2>"$tmp/err"
	local rc=$?
	if [ "$rc" = 1 ] && grep -qxF -- "$want" "$tmp/err"; then
		ok "$name: check refuses it"
	else
		ko "$name: check refuses it" "exit $rc: $(grep -a -m 2 error "$tmp/err" | cut -c 1-200)"
	fi
	for f in md html teaser email text; do
		"$W" -C "$d" build 7 -f "$f" 2>"$tmp/err"
		rc=$?
		local written; written=$(ls "$d/build" 2>/dev/null)
		if [ "$rc" = 1 ] && grep -qxF -- "$want" "$tmp/err" && [ -z "$written" ]; then
			ok "$name: build -f $f refuses it, writes nothing"
		else
			ko "$name: build -f $f refuses it, writes nothing" \
				"exit $rc: $(grep -a -m 1 error "$tmp/err" | cut -c 1-200); $(ls "$d/build" 2>/dev/null)"
		fi
	done
}

# passes NAME: issue 7 of $d checks and builds.
passes() {
	"$W" -C "$d" check 7 2>"$tmp/err"
	expect_status "$1: check passes" 0 $?
	"$W" -C "$d" build 7 -f text -o "$tmp/out" 2>"$tmp/err"
	expect_status "$1: build -f text passes" 0 $?
}

F=issues/007.md

# --- Markdown: brackets, markup per paragraph, nesting, nodes, lines ---------
# ![[]() leaves one bracket open a time: the 32nd's second [ is the 33rd open.
issue "$d/$F" "" "'![[]()' * 150000"
refused "![[]() repeated" "$F:12:189: error: brackets nested more than 32 deep [limit]"
issue "$d/$F" "" "'[' * 40 + ']' * 40"
refused "nested brackets" "$F:12:33: error: brackets nested more than 32 deep [limit]"
# 45,000 nested emphasis pairs: the 5,001st run of * is the first too many.
issue "$d/$F" "" "'*a ' * 45000 + 'b*' * 45000"
refused "nested emphasis" "$F:12:15001: error: more than 5000 emphasis, code or tag marks in one paragraph [limit]"
issue "$d/$F" "" "'~a' * 5200"
refused "strikethrough runs" "$F:12:10001: error: more than 5000 emphasis, code or tag marks in one paragraph [limit]"
issue "$d/$F" "" '"a `b`\n" * 3000'
refused "code spans over lines" "$F:2512:3: error: more than 5000 emphasis, code or tag marks in one paragraph [limit]"
issue "$d/$F" "" "'> ' * 33 + 'deep'"
refused "block quotes" "$F:12:65: error: block quotes and lists nested more than 32 deep [limit]"
issue "$d/$F" "" "'- ' * 20 + '> ' * 13 + 'deep'"
refused "lists and quotes" "$F:12:65: error: block quotes and lists nested more than 32 deep [limit]"
# Line 76 is indented 128 columns: its text, after "- ", starts on column 131.
issue "$d/$F" "" "'- a\n' + ''.join(' ' * (2 * i) + '- a\n' for i in range(1, 80))"
refused "lists nested by indentation" "$F:76:131: error: indented more than 128 columns [limit]"
# Every line that is not blank counts 2 nodes; before line 12 the body has
# 11: the heading 2, the item's line 2 + [ ] 2 + :// 3, "D." 2.
issue "$d/$F" "" "'a\n\n' * 250000"
refused "many paragraphs" "$F:500000:1: error: more than 500000 lines and markup characters in one text [limit]"
# Lines end at a carriage return too, alone or before a line feed: the same
# count, at the place of the line as editors and diagnostics number them.
issue "$d/$F" "" "'a\r\n\r\n' * 250000"
refused "many paragraphs, CR LF" "$F:500000:1: error: more than 500000 lines and markup characters in one text [limit]"
# The 249,995th "a" (3 bytes each) is the first over: on line 12, column 749,983.
issue "$d/$F" "" "'a\r\r' * 250000"
refused "many paragraphs, CR alone" "$F:12:749983: error: more than 500000 lines and markup characters in one text [limit]"
# www. counts 3 and the two w after it 1 each: 7 a line, 12 the first.
issue "$d/$F" "" "'www.a.b ' * 2 + '\n\n' + ('www.x.y\n\n' * 100000)"
refused "many autolinks" "$F:142864:1: error: more than 500000 lines and markup characters in one text [limit]"
# Every row counts 2 and the 3 cells of the widest row: 5 each.
issue "$d/$F" "" "'| a | b |\n|---|---|\n' + '|\n' * 200000"
refused "table rows padded to the widest" "$F:100009:1: error: more than 500000 lines and markup characters in one text [limit]"
# A reference to a 64 KiB address: 256 closing brackets copy more than
# 16 MiB, the item's and the definition's among them: the 254th use.
issue "$d/$F" "" "'[r]: https://e.example/' + 'a' * 65518 + '\n\n' + '[r] ' * 2000"
refused "link reference expansion" "$F:14:1015: error: uses of link references would copy more than 16777216 bytes (the longest address defined is 65537 bytes) [limit]"
# The uses before the definition: the 256th closing bracket (the item's
# is the first) is the first over, found once the definition is read.
issue "$d/$F" "" "'[r] ' * 2000 + '\n\n[r]: https://e.example/' + 'a' * 65518"
refused "link reference expansion, defined after its uses" "$F:12:1019: error: uses of link references would copy more than 16777216 bytes (the longest address defined is 65537 bytes) [limit]"
# The body starts on line 5: its 1,000,001st line is line 1,000,005.
issue "$d/$F" "" "'\n' * 1000000"
refused "many lines" "$F:1000005:1: error: more than 1000000 lines [limit]"

# --- front matter: YAML and Markdown in it ------------------------------------
# Each alias of a 64 KiB string adds 65,568 bytes: the 16th is over 1 MiB.
issue "$d/$F" "'big: &a \"' + 'x' * 65536 + '\"\nmany: [' + '*a, ' * 20 + '*a]\n'" ""
refused "alias expansion in bytes" "$F:5:68: error: aliases expand to more than 1048576 bytes at 'a' [yaml]"
# Events before the list: stream, document, mapping, 4 scalars, 2 keys, the list.
issue "$d/$F" "'many: [' + '1, ' * 100000 + '1]\n'" ""
refused "YAML values" "$F:4:299981: error: more than 100000 values [yaml]"
issue "$d/$F" "'intro_md: \"' + '[' * 40 + '\"\n'" ""
refused "Markdown in front matter" "$F:4:11: error: 'intro_md': brackets nested more than 32 deep [limit]"

# --- inside the limits: passes --------------------------------------------------
issue "$d/$F" "" "('~a~ ' * 2400 + '\n\n') * 40"
passes "40 paragraphs of 4,800 markup characters"
issue "$d/$F" "" "'> ' * 31 + '- deep\n'"
passes "32 quotes and lists"
issue "$d/$F" "" "''.join('![[a](https://x.example/%d)' % i for i in range(31))"
passes "32 brackets open"
issue "$d/$F" "" "'[r]: https://e.example/' + 'a' * 65518 + '\n\n' + '[r] ' * 250"
passes "250 uses of a reference to a 64 KiB address"
issue "$d/$F" "'big: &a \"' + 'x' * 65536 + '\"\nmany: [' + '*a, ' * 14 + '*a]\n'" ""
"$W" -C "$d" check 7 2>"$tmp/err"
expect_status "15 aliases of 64 KiB: check passes" 0 $?

# --- the feed: its issues together within one issue's nodes ------------------
for n in 7 8; do
	issue "$d/issues/00$n.md" "" "'a\n\n' * 150000"
	sed -i "s/^number: 7\$/number: $n/; s/^date: 2024-03-02\$/date: 2024-03-0$n/" "$d/issues/00$n.md"
done
rm -rf "$d/build"
"$W" -C "$d" build --all -q 2>"$tmp/err"
expect_status "two issues of 300,000 nodes: built" 0 $?
expect_text "two issues of 300,000 nodes: the feed stops before the older" \
	"weekly: warning: the feed stops before 007.md: with it the feed would hold more than 500000 Markdown nodes [limit]" \
	"$(cat "$tmp/err")"
expect_text "two issues of 300,000 nodes: the feed carries the newer" "1 https://pythoncat.top/008.html" \
	"$(grep -c '<entry>' "$d/build/feed.xml") $(sed -n 's|^<id>\(.*008.html\)</id>$|\1|p' "$d/build/feed.xml")"
rm -rf "$d/build" "$d/issues/008.md"

# --- many diagnostics on one long line ------------------------------------------
# 20,000 unknown topics on one line of 149 KB: each error shows its part of
# the line (read again from the file: a copy under each of them would take
# 3 GB), in the order of their columns.
issue "$d/$F" "'tags: [' + ', '.join('t%d' % i for i in range(20000)) + ']\n'" ""
"$W" -C "$d" check 7 2>"$tmp/err"
expect_status "20,000 errors on a line of 149 KB: exit 1" 1 $?
python3 - "$d/$F" >"$tmp/want" <<'EOF'
import sys
line = open(sys.argv[1]).read().split("\n")[3]
last = len(line) - len("t19999]") + 1
print("issues/007.md:4:8: error: unknown topic 't0' [topic]")
print("    4 | %s..." % line[:120])
print("      |        ^")
print("issues/007.md:4:%d: error: unknown topic 't19999' [topic]" % last)
print("    4 | ...%s" % line[last - 61:])
print("      | %63s^" % "")
print("20000 errors, 0 warnings in 1 issue")
EOF
{ head -n 3 "$tmp/err"; tail -n 4 "$tmp/err"; } >"$tmp/out"
same "20,000 errors on a line of 149 KB: the first and the last at their columns" "$tmp/want" "$tmp/out"
# A warning on a line too long to keep: said again by the build that skips
# the issue, its line read from the file.
issue "$d/$F" "" "'2. [C](https://c.example/?utm_source=x) ' + 'x' * 5000"
rm -rf "$d/build"
"$W" -C "$d" build --all 2>"$tmp/first"
"$W" -C "$d" build --all 2>"$tmp/err"
line="2. [C](https://c.example/?utm_source=x) $(printf 'x%.0s' $(seq 80))..."
printf '%s\n' "$F:12:4: warning: URL carries tracking parameter 'utm_source' [tracking]" \
	"   12 | $line" "      |    ^" >"$tmp/want"
grep -A2 "^$F:12:4: warning: URL carries" "$tmp/first" >"$tmp/out"
same "a warning on a line of 5 KB: its line shown" "$tmp/want" "$tmp/out"
grep -A2 "^$F:12:4: warning: URL carries" "$tmp/err" >"$tmp/out"
same "a warning on a line of 5 KB: the same when the issue is skipped" "$tmp/want" "$tmp/out"
rm -rf "$d/build"

# --- settings ---------------------------------------------------------------------
cp "$d/issues/newsletter.yaml" "$tmp/settings"
issue "$d/$F" "" ""
n=$(($(wc -l <"$tmp/settings") + 1))
{ cat "$tmp/settings"; printf 'limit_md: "%s"\n' "$(printf '%.0s*a_' $(seq 2600))"; } >"$d/issues/newsletter.yaml"
"$W" -C "$d" check 7 2>"$tmp/err"
expect_status "Markdown in settings over a limit: exit 1" 1 $?
expect_text "Markdown in settings over a limit: the error" \
	"issues/newsletter.yaml:$n:11: error: 'limit_md': more than 5000 emphasis, code or tag marks in one paragraph [limit]" \
	"$(grep -a ": error:" "$tmp/err")"
cp "$tmp/settings" "$d/issues/newsletter.yaml"

# --- templates: output and steps ------------------------------------------------
p=$(scratch)
trap 'rm -rf "$tmp" "$d" "$p"' EXIT
cp issues/015.md "$p/issues/"
# Ten partials, each including the next ten times.
for i in 0 1 2 3 4 5 6 7 8; do
	python3 -c "print('x{{>p$((i + 1))}}' * 10, end='')" >"$p/templates/partials/p$i.mustache"
done
printf '%01024d\n' 0 >"$p/templates/partials/p9.mustache"
printf '{{>p0}}\n' >>"$p/templates/issue.html.mustache"
"$W" -C "$p" build 15 2>"$tmp/err"
expect_status "partials writing 10^10 KiB: exit 1" 1 $?
# (which partial writes the byte over the limit depends on the page's size)
grep -aqx "templates/partials/p[78].mustache:1:[0-9]*: error: the template writes more than 33554432 bytes \[template\]" \
	"$tmp/err" && ok "partials writing 10^10 KiB: the error names the template" ||
	ko "partials writing 10^10 KiB: the error names the template" "$(grep -a error "$tmp/err")"
[ -e "$p/build/015.html" ] && ko "partials writing 10^10 KiB: nothing written" ||
	ok "partials writing 10^10 KiB: nothing written"
: >"$p/templates/partials/p9.mustache"
"$W" -C "$p" build 15 2>"$tmp/err"
expect_status "partials including 10^10 empty ones: exit 1" 1 $?
# Where the steps run out depends on how many a tag takes: the template and
# its line are what matter.
grep -qx "templates/partials/p[78].mustache:1:[0-9]*: error: the template takes more than 20000000 steps \[template\]" \
	"$tmp/err" && ok "partials including 10^10 empty ones: the error names the template" ||
	ko "partials including 10^10 empty ones: the error names the template" "$(grep -a error "$tmp/err")"
cp templates/issue.html.mustache "$p/templates/"
python3 -c "print('{{#sections}}' * 60 + '{{/sections}}' * 60)" >>"$p/templates/issue.md.mustache"
"$W" -C "$p" build 15 -f md -o - >"$tmp/out" 2>"$tmp/err"
expect_status "sections nested 60 deep: exit 1" 1 $?
grep -qx "templates/issue.md.mustache:[0-9]*:[0-9]*: error: the template takes more than 20000000 steps \[template\]" \
	"$tmp/err" && ok "sections nested 60 deep: the error names the template" ||
	ko "sections nested 60 deep: the error names the template" "$(grep -a error "$tmp/err")"
[ -s "$tmp/out" ] && ko "sections nested 60 deep: nothing written" || ok "sections nested 60 deep: nothing written"
finish
