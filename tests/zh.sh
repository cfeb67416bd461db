#!/bin/bash
# The Chinese edition (examples/python-weekly-zh): the published issues byte
# for byte from its settings and templates, and the eras of its settings.
cd "$(dirname "$0")/.." && . tests/lib.sh
W=${WEEKLY:-./weekly} SHARED=${SHARED:-../shared}
ZH=examples/python-weekly-zh
use_tmp zh

if [ -d "$SHARED/reference" ]; then
	$W -C $ZH build 15 -f md -o - > "$tmp/15.md" 2>/dev/null
	expect_status "zh: issue 15 builds" 0 $?
	same "zh: issue 15 is the published Markdown" "$SHARED/reference/zh-2023-08-12-weekly.md" "$tmp/15.md"
	$W -C $ZH build 2 -f md -o - > "$tmp/2.md" 2>/dev/null
	expect_status "zh: issue 2 builds" 0 $?
	same "zh: issue 2 is the published Markdown" "$SHARED/reference/zh-2023-05-20-weekly.md" "$tmp/2.md"
else
	skip "the published Chinese issues" "$SHARED/reference not found"
fi

# The sources hold the items only: no setting is overridden by an issue.
for f in $ZH/issues/0*.md; do
	keys=$(sed -n '2,/^---$/p' "$f" | grep -v '^---$' | cut -d: -f1 | sort | tr '\n' ' ')
	expect_text "zh: $(basename "$f") front matter is number, date, title" "date number title " "$keys"
done

# The whole example builds: pages, archive and feed, each page in Chinese.
d="$tmp/zh"; mkdir "$d"; cp -r $ZH/issues $ZH/templates "$d/"
$W -C "$d" build --all 2>/dev/null; expect_status "zh: build --all" 0 $?
for f in 002.html 015.html index.html; do
	grep -q '<html lang="zh">' "$d/build/$f" && ok "zh: $f has lang=zh" || ko "zh: $f has lang=zh"
done
grep -q 'xml:lang="zh"' "$d/build/feed.xml" && ok "zh: the feed has xml:lang=zh" || ko "zh: the feed has xml:lang=zh"
expect_text "zh: issue 15 page title" "<title>Python 潮流周刊#15：如何分析异步任务的性能？</title>" \
	"$(grep '<title>' "$d/build/015.html")"
expect_text "zh: issue 2 page title (its era's name)" "<title>Python潮流周刊#2：Rust 让 Python 再次伟大</title>" \
	"$(grep '<title>' "$d/build/002.html")"

# The other formats, in Chinese too.
$W -C $ZH build 15 -f teaser -o - > "$tmp/t.md" 2>/dev/null
expect_status "zh: teaser builds" 0 $?
expect_text "zh: teaser counts, one form for every number" "分享了 15 篇文章，9 个开源项目，4 则音视频。" "$(sed -n 9p "$tmp/t.md")"
expect_text "zh: teaser titles" "① 如何分析 FastAPI 异步请求的性能？" "$(sed -n 15p "$tmp/t.md")"
expect_text "zh: teaser has every title" 28 "$(LC_ALL=C grep -c $'^\xe2\x91[\xa0-\xb3] ' "$tmp/t.md")"
$W -C $ZH build 2 -f teaser -o - 2>/dev/null | sed -n 5p > "$tmp/t2"
expect_text "zh: teaser of issue 2, four sections" "分享了 10 篇文章，5 个开源项目，4 则音视频，3 则热门讨论。" "$(cat "$tmp/t2")"
$W -C $ZH build 15 -f email -o - > "$tmp/e.html" 2>/dev/null
expect_status "zh: email builds" 0 $?
grep -q '<html lang="zh">' "$tmp/e.html" && ok "zh: email has lang=zh" || ko "zh: email has lang=zh"
expect_text "zh: email items numbered 1、" 28 "$(grep -c '>[0-9]*、 \?<a href' "$tmp/e.html")"
$W -C $ZH build 15 -f text -o - > "$tmp/t.txt" 2>/dev/null
expect_status "zh: text builds" 0 $?
expect_text "zh: text title" "Python 潮流周刊#15：如何分析异步任务的性能？（2023年8月12日）" "$(head -n 1 "$tmp/t.txt")"

# An item's marker as the source wrote it: "1、[", "2、 [" are written back
# each as it was, "3. [" with the settings' item_marker ("、").
m="$tmp/marker"; mkdir "$m"; cp -r $ZH/issues $ZH/templates "$m/"
printf -- '---\nnumber: 20\ndate: 2023-09-23\n---\n\n## 🦄文章&教程\n\n1、[甲](https://example.com/1)\n\n2、 [乙](https://example.com/2)\n\n3. [丙](https://example.com/3)\n' \
	> "$m/issues/020.md"
expect_text "zh: each item's marker as written, else the settings'" "1、[甲](https://example.com/1)
2、 [乙](https://example.com/2)
3、[丙](https://example.com/3)" "$($W -C "$m" build 20 -f md -o - 2>/dev/null | grep '^[0-9]')"
expect_text "zh: the email too" "1、 2、  3、" \
	"$($W -C "$m" build 20 -f email -o - 2>/dev/null | grep -o '>[0-9]*、 \?<a' | tr -d '<>a' | tr '\n' ' ' | sed 's/ $//')"

# Eras: an era's keys replace the settings for its issues only, in order.
e="$tmp/eras"; mkdir -p "$e/issues" "$e/templates"
printf '{{newsletter.name}}|{{newsletter.mark}}|{{#newsletter.gone}}gone{{/newsletter.gone}}\n' > "$e/templates/issue.md.mustache"
cat > "$e/issues/newsletter.yaml" <<'YAML'
name: Base
mark: base
gone: yes
sections: [{id: a, title: A}]
eras:
  - {until: 3, name: Early, gone: null}
  - {from: 3, until: 4, mark: middle}
  - {from: 10, name: Late}
YAML
for n in 1 3 4 5 10 12; do
	printf -- '---\nnumber: %s\ndate: 2024-01-%02d\n---\n\n## A\n\n- [x](https://example.com/%s)\n' $n $n $n > "$e/issues/$n.md"
done
got=$(for n in 1 3 4 5 10 12; do $W -C "$e" build $n -f md -o - 2>/dev/null; done)
expect_text "eras: each issue sees its eras' keys" "Early|base|
Early|middle|
Base|middle|gone
Base|base|gone
Late|base|gone
Late|base|gone" "$got"
printf -- '---\nnumber: 4\ndate: 2024-01-04\nname: Own\n---\n\n## A\n\n- [x](https://example.com/4)\n' > "$e/issues/4.md"
expect_text "eras: front matter overrides the era" "Own|middle|gone" "$($W -C "$e" build 4 -f md -o - 2>/dev/null)"

bad() { # NAME ERAS WANT: settings with these eras are refused with WANT
	sed -i '/^eras:/,$d' "$e/issues/newsletter.yaml"
	printf 'eras:%s\n' "$2" >> "$e/issues/newsletter.yaml"
	local out; out=$($W -C "$e" check 4 2>&1); local rc=$?
	expect_status "$1: exit status" 1 $rc
	expect_text "$1: message" "$3" "$(printf '%s\n' "$out" | grep -m1 'error')"
}
bad "eras: not a list" " {from: 2}" \
	"issues/newsletter.yaml:5:7: error: 'eras' is a list of settings, each with 'from' or 'until' an issue number [settings]"
bad "eras: no bounds" "
  - {name: X}" \
	"issues/newsletter.yaml:6:5: error: an era needs 'from' or 'until': the issue numbers it holds [settings]"
bad "eras: a bound that is no number" "
  - {from: soon}" \
	"issues/newsletter.yaml:6:12: error: an era's 'from' is an issue number [settings]"
finish
