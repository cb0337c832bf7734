"""Filter, delay, routing and shaping nodes against the Web Audio spec's own
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


# ---- IIR -------------------------------------------------------------------

IIR_CASES = [
    ([0.1, 0.2, 0.1], [1.0, -1.2, 0.5]),
    (list(signal.butter(6, 0.3)[0]), list(signal.butter(6, 0.3)[1])),
    ([2.0, -1.0], [4.0, 1.0]),           # normalized by feedback[0] = 4
]


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


# ---- Delay -----------------------------------------------------------------

def test_delay_whole_frames_is_a_shift():
    x = rng_noise(N, seed=4)
    for frames in (0, 1, 77, 128, 300, 1000):
        sr = 32000.0
        out = render(1, N, lambda ctx: source(ctx, x) >> ctx.create_delay(
            0.05, delay_time=frames / 32768 * 32768 / sr) >> ctx.destination, sr=sr)[0]
        d = int(round(np.float32(frames / sr) * np.float32(sr)))
        ref = np.concatenate([np.zeros(d), x[:N - d]])
        assert np.array_equal(out, ref), frames


def interp_delayed(x, d):
    """x read d[n] frames before frame n, linearly interpolated; silence before 0."""
    xp = np.arange(-1, len(x))
    fp = np.concatenate([[0.0], x.astype(np.float64)])
    return np.interp(np.arange(len(x)) - d, xp, fp, left=0.0)


def test_delay_fractional_interpolates_linearly():
    x = rng_noise(N, seed=5)
    for delay in (0.3, 10.75, 200.5, 333.333):
        t = np.float32(delay / SR)
        out = render(1, N, lambda ctx: source(ctx, x) >> ctx.create_delay(
            0.01, delay_time=float(t)) >> ctx.destination)[0]
        d = float(np.float32(t) * np.float32(SR))
        ref = interp_delayed(x, np.full(N, d))
        # read positions are single precision (as in Chromium): with a 608-frame
        # line they land within 2^-15 frame, about -85 dB on full-scale white noise
        assert snr_db(out, ref) >= 80, delay


def test_delay_ramp_matches_formula():
    x = rng_noise(N, seed=6)
    T = N / SR

    def build(ctx):
        d = ctx.create_delay(0.01)
        d.delay_time.set_value_at_time(0.0001, 0)
        d.delay_time.linear_ramp_to_value_at_time(0.008, T)
        source(ctx, x) >> d >> ctx.destination

    out = render(1, N, build)[0]
    t = np.arange(N) / SR
    dt = 0.0001 + (0.008 - 0.0001) * t / T
    ref = interp_delayed(x, dt * SR)
    assert snr_db(out, ref) >= 70


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


@pytest.mark.parametrize("frames", [40, 128, 500])
def test_delay_in_a_cycle_is_clamped_to_one_quantum(frames):
    sr = 32000.0
    n = 4096
    x = rng_noise(n, seed=7)
    x[200:] = 0

    def build(ctx):
        d = ctx.create_delay(1.0, delay_time=frames / sr)
        fb = ctx.create_gain(gain=0.5)
        src = source(ctx, x)
        src >> d >> fb >> d
        d >> ctx.destination
        src >> ctx.destination

    out = render(1, n, build, sr=sr)[0]
    D = max(frames, 128)
    ref = feedback_model(x, D, D, 0.5)
    assert snr_db(out, ref) >= 120


def test_cycle_without_delay_is_silent_and_delay_outside_cycle_unclamped():
    x = rng_noise(1024, seed=8)

    def build(ctx):
        g1 = ctx.create_gain()
        g2 = ctx.create_gain()
        src = source(ctx, x)
        src >> g1 >> g2 >> g1          # a cycle without a delay: silent
        g2 >> ctx.destination
        d = ctx.create_delay(delay_time=5 / SR)
        src >> d >> ctx.destination     # not in a cycle: 5 frames

    out = render(1, 1024, build)[0]
    ref = np.concatenate([np.zeros(5), x[:-5]])
    assert np.array_equal(out, ref)


def test_delay_errors():
    ctx = ls.OfflineAudioContext(1, 128, SR)
    for bad in (0, -1, 180, 1000):
        with pytest.raises(ls.NotSupportedError, match=r"less than 180 s, got %r" % bad):
            ctx.create_delay(bad)
    with pytest.raises(TypeError, match="max_delay_time"):
        ctx.create_delay("1")
    d = ls.DelayNode(ctx, max_delay_time=2.5, delay_time=0.25)
    assert d.delay_time.value == 0.25
    assert d.delay_time.max_value == pytest.approx(2.5)
    assert d.delay_time.min_value == 0


def test_delay_multichannel_and_channel_change():
    x = rng_noise(N, seed=9)
    y = rng_noise(N, seed=10)

    def build(ctx):
        m = ctx.create_channel_merger(2)
        source(ctx, x).connect(m, 0, 0)
        source(ctx, y).connect(m, 0, 1)
        d = ctx.create_delay(delay_time=64 / SR)
        m >> d >> ctx.destination

    out = render(2, N, build)
    assert np.array_equal(out[0], np.concatenate([np.zeros(64), x[:-64]]))
    assert np.array_equal(out[1], np.concatenate([np.zeros(64), y[:-64]]))


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


def test_delay_of_almost_three_minutes():
    """max_delay_time just under the spec's 180 s limit, a delay of 170 s: an
    impulse comes out exactly 170 s later (3 kHz keeps the render short)."""
    sr = 3000.0
    n = int(171 * sr)
    ctx = ls.OfflineAudioContext(1, n, sr)
    d = ctx.create_delay(179.99, delay_time=170.0)
    imp = ctx.create_constant_source(offset=1.0)
    imp.start(10 / sr)
    imp.stop(11 / sr)
    imp >> d >> ctx.destination
    out = np.asarray(ctx.start_rendering())[0]
    want = np.zeros(n, dtype=np.float32)
    want[10 + int(170 * sr)] = 1.0
    assert np.array_equal(out, want)


@pytest.mark.parametrize("D", [100, 300])
def test_delay_grows_for_more_channels(D):
    """A 4-channel input through a delay made for 2: the render side asks the
    control side for a bigger ring, and offline it arrives before the next
    quantum; the quantum that brought the new channels reads them from the
    block it kept (D < 128) or from silence. Every channel is exact from the
    first frame."""
    n = 8192
    xs = [rng_noise(n, seed=50 + i) for i in range(4)]

    def build(ctx):
        m = ctx.create_channel_merger(4)
        for i, x in enumerate(xs):
            source(ctx, x).connect(m, 0, i)
        m >> ctx.create_delay(delay_time=D / SR) >> ctx.destination

    out = render(4, n, build)
    for i, x in enumerate(xs):
        ref = np.concatenate([np.zeros(D), x[:-D]])
        assert np.array_equal(out[i], ref), i


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


@pytest.mark.parametrize("first,then", [("mono", "stereo"), ("stereo", "mono")])
@pytest.mark.parametrize("D", [100, 1000])
def test_delay_output_has_the_channels_of_the_delayed_input(first, then, D):
    """The spec: the delayed signal keeps the channel count it had when it went
    in. Mono turning stereo: the delayed mono audio comes out on both channels
    (the up-mix L = R = M) until the stereo audio arrives; stereo turning
    mono: the delayed right channel is not lost. Expected output built from
    the inputs in NumPy."""
    n, T = 4096, 1024
    x, y = rng_noise(n, seed=61), rng_noise(n, seed=62)
    out = switch_channels(first, then, T, D, n, x, y)
    t = np.arange(n)
    src = t - D                              # the input frame each output frame plays
    valid = src >= 0
    era_first = valid & (src < T)
    era_then = valid & (src >= T)
    xs = np.where(valid, x[np.clip(src, 0, n - 1)], 0.0)
    ys = np.where(valid, y[np.clip(src, 0, n - 1)], 0.0)
    right = {"mono": xs, "stereo": ys}
    want_l = np.where(valid, xs, 0.0)
    want_r = np.where(era_first, right[first], 0.0) + np.where(era_then, right[then], 0.0)
    assert np.array_equal(out[0], want_l)
    assert np.array_equal(out[1], want_r)


def test_delay_unclamped_again_once_its_cycle_is_broken():
    # Feedback through a 40-frame delay is clamped to a quantum while the
    # cycle exists; disconnecting the feedback at a suspension (frame 1024)
    # makes the delay an ordinary 40-frame delay from there on.
    n, D = 4096, 40
    x = rng_noise(n, seed=9)
    ctx = ls.OfflineAudioContext(1, n, SR)
    d = ctx.create_delay(1.0, delay_time=D / SR)
    fb = ctx.create_gain(gain=0.5)
    src = source(ctx, x)
    src >> d >> fb >> d
    d >> ctx.destination
    ctx.suspend(1024 / SR, lambda: fb.disconnect())
    out = ctx.start_rendering().get_channel_data(0)
    # after the break (and once the loop's last echo, 128 frames, has gone
    # by) the output is x delayed by exactly D frames
    np.testing.assert_array_equal(out[1024 + 128:], x[1024 + 128 - D:n - D])
