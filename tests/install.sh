#!/bin/bash
# make install / uninstall, weekly init, the default templates, help.
cd "$(dirname "$0")/.." && . tests/lib.sh
W=${WEEKLY:-$PWD/weekly} repo=$PWD
use_tmp install

# Install from a copy of the sources, so the tree under test is not rebuilt.
mkdir "$tmp/src" && cp -r Makefile src include templates .ci "$tmp/src/"
dest="$tmp/dest"
make -s -C "$tmp/src" install PREFIX=/usr DESTDIR="$dest" >"$tmp/log" 2>&1
expect_status "make install" 0 $?
for f in usr/bin/weekly usr/share/man/man1/weekly.1 usr/share/bash-completion/completions/weekly \
	usr/share/weekly/templates/issue.md.mustache usr/share/weekly/templates/partials/footer.md.mustache; do
	[ -f "$dest/$f" ] && ok "installed $f" || ko "installed $f"
done
[ -x "$dest/usr/bin/weekly" ] && ok "binary is executable" || ko "binary is executable"
man -l "$dest/usr/share/man/man1/weekly.1" 2>/dev/null | grep -q "weekly - check and build" &&
	ok "man page renders" || ko "man page renders"
bash -c ". '$dest/usr/share/bash-completion/completions/weekly'; COMP_WORDS=(weekly bu); COMP_CWORD=1; _weekly; echo \${COMPREPLY[*]}" > "$tmp/comp"
[ "$(cat "$tmp/comp")" = build ] && ok "completion completes commands" || ko "completion completes commands" "$(cat "$tmp/comp")"
strings "$dest/usr/bin/weekly" | grep -qx /usr/share/weekly && ok "installed binary knows its templates" ||
	ko "installed binary knows its templates"

# weekly init makes a newsletter that builds at once, with or without templates/.
iw="$dest/usr/bin/weekly"
WEEKLY_DATADIR="$dest/usr/share/weekly" "$iw" init "$tmp/nl" > "$tmp/out"
expect_status "init" 0 $?
[ "$(cat "$tmp/out")" = "created a newsletter in $tmp/nl: build it with 'weekly -C $tmp/nl build --all'" ] &&
	ok "init says what it did" || ko "init says what it did" "$(cat "$tmp/out")"
expect_text "init: the archive index's folder is ignored by version control" "*" \
	"$(cat "$tmp/nl/build/.weekly/.gitignore" 2>&1)"
"$iw" -C "$tmp/nl" build 1 2>"$tmp/err"; expect_status "the new newsletter builds" 0 $?
if (cd "$tmp/nl" && git init -q && git add -A && git status --porcelain) >"$tmp/git" 2>&1; then
	expect_text "init: a new newsletter built and committed holds no index" "" \
		"$(grep '\.weekly' "$tmp/git")"
fi
[ -s "$tmp/nl/build/001.html" ] && ok "first issue built" || ko "first issue built"
cp "$tmp/nl/build/001.md" "$tmp/with-templates.md"
rm -rf "$tmp/nl/templates" "$tmp/nl/build"
WEEKLY_DATADIR="$dest/usr/share/weekly" "$iw" -C "$tmp/nl" build 1 -f md -o "$tmp/defaults.md"
same "default templates when the newsletter has none" "$tmp/with-templates.md" "$tmp/defaults.md"
"$iw" init "$tmp/nl" 2>"$tmp/err"; expect_status "init refuses an existing newsletter" 1 $?
grep -qx "weekly: '$tmp/nl/issues/newsletter.yaml' already holds a newsletter" "$tmp/err" &&
	ok "init says why it refused" || ko "init says why it refused" "$(cat "$tmp/err")"
$W init 2>/dev/null; expect_status "init without a folder" 2 $?

make -s -C "$tmp/src" uninstall PREFIX=/usr DESTDIR="$dest"
left=$(find "$dest" -type f | wc -l)
[ "$left" = 0 ] && ok "make uninstall removes every file" || ko "make uninstall removes every file" "$left left"

# Help and version.
[ "$($W --version)" = "weekly 0.1.0" ] && ok "--version" || ko "--version"
$W help | grep -q "^  build " && ok "help lists commands" || ko "help lists commands"
$W help build | head -n 1 | grep -q "^usage: weekly build" && ok "help build" || ko "help build"
[ "$($W build --help)" = "$($W help build)" ] && ok "build --help" || ko "build --help"
$W help nosuch 2>/dev/null; expect_status "help for an unknown command" 2 $?
$W nosuch 2>"$tmp/err"; expect_status "unknown command" 2 $?
grep -qx "weekly: 'nosuch' is not a command; see 'weekly help'" "$tmp/err" && ok "unknown command message" || ko "unknown command message"
(cd / && $W -C "$repo" build 15 -f md -o - >/dev/null 2>&1); expect_status "-C DIR" 0 $?
$W -C /nonexistent build 15 2>/dev/null; expect_status "-C to a missing folder" 3 $?
# A checkout tracks sources only: no objects of any build folder (.obj*).
if git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
	expect_text "no build objects are tracked" "" \
		"$(git -C "$repo" ls-files -- '*.o' '.obj*' | head -3)"
	git -C "$repo" check-ignore -q .obj-lto/x.o && ok "build folders of any OBJDIR are ignored" ||
		ko "build folders of any OBJDIR are ignored"
fi
finish
