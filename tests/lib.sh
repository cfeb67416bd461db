# lib.sh - helpers shared by the shell test suites: sourced, not run.
# check NAME EXPECTED_FILE ACTUAL_FILE: byte-exact comparison.
pass=0 fail=0 skipped=0
# Output forms depend on these; tests choose them explicitly.
unset GITHUB_ACTIONS NO_COLOR
ok() { pass=$((pass + 1)); echo "PASS $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1${2:+: $2}"; }
same() {
	if cmp -s "$2" "$3"; then ok "$1"; else ko "$1" "output differs"; diff -u "$2" "$3" | head -20 | sed 's/^/  /'; fi
}
# expect_status NAME WANT GOT
expect_status() { if [ "$2" = "$3" ]; then ok "$1"; else ko "$1" "exit status $3, expected $2"; fi; }
# expect_text NAME WANT GOT: the same string.
expect_text() { if [ "$2" = "$3" ]; then ok "$1"; else ko "$1" "got '$3', want '$2'"; fi; }
# skip NAME REASON: a test that could not run here, counted in the summary.
skip() { skipped=$((skipped + 1)); echo "SKIP $1: $2"; }
finish() {
	local skips=""
	[ "$skipped" = 0 ] || skips=", $skipped skipped"
	echo "$pass passed, $fail failed$skips"
	[ "$fail" = 0 ]
}
# run NAME STATUS ARGS...: weekly ($W) with ARGS, expecting that exit
# status; standard output and error are left in $tmp/out and $tmp/err.
run() {
	local name=$1 status=$2; shift 2
	"$W" "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
	expect_status "$name" "$status" "$rc"
}
# text NAME EXPECTED FILE: FILE holds exactly the text EXPECTED (plus a newline).
text() { printf '%s\n' "$2" > "$tmp/want"; same "$1" "$tmp/want" "$3"; }
# quiet NAME: nothing on standard error ($tmp/err).
quiet() { if [ -s "$tmp/err" ]; then ko "$1" "$(head -n 3 "$tmp/err")"; else ok "$1"; fi; }
# use_tmp NAME: $tmp, a fresh folder for the suite's files (weekly-NAME.*
# in $TMPDIR), removed when the suite ends.
use_tmp() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/weekly-$1.XXXXXX") || exit 3
	trap 'rm -rf "$tmp"' EXIT
}
# archive_copy DIR [LINE...]: DIR made afresh as the newsletter of
# tests/archive (issues 1, 2, 4 and the draft 3) with the repository's
# templates, each LINE added to its settings.
archive_copy() {
	local dir=$1; shift
	rm -rf "$dir" && mkdir -p "$dir/issues" &&
		cp tests/archive/newsletter.yaml tests/archive/issues/*.md "$dir/issues/" &&
		cp -r templates "$dir/" || exit 3
	[ $# = 0 ] || printf '%s\n' "$@" >>"$dir/issues/newsletter.yaml"
}
# unsearched FILE: a listing of what a build wrote without the search
# index's files, for the tests of other parts (tests/search.sh lists those).
unsearched() { sed -i '\|^build/search/|d' "$1"; }
# feedparser_python: a Python that has the feedparser module
# (python3-feedparser); nothing when none has it.
feedparser_python() {
	local p
	for p in python3 /usr/bin/python3; do
		"$p" -c 'import feedparser' 2>/dev/null && { echo "$p"; return; }
	done
}
# A scratch newsletter: the example's settings and templates, no issues,
# inside the suite's $tmp when it has one (removed with it).
scratch() {
	local d; d=$(mktemp -d "${tmp:-${TMPDIR:-/tmp}}/weekly-test.XXXXXX")
	mkdir -p "$d/issues"
	cp issues/newsletter.yaml "$d/issues/"
	cp -r templates "$d/"
	echo "$d"
}
# linkserver_start DIR [ARGS...]: tests/linkserver.py on 127.0.0.1 until
# the calling script ends (it holds fd 5, the server's standard input) or
# 120 s pass; sets PORT, CLOSED (a port nobody listens on) and TLSPORT.
linkserver_start() { server_start tests/linkserver.py "$@"; }
# faultserver_start DIR [ARGS...]: the same with tests/faultserver.py.
faultserver_start() { server_start tests/faultserver.py "$@"; }
server_start() {
	local script=$1 dir=$2
	shift 2
	unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
	export NO_PROXY='*' no_proxy='*'
	mkfifo "$dir/ctl"
	python3 "$script" --lifetime 120 "$@" <"$dir/ctl" >"$dir/ports" &
	exec 5>"$dir/ctl"
	for _ in $(seq 50); do [ -s "$dir/ports" ] && break; sleep 0.1; done
	read -r _ PORT _ CLOSED _ TLSPORT <"$dir/ports"
	[ -n "$PORT" ]
}

# integrity FILE: what SQLite's own check says of the database.
integrity() {
	python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("pragma integrity_check").fetchone()[0])' "$1" 2>&1
}
# contents DIR: every file of DIR/build/ but the index, with its digest.
contents() { (cd "$1/build" && find . -path ./.weekly -prune -o -type f -print | sort | xargs md5sum); }
