"""Many scheduled notes: idle sources and the gains that only hear them are
left out of the per-quantum walk (docs/architecture.md, "Idle nodes"); what
they render must not change.

Expected values are independent of the engine's graph code: the spec's sine
(x[n] = g sin(2 pi f (n / sr - t0)) from frame ceil(t0 sr) up to, not
including, ceil(t1 sr)) computed in NumPy, and the same notes rendered one
context at a time and summed in float64.
"""

import numpy as np

import labsound as ls
from conftest import SR, render

# The sine wavetable is within 1e-6 of the exact sine (test_oscillator.py);
# each note here has a gain <= 0.5 and at most about 100 overlap, so the sum
# is within 1e-4 of the exact sum; float32 summation adds a few ulps of 1.
NUMPY_ATOL = 2e-4
# One by one versus all at once: the same samples summed in another order.
SUM_ATOL = 1e-5


def _notes(n, seed):
    rng = np.random.default_rng(seed)
    starts = np.sort(rng.uniform(0.0, 0.06, n))
    durations = rng.uniform(0.0005, 0.008, n)
    freqs = rng.uniform(100.0, 2000.0, n)
    gains = rng.uniform(0.05, 0.5, n)
    order = rng.permutation(n)           # build them out of time order
    return [(starts[i], starts[i] + durations[i], freqs[i], gains[i]) for i in order]


def _build(ctx, notes):
    for t0, t1, f, g in notes:
        osc = ctx.create_oscillator(frequency=f)
        gain = ctx.create_gain(gain=g)
        osc >> gain >> ctx.destination
        osc.start(t0)
        osc.stop(t1)
    del osc, gain


def _expected(notes, frames):
    y = np.zeros(frames, dtype=np.float64)
    n = np.arange(frames, dtype=np.float64)
    for t0, t1, f, g in notes:
        a, b = int(np.ceil(t0 * SR)), min(int(np.ceil(t1 * SR)), frames)
        y[a:b] += np.float32(g) * np.sin(2 * np.pi * np.float32(f) * (n[a:b] / SR - t0))
    return y


def test_many_notes_match_numpy_and_are_reclaimed():
    notes = _notes(2000, seed=1)
    frames = int(0.075 * SR)
    ctx = ls.OfflineAudioContext(1, frames, SR)
    baseline = ctx.stats["live_nodes"]
    _build(ctx, notes)
    y = render(ctx)[0]
    np.testing.assert_allclose(y, _expected(notes, frames), rtol=0, atol=NUMPY_ATOL)
    # every note, released before rendering, played out and was freed
    assert ctx.stats["live_nodes"] == baseline


def test_many_notes_equal_the_notes_rendered_one_by_one():
    notes = _notes(150, seed=2)
    frames = int(0.075 * SR)
    ctx = ls.OfflineAudioContext(1, frames, SR)
    _build(ctx, notes)
    together = render(ctx)[0]
    alone = np.zeros(frames, dtype=np.float64)
    for note in notes:
        c = ls.OfflineAudioContext(1, frames, SR)
        _build(c, [note])
        alone += render(c)[0]
    np.testing.assert_allclose(together, alone, rtol=0, atol=SUM_ATOL)


def test_waiting_notes_keep_stereo_mixing_rules():
    # A stereo destination hears mono notes (up-mixed L = R) next to a
    # waiting gain set to two explicit channels: while that gain idles, its
    # silent stereo output still counts toward the destination's channels.
    frames = int(0.03 * SR)
    ctx = ls.OfflineAudioContext(2, frames, SR)
    notes = [(0.001 * i, 0.001 * i + 0.004, 300.0 + 40 * i, 0.2) for i in range(20)]
    _build(ctx, notes)
    late = ctx.create_oscillator(frequency=500)
    wide = ctx.create_gain(gain=0.3, channel_count=2, channel_count_mode="explicit")
    late >> wide >> ctx.destination
    late.start(0.02)
    late.stop(0.025)
    del late, wide
    y = render(ctx)
    exp = _expected(notes + [(0.02, 0.025, 500.0, 0.3)], frames)
    np.testing.assert_allclose(y[0], exp, rtol=0, atol=NUMPY_ATOL)
    np.testing.assert_allclose(y[1], exp, rtol=0, atol=NUMPY_ATOL)


def test_idle_gain_wakes_for_a_new_connection():
    # Notes that start late idle with their gain; a source connected to that
    # gain while it idles must be heard at once.
    frames = int(0.04 * SR)
    ctx = ls.OfflineAudioContext(1, frames, SR)
    osc = ctx.create_oscillator(frequency=440)
    gain = ctx.create_gain(gain=0.5)
    osc >> gain >> ctx.destination
    osc.start(0.03)
    osc.stop(0.035)

    def on_suspend():
        extra = ctx.create_oscillator(frequency=220)
        extra >> gain
        extra.start(0.012)
        extra.stop(0.02)

    ctx.suspend(0.01, on_suspend)    # rounds down to a quantum: frame 384
    y = render(ctx)[0]
    exp = _expected([(0.03, 0.035, 440.0, 0.5), (0.012, 0.02, 220.0, 0.5)], frames)
    np.testing.assert_allclose(y, exp, rtol=0, atol=NUMPY_ATOL)
