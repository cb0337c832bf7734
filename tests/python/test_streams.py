"""Offline rendering as a stream: OfflineAudioContext.stream(), render_to(), and
open-ended contexts (length=None, tail=, max_length=).

Expected values: a whole render of the same graph (start_rendering) is the
reference; blocks must equal it bit for bit (np.array_equal). The end of an
open-ended render is computed here in NumPy from a fixed-length render of the
same graph and the rule the docs state (first render-quantum boundary after
the last source ended, preceded by `tail` seconds of quanta whose samples are
all below the threshold).
"""

import math
import os

import numpy as np
import pytest

import labsound as ls

SR = 44100
Q = 128


def echo_graph(ctx, stop=0.2):
    """A sawtooth burst into a feedback delay: a tail long after the source stops."""
    osc = ctx.create_oscillator(type="sawtooth", frequency=330)
    lp = ctx.create_biquad_filter(frequency=1500)
    delay = ctx.create_delay(max_delay_time=1, delay_time=0.15)
    fb = ctx.create_gain(gain=0.5)
    osc >> lp >> ctx.destination
    lp >> delay >> fb >> delay
    fb >> ctx.destination
    osc.start(0)
    osc.stop(stop)
    return [osc, lp, delay, fb]


def whole(length, channels=2):
    ctx = ls.OfflineAudioContext(channels=channels, length=length, sample_rate=SR)
    nodes = echo_graph(ctx)
    out = np.asarray(ctx.start_rendering())
    del nodes
    return out


@pytest.mark.parametrize("block", [1000, Q, 4097, 50_000])
def test_stream_blocks_equal_whole_render(block):
    ref = whole(30_011)
    ctx = ls.OfflineAudioContext(channels=2, length=30_011, sample_rate=SR)
    nodes = echo_graph(ctx)
    blocks = list(ctx.stream(block_frames=block))
    assert all(b.dtype == np.float32 and b.shape[0] == 2 for b in blocks)
    assert all(b.shape[1] == block for b in blocks[:-1])
    assert sum(b.shape[1] for b in blocks) == 30_011
    assert np.array_equal(np.concatenate(blocks, axis=1), ref)
    assert ctx.state == "closed"
    del nodes


def test_stream_runs_suspend_callbacks():
    ctx = ls.OfflineAudioContext(channels=1, length=20_000, sample_rate=SR)
    osc = ctx.create_oscillator(frequency=440)
    gain = ctx.create_gain(gain=1.0)
    osc >> gain >> ctx.destination
    osc.start(0)
    seen = []

    def cb():
        seen.append(ctx.current_time)
        gain.gain.value = 0.0

    ctx.suspend(10_000 / SR, cb)
    x = np.concatenate(list(ctx.stream(block_frames=3000)), axis=1)[0]
    at = 10_000 // Q * Q
    assert seen and math.isclose(seen[0], at / SR)
    assert np.abs(x[:at]).max() > 0.9
    assert np.all(x[at:] == 0)


def expected_open_end(x, stop_frame, tail_frames, thr):
    """First quantum boundary after the quantum where the source stops, with
    at least tail_frames of wholly quiet quanta before it."""
    b = (stop_frame // Q + 1) * Q
    quiet = 0
    # quiet run of whole quanta ending at each boundary
    for q0 in range(0, len(x[0]) - Q + 1, Q):
        blk = x[:, q0:q0 + Q]
        quiet = quiet + Q if np.all(np.abs(blk) < thr) else 0
        if q0 + Q >= b and quiet >= tail_frames:
            return q0 + Q
    raise AssertionError("reference render too short")


@pytest.mark.parametrize("tail,thr", [(0.3, 1e-4), (0.05, 1e-3)])
def test_open_ended_render_keeps_the_tail(tail, thr):
    ref = whole(SR * 4)
    expect = expected_open_end(ref, int(math.ceil(0.2 * SR)), int(math.ceil(tail * SR)), thr)
    assert expect > 0.2 * SR + 0.5 * SR  # echoes ring well past the source's stop
    ctx = ls.OfflineAudioContext(channels=2, length=None, sample_rate=SR, tail=tail,
                                 tail_threshold=thr)
    assert ctx.length is None and ctx.open_ended
    assert ctx.max_length == 3600 * SR  # the documented default cap
    nodes = echo_graph(ctx)
    buf = ctx.start_rendering()
    assert buf.length == expect
    assert np.array_equal(np.asarray(buf), ref[:, :expect])
    # as a stream: the same
    ctx2 = ls.OfflineAudioContext(channels=2, length=None, sample_rate=SR, tail=tail, tail_threshold=thr)
    nodes2 = echo_graph(ctx2)
    got = np.concatenate(list(ctx2.stream(block_frames=777)), axis=1)
    assert np.array_equal(got, ref[:, :expect])
    del nodes, nodes2


def test_open_ended_cap_and_options():
    ctx = ls.OfflineAudioContext(channels=1, length=None, sample_rate=SR, max_length=5000)
    osc = ctx.create_oscillator()
    osc >> ctx.destination
    osc.start(0)  # never stops: the cap ends it
    assert ctx.max_length == 5000
    assert ctx.start_rendering().length == 5000
    with pytest.raises(TypeError, match="tail"):
        ls.OfflineAudioContext(channels=1, length=100, sample_rate=SR, tail=1.0)
    with pytest.raises(ValueError, match=r"tail.*-1"):
        ls.OfflineAudioContext(channels=1, length=None, sample_rate=SR, tail=-1)
    with pytest.raises(ValueError, match="tail_threshold"):
        ls.OfflineAudioContext(channels=1, length=None, sample_rate=SR, tail_threshold=float("nan"))
    with pytest.raises(ls.NotSupportedError, match="max_length"):
        ls.OfflineAudioContext(channels=1, length=None, sample_rate=SR, max_length=0)
    # a source scheduled far ahead keeps an open render going until it has played
    ctx = ls.OfflineAudioContext(channels=1, length=None, sample_rate=SR, tail=0.01)
    c = ctx.create_constant_source(offset=0.5)
    c >> ctx.destination
    c.start(0.5)
    c.stop(0.6)
    x = np.asarray(ctx.start_rendering())[0]
    on = np.nonzero(x)[0]
    assert on[0] == math.ceil(0.5 * SR) and on[-1] == math.ceil(0.6 * SR) - 1


def test_stream_bad_block_frames():
    ctx = ls.OfflineAudioContext(channels=1, length=1000, sample_rate=SR)
    for bad in (0, -5, 1.5, "x", True):
        with pytest.raises(ValueError, match=r"stream\(block_frames\).*" + repr(bad).replace(".", r"\.")):
            ctx.stream(block_frames=bad)
    with pytest.raises(ValueError, match="out must be"):
        ctx._render_into(np.zeros((2, 10), np.float32))
    ctx.start_rendering()
    with pytest.raises(ls.InvalidStateError):
        ctx.stream()


def test_render_to_wav_is_the_whole_render(tmp_path):
    ref = whole(20_000)
    ctx = ls.OfflineAudioContext(channels=2, length=20_000, sample_rate=SR)
    nodes = echo_graph(ctx)
    calls = []
    n = ctx.render_to(tmp_path / "out.wav", progress=lambda d, t: calls.append((d, t)), block_frames=3000)
    assert n == 20_000
    sf = pytest.importorskip("soundfile")
    x, rate = sf.read(tmp_path / "out.wav", dtype="float32")
    assert rate == SR and np.array_equal(x.T, ref)
    assert calls[-1] == (20_000, 20_000) and [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert sorted(os.listdir(tmp_path)) == ["out.wav"]
    del nodes


def test_render_to_pcm16_and_flac(tmp_path):
    sf = pytest.importorskip("soundfile")
    ref = whole(10_000)
    for name, sub in (("a.wav", "PCM_16"), ("b.flac", None)):
        ctx = ls.OfflineAudioContext(channels=2, length=10_000, sample_rate=SR)
        nodes = echo_graph(ctx)
        ctx.render_to(tmp_path / name, subtype=sub)
        x, _ = sf.read(tmp_path / name, dtype="float64")
        # 16-bit quantization: the writers round x * 32767 (ours) or x * 32768
        # (libsndfile) to an integer: within 1.5 steps of 1/32768
        assert np.abs(x.T - np.clip(ref, -1, 1)).max() <= 1.5 / 32768
        del nodes


def test_render_to_open_ended_wav_keeps_tail(tmp_path):
    sf = pytest.importorskip("soundfile")
    ctx = ls.OfflineAudioContext(channels=2, length=None, sample_rate=SR, tail=0.3)
    nodes = echo_graph(ctx)
    n = ctx.render_to(tmp_path / "tail.wav")
    ref = whole(SR * 4)
    assert n == expected_open_end(ref, int(math.ceil(0.2 * SR)), int(math.ceil(0.3 * SR)), 1e-4)
    x, _ = sf.read(tmp_path / "tail.wav", dtype="float32")
    assert np.array_equal(x.T, ref[:, :n])
    del nodes


def test_render_to_refuses_unwritable_extension_before_rendering(tmp_path):
    ctx = ls.OfflineAudioContext(channels=1, length=1000, sample_rate=SR)
    with pytest.raises(ValueError, match=r"'\.xyz'"):
        ctx.render_to(tmp_path / "out.xyz")
    with pytest.raises(ValueError, match="subtype"):
        ctx.render_to(tmp_path / "out.wav", subtype="ULAW")
    assert ctx.state == "suspended" and ctx.current_time == 0
    assert os.listdir(tmp_path) == []
    assert ctx.render_to(tmp_path / "ok.wav") == 1000


def test_render_to_error_leaves_no_file(tmp_path):
    ctx = ls.OfflineAudioContext(channels=1, length=50_000, sample_rate=SR)
    osc = ctx.create_oscillator()
    osc >> ctx.destination
    osc.start(0)

    def boom():
        raise RuntimeError("stop here")

    ctx.suspend(20_000 / SR, boom)
    with pytest.raises(RuntimeError, match="stop here"):
        ctx.render_to(tmp_path / "never.wav", block_frames=4096)
    assert os.listdir(tmp_path) == []
    # an existing file of that name is left as it was
    (tmp_path / "keep.wav").write_bytes(b"old")
    ctx = ls.OfflineAudioContext(channels=1, length=50_000, sample_rate=SR)
    ctx.suspend(20_000 / SR, boom)
    with pytest.raises(RuntimeError):
        ctx.render_to(tmp_path / "keep.wav")
    assert os.listdir(tmp_path) == ["keep.wav"] and (tmp_path / "keep.wav").read_bytes() == b"old"


def test_render_to_write_error_stops_the_render(tmp_path, monkeypatch):
    """The file is written by a thread of its own while the next block renders:
    a write that fails (a full disk) stops the render, reaches the caller and
    leaves no file; blocks rendered before it were written in order."""
    from labsound import _streams

    written = []
    real = _streams._WavSink.write

    def write(self, block):
        if len(written) == 3:
            raise OSError("no space left on device")
        written.append(block.copy())
        real(self, block)

    monkeypatch.setattr(_streams._WavSink, "write", write)
    ctx = ls.OfflineAudioContext(channels=2, length=50_000, sample_rate=SR)
    nodes = echo_graph(ctx)
    with pytest.raises(OSError, match="no space left"):
        ctx.render_to(tmp_path / "full.wav", block_frames=1000)
    assert os.listdir(tmp_path) == []
    # the render stopped a few blocks (those in flight) after the failed write
    assert ctx.current_time * SR <= 1000 * (3 + 1 + _streams._WRITE_BEHIND_BLOCKS + 1) + 128
    assert np.array_equal(np.concatenate(written, axis=1), whole(3000))
    del nodes


def test_to_dict_refuses_what_it_cannot_describe():
    ctx = ls.OfflineAudioContext(channels=1, length=None, sample_rate=SR)
    with pytest.raises(ls.NotSupportedError, match="open-ended"):
        ctx.to_dict()
    ctx = ls.OfflineAudioContext(channels=1, length=1000, sample_rate=SR)
    s = ctx.create_stream_source([np.zeros((1, 10), np.float32)])
    s >> ctx.destination
    with pytest.raises(ls.NotSupportedError, match="StreamSourceNode.*outside the graph"):
        ctx.to_dict()


def test_context_with_stream_sources_is_freed_after_rendering():
    import gc
    import weakref

    ctx = ls.OfflineAudioContext(channels=1, length=None, sample_rate=SR, tail=0.01)
    s = ctx.create_stream_source([np.zeros((1, 1000), np.float32)])
    s >> ctx.destination
    ctx.start_rendering()
    ref = weakref.ref(ctx)
    del ctx, s
    gc.collect()
    assert ref() is None
