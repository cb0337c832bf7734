"""AudioBufferSourceNode: scheduling, offsets, durations, loops, rates.

Expected outputs come from the spec's playback algorithm ("Playback of
AudioBuffer Contents") written out here in NumPy for the cases where every
playhead position is a whole frame (so no interpolation is involved and the
comparison is exact), and from ideal sines for the interpolated cases.
"""

import numpy as np
import pytest

import labsound as ls

SR = 44100.0


def render(n, build, rate=SR, channels=1):
    ctx = ls.OfflineAudioContext(channels, n, rate)
    build(ctx)
    return np.asarray(ctx.start_rendering())


def spec_playback(x, n, start_frame, offset=0, duration=None, loop=False, loop_start=0, loop_end=0, rate=1.0):
    """The spec's algorithm with times in frames (whole-frame cases only).

    rate: the computed playback rate, one number or one per output frame (k-rate
    automation: see k_rate_per_frame)."""
    rates = np.broadcast_to(np.asarray(rate, np.float64), (n,))
    rate = rates[start_frame] if start_frame < n else rates[0]
    out = np.zeros(n, np.float32)
    length = len(x)
    if loop:
        if loop_start >= 0 and loop_end > 0 and loop_start < loop_end:
            ls_, le = loop_start, min(loop_end, length)
        else:
            ls_, le = 0, length
    pos, elapsed, entered = None, 0.0, False
    for i in range(start_frame, n):
        if duration is not None and elapsed >= duration:
            break
        if pos is None:
            off = min(offset, length)
            if loop and rate >= 0 and off >= le:
                off = le
            if loop and rate < 0 and off < ls_:
                off = ls_
            pos = off
        if loop:
            if not entered and ((offset < le and pos >= ls_) or (offset >= le and pos < le)):
                entered = True
            if entered:
                while pos >= le:
                    pos -= le - ls_
                while pos < ls_:
                    pos += le - ls_
        elif pos >= length or pos < 0:
            break
        if 0 <= pos < length:
            out[i] = x[int(pos)]
        pos += rates[i]
        elapsed += rates[i]
    return out


def k_rate_per_frame(value_at, n, quantum=128):
    """A k-rate parameter seen frame by frame: constant within each render quantum, at the
    value its automation has at the quantum's first frame (value_at: frame -> value)."""
    starts = np.arange(n) // quantum * quantum
    return np.array([value_at(f) for f in starts], np.float64)


@pytest.fixture
def noise():
    return np.random.default_rng(5).uniform(-1, 1, 300).astype(np.float32)


def test_plays_the_buffer_then_ends(noise):
    events = []

    def build(ctx):
        src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(noise, SR))
        src.onended = events.append
        src >> ctx.destination
        src.start(0)
        build.src = src

    y = render(512, build)[0]
    np.testing.assert_array_equal(y, spec_playback(noise, 512, 0))
    assert not build.src.is_playing
    assert [e.type for e in events] == ["ended"]


@pytest.mark.parametrize("start, offset, duration", [(0, 0, None), (100, 10, 50), (129, 0, 250), (3, 290, None),
                                                     (0, 400, None)])
def test_offset_and_duration(noise, start, offset, duration):
    def build(ctx):
        src = ls.AudioBufferSourceNode(ctx, buffer=ls.AudioBuffer.from_numpy(noise, SR))
        src >> ctx.destination
        src.start(start / SR, offset / SR, None if duration is None else duration / SR)

    y = render(700, build)[0]
    np.testing.assert_array_equal(y, spec_playback(noise, 700, start, offset, duration))


@pytest.mark.parametrize("offset, loop_start, loop_end, duration", [(0, 10, 20, None), (0, 0, 0, None), (25, 10, 20, None),
                                                                    (5, 100, 160, 400), (0, 50, 1000, None)])
def test_loops(noise, offset, loop_start, loop_end, duration):
    def build(ctx):
        src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(noise, SR), loop=True)
        src.loop_start = loop_start / SR
        src.loop_end = loop_end / SR
        src >> ctx.destination
        src.start(0, offset / SR, None if duration is None else duration / SR)

    y = render(1024, build)[0]
    expected = spec_playback(noise, 1024, 0, offset, duration, True, loop_start, loop_end)
    np.testing.assert_allclose(y, expected, atol=0)


def test_stop_cuts_a_loop(noise):
    def build(ctx):
        src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(noise, SR), loop=True)
        src >> ctx.destination
        src.start(0)
        src.stop(1000 / SR)

    y = render(1500, build)[0]
    np.testing.assert_array_equal(y[:1000], np.resize(noise, 1000))
    assert not y[1000:].any()


@pytest.mark.parametrize("offset, rate", [(0, -1.0), (150, -1.0), (20, -2.0), (30, 1.0)])
def test_loops_backwards(noise, offset, rate):
    def build(ctx):
        src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(noise, SR), loop=True,
                                       loop_start=40 / SR, loop_end=120 / SR, playback_rate=rate)
        src >> ctx.destination
        src.start(0, offset / SR)

    y = render(600, build)[0]
    np.testing.assert_array_equal(y, spec_playback(noise, 600, 0, offset, None, True, 40, 120, rate))


@pytest.mark.parametrize("rate", [2.0, -1.0, 3.0])
def test_whole_frame_rates(noise, rate):
    def build(ctx):
        src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(noise, SR), playback_rate=rate)
        src >> ctx.destination
        src.start(0, 299 / SR if rate < 0 else 0)

    y = render(400, build)[0]
    np.testing.assert_array_equal(y, spec_playback(noise, 400, 0, 299 if rate < 0 else 0, rate=rate))


def test_detune_1200_cents_doubles_the_rate(noise):
    def build(ctx):
        src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(noise, SR), detune=1200)
        src >> ctx.destination
        src.start(0)

    y = render(400, build)[0]
    np.testing.assert_allclose(y, spec_playback(noise, 400, 0, rate=2.0), atol=1e-6)


def _ramp_value(v0, v1, t1):
    """The spec's linearRampToValueAtTime from v0 at frame 0 to v1 at frame t1, then held."""
    return lambda f: v0 + (v1 - v0) * min(f / t1, 1.0)


def test_k_rate_playback_rate_and_detune_ramps_whole_frames():
    # Ramps that reach whole rates at quantum starts: playback_rate 1 -> 4 over 3 quanta is
    # 1, 2, 3, 4 at frames 0, 128, 256, 384; detune 1200 -> 4800 cents over 3 quanta with
    # playback_rate 0.5 is 1, 2, 4, 8. Whole-frame playheads: the comparison is exact.
    x = np.random.default_rng(7).uniform(-1, 1, 4096).astype(np.float32)
    n = 640
    cases = {
        "playback_rate": k_rate_per_frame(_ramp_value(1.0, 4.0, 384), n),
        "detune": 0.5 * 2.0 ** (k_rate_per_frame(_ramp_value(1200.0, 4800.0, 384), n) / 1200),
    }
    np.testing.assert_array_equal(np.unique(cases["playback_rate"]), [1, 2, 3, 4])
    np.testing.assert_array_equal(np.unique(cases["detune"]), [1, 2, 4, 8])
    for which, rates in cases.items():
        def build(ctx):
            src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(x, SR))
            if which == "playback_rate":
                src.playback_rate.set_value_at_time(1.0, 0).linear_ramp_to_value_at_time(4.0, 384 / SR)
            else:
                src.playback_rate.value = 0.5
                src.detune.set_value_at_time(1200.0, 0).linear_ramp_to_value_at_time(4800.0, 384 / SR)
            src >> ctx.destination
            src.start(0)

        y = render(n, build)[0]
        np.testing.assert_array_equal(y, spec_playback(x, n, 0, rate=rates), err_msg=which)


def test_k_rate_playback_rate_ramp_holds_the_quantum_start_value():
    # A ramp not aligned to quanta (0.5 -> 2 over 1000 frames), played from a buffer that is a
    # straight line: cubic interpolation gives the line exactly, so the output is the playhead.
    # The spec's algorithm: the playhead advances by the computed rate every frame, and a k-rate
    # rate is the ramp's value at the first frame of each quantum.
    slope = 1e-4
    line = (np.arange(6000) * slope).astype(np.float32)
    n, offset = 1536, 10

    def build(ctx):
        src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(line, SR))
        src.playback_rate.set_value_at_time(0.5, 0).linear_ramp_to_value_at_time(2.0, 1000 / SR)
        src >> ctx.destination
        src.start(0, offset / SR)

    y = render(n, build)[0].astype(np.float64)
    ramp = _ramp_value(0.5, 2.0, 1000)
    rates = k_rate_per_frame(ramp, n)
    playhead = offset + np.concatenate([[0.0], np.cumsum(rates)[:-1]])
    # float32 buffer values and rounding of the playhead: 1e-6 (the ramp reaches 0.3)
    np.testing.assert_allclose(y, playhead * slope, rtol=0, atol=1e-6)
    # the rate is constant within each quantum: the output's steps repeat there
    steps = np.diff(y).reshape(-1)[: n - 1]
    for q in range(n // 128):
        seg = steps[q * 128: q * 128 + 127]
        np.testing.assert_allclose(seg, rates[q * 128] * slope, rtol=0, atol=1e-7)
    # the test tells k-rate from a-rate or a quantum's end value: those are far outside 1e-6
    a_rate = offset + np.concatenate([[0.0], np.cumsum([ramp(f) for f in range(n)])[:-1]])
    assert np.abs(a_rate - playhead).max() * slope > 1e-3
    end_value = offset + np.concatenate([[0.0], np.cumsum(k_rate_per_frame(lambda f: ramp(f + 127), n))[:-1]])
    assert np.abs(end_value - playhead).max() * slope > 1e-3


def test_playback_rate_zero_holds_the_offset_sample(noise):
    def build(ctx):
        src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(noise, SR))
        src.playback_rate.value = 0
        src >> ctx.destination
        src.start(10 / SR, 7 / SR)

    y = render(300, build)[0]
    assert not y[:10].any()
    np.testing.assert_array_equal(y[10:], np.full(290, noise[7]))


def test_sub_sample_start():
    ramp = (np.arange(200) * 1e-3).astype(np.float32)

    def build(ctx):
        src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(ramp, SR))
        src >> ctx.destination
        src.start(100.25 / SR, 5 / SR)

    y = render(256, build)[0]
    # the first frame (101) lies 0.75 frames after the start: buffer position 5.75;
    # a cubic interpolator reproduces a ramp exactly away from the ends
    assert not y[:101].any()
    np.testing.assert_allclose(y[101:150], (np.arange(49) + 5.75) * 1e-3, rtol=0, atol=1e-6)


def test_buffer_at_another_rate_plays_at_the_right_pitch():
    t = np.arange(22050) / 22050
    sine = (0.5 * np.sin(2 * np.pi * 441 * t)).astype(np.float32)

    def build(ctx):
        src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(sine, 22050),
                                       interpolation="sinc")
        src >> ctx.destination
        src.start(0)

    y = render(44100, build)[0].astype(np.float64)
    # band-limited interpolation: SNR well above 90 dB away from the edges
    ref = 0.5 * np.sin(2 * np.pi * 441 * np.arange(44100) / SR)
    err = y[2000:40000] - ref[2000:40000]
    assert 10 * np.log10(np.mean(ref[2000:40000] ** 2) / np.mean(err ** 2)) > 90


def test_fractional_rate_interpolates_well():
    t = np.arange(44100) / SR
    sine = (0.5 * np.sin(2 * np.pi * 500 * t)).astype(np.float32)

    def build(ctx):
        src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(sine, SR), playback_rate=0.73,
                                       interpolation="cubic")
        src >> ctx.destination
        src.start(0)

    y = render(20000, build)[0].astype(np.float64)
    ref = 0.5 * np.sin(2 * np.pi * 500 * 0.73 * np.arange(20000) / SR)
    err = y[10:] - ref[10:]
    # cubic interpolation of a 500 Hz tone at 44.1 kHz: error ~ (w T)^4 / 64, about -90 dB; allow -70
    assert 10 * np.log10(np.mean(ref[10:] ** 2) / np.mean(err ** 2)) > 70


def test_stereo_buffer_and_errors(noise):
    ctx = ls.OfflineAudioContext(2, 512, SR)
    stereo = ls.AudioBuffer.from_numpy(np.stack([noise, -noise]), SR)
    src = ctx.create_buffer_source()
    assert src.buffer is None
    src.buffer = stereo
    assert np.shares_memory(np.asarray(src.buffer), np.asarray(stereo))
    with pytest.raises(ls.InvalidStateError, match="already"):
        src.buffer = stereo
    other = ctx.create_buffer_source(buffer=stereo)
    other.buffer = None                      # allowed, but the node keeps its [[buffer set]]
    assert other.buffer is None
    with pytest.raises(ls.InvalidStateError, match="already"):
        other.buffer = stereo
    with pytest.raises(TypeError, match="buffer"):
        ctx.create_buffer_source(buffer=3)
    with pytest.raises(ValueError, match="offset"):
        src.start(0, -1)
    src >> ctx.destination
    src.start()
    with pytest.raises(ls.InvalidStateError):
        src.start()
    y = np.asarray(ctx.start_rendering())
    np.testing.assert_array_equal(y[:, :300], [noise, -noise])
    assert src.playback_rate.automation_rate == "k-rate"
    assert src.playback_rate.default_value == 1.0


def test_create_buffer_source_from_path(tmp_path, noise):
    path = tmp_path / "n.wav"
    ls.AudioBuffer.from_numpy(noise, SR).save(path, bits="float32")

    def build(ctx):
        src = ctx.create_buffer_source(str(path))
        src >> ctx.destination
        src.start(0)

    np.testing.assert_array_equal(render(400, build)[0], spec_playback(noise, 400, 0))
    with pytest.raises(FileNotFoundError):
        ls.OfflineAudioContext(1, 128, SR).create_buffer_source(tmp_path / "missing.wav")
