#!/bin/bash
# The published issues of ../shared/reference (English, Chinese, every era)
# read as sources: every item the editor wrote is an item, and no line of
# them is taken for a slip.
cd "$(dirname "$0")/.." && . tests/lib.sh
W=${WEEKLY:-$PWD/weekly} SHARED=${SHARED:-../shared}
use_tmp reference
if [ ! -d "$SHARED/reference" ]; then
	echo "skipped: the published issues ($SHARED/reference not found)"
	finish; exit
fi
mkdir -p "$tmp/n/issues"
cp tests/reference/newsletter.yaml "$tmp/n/issues/"
n=0
for pub in "$SHARED"/reference/*.md "$SHARED"/reference/eras/*.md; do
	n=$((n + 1)); name=${pub#"$SHARED"/reference/}
	src="$tmp/n/issues/$(printf %03d $n).md"
	# Its own front matter or title line gives way to a source's.
	{ printf -- '---\nnumber: %d\ndate: 2024-01-01\n---\n' $n
	  awk 'NR == 1 && /^---$/ { front = 1; next } front { front = !/^---$/; next }
	       NR == 1 && /^# / { next } { print }' "$pub"; } > "$src"
	want=$(grep -cE '^ {0,3}([0-9]+[.)、]|[-*+]) ?\[' "$src")
	got=$("$W" -C "$tmp/n" links $n --format tsv | awk -F'\t' '$4 == "item"' | wc -l)
	expect_text "$name: every item" "$want" "$got"
	"$W" -C "$tmp/n" check $n 2> "$tmp/err"
	grep -E '\[(item-link|section)\]' "$tmp/err" > "$tmp/slips"
	same "$name: no line taken for a slip" /dev/null "$tmp/slips"
done
finish
