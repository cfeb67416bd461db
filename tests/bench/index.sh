#!/bin/bash
# One issue costs one issue: `build N --force`, `build N`, `check LAST`
# (repeats against the whole archive), `where URL` and `stats N` on an
# archive of 2 issues and one of N (default 20,000), side by side, the
# archive index warm (each archive built and checked once first). Prints
# hyperfine's medians, the big archive's as a multiple of the small one's,
# and peak memory (max RSS) from /usr/bin/time.
# usage: tests/bench/index.sh [N]   (WEEKLY=another build of weekly;
# BENCH_DIR=folder for the archives, by default .obj/bench/index)
set -e
cd "$(dirname "$0")/../.."
W=$(realpath "${WEEKLY:-./weekly}")
big=${1:-20000}
out=${BENCH_DIR:-.obj/bench/index}
mkdir -p "$out"
out=$(realpath "$out")
# The newest issue, one in the middle, and a URL its second item features.
last() { ls "$out/a$1/issues" | grep '^[0-9]' | sort -n | tail -1 | sed 's/\.md$//; s/^0*//'; }
for n in 2 "$big"; do
	[ -d "$out/a$n" ] || tests/bench/gen-archive "$out/a$n" "$n" >/dev/null
	"$W" -C "$out/a$n" build --all -q 2>/dev/null || true
	"$W" -C "$out/a$n" check "$(last "$n")" >/dev/null 2>&1 || true
done
url() { grep -o '(https://[^)]*' "$out/a$1/issues/$(printf %03d "$2").md" | sed -n 2p | tr -d '('; }
small_last=$(last 2) big_last=$(last "$big")
small_mid=2 big_mid=$((big / 2))
printf '%-24s %12s %12s %8s %10s %10s\n' command "2 issues" "$big issues" ratio "MiB (2)" "MiB ($big)"
row() {
	local name=$1 small=$2 large=$3
	hyperfine -N -w 5 -r 40 --export-json "$out/h.json" -i "$W $small" "$W $large" >/dev/null 2>&1
	local m1 m2
	read -r m1 m2 < <(python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))["results"]
print(r[0]["median"] * 1000, r[1]["median"] * 1000)' "$out/h.json")
	local k1 k2
	/usr/bin/time -f %M -o "$out/mem" $W $small >/dev/null 2>&1 || true
	k1=$(tail -1 "$out/mem")
	/usr/bin/time -f %M -o "$out/mem" $W $large >/dev/null 2>&1 || true
	k2=$(tail -1 "$out/mem")
	printf '%-24s %9.2f ms %9.2f ms %7.2fx %10.1f %10.1f\n' "$name" "$m1" "$m2" \
		"$(python3 -c "print($m2 / $m1)")" "$(python3 -c "print($k1 / 1024)")" \
		"$(python3 -c "print($k2 / 1024)")"
}
row "build N --force" "-C $out/a2 build $small_mid --force -q" "-C $out/a$big build $big_mid --force -q"
row "build N" "-C $out/a2 build $small_mid -q" "-C $out/a$big build $big_mid -q"
row "check LAST" "-C $out/a2 check $small_last" "-C $out/a$big check $big_last"
row "where URL" "-C $out/a2 where $(url 2 "$small_mid")" "-C $out/a$big where $(url "$big" "$big_mid")"
row "stats N" "-C $out/a2 stats $small_mid" "-C $out/a$big stats $big_mid"
