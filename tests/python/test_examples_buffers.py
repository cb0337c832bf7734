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
    # 40 per second in each channel, the 41st at frame 44100 (the render runs whole quanta)
    assert out.startswith("82 grains, 1 s")
    y = np.asarray(ls.load(tmp_path / "g.wav"))
    assert y.shape == (2, 44100) and np.abs(y).max() > 0.05
    assert np.abs(y[0] - y[1]).max() > 0.05           # the two seeds take different grains


def test_granulation_output_is_its_grains(tmp_path):
    # A constant 0.5 source makes each grain its window alone: the output of a channel is
    # 0.5 (output gain) x 0.5 (source) x the sum of hann windows of round(grain * rate)
    # frames starting every rate / grain_rate frames (ceil of k * period), the same in
    # both channels whatever the seeds.
    rate, seconds, density, grain = 44100, 1.0, 6.0, 0.08
    src = tmp_path / "dc.wav"
    ls.AudioBuffer.from_numpy(np.full(2 * rate, 0.5, np.float32), rate).save(src, bits="float32")
    out = run("granulation.py", str(src), "-o", "g.wav", "--seconds", str(seconds),
              "--rate", str(density), "--grain", str(grain), cwd=tmp_path)
    frames = int(seconds * rate)
    onsets = [int(np.ceil(k * rate / density - 1e-6)) for k in range(int(seconds * density) + 1)]
    onsets = [o for o in onsets if o < frames + 128]
    assert out.startswith(f"{2 * len(onsets)} grains, 1 s")
    y = np.asarray(ls.load(tmp_path / "g.wav")).astype(np.float64)
    assert y.shape == (2, frames)
    length = int(np.floor(np.float32(grain) * rate + 0.5))
    w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(length) / (length - 1))
    model = np.zeros(frames + length + 128)
    for o in onsets:
        model[o:o + length] += 0.25 * w
    for c in range(2):                                # 16-bit output: 1.5 steps
        np.testing.assert_allclose(y[c], model[:frames], rtol=0, atol=1.5 / 32768)


def test_audio_file_processing_example(tmp_path):
    pytest.importorskip("matplotlib")
    if "libasan" in os.environ.get("LD_PRELOAD", ""):
        # matplotlib's C++ extension aborts on its first exception when the C
        # ASan runtime is preloaded (scripts/run_python_asan.sh)
        pytest.skip("matplotlib cannot run with the ASan runtime preloaded")
    out = run("audio_file_processing.py", cwd=tmp_path, env_extra={"MPLBACKEND": "Agg"})
    assert (tmp_path / "spectrum.png").stat().st_size > 1000
    # the printed claims: the strongest bin is the 440 Hz tone (bins of
    # 44100 / 4096 Hz), and the 1 kHz lowpass (Q 1 dB) brought 3 kHz down by
    # what the spec's biquad gives; 2 dB for the analyser's window leakage
    from scipy import signal

    strongest = float(out.split("strongest bin at ")[1].split(" Hz")[0])
    assert abs(strongest - 440) <= 44100 / 4096
    below = float(out.split("3000 Hz is ")[1].split(" dB")[0])
    w0 = 2 * np.pi * 1000 / 44100
    alpha = np.sin(w0) / (2 * 10 ** (1 / 20))
    b = [(1 - np.cos(w0)) / 2, 1 - np.cos(w0), (1 - np.cos(w0)) / 2]
    a = [1 + alpha, -2 * np.cos(w0), 1 - alpha]
    _, h = signal.freqz(b, a, worN=[440.0, 3000.0], fs=44100)
    assert below == pytest.approx(20 * np.log10(abs(h[0]) / abs(h[1])), abs=2.0)
