"""IIRFilterNode: scipy.signal.lfilter with the given coefficients (>= 120 dB),
including coefficients that the node normalizes by feedback[0];
get_frequency_response against scipy.signal.freqz (float32 output: relative
1e-5).
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

import labsound as ls
from filter_model import (IIR_CASES, N, SR, render, rng_noise, snr_db, source)


# ---- IIR -------------------------------------------------------------------


@pytest.mark.parametrize("ff,fb", IIR_CASES)
def test_iir_matches_lfilter_and_freqz(ff, fb):
    x = rng_noise(N, seed=3)
    out = render(1, N, lambda ctx: source(ctx, x) >> ctx.create_iir_filter(ff, fb)
                 >> ctx.destination)[0]
    ref = signal.lfilter(ff, fb, x.astype(np.float64))
    assert snr_db(out, ref) >= 120
    ctx = ls.OfflineAudioContext(1, 128, SR)
    node = ls.IIRFilterNode(ctx, {"feedforward": ff, "feedback": fb})
    freqs = np.linspace(0, SR / 2, 37).astype(np.float32)
    mag, phase = node.get_frequency_response(freqs)
    _, h = signal.freqz(ff, fb, worN=freqs.astype(np.float64), fs=SR)
    np.testing.assert_allclose(mag, np.abs(h), rtol=1e-5, atol=1e-6)


def test_iir_frequency_response_fills_arrays_and_nan_outside():
    ff, fb = IIR_CASES[0]
    ctx = ls.OfflineAudioContext(1, 128, SR)
    node = ctx.create_iir_filter(ff, fb)
    freqs = np.array([-1, 1000, 24000.5, 1e6, 0, 12000, 24000], dtype=np.float32)
    mag = np.zeros(7, np.float32)
    ph = np.zeros(7, np.float32)
    m2, p2 = node.get_frequency_response(freqs, mag, ph)
    assert m2 is mag and p2 is ph
    assert np.isnan(mag[[0, 2, 3]]).all() and np.isnan(ph[[0, 2, 3]]).all()
    _, h = signal.freqz(ff, fb, worN=np.array([1000.0, 0.0, 12000.0, 24000.0]), fs=SR)
    np.testing.assert_allclose(mag[[1, 4, 5, 6]], np.abs(h), rtol=1e-5, atol=1e-6)
    # (the response has a zero at Nyquist: its phase there is undefined)
    np.testing.assert_allclose(ph[[1, 4, 5]], np.angle(h[:3]), rtol=1e-5, atol=1e-6)
    with pytest.raises(ls.InvalidAccessError, match="phase_out"):
        node.get_frequency_response(freqs, mag, np.zeros(6, np.float32))


def test_iir_errors():
    ctx = ls.OfflineAudioContext(1, 128, SR)
    with pytest.raises(ls.NotSupportedError, match="feedforward"):
        ctx.create_iir_filter([], [1.0])
    with pytest.raises(ls.NotSupportedError, match="21"):
        ctx.create_iir_filter([1.0] * 21, [1.0])
    with pytest.raises(ls.NotSupportedError, match="feedback"):
        ctx.create_iir_filter([1.0], [1.0] * 21)
    with pytest.raises(ls.InvalidStateError, match="zero"):
        ctx.create_iir_filter([0.0, 0.0], [1.0])
    with pytest.raises(ls.InvalidStateError, match=r"feedback\[0\]"):
        ctx.create_iir_filter([1.0], [0.0, 1.0])
    with pytest.raises(TypeError, match="feedforward"):
        ctx.create_iir_filter("abc", [1.0])
    with pytest.raises(TypeError, match="feedback"):
        ls.IIRFilterNode(ctx, feedforward=[1.0])
    with pytest.raises(ValueError, match="finite"):
        ctx.create_iir_filter([1.0, float("nan")], [1.0])
