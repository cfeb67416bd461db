#!/bin/bash
# What the archive's parts cost: `weekly build --all` from nothing on an
# archive of N issues (tests/bench/archive-at, default 5,000) without search,
# topics and seasons, with each of them alone, and with all three, side by
# side, one run of each in turn (tests/bench/sidebyside: wall-time
# medians, and the ratio of each to the build without them; every run's
# time), then the processor time of each
# (user + system, workers included, medians of the same runs). The variants
# share the archive's issue files (hard links) and differ in their settings
# only. With OLD=another build of weekly, the builds without and with all
# three of both programs run side by side instead, each program's ratio its
# own. With --instructions, callgrind counts the instructions of each
# variant instead (every process of the build, workers included: exact on
# a busy machine; of OLD too when it is given).
# usage: tests/bench/parts.sh [--instructions] [N]   (WEEKLY=path to
# measure another build; OLD=path; BENCH_DIR=folder for archives and
# outputs, by default .obj/bench; RUNS)
set -e
cd "$(dirname "$0")/../.."
W=$(realpath "${WEEKLY:-./weekly}")
O=${OLD:+$(realpath "$OLD")}
count=
[ "$1" = --instructions ] && count=1 && shift
export BENCH_DIR=${BENCH_DIR:-.obj/bench}
n=${1:-5000}
runs=${RUNS:-10}
src=$(tests/bench/archive-at "$n")
out=$(realpath "$BENCH_DIR")/parts-$n
mkdir -p "$out"

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

# instructions PROGRAM VARIANT: callgrind's count of its build from
# nothing, all processes summed. A forked worker starts with the counts
# of the process it was forked from: each process's counts are dumped and
# zeroed before it forks, so that none is counted twice.
instructions() {
	local dir=$out/$2 cg=$out/cg
	rm -rf "$dir/build" "$cg" && mkdir -p "$cg"
	valgrind --tool=callgrind --trace-children=yes --dump-before='*fork' \
		--callgrind-out-file="$cg/%p" \
		"$1" -C "$dir" build --all -q >/dev/null 2>&1
	cat "$cg"/* | sed -n 's/^summary: //p' | awk '{ s += $1 } END { printf "%.0f\n", s }'
}
if [ -n "$count" ]; then
	WEEKLY_EXTRA_PKGS=valgrind .ci/deps
	progs=(new) && [ -n "$O" ] && progs=(old new)
	printf '%-10s %-5s %16s %8s\n' settings of instructions ratio
	for p in "${progs[@]}"; do
		bin=$W && [ "$p" = old ] && bin=$O
		for v in "${names[@]}"; do
			c=$(instructions "$bin" "$v")
			[ "$v" = none ] && base=$c
			printf '%-10s %-5s %16d %7.2fx\n' "$v" "$p" "$c" \
				"$(python3 -c "print($c / $base)")"
		done
	done
	exit 0
fi

runs_of=("new:$W")
[ -n "$O" ] && runs_of=("old:$O" "new:$W") && names=(none all)
args=()
for r in "${runs_of[@]}"; do
	for v in "${names[@]}"; do
		n=$v && [ -n "$O" ] && n=${r%%:*}-$v
		# the last run's outputs removed, not kept aside: the outputs of
		# forty runs fill the memory of a tmpfs and slow every run after
		args+=(--prepare "rm -rf $out/$v/build"
		       -n "$n" "${r#*:} -C $out/$v build --all -q")
	done
done
tests/bench/sidebyside --warmup 1 --runs "$runs" --export-json "$out/parts.json" "${args[@]}"
python3 - "$out/parts.json" <<'EOF'
import json, statistics, sys
rs = json.load(open(sys.argv[1]))["results"]
med = {r["command"]: statistics.median(r["times"]) for r in rs}
cpu = {r["command"]: statistics.median([u + s for u, s in zip(r["user"], r["system"])])
       for r in rs}
print("every run, seconds:")
for r in rs:
    print("  %-10s %s" % (r["command"], " ".join("%.2f" % t for t in r["times"])))
print("%-10s %10s %8s %10s %8s" % ("settings", "wall ms", "ratio", "cpu ms", "ratio"))
for name in med:
    base = name.rsplit("-", 1)[0] + "-none" if "-" in name else "none"
    print("%-10s %10.1f %7.2fx %10.1f %7.2fx" % (name, med[name] * 1e3, med[name] / med[base],
                                                   cpu[name] * 1e3, cpu[name] / cpu[base]))
EOF
