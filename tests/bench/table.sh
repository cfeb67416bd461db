#!/bin/bash
# table.sh - the editor's commands as the archive grows: newsletters of 2,
# 1,000, 5,000 and 20,000 issues (tests/bench/archive-at: the 2-issue one
# is the repository's example, issues 2 and 15; the others come from
# tests/bench/gen-archive, made once and kept), and for each the median
# wall time and the mean processor time (user and system, workers
# included) and the peak memory (tests/bench/peak, the whole process tree)
# of
#   build 15 --force    one issue, rendered again
#   check LAST          the newest issue, repeats against the archive
#   where URL           every place a link of the newest issue appears
#   stats 15            one issue's counts
#   build --all         from nothing (build/ moved aside), beside the floor
#                       program (tests/bench/floor.c: parse and write each
#                       page, nothing else, one process) and Hugo
#   build --all again   nothing changed
# printed as one table. The one-issue commands run 30 times each
# (hyperfine, the index warm) and once more for their peak memory; the
# whole archive 10 times at 2 and 1,000 issues, 3 times from 5,000 on
# (hyperfine, weekly and the floor side by side), and Hugo, which takes
# minutes and gigabytes from 5,000 issues on, 5 times up to 1,000 and once
# above, that one run giving its time and memory both. Compare within one
# run only: the machine may be shared and noisy (on a busy machine wall
# times grow, processor times much less).
#   tests/bench/table.sh                      (make bench)
#   BENCH_SIZES="2 1000" tests/bench/table.sh a smaller set
#   BENCH_DIR=/dev/shm/bench                  archives and outputs on a tmpfs
#                                             (default .obj/bench)
#   WEEKLY=path                               another build of weekly
set -e
cd "$(dirname "$0")/../.."
W=$(realpath "${WEEKLY:-./weekly}")
sizes=(${BENCH_SIZES:-2 1000 5000 20000})
export BENCH_DIR=${BENCH_DIR:-.obj/bench}
out=$BENCH_DIR/table
mkdir -p "$out/trash"
out=$(realpath "$out")
trash=$out/trash
trap 'rm -rf "$trash"' EXIT
floor=$out/floor
cc -O2 -o "$floor" tests/bench/floor.c $(pkg-config --cflags --libs libcmark-gfm yaml-0.1)
results=$out/results.tsv
: >"$results"
# Outputs of earlier runs are moved aside, not deleted, until the end (see
# tests/bench/archive.sh: ext4 makes files slowly after mass deletions).
aside='f() { [ ! -e "$1" ] || mv "$1" "$0/$(date +%s%N)"; }; f'

# The same issues as a Hugo site (tests/bench/archive.sh has the theme),
# made again when its archive was.
hugo_site() {
	local src=$1 site=$2
	if ! cmp -s "$src/.made" "$site/.made"; then
		rm -rf "$site"
		mkdir -p "$site/content/posts" "$site/layouts/_default"
		cp "$src"/issues/[0-9]*.md "$site/content/posts/"
		cp "$src/.made" "$site/"
	fi
	printf 'baseURL = "https://weekly.example/"\ntitle = "Weekly"\nbuildFuture = true\n%s\n' \
		'disableKinds = ["taxonomy", "term", "sitemap", "robotsTXT", "404"]' >"$site/hugo.toml"
	echo '<html><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>' \
		>"$site/layouts/_default/single.html"
	echo '<html><body><ol>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol></body></html>' \
		>"$site/layouts/_default/list.html"
	cp "$site/layouts/_default/list.html" "$site/layouts/index.html"
}

# peak PREPARE CMD...: "WALL CPU MIB" of one run of CMD (tests/bench/peak),
# PREPARE (a shell command) run first.
peak() {
	local prep=$1 wall cpu mib; shift
	eval "$prep"
	read -r wall cpu mib _ < <(tests/bench/peak --timeout 900 "$@")
	echo "$wall $cpu $mib"
}

# row N NAME PREPARE CMD...: the median wall and mean processor time of
# NAME in hyperfine's export $json, and the peak memory of one more run
# of CMD, into the results.
row() {
	local n=$1 name=$2 prep=$3 times mib; shift 3
	times=$(python3 -c 'import json,sys
for r in json.load(open(sys.argv[1]))["results"]:
    if r["command"] == sys.argv[2]: print("%s\t%s" % (r["median"], r["user"] + r["system"]))' \
		"$json" "$name")
	read -r _ _ mib < <(peak "$prep" "$@")
	printf '%s\t%s\t%s\t%s\n' "$name" "$n" "$times" "$mib" >>"$results"
}

for n in "${sizes[@]}"; do
	dir=$(tests/bench/archive-at "$n")
	last=$(ls "$dir/issues" | sed -n 's/^0*\([0-9][0-9]*\)\.md$/\1/p' | sort -n | tail -1)
	lastfile=$(printf '%s/issues/%03d.md' "$dir" "$last")
	url=$(sed -n 's/^[0-9]*\. \[[^]]*\](\([^) ]*\)).*/\1/p' "$lastfile" | head -1)
	hugo_site "$dir" "$out/hugo-$n"
	echo "== $n issues (newest: $last; where $url)" >&2
	runs=$((n <= 1000 ? 10 : 3))
	json=$out/all-$n.json
	hyperfine -N --warmup $((n <= 1000 ? 1 : 0)) --runs "$runs" --export-json "$json" --style basic \
		--prepare "bash -c '$aside $dir/build' $trash" \
		-n "build --all" "$W -C $dir build --all -q" \
		--prepare "bash -c '$aside $out/floor-$n; mkdir $out/floor-$n' $trash" \
		-n "floor (all issues)" \
		"bash -c 'cd $dir/issues && exec $floor $out/floor-$n newsletter.yaml [0-9]*.md'" >&2
	row "$n" "build --all" "bash -c '$aside $dir/build' $trash" "$W" -C "$dir" build --all -q
	row "$n" "floor (all issues)" "bash -c '$aside $out/floor-$n; mkdir $out/floor-$n' $trash" \
		bash -c "cd $dir/issues && exec $floor $out/floor-$n newsletter.yaml [0-9]*.md"
	prep="bash -c '$aside $out/hugo-out-$n' $trash"
	hugo=(hugo --quiet -s "$out/hugo-$n" -d "$out/hugo-out-$n")
	if [ "$n" -le 1000 ]; then
		json=$out/hugo-$n.json
		hyperfine -N --runs 5 --export-json "$json" --style basic --prepare "$prep" \
			-n "hugo" "${hugo[*]}" >&2
		row "$n" "hugo" "$prep" "${hugo[@]}"
	else
		read -r wall cpu mib < <(peak "$prep" "${hugo[@]}")
		printf 'hugo\t%s\t%s\t%s\t%s\n' "$n" "$wall" "$cpu" "$mib" >>"$results"
	fi
	"$W" -C "$dir" build --all -q 2>/dev/null || true
	json=$out/one-$n.json
	hyperfine -N -i --warmup 3 --runs 30 --export-json "$json" --style basic \
		-n "build 15 --force" "$W -C $dir build 15 --force -q" \
		-n "floor (one issue)" "$floor $out $dir/issues/newsletter.yaml $dir/issues/015.md" \
		-n "check LAST" "$W -C $dir check $last" \
		-n "where URL" "$W -C $dir where $url" \
		-n "stats 15" "$W -C $dir stats 15" \
		-n "build --all, no change" "$W -C $dir build --all -q" >&2
	row "$n" "build 15 --force" : "$W" -C "$dir" build 15 --force -q
	row "$n" "floor (one issue)" : "$floor" "$out" "$dir/issues/newsletter.yaml" "$dir/issues/015.md"
	row "$n" "check LAST" : "$W" -C "$dir" check "$last"
	row "$n" "where URL" : "$W" -C "$dir" where "$url"
	row "$n" "stats 15" : "$W" -C "$dir" stats 15
	row "$n" "build --all, no change" : "$W" -C "$dir" build --all -q
done
python3 tests/bench/table.py "$results"
