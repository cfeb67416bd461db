#!/bin/bash
# What the archive's parts cost: `weekly build --all` from nothing on an
# archive of N issues (tests/bench/archive-at, default 5,000) without search,
# topics and seasons, with each of them alone, and with all three, side by
# side in one hyperfine run (wall-time medians, and the ratio of each to the
# build without them), then the processor time of each (user + system,
# workers included, medians of the same runs). The variants share the
# archive's issue files (hard links) and differ in their settings only.
# usage: tests/bench/parts.sh [N]   (WEEKLY=path to measure another build;
# BENCH_DIR=folder for archives and outputs, by default .obj/bench; RUNS)
set -e
cd "$(dirname "$0")/../.."
W=$(realpath "${WEEKLY:-./weekly}")
export BENCH_DIR=${BENCH_DIR:-.obj/bench}
n=${1:-5000}
runs=${RUNS:-10}
src=$(tests/bench/archive-at "$n")
out=$(realpath "$BENCH_DIR")/parts-$n
mkdir -p "$out/trash"
trap 'rm -rf "$out/trash"' EXIT

# variant NAME SETTINGS...: the archive with the settings' topics taken out
# and SETTINGS (YAML lines) added.
variant() {
	local name=$1 dir=$out/$1
	shift
	rm -rf "$dir/issues" "$dir/templates"
	mkdir -p "$dir/issues"
	cp -l "$src"/issues/[0-9]*.md "$dir/issues/"
	cp -r "$src/templates" "$dir/"
	sed '/^topics:/,$d' "$src/issues/newsletter.yaml" >"$dir/issues/newsletter.yaml"
	printf '%s\n' "$@" >>"$dir/issues/newsletter.yaml"
}
topics=$(sed -n '/^topics:/,$p' "$src/issues/newsletter.yaml")
variant none
variant search "search: true"
variant topics "$topics"
variant seasons "seasons: {size: 30}"
variant all "search: true" "seasons: {size: 30}" "$topics"

names=(none search topics seasons all)
args=()
for v in "${names[@]}"; do
	args+=(--prepare "bash -c 'mv $out/$v/build $out/trash/\$(date +%s%N) 2>/dev/null || true'"
	       -n "$v" "$W -C $out/$v build --all -q")
done
hyperfine -N --warmup 1 --runs "$runs" --export-json "$out/parts.json" "${args[@]}" >&2
python3 - "$out/parts.json" <<'EOF'
import json, statistics, sys
rs = json.load(open(sys.argv[1]))["results"]
med = {r["command"]: statistics.median(r["times"]) for r in rs}
cpu = {r["command"]: statistics.median([u + s for u, s in zip(r["user"], r["system"])])
       if "user" in r and isinstance(r["user"], list) else r["user"] + r["system"] for r in rs}
base, basecpu = med["none"], cpu["none"]
print("%-10s %10s %8s %10s %8s" % ("settings", "wall ms", "ratio", "cpu ms", "ratio"))
for name in ["none", "search", "topics", "seasons", "all"]:
    print("%-10s %10.1f %7.2fx %10.1f %7.2fx" % (name, med[name] * 1e3, med[name] / base,
                                                   cpu[name] * 1e3, cpu[name] / basecpu))
EOF
