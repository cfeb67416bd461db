#!/bin/bash
# faults.sh - `weekly add`, `weekly check --links` (with --meta, --fix and
# --wayback) against tests/faultserver.py on 127.0.0.1, a server whose every
# path is a fault: replies cut off or never ending, broken encodings, bombs,
# redirects nowhere, odd statuses, pages in odd encodings, APIs answering
# nonsense. Each verdict exact; never a crash, a hang or a half-written file.
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
WEEKLY="${WEEKLY:-$PWD/weekly}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/weekly-faults.XXXXXX")
trap 'exec 5>&- 2>/dev/null; rm -rf "$tmp"' EXIT
# replies that never end give up after 2 s
faultserver_start "$tmp" --slow 2 ||
	{ printf 'FAIL faultserver.py did not start\n0 passed, 1 failed\n'; exit 1; }
BASE="http://127.0.0.1:$PORT"
unset GITHUB_TOKEN

# A newsletter whose APIs are the server's, with tests/add/016.md as draft.
newsletter() {
	local d; d=$(scratch)
	printf 'github_api: %s/gh\npypi_api: %s\nwayback_api: %s\n' "$BASE" "$BASE" "$BASE" \
		>>"$d/issues/newsletter.yaml"
	cp tests/add/016.md "$d/issues/"
	echo "$d"
}

# since: start a clock; within NAME MS: what ran since took less than MS ms.
since() { start=$(date +%s%N); }
within() {
	local ms=$((($(date +%s%N) - start) / 1000000))
	[ "$ms" -lt "$2" ] && ok "$1" || ko "$1" "${ms} ms"
}

# add ARGS...: weekly add in $nl, the server's address written BASE in
# $tmp/out and $tmp/err, the status in $rc; the issue is put back after.
add() {
	(cd "$nl" && timeout 60 "$WEEKLY" add --timeout 5 "$@") >"$tmp/out.raw" 2>"$tmp/err.raw"
	rc=$?
	sed "s|$BASE|BASE|g" "$tmp/out.raw" >"$tmp/out"
	sed "s|$BASE|BASE|g" "$tmp/err.raw" >"$tmp/err"
	sed "s|$BASE|BASE|g" "$nl/issues/016.md" >"$tmp/issue"
	cp tests/add/016.md "$nl/issues/016.md"
}

# refused NAME STATUS MESSAGE ARGS...: add fails so, the issue untouched.
refused() {
	local name=$1 status=$2 message=$3
	shift 3
	add "$@"
	expect_status "$name: exit status" "$status" "$rc"
	expect_text "$name: message" "weekly add: $message" "$(cat "$tmp/err")"
	sed "s|$BASE|BASE|g" tests/add/016.md | cmp -s - "$tmp/issue" &&
		ok "$name: the issue is untouched" || ko "$name: the issue is untouched"
}

# added NAME ITEM ARGS...: add succeeds with this item, after line 16.
added() {
	local name=$1 item=$2
	shift 2
	add "$@"
	expect_status "$name: added" 0 "$rc"
	expect_text "$name: the item" "issues/016.md:17: $item" "$(cat "$tmp/out")"
}

test_replies() {
	refused "reset in the headers" 3 "BASE/reset-head: connection reset" "$BASE/reset-head"
	refused "reset in the body" 3 "BASE/reset-body: connection reset" "$BASE/reset-body"
	refused "headers that end with the connection" 3 \
		"BASE/endless-head: the connection closed inside the reply's headers" "$BASE/endless-head"
	refused "1xx answers that never end: the timeout" 3 "BASE/endless-1xx: no reply within 1 s" \
		"$BASE/endless-1xx" --timeout 1
	added "a charset no one knows: the bytes as they are" \
		"2. [Plain ASCII title](BASE/charset?c=x-bogus)" "$BASE/charset?c=x-bogus"
	refused "headers that never end: the timeout" 3 "BASE/endless-head: no reply within 1 s" \
		"$BASE/endless-head" --timeout 1
	refused "a 10 MB header line" 3 "BASE/huge-header: the reply's headers are too large" \
		"$BASE/huge-header"
	added "a body shorter than its Content-Length, its head whole" \
		"2. [Shorter than said](BASE/shorter)" "$BASE/shorter"
	refused "a body shorter than its Content-Length, cut in the head" 3 \
		"BASE/chunk-cut: transfer closed with outstanding read data remaining" "$BASE/chunk-cut"
	refused "a body longer than its Content-Length: its first 20 bytes, no title" 1 \
		"BASE/longer: the page has no title (og:title, <title> or <h1>)" "$BASE/longer"
	refused "broken chunked encoding" 3 \
		"BASE/chunk-bad: Illegal or missing hexadecimal sequence in chunked-encoding" "$BASE/chunk-bad"
	refused "a chunk size past 64 bits" 3 \
		"BASE/chunk-huge: Too long hexadecimal number in chunked-encoding" "$BASE/chunk-huge"
	refused "broken gzip" 3 "BASE/gzip-bad: a body its Content-Encoding (gzip) does not decode" \
		"$BASE/gzip-bad"
	refused "broken brotli" 3 "BASE/br-bad: a body its Content-Encoding (br) does not decode" \
		"$BASE/br-bad"
	since
	added "a gzip bomb: the title, from the first 512 KiB" "2. [Bomb](BASE/gzip-bomb)" \
		"$BASE/gzip-bomb"
	within "a gzip bomb: quickly" 5000
	since
	added "a head at once, the rest a byte at a time: read as far as the title" \
		"2. [Trickling](BASE/trickle)" "$BASE/trickle"
	within "a trickling page: not waited for" 3000
	since
	refused "50 MB of a PDF" 1 "BASE/big.pdf: not an HTML page (application/pdf)" "$BASE/big.pdf"
	within "50 MB of a PDF: not downloaded" 1500
	added "1xx answers before the page" "2. [Fine](BASE/info)" "$BASE/info"
	refused "204 with a body" 1 "BASE/204-body: the page has no title (og:title, <title> or <h1>)" \
		"$BASE/204-body"
	refused "304 with a body" 3 "BASE/304-body: HTTP status 304" "$BASE/304-body"
	added "405 to HEAD, a page to GET" "2. [Fine](BASE/head-405)" "$BASE/head-405"
	refused "a status line without a status" 3 \
		"BASE/status-garbage: Unsupported HTTP version in response" "$BASE/status-garbage"
	refused "status 999" 3 "BASE/status-999: HTTP status 999" "$BASE/status-999"
	refused "HTTP/0.9: a body without a status line" 3 \
		"BASE/http09: Received HTTP/0.9 when not allowed" "$BASE/http09"
	added "a status line without a reason phrase" "2. [Raw](BASE/no-reason)" "$BASE/no-reason"
	added "lines ended by LF alone" "2. [Raw](BASE/lf-only)" "$BASE/lf-only"
}

test_redirects() {
	refused "a redirect loop" 3 "BASE/loop: more than 10 redirects" "$BASE/loop"
	refused "a chain of 50 redirects" 3 "BASE/chain/50: more than 10 redirects" "$BASE/chain/50"
	added "a chain of 9 redirects" "2. [Fine](BASE/chain/9)" "$BASE/chain/9"
	refused "a redirect to file:" 3 \
		"BASE/to?u=file:///etc/passwd: redirect to a non-http(s) URL: file:///etc/passwd" \
		"$BASE/to?u=file:///etc/passwd"
	refused "a redirect to ftp:" 3 \
		"BASE/to?u=ftp://127.0.0.1/x: redirect to a non-http(s) URL: ftp://127.0.0.1/x" \
		"$BASE/to?u=ftp://127.0.0.1/x"
	refused "a redirect to javascript:" 3 \
		"BASE/to?u=javascript:alert(1): redirect to a non-http(s) URL: javascript:alert(1)" \
		"$BASE/to?u=javascript:alert(1)"
	added "a relative redirect" "2. [Fine](BASE/to?u=ok)" "$BASE/to?u=ok"
	added "a protocol-relative redirect" "2. [Fine](BASE/to?u=//127.0.0.1:$PORT/ok)" \
		"$BASE/to?u=//127.0.0.1:$PORT/ok"
	added "a redirect to the loopback address written in hexadecimal" \
		"2. [Fine](BASE/to?u=http://0x7f000001:$PORT/ok)" "$BASE/to?u=http://0x7f000001:$PORT/ok"
	added "a permanent redirect: where it leads" "2. [Fine](BASE/ok)" "$BASE/perm?u=/ok"
	refused "a redirect to a malformed URL" 3 \
		"BASE/to?u=http://[bad/: redirect to a malformed URL: http://[bad/" "$BASE/to?u=http://[bad/"
	refused "a redirect to an https: URL without //" 3 \
		"BASE/to?u=https:ok: redirect to a malformed URL: https:ok" "$BASE/to?u=https:ok"
	refused "a redirect to a malformed URL of another scheme" 3 \
		"BASE/to?u=gopher://[bad/: redirect to a non-http(s) URL: gopher://[bad/" \
		"$BASE/to?u=gopher://[bad/"
	refused "a Location with control bytes" 3 \
		"BASE/location-controls: redirect to a malformed URL: /ok%01%7F%FF?x=%1B[2J" \
		"$BASE/location-controls"
	added "a Location padded with blanks" "2. [Fine](BASE/location-blank)" "$BASE/location-blank"
	refused "a 302 with an empty Location" 3 "BASE/location-empty: HTTP status 302" \
		"$BASE/location-empty"
}

test_rate_limits() {
	# a wait read wrongly (an overflow) would have been waited for and
	# named with another number: the message tells
	refused "Retry-After: 26 digits" 3 \
		"BASE/retry/huge: rate limited (HTTP status 429); asked to wait 100000000000000004764729344 s (set GITHUB_TOKEN for a higher limit)" \
		"$BASE/retry/huge"
	add "$BASE/retry/date-far"
	expect_status "Retry-After: a date in the year 9999" 3 "$rc"
	grep -q '^weekly add: BASE/retry/date-far: rate limited (HTTP status 429); asked to wait [0-9]\{12\} s' \
		"$tmp/err" && ok "Retry-After: a date in the year 9999: named" ||
		ko "Retry-After: a date in the year 9999: named" "$(cat "$tmp/err")"
	refused "Retry-After: a date past" 3 "BASE/retry/date-past: HTTP status 429" "$BASE/retry/date-past"
	refused "503 with Retry-After: garbage" 3 "BASE/retry503/garbage: HTTP status 503" \
		"$BASE/retry503/garbage"
	refused "GitHub's rate limit reset in the past" 3 \
		"BASE/gh/repos/someone/reset-past: HTTP status 403" https://github.com/someone/reset-past
	refused "GitHub's rate limit reset in a year" 3 \
		"BASE/gh/repos/someone/reset-future: rate limited (HTTP status 403); asked to wait 31536000 s (set GITHUB_TOKEN for a higher limit)" \
		https://github.com/someone/reset-future
	refused "GitHub's rate limit with words for numbers" 3 \
		"BASE/gh/repos/someone/reset-garbage: HTTP status 403" https://github.com/someone/reset-garbage
}

test_pages() {
	local nbsp=$'\xc2\xa0'
	added "entities in a title (&nbsp; a no-break space, &#0; and a lone surrogate dropped)" \
		"2. [Café & crème — \\<b\\>bold\\</b\\>$nbsp😀](BASE/page/entities)" "$BASE/page/entities"
	added "a NUL byte in a title" "2. [Before after NUL](BASE/page/nul)" "$BASE/page/nul"
	added "bytes that are not UTF-8" "2. [Bad �� bytes �(](BASE/page/badutf8)" "$BASE/page/badutf8"
	added "GBK named by <meta charset>" "2. [中文标题：元标签](BASE/page/gbk-meta) (Chinese)" \
		"$BASE/page/gbk-meta"
	added "GBK named by the header, UTF-8 by <meta>: the header wins" \
		"2. [中文标题：响应头](BASE/page/gbk-header-vs-meta) (Chinese)" "$BASE/page/gbk-header-vs-meta"
	added "Shift_JIS named by http-equiv" "2. [日本語のタイトル](BASE/page/sjis) (Japanese)" \
		"$BASE/page/sjis"
	added "UTF-16 with a byte order mark" "2. [Sixteen bits wide](BASE/page/utf16-bom)" \
		"$BASE/page/utf16-bom"
	added "UTF-16 with a byte order mark, ISO-8859-1 in the header: the mark wins" \
		"2. [The BOM wins](BASE/page/utf16-bom-vs-header)" "$BASE/page/utf16-bom-vs-header"
	added "UTF-8 with a byte order mark, GBK in the header: the mark wins" \
		"2. [字节顺序标记](BASE/page/utf8-bom-vs-header) (Chinese)" "$BASE/page/utf8-bom-vs-header"
	added "UTF-16, its byte order mark a byte at a time, ISO-8859-1 in the header: the mark wins" \
		"2. [The BOM wins](BASE/bom-split?p=utf16-bom-vs-header)" \
		"$BASE/bom-split?p=utf16-bom-vs-header"
	added "UTF-8, its byte order mark a byte at a time, GBK in the header: the mark wins" \
		"2. [字节顺序标记](BASE/bom-split?p=utf8-bom-vs-header) (Chinese)" \
		"$BASE/bom-split?p=utf8-bom-vs-header"
	added "an empty og:title: the <title>" "2. [The real title](BASE/page/og-empty)" \
		"$BASE/page/og-empty"
	added "two <title>s: the first" "2. [First title](BASE/page/two-titles)" "$BASE/page/two-titles"
	added "a <title> inside <svg>: the <h1>" "2. [The heading](BASE/page/svg-title)" \
		"$BASE/page/svg-title"
	added "a blank <title>: the <h1>" "2. [Heading instead](BASE/page/empty-title)" \
		"$BASE/page/empty-title"
	added "a canonical javascript: URL is not the page's" \
		"2. [Canonical to javascript](BASE/page/canonical-js)" "$BASE/page/canonical-js"
	added "a canonical ftp: URL is not the page's" \
		"2. [Canonical to ftp](BASE/page/canonical-ftp)" "$BASE/page/canonical-ftp"
	added "a canonical URL with blanks, parentheses, angle brackets: encoded in the link" \
		"2. [Canonical with odd bytes](BASE/ok?q=a%20b%28c%29%3Cd%3E)" "$BASE/page/canonical-odd"
	added "a canonical file: URL is not the page's" \
		"2. [Canonical to file](BASE/page/canonical-file)" "$BASE/page/canonical-file"
	add "$BASE/page/newline-title"
	grep -A2 '^2\. ' "$tmp/issue" >"$tmp/got"
	printf '%s\n' "2. [Line one - line two ## three](BASE/page/newline-title)" "" \
		"Desc # not a heading 1. not a list" >"$tmp/want"
	same "line breaks in a title and description: one line each" "$tmp/want" "$tmp/got"
}

test_apis() {
	refused "GitHub: wrong types" 3 "GitHub's answer for someone/wrong-types has no name" \
		https://github.com/someone/wrong-types
	refused "GitHub: every field null" 3 "GitHub's answer for someone/all-null has no name" \
		https://github.com/someone/all-null
	added "GitHub: nulls but the name" "2. [nulls](https://github.com/someone/nulls)" \
		https://github.com/someone/nulls
	add https://github.com/someone/huge-numbers
	expect_status "GitHub: 1e400 stars: added" 0 "$rc"
	grep -q 'stars' "$tmp/issue" && ko "GitHub: 1e400 stars: no count written" ||
		ok "GitHub: 1e400 stars: no count written"
	add https://github.com/someone/huge-int
	grep -q 'stars' "$tmp/issue" && ko "GitHub: 10^29 stars: no count written" ||
		ok "GitHub: 10^29 stars: no count written"
	refused "GitHub: 100,000 nested arrays" 3 "BASE/gh/repos/someone/deep: invalid JSON" \
		https://github.com/someone/deep
	refused "GitHub: 100,000 nested objects" 3 "BASE/gh/repos/someone/deep-object: invalid JSON" \
		https://github.com/someone/deep-object
	refused "GitHub: a list, not an object" 3 "BASE/gh/repos/someone/list: not a JSON object" \
		https://github.com/someone/list
	added "GitHub: html_url elsewhere than GitHub is not the repository's" \
		"2. [faulty: A repository](https://github.com/someone/html-url-other)" \
		https://github.com/someone/html-url-other
	added "GitHub: html_url javascript: is not the repository's" \
		"2. [faulty: A repository](https://github.com/someone/html-url-js)" \
		https://github.com/someone/html-url-js
	refused "GitHub: a gzip bomb" 3 "BASE/gh/repos/someone/bomb: reply larger than 8 MiB" \
		https://github.com/someone/bomb
	refused "PyPI: wrong types" 3 "PyPI's answer for wrong-types has no info.name" \
		https://pypi.org/project/wrong-types/
	refused "PyPI: info is a list" 3 "PyPI's answer for info-list has no info.name" \
		https://pypi.org/project/info-list/
	added "PyPI: nulls but the name" "2. [nulls](https://pypi.org/project/nulls/)" \
		https://pypi.org/project/nulls/
}

# One issue holding every fault, checked: each verdict exact.
test_check() {
	local d; d=$(newsletter)
	rm "$d/issues/016.md"
	sed "s|BASE|$BASE|g" tests/faults/001.md >"$d/issues/001.md"
	cp "$d/issues/001.md" "$tmp/before.md"
	SECONDS=0
	(cd "$d" && timeout 120 "$WEEKLY" check --links --timeout 5 1) 2>"$tmp/check.raw"
	expect_status "check --links: the broken links fail it" 1 $?
	[ "$SECONDS" -lt 20 ] && ok "check --links: every fault in bounded time" ||
		ko "check --links: every fault in bounded time" "${SECONDS}s"
	grep '^issues/' "$tmp/check.raw" | grep -v '\[description\]' | sed "s|$BASE|BASE|g" >"$tmp/check"
	same "check --links: every fault's verdict" tests/faults/check.txt "$tmp/check"
	(cd "$d" && timeout 120 "$WEEKLY" check --links --fix 1) >"$tmp/fix.raw" 2>/dev/null
	sed "s|$BASE|BASE|g" "$tmp/fix.raw" >"$tmp/fix"
	same "check --fix: only what is certain is rewritten" tests/faults/fix.txt "$tmp/fix"
	sed "s|$BASE|BASE|g" "$d/issues/001.md" >"$tmp/after.md"
	same "check --fix: the issue as rewritten" tests/faults/001-fixed.md "$tmp/after.md"
	(cd "$d" && "$WEEKLY" build 1 -f md -o -) 2>/dev/null | grep -c -F \
		-e "[Link 39]($BASE/ok?x=a%29b)" -e "[Link 40]($BASE/ok?q=a%20b%28c%29%3Cd%3E)" >"$tmp/n"
	text "check --fix: a ')' or a blank in a new URL does not end its link" 2 "$tmp/n"
	rm -rf "$d"
}

# A canonical URL with parentheses, which --fix writes as %28 and %29 so
# that the link holds it: the next run sees the same URL, nothing to fix.
test_fix_again() {
	local d; d=$(newsletter)
	rm "$d/issues/016.md"
	sed "s|BASE|$BASE|g" tests/faults/004.md >"$d/issues/004.md"
	(cd "$d" && timeout 60 "$WEEKLY" check --links --fix 4) 2>/dev/null | sed "s|$BASE|BASE|g" >"$tmp/fix"
	text "check --fix: a canonical URL with parentheses, encoded" \
		"issues/004.md:8:4: BASE/page/canonical-paren -> BASE/page/canonical-paren?v=%281%29" \
		"$tmp/fix"
	cp "$d/issues/004.md" "$tmp/fixed.md"
	(cd "$d" && timeout 60 "$WEEKLY" check --links --fix --max-age 0 4) >"$tmp/fix" 2>"$tmp/err"
	same "check --fix again: nothing to fix" /dev/null "$tmp/fix"
	expect_text "check --fix again: no canonical warning" "" "$(grep -F '[canonical]' "$tmp/err")"
	same "check --fix again: the issue as the first run left it" "$tmp/fixed.md" "$d/issues/004.md"
	rm -rf "$d"
}

# What faulty pages say about themselves, kept for templates: the titles
# that could be read, nothing of what could not.
test_meta() {
	local d; d=$(newsletter)
	rm "$d/issues/016.md"
	sed "s|BASE|$BASE|g" tests/faults/003.md >"$d/issues/003.md"
	(cd "$d" && timeout 60 "$WEEKLY" check --links --meta --timeout 5 3) 2>"$tmp/meta.raw"
	grep '^issues/' "$tmp/meta.raw" | grep -v '\[description\]' | sed "s|$BASE|BASE|g" >"$tmp/meta"
	same "check --links --meta: a verdict for each fault" tests/faults/meta.txt "$tmp/meta"
	tests/index-sql "$d" "SELECT row FROM linkmeta ORDER BY url" | cut -f1,2,5 |
		sed "s|$BASE|BASE|g" >"$tmp/meta.tsv"
	same "check --links --meta: the titles kept" tests/faults/meta.tsv "$tmp/meta.tsv"
	rm -rf "$d"
}

# Dead links and an archive service answering nonsense: no copy but a
# real one is named, kept or rendered.
test_wayback() {
	local d; d=$(newsletter)
	rm "$d/issues/016.md"
	sed "s|BASE|$BASE|g" tests/faults/002.md >"$d/issues/002.md"
	(cd "$d" && timeout 60 "$WEEKLY" check --links --wayback 2) 2>"$tmp/wb.raw"
	grep '^issues/' "$tmp/wb.raw" | sed "s|$BASE|BASE|g" >"$tmp/wb"
	same "check --wayback: only a well-formed snapshot is named" tests/faults/wayback.txt "$tmp/wb"
	tests/index-sql "$d" "SELECT row FROM linkmeta" | grep -c archive >"$tmp/rows"
	text "check --wayback: only a well-formed snapshot is kept" 1 "$tmp/rows"
	rm -rf "$d"
}

nl=$(newsletter)
test_replies
test_redirects
test_rate_limits
test_pages
test_apis
test_check
test_fix_again
test_meta
test_wayback
rm -rf "$nl"
finish
