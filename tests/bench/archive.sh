#!/bin/bash
# The whole archive: `weekly build --all` against the floor program and Hugo
# on archives of 1,000 and 5,000 issues made from the example issues
# (tests/bench/gen-archive), each tool building from nothing into an empty
# folder; then weekly's rebuild when nothing changed. Wall-time medians from
# hyperfine, peak memory (max RSS) from /usr/bin/time.
#
# Outputs of earlier runs are moved aside, not deleted, until the end: on
# ext4 without a journal (as here) the kernel skips inodes deleted in the
# last five minutes when it makes a file, so deleting thousands of files
# before each run would make the next run's file creation slower and
# slower, more so for whoever writes more files. A clean checkout in CI
# has no such files. For the same reason archives and sites once made are
# kept for later runs; measure on such a disk when nothing was deleted from
# it in the last five minutes, or with BENCH_DIR on a tmpfs.
# usage: tests/bench/archive.sh [N...]   (default: 1000 5000; WEEKLY=path to
# measure another build of weekly; BENCH_DIR=folder for the archives
# (tests/bench/archive-at) and outputs, by default .obj/bench)
set -e
cd "$(dirname "$0")/../.."
W=${WEEKLY:-./weekly}
export BENCH_DIR=${BENCH_DIR:-.obj/bench}
out=$BENCH_DIR/archive
mkdir -p "$out/trash"
out=$(realpath "$out")
trash=$out/trash
# aside DIR: move DIR (if any) into the trash, under a new name
aside='f() { [ ! -e "$1" ] || mv "$1" "$0/$(date +%s%N)"; }; f'
trap 'rm -rf "$trash"' EXIT
cc -O2 -o .obj/bench/floor tests/bench/floor.c $(pkg-config --cflags --libs libcmark-gfm yaml-0.1)
sizes=("$@")
[ ${#sizes[@]} = 0 ] && sizes=(1000 5000)

# The same issues as a Hugo site: content/posts/NNN.md, a minimal theme of
# three layouts (page, list, home), an RSS feed of the newest 20.
hugo_site() {
	local src=$1 site=$2
	mkdir -p "$site/content/posts" "$site/layouts/_default"
	[ -f "$site/content/posts/001.md" ] || cp "$src"/issues/[0-9]*.md "$site/content/posts/"
	# buildFuture: the generated issues run weekly far past today, and Hugo
	# leaves out pages dated in the future unless told otherwise.
	cat >"$site/hugo.toml" <<'EOF'
baseURL = "https://weekly.example/"
title = "Python Trending Weekly"
buildFuture = true
disableKinds = ["taxonomy", "term", "sitemap", "robotsTXT", "404"]
[services.rss]
limit = 20
EOF
	cat >"$site/layouts/_default/single.html" <<'EOF'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>{{ .Site.Title }} #{{ .Params.number }}</title></head>
<body><main><h1>{{ .Site.Title }} #{{ .Params.number }} ({{ .Date.Format "2006-01-02" }})</h1>
{{ .Content }}
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">previous</a>{{ end }} {{ with .NextInSection }}<a href="{{ .RelPermalink }}">next</a>{{ end }}</nav>
</main></body></html>
EOF
	cat >"$site/layouts/_default/list.html" <<'EOF'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><ol>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">#{{ .Params.number }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}</ol></body></html>
EOF
	cp "$site/layouts/_default/list.html" "$site/layouts/index.html"
	sed -i 's/range .Pages/range .Site.RegularPages/' "$site/layouts/index.html"
}

# peak NAME PREPARE CMD...: peak memory (max RSS) of CMD, median of three
# runs, in MB; PREPARE (a shell command) runs before each, outside the
# measurement.
peak() {
	local name=$1 prep=$2; shift 2
	for i in 1 2 3; do
		eval "$prep"
		/usr/bin/time -f %M -o "$out/rss" "$@" >/dev/null 2>&1 || true
		cat "$out/rss"
	done | sort -n | sed -n 2p | awk -v n="$name" '{ printf "%-30s peak memory %7.1f MB\n", n, $1 / 1024 }'
}

for n in "${sizes[@]}"; do
	dir=$(tests/bench/archive-at "$n")
	hugo_site "$dir" "$out/hugo-$n"
	echo "== $n issues"
	# the floor's time varies from run to run: more runs where they are short
	runs=$((n <= 1000 ? 30 : 10))
	hyperfine -N --warmup 1 --runs $runs --export-json "$out/all-$n.json" \
		--prepare "bash -c '$aside $dir/build' $trash" -n "weekly build --all" "$W -C $dir build --all" \
		--prepare "bash -c '$aside $dir/build' $trash" -n "weekly build --all -f html" "$W -C $dir build --all -f html" \
		--prepare "bash -c '$aside $out/floor-$n; mkdir $out/floor-$n' $trash" -n "floor" \
		"bash -c 'cd $dir/issues && exec $PWD/.obj/bench/floor $out/floor-$n newsletter.yaml [0-9]*.md'" \
		--prepare "bash -c '$aside $out/hugo-out-$n' $trash" -n "hugo" \
		"hugo --quiet -s $out/hugo-$n -d $out/hugo-out-$n"
	"$W" -C "$dir" build --all >/dev/null 2>&1
	hyperfine -N --warmup 3 --runs 30 --export-json "$out/noop-$n.json" \
		-n "weekly build --all, no change" "$W -C $dir build --all"
	python3 tests/bench/medians.py "$out/all-$n.json" "$out/noop-$n.json"
	peak "weekly build --all" "bash -c '$aside $dir/build' $trash" "$W" -C "$dir" build --all
	peak "weekly build --all -f html" "bash -c '$aside $dir/build' $trash" "$W" -C "$dir" build --all -f html
	peak "floor" "bash -c '$aside $out/floor-$n; mkdir $out/floor-$n' $trash" \
		.obj/bench/floor "$out/floor-$n" "$dir/issues/newsletter.yaml" "$dir"/issues/[0-9]*.md
	peak "hugo" "bash -c '$aside $out/hugo-out-$n' $trash" hugo --quiet -s "$out/hugo-$n" -d "$out/hugo-out-$n"
	peak "weekly build --all, no change" ":" "$W" -C "$dir" build --all
done
