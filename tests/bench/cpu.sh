#!/bin/bash
# cpu.sh - the processor work of `weekly build --all -f html` per issue
# beside the floor program, counted in instructions by callgrind (exact: a
# busy machine does not blur it): weekly in one process (-j 1), from
# nothing; the floor (tests/bench/floor.c); and the floor parsing the same
# Markdown dialect as weekly (floor --gfm: cmark-gfm's table,
# strikethrough, autolink and tagfilter extensions). Then where weekly's
# instructions go: each stage's inclusive count per issue, and as a
# multiple of the floor's whole count per issue. Last, the processor time
# (user and system) of the same three commands, each run RUNS times
# (default 20) in turn, one of each after the other, so that the machine's
# load weighs on all alike: the medians per issue, and weekly's as a
# multiple of each floor's.
# usage: tests/bench/cpu.sh [N]   (default 1000 issues, tests/bench/archive-at;
# WEEKLY=another build of weekly; BENCH_DIR as for archive-at; RUNS)
set -e
cd "$(dirname "$0")/../.."
WEEKLY_EXTRA_PKGS=valgrind .ci/deps
W=$(realpath "${WEEKLY:-./weekly}")
n=${1:-1000}
export BENCH_DIR=${BENCH_DIR:-.obj/bench}
out=$BENCH_DIR/cpu
mkdir -p "$out"
out=$(realpath "$out")
# its own copy of the archive (hard links: nothing here writes an issue),
# so that another benchmark building in the same archive cannot disturb it
archive=$(tests/bench/archive-at "$n")
dir=$out/newsletter
rm -rf "$dir"
mkdir -p "$dir"
cp -al "$archive/issues" "$dir/"
cp -r "$archive/templates" "$dir/"
floor=$out/floor
cc -O2 -g -o "$floor" tests/bench/floor.c $(pkg-config --cflags --libs libcmark-gfm yaml-0.1)

# count NAME CMD...: callgrind's instruction count of CMD, its profile kept
# in $out/NAME.cg.
count() {
	local name=$1; shift
	valgrind --tool=callgrind --callgrind-out-file="$out/$name.cg" "$@" 2>&1 >/dev/null |
		sed -n 's/.*Collected : //p'
}
rm -rf "$out/pages"
mkdir -p "$out/pages"
weekly=$(count weekly "$W" -C "$dir" build --all -f html -j 1 -q)
plain=$(cd "$dir/issues" && count floor "$floor" "$out/pages" newsletter.yaml [0-9]*.md)
gfm=$(cd "$dir/issues" && count floor-gfm "$floor" --gfm "$out/pages" newsletter.yaml [0-9]*.md)
python3 - "$n" "$weekly" "$plain" "$gfm" "$out/weekly.cg" <<'PY'
import re, subprocess, sys
n, weekly, plain, gfm = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f"instructions per issue at {n:,} issues (callgrind)")
for name, v in [("weekly build --all -f html -j 1", weekly), ("floor", plain),
                ("floor --gfm (weekly's dialect)", gfm)]:
    print(f"  {name:<36}{v / n / 1e6:8.3f} M  {weekly / v:5.2f}x" if v != weekly
          else f"  {name:<36}{v / n / 1e6:8.3f} M")
# Inclusive counts of weekly's stages; a function called inside another
# stage is listed under it (indented) and counted in it.
STAGES = [
    ("read and parse the issues (issue.c)", "issue.c:parse", 0),
    ("cmark-gfm parse", "cmark_parser_feed|cmark_parser_finish", 1),
    ("cmark-gfm HTML of each block", "cmark_render_html_with_mem", 1),
    ("Markdown limits pre-check", "markdown_over", 1),
    ("front matter (libyaml)", "yaml_load", 1),
    ("checks (validate.c)", "validate_issue", 0),
    ("context for templates", "render_context_with", 0),
    ("templates (mustache)", "tmpl_render", 0),
    ("topics of each item (topics.c)", "topics_lines", 0),
    ("archive index: open", "archive_open_some", 0),
    ("archive index: save", "archive_save", 0),
    ("output digests", "digest_bytes", 0),
    ("the archive's pages: index, feeds, topics", "build_pages", 0),
    ("feeds (the entries the jobs packed)", "build_feeds", 1),
    ("topic pages (the lines the jobs handed)", "topics_build", 1),
    ("freeing issues and contexts", "issue_free|value_free", 0),
]
text = subprocess.run(["callgrind_annotate", "--inclusive=yes", sys.argv[5]],
                      capture_output=True, text=True).stdout
incl = {}
for line in text.splitlines():
    m = re.match(r"\s*([\d,]+) \([^)]*\)\s+(?:\S*/)?([\w.?]+:[\w.]+)(?: \[|$)", line)
    if m:
        key = m.group(2).replace("???:", "")
        incl[key] = max(incl.get(key, 0), int(m.group(1).replace(",", "")))
print(f"where weekly's instructions go (inclusive, per issue; x = multiple of the floor --gfm)")
# a function inlined from a header is listed once more under that file:
# each function counts once, at its largest inclusive count
fn = {}
for k, c in incl.items():
    f = k.split(":")[-1]
    fn[f] = max(fn.get(f, 0), c)
for label, pat, depth in STAGES:
    v = (incl.get(pat, 0) if ":" in pat
         else sum(c for f, c in fn.items() if re.fullmatch(pat, f)))

    if v:
        print(f"  {'  ' * depth}{label:<{40 - 2 * depth}}{v / n / 1e6:8.3f} M  {v / gfm:5.2f}x")
PY

# The processor time of each, side by side (tests/bench/sidebyside): weekly
# from nothing each time.
files=$(cd "$dir/issues" && echo [0-9]*.md) side=$PWD/tests/bench/sidebyside
(cd "$dir/issues" && "$side" --runs "${RUNS:-20}" --export-json "$out/cpu.json" \
	--prepare "rm -rf $dir/build" -n weekly "$W -C $dir build --all -f html -j 1 -q" \
	-n floor "$floor $out/pages newsletter.yaml $files" \
	-n floor-gfm "$floor --gfm $out/pages newsletter.yaml $files" 2>/dev/null)
python3 - "$n" "${RUNS:-20}" "$out/cpu.json" <<'PY'
import json, statistics, sys
n, runs = int(sys.argv[1]), int(sys.argv[2])
rs = {r["command"]: r for r in json.load(open(sys.argv[3]))["results"]}
med = {k: statistics.median(u + s for u, s in zip(r["user"], r["system"])) for k, r in rs.items()}
labels = {"weekly": "weekly build --all -f html -j 1", "floor": "floor",
          "floor-gfm": "floor --gfm (weekly's dialect)"}
w = med["weekly"]
print(f"processor time per issue at {n:,} issues (user + system, median of {runs} runs side by side)")
for k, v in med.items():
    print(f"  {labels[k]:<36}{v / n * 1e6:8.1f} us" + (f"  {w / v:5.2f}x" if k != "weekly" else ""))
PY
