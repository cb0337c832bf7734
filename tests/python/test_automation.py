"""AudioParam automation against a reference model of the Web Audio spec.

`SpecParam` below is written from the spec's AudioParam section (the
automation methods, cancelAndHoldAtTime's algorithm, "Computation of Value")
and knows nothing of the engine: it keeps every event, and evaluates the
timeline from the start for each sample time t = n / sample_rate, in double
precision. Each test applies the same calls to a real param (the offset of a
ConstantSourceNode rendered offline into a mono destination) and to the model,
and compares.

Tolerance: 1e-5 absolute. The engine outputs float32 (a value near 4 is
rounded by up to 2.4e-7) and keeps event values and held values in float32;
everything else is computed in double.
"""

import math

import numpy as np
import pytest

import labsound as ls

SR = 48000.0
FRAMES = 2048
QUANTUM = 128
ATOL = 1e-5
F32_MAX = float(np.finfo(np.float32).max)


def T(frames):
    """Time of a (possibly fractional) frame position."""
    return frames / SR


def f32(x):
    return float(np.float32(x))


# ----------------------------------------------------------------------------
# Reference model
# ----------------------------------------------------------------------------


class SpecParam:
    """The automation timeline of one AudioParam, as the spec describes it.

    Every call is made at currentTime 0 (the tests schedule before rendering).
    Methods return self so the same setup function drives the model and the
    real AudioParam.
    """

    def __init__(self, default=1.0, min_value=-F32_MAX, max_value=F32_MAX):
        self.default = f32(default)
        self.min_value = min_value
        self.max_value = max_value
        self.current = self.default      # [[current value]] / the value attribute
        self.events = []
        self.automation_rate = "a-rate"

    # -- the value attribute: [[current value]] = v, then setValueAtTime(v, currentTime)
    @property
    def value(self):
        return self.current

    @value.setter
    def value(self, v):
        self.current = f32(v)
        self.set_value_at_time(v, 0.0)

    # -- insertion: after events of the same time
    def _insert(self, ev):
        i = len(self.events)
        while i > 0 and self.events[i - 1]["time"] > ev["time"]:
            i -= 1
        self.events.insert(i, ev)
        return self

    def set_value_at_time(self, v, t):
        return self._insert({"kind": "set", "time": t, "value": f32(v)})

    def _ramp(self, kind, v, t):
        # no preceding event: as if setValueAtTime(value, currentTime) had been called
        if not any(e["time"] <= t for e in self.events):
            self.set_value_at_time(self.current, 0.0)
        return self._insert({"kind": kind, "time": t, "value": f32(v)})

    def linear_ramp_to_value_at_time(self, v, t):
        return self._ramp("linear", v, t)

    def exponential_ramp_to_value_at_time(self, v, t):
        return self._ramp("exponential", v, t)

    def set_target_at_time(self, target, t, tau):
        return self._insert({"kind": "target", "time": t, "value": f32(target), "tau": tau})

    def set_value_curve_at_time(self, values, t, duration):
        curve = np.asarray(values, dtype=np.float32).astype(np.float64)
        return self._insert({"kind": "curve", "time": t, "curve": curve, "duration": duration,
                             "end": t + duration})

    def cancel_scheduled_values(self, tc):
        def cancelled(e):
            if e["time"] >= tc:
                return True
            return e["kind"] == "curve" and e["time"] <= tc <= e["end"]
        self.events = [e for e in self.events if not cancelled(e)]
        return self

    def cancel_and_hold_at_time(self, tc):
        held = self.value_at(tc)
        e1 = [e for e in self.events if e["time"] <= tc]
        e2 = [e for e in self.events if e["time"] > tc]
        keep = list(e1)
        if e2 and e2[0]["kind"] in ("linear", "exponential"):
            ramp = dict(e2[0], time=tc, value=f32(held))
            keep.append(ramp)
        elif e1 and e1[-1]["kind"] == "target":
            keep.append({"kind": "set", "time": tc, "value": f32(held)})
        elif e1 and e1[-1]["kind"] == "curve" and tc <= e1[-1]["time"] + e1[-1]["duration"]:
            # a curve that now stops at tc, still sampled with its full duration
            keep[-1] = dict(e1[-1], end=tc)
        self.events = keep
        return self

    # -- the formulas
    @staticmethod
    def _ramp_value(e, t0, v0, t):
        t1, v1 = e["time"], e["value"]
        if t >= t1 or t1 <= t0:
            return v1
        x = (t - t0) / (t1 - t0)
        if e["kind"] == "linear":
            return v0 + (v1 - v0) * x
        if v0 == 0 or (v0 < 0) != (v1 < 0):
            return v0
        return v0 * (v1 / v0) ** x

    @staticmethod
    def _curve_value(e, t):
        c, n = e["curve"], len(e["curve"])
        t0, d = e["time"], e["duration"]
        if t >= t0 + d:
            return c[-1]
        pos = (n - 1) * (t - t0) / d
        k = int(math.floor(pos))
        if k >= n - 1:
            return c[-1]
        return c[k] + (c[k + 1] - c[k]) * (pos - k)

    def value_at(self, t):
        """The intrinsic value at time t."""
        def const(v):
            return lambda _t: v

        held = const(self.current)           # the value between events
        pt, pv = 0.0, self.current           # where the last event left off (a ramp's start)
        evs = self.events
        for i, e in enumerate(evs):
            nxt = evs[i + 1] if i + 1 < len(evs) else None
            kind = e["kind"]
            if kind in ("linear", "exponential"):
                if t < e["time"]:
                    return self._ramp_value(e, pt, pv, t)
                pt, pv = e["time"], e["value"]
                held = const(pv)
                continue
            if t < e["time"]:
                return held(t)
            if kind == "set":
                pt, pv = e["time"], e["value"]
                held = const(pv)
            elif kind == "target":
                v0 = held(e["time"])
                if nxt is not None and nxt["kind"] in ("linear", "exponential"):
                    # a ramp scheduled before the target started replaces it:
                    # it starts at the target's time from the value before it
                    pt, pv = e["time"], v0
                    held = const(v0)
                elif e["tau"] == 0:
                    pt, pv = e["time"], e["value"]
                    held = const(pv)
                else:
                    t0, v1, tau = e["time"], e["value"], e["tau"]
                    held = lambda _t, t0=t0, v0=v0, v1=v1, tau=tau: v1 + (v0 - v1) * math.exp(-(_t - t0) / tau)
                    pt, pv = t0, v0
            else:  # curve
                if t < e["end"]:
                    return self._curve_value(e, t)
                pt, pv = e["end"], self._curve_value(e, e["end"])
                held = const(pv)
        return held(t)

    def render(self, frames, krate=False):
        n = np.arange(frames)
        if krate:
            n = n // QUANTUM * QUANTUM
        return np.array([self.value_at(k / SR) for k in n], dtype=np.float64)


# ----------------------------------------------------------------------------
# Rendering helpers
# ----------------------------------------------------------------------------


def render_offset(setup, frames=FRAMES, krate=False):
    ctx = ls.OfflineAudioContext(1, frames, SR)
    src = ctx.create_constant_source()
    if krate:
        src.offset.automation_rate = "k-rate"
    setup(src.offset)
    src >> ctx.destination
    src.start(0)
    buf = ctx.start_rendering()
    data = buf.get_channel_data(0)
    assert data.dtype == np.float32
    return data.astype(np.float64), src.offset


def expected(setup, frames=FRAMES, krate=False, default=1.0):
    model = SpecParam(default)
    setup(model)
    return model.render(frames, krate)


def assert_matches(y, ref, what=""):
    bad = np.flatnonzero(~(np.abs(y - ref) <= ATOL))
    if bad.size:
        i = bad[0]
        raise AssertionError(f"{what}: {bad.size} samples off; first at frame {i}: "
                             f"got {y[i]!r}, expected {ref[i]!r}")


# ----------------------------------------------------------------------------
# Scenarios: each one a setup applied to the real param and to the model.
# Event times fall inside quanta (fractional frames) unless stated.
# ----------------------------------------------------------------------------

def _spec_example(p):
    """The AudioParam automation example of the spec, on a 0.04 s scale."""
    k = 0.04
    curve = np.sin(np.pi * np.arange(441) / 441).astype(np.float32)
    t0, t1, t2, t3, t4, t5, t6, t7, t8 = (x * k for x in (0, 0.1, 0.2, 0.3, 0.325, 0.5, 0.6, 0.7, 1.0))
    tau = 0.1 * k
    p.set_value_at_time(0.2, t0)
    p.set_value_at_time(0.3, t1)
    p.set_value_at_time(0.4, t2)
    p.linear_ramp_to_value_at_time(1, t3)
    p.linear_ramp_to_value_at_time(0.8, t4)
    p.set_target_at_time(0.5, t4, tau)
    p.set_value_at_time(0.5 + (0.8 - 0.5) * math.exp(-(t5 - t4) / tau), t5)
    p.exponential_ramp_to_value_at_time(0.75, t6)
    p.exponential_ramp_to_value_at_time(0.05, t7)
    p.set_value_curve_at_time(curve, t7, t8 - t7)


SCENARIOS = {
    "set_value_at_time": lambda p: p.set_value_at_time(0.25, 0).set_value_at_time(0.5, T(100.5))
    .set_value_at_time(-2, T(300)).set_value_at_time(0.75, T(1000.999)),
    "value_attribute": lambda p: setattr(p, "value", 0.375),
    "linear_ramps": lambda p: p.set_value_at_time(0.2, T(37.25)).linear_ramp_to_value_at_time(1.5, T(1000.6))
    .linear_ramp_to_value_at_time(-0.5, T(1500.1)),
    "linear_ramp_no_previous_event": lambda p: p.linear_ramp_to_value_at_time(0, T(500.5)),
    "exponential_ramps": lambda p: p.set_value_at_time(0.1, T(10.5)).exponential_ramp_to_value_at_time(1.0, T(900.25))
    .exponential_ramp_to_value_at_time(0.02, T(1700.75)),
    "exponential_ramp_no_previous_event": lambda p: p.exponential_ramp_to_value_at_time(4, T(600.3)),
    "exponential_ramp_opposite_sign_and_zero": lambda p: p.set_value_at_time(-1, 0)
    .exponential_ramp_to_value_at_time(1, T(300.5)).set_value_at_time(0, T(500))
    .exponential_ramp_to_value_at_time(2, T(700.5)),
    "set_target": lambda p: p.set_value_at_time(1, 0).set_target_at_time(0.2, T(50.7), 0.003)
    .set_value_at_time(0.5, T(1500.5)).set_target_at_time(0.9, T(1600), 0),
    "set_target_chain": lambda p: p.set_value_at_time(1, 0).set_target_at_time(0, T(100.5), 0.002)
    .set_target_at_time(2, T(900.5), 0.001),
    "value_curve_then_ramp": lambda p: p.set_value_curve_at_time([0, 1, 0.25, 0.5, -1], T(33.3), 0.02)
    .linear_ramp_to_value_at_time(2, T(1800.5)),
    "value_curve_numpy": lambda p: p.set_value_curve_at_time(
        np.linspace(-1, 1, 37, dtype=np.float32) ** 3, T(64.75), T(1500)),
    "same_time_insertion_order": lambda p: p.set_value_at_time(0.3, T(200.5)).set_value_at_time(0.7, T(200.5))
    .linear_ramp_to_value_at_time(1.0, T(500.5)).set_value_at_time(5, T(500.5))
    .set_value_at_time(-1, T(700.25)).linear_ramp_to_value_at_time(2, T(700.25)),
    "out_of_order_scheduling": lambda p: p.linear_ramp_to_value_at_time(3, T(800.5))
    .set_value_at_time(2, T(600.5)).set_value_at_time(0.5, T(100)),
    "ramp_replaces_pending_target": lambda p: p.set_value_at_time(1, 0).set_target_at_time(0, T(100.5), 0.002)
    .linear_ramp_to_value_at_time(0.5, T(400.5)),
    "exponential_after_pending_target": lambda p: p.set_value_at_time(1, 0)
    .set_target_at_time(0.1, T(100.5), 0.002).exponential_ramp_to_value_at_time(0.5, T(400.5)),
    "target_ended_by_curve": lambda p: p.set_value_at_time(1, 0).set_target_at_time(0, T(10.5), 0.001)
    .set_value_curve_at_time([0.5, -0.5, 0.5], T(700.5), 0.01),
    "spec_example": _spec_example,
    "cancel_scheduled_values": lambda p: p.set_value_at_time(0.5, 0).set_value_at_time(1, T(300.5))
    .linear_ramp_to_value_at_time(2, T(900.5)).set_value_at_time(3, T(1200)).cancel_scheduled_values(T(600.25)),
    "cancel_inside_curve": lambda p: p.set_value_at_time(0.25, 0).set_value_curve_at_time([0, 1], T(100), 0.01)
    .cancel_scheduled_values(T(100) + 0.005),
    "cancel_then_reschedule": lambda p: p.set_value_curve_at_time([0, 1], 0, 0.01).cancel_scheduled_values(0)
    .set_value_at_time(0.75, 0.005),
    "hold_linear_ramp": lambda p: p.set_value_at_time(0, 0).linear_ramp_to_value_at_time(1, 0.02)
    .cancel_and_hold_at_time(T(500.25)).linear_ramp_to_value_at_time(-1, T(1500.5)),
    "hold_exponential_ramp": lambda p: p.set_value_at_time(0.1, 0).exponential_ramp_to_value_at_time(1, 0.02)
    .set_value_at_time(3, 0.03).cancel_and_hold_at_time(T(700.6)),
    "hold_set_target": lambda p: p.set_value_at_time(1, 0).set_target_at_time(0, T(100.5), 0.004)
    .set_value_at_time(0.9, T(1500)).cancel_and_hold_at_time(T(800.3)),
    "hold_set_target_then_ramp": lambda p: p.set_value_at_time(1, 0).set_target_at_time(0, T(100.5), 0.004)
    .cancel_and_hold_at_time(T(800.3)).linear_ramp_to_value_at_time(2, T(1800.5)),
    "hold_value_curve": lambda p: p.set_value_curve_at_time([0, 1, 0, 1], T(10.5), 0.02)
    .cancel_and_hold_at_time(T(400.7)).cancel_scheduled_values(T(600)).set_value_at_time(2, T(800.5)),
    "hold_after_value_curve_ended": lambda p: p.set_value_curve_at_time([0, 1, 0.5], T(10.5), 0.005)
    .set_value_at_time(3, T(900)).cancel_and_hold_at_time(T(700.5)),
    "hold_set_value": lambda p: p.set_value_at_time(0.3, 0).set_value_at_time(0.6, T(200.5))
    .set_value_at_time(0.9, T(800)).cancel_and_hold_at_time(T(500)),
    "hold_with_no_events": lambda p: p.cancel_and_hold_at_time(T(100)),
    "hold_at_event_time": lambda p: p.set_value_at_time(0, 0).linear_ramp_to_value_at_time(1, T(640))
    .set_value_at_time(0.25, T(1000)).cancel_and_hold_at_time(T(640)),
}

K_RATE_SCENARIOS = [
    "set_value_at_time", "linear_ramps", "exponential_ramps", "exponential_ramp_opposite_sign_and_zero",
    "set_target", "value_curve_then_ramp", "spec_example", "hold_linear_ramp", "hold_set_target",
    "hold_value_curve",
]


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_a_rate_matches_spec(name):
    setup = SCENARIOS[name]
    y, _ = render_offset(setup)
    assert_matches(y, expected(setup), name)


@pytest.mark.parametrize("name", K_RATE_SCENARIOS)
def test_k_rate_matches_spec(name):
    setup = SCENARIOS[name]
    y, p = render_offset(setup, krate=True)
    assert p.automation_rate == "k-rate"
    ref = expected(setup, krate=True)
    assert_matches(y, ref, name)
    # one value per render quantum
    blocks = y.reshape(-1, QUANTUM)
    assert np.all(blocks == blocks[:, :1])


def test_model_agrees_with_closed_forms():
    """The reference model itself, against formulas written out by hand."""
    t = np.arange(FRAMES) / SR
    m = SpecParam()
    m.set_value_at_time(0.1, 0).exponential_ramp_to_value_at_time(1.0, 0.02)
    ref = np.where(t < 0.02, f32(0.1) * (1 / f32(0.1)) ** (t / 0.02), 1.0)
    np.testing.assert_allclose(m.render(FRAMES), ref, rtol=0, atol=1e-12)
    m = SpecParam()
    m.set_value_at_time(1, 0).set_target_at_time(0, 0.01, 0.005)
    ref = np.where(t < 0.01, 1.0, np.exp(-(t - 0.01) / 0.005))
    np.testing.assert_allclose(m.render(FRAMES), ref, rtol=0, atol=1e-12)


def test_methods_are_chainable(offline):
    p = offline.create_constant_source().offset
    assert p.set_value_at_time(0, 0) is p
    assert p.linear_ramp_to_value_at_time(1, 0.01) is p
    assert p.exponential_ramp_to_value_at_time(2, 0.02) is p
    assert p.set_target_at_time(0, 0.03, 0.01) is p
    assert p.set_value_curve_at_time([1, 2], 0.04, 0.01) is p
    assert p.cancel_scheduled_values(0.06) is p
    assert p.cancel_and_hold_at_time(0.05) is p


def test_attributes(offline):
    src = offline.create_constant_source()
    p = src.offset
    assert p.default_value == 1
    assert p.min_value == -F32_MAX
    assert p.max_value == F32_MAX
    assert p.automation_rate == "a-rate"
    assert p.value == 1
    osc = offline.create_oscillator()
    nyquist = offline.sample_rate / 2
    assert osc.frequency.max_value == pytest.approx(nyquist)
    assert osc.frequency.min_value == pytest.approx(-nyquist)


def test_value_reads_current_value():
    """value is [[current value]]: set at once by the setter, then the
    intrinsic value at the start of the last rendered quantum."""
    def setup(p):
        p.value = 0.5
        assert p.value == 0.5
        p.linear_ramp_to_value_at_time(1.5, T(FRAMES))

    y, p = render_offset(setup)
    model = SpecParam()
    setup(model)
    assert p.value == pytest.approx(model.value_at(T(FRAMES - QUANTUM)), abs=ATOL)


def test_many_value_sets_stay_correct():
    def setup(p):
        for i in range(100_000):
            p.value = (i % 1000) / 1000

    y, p = render_offset(setup, frames=256)
    np.testing.assert_array_equal(y, np.float32(0.999))
    assert p.value == np.float32(0.999)


# ----------------------------------------------------------------------------
# Errors: each leaves the timeline as it was
# ----------------------------------------------------------------------------

def _valid_calls(p):
    p.set_value_at_time(0.5, 0)
    p.set_value_curve_at_time([0.5, 1], 0.01, 0.01)        # [0.01, 0.02)
    p.set_value_at_time(0.25, 0.04)


def _allowed_after_errors(p):
    p.set_value_curve_at_time([-1, -2], 0.04, 0.005)      # exactly at another event's time
    p.set_value_curve_at_time([2, 3], 0.02, 0.02)         # ends exactly at 0.04


nan, inf = float("nan"), float("inf")

RANGE_ERRORS = [
    ("set_value_at_time", (nan, 0)),
    ("set_value_at_time", (inf, 0)),
    ("set_value_at_time", (1, -1e-9)),
    ("set_value_at_time", (1, nan)),
    ("set_value_at_time", (1, inf)),
    ("linear_ramp_to_value_at_time", (nan, 0.1)),
    ("linear_ramp_to_value_at_time", (1, -1)),
    ("exponential_ramp_to_value_at_time", (0, 0.1)),
    ("exponential_ramp_to_value_at_time", (-0.0, 0.1)),
    ("exponential_ramp_to_value_at_time", (1, -0.5)),
    ("set_target_at_time", (nan, 0, 0.1)),
    ("set_target_at_time", (1, -1, 0.1)),
    ("set_target_at_time", (1, 0, -0.001)),
    ("set_value_curve_at_time", ([0, 1], 0.05, 0)),
    ("set_value_curve_at_time", ([0, 1], 0.05, -1)),
    ("set_value_curve_at_time", ([0, 1], 0.05, inf)),
    ("set_value_curve_at_time", ([0, 1], -0.05, 0.01)),
    ("set_value_curve_at_time", ([0, nan, 1], 0.05, 0.01)),
    ("cancel_scheduled_values", (-1,)),
    ("cancel_scheduled_values", (nan,)),
    ("cancel_and_hold_at_time", (-1,)),
    ("cancel_and_hold_at_time", (inf,)),
]

NOT_SUPPORTED = [
    ("set_value_at_time", (1, 0.015)),
    ("set_value_at_time", (1, 0.01)),
    ("linear_ramp_to_value_at_time", (1, 0.0199)),
    ("exponential_ramp_to_value_at_time", (1, 0.012)),
    ("set_target_at_time", (1, 0.011, 0.1)),
    ("set_value_curve_at_time", ([2, 3], 0.015, 0.001)),   # starts inside the curve
    ("set_value_curve_at_time", ([2, 3], 0.01, 0.001)),    # starts at the curve's start
    ("set_value_curve_at_time", ([2, 3], 0.005, 0.01)),    # an event (0.01) strictly inside
    ("set_value_curve_at_time", ([2, 3], 0.03, 0.02)),     # an event (0.04) strictly inside
]

INVALID_STATE = [
    ("set_value_curve_at_time", ([1], 0.05, 0.01)),
    ("set_value_curve_at_time", ([], 0.05, 0.01)),
]


def _error_case_ids(cases):
    return [f"{name}{args!r}" for name, args in cases]


@pytest.mark.parametrize("exc,cases", [
    (ValueError, RANGE_ERRORS),
    (ls.NotSupportedError, NOT_SUPPORTED),
    (ls.InvalidStateError, INVALID_STATE),
], ids=["RangeError", "NotSupportedError", "InvalidStateError"])
def test_errors_leave_the_timeline_unchanged(exc, cases):
    frames = 2400

    def setup(p):
        _valid_calls(p)
        if isinstance(p, SpecParam):
            _allowed_after_errors(p)
            return
        for name, args in cases:
            with pytest.raises(exc):
                getattr(p, name)(*args)
        assert p.value == 1
        _allowed_after_errors(p)

    y, _ = render_offset(setup, frames=frames)
    assert_matches(y, expected(setup, frames=frames), "after errors")


def test_value_setter_errors(offline):
    src = offline.create_constant_source()
    p = src.offset
    with pytest.raises(ValueError):
        p.value = nan
    with pytest.raises(ValueError):
        p.value = inf
    assert p.value == 1
    p.set_value_curve_at_time([0, 1], 0, 0.01)              # running at currentTime
    with pytest.raises(ls.NotSupportedError):
        p.value = 0.3
    assert p.value == 1


# ----------------------------------------------------------------------------
# Audio-rate inputs: computedValue = clamp(intrinsic + input)
# ----------------------------------------------------------------------------

def _two_sources(frames, main_setup, mod_setup, krate=False, mod_offset=None):
    ctx = ls.OfflineAudioContext(1, frames, SR)
    src = ctx.create_constant_source()
    mod = ctx.create_constant_source() if mod_offset is None else ctx.create_constant_source(offset=mod_offset)
    if krate:
        src.offset.automation_rate = "k-rate"
    main_setup(src.offset)
    mod_setup(mod.offset)
    mod >> src.offset
    src >> ctx.destination
    src.start(0)
    mod.start(0)
    y = ctx.start_rendering().get_channel_data(0).astype(np.float64)
    return y, src.offset


def _ramp_up(p):
    p.set_value_at_time(0, 0).linear_ramp_to_value_at_time(1, T(1000.5))


def _mod_ramp(p):
    p.set_value_at_time(0.25, 0).linear_ramp_to_value_at_time(-0.5, T(2048))


def test_input_is_added_to_the_intrinsic_value():
    y, p = _two_sources(FRAMES, _ramp_up, _mod_ramp)
    ref = expected(_ramp_up) + expected(_mod_ramp)
    assert_matches(y, ref, "a-rate + input")
    # the value attribute reports the intrinsic value only
    assert p.value == pytest.approx(expected(_ramp_up)[FRAMES - QUANTUM], abs=ATOL)


def test_k_rate_adds_the_input_at_the_quantum_start():
    y, _ = _two_sources(FRAMES, _ramp_up, _mod_ramp, krate=True)
    ref = expected(_ramp_up, krate=True) + expected(_mod_ramp, krate=True)
    assert_matches(y, ref, "k-rate + input")


def test_gain_modulation():
    """A GainNode's gain, automated and modulated, scales a constant 1."""
    ctx = ls.OfflineAudioContext(1, FRAMES, SR)
    one = ctx.create_constant_source()
    gain = ctx.create_gain()
    mod = ctx.create_constant_source()

    def gain_setup(p):
        p.set_value_at_time(0.5, 0).exponential_ramp_to_value_at_time(2, T(1500.5))

    gain_setup(gain.gain)
    _mod_ramp(mod.offset)
    one >> gain >> ctx.destination
    mod >> gain.gain
    one.start(0)
    mod.start(0)
    y = ctx.start_rendering().get_channel_data(0).astype(np.float64)
    assert_matches(y, expected(gain_setup) + expected(_mod_ramp), "gain + input")


def test_computed_value_is_clamped_to_the_nominal_range():
    # FLT_MAX + FLT_MAX overflows to inf; the computed value clamps to maxValue
    def main(p):
        p.value = F32_MAX

    y, p = _two_sources(512, main, lambda p: None, mod_offset=F32_MAX)
    assert np.all(y == F32_MAX)
    assert p.value == F32_MAX


def test_nan_computed_value_becomes_the_default():
    ctx = ls.OfflineAudioContext(1, 512, SR)
    src = ctx.create_constant_source(offset=0.25)
    big = ctx.create_constant_source(offset=F32_MAX)
    up, down = ctx.create_gain(gain=2), ctx.create_gain(gain=-2)
    big >> up
    big >> down
    up >> src.offset       # +inf
    down >> src.offset     # -inf: the sum is NaN
    src >> ctx.destination
    src.start(0)
    big.start(0)
    y = ctx.start_rendering().get_channel_data(0)
    np.testing.assert_array_equal(y, np.float32(src.offset.default_value))


def test_oscillator_frequency_modulation():
    """frequency 1000 + an input of 500 sounds like frequency 1500."""
    def osc_render(freq, mod_offset):
        ctx = ls.OfflineAudioContext(1, FRAMES, SR)
        osc = ctx.create_oscillator()
        osc.frequency.value = freq
        if mod_offset:
            mod = ctx.create_constant_source(offset=mod_offset)
            mod >> osc.frequency
            mod.start(0)
        osc >> ctx.destination
        osc.start(0)
        return ctx.start_rendering().get_channel_data(0).astype(np.float64)

    a = osc_render(1000, 500)
    b = osc_render(1500, 0)
    c = osc_render(1000, 0)
    np.testing.assert_allclose(a, b, rtol=0, atol=ATOL)
    assert np.max(np.abs(a - c)) > 0.1
