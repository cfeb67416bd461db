# teaser-source.awk - the source of an issue whose teaser is the published
# teaser read: number and title from its title line, the teaser settings
# (as front matter overrides) from its text, one item per circled title
# with a made-up address and a one-line description. Run with -v date=D.
function q(s) { gsub(/\x27/, "\x27\x27", s); return "\x27" s "\x27" }
function esc(s) { gsub(/[][\\*_`<]/, "\\\\&", s); return s }
function link(s, part,   t) {
	t = s; sub(/^\[/, "", t)
	if (part == "text") { sub(/\]\(.*/, "", t); return t }
	sub(/.*\]\(/, "", t); sub(/\)$/, "", t); return t
}
NR == 1 {
	number = $0; sub(/^# .* #/, "", number); title = number
	sub(/:.*/, "", number); sub(/^[0-9]+: /, "", title); next
}
/^\*\*\[.*\]\(.*\)\*\*$/ {
	h = $0; sub(/^\*\*/, "", h); sub(/\*\*$/, "", h)
	url = link(h, "url"); body = body "\n## " link(h, "text") "\n\n"; k = 0; seen = 1; next
}
/^(①|②|③|④|⑤|⑥|⑦|⑧|⑨|⑩|⑪|⑫|⑬|⑭|⑮|⑯|⑰|⑱|⑲|⑳) / {
	s = $0; sub(/^[^ ]+ /, "", s)
	body = body (++k) ". [" esc(s) "](https://example.com/" NR ")\n\nAbout it.\n\n"; next
}
$0 == "" { next }
!seen { para[++np] = $0; next }
/^\[.*\]\(.*\)$/ { links = links "    - name: " q(link($0, "text")) "\n      url: " q(link($0, "url")) "\n"; next }
/^After subscribing/ { next }
{ outro = $0 }
END {
	printf "---\nnumber: %s\ndate: %s\ntitle: %s\nteaser:\n", number, date, q(title)
	printf "  intro_md: %s\n  subscribe_md: %s\n  heading_url: %s\n", q(para[1]), q(para[2]), q(url)
	printf "  outro_md: %s\n  links:\n%s---\n%s", q(outro), links, body
}
