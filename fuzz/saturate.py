#!/usr/bin/env python3
"""Run one fuzz target until its edge coverage stops growing.

    python3 fuzz/saturate.py TARGET [--plateau S] [--max S] [--bin DIR]

Runs the already-built libFuzzer binary (default: the `-a` build in
target/assert, see README.md) on corpus/TARGET, watches libFuzzer's status
lines, and stops it when `cov:` has not grown for --plateau seconds (default
600) or after --max seconds (default 1800). libFuzzer's own log goes to
logs/TARGET.sat.log with the wall-clock second of each line in front, so the
time of every coverage gain can be read back. One tab-separated line is
appended to runs.log:

    target execs seconds cov_at_start cov ft crashes last_cov_gain_at_s stopped_by

cov_at_start is libFuzzer's INITED line (the corpus loaded); last_cov_gain_at_s
counts from the start of the run.

`stopped_by` is `plateau` (coverage flat for the whole window: saturated at
this corpus and these mutators), `max` (still growing when time ran out) or
`exit` (libFuzzer stopped on its own: a crash, timeout or OOM — see artifacts/).
"""
import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
STATUS = re.compile(r"^#(\d+)\s+\S+\s+cov: (\d+) ft: (\d+)")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("target")
    ap.add_argument("--plateau", type=int, default=600)
    ap.add_argument("--max", type=int, default=1800)
    ap.add_argument("--bin", default=os.path.join(HERE, "target/assert/x86_64-unknown-linux-gnu/release"))
    ap.add_argument("--round", default="")
    ap.add_argument("--extra", action="append", default=[],
                    help="another libFuzzer flag, e.g. --extra=-detect_leaks=0")
    a = ap.parse_args()

    t = a.target
    os.makedirs(os.path.join(HERE, "logs"), exist_ok=True)
    os.makedirs(os.path.join(HERE, "artifacts", t), exist_ok=True)
    before = set(os.listdir(os.path.join(HERE, "artifacts", t)))
    cmd = [
        os.path.join(a.bin, t),
        f"-artifact_prefix=artifacts/{t}/",
        f"-max_total_time={a.max}",
        "-rss_limit_mb=2048",
        "-timeout=10",
        "-print_final_stats=1",
        *a.extra,
        f"corpus/{t}",
    ]
    start = time.time()
    execs = cov = ft = 0
    best_cov = -1
    gain_at = 0.0
    stopped = "exit"
    state = {"cov0": 0, "execs": 0, "cov": 0, "ft": 0, "best": -1, "gain_at": 0.0}

    def read(stream, log):
        for line in stream:
            now = time.time() - start
            log.write(f"{now:8.1f} {line}")
            m = STATUS.match(line)
            if m:
                state["execs"], state["cov"], state["ft"] = int(m[1]), int(m[2]), int(m[3])
                # Coverage counts from INITED (the corpus loaded); the lines
                # before it are the corpus being read in.
                if "INITED" in line:
                    state["cov0"] = state["best"] = state["cov"]
                    state["gain_at"] = now
                elif state["best"] >= 0 and state["cov"] > state["best"]:
                    state["best"], state["gain_at"] = state["cov"], now
            m = re.search(r"stat::number_of_executed_units: *(\d+)", line)
            if m:
                state["execs"] = int(m[1])

    stopped = "exit"
    # Earlier runs' logs are kept as TARGET.sat.N.log.
    log_path = os.path.join(HERE, "logs", f"{t}.sat.log")
    if os.path.exists(log_path):
        n = 1
        while os.path.exists(os.path.join(HERE, "logs", f"{t}.sat.{n}.log")):
            n += 1
        os.rename(log_path, os.path.join(HERE, "logs", f"{t}.sat.{n}.log"))
    with open(log_path, "w", buffering=1) as log:
        log.write(" ".join(cmd) + "\n")
        p = subprocess.Popen(cmd, cwd=HERE, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                             errors="replace")
        reader = threading.Thread(target=read, args=(p.stderr, log))
        reader.start()
        # libFuzzer's "pulse" lines come at doubling exec counts, so quiet stretches
        # can be long: watch the clock here, not in the reader.
        while p.poll() is None:
            time.sleep(5)
            now = time.time() - start
            if state["best"] >= 0 and now - state["gain_at"] >= a.plateau:
                stopped = "plateau"
                p.send_signal(signal.SIGINT)
                break
        p.wait()
        reader.join()
        if stopped != "plateau" and time.time() - start >= a.max - 2:
            stopped = "max"
    execs, cov, ft, gain_at = state["execs"], state["cov"], state["ft"], state["gain_at"]
    secs = int(time.time() - start)
    crashes = len(set(os.listdir(os.path.join(HERE, "artifacts", t))) - before)
    row = f"{t}\t{execs}\t{secs}\t{state['cov0']}\t{cov}\t{ft}\t{crashes}\t{int(gain_at)}\t{stopped}"
    with open(os.path.join(HERE, "runs.log"), "a") as f:
        if a.round:
            f.write(f"# {a.round}\n")
        f.write(row + "\n")
    print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
