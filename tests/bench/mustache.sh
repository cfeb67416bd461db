#!/bin/bash
# The template engine alone: a 1 MB template with 100,000 tags, and an
# issue-sized template, compiled once and rendered many times.
set -e
cd "$(dirname "$0")/../.."
objs=$(ls .obj/*.o | grep -v -e '/main\.o$' -e '/cmd_')
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude \
	$(pkg-config --cflags libcmark-gfm yaml-0.1) -o .obj/bench/mustache_bench \
	tests/bench/mustache_bench.c $objs $(pkg-config --libs libcmark-gfm yaml-0.1) -ldl -lm
.obj/bench/mustache_bench
