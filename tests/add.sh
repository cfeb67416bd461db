#!/bin/bash
# add.sh - `weekly add URL` against tests/linkserver.py on 127.0.0.1, which
# serves the pages of tests/add/ and stands in for GitHub's and PyPI's APIs:
# the issue after each addition byte for byte, and every bad answer.
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
WEEKLY="${WEEKLY:-$PWD/weekly}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/weekly-add.XXXXXX")
trap 'exec 5>&- 2>/dev/null; rm -rf "$tmp"' EXIT
if ! linkserver_start "$tmp"; then
	echo "FAIL linkserver.py did not start"
	echo "0 passed, 1 failed"
	exit 1
fi
BASE="http://127.0.0.1:$PORT"
unset GITHUB_TOKEN

# A newsletter whose APIs are the server's, with tests/add/016.md as draft.
newsletter() {
	local d; d=$(scratch)
	printf 'github_api: %s/gh\npypi_api: %s\n' "$BASE" "$BASE" >>"$d/issues/newsletter.yaml"
	cp tests/add/016.md "$d/issues/"
	echo "$d"
}

# add DIR ARGS...: weekly add in DIR; standard output and error with the
# server's address written BASE in $tmp/out and $tmp/err, the status in $rc.
add() {
	local dir=$1
	shift
	(cd "$dir" && "$WEEKLY" add "$@") >"$tmp/out.raw" 2>"$tmp/err.raw"
	rc=$?
	sed "s|$BASE|BASE|g" "$tmp/out.raw" >"$tmp/out"
	sed "s|$BASE|BASE|g" "$tmp/err.raw" >"$tmp/err"
}

# expect_err NAME STATUS TEXT: add failed with this message, the issue as it was.
expect_err() {
	expect_status "$1: exit status" "$2" "$rc"
	expect_text "$1: message" "$3" "$(cat "$tmp/err")"
	same "$1: the issue is untouched" tests/add/016.md "$nl/issues/016.md"
}

# The issue as weekly add leaves it, with the server's address written BASE.
result() { sed "s|$BASE|BASE|g" "$1/issues/${2:-016.md}" >"$tmp/result"; }

test_blog_post() {
	add "$nl" "$BASE/page/blog?utm_source=feed"
	expect_status "blog post: added" 0 "$rc"
	expect_text "blog post: FILE:LINE and the item" \
		"issues/016.md:17: 2. [Profiling async code in FastAPI](BASE/posts/profiling-fastapi)" \
		"$(cat "$tmp/out")"
	result "$nl"
	same "blog post: og:title, og:description, canonical URL, byte for byte" \
		tests/add/016-blog.md "$tmp/result"
	(cd "$nl" && "$WEEKLY" check 16) 2>"$tmp/check"
	same "blog post: the issue checks clean" /dev/null "$tmp/check"
}

test_github() {
	add "$nl" https://github.com/joerick/pyinstrument --section Projects
	expect_status "GitHub repository: added" 0 "$rc"
	result "$nl"
	same "GitHub repository: name: description and stars, byte for byte" \
		tests/add/016-github.md "$tmp/result"
	add "$nl" https://GitHub.com/joerick/pyinstrument/ --section projects
	expect_status "GitHub repository again: refused" 1 "$rc"
	expect_text "GitHub repository again: where it is" \
		"issues/016.md:28:3: error: https://GitHub.com/joerick/pyinstrument/ is already in this issue [duplicate-url]" \
		"$(cat "$tmp/err")"
}

test_pypi() {
	add "$nl" https://pypi.org/project/httpx/ --section podcasts
	expect_status "PyPI project: added" 0 "$rc"
	expect_text "PyPI project: name: summary" \
		"issues/016.md:38: 2. [httpx: The next generation HTTP client.](https://pypi.org/project/httpx/)" \
		"$(cat "$tmp/out")"
}

test_chinese() {
	local d; d=$(newsletter)
	add "$d" "$BASE/page/zh" 16
	result "$d"
	same "Chinese page in an English newsletter: (Chinese), byte for byte" \
		tests/add/016-zh.md "$tmp/result"
	d=$(mktemp -d "${TMPDIR:-/tmp}/weekly-test.XXXXXX")
	mkdir "$d/issues"
	cp tests/add/zh-newsletter.yaml "$d/issues/newsletter.yaml"
	cp tests/add/zh-001.md "$d/issues/001.md"
	add "$d" "$BASE/page/blog"
	add "$d" "$BASE/page/zh"
	add "$d" "$BASE/page/gbk?encode=gbk" --section '🐿️项目&资源'
	result "$d" 001.md
	same "Chinese newsletter: （英文） for an English page, none for Chinese ones, byte for byte" \
		tests/add/zh-001-added.md "$tmp/result"
	add "$d" "$BASE/page/gbk?encode=gbk&charset=gbk" --section projects
	expect_text "charset=gbk in the header: read as GBK" \
		"issues/001.md:27: 2. [Python 潮流周刊：用 GBK 编码的页面](BASE/page/gbk?encode=gbk&charset=gbk)" \
		"$(cat "$tmp/out")"
	rm -rf "$d"
}

test_pages() {
	local d; d=$(newsletter)
	add "$d" "$BASE/page/h1only"
	expect_text "no <title>: the first <h1>, not an SVG's title" \
		"issues/016.md:17: 2. [Only a heading here](BASE/page/h1only)" "$(cat "$tmp/out")"
	SECONDS=0
	add "$d" "$BASE/bighead"
	expect_text "a 10 MB <head>: the title, read from the first 512 KiB" \
		"issues/016.md:19: 3. [A big head](BASE/bighead)" "$(cat "$tmp/out")"
	if grep -q "too far" "$d/issues/016.md"; then
		ko "a 10 MB <head>: nothing past 512 KiB is read"
	else
		ok "a 10 MB <head>: nothing past 512 KiB is read"
	fi
	[ "$SECONDS" -lt 5 ] && ok "a 10 MB <head>: quickly" || ko "a 10 MB <head>: quickly" "${SECONDS}s"
	SECONDS=0
	add "$d" "$BASE/page/paywall?retry=add1"
	expect_status "429 with Retry-After: 1: asked again and added" 0 "$rc"
	[ "$SECONDS" -ge 1 ] && ok "429 with Retry-After: 1: waited" || ko "429 with Retry-After: 1: waited"
	rm -rf "$d"
}

# A page whose title and description hold terminal controls (C0, C1,
# bidirectional overrides): none reaches the issue or the terminal.
test_controls() {
	local d; d=$(newsletter)
	add "$d" "$BASE/page/controls"
	expect_text "controls in a page: dropped from the item as printed" \
		"issues/016.md:17: 2. [Title \\[2J with a CSI 31m, a bell and a flip gnp.exe](BASE/page/controls)" \
		"$(cat "$tmp/out")"
	grep -A2 '^2\. \[Title' "$d/issues/016.md" >"$tmp/got"
	printf '%s\n' "2. [Title \\[2J with a CSI 31m, a bell and a flip gnp.exe]($BASE/page/controls)" "" \
		"A description that rings and turns back." >"$tmp/want"
	same "controls in a page: dropped from the item written" "$tmp/want" "$tmp/got"
	rm -rf "$d"
}

test_rate_limit() {
	local d; d=$(newsletter)
	SECONDS=0
	add "$d" https://github.com/someone/limited --section projects
	expect_status "GitHub rate limit resetting in 1 s: waited and added" 0 "$rc"
	[ "$SECONDS" -ge 1 ] && ok "GitHub rate limit: waited for the reset" ||
		ko "GitHub rate limit: waited for the reset"
	GITHUB_TOKEN=sekrit add "$d" https://github.com/someone/private --section projects
	expect_text "GITHUB_TOKEN is sent" \
		"issues/016.md:28: - [private](https://github.com/someone/private)" "$(cat "$tmp/out")"
	rm -rf "$d"
}

test_bad_answers() {
	add "$nl" https://github.com/someone/badjson
	expect_err "invalid JSON" 3 \
		"weekly add: BASE/gh/repos/someone/badjson: invalid JSON"
	add "$nl" https://github.com/someone/limited-long
	# the server's reset is an hour after its own clock's second; weekly
	# reads the time a moment later, maybe from a coarser clock: a second
	# either way is the same answer
	sed -i -E 's/wait (3599|3601) s/wait 3600 s/' "$tmp/err"
	expect_err "a rate limit for an hour" 3 \
		"weekly add: BASE/gh/repos/someone/limited-long: rate limited (HTTP status 403); asked to wait 3600 s (set GITHUB_TOKEN for a higher limit)"
	add "$nl" https://github.com/someone/private
	expect_err "a repository GitHub does not show" 1 \
		"weekly add: BASE/gh/repos/someone/private: HTTP status 404"
	add "$nl" "$BASE/page/missing"
	expect_err "a 404 page" 1 "weekly add: BASE/page/missing: HTTP status 404"
	add "$nl" "$BASE/page/notitle"
	expect_err "a page without a title" 1 \
		"weekly add: BASE/page/notitle: the page has no title (og:title, <title> or <h1>)"
	add "$nl" "$BASE/page/blog?delay=3" --timeout 1
	expect_err "a timeout" 3 "weekly add: BASE/page/blog?delay=3: no reply within 1 s"
	add "$nl" "http://127.0.0.1:$CLOSED/"
	expect_err "connection refused" 3 "weekly add: http://127.0.0.1:$CLOSED/: connection refused"
	add "$nl" "$BASE/status/200"
	expect_err "not HTML" 1 "weekly add: BASE/status/200: not an HTML page (text/plain)"
	add "$nl" https://blog.balthazar-rouberol.com/how-to-profile-a-fastapi-asynchronous-request
	expect_err "a link the issue has" 1 \
		"issues/016.md:11:4: error: https://blog.balthazar-rouberol.com/how-to-profile-a-fastapi-asynchronous-request is already in this issue [duplicate-url]"
	WEEKLY_LIBXML2=/nonexistent/libxml2.so.2 add "$nl" "$BASE/page/blog"
	expect_err "no libxml2" 3 \
		"weekly add: cannot load libxml2: /nonexistent/libxml2.so.2: cannot open shared object file: No such file or directory"
}

test_usage() {
	add "$nl" "$BASE/page/blog" --section recipes
	expect_err "unknown section" 2 "weekly add: unknown section 'recipes'"
	add "$nl" "$BASE/page/blog" --section artcles
	expect_text "unknown section: did you mean" \
		"weekly add: unknown section 'artcles'; did you mean 'articles'?" "$(head -1 "$tmp/err")"
	add "$nl" "javascript:alert(1)"
	expect_status "not a web URL" 2 "$rc"
	add "$nl" "$BASE/page/blog" 99
	expect_err "no such issue" 1 "weekly add: no issue 99"
	local d; d=$(newsletter)
	sed -i '/^draft:/d' "$d/issues/016.md"
	add "$d" "$BASE/page/blog"
	expect_text "no draft" \
		"weekly add: no draft issue (draft: true); name the issue, or start one with 'weekly new'" \
		"$(cat "$tmp/err")"
	rm -rf "$d"
}

# CRLF line endings stay CRLF; a section the issue lacks gets its heading.
test_crlf() {
	local d; d=$(newsletter)
	sed -i 's/$/\r/' "$d/issues/016.md"
	add "$d" "$BASE/page/blog" --section discussion
	sed 's/\r$//' tests/add/016.md >"$tmp/lf"
	tr -d '\r' <"$d/issues/016.md" | sed "s|$BASE|BASE|g" >"$tmp/result"
	same "a section the issue lacks: its heading, then the item" tests/add/016-section.md "$tmp/result"
	if [ "$(grep -c $'\r$' "$d/issues/016.md")" = "$(wc -l <"$d/issues/016.md")" ]; then
		ok "CRLF line endings are kept"
	else
		ko "CRLF line endings are kept"
	fi
	rm -rf "$d"
}

# What links said is kept in the archive index and reaches templates as
# items[].meta; a build made before it changed is out of date after it.
test_meta() {
	local d; d=$(newsletter)
	add "$d" https://github.com/joerick/pyinstrument --section projects
	add "$d" https://github.com/someone/old --section projects
	add "$d" "$BASE/page/paywall"
	add "$d" "$BASE/page/zh"
	tests/index-sql "$d" "SELECT row FROM linkmeta ORDER BY url" |
		sed -E 's/\t[0-9T:Z-]{20}\t/\tT\t/; s|'"$BASE"'|BASE|g' >"$tmp/meta"
	same "link metadata: one row per URL added, in the index" tests/add/linkmeta.tsv "$tmp/meta"
	cp tests/add/meta.md.mustache "$d/templates/issue.md.mustache"
	(cd "$d" && "$WEEKLY" build 16 -f md -o -) 2>/dev/null | sed "s|$BASE|BASE|g" >"$tmp/meta.md"
	same "items[].meta in templates: kind, language, stars, archived, not_free" \
		tests/add/meta.md "$tmp/meta.md"
	# metadata kept anew (as weekly keeps it: the rows and their count)
	(cd "$d" && "$WEEKLY" build --all --drafts) 2>/dev/null
	tests/index-sql "$d" "UPDATE linkmeta SET row = replace(row, '	5523	', '	6000	');
		UPDATE meta SET value = value + 1 WHERE key = 'link_meta_stamp'"
	(cd "$d" && "$WEEKLY" build --all --drafts --check) >"$tmp/stale" 2>/dev/null
	expect_text "changed metadata makes a template that reads it out of date" "build/016.md" \
		"$(cat "$tmp/stale")"
	tests/index-sql "$d" "UPDATE linkmeta SET row = 'garbage'"
	(cd "$d" && "$WEEKLY" build 16 -f md -o -) >"$tmp/meta.md" 2>/dev/null
	grep -q '★' "$tmp/meta.md" && ko "damaged metadata rows are ignored" ||
		ok "damaged metadata rows are ignored"
	rm -rf "$d"
}

test_not_linked() {
	local libs
	if ! libs=$(ldd "$WEEKLY" 2>&1) || ! grep -q 'libc\.so' <<<"$libs"; then
		ko "libxml2 is not linked into weekly" "ldd could not list the libraries"
	elif grep -q libxml2 <<<"$libs"; then
		ko "libxml2 is not linked into weekly"
	else
		ok "libxml2 is not linked into weekly"
	fi
}

nl=$(newsletter)
test_bad_answers
test_usage
test_blog_post
test_github
test_pypi
test_chinese
test_pages
test_controls
test_rate_limit
test_crlf
test_meta
test_not_linked
rm -rf "$nl"
finish
