#!/bin/bash
# topics.sh - the topic pages and feeds of one issue of many items, all in
# one topic (the page shows the newest 1,000, the feed the newest 50, each
# entry with its issue): `weekly build --all --force` of a newsletter of
# that one issue, counted in instructions by callgrind, the whole run and
# its topic pages (topics_build, inclusive), and its peak memory.
# usage: tests/bench/topics.sh [ITEMS...]   (default 4000 20000;
# WEEKLY=another build of weekly; BENCH_DIR as for archive-at)
set -e
cd "$(dirname "$0")/../.."
WEEKLY_EXTRA_PKGS=valgrind .ci/deps
W=$(realpath "${WEEKLY:-./weekly}")
out=${BENCH_DIR:-.obj/bench}/topics
mkdir -p "$out"
out=$(realpath "$out")
printf '%8s %14s %14s %9s\n' items "instructions" "topic pages" "peak"
for m in ${@:-4000 20000}; do
	dir=$out/n$m
	if [ ! -f "$dir/issues/001.md" ]; then
		rm -rf "$dir" && mkdir -p "$dir/issues"
		cp -r templates "$dir/"
		cp tests/topics/issues/newsletter.yaml "$dir/issues/"
		{
			printf -- '---\nnumber: 1\ndate: 2024-03-02\n---\n\n## Articles\n\n'
			for k in $(seq 1 "$m"); do
				printf '%d. [Talk %d [video]](https://talks.example/%d) a *note* %d\n\nA talk.\n\n' \
					"$k" "$k" "$k" "$k"
			done
		} >"$dir/issues/001.md"
	fi
	"$W" -C "$dir" build --all -q 2>/dev/null || true
	total=$(valgrind --tool=callgrind --callgrind-out-file="$out/$m.cg" \
		"$W" -C "$dir" build --all --force -q 2>&1 >/dev/null | sed -n 's/.*Collected : //p')
	pages=$(callgrind_annotate --inclusive=yes "$out/$m.cg" 2>/dev/null |
		sed -n 's/^ *\([0-9,]*\) .*topic_pages.c:topics_build .*/\1/p' | head -1 | tr -d ,)
	/usr/bin/time -o "$out/time" -f %M "$W" -C "$dir" build --all --force -q >/dev/null 2>&1
	awk -v m="$m" -v t="$total" -v p="$pages" -v k="$(cat "$out/time")" \
		'BEGIN { printf "%8d %12.1f M %12.1f M %6.1f MB\n", m, t / 1e6, p / 1e6, k / 1024 }'
done
