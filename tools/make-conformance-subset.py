#!/usr/bin/env python3
"""Builds the compact conformance subset that a fresh clone tests against when ../shared is absent.

From llama.cpp's reference vectors (shared/vectors/<TYPE>/, checked against their SHA256SUMS first) it keeps
every case of every type but only its first rows: ggml quantizes rows independently (the vectors' README
says each type was checked to give identical bytes row by row), so the first rows of input, expected bytes
and dequantized floats are themselves a valid llama.cpp case. Writes cases.json with the reduced row counts
and a SHA256SUMS file over everything written.

usage: tools/make-conformance-subset.py [SHARED_VECTORS] [OUT]
       (defaults: ../shared/vectors and quant-tck/src/main/resources/dev/quant4j/tck/conformance)
"""
import hashlib
import json
import os
import shutil
import sys

MAX_ROWS = 2          # rows kept per case ...
MAX_FLOATS = 1024     # ... and at most this many input floats (at least one row)
BUDGET = 5 * 1024 * 1024


def sha256(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def check_sources(src):
    sums = os.path.join(src, 'SHA256SUMS')
    bad = []
    with open(sums) as f:
        for line in f:
            digest, name = line.split(None, 1)
            name = name.strip()
            if '/' not in name.lstrip('./'):
                continue  # the folder's README is documentation, not data
            if sha256(os.path.join(src, name)) != digest:
                bad.append(name)
    if bad:
        sys.exit('reference vectors do not match their SHA256SUMS: %s' % bad[:5])


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, '..', 'shared', 'vectors')
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        root, 'quant-tck', 'src', 'main', 'resources', 'dev', 'quant4j', 'tck', 'conformance')
    check_sources(src)
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    written = []
    types = sorted(d for d in os.listdir(src) if os.path.isfile(os.path.join(src, d, 'cases.json')))
    for t in types:
        with open(os.path.join(src, t, 'cases.json')) as f:
            meta = json.load(f)
        os.makedirs(os.path.join(out, t))
        cases = []
        for c in meta['cases']:
            rows, n = c['rows'], c['row_length']
            keep = max(1, min(rows, MAX_ROWS, MAX_FLOATS // n))
            if c['expected_bytes'] % rows:
                sys.exit('%s/%s: %d bytes are not whole rows' % (t, c['name'], c['expected_bytes']))
            row_bytes = c['expected_bytes'] // rows
            parts = {c['input']: keep * n * 4, c['expected']: keep * row_bytes, c['dequant']: keep * n * 4}
            if c.get('imatrix_used'):
                parts[c['imatrix']] = n * 4
            for name, size in parts.items():
                dst = os.path.join(out, t, name)
                if not os.path.exists(dst):
                    with open(os.path.join(src, t, name), 'rb') as f:
                        data = f.read(size)
                    if len(data) != size:
                        sys.exit('%s/%s is shorter than %d bytes' % (t, name, size))
                    with open(dst, 'wb') as f:
                        f.write(data)
                    written.append(os.path.join(t, name))
            cases.append({'name': c['name'], 'rows': keep, 'rows_in_full_case': rows, 'row_length': n,
                          'input': c['input'], 'imatrix_used': bool(c.get('imatrix_used')),
                          'imatrix': c.get('imatrix') if c.get('imatrix_used') else None,
                          'expected': c['expected'], 'expected_bytes': keep * row_bytes, 'dequant': c['dequant']})
        facts = {k: v for k, v in meta.items() if k != 'cases'}
        facts['subset'] = 'first rows (at most %d, at most %d floats) of every case of shared/vectors/%s (tools/make-conformance-subset.py)' % (MAX_ROWS, MAX_FLOATS, t)
        with open(os.path.join(out, t, 'cases.json'), 'w') as f:
            json.dump(dict(facts, cases=cases), f, indent=1)
            f.write('\n')
        written.append(os.path.join(t, 'cases.json'))
    with open(os.path.join(out, 'SHA256SUMS'), 'w') as f:
        for name in sorted(written):
            f.write('%s  %s\n' % (sha256(os.path.join(out, name)), name))
    total = sum(os.path.getsize(os.path.join(out, n)) for n in written)
    if total > BUDGET:
        sys.exit('subset is %d bytes, over the %d budget: lower MAX_ROWS' % (total, BUDGET))
    print('wrote %d files, %.2f MB, %d types to %s' % (len(written), total / 1e6, len(types), out))


if __name__ == '__main__':
    main()
