#!/bin/bash
# fuzz.sh - every seed and every input a fuzzer ever found a problem with,
# replayed through its fuzz target (tests/fuzz/fuzz_*.c built with replay.c:
# the target's own assertions hold; under `make check` the replay is built
# with AddressSanitizer and UndefinedBehaviorSanitizer too).
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
bin=${WEEKLY_OBJDIR:-.obj}/fuzz

# replay TARGET INPUT...: one PASS per input; a crash names its input.
replay() {
	local t=$1 out rc; shift
	out=$("$bin/$t" "$@" 2>&1); rc=$?
	grep '^PASS ' <<<"$out"
	pass=$((pass + $(grep -c '^PASS ' <<<"$out")))
	[ "$rc" = 0 ] && return
	local f
	for f in "$@"; do
		[ -f "$f" ] || continue
		if ! "$bin/$t" "$f" >/dev/null 2>&1; then
			ko "$t: $f" "exit status $?"
			"$bin/$t" "$f" 2>&1 | grep -v '^PASS' | head -n 15 | sed 's/^/  /'
			return
		fi
	done
	ko "$t" "exit status $rc"
	tail -n 15 <<<"$out" | sed 's/^/  /'
}

for src in tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	name=${t#fuzz_}
	if [ ! -x "$bin/$t" ]; then
		ko "$t" "$bin/$t is missing: make unit-tests builds it"
		continue
	fi
	inputs=()
	for f in tests/fuzz/corpus/"$name"/* tests/fuzz/regressions/"$name"/*; do
		[ -f "$f" ] && inputs+=("$f")
	done
	if [ ${#inputs[@]} = 0 ]; then
		ko "$t" "no seeds in tests/fuzz/corpus/$name"
		continue
	fi
	replay "$t" "${inputs[@]}"
done
finish
