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


def test_playback_events_reports_three_ends_in_order(tmp_path):
    import re

    out = run("playback_events.py", cwd=tmp_path)
    lines = out.splitlines()
    ends = [(float(f), float(t)) for f, t in
            (re.fullmatch(r"\s*([\d.]+) Hz note ended at ([\d.]+) s", ln).groups()
             for ln in lines if "note ended at" in ln)]
    # scheduled first, then the three ends in the order the notes were scheduled
    assert lines.index("three notes scheduled") < min(i for i, ln in enumerate(lines) if "ended at" in ln)
    assert [f for f, _ in ends] == [440.0, 554.37, 659.25]
    assert lines[-1] == "3 ended events"
    # note i starts at start + 0.3 i (start = 0.05 s or more after the context's time 0) and
    # lasts 0.25 s; the handler reads the context time when it runs, a render quantum or
    # two (and the event thread's poll) later: 0.05 s of slack, more for the first end
    times = np.array([t for _, t in ends])
    assert 0.30 <= times[0] < 0.50
    np.testing.assert_allclose(np.diff(times), [0.3, 0.3], atol=0.05)


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


def _granulation_schedule(seconds, density, source_duration, grain=0.08):
    """The grains the example schedules: the same seeded draws in the same order
    (detune, offset, gap), as its docstring describes them."""
    rng = np.random.default_rng(1)
    t, grains = 0.0, []
    while t < seconds - grain:
        detune = float(rng.normal(0, 300))
        offset = float(rng.uniform(0, source_duration - grain))
        grains.append((t, detune, offset))
        t += float(rng.exponential(1 / density))
    return grains


def test_granulation_output_is_its_grains(tmp_path):
    # A constant source makes each grain's output its envelope alone: 0.5 (source) x the
    # spec's linear ramps 0 -> 0.6 -> 0 over 80 ms x 0.5 (output gain), for as long as the
    # grain plays: 80 ms of buffer time, so 80 ms / rate with rate = 2^(detune / 1200).
    rate, seconds, density, grain = 44100, 3.0, 6.0, 0.08
    src = tmp_path / "dc.wav"
    ls.AudioBuffer.from_numpy(np.full(2 * rate, 0.5, np.float32), rate).save(src, bits="float32")
    out = run("granulation.py", str(src), "-o", "g.wav", "--seconds", str(seconds),
              "--density", str(density), cwd=tmp_path)
    grains = _granulation_schedule(seconds, density, 2.0)
    assert out.startswith(f"{len(grains)} grains, 3 s")
    y = np.asarray(ls.load(tmp_path / "g.wav")).astype(np.float64)
    assert y.shape == (2, int(seconds * rate))
    np.testing.assert_array_equal(y[0], y[1])         # mono grains up-mixed to both channels

    frames = np.arange(y.shape[1])
    model = np.zeros(y.shape[1])
    edges = np.zeros(y.shape[1], bool)                # frames next to a grain's start or end
    for t0, detune, _ in grains:
        r = 2.0 ** (detune / 1200)
        tt = frames / rate - t0
        env = np.interp(tt, [0, grain / 2, grain], [0, 0.6, 0], left=0, right=0)
        first = int(np.ceil(t0 * rate))
        stop = t0 + grain / r                         # the buffer-time duration ends here
        model += 0.25 * env * (tt >= 0) * (frames / rate < stop)
        for e in (first, int(np.ceil(stop * rate))):
            edges[max(e - 2, 0): e + 2] = True
    # grains show where the model has them, and nowhere else; 16-bit output: 1.5 steps,
    # plus the cubic interpolator's reach at a sub-sample start (excluded frames: edges)
    np.testing.assert_allclose(y[0][~edges], model[~edges], rtol=0, atol=1.5 / 32768)
    assert edges.mean() < 0.01
    # onsets counted from the audio: each grain that starts in silence (every earlier grain has
    # ended: its envelope or its buffer-time duration, whichever is first) rises where it is due
    loud = np.abs(y[0]) > 2 / 32768
    rising = np.flatnonzero(loud[1:] & ~loud[:-1]) + 1
    isolated = [t0 for i, (t0, _, _) in enumerate(grains)
                if all(t0 - p[0] > min(grain, grain / 2 ** (p[1] / 1200)) + 1e-3 for p in grains[:i])]
    assert len(isolated) >= 5 and len(rising) == len(isolated)
    np.testing.assert_allclose(rising / rate, isolated, rtol=0, atol=3 / rate)


def test_audio_file_processing_example(tmp_path):
    pytest.importorskip("matplotlib")
    if "libasan" in os.environ.get("LD_PRELOAD", ""):
        # matplotlib's C++ extension aborts on its first exception when the C
        # ASan runtime is preloaded (scripts/run_python_asan.sh)
        pytest.skip("matplotlib cannot run with the ASan runtime preloaded")
    run("audio_file_processing.py", cwd=tmp_path, env_extra={"MPLBACKEND": "Agg"})
    assert (tmp_path / "spectrum.png").stat().st_size > 1000
