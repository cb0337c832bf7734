"""Notebook views: an AudioBuffer plays in an <audio> element, ``ctx.graph()`` draws the graph.

The engine has no call that lists a context's nodes and connections, so the
connections made from Python (``connect``, ``>>``, ``<<``, ``ctx.connect``) are
recorded here, per context, with weak references to the nodes; ``disconnect``
removes the edges it removed in the engine. Nothing here needs graphviz: the
SVG is written with a layered layout (sources left, the destination right).
"""

from __future__ import annotations

import base64
import html
import io
import os
import wave
from typing import Any, Optional, Union

import numpy as np

from . import _core

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

_PARAM_NAMES = ("frequency", "detune", "gain", "offset", "q", "delay_time", "pan", "playback_rate",
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
    """The nodes and connections of a context, as the engine holds them.

    ``nodes`` lists the connected nodes (the destination last), ``edges`` the
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
        """The node's name in the drawing: its class and index in ``nodes``
        ("GainNode #2"), for any wrapper of the node. ValueError if the node
        is not in the graph."""
        i = [n._engine_id for n in self.nodes].index(node._engine_id)
        dest = self.destination._engine_id
        return f"{type(node).__name__} #{i}" if node._engine_id != dest else "AudioDestinationNode"

    def _layers(self) -> dict[int, int]:
        """Longest path from a source: each node's column (the destination last)."""
        ids = [id(n) for n in self.nodes]
        succ: dict[int, set] = {i: set() for i in ids}
        for src, _, dst, _ in self.edges:
            tgt = dst if isinstance(dst, _core.AudioNode) else self._owners.get(id(dst), (None,))[0]
            if tgt is not None and id(tgt) in succ and tgt is not src:
                succ[id(src)].add(id(tgt))
        layer = {i: 0 for i in ids}
        for _ in range(len(ids)):  # relax; cycles stop after len(ids) passes
            changed = False
            for a in ids:
                for b in succ[a]:
                    if layer[b] < layer[a] + 1 and layer[a] + 1 < len(ids):
                        layer[b] = layer[a] + 1
                        changed = True
            if not changed:
                break
        dest = id(self.destination)
        layer[dest] = max(layer.values()) if len(ids) == 1 else max(
            max(v for k, v in layer.items() if k != dest) + 1, layer[dest])
        return layer

    def to_svg(self) -> str:
        """The graph drawn as a standalone SVG document (str), nodes in
        columns by depth from the sources, params as ports on their node; no
        graphviz needed."""
        w_box, h_box, gap_x, gap_y, row = 170, 34, 70, 26, 16
        layer = self._layers()
        cols: dict[int, list] = {}
        for n in self.nodes:
            cols.setdefault(layer[id(n)], []).append(n)
        pos: dict[int, tuple[float, float, float]] = {}  # id -> x, y, height
        param_pos: dict[int, tuple[float, float]] = {}
        height = 0.0
        for c in sorted(cols):
            y = 20.0
            for n in cols[c]:
                ps = [(name, p) for name, p in _node_params(n)
                      if any(d is p for _, _, d, _ in self.edges)]
                h = h_box + row * len(ps)
                x = 20.0 + c * (w_box + gap_x)
                pos[id(n)] = (x, y, h)
                for k, (_, p) in enumerate(ps):
                    param_pos[id(p)] = (x, y + h_box + row * k + row / 2)
                y += h + gap_y
            height = max(height, y)
        loose = [d for _, _, d, _ in self.edges if isinstance(d, _core.AudioParam) and id(d) not in param_pos]
        width = 40.0 + (max(cols) + 1 if cols else 1) * (w_box + gap_x)
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height + 20:.0f}" '
               f'viewBox="0 0 {width:.0f} {height + 20:.0f}" font-family="sans-serif" font-size="12">',
               '<defs><marker id="ls-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
               'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>']
        for k, p in enumerate(loose):
            param_pos[id(p)] = (width - w_box - 20, height + k * row)
        for n in self.nodes:
            x, y, h = pos[id(n)]
            title = html.escape(self.label(n))
            out.append(f'<g class="node"><title>{title}</title>'
                       f'<rect x="{x}" y="{y}" width="{w_box}" height="{h}" rx="6" fill="#eef3fb" stroke="#345"/>'
                       f'<text x="{x + w_box / 2}" y="{y + 21}" text-anchor="middle">{title}</text>')
            for name, p in _node_params(n):
                if id(p) in param_pos and param_pos[id(p)][0] == x:
                    py = param_pos[id(p)][1]
                    out.append(f'<text class="param" x="{x + 10}" y="{py + 4}" fill="#735">'
                               f'{html.escape(name)} (AudioParam)</text>')
            out.append("</g>")
        for src, o, dst, i in self.edges:
            sx, sy, sh = pos[id(src)]
            x1, y1 = sx + w_box, sy + h_box / 2
            if isinstance(dst, _core.AudioNode):
                dx, dy, _ = pos[id(dst)]
                x2, y2 = dx, dy + h_box / 2
                label = f"{o}\u2192{i}" if (o or i) else ""
                cls = "edge"
            else:
                x2, y2 = param_pos[id(dst)]
                label = dst.name
                cls = "edge param-edge"
            if x2 <= x1:  # backwards (feedback): bend around below
                mid = max(y1, y2) + 30
                d = f"M{x1},{y1} C{x1 + 60},{mid} {x2 - 60},{mid} {x2},{y2}"
            else:
                d = f"M{x1},{y1} C{(x1 + x2) / 2},{y1} {(x1 + x2) / 2},{y2} {x2},{y2}"
            t = html.escape(f"{self.label(src)} \u2192 " + (self.label(dst) if isinstance(dst, _core.AudioNode)
                                                             else f"{dst.name} (AudioParam)"))
            out.append(f'<path class="{cls}" d="{d}" fill="none" stroke="#555" marker-end="url(#ls-arrow)">'
                       f"<title>{t}</title></path>")
            if label:
                out.append(f'<text x="{(x1 + x2) / 2}" y="{(y1 + y2) / 2 - 4}" font-size="10" '
                           f'text-anchor="middle" fill="#555">{html.escape(label)}</text>')
        for p in loose:
            x, y = param_pos[id(p)]
            out.append(f'<text class="param" x="{x}" y="{y}" fill="#735">{html.escape(p.name)} (AudioParam)</text>')
        out.append("</svg>")
        return "\n".join(out)

    def _repr_svg_(self) -> str:
        return self.to_svg()

    def to_dot(self) -> str:
        """The graph in Graphviz's dot language (str), for ``dot -Tpng``."""
        lines = ["digraph labsound {", "  rankdir=LR;", "  node [shape=box];"]
        for k, n in enumerate(self.nodes):
            lines.append(f'  n{k} [label="{self.label(n)}"];')
        index = {id(n): k for k, n in enumerate(self.nodes)}
        for src, o, dst, i in self.edges:
            if isinstance(dst, _core.AudioNode):
                lines.append(f'  n{index[id(src)]} -> n{index[id(dst)]} [label="{o}:{i}"];')
            else:
                owner = self._owners.get(id(dst), (None, dst.name))[0]
                tgt = f"n{index[id(owner)]}" if owner is not None and id(owner) in index else f'"{dst.name}"'
                lines.append(f'  n{index[id(src)]} -> {tgt} [label="{dst.name}", style=dashed];')
        lines.append("}")
        return "\n".join(lines) + "\n"

    def save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Write the SVG to ``path`` (Graphviz dot text when it ends in .dot)."""
        p = os.fspath(path)
        text = self.to_dot() if str(p).endswith(".dot") else self.to_svg()
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)

    def __repr__(self) -> str:
        return f"<labsound.Graph: {len(self.nodes)} nodes, {len(self.edges)} connections>"


def graph(self: Any) -> Graph:
    """The nodes and connections of this context, drawable as SVG."""
    return Graph(self)


_core.BaseAudioContext.graph = graph  # type: ignore[attr-defined]
