"""Keeps bench/bench_calls.py (the Python API's per-call costs, docs/building.md
"Stable ABI") from rotting: every case runs for a moment and is reported.

Nothing here is about speed.
"""

import os
import re
import subprocess
import sys

BENCH = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "bench", "bench_calls.py")
CASES = ["nodes", "connect", "param_set", "param_get", "automation", "factory_kw", "from_numpy",
         "channel_data"]


def test_bench_calls_reports_every_case():
    p = subprocess.run([sys.executable, BENCH, "--repeat", "1", "--inner", "1", "--scale", "0.01"],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    rows = dict(re.findall(r"^(\w+) +([0-9.]+)$", p.stdout, re.M))
    assert sorted(rows) == sorted(CASES), p.stdout
    assert all(float(v) > 0 for v in rows.values()), p.stdout
    assert "_core." in p.stdout     # names the extension it measured
