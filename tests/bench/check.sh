#!/bin/bash
# weekly check over an archive of 1,000 issues generated from the example
# issues (tests/bench/archive-at: fresh URLs, a few items repeated from
# earlier issues), archive-wide repeat detection included. Target: a median
# under 300 ms for the whole archive.
set -e
cd "$(dirname "$0")/../.."
out=.obj/bench/check
mkdir -p "$out"
archive=$(tests/bench/archive-at 1000)
echo "archive: $(ls "$archive/issues" | grep -c '\.md$') issues," \
	"$(du -sh "$archive/issues" | cut -f1); what check finds:"
./weekly -C "$archive" check 2>&1 | sed -n 's/.*\[\([a-z-]*\)\]$/\1/p' | sort | uniq -c
hyperfine -N --warmup 3 --runs 30 --export-json "$out/check.json" \
	-n 'weekly check (1,000 issues)' "./weekly -C $archive check" \
	-n 'weekly check 1000 (reads the archive)' "./weekly -C $archive check 1000" \
	-n 'weekly check --format json' "./weekly -C $archive check --format json" \
	-n 'weekly check, one process' "env WEEKLY_WORKERS=1 ./weekly -C $archive check"
python3 tests/bench/medians.py "$out/check.json"
