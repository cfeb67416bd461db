#!/bin/bash
# simd.sh - the scans of texts answer the same on every path, whatever the
# processor running the tests has: the unit test of util_masks and of the
# text check (tests/unit/simd.c; tests/run runs it on the widest path),
# and the suites whose exact diagnostics come from those scans (the
# Markdown limits pre-check, the text check, topic markers), each with
# WEEKLY_SIMD=none and WEEKLY_SIMD=ssse3.
cd "$(dirname "$0")/.." && . tests/lib.sh
OBJ=${WEEKLY_OBJDIR:-.obj}

for level in none ssse3; do
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
