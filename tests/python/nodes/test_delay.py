"""DelayNode: whole-frame delays are an exact shift; fractional delays
interpolate linearly between the two nearest frames (>= 80 dB: read
positions are single precision, see src/dsp/delay.h); a delay inside a
cycle is clamped to one render quantum as the spec says, checked against a
feedback model in filter_model.py.
"""
from __future__ import annotations

import numpy as np
import pytest

import labsound as ls
from filter_model import (N, SR, feedback_model, interp_delayed, render, rng_noise, snr_db,
                          source, switch_channels)


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


# ---- Splitter and merger ---------------------------------------------------


# ---- WaveShaper ------------------------------------------------------------


# ---- API -------------------------------------------------------------------


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
