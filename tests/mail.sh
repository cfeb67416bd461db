#!/bin/bash
# mail.sh - the issue as an email message (-f eml) read back by Python's
# email package and by s-nail, and `weekly send` against a real SMTP server
# on 127.0.0.1 (Debian's python3-aiosmtpd): delivered bytes, envelope,
# login, and the failures (connection refused, login refused, 5xx replies)
# with their exact messages and exit status 3.
cd "$(dirname "$0")/.." || exit 3
. tests/lib.sh
W="${WEEKLY:-$PWD/weekly}"
M=tests/mail
tmp=$(mktemp -d "${TMPDIR:-/tmp}/weekly-mail.XXXXXX") || exit 3
servers=()
cleanup() {
	for p in "${servers[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
unset WEEKLY_SMTP_USER WEEKLY_SMTP_PASSWORD
export NO_COLOR=1

# Debian's python3 has the Debian packages (another python3 may come first).
PY=python3
$PY -c 'import aiosmtpd' 2>/dev/null || PY=/usr/bin/python3

# checks PREFIX COMMAND...: a PASS/FAIL line per check the command prints.
checks() {
	local prefix=$1 line; shift
	while IFS= read -r line; do
		case $line in
		PASS\ *) ok "$prefix: ${line#PASS }" ;;
		FAIL\ *) ko "$prefix: ${line#FAIL }" ;;
		esac
	done < <("$@" 2>&1 || echo "FAIL $prefix: the checker failed")
}

# A newsletter with the example's issues and every email setting; the
# sender's name is Chinese, the reply-to's needs quoting.
newsletter() {
	local d; d=$(scratch)
	cp issues/002.md issues/015.md "$d/issues/"
	cat >> "$d/issues/newsletter.yaml" <<-'EOF'
	email:
	  from: "Python 潮流周刊 <weekly@example.org>"
	  reply_to: "Editor, Python Cat <editor@example.org>"
	  list_unsubscribe: https://example.org/unsubscribe?list=weekly
	EOF
	echo "$d"
}
FROM="Python 潮流周刊 <weekly@example.org>"
REPLY='"Editor, Python Cat" <editor@example.org>'
UNSUB="https://example.org/unsubscribe?list=weekly"

# eml_ok NAME DIR N SUBJECT: issue N's message reads back as its text and
# email formats.
eml_ok() {
	local name=$1 d=$2 n=$3 subject=$4
	"$W" -C "$d" build "$n" -f eml -o - >"$tmp/$n.eml" 2>"$tmp/err"
	expect_status "$name: builds" 0 $?
	"$W" -C "$d" build "$n" -f text -o - >"$tmp/$n.txt" 2>/dev/null
	"$W" -C "$d" build "$n" -f email -o - >"$tmp/$n.html" 2>/dev/null
	checks "$name" $PY $M/eml_check.py "$tmp/$n.eml" "$tmp/$n.txt" "$tmp/$n.html" \
		"$subject" "$FROM" "$REPLY" "$UNSUB"
}

# --- -f eml --------------------------------------------------------------------

if ! $PY -c 'import email.policy' 2>/dev/null; then
	skip "eml" "python3 has no email package"
else
	d=$(newsletter)
	eml_ok "issue 15" "$d" 15 "Python Trending Weekly #15"
	eml_ok "issue 2" "$d" 2 "Python Trending Weekly #2"
	cp $M/every-kind.md "$d/issues/900.md"
	eml_ok "every kind of content" "$d" 900 \
		"Python Trending Weekly #900: Every kind of content: 一个很长很长的中文标题，测试在手机上是否会换行而不撑宽页面"
	# Published issues, imported: real content not written for these tests.
	SHARED=$(cd "${SHARED:-../shared}" 2>/dev/null && pwd) imported=0
	for f in "$SHARED"/reference/*.md; do
		[ -f "$f" ] || continue
		"$W" -C "$d" import "$f" -o issues/imported.md --force >/dev/null 2>&1 || continue
		n=$(sed -n 's/^number: *//p' "$d/issues/imported.md" | head -n 1)
		[ -n "$n" ] || continue
		mv "$d/issues/imported.md" "$d/issues/$(printf %03d "$n").md"
		t=$(sed -n 's/^title: *//p' "$d/issues/$(printf %03d "$n").md" | head -n 1 | sed 's/^"\(.*\)"$/\1/')
		eml_ok "published $(basename "$f")" "$d" "$n" "Python Trending Weekly #$n${t:+: $t}"
		imported=$((imported + 1))
	done
	[ "$imported" -gt 0 ] || skip "published issues as messages" "$SHARED/reference not found"

	# A Chinese title, and content a careless encoder gets wrong: lines
	# starting with "." and "From ", "=" signs, the boundary's own prefix,
	# trailing spaces in code, a long line without spaces, CRLF-looking text.
	sed -i 's/^date: 2023-08-12/&\ntitle: "Python 3.12 的新特性：一个很长很长的标题，用来测试编码后的折行是否正确"/' "$d/issues/015.md"
	cat >> "$d/issues/015.md" <<-'EOF'

	## Discussion

	1. [A = B? "=_weekly_" and =?UTF-8?B?PT0=?= in text](https://example.org/a=b?x=1&y=2)

	.hidden lines
	From here on, dots.
	```
	code with trailing spaces   
	.
	From the start
	```
	https://example.org/a/very/long/path/without/any/space/at/all/that/goes/on/and/on/for/ever/and/ever
	EOF
	eml_ok "a Chinese title and awkward content" "$d" 15 \
		"Python Trending Weekly #15: Python 3.12 的新特性：一个很长很长的标题，用来测试编码后的折行是否正确"
	grep -c '^Subject: =?UTF-8?B?' "$tmp/15.eml" > "$tmp/got"
	text "the Chinese subject is encoded per RFC 2047" 1 "$tmp/got"

	if command -v s-nail >/dev/null; then
		{ printf 'From weekly@example.org Sat Aug 12 00:00:00 2023\n'; tr -d '\r' < "$tmp/15.eml"; echo; } > "$tmp/box"
		LC_ALL=C.UTF-8 s-nail -N -R -S ttycharset=utf-8 -Y 'type 1' -Y xit -f "$tmp/box" \
			>"$tmp/snail" 2>/dev/null
		grep -m1 '^From: ' "$tmp/snail" > "$tmp/got"
		text "s-nail: the sender's name decoded" "From: $FROM" "$tmp/got"
		grep -m1 '^Subject: ' "$tmp/snail" > "$tmp/got"
		text "s-nail: the subject decoded" "Subject: Python Trending Weekly #15: Python 3.12 的新特性：一个很长很长的标题，用来测试编码后的折行是否正确" "$tmp/got"
		awk '/^\[-- #1\.1 /{on=1;getline;next} /^\[-- #1\.2 /{on=0} on' "$tmp/snail" | sed '$d' > "$tmp/got"
		same "s-nail: the text part reads as the text format" "$tmp/15.txt" "$tmp/got"
	else
		skip "s-nail reads the message" "s-nail is not installed"
	fi

	run "build -f eml writes build/015.eml" 0 -C "$d" build 15 -f eml
	same "build/015.eml is the eml format" "$tmp/15.eml" "$d/build/015.eml"
	printf '{{newsletter.name}}\n  second line\n' > "$d/templates/subject.txt.mustache"
	run "a changed subject template rebuilds the message" 0 -C "$d" build 15 -f eml
	grep '^Subject: ' "$d/build/015.eml" | tr -d '\r' > "$tmp/got"
	text "the subject is the template's, on one line" "Subject: Python Trending Weekly second line" "$tmp/got"
	echo '<p>changed</p>' > "$d/templates/email.html.mustache"
	"$W" -C "$d" build 15 -f eml 2>/dev/null
	if grep -q '>changed</p>' "$d/build/015.eml"; then
		ok "a changed email template rebuilds the message"
	else
		ko "a changed email template rebuilds the message"
	fi
	rm -rf "$d"

	d=$(newsletter)
	sed -i '/^email:/,$d' "$d/issues/newsletter.yaml"
	run "no sender: an error" 1 -C "$d" build 15 -f eml -o -
	grep -v warning "$tmp/err" | grep -Ev '^ +([0-9]+ )?\|' > "$tmp/got"   # nor the lines under them
	text "no sender: says which setting" \
		"weekly: error: the message of issue 15 has no sender: set email.from in issues/newsletter.yaml [email]" "$tmp/got"
	printf 'email:\n  from: "Weekly <weekly at example.org>"\n' >> "$d/issues/newsletter.yaml"
	printf '  form: weekly@example.org\n' >> "$d/issues/newsletter.yaml"
	run "a misspelt email setting: a warning" 0 -C "$d" check 15
	grep 'email setting' "$tmp/err" > "$tmp/got"
	text "a misspelt email setting: did you mean" \
		"issues/newsletter.yaml:$(grep -c '' "$d/issues/newsletter.yaml"):3: warning: unknown email setting 'form'; did you mean 'from'? [unknown-key]" "$tmp/got"
	sed -i '$d' "$d/issues/newsletter.yaml"
	run "a sender that is not an address: an error" 1 -C "$d" build 15 -f eml -o -
	grep -v warning "$tmp/err" | grep -Ev '^ +([0-9]+ )?\|' > "$tmp/got"   # nor the lines under them
	text "a bad sender: says so" \
		"weekly: error: the message of issue 15 cannot use email.from: it is not an address like Name <name@example.org> [email]" "$tmp/got"
	if [ -s "$tmp/out" ]; then ko "nothing written for a bad sender"; else ok "nothing written for a bad sender"; fi
	rm -rf "$d"

	# Every issue of the tests that builds (hostile content included): one
	# check line each, naming the issue and the first check it fails.
	built=0 bad=""
	for f in $(find tests issues -name '*.md' ! -path '*/golden/*' | sort); do
		n=$(sed -n 's/^number: *\([0-9]*\) *$/\1/p' "$f" | head -n 1)
		[ -n "$n" ] || continue
		d=$(newsletter)
		rm -f "$d"/issues/0*.md
		cp "$f" "$d/issues/$(printf %03d "$n").md"
		if "$W" -C "$d" build "$n" -f eml -o "$tmp/m.eml" 2>/dev/null; then
			built=$((built + 1))
			"$W" -C "$d" build "$n" -f text -o "$tmp/m.txt" 2>/dev/null
			"$W" -C "$d" build "$n" -f email -o "$tmp/m.html" 2>/dev/null
			why=$($PY $M/eml_check.py "$tmp/m.eml" "$tmp/m.txt" "$tmp/m.html" - \
				"$FROM" "$REPLY" "$UNSUB" | grep -m1 '^FAIL')
			[ -z "$why" ] || bad="$bad $f (${why#FAIL })"
		fi
		rm -rf "$d"
	done
	[ "$built" -gt 20 ] && [ -z "$bad" ] && ok "every test issue that builds ($built) is a message that reads back exactly" ||
		ko "every test issue that builds is a message that reads back exactly" "$built built;$bad"
fi

# --- check --email -----------------------------------------------------------------

d=$(newsletter)
# Issue 15 with a plain-http link and image in a description, and a logo
# without width, alt or https in the template.
sed -i '10s|$| See [the old page](http://old.example/page).|' "$d/issues/015.md"
sed -i '12s|.*|![Performance Profiling](http://img.example/plain.png)|' "$d/issues/015.md"
sed -i 's|^<h1 |<img src="http://example.org/logo.png">\n&|' "$d/templates/email.html.mustache"
run "check --email: warnings only" 0 -C "$d" check 15 --email
cat > "$tmp/want" <<'EOF'
issues/015.md: warning: image without a width attribute (Outlook shows it at its full size): http://example.org/logo.png (from the templates or settings) [email-image]
issues/015.md: warning: image over plain http (mail clients block or flag it; use https): http://example.org/logo.png (from the templates or settings) [email-http]
issues/015.md: warning: image without alt text: http://example.org/logo.png (from the templates or settings) [email-alt]
issues/015.md:10:404: warning: link over plain http (mail clients flag it; use https): http://old.example/page [email-http]
issues/015.md:12:1: warning: image without a width attribute (Outlook shows it at its full size): http://img.example/plain.png [email-image]
issues/015.md:12:1: warning: image over plain http (mail clients block or flag it; use https): http://img.example/plain.png [email-http]
issues/015.md:80:1: warning: image without a width attribute (Outlook shows it at its full size): https://img.pythoncat.top/viztracer.png [email-image]
issues/015.md:102:1: warning: image without a width attribute (Outlook shows it at its full size): https://img.pythoncat.top/intro-flow-en.png [email-image]
issues/015.md:118:1: warning: image has no alt text [alt]
issues/015.md:118:1: warning: image without a width attribute (Outlook shows it at its full size): https://img.pythoncat.top/2023-08-12_python_people.png [email-image]
EOF
grep -a '^issues/' "$tmp/err" > "$tmp/got"   # the diagnostics, not the lines under them
same "check --email: each problem where it is written" "$tmp/want" "$tmp/got"
run "check --email --strict fails on them" 1 -C "$d" check 15 --email --strict
run "check without --email: none of them" 0 -C "$d" check 15
grep -c 'email-' "$tmp/err" > "$tmp/got"
text "check without --email: no email warning" 0 "$tmp/got"
run "build -f email: only the size is its business" 0 -C "$d" build 15 -f email
grep -c 'email-' "$tmp/err" > "$tmp/got"
text "build -f email: a small email, no warning" 0 "$tmp/got"

# Past 90 KB: the size, in the check and in the build.
for i in $(seq 1 80); do
	printf '\n%d. [Item %d](https://example.org/%d)\n\n%s\n' $((i + 10)) $i $i \
		"$(printf 'Words and [links](https://example.org/l%d) for a heavy issue. %.0s' $(seq 1 12))"
done >> "$d/issues/002.md"
"$W" -C "$d" build 2 -f email -o - 2>/dev/null | wc -c > "$tmp/size"
size=$(awk '{ printf "%.1f", $1 / 1024 }' "$tmp/size")
[ "$(cat "$tmp/size")" -gt 92160 ] && ok "the heavy issue's email is over 90 KB ($size KB)" ||
	ko "the heavy issue's email is over 90 KB" "$size KB"
want="issues/002.md: warning: the email is $size KB: Gmail clips a message above about 102 KB and hides the rest behind a link (warned above 90 KB) [email-size]"
run "check --email: a heavy email" 0 -C "$d" check 2 --email
grep 'email-size' "$tmp/err" > "$tmp/got"
text "check --email: says its size" "$want" "$tmp/got"
run "build -f email: a heavy email builds" 0 -C "$d" build 2 -f email -o /dev/null
grep 'email-size' "$tmp/err" > "$tmp/got"
text "build -f email: warns of its size" "$want" "$tmp/got"
rm "$d/templates/issue.txt.mustache"
run "check --email: no text template" 0 -C "$d" check 15 --email
grep 'email-text' "$tmp/err" > "$tmp/got"
text "check --email: no plain-text part" "issues/015.md: warning: the email has no plain-text part: templates/issue.txt.mustache is missing or writes nothing [email-text]" "$tmp/got"
rm -rf "$d"

# --- weekly send ------------------------------------------------------------------

# server DIR ARGS...: start the test SMTP server; its port in $port.
server() {
	local dir=$1; shift
	mkdir -p "$dir"
	coproc SMTP { exec $PY $M/smtpserver.py "$dir" "$@" 2>>"$tmp/server.log"; }
	servers+=("$SMTP_PID")
	read -r -t 20 port <&"${SMTP[0]}"
}
# stop: close the server's standard input; it exits.
stop() { exec {SMTP[1]}>&-; wait "$SMTP_PID" 2>/dev/null; }
# with_url DIR URL: the newsletter sends through URL.
with_url() { printf '  smtp_url: %s\n' "$2" >> "$1/issues/newsletter.yaml"; }
# nothing_delivered NAME DIR
nothing_delivered() {
	if ls "$2"/*.eml >/dev/null 2>&1; then ko "$1"; else ok "$1"; fi
}

if ! $PY -c 'import aiosmtpd' 2>/dev/null; then
	if [ "$CI" = true ]; then ko "send" "python3-aiosmtpd is not installed"; else
		skip "send" "python3-aiosmtpd is not installed (apt-get install python3-aiosmtpd)"; fi
else
	d=$(newsletter)
	run "send: no server set" 1 -C "$d" send 15 --to ed@example.org
	grep -v warning "$tmp/err" | grep -Ev '^ +([0-9]+ )?\|' > "$tmp/got"   # nor the lines under them
	text "send: says which setting" "weekly send: no server to send through: set email.smtp_url in issues/newsletter.yaml (smtp://HOST:587 or smtps://HOST:465)" "$tmp/got"
	printf '  smtp_url: https://mail.example.org/\n' >> "$d/issues/newsletter.yaml"
	run "send: a server that is not SMTP" 1 -C "$d" send 15 --to ed@example.org
	grep -v warning "$tmp/err" | grep -Ev '^ +([0-9]+ )?\|' > "$tmp/got"   # nor the lines under them
	text "send: says the address is not a server's" "weekly send: not an SMTP server's address: set email.smtp_url in issues/newsletter.yaml (smtp://HOST:587 or smtps://HOST:465)" "$tmp/got"
	sed -i '$d' "$d/issues/newsletter.yaml"
	run "send: no --to" 2 -C "$d" send 15
	run "send: not an address" 2 -C "$d" send 15 --to 'ed at example.org'
	head -n 1 "$tmp/err" > "$tmp/got"
	text "send: says which address" "weekly send: --to 'ed at example.org' is not an address like name@example.org" "$tmp/got"
	run "send: six addresses are a mailing list" 2 -C "$d" send 15 --to a@x.org --to b@x.org \
		--to c@x.org --to d@x.org --to e@x.org --to f@x.org
	run "send: no such issue" 1 -C "$d" send 99 --to ed@example.org
	text "send: says so" "weekly send: there is no issue 99 in issues/" "$tmp/err"

	server "$tmp/ok"
	with_url "$d" "smtp://127.0.0.1:$port"
	run "send: delivered" 0 -C "$d" send 15 --to 'Ed Itor <ed@example.org>' --to proof@example.net
	text "send: says where and what the server said" \
		"issue 15 sent to 2 addresses through smtp://127.0.0.1:$port: 250 2.0.0 queued as test-1" "$tmp/out"
	text "send: the envelope" "MAIL FROM:<weekly@example.org>
RCPT TO:<ed@example.org>
RCPT TO:<proof@example.net>
TLS: no" "$tmp/ok/1.env"
	{ printf 'To: Ed Itor <ed@example.org>,\r\n proof@example.net\r\n'
	  "$W" -C "$d" build 15 -f eml -o - 2>/dev/null; } > "$tmp/want.eml"
	same "send: the delivered bytes are the To header and the eml format" "$tmp/want.eml" "$tmp/ok/1.eml"
	stop
	run "send: connection refused" 3 -C "$d" send 15 --to ed@example.org
	grep -v warning "$tmp/err" | grep -Ev '^ +([0-9]+ )?\|' > "$tmp/got"   # nor the lines under them
	text "send: connection refused, in words" \
		"weekly: error: cannot connect to smtp://127.0.0.1:$port: Connection refused" "$tmp/got"
	rm -rf "$d"

	d=$(newsletter)
	server "$tmp/auth" --auth "editor:s3cret pass"
	with_url "$d" "smtp://127.0.0.1:$port"
	printf '  smtp_user: editor\n  smtp_password: wrong\n' >> "$d/issues/newsletter.yaml"
	run "send: login refused" 3 -C "$d" send 15 --to ed@example.org
	grep -v warning "$tmp/err" | grep -Ev '^ +([0-9]+ )?\|' > "$tmp/got"   # nor the lines under them
	text "send: login refused, with the server's reply" \
		"weekly: error: smtp://127.0.0.1:$port refused the login of 'editor': \"535 5.7.8 Authentication credentials invalid\"" "$tmp/got"
	nothing_delivered "send: nothing delivered without a login" "$tmp/auth"
	WEEKLY_SMTP_PASSWORD='s3cret pass' run "send: the password from the environment" 0 \
		-C "$d" send 15 --to ed@example.org
	[ -s "$tmp/auth/1.eml" ] && ok "send: delivered after the login" || ko "send: delivered after the login"
	stop
	rm -rf "$d"

	# STARTTLS, offered and required by the server, with a certificate of
	# a private authority the settings name.
	d=$(newsletter)
	if openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
		-addext subjectAltName=IP:127.0.0.1 -keyout "$tmp/key.pem" -out "$tmp/cert.pem" \
		>/dev/null 2>&1; then
		server "$tmp/tls" --starttls "$tmp/cert.pem" "$tmp/key.pem"
		with_url "$d" "smtp://127.0.0.1:$port"
		run "send: STARTTLS with an unknown authority fails" 3 -C "$d" send 15 --to ed@example.org
		grep -v warning "$tmp/err" | grep -Ev '^ +([0-9]+ )?\|' |
			sed 's/: SSL certificate problem: .* (email/: … (email/' > "$tmp/got"
		text "send: says the certificate is not trusted, and what to do" \
			"weekly: error: cannot trust the certificate of smtp://127.0.0.1:$port: … (email.smtp_ca_file names the authority that signed it)" "$tmp/got"
		printf '  smtp_ca_file: %s\n' "$tmp/cert.pem" >> "$d/issues/newsletter.yaml"
		run "send: STARTTLS with the authority named" 0 -C "$d" send 15 --to ed@example.org
		tail -n 1 "$tmp/tls/1.env" > "$tmp/got"
		text "send: the message went over TLS" "TLS: yes" "$tmp/got"
		stop
	else
		skip "send: STARTTLS" "openssl cannot make a certificate"
	fi
	rm -rf "$d"

	d=$(newsletter)
	server "$tmp/rcpt" --reject-rcpt
	with_url "$d" "smtp://127.0.0.1:$port"
	run "send: a recipient refused" 3 -C "$d" send 15 --to nobody@example.org
	grep -v warning "$tmp/err" | grep -Ev '^ +([0-9]+ )?\|' > "$tmp/got"   # nor the lines under them
	text "send: the 550 reply, in words" \
		"weekly: error: smtp://127.0.0.1:$port refused the message: \"550 5.1.1 <nobody@example.org>: no such mailbox here\"" "$tmp/got"
	nothing_delivered "send: nothing delivered to a refused recipient" "$tmp/rcpt"
	stop
	server "$tmp/data" --reject-data
	sed -i '$d' "$d/issues/newsletter.yaml"
	with_url "$d" "smtp://127.0.0.1:$port"
	run "send: the message refused" 3 -C "$d" send 15 --to ed@example.org
	grep -v warning "$tmp/err" | grep -Ev '^ +([0-9]+ )?\|' > "$tmp/got"   # nor the lines under them
	text "send: the 554 reply, in words" \
		"weekly: error: smtp://127.0.0.1:$port refused the message: \"554 5.6.0 message refused by the test\"" "$tmp/got"
	stop
	rm -rf "$d"
fi

finish
