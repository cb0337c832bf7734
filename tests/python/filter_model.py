"""Models and helpers shared by the node tests of this family (see each test
file's docstring for the tolerances)."""
from __future__ import annotations
import math
import numpy as np
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


IIR_CASES = [
    ([0.1, 0.2, 0.1], [1.0, -1.2, 0.5]),
    (list(signal.butter(6, 0.3)[0]), list(signal.butter(6, 0.3)[1])),
    ([2.0, -1.0], [4.0, 1.0]),           # normalized by feedback[0] = 4
]


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


def spec_pan(pan, left, right=None):
    pan = np.clip(pan, -1, 1)
    if right is None:
        x = (pan + 1) / 2 * np.pi / 2
        return left * np.cos(x), left * np.sin(x)
    xl = np.where(pan <= 0, pan + 1, pan) * np.pi / 2
    L = np.where(pan <= 0, left + right * np.cos(xl), left * np.cos(xl))
    R = np.where(pan <= 0, right * np.sin(xl), right + left * np.sin(xl))
    return L, R


def spec_shape(curve, x):
    curve = np.asarray(curve, dtype=np.float64)
    n = len(curve)
    v = (n - 1) / 2 * (x.astype(np.float64) + 1)
    k = np.clip(np.floor(v), 0, n - 2).astype(int)
    f = v - k
    y = (1 - f) * curve[k] + f * curve[k + 1]
    y = np.where(v <= 0, curve[0], y)
    return np.where(v >= n - 1, curve[-1], y)


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
