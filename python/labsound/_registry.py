"""Node types by name: ``ls.node_types()`` and ``ctx.create(name, **options)``.

Every node type the engine has is described once, by its descriptor in the
engine (``src/nodes/<node>.c``; ``_core._node_descriptors()``): its name, its
class and factory, its keyword options with their defaults, its AudioParams
(default, range, rate), its settings. This module reads them; the node types
made in Python over the engine's script node (FunctionNode, AudioProcessorNode)
are the only ones listed here by hand.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Callable, Mapping, Optional

from . import _core

#: Default of an option the constructor requires (it has no default).
REQUIRED = inspect.Parameter.empty


@dataclass(frozen=True)
class ParamInfo:
    """An AudioParam of a node type, as the engine reports it.

    ``default``, ``min_value`` and ``max_value`` are the param's default and
    nominal range (values outside it are clamped when rendered; ``default`` is
    NaN where it follows the options, as a granulator's position_end follows
    its buffer);
    ``automation_rate`` is 'a-rate' or 'k-rate'.
    """

    name: str
    default: float
    min_value: float
    max_value: float
    automation_rate: str


@dataclass(frozen=True)
class NodeType:
    """One node type: what ``ctx.create(name)`` makes and what it takes.

    A value of ``ls.node_types()``: ``cls`` the Python class, ``factory`` the
    ``ctx.create_*`` method, ``options`` the keyword options and their
    defaults, ``params`` its AudioParams (ParamInfo), ``settings`` its plain
    attributes, ``is_source`` whether it has ``start``/``stop``.
    """

    name: str
    cls: type
    factory: str
    number_of_inputs: int
    number_of_outputs: int
    is_source: bool
    options: Mapping[str, Any]
    params: tuple[ParamInfo, ...]
    settings: tuple[str, ...]


_CHANNEL_OPTIONS = ("channel_count", "channel_count_mode", "channel_interpretation")


@dataclass(frozen=True)
class _Entry:
    name: str
    cls: str                       # attribute of the labsound package
    factory: str                   # method of BaseAudioContext / AudioContext
    options: dict                  # the node's own keyword options -> default
    settings: tuple = ()
    channel_options: bool = True   # the constructor also takes the three channel options
    probe: Optional[Callable[[Any], dict]] = None   # kwargs for the probe node (required options)
    io: Optional[tuple] = None     # (inputs, outputs, is_source) for types no offline
                                   # context can make (device input)


def _processor_probe(ls: Any) -> dict:
    class _Probe(ls.AudioProcessor):
        def process(self, inputs, outputs, parameters):  # pragma: no cover - never rendered
            return False

    return {"processor": _Probe}


# kwargs that make a node of a type whose options have no usable default
_PROBES: dict[str, Callable[[Any], dict]] = {
    "IIRFilter": lambda ls: {"feedforward": [1.0], "feedback": [1.0]},
    "Granulation": lambda ls: {"buffer": ls.AudioBuffer(1, length=44100, sample_rate=44100.0)},
    "AudioProcessor": _processor_probe,
}

# the node types bound by hand: those made in Python over the engine's script
# node, and the stream source
_PYTHON_TYPES: list[_Entry] = [
    _Entry("Function", "FunctionNode", "create_function",
           {"channels": 1, "mode": None, "lookahead": None}, channel_options=False),
    _Entry("AudioProcessor", "AudioProcessorNode", "create_processor",
           {"processor": REQUIRED, "number_of_inputs": 1, "number_of_outputs": 1,
            "output_channel_count": None, "parameter_data": None,
            "mode": None, "lookahead": None},
           probe=_processor_probe),
    # the stream source: its Python constructor takes what feeds it (python/labsound/_streams.py)
    _Entry("StreamSource", "StreamSourceNode", "create_stream_source",
           {"source": REQUIRED, "channels": None, "sample_rate": None, "buffer_frames": None,
            "block_frames": 4096, "onerror": None}, channel_options=False,
           probe=lambda ls: {"source": [__import__("numpy").zeros((1, 128), "float32")]}),
]

# what the Python layer adds to a type's descriptor: the device a device input
# opens, the wave shaper's curve (an array, bound by hand)
_EXTRA_OPTIONS: dict[str, dict] = {"MediaStreamAudioSource": {"device": None, "channels": 1}}
_EXTRA_SETTINGS: dict[str, tuple] = {"WaveShaper": ("curve",)}

_DESCRIPTORS = {d["name"]: d for d in _core._node_descriptors()}


def _listed(d: dict) -> bool:
    """A type with a class and a factory in this package (not the engine's
    script node, which Python reaches through FunctionNode / AudioProcessorNode)."""
    return not d["internal"] and hasattr(_core, d["name"] + "Node") and \
        all(e.name != d["name"] for e in _PYTHON_TYPES)


def _entry_from(d: dict) -> _Entry:
    options = {o["name"]: (REQUIRED if o["required"] else o["default"]) for o in d["options"]}
    options.update(_EXTRA_OPTIONS.get(d["name"], {}))
    settings = _EXTRA_SETTINGS.get(d["name"], ()) + tuple(
        s["name"] for s in d["settings"] if s["writable"])
    io = (d["number_of_inputs"], d["number_of_outputs"], d["is_source"]) if d["external"] else None
    return _Entry(d["name"], d["name"] + "Node", "create_" + d["key"], options, settings,
                  channel_options=d["channel_options"], probe=_PROBES.get(d["name"]), io=io)


_TABLE: list[_Entry] = [_entry_from(d) for d in _DESCRIPTORS.values() if _listed(d)] + _PYTHON_TYPES

_cache: Optional[Mapping[str, NodeType]] = None


def _register(entry: _Entry) -> None:
    """Add a node type to the table (modules defining node classes call this)."""
    global _cache
    if any(e.name == entry.name for e in _TABLE):
        raise ValueError(f"node type {entry.name!r} is already registered")
    _TABLE.append(entry)
    _cache = None


def _read_params(node: Any) -> tuple[ParamInfo, ...]:
    seen: dict[int, ParamInfo] = {}
    for attr in dir(type(node)):
        if attr.startswith("_"):
            continue
        try:
            value = getattr(node, attr)
        except Exception:
            continue
        if isinstance(value, _core.AudioParam) and id(value) not in seen:
            seen[id(value)] = ParamInfo(attr, float(value.default_value), float(value.min_value),
                                        float(value.max_value), str(value.automation_rate))
    return tuple(seen.values())


def _describe(entry: _Entry, ctx: Any) -> NodeType:
    import labsound as ls

    cls = getattr(ls, entry.cls)
    options = dict(entry.options)
    d = _DESCRIPTORS.get(entry.name) if entry not in _PYTHON_TYPES else None
    if d is not None:
        # everything from the engine's descriptor
        params = tuple(ParamInfo(p["name"], p["default"], p["min_value"], p["max_value"],
                                 p["automation_rate"])
                       for p in d["params"] if not p["driven"])
        if entry.channel_options:
            count, mode, interp = d["channel_defaults"]
            options.update(channel_count=count, channel_count_mode=mode,
                           channel_interpretation=interp)
        return NodeType(entry.name, cls, entry.factory, d["number_of_inputs"],
                        d["number_of_outputs"], d["is_source"], MappingProxyType(options), params,
                        tuple(entry.settings))
    # a node type made in Python: one node of it, made in a small context
    kwargs = entry.probe(ls) if entry.probe else {}
    node = getattr(ctx, entry.factory)(**kwargs)
    return NodeType(entry.name, cls, entry.factory, int(node.number_of_inputs),
                    int(node.number_of_outputs),
                    isinstance(node, _core.AudioScheduledSourceNode), MappingProxyType(options),
                    _read_params(node), tuple(entry.settings))


def node_types() -> Mapping[str, NodeType]:
    """Every node type ``BaseAudioContext.create`` knows, by name.

    A read-only mapping name -> :class:`NodeType`, read from the engine's node
    descriptors (the params' nominal ranges at 44.1 kHz).
    """
    global _cache
    if _cache is None:
        ctx = _core.OfflineAudioContext(1, _core.RENDER_QUANTUM, 44100.0)
        _cache = MappingProxyType({e.name: _describe(e, ctx) for e in _TABLE})
    return _cache


def create(self: Any, name: str, /, **options: Any) -> Any:
    """A new node of the type called ``name`` (see ``labsound.node_types()``),
    made by its factory with these keyword options."""
    if not isinstance(name, str):
        raise TypeError(f"create(): name must be a str, not {type(name).__name__}")
    entry = next((e for e in _TABLE if e.name == name), None)
    if entry is None:
        valid = ", ".join(sorted(e.name for e in _TABLE))
        raise ValueError(f"create(): unknown node type {name!r}; valid names: {valid}")
    factory = getattr(self, entry.factory, None)
    if factory is None:
        raise TypeError(f"create(): a {type(self).__name__} cannot make a {name} node "
                        f"({entry.factory} is not one of its methods)")
    return factory(**options)


_core.BaseAudioContext.create = create  # type: ignore[attr-defined]
