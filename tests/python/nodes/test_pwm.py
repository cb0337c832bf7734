"""PWMNode.

PowerMonitorNode, SpectralMonitorNode, PeakCompNode and PWMNode against NumPy models.

Inputs are AudioBuffers of known samples, so every expected figure is computed
from the very frames the node heard. Readings are taken at quantum boundaries
with OfflineAudioContext.suspend(t, callback): after frame F the window is
frames [F - N, F).
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


# ------------------------------------------------------------------ peak compressor

def _curve(L, T, R, W):
    """The static curve, written from the textbook soft-knee formula."""
    L = np.asarray(L, float)
    out = np.where(L < T - W / 2, L, T + (L - T) / R)
    if W > 0:
        mid = np.abs(L - T) <= W / 2
        out = np.where(mid, L + (1 / R - 1) * (L - T + W / 2) ** 2 / (2 * W), out)
    return out


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


# ------------------------------------------------------------------ PWM

def test_pwm_against_numpy():
    n = 20 * Q
    t = np.arange(n) / SR
    car = np.sin(2 * np.pi * 2000 * t).astype(np.float32)
    mod = (0.8 * np.sin(2 * np.pi * 50 * t)).astype(np.float32)
    ctx = ls.OfflineAudioContext(1, n, SR)
    pwm = ctx.create_pwm()
    _play(ctx, car[None]).connect(pwm, 0, 0)
    _play(ctx, mod[None]).connect(pwm, 0, 1)
    pwm >> ctx.destination
    y = np.asarray(ctx.start_rendering())[0]
    np.testing.assert_array_equal(y, np.where(car > mod, 1.0, -1.0).astype(np.float32))
    assert pwm.number_of_inputs == 2


def test_pwm_without_modulator_passes_carrier():
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, (1, 8 * Q)).astype(np.float32)
    ctx = ls.OfflineAudioContext(1, 8 * Q, SR)
    pwm = ls.PWMNode(ctx)
    _play(ctx, x) >> pwm >> ctx.destination
    np.testing.assert_array_equal(np.asarray(ctx.start_rendering()), x)


# ------------------------------------------------------------------ bad input

