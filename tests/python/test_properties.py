"""Property-based tests: random graphs, channel settings, connections and
automation, rendered offline for a few quanta.

Properties (hypothesis draws the programs; each step is a call of the public
API that may be refused):

* nothing crashes or hangs (a hang is caught by faulthandler, which dumps
  the stacks and exits);
* a refused call raises only the exceptions the API documents for bad
  arguments and states (docs/python-api.md, "Errors"): ValueError, TypeError,
  IndexError, ls.InvalidStateError, ls.InvalidAccessError,
  ls.NotSupportedError;
* the context renders afterwards, in full, with calls made both before the
  render and from a suspension in the middle of it;
* the output is finite when every value given is finite and in a bounded
  range and every node computes a bounded function of bounded input (no
  unstable IIR filter, no gain past 10 in a feedback loop over a few quanta).

The number of examples comes from the environment: LS_HYPOTHESIS_EXAMPLES
(default 40 per test; scripts/run_python_asan.sh lowers it under the
sanitizers). The runs are derandomized, so CI sees the same programs every
time.
"""

import faulthandler
import math
import os

import numpy as np
import pytest

import labsound as ls

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

settings.register_profile(
    "labsound",
    max_examples=int(os.environ.get("LS_HYPOTHESIS_EXAMPLES", "40")),
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile("labsound")

DOCUMENTED = (ValueError, TypeError, IndexError, ls.InvalidStateError, ls.InvalidAccessError,
              ls.NotSupportedError)

SR = 8000.0
QUANTA = 4
HANG_SECONDS = int(os.environ.get("LS_HYPOTHESIS_HANG_SECONDS", "120"))

# --------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------

NASTY_FLOATS = [math.nan, math.inf, -math.inf, 0.0, -0.0, 1e-45, -1e-45, 5e-324, 1e-310,
                1.0, -1.0, 0.5, 1e308, -1e308, 3.4e38, -3.4e38, 3.5e38, 1e20, -1e20,
                2.0 ** 70, 127.0, 128.0, 8000.0, 4000.0, 1e-7]
WRONG_TYPES = [None, "x", "", [1.0], (1, 2), {"a": 1}, object(), b"\x00", 1j]


def any_number():
    return st.one_of(st.sampled_from(NASTY_FLOATS), st.floats(allow_nan=True, allow_infinity=True),
                     st.integers(-2 ** 70, 2 ** 70), st.floats(-10, 10))


def any_value():
    return st.one_of(any_number(), any_number(), st.sampled_from(WRONG_TYPES))


def bounded_number(lo=-10.0, hi=10.0):
    return st.one_of(st.floats(lo, hi), st.sampled_from([x for x in (0.0, -0.0, 1e-45, 1.0, -1.0)
                                                         if lo <= x <= hi]))


CHANNEL_MODES = ["max", "clamped-max", "explicit"]
INTERPRETATIONS = ["speakers", "discrete"]

# --------------------------------------------------------------------------
# Node makers: name -> (make(ctx, draw, wild), audio params, is a source)
# `wild` draws any value (NaN, wrong types, ...); otherwise bounded ones.
# --------------------------------------------------------------------------


def _buffer(ctx, draw, wild, max_ch=3):
    ch = draw(st.integers(1, max_ch))
    n = draw(st.integers(1, 300))
    data = np.asarray(draw(st.lists(st.floats(-1, 1, width=32), min_size=n * ch,
                                    max_size=n * ch)), dtype=np.float32).reshape(ch, n)
    rate = draw(st.sampled_from([SR, SR, 3000.0, 22050.0, 96000.0]))
    return ls.AudioBuffer.from_numpy(data, rate)


def _num(draw, wild, lo=-10.0, hi=10.0):
    return draw(any_value() if wild else bounded_number(lo, hi))


def make_oscillator(ctx, draw, wild):
    t = draw(st.sampled_from(["sine", "square", "sawtooth", "triangle"]))
    return ctx.create_oscillator(type=t, frequency=_num(draw, wild, -4000, 4000),
                                 detune=_num(draw, wild, -2400, 2400))


def make_gain(ctx, draw, wild):
    return ctx.create_gain(gain=_num(draw, wild, -2, 2))


def make_constant(ctx, draw, wild):
    return ctx.create_constant_source(offset=_num(draw, wild))


def make_biquad(ctx, draw, wild):
    t = draw(st.sampled_from(["lowpass", "highpass", "bandpass", "lowshelf", "highshelf",
                              "peaking", "notch", "allpass"]))
    return ctx.create_biquad_filter(type=t, frequency=_num(draw, wild, 0, 4000),
                                    Q=_num(draw, wild, 0.1, 30), gain=_num(draw, wild, -20, 20),
                                    detune=_num(draw, wild, -1200, 1200))


def make_iir(ctx, draw, wild):
    if wild:
        ff = draw(st.lists(any_number(), min_size=0, max_size=22))
        fb = draw(st.lists(any_number(), min_size=0, max_size=22))
    else:   # stable: one pole inside the unit circle
        a1 = draw(st.floats(-0.95, 0.95))
        ff = draw(st.lists(st.floats(-2, 2), min_size=1, max_size=4)).copy()
        ff[0] = ff[0] or 1.0
        fb = [1.0, a1]
    return ctx.create_iir_filter(ff, fb)


def make_delay(ctx, draw, wild):
    mx = _num(draw, wild, 0.001, 0.2) if wild else draw(st.floats(0.001, 0.2))
    return ctx.create_delay(mx, delay_time=_num(draw, wild, 0, 0.2))


def make_splitter(ctx, draw, wild):
    return ctx.create_channel_splitter(draw(st.integers(-1, 33) if wild else st.integers(1, 6)))


def make_merger(ctx, draw, wild):
    return ctx.create_channel_merger(draw(st.integers(-1, 33) if wild else st.integers(1, 6)))


def make_stereo_panner(ctx, draw, wild):
    return ctx.create_stereo_panner(pan=_num(draw, wild, -1.5, 1.5))


def make_wave_shaper(ctx, draw, wild):
    if draw(st.booleans()):
        curve = None
    elif wild:
        curve = draw(st.lists(any_number(), min_size=0, max_size=16))
    else:
        curve = draw(st.lists(st.floats(-2, 2), min_size=2, max_size=16))
    return ctx.create_wave_shaper(curve=curve, oversample=draw(st.sampled_from(["none", "2x", "4x"])))


def make_panner(ctx, draw, wild):
    kw = {k: _num(draw, wild, -5, 5) for k in ("position_x", "position_y", "position_z",
                                                "orientation_x", "orientation_y", "orientation_z")}
    kw.update(panning_model=draw(st.sampled_from(["equalpower", "HRTF"])),
              distance_model=draw(st.sampled_from(["linear", "inverse", "exponential"])))
    for k, lo, hi in (("ref_distance", 0, 10), ("max_distance", 0.01, 100),
                      ("rolloff_factor", 0, 5), ("cone_inner_angle", -720, 720),
                      ("cone_outer_angle", -720, 720), ("cone_outer_gain", 0, 1)):
        if draw(st.booleans()):
            kw[k] = _num(draw, wild, lo, hi)
    return ctx.create_panner(**kw)


def make_compressor(ctx, draw, wild):
    kw = {}
    for k, lo, hi in (("threshold", -100, 0), ("knee", 0, 40), ("ratio", 1, 20),
                      ("attack", 0, 1), ("release", 0, 1)):
        if draw(st.booleans()):
            kw[k] = _num(draw, wild, lo, hi)
    return ctx.create_dynamics_compressor(**kw)


def make_convolver(ctx, draw, wild):
    buf = _buffer(ctx, draw, wild, max_ch=4 if wild else 2) if draw(st.booleans()) else None
    return ctx.create_convolver(buffer=buf, disable_normalization=draw(st.booleans()))


def make_buffer_source(ctx, draw, wild):
    kw = dict(loop=draw(st.booleans()), playback_rate=_num(draw, wild, -3, 3),
              detune=_num(draw, wild, -2400, 2400))
    if draw(st.booleans()):
        kw["buffer"] = _buffer(ctx, draw, wild)
    for k in ("loop_start", "loop_end"):
        if draw(st.booleans()):
            kw[k] = _num(draw, wild, -0.05, 0.1)
    return ctx.create_buffer_source(**kw)


def make_analyser(ctx, draw, wild):
    kw = {}
    if draw(st.booleans()):
        kw["fft_size"] = draw(st.sampled_from([32, 64, 2048, 32768]) if not wild else
                              st.one_of(st.sampled_from([0, 31, 33, 65536, -32]), any_value()))
    if draw(st.booleans()):
        kw["smoothing_time_constant"] = _num(draw, wild, 0, 1)
    return ctx.create_analyser(**kw)


MAKERS = {
    "oscillator": make_oscillator, "gain": make_gain, "constant": make_constant,
    "biquad": make_biquad, "iir": make_iir, "delay": make_delay, "splitter": make_splitter,
    "merger": make_merger, "stereo_panner": make_stereo_panner, "wave_shaper": make_wave_shaper,
    "panner": make_panner, "compressor": make_compressor, "convolver": make_convolver,
    "buffer_source": make_buffer_source, "analyser": make_analyser,
}
SOURCES = ("oscillator", "constant", "buffer_source")


def audio_params(node):
    """The AudioParams of a node, found through the public attributes."""
    out = []
    for name in dir(type(node)):
        if name.startswith("_") or name == "q":
            continue
        try:
            v = getattr(node, name)
        except Exception:
            continue
        if isinstance(v, ls.AudioParam):
            out.append(v)
    return out


def attempt(fn, *args, **kwargs):
    """Call fn; a refusal must be one of the documented exceptions."""
    try:
        return fn(*args, **kwargs)
    except DOCUMENTED:
        return None


# --------------------------------------------------------------------------
# A random program against one context
# --------------------------------------------------------------------------

AUTOMATION = ("set_value_at_time", "linear_ramp_to_value_at_time",
              "exponential_ramp_to_value_at_time", "set_target_at_time",
              "set_value_curve_at_time", "cancel_scheduled_values", "cancel_and_hold_at_time")


def automation_step(draw, param, wild):
    method = draw(st.sampled_from(AUTOMATION))
    dur = QUANTA * 128 / SR
    t = draw(any_value() if wild else st.floats(0, dur))
    v = draw(any_value() if wild else bounded_number(-2, 2))
    fn = getattr(param, method)
    if method in ("cancel_scheduled_values", "cancel_and_hold_at_time"):
        attempt(fn, t)
    elif method == "set_target_at_time":
        attempt(fn, v, t, draw(any_value() if wild else st.floats(1e-4, 1)))
    elif method == "set_value_curve_at_time":
        vals = draw(st.lists(any_value() if wild else bounded_number(-2, 2), max_size=6))
        attempt(fn, vals, t, draw(any_value() if wild else st.floats(1e-4, dur)))
    elif method == "exponential_ramp_to_value_at_time" and not wild and v == 0:
        attempt(fn, 0.5, t)
    else:
        attempt(fn, v, t)


def program_step(draw, ctx, nodes, wild, feedback_ok):
    """One random call: a new connection, a channel setting, automation, a
    param value, start/stop, or a disconnection."""
    kind = draw(st.sampled_from(["connect", "connect", "connect", "param_in", "channels",
                                 "automation", "value", "startstop", "disconnect", "attr"]))
    all_nodes = nodes + [ctx.destination]
    src = draw(st.sampled_from(nodes))
    if kind == "connect":
        dst = draw(st.sampled_from(all_nodes))
        if not feedback_ok and not _forward(nodes, src, dst):
            return
        out = draw(st.integers(-1, 6) if wild else st.integers(0, 5))
        inp = draw(st.integers(-1, 6) if wild else st.integers(0, 5))
        attempt(src.connect, dst, out, inp)
    elif kind == "param_in":
        dst = draw(st.sampled_from(nodes))
        params = audio_params(dst)
        if params and (feedback_ok or _forward(nodes, src, dst)):
            attempt(src.connect, draw(st.sampled_from(params)),
                    draw(st.integers(-1, 3) if wild else st.integers(0, 2)))
    elif kind == "channels":
        node = draw(st.sampled_from(all_nodes))
        which = draw(st.sampled_from(["channel_count", "channel_count_mode",
                                      "channel_interpretation"]))
        if which == "channel_count":
            v = draw(st.one_of(st.integers(-1, 40), any_value()) if wild else st.integers(1, 6))
        elif which == "channel_count_mode":
            v = draw(st.sampled_from(CHANNEL_MODES + (["", "MAX", None, 3] if wild else [])))
        else:
            v = draw(st.sampled_from(INTERPRETATIONS + (["", None, 1] if wild else [])))
        attempt(setattr, node, which, v)
    elif kind in ("automation", "value"):
        node = draw(st.sampled_from(nodes + [ctx.listener]))
        params = audio_params(node)
        if not params:
            return
        param = draw(st.sampled_from(params))
        if kind == "automation":
            automation_step(draw, param, wild)
        else:
            attr = draw(st.sampled_from(["value", "automation_rate"]))
            if attr == "value":
                attempt(setattr, param, "value", draw(any_value() if wild else bounded_number(-2, 2)))
            else:
                attempt(setattr, param, "automation_rate",
                        draw(st.sampled_from(["a-rate", "k-rate"] + (["x", None] if wild else []))))
    elif kind == "startstop":
        if isinstance(src, ls.AudioScheduledSourceNode):
            when = draw(any_value() if wild else st.floats(0, QUANTA * 128 / SR))
            attempt(src.start if draw(st.booleans()) else src.stop, when)
    elif kind == "disconnect":
        if draw(st.booleans()):
            attempt(src.disconnect)
        else:
            attempt(src.disconnect, draw(st.sampled_from(all_nodes)))
    elif kind == "attr":
        node = src
        if isinstance(node, ls.WaveShaperNode):
            curve = draw(st.one_of(st.none(), st.lists(any_number() if wild else st.floats(-2, 2),
                                                       max_size=8)))
            attempt(setattr, node, "curve", curve)
        elif isinstance(node, ls.AudioBufferSourceNode):
            attr = draw(st.sampled_from(["loop", "loop_start", "loop_end"]))
            v = draw(st.booleans()) if attr == "loop" else draw(
                any_value() if wild else st.floats(-0.05, 0.1))
            attempt(setattr, node, attr, v)
        elif isinstance(node, ls.BiquadFilterNode):
            attempt(setattr, node, "type", draw(st.sampled_from(
                ["lowpass", "notch", "allpass"] + (["nope", None] if wild else []))))
        elif isinstance(node, ls.PannerNode):
            attr = draw(st.sampled_from(["ref_distance", "max_distance", "rolloff_factor",
                                         "cone_inner_angle", "cone_outer_angle", "cone_outer_gain"]))
            attempt(setattr, node, attr, draw(any_value() if wild else st.floats(0.01, 10)))
        elif isinstance(node, ls.OscillatorNode):
            attempt(setattr, node, "type", draw(st.sampled_from(
                ["sine", "square"] + (["custom", "x", None] if wild else []))))


def _forward(nodes, src, dst):
    """Without feedback, edges only go from earlier nodes to later ones."""
    try:
        i = nodes.index(src)
    except ValueError:
        return False
    if dst not in nodes:
        return True
    return nodes.index(dst) > i


def build_and_render(draw, wild, feedback_ok):
    channels = draw(st.integers(1, 6) if not wild else st.sampled_from([1, 2, 3, 4, 5, 6, 8, 32]))
    ctx = ls.OfflineAudioContext(channels, QUANTA * 128 - draw(st.sampled_from([0, 0, 1, 77])), SR)
    kinds = draw(st.lists(st.sampled_from(sorted(MAKERS)), min_size=1, max_size=7))
    if not any(k in SOURCES for k in kinds):
        kinds.insert(0, draw(st.sampled_from(SOURCES)))
    nodes = []
    for k in kinds:
        node = attempt(MAKERS[k], ctx, draw, wild)
        if node is not None:
            nodes.append(node)
    if not nodes:
        nodes.append(ctx.create_constant_source())
    for node in nodes:
        if isinstance(node, ls.AudioScheduledSourceNode) and draw(st.booleans()):
            attempt(node.start)
    # at least one path to the destination
    attempt(nodes[-1].connect, ctx.destination)
    for _ in range(draw(st.integers(0, 12))):
        program_step(draw, ctx, nodes, wild, feedback_ok)

    # more calls from a suspension in the middle of the render
    late = draw(st.integers(0, 6))

    def mid_render():
        for _ in range(late):
            program_step(draw, ctx, nodes, wild, feedback_ok)

    suspend_at = draw(st.integers(1, QUANTA - 1)) * 128 / SR
    ctx.suspend(suspend_at, mid_render)
    buf = ctx.start_rendering()
    assert buf is not None
    out = np.asarray(buf)
    assert out.shape == (channels, ctx.length)
    assert ctx.state == "closed"
    return ctx, nodes, out


class _Watchdog:
    """Dump every thread's stack and exit if one example hangs."""

    def __enter__(self):
        faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)

    def __exit__(self, *exc):
        faulthandler.cancel_dump_traceback_later()
        return False


@PROFILE
@given(st.data())
def test_wild_programs_raise_only_documented_errors_and_render(data):
    # NaN, infinities, denormals, huge and negative numbers and wrong types
    # everywhere; cycles with and without delays
    with _Watchdog():
        build_and_render(data.draw, wild=True, feedback_ok=True)


@PROFILE
@given(st.data())
def test_bounded_feedforward_programs_render_finite_output(data):
    with _Watchdog():
        ctx, nodes, out = build_and_render(data.draw, wild=False, feedback_ok=False)
    assert np.isfinite(out).all(), "non-finite output"


@PROFILE
@given(st.data())
def test_bounded_programs_with_cycles_render_finite_output(data):
    # cycles (through a delay or not) with gains of at most 2 and bounded
    # sources: over a few quanta nothing can grow past float range
    with _Watchdog():
        ctx, nodes, out = build_and_render(data.draw, wild=False, feedback_ok=True)
    assert np.isfinite(out).all(), "non-finite output"


def test_a_fresh_context_renders_after_the_programs():
    # nothing the programs did leaves state behind in the engine
    ctx = ls.OfflineAudioContext(2, 256, SR)
    osc = ctx.create_oscillator(frequency=1000)
    osc >> ctx.destination
    osc.start()
    out = np.asarray(ctx.start_rendering())
    n = np.arange(256)
    want = np.sin(2 * np.pi * 1000 * n / SR)
    np.testing.assert_allclose(out[0], want, atol=1e-4)
    np.testing.assert_allclose(out[1], want, atol=1e-4)


# --------------------------------------------------------------------------
# Regressions: what the properties found, one test each
# --------------------------------------------------------------------------

def test_offline_render_leaves_the_callers_subnormals_alone():
    # The render loop flushes denormals (FTZ | DAZ) on the thread it runs on;
    # an offline render runs on the caller's thread, which kept that mode
    # afterwards: every subnormal float in NumPy and Python became 0 (found
    # because hypothesis could no longer draw subnormal floats).
    tiny = np.float64(5e-324)
    tiny32 = np.float32(1e-40)
    assert tiny * 1.0 > 0 and tiny32 * np.float32(1) > 0   # before: IEEE gradual underflow
    ctx = ls.OfflineAudioContext(1, 256, SR)
    ctx.suspend(128 / SR)
    ctx.start_rendering()            # stops at the suspension
    assert tiny * 1.0 == 5e-324
    assert float(tiny32 * np.float32(1)) == float(np.float32(1e-40))
    ctx.resume()
    assert tiny * 1.0 == 5e-324
    assert math.ldexp(1.0, -1074) / 1.0 > 0
    assert np.nextafter(0.0, 1.0) * 1.0 > 0


def test_listener_params_in_garbage_cycles_outlive_nothing():
    # A param of the listener caught in a reference cycle with its context:
    # the collector cleared the param (dropping its context, which freed the
    # engine's context and the listener with it) and the param's dealloc then
    # read the freed listener node (heap-use-after-free under ASan, a hang on
    # a garbage mutex or an abort in glibc otherwise). Several shapes of
    # cycle, so that whatever order the collector clears them in, one has the
    # param cleared before the object that holds it.
    import gc

    class Holder:
        pass

    for shape in range(6):
        gc.collect()
        ctx = ls.OfflineAudioContext(1, 256, SR)
        params = (ctx.listener.position_x, ctx.listener.forward_z)
        h = Holder()
        if shape % 3 == 0:
            h.ctx, h.params = ctx, params
        elif shape % 3 == 1:
            h.params, h.ctx = [params[0], ctx, params[1]], ctx
        else:
            h.ctx = ctx
            h.pan = ctx.create_panner()
            h.params = {"p": params, "l": ctx.listener}
        h.me = h
        if shape >= 3:
            ctx.start_rendering()
        del ctx, params, h
        gc.collect()
    # the engine is still sound
    ctx = ls.OfflineAudioContext(1, 128, SR)
    c = ctx.create_constant_source(offset=0.25)
    c >> ctx.destination
    c.start()
    np.testing.assert_array_equal(np.asarray(ctx.start_rendering())[0], np.float32(0.25))


@pytest.mark.parametrize("frames", [128 * 3, 128 * 3 + 45])
def test_source_straight_into_destination_up_and_down_mix(frames):
    # the destination mixes its input straight into the rendered buffer (no
    # block copied afterwards): the speakers rules still hold, on whole quanta
    # and on the last partial one. Expected values: the spec's equations.
    rng = np.random.default_rng(5)
    stereo = rng.uniform(-1, 1, (2, 200)).astype(np.float32)
    mono = stereo[:1].copy()
    for data, out_ch in ((stereo, 1), (mono, 2), (stereo, 2), (stereo, 4)):
        ctx = ls.OfflineAudioContext(out_ch, frames, SR)
        src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(data, SR), loop=True)
        src >> ctx.destination
        src.start()
        got = np.asarray(ctx.start_rendering())
        x = np.tile(data, (1, frames // 200 + 1))[:, :frames]
        if data.shape[0] == 2 and out_ch == 1:
            want = (np.float32(0.5) * (x[0] + x[1]))[None]
        elif data.shape[0] == 1:
            want = np.repeat(x, out_ch, axis=0)
        else:
            want = np.vstack([x, np.zeros((out_ch - 2, frames), np.float32)])
        np.testing.assert_array_equal(got, want)
