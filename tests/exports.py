#!/usr/bin/env python3
"""exports.py SRC OBJDIR: what the files of SRC export that no other file of
SRC uses.

A function or variable a file of SRC defines with external linkage (read
from its object in OBJDIR with nm, as cycles.py reads them) is part of a
module's interface only when another file of SRC uses it: one used by its
own file alone should be static, and one used by tests alone is tested
through what it serves instead. main is the program's. Prints one line per
such name, "SRC/FILE.c: NAME", and exits 1 if there is any."""
import os
import sys

from cycles import symbols


def unused(src, objdir):
    syms = {f: s for f, s in symbols(objdir).items()
            if os.path.exists(os.path.join(src, f + ".c"))}
    users = {}
    for f, (_, uses) in syms.items():
        for name in uses:
            users.setdefault(name, set()).add(f)
    out = []
    for f, (defs, _) in sorted(syms.items()):
        for name in sorted(defs):
            if name != "main" and not users.get(name, set()) - {f}:
                out.append("%s: %s" % (os.path.join(src, f + ".c"), name))
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: exports.py SRC OBJDIR")
    found = unused(sys.argv[1], sys.argv[2])
    for line in found:
        print(line)
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
