#!/usr/bin/env python3
"""links_report.py DIR NAME LINKS HOSTS JOBS CAP DELAY - one shape of
tests/bench/links.sh as a table: each tool's median wall time against the
floor and against weekly, its peak memory and what the server saw.

Two floors, both plus weekly's start-up (`weekly check` without --links:
the reading and checking of the issue, which a link check cannot skip):
  computed  the rounds that CAP requests at once per host allow, times
            DELAY: what an infinitely fast server and client would take.
            Only the per-host limit counts; weekly's own cap on requests
            in all (JOBS) is not a floor but a choice, and shows as such.
  measured  tests/bench/linkfloor (epoll, keep-alive, nothing else) asking
            the same URLs at CAP per host on the same server: what the
            server and the machine allow. Over HTTP/1.1 only.
Exits 1 when weekly misses the issue's targets: within 1.2x of the floor
(the measured one where there is one) over HTTP/1.1, 2x faster than
linkinator over HTTP/2, faster than every other tool."""
import json
import math
import os
import re
import sys

out, name = sys.argv[1], sys.argv[2]
links, hosts, jobs, cap, delay = (float(a) for a in sys.argv[3:8])


def median(tool):
    """The tool's median from the side-by-side run, or from its own."""
    if os.path.exists(f"{out}/side.json"):
        for r in json.load(open(f"{out}/side.json"))["results"]:
            if r["command"] == tool:
                return r["median"]
    return json.load(open(f"{out}/{tool}.json"))["results"][0]["median"]


def measured_tool(tool):
    return os.path.exists(f"{out}/{tool}.time")


def rss_mb(tool):
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f"{out}/{tool}.time").read())
    return int(m.group(1)) / 1024 if m else float("nan")


def server(tool):
    s = json.load(open(f"{out}/{tool}.stats"))
    return s["max_in_flight"], s["connections"], sum(s["requests"].values())


tools = [t for t in ("weekly", "linkinator", "markdown-link-check", "linkchecker")
         if measured_tool(t)]
startup = median("weekly-startup")
rounds = math.ceil(links / hosts / cap)
computed = rounds * delay + startup
measured = median("linkfloor") + startup if measured_tool("linkfloor") else None
floor = measured or computed
weekly = median("weekly")
capped = max(rounds, math.ceil(links / jobs))
print(f"{name}: {int(links)} links on {int(hosts)} hosts, {delay * 1000:.0f} ms per response, "
      f"{int(cap)} at once per host; start-up {startup * 1000:.1f} ms")
print(f"  computed floor: {rounds} round{'s' if rounds > 1 else ''} x {delay * 1000:.0f} ms + start-up = "
      f"{computed * 1000:.0f} ms (weekly's --jobs {int(jobs)} alone allows {capped})")
if measured:
    print(f"  measured floor: linkfloor {median('linkfloor') * 1000:.0f} ms + start-up = {measured * 1000:.0f} ms")
print(f"| {'tool':<20} | {'wall (median)':>13} | {'x floor':>7} | {'x computed':>10} | {'x weekly':>8} | "
      f"{'peak RSS':>8} | {'in flight':>9} | {'backend conns':>13} | {'requests':>8} |")
print("|" + "|".join("-" * w for w in (22, 15, 9, 12, 10, 10, 11, 15, 10)) + "|")
print(f"| {'floor (computed)':<20} | {computed * 1000:10.0f} ms | {computed / floor:7.2f} | {1:10.2f} | "
      f"{computed / weekly:8.2f} | {'':>8} | {'':>9} | {'':>13} | {'':>8} |")
for t in (["linkfloor"] if measured else []) + tools:
    m = median(t) + (startup if t == "linkfloor" else 0)
    inflight, conns, reqs = server(t)
    label = "floor (measured)" if t == "linkfloor" else t
    print(f"| {label:<20} | {m * 1000:10.0f} ms | {m / floor:7.2f} | {m / computed:10.2f} | "
          f"{m / weekly:8.2f} | {rss_mb(t):5.1f} MB | {inflight:9d} | {conns:13d} | {reqs:8d} |")
others = [median(t) for t in tools[1:]]
fastest = min(others) if others else float("inf")
checks = [("faster than every other tool", weekly < fastest, f"{fastest / weekly:.2f}x")]
if name.startswith("http2"):
    checks.append(("2x faster than linkinator", median("linkinator") >= 2 * weekly,
                   f"{median('linkinator') / weekly:.2f}x"))
else:
    checks.append((f"within 1.2x of the {'measured' if measured else 'computed'} floor",
                   weekly <= 1.2 * floor, f"{weekly / floor:.2f}x"))
print("; ".join(f"{what}: {'yes' if ok else 'NO'} ({figure})" for what, ok, figure in checks))
print()
sys.exit(0 if all(ok for _, ok, _ in checks) else 1)
