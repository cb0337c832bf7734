"""Python processing nodes: create_function, create_processor (AudioProcessor).

Expected values are computed independently in NumPy from the spec's
formulas (AudioParam automation) or from the same DSP applied to the whole
signal at once. Offline rendering calls Python synchronously, so outputs are
exact up to float32 rounding: tolerances are stated where used.
"""

import gc
import os
import subprocess
import sys
import textwrap
import threading
import time
import warnings
import weakref

import numpy as np
import pytest

import labsound as ls

SR = 44100.0
Q = ls.RENDER_QUANTUM


def offline(frames, channels=1, rate=SR):
    return ls.OfflineAudioContext(channels, frames, rate)


def render(ctx):
    return np.asarray(ctx.start_rendering()).copy()


# --------------------------------------------------------------------------
# The design document's second example, as written
# --------------------------------------------------------------------------

CUSTOM_PROCESSING = textwrap.dedent(
    '''
    import labsound as ls
    import numpy as np

    with ls.AudioContext() as ctx:
        # Create a function node for custom processing
        func = ctx.create_function(channels=1)
        
        # Using NumPy for signal processing
        def process_audio(channel, buffer):
            # Convert buffer to numpy array
            samples = np.array(buffer)
            # Apply some processing
            processed = np.sin(samples * np.pi * 2)
            # Update the buffer
            buffer[:] = processed
        
        # Assign the processing function
        func.set_process_function(process_audio)
        
        # Connect to output
        func >> ctx.destination
        
        # Start processing
        func.start()
        
        # Let it run for 5 seconds
        ctx.wait(5)
    '''
)


def _run(code, timeout):
    env = dict(os.environ)
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(ls.__file__)))
    env["PYTHONPATH"] = os.pathsep.join(p for p in [package_root, env.get("PYTHONPATH")] if p)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_seed_custom_processing_example_runs_as_written():
    code = CUSTOM_PROCESSING + textwrap.dedent(
        '''
        s = func.stats
        print("calls", s.calls, "misses", s.misses, "time", ctx.current_time)
        '''
    )
    t0 = time.monotonic()
    proc = _run(code, timeout=90)
    elapsed = time.monotonic() - t0
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert 4.9 <= elapsed <= 60, elapsed
    words = proc.stdout.split()
    calls = int(words[words.index("calls") + 1])
    # about one call per quantum of 5 s at 44.1 kHz (1722), minus the lookahead
    assert calls > 1722 * 0.8, proc.stdout


# --------------------------------------------------------------------------
# Function nodes
# --------------------------------------------------------------------------


def test_function_output_offline_matches_numpy():
    frames = 1000
    ctx = offline(frames, channels=2)
    f = ctx.create_function(channels=2)
    offsets = np.arange(Q) / SR

    def fn(channel, buffer):
        t = f.block_time + offsets
        buffer[:] = np.sin(2 * np.pi * (220.0 * (channel + 1)) * t)

    f.set_process_function(fn)
    f >> ctx.destination
    f.start(0.01)
    f.stop(0.02)
    out = render(ctx)
    t = np.arange(frames) / SR
    playing = (np.arange(frames) >= np.ceil(0.01 * SR)) & (np.arange(frames) < np.ceil(0.02 * SR))
    for c in range(2):
        want = np.where(playing, np.sin(2 * np.pi * 220.0 * (c + 1) * t), 0.0)
        # float32 output of a float64 formula: 1e-6
        np.testing.assert_allclose(out[c], want, atol=1e-6)
    # quanta that play: the one containing 0.01 s through the one containing 0.02 s
    first, last = int(np.ceil(0.01 * SR)) // Q, (int(np.ceil(0.02 * SR)) - 1) // Q
    assert f.stats.calls == last - first + 1  # one engine call per quantum (all channels)
    assert f.stats.misses == 0 and f.error is None


def test_function_without_function_is_silent_and_replaceable():
    ctx = offline(4 * Q)
    f = ctx.create_function()
    f >> ctx.destination
    f.start()
    out = render(ctx)
    assert not out.any()
    assert f.channels == 1
    with pytest.raises(TypeError, match="set_process_function"):
        f.set_process_function(42)


def test_zero_copy_function_buffer_is_engine_memory():
    ctx = offline(2 * Q, channels=2)
    f = ctx.create_function(channels=2)
    seen = []

    def fn(channel, buffer):
        seen.append((channel, buffer.__array_interface__["data"][0], buffer.dtype, buffer.shape,
                     buffer.flags.owndata))
        buffer[:] = channel + 1

    f.set_process_function(fn)
    f >> ctx.destination
    f.start()
    ctx_out = render(ctx)
    mem = f._memory
    for channel, addr, dtype, shape, owndata in seen:
        assert dtype == np.float32 and shape == (Q,) and not owndata
        # the engine's address of this output channel
        assert addr == mem.address + 4 * mem.offset(0, 1, 0, channel)
    # and what was written there is what the graph played
    assert np.all(ctx_out[0] == 1.0) and np.all(ctx_out[1] == 2.0)
    assert len(seen) == 4


def test_zero_copy_processor_arrays_are_engine_memory():
    ctx = offline(Q)
    addrs = {}

    class Probe(ls.AudioProcessor):
        parameters = [("p", 0.5)]

        def process(self, inputs, outputs, parameters):
            addrs["in"] = inputs[0].__array_interface__["data"][0]
            addrs["out"] = outputs[0].__array_interface__["data"][0]
            addrs["p"] = parameters["p"].__array_interface__["data"][0]
            addrs["shape"] = (inputs[0].shape, outputs[0].shape, parameters["p"].shape)
            outputs[0][:] = 0.25
            return True

    src = ctx.create_constant_source()
    node = ctx.create_processor(Probe, output_channel_count=[2])
    src >> node >> ctx.destination
    src.start()
    out = render(ctx)
    mem = node._memory
    assert addrs["in"] == mem.address + 4 * mem.offset(0, 0, 0, 0)
    assert addrs["out"] == mem.address + 4 * mem.offset(0, 1, 0, 0)
    assert addrs["p"] == mem.address + 4 * mem.offset(0, 2, 0, 0)
    assert addrs["shape"] == ((1, Q), (2, Q), (1,))
    assert np.all(out == 0.25)


# --------------------------------------------------------------------------
# Processors: output, params, automation, modulation
# --------------------------------------------------------------------------


class Gain(ls.AudioProcessor):
    parameters = [
        ("gain", 1.0, 0.0, 10.0, "a-rate"),
        {"name": "offset", "default_value": 0.0, "min_value": -1.0, "max_value": 1.0,
         "automation_rate": "k-rate"},
    ]

    def __init__(self, scale=1.0):
        self.scale = scale
        self.lengths = []

    def process(self, inputs, outputs, parameters):
        g = parameters["gain"]
        self.lengths.append((len(g), len(parameters["offset"])))
        outputs[0][:] = inputs[0] * g * self.scale + parameters["offset"][0]
        return True


def test_processor_automation_matches_spec_formulas():
    frames = 6 * Q
    ctx = offline(frames)
    src = ctx.create_constant_source(offset=0.5)
    node = ctx.create_processor(Gain, output_channel_count=[1], scale=2.0)
    lengths = node.processor.lengths
    g = node.parameters["gain"]
    assert isinstance(g, ls.AudioParam)
    assert (g.default_value, g.min_value, g.max_value) == (1.0, 0.0, 10.0)
    assert node.parameters["offset"].automation_rate == "k-rate"
    t0, t1 = 2 * Q / SR, 4 * Q / SR
    g.set_value_at_time(1.0, t0)
    g.linear_ramp_to_value_at_time(3.0, t1)
    node.parameters["offset"].set_value_at_time(0.125, 5 * Q / SR)
    src >> node >> ctx.destination
    src.start()
    out = render(ctx)[0]
    t = np.arange(frames) / SR
    # spec: v(t) = V0 + (V1 - V0) (t - T0) / (T1 - T0) on [T0, T1], then V1
    gain = np.where(t < t0, 1.0, np.where(t < t1, 1.0 + 2.0 * (t - t0) / (t1 - t0), 3.0))
    offset = np.where(np.arange(frames) >= 5 * Q, 0.125, 0.0)   # k-rate: per quantum
    want = 0.5 * gain * 2.0 + offset
    np.testing.assert_allclose(out, want, rtol=1e-6, atol=1e-6)
    # constant quanta get one value, automated a-rate quanta 128; k-rate always one
    assert lengths[:6] == [(1, 1), (1, 1), (Q, 1), (Q, 1), (1, 1), (1, 1)]


def test_processor_param_modulation_with_rshift():
    ctx = offline(2 * Q)
    lfo = ctx.create_constant_source(offset=0.75)
    src = ctx.create_constant_source(offset=1.0)
    node = ctx.create_processor(Gain, output_channel_count=[1], parameter_data={"gain": 0.5})
    assert node.parameters["gain"].value == 0.5
    lfo >> node.parameters["gain"]
    src >> node >> ctx.destination
    lfo.start()
    src.start()
    out = render(ctx)[0]
    np.testing.assert_allclose(out, 1.25, rtol=1e-7)  # intrinsic 0.5 + input 0.75


def test_processor_inputs_outputs_and_channel_counts():
    ctx = offline(Q, channels=2)
    shapes = []

    class Split(ls.AudioProcessor):
        def process(self, inputs, outputs, parameters):
            shapes.append([x.shape for x in inputs] + [y.shape for y in outputs])
            outputs[0][0] = inputs[0][0]
            outputs[1][:] = inputs[1].sum(axis=0) if len(inputs[1]) else 0.0
            return False

    a = ctx.create_constant_source(offset=0.25)
    node = ctx.create_processor(Split, number_of_inputs=2, number_of_outputs=2,
                                output_channel_count=[1, 1])
    merge = ctx.create_gain()
    a >> node
    node.connect(merge, 0)
    node.connect(merge, 1)
    merge >> ctx.destination
    a.start()
    out = render(ctx)
    # input 1 has nothing connected: zero channels (AudioWorklet rule)
    assert shapes[0] == [(1, Q), (0, Q), (1, Q), (1, Q)]
    # speakers up-mix of mono into stereo: both channels 0.25
    np.testing.assert_allclose(out, 0.25)


def test_default_output_follows_input_channels():
    ctx = offline(Q, channels=2)
    shapes = []

    class Copy(ls.AudioProcessor):
        def process(self, inputs, outputs, parameters):
            shapes.append(outputs[0].shape)
            outputs[0][:] = inputs[0]
            return True

    osc = ctx.create_constant_source()
    merge = ctx.create_gain(channel_count=2, channel_count_mode="explicit")
    node = ctx.create_processor(Copy)
    osc >> merge >> node >> ctx.destination
    osc.start()
    render(ctx)
    assert shapes == [(2, Q)]


# --------------------------------------------------------------------------
# Messages
# --------------------------------------------------------------------------


def test_message_ports_round_trip():
    ctx = offline(4 * Q)

    class Echo(ls.AudioProcessor):
        def __init__(self):
            self.received = []
            self.port.onmessage = self.on_message

        def on_message(self, event):
            self.received.append(event.data)
            self.port.post_message({"echo": event.data})

        def process(self, inputs, outputs, parameters):
            return True

    node = ctx.create_processor(Echo, number_of_inputs=0, output_channel_count=[1])
    node >> ctx.destination
    got = []
    done = threading.Event()

    def on_message(event):
        got.append(event.data)
        done.set()

    node.port.onmessage = on_message
    payload = [1, 2, 3]
    node.port.post_message(payload)
    processor = node.processor
    render(ctx)
    assert done.wait(5)
    assert processor.received == [payload]
    assert got == [{"echo": payload}] and got[0]["echo"] is payload


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------


def test_exception_is_reported_once_kept_and_silences_the_node():
    frames = 8 * Q
    ctx = offline(frames, channels=2)

    class Boom(ls.AudioProcessor):
        def __init__(self):
            self.calls = 0

        def process(self, inputs, outputs, parameters):
            self.calls += 1
            if self.calls == 3:
                raise ZeroDivisionError("boom in process")
            outputs[0][:] = 0.5
            return True

    node = ctx.create_processor(Boom, number_of_inputs=0, output_channel_count=[1])
    other = ctx.create_constant_source(offset=0.25)
    node.connect(ctx.destination)
    merge = ctx.create_gain()
    other >> merge
    merge.connect(ctx.destination)
    other.start()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = render(ctx)
    ours = [w for w in caught if issubclass(w.category, ls.ProcessingWarning)]
    assert len(ours) == 1
    text = str(ours[0].message)
    assert "ZeroDivisionError: boom in process" in text and "Traceback" in text
    assert "in process" in text
    assert isinstance(node.error, ZeroDivisionError)
    assert node.stats.errored and node.stats.calls == 3
    # two good quanta, then the node is silent; the context kept running
    np.testing.assert_allclose(out[0, :2 * Q], 0.75)
    np.testing.assert_allclose(out[0, 2 * Q:], 0.25)


def test_function_exception_reported():
    ctx = offline(4 * Q)
    f = ctx.create_function()

    def bad(channel, buffer):
        raise ValueError("bad function")

    f.set_process_function(bad)
    f >> ctx.destination
    f.start()
    with pytest.warns(ls.ProcessingWarning, match="bad function"):
        out = render(ctx)
    assert not out.any()
    assert isinstance(f.error, ValueError) and f.stats.calls == 1


def test_bad_arguments_raise_clear_errors():
    ctx = offline(Q)
    with pytest.raises(TypeError, match="create_processor\\(processor\\)"):
        ctx.create_processor(object)
    with pytest.raises(ls.NotSupportedError, match="both 0"):
        ctx.create_processor(Gain, number_of_inputs=0, number_of_outputs=0)
    with pytest.raises(IndexError, match="output_channel_count"):
        ctx.create_processor(Gain, output_channel_count=[1, 2])
    with pytest.raises(ls.NotSupportedError, match="output_channel_count"):
        ctx.create_processor(Gain, output_channel_count=[0])
    with pytest.raises(ValueError, match="number_of_inputs.*-1"):
        ctx.create_processor(Gain, number_of_inputs=-1)
    with pytest.raises(ValueError, match="mode"):
        ctx.create_processor(Gain, mode="fast")
    with pytest.raises(ls.NotSupportedError):
        ctx.create_processor(Gain, mode="worker")   # offline contexts run Python in sync
    with pytest.raises(ValueError, match="create_function\\(channels\\).*0"):
        ctx.create_function(channels=0)
    with pytest.raises(KeyError, match="nope"):
        ctx.create_processor(Gain, parameter_data={"nope": 1})

    class BadDefault(ls.AudioProcessor):
        parameters = [("x", 5.0, 0.0, 1.0)]

    with pytest.raises(ValueError, match="default 5.0"):
        ctx.create_processor(BadDefault)

    class BadRate(ls.AudioProcessor):
        parameters = [("x", 0.0, 0.0, 1.0, "x-rate")]

    with pytest.raises(ValueError, match="x-rate"):
        ctx.create_processor(BadRate)


# --------------------------------------------------------------------------
# Lifetime
# --------------------------------------------------------------------------


class Holder(ls.AudioProcessor):
    def __init__(self, payload):
        self.payload = payload
        self.port.onmessage = lambda e: self.payload.append(e.data)

    def process(self, inputs, outputs, parameters):
        return True


def _drain():
    for _ in range(3):
        gc.collect()
        ls._core._script_drain()
    gc.collect()


def test_offline_lifetime_releases_processor_function_and_context():
    ctx = offline(4 * Q)
    node = ctx.create_processor(Holder, payload=[])
    func = ctx.create_function()

    def fn(channel, buffer):
        buffer[:] = 0.1

    func.set_process_function(fn)
    func >> node >> ctx.destination
    func.start()
    refs = [weakref.ref(ctx), weakref.ref(node.processor), weakref.ref(fn), weakref.ref(node)]
    # while the node can run, the processor lives even if nobody else holds it
    gc.collect()
    assert refs[1]() is not None
    render(ctx)
    del ctx, node, func, fn
    _drain()
    assert [r() for r in refs] == [None] * 4


def test_processor_lives_while_node_can_run():
    ctx = offline(4 * Q)
    node = ctx.create_processor(Holder, payload=[])
    ref = weakref.ref(node.processor)
    node >> ctx.destination
    del node
    _drain()
    assert ref() is not None        # the engine still runs the node
    render(ctx)
    _drain()
    assert ref() is None            # the render is over: released


def test_realtime_close_releases_everything():
    ctx = ls.AudioContext()
    node = ctx.create_processor(Holder, payload=[])
    func = ctx.create_function()
    func.set_process_function(lambda c, b: None)
    func >> node >> ctx.destination
    func.start()
    time.sleep(0.05)
    refs = [weakref.ref(ctx), weakref.ref(node.processor), weakref.ref(node),
            weakref.ref(func)]
    ctx.close()
    del ctx, node, func
    _drain()
    deadline = time.monotonic() + 5
    while any(r() is not None for r in refs) and time.monotonic() < deadline:
        time.sleep(0.02)
        _drain()
    assert [r() for r in refs] == [None] * 4


def test_realtime_context_dropped_without_close_is_collected():
    ctx = ls.AudioContext()
    node = ctx.create_processor(Holder, payload=[])
    node >> ctx.destination
    refs = [weakref.ref(ctx), weakref.ref(node.processor)]
    del ctx, node
    _drain()
    deadline = time.monotonic() + 5
    while any(r() is not None for r in refs) and time.monotonic() < deadline:
        time.sleep(0.02)
        _drain()
    assert [r() for r in refs] == [None, None]


# --------------------------------------------------------------------------
# Real time: the worker thread, misses under GIL pressure
# --------------------------------------------------------------------------


class Sine(ls.AudioProcessor):
    def process(self, inputs, outputs, parameters):
        outputs[0][:] = 0.1
        return True


def test_realtime_worker_runs_ahead_without_misses_when_idle():
    with ls.AudioContext() as ctx:
        node = ctx.create_processor(Sine, number_of_inputs=0, output_channel_count=[1],
                                    lookahead=8)
        node >> ctx.destination
        assert node.lookahead == 8
        assert node.latency == pytest.approx(8 * Q / ctx.sample_rate)
        ctx.wait(0.5)
        s = node.stats
    assert s.calls > 0.5 * ctx.sample_rate / Q * 0.5
    # an idle interpreter keeps up (loaded CI machines: allow a few)
    assert s.misses <= max(5, s.calls // 5), s


def test_realtime_gil_hog_counts_misses_and_render_keeps_time():
    old = sys.getswitchinterval()
    # a hog holding the GIL for 50 ms at a time: far longer than the 8-quanta
    # (23 ms) lookahead, so blocks must be late
    sys.setswitchinterval(0.05)
    stop = threading.Event()

    def hog():
        x = 0
        while not stop.is_set():
            for i in range(20000):
                x += i * i

    try:
        with ls.AudioContext() as ctx:
            node = ctx.create_processor(Sine, number_of_inputs=0, output_channel_count=[1],
                                        lookahead=8)
            node >> ctx.destination
            t = threading.Thread(target=hog)
            t0 = time.monotonic()
            t.start()
            time.sleep(1.0)
            stop.set()
            t.join()
            wall = time.monotonic() - t0
            now = ctx.current_time
            s = node.stats
    finally:
        sys.setswitchinterval(old)
    print("GIL hog:", s)
    assert s.misses > 0 and s.calls > 0
    # the render thread never waited for Python: context time kept up with the clock
    assert now >= 0.8 * wall - 0.1, (now, wall)


def test_realtime_sync_mode_is_refused():
    with ls.AudioContext() as ctx:
        with pytest.raises(ls.NotSupportedError):
            ctx.create_processor(Sine, mode="sync")


def test_realtime_messages_reach_the_worker_and_come_back():
    class Echo(ls.AudioProcessor):
        def __init__(self):
            self.port.onmessage = lambda e: self.port.post_message(e.data * 2)

        def process(self, inputs, outputs, parameters):
            return True

    got = []
    done = threading.Event()
    with ls.AudioContext() as ctx:
        node = ctx.create_processor(Echo, number_of_inputs=0, output_channel_count=[1])
        node >> ctx.destination
        node.port.onmessage = lambda e: (got.append(e.data), done.set())
        node.port.post_message(21)
        assert done.wait(5)
    assert got == [42]


def test_constructors_and_types():
    ctx = offline(Q)
    f = ls.FunctionNode(ctx, 2)
    p = ls.AudioProcessorNode(ctx, Gain, output_channel_count=[1], scale=3.0)
    assert isinstance(f, ls.AudioScheduledSourceNode) and isinstance(f, ls.AudioNode)
    assert isinstance(p, ls.AudioNode) and not isinstance(p, ls.AudioScheduledSourceNode)
    assert f.channels == 2 and f.context is ctx and p.context is ctx
    assert p.number_of_inputs == 1 and p.number_of_outputs == 1
    assert f.number_of_inputs == 0 and f.number_of_outputs == 1
    assert p.processor.scale == 3.0
    assert f.lookahead == 0 and f.latency == 0.0
    assert sorted(p.parameters) == ["gain", "offset"]


def test_offline_context_never_rendered_is_collected():
    ctx = offline(10 * Q)
    node = ctx.create_processor(Holder, payload=[])
    node >> ctx.destination
    func = ctx.create_function()

    def fn(channel, buffer):
        pass

    func.set_process_function(fn)
    refs = [weakref.ref(ctx), weakref.ref(node.processor), weakref.ref(fn)]
    del ctx, node, func, fn
    _drain()
    assert [r() for r in refs] == [None] * 3
