#!/bin/bash
# Diagnostics that teach: the source line and a caret under the column
# (tabs, wide and combining characters, control characters, long lines),
# summary lines of check and build, usage errors, `weekly help rules`.
cd "$(dirname "$0")/.." && . tests/lib.sh
W=${WEEKLY:-$PWD/weekly}
T=tests/diagnostics
use_tmp diagnostics
# A newsletter with the check tests' settings and no issues.
newsletter() {
	local d; d=$(mktemp -d "$tmp/news.XXXXXX")
	mkdir -p "$d/issues"
	cp tests/check/newsletter.yaml "$d/issues/"
	echo "$d"
}
# run NAME STATUS ARGS...: weekly ARGS, standard output and error kept.
run() {
	local name=$1 status=$2; shift 2
	"$W" "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
	expect_status "$name: exit status" "$status" "$rc"
}
# line 1|-1: the first or last line of the last standard error, in a file.
line() {
	if [ "$1" = 1 ]; then head -n 1 "$tmp/err"; else tail -n 1 "$tmp/err"; fi >"$tmp/line"
	echo "$tmp/line"
}

# --- the caret: counted as a terminal shows the line -------------------------
# CRLF line ends; Chinese (two columns each) and a tab; emoji with a
# variation selector, a combining accent and a right-to-left override
# (shown as '?', never sent to the terminal); a line too long to show whole.
d=$(newsletter)
long_x=$(printf 'x%.0s' $(seq 100)) long_y=$(printf 'y%.0s' $(seq 100))
printf -- '---\r\nnumber: 7\r\ndate: 2023-06-24\r\n---\r\n\r\n## Articles\r\n\r\n1. [A](https://a.example/a)\r\n\r\n古明地觉说\t看 [这](https://b.example/?utm_source=x)。\r\n\r\n🦄🐿️ é and e\xcc\x81 then \xe2\x80\xae[red](https://c.example/?utm_medium=y)\r\n\r\n## Projects\r\n\r\n- [A project](https://project.example/)\r\n\r\n  %s [far](https://d.example/?utm_source=z) %s\r\n' \
	"$long_x" "$long_y" >"$d/issues/007.md"
run "carets" 0 -C "$d" check 7
same "carets: under the column as shown" $T/carets.err "$tmp/err"
grep -q $'\u202e' "$tmp/err" && ko "carets: no override reaches the terminal" ||
	ok "carets: no override reaches the terminal"
run "carets, json" 0 -C "$d" check 7 --format json
grep -q ' | ' "$tmp/out" && ko "json: no source lines" || ok "json: no source lines"
run "carets, github" 0 -C "$d" check 7 --format github
expect_text "github: one line a diagnostic, no summary" "3" "$(wc -l <"$tmp/err")"
if command -v script >/dev/null; then
	script -qec "$W -C '$d' check 7" /dev/null >"$tmp/tty" 2>&1
	grep -q $'\033\\[1;32m^\033\\[0m' "$tmp/tty" && ok "colour: the caret in green" ||
		ko "colour: the caret in green"
else
	echo "skipped: colour on a terminal (no 'script' command)"
fi

# --- summaries: check on standard error, build unless -q -------------------------
d=$(newsletter)
cp tests/check/rules/tracking.md "$d/issues/007.md"
sed 's/^number: 7$/number: 8/' tests/check/rules/bad-date.md >"$d/issues/008.md"
run "check: summary" 1 -C "$d" check
text "check: the last line counts errors, warnings and issues" "1 error, 3 warnings in 2 issues" \
	"$(line -1)"
run "check 7: summary" 0 -C "$d" check 7
text "check 7: warnings only" "0 errors, 2 warnings in 1 issue" "$(line -1)"
run "check --format json: summary" 1 -C "$d" check --format json
same "check --format json: nothing on standard error" /dev/null "$tmp/err"
rm "$d/issues/008.md"
cp -r templates "$d/"
run "build: summary" 0 -C "$d" build 7
text "build: what it wrote" "built 1 issue, 2 files" "$(line -1)"
run "build again: summary" 0 -C "$d" build 7
text "build again: nothing written" "built 0 issues, 0 files" "$(line -1)"
run "build -q" 0 -C "$d" build 7 -q --force
grep -q '^built' "$tmp/err" && ko "build -q: no summary" || ok "build -q: no summary"
cp tests/check/rules/bad-date.md "$d/issues/008.md"
sed -i 's/^number: 7$/number: 8/' "$d/issues/008.md"
run "build with a failing issue" 1 -C "$d" build 7 8 --force
text "build: says how many failed" "built 0 issues, 0 files; 1 issue failed" "$(line -1)"
run "build --check: no summary" 1 -C "$d" build 8 --check
grep -q '^built' "$tmp/err" && ko "build --check: no summary" || ok "build --check: no summary"

# --- usage errors: one line and where to read more ----------------------------------
for c in "build --bogus" "build" "check --format xml" "stats --format pdf" "init" "links --bogus"; do
	name=${c%% *}
	run "usage: weekly $c" 2 $c
	expect_text "usage: weekly $c: two lines" 2 "$(wc -l <"$tmp/err")"
	text "usage: weekly $c: the hint" "see 'weekly help $name'" "$(line -1)"
done
run "usage: the reason first" 2 build --bogus
text "usage: the reason" "weekly build: unknown option '--bogus'" "$(line 1)"
run "usage: no command" 2
text "usage: no command, one line and the hint" "weekly: which command?
see 'weekly help'" "$tmp/err"
same "usage: no command, nothing on standard output" /dev/null "$tmp/out"
run "usage: unknown global option" 2 --bogus
text "usage: unknown global option" "weekly: unknown option '--bogus'
see 'weekly help'" "$tmp/err"

# --- weekly help rules: one table knows every rule ------------------------------------
run "help rules" 0 help rules
sed -n 's/^  \([a-z0-9-]*\) .*/\1/p' "$tmp/out" | sort >"$tmp/listed"
# every rule a diagnostic names anywhere in the tests' expected outputs, and
# every rule name the sources report under
{ grep -rhaE '^[^ ].*: (error|warning): ' tests --include='*.err' --include='*.human' \
	--include='*.out' | grep -oaE '\[[a-z0-9-]+\]$' | tr -d '[]'
  grep -rhoaE 'title=[a-z0-9-]+::' tests --include='*.github' | sed 's/title=//; s/:://'
  # the rule argument of diag_add calls (the sixth) and of issue.c's error (the fourth)
  perl -0777 -ne 'while (/\b(diag_add|error)\s*\(((?:[^;"]|"(?:[^"\\]|\\.)*")*)\)\s*;/g) {
	my $k = $1 eq "error" ? 3 : 5; my @a = ($2 =~ /("(?:[^"\\]|\\.)*"|[^,]+)/g);
	print "$1\n" if @a > $k && $a[$k] =~ /^\s*"([a-z0-9-]+)"\s*$/; }' src/*.c
  sed -n 's/^#define [A-Z_]*RULE "\([a-z0-9-]*\)"$/\1/p' src/*.c; } | sort -u >"$tmp/named"
missing=$(comm -13 "$tmp/listed" "$tmp/named" | tr '\n' ' ')
[ -z "$missing" ] && ok "help rules: every rule named in diagnostics is listed" ||
	ko "help rules: every rule named in diagnostics is listed" "missing: $missing"
[ "$(wc -l <"$tmp/listed")" -ge 25 ] && ok "help rules: the whole table" || ko "help rules: the whole table"
bad=""
while read -r r; do
	"$W" help rules "$r" >"$tmp/one" 2>&1 && grep -qx 'wrong:' "$tmp/one" && grep -qx 'right:' "$tmp/one" ||
		bad="$bad $r"
done <"$tmp/listed"
[ -z "$bad" ] && ok "help rules NAME: each with a wrong and a right example" ||
	ko "help rules NAME: each with a wrong and a right example" "$bad"
run "help rules item-link" 0 help rules item-link
same "help rules item-link: explained" $T/help-item-link.out "$tmp/out"
run "help rules, misspelt" 2 help rules tracknig
text "help rules, misspelt: did you mean" "weekly help: no rule 'tracknig'; did you mean 'tracking'?
see 'weekly help rules'" "$tmp/err"
run "help rules, unknown" 2 help rules zzzzzz
text "help rules, unknown: no guess" "weekly help: no rule 'zzzzzz'
see 'weekly help rules'" "$tmp/err"
run "help rules, two names" 2 help rules url alt
finish
