#!/usr/bin/env python3
"""The benchmark's bookkeeping, for bench/run.sh.

    tally.py compare DEMARC.jsonl OTHER        same (rule, key) findings? OTHER is jsonl or csv
    tally.py table TIMINGS.tsv                 the table of medians and ratios (markdown)

TIMINGS.tsv lines: N, tool, wall seconds, peak RSS KiB.
"""
import collections
import csv
import json
import statistics
import sys


def findings(path):
    """The set of (rule, key) of a demarc jsonl report or a duckdb csv (key parts joined by U+001F)."""
    out = set()
    if path.endswith(".jsonl"):
        with open(path, encoding="utf-8") as f:
            for line in f:
                o = json.loads(line)
                if "rule" in o:
                    out.add((o["rule"], "\x1f".join(o["key"])))
    else:
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                out.add((row[0], row[1]))
    return out


def compare(a_path, b_path):
    a, b = findings(a_path), findings(b_path)
    rules = sorted({r for r, _ in a | b})
    same = a == b
    for rule in rules:
        na = sum(1 for r, _ in a if r == rule)
        nb = sum(1 for r, _ in b if r == rule)
        only_a = sorted(k for r, k in a - b if r == rule)[:3]
        only_b = sorted(k for r, k in b - a if r == rule)[:3]
        mark = "same" if not only_a and not only_b else f"DIFFER (only in first: {only_a}, only in second: {only_b})"
        print(f"  {rule:24} {na:>9} {nb:>9}  {mark}")
    print(f"  {'total':24} {len(a):>9} {len(b):>9}  {'identical' if same else 'NOT IDENTICAL'}")
    return 0 if same else 1


def table(path):
    runs = collections.defaultdict(list)
    order = []
    with open(path) as f:
        for line in f:
            n, tool, secs, kib = line.split()
            if n not in order:
                order.append(n)
            runs[(n, tool)].append((float(secs), int(kib)))

    def med(n, tool):
        v = runs.get((n, tool))
        if not v:
            return None, None
        return statistics.median(s for s, _ in v), max(k for _, k in v) / 1024

    def cell(x, fmt):
        return "–" if x is None else format(x, fmt)

    def ratio(a, b):
        return "–" if a is None or b is None or b == 0 else f"{a / b:.2f}×"

    tools = [("demarc", "demarc (CSV)"), ("duckdb", "DuckDB (CSV)"),
             ("demarc-xml", "demarc (XML)"), ("c-reader", "C xmlTextReader")]
    print("| records a side | " + " | ".join(f"{label} s / MiB" for _, label in tools)
          + " | DuckDB/demarc time | demarc/DuckDB RSS | demarc XML/C reader time |")
    print("|---:|" + "---:|" * (len(tools) + 3))
    for n in order:
        m = {tool: med(n, tool) for tool, _ in tools}
        cells = [f"{cell(m[t][0], '.2f')} / {cell(m[t][1], '.0f')}" for t, _ in tools]
        print(f"| {int(n):,} | " + " | ".join(cells)
              + f" | {ratio(m['duckdb'][0], m['demarc'][0])} | {ratio(m['demarc'][1], m['duckdb'][1])}"
              + f" | {ratio(m['demarc-xml'][0], m['c-reader'][0])} |")
    runs_per = max(len(v) for v in runs.values())
    print(f"\nmedian wall time of {runs_per} alternating runs, peak RSS the largest of them")
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    sys.exit(table(sys.argv[2]))
