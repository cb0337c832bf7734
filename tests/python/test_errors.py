"""Bad input raises the exact exception class, names the argument, echoes the
value, and leaves the context able to render correctly."""

import math

import numpy as np
import pytest

import labsound as ls
from conftest import SR, render

NAN = float("nan")
INF = float("inf")


@pytest.fixture
def graph():
    ctx = ls.OfflineAudioContext(1, 2048, SR)
    const = ctx.create_constant_source(offset=0.5)
    gain = ctx.create_gain(gain=0.5)
    osc = ctx.create_oscillator()
    const >> gain >> ctx.destination
    return ctx, const, gain, osc


def check_still_renders(ctx, const, expected=0.25):
    const.start()
    np.testing.assert_allclose(render(ctx)[0], expected, atol=1e-6)


CASES = [
    # (id, call, exception, words the message must contain)
    ("start-negative", lambda c, k, g, o: o.start(-1.0), ValueError,
     ["start(when)", "when must be a finite non-negative number, got -1.0"]),
    ("start-nan", lambda c, k, g, o: o.start(NAN), ValueError, ["when", "nan"]),
    ("start-inf", lambda c, k, g, o: o.start(INF), ValueError, ["when", "inf"]),
    ("start-type", lambda c, k, g, o: o.start("now"), TypeError, ["when", "str"]),
    ("stop-negative", lambda c, k, g, o: o.stop(-0.5), ValueError, ["stop(when)", "-0.5"]),
    ("stop-before-start", lambda c, k, g, o: o.stop(1), ls.InvalidStateError, ["stop"]),
    ("type-typo", lambda c, k, g, o: setattr(o, "type", "sqare"), ValueError,
     ["type: 'sqare' is not one of 'sine', 'square', 'sawtooth', 'triangle', 'custom'"]),
    ("type-wrong-type", lambda c, k, g, o: setattr(o, "type", 3), TypeError, ["type"]),
    ("type-custom", lambda c, k, g, o: setattr(o, "type", "custom"), ls.InvalidStateError, ["type"]),
    ("factory-enum", lambda c, k, g, o: c.create_oscillator(type="noise"), ValueError,
     ["create_oscillator(type)", "'noise'"]),
    ("ctor-enum", lambda c, k, g, o: ls.OscillatorNode(c, type="noise"), ValueError,
     ["OscillatorNode(type)", "'noise'"]),
    ("factory-unknown-kw", lambda c, k, g, o: c.create_gain(gian=1), TypeError, ["gian"]),
    ("factory-nan", lambda c, k, g, o: c.create_oscillator(frequency=NAN), ValueError,
     ["frequency", "nan"]),
    ("factory-type", lambda c, k, g, o: c.create_gain(gain="loud"), TypeError, ["gain", "str"]),
    ("ctor-context", lambda c, k, g, o: ls.GainNode(None), TypeError, ["context", "NoneType"]),
    ("ctor-periodic-wave", lambda c, k, g, o: ls.OscillatorNode(c, periodic_wave=[1, 2]), TypeError,
     ["periodic_wave"]),
    ("value-nan", lambda c, k, g, o: setattr(g.gain, "value", NAN), ValueError, ["value", "nan"]),
    ("value-inf", lambda c, k, g, o: setattr(g.gain, "value", -INF), ValueError, ["value", "-inf"]),
    ("value-type", lambda c, k, g, o: setattr(g.gain, "value", "1"), TypeError, ["value", "str"]),
    ("value-overflow", lambda c, k, g, o: setattr(g.gain, "value", 1e300), ValueError, ["value"]),
    ("svat-negative", lambda c, k, g, o: g.gain.set_value_at_time(1, -1), ValueError,
     ["set_value_at_time(start_time)", "-1"]),
    ("svat-nan-value", lambda c, k, g, o: g.gain.set_value_at_time(NAN, 0), ValueError,
     ["set_value_at_time(value)", "nan"]),
    ("linear-inf", lambda c, k, g, o: g.gain.linear_ramp_to_value_at_time(1, INF), ValueError,
     ["linear_ramp_to_value_at_time(end_time)", "inf"]),
    ("exp-zero", lambda c, k, g, o: g.gain.exponential_ramp_to_value_at_time(0, 1), ValueError,
     ["exponential_ramp_to_value_at_time(value)", "non-zero"]),
    ("target-negative-tc", lambda c, k, g, o: g.gain.set_target_at_time(1, 0, -1), ValueError,
     ["time_constant", "-1"]),
    ("curve-short", lambda c, k, g, o: g.gain.set_value_curve_at_time([1.0], 0, 1), ls.InvalidStateError,
     ["values", "2"]),
    ("curve-nan", lambda c, k, g, o: g.gain.set_value_curve_at_time([1.0, NAN], 0, 1), ValueError,
     ["values[1]", "nan"]),
    ("curve-duration", lambda c, k, g, o: g.gain.set_value_curve_at_time([1.0, 2.0], 0, 0), ValueError,
     ["duration", "0"]),
    ("curve-type", lambda c, k, g, o: g.gain.set_value_curve_at_time("ab", 0, 1), TypeError, ["values"]),
    ("curve-element-type", lambda c, k, g, o: g.gain.set_value_curve_at_time([1, "x"], 0, 1), TypeError,
     ["values[1]"]),
    ("cancel-negative", lambda c, k, g, o: g.gain.cancel_scheduled_values(-2), ValueError,
     ["cancel_time", "-2"]),
    ("hold-nan", lambda c, k, g, o: g.gain.cancel_and_hold_at_time(NAN), ValueError, ["cancel_time"]),
    ("automation-rate", lambda c, k, g, o: setattr(g.gain, "automation_rate", "b-rate"), ValueError,
     ["automation_rate", "'b-rate'", "'a-rate', 'k-rate'"]),
    ("missing-arg", lambda c, k, g, o: g.gain.set_value_at_time(1), TypeError, ["start_time"]),
    ("connect-output", lambda c, k, g, o: o.connect(g, 1), IndexError, ["connect(output)", "1"]),
    ("connect-input", lambda c, k, g, o: o.connect(g, 0, 3), IndexError, ["connect(input)", "3"]),
    ("connect-negative", lambda c, k, g, o: o.connect(g, -1), IndexError, ["output", "-1"]),
    ("connect-type", lambda c, k, g, o: o.connect("gain"), TypeError, ["destination", "str"]),
    ("connect-param-input", lambda c, k, g, o: o.connect(g.gain, 0, 0), TypeError, ["input"]),
    ("disconnect-type", lambda c, k, g, o: o.disconnect("gain"), TypeError, ["destination"]),
    ("disconnect-output", lambda c, k, g, o: o.disconnect(5), IndexError, ["output", "5"]),
    ("disconnect-not-connected", lambda c, k, g, o: o.disconnect(g), ls.InvalidAccessError,
     ["not connected"]),
    ("channel-count-zero", lambda c, k, g, o: setattr(g, "channel_count", 0), ls.NotSupportedError,
     ["channel_count", "0"]),
    ("channel-count-big", lambda c, k, g, o: setattr(g, "channel_count", 33), ls.NotSupportedError,
     ["channel_count", "33"]),
    ("channel-count-type", lambda c, k, g, o: setattr(g, "channel_count", 1.5), TypeError,
     ["channel_count", "float"]),
    ("channel-count-mode", lambda c, k, g, o: setattr(g, "channel_count_mode", "min"), ValueError,
     ["channel_count_mode", "'min'"]),
    ("channel-interp", lambda c, k, g, o: setattr(g, "channel_interpretation", None), TypeError,
     ["channel_interpretation"]),
    ("ctor-channel-count", lambda c, k, g, o: c.create_gain(channel_count=0), ls.NotSupportedError,
     ["create_gain(channel_count)"]),
    ("onended-type", lambda c, k, g, o: setattr(o, "onended", "f"), TypeError, ["onended"]),
    ("set-periodic-wave-type", lambda c, k, g, o: o.set_periodic_wave(None), TypeError, ["wave"]),
    ("wave-length-mismatch", lambda c, k, g, o: c.create_periodic_wave([0, 1], [0, 1, 2]), IndexError,
     ["real and imag", "2", "3"]),
    ("wave-too-short", lambda c, k, g, o: c.create_periodic_wave([0], [0]), IndexError, ["2"]),
    ("wave-nan", lambda c, k, g, o: c.create_periodic_wave([0, NAN], [0, 1]), ValueError, ["real[1]"]),
    ("buffer-channels", lambda c, k, g, o: c.create_buffer(0, 10, SR), ls.NotSupportedError,
     ["number_of_channels", "0"]),
    ("buffer-length", lambda c, k, g, o: c.create_buffer(1, 0, SR), ls.NotSupportedError, ["length", "0"]),
    ("buffer-rate", lambda c, k, g, o: c.create_buffer(1, 10, 100), ls.NotSupportedError,
     ["sample_rate", "100"]),
    ("buffer-length-type", lambda c, k, g, o: c.create_buffer(1, 2.5, SR), TypeError, ["length"]),
    ("offline-ctor-rate", lambda c, k, g, o: ls.OfflineAudioContext(1, 10, 1.0), ls.NotSupportedError,
     ["sample_rate"]),
    ("offline-ctor-channels", lambda c, k, g, o: ls.OfflineAudioContext(0, 10, SR), ls.NotSupportedError,
     ["number_of_channels"]),
    ("offline-ctor-length", lambda c, k, g, o: ls.OfflineAudioContext(1, 0, SR), ls.NotSupportedError,
     ["length"]),
    ("realtime-ctor-rate", lambda c, k, g, o: ls.AudioContext(sample_rate=10), ls.NotSupportedError,
     ["sample_rate", "10"]),
    ("realtime-ctor-buffer-size", lambda c, k, g, o: ls.AudioContext(buffer_size=100), ValueError,
     ["buffer_size", "100"]),
    ("realtime-ctor-hint", lambda c, k, g, o: ls.AudioContext(latency_hint="fast"), ValueError,
     ["latency_hint", "'fast'"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input(graph, case):
    _, call, exc, words = case
    ctx, const, gain, osc = graph
    with pytest.raises(exc) as info:
        call(ctx, const, gain, osc)
    assert type(info.value) is exc
    msg = str(info.value)
    for w in words:
        assert w in msg, f"{w!r} not in {msg!r}"
    check_still_renders(ctx, const)


def test_start_twice_is_invalid_state(graph):
    ctx, const, gain, osc = graph
    osc.start()
    with pytest.raises(ls.InvalidStateError, match="start"):
        osc.start()
    const.start()
    with pytest.raises(ls.InvalidStateError):
        const.start(1)
    np.testing.assert_allclose(render(ctx)[0], 0.25, atol=1e-6)


def test_no_message_mentions_internal_names(graph):
    ctx, const, gain, osc = graph
    for call, exc in [
        (lambda: osc.start(-1), ValueError),
        (lambda: osc.connect(gain, 7), IndexError),
        (lambda: gain.gain.set_value_at_time(1, -1), ValueError),
    ]:
        with pytest.raises(exc) as info:
            call()
        assert "ls_" not in str(info.value)


def test_errors_are_catchable_as_labsound_error(graph):
    ctx, const, gain, osc = graph
    with pytest.raises(ls.LabSoundError):
        osc.type = "custom"
    with pytest.raises(ls.LabSoundError):
        gain.channel_count = 0
    with pytest.raises(ls.LabSoundError):
        osc.disconnect(gain)


def test_wrong_context_in_constructor(graph):
    ctx, const, gain, osc = graph
    with pytest.raises(TypeError, match="context"):
        ls.OscillatorNode(gain)
    with pytest.raises(TypeError, match="context"):
        ls.PeriodicWave("ctx")
    with pytest.raises(TypeError):
        ls.GainNode()


def test_large_and_odd_numbers_do_not_crash(graph):
    ctx, const, gain, osc = graph
    for v in [10**400, -(10**400)]:
        with pytest.raises((ValueError, OverflowError)):
            gain.gain.value = v
    with pytest.raises((ValueError, OverflowError, IndexError)):
        osc.connect(gain, 10**30)
    with pytest.raises((ls.NotSupportedError, MemoryError)):
        ctx.create_buffer(1, 10**30, SR)
    with pytest.raises((ls.NotSupportedError, MemoryError)):
        ls.OfflineAudioContext(2, 2**62, SR)
    # numpy scalars are numbers
    gain.gain.value = np.float32(0.5)
    gain.gain.set_value_at_time(np.float64(0.5), np.int64(0))
    osc.connect(gain, np.int64(0), np.uint8(0))
    assert math.isclose(gain.gain.value, 0.5)
    check_still_renders(ctx, const, expected=0.25)
