#!/usr/bin/env python3
"""Where quant4j's quantize workers spend their samples, with the warm-up tax split out (Linux, JDK 25 `jfr`).

    bench/warmup-share.py [RUNS] QUANT_LAUNCHER [QUANT_LAUNCHER ...] -- MODEL.gguf TYPE

Runs `quant quantize --quiet MODEL OUT TYPE 2` under Java Flight Recorder (execution samples every 10 ms), each
launcher in turn RUNS times (default 1), and prints per launcher the worker threads' sample count (about their CPU
time in 10 ms units) and the share of it in each category: Vector API code running before C2 has compiled it
(warm-up probes of a closed WarmGate; split by kernel: the Q6_K/Qx search or the others), the scalar forms of the
searches and encoders, and the top remaining methods. Shares are steadier than seconds on a loaded machine, since
both sides of a pair see the same load. Needs `jfr` from the JDK that runs bin/quant (JAVA_HOME or PATH).
"""
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile

args = sys.argv[1:]
runs = int(args.pop(0)) if args and args[0].isdigit() else 1
if '--' not in args or len(args) < 4:
    sys.exit(__doc__)
cut = args.index('--')
launchers, (model, qtype) = args[:cut], args[cut + 1:cut + 3]
jfr = os.path.join(os.environ['JAVA_HOME'], 'bin', 'jfr') if os.environ.get('JAVA_HOME') else shutil.which('jfr')
if not jfr or not os.path.exists(jfr):
    sys.exit('needs the JDK tool jfr (set JAVA_HOME to a JDK 25)')


def category(frames):
    top = frames[0] if frames else '?'
    in_vector_api = top.startswith(('jdk.incubator.vector', 'jdk.internal.vm.vector')) or 'allocateInstance' in top
    if any('VectorQxBatch' in f for f in frames):
        return 'Qx search, vector, uncompiled' if in_vector_api else 'Qx search, vector'
    if in_vector_api:
        return 'other kernels, vector, uncompiled'
    if any('QxQuants' in f for f in frames):
        return 'Qx search, scalar'
    return top.rsplit('.', 2)[-2] + '.' + top.rsplit('.', 1)[-1]


with tempfile.TemporaryDirectory(prefix='quant4j-warmup.') as tmp:
    totals = {l: collections.Counter() for l in launchers}
    samples = collections.Counter()
    print(f'model {model}, {qtype}, {runs} run(s) per launcher; load average at start: '
          f'{" ".join(open("/proc/loadavg").read().split()[:3])}')
    for _ in range(runs):
        for l in launchers:
            rec = os.path.join(tmp, 'run.jfr')
            env = dict(os.environ, QUANT_JAVA_OPTS=(os.environ.get('QUANT_JAVA_OPTS', '')
                                                    + f' -XX:StartFlightRecording:settings=profile,filename={rec}'))
            subprocess.run([l, 'quantize', '--quiet', model, os.path.join(tmp, 'out.gguf'), qtype, '2'], env=env,
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            text = subprocess.run([jfr, 'print', '--events', 'jdk.ExecutionSample', '--stack-depth', '40', rec],
                                  check=True, capture_output=True, text=True).stdout
            for event in text.split('jdk.ExecutionSample {')[1:]:
                thread = re.search(r'sampledThread = "([^"]+)"', event)
                if thread and re.fullmatch(r'quant-\d+', thread.group(1)):
                    totals[l][category(re.findall(r'^\s+([\w.$]+\.\w+)\(', event, re.M))] += 1
                    samples[l] += 1
    print(f'load average at end: {" ".join(open("/proc/loadavg").read().split()[:3])}')
    for l in launchers:
        n = samples[l]
        print(f'\n{l}: {n / runs:.0f} worker samples per run')
        for k, v in totals[l].most_common(10):
            print(f'  {100 * v / n:5.1f} %  {k}')
        tax = sum(v for k, v in totals[l].items() if k.endswith('uncompiled'))
        print(f'  uncompiled Vector API code in all: {100 * tax / n:.1f} % ({tax / runs:.0f} samples per run)')
