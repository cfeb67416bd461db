"""Print the results of tests/bench/table.sh (lines NAME, ISSUES, MEDIAN
wall seconds, MEAN processor seconds, PEAK MiB) as one table: a row per
command, a column per archive size, each cell the median wall time, the
processor time and the peak memory; then weekly's times as multiples of
the floor program's and Hugo's (wall, processor), and each one-issue
command's as a multiple of its time in the smallest newsletter (flat
means near 1)."""
import sys

ONE = ["build 15 --force", "check LAST", "where URL", "stats 15"]
ORDER = ["build 15 --force", "floor (one issue)", "check LAST", "where URL", "stats 15",
         "build --all", "floor (all issues)", "hugo", "build --all, no change"]
RATIOS = [("build 15 --force", "floor (one issue)"), ("build --all", "floor (all issues)"),
          ("build --all", "hugo")]


def seconds(s):
    ms = float(s) * 1000
    return f"{ms:.2f}" if ms < 10 else f"{ms:.1f}" if ms < 1000 else f"{ms:.0f}"


def cell(median, cpu, mib):
    return f"{seconds(median)} / {seconds(cpu)} ms {float(mib):.0f} MB"


def ratio(x, y):
    """x's wall and processor times as multiples of y's."""
    if not (x and y and float(y[0]) and float(y[1])):
        return "-"
    return f"{float(x[0]) / float(y[0]):.2f}x / {float(x[1]) / float(y[1]):.2f}x"


def main(path):
    res, sizes = {}, []
    for line in open(path):
        name, n, median, cpu, mib = line.rstrip("\n").split("\t")
        res[name, n] = (median, cpu, mib)
        if n not in sizes:
            sizes.append(n)
    head = f"{'issues: wall / processor time, peak':<36}" + "".join(
        f"{int(n):>26,}" for n in sizes)
    print(head)
    print("-" * len(head))
    for name in ORDER:
        cells = [cell(*res[name, n]) if (name, n) in res and res[name, n][0] else "-"
                 for n in sizes]
        print(f"{name:<36}" + "".join(f"{c:>26}" for c in cells))
    for a, b in RATIOS:
        cells = [ratio(res.get((a, n)), res.get((b, n))) for n in sizes]
        print(f"{a + ' / ' + b:<36}" + "".join(f"{c:>26}" for c in cells))
    for a in ONE:
        cells = [ratio(res.get((a, n)), res.get((a, sizes[0]))) for n in sizes]
        print(f"{a + ' / at ' + sizes[0]:<36}" + "".join(f"{c:>26}" for c in cells))

if __name__ == "__main__":
    main(sys.argv[1])
