"""Graphs as data: ``ctx.to_dict()``, ``OfflineAudioContext.from_dict(d)``,
``labsound.graph.dump(ctx)`` and ``labsound.graph.load(d)``.

The engine keeps what it was asked on its control side (see
``include/labsound/record.h``): the context's nodes in the order they were
made, their connections in the order they were made, each AudioParam's
value at creation and every automation call made on it, and the calls that
schedule sources (``start``, ``stop``, the sampler's schedules).
``labsound._core._graph_record`` hands that over, with a wrapper of each
node through which its options and settings are read back, so a node made
any way (a ``ctx.create_*`` factory, its class's constructor,
``ctx.create(name)``, ``from_dict``) is described, and so is a node whose
Python wrapper is gone while it still plays. Nothing is recorded on the
Python side.

``to_dict`` turns that into plain JSON data (lists, dicts, numbers,
strings): buffers inline as base64 float32 (or lists) or by path when
loaded from a file, periodic waves by their coefficients, wave-shaper
curves as lists. ``from_dict`` builds a new OfflineAudioContext from it;
the rebuilt graph renders bit-identically, since it makes the same calls in
the same order (and noise generators get the seeds the originals used).
"""

from __future__ import annotations

import base64
import threading
from typing import Any, Optional

from . import _core, _files, _registry

FORMAT = "labsound.graph"
VERSION = 1

#: node types whose state is Python code or a device, never data
_UNSUPPORTED = {
    "Function": "runs Python code (a processing node)",
    "AudioProcessor": "runs Python code (a processing node)",
    "MediaStreamAudioSource": "captures an audio input device",
    "StreamSource": "plays audio fed from outside the graph (a file, a generator)",
}
#: the engine's type number of device input (LS_NODE_TYPE_MEDIA_STREAM_SOURCE),
#: a type no offline context can make to ask
_MEDIA_STREAM_SOURCE = 80

_CHANNEL = ("channel_count", "channel_count_mode", "channel_interpretation")

#: automation methods and their arguments, by the engine's record type number
#: (ls_param_record_type), as a description lists them
_PARAM_METHODS = {
    "set_value_at_time": ("value", "start_time"),
    "linear_ramp_to_value_at_time": ("value", "end_time"),
    "exponential_ramp_to_value_at_time": ("value", "end_time"),
    "set_target_at_time": ("target", "start_time", "time_constant"),
    "set_value_curve_at_time": ("values", "start_time", "duration"),
    "cancel_scheduled_values": ("cancel_time",),
    "cancel_and_hold_at_time": ("cancel_time",),
}
_RECORD_TYPES = ("set_value_at_time", "linear_ramp_to_value_at_time",
                 "exponential_ramp_to_value_at_time", "set_target_at_time",
                 "set_value_curve_at_time", "cancel_scheduled_values",
                 "cancel_and_hold_at_time", "value", "automation_rate")
_RATES = ("a-rate", "k-rate")

_entries = {e.name: e for e in _registry._TABLE}
_lock = threading.Lock()
_types: dict = {}          # engine type number -> (registry entry, class)
_param_name_cache: dict = {}   # node class -> {engine param name: attribute name}


def _node_types() -> dict:
    """Engine type number -> (entry, class) of every registered type, found
    once by making one node of each in a small OfflineAudioContext."""
    import labsound as ls

    with _lock:
        known = {id(e) for e, _ in _types.values()}
        missing = [e for e in _registry._TABLE if id(e) not in known and e.name not in _UNSUPPORTED
                   and e.io is None]
        if not missing:
            return _types
        ctx = _core.OfflineAudioContext(1, _core.RENDER_QUANTUM, 44100.0)
        for e in missing:
            try:
                node = getattr(ctx, e.factory)(**(e.probe(ls) if e.probe else {}))
            except Exception:  # noqa: BLE001 - a type that cannot be probed is not described
                continue
            _types[_core._graph_node_type(node)] = (e, type(node))
        return _types


def _param_names(node: Any) -> dict:
    """{engine param name: attribute name} of a node's class."""
    cls = type(node)
    names = _param_name_cache.get(cls)
    if names is None:
        names = {getattr(node, p.name).name: p.name for p in _registry._read_params(node)}
        _param_name_cache[cls] = names
    return names


def _listener_names(listener: Any) -> dict:
    return {getattr(listener, n).name: n for n in (
        "position_x", "position_y", "position_z", "forward_x", "forward_y", "forward_z",
        "up_x", "up_y", "up_z")}


def _events(records: list) -> list:
    """The engine's records of one param as a description's event dicts."""
    out = []
    for kind, value, time, tc, duration, curve, rate in records:
        name = _RECORD_TYPES[kind]
        if name == "value":
            out.append({"type": "value", "value": value})
        elif name == "automation_rate":
            out.append({"type": "automation_rate", "value": _RATES[rate]})
        elif name == "set_value_curve_at_time":
            out.append({"type": name, "values": curve, "start_time": time, "duration": duration})
        elif name.startswith("cancel"):
            out.append({"type": name, "cancel_time": time})
        elif name == "set_target_at_time":
            out.append({"type": name, "target": value, "start_time": time, "time_constant": tc})
        else:
            out.append({"type": name, "value": value, _PARAM_METHODS[name][1]: time})
    return out


def _calls(entry: _registry._Entry, records: list) -> list:
    """The engine's scheduling records of a node as [method, {arguments}]."""
    out = []
    for kind, when, offset, duration, loops in records:
        if kind == 0:
            args: dict = {"when": when}
            if entry.name == "AudioBufferSource":
                args["offset"] = offset
                args["duration"] = duration if duration >= 0 else None
            out.append(["start", args])
        elif kind == 1:
            out.append(["stop", {"when": when}])
        elif kind == 2:
            args = {"when": when, "loop_count": loops, "offset": offset}
            if duration >= 0:
                args["duration"] = duration
            out.append(["schedule", args])
        else:
            out.append(["clear_schedules", {}])
    return out


def _option(node: Any, entry: _registry._Entry, name: str) -> Any:
    """A constructor option read back from the engine through the node."""
    kind = entry.name
    if name == "max_delay_time":
        return _core._max_delay_time(node)
    if kind == "IIRFilter":
        ff, fb = _core._iir_coefficients(node)
        return ff if name == "feedforward" else fb
    if kind == "Convolver":
        if name == "disable_normalization":
            return not node.normalize
        if name == "buffer":
            return _core._convolver_buffer(node)
    value = getattr(node, name)
    if isinstance(value, _core.AudioParam):
        value = float(value.value)
    return value


def _label(index: int, entry: Optional[_registry._Entry], name: str) -> str:
    if entry is None:
        return f"node #{index} ({name})"
    return f"node #{index} {entry.cls} (ctx.{entry.factory})"


def to_dict(ctx: Any, *, inline_buffers: bool = False, encoding: str = "base64") -> dict:
    """A JSON-serializable description of the graph made in `ctx` (see the module doc)."""
    if not isinstance(ctx, _core.OfflineAudioContext):
        raise _core.NotSupportedError(
            f"to_dict(): only an OfflineAudioContext can be described, not a {type(ctx).__name__} "
            "(a real-time graph changes as it plays); build the graph in an OfflineAudioContext")
    if encoding not in ("base64", "list", "none"):
        raise ValueError(f"to_dict(encoding): encoding must be 'base64', 'list' or 'none', "
                         f"got {encoding!r}")
    if ctx.length is None:  # open-ended: its cap and tail are not read back
        raise _core.NotSupportedError("to_dict(): an open-ended OfflineAudioContext (length=None) "
                                      "cannot be described as data yet; give it a length")
    types = _node_types()
    rec = _core._graph_record(ctx, {t: cls for t, (_, cls) in types.items()})
    dump = _Dumper(bool(inline_buffers), encoding)
    ctx_d: dict = {"type": type(ctx).__name__, "sample_rate": float(ctx.sample_rate),
                   "number_of_channels": int(ctx.destination.max_channel_count),
                   "length": int(ctx.length)}
    if ctx.interpolation != "linear":
        # the default of nodes made later (every node has its own in its options)
        ctx_d["interpolation"] = ctx.interpolation
    ids: dict = {}
    names: dict = {}         # serial -> {engine param name: attribute name}
    out_nodes = []
    for index, (node, type_id, serial, is_script, params, calls) in enumerate(rec["nodes"]):
        ids[serial] = index
        entry = types.get(type_id, (None,))[0]
        if is_script or type_id == _MEDIA_STREAM_SOURCE or entry is None:
            cls = type(node).__name__
            known = next((e for e in _registry._TABLE if e.cls == cls), None)
            who = (_label(index, known, cls) if known is not None else
                   f"node #{index} (a FunctionNode or AudioProcessorNode)" if is_script else
                   f"node #{index} (MediaStreamAudioSourceNode)"
                   if type_id == _MEDIA_STREAM_SOURCE else f"node #{index} (engine type {type_id})")
            what = (_UNSUPPORTED[known.name] if known is not None and known.name in _UNSUPPORTED else
                    "runs Python code (a processing node)" if is_script else
                    _UNSUPPORTED["MediaStreamAudioSource"] if type_id == _MEDIA_STREAM_SOURCE else
                    "is of a type labsound cannot describe")
            raise _core.NotSupportedError(
                f"to_dict(): {who} {what} and cannot be described as data; "
                "remove it from the graph (or render with it directly)")
        where = _label(index, entry, entry.name)
        pnames = names[serial] = _param_names(node)
        initial = {pnames.get(n, n): v for n, v, _ in params}
        options: dict = {}
        wave = _core._oscillator_wave(node) if entry.name == "Oscillator" else None
        # settings through the type's descriptor where it has one (the engine's
        # getters), else through the wrapper's properties
        described = _core._node_settings(node) or {}
        for name in entry.options:
            if name == "periodic_wave" or (name == "type" and wave is not None):
                continue
            options[name] = (initial[name] if name in initial else described[name]
                             if name in described else _option(node, entry, name))
        if entry.channel_options:
            for name in _CHANNEL:
                options[name] = getattr(node, name)
        settings = {}
        for name in entry.settings:
            if name in entry.options or (name == "normalize" and "disable_normalization" in options):
                continue
            settings[name] = described[name] if name in described else getattr(node, name)
        d: dict = {"id": index, "type": entry.name,
                   "options": {k: dump.value(v, f"{where}'s option {k}") for k, v in options.items()}}
        label = getattr(node, "name", None)
        if label:
            d["name"] = label
        if settings:
            d["settings"] = {k: dump.value(v, f"{where}'s {k}") for k, v in settings.items()}
        if wave is not None:
            d["periodic_wave"] = dump.wave(wave)
        events = {pnames.get(n, n): _events(e) for n, _, e in params if e}
        if events:
            d["params"] = events
        if calls:
            d["calls"] = _calls(entry, calls)
        out_nodes.append(d)
    listener_names: dict = {}
    if rec["listener"] is not None:
        listener_names = _listener_names(ctx.listener)
    conns = []
    for src, output, dst, inp, param, _ in sorted(rec["connections"], key=lambda c: c[5]):
        if src not in ids or not (isinstance(dst, str) or dst in ids):
            continue      # (the engine reclaimed the other end)
        to = dst if isinstance(dst, str) else ids[dst]
        c: dict = {"from": ids[src], "output": output, "to": to}
        if param is not None:
            table = listener_names if dst == "listener" else names.get(dst, {})
            c["param"] = table.get(param, param)
        else:
            c["input"] = inp
        conns.append(c)
    result: dict = {"format": FORMAT, "version": VERSION, "context": ctx_d,
                    "destination": {name: getattr(ctx.destination, name) for name in _CHANNEL}}
    if rec["listener"] is not None:
        levents = {listener_names.get(n, n): _events(e) for n, _, e in rec["listener"] if e}
        if levents:
            result["listener"] = {"params": levents}
    result["nodes"] = out_nodes
    result["connections"] = conns
    if dump.buffers:
        result["buffers"] = dump.buffers
    if dump.waves:
        result["periodic_waves"] = dump.waves
    return result


def _edges(ctx: Any, dest: Any) -> list:
    """The connections of `ctx` as the engine holds them, in connection order:
    (source, output, destination, input), the destination a node wrapper (the
    context's destination is `dest`) or an AudioParam (input None). For
    ``ctx.graph()``."""
    rec = _core._graph_record(ctx, {t: cls for t, (_, cls) in _node_types().items()})
    by_serial = {serial: node for node, _, serial, *_ in rec["nodes"]}
    listener = ctx.listener if rec["listener"] is not None else None
    out = []
    for src, output, dst, inp, param, _ in sorted(rec["connections"], key=lambda c: c[5]):
        s = by_serial.get(src)
        d = dest if dst == "destination" else listener if dst == "listener" else by_serial.get(dst)
        if s is None or d is None:
            continue
        if param is not None:
            names = _listener_names(d) if d is listener else _param_names(d)
            out.append((s, output, getattr(d, names.get(param, param)), None))
        else:
            out.append((s, output, d, inp))
    return out


# ---------------------------------------------------------------------------
# Values to data and back
# ---------------------------------------------------------------------------


def _plain(v: Any) -> Any:
    """A JSON value for a scalar or sequence."""
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
        import numpy as np

        data = np.ascontiguousarray(np.asarray(buf), dtype="<f4")
        k = (data.__array_interface__["data"][0], buf.number_of_channels, buf.length)
        if k not in self.buffer_ids:
            src = None if self.inline else _files._loaded_from(buf)
            d: dict = {"number_of_channels": int(buf.number_of_channels), "length": int(buf.length),
                       "sample_rate": float(buf.sample_rate)}
            if src is not None:
                d["file"] = dict(src)
            elif self.encoding == "none":
                pass      # the shape only (ctx.graph() draws without the samples)
            elif self.encoding == "list":
                d["samples"] = data.tolist()
            else:
                d["encoding"] = "base64-float32-le"
                d["data"] = base64.b64encode(data.tobytes()).decode("ascii")
            self.buffer_ids[k] = len(self.buffers)
            self.buffers.append(d)
        return {"$buffer": self.buffer_ids[k]}

    def wave(self, wave: tuple) -> dict:
        """wave: (identity, real, imag, disable_normalization) as the engine reports it."""
        k = wave[0]
        if k not in self.wave_ids:
            self.wave_ids[k] = len(self.waves)
            self.waves.append({"real": list(wave[1]), "imag": list(wave[2]),
                               "disable_normalization": bool(wave[3])})
        return {"$periodic_wave": self.wave_ids[k]}

    def value(self, v: Any, where: str) -> Any:
        if isinstance(v, _core.AudioBuffer):
            return self.buffer(v)
        if isinstance(v, _core.PeriodicWave):
            real, imag, dn = _core._periodic_wave_coefficients(v)
            return self.wave((id(v), real, imag, dn))
        v = _plain(v)
        if v is None or isinstance(v, (bool, int, float, str)):
            return v
        if isinstance(v, list):
            return [self.value(x, where) for x in v]
        raise TypeError(f"to_dict(): {where} is a {type(v).__name__}, which has no data form")


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
        if n.get("name") is not None:
            node.name = n["name"]
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
        if k == "listener":
            return ctx.listener
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




def _ctx_to_dict(self: Any, *, inline_buffers: bool = False, encoding: str = "base64") -> dict:
    """A JSON-serializable description of this context's graph.

    Lists every node made by a ``create_*`` factory (its registry type name,
    constructor options, changed settings, automation events in call order,
    ``start``/``stop`` calls), the connections (node to node with output and
    input indices, node to AudioParam by name), the destination's channel
    settings, the listener's automation, buffers (inline as base64 float32,
    or ``encoding="list"`` for nested lists; by path when ``ls.load`` read
    them from a file, unless ``inline_buffers=True``; ``encoding="none"``
    gives their shape only, a description ``from_dict`` cannot rebuild) and
    periodic waves by their coefficients. ``json.dumps`` takes it as is;
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

