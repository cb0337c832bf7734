"""Lifetimes: dropped nodes keep sounding, onended delivery, memory bounds."""

import gc
import os
import threading
import time
import weakref

import numpy as np
import pytest

import labsound as ls
from conftest import SR, render


def _rms_windows(x, win):
    n = len(x) // win
    return np.sqrt(np.mean(x[: n * win].reshape(n, win).astype(np.float64) ** 2, axis=1))


def test_dropped_oscillator_plays_to_its_stop_time():
    ctx = ls.OfflineAudioContext(1, int(0.5 * SR), SR)
    osc = ctx.create_oscillator(frequency=441)
    gain = ctx.create_gain(gain=0.5)
    osc >> gain >> ctx.destination
    osc.start(0)
    osc.stop(0.3)
    refs = [weakref.ref(osc), weakref.ref(gain)]
    del osc, gain
    gc.collect()
    assert all(r() is None for r in refs)  # the Python wrappers are gone...
    x = render(ctx)[0]
    stop = int(np.ceil(0.3 * SR))
    # ...and the sound is not: every 10 ms window up to the stop time has the
    # RMS of a 0.5-amplitude sine (0.354), and everything after is silent
    rms = _rms_windows(x[:stop], 441)
    assert np.all(rms > 0.3), rms.min()
    assert not np.any(x[stop:])


def test_dropped_source_in_realtime_context_keeps_playing():
    with ls.AudioContext() as ctx:
        const = ctx.create_constant_source()
        const >> ctx.destination
        const.start()
        const.stop(ctx.current_time + 0.2)
        baseline_has_node = ctx.stats["live_nodes"]
        del const
        gc.collect()
        ctx.wait(0.05)
        assert ctx.stats["live_nodes"] >= 1
        assert baseline_has_node >= 1


def test_onended_offline_fires_once_with_event():
    ctx = ls.OfflineAudioContext(1, 4096, SR)
    events = []
    osc = ctx.create_oscillator()
    osc >> ctx.destination
    osc.onended = events.append
    osc.start(0)
    osc.stop(0.01)
    ref = weakref.ref(osc)
    del osc  # the user drops it: the handler still fires
    gc.collect()
    assert ref() is not None  # kept alive for its pending handler
    ctx.start_rendering()
    assert len(events) == 1
    ev = events[0]
    assert ev.type == "ended"
    assert ev.target is ref()
    assert isinstance(ev.target, ls.OscillatorNode)
    assert ev.time == pytest.approx(0.01, abs=1 / SR + 1e-9)
    del ev, events
    gc.collect()
    assert ref() is None  # and released once the event was delivered


def test_onended_set_after_start_and_not_ending():
    ctx = ls.OfflineAudioContext(1, 2048, SR)
    fired = []
    a = ctx.create_constant_source()
    a.start(0)
    a.stop(0.005)
    a.onended = lambda e: fired.append("a")
    b = ctx.create_constant_source()
    b.start(0)  # never stops: no event
    b.onended = lambda e: fired.append("b")
    c = ctx.create_constant_source()
    c.onended = lambda e: fired.append("c")
    c.start(0)
    c.stop(0.001)
    c.onended = None  # cleared before it ends: no call
    ctx.start_rendering()
    assert fired == ["a"]


def test_onended_handler_exception_does_not_propagate(monkeypatch):
    reported = []
    monkeypatch.setattr("sys.unraisablehook", reported.append)
    ctx = ls.OfflineAudioContext(1, 2048, SR)
    a = ctx.create_constant_source()

    def boom(event):
        raise RuntimeError("handler failed")

    a.onended = boom
    a.start(0)
    a.stop(0.001)
    buf = ctx.start_rendering()  # reported, not raised
    assert isinstance(buf, ls.AudioBuffer)
    assert len(reported) == 1
    assert isinstance(reported[0].exc_value, RuntimeError)
    assert reported[0].object is boom


def test_onended_realtime_on_a_python_thread():
    ctx = ls.AudioContext()
    ctx.resume()
    try:
        calls = []
        done = threading.Event()

        def handler(event):
            calls.append((event.type, type(event.target).__name__, threading.current_thread()))
            done.set()

        osc = ctx.create_oscillator()
        osc >> ctx.destination
        osc.onended = handler
        now = ctx.current_time
        osc.start(now)
        osc.stop(now + 0.05)
        ref = weakref.ref(osc)
        del osc  # dropped by the user before it ends
        gc.collect()
        # not ctx.wait(): the event thread delivers on its own
        assert done.wait(5.0), "onended never fired"
        time.sleep(0.1)
        assert len(calls) == 1
        etype, tname, thread = calls[0]
        assert (etype, tname) == ("ended", "OscillatorNode")
        # a real Python thread (the render thread is not one: it would show up
        # as a dummy thread), and not the one that scheduled the note
        assert not isinstance(thread, threading._DummyThread)
        assert thread is not threading.main_thread()
        assert thread.name == "labsound-events"
        for _ in range(100):
            gc.collect()
            if ref() is None:
                break
            time.sleep(0.01)
        assert ref() is None
    finally:
        ctx.close()


def test_onended_realtime_delivered_during_wait():
    with ls.AudioContext() as ctx:
        fired = []
        src = ctx.create_constant_source()
        src.onended = lambda e: fired.append(e.target)
        src.start()
        src.stop(ctx.current_time + 0.02)
        ctx.wait(0.3)
        assert fired == [src]


def test_closed_context_is_freed_without_gc():
    gc.collect()
    gc.disable()
    try:
        ctx = ls.AudioContext()
        ctx.resume()
        osc = ctx.create_oscillator()
        osc >> ctx.destination
        osc.onended = print
        osc.start()
        ref = weakref.ref(ctx)
        ctx.close()
        del ctx, osc
        for _ in range(200):  # the event thread may hold it for one poll
            if ref() is None:
                break
            time.sleep(0.005)
        assert ref() is None
    finally:
        gc.enable()


def test_unclosed_context_with_cycles_is_collected():
    ctx = ls.AudioContext()
    ctx.resume()
    osc = ctx.create_oscillator()
    osc >> ctx.destination
    osc.onended = lambda e: osc  # node -> handler -> node
    osc.start()
    ref = weakref.ref(ctx)
    del ctx, osc
    for _ in range(200):
        gc.collect()
        if ref() is None:
            break
        time.sleep(0.005)
    assert ref() is None


def _rss_bytes():
    if "asan" in os.environ.get("LD_PRELOAD", "") or "ASAN_OPTIONS" in os.environ:
        return None  # AddressSanitizer's quarantine keeps freed memory resident
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return None


def _wait_for_baseline(ctx, baseline, timeout=5.0):
    deadline = time.monotonic() + timeout
    live = ctx.stats["live_nodes"]
    while live > baseline and time.monotonic() < deadline:
        time.sleep(0.02)
        live = ctx.stats["live_nodes"]
    return live


def test_100k_notes_realtime_memory_is_bounded():
    """100,000 osc -> gain -> destination notes of 5 ms, scheduled a batch
    at a time just ahead of the clock with every Python reference dropped:
    the engine's node count returns to its baseline and RSS stays flat."""
    total, batch, spacing = 100_000, 500, 0.00003
    ctx = ls.AudioContext()
    ctx.resume()
    try:
        baseline = ctx.stats["live_nodes"]
        rss_after_warmup = None
        t = ctx.current_time + 0.05
        for b in range(total // batch):
            t = max(t, ctx.current_time + 0.02)
            for i in range(batch):
                osc = ctx.create_oscillator(frequency=220 + i)
                gain = ctx.create_gain(gain=0.1)
                osc >> gain >> ctx.destination
                start = t + i * spacing
                osc.start(start)
                osc.stop(start + 0.005)
                gain.gain.set_value_at_time(0.1, start)
            t += batch * spacing
            # keep about one batch ahead of the clock
            while ctx.current_time < t - batch * spacing:
                time.sleep(0.002)
            if b == 39:
                gc.collect()
                rss_after_warmup = _rss_bytes()
        del osc, gain
        ctx.wait(max(0.0, t - ctx.current_time) + 0.05)
        live = _wait_for_baseline(ctx, baseline)
        assert live == baseline, f"live_nodes {live} did not return to {baseline}"
        gc.collect()
        rss_end = _rss_bytes()
        if rss_after_warmup is not None and rss_end is not None:
            growth = rss_end - rss_after_warmup
            # 80,000 notes after the warm-up: a leak of even 300 bytes a note shows
            assert growth < 24 * 2**20, f"RSS grew by {growth / 2**20:.1f} MiB"
    finally:
        ctx.close()


def test_many_notes_offline_nodes_reclaimed():
    ctx = ls.OfflineAudioContext(1, int(SR * 1.0), SR)
    baseline = ctx.stats["live_nodes"]
    for i in range(5_000):
        osc = ctx.create_oscillator(frequency=100 + i % 1000)
        gain = ctx.create_gain(gain=0.01)
        osc >> gain >> ctx.destination
        start = (i % 900) * 0.001
        osc.start(start)
        osc.stop(start + 0.005)
    del osc, gain
    x = render(ctx)[0]
    assert np.any(x)
    assert ctx.stats["live_nodes"] == baseline


def test_param_keeps_its_context_alive():
    ctx = ls.AudioContext()
    ref = weakref.ref(ctx)
    param = ctx.create_oscillator(frequency=330).frequency
    del ctx
    gc.collect()
    assert ref() is not None
    assert ref().state == "running"  # not closed under the param
    param.value = 220
    assert param.value == 220
    param.set_value_at_time(100, 0.5)
    ref().close()
    del param
    gc.collect()
    for _ in range(200):
        if ref() is None:
            break
        time.sleep(0.005)
    assert ref() is None


def test_wrappers_keep_context_alive():
    ctx = ls.OfflineAudioContext(1, 512, SR)
    ref = weakref.ref(ctx)
    const = ctx.create_constant_source(offset=0.5)
    dest = ctx.destination
    del ctx
    gc.collect()
    assert ref() is not None and const.context is ref() and dest.context is ref()
    const >> dest
    const.start()
    out = np.asarray(ref().start_rendering())
    np.testing.assert_allclose(out, 0.5, atol=1e-6)
