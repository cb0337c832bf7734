"""Context events and offline suspensions: onstatechange, oncomplete,
OfflineAudioContext.suspend(time) / resume().

Expected values come from the spec: suspension times round down to a render
quantum (128 frames), a constant source's output is its offset, and the
states follow suspended -> running -> (suspended -> running)* -> closed.
"""
import gc
import time
import weakref

import numpy as np
import pytest

import labsound as ls

SR = 12800.0  # 100 quanta per second: times below are exact


def test_offline_statechange_and_complete():
    ctx = ls.OfflineAudioContext(1, 1000, SR)
    seen, done = [], []
    ctx.onstatechange = lambda ev: seen.append((ev.type, ev.target is ctx))
    ctx.oncomplete = lambda ev: done.append(ev)
    src = ctx.create_constant_source(offset=0.5)
    src >> ctx.destination
    src.start(0)
    buf = ctx.start_rendering()
    assert seen == [("statechange", True), ("statechange", True)]  # running, closed
    assert ctx.state == "closed"
    assert len(done) == 1 and done[0].type == "complete"
    assert done[0].rendered_buffer is buf
    np.testing.assert_array_equal(buf.get_channel_data(0), np.full(1000, 0.5, np.float32))


def test_handler_properties_validate():
    ctx = ls.OfflineAudioContext(1, 128, SR)
    assert ctx.onstatechange is None and ctx.oncomplete is None
    with pytest.raises(TypeError, match="onstatechange must be a callable or None, got int"):
        ctx.onstatechange = 3
    with pytest.raises(TypeError, match="oncomplete must be a callable or None, got str"):
        ctx.oncomplete = "x"
    f = lambda ev: None  # noqa: E731
    ctx.onstatechange = f
    assert ctx.onstatechange is f
    ctx.onstatechange = None
    assert ctx.onstatechange is None


def test_suspend_with_callbacks_edits_graph_at_quantized_times():
    ctx = ls.OfflineAudioContext(1, 1280, SR)
    src = ctx.create_constant_source(offset=1.0)
    src >> ctx.destination
    src.start(0)
    at = []

    def first():
        at.append(ctx.current_time)
        assert ctx.state == "suspended"
        src.offset.value = 0.5

    def second():
        at.append(ctx.current_time)
        src.offset.value = 0.25
        ctx.resume()  # allowed inside a callback: rendering goes on when it returns

    ctx.suspend(0.0301, first)   # frame 385.28 -> rounds down to 384
    ctx.suspend(0.07, second)    # frame 896
    buf = ctx.start_rendering()
    assert at == [384 / SR, 896 / SR]
    expected = np.where(np.arange(1280) < 384, 1.0, np.where(np.arange(1280) < 896, 0.5, 0.25))
    np.testing.assert_array_equal(buf.get_channel_data(0), expected.astype(np.float32))
    assert ctx.state == "closed"


def test_suspend_without_callback_returns_none_then_resume():
    ctx = ls.OfflineAudioContext(2, 640, SR)
    states = []
    ctx.onstatechange = lambda ev: states.append(ctx.state)
    osc = ctx.create_oscillator(frequency=100)
    osc >> ctx.destination
    osc.start(0)
    ctx.suspend(0.02)  # frame 256
    assert ctx.start_rendering() is None
    assert ctx.state == "suspended" and ctx.current_time == pytest.approx(256 / SR)
    osc.stop(ctx.current_time)  # stops exactly at the suspension frame
    buf = ctx.resume()
    assert buf is not None and ctx.state == "closed"
    data = buf.get_channel_data(0)
    assert np.abs(data[:256]).max() > 0.5
    assert np.all(data[256:] == 0.0)
    # the handler ran after each render segment: running+suspended, running+closed
    assert len(states) == 4


def test_suspend_errors_name_the_reason():
    ctx = ls.OfflineAudioContext(1, 1000, SR)
    ctx.suspend(0.01)
    with pytest.raises(ls.InvalidStateError, match="another suspension"):
        ctx.suspend(0.0105)  # same quantum
    with pytest.raises(ls.InvalidStateError, match="negative"):
        ctx.suspend(-0.5)
    with pytest.raises(ls.InvalidStateError, match="past the end"):
        ctx.suspend(1024 / SR)  # frame 1024 >= length (1000 / SR would round down to 896)
    with pytest.raises((TypeError, ValueError), match="suspend_time"):
        ctx.suspend(float("nan"))
    with pytest.raises(TypeError, match="callback must be a callable"):
        ctx.suspend(0.02, 5)
    with pytest.raises(ls.InvalidStateError, match="has not started"):
        ctx.resume()
    assert ctx.start_rendering() is None
    with pytest.raises(ls.InvalidStateError, match="already been rendered"):
        ctx.suspend(0.01)
    with pytest.raises(ls.InvalidStateError, match="already started"):
        ctx.start_rendering()
    assert ctx.resume() is not None
    with pytest.raises(ls.InvalidStateError):
        ctx.resume()
    with pytest.raises(ls.InvalidStateError):
        ctx.suspend(0.05)


def test_callback_exception_leaves_context_suspended():
    ctx = ls.OfflineAudioContext(1, 512, SR)

    def boom():
        raise RuntimeError("in callback")

    ctx.suspend(0.01, boom)
    with pytest.raises(RuntimeError, match="in callback"):
        ctx.start_rendering()
    assert ctx.state == "suspended"
    buf = ctx.resume()
    assert buf.length == 512


def test_handler_exception_is_reported_not_raised(monkeypatch):
    reported = []
    monkeypatch.setattr("sys.unraisablehook", reported.append)
    ctx = ls.OfflineAudioContext(1, 256, SR)
    ctx.onstatechange = lambda ev: 1 / 0
    buf = ctx.start_rendering()
    assert buf.length == 256
    assert len(reported) == 2  # running, closed
    assert all(isinstance(r.exc_value, ZeroDivisionError) for r in reported)


def test_handlers_do_not_keep_the_context_alive():
    ctx = ls.OfflineAudioContext(1, 256, SR)
    ctx.onstatechange = lambda ev: ctx  # a cycle through the handler
    ctx.suspend(0.01, lambda: ctx)
    ref = weakref.ref(ctx)
    del ctx
    gc.collect()
    assert ref() is None


def test_realtime_statechange_events():
    seen = []
    ctx = ls.AudioContext()
    ctx.onstatechange = lambda ev: seen.append(ctx.state if ctx.state != "closed" else "closed")
    ctx.resume()
    deadline = time.monotonic() + 2.0
    while not seen and time.monotonic() < deadline:
        time.sleep(0.01)
    assert seen and seen[0] == "running"
    ctx.suspend()
    deadline = time.monotonic() + 2.0
    while len(seen) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert seen[1] == "suspended"
    ctx.close()  # the closing statechange is delivered by close() itself
    assert seen[-1] == "closed"
    assert len(seen) == 3


def test_output_timestamp_and_quantum_size():
    with ls.AudioContext() as ctx:
        ctx.wait(0.05)
        before = time.monotonic() * 1000.0
        ts = ctx.get_output_timestamp()
        after = time.monotonic() * 1000.0
        assert set(ts) == {"context_time", "performance_time"}
        assert before <= ts["performance_time"] <= after
        assert 0.0 < ts["context_time"] <= ctx.current_time
        assert ctx.render_quantum_size == 128
    assert ls.OfflineAudioContext(1, 128, SR).render_quantum_size == 128
