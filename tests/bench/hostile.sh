#!/bin/bash
# hostile.sh - the budget: every command finishes any input up to the file
# limit within 2 s and 256 MiB, or refuses it with an error. Each shape of
# tests/bench/hostile-gen (as big as the file limit allows), and templates
# that explode, go through every command in a newsletter of their own; each
# run prints its wall time, processor time, the peak memory of its whole
# process tree (tests/bench/peak), its exit status, whether it kept to the
# budget, and the first error it gave. A benchmark, not a test: times are
# of this machine, and a busy one shows more wall time than processor time.
#   tests/bench/hostile.sh [SHAPE...]     (make bench-hostile)
cd "$(dirname "$0")/../.." || exit 3
W=$PWD/weekly
SECONDS_MAX=${BUDGET_SECONDS:-2} MIB_MAX=${BUDGET_MIB:-256}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/weekly-hostile.XXXXXX") || exit 3
trap 'rm -rf "$tmp"' EXIT
unset GITHUB_ACTIONS
export NO_COLOR=1

# A newsletter with the example's settings and templates.
newsletter() {
	mkdir -p "$1/issues"
	cp issues/newsletter.yaml "$1/issues/"
	cp -r templates "$1/"
}

runs=0 over=0
# measure SHAPE DIR COMMAND...: one line of the table.
measure() {
	local shape=$1 dir=$2; shift 2
	read -r wall cpu mib rc < <(cd "$dir" && PEAK_OUT="$tmp/out" \
		"$OLDPWD/tests/bench/peak" --timeout 60 "$W" "$@")
	local verdict=ok
	if [ "$rc" = timeout ] || awk -v w="$cpu" -v m="$mib" -v s="$SECONDS_MAX" -v l="$MIB_MAX" \
		'BEGIN { exit !(w > s || m > l) }'; then
		verdict=OVER
		over=$((over + 1))
	fi
	runs=$((runs + 1))
	local why
	why=$(grep -a -m 1 -o 'error: .*' "$tmp/out" | cut -c 1-70)
	printf '%-22s %-24s %6s %6s %5s %4s  %-4s %s\n' "$shape" "$*" "$wall" "$cpu" "$mib" "$rc" \
		"$verdict" "$why"
}

header() {
	printf '%-22s %-24s %6s %6s %5s %4s  %-4s %s\n' shape command wall cpu MiB exit "" \
		"first error (budget: ${SECONDS_MAX} s of processor time, ${MIB_MAX} MiB)"
}

# Every command over one issue.
commands() {
	local shape=$1 dir=$2 n=$3
	measure "$shape" "$dir" check
	measure "$shape" "$dir" build "$n"
	for f in text email teaser; do
		measure "$shape" "$dir" build "$n" -f "$f" -o -
	done
	measure "$shape" "$dir" stats "$n"
}

header
tests/bench/hostile-gen "$tmp/gen" $((16 << 20)) "$@" || exit 3
while read -r num name; do
	d=$tmp/$name
	newsletter "$d"
	mv "$tmp/gen/issues/$num-$name.md" "$d/issues/"
	commands "$name" "$d" $((10#$num))
done <"$tmp/gen/shapes.txt"

if [ $# = 0 ]; then
	# Ten partials, each including the next ten times: ten billion copies.
	d=$tmp/partials
	newsletter "$d"
	cp issues/015.md "$d/issues/"
	for i in 0 1 2 3 4 5 6 7 8; do
		python3 -c "print('{{>p$((i + 1))}}' * 10, end='')" >"$d/templates/partials/p$i.mustache"
	done
	echo 'Ten billion lines.' >"$d/templates/partials/p9.mustache"
	printf '{{>p0}}\n' >>"$d/templates/issue.html.mustache"
	measure partial-explosion "$d" build 15
	# Sections over the issue's sections, nested 60 deep: 4^60 rounds.
	d=$tmp/sections
	newsletter "$d"
	cp issues/015.md "$d/issues/"
	python3 -c "print('{{#sections}}' * 60 + '{{/sections}}' * 60)" >>"$d/templates/issue.md.mustache"
	measure nested-sections "$d" build 15
	# The archive: the densest shapes that pass, built together by workers.
	d=$tmp/archive
	newsletter "$d"
	tests/bench/hostile-gen "$d" $((16 << 20)) dense-strikethrough dense-emphasis dense-table \
		dense-items dense-lines dense-nesting dense-links dense-text-nodes >/dev/null
	measure archive "$d" build --all -j 4
	# again, reading the state that keeps their 50,000 warnings
	measure archive-again "$d" build --all -j 4 --force
	measure archive "$d" check
fi
echo "$runs runs, $over over the budget"
