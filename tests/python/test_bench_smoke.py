"""Keeps bench/bench.py from rotting: runs it for a moment, labsound alone.

Nothing here is about speed; it only checks that every case builds, renders
and reports.
"""

import json
import os
import subprocess
import sys

import pytest

BENCH = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "bench", "bench.py")


@pytest.mark.skipif(not sys.platform.startswith("linux") and sys.platform != "darwin",
                    reason="the harness reads RSS the POSIX way")
def test_bench_quick_runs_every_case(tmp_path):
    out = tmp_path / "bench.json"
    p = subprocess.run(
        [sys.executable, BENCH, "--quick", "--no-peers", "--repeat", "1",
         "--notes", "300", "--json", str(out)],
        capture_output=True, text=True, timeout=600,
    )
    assert p.returncode == 0, p.stdout + p.stderr
    assert "labsound" in p.stdout
    assert "Memory for 300 scheduled notes" in p.stdout

    data = json.loads(out.read_text())
    speed = {r["case"]: r for r in data["speed"]}
    assert {"silence", "sines", "synth", "sweep", "hrtf", "fft"} <= set(speed)
    effect_cases = {"panning", "panning_auto", "positional", "positional_rs", "delay", "iir",
                    "biquad", "compressor", "subtractive", "reverb"}
    assert effect_cases <= set(speed)
    assert {"biquad16", "biquad16_auto", "iir16", "panning16", "panning16_auto", "delay16",
            "positional16"} <= set(speed)
    buffer_cases = {"buf_mono", "buf_stereo", "buf_mono_rs", "buf_stereo_rs", "upmix", "downmix",
                    "mix_same", "mix_diff", "mix_gains", "granular", "upmix_dest", "downmix_dest"}
    assert buffer_cases <= set(speed)
    for case, r in speed.items():
        assert r["engine"] == "labsound"
        assert "error" not in r, r
        assert r["render_best_s"] > 0 and r["build_best_s"] > 0
        assert r["realtime"] > 0
        assert r["spread"] == 0.0 and r["run_best_s"] == [r["render_best_s"]]   # one run
    # The graphs really make sound (and silence is silent).
    assert speed["silence"]["rms"] == 0.0
    for case in set(speed) - {"silence"}:
        assert speed[case]["rms"] > 0.01, case

    # the resampler and decoding comparisons ran (labsound alone here)
    extras = {r["case"]: r for r in data["extras"]}
    assert set(extras) == {"resampler", "decode"}
    for row in extras["resampler"]["rows"]:
        assert row["engine"] == "labsound"
        assert row["sweep_snr_db"] > 100 and row["stopband_db"] < -100, row
    assert [r["engine"] for r in extras["decode"]["rows"]] == ["labsound"]

    (mem,) = data["memory"]
    assert mem["engine"] == "labsound" and "error" not in mem, mem
    assert mem["notes"] == 300
    assert mem["render_s"] is not None


def test_bench_rejects_unknown_case():
    p = subprocess.run([sys.executable, BENCH, "--cases", "nope", "--no-peers"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 2
    assert "unknown case" in p.stderr


def test_bench_runs_selected_cases_with_several_renders_per_run(tmp_path):
    out = tmp_path / "bench.json"
    p = subprocess.run(
        [sys.executable, BENCH, "--quick", "--no-peers", "--cases", "upmix_dest,downmix_dest",
         "--repeat", "2", "--per-run", "3", "--json", str(out)],
        capture_output=True, text=True, timeout=300,
    )
    assert p.returncode == 0, p.stdout + p.stderr
    speed = {r["case"]: r for r in json.loads(out.read_text())["speed"]}
    assert set(speed) == {"upmix_dest", "downmix_dest"}
    for r in speed.values():
        assert len(r["render_s"]) == 6 and len(r["run_best_s"]) == 2
        assert r["render_best_s"] == min(r["render_s"])
        lo, hi = min(r["run_best_s"]), max(r["run_best_s"])
        assert abs(r["spread"] - (hi - lo) / lo) < 1e-12
    # mono into stereo: both channels carry the buffer; stereo into mono: one
    assert speed["upmix_dest"]["rms"] > 0.1 and speed["downmix_dest"]["rms"] > 0.05
