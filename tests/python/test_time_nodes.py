"""BPMDelayNode, PingPongDelayNode and SampledAudioNode against NumPy models.

The BPM delay's echo lands at 60 / tempo * beats seconds (to the frame for
whole-frame delays, split between two frames by the delay line's linear
interpolation otherwise); the ping-pong delay's output follows the two-line
recursion computed sample by sample in NumPy; the sampler's voices sum to
the shifted copies of the buffer, and at another rate it renders what an
AudioBufferSourceNode renders from the same buffer and start time.
"""
import math

import numpy as np
import pytest

import labsound as ls

SR = 48000.0

BEATS = {"whole": 4.0, "half": 2.0, "quarter": 1.0, "eighth": 0.5, "sixteenth": 0.25,
         "thirty-second": 0.125}


def beats(note):
    if note.startswith("dotted-"):
        return BEATS[note[len("dotted-"):]] * 1.5
    if note.endswith("-triplet"):
        return BEATS[note[:-len("-triplet")]] * 2.0 / 3.0
    return BEATS[note]


def impulse_source(ctx, n=1, channels=1, value=1.0):
    x = np.zeros((channels, 16), np.float32)
    x[:, :n] = value
    src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(x, SR))
    src.start(0)
    return src


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


def shifted_sum(x, starts, n):
    y = np.zeros(n)
    for s in starts:
        m = min(len(x), n - s)
        if m > 0:
            y[s:s + m] += x[:m]
    return y


def test_overlapping_schedules_sum_the_shifted_copies(sample):
    n = 12000
    starts = [0, 700, 1000, 2999, 2999, 5000, 10500]
    ctx = ls.OfflineAudioContext(1, n, SR)
    s = ctx.create_sampled_audio(buffer=ls.AudioBuffer.from_numpy(sample, SR))
    s >> ctx.destination
    for k in starts:
        s.schedule(k / SR)
    assert s.schedule_count == len(starts)
    y = np.asarray(ctx.start_rendering())[0]
    np.testing.assert_allclose(y, shifted_sum(sample, starts, n), atol=1e-6)


def test_loop_count_repeats_the_buffer(sample):
    n = 14000
    ctx = ls.OfflineAudioContext(1, n, SR)
    s = ctx.create_sampled_audio(buffer=ls.AudioBuffer.from_numpy(sample, SR))
    s >> ctx.destination
    s.schedule(100 / SR, loop_count=2)                      # three plays back to back
    s.schedule(10000 / SR, 1, 200 / SR, 500 / SR)           # frames 200..700 twice
    y = np.asarray(ctx.start_rendering())[0]
    expected = shifted_sum(sample, [100, 3100, 6100], n)
    grain = sample[200:700]
    expected[10000:10500] += grain
    expected[10500:11000] += grain
    np.testing.assert_allclose(y, expected, atol=1e-6)


def test_loop_until_stop(sample):
    n = 20000
    ctx = ls.OfflineAudioContext(1, n, SR)
    s = ctx.create_sampled_audio(buffer=ls.AudioBuffer.from_numpy(sample, SR))
    s >> ctx.destination
    s.schedule(0, loop_count=-1)
    s.stop(16000 / SR)
    y = np.asarray(ctx.start_rendering())[0]
    expected = np.tile(sample, 7)[:n].astype(float)
    expected[16000:] = 0.0
    np.testing.assert_allclose(y, expected, atol=1e-6)


@pytest.mark.parametrize("buffer_rate, rate, detune, when", [(22050.0, 1.0, 0.0, 0.0),
                                                             (32000.0, 1.0, 0.0, 0.0123456),
                                                             (44100.0, 1.5, 0.0, 0.004),
                                                             (48000.0, 1.0, 700.0, 0.001)])
def test_resampling_matches_the_buffer_source(sample, buffer_rate, rate, detune, when):
    n = 8192
    buf = ls.AudioBuffer.from_numpy(sample, buffer_rate)

    def render(make):
        ctx = ls.OfflineAudioContext(1, n, SR)
        make(ctx) >> ctx.destination
        return np.asarray(ctx.start_rendering())[0].copy()

    def with_source(ctx):
        src = ctx.create_buffer_source(buffer=buf, playback_rate=rate, detune=detune)
        src.start(when)
        return src

    def with_sampler(ctx):
        s = ctx.create_sampled_audio(buffer=buf, playback_rate=rate, detune=detune)
        s.schedule(when)
        return s

    ref = render(with_source)
    y = render(with_sampler)
    assert np.abs(ref).max() > 0.1
    np.testing.assert_allclose(y, ref, atol=1e-6)


def test_a_33rd_voice_replaces_the_first():
    n = 16384
    x = np.ones(8000, np.float32)
    starts = [100 * k for k in range(33)]
    ctx = ls.OfflineAudioContext(1, n, SR)
    s = ctx.create_sampled_audio(buffer=ls.AudioBuffer.from_numpy(x, SR))
    s >> ctx.destination
    for k in starts:
        s.schedule(k / SR)
    y = np.asarray(ctx.start_rendering())[0]
    np.testing.assert_allclose(y, shifted_sum(x, starts[1:], n), atol=1e-5)


def test_clear_schedules_drops_voices_not_started(sample):
    n = 8192
    ctx = ls.OfflineAudioContext(1, n, SR)
    s = ctx.create_sampled_audio(buffer=ls.AudioBuffer.from_numpy(sample, SR))
    s >> ctx.destination
    s.schedule(1000 / SR)
    s.clear_schedules()
    s.schedule(3000 / SR)
    y = np.asarray(ctx.start_rendering())[0]
    np.testing.assert_allclose(y, shifted_sum(sample, [3000], n), atol=1e-6)


def test_ended_when_the_last_voice_ends(sample):
    events = []
    ctx = ls.OfflineAudioContext(1, 16384, SR)
    s = ctx.create_sampled_audio(buffer=ls.AudioBuffer.from_numpy(sample, SR))
    s.onended = events.append
    s >> ctx.destination
    s.schedule(0)
    s.schedule(2000 / SR)          # overlaps the first: one event when both are over
    ctx.start_rendering()
    assert [e.type for e in events] == ["ended"]
    assert events[0].time == pytest.approx(5000 / SR)


def test_buffer_property_and_params(sample):
    ctx = ls.OfflineAudioContext(1, 128, SR)
    s = ls.SampledAudioNode(ctx, playback_rate=0.5, detune=-100)
    assert s.buffer is None
    assert s.playback_rate.value == 0.5 and s.detune.value == -100
    assert s.playback_rate.automation_rate == "k-rate"
    b = ls.AudioBuffer.from_numpy(sample, SR)
    s.buffer = b
    assert s.buffer.length == 3000
    s.buffer = None
    assert s.buffer is None
    assert s.number_of_inputs == 0 and s.number_of_outputs == 1


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


def test_bad_sampler_input(sample):
    ctx = ls.OfflineAudioContext(1, 4096, SR)
    with pytest.raises(TypeError, match=r"create_sampled_audio\(buffer\)"):
        ctx.create_sampled_audio(buffer=5)
    with pytest.raises(ValueError, match="playback_rate"):
        ctx.create_sampled_audio(playback_rate=float("nan"))
    s = ctx.create_sampled_audio()
    with pytest.raises(ls.InvalidStateError, match="no buffer"):
        s.schedule(0)                            # nothing to play: no buffer yet
    with pytest.raises(TypeError, match="buffer"):
        s.buffer = [1, 2, 3]
    s.buffer = ls.AudioBuffer.from_numpy(sample, SR)
    for kwargs, exc, arg in [({"when": float("nan")}, ValueError, "when"),
                             ({"when": -1}, ValueError, "when"),
                             ({"when": "now"}, TypeError, "when"),
                             ({"offset": -0.1}, ValueError, "offset"),
                             ({"duration": float("inf")}, ValueError, "duration"),
                             ({"loop_count": -2}, ValueError, "loop_count"),
                             ({"loop_count": 1.5}, TypeError, "loop_count"),
                             ({"loop_count": True}, TypeError, "loop_count"),
                             ({"loop_count": 2 ** 40}, ValueError, "loop_count")]:
        with pytest.raises(exc) as e:
            s.schedule(**kwargs)
        assert f"schedule({arg})" in str(e.value)
    with pytest.raises(ValueError, match=r"stop\(when\)"):
        s.stop(float("nan"))
    with pytest.raises(ls.NotSupportedError):
        ctx.create_buffer(1, 0, SR)              # an empty buffer cannot be made
    # still renders: the one good schedule
    s >> ctx.destination
    s.schedule(0)
    y = np.asarray(ctx.start_rendering())[0]
    np.testing.assert_allclose(y, shifted_sum(sample, [0], 4096), atol=1e-6)


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
