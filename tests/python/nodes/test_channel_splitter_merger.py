"""ChannelSplitterNode and ChannelMergerNode.

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


# ---- Splitter and merger ---------------------------------------------------

def test_splitter_and_merger_route_channels():
    xs = [rng_noise(1024, seed=20 + i) for i in range(4)]

    def build(ctx):
        m = ctx.create_channel_merger(4)
        for i, x in enumerate(xs):
            source(ctx, x).connect(m, 0, i)
        s = ctx.create_channel_splitter(4)
        m2 = ctx.create_channel_merger(4)
        m >> s
        for i, j in enumerate([2, 0, 3, 1]):
            s.connect(m2, i, j)
        m2 >> ctx.destination

    out = render(4, 1024, build)
    for i, j in enumerate([2, 0, 3, 1]):
        assert np.array_equal(out[j], xs[i])


def test_merger_downmixes_each_input_and_splitter_pads_with_silence():
    x, y = rng_noise(1024, seed=30), rng_noise(1024, seed=31)

    def build(ctx):
        st = ctx.create_channel_merger(2)
        source(ctx, x).connect(st, 0, 0)
        source(ctx, y).connect(st, 0, 1)
        m = ctx.create_channel_merger(3)
        st.connect(m, 0, 1)                     # stereo into input 1: 0.5 (L + R)
        s = ctx.create_channel_splitter(3)
        st >> s                                 # 2 channels into a 3-way splitter
        s.connect(m, 2, 2)                      # output 2: silence
        m >> ctx.destination

    out = render(3, 1024, build)
    assert not out[0].any()
    np.testing.assert_array_equal(out[1], (0.5 * (x + y)).astype(np.float32))
    assert not out[2].any()


def test_splitter_merger_options_and_errors():
    ctx = ls.OfflineAudioContext(2, 128, SR)
    s = ls.ChannelSplitterNode(ctx, number_of_outputs=3)
    assert (s.number_of_outputs, s.channel_count, s.channel_count_mode,
            s.channel_interpretation) == (3, 3, "explicit", "discrete")
    m = ctx.create_channel_merger(5)
    assert (m.number_of_inputs, m.number_of_outputs, m.channel_count) == (5, 1, 1)
    assert ctx.create_channel_splitter().number_of_outputs == 6
    for bad in (0, 33):
        with pytest.raises(IndexError, match="number_of_outputs"):
            ctx.create_channel_splitter(bad)
        with pytest.raises(IndexError, match="number_of_inputs"):
            ctx.create_channel_merger(bad)
    with pytest.raises(ls.InvalidStateError):
        s.channel_count = 2
    with pytest.raises(ls.InvalidStateError):
        s.channel_interpretation = "speakers"
    with pytest.raises(ls.InvalidStateError):
        m.channel_count = 2
    with pytest.raises(ls.InvalidStateError):
        m.channel_count_mode = "max"
    with pytest.raises(ls.InvalidStateError):
        ls.ChannelMergerNode(ctx, channel_count=2)
    with pytest.raises(ls.InvalidStateError):
        ls.ChannelSplitterNode(ctx, number_of_outputs=2, channel_count=3)


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


