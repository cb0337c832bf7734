"""Graphs as data: ``ctx.to_dict()``, ``OfflineAudioContext.from_dict(d)``,
``labsound.graph.dump(ctx)`` and ``labsound.graph.load(d)``.

The engine does not list a context's nodes, their automation timelines or
their connections, so everything the description needs is recorded here, on
the Python side, as the user makes it: each node made by a ``ctx.create_*``
factory gets a record (its registry type name and its constructor options,
read back from the node), and the hooks installed below add to it the
automation calls on its AudioParams, ``start``/``stop``, the attribute
settings, and the connections (through the connection tracking of
``labsound._notebook``). A record holds no reference to the node's Python
wrapper, so a node you drop still plays (and is still described) as before;
records are keyed by the engine node's identity (``AudioNode._engine_id``,
``AudioParam._node_id``), which every wrapper of a node shares.

``to_dict`` turns the records into plain JSON data (lists, dicts, numbers,
strings): buffers inline as base64 float32 (or lists) or by path when loaded
from a file, periodic waves by their coefficients, wave-shaper curves as
lists. ``from_dict`` builds a new OfflineAudioContext from it; the rebuilt
graph renders bit-identically, since it makes the same calls in the same
order (and noise generators get the seeds the originals used).
"""

from __future__ import annotations

import base64
import os
import threading
import weakref
from typing import Any, Optional

from . import _core, _notebook, _registry

FORMAT = "labsound.graph"
VERSION = 1

#: node types whose state is Python code or a device, never data
_UNSUPPORTED = {
    "Function": "runs Python code (a processing node)",
    "AudioProcessor": "runs Python code (a processing node)",
    "MediaStreamAudioSource": "captures an audio input device",
    "StreamSource": "plays audio fed from outside the graph (a file, a generator)",
}

#: constructor options the engine cannot read back: taken from the factory's arguments
_WRITE_ONLY = {
    "Oscillator": ("periodic_wave",),
    "IIRFilter": ("feedforward", "feedback"),
    "Delay": ("max_delay_time",),
    "Convolver": ("disable_normalization",),
    "Recorder": ("channels",),
}

_CHANNEL = ("channel_count", "channel_count_mode", "channel_interpretation")

_PARAM_METHODS = {
    "set_value_at_time": ("value", "start_time"),
    "linear_ramp_to_value_at_time": ("value", "end_time"),
    "exponential_ramp_to_value_at_time": ("value", "end_time"),
    "set_target_at_time": ("target", "start_time", "time_constant"),
    "set_value_curve_at_time": ("values", "start_time", "duration"),
    "cancel_scheduled_values": ("cancel_time",),
    "cancel_and_hold_at_time": ("cancel_time",),
}

_lock = threading.RLock()
_entries = {e.name: e for e in _registry._TABLE}


def _entry_of_class(cls: type) -> Optional[_registry._Entry]:
    import labsound as ls

    for klass in cls.__mro__:
        for e in _registry._TABLE:
            if getattr(ls, e.cls, None) is klass:
                return e
    return None


# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------


class _Node:
    """What is known of one node: type, options, settings, param events, calls."""

    __slots__ = ("index", "type", "options", "settings", "params", "calls", "ref",
                 "param_names", "missing", "__weakref__")

    def __init__(self, index: int, type_name: str) -> None:
        self.index = index
        self.type = type_name
        self.options: dict = {}
        self.settings: dict = {}
        self.params: dict = {}       # attribute name -> [event dicts]
        self.calls: list = []        # [method, {args}] in call order (start, stop)
        self.ref: Any = None         # weak reference to a wrapper, for reading settings back
        self.param_names: dict = {}  # engine param name -> attribute name
        self.missing: tuple = ()     # write-only options nobody told us


class _Graph:
    """The records of one context."""

    def __init__(self, ctx: Any) -> None:
        self.nodes: list = []
        self.edges: list = []        # (src _Node, output, dst _Node, input or None, param or None)
        self.edge_keys: set = set()  # the same, with the records' ids: a connection is made once
        self.destination: Optional[_Node] = None
        self.listener: Optional[_Node] = None


_graphs: dict = {}       # id(context) -> _Graph
_by_engine: dict = {}    # engine node identity -> (id(context), _Node)
_waves: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()     # PeriodicWave -> coefficients


class _Wave:
    """A periodic wave as a record keeps it: its coefficients, not the object
    (a PeriodicWave holds its context, which a record must not keep alive)."""

    __slots__ = ("coeffs",)

    def __init__(self, wave: Any) -> None:
        self.coeffs = _waves.get(wave) if wave is not None else None


def _wave_ref(wave: Any) -> Any:
    return _Wave(wave) if isinstance(wave, _core.PeriodicWave) else wave


_loaded: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()    # AudioBuffer -> load() args


def _forget(k: int) -> None:
    with _lock:
        g = _graphs.pop(k, None)
        if g is None:
            return
        for key in [key for key, (c, _) in _by_engine.items() if c == k]:
            del _by_engine[key]


def _graph_of(ctx: Any) -> _Graph:
    k = id(ctx)
    g = _graphs.get(k)
    if g is None:
        g = _graphs[k] = _Graph(ctx)
        weakref.finalize(ctx, _forget, k)
        dest = ctx.destination
        g.destination = _Node(-1, "destination")
        g.destination.options = {name: getattr(dest, name) for name in _CHANNEL}
        _by_engine[dest._engine_id] = (k, g.destination)
    return g


def _register_listener(ctx: Any, listener: Any) -> None:
    """Record the listener's automation from the first time the user reaches it
    (reading ctx.listener before would make the engine's listener node early)."""
    if not isinstance(ctx, _core.OfflineAudioContext):
        return
    with _lock:
        g = _graph_of(ctx)
        if g.listener is not None:
            return
        g.listener = _Node(-2, "listener")
        for name in ("position_x", "position_y", "position_z", "forward_x", "forward_y",
                     "forward_z", "up_x", "up_y", "up_z"):
            g.listener.param_names[getattr(listener, name).name] = name
        _by_engine[listener.position_x._node_id] = (id(ctx), g.listener)


def _wrap_listener_property() -> None:
    base = _core.BaseAudioContext
    desc = base.__dict__.get("listener")
    if desc is None or isinstance(desc, property):
        return

    def fget(self):
        listener = desc.__get__(self, type(self))
        if listener is not None:
            _register_listener(self, listener)
        return listener

    base.listener = property(fget, None, None, desc.__doc__)


_param_name_cache: dict = {}   # node class -> {engine param name: attribute name}


def _param_names(node: Any, type_name: str) -> dict:
    cls = type(node)
    names = _param_name_cache.get(cls)
    if names is None:
        names = {p.name and getattr(node, p.name).name: p.name for p in _registry._read_params(node)}
        _param_name_cache[cls] = names
    return names


def _snapshot_options(node: Any, entry: _registry._Entry, given: dict) -> tuple[dict, tuple]:
    """The constructor options of `node`, read back from it (given: the factory's arguments)."""
    opts = {}
    missing = []
    write_only = _WRITE_ONLY.get(entry.name, ())
    for name, default in entry.options.items():
        if name in write_only:
            if name in given:
                opts[name] = _wave_ref(given[name])
            elif default is _registry.REQUIRED:
                missing.append(name)
            else:
                opts[name] = default
            continue
        try:
            value = getattr(node, name)
        except Exception:  # noqa: BLE001 - unreadable: keep what was given
            value = given.get(name, default)
        if isinstance(value, _core.AudioParam):
            value = float(value.value)
        opts[name] = value
    if entry.channel_options:
        for name in _CHANNEL:
            opts[name] = getattr(node, name)
    return opts, tuple(missing)


def _record_node(ctx: Any, node: Any, entry: _registry._Entry, given: dict) -> Optional[_Node]:
    if not isinstance(ctx, _core.OfflineAudioContext):
        return None     # real-time graphs are not recorded (their notes come and go forever)
    with _lock:
        g = _graph_of(ctx)
        rec = _Node(len(g.nodes), entry.name)
        g.nodes.append(rec)
        _by_engine[node._engine_id] = (id(ctx), rec)
    try:
        rec.ref = weakref.ref(node)
    except TypeError:  # pragma: no cover - every node type takes weak references
        rec.ref = None
    if entry.name in _UNSUPPORTED:
        return rec
    rec.options, rec.missing = _snapshot_options(node, entry, given)
    rec.param_names = _param_names(node, entry.name)
    return rec


def _node_record(node: Any) -> Optional[_Node]:
    """The record of a node wrapper (made now for a node its constructor made)."""
    key = node._engine_id
    found = _by_engine.get(key)
    ctx = node.context
    if found is not None and found[0] == id(ctx):
        return found[1]
    if not isinstance(ctx, _core.OfflineAudioContext):
        return None
    if isinstance(node, _core.AudioDestinationNode):
        return _graph_of(ctx).destination
    entry = _entry_of_class(type(node))
    if entry is None:
        return None
    rec = _record_node(ctx, node, entry, {})
    if rec is not None and not rec.missing and entry.name not in _UNSUPPORTED:
        rec.missing = tuple(n for n in _WRITE_ONLY.get(entry.name, ())
                            if entry.options.get(n) is not None)
    return rec


def _param_record(param: Any) -> tuple[Optional[_Node], Optional[str]]:
    found = _by_engine.get(param._node_id)
    if found is None:
        return None, None
    rec = found[1]
    return rec, rec.param_names.get(param.name, param.name)


def _add_event(param: Any, event: dict) -> None:
    with _lock:
        rec, name = _param_record(param)
        if rec is not None:
            rec.params.setdefault(name, []).append(event)


# ---------------------------------------------------------------------------
# Hooks
# ---------------------------------------------------------------------------


def _wrap_factory(cls: type, entry: _registry._Entry) -> None:
    method = cls.__dict__.get(entry.factory)
    if method is None or getattr(method, "_labsound_graph", False):
        return
    names = list(entry.options)

    def factory(self, *args, **kwargs):
        node = method(self, *args, **kwargs)
        given = dict(zip(names, args))
        given.update(kwargs)
        _record_node(self, node, entry, given)
        return node

    factory.__doc__ = method.__doc__
    factory.__name__ = entry.factory
    factory.__qualname__ = f"{cls.__name__}.{entry.factory}"
    factory.__text_signature__ = getattr(method, "__text_signature__", None)  # type: ignore[attr-defined]
    factory._labsound_graph = True  # type: ignore[attr-defined]
    setattr(cls, entry.factory, factory)


def _wrap_param_method(name: str, arg_names: tuple) -> None:
    method = getattr(_core.AudioParam, name)

    def wrapper(self, *args, **kwargs):
        result = method(self, *args, **kwargs)
        bound = dict(zip(arg_names, args))
        bound.update(kwargs)
        if "values" in bound:
            bound["values"] = [float(v) for v in _float32(bound["values"])]
        _add_event(self, {"type": name, **{k: _plain(v) for k, v in bound.items()}})
        return result

    wrapper.__doc__ = method.__doc__
    wrapper.__name__ = name
    wrapper.__qualname__ = f"AudioParam.{name}"
    wrapper.__text_signature__ = method.__text_signature__  # type: ignore[attr-defined]
    setattr(_core.AudioParam, name, wrapper)


def _wrap_property(cls: type, name: str, after: Any) -> None:
    desc = cls.__dict__.get(name)
    if desc is None or isinstance(desc, property) or not hasattr(desc, "__set__"):
        return

    def fset(self, value):
        desc.__set__(self, value)
        after(self, name, value)

    setattr(cls, name, property(desc.__get__, fset, None, desc.__doc__))


def _note_param(param: Any, name: str, value: Any) -> None:
    if name == "value":
        _add_event(param, {"type": "value", "value": float(param.value)})
    else:
        _add_event(param, {"type": "automation_rate", "value": str(param.automation_rate)})


def _note_setting(node: Any, name: str, value: Any) -> None:
    with _lock:
        rec = _node_record(node)
        if rec is not None:
            live = getattr(node, name)
            rec.settings[name] = value if _same(value, live) else live


def _wrap_call(cls: type, name: str, record: Any) -> None:
    method = cls.__dict__.get(name)
    if method is None:
        return
    import inspect

    try:
        sig = inspect.signature(method)
    except (TypeError, ValueError):  # pragma: no cover - every method has a text signature
        sig = None

    def wrapper(self, *args, **kwargs):
        result = method(self, *args, **kwargs)
        if sig is not None:
            bound = sig.bind(self, *args, **kwargs)
            bound.apply_defaults()
            arguments = dict(list(bound.arguments.items())[1:])
        else:  # pragma: no cover
            arguments = dict(kwargs)
        with _lock:
            rec = _node_record(self)
            if rec is not None:
                record(self, rec, name, arguments)
        return result

    wrapper.__doc__ = method.__doc__
    wrapper.__name__ = name
    wrapper.__qualname__ = f"{cls.__name__}.{name}"
    wrapper.__text_signature__ = getattr(method, "__text_signature__", None)  # type: ignore[attr-defined]
    setattr(cls, name, wrapper)


def _call_schedule(node: Any, rec: _Node, name: str, args: dict) -> None:
    rec.calls.append([name, {k: _plain(v) for k, v in args.items()}])


def _call_set_wave(node: Any, rec: _Node, name: str, args: dict) -> None:
    rec.settings["periodic_wave"] = _wave_ref(args.get("wave"))


def _call_position(node: Any, rec: _Node, name: str, args: dict) -> None:
    prefix = "position" if name == "set_position" else "orientation"
    for axis in ("x", "y", "z"):
        p = getattr(node, f"{prefix}_{axis}")
        rec.params.setdefault(f"{prefix}_{axis}", []).append(
            {"type": "value", "value": float(p.value)})


def _call_gate(node: Any, rec: _Node, name: str, args: dict) -> None:
    rec.params.setdefault("gate", []).append(
        {"type": "set_value_at_time", "value": 1.0 if name == "gate_on" else 0.0,
         "start_time": float(args.get("when", 0.0))})


def _call_snapshot(node: Any, rec: _Node, name: str, args: dict) -> None:
    entry = _entries.get(rec.type)
    for s in entry.settings if entry else ():
        rec.settings[s] = getattr(node, s)


def _listener_call(listener: Any, name: str) -> None:
    # AudioListener.set_position / set_orientation set its params' values
    names = (("position_x", "position_y", "position_z") if name == "set_position" else
             ("forward_x", "forward_y", "forward_z", "up_x", "up_y", "up_z"))
    for n in names:
        _note_param(getattr(listener, n), "value", None)


def _wrap_load() -> None:
    import labsound as ls
    from . import _files

    original = _files.load
    if getattr(original, "_labsound_graph", False):
        return

    def load(path, sample_rate=None, mono=False):
        buf = original(path, sample_rate, mono)
        if isinstance(path, (str, os.PathLike)):
            _loaded[buf] = {"path": os.fspath(path), "sample_rate": sample_rate, "mono": bool(mono)}
        return buf

    load.__doc__ = original.__doc__
    load.__wrapped__ = original  # type: ignore[attr-defined]
    load._labsound_graph = True  # type: ignore[attr-defined]
    _files.load = load
    ls.load = load


def _wrap_periodic_wave() -> None:
    base = _core.BaseAudioContext
    method = base.__dict__["create_periodic_wave"]

    def create_periodic_wave(self, *args, **kwargs):
        wave = method(self, *args, **kwargs)
        bound = dict(zip(("real", "imag", "disable_normalization"), args))
        bound.update(kwargs)
        real, imag = bound.get("real"), bound.get("imag")
        dn = False
        for opt in (bound.get("disable_normalization"), bound.get("constraints")):
            if isinstance(opt, dict):
                dn = bool(opt.get("disable_normalization", opt.get("disableNormalization", dn)))
            elif opt is not None:
                dn = bool(opt)
        if real is None and imag is None:
            real, imag = [0.0, 0.0], [0.0, 1.0]
        n = len(real) if real is not None else len(imag)
        _waves[wave] = {
            "real": [float(v) for v in _float32(real if real is not None else [0.0] * n)],
            "imag": [float(v) for v in _float32(imag if imag is not None else [0.0] * n)],
            "disable_normalization": dn,
        }
        return wave

    create_periodic_wave.__doc__ = method.__doc__
    create_periodic_wave.__text_signature__ = method.__text_signature__  # type: ignore[attr-defined]
    base.create_periodic_wave = create_periodic_wave


def _install() -> None:
    import labsound as ls

    if getattr(_core.AudioNode, "_labsound_graph", False):
        return
    for entry in _registry._TABLE:
        for cls in (_core.BaseAudioContext, _core.AudioContext, _core.OfflineAudioContext):
            _wrap_factory(cls, entry)
    for name, arg_names in _PARAM_METHODS.items():
        _wrap_param_method(name, arg_names)
    _wrap_property(_core.AudioParam, "value", _note_param)
    _wrap_property(_core.AudioParam, "automation_rate", _note_param)
    classes = {getattr(ls, e.cls) for e in _registry._TABLE} | {_core.AudioNode,
                                                                 _core.AudioDestinationNode}
    for cls in classes:
        entry = _entry_of_class(cls)
        for name in _CHANNEL + (tuple(entry.settings) if entry else ()):
            _wrap_property(cls, name, _note_setting)
    for cls in classes | {_core.AudioScheduledSourceNode}:
        for name in ("start", "stop"):
            if cls is not ls.RecorderNode:
                _wrap_call(cls, name, _call_schedule)
    _wrap_call(ls.OscillatorNode, "set_periodic_wave", _call_set_wave)
    _wrap_call(ls.PannerNode, "set_position", _call_position)
    _wrap_call(ls.PannerNode, "set_orientation", _call_position)
    for name in ("schedule", "clear_schedules"):   # the sampler's voices, replayed in order
        _wrap_call(ls.SampledAudioNode, name, _call_schedule)
    _wrap_call(ls.ADSRNode, "gate_on", _call_gate)
    _wrap_call(ls.ADSRNode, "gate_off", _call_gate)
    for name in ("coin", "laser", "explosion", "power_up", "hit", "jump", "select", "mutate",
                 "randomize"):
        _wrap_call(ls.SfxrNode, name, _call_snapshot)
    for name in ("set_position", "set_orientation"):
        method = _core.AudioListener.__dict__.get(name)
        if method is not None:
            def wrapper(self, *args, _m=method, _n=name, **kwargs):
                result = _m(self, *args, **kwargs)
                _listener_call(self, _n)
                return result
            wrapper.__doc__ = method.__doc__
            wrapper.__name__ = name
            wrapper.__text_signature__ = method.__text_signature__  # type: ignore[attr-defined]
            setattr(_core.AudioListener, name, wrapper)
    _wrap_periodic_wave()
    _wrap_listener_property()
    _wrap_load()

    add, remove = _notebook._add, _notebook._remove

    def tracked_add(src, dst, output, input):
        add(src, dst, output, input)
        _edge_add(src, dst, output, input)

    def tracked_remove(src, args, kwargs):
        remove(src, args, kwargs)
        _edge_remove(src, args, kwargs)

    _notebook._add = tracked_add
    _notebook._remove = tracked_remove
    _core.AudioNode._labsound_graph = True  # type: ignore[attr-defined]


def _edge_add(src: Any, dst: Any, output: Any, input: Any) -> None:
    with _lock:
        s = _node_record(src)
        if isinstance(dst, _core.AudioParam):
            d, pname = _param_record(dst)
            inp = None
        else:
            d, pname = _node_record(dst), None
            inp = 0 if input is None else int(input)
        if s is None or d is None:
            return
        g = _graph_of(src.context)
        edge = (s, 0 if output is None else int(output), d, inp, pname)
        key = (id(s), edge[1], id(d), inp, pname)
        if key not in g.edge_keys:
            g.edge_keys.add(key)
            g.edges.append(edge)


def _edge_remove(src: Any, args: tuple, kwargs: dict) -> None:
    with _lock:
        s = _node_record(src)
        g = _graphs.get(id(src.context))
        if s is None or g is None:
            return
        bound = dict(zip(("destination", "output", "input"), args))
        bound.update(kwargs)
        dst, out, inp = bound.get("destination"), bound.get("output"), bound.get("input")
        if isinstance(dst, int) and not isinstance(dst, bool) and out is None:
            dst, out = None, dst
        d = pname = None
        if isinstance(dst, _core.AudioParam):
            d, pname = _param_record(dst)
        elif dst is not None:
            d = _node_record(dst)

        def gone(e: tuple) -> bool:
            if e[0] is not s:
                return False
            if dst is not None and (e[2] is not d or e[4] != pname):
                return False
            if out is not None and e[1] != int(out):
                return False
            if inp is not None and e[3] != int(inp):
                return False
            return True

        kept = [e for e in g.edges if not gone(e)]
        if len(kept) != len(g.edges):
            g.edges[:] = kept
            g.edge_keys = {(id(e[0]), e[1], id(e[2]), e[3], e[4]) for e in kept}


# ---------------------------------------------------------------------------
# Values to data and back
# ---------------------------------------------------------------------------


def _float32(values: Any) -> Any:
    import numpy as np

    return np.asarray(values, dtype=np.float32).ravel()


def _plain(v: Any) -> Any:
    """A JSON value for a scalar or sequence argument."""
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        return float(v)
    if hasattr(v, "item") and getattr(v, "ndim", 1) == 0:
        return v.item()
    if isinstance(v, (list, tuple)) or hasattr(v, "tolist"):
        return [_plain(x) for x in (v.tolist() if hasattr(v, "tolist") else v)]
    return v


class _Dumper:
    def __init__(self, inline_buffers: bool, encoding: str) -> None:
        self.buffers: list = []
        self.buffer_ids: dict = {}
        self.waves: list = []
        self.wave_ids: dict = {}
        self.inline = inline_buffers
        self.encoding = encoding

    def buffer(self, buf: Any) -> dict:
        k = _buffer_key(buf)
        if k not in self.buffer_ids:
            import numpy as np

            src = None if self.inline else _loaded.get(buf)
            d: dict = {"number_of_channels": int(buf.number_of_channels), "length": int(buf.length),
                       "sample_rate": float(buf.sample_rate)}
            if src is not None:
                d["file"] = dict(src)
            else:
                data = np.ascontiguousarray(np.asarray(buf), dtype="<f4")
                if self.encoding == "list":
                    d["samples"] = data.tolist()
                else:
                    d["encoding"] = "base64-float32-le"
                    d["data"] = base64.b64encode(data.tobytes()).decode("ascii")
            self.buffer_ids[k] = len(self.buffers)
            self.buffers.append(d)
        return {"$buffer": self.buffer_ids[k]}

    def wave(self, wave: Any, where: str) -> dict:
        coeffs = wave.coeffs if isinstance(wave, _Wave) else _waves.get(wave)
        k = id(coeffs)
        if k not in self.wave_ids:
            if coeffs is None:
                raise _core.NotSupportedError(
                    f"to_dict(): {where} uses a PeriodicWave made by its constructor, whose "
                    "coefficients cannot be read back; make it with ctx.create_periodic_wave(...)")
            self.wave_ids[k] = len(self.waves)
            self.waves.append(dict(coeffs))
        return {"$periodic_wave": self.wave_ids[k]}

    def value(self, v: Any, where: str) -> Any:
        if isinstance(v, _core.AudioBuffer):
            return self.buffer(v)
        if isinstance(v, (_core.PeriodicWave, _Wave)):
            return self.wave(v, where)
        v = _plain(v)
        if v is None or isinstance(v, (bool, int, float, str)):
            return v
        if isinstance(v, list):
            return [self.value(x, where) for x in v]
        raise TypeError(f"to_dict(): {where} is a {type(v).__name__}, which has no data form")


def _buffer_key(buf: Any) -> tuple:
    """Wrappers of one engine buffer share their memory: key buffers by it."""
    import numpy as np

    return (np.asarray(buf).__array_interface__["data"][0], buf.number_of_channels, buf.length)


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if isinstance(a, _core.AudioBuffer) and isinstance(b, _core.AudioBuffer):
        return _buffer_key(a) == _buffer_key(b)
    if isinstance(a, (_core.AudioBuffer, _core.PeriodicWave)) or \
            isinstance(b, (_core.AudioBuffer, _core.PeriodicWave)):
        return False
    if a is None or b is None:
        return False
    if hasattr(a, "__len__") or hasattr(b, "__len__"):
        if isinstance(a, str) or isinstance(b, str):
            return a == b
        import numpy as np

        try:
            return bool(np.array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float)))
        except (TypeError, ValueError):
            return False
    return bool(a == b)


def _label(rec: _Node) -> str:
    entry = _entries.get(rec.type)
    cls = entry.cls if entry else rec.type
    factory = f" (ctx.{entry.factory})" if entry else ""
    return f"node #{rec.index} {cls}{factory}"


def _live_settings(rec: _Node) -> dict:
    """Settings and channel options: read from the node when its wrapper lives."""
    node = rec.ref() if rec.ref is not None else None
    entry = _entries.get(rec.type)
    out = dict(rec.settings)
    if node is not None and entry is not None:
        for name in tuple(entry.settings) + (_CHANNEL if entry.channel_options else ()):
            try:
                live = getattr(node, name)
            except Exception:  # noqa: BLE001 - unreadable: keep the recorded value
                continue
            prev = rec.settings.get(name, rec.options.get(name))
            # keep the object the user passed when it is the same one (ls.load's buffers)
            out[name] = prev if prev is not None and _same(prev, live) else live
    return out


def to_dict(ctx: Any, *, inline_buffers: bool = False, encoding: str = "base64") -> dict:
    """A JSON-serializable description of the graph made in `ctx` (see the module doc)."""
    if not isinstance(ctx, _core.OfflineAudioContext):
        raise _core.NotSupportedError(
            f"to_dict(): only an OfflineAudioContext records its graph, not a {type(ctx).__name__} "
            "(a real-time graph changes as it plays); build the graph in an OfflineAudioContext")
    if encoding not in ("base64", "list"):
        raise ValueError(f"to_dict(encoding): encoding must be 'base64' or 'list', got {encoding!r}")
    with _lock:
        g = _graph_of(ctx)
        nodes = list(g.nodes)
        edges = list(g.edges)
    dump = _Dumper(bool(inline_buffers), encoding)
    ctx_d: dict = {"type": type(ctx).__name__, "sample_rate": float(ctx.sample_rate),
                   "number_of_channels": int(ctx.destination.max_channel_count)}
    if isinstance(ctx, _core.OfflineAudioContext):
        if ctx.length is None:  # open-ended: its cap and tail are not read back
            raise _core.NotSupportedError("to_dict(): an open-ended OfflineAudioContext (length=None) "
                                          "cannot be described as data yet; give it a length")
        ctx_d["length"] = int(ctx.length)
    if ctx.interpolation != "linear":
        # the default of nodes made later (every node records its own)
        ctx_d["interpolation"] = ctx.interpolation
    out_nodes = []
    for rec in nodes:
        where = _label(rec)
        if rec.type in _UNSUPPORTED:
            raise _core.NotSupportedError(
                f"to_dict(): {where} {_UNSUPPORTED[rec.type]} and cannot be described as data; "
                "remove it from the graph (or render with it directly)")
        if rec.missing:
            raise _core.NotSupportedError(
                f"to_dict(): {where} was made by its class's constructor, so its "
                f"{', '.join(rec.missing)} cannot be read back; make it with "
                f"ctx.{_entries[rec.type].factory}(...)")
        options = {k: v for k, v in rec.options.items()}
        settings = _live_settings(rec)
        wave = settings.pop("periodic_wave", None)
        if wave is None and options.get("periodic_wave") is not None:
            wave = options["periodic_wave"]
        options.pop("periodic_wave", None)
        if wave is not None:
            settings.pop("type", None)
            options.pop("type", None)
        changed = {k: v for k, v in settings.items() if k not in options or not _same(options[k], v)}
        d: dict = {"id": rec.index, "type": rec.type,
                   "options": {k: dump.value(v, f"{where}'s option {k}") for k, v in options.items()}}
        if changed:
            d["settings"] = {k: dump.value(v, f"{where}'s {k}") for k, v in changed.items()}
        if wave is not None:
            d["periodic_wave"] = dump.wave(wave, where)
        if rec.params:
            d["params"] = {k: [dict(e) for e in v] for k, v in rec.params.items()}
        if rec.calls:
            d["calls"] = [[n, dict(a)] for n, a in rec.calls]
        out_nodes.append(d)
    conns = []
    for s, o, dst, i, p in edges:
        c: dict = {"from": "destination" if s is g.destination else s.index, "output": o,
                   "to": "destination" if dst is g.destination else dst.index}
        if p is not None:
            c["param"] = p
        else:
            c["input"] = i
        conns.append(c)
    result: dict = {"format": FORMAT, "version": VERSION, "context": ctx_d}
    dest_settings = {k: v for k, v in _dest_channel(ctx).items()
                     if v != g.destination.options.get(k)} if g.destination else {}
    result["destination"] = {**(g.destination.options if g.destination else {}), **dest_settings}
    if g.listener is not None and g.listener.params:
        result["listener"] = {"params": {k: [dict(e) for e in v]
                                         for k, v in g.listener.params.items()}}
    result["nodes"] = out_nodes
    result["connections"] = conns
    if dump.buffers:
        result["buffers"] = dump.buffers
    if dump.waves:
        result["periodic_waves"] = dump.waves
    return result


def _dest_channel(ctx: Any) -> dict:
    dest = ctx.destination
    return {name: getattr(dest, name) for name in _CHANNEL}


# ---------------------------------------------------------------------------
# Rebuilding
# ---------------------------------------------------------------------------


def _load_buffer(d: dict, i: int) -> Any:
    import numpy as np

    from . import _files as files

    where = f"from_dict(): buffers[{i}]"
    try:
        channels, length, rate = int(d["number_of_channels"]), int(d["length"]), float(d["sample_rate"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{where} needs number_of_channels, length and sample_rate: {exc}") from None
    if "file" in d:
        f = d["file"]
        buf = files.load(f["path"], f.get("sample_rate"), bool(f.get("mono", False)))
        if (buf.number_of_channels, buf.length) != (channels, length):
            raise ValueError(f"{where}: {f['path']!r} now holds {buf.number_of_channels} channels of "
                             f"{buf.length} frames, not {channels} of {length}")
        return buf
    if "samples" in d:
        data = np.asarray(d["samples"], dtype=np.float32)
    elif "data" in d:
        if d.get("encoding", "base64-float32-le") != "base64-float32-le":
            raise ValueError(f"{where}: unknown encoding {d.get('encoding')!r} "
                             "(expected 'base64-float32-le')")
        data = np.frombuffer(base64.b64decode(d["data"]), dtype="<f4").astype(np.float32)
    else:
        raise ValueError(f"{where} has no samples, data or file")
    if data.size != channels * length:
        raise ValueError(f"{where} holds {data.size} samples, expected {channels} x {length}")
    return _core.AudioBuffer.from_numpy(data.reshape(channels, length), rate, copy=True)


def from_dict(cls: Any, d: dict, *, length: Optional[int] = None,
              number_of_channels: Optional[int] = None, sample_rate: Optional[float] = None) -> Any:
    """A new OfflineAudioContext holding the graph `d` describes (as ``to_dict`` made it)."""
    if not isinstance(d, dict):
        raise TypeError(f"from_dict(d): d must be a dict (as to_dict returns), got {type(d).__name__}")
    if d.get("format") != FORMAT:
        raise ValueError(f"from_dict(d): not a labsound graph (format {d.get('format')!r}, "
                         f"expected {FORMAT!r})")
    if int(d.get("version", 0)) > VERSION:
        raise ValueError(f"from_dict(d): graph version {d.get('version')} is newer than this "
                         f"labsound reads ({VERSION})")
    c = d.get("context", {})
    frames = length if length is not None else c.get("length")
    if frames is None:
        raise ValueError("from_dict(length): the graph comes from a real-time context and has no "
                         "length; pass length= (frames to render)")
    extra = {"interpolation": c["interpolation"]} if c.get("interpolation") else {}
    ctx = cls(int(number_of_channels or c.get("number_of_channels", 2)), int(frames),
              float(sample_rate or c["sample_rate"]), **extra)
    dest = ctx.destination
    for name, value in d.get("destination", {}).items():
        if getattr(dest, name) != value:
            setattr(dest, name, value)
    buffers = [_load_buffer(b, i) for i, b in enumerate(d.get("buffers", []))]
    waves = [ctx.create_periodic_wave(w["real"], w["imag"], bool(w.get("disable_normalization")))
             for w in d.get("periodic_waves", [])]

    def obj(v: Any) -> Any:
        if isinstance(v, dict) and "$buffer" in v:
            return buffers[int(v["$buffer"])]
        if isinstance(v, dict) and "$periodic_wave" in v:
            return waves[int(v["$periodic_wave"])]
        return v

    nodes: dict = {}
    for n in d.get("nodes", []):
        type_name = n.get("type")
        if type_name in _UNSUPPORTED:
            raise _core.NotSupportedError(f"from_dict(): node {n.get('id')} ({type_name}) "
                                          f"{_UNSUPPORTED[type_name]} and cannot be rebuilt")
        options = {k: obj(v) for k, v in n.get("options", {}).items()}
        try:
            node = ctx.create(type_name, **options)
        except Exception as exc:
            raise type(exc)(f"from_dict(): node {n.get('id')} ({type_name}): {exc}") from exc
        for k, v in n.get("settings", {}).items():
            setattr(node, k, obj(v))
        if "periodic_wave" in n:
            node.set_periodic_wave(obj(n["periodic_wave"]))
        for pname, events in n.get("params", {}).items():
            _replay(getattr(node, pname), events)
        nodes[n["id"]] = (node, n.get("calls", []))
    for pname, events in d.get("listener", {}).get("params", {}).items():
        _replay(getattr(ctx.listener, pname), events)

    def lookup(k: Any) -> Any:
        if k == "destination":
            return ctx.destination
        try:
            return nodes[k][0]
        except KeyError:
            raise ValueError(f"from_dict(): a connection names node {k!r}, which the graph "
                             "does not have") from None

    for cn in d.get("connections", []):
        src, dst = lookup(cn["from"]), lookup(cn["to"])
        if "param" in cn:
            src.connect(getattr(dst, cn["param"]), int(cn.get("output", 0)))
        else:
            src.connect(dst, int(cn.get("output", 0)), int(cn.get("input", 0)))
    for node, calls in nodes.values():
        for name, args in calls:
            getattr(node, name)(**args)
    return ctx


def _replay(param: Any, events: list) -> None:
    for e in events:
        kind = e["type"]
        if kind == "value":
            param.value = e["value"]
        elif kind == "automation_rate":
            param.automation_rate = e["value"]
        elif kind in _PARAM_METHODS:
            getattr(param, kind)(**{k: e[k] for k in _PARAM_METHODS[kind]})
        else:
            raise ValueError(f"from_dict(): unknown automation event {kind!r} on {param.name}")


_install()


def _ctx_to_dict(self: Any, *, inline_buffers: bool = False, encoding: str = "base64") -> dict:
    """A JSON-serializable description of this context's graph.

    Lists every node made by a ``create_*`` factory (its registry type name,
    constructor options, changed settings, automation events in call order,
    ``start``/``stop`` calls), the connections (node to node with output and
    input indices, node to AudioParam by name), the destination's channel
    settings, the listener's automation, buffers (inline as base64 float32,
    or ``encoding="list"`` for nested lists; by path when ``ls.load`` read
    them from a file, unless ``inline_buffers=True``) and periodic waves by
    their coefficients. ``json.dumps`` takes it as is;
    ``OfflineAudioContext.from_dict(d)`` rebuilds the graph, which renders
    bit-identically. NotSupportedError names a node that cannot be data
    (Python processing nodes, device input); only an OfflineAudioContext
    records its graph (NotSupportedError for a real-time context).
    """
    return to_dict(self, inline_buffers=inline_buffers, encoding=encoding)


def _ctx_from_dict(cls: Any, d: dict, *, length: Optional[int] = None,
                   number_of_channels: Optional[int] = None,
                   sample_rate: Optional[float] = None) -> Any:
    """A new OfflineAudioContext rebuilt from a ``to_dict()`` description.

    The context's channels, length and sample rate come from ``d`` unless
    given (a graph from a real-time AudioContext needs ``length``). Nodes are
    made by their factories with the recorded options, then settings,
    automation events, connections and ``start``/``stop`` calls are replayed
    in the order they were made. ValueError for a malformed description,
    NotSupportedError for a node type that cannot be rebuilt.
    """
    return from_dict(cls, d, length=length, number_of_channels=number_of_channels,
                     sample_rate=sample_rate)


_core.BaseAudioContext.to_dict = _ctx_to_dict  # type: ignore[attr-defined]
_core.OfflineAudioContext.from_dict = classmethod(_ctx_from_dict)  # type: ignore[attr-defined]


def dump(ctx: Any, **kwargs: Any) -> dict:
    """``ctx.to_dict(**kwargs)``: the graph of a context as JSON-serializable data."""
    return to_dict(ctx, **kwargs)


def load(d: dict, **kwargs: Any) -> Any:
    """``ls.OfflineAudioContext.from_dict(d, **kwargs)``: a context rebuilt from data."""
    return from_dict(_core.OfflineAudioContext, d, **kwargs)

