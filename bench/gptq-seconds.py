#!/usr/bin/env python3
"""Mean seconds per tensor shape from quant --report files: bench/gptq-seconds.py REPORT.json [REPORT.json ...]"""
import json
import re
import sys
from collections import defaultdict

for path in sys.argv[1:]:
    d = json.load(open(path))
    groups = defaultdict(list)
    for t in d["tensors"]:
        if t.get("seconds") is None or len(t["shape"]) < 2:
            continue
        role = re.sub(r"^blk\.\d+\.", "", t["name"])
        groups[(role, tuple(t["shape"]))].append(t["seconds"])
    print(f"{path}: {d['seconds']:.1f} s total, {d['threads']} threads")
    for (role, shape), s in sorted(groups.items(), key=lambda kv: -sum(kv[1])):
        print(f"  {role:24s} {shape[0]:>6} x {shape[1]:<6} n={len(s):<3} mean {sum(s)/len(s):8.2f} s  max {max(s):8.2f} s")
