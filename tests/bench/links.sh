#!/bin/bash
# links.sh - `weekly check --links` over 300 links on 30 local hosts (ports of
# tests/linkserver.py, 50 ms per response) beside markdown-link-check,
# linkinator and LinkChecker at their defaults, on the same server in the same
# run: wall medians (hyperfine), peak memory (/usr/bin/time -v) and the most
# requests the server saw in flight at once.
#   LINKBENCH_RUNS   runs of the fast commands (default 15)
#   LINKBENCH_SLOW   runs of the slow ones (default 3)
set -e
cd "$(dirname "$0")/../.."
out=$PWD/.obj/bench/links
npm=$PWD/.obj/npm
runs=${LINKBENCH_RUNS:-15} slow=${LINKBENCH_SLOW:-3}
links=300 hosts=30 jobs=128 per_host=8 delay=0.05
rm -rf "$out" && mkdir -p "$out"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy

WEEKLY_EXTRA_PKGS="hyperfine linkchecker" .ci/deps
[ -x "$npm/node_modules/.bin/linkinator" ] && [ -x "$npm/node_modules/.bin/markdown-link-check" ] ||
	npm install --silent --prefix "$npm" markdown-link-check linkinator >/dev/null

# The server runs until this script ends (its standard input closes).
mkfifo "$out/ctl"
python3 tests/linkserver.py --fast --ports $hosts --delay $delay --lifetime 1800 <"$out/ctl" >"$out/ports" &
exec 5>"$out/ctl"
for _ in $(seq 50); do [ -s "$out/ports" ] && break; sleep 0.1; done
read -r _ rest <"$out/ports"
ports=(${rest%% CLOSED*})
stats="http://127.0.0.1:${ports[0]}/stats"

# The same 300 links as an issue, as Markdown and as HTML.
nl="$out/newsletter"
mkdir -p "$nl/issues"
cp issues/newsletter.yaml "$nl/issues/"
cp -r templates "$nl/"
printf -- '---\nnumber: 1\ndate: 2024-01-06\n---\n\n## Articles\n\n' >"$nl/issues/001.md"
printf '<!DOCTYPE html>\n<html><head><title>links</title></head><body>\n' >"$out/links.html"
: >"$out/links.md"
for ((i = 0; i < links; i++)); do
	url="http://127.0.0.1:${ports[i % hosts]}/bench/$i"
	[ $i = $((links - 1)) ] && printf '## Projects\n\n' >>"$nl/issues/001.md" # a required section
	printf '%d. [Link %d](%s)\n\nAbout link %d.\n\n' $((i + 1)) "$i" "$url" "$i" >>"$nl/issues/001.md"
	printf -- '- [Link %d](%s)\n' "$i" "$url" >>"$out/links.md"
	printf '<p><a href="%s">Link %d</a></p>\n' "$url" "$i" >>"$out/links.html"
done
printf '</body></html>\n' >>"$out/links.html"
chmod -R a+rX "$out" # LinkChecker drops root for nobody

weekly="$PWD/weekly -C $nl check --links --max-age 0"
weekly_startup="$PWD/weekly -C $nl check"
mlc="$npm/node_modules/.bin/markdown-link-check -q $out/links.md"
linkinator="$npm/node_modules/.bin/linkinator $out/links.md --markdown"
linkchecker="linkchecker --check-extern --no-status $out/links.html"

# Every tool must have found every link alive, or the figures mean nothing.
$weekly 2>"$out/weekly.err" || { cat "$out/weekly.err"; echo "weekly reported problems"; exit 1; }

# name, runs, command: median wall time, then peak memory and requests in
# flight from one more run under /usr/bin/time.
measure() {
	local name=$1 n=$2 cmd=$3
	curl -s "$stats?reset=1" >/dev/null
	hyperfine -N -i --warmup 1 --runs "$n" --export-json "$out/$name.json" -n "$name" "$cmd" \
		>"$out/$name.hyperfine" 2>&1 || { cat "$out/$name.hyperfine"; return 1; }
	curl -s "$stats?reset=1" >/dev/null
	/usr/bin/time -v -o "$out/$name.time" $cmd >"$out/$name.out" 2>&1 || true
	curl -s "$stats?reset=1" >"$out/$name.stats"
}

measure weekly-startup "$runs" "$weekly_startup"
measure weekly "$runs" "$weekly"
measure linkinator "$runs" "$linkinator"
measure markdown-link-check "$slow" "$mlc"
measure linkchecker "$slow" "$linkchecker"

python3 - "$out" "$links" "$hosts" "$jobs" "$per_host" "$delay" <<'EOF'
import json, math, re, sys
out, links, hosts, jobs, per_host, delay = sys.argv[1], *map(float, sys.argv[2:])
def median(name):
    return json.load(open(f"{out}/{name}.json"))["results"][0]["median"]
def rss_mb(name):
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f"{out}/{name}.time").read())
    return int(m.group(1)) / 1024 if m else float("nan")
def server(name):
    s = json.load(open(f"{out}/{name}.stats"))
    return s["max_in_flight"], s["connections"], sum(s["requests"].values())
startup = median("weekly-startup")
rounds = max(math.ceil(links / jobs), math.ceil(links / hosts / per_host))
floor = rounds * delay + startup
weekly = median("weekly")
tools = ["weekly", "linkinator", "markdown-link-check", "linkchecker"]
print(f"{int(links)} links on {int(hosts)} hosts, {delay * 1000:.0f} ms per response; "
      f"floor = {rounds} x {delay * 1000:.0f} ms + start-up {startup * 1000:.1f} ms "
      f"= {floor * 1000:.0f} ms")
print(f"| {'tool':<20} | {'wall (median)':>13} | {'x floor':>7} | {'x weekly':>8} | "
      f"{'peak RSS':>8} | {'in flight':>9} | {'connections':>11} | {'requests':>8} |")
print("|" + "|".join("-" * w for w in (22, 15, 9, 10, 10, 11, 13, 10)) + "|")
print(f"| {'floor':<20} | {floor * 1000:10.0f} ms | {1:7.2f} | {floor / weekly:8.2f} | "
      f"{'':>8} | {'':>9} | {'':>11} | {'':>8} |")
for t in tools:
    m = median(t)
    inflight, conns, reqs = server(t)
    print(f"| {t:<20} | {m * 1000:10.0f} ms | {m / floor:7.2f} | {m / weekly:8.2f} | "
          f"{rss_mb(t):5.1f} MB | {inflight:9d} | {conns:11d} | {reqs:8d} |")
fastest = min(median(t) for t in tools[1:])
ok = [weekly <= 1.5 * floor, fastest >= 2 * weekly, rss_mb("weekly") < 20]
print(f"weekly within 1.5x of the floor: {'yes' if ok[0] else 'NO'}; "
      f"2x faster than the fastest other: {'yes' if ok[1] else 'NO'} ({fastest / weekly:.1f}x); "
      f"peak memory under 20 MB: {'yes' if ok[2] else 'NO'}")
sys.exit(0 if all(ok) else 1)
EOF
