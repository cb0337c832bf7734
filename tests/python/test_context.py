"""Contexts: real-time (null backend) state and clock, and offline rendering.

Timing bounds are deliberately wide (the null backend is paced by the wall
clock, but CI machines are shared): the clock must advance, by roughly the
elapsed wall time, and not run away.
"""

import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import labsound as ls
from conftest import SR


def test_realtime_defaults(realtime):
    assert realtime.sample_rate == 44100
    assert realtime.state == "running"  # the spec: running as soon as it is created
    assert realtime.buffer_size == 256
    assert realtime.base_latency == pytest.approx(256 / 44100)
    assert realtime.output_latency == pytest.approx(256 / 44100)
    assert realtime.destination.channel_count == 2
    assert realtime.destination.max_channel_count == 2
    assert "AudioContext" in repr(realtime)


def test_realtime_options():
    ctx = ls.AudioContext(sample_rate=48000, channels=1, buffer_size=512, latency_hint="playback")
    try:
        assert ctx.sample_rate == 48000
        assert ctx.buffer_size == 512
        assert ctx.destination.channel_count == 1
    finally:
        ctx.close()
    ctx = ls.AudioContext(22050, 2, 128)
    ctx.close()


def test_state_transitions(realtime):
    assert realtime.state == "running"
    realtime.suspend()
    assert realtime.state == "suspended"
    realtime.resume()
    assert realtime.state == "running"
    realtime.suspend()
    assert realtime.state == "suspended"
    realtime.resume()
    assert realtime.state == "running"
    realtime.close()
    assert realtime.state == "closed"
    realtime.close()  # idempotent
    assert realtime.state == "closed"
    with pytest.raises(ls.InvalidStateError):
        realtime.resume()
    with pytest.raises(ls.InvalidStateError):
        realtime.suspend()


def test_clock_advances_with_wall_time(realtime):
    realtime.resume()
    t0, w0 = realtime.current_time, time.monotonic()
    time.sleep(0.4)
    elapsed_ctx = realtime.current_time - t0
    elapsed_wall = time.monotonic() - w0
    assert 0.5 * elapsed_wall <= elapsed_ctx <= elapsed_wall + 0.1


def test_clock_stops_while_suspended(realtime):
    realtime.resume()
    time.sleep(0.05)
    realtime.suspend()
    time.sleep(0.02)
    t0 = realtime.current_time
    time.sleep(0.2)
    assert realtime.current_time == t0


def test_wait_running(realtime):
    realtime.resume()
    t0, w0 = realtime.current_time, time.monotonic()
    realtime.wait(0.3)
    assert realtime.current_time - t0 >= 0.3
    assert 0.2 <= time.monotonic() - w0 <= 1.5


def test_start_false_creates_it_suspended():
    ctx = ls.AudioContext(start=False)
    try:
        assert ctx.state == "suspended"
        time.sleep(0.05)
        assert ctx.current_time == 0
        # waiting on a suspended context would pass time in silence: it raises
        with pytest.raises(ls.InvalidStateError, match=r"wait\(\): the context is suspended"):
            ctx.wait(0.1)
        with ctx:  # entry resumes
            assert ctx.state == "running"
            ctx.wait(0.05)
            assert ctx.current_time >= 0.05
        assert ctx.state == "closed"
    finally:
        ctx.close()
    with pytest.raises(TypeError, match=r"AudioContext\(start\): start must be True or False, got int"):
        ls.AudioContext(start=1)


def test_running_at_construction_plays_without_with():
    ctx = ls.AudioContext()
    try:
        osc = ctx.create_oscillator()
        osc >> ctx.destination
        osc.start(0)
        t0 = ctx.current_time
        ctx.wait(0.1)
        assert ctx.current_time - t0 >= 0.1
    finally:
        ctx.close()


def test_statechange_of_construction_reaches_a_handler_set_afterwards():
    ctx = ls.AudioContext()
    seen = []
    try:
        time.sleep(0.05)  # the event thread has polled the change by now
        ctx.onstatechange = lambda ev: seen.append(ev.type)
        ctx.wait(0.05)
        assert seen == ["statechange"]
        ctx.suspend()
        deadline = time.monotonic() + 2
        while len(seen) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert seen == ["statechange", "statechange"]
    finally:
        ctx.close()


def test_wait_rejects_bad_durations(realtime):
    with pytest.raises(ValueError, match="seconds"):
        realtime.wait(-1)
    with pytest.raises(ValueError, match="seconds"):
        realtime.wait(float("nan"))
    with pytest.raises(TypeError, match="seconds"):
        realtime.wait("1")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_wait_is_interrupted_by_ctrl_c():
    code = (
        "import labsound as ls\n"
        "ctx = ls.AudioContext()\n"
        "ctx.resume()\n"
        "print('waiting', flush=True)\n"
        "try:\n"
        "    ctx.wait(60)\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted', flush=True)\n"
        "    ctx.close()\n"
    )
    env = dict(os.environ)
    root = os.path.dirname(os.path.dirname(os.path.abspath(ls.__file__)))
    env["PYTHONPATH"] = os.pathsep.join(p for p in [root, env.get("PYTHONPATH")] if p)
    # the child starts with SIGINT at its default, whatever the test process
    # inherited or was given by other tests (an ignored SIGINT is inherited
    # through exec, and Python then installs no KeyboardInterrupt handler)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        assert proc.stdout.readline().strip() == "waiting"
        time.sleep(0.3)
        t0 = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert "interrupted" in out, err
    assert proc.returncode == 0, err
    assert time.monotonic() - t0 < 5


def test_wait_releases_the_gil(realtime):
    realtime.resume()
    counter = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            counter[0] += 1

    t = threading.Thread(target=spin)
    t.start()
    try:
        realtime.wait(0.2)
    finally:
        stop.set()
        t.join()
    assert counter[0] > 1000


def test_context_manager():
    with ls.AudioContext() as ctx:
        assert ctx.state == "running"
        osc = ctx.create_oscillator()
        osc >> ctx.destination
        osc.start()
    assert ctx.state == "closed"


def test_context_manager_closes_on_exception():
    with pytest.raises(RuntimeError):
        with ls.AudioContext() as ctx:
            raise RuntimeError("boom")
    assert ctx.state == "closed"


def test_close_with_live_nodes_then_use_them():
    ctx = ls.AudioContext()
    ctx.resume()
    osc = ctx.create_oscillator()
    gain = ctx.create_gain()
    osc >> gain >> ctx.destination
    osc.start()
    ctx.wait(0.02)
    ctx.close()
    assert ctx.state == "closed"

    # Nothing below may crash; engine refusals surface as labsound errors.
    def attempt(fn):
        try:
            fn()
        except ls.LabSoundError:
            pass

    attempt(lambda: setattr(osc.frequency, "value", 220))
    attempt(lambda: osc.frequency.linear_ramp_to_value_at_time(100, 1))
    attempt(lambda: osc.stop())
    attempt(lambda: osc.disconnect())
    attempt(lambda: osc.connect(gain))
    attempt(lambda: setattr(gain, "channel_count", 1))
    with pytest.raises(ls.InvalidStateError):
        ctx.create_oscillator()
    with pytest.raises(ls.InvalidStateError):
        ctx.create_gain()
    del osc, gain


def test_dropping_an_open_context_is_safe():
    ctx = ls.AudioContext()
    ctx.resume()
    osc = ctx.create_oscillator()
    osc >> ctx.destination
    osc.start()
    del ctx, osc
    import gc

    gc.collect()


def test_stats(realtime):
    s = realtime.stats
    for key in ("quanta_rendered", "live_nodes", "pool_exhausted", "messages_sent"):
        assert isinstance(s[key], int)
    realtime.resume()
    realtime.wait(0.05)
    assert realtime.stats["quanta_rendered"] > 0


# --------------------------------------------------------------------------
# Offline
# --------------------------------------------------------------------------


def test_offline_constructor_forms():
    for ctx in (
        ls.OfflineAudioContext(2, 1000, SR),
        ls.OfflineAudioContext(number_of_channels=2, length=1000, sample_rate=SR),
        ls.OfflineAudioContext(channels=2, length=1000, sample_rate=SR),
        ls.OfflineAudioContext({"number_of_channels": 2, "length": 1000, "sample_rate": SR}),
    ):
        assert ctx.length == 1000
        assert ctx.sample_rate == SR
        assert ctx.destination.channel_count == 2
        assert ctx.state == "suspended"
    assert ls.OfflineAudioContext(length=10, sample_rate=SR).destination.channel_count == 1


def test_offline_render_returns_buffer():
    ctx = ls.OfflineAudioContext(2, 1000, 22050)
    const = ctx.create_constant_source(offset=0.5)
    const >> ctx.destination
    const.start()
    buf = ctx.start_rendering()
    assert isinstance(buf, ls.AudioBuffer)
    assert buf.number_of_channels == 2
    assert buf.length == 1000
    assert buf.sample_rate == 22050
    np.testing.assert_allclose(np.asarray(buf), 0.5, atol=1e-6)
    assert ctx.current_time >= 1000 / 22050 - 1e-9


def test_offline_render_alias():
    ctx = ls.OfflineAudioContext(1, 256, SR)
    buf = ctx.render()
    assert buf.length == 256
    assert not np.any(np.asarray(buf))


def test_offline_render_twice_is_invalid_state():
    ctx = ls.OfflineAudioContext(1, 256, SR)
    ctx.start_rendering()
    with pytest.raises(ls.InvalidStateError):
        ctx.start_rendering()
    with pytest.raises(ls.InvalidStateError):
        ctx.render()


def test_offline_render_releases_the_gil():
    ctx = ls.OfflineAudioContext(1, int(SR * 20), SR)
    for _ in range(20):
        osc = ctx.create_oscillator()
        osc >> ctx.destination
        osc.start()
    ticks = [0]
    done = threading.Event()

    def spin():
        while not done.is_set():
            ticks[0] += 1
            time.sleep(0.001)

    t = threading.Thread(target=spin)
    t.start()
    try:
        t0 = time.monotonic()
        ctx.start_rendering()
        dt = time.monotonic() - t0
    finally:
        done.set()
        t.join()
    if dt > 0.05:
        assert ticks[0] >= 5


def test_graph_edits_from_a_thread_while_running():
    """Python threads create, connect, disconnect and drop nodes and set
    params for about a second while a real-time context runs; afterwards the
    engine's node count returns to where it started."""
    ctx = ls.AudioContext()
    ctx.resume()
    baseline = ctx.stats["live_nodes"]
    errors = []
    stop = threading.Event()

    def editor(seed):
        rng = np.random.default_rng(seed)
        nodes = []
        try:
            while not stop.is_set():
                osc = ctx.create_oscillator(frequency=float(rng.uniform(50, 2000)))
                gain = ctx.create_gain(gain=float(rng.uniform(0, 0.1)))
                osc >> gain >> ctx.destination
                now = ctx.current_time
                osc.start(now)
                osc.stop(now + float(rng.uniform(0, 0.05)))
                gain.gain.set_value_at_time(0.05, now).linear_ramp_to_value_at_time(0.0, now + 0.05)
                osc.frequency.value = float(rng.uniform(50, 2000))
                nodes.append((osc, gain))
                if len(nodes) > 20:
                    o, g = nodes.pop(int(rng.integers(len(nodes))))
                    if rng.random() < 0.5:
                        g.disconnect()
                    else:
                        o.disconnect(g)
                if rng.random() < 0.1:
                    nodes.clear()
                time.sleep(0.0002)  # a busy but not runaway editor
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=editor, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        ctx.wait(0.05)
    stop.set()
    for t in threads:
        t.join()
    try:
        assert not errors, errors
        assert ctx.state == "running"
        end = time.monotonic() + 10
        while ctx.stats["live_nodes"] > baseline and time.monotonic() < end:
            time.sleep(0.02)
        assert ctx.stats["live_nodes"] == baseline
    finally:
        ctx.close()
