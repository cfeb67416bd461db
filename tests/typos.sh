#!/bin/bash
# Did you mean: a misspelt command or option is refused (exit 2) with the
# closest one weekly knows, taken from the command table and each command's
# usage text.
cd "$(dirname "$0")/.." && . tests/lib.sh
W=${WEEKLY:-$PWD/weekly}
use_tmp typos

# typo NAME WANT ARGS...: exit status 2 and WANT as the first line on stderr.
typo() {
	local name=$1 want=$2; shift 2
	"$W" "$@" > "$tmp/out" 2> "$tmp/err"; rc=$?
	expect_status "$name: exit status" 2 $rc
	expect_text "$name" "$want" "$(head -n 1 "$tmp/err")"
}
typo "command" "weekly: 'biuld' is not a command; did you mean 'build'? see 'weekly help'" biuld
typo "command, letters swapped" "weekly: 'chekc' is not a command; did you mean 'check'? see 'weekly help'" chekc
typo "command far from any" "weekly: 'publish' is not a command; see 'weekly help'" publish
typo "global option" "weekly: unknown option '--verison'; did you mean '--version'?" --verison
typo "global option, one letter" "weekly: unknown option '-x'" -x check
typo "-C without its folder" "weekly: -C needs a folder" -C
typo "build option" "weekly build: unknown option '--foce'; did you mean '--force'?" build --foce
typo "check option" "weekly check: unknown option '--strct'; did you mean '--strict'?" check --strct
typo "option with a value" "weekly check: unknown option '--formt=json'; did you mean '--format'?" \
	check --formt=json
typo "check --links option" "weekly check: unknown option '--only-news'; did you mean '--only-new'?" \
	check --links --only-news
typo "stats option" "weekly stats: unknown option '--al'; did you mean '--all'?" stats --al
typo "new option" "weekly new: unknown option '--dat'; did you mean '--date'?" new --dat 2024-01-06
typo "where option" "weekly where: unknown option '--formats'; did you mean '--format'?" \
	where --formats json https://example.com/
typo "links option" "weekly links: unknown option '--formta'; did you mean '--format'?" links --formta tsv
typo "import option" "weekly import: unknown option '--forse'; did you mean '--force'?" import x.md --forse
typo "render option" "weekly render: unknown option '--partial'; did you mean '--partials'?" \
	render a.mustache b.yaml --partial x
typo "a short option is not guessed" "weekly build: unknown option '-F'" build -F md
typo "an option far from any" "weekly build: unknown option '--publish'" build --publish
finish
