"""Graphs as data: ctx.to_dict(), OfflineAudioContext.from_dict(d), labsound.graph.

The reference for every rebuilt graph is the original graph's own render:
the rebuilt one must render the same bytes, after a json.dumps/json.loads
round trip of its description."""

import gc
import json

import numpy as np
import pytest

import labsound as ls

SR = 22050.0
FRAMES = 4096


def render(ctx):
    return np.asarray(ctx.start_rendering()).copy()


def round_trip(ctx):
    d = ctx.to_dict()
    text = json.dumps(d)
    again = ls.OfflineAudioContext.from_dict(json.loads(text))
    return d, again


def build_many(ctx):
    """A graph with most node kinds; returns nothing (Python references dropped)."""
    wave = ctx.create_periodic_wave([0, 0.1, 0.2, 0], [0, 1, 0.5, 0.25])
    osc = ctx.create_oscillator(frequency=330)
    osc.set_periodic_wave(wave)
    saw = ctx.create_oscillator(type="sine", frequency=110)
    saw.type = "sawtooth"                                  # a setting changed after creation
    saw.detune.set_value_curve_at_time(np.linspace(0, 1200, 16, dtype=np.float32), 0.0, 0.1)
    noise = ctx.create_noise(type="pink", seed=1234)
    biquad = ctx.create_biquad_filter(type="bandpass", Q=4)
    biquad.frequency.set_value_at_time(500, 0)
    biquad.frequency.exponential_ramp_to_value_at_time(4000, 0.15)
    biquad.frequency.cancel_scheduled_values(0.12)
    biquad.frequency.set_target_at_time(800, 0.12, 0.02)
    amp = ctx.create_gain(gain=0)
    amp.gain.linear_ramp_to_value_at_time(0.7, 0.05)
    amp.gain.cancel_and_hold_at_time(0.1)
    delay = ctx.create_delay(max_delay_time=0.2, delay_time=0.013)
    feedback = ctx.create_gain(gain=0.45)
    adsr = ctx.create_adsr(attack_time=0.01, decay_time=0.02, sustain_level=0.6, release_time=0.05)
    adsr.gate_on(0.0)
    adsr.gate_off(0.12)
    shaper = ctx.create_wave_shaper(curve=np.tanh(np.linspace(-3, 3, 257)).astype(np.float32),
                                    oversample="2x")
    panner = ctx.create_panner(panning_model="equalpower", position_x=1.0, position_z=-1.0)
    panner.position_x.linear_ramp_to_value_at_time(-2.0, 0.18)
    ir = np.zeros((2, 256), dtype=np.float32)
    ir[0, 0], ir[0, 40], ir[1, 3], ir[1, 99] = 1.0, 0.5, 0.8, -0.3
    conv = ctx.create_convolver(buffer=ls.AudioBuffer.from_numpy(ir, SR), disable_normalization=True)
    grains = ls.AudioBuffer.from_numpy(np.sin(np.arange(900) * 0.05).astype(np.float32), SR)
    src = ctx.create_buffer_source(buffer=grains, loop=True, loop_start=0.005, loop_end=0.03)
    src.playback_rate.value = 1.5
    lfo = ctx.create_constant_source(offset=150)
    lfo_amp = ctx.create_gain(gain=1.0)
    stereo = ctx.create_stereo_panner(pan=-0.3)
    mono_mix = ctx.create_gain()
    mono_mix.channel_count = 1
    mono_mix.channel_count_mode = "explicit"

    osc >> biquad
    saw >> biquad
    noise >> amp
    biquad >> amp >> shaper >> panner >> ctx.destination
    amp >> delay >> feedback >> delay                 # a feedback loop through the delay
    delay >> adsr >> ctx.destination
    src >> conv >> stereo >> ctx.destination
    lfo >> lfo_amp >> biquad.frequency                 # a constant source into a param
    src >> mono_mix >> ctx.destination
    for s in (osc, saw, noise, src, lfo):
        s.start(0.0)
    saw.stop(0.15)
    src.start  # noqa: B018 - (start called once above)


def test_many_node_types_round_trip_bit_identical():
    ctx = ls.OfflineAudioContext(2, FRAMES, SR)
    build_many(ctx)
    gc.collect()                                # every Python reference to the nodes is gone
    d, again = round_trip(ctx)
    types = {n["type"] for n in d["nodes"]}
    assert {"Oscillator", "Noise", "BiquadFilter", "Gain", "Delay", "ADSR", "WaveShaper",
            "Panner", "Convolver", "AudioBufferSource", "ConstantSource", "StereoPanner"} <= types
    assert again.to_dict() == d                 # the rebuilt graph describes itself the same way
    a, b = render(ctx), render(again)
    assert np.max(np.abs(a)) > 0.05             # it makes sound
    assert a.tobytes() == b.tobytes()


def test_description_contents():
    ctx = ls.OfflineAudioContext(2, FRAMES, SR)
    build_many(ctx)
    d = ctx.to_dict()
    assert d["format"] == "labsound.graph" and d["version"] == 1
    assert d["context"] == {"type": "OfflineAudioContext", "sample_rate": SR,
                            "number_of_channels": 2, "length": FRAMES}
    by_type = {}
    for n in d["nodes"]:
        by_type.setdefault(n["type"], []).append(n)
    osc, saw = by_type["Oscillator"]
    assert "periodic_wave" in osc and "type" not in osc["options"]
    wave = d["periodic_waves"][osc["periodic_wave"]["$periodic_wave"]]
    assert wave["imag"] == [0.0, 1.0, 0.5, 0.25] and wave["disable_normalization"] is False
    # options hold what the engine holds now: the type set after creation
    assert "settings" not in saw and saw["options"]["type"] == "sawtooth"
    curve = saw["params"]["detune"][0]
    assert curve["type"] == "set_value_curve_at_time" and len(curve["values"]) == 16
    assert curve["values"][-1] == 1200.0
    assert [c[0] for c in saw["calls"]] == ["start", "stop"] and saw["calls"][1][1] == {"when": 0.15}
    noise = by_type["Noise"][0]
    assert noise["options"]["seed"] == 1234 and noise["options"]["type"] == "pink"
    biquad = by_type["BiquadFilter"][0]
    assert [e["type"] for e in biquad["params"]["frequency"]] == [
        "set_value_at_time", "exponential_ramp_to_value_at_time", "cancel_scheduled_values",
        "set_target_at_time"]
    gains = by_type["Gain"]
    assert any(e["type"] == "cancel_and_hold_at_time"
               for g in gains for e in g.get("params", {}).get("gain", []))
    mono = [g for g in gains if g["options"]["channel_count"] == 1][0]
    assert mono["options"]["channel_count_mode"] == "explicit"
    adsr = by_type["ADSR"][0]
    assert adsr["params"]["gate"] == [{"type": "set_value_at_time", "value": 1.0, "start_time": 0.0},
                                      {"type": "set_value_at_time", "value": 0.0, "start_time": 0.12}]
    shaper = by_type["WaveShaper"][0]
    assert shaper["options"]["oversample"] == "2x" and len(shaper["options"]["curve"]) == 257
    delay = by_type["Delay"][0]
    assert delay["options"]["max_delay_time"] == 0.2
    conv = by_type["Convolver"][0]
    buf = d["buffers"][conv["options"]["buffer"]["$buffer"]]
    assert buf["number_of_channels"] == 2 and buf["length"] == 256
    assert buf["encoding"] == "base64-float32-le"
    ids = {n["type"]: n["id"] for n in d["nodes"]}
    param_edges = [c for c in d["connections"] if "param" in c]
    assert param_edges == [{"from": param_edges[0]["from"], "output": 0, "to": ids["BiquadFilter"],
                            "param": "frequency"}]
    delay_id, loop = delay["id"], []
    for c in d["connections"]:
        if c["to"] == delay_id:
            loop.append(c["from"])
    assert len(loop) == 2                       # the amp and the feedback gain both feed the delay
    assert {"from": ids["ADSR"], "output": 0, "to": "destination", "input": 0} in d["connections"]


def test_list_encoding_and_inline_buffers():
    ctx = ls.OfflineAudioContext(1, 512, SR)
    data = np.random.default_rng(5).uniform(-1, 1, 300).astype(np.float32)
    src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(data, SR))
    src >> ctx.destination
    src.start(0.001)
    d = ctx.to_dict(encoding="list")
    assert d["buffers"][0]["samples"][0] == [float(x) for x in data]
    again = ls.OfflineAudioContext.from_dict(json.loads(json.dumps(d)))
    assert render(ctx).tobytes() == render(again).tobytes()
    with pytest.raises(ValueError, match="encoding"):
        ctx.to_dict(encoding="hex")


def test_buffer_from_file_by_reference(tmp_path):
    path = tmp_path / "tone.wav"
    tone = ls.AudioBuffer.from_numpy(np.sin(np.arange(2000) * 0.1).astype(np.float32) * 0.5, SR)
    tone.save(str(path), bits="float32")
    ctx = ls.OfflineAudioContext(1, 2048, SR)
    src = ctx.create_buffer_source()
    src.buffer = ls.load(str(path))
    src >> ctx.destination
    src.start(0)
    d = ctx.to_dict()
    assert d["buffers"][0]["file"] == {"path": str(path), "sample_rate": None, "mono": False}
    assert "data" not in d["buffers"][0]
    assert d["nodes"][0]["options"]["buffer"] == {"$buffer": 0}
    again = ls.graph.load(json.loads(json.dumps(d)))
    assert render(ctx).tobytes() == render(again).tobytes()
    inline = ctx.to_dict(inline_buffers=True)
    assert "data" in inline["buffers"][0] and "file" not in inline["buffers"][0]


def test_disconnect_is_recorded():
    ctx = ls.OfflineAudioContext(1, 1024, SR)
    a = ctx.create_constant_source(offset=0.5)
    b = ctx.create_gain(gain=0.5)
    a >> b >> ctx.destination
    a >> ctx.destination
    a.disconnect(ctx.destination)
    a.start()
    d = ls.graph.dump(ctx)
    assert d["connections"] == [{"from": 0, "output": 0, "to": 1, "input": 0},
                                {"from": 1, "output": 0, "to": "destination", "input": 0}]
    out = render(ls.OfflineAudioContext.from_dict(d))
    np.testing.assert_array_equal(out, np.full((1, 1024), 0.25, dtype=np.float32))


def test_noise_without_seed_records_the_engine_seed():
    ctx = ls.OfflineAudioContext(1, 2048, SR)
    n = ctx.create_noise()
    n >> ctx.destination
    n.start()
    d = ctx.to_dict()
    assert d["nodes"][0]["options"]["seed"] == n.seed
    assert render(ctx).tobytes() == render(ls.OfflineAudioContext.from_dict(d)).tobytes()


def test_sfxr_preset_and_listener_round_trip():
    ctx = ls.OfflineAudioContext(2, 4096, SR)
    fx = ctx.create_sfxr(seed=9)
    fx.coin(seed=3)
    p = ctx.create_panner(panning_model="HRTF")
    fx >> p >> ctx.destination
    ctx.listener.set_position(0.5, 0, 0)
    ctx.listener.position_z.linear_ramp_to_value_at_time(2.0, 0.1)
    fx.start(0)
    d = ctx.to_dict()
    assert d["listener"]["params"]["position_z"][-1]["type"] == "linear_ramp_to_value_at_time"
    again = ls.OfflineAudioContext.from_dict(json.loads(json.dumps(d)))
    a, b = render(ctx), render(again)
    assert np.max(np.abs(a)) > 0.01 and a.tobytes() == b.tobytes()


def test_from_dict_overrides_and_realtime_descriptions():
    ctx = ls.OfflineAudioContext(1, 256, SR)
    c = ctx.create_constant_source(offset=0.125)
    c >> ctx.destination
    c.start()
    d = ctx.to_dict()
    longer = ls.OfflineAudioContext.from_dict(d, length=512)
    assert longer.length == 512
    np.testing.assert_array_equal(render(longer), np.full((1, 512), 0.125, dtype=np.float32))
    rt = dict(d, context={k: v for k, v in d["context"].items() if k != "length"})
    with pytest.raises(ValueError, match="length"):
        ls.OfflineAudioContext.from_dict(rt)


def test_python_processing_nodes_are_refused_by_name():
    ctx = ls.OfflineAudioContext(1, 256, SR)
    ctx.create_constant_source() >> ctx.destination
    f = ctx.create_function(channels=1)
    f >> ctx.destination
    with pytest.raises(ls.NotSupportedError, match=r"node #1 FunctionNode \(ctx.create_function\)"
                                                   r".*Python code"):
        ctx.to_dict()


def test_constructor_made_nodes():
    ctx = ls.OfflineAudioContext(1, 512, SR)
    g = ls.GainNode(ctx, gain=0.25)            # described like a factory node, in creation order
    c = ls.ConstantSourceNode(ctx, offset=2.0)
    c >> g >> ctx.destination
    c.start()
    d = ctx.to_dict()
    assert [n["type"] for n in d["nodes"]] == ["Gain", "ConstantSource"]
    assert render(ctx).tobytes() == render(ls.OfflineAudioContext.from_dict(d)).tobytes()
    # the coefficients only the constructor takes are read back from the engine
    ctx2 = ls.OfflineAudioContext(1, 512, SR)
    src = ctx2.create_constant_source()
    iir = ls.IIRFilterNode(ctx2, feedforward=[0.5, 0.25], feedback=[1.0, -0.5])
    src >> iir >> ctx2.destination
    src.start()
    d2 = ctx2.to_dict()
    assert d2["nodes"][1]["options"]["feedforward"] == [0.5, 0.25]
    assert d2["nodes"][1]["options"]["feedback"] == [1.0, -0.5]
    out = render(ls.OfflineAudioContext.from_dict(json.loads(json.dumps(d2))))
    assert np.max(np.abs(out)) > 0.5 and out.tobytes() == render(ctx2).tobytes()


def test_bad_descriptions():
    with pytest.raises(TypeError, match="dict"):
        ls.OfflineAudioContext.from_dict("graph")
    with pytest.raises(ValueError, match="format"):
        ls.OfflineAudioContext.from_dict({"nodes": []})
    ctx = ls.OfflineAudioContext(1, 256, SR)
    ctx.create_gain() >> ctx.destination
    d = ctx.to_dict()
    d["connections"].append({"from": 7, "output": 0, "to": "destination", "input": 0})
    with pytest.raises(ValueError, match="node 7"):
        ls.OfflineAudioContext.from_dict(d)
    d = ctx.to_dict()
    d["nodes"][0]["type"] = "Bogus"
    with pytest.raises(ValueError, match="Bogus"):
        ls.OfflineAudioContext.from_dict(d)


def test_dump_load_aliases():
    ctx = ls.OfflineAudioContext(1, 256, SR)
    o = ctx.create_oscillator(frequency=440)
    o >> ctx.destination
    o.start()
    assert ls.graph.dump(ctx) == ctx.to_dict()
    assert isinstance(ls.graph.load(ctx.to_dict()), ls.OfflineAudioContext)


def test_graph_as_data_example(tmp_path):
    import os
    import subprocess
    import sys

    example = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "examples",
                           "graph_as_data.py")
    p = subprocess.run([sys.executable, example, str(tmp_path / "voice.json")], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "renders the same bytes: True" in p.stdout
    d = json.loads((tmp_path / "voice.json").read_text())
    assert {"Oscillator", "Noise", "Convolver", "Delay", "ADSR"} <= {n["type"] for n in d["nodes"]}
    # the file alone rebuilds the voice: render it here and compare with the example's graph
    again = ls.OfflineAudioContext.from_dict(d)
    out = render(again)
    assert out.shape == (2, d["context"]["length"]) and np.max(np.abs(out)) > 0.05


def test_realtime_contexts_are_not_recorded():
    ctx = ls.AudioContext(device="null", start=False)
    try:
        o = ctx.create_oscillator()
        o >> ctx.destination
        o.frequency.set_value_at_time(300, 0)
        with pytest.raises(ls.NotSupportedError, match="OfflineAudioContext"):
            ctx.to_dict()
    finally:
        ctx.close()


def test_records_do_not_keep_the_context_alive():
    import weakref

    ctx = ls.OfflineAudioContext(1, 256, SR)
    wave = ctx.create_periodic_wave([0, 0], [0, 1])
    o = ctx.create_oscillator(periodic_wave=wave)
    o2 = ctx.create_oscillator()
    o2.set_periodic_wave(wave)
    o >> ctx.destination
    o2 >> ctx.destination
    assert len(ctx.to_dict()["periodic_waves"]) == 1       # one wave, shared
    ref = weakref.ref(ctx)
    del ctx, wave, o, o2
    gc.collect()
    assert ref() is None


def _extended_graph(kind):
    buf = ls.AudioBuffer.from_numpy(
        np.sin(np.arange(24000) / 10.0).astype(np.float32), 48000)
    ctx = ls.OfflineAudioContext(2, 24000, 48000)
    if kind == "granulation":
        g = ctx.create_granulation(buffer=buf, seed=3, grain_rate=30, window="blackman")
        g.start(0.01)
        g >> ctx.destination
    elif kind == "bpm_delay":
        o = ctx.create_oscillator(frequency=300)
        o.start(0)
        o.stop(0.1)
        d = ctx.create_bpm_delay(tempo=200, note="dotted-sixteenth")
        o >> d >> ctx.destination
    elif kind == "ping_pong":
        o = ctx.create_oscillator(type="square")
        o.start(0)
        o.stop(0.05)
        d = ctx.create_ping_pong_delay(feedback=0.3, tempo=300, note="eighth")
        d.wet.linear_ramp_to_value_at_time(0.2, 0.4)
        o >> d >> ctx.destination
    elif kind == "sampled":
        s = ctx.create_sampled_audio(buffer=buf)
        s.schedule(0.1, loop_count=1)
        s.schedule(0.05, offset=0.1, duration=0.1)
        s.playback_rate.value = 1.5
        s >> ctx.destination
    return ctx


@pytest.mark.parametrize("kind", ["granulation", "bpm_delay", "ping_pong", "sampled"])
def test_extended_time_and_grain_nodes_round_trip(kind):
    """The granulator, the tempo-synced delays and the sampler's schedules
    are described and rebuilt: the same bytes after a JSON round trip."""
    ctx = _extended_graph(kind)
    d = json.loads(json.dumps(ctx.to_dict()))
    again = ls.OfflineAudioContext.from_dict(d)
    x = np.asarray(ctx.start_rendering())
    y = np.asarray(again.start_rendering())
    assert np.abs(x).max() > 0.01
    assert x.tobytes() == y.tobytes()


def test_automation_on_a_constructor_made_node_is_described():
    """Automation on a node made by its class's constructor is read from the
    engine like any other: the rebuilt graph ramps the same way."""
    ctx = ls.OfflineAudioContext(1, 1024, SR)
    c = ls.ConstantSourceNode(ctx)
    g = ls.GainNode(ctx)
    g.gain.set_value_at_time(0.25, 0)
    g.gain.linear_ramp_to_value_at_time(1.0, 512 / SR)
    c >> g >> ctx.destination
    c.start()
    d = json.loads(json.dumps(ctx.to_dict()))
    assert d["nodes"][1]["params"]["gain"] == [
        {"type": "set_value_at_time", "value": 0.25, "start_time": 0.0},
        {"type": "linear_ramp_to_value_at_time", "value": 1.0, "end_time": 512 / SR}]
    out = render(ls.OfflineAudioContext.from_dict(d))[0]
    # the spec's linear ramp from (0, 0.25) to (512 / SR, 1), then held
    t = np.arange(1024) / SR
    expected = np.where(t < 512 / SR, 0.25 + 0.75 * t / (512 / SR), 1.0)
    np.testing.assert_allclose(out, expected, atol=1e-6)
    assert out.tobytes() == render(ctx)[0].tobytes()


def test_connection_into_a_listener_param_round_trips():
    """A node feeding ctx.listener.position_x is described by the param's name
    and rebuilt, moving the listener the same way."""
    ctx = ls.OfflineAudioContext(2, 2048, SR)
    osc = ctx.create_oscillator(frequency=440)
    panner = ctx.create_panner(panning_model="equalpower", position_x=1.0)
    lfo = ctx.create_constant_source(offset=3.0)
    osc >> panner >> ctx.destination
    lfo >> ctx.listener.position_x
    osc.start()
    lfo.start(1024 / SR)
    d = json.loads(json.dumps(ctx.to_dict()))
    assert {"from": 2, "output": 0, "to": "listener", "param": "position_x"} in d["connections"]
    again = ls.OfflineAudioContext.from_dict(d)
    a, b = render(ctx), render(again)
    # the listener moving past the source swaps the channels' levels
    assert np.abs(a[1, :1000]).max() > np.abs(a[0, :1000]).max()
    assert np.abs(a[0, 1100:]).max() > np.abs(a[1, 1100:]).max()
    assert a.tobytes() == b.tobytes()


def test_oscillator_type_set_after_a_periodic_wave_is_rebuilt():
    """An oscillator made with periodic_wave= and then set to 'sawtooth' is
    rebuilt as a sawtooth, not with the wave."""
    ctx = ls.OfflineAudioContext(1, 1024, SR)
    wave = ctx.create_periodic_wave([0, 0], [0, 1])
    osc = ctx.create_oscillator(periodic_wave=wave, frequency=220)
    osc.type = "sawtooth"
    osc >> ctx.destination
    osc.start()
    d = json.loads(json.dumps(ctx.to_dict()))
    assert d["nodes"][0]["options"]["type"] == "sawtooth"
    assert "periodic_wave" not in d["nodes"][0] and "periodic_waves" not in d
    again = ls.OfflineAudioContext.from_dict(d)
    assert again.to_dict()["nodes"][0]["options"]["type"] == "sawtooth"
    saw = ls.OfflineAudioContext(1, 1024, SR)
    ref = saw.create_oscillator(type="sawtooth", frequency=220)
    ref >> saw.destination
    ref.start()
    assert render(again).tobytes() == render(saw).tobytes() == render(ctx).tobytes()


def test_nodes_made_by_name_and_dropped_wrappers_are_described():
    """ctx.create(name) nodes and nodes whose Python wrappers are gone (a
    chain of >>) are listed in creation order and rebuilt."""
    ctx = ls.OfflineAudioContext(1, 1024, SR)
    src = ctx.create("ConstantSource", offset=0.5)
    src >> ctx.create("Gain", gain=0.5) >> ctx.create_biquad_filter(frequency=2000) >> ctx.destination
    src.start()
    del src
    gc.collect()
    d = ctx.to_dict()
    assert [n["type"] for n in d["nodes"]] == ["ConstantSource", "Gain", "BiquadFilter"]
    assert [(c["from"], c["to"]) for c in d["connections"]] == [(0, 1), (1, 2), (2, "destination")]
    a = render(ctx)
    assert np.abs(a).max() > 0.1
    assert a.tobytes() == render(ls.OfflineAudioContext.from_dict(d)).tobytes()


def test_settings_read_through_the_node_descriptors():
    """Types with an engine descriptor (here ADSR and the oscillator) have
    their settings read through its getters: a setting changed after creation
    is the option the rebuilt node is made with."""
    ctx = ls.OfflineAudioContext(1, 2048, SR)
    osc = ctx.create_oscillator(type="square", frequency=300)
    env = ctx.create_adsr(attack_time=0.005, decay_time=0.005, sustain_level=0.5,
                          release_time=0.01)
    env.one_shot = True
    osc.type = "triangle"
    osc >> env >> ctx.destination
    osc.start()
    env.gate_on(0.0)
    d = json.loads(json.dumps(ctx.to_dict()))
    assert d["nodes"][0]["options"]["type"] == "triangle"
    assert d["nodes"][1]["options"]["one_shot"] is True
    a = render(ctx)
    assert np.abs(a[0, :200]).max() > 0.1
    assert a.tobytes() == render(ls.OfflineAudioContext.from_dict(d)).tobytes()
