#!/bin/bash
# One issue costs one issue: `build N --force`, `build N`, `check LAST`
# (repeats against the whole archive), `where URL` and `stats N` on an
# archive of 2 issues and one of N (default 20,000), side by side, the
# archive index warm (each archive built and checked once first). Prints
# hyperfine's medians, the big archive's as a multiple of the small one's,
# and peak memory (max RSS) from /usr/bin/time.
# usage: tests/bench/index.sh [N]   (WEEKLY=another build of weekly;
# archives from tests/bench/archive-at, under BENCH_DIR, by default
# .obj/bench); or tests/bench/index.sh SMALL BIG, two newsletters' folders
# (such as tests/bench/real-archive makes)
set -e
cd "$(dirname "$0")/../.."
W=$(realpath "${WEEKLY:-./weekly}")
big=${1:-20000} given=()
if [ -d "$big" ]; then
	given=("$(realpath "$1")" "$(realpath "${2:?usage: tests/bench/index.sh [N | SMALL BIG]}")")
	big=$(ls "${given[1]}/issues" | grep -c '^[0-9].*\.md$')
fi
export BENCH_DIR=${BENCH_DIR:-.obj/bench}
out=$BENCH_DIR/index
mkdir -p "$out"
out=$(realpath "$out")
declare -A dir
# The newest issue, one in the middle, and a URL its second item features.
last() { ls "${dir[$1]}/issues" | grep '^[0-9]' | sort -n | tail -1 | sed 's/\.md$//; s/^0*//'; }
for n in 2 "$big"; do
	if [ ${#given[@]} -gt 0 ]; then
		dir[$n]=${given[0]} given=("${given[@]:1}")
	else
		dir[$n]=$(tests/bench/archive-at "$n")
	fi
	"$W" -C "${dir[$n]}" build --all -q 2>/dev/null || true
	"$W" -C "${dir[$n]}" check "$(last "$n")" >/dev/null 2>&1 || true
done
url() { grep -o '(https://[^)]*' "${dir[$1]}/issues/$(printf %03d "$2").md" | sed -n 2p | tr -d '('; }
small_last=$(last 2) big_last=$(last "$big")
small_mid=2 big_mid=$((big_last / 2))
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
row "build N --force" "-C ${dir[2]} build $small_mid --force -q" "-C ${dir[$big]} build $big_mid --force -q"
row "build N" "-C ${dir[2]} build $small_mid -q" "-C ${dir[$big]} build $big_mid -q"
row "check LAST" "-C ${dir[2]} check $small_last" "-C ${dir[$big]} check $big_last"
row "where URL" "-C ${dir[2]} where $(url 2 "$small_mid")" "-C ${dir[$big]} where $(url "$big" "$big_mid")"
row "stats N" "-C ${dir[2]} stats $small_mid" "-C ${dir[$big]} stats $big_mid"
