#!/usr/bin/env python3
"""The serial start-up path of `quant quantize`: how long until the first pool worker runs, and what the process
spent until then (Linux).

    bench/first-worker.py RUNS MODEL.gguf LAUNCHER[::JAVA_OPTS] [LAUNCHER[::JAVA_OPTS] ...]

Runs `LAUNCHER quantize --quiet MODEL OUT Q4_0 2` with each launcher in turn, RUNS times (old new old new ..., so a
change of machine load hits all alike); text after `::` is passed as QUANT_JAVA_OPTS (one build with and without a
JVM flag). Reads /proc/PID/task/*/stat every 5 ms; at the first tick of the first pool worker (thread `quant-N`) it
notes the wall seconds since launch, the main thread's CPU seconds and the whole process's CPU seconds (all
threads, compilers included): the work on the wall-clock path before any tensor is quantized. Then the whole run's
wall and CPU seconds. Prints each run and the medians per launcher. Ticks are 10 ms, so quote medians of several runs.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

import proc_threads

if len(sys.argv) < 4 or not sys.argv[1].isdigit():
    sys.exit(__doc__)
runs, model, sides = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
tick = os.sysconf('SC_CLK_TCK')


def worker(name):
    return name.startswith('quant-') and name[6:].isdigit()


def run(spec, out):
    launcher, _, opts = spec.partition('::')
    env = dict(os.environ, QUANT_JAVA_OPTS=opts)
    t0 = time.time()
    proc = subprocess.Popen([launcher, 'quantize', '--quiet', model, out, 'Q4_0', '2'], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    names, ticks, first = {}, {}, None

    def note_first_worker():
        nonlocal first
        if first is None and any(worker(names[t]) and n > 0 for t, n in ticks.items()):
            main = sum(n for t, n in ticks.items() if names[t] == 'java') / tick
            first = (time.time() - t0, main, sum(ticks.values()) / tick)

    status, usage = proc_threads.follow(proc, names, ticks, 0.005, note_first_worker)
    if status != 0 or first is None:
        sys.exit(f'failed or no worker seen ({status}): {spec}')
    return first + (time.time() - t0, usage.ru_utime + usage.ru_stime)


columns = ('first worker at s', 'main CPU s by then', 'process CPU s by then', 'wall s', 'CPU s')
results = {s: [] for s in sides}
print(f'model {model}, {runs} runs each, in turn; load average at start: '
      f'{" ".join(open("/proc/loadavg").read().split()[:3])}')
with tempfile.TemporaryDirectory(prefix='quant4j-first.') as tmp:
    for _ in range(runs):
        for s in sides:
            r = run(s, os.path.join(tmp, 'out.gguf'))
            results[s].append(r)
            print(s, ' '.join(f'{v:.3f}' for v in r), flush=True)
print(f'load average at end: {" ".join(open("/proc/loadavg").read().split()[:3])}\n')
print('| launcher | ' + ' | '.join(columns) + ' |')
print('|---' * (len(columns) + 1) + '|')
for s in sides:
    med = [statistics.median(r[k] for r in results[s]) for k in range(len(columns))]
    print(f'| {s} | ' + ' | '.join(f'{v:.3f}' for v in med) + ' |')
