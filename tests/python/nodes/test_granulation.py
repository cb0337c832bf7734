"""GranulationNode against a NumPy model of its grain schedule and grains.

The model (written from the documented behaviour, not from the C code):
grain k starts ceil(k * sample_rate / grain_rate) frames after the first
played frame (a value within 1e-6 of a whole frame taken as it), lasts
L = round(grain_duration * sample_rate) frames, reads the buffer from
position_start + u_k * max(0, position_end - position_start - grain_duration *
playback_rate) seconds, where u_k is the k-th draw of splitmix64 seeded by
`seed` (top 53 bits / 2**53), advancing playback_rate * buffer_rate /
sample_rate buffer frames per frame by linear interpolation (0 outside the
buffer), times the window at j / (L - 1). A grain due while max_voices grains
sound is dropped (its draw still taken).

Tolerance: the engine sums float32 products; the model works in float64.
The difference is a few float32 ulps of values <= max_voices: 1e-5 absolute.
"""

import math

import numpy as np
import pytest

import labsound as ls

MASK = (1 << 64) - 1


def splitmix_uniforms(seed, n):
    state = seed & MASK
    out = []
    for _ in range(n):
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        z ^= z >> 31
        out.append((z >> 11) * 2.0 ** -53)
    return out


def window(name, length):
    t = np.arange(length) / (length - 1)
    c = np.cos(2 * np.pi * t)
    if name == "hann":
        return 0.5 - 0.5 * c
    if name == "hamming":
        return 0.54 - 0.46 * c
    if name == "blackman":
        return 0.42 - 0.5 * c + 0.08 * np.cos(4 * np.pi * t)
    if name == "triangle":
        return 1 - np.abs(2 * t - 1)
    if name == "gaussian":
        return np.exp(-0.5 * ((2 * t - 1) / 0.4) ** 2)
    if name == "rectangle":
        return np.ones(length)
    raise ValueError(name)


def interp(src, x):
    """Linear interpolation of src at positions x, 0 outside [0, n - 1]."""
    n = len(src)
    out = np.zeros(len(x))
    ok = (x >= 0) & (x <= n - 1)
    i = np.floor(x[ok]).astype(np.int64)
    f = x[ok] - i
    a = src[i].astype(np.float64)
    nxt = np.where(i + 1 < n, i + 1, 0)
    b = np.where(i + 1 < n, src[nxt], 0.0)
    out[ok] = a + f * (b - a)
    return out


def f32(v):
    return float(np.float32(v))


def model(src, buf_rate, sr, frames, *, start_frame=0, stop_frame=None, grain_duration=0.1,
          grain_rate=20.0, position_start=0.0, position_end=None, playback_rate=1.0,
          win="hann", seed=0, max_voices=8):
    """(output, onsets of started grains, number dropped)."""
    src = np.asarray(src, dtype=np.float32)
    dur, rate, pr = f32(grain_duration), f32(grain_rate), f32(playback_rate)
    seconds = len(src) / buf_rate
    ps = f32(position_start)
    pe = f32(seconds if position_end is None else position_end)
    ps = min(max(ps, 0.0), seconds)
    pe = min(max(pe, ps), seconds)
    period = sr / rate
    length = int(math.floor(dur * sr + 0.5))
    stop_frame = frames if stop_frame is None else stop_frame
    onsets = []
    k = 0
    while True:
        t = k * period
        on = start_frame + math.ceil(t - 1e-6)
        if on >= stop_frame:
            break
        onsets.append(on)
        k += 1
    us = splitmix_uniforms(seed, len(onsets))
    out = np.zeros(frames)
    w = window(win, length)
    step = pr * buf_rate / sr
    ends, started, dropped = [], [], 0
    for on, u in zip(onsets, us):
        sounding = [e for e in ends if e > on]
        if len(sounding) >= max_voices:
            dropped += 1
            continue
        ends.append(on + length)
        started.append(on)
        pos = (ps + u * max(0.0, pe - ps - dur * pr)) * buf_rate
        g = w * interp(src, pos + np.arange(length) * step)
        n = min(length, stop_frame - on)
        out[on:on + n] += g[:n]
    return out, started, dropped


def render(src, buf_rate, sr, frames, *, when=0.0, stop=None, channels=1, **opts):
    ctx = ls.OfflineAudioContext(channels, frames, sr)
    src = np.atleast_2d(np.asarray(src, dtype=np.float32))
    buf = ls.AudioBuffer(src.shape[0], length=src.shape[1], sample_rate=buf_rate)
    for c in range(src.shape[0]):
        buf.get_channel_data(c)[:] = src[c]
    g = ctx.create_granulation(buffer=buf, **opts)
    g.connect(ctx.destination)
    g.start(when)
    if stop is not None:
        g.stop(stop)
    out = ctx.start_rendering()
    return np.array([out.get_channel_data(c) for c in range(channels)]), g


def noise(n, seed=1):
    return np.random.default_rng(seed).uniform(-1, 1, n).astype(np.float32)


@pytest.mark.parametrize("rate,sr", [(20.0, 48000.0), (13.0, 48000.0), (37.5, 44100.0)])
def test_onsets_at_the_grain_rate_to_the_frame(rate, sr):
    frames = int(sr * 0.6)
    ones = np.ones(int(sr), np.float32)
    out, g = render(ones, sr, sr, frames, grain_rate=rate, grain_duration=0.005,
                    window="rectangle")
    rising = np.flatnonzero(np.diff(np.r_[0.0, (out[0] > 0.5).astype(float)]) == 1)
    _, expected, dropped = model(ones, sr, sr, frames, grain_rate=rate, grain_duration=0.005,
                                 win="rectangle")
    assert dropped == 0
    assert rising.tolist() == expected
    assert g.grains_started == len(expected) and g.grains_dropped == 0


@pytest.mark.parametrize("win", ["hann", "hamming", "blackman", "triangle", "gaussian",
                                 "rectangle", "tukey"])
def test_window_shape_from_a_constant_buffer(win):
    sr = 48000.0
    ones = np.ones(48000, np.float32)
    out, _ = render(ones, sr, sr, 2400, grain_rate=1.0, grain_duration=0.02, window=win)
    length = round(0.02 * sr)
    if win == "tukey":   # alpha 0.5: cosine tapers over the first and last quarter
        t = np.arange(length) / (length - 1)
        ref = np.ones(length)
        lo, hi = t < 0.25, t > 0.75
        ref[lo] = 0.5 - 0.5 * np.cos(2 * np.pi * t[lo] / 0.5)
        ref[hi] = 0.5 - 0.5 * np.cos(2 * np.pi * (1 - t[hi]) / 0.5)
    else:
        ref = window(win, length)
    np.testing.assert_allclose(out[0, :length], ref, atol=1e-6)
    assert np.all(out[0, length:] == 0)


@pytest.mark.parametrize("opts", [
    dict(),
    dict(grain_duration=0.03, grain_rate=55.0, playback_rate=1.5, window="blackman", seed=7),
    dict(grain_duration=0.05, grain_rate=30.0, playback_rate=0.75, position_start=0.2,
         position_end=0.5, window="triangle", seed=123456789),
    dict(grain_duration=0.04, grain_rate=90.0, max_voices=2, seed=3, window="gaussian"),
])
def test_grains_equal_the_windowed_resampled_segments(opts):
    sr, buf_rate = 48000.0, 44100.0
    src = noise(int(buf_rate))
    frames = 188 * 128    # whole quanta: the grain counters see every rendered frame
    out, g = render(src, buf_rate, sr, frames, when=0.01, **opts)
    start = math.ceil(0.01 * sr)
    ref, started, dropped = model(src, buf_rate, sr, frames, start_frame=start,
                                  win=opts.get("window", "hann"),
                                  **{k: v for k, v in opts.items() if k != "window"})
    np.testing.assert_allclose(out[0], ref, atol=1e-5)
    assert np.max(np.abs(ref)) > 0.3
    assert g.grains_started == len(started) and g.grains_dropped == dropped
    if opts.get("max_voices") == 2:
        assert dropped > 0


def test_stereo_buffer_granulates_each_channel_alike():
    sr = 44100.0
    src = np.stack([noise(22050, 1), noise(22050, 2)])
    out, _ = render(src, sr, sr, 8192, channels=2, grain_duration=0.02, grain_rate=100.0, seed=5)
    for c in range(2):
        ref, _, _ = model(src[c], sr, sr, 8192, grain_duration=0.02, grain_rate=100.0, seed=5)
        np.testing.assert_allclose(out[c], ref, atol=1e-5)


def test_position_range_respected():
    # the buffer's value is its own time in seconds: a grain's samples tell where it read
    sr = 8000.0
    ramp = (np.arange(16000) / sr).astype(np.float32)
    out, g = render(ramp, sr, sr, 16000, grain_duration=0.01, grain_rate=50.0,
                    window="rectangle", position_start=0.5, position_end=0.8, seed=11)
    length = 80
    onsets = [math.ceil(k * sr / 50 - 1e-6) for k in range(g.grains_started)]
    firsts = np.array([out[0, on] for on in onsets])
    lasts = np.array([out[0, on + length - 1] for on in onsets])
    assert np.all(firsts >= 0.5 - 1e-6)
    assert np.all(lasts <= 0.8 + 1e-6)
    assert firsts.max() - firsts.min() > 0.2    # spread over the range, not stuck at one place
    # 0.5 + u * (0.3 - 0.01) with the seed's draws
    us = np.array(splitmix_uniforms(11, len(onsets)))
    np.testing.assert_allclose(firsts, 0.5 + us * (0.8 - 0.5 - 0.01), atol=2e-6)


def test_determinism_by_seed():
    sr = 44100.0
    src = noise(44100)
    a, _ = render(src, sr, sr, 20000, seed=42, grain_rate=60.0)
    b, _ = render(src, sr, sr, 20000, seed=42, grain_rate=60.0)
    c, _ = render(src, sr, sr, 20000, seed=43, grain_rate=60.0)
    assert a.tobytes() == b.tobytes()
    assert np.max(np.abs(a - c)) > 0.1


def test_params_and_window_attribute():
    ctx = ls.OfflineAudioContext(1, 4800, 48000)
    buf = ctx.create_buffer(1, 4800, 48000)
    g = ctx.create_granulation(buffer=buf, grain_duration=0.05, grain_rate=7, playback_rate=2,
                               position_start=0.01, window="hamming", seed=9, max_voices=3)
    assert isinstance(g, ls.GranulationNode) and isinstance(g, ls.AudioScheduledSourceNode)
    assert g.grain_duration.value == pytest.approx(0.05)
    assert g.grain_rate.value == 7 and g.playback_rate.value == 2
    assert g.position_start.value == pytest.approx(0.01)
    assert g.position_end.value == pytest.approx(0.1)    # the buffer's duration
    assert g.window == "hamming" and g.seed == 9 and g.max_voices == 3
    g.window = "blackman"
    assert g.window == "blackman"
    g.grain_rate.automation_rate = "a-rate"
    assert g.grain_rate.automation_rate == "a-rate"
    assert g.buffer.length == 4800
    h = ctx.create("Granulation", buffer=buf)
    assert isinstance(h, ls.GranulationNode) and h.window == "hann" and h.seed == 0


def test_grain_rate_automation_changes_the_gap():
    # the gap after each grain is sample_rate / grain_rate at its onset
    sr = 48000.0
    ones = np.ones(48000, np.float32)
    ctx = ls.OfflineAudioContext(1, 24000, sr)
    buf = ls.AudioBuffer(1, length=len(ones), sample_rate=sr)
    buf.get_channel_data(0)[:] = ones
    g = ctx.create_granulation(buffer=buf, grain_rate=20, grain_duration=0.002, window="rectangle")
    g.grain_rate.set_value_at_time(100, 0.2)     # frame 9600: a quantum boundary (75 * 128)
    g >> ctx.destination
    g.start(0)
    out = ctx.start_rendering().get_channel_data(0)
    rising = np.flatnonzero(np.diff(np.r_[0.0, (out > 0.5).astype(float)]) == 1)
    expected = [0, 2400, 4800, 7200, 9600]
    while expected[-1] + 480 < 24000:
        expected.append(expected[-1] + 480)
    assert rising.tolist() == expected


@pytest.mark.parametrize("rate,second", [("a-rate", 96), ("k-rate", 480)])
def test_params_are_read_at_the_onset_frame(rate, second):
    # grain_duration changes to 2 ms at frame 2350, inside the quantum [2304, 2432) that
    # holds the onset at 2400: a-rate, that grain reads 2 ms at its own frame; k-rate,
    # the quantum's value (its first frame's, still 10 ms)
    sr = 48000.0
    ctx = ls.OfflineAudioContext(1, 7200, sr)
    buf = ls.AudioBuffer(1, length=48000, sample_rate=sr)
    buf.get_channel_data(0)[:] = 1
    g = ctx.create_granulation(buffer=buf, grain_rate=20, grain_duration=0.01, window="rectangle")
    g.grain_duration.automation_rate = rate
    g.grain_duration.set_value_at_time(0.002, 2350 / sr)
    g >> ctx.destination
    g.start(0)
    out = ctx.start_rendering().get_channel_data(0)
    expected = np.zeros(7200)
    for on, length in ((0, 480), (2400, second), (4800, 96)):
        expected[on:on + length] = 1
    np.testing.assert_array_equal(out, expected)


def test_stop_cuts_the_grains_and_ends():
    sr = 48000.0
    src = noise(48000)
    out, g = render(src, sr, sr, 9600, stop=0.1, grain_rate=30.0)
    ref, _, _ = model(src, sr, sr, 9600, stop_frame=4800, grain_rate=30.0)
    np.testing.assert_allclose(out[0], ref, atol=1e-5)
    assert np.all(out[0, 4800:] == 0)


def test_rate_above_the_sample_rate_starts_one_grain_per_frame():
    sr = 8000.0
    out, g = render(np.ones(800, np.float32), sr, sr, 256, grain_rate=1e30,
                    grain_duration=0.001, max_voices=256, window="rectangle")
    assert g.grains_started == 256 and g.grains_dropped == 0
    # frame n sums the grains begun at frames n - 7 .. n (8 frames each)
    np.testing.assert_allclose(out[0], np.minimum(np.arange(256) + 1, 8), atol=1e-5)


def _ctx_buf():
    ctx = ls.OfflineAudioContext(1, 1280, 44100)
    buf = ctx.create_buffer(1, 441, 44100)
    buf.get_channel_data(0)[:] = 0.5
    return ctx, buf


@pytest.mark.parametrize("kw,exc,msg", [
    (dict(grain_duration=float("nan")), ValueError,
     "create_granulation(grain_duration): grain_duration must be a finite non-negative number, got nan"),
    (dict(grain_duration=-0.1), ValueError,
     "create_granulation(grain_duration): grain_duration must be a finite non-negative number, got -0.1"),
    (dict(grain_duration=0), ValueError,
     "create_granulation(grain_duration): must be above 0, got 0"),
    (dict(grain_rate=-1), ValueError, "create_granulation(grain_rate): must be at least 0, got -1"),
    (dict(grain_rate=float("inf")), ValueError,
     "create_granulation(grain_rate): grain_rate must be a finite number in the float32 range, got inf"),
    (dict(playback_rate=-2.0), ValueError,
     "create_granulation(playback_rate): must be at least 0, got -2.0"),
    (dict(position_start=-0.5), ValueError,
     "create_granulation(position_start): position_start must be a finite non-negative number, got -0.5"),
    (dict(position_end=float("nan")), ValueError,
     "create_granulation(position_end): position_end must be a finite non-negative number, got nan"),
    (dict(window="kaiser"), ValueError,
     "create_granulation(window): 'kaiser' is not one of 'hann', 'triangle', 'gaussian', 'tukey', "
     "'blackman', 'rectangle', 'hamming'"),
    (dict(window=3), TypeError, "create_granulation(window): expected a string, got int"),
    (dict(grain_rate="fast"), TypeError, "create_granulation(grain_rate): grain_rate must be a number, got str"),
    (dict(seed=1.5), TypeError, "create_granulation(seed): expected an int, got float"),
    (dict(seed=-1), ValueError, "create_granulation(seed): must be an int in 0 .. 2**64 - 1, got -1"),
    (dict(max_voices=0), ValueError,
     "create_granulation(max_voices): must be between 1 and 256, got 0"),
    (dict(max_voices=2.0), TypeError, "create_granulation(max_voices): expected an int, got float"),
    (dict(colour="red"), TypeError, "create_granulation() got an unexpected keyword argument 'colour'"),
])
def test_bad_options_raise_naming_the_argument(kw, exc, msg):
    ctx, buf = _ctx_buf()
    with pytest.raises(exc) as e:
        ctx.create_granulation(buffer=buf, **kw)
    assert str(e.value) == msg
    # the context keeps working
    g = ctx.create_granulation(buffer=buf, grain_duration=0.005, grain_rate=100, window="rectangle")
    g >> ctx.destination
    g.start(0)
    out = ctx.start_rendering().get_channel_data(0)
    assert out[0] == 0.5 and out[441] == 0.5


def test_missing_wrong_or_empty_buffer():
    ctx, buf = _ctx_buf()
    with pytest.raises(TypeError) as e:
        ctx.create_granulation()
    assert str(e.value) == "create_granulation(buffer): an AudioBuffer is required"
    with pytest.raises(TypeError) as e:
        ctx.create_granulation(buffer=None)
    assert str(e.value) == "create_granulation(buffer): an AudioBuffer is required"
    with pytest.raises(TypeError) as e:
        ctx.create_granulation(buffer=np.zeros(10, np.float32))
    assert str(e.value) == "create_granulation(buffer): expected an AudioBuffer, a path or None, got numpy.ndarray"
    empty = ls.AudioBuffer(1, length=1, sample_rate=44100)
    empty_ok = ctx.create_granulation(buffer=empty)   # one frame is enough
    assert empty_ok.position_end.value == pytest.approx(1 / 44100)
    with pytest.raises(TypeError) as e:
        ls.GranulationNode(ctx, {"grain_rate": 3})
    assert str(e.value) == "GranulationNode(buffer): an AudioBuffer is required"
    with pytest.raises(TypeError):
        ctx.create_granulation(buf)
    g = ls.GranulationNode(ctx, {"buffer": buf, "grain_rate": 3}, seed=4)
    assert g.grain_rate.value == 3 and g.seed == 4
    with pytest.raises(ValueError):
        g.window = "square"
    with pytest.raises(TypeError):
        g.window = None
    assert g.window == "hann"
    ctx.start_rendering()


def test_buffer_from_a_path_is_loaded_at_the_context_rate(tmp_path):
    # a 22.05 kHz file: the granulator's buffer is the file resampled as ls.load does
    x = (0.5 * np.sin(2 * np.pi * 440 * np.arange(2205) / 22050)).astype(np.float32)
    path = tmp_path / "tone.wav"
    ls.AudioBuffer.from_numpy(x, 22050).save(path, bits="float32")
    ctx = ls.OfflineAudioContext(1, 1280, 44100)
    g = ctx.create_granulation(buffer=path)
    ref = ls.load(path, sample_rate=44100)
    assert g.buffer.sample_rate == 44100 and g.buffer.length == ref.length
    np.testing.assert_array_equal(np.asarray(g.buffer), np.asarray(ref))
    with pytest.raises(FileNotFoundError):
        ctx.create_granulation(buffer=tmp_path / "missing.wav")
