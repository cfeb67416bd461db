"""Print the median of each command of hyperfine JSON exports, and each
median as a multiple of the first command's."""
import json, sys

for path in sys.argv[1:]:
    results = json.load(open(path))["results"]
    base = results[0]["median"]
    for r in results:
        print(f"{r['command']:<34} median {r['median'] * 1000:9.3f} ms  "
              f"({r['median'] / base:.2f}x of {results[0]['command']})")
