#!/bin/bash
# links.sh - the link checker against tests/linkserver.py on 127.0.0.1: the C
# tests of linkcheck_run ($OBJDIR/tests/linkcheck_test, .obj by default) and
# `weekly check --links` ($WEEKLY, ./weekly by default).
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
WEEKLY="${WEEKLY:-$PWD/weekly}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/weekly-links.XXXXXX")
trap 'exec 5>&- 2>/dev/null; [ -n "$h2pid" ] && kill "$h2pid"; rm -rf "$tmp"' EXIT

# A self-signed certificate, for the TLS case, when openssl is there.
tlsargs=()
if command -v openssl >/dev/null &&
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
		-subj /CN=127.0.0.1 \
		-keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1; then
	tlsargs=(--tls "$tmp/cert.pem" "$tmp/key.pem")
fi

if ! linkserver_start "$tmp" "${tlsargs[@]}"; then
	echo "FAIL linkserver.py did not start"
	echo "0 passed, 1 failed"
	exit 1
fi
BASE="http://127.0.0.1:$PORT"

# join_counts NAME OUTPUT STATUS: add a C test program's PASS/FAIL lines and
# counts to ours; a program that exits non-zero (a sanitizer) fails too.
join_counts() {
	local name=$1 out=$2 p f
	printf '%s\n' "$out" | grep -v -E '^[0-9]+ passed, [0-9]+ failed$'
	p=$(printf '%s\n' "$out" | sed -n -E 's/^([0-9]+) passed, ([0-9]+) failed$/\1/p')
	f=$(printf '%s\n' "$out" | sed -n -E 's/^([0-9]+) passed, ([0-9]+) failed$/\2/p')
	[ -n "$p" ] || { ko "$name" "did not finish"; return; }
	pass=$((pass + p)) fail=$((fail + f))
	[ "$3" = 0 ] || [ "$f" != 0 ] || ko "$name" "exit status $3"
}

# The C tests of linkcheck_run against the server.
unit_tests() {
	local bin=${OBJDIR:-.obj}/tests/linkcheck_test out
	[ -x "$bin" ] || { ko "linkcheck_test" "not built"; return; }
	out=$(LINKTEST_PORT=$PORT LINKTEST_CLOSED=$CLOSED LINKTEST_TLS=$TLSPORT \
		LINKTEST_DIR="$tmp" "$bin" 2>&1)
	join_counts linkcheck_test "$out" $?
}

# With no network at all, names do not resolve: run in an empty network
# namespace, when this machine allows one.
offline_tests() {
	local out
	unshare -n true 2>/dev/null || { skip "offline" "no network namespace"; return; }
	out=$(unshare -n "${OBJDIR:-.obj}/tests/linkcheck_test" offline 2>&1)
	join_counts offline "$out" $?
}

# --- weekly check --links in a scratch newsletter ---------------------------

# The server's counters since the last call: "requests max_in_flight".
server_counts() {
	local body reqs
	exec 6<>"/dev/tcp/127.0.0.1/$PORT" || return
	printf 'GET /stats?reset=1 HTTP/1.0\r\n\r\n' >&6
	body=$(cat <&6)
	exec 6<&-
	reqs=$(sed -n 's/.*"requests": {\([^}]*\)}.*/\1/p' <<<"$body" | grep -o ': [0-9]*' |
		awk '{ n += $2 } END { print n + 0 }')
	echo "$reqs $(sed -n 's/.*"max_in_flight": \([0-9]*\).*/\1/p' <<<"$body")"
}

# expect_counts NAME WANT_REQUESTS [WANT_IN_FLIGHT]
expect_counts() {
	local got; got=$(server_counts)
	if [ "${got% *}" = "$2" ] && { [ -z "$3" ] || [ "${got#* }" = "$3" ]; }; then
		ok "$1"
	else
		ko "$1" "server saw requests, in flight: $got"
	fi
}

# rows DIR TABLE: the rows the archive index of DIR keeps in TABLE
# (verdicts or linkmeta), by URL, times written T, the server's address BASE.
rows() {
	tests/index-sql "$1" "SELECT row FROM $2 ORDER BY url" |
		sed -E 's/\t[0-9T:Z-]{20}\t/\tT\t/; s|'"$BASE"'|BASE|g'
}

# A fixture from tests/links/ with BASE made the server's address.
fixture() { sed "s|BASE|$BASE|g" "tests/links/$1"; }

# run DIR ARGS...: weekly in DIR; its output with the server's address
# written BASE in $tmp/out and $tmp/err, its status in $rc.
run() {
	local dir=$1
	shift
	(cd "$dir" && "$WEEKLY" "$@") >"$tmp/out.raw" 2>"$tmp/err.raw"
	rc=$?
	sed "s|$BASE|BASE|g" "$tmp/out.raw" >"$tmp/out"
	sed "s|$BASE|BASE|g" "$tmp/err.raw" >"$tmp/err"
}

e2e_report() {
	server_counts >/dev/null
	run "$nl" check 1 --links
	same "check --links: every problem at its place" tests/links/001.human "$tmp/err"
	expect_status "check --links: broken links fail" 1 "$rc"
	# 6 distinct URLs (a fragment does not make one), the loop's second hop
	# and where the 301 leads
	expect_counts "check --links: each URL asked once" 8
	rows "$nl" verdicts >"$tmp/cache"
	same "cache: the archive index's verdicts, one row per URL" tests/links/001.cache "$tmp/cache"
}

e2e_cached() {
	run "$nl" check 1 --links
	same "cached run: the same report" tests/links/001.human "$tmp/err"
	expect_status "cached run: the same status" 1 "$rc"
	expect_counts "cached run: nothing asked" 0
	WEEKLY_LIBCURL=/nonexistent/libcurl.so.4 run "$nl" check 1 --links
	same "cached run: libcurl is not even loaded" tests/links/001.human "$tmp/err"
	# libcurl starts loading on a thread while the issues are read; when no
	# link needs asking after all, weekly still waits for it before exiting
	# (an exit while libcurl starts tears down what it is starting)
	if cc -shared -fPIC -o "$tmp/slowcurl.so" tests/links/slowcurl.c; then
		rm -f "$tmp/mark"
		WEEKLY_TEST_MARK=$tmp/mark WEEKLY_LIBCURL=$tmp/slowcurl.so run "$nl" check 1 --links
		same "cached run: the same report, libcurl loaded on a thread" tests/links/001.human "$tmp/err"
		expect_text "cached run: the thread loading libcurl waited for before exit" started \
			"$(cat "$tmp/mark" 2>/dev/null)"
	else
		skip "cached run: the thread loading libcurl waited for before exit" "no C compiler"
	fi
	run "$nl" check 1 --links --max-age 0
	expect_counts "--max-age 0: everything asked again" 8
}

e2e_formats() {
	run "$nl" check 1 --links --format json
	same "--format json" tests/links/001.json "$tmp/out"
	run "$nl" check 1 --links --format github
	same "--format github" tests/links/001.github "$tmp/err"
	run "$nl" check 1
	same "without --links, nothing is asked" /dev/null "$tmp/err"
	expect_status "without --links: clean" 0 "$rc"
}

e2e_strict() {
	run "$nl" check 2 --links
	same "unverifiable and moved links are warnings" tests/links/002.human "$tmp/err"
	expect_status "warnings alone pass" 0 "$rc"
	run "$nl" check 2 --links --strict
	expect_status "--strict: warnings fail" 1 "$rc"
}

e2e_only_new() {
	fixture 002-new.md >>"$nl/issues/002.md"
	server_counts >/dev/null
	run "$nl" check 2 --links --only-new
	same "--only-new: only the link never seen is reported" tests/links/002-new.human "$tmp/err"
	expect_status "--only-new: its status" 1 "$rc"
	expect_counts "--only-new: only it is asked" 1
}

e2e_options() {
	fixture 003.md >"$nl/issues/003.md"
	server_counts >/dev/null
	SECONDS=0
	run "$nl" check 3 --links --timeout 1 --jobs 1
	same "--timeout 1: a slow link is unverifiable" tests/links/003.human "$tmp/err"
	expect_status "--timeout 1: a warning passes" 0 "$rc"
	[ "$SECONDS" -lt 3 ] && ok "--timeout 1: the run does not wait" ||
		ko "--timeout 1: the run does not wait" "${SECONDS}s"
	expect_counts "--jobs 1: one request at a time" 4 1
	rm "$nl/issues/003.md"
}

# Six slow links on one host: as many at once as the per-host limit allows.
e2e_per_host() {
	fixture 004.md >"$nl/issues/004.md"
	server_counts >/dev/null
	run "$nl" check 4 --links --max-age 0
	expect_counts "per host: 16 at once by default" 6 6
	run "$nl" check 4 --links --max-age 0 --per-host 2
	expect_counts "--per-host 2: two at once" 6 2
	cp "$nl/issues/newsletter.yaml" "$tmp/settings"
	echo "link_per_host: 3" >>"$nl/issues/newsletter.yaml"
	run "$nl" check 4 --links --max-age 0
	expect_counts "link_per_host: 3 in newsletter.yaml" 6 3
	run "$nl" check 4 --links --max-age 0 --per-host 1
	expect_counts "--per-host wins over link_per_host" 6 1
	cp "$tmp/settings" "$nl/issues/newsletter.yaml"
	echo "link_per_host: lots" >>"$nl/issues/newsletter.yaml"
	run "$nl" check 4 --links
	expect_status "link_per_host that is no number: fails" 1 "$rc"
	expect_text "link_per_host that is no number: an error at its line" \
		"issues/newsletter.yaml:$(wc -l <"$nl/issues/newsletter.yaml"):16: error: link_per_host must be a whole number from 1 to 1024 [setting]" \
		"$(head -n 1 "$tmp/err")"
	cp "$tmp/settings" "$nl/issues/newsletter.yaml"
	rm "$nl/issues/004.md"
}

# More slow links than the old ceiling of 128 on one host whose limit admits
# them all: the host's own limit decides, not a cap over all hosts; --jobs
# is that cap when given.
e2e_admission() {
	local i
	{
		printf -- '---\nnumber: 6\ndate: 2024-02-03\n---\n\n## Articles\n\n'
		for i in $(seq 149); do
			printf '%d. [Link %d](%s/ok?delay=0.5&n=%d)\n\nAbout it.\n\n' "$i" "$i" "$BASE" "$i"
		done
		printf '## Projects\n\n- [Last](%s/ok?delay=0.5&n=150)\n\n  Last.\n' "$BASE"
	} >"$nl/issues/006.md"
	server_counts >/dev/null
	run "$nl" check 6 --links --max-age 0 --per-host 150
	expect_counts "admission by host: 150 links at once on a host that allows 150" 150 150
	expect_status "admission by host: every link found" 0 "$rc"
	run "$nl" check 6 --links --max-age 0 --per-host 150 --jobs 40
	expect_counts "--jobs 40: at most 40 at once over all hosts" 150 40
	rm "$nl/issues/006.md"
}

# Verdicts go to the index while the last replies are awaited (a quarter
# of the transfers at most), in batches of 32 at least: with 80 quick links
# and 20 slow ones all asked at once, the index holds a batch of the quick
# ones' verdicts before the slow ones answer, and all of them at the end.
e2e_kept_early() {
	local i delay n=0 polls=0 pid
	{
		printf -- '---\nnumber: 7\ndate: 2024-02-10\n---\n\n## Articles\n\n'
		for i in $(seq 99); do
			[ "$i" -le 80 ] && delay=0 || delay=3
			printf '%d. [Link %d](%s/ok?delay=%s&n=%d)\n\nAbout it.\n\n' "$i" "$i" "$BASE" "$delay" "$i"
		done
		printf '## Projects\n\n- [Last](%s/ok?delay=3&n=100)\n\n  Last.\n' "$BASE"
	} >"$nl/issues/007.md"
	tests/index-sql "$nl" "DELETE FROM verdicts" >/dev/null
	(cd "$nl" && "$WEEKLY" check 7 --links --max-age 0 --per-host 100) >/dev/null 2>&1 &
	pid=$!
	while [ "$n" -lt 32 ] && [ $polls -lt 20 ] && kill -0 $pid 2>/dev/null; do
		sleep 0.1
		polls=$((polls + 1))
		n=$(tests/index-sql "$nl" "SELECT count(*) FROM verdicts WHERE url LIKE '%delay=0&%'")
	done
	[ "$n" -ge 32 ] && n=32+
	expect_text "kept early: a batch of the quick links' verdicts in the index while the slow ones are awaited" \
		"32+ 0" "$n $(tests/index-sql "$nl" "SELECT count(*) FROM verdicts WHERE url LIKE '%delay=3&%'")"
	wait $pid
	expect_status "kept early: every link found" 0 $?
	expect_text "kept early: every verdict in the index at the end" "100" \
		"$(rows "$nl" verdicts | grep -c '	ok	T	200 OK	$')"
	rm "$nl/issues/007.md"
}

# Pages that answer but look dead or walled off, read from their heads and
# from what the link metadata recorded when they were added (here the file
# build/linkmeta.tsv of an earlier version, read until metadata is kept in
# the index).
e2e_content() {
	fixture 005.md >"$nl/issues/005.md"
	mkdir -p "$nl/build"
	fixture 005.meta >"$nl/build/linkmeta.tsv"
	run "$nl" check 5 --links
	same "content checks: soft 404, sign-in, parked, paywall, title, canonical, archived" \
		tests/links/005.human "$tmp/err"
	expect_status "content checks: warnings pass" 0 "$rc"
	run "$nl" check 5 --links --strict
	expect_status "content checks: --strict fails" 1 "$rc"
	same "content checks: the same from the cache" tests/links/005.human "$tmp/err"
	WEEKLY_LIBXML2=/nonexistent/libxml2.so.2 run "$nl" check 5 --links --max-age 0
	expect_text "without libxml2: only what redirects and the metadata tell" \
		"archived login-wall soft-404" "$(grep -o '\[[a-z0-9-]*\]$' "$tmp/err" | tr -d '[]' | sort -u | tr '\n' ' ' | sed 's/ $//')"
	run "$nl" check 5 --links --meta
	rows "$nl" linkmeta | grep -E '^BASE/(page/zh|page/renamed|ok)' >"$tmp/meta"
	same "--meta: what each item's link is, the title recorded first kept" tests/links/005.meta-after "$tmp/meta"
	expect_text "--meta: a link that cannot tell is a warning at its place" \
		"issues/005.md:42:3: warning: cannot tell what BASE/ok?repo=old-thing is: BASE/ok?repo=old-thing: not an HTML page (text/plain) [meta]" \
		"$(grep '\[meta\]' "$tmp/err")"
	printf 'garbage\n' >"$nl/build/linkmeta.tsv"
	run "$nl" check 5 --links
	expect_text "--meta: the file was read once, the index's metadata since" "" \
		"$(grep 'link metadata' "$tmp/err")"
	if command -v strace >/dev/null; then # (LeakSanitizer cannot run under ptrace)
		(cd "$nl" && ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -qq \
			-e trace=openat -o "$tmp/opens" "$WEEKLY" check 5 --links --meta --max-age 0) >/dev/null 2>&1
		expect_text "--meta: metadata read and kept through the one connection to the index" 1 \
			"$(grep -c 'index\.sqlite", O_RDWR' "$tmp/opens")"
	else
		skip "--meta: metadata read and kept through the one connection to the index" "no strace"
	fi
	tests/index-sql "$nl" "DELETE FROM linkmeta" >/dev/null
	rm -f "$nl/issues/005.md" "$nl/build/linkmeta.tsv"
}

# Pages read whatever their encoding and size: a soft 404 in GBK, named in
# the page's head alone or in the HTTP header too, and a head of 10 MB that
# is cut off rather than read to its end (and is no problem).
e2e_encodings() {
	local body big
	fixture 007.md >"$nl/issues/007.md"
	server_counts >/dev/null
	run "$nl" check 7 --links
	same "pages in GBK and a 10 MB head: read as what they say" tests/links/007.human "$tmp/err"
	expect_status "pages in GBK and a 10 MB head: warnings pass" 0 "$rc"
	sleep 0.5 # the server counts what it sent once the client has gone
	exec 6<>"/dev/tcp/127.0.0.1/$PORT" && printf 'GET /stats?reset=1 HTTP/1.0\r\n\r\n' >&6 &&
		body=$(cat <&6) && exec 6<&-
	big=$(sed -n 's/.*"big_bytes": \([0-9]*\).*/\1/p' <<<"$body")
	# all of it is 10.6 MB; loopback's socket buffers hold far less
	[ -n "$big" ] && [ "$big" -lt 10000000 ] && ok "a 10 MB head: not read to its end" ||
		ko "a 10 MB head: not read to its end" "the server sent ${big:-?} bytes"
	rm "$nl/issues/007.md"
}

# --fix rewrites permanent redirects, canonical URLs and utm_* parameters
# where they are written, and nothing else; a second run finds nothing.
e2e_fix() {
	fixture 006.md >"$nl/issues/006.md"
	run "$nl" check 6 --links --fix
	same "--fix: each change printed" tests/links/006.fix "$tmp/out"
	expect_status "--fix: warnings only" 0 "$rc"
	sed "s|$BASE|BASE|g" "$nl/issues/006.md" >"$tmp/fixed"
	same "--fix: the source rewritten where its links are, and only there" \
		tests/links/006-fixed.md "$tmp/fixed"
	run "$nl" check 6 --links --fix
	same "--fix again: nothing left to change" /dev/null "$tmp/out"
	same "--fix again: nothing left to say" /dev/null "$tmp/err"
	fixture 006.md >"$nl/issues/006.md"
	run "$nl" check 6 --fix
	expect_text "--fix without --links: only utm_* parameters" \
		"issues/006.md:12:4 issues/006.md:16:4 issues/006.md:18:27" "$(cut -d: -f1-3 "$tmp/out" | tr '\n' ' ' | sed 's/ $//')"
	fixture 006.md >"$nl/issues/006.md"
	run "$nl" check 6 --fix --format json
	if python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$tmp/out" 2>/dev/null &&
		[ "$(grep -c ' -> ' "$tmp/err")" = 3 ]; then
		ok "--fix --format json: standard output stays JSON, the changes on standard error"
	else
		ko "--fix --format json: standard output stays JSON, the changes on standard error"
	fi
	rm "$nl/issues/006.md"
}

# HTTP/2 end to end: nghttpd (nghttp2's server) on loopback with a
# certificate made here; every link of one host on one connection, the
# requests multiplexed, pages read as over HTTP/1.1.
e2e_http2() {
	command -v nghttpd >/dev/null || { skip "HTTP/2" "no nghttpd (Debian: nghttp2-server)"; return; }
	local h2=$tmp/h2 port i
	mkdir -p "$h2/docs" "$h2/nl/issues"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
		-subj /CN=127.0.0.1 -addext "subjectAltName=IP:127.0.0.1" \
		-keyout "$h2/key.pem" -out "$h2/cert.pem" >/dev/null 2>&1 || { ko "HTTP/2" "openssl failed"; return; }
	for i in $(seq 20); do printf '<!DOCTYPE html><html lang="en"><title>Page %d</title>\n' "$i" >"$h2/docs/p$i.html"; done
	printf '<!DOCTYPE html><title>Page Not Found</title>\n' >"$h2/docs/soft.html"
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	nghttpd -a 127.0.0.1 -v -d "$h2/docs" "$port" "$h2/key.pem" "$h2/cert.pem" >"$h2/log" 2>&1 &
	h2pid=$!
	for _ in $(seq 50); do grep -q "listen" "$h2/log" 2>/dev/null && break; sleep 0.1; done
	cp issues/newsletter.yaml "$h2/nl/issues/"
	{
		printf -- '---\nnumber: 1\ndate: 2024-01-06\n---\n\n## Articles\n\n'
		for i in $(seq 20); do printf '%d. [Page %d](H2/p%d.html)\n\nText.\n\n' "$i" "$i" "$i"; done
		printf '21. [Soft](H2/soft.html)\n\nText.\n\n22. [Missing](H2/missing.html)\n\nText.\n\n'
		printf '## Projects\n\n- [Page 1, part 2](H2/p1.html#two)\n\n  Text.\n'
	} | sed "s|H2|https://127.0.0.1:$port|g" >"$h2/nl/issues/001.md"
	(cd "$h2/nl" && WEEKLY_CA_BUNDLE="$h2/cert.pem" "$WEEKLY" check --links) 2>&1 |
		sed "s|https://127.0.0.1:$port|H2|g" >"$tmp/h2.err"
	same "HTTP/2: a 404 and a soft 404 among 22 pages" tests/links/http2.human "$tmp/h2.err"
	expect_text "HTTP/2: 22 requests on one connection" "22 1" \
		"$(grep -c 'recv HEADERS frame' "$h2/log") $(grep -o '\[id=[0-9]*\]' "$h2/log" | sort -u | wc -l)"
	(cd "$h2/nl" && "$WEEKLY" check --links --max-age 0) 2>&1 | grep -c "TLS error" >"$tmp/h2.tls"
	expect_text "HTTP/2: a certificate nobody vouches for is refused, at all 23 places" "23" "$(cat "$tmp/h2.tls")"
	# the host's answer for all its links at once, not one handshake each
	# until the connect timeout cuts the rest off
	{
		printf -- '---\nnumber: 2\ndate: 2024-01-13\n---\n\n## Articles\n\n'
		for i in $(seq 600); do printf '%d. [Page %d](H2/p1.html?n=%d)\n\nText.\n\n' "$i" "$i" "$i"; done
	} | sed "s|H2|https://127.0.0.1:$port|g" >"$h2/nl/issues/002.md"
	(cd "$h2/nl" && "$WEEKLY" check 2 --links --max-age 0) 2>&1 >/dev/null |
		grep -o "TLS error\|no connection within" | sort | uniq -c | sed 's/^ *//' >"$tmp/h2.host"
	expect_text "HTTP/2: 600 links to a host whose certificate fails: each its TLS error" \
		"600 TLS error" "$(cat "$tmp/h2.host")"
	kill "$h2pid"
	h2pid=
}

# Link rot across the archive: --all records when each link was first seen
# broken; later runs report only what broke since as errors; --wayback asks
# the archive service (the server's /wayback/available) for copies, and
# dead_links: archived sends the HTML's readers to them.
e2e_rot() {
	local s; s=$(scratch)
	printf 'wayback_api: %s\ndead_links: archived\n' "$BASE" >>"$s/issues/newsletter.yaml"
	fixture rot-001.md >"$s/issues/001.md"
	run "$s" check --links --all --wayback
	same "rot, first run: every dead link an error, with its archived copy" tests/links/rot-1.human "$tmp/err"
	expect_status "rot, first run: fails" 1 "$rc"
	rows "$s" linkmeta >"$tmp/rot.tsv"
	same "rot: first seen broken and the copy kept in the index's link metadata" \
		tests/links/rot.tsv "$tmp/rot.tsv"
	fixture rot-002.md >"$s/issues/002.md"
	run "$s" check --links --all --max-age 0
	sed -E 's/since [0-9]{4}-[0-9]{2}-[0-9]{2}/since DATE/' "$tmp/err" >"$tmp/rot.err"
	same "rot, next run: what broke since is an error, what was known a warning" \
		tests/links/rot-2.human "$tmp/rot.err"
	expect_status "rot, next run: fails for the new one only" 1 "$rc"
	run "$s" check 2 --links --max-age 0
	expect_text "without --all: a broken link is an error as ever" \
		"issues/002.md:8:4: error: broken link BASE/status/404?rot=2 (404 Not Found) [link]" "$(head -n 1 "$tmp/err")"
	(cd "$s" && "$WEEKLY" build --all 2>/dev/null)
	expect_text "dead_links: archived: the HTML links to the copy, the source is untouched" \
		"href=\"http://archive.example/web/20200102030405/BASE/status/404?rot=1\" 1" \
		"$(grep -o 'href="[^"]*rot=1"' "$s/build/001.html" | sed "s|$BASE|BASE|g") $(grep -c "$BASE/status/404?rot=1" "$s/issues/001.md")"
	rm -rf "$s"
}

# link_cache names the verdicts file of an earlier version: read into the
# index once (a corrupt one is a warning at its line), never written.
e2e_settings() {
	local s; s=$(scratch)
	printf 'link_cache: links/verdicts.tsv\nuser_agent: "Editor Bot/2"\n' >>"$s/issues/newsletter.yaml"
	fixture agent.md >"$s/issues/001.md"
	mkdir -p "$s/links"
	printf 'garbage\n' >"$s/links/verdicts.tsv"
	run "$s" check --links
	same "a corrupt verdicts file: a warning naming its file and line" tests/links/corrupt.human "$tmp/err"
	expect_status "a corrupt verdicts file is not fatal" 0 "$rc"
	expect_text "a corrupt verdicts file is ignored, the run's verdicts kept in the index" \
		"BASE/ok	ok	T	200 OK	" "$(rows "$s" verdicts | grep '^BASE/ok')"
	expect_text "link_cache: the file is not written" "garbage" "$(cat "$s/links/verdicts.tsv")"
	run "$s" check --links --max-age 0
	same "user_agent from newsletter.yaml is sent; the file was read once" /dev/null "$tmp/err"
	expect_status "user_agent from newsletter.yaml: clean" 0 "$rc"
	local t; t=$(scratch)
	printf 'link_cache: links/verdicts.tsv\n' >>"$t/issues/newsletter.yaml"
	fixture agent.md >"$t/issues/001.md"
	mkdir -p "$t/links"
	printf '%s\tok\t2999-01-01T00:00:00Z\t200 OK\t\n' "$BASE/ua?want=Editor%20Bot/2" "$BASE/ok" \
		>"$t/links/verdicts.tsv"
	server_counts >/dev/null
	run "$t" check --links
	expect_status "link_cache: verdicts of an earlier version are used" 0 "$rc"
	expect_counts "link_cache: nothing the file knew is asked" 0
	expect_text "link_cache: moved into the index" "2" "$(rows "$t" verdicts | grep -c '	ok	T	200 OK	$')"
	rm -rf "$s" "$t"
}

e2e_libcurl() {
	WEEKLY_LIBCURL=/nonexistent/libcurl.so.4 run "$nl" check 1 --links --max-age 0
	same "no libcurl: one error" tests/links/nolibcurl.human "$tmp/err"
	expect_status "no libcurl: a system error" 3 "$rc"
	local libs
	if ! libs=$(ldd "$WEEKLY" 2>&1) || ! grep -q 'libc\.so' <<<"$libs"; then
		ko "libcurl is not linked into weekly" "ldd could not list the libraries"
	elif grep -q libcurl <<<"$libs"; then
		ko "libcurl is not linked into weekly"
	else
		ok "libcurl is not linked into weekly"
	fi
}

# A server's Location header with escape sequences reaches neither the
# terminal nor the cache raw: the redirect target is percent-encoded.
e2e_escapes() {
	local s; s=$(scratch)
	fixture escapes.md >"$s/issues/004.md"
	run "$s" check 4 --links
	same "a Location with escape sequences: shown percent-encoded" tests/links/escapes.human "$tmp/err"
	expect_status "a Location with escape sequences: broken links" 1 "$rc"
	rows "$s" verdicts >"$tmp/escapes.rows"
	if LC_ALL=C grep -q '[[:cntrl:]]' <(tr -d '\t\n' <"$tmp/escapes.rows"); then
		ko "a Location with escape sequences: no control character in the cache"
	else
		ok "a Location with escape sequences: no control character in the cache"
	fi
	grep -qF -- '-> javascript:alert(1)%1B[2J%1B[31m%9B' "$tmp/escapes.rows" &&
		ok "the cache keeps the target, encoded" || ko "the cache keeps the target, encoded"
	rm -rf "$s"
}

# A terminal gets a progress line on standard error; a pipe gets none (the
# exact comparisons above).
e2e_progress() {
	command -v script >/dev/null || { skip "progress on a terminal" "no script(1)"; return; }
	(cd "$nl" && script -qec "$WEEKLY check 1 --links --max-age 0" /dev/null) >"$tmp/tty" 2>&1
	if grep -q "links: [0-9]*/6 checked, [0-9]* broken" "$tmp/tty"; then
		ok "a terminal shows progress"
	else
		ko "a terminal shows progress" "$(head -c 300 "$tmp/tty")"
	fi
}

unit_tests
offline_tests
nl=$(scratch)
fixture 001.md >"$nl/issues/001.md"
fixture 002.md >"$nl/issues/002.md"
e2e_report
e2e_cached
e2e_formats
e2e_strict
e2e_only_new
e2e_options
e2e_per_host
e2e_admission
e2e_kept_early
e2e_content
e2e_encodings
e2e_fix
e2e_http2
e2e_rot
e2e_settings
e2e_libcurl
e2e_escapes
e2e_progress
rm -rf "$nl"
finish
