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
    """The spec's algorithm with times in frames (whole-frame cases only)."""
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
        pos += rate
        elapsed += rate
    return out


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
        src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(sine, 22050))
        src >> ctx.destination
        src.start(0)

    y = render(44100, build)[0].astype(np.float64)
    # band-limited conversion: SNR well above 90 dB away from the edges
    ref = 0.5 * np.sin(2 * np.pi * 441 * np.arange(44100) / SR)
    err = y[2000:40000] - ref[2000:40000]
    assert 10 * np.log10(np.mean(ref[2000:40000] ** 2) / np.mean(err ** 2)) > 90


def test_fractional_rate_interpolates_well():
    t = np.arange(44100) / SR
    sine = (0.5 * np.sin(2 * np.pi * 500 * t)).astype(np.float32)

    def build(ctx):
        src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(sine, SR), playback_rate=0.73)
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
