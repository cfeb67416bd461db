#!/bin/bash
# weekly check: each rule's failing input with its exact diagnostics, the
# output formats, colour, exit statuses, issue selection, and inputs built
# to break it (each within two seconds and bounded memory).
cd "$(dirname "$0")/.." && . tests/lib.sh
W=${WEEKLY:-$PWD/weekly}
use_tmp check

# A newsletter with the test settings and the two issues of tests/check/archive.
newsletter() {
	local d; d=$(mktemp -d "$tmp/news.XXXXXX")
	mkdir -p "$d/issues"
	cp tests/check/newsletter.yaml tests/check/archive/*.md "$d/issues/"
	echo "$d"
}
# as_issue SRC N DIR: the rule file SRC (issue 7) as issue N of DIR.
as_issue() { sed "s/^number: 7\$/number: $2/" "$1" > "$3/issues/$(printf %03d "$2").md"; }
# as_own_issue SRC N DIR: the same, its URLs made its own (rule files share
# some, which would otherwise count as featured before).
as_own_issue() { sed -e "s/^number: 7\$/number: $2/" -e "s|\.example/|.example/i$2/|g" "$1" \
	> "$3/issues/$(printf %03d "$2").md"; }
# renumbered ERR N: the expected diagnostics of a rule file seen as issue N.
renumbered() { sed "s|^issues/007\.md|issues/$(printf %03d "$2").md|" "$1"; }
# own_renumbered ERR N: the same for as_own_issue, whose lines quoted under
# the diagnostics have its own URLs.
own_renumbered() { renumbered "$1" "$2" | sed -E "/^ +[0-9]+ \| /s|\.example/|.example/i$2/|g"; }
# diags FILE...: the diagnostics of reports, without their summary lines.
diags() { grep -avE '^[0-9]+ errors?, [0-9]+ warnings? in [0-9]+ issues?$' "$@"; }
# first_line NAME EXPECTED FILE
first_line() {
	if [ "$(head -n 1 "$3")" = "$2" ]; then ok "$1"; else ko "$1" "got: $(head -n 1 "$3")"; fi
}

# --- one failing input per rule, with its exact diagnostics -----------------
d=$(newsletter)
for src in tests/check/rules/*.md; do
	name=$(basename "$src" .md)
	cp "$src" "$d/issues/007.md"
	$W -C "$d" check 7 2> "$tmp/err"; rc=$?
	same "rule $name" "${src%.md}.err" "$tmp/err"
	want=0; grep -q ': error: ' "${src%.md}.err" && want=1
	expect_status "rule $name exit status" $want $rc
done

# --- a note's tags say nothing of the link -----------------------------------
# With topics set, "tags: ..." at the end of a note is no part of what
# readers see: an item with only that has no description.
d=$(newsletter)
printf 'topics:\n  - id: rust\n    title: Rust\n' >>"$d/issues/newsletter.yaml"
printf -- '---\nnumber: 7\ndate: 2023-06-24\n---\n\n## Articles\n\n%s\n\n%s\n\n## Projects\n\n%s\n\nWhat it does.\n' \
	'1. [Tags only](https://t.example/) tags: rust' '2. [Said and tagged](https://s.example/): a fast parser tags: rust' \
	'- [A project](https://p.example/)' >"$d/issues/007.md"
$W -C "$d" check 7 2>&1 | grep -o "^issues/007.md:[0-9]*:[0-9]*: warning: .*\[description\]" >"$tmp/out"
text "tags only: no description" "issues/007.md:8:4: warning: item 'Tags only' has no description [description]" "$tmp/out"

# --- formats -------------------------------------------------------------------
d=$(newsletter)
as_issue tests/check/rules/duplicate-url.md 7 "$d"
as_issue tests/check/rules/featured.md 8 "$d"
$W -C "$d" check 7 8 --format json > "$tmp/out" 2> "$tmp/err"; rc=$?
same "json: one array on standard output" tests/check/formats/report.json "$tmp/out"
same "json: nothing on standard error" /dev/null "$tmp/err"
expect_status "json: exit status" 1 $rc
$W -C "$d" check 7 8 --format=json > "$tmp/out" 2>/dev/null
same "json: --format=json" tests/check/formats/report.json "$tmp/out"
$W -C "$d" check 7 8 --format github 2> "$tmp/out"
same "github: workflow commands" tests/check/formats/report.github "$tmp/out"
GITHUB_ACTIONS=true $W -C "$d" check 7 8 2> "$tmp/out"
same "github: the default when GITHUB_ACTIONS=true" tests/check/formats/report.github "$tmp/out"
GITHUB_ACTIONS=true $W -C "$d" check 7 8 --format human 2> "$tmp/out"
{ diags tests/check/rules/duplicate-url.err; renumbered tests/check/rules/featured.err 8 | diags
  echo "2 errors, 3 warnings in 2 issues"; } > "$tmp/want"
same "human: --format human wins over GITHUB_ACTIONS" "$tmp/want" "$tmp/out"
as_issue tests/check/rules/clean.md 7 "$d"
$W -C "$d" check 7 --format json > "$tmp/out"
printf '[]\n' > "$tmp/want"
same "json: a clean issue is an empty array" "$tmp/want" "$tmp/out"
bad_json=""
for src in tests/check/rules/*.md; do
	cp "$src" "$d/issues/007.md"
	$W -C "$d" check 7 --format json > "$tmp/out"
	python3 -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$tmp/out" \
		2>/dev/null || bad_json="$bad_json $(basename "$src")"
done
[ -z "$bad_json" ] && ok "json: every rule's report parses" || ko "json: every rule's report parses" "$bad_json"

# --- colour: on a terminal only, never with NO_COLOR -------------------------------
cp tests/check/rules/bad-date.md "$d/issues/007.md"
esc=$(printf '\033')
if command -v script >/dev/null; then
	script -qec "$W -C '$d' check 7" /dev/null > "$tmp/tty" 2>&1
	grep -q "${esc}\[1;31merror:" "$tmp/tty" && ok "colour on a terminal" || ko "colour on a terminal"
	NO_COLOR=1 script -qec "$W -C '$d' check 7" /dev/null > "$tmp/tty" 2>&1
	grep -q "$esc" "$tmp/tty" && ko "no colour with NO_COLOR" || ok "no colour with NO_COLOR"
	grep -q "error: 'date' must be a real date" "$tmp/tty" && ok "NO_COLOR: the report is there" ||
		ko "NO_COLOR: the report is there"
	script -qec "$W -C '$d' check 7 --format github" /dev/null > "$tmp/tty" 2>&1
	grep -q "$esc" "$tmp/tty" && ko "no colour in github format" || ok "no colour in github format"
else
	skip "colour on a terminal" "no 'script' command"
fi
$W -C "$d" check 7 2> "$tmp/err"
grep -q "$esc" "$tmp/err" && ko "no colour into a pipe" || ok "no colour into a pipe"

# --- which issues, exit statuses ---------------------------------------------
d=$(newsletter)
as_issue tests/check/rules/clean.md 7 "$d"
$W -C "$d" check 2> "$tmp/err"; rc=$?
expect_status "check: every issue, all clean" 0 $rc
same "check: a clean archive prints nothing" /dev/null "$tmp/err"
as_issue tests/check/rules/bad-date.md 7 "$d"
as_own_issue tests/check/rules/alt.md 8 "$d"
as_own_issue tests/check/rules/tracking.md 9 "$d"
{ diags tests/check/rules/bad-date.err; own_renumbered tests/check/rules/alt.err 8 | diags
  own_renumbered tests/check/rules/tracking.err 9 | diags; echo "1 error, 3 warnings in 5 issues"; } > "$tmp/want"
$W -C "$d" check 2> "$tmp/err"; rc=$?
same "check: every issue, every problem" "$tmp/want" "$tmp/err"
expect_status "check: errors exit 1" 1 $rc
$W -C "$d" check --all 2> "$tmp/err"
same "check --all" "$tmp/want" "$tmp/err"
$W -C "$d" check 8 --all 2> "$tmp/err"
same "check N --all: every issue" "$tmp/want" "$tmp/err"
{ own_renumbered tests/check/rules/alt.err 8 | diags; own_renumbered tests/check/rules/tracking.err 9 | diags
  echo "0 errors, 3 warnings in 2 issues"; } > "$tmp/want"
$W -C "$d" check 9 8 2> "$tmp/err"; rc=$?
same "check 9 8: those issues, in order" "$tmp/want" "$tmp/err"
expect_status "check: warnings only exit 0" 0 $rc
$W -C "$d" check 8 9 --strict 2>/dev/null; expect_status "check --strict: warnings exit 1" 1 $?
$W -C "$d" check 1 --strict 2>/dev/null; expect_status "check --strict: clean exits 0" 0 $?
own_renumbered tests/check/rules/tracking.err 9 > "$tmp/want"
$W -C "$d" check issues/009.md 2> "$tmp/err"
same "check FILE" "$tmp/want" "$tmp/err"
$W -C "$d" check 99 2> "$tmp/err"; rc=$?
expect_status "check: a missing issue exits 1" 1 $rc
first_line "check: a missing issue is named" "weekly: error: no issue 99 in 'issues'" "$tmp/err"
cp "$d/issues/008.md" "$d/issues/8.md"
$W -C "$d" check 8 2> "$tmp/err"
grep -qx "issues/8.md: error: issue 8 also has the file 'issues/008.md' \[file\]" "$tmp/err" &&
	ok "check: two files for one issue" || ko "check: two files for one issue" "$(cat "$tmp/err")"
rm "$d/issues/8.md"
mkdir "$d/issues/010.md"
$W -C "$d" check 10 2> "$tmp/err"; rc=$?
expect_status "check: an unreadable issue exits 3" 3 $rc
first_line "check: an unreadable issue is named" "issues/010.md: error: cannot read: Is a directory" "$tmp/err"
mkdir -p "$tmp/nowhere"
$W -C "$tmp/nowhere" check 2>/dev/null; expect_status "check: no newsletter exits 3" 3 $?
{ sed '/^check:/,$d' tests/check/newsletter.yaml
  printf 'check:\n  allow_repeats: https://sponsor.example/weekly\n  issue_keys: [a, [b]]\n'; } \
	> "$d/issues/newsletter.yaml"
$W -C "$d" check 1 2> "$tmp/err"; rc=$?
printf '%s\n' "issues/newsletter.yaml:26:18: error: 'check.allow_repeats' must be a list of URLs [settings]" \
	"   26 |   allow_repeats: https://sponsor.example/weekly" \
	"      |                  ^" \
	"issues/newsletter.yaml:27:15: error: 'check.issue_keys' must be a list of keys [settings]" \
	"   27 |   issue_keys: [a, [b]]" \
	"      |               ^" \
	"2 errors, 0 warnings in 1 issue" > "$tmp/want"
same "check: malformed check settings" "$tmp/want" "$tmp/err"
expect_status "check: malformed check settings exit 1" 1 $rc
printf 'name: No sections\n' > "$d/issues/newsletter.yaml"
$W -C "$d" check 2> "$tmp/err"; rc=$?
expect_status "check: unusable settings exit 1" 1 $rc
first_line "check: unusable settings are named" \
	"issues/newsletter.yaml:1:1: error: settings need a 'sections' list [settings]" "$tmp/err"

# --- many issues: worker processes report exactly what one process does -------
tests/bench/gen-archive "$tmp/many" 60
WEEKLY_WORKERS=1 $W -C "$tmp/many" check 2> "$tmp/one"; rc1=$?
WEEKLY_WORKERS=3 $W -C "$tmp/many" check 2> "$tmp/three"; rc3=$?
same "60 issues: three worker processes, the same report as one" "$tmp/one" "$tmp/three"
expect_status "60 issues: warnings only" 0 $rc3
expect_status "60 issues: warnings only, in one process" 0 $rc1
n=$(grep -c ' \[featured\]$' "$tmp/three")
[ "$n" -gt 0 ] && ok "60 issues: items repeated from earlier issues found" ||
	ko "60 issues: items repeated from earlier issues found"
WEEKLY_WORKERS=3 $W -C "$tmp/many" check 45 2> "$tmp/err"
grep '^issues/045\.md:' "$tmp/one" > "$tmp/want"
grep '^issues/' "$tmp/err" > "$tmp/got"
same "check 45: only issue 45 reported" "$tmp/want" "$tmp/got"
grep -q "^issues/045.md:8:4: warning: .* was already featured in issue 13 (issues/013.md:8) \[featured\]$" \
	"$tmp/err" && ok "check 45: earlier issues read for repeats" || ko "check 45: earlier issues read for repeats"

# --- usage: exit 2 with the reason first ---------------------------------------------
usage() { # NAME MESSAGE ARGS...
	local name=$1 msg=$2; shift 2
	$W -C "$d" check "$@" > "$tmp/out" 2> "$tmp/err"; local rc=$?
	expect_status "usage: $name exits 2" 2 $rc
	first_line "usage: $name" "weekly check: $msg" "$tmp/err"
}
usage "unknown option" "unknown option '--bogus'" --bogus
usage "unknown format" "unknown format 'xml' (human, json or github)" --format xml
usage "missing value" "option '--format' needs a value" --format
usage "not an issue" "'seven' is not an issue number or issue file" seven
usage "link option without --links" "--jobs, --per-host, --timeout, --max-age, --only-new, --meta and --wayback need --links" --jobs 4
usage "bad --jobs" "option '--jobs' needs a whole number from 1 to 1024" --links --jobs 0
usage "bad --timeout" "option '--timeout' needs a number" --links --timeout soon

# --- build runs the same rules ---------------------------------------------------
d=$(newsletter); cp -r templates "$d/"
as_issue tests/check/rules/duplicate-url.md 7 "$d"
$W -C "$d" build 7 -q 2> "$tmp/err"; rc=$?
diags tests/check/rules/duplicate-url.err > "$tmp/want"
same "build: the same diagnostics as check" "$tmp/want" "$tmp/err"
expect_status "build: errors exit 1" 1 $rc
[ -e "$d/build/007.md" ] || [ -e "$d/build/007.html" ] && ko "build: nothing written for an issue with errors" ||
	ok "build: nothing written for an issue with errors"
as_issue tests/check/rules/tracking.md 7 "$d"
$W -C "$d" build 7 -q 2> "$tmp/err"; rc=$?
diags tests/check/rules/tracking.err > "$tmp/want"
same "build: warnings as check prints them" "$tmp/want" "$tmp/err"
expect_status "build: warnings only exit 0" 0 $rc

# --- settings: keys nothing reads, with the key each may have meant ----------------
d=$(mktemp -d "$tmp/news.XXXXXX"); mkdir -p "$d/issues"
cp tests/check/settings-typos.yaml "$d/issues/newsletter.yaml"; cp -r templates "$d/"
$W -C "$d" check 2> "$tmp/err"; rc=$?
same "settings: unknown keys, did you mean" tests/check/settings-typos.err "$tmp/err"
expect_status "settings: unknown keys are warnings" 0 $rc
echo '{{newsletter.my_own_thing}}' >> "$d/templates/partials/footer.md.mustache"
$W -C "$d" check 2> "$tmp/err"
# the warning about my_own_thing and the two lines under it go, one warning less
awk "/'my_own_thing'/ { skip = 3 } skip { skip--; next } 1" tests/check/settings-typos.err |
	sed 's/^0 errors, 6 warnings$/0 errors, 5 warnings/' > "$tmp/want"
same "settings: a key a template reads is known" "$tmp/want" "$tmp/err"

# --- the archive as a whole: dates in order, files named by number --------------------
d=$(newsletter)
as_own_issue tests/check/rules/clean.md 7 "$d"
as_own_issue tests/check/rules/clean.md 8 "$d"
sed -i 's/^date: .*/date: 2023-06-17/' "$d/issues/008.md"
as_own_issue tests/check/rules/clean.md 40 "$d"
mv "$d/issues/040.md" "$d/issues/2024-03-09-weekly.md"
printf -- '---\ndate: 2024-03-16\n---\n' > "$d/issues/2024-03-16.md"
cat > "$tmp/want" <<'WANT'
issues/008.md:3:1: warning: issue 8 is dated 2023-06-17, before issue 7 (2023-06-24): the dates go backwards or the numbers are out of order [date-order]
    3 | date: 2023-06-17
      | ^
issues/2024-03-09-weekly.md:1:1: error: '2024-03-09-weekly.md' is named by a date and is not read: issue files are named by the issue's number; rename it 040.md (or 040-some-words.md) [file-name]
    1 | ---
      | ^
issues/2024-03-16.md:1:1: error: '2024-03-16.md' is named by a date and is not read: issue files are named by the issue's number; as 040.md (or 040-some-words.md) for issue 40 [file-name]
    1 | ---
      | ^
WANT
$W -C "$d" check 2> "$tmp/err"; rc=$?
{ cat "$tmp/want"; echo "2 errors, 1 warning in 4 issues"; } > "$tmp/want.check"
same "archive: dates backwards, files named by date" "$tmp/want.check" "$tmp/err"
expect_status "archive: a file named by date fails the check" 1 $rc
$W -C "$d" check 7 8 2> "$tmp/err"
same "archive: checked as a whole only when no issue is named" /dev/null "$tmp/err"
cp -r templates "$d/"
$W -C "$d" build --all -q 2> "$tmp/err"; rc=$?
same "archive: build --all says the same" "$tmp/want" "$tmp/err"
expect_status "archive: build --all fails on a file named by date" 1 $rc
[ -e "$d/build/index.html" ] && ko "archive: no archive page while an issue is not read" ||
	ok "archive: no archive page while an issue is not read"

# --- inputs built to break it: an answer, bounded memory --------------------------
# The 2 s budget is measured by `make bench-hostile`; here the time limit only
# catches a hang. Under the sanitizers (make check) everything runs several
# times slower and larger: the limits grow accordingly.
limit=20 max_mib=512
[ -n "$ASAN_OPTIONS$UBSAN_OPTIONS" ] && limit=60 max_mib=4096
# run_bounded DIR: check DIR's issues under `timeout $limit`; prints the exit
# status and the peak memory in MiB, the report goes to $tmp/err.
run_bounded() {
	python3 - "$W" "$1" "$tmp/err" "$limit" <<'EOF'
import resource, subprocess, sys
w, d, err, limit = sys.argv[1:]
with open(err, "wb") as f:
    rc = subprocess.run(["timeout", limit, w, "-C", d, "check"], stdout=subprocess.DEVNULL,
                        stderr=f).returncode
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
EOF
}
# bounded NAME STATUS LINES: the exit status, the report's line count (or,
# with tests/check/bad/NAME.err, its exact text), at most $max_mib MiB.
bounded() {
	local name=$1 want=$2 lines=$3 rc mib
	read -r rc mib < <(run_bounded "$tmp/bad/$name")
	expect_status "bad input $name: exit status within $limit s" "$want" "$rc"
	if [ -f "tests/check/bad/$name.err" ]; then
		same "bad input $name: report" "tests/check/bad/$name.err" "$tmp/err"
	else
		n=$(wc -l < "$tmp/err")
		[ "$n" = "$lines" ] && ok "bad input $name: $lines lines" || ko "bad input $name: $lines lines" "got $n"
	fi
	[ "$mib" -lt "$max_mib" ] && ok "bad input $name: under $max_mib MiB" ||
		ko "bad input $name: under $max_mib MiB" "$mib MiB"
}
tests/check/gen-bad "$tmp/bad" tests/check/newsletter.yaml
bounded empty 1
bounded garbage 1 199
grep -q "error: [0-9]* more lines with invalid UTF-8 \[utf8\]$" "$tmp/err" &&
	ok "bad input garbage: invalid UTF-8 summarised" || ko "bad input garbage: invalid UTF-8 summarised"
bounded big-file 1
bounded big-line 1
bounded long-line 0
bounded prose 0
bounded items 0
bounded bare-items 0 150001
bounded yaml-deep 1
bounded yaml-deep-block 1
bounded alias-bomb 1
bounded quotes 1
bounded quote-lines 1
bounded lists 1
bounded stray-items 1 604
bounded brackets 1
bounded emphasis 1
bounded headings 1 180001
finish
