"""StereoPannerNode.

Filter, delay, routing and shaping nodes against the Web Audio spec's own
formulas, computed independently here in NumPy / SciPy.

* Biquad: the coefficient formulas of the spec ("Filters characteristics"),
  written out below, run through scipy.signal.lfilter (float64). Static
  filters agree to float rounding: >= 120 dB. Automated filters recompute
  the coefficients per frame from the automation curves computed here; the
  engine's AudioParam values differ from NumPy's by float rounding, so
  >= 90 dB.
* IIR: scipy.signal.lfilter with the given coefficients (>= 120 dB);
  get_frequency_response against scipy.signal.freqz (float32 output:
  relative 1e-5).
* Delay: shifted input (exact) and linear interpolation between the two
  nearest frames (>= 80 dB: read positions are single precision, see
  src/dsp/delay.h); feedback loops with the spec's clamp to one quantum.
* StereoPanner: the spec's equal-power gains (>= 120 dB).
* Splitter / merger: exact channel routing; the merger's speaker down-mix.
* WaveShaper: the spec's curve mapping (>= 120 dB); oversampling checked by
  what it is for: a pure delay with an identity curve, and less aliasing.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import signal

import labsound as ls

SR = 48000.0
N = 2048


def rng_noise(n, seed=1):
    return np.random.default_rng(seed).uniform(-1, 1, n).astype(np.float32)


def snr_db(out, ref):
    out = np.asarray(out, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    err = np.sum((out - ref) ** 2)
    return math.inf if err == 0 else 10 * np.log10(np.sum(ref ** 2) / err)


def source(ctx, x):
    """A ConstantSourceNode that plays x, one curve point per frame."""
    s = ctx.create_constant_source(offset=0.0)
    s.offset.set_value_curve_at_time(x, 0.0, (len(x) - 1) / ctx.sample_rate)
    s.start(0)
    return s


def render(channels, n, build, sr=SR):
    ctx = ls.OfflineAudioContext(channels, n, sr)
    build(ctx)
    return np.asarray(ctx.start_rendering()).astype(np.float64)


# ---- the spec's biquad coefficients ---------------------------------------

def spec_biquad(type_, f0, Q, G, sr=SR):
    """(b, a) of the spec's formulas, a normalized so a[0] = 1."""
    w0 = 2 * np.pi * f0 / sr
    A = 10 ** (G / 40)
    aQ = np.sin(w0) / (2 * Q)
    aQdB = np.sin(w0) / (2 * 10 ** (Q / 20))
    S = 1.0
    aS = np.sin(w0) / 2 * np.sqrt((A + 1 / A) * (1 / S - 1) + 2)
    c = np.cos(w0)
    if type_ == "lowpass":
        b = [(1 - c) / 2, 1 - c, (1 - c) / 2]; a = [1 + aQdB, -2 * c, 1 - aQdB]
    elif type_ == "highpass":
        b = [(1 + c) / 2, -(1 + c), (1 + c) / 2]; a = [1 + aQdB, -2 * c, 1 - aQdB]
    elif type_ == "bandpass":
        b = [aQ, 0, -aQ]; a = [1 + aQ, -2 * c, 1 - aQ]
    elif type_ == "notch":
        b = [1, -2 * c, 1]; a = [1 + aQ, -2 * c, 1 - aQ]
    elif type_ == "allpass":
        b = [1 - aQ, -2 * c, 1 + aQ]; a = [1 + aQ, -2 * c, 1 - aQ]
    elif type_ == "peaking":
        b = [1 + aQ * A, -2 * c, 1 - aQ * A]; a = [1 + aQ / A, -2 * c, 1 - aQ / A]
    elif type_ == "lowshelf":
        k = 2 * np.sqrt(A) * aS
        b = [A * ((A + 1) - (A - 1) * c + k), 2 * A * ((A - 1) - (A + 1) * c),
             A * ((A + 1) - (A - 1) * c - k)]
        a = [(A + 1) + (A - 1) * c + k, -2 * ((A - 1) + (A + 1) * c), (A + 1) + (A - 1) * c - k]
    elif type_ == "highshelf":
        k = 2 * np.sqrt(A) * aS
        b = [A * ((A + 1) + (A - 1) * c + k), -2 * A * ((A - 1) + (A + 1) * c),
             A * ((A + 1) + (A - 1) * c - k)]
        a = [(A + 1) - (A - 1) * c + k, 2 * ((A - 1) - (A + 1) * c), (A + 1) - (A - 1) * c - k]
    else:
        raise ValueError(type_)
    b = np.array(b, dtype=np.float64); a = np.array(a, dtype=np.float64)
    return b / a[0], a / a[0]


TYPES = ["lowpass", "highpass", "bandpass", "lowshelf", "highshelf", "peaking", "notch", "allpass"]


# ---- IIR -------------------------------------------------------------------

IIR_CASES = [
    ([0.1, 0.2, 0.1], [1.0, -1.2, 0.5]),
    (list(signal.butter(6, 0.3)[0]), list(signal.butter(6, 0.3)[1])),
    ([2.0, -1.0], [4.0, 1.0]),           # normalized by feedback[0] = 4
]


# ---- Delay -----------------------------------------------------------------


def interp_delayed(x, d):
    """x read d[n] frames before frame n, linearly interpolated; silence before 0."""
    xp = np.arange(-1, len(x))
    fp = np.concatenate([[0.0], x.astype(np.float64)])
    return np.interp(np.arange(len(x)) - d, xp, fp, left=0.0)


def feedback_model(x, first, loop, g):
    n = len(x)
    e = np.zeros(n, np.float32)
    e[first:] = x[:n - first]
    tot = e.astype(np.float64)
    while e.any():
        e2 = np.zeros(n, np.float32)
        e2[loop:] = (np.float32(g) * e)[:n - loop]
        e = e2
        tot += e
    return x + tot


# ---- StereoPanner ----------------------------------------------------------

def spec_pan(pan, left, right=None):
    pan = np.clip(pan, -1, 1)
    if right is None:
        x = (pan + 1) / 2 * np.pi / 2
        return left * np.cos(x), left * np.sin(x)
    xl = np.where(pan <= 0, pan + 1, pan) * np.pi / 2
    L = np.where(pan <= 0, left + right * np.cos(xl), left * np.cos(xl))
    R = np.where(pan <= 0, right * np.sin(xl), right + left * np.sin(xl))
    return L, R


@pytest.mark.parametrize("stereo", [False, True])
@pytest.mark.parametrize("pan", [-1.0, -0.4, 0.0, 0.25, 1.0, "ramp"])
def test_stereo_panner_matches_spec(stereo, pan):
    x = rng_noise(N, seed=11)
    y = rng_noise(N, seed=12)
    T = N / SR

    def build(ctx):
        p = ctx.create_stereo_panner()
        if pan == "ramp":
            p.pan.set_value_at_time(-1, 0)
            p.pan.linear_ramp_to_value_at_time(1, T)
        else:
            p.pan.value = pan
        if stereo:
            m = ctx.create_channel_merger(2)
            source(ctx, x).connect(m, 0, 0)
            source(ctx, y).connect(m, 0, 1)
            m >> p
        else:
            source(ctx, x) >> p
        p >> ctx.destination

    out = render(2, N, build)
    pv = -1 + 2 * np.arange(N) / SR / T if pan == "ramp" else np.full(N, pan)
    L, R = spec_pan(pv, x.astype(np.float64), y.astype(np.float64) if stereo else None)
    want = 100 if pan == "ramp" else 120    # the ramp's values: float rounding of the param
    assert snr_db(out[0], L) >= want
    assert snr_db(out[1], R) >= want


def test_stereo_panner_channel_constraints():
    ctx = ls.OfflineAudioContext(2, 128, SR)
    with pytest.raises(ls.NotSupportedError, match=r"channel_count\): must be 1 or 2, got 3"):
        ctx.create_stereo_panner(channel_count=3)
    with pytest.raises(ls.NotSupportedError, match="got 'max'"):
        ctx.create_stereo_panner(channel_count_mode="max")
    p = ctx.create_stereo_panner()
    assert p.channel_count_mode == "clamped-max" and p.channel_count == 2
    with pytest.raises(ls.NotSupportedError):
        p.channel_count = 3
    with pytest.raises(ls.NotSupportedError):
        p.channel_count_mode = "max"
    p.channel_count = 1
    p.channel_count_mode = "explicit"


# ---- Splitter and merger ---------------------------------------------------


# ---- WaveShaper ------------------------------------------------------------

def spec_shape(curve, x):
    curve = np.asarray(curve, dtype=np.float64)
    n = len(curve)
    v = (n - 1) / 2 * (x.astype(np.float64) + 1)
    k = np.clip(np.floor(v), 0, n - 2).astype(int)
    f = v - k
    y = (1 - f) * curve[k] + f * curve[k + 1]
    y = np.where(v <= 0, curve[0], y)
    return np.where(v >= n - 1, curve[-1], y)


# ---- API -------------------------------------------------------------------


def switch_channels(first, then, T, D, n, x, y):
    """Render a delay of D frames whose input is `first` ("mono": x, or
    "stereo": x, y) until frame T and `then` from there on (the change made
    at an offline suspension)."""
    ctx = ls.OfflineAudioContext(2, n, SR)
    d = ctx.create_delay(delay_time=D / SR)
    d >> ctx.destination

    def feed(kind):
        if kind == "mono":
            return source(ctx, x)
        m = ctx.create_channel_merger(2)
        source(ctx, x).connect(m, 0, 0)
        source(ctx, y).connect(m, 0, 1)
        return m

    a = feed(first)
    a >> d
    b = feed(then)

    def change():
        a.disconnect()
        b >> d

    ctx.suspend(T / SR, change)
    return np.asarray(ctx.start_rendering()).astype(np.float64)


