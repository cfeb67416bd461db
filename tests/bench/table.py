"""Print the results of tests/bench/table.sh (lines NAME, ISSUES, MEDIAN
seconds, PEAK MiB) as one table: a row per command, a column per archive
size, each cell the median wall time and the peak memory, and weekly's
time as a multiple of the floor program's."""
import sys

ORDER = ["build 15 --force", "floor (one issue)", "check LAST", "where URL",
         "build --all", "floor (all issues)", "hugo", "build --all, no change"]
RATIOS = [("build 15 --force", "floor (one issue)"), ("build --all", "floor (all issues)"),
          ("build --all", "hugo")]


def cell(median, mib):
    ms = float(median) * 1000
    t = f"{ms:.2f} ms" if ms < 10 else f"{ms:.1f} ms" if ms < 1000 else f"{ms / 1000:.2f} s"
    return f"{t} {float(mib):.0f} MB"


def main(path):
    res, sizes = {}, []
    for line in open(path):
        name, n, median, mib = line.rstrip("\n").split("\t")
        res[name, n] = (median, mib)
        if n not in sizes:
            sizes.append(n)
    head = f"{'command (median wall, peak memory)':<36}" + "".join(
        f"{int(n):>20,}" for n in sizes)
    print(head)
    print("-" * len(head))
    for name in ORDER:
        cells = [cell(*res[name, n]) if (name, n) in res and res[name, n][0] else "-"
                 for n in sizes]
        print(f"{name:<36}" + "".join(f"{c:>20}" for c in cells))
    for a, b in RATIOS:
        cells = []
        for n in sizes:
            x, y = res.get((a, n)), res.get((b, n))
            ok = x and y and x[0] and y[0]
            cells.append(f"{float(x[0]) / float(y[0]):.2f}x" if ok else "-")
        print(f"{a + ' / ' + b:<36}" + "".join(f"{c:>20}" for c in cells))


if __name__ == "__main__":
    main(sys.argv[1])
