#!/bin/bash
# simd.sh - the scans of texts answer the same on every path, whatever the
# processor running the tests has: the unit test of util_masks and of the
# text check (tests/unit/simd.c; tests/run runs it on the widest path),
# and the suites whose exact diagnostics come from those scans (the
# Markdown limits pre-check, the text check, topic markers), each with
# WEEKLY_SIMD=none and WEEKLY_SIMD=ssse3. A path the processor lacks
# (weekly then takes a narrower one) is skipped, and said so: SSSE3 here,
# AVX2 for the rest of the suite.
cd "$(dirname "$0")/.." && . tests/lib.sh
OBJ=${WEEKLY_OBJDIR:-.obj}

# has FLAG: whether the processor running the tests has it
has() { grep -qw "$1" /proc/cpuinfo 2>/dev/null; }
has avx2 || skip "the AVX2 path (the suite's own)" "this processor has no AVX2"
for level in none ssse3; do
	if [ $level = ssse3 ] && ! has ssse3; then
		skip "WEEKLY_SIMD=ssse3" "this processor has no SSSE3"
		continue
	fi
	out=$(WEEKLY_SIMD=$level "$OBJ/tests/simd" 2>&1)
	summary=$(printf '%s\n' "$out" | tail -n 1)
	expect_text "unit tests with WEEKLY_SIMD=$level" "6 passed, 0 failed" "$summary"
	for suite in diagnostics hostile topics typos; do
		out=$(WEEKLY_SIMD=$level tests/$suite.sh 2>&1)
		summary=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
		case $summary in
		[1-9]*" passed, 0 failed"*) ok "tests/$suite.sh with WEEKLY_SIMD=$level: $summary" ;;
		*) ko "tests/$suite.sh with WEEKLY_SIMD=$level" "$(printf '%s\n' "$out" | grep '^FAIL' | head -n 3)" ;;
		esac
	done
done
finish
