#!/usr/bin/env python3
"""Interleaved wall-time comparison: ab.py N 'cmd A' 'cmd B' ...

Runs each command N times, taking turns, so that the VM's minute-to-minute
drift falls on all of them alike, and prints median, 10th percentile and
minimum wall time per command (spawn to exit, stdout and stderr to /dev/null;
this adds Python's spawn cost, ~0.2 ms, to every figure). A command may start
with VAR=value words, which go into its environment."""
import os, sys, time, shlex, statistics
n = int(sys.argv[1]); cmds = sys.argv[2:]
devnull = os.open(os.devnull, os.O_WRONLY)
res = {c: [] for c in cmds}
def run(c):
    parts = shlex.split(c); env = dict(os.environ)
    while parts and '=' in parts[0] and not parts[0].startswith('/'):
        k, v = parts.pop(0).split('=', 1); env[k] = v
    t = time.perf_counter_ns()
    pid = os.posix_spawnp(parts[0], parts, env, file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
    os.waitpid(pid, 0)
    return (time.perf_counter_ns() - t) / 1e6
for c in cmds:
    for _ in range(3): run(c)
for i in range(n):
    for c in cmds:
        res[c].append(run(c))
for c in cmds:
    v = sorted(res[c])
    print(f"median {statistics.median(v):7.2f} ms  p10 {v[len(v)//10]:7.2f}  min {v[0]:7.2f}  {c}")
