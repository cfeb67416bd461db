#!/bin/bash
# links.sh - `weekly check --links` beside linkinator (and, in the first
# shape, markdown-link-check and LinkChecker) on the same local servers in
# the same run, 50 ms per response:
#   HTTP/1.1  300 links on 30 hosts, and 1,000 links on 5 hosts (ports of
#             tests/linkserver.py --fast, which writes each reply at once)
#   HTTP/2    1,000 links on 5 hosts: nghttpx (nghttp2's proxy) on 5 TLS
#             ports in front of the same server; weekly speaks HTTP/2 to it,
#             linkinator HTTP/1.1 (it has no HTTP/2)
#   memory    10,000 links in 100 issues on 30 hosts: weekly's peak resident
#             memory
# Wall medians (hyperfine; weekly, its start-up, the floor and linkinator
# side by side in one run), each against two floors (links_report.py): the
# rounds the per-host limit allows times 50 ms, and what tests/bench/linkfloor
# (the least an HTTP/1.1 client can do) takes at that limit on the same
# server; both plus weekly's start-up (`weekly check` without --links).
# Exits 1 when weekly misses a target of the issue.
#   LINKBENCH_RUNS   runs of the fast commands (default 10)
#   LINKBENCH_SLOW   runs of the slow ones, and of the HTTP/2 shape, where
#                    linkinator takes seconds (default 3)
set -e -o pipefail
cd "$(dirname "$0")/../.."
root=$PWD out=$PWD/.obj/bench/links npm=$PWD/.obj/npm
runs=${LINKBENCH_RUNS:-10} slow=${LINKBENCH_SLOW:-3}
delay=0.05 per_host=16 h2_streams=100 jobs=320
rm -rf "$out" && mkdir -p "$out"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy

WEEKLY_EXTRA_PKGS="hyperfine linkchecker nghttp2-proxy openssl" .ci/deps
cc -O2 -Wall -o .obj/bench/linkfloor tests/bench/linkfloor.c
[ -x "$npm/node_modules/.bin/linkinator" ] && [ -x "$npm/node_modules/.bin/markdown-link-check" ] ||
	npm install --silent --prefix "$npm" markdown-link-check linkinator >/dev/null

# Servers live until this script ends (their standard input closes).
mkfifo "$out/ctl"
python3 tests/linkserver.py --fast --ports 30 --delay $delay --lifetime 3600 <"$out/ctl" >"$out/ports" &
exec 5>"$out/ctl"
for _ in $(seq 50); do [ -s "$out/ports" ] && break; sleep 0.1; done
read -r _ rest <"$out/ports"
ports=(${rest%% CLOSED*})
stats="http://127.0.0.1:${ports[0]}/stats"

# nghttpx: 5 TLS ports speaking HTTP/2 (and HTTP/1.1), every request passed
# to the 30 ports above, with a certificate made here.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=127.0.0.1 \
	-addext "subjectAltName=IP:127.0.0.1" -keyout "$out/key.pem" -out "$out/cert.pem" >/dev/null 2>&1
h2ports=() nghttpx_args=()
for i in 0 1 2 3 4; do h2ports+=("$(free_port)"); nghttpx_args+=(-f "127.0.0.1,${h2ports[i]}"); done
for p in "${ports[@]}"; do nghttpx_args+=(-b "127.0.0.1,$p"); done
nghttpx "${nghttpx_args[@]}" -n 2 --backend-connections-per-host=2000 --no-ocsp \
	--conf=/dev/null --errorlog-file="$out/nghttpx.log" "$out/key.pem" "$out/cert.pem" &
nghttpx_pid=$!
trap 'kill $nghttpx_pid 2>/dev/null' EXIT
export WEEKLY_CA_BUNDLE=$out/cert.pem NODE_EXTRA_CA_CERTS=$out/cert.pem

# shape NAME LINKS HOSTS SCHEME PORT...: the same links as an issue, as
# Markdown and as HTML, in $out/NAME.
shape() {
	local name=$1 links=$2 hosts=$3 scheme=$4 dir=$out/$1 i url
	shift 4
	local p=("$@")
	mkdir -p "$dir/nl/issues"
	cp issues/newsletter.yaml "$dir/nl/issues/"
	cp -r templates "$dir/nl/"
	{
		printf -- '---\nnumber: 1\ndate: 2024-01-06\n---\n\n## Articles\n\n'
		for ((i = 0; i < links; i++)); do
			[ $i = $((links - 1)) ] && printf '## Projects\n\n' # a required section
			printf '%d. [Link %d](%s://127.0.0.1:%s/bench/%d)\n\nAbout link %d.\n\n' \
				$((i + 1)) "$i" "$scheme" "${p[i % hosts]}" "$i" "$i"
		done
	} >"$dir/nl/issues/001.md"
	for ((i = 0; i < links; i++)); do
		printf -- '- [Link %d](%s://127.0.0.1:%s/bench/%d)\n' "$i" "$scheme" "${p[i % hosts]}" "$i"
	done >"$dir/links.md"
	sed -E 's|^- \[.*\]\((.*)\)$|\1|' "$dir/links.md" >"$dir/urls"
	{
		printf '<!DOCTYPE html>\n<html><head><title>links</title></head><body>\n'
		sed -E 's|^- \[(.*)\]\((.*)\)$|<p><a href="\2">\1</a></p>|' "$dir/links.md"
		printf '</body></html>\n'
	} >"$dir/links.html"
	chmod -R a+rX "$out" # LinkChecker drops root for nobody
}

# side NAME RUNS TOOL=COMMAND...: the commands side by side in one hyperfine
# run (medians, $out/NAME/side.json), so that the machine's load at the time
# weighs on all alike; then each once more for its peak memory and what the
# server saw.
side() {
	local name=$1 n=$2 kv args=()
	shift 2
	for kv in "$@"; do args+=(-n "${kv%%=*}" "${kv#*=}"); done
	hyperfine -N -i --warmup 1 --runs "$n" --export-json "$out/$name/side.json" "${args[@]}" \
		>"$out/$name/side.hyperfine" 2>&1 || { cat "$out/$name/side.hyperfine"; return 1; }
	for kv in "$@"; do after "$name" "${kv%%=*}" "${kv#*=}"; done
}

# measure NAME TOOL RUNS COMMAND: a slow tool alone (median wall time,
# $out/NAME/TOOL.json), then as side does.
measure() {
	local name=$1 tool=$2 n=$3 cmd=$4
	hyperfine -N -i --warmup 1 --runs "$n" --export-json "$out/$name/$tool.json" -n "$tool" "$cmd" \
		>"$out/$name/$tool.hyperfine" 2>&1 || { cat "$out/$name/$tool.hyperfine"; return 1; }
	after "$name" "$tool" "$cmd"
}

# after NAME TOOL COMMAND: one more run, for peak memory and the server's counts.
after() {
	curl -s "$stats?reset=1" >/dev/null
	/usr/bin/time -v -o "$out/$1/$2.time" $3 >"$out/$1/$2.out" 2>&1 || true
	curl -s "$stats?reset=1" >"$out/$1/$2.stats"
}

# run_shape NAME LINKS HOSTS SCHEME CAP SLOW_TOOLS PORT...: weekly, its
# start-up, the floor (HTTP/1.1) and linkinator side by side; the slow tools
# (markdown-link-check, LinkChecker) after, alone.
run_shape() {
	local name=$1 links=$2 hosts=$3 scheme=$4 cap=$5 slow_tools=$6 dir n=$runs
	shift 6
	shape "$name" "$links" "$hosts" "$scheme" "$@"
	dir=$out/$name
	local weekly="$root/weekly -C $dir/nl check --links --max-age 0"
	# every link must be found alive, or the figures mean nothing
	$weekly 2>"$dir/weekly.err" || { cat "$dir/weekly.err"; echo "weekly reported problems"; exit 1; }
	local tools=("weekly-startup=$root/weekly -C $dir/nl check" "weekly=$weekly")
	# the floor at the per-host limit alone (no cap on requests in all)
	[ "$scheme" = http ] && tools+=("linkfloor=$root/.obj/bench/linkfloor $cap $((hosts * cap)) $dir/urls")
	[ "$scheme" = https ] && n=$slow # linkinator takes seconds
	side "$name" "$n" "${tools[@]}" "linkinator=$npm/node_modules/.bin/linkinator $dir/links.md --markdown"
	if [ "$slow_tools" = yes ]; then
		measure "$name" markdown-link-check "$slow" "$npm/node_modules/.bin/markdown-link-check -q $dir/links.md"
		measure "$name" linkchecker "$slow" "linkchecker --check-extern --no-status $dir/links.html"
	fi
	python3 tests/bench/links_report.py "$dir" "$name" "$links" "$hosts" "$jobs" "$cap" "$delay" \
		| tee "$dir/report"
}

status=0
run_shape http1-300-30 300 30 http $per_host yes "${ports[@]}" || status=1
run_shape http1-1000-5 1000 5 http $per_host no "${ports[@]:0:5}" || status=1
run_shape http2-1000-5 1000 5 https $h2_streams no "${h2ports[@]}" || status=1

# Peak memory over 10,000 links: an archive of 100 issues of 100 links
# each, on the 30 hosts.
mem=$out/mem-10000/nl
mkdir -p "$mem/issues"
cp issues/newsletter.yaml "$mem/issues/"
for ((n = 1; n <= 100; n++)); do
	{
		printf -- '---\nnumber: %d\ndate: 2024-01-06\n---\n\n## Articles\n\n' $n
		for ((i = 0; i < 100; i++)); do
			k=$(((n - 1) * 100 + i))
			[ $i = 99 ] && printf '## Projects\n\n'
			printf '%d. [Link %d](http://127.0.0.1:%s/bench/%d)\n\nAbout link %d.\n\n' \
				$((i + 1)) $k "${ports[k % 30]}" $k $k
		done
	} >"$(printf '%s/issues/%03d.md' "$mem" $n)"
done
/usr/bin/time -v -o "$out/mem.time" "$root/weekly" -C "$mem" check --links --max-age 0 \
	2>"$out/mem.err" || { tail -3 "$out/mem.err"; status=1; }
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/mem.time")
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out/mem.time")
awk -v k="$rss" -v w="$wall" 'BEGIN { printf "10000 links in 100 issues on 30 hosts: %s, peak memory %.1f MB (target: under 20 MB): %s\n", w, k / 1024, k < 20480 ? "yes" : "NO" }'
[ "$rss" -lt 20480 ] || status=1
exit $status
