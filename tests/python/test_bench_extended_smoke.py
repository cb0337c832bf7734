"""Keeps bench/bench_extended.py (the extended nodes against pyo) from
rotting: a short run, labsound alone. Nothing here is about speed."""

import json
import os
import subprocess
import sys

BENCH = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "bench",
                     "bench_extended.py")


def test_bench_extended_quick_runs_every_case(tmp_path):
    out = tmp_path / "ext.json"
    p = subprocess.run([sys.executable, BENCH, "--quick", "--no-peers", "--seconds", "0.2",
                        "--repeat", "1", "--json", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    data = json.loads(out.read_text())
    measured = set(data["summary"])
    # every node the package has is measured (a case whose factory is
    # missing is listed as skipped instead)
    assert {"noise_white", "noise_pink", "noise_brown", "adsr", "supersaw", "polyblep",
            "clip", "clip_tanh", "peak_comp"} <= measured
    for case, s in data["summary"].items():
        assert s["labsound_ms"] > 0, case
        rounds = data["rounds"][case]["labsound"]
        assert all("error" not in r for r in rounds), (case, rounds)
        assert all(r["rms"] > 1e-3 for r in rounds), (case, rounds)   # it made sound
