#!/bin/bash
# index.sh - the archive index (build/.weekly/index.sqlite): every command
# says the same with and without it; it survives two commands at once,
# being deleted, truncated, damaged or of another schema (a build killed
# with SIGKILL: tests/kill.sh); it hides itself from version control;
# commands about one issue see what an editor changed.
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
W="${WEEKLY:-$PWD/weekly}"
use_tmp index
export NO_COLOR=1
N="$tmp/n"
INDEX="$N/build/.weekly/index.sqlite"
SCHEMA=$(sed -n 's/^#define INDEX_SCHEMA \([0-9]*\)$/\1/p' include/weekly/index.h)

# sql FILE STATEMENT: run one statement on the database, print its rows.
sql() {
	python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for r in c.execute(sys.argv[2]): print(*r, sep="|")
c.commit()' "$1" "$2"
}
# say DIR ARGS...: weekly -C DIR ARGS, its status, output and errors in one file.
say() {
	local d=$1; shift
	"$W" -C "$d" "$@" >"$tmp/say.out" 2>"$tmp/say.err"; local rc=$?
	printf 'status %s\n' "$rc"; cat "$tmp/say.out"; echo '--- stderr'; cat "$tmp/say.err"
}

tests/bench/gen-archive "$N" 120 --seed 7 >/dev/null || exit 3
URL=$(grep -ho '(https://[^)]*' "$N/issues/110.md" | sed -n 3p | tr -d '(')
REPEATS=$(cd "$N/issues" && grep -l "](${URL%%/i*}" 1*.md | head -1)

# --- the same answers with and without an index --------------------------------------
COMMANDS=("build 7 -f md -o -" "build 118 -f html -o -" "check 7" "check 118"
	  "check --format json 60 61" "check" "stats 7" "stats 7 118 --format json" "stats"
	  "where $URL" "where --format tsv $URL" "where --format json https://github.com/"
	  "links 100" "check 999")
cp -r "$N" "$tmp/plain"
for c in "${COMMANDS[@]}"; do
	WEEKLY_LIBSQLITE=none say "$tmp/plain" $c >"$tmp/without"
	say "$N" $c >"$tmp/first"   # made or completed by this command
	say "$N" $c >"$tmp/second"  # answered by the index
	same "without and with the index: $c" "$tmp/without" "$tmp/first"
	same "with the index, again: $c" "$tmp/without" "$tmp/second"
done
[ -d "$tmp/plain/build/.weekly" ] && ko "without SQLite no index is made" ||
	ok "without SQLite no index is made"
[ -f "$INDEX" ] && ok "the index is made by the first command" || ko "the index is made by the first command"
expect_text "the index's schema version" "$SCHEMA" "$(sql "$INDEX" 'pragma user_version')"
# The listed issue before or after a number (what a command about one issue
# looks at besides it) is the first row of an index of the listed issues,
# not found by walking past the drafts and failed issues in between: the
# plans of the statements as src/index.c words them.
for near in "S_NEAR_BEFORE <" "S_NEAR_AFTER >"; do
	q=$(sed -n "s/.*\[${near% *}\] = \"\(.*\)\",$/\1/p" src/index.c)
	expect_text "the listed issue next to a number: ${near% *} searches issues_listed" \
		"SEARCH issues USING INDEX issues_listed (number${near#* }?)" \
		"$(sql "$INDEX" "explain query plan ${q//\?1/60}" | cut -d'|' -f4)"
done
expect_text "the index is in WAL mode" "wal" "$(sql "$INDEX" 'pragma journal_mode')"
[ "$(sql "$INDEX" 'select count(*) from links where issue = "110.md"')" -gt 10 ] &&
	ok "the links of issue 110 are in the index" || ko "the links of issue 110 are in the index"

# --- an edit is seen ----------------------------------------------------------------
# In place (same name, same folder time): the named issue and the newest
# issues are looked at by every command.
cp "$N/issues/120.md" "$tmp/120.md"
printf '\n## Articles\n\n1. [Edited](https://edited.example/new)\n' >>"$N/issues/120.md"
printf '\n## Articles\n\n1. [Edited](https://edited.example/new)\n' >>"$tmp/plain/issues/120.md"
for c in "where https://edited.example/new" "check 120" "stats 120" "build 120 -f md -o -"; do
	WEEKLY_LIBSQLITE=none say "$tmp/plain" $c >"$tmp/without"
	say "$N" $c >"$tmp/with"
	same "an issue edited in place: $c" "$tmp/without" "$tmp/with"
done
# A new file (the folder's time changes): every file is looked at again.
sed 's/^number: 12$/number: 121/' "$N/issues/012.md" >"$N/issues/121.md"
cp "$N/issues/121.md" "$tmp/plain/issues/121.md"
for c in "check 121" "where $URL" "build 121 -f md -o -" "stats 121"; do
	WEEKLY_LIBSQLITE=none say "$tmp/plain" $c >"$tmp/without"
	say "$N" $c >"$tmp/with"
	same "a new issue: $c" "$tmp/without" "$tmp/with"
done
rm "$N/issues/121.md" "$tmp/plain/issues/121.md"
cp "$tmp/120.md" "$N/issues/120.md"; cp "$tmp/120.md" "$tmp/plain/issues/120.md"
WEEKLY_LIBSQLITE=none say "$tmp/plain" where "$URL" >"$tmp/without"
say "$N" where "$URL" >"$tmp/with"
same "an issue deleted: where" "$tmp/without" "$tmp/with"

# --- deleted, truncated, damaged, of another schema ----------------------------------
"$W" -C "$N" build --all -q 2>/dev/null
WEEKLY_LIBSQLITE=none "$W" -C "$tmp/plain" build --all -q 2>/dev/null
contents "$tmp/plain" >"$tmp/want"
for damage in deleted truncated garbage older newer; do
	case $damage in
	deleted) rm -rf "$N/build/.weekly" ;;
	truncated) truncate -s 8192 "$INDEX" ;;
	garbage) head -c 20000 /dev/urandom >"$INDEX" ;;
	older) rm -rf "$N/build/.weekly"; mkdir -p "$N/build/.weekly"
	       sql "$INDEX" "create table issues(name text primary key, number integer)"
	       sql "$INDEX" "insert into issues values ('007.md', 8)" ;;
	newer) sql "$INDEX" "pragma user_version = 99" ;;
	esac
	for c in "check 7" "where $URL" "stats 7" "build 7 -f md -o -"; do
		WEEKLY_LIBSQLITE=none say "$tmp/plain" $c >"$tmp/without"
		say "$N" $c | grep -v '^weekly: note: the archive index' >"$tmp/with"
		same "an index $damage: $c" "$tmp/without" "$tmp/with"
	done
	"$W" -C "$N" build --all -q 2>"$tmp/err"
	contents "$N" >"$tmp/got"
	same "an index $damage: build --all makes the same files" "$tmp/want" "$tmp/got"
	expect_text "an index $damage: made again, whole" "ok $SCHEMA" \
		"$(integrity "$INDEX") $(sql "$INDEX" 'pragma user_version')"
done
# What links said cannot be read from the sources: an index of an older
# schema is made again but keeps it.
sql "$INDEX" "insert into verdicts values ('https://kept.example/', 'kept')"
sql "$INDEX" "insert into meta values ('link_meta_stamp', 3)"
sql "$INDEX" "pragma user_version = 1"
"$W" -C "$N" check 7 >/dev/null 2>&1
expect_text "an older schema: made again, verdicts and link metadata's stamp kept" "$SCHEMA kept 3" \
	"$(sql "$INDEX" 'pragma user_version') $(sql "$INDEX" "select row from verdicts") $(sql "$INDEX" "select value from meta where key = 'link_meta_stamp'")"
truncate -s 8192 "$INDEX"
"$W" -C "$N" check 7 2>"$tmp/err" >/dev/null
grep -q "^weekly: note: the archive index '.*index.sqlite' is truncated; it is made again from the sources$" "$tmp/err" &&
	ok "a truncated index: a note says so" || ko "a truncated index: a note says so" "$(cat "$tmp/err")"

# --- two at once -------------------------------------------------------------------------
rm -rf "$N/build"
"$W" -C "$N" build --all --force -q -j 2 2>/dev/null & a=$!
"$W" -C "$N" check >"$tmp/check1" 2>&1 & b=$!
"$W" -C "$N" where "$URL" >"$tmp/where1" 2>&1 & c=$!
"$W" -C "$N" build --all --force -q 2>/dev/null & d=$!
wait $a; ra=$?; wait $b; rb=$?; wait $c; rc=$?; wait $d; rd=$?
WEEKLY_LIBSQLITE=none "$W" -C "$tmp/plain" check >"$tmp/check0" 2>&1; r0=$?
expect_text "two builds, a check and a where at once: their statuses" "0 $r0 0 0" "$ra $rb $rc $rd"
expect_text "at once: the index is whole" "ok" "$(integrity "$INDEX")"
contents "$N" >"$tmp/got"
same "at once: build/ as a clean build makes it" "$tmp/want" "$tmp/got"
same "at once: check said what it says alone" "$tmp/check0" "$tmp/check1"
WEEKLY_LIBSQLITE=none "$W" -C "$tmp/plain" where "$URL" >"$tmp/where0" 2>&1
same "at once: where said what it says alone" "$tmp/where0" "$tmp/where1"

# --- the write-ahead log ----------------------------------------------------------------
# A command that wrote a few rows leaves them in the log for the next one
# to read, instead of copying them into the file with two disk syncs; one
# that wrote much copies the log in as it closes, so that no open reads
# more than 1 MiB of log back.
logsize() { stat -c %s "$INDEX-wal" 2>/dev/null || echo 0; }
rm -rf "$N/build"
for c in "build --all" "check"; do # the issues' records, then their links
	"$W" -C "$N" $c -q >/dev/null 2>&1
	[ "$(logsize)" -le 1048576 ] && ok "after $c from nothing: at most 1 MiB of log left" ||
		ko "after $c from nothing: at most 1 MiB of log left" "$(logsize) bytes"
done
# (SQLite's own reader copies the log into the file as it closes.)
expect_text "after build --all and check: the index is whole" "ok" "$(integrity "$INDEX")"
for v in a b; do
	for d in "$N" "$tmp/plain"; do
		cp "$tmp/120.md" "$d/issues/120.md"
		printf '\n## Articles\n\n1. [Logged](https://logged.example/%s)\n' $v >>"$d/issues/120.md"
	done
	if [ $v = b ] && command -v strace >/dev/null; then
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
			strace -f -qq -e trace=fsync,fdatasync,sync_file_range -o "$tmp/trace" \
			"$W" -C "$N" build 120 -q 2>/dev/null
		expect_text "a build of one edited issue over a log: no disk sync" 0 \
			"$(grep -c sync "$tmp/trace")"
	else
		"$W" -C "$N" build 120 -q 2>/dev/null
	fi
done
[ "$(logsize)" -gt 0 ] && ok "a build of one edited issue: its rows are left in the log" ||
	ko "a build of one edited issue: its rows are left in the log"
cp -r "$N/build/.weekly" "$tmp/logged"
for c in "where https://logged.example/b" "check 120" "stats 120"; do
	WEEKLY_LIBSQLITE=none say "$tmp/plain" $c >"$tmp/without"
	say "$N" $c >"$tmp/with"
	same "rows in the log are read: $c" "$tmp/without" "$tmp/with"
done
# Truncated with a log beside it: SQLite finds the pages missing.
for c in "where https://logged.example/b" "check 120"; do
	rm -rf "$N/build/.weekly"; cp -r "$tmp/logged" "$N/build/.weekly"
	[ "$(stat -c %s "$INDEX")" -gt 65536 ] || ko "truncated with a log: a file to cut" "$(stat -c %s "$INDEX")"
	truncate -s 8192 "$INDEX"
	WEEKLY_LIBSQLITE=none say "$tmp/plain" $c >"$tmp/without"
	say "$N" $c >"$tmp/with"
	grep -q "^weekly: note: the archive index '.*index.sqlite' is damaged; it is made again from the sources$" "$tmp/with" &&
		ok "truncated with a log: a note says so: $c" ||
		ko "truncated with a log: a note says so: $c" "$(grep note "$tmp/with")"
	grep -v '^weekly: note: the archive index' "$tmp/with" >"$tmp/with.kept"
	same "truncated with a log: $c" "$tmp/without" "$tmp/with.kept"
	"$W" -C "$N" check 120 >/dev/null 2>&1
	expect_text "truncated with a log: made again, whole, by the next command: $c" "ok $SCHEMA" \
		"$(integrity "$INDEX") $(sql "$INDEX" 'pragma user_version')"
done
cp "$tmp/120.md" "$N/issues/120.md"; cp "$tmp/120.md" "$tmp/plain/issues/120.md"
"$W" -C "$N" build --all -q 2>/dev/null

# --- version control never sees it -----------------------------------------------------
expect_text "build/.weekly ignores itself" "*" "$(cat "$N/build/.weekly/.gitignore")"
if (cd "$N" && git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm x) 2>/dev/null; then
	expect_text "the index is not committed" "" "$(cd "$N" && git ls-files build/.weekly)"
	touch "$N/issues/"*.md
	"$W" -C "$N" build --all -q 2>/dev/null
	"$W" -C "$N" check 7 >/dev/null 2>&1
	expect_text "after building and checking, git sees nothing changed" "" \
		"$(cd "$N" && git status --porcelain)"
else
	skip "the index is not committed" "git cannot commit here"
fi

# --- a build on one issue does not look at every file ----------------------------------
if command -v strace >/dev/null; then
	"$W" -C "$N" build 60 -q 2>/dev/null
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -e trace=newfstatat,stat,lstat,statx,getdents64 -o "$tmp/trace" \
		"$W" -C "$N" build 60 -q 2>/dev/null
	n=$(grep -c 'issues/[0-9]*\.md\|getdents' "$tmp/trace")
	[ "$n" -le 8 ] && ok "build 60 looks at a few issue files, not 120 ($n)" ||
		ko "build 60 looks at a few issue files, not 120" "$n"
else
	skip "build 60 looks at a few issue files" "no strace"
fi

finish
