"""A real-time context says when it falls behind: ctx.stats counts the
periods rendered after their deadline, the time its clock lost against the
wall clock and the render load, on every backend (here the null sink), and a
labsound.RealtimeWarning is issued on the event thread.

Expected values are measured independently: the wall clock (time.monotonic)
against ctx.current_time."""

import time
import warnings

import pytest

import labsound as ls


def _null():
    return ls.AudioContext(device="null")


def test_light_context_reports_its_load():
    ctx = _null()
    try:
        ctx.wait(0.3)
        s = ctx.stats
        assert s["periods"] > 0
        assert 0.0 <= s["render_load"] < 0.5, s
        for key in ("late_periods", "time_lost"):
            assert key in s
    finally:
        ctx.close()


def test_overloaded_context_counts_late_periods_and_lost_time():
    ctx = _null()
    try:
        # add work until rendering takes clearly longer than real time
        nodes = []
        for _ in range(20):
            for _ in range(2000):
                s = ctx.create_supersaw()
                s.start()
                s >> ctx.destination
                nodes.append(s)
            ctx.wait(0.05)
            time.sleep(0.25)
            if ctx.stats["render_load"] > 1.5:
                break
        assert ctx.stats["render_load"] > 1.5, ctx.stats
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            s0 = ctx.stats
            w0, c0 = time.monotonic(), ctx.current_time
            time.sleep(1.5)
            ctx.wait(0.0)                       # dispatches events on this thread too
            w1, c1 = time.monotonic(), ctx.current_time
            s1 = ctx.stats
        fell_behind = (w1 - w0) - (c1 - c0)     # wall time the clock did not follow
        assert fell_behind > 0.3, (w1 - w0, c1 - c0)
        assert s1["late_periods"] - s0["late_periods"] > 10, (s0, s1)
        # the null sink gives up catching up once 200 ms behind: the lost
        # time is what the clock fell behind, up to the 200 ms it may still owe
        lost = s1["time_lost"] - s0["time_lost"]
        assert fell_behind - 0.3 < lost < fell_behind + 0.3, (lost, fell_behind)
        late = [w for w in caught if issubclass(w.category, ls.RealtimeWarning)]
        assert late, [str(w.message) for w in caught]
        assert "fell behind" in str(late[-1].message)
    finally:
        ctx.close()


def test_realtime_health_example(capsys):
    """examples/realtime_health.py: one-shot notes dropped as they are made
    stay bounded in live nodes (a note lives about 0.13 s: some 7 at a time,
    the bus and the destination besides), and the counters are printed."""
    import importlib.util
    import os

    path = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "examples",
                        "realtime_health.py")
    spec = importlib.util.spec_from_file_location("realtime_health", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.main(["--seconds", "1.5", "--device", "null"]) == 0
    out = capsys.readouterr().out
    end = int(out.split(": ")[1].split(" live")[0])
    peak = int(out.split("(at most ")[1].split(")")[0])
    assert 2 <= end <= 40 and peak <= 40, out
    assert "periods late" in out and "render load" in out
