#!/bin/bash
# serve.sh - `weekly serve`: its command line, libmicrohttpd kept out of the
# other commands, the server on loopback (tests/serve/server_test.py) and
# pages edited live in headless chromium (tests/serve/browser_test.py,
# skipped when chromium is not there). Each part is bounded in time and
# stops its servers itself.
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
W=${WEEKLY:-$PWD/weekly}

# relay NAME COMMAND...: its PASS/FAIL/SKIP lines counted here.
relay() {
	local name=$1 out rc
	shift
	out=$(timeout 300 "$@" 2>&1); rc=$?
	while IFS= read -r line; do
		case $line in
		"PASS "*) ok "${line#PASS }" ;;
		"FAIL "*) ko "${line#FAIL }" ;;
		"SKIP "*) line=${line#SKIP }; skip "${line%%: *}" "${line#*: }" ;;
		*) echo "  $line" ;;
		esac
	done <<<"$out"
	[ "$rc" = 0 ] || [ "$fail" != 0 ] || ko "$name" "exit status $rc"
}

if ldd "$W" >/dev/null 2>&1; then
	if ldd "$W" | grep -q microhttpd; then ko "weekly is not linked with libmicrohttpd"
	else ok "weekly is not linked with libmicrohttpd"; fi
else
	ko "weekly is not linked with libmicrohttpd" "ldd cannot read $W"
fi
d=$(scratch)
# The dynamic loader says which libraries a run loads, dlopen's included.
loads() { (cd "$d" && LD_DEBUG=libs "$W" "$@" 2>&1 >/dev/null | grep -c 'calling init:.*microhttpd'); }
expect_text "build does not load libmicrohttpd" 0 "$(loads build 15)"
expect_text "check does not load libmicrohttpd" 0 "$(loads check)"
err=$("$W" -C "$d" serve --port 70000 2>&1); rc=$?
expect_status "serve --port 70000 is a usage error" 2 "$rc"
expect_text "serve --port 70000 says why" "weekly serve: --port wants a port number from 0 to 65535, not '70000'" "$(head -n 1 <<<"$err")"
err=$("$W" -C "$d" serve --prot 8080 2>&1); rc=$?
expect_status "serve --prot is a usage error" 2 "$rc"
expect_text "serve --prot: did you mean" "weekly serve: unknown option '--prot'; did you mean '--port'?" "$(head -n 1 <<<"$err")"
err=$("$W" -C "$d" serve --bind localhost 2>&1); rc=$?
expect_status "serve --bind localhost: an address is wanted" 3 "$rc"
expect_text "serve --bind localhost says why" "weekly serve: 'localhost' is not an IP address" "$err"
err=$(WEEKLY_LIBMICROHTTPD=libnothere.so "$W" -C "$d" serve --port 0 2>&1); rc=$?
expect_status "serve without libmicrohttpd: exit 3" 3 "$rc"
expect_text "serve without libmicrohttpd says so" \
	"weekly serve: cannot load libmicrohttpd: libnothere.so: cannot open shared object file: No such file or directory" \
	"$(tail -n 1 <<<"$err")"
err=$(cd / && "$W" serve 2>&1); rc=$?
expect_status "serve outside a newsletter: exit 3" 3 "$rc"
rm -rf "$d"

# Debian's python3-websocket is for Debian's python3, which may not be the
# first on PATH.
py=python3
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import websocket' 2>/dev/null; then py=$p; break; fi
done
relay server_test "$py" tests/serve/server_test.py
relay browser_test "$py" tests/serve/browser_test.py
finish
