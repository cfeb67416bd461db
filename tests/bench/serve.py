#!/usr/bin/env python3
"""serve.py - `make bench-serve`: from the save of an issue to its open
page's reload event, in an archive of 1,000 issues (tests/bench/gen-archive)
served by `weekly serve`, the page open in headless chromium driven through
its DevTools protocol. The clock starts before the file is written and
stops when chromium reports the event stream's "reload" message
(Network.eventSourceMessageReceived, as this client receives it). Each run
then waits for the server to log the save as done and for the page to
load again, with the new text. Then as many
saves of an error (an unknown section), each timed to the page's "state"
message carrying it, and its fix.

usage: tests/bench/serve.py [RUNS]   (default 30; BENCH_DIR: where the
archive is made, by default .obj/bench/serve; BENCH_ISSUES: its size)"""
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "serve"))
from cdp import Browser, unavailable  # noqa: E402
from serving import Server, read, write  # noqa: E402

TARGET_MS = 50


def archive(n):
    folder = os.path.abspath(os.environ.get("BENCH_DIR") or os.path.join(ROOT, ".obj", "bench", "serve"))
    folder = os.path.join(folder, str(n))
    if not os.path.exists(os.path.join(folder, "issues", "newsletter.yaml")):
        subprocess.run([sys.executable, os.path.join(HERE, "gen-archive"), folder, str(n)], check=True,
                       stdout=subprocess.DEVNULL)
    return folder


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    n = int(os.environ.get("BENCH_ISSUES", "1000"))
    why = unavailable()
    if why:
        print(f"bench-serve: skipped: {why}")
        return 0
    folder = archive(n)
    names = sorted(f for f in os.listdir(os.path.join(folder, "issues")) if f.endswith(".md"))
    name = names[len(names) // 2]
    issue, page = f"issues/{name}", name[:-3] + ".html"
    original = read(folder, issue)
    srv = Server(folder, timeout=120)
    b = Browser()
    times, errors = [], []
    try:
        b.open(srv.url + page)
        state(b)
        for i in range(runs):
            marker = f"Saved for the benchmark, run {i}."
            times.append(save(b, folder, issue, original + f"\n{marker}\n", "reload"))
            done = srv.builds(10)  # the server is done with the save
            if os.environ.get("BENCH_VERBOSE"):
                print(f"{times[-1]:.1f} ms: {done}")
            b.event("Page.loadEventFired", 10)
            if not b.until(f"document.body.innerText.includes({marker!r})", 10):
                raise RuntimeError(f"run {i}: the page does not show the new text")
            state(b)
        for i in range(runs):  # an error, then its fix
            bad = original.replace("\n## ", f"\n## No Such Section {i}\n\n## ", 1)
            errors.append(save(b, folder, issue, bad, "state", '"severity":"error"'))
            srv.builds(10)
            save(b, folder, issue, original + f"\nFixed {i}.\n", "reload")
            srv.builds(10)
            b.event("Page.loadEventFired", 10)
            state(b)
    finally:
        write(folder, issue, original)
        b.close()
        srv.stop()
    report("save -> reload event", issue, len(names), times)
    report("save of an error -> its diagnostics on the page", issue, len(names), errors)
    return 0 if statistics.median(times) < TARGET_MS else 1


def state(b):
    """Until the page's stream has told it its state."""
    if not b.event("Network.eventSourceMessageReceived", 10, lambda p: p["eventName"] == "state"):
        raise RuntimeError("the page was told no state")


def save(b, folder, issue, text, event, data=""):
    """Milliseconds from writing text into issue to the page's event (whose
    data has data)."""
    b.forget_events()
    t0 = time.time()
    write(folder, issue, text)
    e = b.event("Network.eventSourceMessageReceived", 10,
                lambda p: p["eventName"] == event and data in p["data"])
    if not e:
        raise RuntimeError(f"no {event} event within 10 s")
    return (e["at"] - t0) * 1000


def report(what, issue, n, times):
    med = statistics.median(times)
    print(f"{what}, {issue} of {n} issues, {len(times)} runs: median {med:.1f} ms "
          f"(min {min(times):.1f}, max {max(times):.1f}); target {TARGET_MS} ms: {med / TARGET_MS:.2f} of it")


if __name__ == "__main__":
    sys.exit(main())
