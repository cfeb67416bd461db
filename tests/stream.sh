#!/bin/bash
# stream.sh - pages written as they are rendered: an archive page many
# pieces long (tests/bench/gen-archive, 700 issues) is made one entry at a
# time and compared with the file there a piece at a time; a page that is
# the same is left alone, one that differs anywhere (a byte far in, cut
# short, one byte longer) is put back whole, --check lists it and writes
# nothing, and a page whose rendering fails leaves the old one in place.
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
W="${WEEKLY:-./weekly}"
use_tmp stream
export NO_COLOR=1
N=$tmp/n
tests/bench/gen-archive "$N" 700 --seed 3 >/dev/null || exit 3
P=$N/build/index.html

run "first build" 0 -C "$N" build --all -q
size=$(stat -c %s "$P")
[ "$size" -gt 200000 ] && ok "the archive page is many pieces long" ||
	ko "the archive page is many pieces long" "$size bytes"
expect_text "every issue listed once" 700 "$(grep -c '<li><a class="title"' "$P")"
expect_text "newest first" '#700 #1' \
	"$(grep -o '<li><a class="title" href="[0-9]*.html">#[0-9]*' "$P" | sed 's/.*>//' |
	   sed -n '1p;$p' | tr '\n' ' ' | sed 's/ $//')"
expect_text "years, each with its issues" "$(grep -o '^date: [0-9]*' "$N"/issues/*.md |
	sed 's/.*: //' | sort -u | wc -l)" "$(grep -c '<section aria-labelledby="y' "$P")"
expect_text "the page is whole" '</html>' "$(tail -n 1 "$P")"
cp "$P" "$tmp/page"
inode=$(stat -c %i "$P")

run "rebuilt by force" 0 -C "$N" build --all --force -v
grep -qx 'build/index.html' "$tmp/out" && ko "the same page is not written again" ||
	ok "the same page is not written again"
expect_text "the same file" "$inode" "$(stat -c %i "$P")"

# change PYTHON-EXPR: the page edited (a bytearray p), then built again by force.
change() {
	python3 -c "import sys; p = bytearray(open(sys.argv[1], 'rb').read()); $1; open(sys.argv[1], 'wb').write(p)" "$P"
}
for edit in "p[150000] ^= 1" "del p[100000:]" "p += b'x'" "p[-1] ^= 1" "p[0] ^= 1"; do
	change "$edit"
	run "page edited ($edit), --check" 1 -C "$N" build --all --force --check
	expect_text "page edited ($edit): listed" "build/index.html" \
		"$(grep -x 'build/index.html' "$tmp/out")"
	cmp -s "$P" "$tmp/page" && ko "page edited ($edit): --check writes nothing" ||
		ok "page edited ($edit): --check writes nothing"
	run "page edited ($edit), built" 0 -C "$N" build --all --force -v
	expect_text "page edited ($edit): written" "build/index.html" \
		"$(grep -x 'build/index.html' "$tmp/out")"
	same "page edited ($edit): put back whole" "$tmp/page" "$P"
done
run "no change after that" 0 -C "$N" build --all -v
expect_text "no change: nothing written" "" "$(cat "$tmp/out")"

# A template that fails part way (a partial it may not read) leaves the
# page as it was, and no temporary file behind.
change "p[150000] ^= 1"
cp "$P" "$tmp/edited"
sed -i 's|</ul>|{{>../x}}</ul>|' "$N/templates/index.html.mustache"
run "failing template" 1 -C "$N" build --all --force
grep -q "templates/index.html.mustache:.*error" "$tmp/err" && ok "failing template: said where" ||
	ko "failing template: said where" "$(head -n 3 "$tmp/err")"
same "failing template: the page left as it was" "$tmp/edited" "$P"
expect_text "failing template: no temporary file" "" \
	"$(find "$N/build" -maxdepth 1 -name '*.tmp*')"
finish
