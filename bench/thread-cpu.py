#!/usr/bin/env python3
"""Per-thread CPU of one command, read from /proc/PID/task/*/stat every 0.2 s until it exits (Linux).

    bench/thread-cpu.py [-v] COMMAND [ARG ...]

Prints the wall time, every thread's CPU seconds (user + system) by thread name, and for quant4j's forward pass
the split at the moment the first pool worker (quant-eval-0, ...) starts working: CPU of the main thread and of the
other threads (JIT compilers, kernel warm-up, GC) before it, then main thread vs pool workers after it. A main
thread far busier than the workers after that point means serial work that leaves the other cores idle. -v also
prints the timeline per second. The command's own output goes to stderr. Threads of one name are summed (the JVM's
launcher thread and the main thread are both "java"); names are cut to 15 characters by the kernel.

Example (the issue's 483 M benchmark model, see bench/compare-llama-perplexity.sh):
    bench/thread-cpu.py quant-cli/target/quant-0.1.0-SNAPSHOT/bin/quant perplexity \\
        -m /tmp/quant4j-bench/tinyllama8-f16.gguf -f ../shared/reference/trained/tiny-shakespeare-256-heldout.txt \\
        -c 512 --chunks 3 -t 2
"""
import collections
import os
import subprocess
import sys
import time

import proc_threads

verbose = len(sys.argv) > 1 and sys.argv[1] == '-v'
cmd = sys.argv[2:] if verbose else sys.argv[1:]
if not cmd:
    sys.exit(__doc__)
tick = os.sysconf('SC_CLK_TCK')
proc = subprocess.Popen(cmd, stdout=sys.stderr)
t0 = time.time()
ticks, names, timeline = {}, {}, []


def group(name):
    if name == 'java':
        return 'main'
    return 'workers' if name.startswith('quant-eval-') and name[11:12].isdigit() else 'other'


while proc.poll() is None:
    if not proc_threads.sample(proc.pid, names, ticks):
        break
    sums = collections.Counter()
    for tid, t in ticks.items():
        sums[group(names[tid])] += t
    timeline.append((time.time() - t0, sums))
    time.sleep(0.2)
wall = time.time() - t0

per_name = collections.Counter()
for tid, t in ticks.items():
    per_name[names[tid]] += t
print(f'wall {wall:.2f} s, exit {proc.returncode}, load average {" ".join(open("/proc/loadavg").read().split()[:3])}')
print('per-thread CPU s: ' + ', '.join(f'{n} {t / tick:.2f}' for n, t in per_name.most_common() if t > 0))
start = next((i for i, (_, s) in enumerate(timeline) if s['workers'] > 0), None)
if start is not None:
    before, last = timeline[start - 1][1] if start > 0 else collections.Counter(), timeline[-1][1]
    print(f'before the first pool worker runs ({timeline[start][0]:.1f} s): main {before["main"] / tick:.2f}, '
          f'other threads {before["other"] / tick:.2f} CPU s; after: main {(last["main"] - before["main"]) / tick:.2f}, '
          f'pool workers {last["workers"] / tick:.2f}, other {(last["other"] - before["other"]) / tick:.2f} CPU s')
if verbose:
    prev, second = collections.Counter(), 1
    for t, s in timeline:
        if t >= second or (t, s) == timeline[-1]:
            print(f'{second:4d} s  ' + '  '.join(f'{g} {(s[g] - prev[g]) / tick:4.2f}' for g in ('main', 'workers', 'other')))
            prev, second = s, second + 1
sys.exit(proc.returncode)
