"""Notebook views: an AudioBuffer plays in an <audio> element, ``ctx.graph()`` draws the graph.

The nodes and connections come from the engine's own record of the context
(include/labsound/record.h, through ``labsound._graph``), however they were
made; nothing is recorded here. The drawing is made by
``labsound._graphview`` from the context's ``to_dict()`` description: a
layered layout (sources left, the destination right), or Graphviz's ``dot``
where it is installed.
"""

from __future__ import annotations

import base64
import html
import io
import os
import wave
from typing import Any, Optional, Union

import numpy as np

from . import _core, _graphview

# ---------------------------------------------------------------------------
# AudioBuffer._repr_html_
# ---------------------------------------------------------------------------

#: The longest stretch (seconds) a buffer embeds in a notebook.
MAX_HTML_SECONDS = 30.0


def wav_bytes(buffer: Any, max_seconds: Optional[float] = None) -> tuple[bytes, int]:
    """16-bit PCM WAV of ``buffer`` (at most ``max_seconds``) and the frames it holds."""
    data = np.asarray(buffer, dtype=np.float32)
    if data.ndim == 1:
        data = data[np.newaxis, :]
    rate = int(round(buffer.sample_rate))
    frames = data.shape[1]
    if max_seconds is not None:
        frames = min(frames, int(max_seconds * rate))
    pcm = np.clip(data[:, :frames], -1.0, 1.0)
    pcm = np.round(pcm * 32767.0).astype("<i2").T.copy()
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(data.shape[0])
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return out.getvalue(), frames


def buffer_repr_html(self: Any) -> str:
    wav, frames = wav_bytes(self, MAX_HTML_SECONDS)
    b64 = base64.b64encode(wav).decode("ascii")
    info = (f"AudioBuffer: {self.number_of_channels} channel(s), {self.length} frames, "
            f"{self.sample_rate:g} Hz, {self.duration:.3f} s")
    note = ""
    if frames < self.length:
        note = (f'<div class="labsound-note">shortened: the player holds the first '
                f"{frames / self.sample_rate:g} s of {self.duration:.3f} s</div>")
    return (f'<div class="labsound-buffer"><div>{html.escape(info)}</div>'
            f'<audio controls src="data:audio/wav;base64,{b64}"></audio>{note}</div>')


_core.AudioBuffer._repr_html_ = buffer_repr_html  # type: ignore[attr-defined]

# ---------------------------------------------------------------------------
# Graph
# ---------------------------------------------------------------------------

_PARAM_NAMES = ("frequency", "detune", "gain", "offset", "Q", "delay_time", "pan", "playback_rate",
                "threshold", "knee", "ratio", "attack", "release", "position_x", "position_y",
                "position_z", "orientation_x", "orientation_y", "orientation_z")


def _node_params(node: Any) -> list[tuple[str, Any]]:
    out = []
    for name in _PARAM_NAMES:
        try:
            p = getattr(node, name)
        except Exception:  # noqa: BLE001 - a node without that param
            continue
        if isinstance(p, _core.AudioParam):
            out.append((name, p))
    return out


class Graph:
    """The nodes and connections of a context made from Python.

    ``nodes`` lists the live nodes (the destination last), ``edges`` the
    connections as (source, output, destination, input) with destination a
    node or an AudioParam (input None). ``_repr_svg_`` draws it for Jupyter,
    ``save(path)`` writes the SVG (or, for a ``.dot`` path, Graphviz text).
    """

    def __init__(self, context: Any) -> None:
        from . import _graph

        self.context = context
        self.destination = dest = context.destination
        edges = _graph._edges(context, dest)
        nodes: list = []
        seen: set = set()

        def add(n: Any) -> None:
            if id(n) not in seen:
                seen.add(id(n))
                nodes.append(n)

        for src, _, dst, _ in edges:
            add(src)
            if isinstance(dst, _core.AudioNode):
                add(dst)
        owners = {}
        for n in list(nodes) + [dest]:
            for name, p in _node_params(n):
                owners[id(p)] = (n, name)
        for _, _, dst, _ in edges:
            if isinstance(dst, _core.AudioParam) and id(dst) not in owners:
                owners[id(dst)] = (None, dst.name)
        nodes = [n for n in nodes if n is not dest] + [dest]
        self.nodes = nodes
        self.edges = edges
        self._owners = owners

    def label(self, node: Any) -> str:
        """The node's label in profiles: its class and index in ``nodes``
        ("GainNode #2"), after its name when it has one ("lead (GainNode #2)"),
        for any wrapper of the node. ValueError if the node is not in the graph."""
        i = [n._engine_id for n in self.nodes].index(node._engine_id)
        if node._engine_id == self.destination._engine_id:
            return "AudioDestinationNode"
        name = getattr(node, "name", None)
        return f"{name} ({type(node).__name__} #{i})" if name else f"{type(node).__name__} #{i}"

    def description(self) -> dict:
        """What the drawing shows, as ``ctx.to_dict()`` data: ``nodes`` (id, type,
        options, settings, automation, ``name``) and ``connections`` (from, output,
        to, input or param). A context ``to_dict`` cannot describe (a real-time one,
        or one holding a Python processing node) is described from the
        connections the engine holds, in the same form."""
        try:
            return self.context.to_dict(encoding="none")   # no samples: only the drawing
        except Exception:  # noqa: BLE001 - NotSupportedError, TypeError: describe what we see
            return self._live_description()

    def _live_description(self) -> dict:
        import labsound

        from . import _registry

        def entry_of(node: Any) -> Any:
            for klass in type(node).__mro__:
                for e in _registry._TABLE:
                    if getattr(labsound, e.cls, None) is klass:
                        return e
            return None

        index = {id(n): k for k, n in enumerate(self.nodes) if n is not self.destination}
        nodes = []
        for n, k in [(n, index[id(n)]) for n in self.nodes if id(n) in index]:
            entry = entry_of(n)
            opts: dict = {}
            for name in (entry.options if entry else {}):
                try:
                    v = getattr(n, name)
                except Exception:  # noqa: BLE001 - write-only or unreadable options
                    continue
                if isinstance(v, _core.AudioParam):
                    v = float(v.value)
                if isinstance(v, (int, float, str)):
                    opts[name] = v
            d = {"id": k, "type": entry.name if entry else type(n).__name__.removesuffix("Node"),
                 "options": opts}
            if getattr(n, "name", None):
                d["name"] = n.name
            nodes.append(d)
        conns = []
        for src, o, dst, i in self.edges:
            c: dict = {"from": "destination" if src is self.destination else index[id(src)], "output": o}
            if isinstance(dst, _core.AudioNode):
                c["to"] = "destination" if dst is self.destination else index[id(dst)]
                c["input"] = i
            else:
                owner, pname = self._owners.get(id(dst), (None, dst.name))
                if owner is None or (owner is not self.destination and id(owner) not in index):
                    continue
                c["to"] = "destination" if owner is self.destination else index[id(owner)]
                c["param"] = pname
            conns.append(c)
        dest = self.destination
        return {"nodes": nodes, "connections": conns,
                "destination": {"channel_count": dest.channel_count}}

    def layout(self, max_width: float = _graphview.MAX_WIDTH) -> "_graphview.Drawing":
        """The built-in layered layout: boxes, ports, edge polylines and texts in
        pixels (see ``labsound._graphview``); ``max_width`` is the widest the
        drawing grows before its layers wrap into bands."""
        return _graphview.layout(self.description(), max_width)

    def to_svg(self, engine: str = "auto", max_width: float = _graphview.MAX_WIDTH) -> str:
        """The graph drawn as a standalone SVG document (str).

        ``engine="builtin"`` uses labsound's own layered layout (its layers
        wrap into bands beyond ``max_width`` pixels); ``"graphviz"`` runs
        Graphviz's ``dot`` (FileNotFoundError without it); ``"auto"`` (the
        default) uses ``dot`` when it is on the PATH and the built-in layout
        otherwise (or when ``dot`` fails)."""
        if engine not in ("auto", "builtin", "graphviz"):
            raise ValueError(f"to_svg(engine): engine must be 'auto', 'builtin' or 'graphviz', got {engine!r}")
        desc = self.description()
        if engine != "builtin":
            svg = _graphview.graphviz_svg(desc, required=engine == "graphviz")
            if svg is not None:
                return svg
        return _graphview.to_svg(_graphview.layout(desc, max_width))

    def _repr_svg_(self) -> str:
        return self.to_svg()

    def to_dot(self) -> str:
        """The graph in Graphviz's dot language (str), for ``dot -Tsvg``: one box
        per node with its settings, a port per input, param and output."""
        return _graphview.to_dot(self.description())

    def save(self, path: Union[str, "os.PathLike[str]"], engine: str = "auto") -> None:
        """Write the SVG to ``path`` (Graphviz dot text when it ends in .dot);
        ``engine`` as for :meth:`to_svg`."""
        p = os.fspath(path)
        text = self.to_dot() if str(p).endswith(".dot") else self.to_svg(engine)
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)

    def __repr__(self) -> str:
        return f"<labsound.Graph: {len(self.nodes)} nodes, {len(self.edges)} connections>"


def graph(self: Any) -> Graph:
    """The nodes and connections of this context, drawable as SVG."""
    return Graph(self)


_core.BaseAudioContext.graph = graph  # type: ignore[attr-defined]
