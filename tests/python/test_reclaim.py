"""Node lifetime: what a render sounds like never depends on whether Python
still holds a node, and nodes that can no longer sound are reclaimed
(docs/architecture.md, "Node lifetime").

Expected values come from the nodes' definitions computed in NumPy (a hard
clip of silence is min(max(0, a), b); a curve of three equal values shapes
anything to that value) and from renders of the same graph with every
wrapper held, which no reclaiming can touch."""

import gc

import numpy as np
import pytest

import labsound as ls

SR = 48000.0


# --------------------------------------------------------------------------
# Dropped nodes that make sound from silence
# --------------------------------------------------------------------------

def _shaper(ctx, kind):
    if kind == "clip":
        return ctx.create_clip(mode="clip", a=0.25, b=1.0)
    if kind == "diode":
        return ctx.create_diode(vb=-0.3)
    if kind == "wave_shaper":
        return ctx.create_wave_shaper(curve=np.array([0.5, 0.5, 0.5], np.float32))
    raise AssertionError(kind)


def _build(kind, frames):
    """A shaper that hears nothing, and one fed by a note that stops early
    (so its input turns to silence mid-render), both into the destination."""
    ctx = ls.OfflineAudioContext(1, frames, SR)
    alone = _shaper(ctx, kind)
    alone >> ctx.destination
    fed = _shaper(ctx, kind)
    osc = ctx.create_oscillator(frequency=375.0)
    osc >> fed >> ctx.destination
    osc.start(0.0)
    osc.stop(0.02)
    return ctx, [alone, fed, osc]


def _render(ctx, progress=False):
    if progress:
        calls = []
        buf = ctx.start_rendering(progress=lambda done, total: calls.append(done),
                                  progress_interval=256)
        assert len(calls) > 3
    else:
        buf = ctx.start_rendering()
    return np.asarray(buf)[0].copy()


@pytest.mark.parametrize("kind", ["clip", "diode", "wave_shaper"])
def test_dropped_shaper_sounds_as_if_held(kind):
    frames = int(0.25 * SR)
    ctx, held = _build(kind, frames)
    ref = _render(ctx)

    ctx, nodes = _build(kind, frames)
    del nodes
    gc.collect()
    dropped = _render(ctx, progress=True)
    np.testing.assert_array_equal(dropped, ref)

    # the graph as data: the same samples again
    ctx, nodes = _build(kind, frames)
    again = ls.OfflineAudioContext.from_dict(ctx.to_dict())
    del nodes, ctx
    gc.collect()
    np.testing.assert_array_equal(_render(again), ref)

    # and the value is the node's own: two shapers of silence after the note
    tail = ref[int(0.05 * SR):]
    if kind == "clip":
        np.testing.assert_allclose(tail, 2 * 0.25, rtol=1e-6)
    elif kind == "wave_shaper":
        np.testing.assert_allclose(tail, 2 * 0.5, rtol=1e-6)
    else:
        assert np.all(tail == tail[0]) and abs(tail[0]) > 1e-3


def test_reclaimed_source_leaves_what_it_fed_unchanged():
    """An ADSR whose input note was reclaimed keeps multiplying silence (it
    does not turn into a free-running envelope, as it would with nothing
    ever connected), exactly as when the note is held."""
    def build():
        ctx = ls.OfflineAudioContext(1, int(0.5 * SR), SR)
        osc = ctx.create_oscillator(frequency=300.0)
        env = ctx.create_adsr(attack_time=0.01, decay_time=0.01, sustain_level=0.5,
                              release_time=0.05)
        osc >> env >> ctx.destination
        env.gate_on(0.0)
        osc.start(0.0)
        osc.stop(0.1)
        return ctx, [osc, env]

    ctx, held = build()
    ref = _render(ctx)
    assert not np.any(ref[int(0.1 * SR) + 1:])      # the note ended: silence
    ctx, nodes = build()
    del nodes
    gc.collect()
    np.testing.assert_array_equal(_render(ctx, progress=True), ref)


# --------------------------------------------------------------------------
# Reclaiming under churn
# --------------------------------------------------------------------------

def _churn(ctx, seconds, kind):
    for i in range(int(seconds / 0.02)):
        t = i * 0.02
        osc = ctx.create_oscillator(frequency=220.0 + i)
        if kind == "one_shot_adsr":
            env = ctx.create_adsr(one_shot=True, attack_time=0.005, decay_time=0.01,
                                  sustain_time=0.02, release_time=0.02)
            env.gate_on(t)               # never gated off
        elif kind == "ping_pong":
            env = ctx.create_ping_pong_delay(tempo=1920.0, feedback=0.5)   # echoes every 31 ms
        else:
            env = ctx.create_gain(gain=0.1)
        osc >> env >> ctx.destination
        osc.start(t)
        osc.stop(t + 0.1)


@pytest.mark.parametrize("kind", ["one_shot_adsr", "ping_pong", "gain"])
def test_churn_is_reclaimed_offline(kind):
    seconds = 8.0
    ctx = ls.OfflineAudioContext(2, int(seconds * SR), SR)
    _churn(ctx, seconds - 2.0, kind)     # the last notes have 2 s to end
    gc.collect()
    created = ctx.stats["live_nodes"]
    assert created > 500
    ctx.start_rendering()
    # everything that ended was reclaimed: the destination is what is left
    assert ctx.stats["live_nodes"] <= 3, ctx.stats


def test_feedback_tail_ends_at_the_noise_floor():
    """A ping-pong delay with feedback 0.99 decays by 0.99 per echo; it is
    silent for good once its echoes are below 2^-24 (about 1650 echoes of
    0.25 s, far beyond the 3 s rendered here for 0.5 feedback: 24 echoes
    bring 1.0 to 6e-8), and then reclaimed."""
    ctx = ls.OfflineAudioContext(2, int(6.0 * SR), SR)
    src = ctx.create_constant_source()
    pp = ctx.create_ping_pong_delay(tempo=1920.0, note="quarter", feedback=0.5)   # D = 31.25 ms
    src >> pp >> ctx.destination
    src.start(0.0)
    src.stop(1.0 / SR)                 # an impulse
    del src, pp
    gc.collect()
    x = np.asarray(ctx.start_rendering())
    d = int(round(SR * 60 / 1920))
    # echoes: left at d, 3d, ...: 0.5^k on the left line (wet 1 by default?)
    peak = np.abs(x).max(axis=0)
    last = np.nonzero(peak)[0].max()
    # every echo k carries 0.5^(k-1) times the first: the last one above the
    # floor is k = 24 at most, so nothing sounds after about 25 * d frames
    assert last < 26 * d * 2, (last, d)
    assert ctx.stats["live_nodes"] <= 2, ctx.stats


def _feedback_loop(ctx, gain):
    src = ctx.create_constant_source()
    delay = ctx.create_delay(0.1, delay_time=0.05)
    fb = ctx.create_gain(gain=gain)
    src >> delay >> ctx.destination
    delay >> fb >> delay
    src.start(0.0)
    src.stop(0.01)
    return [src, delay, fb]


def test_silent_feedback_cycle_is_reclaimed_and_sounds_as_if_held():
    """A DelayNode and a GainNode feeding each other, dropped: each keeps
    the other by an input edge; once the echoes (0.1 per trip) have died
    out, the pair is found as a silent cycle and reclaimed. The render is
    the held graph's, sample for sample."""
    frames = int(4.0 * SR)
    ctx = ls.OfflineAudioContext(1, frames, SR)
    held = _feedback_loop(ctx, 0.1)
    ref = np.asarray(ctx.start_rendering())[0].copy()
    assert ctx.stats["live_nodes"] == 4          # the held loop, its source, the destination
    # echoes every 50 ms, each a tenth of the one before (NumPy model of the loop)
    d = int(0.05 * SR)
    for k in range(1, 6):
        np.testing.assert_allclose(ref[k * d + 10], 0.1 ** (k - 1), rtol=1e-5)

    ctx = ls.OfflineAudioContext(1, frames, SR)
    nodes = _feedback_loop(ctx, 0.1)
    del nodes
    gc.collect()
    out = np.asarray(ctx.start_rendering(progress=lambda d, t: None, progress_interval=4096))[0]
    np.testing.assert_array_equal(out, ref)
    assert ctx.stats["live_nodes"] == 1, ctx.stats
