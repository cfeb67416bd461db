#!/bin/bash
# kill.sh - `build --all` killed with SIGKILL at chosen points: right after
# a save of the archive index in the middle of the run (it saves every
# WEEKLY_SAVE_EVERY issues built, 2,048 unless told; here every 10 of 120),
# while the first pages are written before any save, and while the
# archive's pages are made. Each time the index is whole, the next command
# says what it says without an index, the next build completes and leaves
# build/ as a clean build makes it, and the build after that writes nothing.
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
W="${WEEKLY:-$PWD/weekly}"
use_tmp kill
export NO_COLOR=1
N="$tmp/n"
INDEX="$N/build/.weekly/index.sqlite"
EVERY=10

# kill_when WHEN ARG BUILD-ARGS...: run `weekly build BUILD-ARGS` on $N and
# kill it with SIGKILL as soon as WHEN holds, looking every few hundred
# microseconds:
#   saved K   the index holds the outcomes (counts) of K issues or more:
#             the build saved it in the middle of the run
#   commit K  the K-th change to the index this build made is seen
#   pages K   build/ holds K issue pages or more, and the index no outcome
#   file F    build/F exists (the archive's pages are being made)
#   new F     build/F was replaced since the build started
# Prints "killed O I R" when the build was still running then: O the
# issues whose outcomes the index held then, I and R its records of issues
# and of outputs that the build had changed; else how it ended.
kill_when() {
	WEEKLY_SAVE_EVERY=$EVERY python3 - "$N" "$W" "$@" <<'EOF'
import os, signal, sqlite3, subprocess, sys, time
root, weekly, when, arg, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
index = os.path.join(root, "build/.weekly/index.sqlite")
db, seen = None, []

def ask(sql):
    global db
    if db is None and os.path.exists(index):
        db = sqlite3.connect("file:%s?mode=ro" % index, uri=True, timeout=0)
    try:
        return db.execute(sql).fetchone()[0] if db else None
    except sqlite3.Error:
        return None

def pages():
    try:
        return sum(f[:1].isdigit() and f.endswith(".html") for f in os.listdir(root + "/build"))
    except OSError:
        return 0

def holds():
    if when == "saved":
        return (ask("select count(*) from issues where counts is not null") or 0) >= int(arg)
    if when == "commit":
        v = ask("pragma data_version")
        if v is not None and (not seen or seen[-1] != v):
            seen.append(v)
        return len(seen) > int(arg)  # the first value is where it started
    if when == "pages":
        return pages() >= int(arg) and not ask("select count(*) from issues where counts is not null")
    if when == "new":
        return stamp(arg) != start
    return os.path.exists(os.path.join(root, "build", arg))

def stamp(name):
    try:
        return os.stat(os.path.join(root, "build", name)).st_mtime_ns
    except OSError:
        return None

def rows(table):
    if not os.path.exists(index):
        return set()
    c = sqlite3.connect("file:%s?mode=ro" % index, uri=True)
    got = set(c.execute("select * from " + table))
    c.close()
    return got

start, before = stamp(arg), (rows("issues"), rows("outputs"))

p = subprocess.Popen([weekly, "-C", root, "build"] + args,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if when == "commit":
    while ask("pragma data_version") is None and p.poll() is None:
        time.sleep(0.0002)
    holds()
while p.poll() is None and not holds():
    time.sleep(0.0002)
if p.poll() is None:
    os.kill(p.pid, signal.SIGKILL)
rc = p.wait()
if rc == -signal.SIGKILL:
    db = None
    print("killed", ask("select count(*) from issues where counts is not null") or 0,
          len(rows("issues") - before[0]), len(rows("outputs") - before[1]))
else:
    print("ended with status %d" % rc)
EOF
}

# after NAME: what must hold after a build was killed at point NAME.
after() {
	local name=$1
	expect_text "$name: the index is whole" "ok" "$(integrity "$INDEX")"
	"$W" -C "$N" check 118 >"$tmp/with" 2>&1
	echo "status $?" >>"$tmp/with"
	same "$name: the next command says what it says without an index" "$tmp/without" "$tmp/with"
	"$W" -C "$N" build --all -q 2>"$tmp/err"
	expect_status "$name: the next build completes" 0 $?
	contents "$N" >"$tmp/got"
	same "$name: build/ as a clean build makes it" "$tmp/want" "$tmp/got"
	"$W" -C "$N" build --all -v 2>"$tmp/err" >"$tmp/out"
	expect_text "$name: the build after writes nothing" "|built 0 issues, 0 files" \
		"$(cat "$tmp/out")|$(tail -n 1 "$tmp/err")"
	expect_text "$name: the index is whole at the end" "ok" "$(integrity "$INDEX")"
}

# kill_at NAME PREPARE WHERE WHEN ARG BUILD-ARGS...: kill a build at a
# point, after running PREPARE; WHERE (awk, of $1 = O, $2 = I and $3 = R
# as kill_when says) is whether the index shows the build killed where it
# should be. A build that ended before the point came, or ran past it
# before the kill landed, is tried again (a busy machine may run it in
# another rhythm, or let the watcher wait), at most five times.
kill_at() {
	local name=$1 prepare=$2 where=$3 got at
	shift 3
	for _ in 1 2 3 4 5; do
		eval "$prepare"
		got=$(kill_when "$@")
		at=$(echo "${got#killed}" | awk "{ print ($where) ? \"yes\" : \"no: $got\" }")
		[ "${got%% *}" = killed ] && [ "$at" = yes ] && break
	done
	expect_text "$name: killed while it ran" "killed" "${got%% *}"
	expect_text "$name: the index shows where it was killed ($where)" "yes" "$at"
	after "$name"
}

tests/bench/gen-archive "$N" 120 --seed 7 >/dev/null || exit 3
# the issues' pages as a template of old made them, and as they are now
T="$N/templates/issue.html.mustache"
cp "$T" "$tmp/old.mustache"
echo '<!-- the template changed -->' >>"$T"
cp -r "$N" "$tmp/clean"
"$W" -C "$tmp/clean" build --all -q 2>/dev/null
contents "$tmp/clean" >"$tmp/want"
WEEKLY_LIBSQLITE=none "$W" -C "$tmp/clean" check 118 >"$tmp/without" 2>&1
echo "status $?" >>"$tmp/without"
rm -rf "$tmp/clean"

fresh='rm -rf "$N/build"'
kill_at "from nothing, right after the first save" "$fresh" '$1 >= 10 && $1 < 120' \
	saved 1 --all -q -j 1
kill_at "from nothing, right after the third save" "$fresh" '$1 >= 30 && $1 < 120' \
	saved $((3 * EVERY)) --all -q -j 2
kill_at "from nothing, before any save" "$fresh" '$1 == 0' pages 5 --all -q -j 1
kill_at "from nothing, while the archive's pages are made" "$fresh" '$1 == 120' \
	file index.html --all -q -j 2
# over a whole build by an older template: every page is made again
old='rm -rf "$N/build"; cp "$T" "$tmp/new.mustache"; cp "$tmp/old.mustache" "$T"
	"$W" -C "$N" build --all -q 2>/dev/null; cp "$tmp/new.mustache" "$T"'
kill_at "the template changed, right after the first save" "$old" '$3 >= 10 && $3 < 120' \
	commit 1 --all -q -j 1
kill_at "the template changed, right after the fifth save" "$old" '$3 >= 50 && $3 < 120' \
	commit 5 --all -q -j 2
kill_at "the template changed, before the first save" "$old" '$2 + $3 == 0' \
	new 005.html --all -q -j 1

finish
