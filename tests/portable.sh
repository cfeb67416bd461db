#!/bin/bash
# Builds for other processors: every file of src/ compiles for 32-bit x86
# (no 128-bit integers, 32-bit long; gcc-multilib), and digests made there
# are the ones made here (tests/unit/digest.c pins them), so that an index
# or build/ made on one machine is judged alike on another.
cd "$(dirname "$0")/.." && . tests/lib.sh
use_tmp portable
CC=${CC:-cc}
if ! echo 'int main(void) { return 0; }' | $CC -m32 -x c -o "$tmp/probe" - 2>/dev/null; then
	skip "32-bit builds" "$CC -m32 cannot link (install gcc-multilib)"
	finish
	exit
fi
flags="-std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude
	$(pkg-config --cflags libxml-2.0) -DWEEKLY_VERSION=\"0\" -DWEEKLY_DATADIR=\"/\""
# the headers weekly compiles against; curl's are the same on every processor
multiarch=$($CC -print-multiarch)
mkdir -p "$tmp/obj" && make -s OBJDIR="$tmp/obj" "$tmp/obj/search_js.h" "$tmp/obj/live_js.h"
for f in src/*.c; do
	# shellcheck disable=SC2086
	if $CC -m32 -fsyntax-only $flags -I"$tmp/obj" -idirafter "/usr/include/$multiarch" "$f" \
		2>"$tmp/err"; then
		ok "32-bit: $f compiles"
	else
		ko "32-bit: $f compiles" "$(grep -m1 error "$tmp/err")"
	fi
done
# shellcheck disable=SC2086
$CC -m32 -O2 $flags -ffunction-sections -Wl,--gc-sections -o "$tmp/digest" \
	tests/unit/digest.c src/digest.c 2>"$tmp/err"
expect_status "32-bit: the digest test builds" 0 $?
# a kernel without 32-bit support builds such programs but cannot run
# them: qemu's user mode (.ci/deps) runs them then
run32=
"$tmp/probe" 2>/dev/null || run32=qemu-i386
if [ -n "$run32" ] && ! qemu-i386 "$tmp/probe" 2>/dev/null; then
	skip "32-bit digests" "this kernel cannot run 32-bit x86 programs, nor can qemu-i386"
else
	$run32 "$tmp/digest" >"$tmp/out"
	expect_status "32-bit: digests are the same as on 64 bits" 0 $?
	grep FAIL "$tmp/out" | head -3
fi
finish
