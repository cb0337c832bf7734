"""Property-based tests over every node type the registry lists
(ls.node_types()): random graphs of them, rendered offline with the graph
edited between stretches of rendering (disconnects, reconnects, new
connections, automation) from suspensions, and a few real-time runs on the
null sink. Python processing nodes run hostile code: process() and
functions that raise, return the wrong type, mutate or replace the lists
and arrays they are given, or (in real time) sleep past the render's
deadline.

Properties:

* nothing crashes or hangs (faulthandler dumps the stacks and exits on a
  hang);
* a refused call raises only the documented exceptions (test_properties.py);
* the render completes with the context's shape; with bounded values and no
  feedback, the output is finite;
* in real time, the context keeps running (its clock advances) whatever the
  processing nodes do, and closes.

Budget: LS_HYPOTHESIS_EXAMPLES examples per test (default 40; the
sanitizer run uses 15), derandomized; each renders 4 quanta at 8 kHz.
"""

import math
import time

import numpy as np
import pytest

import labsound as ls

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import test_properties as base  # noqa: E402  (the core nodes' makers, program steps)

SR = base.SR
QUANTA = base.QUANTA
# no shrinking: a failure prints its reproduction blob at once, and CI's time
# stays bounded (shrinking a graph program can take minutes)
PROFILE = base.PROFILE.__class__(base.PROFILE, phases=[hypothesis.Phase.explicit,
                                                       hypothesis.Phase.reuse,
                                                       hypothesis.Phase.generate])

pytestmark = pytest.mark.filterwarnings("ignore::labsound.ProcessingWarning",
                                        "ignore::labsound.RealtimeWarning",
                                        "ignore::labsound.StreamSourceWarning")

ENUMS = {
    ("Noise", "type"): ["white", "pink", "brown"],
    ("PolyBLEP", "type"): ["sawtooth", "square", "triangle", "ramp", "trapezoid_variable"],
    ("Sfxr", "wave_type"): ["square", "sawtooth", "sine", "noise"],
    ("BPMDelay", "note"): ["whole", "half", "quarter", "eighth", "sixteenth"],
    ("PingPongDelay", "note"): ["whole", "half", "quarter", "eighth", "sixteenth"],
    ("Clip", "mode"): ["clip", "tanh"],
    ("Granulation", "window"): ["hann", "triangle", "rectangle"],
}

# bounded ranges of the numeric options of the extended nodes (else [-2, 2])
RANGES = {
    "frequency": (-2000, 2000), "detune": (-1200, 1200), "tempo": (30, 400),
    "max_delay_time": (0.01, 0.5), "grain_duration": (0.001, 0.05), "grain_rate": (0, 400),
    "position_start": (0, 0.02), "position_end": (0, 0.04), "playback_rate": (0, 3),
    "max_voices": (1, 16), "voices": (1, 9), "window_size": (16, 1024),
    "threshold": (-60, 0), "ratio": (1, 20), "attack": (0, 0.5), "release": (0, 0.5),
    "makeup": (0, 12), "knee": (0, 12), "feedback": (0, 0.9), "attack_time": (0, 0.01),
    "decay_time": (0, 0.01), "sustain_time": (0, 0.01), "release_time": (0, 0.01),
    "pulse_width": (0, 1), "seed": (0, 1000),
}


def _buffer(draw, channels=None, frames=None):
    ch = channels or draw(st.integers(1, 2))
    n = frames or draw(st.integers(1, 400))
    x = np.asarray(draw(st.lists(st.floats(-1, 1, width=32), min_size=n * ch, max_size=n * ch)),
                   np.float32).reshape(ch, n)
    return ls.AudioBuffer.from_numpy(x, draw(st.sampled_from([SR, 22050.0, 3000.0])))


def _value(draw, name, wild):
    if wild:
        return draw(base.any_value())
    lo, hi = RANGES.get(name, (-2, 2))
    if name in ("max_voices", "voices", "window_size", "seed"):
        return draw(st.integers(int(lo), int(hi)))
    return draw(base.bounded_number(lo, hi))


def generic_maker(type_name):
    info = ls.node_types()[type_name]

    def make(ctx, draw, wild):
        kw = {}
        for name, default in info.options.items():
            if name.startswith("channel") or default is None or not draw(st.booleans()):
                continue
            if (type_name, name) in ENUMS:
                choices = ENUMS[(type_name, name)] + (["nope", 3] if wild else [])
                kw[name] = draw(st.sampled_from(choices))
            elif isinstance(default, bool):
                kw[name] = draw(st.booleans())
            elif isinstance(default, (int, float)):
                kw[name] = _value(draw, name, wild)
        if type_name in ("SampledAudio", "Granulation") and (not wild or draw(st.booleans())):
            kw["buffer"] = _buffer(draw)
        return getattr(ctx, info.factory)(**kw)

    return make


def make_iir(ctx, draw, wild):
    return base.make_iir(ctx, draw, wild)


# -- hostile Python code ------------------------------------------------------

BEHAVIOURS = ["fine", "raise", "wrong_return", "mutate_lists", "replace_arrays",
              "reshape_arrays", "keyboard", "sleep"]


class Hostile(ls.AudioProcessor):
    parameters = [("level", 0.5, -1.0, 1.0, "a-rate")]

    def __init__(self, behaviour="fine", after=0, sleep=0.0):
        self.behaviour = behaviour
        self.after = after
        self.sleep = sleep
        self.n = 0

    def process(self, inputs, outputs, parameters):
        self.n += 1
        b = self.behaviour if self.n > self.after else "fine"
        if b == "raise":
            raise RuntimeError("hostile")
        if b == "keyboard":
            raise ArithmeticError("hostile")
        if b == "wrong_return":
            return [None, "x", np.zeros(3), object(), 2 ** 70][self.n % 5]
        if b == "mutate_lists":
            [inputs.clear, outputs.clear, lambda: outputs.append(np.ones(9)),
             lambda: inputs.insert(0, None), lambda: parameters.clear()][self.n % 5]()
        if b == "replace_arrays":
            if outputs:
                outputs[0] = np.full((7, 3), np.nan)
            if inputs:
                inputs[0] = "not audio"
        if b == "reshape_arrays" and outputs and hasattr(outputs[0], "shape"):
            try:
                outputs[0].shape = (-1,)
            except (AttributeError, ValueError):
                pass
        if b == "sleep":
            time.sleep(self.sleep)
        for o in outputs:
            if isinstance(o, np.ndarray) and o.ndim == 2 and o.dtype == np.float32:
                o[:] = 0.25
        return True


def make_processor(ctx, draw, wild):
    kw = dict(number_of_inputs=draw(st.integers(0, 2)), number_of_outputs=draw(st.integers(1, 2)),
              behaviour=draw(st.sampled_from(BEHAVIOURS)), after=draw(st.integers(0, 3)),
              sleep=draw(st.sampled_from([0.0, 0.001, 0.01])))
    if wild and draw(st.booleans()):
        kw["output_channel_count"] = draw(st.lists(st.integers(-1, 40), max_size=3))
    return ctx.create_processor(Hostile, **kw)


def make_function(ctx, draw, wild):
    behaviour = draw(st.sampled_from(BEHAVIOURS))
    sleep = draw(st.sampled_from([0.0, 0.001, 0.01]))
    node = ctx.create_function(channels=draw(st.integers(1, 3) if not wild else
                                             st.integers(-1, 40)))
    calls = [0]

    def fn(channel, buf):
        calls[0] += 1
        if behaviour == "raise":
            raise ValueError("hostile")
        if behaviour == "wrong_return":
            return object()
        if behaviour in ("mutate_lists", "reshape_arrays"):
            try:
                buf.shape = (2, -1)
            except (AttributeError, ValueError):
                pass
        if behaviour == "replace_arrays":
            buf = np.zeros(5)
        if behaviour == "sleep":
            time.sleep(sleep)
        buf[...] = 0.125

    node.set_process_function(fn)
    return node


def make_recorder(ctx, draw, wild):
    return ctx.create_recorder(channels=draw(st.integers(1, 2) if not wild else st.integers(-1, 40)))


def make_microphone(ctx, draw, wild):
    # capture: only real-time contexts on a device with input have it
    return ctx.create_microphone()


def make_stream_source(ctx, draw, wild):
    kinds = ["array", "blocks"] + (["raising", "wrong_shape", "nan"] if wild else [])
    kind = draw(st.sampled_from(kinds))
    ch, n = draw(st.integers(1, 2)), draw(st.integers(1, 700))
    x = np.full((ch, n), 0.25, np.float32)
    if kind == "array":
        return ctx.create_stream_source(x)
    step = draw(st.integers(1, 300))

    def blocks():
        for i in range(0, n, step):
            if kind == "raising" and i:
                raise RuntimeError("hostile stream")
            if kind == "wrong_shape" and i:
                yield np.zeros((ch + 1, 3, 2), np.float32)
            if kind == "nan":
                yield np.full((ch, step), np.nan, np.float32)
            yield x[:, i:i + step]

    return ctx.create_stream_source(blocks(), channels=ch, sample_rate=ctx.sample_rate)


SPECIAL = {
    "IIRFilter": make_iir, "AudioProcessor": make_processor, "Function": make_function,
    "Recorder": make_recorder, "MediaStreamAudioSource": make_microphone,
    "StreamSource": make_stream_source,
}
CORE = {  # registry name -> test_properties maker
    "Oscillator": "oscillator", "Gain": "gain", "ConstantSource": "constant",
    "BiquadFilter": "biquad", "Delay": "delay", "ChannelSplitter": "splitter",
    "ChannelMerger": "merger", "StereoPanner": "stereo_panner", "WaveShaper": "wave_shaper",
    "Panner": "panner", "DynamicsCompressor": "compressor", "Convolver": "convolver",
    "AudioBufferSource": "buffer_source", "Analyser": "analyser",
}


def maker(type_name):
    if type_name in SPECIAL:
        return SPECIAL[type_name]
    if type_name in CORE:
        return base.MAKERS[CORE[type_name]]
    return generic_maker(type_name)


TYPES = sorted(ls.node_types())
SOURCES = [t for t in TYPES if ls.node_types()[t].is_source]
OFFLINE_TYPES = [t for t in TYPES if t != "MediaStreamAudioSource"]   # real time only


def test_every_registered_node_type_is_covered():
    # each type the registry lists has a maker here that builds it with
    # bounded options (a new type fails this test until it is covered)
    built = set()

    @PROFILE.__class__(PROFILE, max_examples=8)
    @given(st.data())
    def build_all(data):
        ctx = ls.OfflineAudioContext(1, 128, SR)
        for t in OFFLINE_TYPES:
            node = base.attempt(maker(t), ctx, data.draw, False)
            if node is not None:
                assert isinstance(node, ls.AudioNode), t
                built.add(t)

    build_all()
    assert built == set(OFFLINE_TYPES), set(OFFLINE_TYPES) - built
    # the microphone: a real-time context without capture refuses it
    rt = ls.AudioContext(device="null")
    try:
        with pytest.raises(ls.InvalidStateError):
            rt.create_microphone()
    finally:
        rt.close()


# -- offline programs ---------------------------------------------------------

def edit_step(draw, ctx, nodes, wild, feedback_ok):
    """A program step, or a disconnect followed by a reconnect elsewhere."""
    if draw(st.integers(0, 3)) == 0:
        src = draw(st.sampled_from(nodes))
        base.attempt(src.disconnect)
        dst = draw(st.sampled_from(nodes + [ctx.destination]))
        if feedback_ok or base._forward(nodes, src, dst):
            base.attempt(src.connect, dst)
    else:
        base.program_step(draw, ctx, nodes, wild, feedback_ok)


def build_and_render(draw, wild, feedback_ok):
    channels = draw(st.integers(1, 3))
    ctx = ls.OfflineAudioContext(channels, QUANTA * 128, SR)
    kinds = draw(st.lists(st.sampled_from(OFFLINE_TYPES), min_size=1, max_size=6))
    if not any(k in SOURCES for k in kinds):
        kinds.insert(0, draw(st.sampled_from(SOURCES)))
    nodes = []
    for k in kinds:
        node = base.attempt(maker(k), ctx, draw, wild)
        if node is not None:
            nodes.append(node)
    if not nodes:
        nodes.append(ctx.create_constant_source())
    for node in nodes:
        if isinstance(node, ls.AudioScheduledSourceNode) and draw(st.booleans()):
            base.attempt(node.start)
    for a, b in zip(nodes, nodes[1:]):
        if draw(st.booleans()):
            base.attempt(a.connect, b)
    base.attempt(nodes[-1].connect, ctx.destination)
    for _ in range(draw(st.integers(0, 6))):
        edit_step(draw, ctx, nodes, wild, feedback_ok)

    # edits between stretches of rendering: a suspension after every quantum
    for q in range(1, QUANTA):
        steps = draw(st.integers(0, 3))

        def edits(steps=steps):
            for _ in range(steps):
                edit_step(draw, ctx, nodes, wild, feedback_ok)

        ctx.suspend(q * 128 / SR, edits)
    try:
        buf = ctx.start_rendering()
    except ls.StreamSourceError:
        # a hostile stream source (wild programs only) reaches the caller,
        # named; the context is left closed
        assert wild
        return None
    out = np.asarray(buf)
    assert out.shape == (channels, ctx.length)
    return out


@PROFILE
@given(st.data())
def test_every_node_type_in_wild_programs(data):
    with base._Watchdog():
        build_and_render(data.draw, wild=True, feedback_ok=True)


@PROFILE
@given(st.data())
def test_every_node_type_in_bounded_feedforward_programs(data):
    with base._Watchdog():
        out = build_and_render(data.draw, wild=False, feedback_ok=False)
    assert np.isfinite(out).all()


# -- real time ----------------------------------------------------------------

RT_TYPES = TYPES                  # the microphone is refused on the null sink


@PROFILE.__class__(PROFILE, max_examples=max(3, PROFILE.max_examples // 5))
@given(st.data())
def test_realtime_graphs_with_hostile_processing_keep_running(data):
    draw = data.draw
    with base._Watchdog():
        ctx = ls.AudioContext(device="null")
        try:
            kinds = draw(st.lists(st.sampled_from(RT_TYPES), min_size=1, max_size=5))
            kinds += draw(st.lists(st.sampled_from(["AudioProcessor", "Function"]), min_size=1,
                                   max_size=2))
            nodes = [n for n in (base.attempt(maker(k), ctx, draw, False) for k in kinds)
                     if n is not None]
            for n in nodes:
                if isinstance(n, ls.AudioScheduledSourceNode):
                    base.attempt(n.start)
                base.attempt(n.connect, ctx.destination)
            for a, b in zip(nodes, nodes[1:]):
                base.attempt(a.connect, b)
            t0 = ctx.current_time
            for _ in range(2):
                ctx.wait(0.03)
                for _ in range(draw(st.integers(0, 4))):
                    edit_step(draw, ctx, nodes, False, True)
            ctx.wait(0.03)
            assert ctx.current_time > t0
            assert ctx.state == "running"
        finally:
            ctx.close()
        assert ctx.state == "closed"
