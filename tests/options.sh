#!/bin/bash
# The command line: every command's options table, its usage text, the man
# page and the bash completion name the same options; issue arguments read
# alike in every command; standard output checked once.
cd "$(dirname "$0")/.." && . tests/lib.sh
W=${WEEKLY:-$PWD/weekly}
use_tmp options

commands=$("$W" help | sed -n 's/^  \([a-z]*\) .*/\1/p')
[ "$(wc -w <<<"$commands")" -ge 13 ] && ok "help lists the commands" || ko "help lists the commands" "$commands"

# The options a text names: a - or -- word after a blank, '[' or '|'.
named() { grep -oE '(^|[][ |])--?[a-zA-Z][-a-zA-Z]*' | sed 's/^[][ |]//' | sort -u; }
for c in $commands; do
	"$W" help "$c" >"$tmp/usage"
	# the option list the table writes: lines "  -x ..." and "  --name ..."
	sed -n 's/^  \(-[-a-zA-Z]*\).*/\1/p' "$tmp/usage" | sort -u >"$tmp/listed"
	sed '/^$/q' "$tmp/usage" | named >"$tmp/synopsis"
	same "$c: the synopsis names the options listed" "$tmp/listed" "$tmp/synopsis"
	grep -qE "^\.BR $c( |$)" src/weekly.1 && ok "$c: in the man page" || ko "$c: in the man page"
	grep -E "^\.BR $c( |$)" src/weekly.1 | sed 's/\\-/-/g; s/\\f[BIR]/ /g' | named >"$tmp/man"
	same "$c: the man page names the options listed" "$tmp/listed" "$tmp/man"
	bash -c ". src/weekly.bash; COMP_WORDS=('$W' $c -); COMP_CWORD=2; _weekly;
		printf '%s\n' \"\${COMPREPLY[@]}\"" | grep -v '^--help$\|^$' | sort -u >"$tmp/comp"
	[ "$c" = help ] || same "$c: bash completion offers the options listed" "$tmp/listed" "$tmp/comp"
	long=$(awk 'length > 80' "$tmp/usage")
	[ -z "$long" ] && ok "$c: usage within 80 columns" || ko "$c: usage within 80 columns" "$long"
	[ "$("$W" "$c" --help)" = "$(cat "$tmp/usage")" ] && ok "$c --help" || ko "$c --help"
done
sed -n 's/.*local commands="\(.*\)"/\1/p' src/weekly.bash | tr ' ' '\n' | sort >"$tmp/comp"
sort <<<"$commands" >"$tmp/listed"
same "bash completion knows every command" "$tmp/listed" "$tmp/comp"

# --- one parser: the same forms and the same errors everywhere ---------------
first() { "$W" "$@" 2>&1 >/dev/null | head -n 1; }
for c in "stats --format" "links --format" "where x --format" "new --date" "send 1 --to" \
	"add https://a.example/ --section" "render a b --escape" "init d --lang" "serve --port" \
	"import x.md -o" "build 1 -f"; do
	set -- $c
	expect_text "$c: needs a value" "weekly $1: option '${!#}' needs a value" "$(first $c)"
done
run "an option's value after =" 0 stats --format=tsv 15
expect_text "an option's value after =: read" "15" "$(sed -n '2s/\t.*//p' "$tmp/out")"
run "a flag given a value" 2 build 15 --force=yes
text "a flag given a value: said" "weekly build: option '--force' takes no value
see 'weekly help build'" "$tmp/err"
run "add: unknown option, with a guess" 2 add https://a.example/ --sektion x
text "add: unknown option, with a guess" "weekly add: unknown option '--sektion'; did you mean '--section'?
see 'weekly help add'" "$tmp/err"
run "build -v is --verbose" 0 build 15 --verbose -f md -o "$tmp/v.md"
"$W" build 15 -f md -o - >"$tmp/want" 2>/dev/null
run "a short option's value joined to it (-fmd -o-)" 0 build 15 -fmd -o-
same "a short option's value joined to it: the same as apart" "$tmp/want" "$tmp/out"
run "-j2 is -j 2" 0 build 15 -j2 -f md -o -
same "-j2 is -j 2: the same issue" "$tmp/want" "$tmp/out"
run "flags are not joined (-vq)" 2 build 15 -vq
text "flags are not joined: said" "weekly build: unknown option '-vq'; did you mean '-v'?
see 'weekly help build'" "$tmp/err"

# --- issue arguments: a number, with or without zeros, or the issue's file ---
"$W" stats 15 --format tsv >"$tmp/want"
for a in 015 issues/015.md "$PWD/issues/015.md" 015.md; do
	run "stats $a" 0 stats "$a" --format tsv
	same "stats $a: issue 15" "$tmp/want" "$tmp/out"
done
"$W" build 15 -f md -o - >"$tmp/want" 2>/dev/null
for a in 015 issues/015.md; do
	run "build $a" 0 build "$a" -f md -o -
	same "build $a: issue 15" "$tmp/want" "$tmp/out"
done
"$W" links 2 >"$tmp/want"
run "links issues/002.md" 0 links issues/002.md
same "links issues/002.md: issue 2" "$tmp/want" "$tmp/out"
run "check issues/015.md" 0 check issues/015.md
"$W" build 15 -f md -o "$tmp/published.md" 2>/dev/null
run "import -n 015" 0 import "$tmp/published.md" -n 015 -o -
expect_text "import -n 015: issue 15" "number: 15" "$(sed -n 2p "$tmp/out")"
for c in build stats links check; do
	run "$c: not an issue" 2 $c seven
	text "$c: not an issue, said" "weekly $c: 'seven' is not an issue number or issue file
see 'weekly help $c'" "$tmp/err"
done
run "send: not an issue" 2 send notes.txt --to a@b.example
text "send: not an issue, said" "weekly send: 'notes.txt' is not an issue number or issue file
see 'weekly help send'" "$tmp/err"

# --- standard output: a full disk is an I/O error, whoever writes ---------
if [ -w /dev/full ]; then
	for c in "stats" "links 15" "where https://github.com/joerick/pyinstrument" \
		"build 15 -f md -o -" "check 15 --format json" "help" "help build" "--version"; do
		"$W" $c >/dev/full 2>"$tmp/err"; rc=$?
		expect_status "$c > /dev/full: exit 3" 3 $rc
		# the reason when the last write failed, not when an earlier one did
		grep -qxE "weekly: cannot write to standard output(: No space left on device)?" "$tmp/err" &&
			ok "$c > /dev/full: said" || ko "$c > /dev/full: said" "$(cat "$tmp/err")"
	done
else
	skip "standard output to /dev/full" "no /dev/full here"
fi
finish
