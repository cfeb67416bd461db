#!/bin/bash
# links.sh - the link checker against tests/linkserver.py on 127.0.0.1: the C
# tests of linkcheck_run ($OBJDIR/tests/linkcheck_test, .obj by default) and
# `weekly check --links` ($WEEKLY, ./weekly by default).
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
WEEKLY="${WEEKLY:-$PWD/weekly}"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export NO_PROXY='*' no_proxy='*'

tmp=$(mktemp -d "${TMPDIR:-/tmp}/weekly-links.XXXXXX")
trap 'exec 5>&- 2>/dev/null; rm -rf "$tmp"' EXIT

# A self-signed certificate, for the TLS case, when openssl is there.
tlsargs=()
if command -v openssl >/dev/null &&
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
		-subj /CN=127.0.0.1 \
		-keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1; then
	tlsargs=(--tls "$tmp/cert.pem" "$tmp/key.pem")
fi

# The server reads its standard input until it ends: fd 5 is held open by
# this script, so it stops with us, or after 120 s in any case.
mkfifo "$tmp/ctl"
python3 tests/linkserver.py --lifetime 120 "${tlsargs[@]}" <"$tmp/ctl" >"$tmp/ports" &
exec 5>"$tmp/ctl"
for _ in $(seq 50); do [ -s "$tmp/ports" ] && break; sleep 0.1; done
read -r _ PORT _ CLOSED _ TLSPORT <"$tmp/ports"
if [ -z "$PORT" ]; then
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
	sed -E 's/\t[0-9T:Z-]{20}\t/\tT\t/; s|'"$BASE"'|BASE|g' "$nl/build/linkcache.tsv" >"$tmp/cache"
	same "cache: build/linkcache.tsv, one sorted line per URL" tests/links/001.cache "$tmp/cache"
}

e2e_cached() {
	run "$nl" check 1 --links
	same "cached run: the same report" tests/links/001.human "$tmp/err"
	expect_status "cached run: the same status" 1 "$rc"
	expect_counts "cached run: nothing asked" 0
	WEEKLY_LIBCURL=/nonexistent/libcurl.so.4 run "$nl" check 1 --links
	same "cached run: libcurl is not even loaded" tests/links/001.human "$tmp/err"
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

e2e_settings() {
	local s; s=$(scratch)
	printf 'link_cache: links/verdicts.tsv\nuser_agent: "Editor Bot/2"\n' >>"$s/issues/newsletter.yaml"
	fixture agent.md >"$s/issues/001.md"
	run "$s" check --links
	same "user_agent from newsletter.yaml is sent" /dev/null "$tmp/err"
	expect_status "user_agent from newsletter.yaml: clean" 0 "$rc"
	[ -s "$s/links/verdicts.tsv" ] && [ ! -e "$s/build/linkcache.tsv" ] &&
		ok "link_cache from newsletter.yaml" || ko "link_cache from newsletter.yaml"
	printf 'garbage\n' >"$s/links/verdicts.tsv"
	run "$s" check --links
	same "a corrupt cache: a warning naming its file and line" tests/links/corrupt.human "$tmp/err"
	expect_status "a corrupt cache is not fatal" 0 "$rc"
	grep -q "^$BASE/ok	ok	" "$s/links/verdicts.tsv" && ok "a corrupt cache is rebuilt" ||
		ko "a corrupt cache is rebuilt"
	rm -rf "$s"
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
	if LC_ALL=C grep -q '[[:cntrl:]]' <(tr -d '\t\n' <"$s/build/linkcache.tsv"); then
		ko "a Location with escape sequences: no control character in the cache"
	else
		ok "a Location with escape sequences: no control character in the cache"
	fi
	grep -qF -- '-> javascript:alert(1)%1B[2J%1B[31m%9B' "$s/build/linkcache.tsv" &&
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
e2e_settings
e2e_libcurl
e2e_escapes
e2e_progress
rm -rf "$nl"
finish
