"""Keeps bench/bench_streams.py from rotting: a short run, labsound alone.

Nothing here is about speed; it checks that every measure runs and reports,
and that the identity it prints holds.
"""

import json
import os
import subprocess
import sys

import pytest

BENCH = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "bench", "bench_streams.py")


def test_bench_streams_short(tmp_path):
    pytest.importorskip("soundfile")
    out = tmp_path / "streams.json"
    p = subprocess.run([sys.executable, BENCH, "--seconds", "4", "--compare-seconds", "2",
                        "--realtime-seconds", "0.5", "--no-peers", "--no-pulse", "--json", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    data = json.loads(out.read_text())
    assert "error" not in data["labsound"], data["labsound"]
    assert data["labsound"]["out_frames"] > 4 * 48000
    assert data["identity"]["identical"]
    assert data["realtime_null"]["underruns"] == 0 and data["realtime_null"]["played_s"] > 0.4
    assert data["realtime_null_slow"]["underruns"] > 0 and data["realtime_null_slow"]["state"] == "running"
