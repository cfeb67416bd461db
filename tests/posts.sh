#!/bin/bash
# posts.sh - channel posts (-f telegram, mastodon, bluesky): exact outputs,
# no trailing spaces or runs of blank lines in the posts, the teaser and the
# text whatever settings are empty, and a post over its platform's limit
# reported by `weekly check` and `weekly build` as the platform counts:
# Telegram in UTF-16 units, Mastodon in characters with every address as
# 23, Bluesky in graphemes (CJK, emoji with modifiers).
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
W="${WEEKLY:-./weekly}"
G=tests/posts/golden
use_tmp posts
export NO_COLOR=1

# tidy NAME FILE: no line ends in a space or tab, no two blank lines in a
# row, no blank line first or last.
tidy() {
	local bad
	bad=$(awk 'BEGIN { b = 1 } /[ \t]$/ { print "trailing space at line " NR; exit }
		/^$/ { if (b) { print "blank line at line " NR; exit } b = 1; next } { b = 0 }
		END { if (b && NR) print "blank line at the end" }' "$2")
	[ -z "$bad" ] && ok "$1" || ko "$1" "$bad"
}
newsletter() { local d; d=$(scratch); cp issues/002.md issues/015.md "$d/issues/"; echo "$d"; }

for c in telegram mastodon bluesky; do
	run "$c post builds" 0 build 15 -f post --channel $c -o -
	same "$c post of issue 15" $G/015.$c.txt "$tmp/out"
	tidy "$c post: tidy" "$tmp/out"
	run "-f $c is -f post --channel $c" 0 build 15 -f $c -o -
	same "-f $c: the same post" $G/015.$c.txt "$tmp/out"
done
d=$(newsletter)
run "build -f post with three channels" 0 -C "$d" build 15 -f post --channel telegram \
	--channel mastodon --channel bluesky
text "each post to its own file" "015.bluesky.txt
015.mastodon.txt
015.telegram.txt" <(ls "$d/build")
same "build/015.mastodon.txt is the mastodon post" $G/015.mastodon.txt "$d/build/015.mastodon.txt"
rm -rf "$d"
run "-f post without a channel" 2 build 15 -f post -o -
text "-f post without a channel: says which" "weekly build: -f post needs --channel telegram, mastodon or bluesky
see 'weekly help build'" "$tmp/err"
run "an unknown channel" 2 build 15 -f post --channel myspace -o -
text "an unknown channel: says which there are" "weekly build: unknown channel 'myspace' (telegram, mastodon or bluesky)
see 'weekly help build'" "$tmp/err"
run "--channel without -f post" 2 build 15 --channel mastodon -o -
text "--channel without -f post: says so" "weekly build: --channel goes with -f post
see 'weekly help build'" "$tmp/err"
run "-f post --channel with -o and two channels" 2 build 15 -f post --channel mastodon --channel bluesky -o -

# --- empty settings leave no gaps ----------------------------------------------

d=$(newsletter)
# empty_settings [TEASER_LINES]: every setting the templates read, empty
# (sections as the example's), but for the teaser's lines given.
empty_settings() {
	{ printf 'name: ""\nurl: ""\nintro_md: ""\nsubscribe_md: ""\ntranslation_note_md: ""\n'
	  printf 'original_url: ""\nteaser:\n  intro_md: ""\n  subscribe_md: ""\n  heading_url: ""\n%s' "$1"
	  sed -n '/^sections:/,/^teaser:/p' issues/newsletter.yaml | sed '$d'; } > "$d/issues/newsletter.yaml"
}
empty_settings
for c in telegram mastodon bluesky text teaser; do
	run "empty settings: $c builds" 0 -C "$d" build 15 -f $c -o -
	tidy "empty settings: $c is tidy" "$tmp/out"
done
head -n 3 "$tmp/out" > "$tmp/got"
text "empty settings: the teaser starts with its title and the counts" "# #15

Shared 15 articles, 9 open-source projects, 4 podcasts and videos" "$tmp/got"
# The teaser's other parts, each alone, and the words it prints, empty.
empty_settings '  outro_md: "Read it all."
'
run "teaser with an outro alone builds" 0 -C "$d" build 15 -f teaser -o -
tidy "teaser with an outro alone is tidy" "$tmp/out"
tail -n 3 "$tmp/out" > "$tmp/got"
text "teaser with an outro alone: it ends the teaser" "④ Stack Overflow Blog #593: How the Python Team Is Adapting the Language for an AI Future (Ep. 593)

Read it all." "$tmp/got"
empty_settings '  links:
    - {name: Blog, url: "https://blog.example/"}
strings:
  summaries: ""
  full_text: ""
'
run "teaser with links, without its words, builds" 0 -C "$d" build 15 -f teaser -o -
tidy "teaser with links, without its words, is tidy" "$tmp/out"
sed -n '3,5p;$p' "$tmp/out" > "$tmp/got"
text "teaser with links, without its words: nothing left behind" "Shared 15 articles, 9 open-source projects, 4 podcasts and videos

**🦄Articles & Tutorials**
[Blog](https://blog.example/)" "$tmp/got"
rm -rf "$d"

d=$(newsletter)
printf '\n```\ncode with trailing spaces   \n\n\n\nafter blank lines\t\n```\n' >> "$d/issues/015.md"
run "text: code with trailing spaces and blank lines builds" 0 -C "$d" build 15 -f text -o -
tidy "text: no trailing spaces or blank runs, code included" "$tmp/out"
grep -c '^    code with trailing spaces$' "$tmp/out" > "$tmp/got"
text "text: the code is there" 1 "$tmp/got"
rm -rf "$d"

# --- limits ------------------------------------------------------------------------

# limit CHANNEL NAME WANT TITLE: with the newsletter named NAME, check and
# build say WANT of the channel's post (the length python3 counts).
d=$(newsletter)
limit() {
	local channel=$1 name=$2 want=$3 title=$4
	sed -i "s/^name: .*/name: \"$name\"/" "$d/issues/newsletter.yaml"
	run "$channel: an over-long post is only a warning" 0 -C "$d" check 15
	grep "$title post" "$tmp/err" > "$tmp/got"
	text "$channel: check says how long, as $channel counts" "$want" "$tmp/got"
	run "$channel: --strict fails on it" 1 -C "$d" check 15 --strict
	run "$channel: build writes it" 0 -C "$d" build 15 -f "$channel" -o "$tmp/post"
	grep "$title post" "$tmp/err" > "$tmp/got"
	text "$channel: build says so too" "$want" "$tmp/got"
}
# Mastodon: 470 letters and the issue's address (23, however long).
name=$(printf 'M%.0s' $(seq 1 470))
len=$(python3 -c 'import sys; print(len(sys.argv[1]) + len(" #15\n\nShared 15 articles, 9 open-source projects, 4 podcasts and videos\n\n") + 23)' "$name")
limit mastodon "$name" "issues/015.md: warning: the Mastodon post is $len graphemes, over Mastodon's limit of 500 (every address counts as 23) [post-length]" Mastodon
# Bluesky: Chinese and emoji with skin tones, one grapheme each.
name=$(printf '周刊👍🏽%.0s' $(seq 1 80))
len=$(python3 -c 'import sys; print(len(sys.argv[1]) - 80 + len(" #15\n\nShared 15 articles, 9 open-source projects, 4 podcasts and videos\n\nhttps://pythoncat.top"))' "$name")
limit bluesky "$name" "issues/015.md: warning: the Bluesky post is $len graphemes, over Bluesky's limit of 300 [post-length]" Bluesky
"$W" -C "$d" check 15 2>"$tmp/err"
grep -c 'Mastodon post' "$tmp/err" > "$tmp/got"
text "the same post is within Mastodon's 500" 0 "$tmp/got"
# Telegram: snakes, two UTF-16 units each.
name=$(printf '🐍%.0s' $(seq 1 1900))
sed -i "s/^name: .*/name: \"$name\"/" "$d/issues/newsletter.yaml"
"$W" -C "$d" build 15 -f telegram -o "$tmp/tg" 2>/dev/null
len=$(python3 -c 'import sys; print(len(open(sys.argv[1], encoding="utf-8").read().rstrip("\n").encode("utf-16-le")) // 2)' "$tmp/tg")
run "telegram: an over-long post is only a warning" 0 -C "$d" check 15
grep 'post-length' "$tmp/err" | grep Telegram > "$tmp/got"
text "telegram: check counts UTF-16 units" "issues/015.md: warning: the Telegram post is $len characters, over Telegram's limit of 4096 [post-length]" "$tmp/got"
rm -rf "$d"

finish
