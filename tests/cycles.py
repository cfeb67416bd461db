#!/usr/bin/env python3
"""cycles.py SRC INCLUDE OBJDIR: the loops among the source files.

A file depends on another when it calls a function the other defines (read
from the objects with nm) or includes a header declaring one (a header
including another counts for every file that defines what it declares;
the files that share a header, as parts of one module, do not depend on
each other by including it; nor do the files using a header private to
SRC).
Headers that include each other in a loop (with or without a file that
defines what they declare) are a loop of their own.
Prints each group of files that depend on each other in a loop, with the
path of one loop and why each step holds, and exits 1 if there is any."""
import os
import re
import subprocess
import sys


def symbols(objdir):
    """file -> (the functions and data it defines, the names it uses)."""
    out = {}
    for name in sorted(os.listdir(objdir)):
        if not name.endswith(".o"):
            continue
        lines = subprocess.run(["nm", os.path.join(objdir, name)], check=True,
                               capture_output=True, text=True).stdout
        defs, uses = set(), set()
        for line in lines.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "TDRBC":
                defs.add(parts[2])
            elif len(parts) == 2 and parts[0] == "U":
                uses.add(parts[1])
        out[name[:-2]] = (defs, uses)
    return out


INCLUDE = re.compile(r'^\s*#\s*include\s+"(?:weekly/)?([A-Za-z0-9_]+\.h)"', re.M)
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
DECLARED = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\(")


def headers(src, include):
    """header name -> (its text, the headers it includes)."""
    out = {}
    for d in (include, src):
        for name in os.listdir(d):
            if name.endswith(".h"):
                with open(os.path.join(d, name), encoding="utf-8") as f:
                    text = f.read()
                code = COMMENT.sub(" ", text)
                out[name] = (code, INCLUDE.findall(code))
    return out


def graph(src, include, objdir):
    syms = symbols(objdir)
    owner = {}
    for f, (defs, _) in syms.items():
        for s in defs:
            owner.setdefault(s, f)
    hdrs = headers(src, include)
    # the files that define what a header declares
    hown = {h: {owner[n] for n in DECLARED.findall(t) if n in owner}
            for h, (t, _) in hdrs.items()}
    # a header private to src/ is one module's, with every file using it
    for name in os.listdir(src):
        if name.endswith(".c"):
            with open(os.path.join(src, name), encoding="utf-8") as fh:
                for h in INCLUDE.findall(fh.read()):
                    if os.path.exists(os.path.join(src, h)):
                        hown[h].add(name[:-2])
    module = {}
    for h, files in hown.items():
        if os.path.exists(os.path.join(src, h)):
            for f in files:
                module.setdefault(f, set()).update(files)
    edges = {}

    def add(a, b, why):
        if a != b:
            edges.setdefault(a, {}).setdefault(b, why)

    def include(a, b, why):
        if b not in module.get(a, ()):
            add(a, b, why)

    for f, (_, uses) in syms.items():
        for s in sorted(uses):
            if s in owner:
                add(f, owner[s], "calls " + s)
        path = os.path.join(src, f + ".c")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                for h in INCLUDE.findall(fh.read()):
                    # the files sharing a header are one module to it
                    if f in hown.get(h, ()):
                        continue
                    for g in sorted(hown.get(h, ())):
                        include(f, g, "includes " + h)
    for h, (_, incs) in hdrs.items():
        for f in sorted(hown[h]):
            for i in incs:
                if f in hown.get(i, ()):
                    continue
                for g in sorted(hown.get(i, ()) - hown[h]):
                    include(f, g, h + " includes " + i)
    return edges


def include_edges(src, include):
    """header -> {the headers of SRC and INCLUDE it includes: "includes"}."""
    hdrs = headers(src, include)
    return {h: {i: "includes" for i in incs if i in hdrs}
            for h, (_, incs) in hdrs.items()}


def components(edges):
    """Tarjan: the strongly connected groups of more than one file."""
    index, low, stack, on, out = {}, {}, [], set(), []
    nodes = sorted(set(edges) | {b for e in edges.values() for b in e})

    def visit(v):
        work = [(v, iter(sorted(edges.get(v, {}))))]
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        group.append(w)
                        if w == node:
                            break
                    if len(group) > 1:
                        out.append(sorted(group))
            elif nxt not in index:
                index[nxt] = low[nxt] = len(index)
                stack.append(nxt)
                on.add(nxt)
                work.append((nxt, iter(sorted(edges.get(nxt, {})))))
            elif nxt in on:
                low[node] = min(low[node], index[nxt])

    for v in nodes:
        if v not in index:
            visit(v)
    return out


def loop(edges, group):
    """One loop through the group's first file, as (file, why) steps."""
    start, inside = group[0], set(group)
    prev, todo = {start: None}, [start]
    while todo:
        v = todo.pop(0)
        for w in sorted(edges.get(v, {})):
            if w not in inside:
                continue
            if w == start:
                steps, at = [(v, w)], v
                while prev[at] is not None:
                    steps.append((prev[at], at))
                    at = prev[at]
                return list(reversed(steps))
            if w not in prev:
                prev[w] = v
                todo.append(w)
    return []


def main():
    src, include, objdir = sys.argv[1:4]
    edges = graph(src, include, objdir)
    groups = components(edges)
    for g in groups:
        steps = loop(edges, g)
        print("cycle among " + ", ".join(g) + ": " +
              "; ".join("%s %s (%s)" % (a, edges[a][b], b) for a, b in steps))
    hedges = include_edges(src, include)
    hgroups = components(hedges)
    for g in hgroups:
        print("include cycle among " + ", ".join(g) + ": " +
              "; ".join("%s includes %s" % step for step in loop(hedges, g)))
    return 1 if groups or hgroups else 0


if __name__ == "__main__":
    sys.exit(main())
