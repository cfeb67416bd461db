#!/bin/bash
# Every function or variable a file of src/ exports is used by another file
# of src/ (tests/exports.py says how it is read): none is exported for its
# own file alone, or for the tests alone; and the check finds one that is.
cd "$(dirname "$0")/.." && . tests/lib.sh
OBJ=${WEEKLY_OBJDIR:-.obj}
use_tmp exports

out=$(python3 tests/exports.py src "$OBJ" 2>&1); rc=$?
expect_status "nothing in src/ exported that no other file uses" 0 $rc
[ $rc = 0 ] || printf '%s\n' "$out" | sed 's/^/  /'

# A small tree: a.c defines a (b.c calls it), alone (called by a.c only)
# and table (read by nobody); main is the program's; z.o has no source.
mkdir -p "$tmp/src" "$tmp/obj"
printf 'int table[2];\nint alone(void) { return 1; }\nint a(void) { return alone(); }\n' >"$tmp/src/a.c"
printf 'int a(void);\nint main(void) { return a(); }\n' >"$tmp/src/b.c"
printf 'int z(void) { return 0; }\n' >"$tmp/z.c"
for f in a b; do cc -c -o "$tmp/obj/$f.o" "$tmp/src/$f.c"; done
cc -c -o "$tmp/obj/z.o" "$tmp/z.c"
python3 tests/exports.py "$tmp/src" "$tmp/obj" >"$tmp/out"; rc=$?
expect_status "an export no other file uses is found" 1 $rc
text "each such name, with its file" "$tmp/src/a.c: alone
$tmp/src/a.c: table" "$tmp/out"
printf 'static int alone(void) { return 1; }\nint a(void) { return alone(); }\n' >"$tmp/src/a.c"
cc -c -o "$tmp/obj/a.o" "$tmp/src/a.c"
python3 tests/exports.py "$tmp/src" "$tmp/obj" >"$tmp/out"; rc=$?
expect_status "none once they are static or gone" 0 $rc
[ -s "$tmp/out" ] && ko "nothing said when there is none" "$(head -n 1 "$tmp/out")" ||
	ok "nothing said when there is none"
finish
