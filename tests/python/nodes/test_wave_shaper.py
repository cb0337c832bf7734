"""WaveShaperNode: the spec's curve mapping (>= 120 dB) for short and long
curves; oversampling checked by what it is for: an identity curve is a pure
delay, and a hard curve aliases less.
"""
from __future__ import annotations

import numpy as np
import pytest

import labsound as ls
from filter_model import (N, SR, render, rng_noise, snr_db, source, spec_shape)


# ---- WaveShaper ------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 3, 256, 1001])
def test_wave_shaper_curve_matches_spec(n):
    x = 1.3 * rng_noise(N, seed=40)
    curve = np.sin(np.linspace(-2, 2, n)).astype(np.float32)
    out = render(1, N, lambda ctx: source(ctx, x) >> ctx.create_wave_shaper(curve=curve)
                 >> ctx.destination)[0]
    assert snr_db(out, spec_shape(curve, x)) >= 120


def test_wave_shaper_without_curve_passes_input():
    x = rng_noise(512, seed=41)
    out = render(1, 512, lambda ctx: source(ctx, x) >> ls.WaveShaperNode(ctx) >> ctx.destination)
    assert np.array_equal(out[0], x)


@pytest.mark.parametrize("over,latency", [("2x", 128), ("4x", 192)])
def test_wave_shaper_oversampling_identity_is_a_delay(over, latency):
    n = 4096
    t = np.arange(n) / SR
    x = (0.5 * np.sin(2 * np.pi * 1000 * t) + 0.3 * np.sin(2 * np.pi * 5000 * t)).astype(np.float32)
    ident = np.array([-1, 1], dtype=np.float32)
    out = render(1, n, lambda ctx: source(ctx, x) >> ctx.create_wave_shaper(
        curve=ident, oversample=over) >> ctx.destination)[0]
    ref = np.concatenate([np.zeros(latency), x[:-latency]])
    assert snr_db(out[1024:], ref[1024:]) >= 80


def test_wave_shaper_oversampling_reduces_aliasing():
    n = 8192
    f0 = 7350.0                        # harmonics fold back onto non-harmonic bins
    t = np.arange(n) / SR
    x = (0.9 * np.sin(2 * np.pi * f0 * t)).astype(np.float32)
    curve = np.tanh(8 * np.linspace(-1, 1, 4097)).astype(np.float32)

    def aliased_fraction(over):
        y = render(1, n, lambda ctx: source(ctx, x) >> ctx.create_wave_shaper(
            curve=curve, oversample=over) >> ctx.destination)[0][2048:]
        spec = np.abs(np.fft.rfft(y * np.hanning(len(y)))) ** 2
        freqs = np.fft.rfftfreq(len(y), 1 / SR)
        harmonic = np.zeros_like(freqs, dtype=bool)
        for k in range(1, 4):
            harmonic |= np.abs(freqs - k * f0) < 30
        return spec[~harmonic].sum() / spec.sum()

    none, x2, x4 = aliased_fraction("none"), aliased_fraction("2x"), aliased_fraction("4x")
    assert x2 < none / 10
    assert x4 < x2


def test_wave_shaper_properties_and_errors():
    ctx = ls.OfflineAudioContext(1, 128, SR)
    w = ctx.create_wave_shaper()
    assert w.curve is None and w.oversample == "none"
    w.curve = [0, 1, 0.5]
    assert w.curve.dtype == np.float32 and list(w.curve) == [0, 1, 0.5]
    c = w.curve
    c[0] = 9
    assert w.curve[0] == 0            # the getter hands out a copy
    w.oversample = "4x"
    assert w.oversample == "4x"
    with pytest.raises(ValueError, match="oversample"):
        w.oversample = "8x"
    with pytest.raises(ls.InvalidStateError, match="2 values"):
        w.curve = [1.0]
    with pytest.raises(ls.InvalidStateError):
        ctx.create_wave_shaper(curve=[0.5])
    with pytest.raises(ValueError, match="finite"):
        w.curve = [0, float("inf")]
    w.curve = None
    assert w.curve is None
