#!/bin/bash
# No two files of src/ depend on each other in a loop, by calls (read from
# the objects) or by includes (tests/cycles.py says how each counts), and no
# headers of src/ and include/weekly/ include each other in a loop; and the
# finder finds a loop where there is one.
cd "$(dirname "$0")/.." && . tests/lib.sh
OBJ=${WEEKLY_OBJDIR:-.obj}
use_tmp cycles

out=$(python3 tests/cycles.py src include/weekly "$OBJ" 2>&1); rc=$?
expect_status "no loops among the files of src/" 0 $rc
[ $rc = 0 ] || printf '%s\n' "$out" | sed 's/^/  /'

# A small tree: a calls b, b calls c, c includes a.h; d calls a.
mkdir -p "$tmp/src" "$tmp/inc" "$tmp/obj"
printf 'int b(void);\nint a(void) { return b(); }\n' > "$tmp/src/a.c"
printf 'int a(void);\n' > "$tmp/inc/a.h"
printf 'int c(void);\nint b(void) { return c(); }\n' > "$tmp/src/b.c"
printf '#include "a.h"\nint c(void) { return 1; }\n' > "$tmp/src/c.c"
printf 'int a(void);\nint d(void) { return a(); }\n' > "$tmp/src/d.c"
for f in a b c d; do cc -c -I"$tmp/inc" -o "$tmp/obj/$f.o" "$tmp/src/$f.c"; done
python3 tests/cycles.py "$tmp/src" "$tmp/inc" "$tmp/obj" > "$tmp/out"; rc=$?
expect_status "a loop is found" 1 $rc
text "the loop, step by step" \
	"cycle among a, b, c: a calls b (b); b calls c (c); c includes a.h (a)" "$tmp/out"
printf 'int c(void) { return 1; }\n' > "$tmp/src/c.c"
cc -c -o "$tmp/obj/c.o" "$tmp/src/c.c"
python3 tests/cycles.py "$tmp/src" "$tmp/inc" "$tmp/obj" > "$tmp/out"; rc=$?
expect_status "no loop once c stops including a.h" 0 $rc
quiet_out() { if [ -s "$tmp/out" ]; then ko "$1" "$(head -n 1 "$tmp/out")"; else ok "$1"; fi; }
quiet_out "nothing said when there is no loop"

# Headers that include each other, declaring only types (no file defines
# what they declare): a loop all the same.
rm -f "$tmp"/src/* "$tmp"/inc/* "$tmp"/obj/*
printf '#ifndef X_H\n#define X_H\n#include "y.h"\nstruct x { int n; };\n#endif\n' > "$tmp/inc/x.h"
printf '#ifndef Y_H\n#define Y_H\n#include "x.h"\nstruct y { int n; };\n#endif\n' > "$tmp/inc/y.h"
printf '#include "x.h"\nint e(void) { return 0; }\n' > "$tmp/src/e.c"
cc -c -I"$tmp/inc" -o "$tmp/obj/e.o" "$tmp/src/e.c"
python3 tests/cycles.py "$tmp/src" "$tmp/inc" "$tmp/obj" > "$tmp/out"; rc=$?
expect_status "an include loop among headers is found" 1 $rc
text "the include loop, step by step" \
	"include cycle among x.h, y.h: x.h includes y.h; y.h includes x.h" "$tmp/out"
printf 'struct y { int n; };\n' > "$tmp/inc/y.h"
python3 tests/cycles.py "$tmp/src" "$tmp/inc" "$tmp/obj" > "$tmp/out"; rc=$?
expect_status "no loop once y.h stops including x.h" 0 $rc
quiet_out "nothing said when the headers make no loop"
finish
