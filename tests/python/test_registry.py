"""Nodes by name: ls.node_types(), ctx.create(), the stubs and the generated page."""
import ast
import dataclasses
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import labsound as ls
from labsound import _registry

ROOT = Path(__file__).resolve().parents[2]
STUB = Path(ls.__file__).with_name("__init__.pyi")
# factories that make something other than a node, or another name for one
NOT_NODES = {"create_buffer", "create_periodic_wave", "create", "create_analyzer", "create_microphone"}


def _probe_kwargs(t):
    entry = next(e for e in _registry._TABLE if e.name == t.name)
    return entry.probe(ls) if entry.probe else {}


def _skip_device(t):
    if t.name == "MediaStreamAudioSource":
        pytest.skip("needs a context on an audio device")


def test_every_factory_is_registered():
    factories = {t.factory for t in ls.node_types().values()}
    have = set()
    for cls in (ls.BaseAudioContext, ls.AudioContext, ls.OfflineAudioContext):
        have |= {a for a in dir(cls) if a.startswith("create")}
    missing = sorted(have - factories - NOT_NODES)
    assert not missing, f"create_* factories without a registry entry: {missing}"
    assert factories <= have


def test_node_type_is_frozen_and_typed():
    t = ls.node_types()["Gain"]
    assert isinstance(t, ls.NodeType)
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.name = "x"
    assert all(isinstance(p, ls.ParamInfo) for p in t.params)
    with pytest.raises(TypeError):
        ls.node_types()["Gain"] = t


def test_params_match_the_spec():
    """Defaults and ranges the Web Audio spec gives (nominal ranges at 44.1 kHz)."""
    types = ls.node_types()
    nyquist = 44100.0 / 2
    gain = {p.name: p for p in types["Gain"].params}
    assert gain["gain"].default == 1.0 and gain["gain"].automation_rate == "a-rate"
    osc = {p.name: p for p in types["Oscillator"].params}
    assert osc["frequency"].default == 440.0
    assert osc["frequency"].max_value == pytest.approx(nyquist)
    assert osc["frequency"].min_value == pytest.approx(-nyquist)
    assert osc["detune"].max_value == pytest.approx(1200 * 128, rel=1e-6)
    biquad = {p.name for p in types["BiquadFilter"].params}
    assert biquad == {"frequency", "detune", "Q", "gain"}   # 'q' is the same param
    comp = {p.name: p.automation_rate for p in types["DynamicsCompressor"].params}
    assert set(comp.values()) == {"k-rate"} and len(comp) == 5
    assert {p.name for p in types["Panner"].params} == {
        f"{a}_{x}" for a in ("position", "orientation") for x in "xyz"}
    io = {n: (t.number_of_inputs, t.number_of_outputs, t.is_source) for n, t in types.items()}
    assert io["Oscillator"] == (0, 1, True)
    assert io["ChannelSplitter"] == (1, 6, False)
    assert io["ChannelMerger"] == (6, 1, False)
    assert io["Gain"] == (1, 1, False)
    assert io["AudioBufferSource"] == (0, 1, True)


@pytest.mark.parametrize("name", list(ls.node_types()))
def test_create_by_name(name):
    t = ls.node_types()[name]
    _skip_device(t)
    ctx = ls.OfflineAudioContext(1, 128, 44100)
    kwargs = _probe_kwargs(t)
    node = ctx.create(name, **kwargs)
    assert type(node) is t.cls
    assert isinstance(getattr(ctx, t.factory)(**kwargs), t.cls)
    # every option is a keyword the factory takes, with its default
    opts = {k: (kwargs[k] if v is _registry.REQUIRED else v) for k, v in t.options.items()}
    opts = {k: v for k, v in opts.items() if v is not None or k not in ("periodic_wave",)}
    node = ctx.create(name, **opts)
    assert (node.number_of_inputs, node.number_of_outputs) == (t.number_of_inputs, t.number_of_outputs)
    for p in t.params:
        param = getattr(node, p.name)
        assert isinstance(param, ls.AudioParam)
        if p.default == p.default:          # NaN: the default follows the options
            assert param.value == pytest.approx(p.default)
            assert param.default_value == pytest.approx(p.default)
        assert param.automation_rate == p.automation_rate
    for s in t.settings:
        setattr(node, s, getattr(node, s))   # a settable attribute


def test_options_reach_the_node():
    ctx = ls.OfflineAudioContext(1, 128, 44100)
    osc = ctx.create("Oscillator", type="square", frequency=220.0)
    assert osc.type == "square" and osc.frequency.value == 220.0
    assert ctx.create("Delay", max_delay_time=2.0, delay_time=0.5).delay_time.value == 0.5


def test_create_errors():
    ctx = ls.OfflineAudioContext(1, 128, 44100)
    with pytest.raises(ValueError) as e:
        ctx.create("Gian")
    msg = str(e.value)
    assert "'Gian'" in msg
    for n in ls.node_types():
        assert n in msg
    with pytest.raises(TypeError, match="name must be a str"):
        ctx.create(3)
    with pytest.raises(TypeError):
        ctx.create("Gain", gian=1.0)


def test_stubs_declare_each_class_and_factory():
    tree = ast.parse(STUB.read_text())
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    ctx_methods = set()
    for cname in ("BaseAudioContext", "AudioContext"):
        ctx_methods |= {i.name for i in classes[cname].body if isinstance(i, ast.FunctionDef)}
    for t in ls.node_types().values():
        assert t.cls.__name__ in classes, f"{t.cls.__name__} missing from the stubs"
        assert t.factory in ctx_methods, f"{t.factory} missing from the stubs"
        assert t.cls.__name__ in ls.__all__
    assert "create" in ctx_methods


def test_node_reference_is_up_to_date():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_nodes.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    text = (ROOT / "docs" / "node-reference.md").read_text()
    for t in ls.node_types().values():
        assert f"## {t.name}\n" in text


def test_register_rejects_a_duplicate():
    with pytest.raises(ValueError, match="already registered"):
        _registry._register(_registry._TABLE[0])


def test_factory_call_forms_agree():
    """ctx.create_<key>(...) called at once, through a bound factory kept
    aside, and unbound from the class with the context first all make the
    node with the same options; positional options where the spec has them."""
    ctx = ls.OfflineAudioContext(1, 128, 48000)
    bound = ctx.create_gain
    assert bound.__self__ is ctx and bound.__name__ == "create_gain"
    for g in (ctx.create_gain(gain=0.25), bound(gain=0.25),
              ls.BaseAudioContext.create_gain(ctx, gain=0.25)):
        assert isinstance(g, ls.GainNode) and g.gain.value == 0.25 and g.context is ctx
    assert ctx.create_delay(2.0).delay_time.max_value == 2.0
    assert ctx.create_channel_merger(3).number_of_inputs == 3
    with pytest.raises(TypeError, match="context"):
        ls.BaseAudioContext.create_gain()
    with pytest.raises(TypeError):
        ctx.create_gain(0.5)            # gain is keyword-only

