"""The file, buffer-source, recorder and analyser examples run and produce
what they say they do."""

import os
import subprocess
import sys

import numpy as np
import pytest

import labsound as ls

EXAMPLES = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "examples")


def run(name, *args, cwd, timeout=120, env_extra=None):
    env = dict(os.environ)
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(ls.__file__)))
    env["PYTHONPATH"] = os.pathsep.join(p for p in [package_root, env.get("PYTHONPATH")] if p)
    env.update(env_extra or {})
    p = subprocess.run([sys.executable, os.path.join(EXAMPLES, name), *args], cwd=cwd, env=env,
                       capture_output=True, text=True, timeout=timeout)
    assert p.returncode == 0, p.stdout + p.stderr
    return p.stdout


def test_play_file_offline_renders_the_file(tmp_path):
    src = tmp_path / "in.wav"
    x = (0.5 * np.sin(np.arange(22050) * 0.05)).astype(np.float32)
    ls.AudioBuffer.from_numpy(np.stack([x, -x]), 22050).save(src, bits="float32")
    run("play_file.py", str(src), "--offline", "out.wav", cwd=tmp_path)
    out = ls.load(tmp_path / "out.wav")
    expected = ls.resample(ls.load(src), 44100)      # the file at the context's rate
    assert out.length == expected.length and out.number_of_channels == 2
    np.testing.assert_allclose(np.asarray(out), np.asarray(expected), atol=1.5 / 32768)


def test_play_file_plays_in_real_time(tmp_path):
    assert "done" in run("play_file.py", cwd=tmp_path)


def test_playback_events_reports_three_ends(tmp_path):
    out = run("playback_events.py", cwd=tmp_path)
    assert out.count("note ended at") == 3


def test_offline_rendering_records(tmp_path):
    run("offline_rendering.py", "-o", "r.wav", "--seconds", "1", cwd=tmp_path)
    buf = ls.load(tmp_path / "r.wav")
    assert buf.number_of_channels == 2 and buf.length == 48000
    assert 0.3 < np.abs(np.asarray(buf)).max() <= 0.41


def test_granulation_writes_grains(tmp_path):
    out = run("granulation.py", "-o", "g.wav", "--seconds", "1", cwd=tmp_path)
    assert "grains" in out
    buf = ls.load(tmp_path / "g.wav")
    assert buf.length == 44100 and np.abs(np.asarray(buf)).max() > 0.05


def test_audio_file_processing_example(tmp_path):
    pytest.importorskip("matplotlib")
    if "libasan" in os.environ.get("LD_PRELOAD", ""):
        # matplotlib's C++ extension aborts on its first exception when the C
        # ASan runtime is preloaded (scripts/run_python_asan.sh)
        pytest.skip("matplotlib cannot run with the ASan runtime preloaded")
    run("audio_file_processing.py", cwd=tmp_path, env_extra={"MPLBACKEND": "Agg"})
    assert (tmp_path / "spectrum.png").stat().st_size > 1000
