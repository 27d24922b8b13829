#!/usr/bin/env python3
"""Summarise saturate.py logs: python3 fuzz/summarize.py [--windows] fuzz/logs/*.sat*.log

For each run: seconds, executions, edge coverage (cov) and features (ft) from
INITED to the end, how much cov grew in the run's last 600 s, and when the
final cov was first reached (seconds from the start of the run). With
--windows, also the cov gained in each 600 s of the run, to show whether the
rate is falling.
"""
import re
import sys

LINE = re.compile(r"^\s*([0-9.]+) #(\d+)\s+(\S+)\s+cov: (\d+) ft: (\d+)")


def summary(path):
    s = []
    with open(path, errors="replace") as f:
        for line in f:
            m = LINE.match(line)
            if m:
                s.append((float(m[1]), int(m[2]), m[3], int(m[4]), int(m[5])))
    init = [x for x in s if x[2] == "INITED"]
    if not init:
        return f"{path}: no INITED line"
    _, _, _, c0, f0 = init[0]
    t_end, execs, _, c_end, f_end = s[-1]
    before = [x for x in s if x[0] <= t_end - 600]
    c600 = before[-1][3] if before else c0
    reached = next(x[0] for x in s if x[3] == c_end)
    line = (f"{path}: {t_end:.0f} s, {execs} execs, cov {c0} -> {c_end}, ft {f0} -> {f_end}; "
            f"last 600 s: +{c_end - c600} cov; final cov first reached at {reached:.0f} s")
    if WINDOWS:
        gains, prev, edge = [], c0, 600.0
        while edge <= t_end:
            upto = [x for x in s if x[0] <= edge]
            cov = upto[-1][3] if upto else c0
            gains.append(f"+{cov - prev}")
            prev, edge = cov, edge + 600
        if t_end - (edge - 600) >= 60:
            gains.append(f"(+{c_end - prev} in the last {t_end - (edge - 600):.0f} s)")
        line += "\n    cov gained per 600 s: " + " ".join(gains)
    return line


WINDOWS = "--windows" in sys.argv
for p in (a for a in sys.argv[1:] if a != "--windows"):
    print(summary(p))
