#!/bin/bash
# render.sh - `weekly render` end to end: golden outputs compared byte for
# byte, escaping, partial folders, and the exact diagnostics and exit
# statuses of bad templates, bad data and bad command lines.
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
W="${WEEKLY:-./weekly}"
R=tests/render
use_tmp render
export NO_COLOR=1

# golden NAME EXPECTED ARGS...: exit 0, nothing on stderr, stdout as expected.
golden() {
	local name=$1 want=$2; shift 2
	"$W" render "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
	if [ "$rc" != 0 ] || [ -s "$tmp/err" ]; then
		ko "$name" "exit status $rc: $(head -n 3 "$tmp/err")"
	else
		same "$name" "$want" "$tmp/out"
	fi
}

# fails NAME STATUS STDERR ARGS...: that exit status, that standard error,
# nothing on standard output.
fails() {
	local name=$1 status=$2 err=$3; shift 3
	"$W" render "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
	if [ "$rc" != "$status" ]; then
		ko "$name" "exit status $rc, expected $status"
	elif [ -s "$tmp/out" ]; then
		ko "$name" "wrote to standard output"
	elif [ "$(head -n 1 "$tmp/err")" != "$err" ]; then
		ko "$name" "stderr: $(head -n 1 "$tmp/err")"
		echo "  expected: $err"
	else
		ok "$name"
	fi
}

golden "html page with parent, blocks and partials" $R/page.html.expected \
	$R/page.html.mustache $R/data.yaml --partials $R/partials
golden "markdown page is not escaped" $R/page.md.expected \
	$R/page.md.mustache $R/data.yaml --partials=$R/partials
golden "json data" $R/page-json.html.expected \
	$R/page.html.mustache $R/data.json --partials $R/partials

printf 'Hello Tools &amp; &lt;Tricks&gt;!\n' >"$tmp/want"
golden "partials default to the template's folder" "$tmp/want" \
	$R/local.mustache $R/data.yaml
printf 'Hello Tools & <Tricks>!\n' >"$tmp/want"
golden "--escape none" "$tmp/want" $R/local.mustache $R/data.yaml --escape none
printf '[JSON &lt;data&gt;]\n' >"$tmp/want"
golden "dynamic partial name" "$tmp/want" $R/dynamic.mustache $R/data.json

golden "--partials DIR and --escape html" $R/page-alt.md.expected \
	$R/page.md.mustache $R/data.yaml --partials $R/alt --escape html

"$W" render $R/missing.txt.mustache $R/data.yaml >"$tmp/out" 2>"$tmp/err"
expect_status "missing partial is a warning" 0 $?
printf 'before\nafter Tools & <Tricks>\n' >"$tmp/want"
same "missing partial renders nothing" "$tmp/want" "$tmp/out"
printf '%s\n' "$R/missing.txt.mustache:2:1: warning: missing partial 'nowhere' [template]" \
	"    2 | {{>nowhere}}" "      | ^" >"$tmp/want"
same "missing partial warning" "$tmp/want" "$tmp/err"

fails "mismatched closing tag" 1 \
	"$R/bad.mustache:5:1: error: closing tag 'sections' does not match open section 'items' (opened at line 3) [template]" \
	$R/bad.mustache $R/data.yaml
fails "unclosed section" 1 "$R/unclosed.mustache:2:1: error: unclosed section 'items' [template]" \
	$R/unclosed.mustache $R/data.yaml
fails "partial leaving the folder" 1 \
	"$R/escape.mustache:1:3: error: partial name '../../../etc/passwd' leaves the templates folder [template]" \
	$R/escape.mustache $R/data.yaml
fails "bad data" 1 \
	"$R/bad.yaml:1:8: error: invalid YAML: this '[' list is not closed with ']' (or two items lack a ',' between them) [yaml]" \
	$R/local.mustache $R/bad.yaml
fails "missing template" 3 "weekly: cannot read '$R/nope.mustache': No such file or directory" \
	$R/nope.mustache $R/data.yaml
fails "missing data" 3 "weekly: cannot read '$R/nope.yaml': No such file or directory" \
	$R/local.mustache $R/nope.yaml
fails "usage: no data" 2 "weekly render: missing DATA" $R/local.mustache
fails "usage: bad --escape" 2 "weekly render: --escape takes html, xml, json or none, not 'latex'" \
	$R/local.mustache $R/data.yaml --escape latex
fails "usage: unknown option" 2 "weekly render: unknown option '--frobnicate'" \
	$R/local.mustache $R/data.yaml --frobnicate
fails "usage: extra argument" 2 "weekly render: unexpected argument 'extra'" \
	$R/local.mustache $R/data.yaml extra

if [ -w /dev/full ]; then
	"$W" render $R/local.mustache $R/data.yaml >/dev/full 2>"$tmp/err"
	expect_status "write error is a system error" 3 $?
fi
finish
