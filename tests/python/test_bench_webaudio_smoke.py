"""Keeps bench/bench_webaudio.py from rotting: its 24 cases render for a
moment in labsound alone (no Chromium), and every graph makes sound."""

import json
import os
import subprocess
import sys

BENCH = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "bench", "bench_webaudio.py")


def test_every_case_renders(tmp_path):
    out = tmp_path / "wab.json"
    env = {k: v for k, v in os.environ.items() if k != "LABSOUND_CHROMIUM_BENCH"}
    p = subprocess.run([sys.executable, BENCH, "--duration", "0.5", "--repeat", "1",
                        "--json", str(out)], capture_output=True, text=True, timeout=300, env=env)
    assert p.returncode == 0, p.stdout + p.stderr
    data = json.loads(out.read_text())
    rows = data["rows"]
    assert [r["idx"] for r in rows] == list(range(1, 25))
    assert data["interpolation"] == "linear"
    for r in rows:
        assert r["labsound_x"] > 0 and "ratio" not in r
        if r["name"] == "Baseline (silence)":
            assert r["rms"] == 0
        elif r["name"] == "Stereo source with delay":
            assert r["rms"] == 0         # its 1 s delay: silent for a 0.5 s render
        else:
            assert r["rms"] > 1e-4, r
