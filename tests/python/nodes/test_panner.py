"""PannerNode and AudioListener against the spec's formulas in NumPy: the
equal-power gains from azimuth, the three distance models, cone gain, and
sample-accurate listener automation; gains agree with the double-precision
formulas to 2e-6 relative (the engine computes geometry in float, away from
the acos singularities at exactly +-90 degrees). The HRTF panner against its
structural model (spherical head, Woodworth's interaural time difference,
pinna echoes).
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import signal

import labsound as ls
import spatial_cases as sc
from spatial_model import (A_OVER_C, BIN, ECHO_A, ECHO_B, ECHO_RHO, LISTENERS, POSITIONS, RATE, check_spectrum, direction, first_notch, gains_of, hrtf_model, hrtf_render, model_render, model_response, mono_input, pinna_delays, pinna_response, render, spec_azimuth_elevation, spec_cone, spec_distance, spec_equalpower, transfer, unit)


# ---------------------------------------------------------------- panner


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


@pytest.mark.parametrize("stereo", [False, True])
def test_equalpower_positions_changing_between_constant_quanta(stereo):
    # each quantum's position constant, some repeated (the geometry kept
    # from the quantum before), some changed, one back to an earlier value,
    # and the listener moved once: every quantum's gains as the spec's
    Q = 128
    plan = [(1, 0.5, -2), (1, 0.5, -2), (-3, 1, 1), (-3, 1, 1), (1, 0.5, -2), (1, 0.5, -2),
            (0.2, -2, 0.5), (0.2, -2, 0.5)]
    listener_at = 5      # from this quantum on, the listener is at (0.5, 0, 0)
    ctx = ls.OfflineAudioContext(2, Q * len(plan), RATE)
    src = ctx.create_constant_source(offset=0.5)
    p = ctx.create_panner()
    for q, pos in enumerate(plan):
        for param, v in zip((p.position_x, p.position_y, p.position_z), pos):
            param.set_value_at_time(v, q * Q / RATE)
    ctx.listener.position_x.set_value_at_time(0.5, listener_at * Q / RATE)
    if stereo:
        sc.stereo(ctx, src) >> p >> ctx.destination
    else:
        src >> p >> ctx.destination
    src.start()
    out = np.asarray(ctx.start_rendering()).astype(np.float64)
    for q, pos in enumerate(plan):
        lpos = (0.5, 0, 0) if q >= listener_at else (0, 0, 0)
        az, _ = spec_azimuth_elevation(pos, lpos, (0, 0, -1), (0, 1, 0))
        gl, gr = spec_equalpower(az, stereo=stereo)
        g = spec_distance("inverse", float(np.linalg.norm(np.subtract(pos, lpos))), 1, 10000, 1)
        if stereo:
            el, er = (1 + gl, gr) if az <= 0 else (gl, 1 + gr)
        else:
            el, er = gl, gr
        block = out[:, q * Q:(q + 1) * Q] / 0.5
        np.testing.assert_allclose(block[0], el * g, rtol=2e-6, atol=2e-7)
        np.testing.assert_allclose(block[1], er * g, rtol=2e-6, atol=2e-7)


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
#
# The documented model (src/dsp/hrtf.h), written out again here in double
# precision: per ear a head delay and a head-shadow filter (Woodworth, Brown &
# Duda), and Brown & Duda's pinna, the direct sound plus five echoes
#   tau_k = (A_k cos(theta/2) sin(D_k (90 - phi)) + B_k) rate / 44100 frames,
# phi the elevation, sin^2(theta/2) = cos(phi) sin^2(azimuth/2).


@pytest.mark.parametrize("az,el", [
    (0, 0), (20, 0), (45, 0), (70, 0), (90, 0), (120, 0), (160, 0), (-30, 0), (-90, 0),
    (0, 45), (0, -45), (0, 85), (30, 60), (-100, -30),            # above and below
    (180, 0), (150, 20), (-135, -50), (110, 70), (60, -70),       # behind
])
@pytest.mark.parametrize("rate", [48000, 44100, 96000])
def test_hrtf_matches_its_model(az, el, rate):
    """Both ears against the model rendered in NumPy: > 100 dB (the engine's
    geometry, delays and filter run in float: measured 107 to 136 dB, the
    lowest at 96 kHz where the delays are longest). Off the median plane the
    elevations stay 20 degrees from the poles, where the elevation's acos in
    float is ill-conditioned and the lateral angle depends on it."""
    frames = 2048
    x = sc.step_values(7, 2000, 1.0, frames).astype(np.float64)
    pos = direction(az, el)
    out = hrtf_render(lambda ctx: sc.steps(ctx, 7, 2000), pos, frames, rate)
    az_spec, el_spec = spec_azimuth_elevation(pos, (0, 0, 0), (0, 0, -1), (0, 1, 0))
    for ear, (delay, alpha, taps) in enumerate(hrtf_model(az_spec, el_spec, rate)):
        expected = model_render(x, alpha, taps, rate)
        err = np.sum((out[ear] - expected) ** 2) / np.sum(expected ** 2)
        assert 10 * np.log10(1 / err) > 100, (az, el, ear, err)


def test_hrtf_pinna_coefficients():
    """The echoes sum to zero with the direct sound's 1: DC at unit gain from
    every direction; and the delays stay within [B_k, A_k + B_k]."""
    assert 1 + sum(ECHO_RHO) == 1
    for az in range(-180, 181, 15):
        for el in range(-90, 91, 15):
            d = pinna_delays(az, el, 44100)
            assert all(b - 1e-12 <= t <= a + b + 1e-12 for t, a, b in zip(d, ECHO_A, ECHO_B))
            assert abs(pinna_response([0.0], az, el, 44100)[0] - 1) < 1e-12


@pytest.mark.parametrize("az", [15, 30, 60, 90])
def test_hrtf_interaural_time_difference_is_woodworths(az):
    """ITD measured from the rendered output's high band, where the shadow
    filters are nearly flat (their low-frequency group delay adds to it):
    the cross-correlation peak of the 8-20 kHz band of each ear. Expected:
    the same measurement on the model's output (pinna included), which is
    itself Woodworth's ITD to 0.6 frames: both ears get the same pinna
    echoes, so the pinna's comb shapes the band's spectrum but moves the peak
    only by the small phase differences of the two ears' shadow filters and
    interpolations."""
    frames = 8192
    x = sc.step_values(8, 8000, 1.0, frames).astype(np.float64)
    pos = direction(az, 0)
    out = hrtf_render(lambda ctx: sc.steps(ctx, 8, 8000), pos, frames)
    sos = signal.butter(8, [8000, 20000], btype="bandpass", fs=RATE, output="sos")

    def itd(left, right):
        hl, hr = signal.sosfiltfilt(sos, left), signal.sosfiltfilt(sos, right)
        corr = signal.correlate(hl, hr, mode="full")
        lags = signal.correlation_lags(len(hl), len(hr), mode="full")
        i = int(np.argmax(corr))
        y0, y1, y2 = corr[i - 1], corr[i], corr[i + 1]
        return lags[i] + 0.5 * (y0 - y2) / (y0 - 2 * y1 + y2)

    model = [model_render(x, alpha, taps, RATE) for _, alpha, taps in hrtf_model(az, 0, RATE)]
    expected = itd(*model)
    woodworth = A_OVER_C * (math.radians(az) + math.sin(math.radians(az))) * RATE
    assert itd(out[0], out[1]) == pytest.approx(expected, abs=0.01), (az, expected)
    assert expected == pytest.approx(woodworth, abs=0.6), (az, expected, woodworth)


@pytest.mark.parametrize("az,el", [(30, 0), (60, 0), (90, 0), (45, 30), (120, -20)])
@pytest.mark.parametrize("freq", [500.0, 4000.0, 12000.0])
def test_hrtf_interaural_level_difference(az, el, freq):
    """RMS ratio of the ears for a sine against |H_right| / |H_left|: each
    ear's taps (the direct sound and the pinna echoes, each through the delay
    line's linear interpolation) times its shadow filter (scipy.signal.freqz)."""
    frames = 8192
    pos = direction(az, el)

    def source(ctx):
        o = ctx.create_oscillator(frequency=freq)
        o.start(0)
        return o

    out = hrtf_render(source, pos, frames)
    tail = out[:, 2048:]
    measured = 20 * np.log10(np.sqrt(np.mean(tail[1] ** 2)) / np.sqrt(np.mean(tail[0] ** 2)))
    mags = [abs(model_response([freq], alpha, taps, RATE)[0])
            for _, alpha, taps in hrtf_model(az, el, RATE)]
    expected = 20 * np.log10(mags[1] / mags[0])
    assert measured == pytest.approx(expected, abs=0.05)
    assert measured > 0      # the near (right) ear is louder


def test_hrtf_elevation_moves_the_pinna_notch():
    """Noise straight ahead at elevations -45, 0 and +45 degrees. Each ear's
    spectrum follows the model's response, and its deepest notch between 6
    and 16 kHz is where the model's (the formula on a 1 Hz grid) is, to 4
    analysis bins (47 Hz): the pinna's first notch, which Brown & Duda's
    formula with ideal delays puts within 3 % (the delay line's linear
    interpolation and the shadow filter move it a little). It rises with
    elevation (9.6, 11.4, 13.2 kHz), and at the notch of one elevation the
    others are louder by what the model predicts (8 to 20 dB), to 0.5 dB."""
    frames = 96000
    x = sc.step_values(11, frames, 1.0, frames).astype(np.float64)
    grid = np.arange(6000.0, 16000.0, 1.0)
    notches, spectra = {}, {}
    for el in (-45, 0, 45):
        out = hrtf_render(lambda ctx: sc.steps(ctx, 11, frames), direction(0, el), frames)
        for ear, (_, alpha, taps) in enumerate(hrtf_model(0, el, RATE)):
            f, mag = transfer(x, out[ear])
            model = check_spectrum(f, mag, alpha, taps)
            predicted = grid[np.argmin(np.abs(model_response(grid, alpha, taps, RATE)))]
            pinna = grid[np.argmin(np.abs(pinna_response(grid, 0, el, RATE)))]
            measured = first_notch(f, mag, 6000, 16000)
            assert abs(measured - predicted) <= 4 * BIN, (el, ear, measured, predicted)
            assert abs(pinna - predicted) < 0.03 * predicted, (el, pinna, predicted)
            notches[el], spectra[el] = predicted, (f, mag, model)
    assert notches[-45] + 1000 < notches[0] < notches[45] - 1000, notches
    for el in notches:
        f, mag, model = spectra[el]
        i = int(np.argmin(np.abs(f - notches[el])))
        for other in notches:
            if other != el:
                predicted = 20 * np.log10(spectra[other][2][i] / model[i])
                measured = 20 * np.log10(spectra[other][1][i] / mag[i])
                assert predicted > 6, (el, other, predicted)
                assert measured == pytest.approx(predicted, abs=0.5), (el, other)


def test_hrtf_front_and_back_differ_by_the_pinna():
    """30 and 150 degrees (the same lateral angle) give the same head delays
    and shadow filters, so what tells them apart is the pinna: in front its
    first notch falls near 11.4 kHz; behind, cos(theta/2) shortens the echoes
    and it moves above 16 kHz. Both spectra follow the model's (0.5 dB, as
    above), their notches are where the model's are (4 bins), and at the
    front's notch the back is more than 20 dB louder."""
    frames = 96000
    x = sc.step_values(12, frames, 1.0, frames).astype(np.float64)
    front, back = hrtf_model(30, 0, RATE), hrtf_model(150, 0, RATE)
    for ef, eb in zip(front, back):
        assert ef[:2] == pytest.approx(eb[:2], abs=1e-9)          # the same head
    outs = {az: hrtf_render(lambda ctx: sc.steps(ctx, 12, frames), direction(az, 0), frames)
            for az in (30, 150)}
    grid = np.arange(6000.0, 20000.0, 1.0)
    for ear in (0, 1):
        f, hf = transfer(x, outs[30][ear])
        _, hb = transfer(x, outs[150][ear])
        check_spectrum(f, hf, front[ear][1], front[ear][2])
        check_spectrum(f, hb, back[ear][1], back[ear][2])
        nf = grid[np.argmin(np.abs(model_response(grid, front[ear][1], front[ear][2], RATE)))]
        nb = grid[np.argmin(np.abs(model_response(grid, back[ear][1], back[ear][2], RATE)))]
        assert 11000 < nf < 12000 and nb > 16000, (nf, nb)
        assert abs(first_notch(f, hf, 6000, 20000) - nf) <= 4 * BIN
        assert abs(first_notch(f, hb, 6000, 20000) - nb) <= 4 * BIN
        i = int(np.argmin(np.abs(f - nf)))
        assert 20 * np.log10(hb[i] / hf[i]) > 20          # behind: no notch there


@pytest.mark.parametrize("path", ["sideways", "over", "behind", "below"])
def test_hrtf_moving_source_has_no_discontinuities(path):
    """A 300 Hz sine moving through every region of the pinna's mapping
    (across the front, over the head, across the back through 180 degrees,
    under the listener through straight below). Its output changes by at
    most amplitude * 2 pi 300 / 48000 per frame; the model's gain at 300 Hz
    is under 1.1 from every direction (computed below), and we allow an
    amplitude of 2, the margin covering the slow ramps of the delays."""
    frames = 8192
    w = 2 * math.pi * 300 / RATE
    for az in range(-180, 181, 30):
        for el in range(-90, 91, 15):
            for _, alpha, taps in hrtf_model(az, el, RATE):
                assert abs(model_response([300.0], alpha, taps, RATE)[0]) < 1.1
    start, end = {"sideways": ((-3, 0, -1), (3, 0, -1)), "over": ((0, -3, -1), (0, 3, -1)),
                  "behind": ((-3, 0, 1), (3, 0, 1)), "below": ((0, -1, -3), (0, -1, 3))}[path]

    def build(ctx):
        o = ctx.create_oscillator(frequency=300)
        p = ctx.create_panner(panning_model="HRTF", rolloff_factor=0, position_x=start[0],
                              position_y=start[1], position_z=start[2])
        for param, a, b in zip((p.position_x, p.position_y, p.position_z), start, end):
            param.set_value_at_time(a, 0)
            param.linear_ramp_to_value_at_time(b, frames / RATE)
        o >> p >> ctx.destination
        o.start(0)

    out = render(build, frames=frames)
    assert np.max(np.abs(np.diff(out[:, 256:], axis=1))) < 2 * w


# ---------------------------------------------------------------- compressor


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
