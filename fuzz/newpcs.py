#!/usr/bin/env python3
"""Where a fuzz run's new coverage lands: apkinfo's own code or a dependency.

    python3 fuzz/newpcs.py LOG [--own] [--bin BINARY] [--base 0x555555554000] [--window 600]

LOG is a libFuzzer log written with `-print_pcs=1`, each line led by the
second it was written (as saturate.py writes them, or piped through a
timestamper). The fuzzer must have run without ASLR (`setarch x86_64 -R`),
so that its PIE base is --base and the printed PCs map back to the binary.
Each NEW_PC is symbolized with its inlining chain (llvm-symbolizer) and
charged to the innermost frame that is not the standard library (std code
inlined into a caller counts for the caller): `apkinfo`
for src/, else the crate's name. Prints new PCs per window, by owner, and
the second of the last new PC in apkinfo's own code.
"""
import argparse
import collections
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NEW_PC = re.compile(r"^\s*(\d+(?:\.\d+)?) .*NEW_PC: (0x[0-9a-f]+)")
CRATE = re.compile(r"/registry/src/[^/]+/([^/]+?)-\d+\.\d+[^/]*/")


def owner(frames: list[str]) -> str:
    """The crate of the innermost frame outside std; frames are innermost first."""
    for f in frames:
        if "/rustc/" in f or "/.rustup/" in f:
            continue
        m = CRATE.search(f)
        if m:
            return m.group(1)
        if "/work/" in f and "/src/" in f:
            return "apkinfo"
        return "other"
    return "std"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("--bin", default=os.path.join(HERE, "target/assert/x86_64-unknown-linux-gnu/release/inspect"))
    ap.add_argument("--base", default="0x555555554000")
    ap.add_argument("--window", type=int, default=600)
    ap.add_argument("--own", action="store_true", help="also list each new PC in apkinfo's code")
    a = ap.parse_args()

    hits = []
    with open(a.log, errors="replace") as f:
        for line in f:
            m = NEW_PC.match(line)
            if m:
                hits.append((float(m.group(1)), int(m.group(2), 16) - int(a.base, 16)))
    if not hits:
        print("no NEW_PC lines (run with -print_pcs=1)")
        return 1
    query = "".join(f"0x{pc:x}\n" for _, pc in hits)
    out = subprocess.run(["llvm-symbolizer", f"--obj={a.bin}", "--inlining=true", "--functions=none"],
                         input=query, capture_output=True, text=True, check=True).stdout
    # One block of file:line:col frames per address (innermost first), blank-line separated.
    blocks = [b.split("\n") for b in out.strip("\n").split("\n\n")]
    if len(blocks) != len(hits):
        print(f"symbolizer gave {len(blocks)} answers for {len(hits)} PCs", file=sys.stderr)
        return 1
    windows = collections.defaultdict(collections.Counter)
    total = collections.Counter()
    last_own = None
    for (t, _), frames in zip(hits, blocks):
        o = owner(frames)
        windows[int(t // a.window)][o] += 1
        total[o] += 1
        if o == "apkinfo":
            last_own = t
            if a.own:
                where = next(f for f in frames if "/rustc/" not in f and "/.rustup/" not in f)
                print(f"{t:9.1f} s  {where.split('/work/main/')[-1]}")
    for w in sorted(windows):
        c = windows[w]
        print(f"{w * a.window:6d}-{(w + 1) * a.window:6d} s  {sum(c.values()):4d} new PCs, apkinfo {c['apkinfo']:3d}; "
              + ", ".join(f"{k} {v}" for k, v in c.most_common() if k != "apkinfo"))
    print(f"all: {sum(total.values())} new PCs; " + ", ".join(f"{k} {v}" for k, v in total.most_common()))
    print(f"last new PC in apkinfo's own code at {last_own} s" if last_own is not None else "no new PC in apkinfo's own code")
    return 0


if __name__ == "__main__":
    sys.exit(main())
