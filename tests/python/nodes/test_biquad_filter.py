"""BiquadFilterNode against the coefficient formulas of the Web Audio spec
("Filters characteristics"), written out in filter_model.py and run through
scipy.signal.lfilter (float64). Static filters agree to float rounding:
>= 120 dB. Automated filters recompute the coefficients per frame from the
automation curves computed here; the engine's AudioParam values differ from
NumPy's by float rounding, so >= 90 dB. get_frequency_response against
scipy.signal.freqz.
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

import labsound as ls
from filter_model import (N, SR, TYPES, render, rng_noise, snr_db, source, spec_biquad)


# ---- the spec's biquad coefficients ---------------------------------------


@pytest.mark.parametrize("type_", TYPES)
def test_biquad_static_matches_lfilter(type_):
    x = rng_noise(N)
    f0, Q, G, det = 1500.0, 3.0, 7.0, -200.0
    out = render(1, N, lambda ctx: source(ctx, x) >> ctx.create_biquad_filter(
        type=type_, frequency=f0, Q=Q, gain=G, detune=det) >> ctx.destination)[0]
    b, a = spec_biquad(type_, f0 * 2 ** (det / 1200), Q, G)
    ref = signal.lfilter(b, a, x.astype(np.float64))
    assert snr_db(out, ref) >= 120


@pytest.mark.parametrize("channels", [2, 3])
def test_biquad_channels_filtered_alike_and_match_lfilter(channels):
    """Channels filtered side by side give each one exactly what a mono render
    of that channel gives, and match lfilter."""
    xs = [rng_noise(N, seed=20 + c) for c in range(channels)]

    def build(ctx, sig):
        m = ctx.create_channel_merger(len(sig))
        for c, x in enumerate(sig):
            source(ctx, x).connect(m, 0, c)
        m >> ctx.create_biquad_filter(type="peaking", frequency=900, Q=4, gain=6) >> ctx.destination

    out = render(channels, N, lambda ctx: build(ctx, xs))
    b, a = spec_biquad("peaking", 900, 4, 6)
    for c, x in enumerate(xs):
        mono = render(1, N, lambda ctx: build(ctx, [x]))[0]
        np.testing.assert_array_equal(out[c], mono)
        assert snr_db(out[c], signal.lfilter(b, a, x.astype(np.float64))) >= 120


def test_biquad_constant_params_changed_between_quanta():
    """Coefficients of constant quanta are reused only while frequency, Q, gain
    and type stay the same: values set at suspensions (frames 512, 1024) and a
    type change (1536) take effect there, with the filter state carried over."""
    x = rng_noise(N, seed=5)
    ctx = ls.OfflineAudioContext(1, N, SR)
    f = ctx.create_biquad_filter(type="lowpass", frequency=1000, Q=2)
    source(ctx, x) >> f >> ctx.destination

    def at(frame, fn):
        ctx.suspend(frame / SR, fn)

    at(512, lambda: setattr(f.frequency, "value", 3000))
    at(1024, lambda: setattr(f.Q, "value", 6))
    at(1536, lambda: setattr(f, "type", "highpass"))
    out = np.asarray(ctx.start_rendering())[0].astype(np.float64)
    segments = [(0, 512, "lowpass", 1000, 2), (512, 1024, "lowpass", 3000, 2),
                (1024, 1536, "lowpass", 3000, 6), (1536, N, "highpass", 3000, 6)]
    ref = np.empty(N)
    for lo, hi, type_, f0, Q in segments:
        b, a = spec_biquad(type_, f0, Q, 0.0)
        # direct form II transposed state carried from one section to the next
        ref[lo:hi], _ = signal.lfilter(b, a, x[lo:hi].astype(np.float64), zi=_df2t_state(b, a, x, ref, lo))
    assert snr_db(out, ref) >= 120


def _df2t_state(b, a, x, y, n):
    """lfilter's state at frame n for coefficients (b, a) from the past inputs
    and outputs (zeros before the start)."""
    xm1, xm2 = (float(x[n - 1]) if n >= 1 else 0.0), (float(x[n - 2]) if n >= 2 else 0.0)
    ym1, ym2 = (y[n - 1] if n >= 1 else 0.0), (y[n - 2] if n >= 2 else 0.0)
    return np.array([b[1] * xm1 + b[2] * xm2 - a[1] * ym1 - a[2] * ym2, b[2] * xm1 - a[2] * ym1])


@pytest.mark.parametrize("type_", TYPES)
def test_biquad_automated_matches_per_frame_coefficients(type_):
    x = rng_noise(N, seed=2)
    T = N / SR
    t = np.arange(N) / SR

    def build(ctx):
        f = ctx.create_biquad_filter(type=type_)
        f.frequency.set_value_at_time(300, 0)
        f.frequency.exponential_ramp_to_value_at_time(9000, T)
        f.Q.set_value_at_time(0.7, 0)
        f.Q.linear_ramp_to_value_at_time(8, T)
        f.gain.set_value_at_time(-6, 0)
        f.gain.linear_ramp_to_value_at_time(10, T)
        source(ctx, x) >> f >> ctx.destination

    out = render(1, N, build)[0]
    freq = 300 * (9000 / 300) ** (t / T)
    Q = 0.7 + (8 - 0.7) * t / T
    G = -6 + 16 * t / T
    y = np.zeros(N)
    x1 = x2 = y1 = y2 = 0.0
    for n in range(N):
        b, a = spec_biquad(type_, freq[n], Q[n], G[n])
        v = b[0] * x[n] + b[1] * x1 + b[2] * x2 - a[1] * y1 - a[2] * y2
        x2, x1, y2, y1 = x1, float(x[n]), y1, v
        y[n] = v
    assert snr_db(out, y) >= 90


@pytest.mark.parametrize("type_", TYPES)
def test_biquad_frequency_response_matches_freqz(type_):
    ctx = ls.OfflineAudioContext(1, 128, SR)
    f = ctx.create_biquad_filter(type=type_, frequency=2000, Q=1.5, gain=-4)
    freqs = np.array([0, 50, 500, 2000, 7000, 20000, 24000], dtype=np.float32)
    mag, phase = f.get_frequency_response(freqs)
    assert mag.dtype == np.float32 and phase.dtype == np.float32
    b, a = spec_biquad(type_, 2000, 1.5, -4)
    _, h = signal.freqz(b, a, worN=freqs.astype(np.float64), fs=SR)
    np.testing.assert_allclose(mag, np.abs(h), rtol=1e-5, atol=1e-6)
    ok = np.abs(h) > 1e-6            # phase is meaningless at a zero of H
    np.testing.assert_allclose(np.unwrap(phase[ok]), np.unwrap(np.angle(h)[ok]), atol=1e-4)


def test_frequency_response_fills_arrays_and_nan_outside():
    ctx = ls.OfflineAudioContext(1, 128, SR)
    f = ctx.create_biquad_filter(type="peaking", frequency=1000, gain=6)
    freqs = np.array([-1, 1000, 24000.5, 1e6], dtype=np.float32)
    mag = np.zeros(4, np.float32)
    ph = np.zeros(4, np.float32)
    m2, p2 = f.get_frequency_response(freqs, mag, ph)
    assert m2 is mag and p2 is ph
    assert np.isnan(mag[[0, 2, 3]]).all() and np.isnan(ph[[0, 2, 3]]).all()
    assert mag[1] == pytest.approx(10 ** (6 / 20), rel=1e-5)
    with pytest.raises(ls.InvalidAccessError, match="mag_out"):
        f.get_frequency_response(freqs, np.zeros(3, np.float32), ph)
    with pytest.raises(TypeError, match="float32"):
        f.get_frequency_response(freqs, np.zeros(4, np.float64), ph)
    # the response follows the params' current values
    f.gain.value = 12
    m3, _ = f.get_frequency_response([1000])
    assert m3[0] == pytest.approx(10 ** (12 / 20), rel=1e-5)


# ---- API -------------------------------------------------------------------

def test_biquad_api():
    ctx = ls.OfflineAudioContext(1, 128, SR)
    f = ctx.create_biquad_filter()
    assert f.type == "lowpass"
    assert (f.frequency.value, f.detune.value, f.Q.value, f.gain.value) == (350, 0, 1, 0)
    assert f.Q is f.q and f.frequency is f.frequency
    assert f.frequency.max_value == SR / 2
    f.type = "notch"
    assert f.type == "notch"
    with pytest.raises(ValueError, match="type"):
        f.type = "bandstop"
    g = ls.BiquadFilterNode(ctx, {"type": "highshelf", "gain": 3}, Q=2)
    assert (g.type, g.gain.value, g.Q.value) == ("highshelf", 3, 2)
    with pytest.raises(TypeError, match="unknown option"):
        ls.BiquadFilterNode(ctx, {"frequncy": 3})
    with pytest.raises(TypeError, match="frequency"):
        ctx.create_biquad_filter(frequency="x")
    assert isinstance(f, ls.AudioNode)
    assert (f.number_of_inputs, f.number_of_outputs) == (1, 1)


def test_filter_tail_continues_after_input_stops():
    def build(ctx):
        s = ctx.create_constant_source()
        s.start(0)
        s.stop(128 / SR)
        f = ctx.create_biquad_filter(type="lowpass", frequency=200, Q=10)
        s >> f >> ctx.destination

    out = render(1, 4096, build)[0]
    assert np.abs(out[1024:2048]).max() > 1e-3   # the resonance rings on
