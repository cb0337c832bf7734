"""Random graphs round-trip through to_dict / from_dict bit-identically.

Hypothesis draws graphs of a few nodes, each made one of the three ways
(the ctx.create_* factory, the class's constructor, ctx.create(name)), with
random options, connections between nodes and into params, automation and
start/stop times. The reference is the original graph's own render: the
graph rebuilt from its JSON description must render the same bytes
(np.array_equal), and must describe itself the same way. A fixed budget
(40 examples, no deadline) keeps it to a few seconds.
"""

import json

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import labsound as ls

SR = 22050.0
FRAMES = 512

# name -> (factory, class, options strategy)
_finite = dict(allow_nan=False, allow_infinity=False)
KINDS = {
    "Oscillator": ("create_oscillator", ls.OscillatorNode, st.fixed_dictionaries({
        "type": st.sampled_from(["sine", "square", "sawtooth", "triangle"]),
        "frequency": st.floats(50, 4000, **_finite)})),
    "ConstantSource": ("create_constant_source", ls.ConstantSourceNode, st.fixed_dictionaries({
        "offset": st.floats(-1, 1, **_finite)})),
    "Noise": ("create_noise", ls.NoiseNode, st.fixed_dictionaries({
        "type": st.sampled_from(["white", "pink", "brown"]),
        "seed": st.integers(0, 2**32 - 1)})),
    "Gain": ("create_gain", ls.GainNode, st.fixed_dictionaries({
        "gain": st.floats(-2, 2, **_finite)})),
    "BiquadFilter": ("create_biquad_filter", ls.BiquadFilterNode, st.fixed_dictionaries({
        "type": st.sampled_from(["lowpass", "highpass", "bandpass", "peaking"]),
        "frequency": st.floats(100, 8000, **_finite), "Q": st.floats(0.1, 10, **_finite)})),
    "Delay": ("create_delay", ls.DelayNode, st.fixed_dictionaries({
        "max_delay_time": st.floats(0.01, 0.05, **_finite),
        "delay_time": st.floats(0, 0.01, **_finite)})),
    "StereoPanner": ("create_stereo_panner", ls.StereoPannerNode, st.fixed_dictionaries({
        "pan": st.floats(-1, 1, **_finite)})),
}
SOURCES = {"Oscillator", "ConstantSource", "Noise"}
PARAMS = {"Oscillator": "frequency", "ConstantSource": "offset", "Gain": "gain",
          "BiquadFilter": "frequency", "Delay": "delay_time", "StereoPanner": "pan"}


@st.composite
def graphs(draw):
    n = draw(st.integers(1, 6))
    nodes = []
    for i in range(n):
        kind = draw(st.sampled_from(sorted(KINDS)) if i else st.sampled_from(sorted(SOURCES)))
        opts = draw(KINDS[kind][2])
        how = draw(st.sampled_from(["factory", "constructor", "create"]))
        auto = None
        if kind in PARAMS and draw(st.booleans()):
            auto = (draw(st.floats(0, 0.02, **_finite)), draw(st.floats(0.01, 0.04, **_finite)),
                    draw(st.floats(0.1, 1.0, **_finite)))
        start = draw(st.floats(0, 0.02, **_finite)) if kind in SOURCES else None
        stop = draw(st.none() | st.floats(0.02, 0.05, **_finite)) if kind in SOURCES else None
        nodes.append((kind, opts, how, auto, start, stop))
    edges = []
    for i in range(1, n):
        if nodes[i][0] not in SOURCES:
            edges.append((draw(st.integers(0, i - 1)), i, None))
        if draw(st.booleans()) and nodes[i][0] in PARAMS:
            edges.append((draw(st.integers(0, i - 1)), i, PARAMS[nodes[i][0]]))
    to_dest = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True))
    return nodes, edges, to_dest


def build(spec):
    nodes, edges, to_dest = spec
    ctx = ls.OfflineAudioContext(2, FRAMES, SR)
    made = []
    for kind, opts, how, auto, start, stop in nodes:
        factory, cls, _ = KINDS[kind]
        if how == "factory":
            node = getattr(ctx, factory)(**opts)
        elif how == "constructor":
            node = cls(ctx, **opts)
        else:
            node = ctx.create(kind, **opts)
        if auto is not None:
            param = getattr(node, PARAMS[kind])
            t0, t1, scale = auto
            param.set_value_at_time(param.value * scale, t0)
            param.linear_ramp_to_value_at_time(param.value, t0 + t1)
        made.append(node)
    for src, dst, param in edges:
        if param is None:
            made[src] >> made[dst]
        else:
            made[src].connect(getattr(made[dst], param))
    for i in to_dest:
        made[i] >> ctx.destination
    for node, (kind, _, _, _, start, stop) in zip(made, nodes):
        if start is not None:
            node.start(start)
            if stop is not None:
                node.stop(stop)
    return ctx


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_random_graphs_round_trip_bit_identically(spec):
    ctx = build(spec)
    d = json.loads(json.dumps(ctx.to_dict()))
    assert len(d["nodes"]) == len(spec[0])
    again = ls.OfflineAudioContext.from_dict(d)
    assert json.loads(json.dumps(again.to_dict())) == d
    a = np.asarray(ctx.start_rendering())
    b = np.asarray(again.start_rendering())
    assert np.array_equal(a, b)
