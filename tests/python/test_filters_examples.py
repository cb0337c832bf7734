"""The examples of the filter, delay, routing and shaping nodes run and do
what they say (each checked on its own render, against what the graph must
produce)."""
from __future__ import annotations

import importlib.util
import os

import numpy as np
import pytest

EXAMPLES = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "examples")


def load(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(EXAMPLES, name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def read_wav(path):
    import wave
    with wave.open(str(path)) as w:
        n, ch = w.getnframes(), w.getnchannels()
        data = np.frombuffer(w.readframes(n), dtype="<i2").reshape(n, ch).T / 32768.0
    return data


def test_stereo_panning(tmp_path):
    out = tmp_path / "p.wav"
    assert load("stereo_panning").main(["-o", str(out), "--seconds", "2"]) == 0
    left, right = read_wav(out)
    q = 48000 // 4
    # starts hard left, is hard right at 1 s
    assert np.abs(left[:q // 4]).max() > 0.3 and np.abs(right[:200]).max() < 0.05
    assert np.abs(right[48000 - 200:48000 + 200]).max() > 0.3
    assert np.abs(left[48000 - 50:48000 + 50]).max() < 0.05


def test_tremolo(tmp_path):
    out = tmp_path / "t.wav"
    assert load("tremolo").main(["-o", str(out), "--seconds", "1"]) == 0
    (y,) = read_wav(out)
    env = np.sqrt(np.mean(y[:48000 // 480 * 480].reshape(-1, 480) ** 2, axis=1))
    # the gain is 0.6 + 0.3 sin(2 pi 5 t): the envelope in 10 ms windows is the
    # filtered sawtooth's level times the window's RMS gain (skip the filter's
    # first window)
    t = (np.arange(48000) / 48000.0)[:len(env) * 480].reshape(-1, 480)
    g = np.sqrt(np.mean((0.6 + 0.3 * np.sin(2 * np.pi * 5 * t)) ** 2, axis=1))
    ratio = env[1:] / g[1:]
    assert np.std(ratio) / np.mean(ratio) < 0.06   # measured 0.04: 2.2 carrier periods a window
    assert env.max() / env.min() == pytest.approx(g.max() / g.min(), rel=0.1)   # about 3


def test_waveshaper_distortion(tmp_path, capsys):
    out = tmp_path / "w.wav"
    assert load("waveshaper_distortion").main(["-o", str(out)]) == 0
    lines = [l for l in capsys.readouterr().out.splitlines() if "oversample" in l]
    db = [float(l.split()[-2]) for l in lines]
    assert db[0] > db[1] > db[2]            # less aliasing with more oversampling


def test_split_merge(tmp_path, capsys):
    out = tmp_path / "s.wav"
    assert load("split_merge").main(["-o", str(out)]) == 0
    assert "left: 880 Hz, right: 220 Hz" in capsys.readouterr().out


def test_fm_feedback_delay(tmp_path):
    out = tmp_path / "f.wav"
    assert load("fm_feedback_delay").main(["-o", str(out), "--seconds", "2.5"]) == 0
    (y,) = read_wav(out)
    rate = 48000
    # the last note (1.2 s) echoes at 0.25 s intervals, 0.45 quieter each time
    peaks = [np.abs(y[int((1.2 + 0.25 * k) * rate):int((1.25 + 0.25 * k) * rate)]).max()
             for k in range(1, 4)]
    assert peaks[0] > peaks[1] > peaks[2] > 0.01
