#!/bin/bash
# editor.sh - the editor's week: `weekly new`, `weekly stats`, the teaser,
# email and text formats, with exact outputs, diagnostics and exit statuses
# (`weekly import` has tests/import.sh).
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
W="${WEEKLY:-./weekly}" SHARED=${SHARED:-../shared}
G=tests/editor/golden
use_tmp editor
export NO_COLOR=1

# newsletter: a scratch newsletter holding the example's issues.
newsletter() { local d; d=$(scratch); cp issues/002.md issues/015.md "$d/issues/"; echo "$d"; }

# --- formats: teaser, email, text -------------------------------------------

run "teaser builds" 0 build 15 -f teaser -o -
same "teaser of issue 15" $G/015.teaser.md "$tmp/out"
grep -q ' $' "$tmp/out" && ko "teaser: a setting's own trailing space is not written" ||
	ok "teaser: a setting's own trailing space is not written"
# The published teaser, tidied as the teaser format always is: no line
# ending in spaces (it has one after "this issue:"), no runs of blank lines
# (it has two after each heading), none at the end.
tidy() { sed -E 's/[ \t]+$//' "$1" | awk 'NF { if (n && out) print ""; print; out = 1; n = 0; next } { n++ }'; }
if [ -f "$SHARED/reference/2026-07-18-weekly.md" ]; then
	d=$(newsletter)
	awk -v date=2026-07-18 -f tests/editor/teaser-source.awk \
		"$SHARED/reference/2026-07-18-weekly.md" > "$d/issues/159.md"
	run "the published teaser's issue builds" 0 -C "$d" build 159 -f teaser -o -
	tidy "$SHARED/reference/2026-07-18-weekly.md" > "$tmp/published"
	same "teaser in the published teaser's shape, tidied, byte for byte" \
		"$tmp/published" "$tmp/out"
	grep -qE ' $' "$SHARED/reference/2026-07-18-weekly.md" && ! grep -qE ' $' "$tmp/out" &&
		ok "teaser: the published trailing space is not written" ||
		ko "teaser: the published trailing space is not written"
	rm -rf "$d"
else
	skip "the published teaser" "$SHARED/reference not found"
fi
# counts NAME WANT: the counts line of issue 15's teaser in $d is WANT.
counts() {
	"$W" -C "$d" build 15 -f teaser -o - 2>/dev/null | sed -n 7p >"$tmp/counts"
	text "teaser counts: $1" "$2" "$tmp/counts"
}
d=$(newsletter)
sed -i '/^2\. \[viztracer/,$d' "$d/issues/015.md"
counts "one item takes the plural form one" "Shared 15 articles, 1 open-source project"
sed -i 's/^    noun: {one: open-source project, other: \(.*\)}$/    noun: \1/' "$d/issues/newsletter.yaml"
counts "a noun without forms is the same for every number" "Shared 15 articles, 1 open-source projects"
printf '    noun_one: open-source gem\n' > "$tmp/one"
sed -i "/^    noun: open-source projects$/r $tmp/one" "$d/issues/newsletter.yaml"
counts "noun_one still names one thing" "Shared 15 articles, 1 open-source gem"
sed -i '/noun/d' "$d/issues/newsletter.yaml"
counts "the id without a noun" "Shared 15 articles, 1 projects"
sed -i 's/^  - id: projects/&\n    noun_one: open-source project/' "$d/issues/newsletter.yaml"
counts "noun_one for a single item" "Shared 15 articles, 1 open-source project"
rm -rf "$d"

run "email builds" 0 build 15 -f email -o -
same "email of issue 15" $G/015.email.html "$tmp/out"
if grep -qiE '<(script|style|link|form|iframe)\b|class=|javascript:' "$tmp/out"; then
	ko "email: no scripts, style sheets, classes or forms"
else
	ok "email: no scripts, style sheets, classes or forms"
fi
imgs=$(grep -o '<img [^>]*>' "$tmp/out" | wc -l)
limited=$(grep -o '<img style="max-width:100%;height:auto;border:0" [^>]*>' "$tmp/out" | wc -l)
[ "$imgs" -gt 0 ] && [ "$imgs" = "$limited" ] && ok "email: every image width-limited ($imgs)" ||
	ko "email: every image width-limited" "$limited of $imgs"
untagged=$(sed -n '/<body/,$p' "$tmp/out" | grep -oE '<[a-z][a-z0-9]*( [^>]*)?>' | grep -v '^<br' | grep -vc 'style=')
[ "$untagged" = 0 ] && ok "email: every element of the body carries its style inline" ||
	ko "email: every element of the body carries its style inline" "$untagged without"

run "text builds" 0 build 15 -f text -o -
same "plain text of issue 15" $G/015.txt "$tmp/out"
if grep -qE '\]\(|\*\*|<[a-z]+[ >]' "$tmp/out"; then
	ko "text: no Markdown or HTML left"
else
	ok "text: no Markdown or HTML left"
fi
refs=$(grep -cE '^\[[0-9]+\] https?://' "$tmp/out")
cited=$(grep -v '^\[[0-9]*\] http' "$tmp/out" | grep -oE '\[[0-9]+\]' | sort -u | wc -l)
[ "$refs" = "$cited" ] && [ "$refs" -gt 30 ] && ok "text: every reference cited, every citation listed ($refs)" ||
	ko "text: every reference cited" "$refs listed, $cited cited"

d=$(newsletter)
run "build without -f" 0 -C "$d" build 15
text "build without -f writes Markdown and HTML only" "015.html
015.md" <(ls "$d/build")
run "build -f teaser, email and text" 0 -C "$d" build 15 -f teaser -f email -f text
text "each format to its own file" "015.email.html
015.html
015.md
015.teaser.md
015.txt" <(ls "$d/build")
same "build/015.txt is the text format" $G/015.txt "$d/build/015.txt"
rm -rf "$d"

# --- new ---------------------------------------------------------------------

d=$(newsletter)
run "new: next issue" 0 -C "$d" new
text "new: prints the path it created" "issues/016.md" "$tmp/out"
same "new: number, date a week later, a draft, the sections" $G/new-016.md "$d/issues/016.md"
text "new: says the next step" "next: write the items under its headings and run 'weekly check 16'; \
when it is ready, delete the line 'draft: true' and run 'weekly build --all'" "$tmp/err"
"$W" -C "$d" build --all > /dev/null 2>&1
[ -e "$d/build/016.md" ] && ko "new: a draft until the editor says otherwise" ||
	ok "new: a draft until the editor says otherwise"
run "new: again" 0 -C "$d" new
sed -n 2,3p "$d/issues/017.md" > "$tmp/got"
text "new: counts from the last issue" "number: 17
date: 2023-08-26" "$tmp/got"
run "new N: a week per issue after the issue before it" 0 -C "$d" new 3
sed -n 3p "$d/issues/003.md" > "$tmp/got"
text "new 3: dated from issue 2" "date: 2023-05-27" "$tmp/got"
run "new --date" 0 -C "$d" new 30 --date 2024-01-06
sed -n 2,3p "$d/issues/030.md" > "$tmp/got"
text "new --date sets the date" "number: 30
date: 2024-01-06" "$tmp/got"
cp "$d/issues/017.md" "$tmp/017.before"
run "new: an existing issue is refused" 1 -C "$d" new 17
text "new: says which file holds it" "weekly new: issue 17 already exists: 'issues/017.md'" "$tmp/err"
same "new: never overwrites" "$tmp/017.before" "$d/issues/017.md"
printf -- '---\nnumber: 31\ndate: 2024-01-13\n---\n' > "$d/issues/031-draft.md"
run "new: a number taken under another name is refused" 1 -C "$d" new 31
text "new: names that file" "weekly new: issue 31 already exists: 'issues/031-draft.md'" "$tmp/err"
run "new: a bad --date" 2 -C "$d" new --date 2023-02-30
head -n 1 "$tmp/err" > "$tmp/got"
text "new: says what is wrong with it" \
	"weekly new: --date takes a real date written YYYY-MM-DD, not '2023-02-30'" "$tmp/got"
run "new: two numbers" 2 -C "$d" new 40 41
run "new: not a number" 2 -C "$d" new x
printf -- '---\nnumber: 32\ndate: soon\n---\n' > "$d/issues/032.md"
run "new: no date to count from" 1 -C "$d" new
text "new: points at the date" \
	"issues/032.md:3:7: error: no date to count the new issue's from; give --date YYYY-MM-DD [front-matter]
    3 | date: soon
      |       ^" "$tmp/err"
run "new: --date makes up for it" 0 -C "$d" new --date 2024-01-27
text "new: numbered after the last" "issues/033.md" "$tmp/out"
rm "$d/templates/new.md.mustache"
run "new: a missing template" 1 -C "$d" new
text "new: names the template" "templates/new.md.mustache: error: cannot read \
'templates/new.md.mustache': No such file or directory [template]" "$tmp/err"
if [ -e "$d/issues/034.md" ]; then ko "new: nothing written without a template"; else ok "new: nothing written without a template"; fi
rm -rf "$d"
d=$(scratch)
run "new: a first issue" 0 -C "$d" new
sed -n 2,3p "$d/issues/001.md" > "$tmp/got"
text "new: a first issue is dated today" "number: 1
date: $(date +%F)" "$tmp/got"
rm -rf "$d"

# --- stats -------------------------------------------------------------------

run "stats: text" 0 stats 2 15
same "stats: the table" $G/stats.txt "$tmp/out"
quiet "stats: nothing on standard error"
run "stats: every issue by default" 0 stats
same "stats: every issue is issues 2 and 15" $G/stats.txt "$tmp/out"
run "stats --all" 0 stats --all
same "stats --all" $G/stats.txt "$tmp/out"
run "stats: tsv" 0 stats 2 15 --format tsv
same "stats: TSV" $G/stats.tsv "$tmp/out"
run "stats: json" 0 stats --format=json 2 15
same "stats: JSON" $G/stats.json "$tmp/out"
run "stats: one issue" 0 stats 15
same "stats: one issue, no total row" $G/stats-15.txt "$tmp/out"
run "stats: a missing issue" 1 stats 2 99
text "stats: says which" "weekly: no issue 99 in ./issues" "$tmp/err"
run "stats: unknown format" 2 stats --format xml
d=$(newsletter)
cp tests/build/bad/unknown-section.md "$d/issues/007.md"
run "stats: an issue with errors is left out" 1 -C "$d" stats
grep -c '' "$tmp/out" > "$tmp/got"
text "stats: the others are counted" "4" "$tmp/got"
grep -q "^issues/007.md:.*error: unknown section" "$tmp/err" && ok "stats: the error is reported" ||
	ko "stats: the error is reported" "$(cat "$tmp/err")"
rm -rf "$d"

finish
