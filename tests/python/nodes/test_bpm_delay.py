"""BPMDelayNode: the echo lands at 60 / tempo * beats seconds for every note
value (dotted and triplet included): to the frame for whole-frame delays,
split between two frames by the delay line's linear interpolation
otherwise.
"""
import math

import numpy as np
import pytest

import labsound as ls

from delay_model import SR, beats, impulse_source


# ---------------------------------------------------------------------------
# BPMDelayNode
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("tempo, note", [(120, "quarter"), (100, "eighth"), (90, "dotted-eighth"),
                                         (120, "quarter-triplet"), (75, "sixteenth"),
                                         (200, "thirty-second"), (60, "half")])
def test_bpm_delay_lands_on_the_frame(tempo, note):
    delay = 60.0 / tempo * beats(note)
    frames = delay * SR
    assert abs(frames - round(frames)) < 1e-9      # whole-frame cases
    n = int(round(frames)) + 256
    ctx = ls.OfflineAudioContext(1, n, SR)
    d = ctx.create_bpm_delay(tempo=tempo, note=note)
    impulse_source(ctx) >> d >> ctx.destination
    assert d.delay_time == pytest.approx(delay, rel=1e-12)
    y = np.asarray(ctx.start_rendering())[0]
    expected = np.zeros(n, np.float32)
    expected[int(round(frames))] = 1.0
    np.testing.assert_array_equal(y, expected)


def test_bpm_delay_fractional_delay_interpolates_linearly():
    tempo, note = 97.0, "sixteenth"
    d_frames = float(np.float32(np.float32(60.0 / tempo * 0.25) * np.float32(SR)))
    k, f = int(math.floor(d_frames)), d_frames - math.floor(d_frames)
    ctx = ls.OfflineAudioContext(1, k + 256, SR)
    d = ctx.create_bpm_delay(tempo=tempo, note=note)
    impulse_source(ctx) >> d >> ctx.destination
    y = np.asarray(ctx.start_rendering())[0]
    expected = np.zeros_like(y)
    expected[k], expected[k + 1] = 1.0 - f, f
    # the delay line's read position is single precision: 2^-9 frame here
    np.testing.assert_allclose(y, expected, atol=4e-3)
    assert np.argmax(y) == (k if f < 0.5 else k + 1)


def test_bpm_delay_tempo_and_note_change_the_delay():
    ctx = ls.OfflineAudioContext(1, 48000, SR)
    d = ctx.create_bpm_delay()
    assert (d.tempo, d.note, d.delay_time) == (120.0, "quarter", 0.5)
    d.tempo = 150
    assert d.delay_time == pytest.approx(0.4)
    d.note = "dotted-eighth"
    assert d.delay_time == pytest.approx(60 / 150 * 0.75)
    impulse_source(ctx) >> d >> ctx.destination
    y = np.asarray(ctx.start_rendering())[0]
    assert np.flatnonzero(y).tolist() == [int(round(60 / 150 * 0.75 * SR))]


def test_bpm_delay_in_a_feedback_loop():
    # a cycle through the delay renders: echoes every 0.25 s, scaled by 0.5 each time
    ctx = ls.OfflineAudioContext(1, 48000, SR)
    d = ctx.create_bpm_delay(tempo=240, note="quarter")
    fb = ctx.create_gain(gain=0.5)
    src = impulse_source(ctx)
    src >> d
    d >> fb >> d
    d >> ctx.destination
    y = np.asarray(ctx.start_rendering())[0]
    D = 12000
    expected = np.zeros(48000, np.float32)
    expected[D::D] = 0.5 ** np.arange(len(expected[D::D]))
    np.testing.assert_array_equal(y, expected)


# ---------------------------------------------------------------------------
# SampledAudioNode
# ---------------------------------------------------------------------------

@pytest.fixture
def sample():
    rng = np.random.default_rng(11)
    x = rng.uniform(-1, 1, 3000) * np.exp(-np.arange(3000) / 600.0)
    return x.astype(np.float32)


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("factory", ["create_bpm_delay", "create_ping_pong_delay"])
@pytest.mark.parametrize("kwargs, exc, words", [
    ({"tempo": -120}, ValueError, "(tempo)"),
    ({"tempo": 0}, ValueError, "(tempo)"),
    ({"tempo": float("nan")}, ValueError, "(tempo)"),
    ({"tempo": "fast"}, TypeError, "(tempo)"),
    ({"note": "quarterly"}, ValueError, "(note)"),
    ({"note": 4}, TypeError, "(note)"),
    ({"tempo": 10, "note": "whole"}, ValueError, "max_delay_time"),
    ({"max_delay_time": -1}, ls.NotSupportedError, "(max_delay_time)"),
    ({"max_delay_time": float("inf")}, ValueError, "(max_delay_time)"),
])
def test_bad_delay_options(factory, kwargs, exc, words):
    ctx = ls.OfflineAudioContext(2, 24000, SR)
    with pytest.raises(exc) as e:
        getattr(ctx, factory)(**kwargs)
    assert words in str(e.value) and factory in str(e.value)
    d = getattr(ctx, factory)(tempo=240, note="quarter")
    with pytest.raises(ValueError, match="tempo"):
        d.tempo = float("nan")
    with pytest.raises(ValueError, match="tempo"):
        d.tempo = 1                             # 60 s: longer than max_delay_time
    with pytest.raises(ValueError, match="note"):
        d.note = "crotchet"
    with pytest.raises(TypeError, match="note"):
        d.note = None
    with pytest.raises(AttributeError):
        d.delay_time = 1.0
    assert d.delay_time == 0.25
    # the context still renders, with the node as it was
    impulse_source(ctx) >> d >> ctx.destination
    y = np.asarray(ctx.start_rendering())
    assert y[0, 12000] != 0.0


def test_registry_lists_the_nodes():
    types = ls.node_types()
    for name, cls in [("BPMDelay", ls.BPMDelayNode), ("PingPongDelay", ls.PingPongDelayNode),
                      ("SampledAudio", ls.SampledAudioNode)]:
        assert types[name].cls is cls
    ctx = ls.OfflineAudioContext(2, 128, SR)
    assert isinstance(ctx.create("BPMDelay", tempo=90), ls.BPMDelayNode)
    assert isinstance(ctx.create("PingPongDelay"), ls.PingPongDelayNode)
    assert isinstance(ctx.create("SampledAudio"), ls.SampledAudioNode)
    assert [p.name for p in types["PingPongDelay"].params] == ["feedback", "wet", "dry"]  # the engine's order
