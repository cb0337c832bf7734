"""StreamSourceNode: context.create_stream_source(source).

Expected values: the source's own samples (played through unchanged, so
np.array_equal), integer PCM scaled by the PCM convention computed here
(int16 / 32768, int32 / 2^31, (uint8 - 128) / 128), and for a source at another
rate, labsound.resample of the whole signal (the streaming resampler must give
the same samples; tolerance 0, which it meets because chunks are cut at whole
periods of the two rates).
"""

import threading
import time
import warnings

import numpy as np
import pytest

import labsound as ls

SR = 48000


def noise(channels, frames, seed=1):
    return np.random.default_rng(seed).uniform(-0.5, 0.5, (channels, frames)).astype(np.float32)


def blocks(x, n):
    return (x[:, i:i + n] for i in range(0, x.shape[1], n))


def render_open(source, channels=2, rate=SR, **kw):
    ctx = ls.OfflineAudioContext(channels=channels, length=None, sample_rate=rate, tail=0.01)
    s = ctx.create_stream_source(source, **kw)
    s >> ctx.destination
    return np.asarray(ctx.start_rendering()), s, ctx


@pytest.mark.parametrize("block", [1, 100, 4096, 50_000])
def test_iterable_plays_through_and_ends(block):
    x = noise(2, 30_000)
    y, s, ctx = render_open(blocks(x, block), buffer_frames=2048)
    assert np.array_equal(y[:, :30_000], x)
    assert not y[:, 30_000:].any()
    # the open render ends at the quantum boundary 0.01 s (480 frames, 4 quanta) after the stream
    assert y.shape[1] == (30_000 // 128 + 1) * 128 + 512
    assert s.finished and s.underruns == 0 and ctx.stats["stream_underruns"] == 0
    assert s.frames_played == 30_000


@pytest.mark.parametrize("buffer_frames", [1000, 1100, 130])
def test_ring_of_no_whole_number_of_quanta(buffer_frames):
    """Offline chunks are whole quanta within the ring: a ring of 1000 frames
    once gave silence after the first 1000 (the render read a whole quantum
    where less had been queued)."""
    x = noise(2, 10_007)
    y, s, _ = render_open(blocks(x, 777), buffer_frames=buffer_frames)
    assert np.array_equal(y[:, :10_007], x)
    assert s.underruns == 0


def test_stream_and_whole_render_agree():
    x = noise(1, 20_011)
    whole, _, _ = render_open(blocks(x, 999), channels=1)
    ctx = ls.OfflineAudioContext(channels=1, length=None, sample_rate=SR, tail=0.01)
    ctx.create_stream_source(blocks(x, 999)) >> ctx.destination
    streamed = np.concatenate(list(ctx.stream(block_frames=1234)), axis=1)
    assert np.array_equal(streamed, whole)


@pytest.mark.parametrize("dtype,scale,offset", [(np.int16, 32768, 0), (np.int32, 2 ** 31, 0),
                                                 (np.uint8, 128, 128)])
def test_integer_pcm_is_scaled(dtype, scale, offset):
    info = np.iinfo(dtype)
    raw = np.random.default_rng(2).integers(info.min, info.max, (2, 5000), endpoint=True).astype(dtype)
    y, _, _ = render_open([raw])
    expect = ((raw.astype(np.float64) - offset) / scale).astype(np.float32)
    assert np.array_equal(y[:, :5000], expect)


def test_fixed_length_context_and_mono_blocks():
    x = noise(1, 3000)[0]
    ctx = ls.OfflineAudioContext(channels=1, length=2000, sample_rate=SR)
    ctx.create_stream_source(iter([x[:1500], x[1500:]])) >> ctx.destination
    y = np.asarray(ctx.start_rendering())[0]
    assert np.array_equal(y, x[:2000])


def test_other_rate_is_resampled_like_the_whole_signal():
    t = np.arange(44100) / 44100
    x = np.stack([np.sin(2 * np.pi * 440 * t), 0.5 * np.sin(2 * np.pi * 1000 * t)]).astype(np.float32)
    ref = np.asarray(ls.resample(ls.AudioBuffer.from_numpy(x, sample_rate=44100), SR))
    y, _, _ = render_open(blocks(x, 777), sample_rate=44100)
    assert np.array_equal(y[:, :ref.shape[1]], ref)


def test_file_path_and_soundfile(tmp_path):
    sf = pytest.importorskip("soundfile")
    x = noise(2, 30_000, seed=3)
    path = tmp_path / "in.wav"
    sf.write(path, x.T, 22050, subtype="FLOAT")
    ref = np.asarray(ls.resample(ls.AudioBuffer.from_numpy(x, sample_rate=22050), SR))
    y, s, _ = render_open(str(path), block_frames=1000)
    assert np.array_equal(y[:, :ref.shape[1]], ref)
    with sf.SoundFile(path) as f:
        y2, _, _ = render_open(f)
    assert np.array_equal(y2, y)


@pytest.mark.parametrize("subtype,dtype,scale", [("PCM_16", np.int16, 2 ** 15), ("PCM_24", np.int32, 2 ** 31),
                                                 ("PCM_32", np.int32, 2 ** 31), ("FLOAT", np.float32, 1)])
@pytest.mark.parametrize("channels", [1, 2, 3])
def test_file_at_the_context_rate_plays_its_samples(tmp_path, subtype, dtype, scale, channels):
    """A file at the context's rate goes to the ring as read (integers
    converted while the channels are split): the samples are the file's
    integers scaled by the PCM convention, and what libsndfile's own float
    read gives; blocks of an odd size wrap the ring."""
    sf = pytest.importorskip("soundfile")
    x = noise(channels, 10_007, seed=5) * 1.9
    x[:, :3] = [1.0, -1.0, 0.0]
    path = tmp_path / "in.wav"
    sf.write(path, x.T, SR, subtype=subtype)
    raw, _ = sf.read(path, dtype=np.dtype(dtype).name, always_2d=True)
    expect = (raw.T.astype(np.float64) / scale).astype(np.float32)
    y, s, _ = render_open(str(path), channels=channels, block_frames=777, buffer_frames=1000)
    assert np.array_equal(y[:, :10_007], expect)
    assert not y[:, 10_007:].any() and s.frames_played == 10_007 and s.underruns == 0
    floats, _ = sf.read(path, dtype="float32", always_2d=True)
    assert np.array_equal(y[:, :10_007], floats.T)


def test_float_file_with_nan_raises(tmp_path):
    sf = pytest.importorskip("soundfile")
    x = noise(2, 3000)
    x[1, 2500] = np.nan
    path = tmp_path / "nan.wav"
    sf.write(path, x.T, SR, subtype="FLOAT")
    ctx = ls.OfflineAudioContext(channels=2, length=None, sample_rate=SR)
    ctx.create_stream_source(str(path), block_frames=1000) >> ctx.destination
    with pytest.raises(ls.StreamSourceError, match=r"nan\.wav.*block 2 holds a non-finite sample "
                                                   r"\(nan at channel 1, frame 500\)"):
        ctx.start_rendering()
    # a channel count other than the file's is refused, as for any source
    with pytest.raises(ls.StreamSourceError, match="has 2 channels, the stream 1"):
        ls.OfflineAudioContext(channels=1, length=None, sample_rate=SR).create_stream_source(
            str(path), channels=1)


def test_offline_memory_is_bounded_by_the_ring():
    """A long generator: the ring never holds more than its capacity, the
    render pulls the generator as it goes (not all up front)."""
    pulled = []

    def gen():
        for i in range(200):
            pulled.append(i)
            yield np.full((1, 1000), 0.25, np.float32)

    ctx = ls.OfflineAudioContext(channels=1, length=None, sample_rate=SR, tail=0.01)
    s = ctx.create_stream_source(gen(), buffer_frames=4096)
    s >> ctx.destination
    it = ctx.stream(block_frames=4096)
    next(it)
    assert len(pulled) < 20 and s.queued_frames <= 4096
    total = 4096 + sum(b.shape[1] for b in it)
    assert len(pulled) == 200 and total >= 200_000


# ---------------------------------------------------------------------------
# bad input: offline the caller gets StreamSourceError naming the source
# ---------------------------------------------------------------------------

def failing(n_good, exc):
    for _ in range(n_good):
        yield np.zeros((2, 1000), np.float32)
    raise exc


@pytest.mark.parametrize("source,match", [
    (lambda: failing(5, RuntimeError("disk gone")), r"block 5 raised RuntimeError: disk gone"),
    (lambda: iter([np.zeros((2, 10), np.float32), np.zeros((3, 10), np.float32)]),
     r"block 1 has 3 channels, the stream 2"),
    (lambda: iter([np.zeros((2, 10), np.float32), np.zeros((2, 10), np.float64)]),
     r"block 1 changes the dtype from float32 to float64"),
    (lambda: iter([np.zeros((2, 10), np.float32), np.array([[0.0, np.nan]] * 2, np.float32)]),
     r"block 1 holds a non-finite sample \(nan at channel 0, frame 1\)"),
    (lambda: iter([np.zeros((2, 10), np.float32), np.zeros((2, 2, 2), np.float32)]),
     r"block 1 has shape \(2, 2, 2\)"),
    (lambda: iter([np.zeros((2, 10), np.float32), np.zeros((2, 10), np.complex64)]),
     r"block 1 has dtype complex64"),
    (lambda: iter([np.zeros((2, 10), np.float32), np.array([[np.inf] * 3] * 2)]),
     r"block 1 changes the dtype"),
])
def test_bad_blocks_reach_the_offline_caller(source, match):
    ctx = ls.OfflineAudioContext(channels=2, length=None, sample_rate=SR)
    src = source()
    s = ctx.create_stream_source(src, buffer_frames=1024)
    s >> ctx.destination
    with pytest.raises(ls.StreamSourceError, match="stream source generator|stream source .*iterator") as e:
        ctx.start_rendering()
    assert e.match(match)


def test_bad_first_block_raises_at_creation():
    ctx = ls.OfflineAudioContext(channels=2, length=1000, sample_rate=SR)
    with pytest.raises(ls.StreamSourceError, match=r"block 0 has shape \(1000, 2\).*transpose"):
        ctx.create_stream_source([np.zeros((1000, 2), np.float32)])
    with pytest.raises(TypeError, match="create_stream_source\\(source\\).*got int"):
        ctx.create_stream_source(5)
    with pytest.raises(ValueError, match=r"create_stream_source\(channels\).*0"):
        ctx.create_stream_source([], channels=0)
    with pytest.raises(ValueError, match=r"buffer_frames.*5"):
        ctx.create_stream_source([np.zeros((1, 10), np.float32)], buffer_frames=5)


def test_render_to_leaves_no_file_when_the_source_fails(tmp_path):
    ctx = ls.OfflineAudioContext(channels=2, length=None, sample_rate=SR)
    ctx.create_stream_source(failing(50, OSError("unplugged")), buffer_frames=4096) >> ctx.destination
    with pytest.raises(ls.StreamSourceError, match="unplugged") as e:
        ctx.render_to(tmp_path / "out.wav")
    assert isinstance(e.value.__cause__, OSError)
    assert list(tmp_path.iterdir()) == []


def test_truncated_file_raises(tmp_path):
    sf = pytest.importorskip("soundfile")
    path = tmp_path / "cut.wav"
    sf.write(path, noise(1, 20_000).T, SR, subtype="PCM_16")
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])
    ctx = ls.OfflineAudioContext(channels=1, length=None, sample_rate=SR)
    short = len(data) - len(data) // 2  # the data chunk is the file's last
    with pytest.raises(ls.StreamSourceError, match=rf"cut\.wav.*truncated.*40000 bytes.*{short} bytes short"):
        ctx.create_stream_source(str(path))
    # the whole file is fine
    path.write_bytes(data)
    ctx.create_stream_source(str(path))


# ---------------------------------------------------------------------------
# real time (null sink)
# ---------------------------------------------------------------------------

def test_realtime_generator_plays_without_underruns():
    with ls.AudioContext(sample_rate=SR) as ctx:
        n_blocks = 20  # 20 x 1200 frames = 0.5 s

        def gen():
            for i in range(n_blocks):
                yield np.full((1, 1200), 0.1, np.float32)

        rec = ctx.create_recorder(channels=1)
        s = ctx.create_stream_source(gen())
        s >> rec
        rec.start()
        deadline = time.monotonic() + 5
        while not s.finished and time.monotonic() < deadline:
            ctx.wait(0.05)
        assert s.finished
        assert s.underruns == 0 and s.frames_played == n_blocks * 1200
        assert ctx.stats["stream_underruns"] == 0


def test_realtime_slow_producer_counts_underruns_and_never_blocks():
    with ls.AudioContext(sample_rate=SR) as ctx:
        def slow():
            for _ in range(6):
                time.sleep(0.1)  # 0.1 s of wall time for 128 frames of audio
                yield np.full((1, 128), 0.1, np.float32)

        t0 = ctx.current_time
        s = ctx.create_stream_source(slow(), buffer_frames=1024)
        s >> ctx.destination
        ctx.wait(0.3)
        # the clock moved on while the producer slept: the render did not wait
        assert ctx.current_time - t0 >= 0.25
        assert s.underruns > 0 and ctx.stats["stream_underruns"] >= s.underruns
        assert ctx.state == "running"


def test_realtime_error_silences_the_node_and_reports():
    errors = []
    got = threading.Event()
    with ls.AudioContext(sample_rate=SR) as ctx:
        def bad():
            yield np.zeros((1, 256), np.float32)
            time.sleep(0.05)
            yield np.zeros((1, 256), np.float64)

        def onerror(e):
            errors.append(e)
            got.set()

        s = ctx.create_stream_source(bad(), onerror=onerror)
        s >> ctx.destination
        assert got.wait(3)
        assert isinstance(errors[0], ls.StreamSourceError) and "changes the dtype" in str(errors[0])
        ctx.wait(0.05)
        assert s.finished and s.queued_frames == 0 and ctx.state == "running"
        # without a handler: a warning
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            s2 = ctx.create_stream_source(failing(1, RuntimeError("boom")))
            deadline = time.monotonic() + 3
            while not w and time.monotonic() < deadline:
                time.sleep(0.02)
        assert any(issubclass(x.category, ls.StreamSourceWarning) and "boom" in str(x.message) for x in w)
        del s2
