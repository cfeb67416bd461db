#!/bin/bash
# A newsletter's published archive through `weekly import`, as a newcomer
# migrating it would: every file imported alone into a fresh copy of an
# example (the English one for docs/en, the Chinese one for docs), then
# the whole folder in one run. For each file alone: written clean, written
# with errors to fix, or refused; whether its source has fewer item lines
# than the published text shows (1. / 1、 / ①, outside code: it never
# should); whether the source builds back byte for byte. Then the summary
# line of the run over the folder. FIRST=N (25 by default) also counts the
# issues numbered 1 to N built back byte for byte (the first era).
# usage: tests/bench/import-archive.sh ARCHIVE [en|zh]...
#   ARCHIVE: a clone of the archive, or its git directory (docs/*.md Chinese,
#   docs/en/*.md English); WEEKLY=path to measure another build.
cd "$(dirname "$0")/../.." || exit 3
W=$(realpath "${WEEKLY:-./weekly}")
archive=${1:?usage: tests/bench/import-archive.sh ARCHIVE [en|zh]...}
shift
tmp=$(mktemp -d "${TMPDIR:-/tmp}/weekly-import-archive.XXXXXX") || exit 3
trap 'rm -rf "$tmp"' EXIT
if [ -d "$archive/docs" ]; then
	docs=$(realpath "$archive/docs")
else
	git -C "$archive" archive HEAD docs | tar -x -C "$tmp" || exit 3
	docs=$tmp/docs
fi

# fresh LANG: a new folder holding that example's settings and templates.
fresh() {
	local d src=.; d=$(mktemp -d "$tmp/n.XXXXXX"); mkdir "$d/issues"
	[ "$1" = zh ] && src=examples/python-weekly-zh
	cp "$src/issues/newsletter.yaml" "$d/issues/"; cp -r "$src/templates" "$d/"; echo "$d"
}
# items FILE: the lines of FILE that start like an item, outside code.
items() { awk '/^```/ { c = !c } !c && /^([0-9]+[.、]|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳] )/' "$1" | wc -l; }

langs=("$@")
[ $# -gt 0 ] || langs=(en zh)
for lang in "${langs[@]}"; do
	dir=$docs; [ "$lang" = en ] && dir=$docs/en
	files=0 clean=0 errors=0 refused=0 smaller=0 exact=0 early=0 early_exact=0
	for f in "$dir"/*.md; do
		files=$((files + 1))
		d=$(fresh "$lang")
		"$W" -C "$d" import "$f" -o "$d/issues/new.md" >/dev/null 2>"$d/err"; rc=$?
		if [ ! -s "$d/issues/new.md" ]; then
			refused=$((refused + 1))
			echo "  refused $(basename "$f"): $(grep -a -m 1 ' error: ' "$d/err" | sed 's/.* error: //')"
			rm -rf "$d"; continue
		fi
		[ "$rc" = 0 ] && clean=$((clean + 1)) || errors=$((errors + 1))
		n=$(sed -n 's/^number: //p' "$d/issues/new.md" | head -n 1)
		mv "$d/issues/new.md" "$d/issues/$(printf %03d "$n").md"
		if [ "$(items "$d/issues/$(printf %03d "$n").md")" -lt "$(items "$f")" ]; then
			smaller=$((smaller + 1)); echo "  fewer item lines in the source: $(basename "$f")"
		fi
		same=0
		"$W" -C "$d" build "$n" -f md -o - 2>/dev/null | cmp -s - "$f" && same=1
		exact=$((exact + same))
		if [ "$n" -le "${FIRST:-25}" ]; then
			early=$((early + 1)) early_exact=$((early_exact + same))
		fi
		rm -rf "$d"
	done
	echo "$lang: $files files alone: written clean $clean, with errors to fix $errors," \
		"refused $refused; fewer item lines $smaller; built back byte for byte $exact" \
		"(issues 1 to ${FIRST:-25}: $early_exact of $early)"
	d=$(fresh "$lang")
	"$W" -C "$d" import "$dir" >/dev/null 2>"$d/err"
	echo "$lang: the folder in one run: $(grep -a '^imported ' "$d/err" |
		grep -o -E '^imported [0-9]+|[0-9]+ written with errors to fix|refused [0-9]+' | paste -sd , | sed 's/,/, /g')," \
		"$(ls "$d/issues" | grep -c '\.md$') sources written"
done
