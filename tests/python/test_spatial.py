"""PannerNode, AudioListener, ConvolverNode and DynamicsCompressorNode
against the Web Audio spec's formulas computed here in NumPy / SciPy, and
the HRTF panner against its own spherical-head model.

Tolerances: the engine computes the geometry in float (as the reference
implementation does) and the signal path in float, so gains agree with the
double-precision formulas to about 1e-7 relative; we allow 2e-6 (away from
the acos singularities at azimuths of exactly +-90 degrees, which the
positions below avoid). Convolution is checked by SNR against
scipy.signal.fftconvolve in double precision: 110 dB (measured about 130).
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import signal

import labsound as ls
import spatial_cases as sc

RATE = 48000


# ---------------------------------------------------------------- helpers

def render(build, frames=512, channels=2, rate=RATE):
    ctx = ls.OfflineAudioContext(channels, frames, rate)
    build(ctx)
    return np.asarray(ctx.start_rendering()).astype(np.float64)


def unit(v):
    v = np.asarray(v, dtype=np.float64)
    n = np.linalg.norm(v)
    return v / n if n > 0 else v


def spec_azimuth_elevation(src, lpos, fwd, up):
    """The spec's "Azimuth and Elevation" algorithm, in double precision."""
    sl = np.subtract(src, lpos)
    if not np.any(sl):
        return 0.0, 0.0
    sl = unit(sl)
    right = unit(np.cross(fwd, up))
    f = unit(fwd)
    u = np.cross(right, f)
    proj = unit(sl - np.dot(sl, u) * u)
    az = math.degrees(math.acos(np.clip(np.dot(proj, right), -1, 1)))
    if np.dot(proj, f) < 0:
        az = 360 - az
    az = 90 - az if 0 <= az <= 270 else 450 - az
    el = 90 - math.degrees(math.acos(np.clip(np.dot(sl, u), -1, 1)))
    if el > 90:
        el = 180 - el
    elif el < -90:
        el = -180 - el
    return az, el


def spec_equalpower(az, stereo=False):
    az = min(max(az, -180), 180)
    if az < -90:
        az = -180 - az
    elif az > 90:
        az = 180 - az
    if not stereo:
        x = (az + 90) / 180
    else:
        x = (az + 90) / 90 if az <= 0 else az / 90
    return math.cos(math.pi / 2 * x), math.sin(math.pi / 2 * x)


def spec_distance(model, d, ref, mx, rolloff):
    if model == "linear":
        dref, dmax = min(ref, mx), max(ref, mx)
        r = min(max(rolloff, 0), 1)
        if dref == dmax:
            return 1 - r
        d = max(min(d, dmax), dref)
        return 1 - r * (d - dref) / (dmax - dref)
    if ref == 0:
        return 0.0
    d = max(d, ref)
    if model == "inverse":
        return ref / (ref + rolloff * (d - ref))
    return (d / ref) ** -rolloff


def spec_cone(src, orient, lpos, inner, outer, outer_gain):
    if not np.any(orient) or (inner == 360 and outer == 360):
        return 1.0
    v = unit(np.subtract(lpos, src))
    angle = abs(math.degrees(math.acos(np.clip(np.dot(v, unit(orient)), -1, 1))))
    ai, ao = abs(inner) / 2, abs(outer) / 2
    if angle <= ai:
        return 1.0
    if angle >= ao:
        return outer_gain
    x = (angle - ai) / (ao - ai)
    return (1 - x) + outer_gain * x


def mono_input(ctx, seed=1, n=500):
    return sc.steps(ctx, seed, n), sc.step_values(seed, n, 1.0, 512)


def gains_of(out, x):
    nz = np.abs(x) > 1e-3
    return out[:, nz] / x[nz]


# ---------------------------------------------------------------- panner

LISTENERS = [
    ((0, 0, 0), (0, 0, -1), (0, 1, 0)),
    ((0.5, -0.2, 1), (0.3, 0.1, -1), (0, 1, 0.2)),
    ((-2, 1, 0), (1, 0, 0), (0, 0, 1)),
]
POSITIONS = [(1, 0.5, -2), (-3, 1, 1), (0.2, -2, 0.5), (5, 0.1, 5), (-0.5, 0.3, -0.1), (0, 0, 0)]


@pytest.mark.parametrize("lst", LISTENERS)
@pytest.mark.parametrize("pos", POSITIONS)
def test_equalpower_mono_gains_follow_the_spec(lst, pos):
    lpos, fwd, up = lst
    x = None

    def build(ctx):
        nonlocal x
        s, x = mono_input(ctx)
        lis = ctx.listener
        lis.set_position(*lpos)
        lis.set_orientation(*fwd, *up)
        p = ctx.create_panner(position_x=pos[0], position_y=pos[1], position_z=pos[2])
        s >> p >> ctx.destination

    out = render(build)
    az, _ = spec_azimuth_elevation(pos, lpos, fwd, up)
    gl, gr = spec_equalpower(az)
    d = float(np.linalg.norm(np.subtract(pos, lpos)))
    g = spec_distance("inverse", d, 1, 10000, 1)
    measured = gains_of(out, x)
    np.testing.assert_allclose(measured[0], gl * g, rtol=2e-6, atol=2e-7)
    np.testing.assert_allclose(measured[1], gr * g, rtol=2e-6, atol=2e-7)


@pytest.mark.parametrize("pos", [(-3, 0.2, -1), (2, -0.5, -1), (1, 0, 2), (-1, 1, 3)])
def test_equalpower_stereo_rule(pos):
    x = None

    def build(ctx):
        nonlocal x
        s, x = mono_input(ctx, seed=3)
        p = ctx.create_panner(position_x=pos[0], position_y=pos[1], position_z=pos[2],
                              rolloff_factor=0)
        sc.stereo(ctx, s) >> p >> ctx.destination

    out = render(build)
    az, _ = spec_azimuth_elevation(pos, (0, 0, 0), (0, 0, -1), (0, 1, 0))
    gl, gr = spec_equalpower(az, stereo=True)
    # both input channels hold x
    if az <= 0:
        el, er = 1 + gl, gr
    else:
        el, er = gl, 1 + gr
    measured = gains_of(out, x)
    np.testing.assert_allclose(measured[0], el, rtol=2e-6, atol=2e-7)
    np.testing.assert_allclose(measured[1], er, rtol=2e-6, atol=2e-7)


@pytest.mark.parametrize("model,ref,mx,rolloff", [
    ("linear", 1, 10000, 1), ("linear", 2, 30, 0.7), ("linear", 3, 3, 0.4), ("linear", 1, 20, 3),
    ("inverse", 1, 10000, 1), ("inverse", 0.5, 100, 2.5), ("inverse", 0, 100, 1),
    ("exponential", 1, 10000, 1), ("exponential", 1.5, 50, 1.3), ("exponential", 4, 50, 0.2),
])
@pytest.mark.parametrize("dist", [0.3, 1.0, 2.5, 7.0, 40.0])
def test_distance_models(model, ref, mx, rolloff, dist):
    x = None
    direction = unit((0.3, 0.4, -0.866))
    pos = direction * dist

    def build(ctx):
        nonlocal x
        s, x = mono_input(ctx, seed=4)
        p = ctx.create_panner(distance_model=model, ref_distance=ref, max_distance=mx,
                              rolloff_factor=rolloff, position_x=pos[0], position_y=pos[1],
                              position_z=pos[2])
        s >> p >> ctx.destination

    out = render(build)
    measured = gains_of(out, x)
    total = np.sqrt(measured[0] ** 2 + measured[1] ** 2)   # equal power: gl^2 + gr^2 = 1
    expected = spec_distance(model, float(np.linalg.norm(pos)), ref, mx, rolloff)
    np.testing.assert_allclose(total, expected, rtol=2e-6, atol=1e-7)


@pytest.mark.parametrize("orient", [(1, 0, 0), (-1, 0, 0), (-1, 0, 1), (0, 1, 0), (-0.7, 0.1, 0.6),
                                    (0, 0, 0)])
@pytest.mark.parametrize("cone", [(360, 360, 0), (60, 200, 0.2), (90, 90, 0.5), (10, 300, 0.0)])
def test_cone_gain(orient, cone):
    x = None
    pos = (2, 0.3, -2)

    def build(ctx):
        nonlocal x
        s, x = mono_input(ctx, seed=5)
        p = ctx.create_panner(cone_inner_angle=cone[0], cone_outer_angle=cone[1],
                              cone_outer_gain=cone[2], orientation_x=orient[0],
                              orientation_y=orient[1], orientation_z=orient[2],
                              position_x=pos[0], position_y=pos[1], position_z=pos[2],
                              rolloff_factor=0)
        s >> p >> ctx.destination

    out = render(build)
    measured = gains_of(out, x)
    total = np.sqrt(measured[0] ** 2 + measured[1] ** 2)
    expected = spec_cone(pos, orient, (0, 0, 0), *cone)
    np.testing.assert_allclose(total, expected, rtol=2e-6, atol=1e-7)


def test_listener_automation_is_sample_accurate():
    """The listener's a-rate position ramp moves the panning every frame."""
    frames = 1024
    x = sc.step_values(6, 1000, 1.0, frames)

    def build(ctx):
        s = sc.steps(ctx, 6, 1000)
        lis = ctx.listener
        lis.position_x.set_value_at_time(-4, 0)
        lis.position_x.linear_ramp_to_value_at_time(4, frames / RATE)
        p = ctx.create_panner(position_x=0, position_y=0.5, position_z=-3, rolloff_factor=0)
        s >> p >> ctx.destination

    out = render(build, frames=frames)
    t = np.arange(frames) / RATE
    lx = -4 + 8 * t / (frames / RATE)
    exp_l = np.empty(frames)
    exp_r = np.empty(frames)
    for i in range(frames):
        az, _ = spec_azimuth_elevation((0, 0.5, -3), (lx[i], 0, 0), (0, 0, -1), (0, 1, 0))
        exp_l[i], exp_r[i] = spec_equalpower(az)
    nz = np.abs(x) > 1e-3
    np.testing.assert_allclose(out[0, nz] / x[nz], exp_l[nz], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out[1, nz] / x[nz], exp_r[nz], rtol=1e-5, atol=1e-6)
    # the ramp really moved the source from the right to the left ear
    assert out[1, 100] / x[100] > out[0, 100] / x[100]
    assert out[0, 1000] / x[1000] > out[1, 1000] / x[1000]


def test_panner_params_and_attributes():
    ctx = ls.OfflineAudioContext(2, 128, RATE)
    p = ls.PannerNode(ctx, {"panning_model": "HRTF", "ref_distance": 2}, rolloff_factor=0.5)
    assert p.panning_model == "HRTF" and p.distance_model == "inverse"
    assert p.ref_distance == 2 and p.rolloff_factor == 0.5 and p.max_distance == 10000
    assert (p.cone_inner_angle, p.cone_outer_angle, p.cone_outer_gain) == (360, 360, 0)
    assert p.position_x is p.position_x
    assert [p.orientation_x.value, p.orientation_y.value, p.orientation_z.value] == [1, 0, 0]
    assert p.channel_count == 2 and p.channel_count_mode == "clamped-max"
    p.set_position(1, 2, 3)
    assert [p.position_x.value, p.position_y.value, p.position_z.value] == [1, 2, 3]
    p.distance_model = "exponential"
    p.panning_model = "equalpower"
    assert p.distance_model == "exponential" and p.panning_model == "equalpower"
    lis = ctx.listener
    assert [lis.forward_x.value, lis.forward_y.value, lis.forward_z.value] == [0, 0, -1]
    assert [lis.up_x.value, lis.up_y.value, lis.up_z.value] == [0, 1, 0]
    assert isinstance(lis, ls.AudioListener)


def test_panner_errors():
    ctx = ls.OfflineAudioContext(2, 128, RATE)
    with pytest.raises(ls.NotSupportedError):
        ctx.create_panner(channel_count=3)
    with pytest.raises(ls.NotSupportedError):
        ctx.create_panner(channel_count_mode="max")
    with pytest.raises(ValueError, match="ref_distance"):
        ctx.create_panner(ref_distance=-1)
    with pytest.raises(ValueError, match="max_distance"):
        ctx.create_panner(max_distance=0)
    with pytest.raises(ValueError, match="rolloff_factor"):
        ctx.create_panner(rolloff_factor=-0.5)
    with pytest.raises(ls.InvalidStateError, match="cone_outer_gain"):
        ctx.create_panner(cone_outer_gain=1.5)
    p = ctx.create_panner()
    with pytest.raises(ValueError, match="-2"):
        p.ref_distance = -2
    with pytest.raises(ls.InvalidStateError):
        p.cone_outer_gain = -0.1
    with pytest.raises(ls.NotSupportedError):
        p.channel_count = 3
    with pytest.raises(ls.NotSupportedError):
        p.channel_count_mode = "max"
    with pytest.raises((ValueError, TypeError), match="panning_model"):
        p.panning_model = "surround"
    with pytest.raises((ValueError, TypeError)):
        ctx.create_panner(position_x=float("nan"))
    assert p.ref_distance == 1 and p.cone_outer_gain == 0


# ---------------------------------------------------------------- HRTF

A_OVER_C = 0.0875 / 343.0


def hrtf_model(az_deg, el_deg, rate):
    """The documented spherical-head model: per-ear delay (frames) and alpha."""
    lateral = math.sin(math.radians(az_deg)) * math.cos(math.radians(el_deg))
    out = []
    for c in (-lateral, lateral):
        beta = math.acos(c)
        t = A_OVER_C * (1 - c) if beta < math.pi / 2 else A_OVER_C * (1 + beta - math.pi / 2)
        out.append((t * rate, 1.05 + 0.95 * math.cos(1.2 * beta)))
    return out


def shadow_filter(alpha, rate):
    """Bilinear transform of (1 + alpha s / (2 w0)) / (1 + s / (2 w0)), w0 = c / a."""
    tk = (0.0875 / (2 * 343.0)) * 2 * rate
    return [(1 + alpha * tk) / (1 + tk), (1 - alpha * tk) / (1 + tk)], [1, (1 - tk) / (1 + tk)]


@pytest.mark.parametrize("az", [0, 20, 45, 70, 90, 120, 160, -30, -90])
def test_hrtf_matches_its_model(az):
    frames = 2048
    x = sc.step_values(7, 2000, 1.0, frames).astype(np.float64)
    rad = math.radians(az)
    pos = (2 * math.sin(rad), 0.0, -2 * math.cos(rad))

    def build(ctx):
        s = sc.steps(ctx, 7, 2000)
        p = ctx.create_panner(panning_model="HRTF", rolloff_factor=0, position_x=pos[0],
                              position_y=pos[1], position_z=pos[2])
        s >> p >> ctx.destination

    out = render(build, frames=frames)
    az_spec, el_spec = spec_azimuth_elevation(pos, (0, 0, 0), (0, 0, -1), (0, 1, 0))
    for ear, (delay, alpha) in enumerate(hrtf_model(az_spec, el_spec, RATE)):
        k = int(delay)
        f = delay - k
        shifted = np.concatenate([np.zeros(k + 1), x])
        delayed = (1 - f) * shifted[1:frames + 1] + f * shifted[:frames]
        b, a = shadow_filter(alpha, RATE)
        expected = signal.lfilter(b, a, delayed)
        err = np.sum((out[ear] - expected) ** 2) / np.sum(expected ** 2)
        assert 10 * np.log10(1 / err) > 100, (az, ear, err)


@pytest.mark.parametrize("az", [15, 30, 60, 90])
def test_hrtf_interaural_time_difference_is_woodworths(az):
    """ITD measured from the rendered output's high band, where the shadow
    filters are nearly flat (their low-frequency group delay adds to it):
    the cross-correlation peak of the 8-20 kHz band of each ear."""
    frames = 8192
    rad = math.radians(az)

    def build(ctx):
        s = sc.steps(ctx, 8, 8000)
        p = ctx.create_panner(panning_model="HRTF", rolloff_factor=0,
                              position_x=2 * math.sin(rad), position_z=-2 * math.cos(rad))
        s >> p >> ctx.destination

    out = render(build, frames=frames)
    sos = signal.butter(8, [8000, 20000], btype="bandpass", fs=RATE, output="sos")
    hl, hr = (signal.sosfiltfilt(sos, out[c]) for c in (0, 1))
    corr = signal.correlate(hl, hr, mode="full")
    lags = signal.correlation_lags(len(hl), len(hr), mode="full")
    i = int(np.argmax(corr))
    y0, y1, y2 = corr[i - 1], corr[i], corr[i + 1]
    lag = lags[i] + 0.5 * (y0 - y2) / (y0 - 2 * y1 + y2)
    woodworth = A_OVER_C * (rad + math.sin(rad)) * RATE
    assert lag == pytest.approx(woodworth, abs=0.6), (az, lag, woodworth)


@pytest.mark.parametrize("az", [30, 60, 90])
@pytest.mark.parametrize("freq", [500.0, 4000.0, 12000.0])
def test_hrtf_interaural_level_difference(az, freq):
    """RMS ratio of the ears for a sine against |H_near| / |H_far|: the shadow
    filters (scipy.signal.freqz) times the delay lines' linear interpolation."""
    frames = 8192
    rad = math.radians(az)

    def build(ctx):
        o = ctx.create_oscillator(frequency=freq)
        p = ctx.create_panner(panning_model="HRTF", rolloff_factor=0,
                              position_x=2 * math.sin(rad), position_z=-2 * math.cos(rad))
        o >> p >> ctx.destination
        o.start(0)

    out = render(build, frames=frames)
    tail = out[:, 2048:]
    measured = 20 * np.log10(np.sqrt(np.mean(tail[1] ** 2)) / np.sqrt(np.mean(tail[0] ** 2)))
    w = 2 * math.pi * freq / RATE
    mags = []
    for delay, alpha in hrtf_model(az, 0, RATE):
        f = delay - int(delay)        # the delay line interpolates linearly
        interp = abs((1 - f) + f * np.exp(-1j * w))
        mags.append(interp * abs(signal.freqz(*shadow_filter(alpha, RATE), worN=[freq], fs=RATE)[1][0]))
    expected = 20 * np.log10(mags[1] / mags[0])
    assert measured == pytest.approx(expected, abs=0.05)
    assert measured > 0      # the near (right) ear is louder


def test_hrtf_moving_source_has_no_discontinuities():
    frames = 8192

    def build(ctx):
        o = ctx.create_oscillator(frequency=300)
        p = ctx.create_panner(panning_model="HRTF", rolloff_factor=0, position_z=-1)
        p.position_x.set_value_at_time(-3, 0)
        p.position_x.linear_ramp_to_value_at_time(3, frames / RATE)
        o >> p >> ctx.destination
        o.start(0)

    out = render(build, frames=frames)
    # a 300 Hz sine of amplitude <= 2 changes by at most 2 * 2 pi 300 / 48000 per frame
    assert np.max(np.abs(np.diff(out[:, 256:], axis=1))) < 2 * 2 * math.pi * 300 / RATE


# ---------------------------------------------------------------- convolver

def spec_norm_scale(ir):
    ch, n = ir.shape
    power = math.sqrt(np.sum(ir.astype(np.float64) ** 2) / (ch * n))
    if not math.isfinite(power) or power < 0.000125:
        power = 0.000125
    scale = 1 / power * 10 ** (-58 / 20) * 44100 / RATE
    return scale * (0.5 if ch == 4 else 1)


def snr(expected, out):
    return 10 * np.log10(np.sum(expected ** 2) / np.sum((expected - out) ** 2))


@pytest.mark.parametrize("ir_channels", [1, 2, 4])
@pytest.mark.parametrize("stereo_in", [False, True])
@pytest.mark.parametrize("normalize", [True, False])
def test_convolver_channel_rules(ir_channels, stereo_in, normalize):
    frames = 6144
    ir = sc.ir_data(ir_channels, 1500, 50 + ir_channels, 400)
    x = sc.step_values(9, 2000, 1.0, frames).astype(np.float64)
    gl, gr = (1.0, 1.0)
    if stereo_in:   # an equal-power panner makes two different channels
        az, _ = spec_azimuth_elevation((1, 0, -2), (0, 0, 0), (0, 0, -1), (0, 1, 0))
        gl, gr = spec_equalpower(az)

    def build(ctx):
        s = sc.steps(ctx, 9, 2000)
        b = ctx.create_buffer(ir_channels, ir.shape[1], RATE)
        np.asarray(b)[:] = ir
        c = ls.ConvolverNode(ctx, buffer=b, disable_normalization=not normalize)
        if stereo_in:
            s >> ctx.create_panner(position_x=1, position_z=-2, rolloff_factor=0) >> c
        else:
            s >> c
        c >> ctx.destination

    out = render(build, frames=frames)
    h = ir.astype(np.float64) * (spec_norm_scale(ir) if normalize else 1.0)
    if ir_channels == 1:
        h = np.concatenate([h, h])
    xl, xr = gl * x, gr * x

    def conv(a, k):
        return signal.fftconvolve(a, h[k])[:frames]

    if ir_channels == 4:
        exp = [conv(xl, 0) + conv(xr, 2), conv(xl, 1) + conv(xr, 3)]
    else:
        exp = [conv(xl, 0), conv(xr, 1)]
    for c in range(2):
        assert snr(exp[c], out[c]) > 110, (c, snr(exp[c], out[c]))


def test_convolver_mono_output_for_mono_input_and_response():
    ir = sc.ir_data(1, 300, 77, 100)
    seen = {}

    def build(ctx):
        s = sc.steps(ctx, 3, 100)
        b = ctx.create_buffer(1, 300, RATE)
        np.asarray(b)[:] = ir
        c = ctx.create_convolver(buffer=b)
        # an explicit discrete 2-channel gain keeps channel 1 silent for a mono input
        g = ctx.create_gain(channel_count=2, channel_count_mode="explicit",
                            channel_interpretation="discrete")
        s >> c >> g >> ctx.destination
        seen["c"] = c

    out = render(build, frames=1024)
    assert np.any(out[0] != 0) and np.all(out[1] == 0)


def test_convolver_long_response_and_tail():
    """A 1.5 s response: non-uniform partitions of every size, and the tail
    goes on after the input stops."""
    frames = RATE * 2
    ir = sc.ir_data(1, int(1.5 * RATE), 5, RATE * 0.4)
    x = sc.step_values(4, 4000, 1.0, frames).astype(np.float64)
    x[4001:] = 0.0

    def build(ctx):
        s = sc.steps(ctx, 4, 4000)
        s.offset.set_value_at_time(0.0, 4000.5 / RATE)
        b = ctx.create_buffer(1, ir.shape[1], RATE)
        np.asarray(b)[:] = ir
        s >> ctx.create_convolver(buffer=b, disable_normalization=True) >> ctx.destination

    out = render(build, frames=frames, channels=1)
    exp = signal.fftconvolve(x, ir[0].astype(np.float64))[:frames]
    assert snr(exp, out[0]) > 110
    assert np.max(np.abs(out[0, RATE:])) > 1e-3     # still ringing a second later


def test_convolver_buffer_attribute():
    ctx = ls.OfflineAudioContext(2, 128, RATE)
    c = ctx.create_convolver()
    assert c.buffer is None and c.normalize is True
    b = ctx.create_buffer(2, 100, RATE)
    c.buffer = b
    assert c.buffer is b
    c.normalize = False
    assert c.normalize is False
    c.buffer = None
    assert c.buffer is None
    with pytest.raises(ls.NotSupportedError, match="1, 2 or 4 channels"):
        c.buffer = ctx.create_buffer(3, 100, RATE)
    with pytest.raises(ls.NotSupportedError, match="sample rate"):
        c.buffer = ctx.create_buffer(1, 100, 44100)
    with pytest.raises(TypeError, match="AudioBuffer"):
        c.buffer = [1, 2, 3]
    with pytest.raises(ls.NotSupportedError):
        ctx.create_convolver(channel_count=4)
    with pytest.raises(ls.NotSupportedError):
        ctx.create_convolver(buffer=ctx.create_buffer(3, 10, RATE))


def test_convolver_copies_the_buffer():
    """Changing the buffer after setting it is not heard (the spec's copy)."""
    ir = np.zeros((1, 64), dtype=np.float32)
    ir[0, 0] = 1.0

    def build(ctx):
        s = sc.steps(ctx, 2, 200)
        b = ctx.create_buffer(1, 64, RATE)
        np.asarray(b)[:] = ir
        c = ctx.create_convolver(buffer=b, disable_normalization=True)
        np.asarray(b)[0, 0] = 5.0
        s >> c >> ctx.destination

    out = render(build, frames=256, channels=1)
    # an identity response (up to the FFT's rounding), not five times it
    np.testing.assert_allclose(out[0], sc.step_values(2, 200, 1.0, 256), atol=1e-6)


# ---------------------------------------------------------------- compressor

def dc_render(level, **opts):
    def build(ctx):
        s = ctx.create_constant_source(offset=level)
        c = ctx.create_dynamics_compressor(**opts)
        s >> c >> ctx.destination
        s.start(0)
        build.c = c
    out = render(build, frames=RATE, channels=1)
    return out[0], build.c


def test_compressor_ratio_above_the_knee():
    """Far above the threshold the static curve has slope 1 / ratio in dB."""
    for ratio in (2.0, 4.0, 12.0):
        a, _ = dc_render(0.25, threshold=-50, knee=0, ratio=ratio, attack=0.001, release=0.05)
        b, _ = dc_render(1.0, threshold=-50, knee=0, ratio=ratio, attack=0.001, release=0.05)
        diff = 20 * np.log10(b[-1] / a[-1])
        assert diff == pytest.approx(20 * np.log10(4.0) / ratio, abs=0.05), ratio


def test_compressor_below_threshold_is_linear_and_delayed():
    """Below the threshold only the make-up gain applies: (1 / curve(1))^0.6,
    the same for every level; the look-ahead delays by floor(0.006 fs)."""
    a, _ = dc_render(0.001)
    b, _ = dc_render(0.002)
    assert b[-1] / a[-1] == pytest.approx(2.0, rel=1e-4)
    delay = int(0.006 * RATE)
    assert np.all(a[:delay] == 0) and a[delay] != 0


def test_compressor_reduction_and_params():
    out, c = dc_render(1.0)
    assert c.reduction < -1.0
    assert c.threshold.value == -24 and c.knee.value == 30 and c.ratio.value == 12
    assert c.attack.value == pytest.approx(0.003) and c.release.value == 0.25
    assert c.threshold.automation_rate == "k-rate"
    ctx = ls.OfflineAudioContext(1, 128, RATE)
    quiet = ctx.create_dynamics_compressor()
    assert quiet.reduction == 0.0
    with pytest.raises(ls.NotSupportedError):
        ctx.create_dynamics_compressor(channel_count=3)
    with pytest.raises(ls.InvalidStateError):
        quiet.threshold.automation_rate = "a-rate"


def test_listener_param_fed_by_a_node_in_the_same_quantum():
    """A node connected to a listener param is rendered before every panner:
    the panner sees its value from the first frame on."""
    def fed(ctx):
        s = sc.steps(ctx, 1, 500)
        k = ctx.create_constant_source(offset=3.0)
        k >> ctx.listener.position_x
        k.start(0)
        p = ctx.create_panner(position_z=-1)
        s >> p >> ctx.destination

    def static(ctx):
        s = sc.steps(ctx, 1, 500)
        ctx.listener.position_x.value = 3.0
        p = ctx.create_panner(position_z=-1)
        s >> p >> ctx.destination

    a = render(fed)
    b = render(static)
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    assert np.max(np.abs(a[0])) > 2 * np.max(np.abs(a[1]))   # the source is on the left


def test_contexts_with_listeners_come_and_go():
    for _ in range(50):
        ctx = ls.OfflineAudioContext(2, 256, RATE)
        lis = ctx.listener
        p = ctx.create_panner(panning_model="HRTF")
        c = ctx.create_convolver(buffer=ctx.create_buffer(2, 300, RATE))
        o = ctx.create_oscillator()
        o >> p >> c >> ctx.create_dynamics_compressor() >> ctx.destination
        o.start(0)
        lis.position_x.value = 1
        ctx.start_rendering()
        del ctx, lis, p, c, o
    with ls.AudioContext() as rt:
        rt.create_panner() >> rt.destination
        rt.listener.set_position(1, 2, 3)
        rt.wait(0.05)


def test_realtime_edits_while_rendering():
    """Buffers, models and attributes change while the render thread runs."""
    with ls.AudioContext(sample_rate=RATE) as ctx:
        o = ctx.create_oscillator()
        p = ctx.create_panner()
        c = ctx.create_convolver()
        d = ctx.create_dynamics_compressor()
        o >> p >> c >> d >> ctx.destination
        o.start(0)
        for i in range(20):
            c.buffer = ctx.create_buffer(1 + (i % 2), 2000 + 500 * i, RATE)
            p.panning_model = "HRTF" if i % 2 else "equalpower"
            p.distance_model = ("linear", "inverse", "exponential")[i % 3]
            p.set_position(i - 10, 0, -1)
            ctx.listener.position_z.value = i * 0.1
            ctx.wait(0.005)
        c.buffer = None
        ctx.wait(0.02)
        assert ctx.stats["quanta_rendered"] > 0
