"""Keeps bench/bench_processing.py from rotting: a short run, labsound alone.

Nothing here is about speed; it checks that every measure runs and reports.
"""

import json
import os
import subprocess
import sys

BENCH = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "bench",
                     "bench_processing.py")


def test_bench_processing_quick(tmp_path):
    out = tmp_path / "proc.json"
    p = subprocess.run([sys.executable, BENCH, "--quick", "--no-peers", "--json", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    data = json.loads(out.read_text())
    for name in ("labsound create_function", "labsound create_processor"):
        r = data["overhead"][name]
        assert "error" not in r, r
        assert r["quanta"] > 0 and r["node_s"] > 0
    assert len(data["gil"]) == 5
    assert all("error" not in r and r["calls"] > 0 for r in data["gil"])
