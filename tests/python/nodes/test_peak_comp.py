"""PeakCompNode: the static curve (hard and soft knee) and the attack/release
envelope against a sample-by-sample NumPy model, fed AudioBuffers of known
samples.
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


# ------------------------------------------------------------------ power monitor


# ------------------------------------------------------------------ spectral monitor


# ------------------------------------------------------------------ peak compressor

def _curve(L, T, R, W):
    """The static curve, written from the textbook soft-knee formula."""
    L = np.asarray(L, float)
    out = np.where(L < T - W / 2, L, T + (L - T) / R)
    if W > 0:
        mid = np.abs(L - T) <= W / 2
        out = np.where(mid, L + (1 / R - 1) * (L - T + W / 2) ** 2 / (2 * W), out)
    return out


@pytest.mark.parametrize("knee", [0.0, 12.0])
def test_peak_comp_static_curve(knee):
    T, R, makeup = -18.0, 5.0, 2.0
    levels = np.arange(-40.0, 0.1, 2.0)
    n = 4 * Q
    # one constant level per channel of a 21-channel... a context per level keeps it plain
    got = []
    for L in levels:
        ctx = ls.OfflineAudioContext(1, n, SR)
        a = 10 ** (L / 20)
        c = ctx.create_constant_source(offset=a)
        pc = ctx.create_peak_comp(threshold=T, ratio=R, attack=0.0, release=0.0,
                                  makeup=makeup, knee=knee)
        c >> pc >> ctx.destination
        c.start(0)
        y = np.asarray(ctx.start_rendering())[0]
        got.append(20 * np.log10(y[-1] / a))
    want = _curve(levels, T, R, knee) - levels + makeup
    np.testing.assert_allclose(got, want, atol=1e-4)
    if knee:
        assert np.ptp(np.diff(want)) < 2.0       # the soft knee has no corner


def _comp_model(x, T, R, ta, tr, makeup, W):
    aa = np.exp(-1 / (ta * SR)) if ta > 0 else 0.0
    ar = np.exp(-1 / (tr * SR)) if tr > 0 else 0.0
    e = 0.0
    g = np.empty(x.shape[1])
    peak = np.abs(x).max(axis=0)
    for i, p in enumerate(peak):
        e += (1 - (aa if p > e else ar)) * (p - e)
        L = 20 * np.log10(e) if e > 1e-30 else -np.inf
        g[i] = 10 ** ((_curve(L, T, R, W) - L + makeup) / 20) if np.isfinite(L) else 10 ** (makeup / 20)
    return x * g


def test_peak_comp_attack_release_against_numpy():
    n = 40 * Q
    t = np.arange(n) / SR
    env = np.where((t > 0.03) & (t < 0.07), 1.0, 0.1)
    x = np.stack([env * np.sin(2 * np.pi * 220 * t),
                  0.5 * env * np.sin(2 * np.pi * 330 * t)]).astype(np.float32)
    T, R, ta, tr, mk, W = -12.0, 8.0, 0.004, 0.03, 0.0, 6.0
    ctx = ls.OfflineAudioContext(2, n, SR)
    pc = ctx.create_peak_comp(threshold=T, ratio=R, attack=ta, release=tr, makeup=mk, knee=W)
    _play(ctx, x) >> pc >> ctx.destination
    y = np.asarray(ctx.start_rendering())
    want = _comp_model(x.astype(np.float64), T, R, ta, tr, mk, W)
    np.testing.assert_allclose(y, want, atol=2e-5)
    assert np.abs(y[:, int(0.05 * SR):int(0.07 * SR)]).max() < 0.5 * np.abs(x).max()


def test_peak_comp_time_constants():
    """A DC step: the envelope covers 1 - 1/e of the way in `attack` seconds up and
    `release` seconds down; read back through the gain with ratio 1e6 (out = T)."""
    ta, tr = 0.01, 0.05
    n = int(0.3 * SR)
    x = np.full(n, 0.01, np.float32)
    x[int(0.05 * SR):int(0.15 * SR)] = 1.0
    ctx = ls.OfflineAudioContext(1, n, SR)
    pc = ctx.create_peak_comp(threshold=-80.0, ratio=1e6, attack=ta, release=tr)
    _play(ctx, x[None]) >> pc >> ctx.destination
    y = np.asarray(ctx.start_rendering())[0]
    e = x / y * 10 ** (-80 / 20)              # gain = T / e above threshold
    up, down = int(0.05 * SR), int(0.15 * SR)
    target_up = 0.01 + (1 - 0.01) * (1 - np.exp(-1))
    k = np.argmax(e[up:] >= target_up)
    assert k / SR == pytest.approx(ta, abs=2 / SR)
    start = e[down - 1]
    target_dn = 0.01 + (start - 0.01) * np.exp(-1)
    k = np.argmax(e[down:] <= target_dn)
    assert k / SR == pytest.approx(tr, abs=2 / SR)


# ------------------------------------------------------------------ PWM


# ------------------------------------------------------------------ bad input

