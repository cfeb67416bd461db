#!/bin/bash
# One issue, both formats: weekly against a floor program (parse with libyaml
# and cmark-gfm, write the page, nothing else) and pandoc.
set -e
cd "$(dirname "$0")/../.."
out=.obj/bench/build; mkdir -p "$out"
cc -O2 -o .obj/bench/floor tests/bench/floor.c $(pkg-config --cflags --libs libcmark-gfm yaml-0.1)
./weekly build 15
hyperfine -N --warmup 20 --runs 300 --export-json "$out/build.json" \
	-n 'weekly build 15 (md+html)' './weekly build 15 --force' \
	-n floor ".obj/bench/floor $out issues/newsletter.yaml issues/015.md" \
	-n 'weekly --version (start-up)' './weekly --version'
hyperfine --warmup 3 --runs 20 -n pandoc "pandoc -s --metadata title=15 -f gfm -t html issues/015.md -o $out/015.pandoc.html"
python3 tests/bench/medians.py "$out/build.json"
