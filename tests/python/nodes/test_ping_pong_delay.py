"""PingPongDelayNode against its two-line recursion computed sample by sample
in NumPy (mono sum into the left line, left into right, right fed back), with
wet and dry mixes, automatable feedback, and tempo and note changes.
"""

import numpy as np
import pytest

import labsound as ls

from delay_model import SR, beats, impulse_source


# ---------------------------------------------------------------------------
# PingPongDelayNode
# ---------------------------------------------------------------------------

def ping_pong_model(x_l, x_r, D, fb, wet, dry):
    """The two delay lines, sample by sample (whole-frame delay D)."""
    n = len(x_l)
    mono = 0.5 * (x_l + x_r)
    a = np.zeros(n)
    left = np.zeros(n)
    right = np.zeros(n)
    for i in range(n):
        left[i] = a[i - D] if i >= D else 0.0
        right[i] = left[i - D] if i >= D else 0.0
        a[i] = mono[i] + fb * right[i]
    return dry * x_l + wet * left, dry * x_r + wet * right


@pytest.mark.parametrize("tempo, note, fb, wet, dry", [(240, "eighth", 0.5, 0.7, 0.5),
                                                       (7200, "thirty-second", 0.8, 1.0, 0.0),
                                                       (160, "sixteenth-triplet", -0.6, 0.5, 1.0)])
def test_ping_pong_impulse_alternates_left_and_right(tempo, note, fb, wet, dry):
    D = 60.0 / tempo * beats(note) * SR
    assert abs(D - round(D)) < 1e-6
    D = int(round(D))
    n = 9 * D + 300
    ctx = ls.OfflineAudioContext(2, n, SR)
    pp = ctx.create_ping_pong_delay(tempo=tempo, note=note, feedback=fb, wet=wet, dry=dry)
    impulse_source(ctx) >> pp >> ctx.destination
    y = np.asarray(ctx.start_rendering())
    x = np.zeros(n)
    x[0] = 1.0
    el, er = ping_pong_model(x, x, D, fb, wet, dry)
    np.testing.assert_allclose(y[0], el, atol=1e-6)
    np.testing.assert_allclose(y[1], er, atol=1e-6)
    # the echoes themselves: left at odd multiples of D, right at even ones
    for k in range(1, 9):
        ch = 0 if k % 2 else 1
        assert y[ch, k * D] == pytest.approx(wet * fb ** ((k - 1) // 2), rel=1e-5)
        assert y[1 - ch, k * D] == 0.0


def test_ping_pong_stereo_noise_against_the_model():
    rng = np.random.default_rng(3)
    D = 3000                                   # 60 / 240 * 0.25 s at 48 kHz
    n = 4 * 128 * 60
    x = rng.uniform(-1, 1, (2, 4000)).astype(np.float32)
    ctx = ls.OfflineAudioContext(2, n, SR)
    pp = ctx.create_ping_pong_delay(tempo=240, note="sixteenth", feedback=0.45, wet=0.8, dry=0.3)
    src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(x, SR))
    src.start(0)
    src >> pp >> ctx.destination
    y = np.asarray(ctx.start_rendering())
    xl = np.zeros(n)
    xr = np.zeros(n)
    xl[:4000], xr[:4000] = x[0], x[1]
    el, er = ping_pong_model(xl.astype(np.float32).astype(float), xr, D, 0.45, 0.8, 0.3)
    np.testing.assert_allclose(y[0], el, atol=2e-6)
    np.testing.assert_allclose(y[1], er, atol=2e-6)


def test_ping_pong_output_is_stereo_and_feedback_is_automatable():
    ctx = ls.OfflineAudioContext(2, 48000, SR)
    pp = ctx.create_ping_pong_delay(tempo=480, note="quarter", feedback=1.0, wet=1.0, dry=0.0)
    assert pp.number_of_outputs == 1 and pp.delay_time == 0.125
    pp.feedback.set_value_at_time(0.25, 0.3)    # feedback 1 before 0.3 s, 0.25 from then on
    src = impulse_source(ctx)
    mono = ctx.create_gain(channel_count=1, channel_count_mode="explicit")
    src >> mono >> pp >> ctx.destination
    y = np.asarray(ctx.start_rendering())
    D = 6000
    # the right echo at 2D (0.25 s) goes back with feedback 1, the one at 4D (0.5 s) with 0.25
    expected = {(0, D): 1.0, (1, 2 * D): 1.0, (0, 3 * D): 1.0, (1, 4 * D): 1.0, (0, 5 * D): 0.25,
                (1, 6 * D): 0.25, (0, 7 * D): 0.0625}
    got = {(c, int(i)): float(y[c, i]) for c in (0, 1) for i in np.flatnonzero(y[c])}
    assert got == expected


def test_ping_pong_tempo_and_note():
    ctx = ls.OfflineAudioContext(2, 128, SR)
    pp = ctx.create_ping_pong_delay()
    assert (pp.tempo, pp.note, pp.delay_time) == (120.0, "eighth", 0.25)
    pp.note = "quarter"
    pp.tempo = 60
    assert pp.delay_time == 1.0
    assert [p.value for p in (pp.feedback, pp.wet, pp.dry)] == [0.5, 1.0, 1.0]


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


def test_bad_ping_pong_params():
    ctx = ls.OfflineAudioContext(2, 128, SR)
    for name in ("feedback", "wet", "dry"):
        with pytest.raises(ValueError, match=name):
            ctx.create_ping_pong_delay(**{name: float("nan")})
    with pytest.raises(ls.NotSupportedError):
        ctx.create_ping_pong_delay(channel_count=3)
    with pytest.raises(ls.NotSupportedError):
        ctx.create_ping_pong_delay(channel_count_mode="max")
    ctx.start_rendering()
