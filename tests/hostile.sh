#!/bin/bash
# hostile.sh - hostile content cannot reach readers. An issue full of raw
# HTML, scripts, quotes and event handlers builds, and none of it runs in
# any HTML output (issue page, email, index, feed); links and images that
# are not http(s) - javascript:, vbscript:, data:, in any spelling, in the
# body or the front matter - stop the build with an error each; template
# partials never read outside the templates folder, whatever an issue says.
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
W=${WEEKLY:-$PWD/weekly}
H=tests/hostile
tmp=$(mktemp -d "${TMPDIR:-/tmp}/weekly-hostile.XXXXXX") || exit 3
trap 'rm -rf "$tmp" "$d" "$p"' EXIT
export NO_COLOR=1

# The checker finds every kind of problem it looks for, so that its silence
# about the outputs below means something.
python3 $H/check_html.py $H/unsafe.html >"$tmp/report"
expect_status "checker: unsafe HTML fails" 1 $?
same "checker: every problem of unsafe.html found" $H/unsafe.report "$tmp/report"
python3 $H/check_html.py $H/unsafe.xml $H/broken.xml >"$tmp/report"
expect_status "checker: unsafe feeds fail" 1 $?
same "checker: every problem of the feeds found" $H/unsafe-feed.report "$tmp/report"

# contains NAME FILE TEXT: FILE holds TEXT verbatim.
contains() {
	if grep -qF -- "$3" "$2"; then ok "$1"; else ko "$1" "'$3' not in $(basename "$2")"; fi
}

# --- content that builds: every HTML output is safe --------------------------
d=$(scratch)
cp $H/allowed.md "$d/issues/007.md"
"$W" -C "$d" build --all -q 2>"$tmp/err"
expect_status "hostile issue builds (--all)" 0 $?
"$W" -C "$d" build 7 -f email -q 2>>"$tmp/err"
expect_status "hostile issue builds (email)" 0 $?
for f in 007.html 007.email.html index.html feed.xml; do
	if [ ! -f "$d/build/$f" ]; then
		ko "$f: nothing runs" "not written"
	elif python3 $H/check_html.py "$d/build/$f" >"$tmp/report"; then
		ok "$f: nothing runs"
	else
		ko "$f: nothing runs" "$(head -n 3 "$tmp/report")"
	fi
done
for f in 007.html 007.email.html index.html feed.xml; do
	contains "$f: title escaped" "$d/build/$f" \
		'Quotes &quot; and &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;apostrophes&#39;'
done
page=$d/build/007.html
contains "item title and URL escaped, attribute quoted" "$page" \
	'<a href="https://one.example/a?x=1&amp;y=&quot;2&quot;">Title with tags &amp; &quot;quotes&quot;</a>'
contains "note: javascript: stays text, raw HTML dropped" "$page" \
	'<span class="note">(note: javascript:alert(1) <!-- raw HTML omitted -->)</span>'
contains "note: an unclosed javascript: link stays text" "$page" \
	'<span class="note">[not a link](javascript:alert(1)</span>'
contains "lead: <img onerror> and <iframe> dropped" "$page" \
	'<p>A lead with <!-- raw HTML omitted --> and <!-- raw HTML omitted --><!-- raw HTML omitted -->.</p>'
contains "description: <script> dropped" "$page" \
	'<p>Text with <!-- raw HTML omitted -->alert(2)<!-- raw HTML omitted --> in it'
contains "description: an undefined reference stays text" "$page" \
	'a reference [that is not defined][js] and &lt;escaped&gt;.</p>'
contains "description: code is escaped" "$page" \
	'<pre><code class="language-html">&lt;script&gt;alert(&quot;code&quot;)&lt;/script&gt;'
contains "image title with a quote stays inside its attribute" "$page" \
	'alt="An image" title="title &quot; onerror=alert(1)" />'
contains "front matter Markdown: unsafe URLs emptied" "$page" \
	'<p>Hello <img src="" alt="pixel" /> <a href="">click</a> <a href="">vb</a> <!-- raw HTML omitted -->alert(3)<!-- raw HTML omitted --></p>'
contains "feed: ]]> in the text cannot close CDATA" "$d/build/feed.xml" \
	'Closing ]]&gt; CDATA'
if grep -qi 'onerror=alert(1)>\|<script\|<iframe\|<svg' "$page"; then
	ko "issue page: no raw tag survives" "$(grep -ni 'onerror=alert(1)>\|<script\|<iframe\|<svg' "$page" | head -n 3)"
else
	ok "issue page: no raw tag survives"
fi
[ -s "$tmp/err" ] && ko "hostile issue: no diagnostics" "$(head -n 3 "$tmp/err")" ||
	ok "hostile issue: no diagnostics"

# --- links that are not http(s): an error each, nothing written ------------
for src in $H/refused-*.md; do
	name=$(basename "$src" .md)
	cp "$src" "$d/issues/008.md"
	"$W" -C "$d" build 8 2>"$tmp/err"
	expect_status "$name: refused" 1 $?
	while IFS= read -r line; do
		if grep -qxF -- "$line" "$tmp/err"; then ok "$name: $line"; else ko "$name: $line" "not reported"; fi
	done <"${src%.md}.want"
	want=$(wc -l <"${src%.md}.want")
	got=$(grep -c ': error: .* \[url\]$' "$tmp/err")
	[ "$got" = "$want" ] && ok "$name: $want url errors, no more" || ko "$name: $want url errors, no more" "got $got"
	if ls "$d/build" | grep -q '^008'; then ko "$name: nothing written"; else ok "$name: nothing written"; fi
done

# --- partials stay inside the templates folder -----------------------------
p=$(scratch)
printf '<p>{{>*issue.layout}}</p>\n' >"$p/templates/issue.html.mustache"
issue_with_layout() {
	printf -- '---\nnumber: 7\ndate: 2024-03-02\nlayout: "%s"\n---\n\n## Articles\n\n1. [A](https://a.example/)\n\nD.\n\n## Projects\n\n- [B](https://b.example/)\n\n  D.\n' "$1" >"$p/issues/007.md"
}
issue_with_layout style.html
(cd "$p" && "$W" build 7 -f html -o -) >"$tmp/out" 2>/dev/null
expect_status "partial named by the issue: inside the folder it renders" 0 $?
contains "partial named by the issue: its text is there" "$tmp/out" '<p><style>'
for name in ../../../../../../../etc/passwd /etc/passwd '..\\..\\x' partials/../../issue.md ../issue.md; do
	issue_with_layout "$name"
	(cd "$p" && "$W" build 7 -f html -o -) >"$tmp/out" 2>"$tmp/err"
	rc=$?
	shown=${name//\\\\/\\}
	want="templates/issue.html.mustache:1:4: error: partial name '$shown' leaves the templates folder [template]"
	if [ "$rc" = 1 ] && grep -qxF -- "$want" "$tmp/err" && [ ! -s "$tmp/out" ]; then
		ok "partial '$shown' refused"
	else
		ko "partial '$shown' refused" "exit $rc: $(grep error "$tmp/err" | head -n 2)"
	fi
done
printf '{{>../issue.md}}\n' >"$p/templates/issue.html.mustache"
issue_with_layout none
(cd "$p" && "$W" build 7 -f html -o -) >"$tmp/out" 2>"$tmp/err"
expect_status "a template's own partial outside the folder: refused" 1 $?
contains "a template's own partial outside the folder: the error" "$tmp/err" \
	"templates/issue.html.mustache:1:1: error: partial name '../issue.md' leaves the templates folder [template]"

# A partial that is a symbolic link, wherever it points, or that leads out
# through a linked folder, is refused with an error naming it; nothing of
# the file it leads to reaches the page.
secret=$(mktemp -d "${TMPDIR:-/tmp}/weekly-secret.XXXXXX")
echo "SECRET-$$" >"$secret/leak.mustache"
echo "SECRET-$$" >"$secret/environ"
ln -s "$secret/environ" "$p/templates/partials/env.mustache"
ln -s style.html.mustache "$p/templates/partials/alias.mustache"
ln -s "$secret" "$p/templates/partials/linked"
mkfifo "$p/templates/partials/fifo.mustache"
issue_with_layout none
for c in "env|is a symbolic link; templates must be files inside the folder" \
	"alias|is a symbolic link; templates must be files inside the folder" \
	"linked/leak|resolves outside the templates folder" \
	"fifo|is not a regular file"; do
	name=${c%%|*}
	printf '<p>{{>%s}}</p>\n' "$name" >"$p/templates/issue.html.mustache"
	(cd "$p" && timeout 10 "$W" build 7 -f html -o -) >"$tmp/out" 2>"$tmp/err"
	rc=$?
	want="templates/issue.html.mustache:1:4: error: partial '$name' ${c#*|} [template]"
	if [ "$rc" = 1 ] && grep -qxF -- "$want" "$tmp/err" && ! grep -q SECRET "$tmp/out"; then
		ok "partial '$name' refused: ${c#*|}"
	else
		ko "partial '$name' refused: ${c#*|}" "exit $rc: $(grep error "$tmp/err" | head -n 2)"
	fi
done
# A format's own template is held to the same rule.
rm "$p/templates/issue.html.mustache"
ln -s "$secret/environ" "$p/templates/issue.html.mustache"
(cd "$p" && "$W" build 7 -f html -o -) >"$tmp/out" 2>"$tmp/err"
rc=$?
want="templates/issue.html.mustache: error: template 'issue.html.mustache' is a symbolic link; templates must be files inside the folder [template]"
if [ "$rc" = 1 ] && grep -qxF -- "$want" "$tmp/err" && ! grep -q SECRET "$tmp/out"; then
	ok "a linked template refused, naming it"
else
	ko "a linked template refused, naming it" "exit $rc: $(grep error "$tmp/err" | head -n 2)"
fi
rm "$p/templates/feed.xml.mustache"
ln -s "$secret/environ" "$p/templates/feed.xml.mustache"
rm "$p/templates/issue.html.mustache"
cp templates/issue.html.mustache "$p/templates/"
(cd "$p" && "$W" build --all) >"$tmp/out" 2>"$tmp/err"
rc=$?
want="templates/feed.xml.mustache: error: template 'feed.xml.mustache' is a symbolic link; templates must be files inside the folder [template]"
if [ "$rc" = 1 ] && grep -qxF -- "$want" "$tmp/err" && ! grep -rq SECRET "$p/build"; then
	ok "a linked feed template refused, naming it"
else
	ko "a linked feed template refused, naming it" "exit $rc: $(grep error "$tmp/err" | head -n 2)"
fi
printf '{{>env}}\n' >"$tmp/t.mustache"
ln -s "$secret/environ" "$tmp/env.mustache"
"$W" render "$tmp/t.mustache" /dev/null >"$tmp/out" 2>"$tmp/err"
expect_status "weekly render: a linked partial refused" 1 $?
contains "weekly render: the error names it" "$tmp/err" \
	"t.mustache:1:1: error: partial 'env' is a symbolic link; templates must be files inside the folder [template]"
rm -rf "$secret"
finish
