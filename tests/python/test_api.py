"""The Python API: names, constructors, factories, connections, enums, params.

Expected signal values come from the Web Audio spec's formulas evaluated in
NumPy. Float32 rendering bounds the agreement: 1e-6 for exact constants,
1e-4 for automation curves (float32 time and value arithmetic over < 1 s).
"""

import math

import numpy as np
import pytest

import labsound as ls
from conftest import SR, render

NODE_CLASSES = [
    "AudioNode",
    "AudioScheduledSourceNode",
    "OscillatorNode",
    "GainNode",
    "ConstantSourceNode",
    "AudioDestinationNode",
]


def test_module_names():
    for name in [
        "BaseAudioContext",
        "AudioContext",
        "OfflineAudioContext",
        "AudioParam",
        "AudioBuffer",
        "PeriodicWave",
        "LabSoundError",
        "InvalidStateError",
        "InvalidAccessError",
        "NotSupportedError",
        *NODE_CLASSES,
    ]:
        assert hasattr(ls, name), name
        assert getattr(ls, name).__module__ == "labsound"
    assert ls.__version__ == "0.1.0"


def test_class_hierarchy():
    assert issubclass(ls.AudioContext, ls.BaseAudioContext)
    assert issubclass(ls.OfflineAudioContext, ls.BaseAudioContext)
    assert issubclass(ls.OscillatorNode, ls.AudioScheduledSourceNode)
    assert issubclass(ls.ConstantSourceNode, ls.AudioScheduledSourceNode)
    assert issubclass(ls.AudioScheduledSourceNode, ls.AudioNode)
    assert issubclass(ls.GainNode, ls.AudioNode)
    assert issubclass(ls.AudioDestinationNode, ls.AudioNode)
    for exc in (ls.InvalidStateError, ls.InvalidAccessError, ls.NotSupportedError):
        assert issubclass(exc, ls.LabSoundError)
    assert issubclass(ls.LabSoundError, Exception)


def test_abstract_classes_cannot_be_instantiated(offline):
    for cls in (ls.AudioNode, ls.AudioScheduledSourceNode, ls.AudioDestinationNode, ls.BaseAudioContext,
                ls.AudioParam):
        with pytest.raises(TypeError):
            cls(offline)


def test_factories_and_constructors(offline):
    assert isinstance(offline.create_oscillator(), ls.OscillatorNode)
    assert isinstance(offline.create_gain(), ls.GainNode)
    assert isinstance(offline.create_constant_source(), ls.ConstantSourceNode)
    assert isinstance(offline.destination, ls.AudioDestinationNode)

    osc = ls.OscillatorNode(offline, type="square", frequency=220, detune=5)
    assert osc.type == "square"
    assert osc.frequency.value == 220
    assert osc.detune.value == 5
    osc = offline.create_oscillator(type="triangle", frequency=330)
    assert (osc.type, osc.frequency.value) == ("triangle", 330)

    gain = ls.GainNode(offline, gain=0.25, channel_count=1, channel_count_mode="explicit",
                       channel_interpretation="discrete")
    assert gain.gain.value == 0.25
    assert gain.channel_count == 1
    assert gain.channel_count_mode == "explicit"
    assert gain.channel_interpretation == "discrete"
    assert offline.create_gain(gain=3).gain.value == 3

    const = ls.ConstantSourceNode(offline, offset=0.5)
    assert const.offset.value == 0.5
    assert offline.create_constant_source(offset=-2).offset.value == -2


def test_spec_options_dict(offline):
    osc = ls.OscillatorNode(offline, {"type": "sawtooth", "frequency": 100})
    assert osc.type == "sawtooth" and osc.frequency.value == 100
    # keywords win over the dictionary
    gain = ls.GainNode(offline, {"gain": 2}, gain=4)
    assert gain.gain.value == 4
    with pytest.raises(TypeError, match="gian"):
        ls.GainNode(offline, {"gian": 2})


def test_node_attributes(offline):
    osc = offline.create_oscillator()
    gain = offline.create_gain()
    dest = offline.destination
    assert osc.context is offline and gain.context is offline and dest.context is offline
    assert (osc.number_of_inputs, osc.number_of_outputs) == (0, 1)
    assert (gain.number_of_inputs, gain.number_of_outputs) == (1, 1)
    assert dest.number_of_inputs == 1
    assert gain.channel_count == 2
    assert gain.channel_count_mode == "max"
    assert gain.channel_interpretation == "speakers"
    assert dest.max_channel_count == 1
    assert dest.channel_count == 1
    assert offline.destination is dest


def test_param_identity(offline):
    osc = offline.create_oscillator()
    assert osc.frequency is osc.frequency
    assert osc.detune is osc.detune
    gain = offline.create_gain()
    assert gain.gain is gain.gain
    const = offline.create_constant_source()
    assert const.offset is const.offset


def test_param_attributes(offline):
    osc = offline.create_oscillator()
    f = osc.frequency
    assert isinstance(f, ls.AudioParam)
    assert f.default_value == 440
    assert f.min_value == pytest.approx(-SR / 2)
    assert f.max_value == pytest.approx(SR / 2)
    assert osc.detune.default_value == 0
    g = offline.create_gain().gain
    assert g.default_value == 1
    assert g.automation_rate == "a-rate"
    g.automation_rate = "k-rate"
    assert g.automation_rate == "k-rate"
    g.automation_rate = "a-rate"
    assert g.automation_rate == "a-rate"
    g.value = 0.75
    assert g.value == 0.75


def test_automation_methods_return_param(offline):
    p = offline.create_gain().gain
    assert p.set_value_at_time(0.5, 0) is p
    assert p.linear_ramp_to_value_at_time(1.0, 0.01) is p
    assert p.exponential_ramp_to_value_at_time(0.5, 0.02) is p
    assert p.set_target_at_time(0.2, 0.03, 0.01) is p
    assert p.set_value_curve_at_time([0.0, 1.0, 0.5], 0.05, 0.01) is p
    assert p.cancel_scheduled_values(0.08) is p
    assert p.cancel_and_hold_at_time(0.07) is p
    # and chaining
    p.set_value_at_time(0, 0.09).linear_ramp_to_value_at_time(1, 0.095)


@pytest.mark.parametrize("t", ["sine", "square", "sawtooth", "triangle"])
def test_oscillator_type_round_trip(offline, t):
    osc = offline.create_oscillator()
    osc.type = t
    assert osc.type == t


def test_oscillator_custom_type_is_invalid_state(offline):
    osc = offline.create_oscillator()
    with pytest.raises(ls.InvalidStateError, match="type"):
        osc.type = "custom"
    assert osc.type == "sine"
    with pytest.raises(ls.InvalidStateError):
        offline.create_oscillator(type="custom")


@pytest.mark.parametrize("mode", ["max", "clamped-max", "explicit"])
def test_channel_count_mode_round_trip(offline, mode):
    g = offline.create_gain()
    g.channel_count_mode = mode
    assert g.channel_count_mode == mode


@pytest.mark.parametrize("interp", ["speakers", "discrete"])
def test_channel_interpretation_round_trip(offline, interp):
    g = offline.create_gain()
    g.channel_interpretation = interp
    assert g.channel_interpretation == interp


def test_channel_count_set(offline):
    g = offline.create_gain()
    g.channel_count = 1
    assert g.channel_count == 1
    g.channel_count = 6
    assert g.channel_count == 6


# --------------------------------------------------------------------------
# Connections, verified by rendering
# --------------------------------------------------------------------------


def test_rshift_chains_and_returns_right_operand(make_offline):
    ctx = make_offline(0.01)
    const = ctx.create_constant_source(offset=0.5)
    gain = ctx.create_gain(gain=0.5)
    result = const >> gain >> ctx.destination
    assert result is ctx.destination
    const.start()
    out = render(ctx)
    np.testing.assert_allclose(out[0], 0.25, atol=1e-6)


def test_lshift_connects_right_to_left_and_returns_right(make_offline):
    ctx = make_offline(0.01)
    const = ctx.create_constant_source(offset=0.5)
    gain = ctx.create_gain(gain=4)
    result = ctx.destination << gain << const
    assert result is const
    const.start()
    np.testing.assert_allclose(render(ctx)[0], 2.0, atol=1e-6)


def test_connect_returns_destination(make_offline):
    ctx = make_offline(0.01)
    const = ctx.create_constant_source(offset=0.125)
    gain = ctx.create_gain()
    assert const.connect(gain) is gain
    assert gain.connect(ctx.destination, 0, 0) is ctx.destination
    const.start()
    np.testing.assert_allclose(render(ctx)[0], 0.125, atol=1e-6)


def test_context_connect_and_disconnect(make_offline):
    ctx = make_offline(0.01)
    const = ctx.create_constant_source(offset=0.5)
    other = ctx.create_constant_source(offset=0.25)
    assert ctx.connect(const, ctx.destination) is ctx.destination
    ctx.connect(other, ctx.destination, output=0, input=0)
    ctx.disconnect(other)
    const.start()
    other.start()
    np.testing.assert_allclose(render(ctx)[0], 0.5, atol=1e-6)


def test_connect_to_param(make_offline):
    # gain.gain = 0 intrinsic + 0.25 from a modulating source
    ctx = make_offline(0.01)
    carrier = ctx.create_constant_source(offset=1.0)
    mod = ctx.create_constant_source(offset=0.25)
    gain = ctx.create_gain(gain=0)
    carrier >> gain >> ctx.destination
    assert (mod >> gain.gain) is gain.gain
    carrier.start()
    mod.start()
    np.testing.assert_allclose(render(ctx)[0], 0.25, atol=1e-6)


def test_param_lshift(make_offline):
    ctx = make_offline(0.01)
    carrier = ctx.create_constant_source(offset=1.0)
    mod = ctx.create_constant_source(offset=0.5)
    gain = ctx.create_gain(gain=0)
    carrier >> gain >> ctx.destination
    assert (gain.gain << mod) is mod
    carrier.start()
    mod.start()
    np.testing.assert_allclose(render(ctx)[0], 0.5, atol=1e-6)


def test_rshift_with_non_node_is_type_error(offline):
    g = offline.create_gain()
    with pytest.raises(TypeError):
        g >> 3
    with pytest.raises(TypeError):
        3 >> g
    with pytest.raises(TypeError):
        g.gain >> g


def _graph(ctx):
    """const(1) -> gain(1) -> destination, plus mod(0.5) -> gain.gain."""
    const = ctx.create_constant_source(offset=1.0)
    mod = ctx.create_constant_source(offset=0.5)
    gain = ctx.create_gain(gain=1.0)
    const >> gain >> ctx.destination
    mod >> gain.gain
    const.start()
    mod.start()
    return const, mod, gain


DISCONNECT_FORMS = {
    # name: (what to call, expected output level)
    "none": (lambda const, mod, gain: None, 1.5),
    "all": (lambda const, mod, gain: const.disconnect(), 0.0),
    "output": (lambda const, mod, gain: const.disconnect(0), 0.0),
    "output-keyword": (lambda const, mod, gain: const.disconnect(output=0), 0.0),
    "all-none": (lambda const, mod, gain: const.disconnect(None), 0.0),
    "node": (lambda const, mod, gain: const.disconnect(gain), 0.0),
    "node-output": (lambda const, mod, gain: const.disconnect(gain, 0), 0.0),
    "node-output-input": (lambda const, mod, gain: const.disconnect(gain, 0, 0), 0.0),
    "gain-from-destination": (lambda const, mod, gain: gain.disconnect(gain.context.destination), 0.0),
    "param": (lambda const, mod, gain: mod.disconnect(gain.gain), 1.0),
    "param-output": (lambda const, mod, gain: mod.disconnect(gain.gain, 0), 1.0),
    "param-all": (lambda const, mod, gain: mod.disconnect(), 1.0),
}


@pytest.mark.parametrize("form", list(DISCONNECT_FORMS))
def test_disconnect_forms(make_offline, form):
    ctx = make_offline(0.01)
    const, mod, gain = _graph(ctx)
    action, expected = DISCONNECT_FORMS[form]
    action(const, mod, gain)
    np.testing.assert_allclose(render(ctx)[0], expected, atol=1e-6)


def test_disconnect_unconnected_is_invalid_access(offline):
    a = offline.create_gain()
    b = offline.create_gain()
    with pytest.raises(ls.InvalidAccessError):
        a.disconnect(b)
    with pytest.raises(ls.InvalidAccessError):
        a.disconnect(b.gain)
    with pytest.raises(IndexError, match="output"):
        a.disconnect(1)


def test_connect_across_contexts_is_invalid_access(make_offline):
    a = make_offline().create_gain()
    b = make_offline().create_gain()
    with pytest.raises(ls.InvalidAccessError):
        a.connect(b)
    with pytest.raises(ls.InvalidAccessError):
        a >> b.gain


def test_connect_same_pair_twice_is_harmless(make_offline):
    ctx = make_offline(0.01)
    const = ctx.create_constant_source(offset=0.5)
    const >> ctx.destination
    const >> ctx.destination
    const.start()
    np.testing.assert_allclose(render(ctx)[0], 0.5, atol=1e-6)


# --------------------------------------------------------------------------
# Sources and automation, verified by rendering
# --------------------------------------------------------------------------


def test_oscillator_sine_frequency_and_amplitude(make_offline):
    ctx = make_offline(1.0)
    osc = ctx.create_oscillator(frequency=441)
    osc >> ctx.destination
    osc.start()
    x = render(ctx)[0].astype(np.float64)
    spectrum = np.abs(np.fft.rfft(x))
    peak_hz = np.argmax(spectrum) * SR / len(x)
    assert peak_hz == pytest.approx(441, abs=1.5)
    assert np.max(np.abs(x)) == pytest.approx(1.0, abs=0.01)
    n = np.arange(len(x))
    ref = np.sin(2 * np.pi * 441 * n / SR)
    # a wavetable oscillator: the spec allows interpolation error; 1e-3 is loose enough
    np.testing.assert_allclose(x, ref, atol=1e-3)


def test_oscillator_start_stop_times(make_offline):
    ctx = make_offline(0.1)
    const = ctx.create_constant_source()
    const >> ctx.destination
    const.start(0.02)
    const.stop(0.05)
    x = render(ctx)[0]
    s0, s1 = int(math.ceil(0.02 * SR)), int(math.ceil(0.05 * SR))
    assert np.all(x[:s0] == 0)
    assert np.all(x[s0:s1] == 1)
    assert np.all(x[s1:] == 0)


def test_periodic_wave_sine(make_offline):
    ctx = make_offline(0.1)
    wave = ctx.create_periodic_wave([0, 0], [0, 1])
    assert isinstance(wave, ls.PeriodicWave)
    osc = ctx.create_oscillator(frequency=441, periodic_wave=wave)
    assert osc.type == "custom"
    osc >> ctx.destination
    osc.start()
    x = render(ctx)[0]
    n = np.arange(len(x))
    np.testing.assert_allclose(x, np.sin(2 * np.pi * 441 * n / SR), atol=1e-3)


def test_periodic_wave_forms(offline):
    assert isinstance(ls.PeriodicWave(offline), ls.PeriodicWave)
    assert isinstance(ls.PeriodicWave(offline, real=np.zeros(4), imag=np.array([0, 1, 0.5, 0.25])),
                      ls.PeriodicWave)
    assert isinstance(ls.PeriodicWave(offline, imag=[0, 1, 0.5]), ls.PeriodicWave)
    assert isinstance(ls.PeriodicWave(offline, {"imag": [0, 1], "disable_normalization": True}),
                      ls.PeriodicWave)
    w = offline.create_periodic_wave([0, 0, 0], [0, 1, 1], constraints={"disable_normalization": True})
    assert w.context is offline
    offline.create_periodic_wave([0, 0], [0, 1], True)
    offline.create_periodic_wave([0, 0], [0, 1], {"disableNormalization": False})
    osc = offline.create_oscillator()
    osc.set_periodic_wave(w)
    assert osc.type == "custom"
    osc.type = "sine"
    assert osc.type == "sine"


def test_periodic_wave_normalization(make_offline):
    def peak(disable):
        ctx = make_offline(0.05)
        wave = ctx.create_periodic_wave([0, 0], [0, 0.5], disable_normalization=disable)
        osc = ctx.create_oscillator(frequency=441, periodic_wave=wave)
        osc >> ctx.destination
        osc.start()
        return np.max(np.abs(render(ctx)[0]))

    assert peak(False) == pytest.approx(1.0, abs=0.01)
    assert peak(True) == pytest.approx(0.5, abs=0.01)


def _param_render(setup, seconds=0.1):
    ctx = ls.OfflineAudioContext(1, int(seconds * SR), SR)
    const = ctx.create_constant_source(offset=0)
    setup(const.offset)
    const >> ctx.destination
    const.start()
    return render(ctx)[0].astype(np.float64)


def test_linear_ramp_matches_spec():
    x = _param_render(lambda p: p.set_value_at_time(0.0, 0.0).linear_ramp_to_value_at_time(1.0, 0.05))
    t = np.arange(len(x)) / SR
    ref = np.where(t < 0.05, t / 0.05, 1.0)
    np.testing.assert_allclose(x, ref, atol=1e-4)


def test_exponential_ramp_matches_spec():
    x = _param_render(lambda p: p.set_value_at_time(0.1, 0.0).exponential_ramp_to_value_at_time(1.0, 0.05))
    t = np.arange(len(x)) / SR
    ref = np.where(t < 0.05, 0.1 * (1.0 / 0.1) ** (t / 0.05), 1.0)
    np.testing.assert_allclose(x, ref, atol=1e-4)


def test_set_target_matches_spec():
    x = _param_render(lambda p: p.set_value_at_time(1.0, 0.0).set_target_at_time(0.0, 0.01, 0.02))
    t = np.arange(len(x)) / SR
    ref = np.where(t < 0.01, 1.0, np.exp(-(t - 0.01) / 0.02))
    np.testing.assert_allclose(x, ref, atol=1e-4)


def test_value_curve_matches_spec():
    curve = np.array([0.0, 1.0, 0.25, 0.5], dtype=np.float32)
    t0, dur = 0.01, 0.06
    x = _param_render(lambda p: p.set_value_curve_at_time(curve, t0, dur))
    t = np.arange(len(x)) / SR
    n = len(curve)
    k = np.clip(np.floor((n - 1) / dur * (t - t0)).astype(int), 0, n - 1)
    k1 = np.minimum(k + 1, n - 1)
    frac = (n - 1) / dur * (t - t0) - k
    during = curve[k] + (curve[k1] - curve[k]) * frac
    ref = np.where(t < t0, 0.0, np.where(t < t0 + dur, during, curve[-1]))
    np.testing.assert_allclose(x, ref, atol=1e-4)


def test_value_curve_accepts_sequences():
    a = _param_render(lambda p: p.set_value_curve_at_time([0.0, 1.0], 0.0, 0.05))
    b = _param_render(lambda p: p.set_value_curve_at_time(np.array([0.0, 1.0]), 0.0, 0.05))
    c = _param_render(lambda p: p.set_value_curve_at_time((0, 1), 0.0, 0.05))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)


def test_cancel_scheduled_values():
    def setup(p):
        p.set_value_at_time(0.5, 0.0)
        p.set_value_at_time(1.0, 0.05)
        p.cancel_scheduled_values(0.04)

    x = _param_render(setup)
    np.testing.assert_allclose(x, 0.5, atol=1e-6)


def test_cancel_and_hold():
    def setup(p):
        p.set_value_at_time(0.0, 0.0)
        p.linear_ramp_to_value_at_time(1.0, 0.1)
        p.cancel_and_hold_at_time(0.05)

    x = _param_render(setup)
    t = np.arange(len(x)) / SR
    ref = np.where(t < 0.05, t / 0.1, 0.5)
    np.testing.assert_allclose(x, ref, atol=1e-4)


def test_value_setter_renders(make_offline):
    ctx = make_offline(0.01)
    const = ctx.create_constant_source()
    const.offset.value = 0.3
    assert const.offset.value == pytest.approx(0.3)
    const >> ctx.destination
    const.start()
    np.testing.assert_allclose(render(ctx)[0], 0.3, atol=1e-6)


def test_is_playing(make_offline):
    ctx = make_offline(0.05)
    const = ctx.create_constant_source()
    assert not const.is_playing
    const >> ctx.destination
    const.start(0)
    const.stop(0.01)
    assert const.is_playing
    ctx.start_rendering()
    assert not const.is_playing


def test_onended_attribute(offline):
    osc = offline.create_oscillator()
    assert osc.onended is None

    def handler(event):
        pass

    osc.onended = handler
    assert osc.onended is handler
    osc.onended = None
    assert osc.onended is None
    with pytest.raises(TypeError, match="onended"):
        osc.onended = 5


def test_subclassing_nodes(offline):
    class MyGain(ls.GainNode):
        pass

    g = MyGain(offline, gain=0.5)
    assert isinstance(g, ls.GainNode)
    assert g.gain.value == 0.5
    g.extra = 1  # a Python subclass has a __dict__
