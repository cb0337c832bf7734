"""Keeps bench/bench_batch.py from rotting: a run with a tiny budget.

Nothing here is about speed; it checks that every row renders, reports and
that the figures are consistent with each other.
"""

import json
import os
import subprocess
import sys

import pytest

BENCH = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "bench", "bench_batch.py")


def test_bench_batch_tiny_budget(tmp_path):
    pytest.importorskip("distributed", reason="dask.distributed (labsound[dask]) not installed")
    out = tmp_path / "batch.json"
    p = subprocess.run([sys.executable, BENCH, "--budget", "0.05", "--min-items", "4",
                        "--max-items", "8", "--tiny", "40", "--no-peers", "--json", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "renders/s" in p.stdout and "Per-item overhead" in p.stdout
    data = json.loads(out.read_text())
    synth = {(r["engine"], r["workers"]): r for r in data["synth"]}
    assert set(synth) == {("labsound", 1), ("labsound", 2)}
    for r in synth.values():
        assert 4 <= r["renders"] <= 8 and r["wall_s"] > 0
        assert abs(r["renders_per_s"] - r["renders"] / r["wall_s"]) < 1e-9
        assert r["rms"] > 0.01                      # the graph makes sound
    assert synth[("labsound", 1)]["scaling"] == 1.0
    modes = [r["mode"] for r in data["overhead"]]
    assert modes[0].startswith("in-process") and len(modes) == 5
    assert any(m.startswith("dask") for m in modes)
    assert all(r["items"] == 40 and r["per_item_us"] > 0 for r in data["overhead"])
    assert data["pool_start_s"] > 0


def test_bench_batch_rejects_bad_workers():
    p = subprocess.run([sys.executable, BENCH, "--workers", "0"], capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 2 and "--workers" in p.stderr
