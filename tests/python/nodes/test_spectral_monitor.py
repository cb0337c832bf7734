"""SpectralMonitorNode: its magnitudes are the windowed FFT of the last window
of frames it heard, checked against NumPy's FFT at quantum boundaries read
with OfflineAudioContext.suspend; a sine on a bin reads its amplitude.
"""
import numpy as np
import pytest

import labsound as ls

SR = 44100.0
Q = 128


def _play(ctx, x):
    src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(np.asarray(x, np.float32), SR))
    src.start(0)
    return src


def _blackman(n):
    i = np.arange(n)
    return 0.42 - 0.5 * np.cos(2 * np.pi * i / n) + 0.08 * np.cos(4 * np.pi * i / n)


# ------------------------------------------------------------------ power monitor


# ------------------------------------------------------------------ spectral monitor

@pytest.mark.parametrize("window", [64, 512, 2048])
def test_spectral_monitor_matches_numpy_fft(window):
    rng = np.random.default_rng(3)
    n = 40 * Q
    t = np.arange(n) / SR
    x = np.stack([0.6 * np.sin(2 * np.pi * 3000 * t) + 0.05 * rng.standard_normal(n),
                  0.3 * np.sin(2 * np.pi * 700 * t)]).astype(np.float32)
    ctx = ls.OfflineAudioContext(2, n, SR)
    sm = ctx.create_spectral_monitor(window_size=window)
    _play(ctx, x) >> sm >> ctx.destination
    got = {}
    frames = [3 * Q, 25 * Q]
    for f in frames:
        ctx.suspend(f / SR, lambda f=f: got.__setitem__(f, sm.spectral_magnitude()))
    y = np.asarray(ctx.start_rendering())
    np.testing.assert_array_equal(y, x)
    mono = 0.5 * (x[0].astype(np.float64) + x[1])             # the speakers down-mix
    w = _blackman(window)
    for f in frames:
        seg = np.zeros(window)
        part = mono[max(0, f - window):f]
        seg[window - len(part):] = part
        want = np.abs(np.fft.rfft(seg * w)) * 2 / w.sum()
        assert got[f].dtype == np.float32 and got[f].shape == (window // 2 + 1,)
        np.testing.assert_allclose(got[f], want, atol=2e-6 * max(1.0, want.max()))


def test_spectral_monitor_sine_on_a_bin_reads_its_amplitude():
    n, window = 32 * Q, 1024
    k = 37
    x = (0.25 * np.sin(2 * np.pi * k * np.arange(n) / window)).astype(np.float32)[None]
    ctx = ls.OfflineAudioContext(1, n, SR)
    sm = ctx.create_spectral_monitor(window_size=window)
    _play(ctx, x) >> sm >> ctx.destination
    ctx.start_rendering()
    mag = sm.spectral_magnitude()
    assert int(np.argmax(mag)) == k
    assert mag[k] == pytest.approx(0.25, rel=1e-4)


# ------------------------------------------------------------------ peak compressor


# ------------------------------------------------------------------ PWM


# ------------------------------------------------------------------ bad input

