"""The drawing behind ``ctx.graph()``: a layered layout of a graph description.

Input is the data ``ctx.to_dict()`` returns (``nodes`` with their type,
options, settings, automation and optional ``name``; ``connections`` with
output and input indices, or the AudioParam they feed). Output is a
:class:`Drawing` (boxes, ports and edge polylines in pixels) that
:func:`to_svg` writes as SVG, or Graphviz text from :func:`to_dot`.

The layout is a layered drawing in the Sugiyama style:

1. feedback edges are found by a depth-first search and reversed, so the
   rest is acyclic;
2. layers by longest path from the sources, the destination alone in the last
   layer (sources left, destination right);
3. an edge spanning several layers gets a dummy slot in each layer it passes;
4. the order inside each layer is reduced in crossings by barycenter sweeps
   (down and up, the best order by counted crossings is kept);
5. a long run of layers is cut into bands stacked top to bottom, so a graph
   grows in both directions instead of into a strip;
6. edges are routed orthogonally: from a port straight into the corridor (the
   gap between two columns), along a track of that corridor, through the
   next column at the edge's dummy slot, and so on to the target's port; an
   edge to a later band runs down its corridor to the gap above that band.
   Corridors and band gaps hold no box, dummy slots are kept free, and every
   vertical or horizontal run gets a track of its own, so no edge crosses a
   box it does not connect and no two edges share a run.

Port numbers are written inside the boxes beside their ports (for nodes with
more than one input or output), param ports by the param's name.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any, Optional

FONT = 12.0          # node title
FONT_SMALL = 10.5    # settings and port labels
LINE = 15.0          # line height of a box's text
PORT_ROW = 14.0      # vertical spacing of ports
PAD = 8.0            # box padding
BOX_MIN_W, BOX_MAX_W = 118.0, 190.0
NODE_GAP = 18.0      # vertical gap between items of a column
DUMMY_H = 6.0        # height a dummy slot takes
TRACK = 10.0         # spacing of edge tracks
CORRIDOR_MIN = 48.0  # narrowest corridor between columns
BAND_GAP_MIN = 30.0
MARGIN = 16.0
#: Widest drawing (pixels) before the layers are cut into bands.
MAX_WIDTH = 1500.0
#: Width to height ratio the bands aim at.
ASPECT = 3.0


def _char_width(c: str) -> float:
    """Width of a character as a fraction of the font size: a little above the
    widest common sans-serif (DejaVu Sans), so estimated text never overruns."""
    if c in "MWmw@%\u2026~":
        return 1.02
    if c in "iljI|.,:;'!":
        return 0.32
    if c in "ftr -()[]/":
        return 0.44
    if c.isdigit():
        return 0.66
    if c.isupper():
        return 0.78
    if c.islower():
        return 0.64
    return 0.8 if ord(c) < 0x2E80 else 1.05


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated width of ``text`` at font ``size`` (pixels), ``bold`` or not."""
    return sum(_char_width(c) for c in text) * size * (1.12 if bold else 1.0)


# ---------------------------------------------------------------------------
# Node labels from the description
# ---------------------------------------------------------------------------

#: Params worth showing even at their default value, per node type.
_MAIN = {"Oscillator": ("frequency",), "BiquadFilter": ("frequency", "Q"), "Gain": ("gain",),
         "ConstantSource": ("offset",), "Delay": ("delay_time",), "StereoPanner": ("pan",),
         "PolyBLEP": ("frequency",), "Supersaw": ("frequency",)}
_UNITS = {"frequency": " Hz", "delay_time": " s", "detune": " ct", "threshold": " dB",
          "attack": " s", "release": " s"}
_SHORT = {"delay_time": "delay", "playback_rate": "rate", "channel_count": "ch"}
_SKIP = {"channel_count", "channel_count_mode", "channel_interpretation", "periodic_wave",
         "buffer", "curve", "feedforward", "feedback", "max_delay_time", "seed", "number_of_inputs",
         "number_of_outputs", "channels", "disable_normalization"}


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return "on" if v else "off"
    if isinstance(v, (int, float)):
        if v != v or math.isinf(v):
            return str(v)
        if abs(v) >= 100:   # 2720 Hz, not 2.72e+03 Hz
            return f"{v:.0f}"
        return f"{v:.3g}"
    return str(v)


def _types() -> dict:
    try:
        from . import _registry

        return dict(_registry.node_types())
    except Exception:  # noqa: BLE001 - labels without defaults are still labels
        return {}


def _class_name(type_name: str, types: dict) -> str:
    t = types.get(type_name)
    return t.cls.__name__ if t is not None else f"{type_name}Node"


def node_lines(node: dict, types: dict, buffers: Optional[list] = None) -> tuple[str, list[str]]:
    """The title and the settings lines of a description node: its name (then
    its class below) or its class, then its type and the values of its main
    params and of whatever differs from the defaults ("~" marks automation)."""
    type_name = node.get("type", "?")
    t = types.get(type_name)
    defaults = dict(t.options) if t is not None else {}
    opts = dict(node.get("options") or {})
    opts.update(node.get("settings") or {})
    params = node.get("params") or {}
    items = []
    if isinstance(opts.get("type"), str):
        items.append(opts["type"])
    if node.get("periodic_wave") is not None:
        items.append("custom wave")
    ref = opts.get("buffer")
    if isinstance(ref, dict) and isinstance(ref.get("$buffer"), int) and buffers \
            and 0 <= ref["$buffer"] < len(buffers):
        b = buffers[ref["$buffer"]]
        try:
            items.append(f"buffer {int(b['number_of_channels'])} ch "
                         f"{_fmt(int(b['length']) / float(b['sample_rate']))} s")
        except (KeyError, TypeError, ValueError, ZeroDivisionError):
            pass
    main = _MAIN.get(type_name, ())
    for k in list(main) + [k for k in opts if k not in main]:
        if k in _SKIP or k == "type" or k not in opts:
            continue
        v = opts[k]
        events = params.get(k) or []
        for e in events:    # a plain value set later replaces the option's
            if e.get("type") == "value":
                v = e.get("value", v)
        automated = any(e.get("type") not in ("value", "automation_rate") for e in events)
        if isinstance(v, bool) or v is None or not isinstance(v, (int, float, str)):
            continue
        if k not in main and not automated and k in defaults and v == defaults[k]:
            continue
        text = f"{_SHORT.get(k, k)} {_fmt(v)}{'' if isinstance(v, str) else _UNITS.get(k, '')}"
        items.append(text + (" ~" if automated else ""))
    title = _class_name(type_name, types)
    name = node.get("name")
    lines = []
    if name:
        lines.append(title)
        title = str(name)
    line = ""
    for it in items:
        if line and len(line) + 2 + len(it) > 26:
            lines.append(line)
            line = it
        else:
            line = f"{line}, {it}" if line else it
    if line:
        lines.append(line)
    return title, lines[:4]


# ---------------------------------------------------------------------------
# Geometry
# ---------------------------------------------------------------------------


@dataclass
class Box:
    """A node drawn as a box: its id (``to_dict``'s, or "destination"),
    position and size, title, settings lines and ports."""

    id: Any
    title: str
    lines: list
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0
    inputs: int = 1
    outputs: int = 1
    params: list = field(default_factory=list)   # connected param names, in port order
    layer: int = 0

    def in_port(self, index: int) -> float:
        """y of input `index` (the params' ports follow the inputs)."""
        return self.y + self.top + PORT_ROW * (index + 0.5)

    def param_port(self, name: str) -> float:
        """y of the port of the param `name`."""
        return self.in_port(self.inputs + self.params.index(name))

    def out_port(self, index: int) -> float:
        """y of output `index`."""
        return self.y + self.top + PORT_ROW * (index + 0.5)

    @property
    def top(self) -> float:
        """Height of the text block above the ports."""
        return PAD + LINE + LINE * len(self.lines)


@dataclass
class Edge:
    """A connection drawn as a polyline from an output port to an input
    (``input`` None and ``param`` set for a param connection)."""

    src: Any
    output: int
    dst: Any
    input: Optional[int]
    param: Optional[str]
    points: list = field(default_factory=list)
    feedback: bool = False


@dataclass
class Label:
    """A text in the drawing: position (baseline start, or middle when
    ``anchor`` is "middle"/"end"), size and the box it belongs to."""

    x: float
    y: float
    text: str
    size: float
    anchor: str = "start"
    cls: str = ""
    box: Any = None

    def bounds(self) -> tuple[float, float, float, float]:
        w = text_width(self.text, self.size, self.cls == "title")
        x0 = self.x - (w / 2 if self.anchor == "middle" else w if self.anchor == "end" else 0)
        return (x0, self.y - self.size * 0.8, x0 + w, self.y + self.size * 0.25)


@dataclass
class Drawing:
    """What :func:`layout` makes: boxes, edges and texts in pixels, the size of
    the whole, and the number of bands the layers were cut into."""

    boxes: list
    edges: list
    labels: list
    width: float
    height: float
    bands: int = 1


class _Item:
    """One entry of a column: a box or a dummy slot of an edge."""

    __slots__ = ("box", "edge", "h", "y", "order", "layer")

    def __init__(self, box: Optional[Box], edge: Optional[int], h: float, layer: int) -> None:
        self.box, self.edge, self.h, self.layer = box, edge, h, layer
        self.y = 0.0
        self.order = 0.0


def layout(desc: dict, max_width: float = MAX_WIDTH) -> Drawing:
    """Lay out a ``to_dict()``-style description (see the module doc)."""
    types = _types()
    boxes: dict = {}
    for n in desc.get("nodes", []):
        title, lines = node_lines(n, types, desc.get("buffers"))
        t = types.get(n.get("type"))
        opts = n.get("options") or {}
        b = Box(n.get("id"), title, lines)
        b.inputs = int(opts.get("number_of_inputs", t.number_of_inputs if t else 1))
        b.outputs = int(opts.get("number_of_outputs", t.number_of_outputs if t else 1))
        boxes[b.id] = b
    dest = Box("destination", "AudioDestinationNode", [], outputs=0)
    ch = (desc.get("destination") or {}).get("channel_count")
    if ch is not None:
        dest.lines = [f"{ch} channel{'s' if ch != 1 else ''}"]
    boxes["destination"] = dest
    edges = []
    for c in desc.get("connections", []):
        s, d = c.get("from"), c.get("to")
        for k in (s, d):
            if k not in boxes:  # a node the description does not list (the listener, say)
                boxes[k] = Box(k, "AudioListener" if k in (-2, "listener") else f"node {k}", [],
                               inputs=0, outputs=0)
        e = Edge(s, int(c.get("output", 0) or 0), d,
                 None if "param" in c else int(c.get("input", 0) or 0), c.get("param"))
        edges.append(e)
        src, dst = boxes[s], boxes[d]
        src.outputs = max(src.outputs, e.output + 1)
        if e.param is not None:
            if e.param not in dst.params:
                dst.params.append(e.param)
        else:
            dst.inputs = max(dst.inputs, (e.input or 0) + 1)
    order = list(boxes)
    # box sizes
    for b in boxes.values():
        ports = max(b.inputs + len(b.params), b.outputs, 1)
        texts = [text_width(b.title, FONT, True)] + [text_width(t, FONT_SMALL) for t in b.lines]
        port_text = max([text_width(p, FONT_SMALL) for p in b.params] + [0.0])
        need = max(texts + [0.0]) + 2 * PAD
        need = max(need, port_text + 2 * PAD + (text_width("00", FONT_SMALL) + 6 if b.outputs > 1 else 0))
        b.w = need
        b.h = b.top + PORT_ROW * ports + PAD / 2
    width_box = min(BOX_MAX_W, max([BOX_MIN_W] + [b.w for b in boxes.values()]))
    for b in boxes.values():
        b.w = width_box
        _fit(b)

    # 1. feedback edges: reverse the back edges of a depth-first search
    succ: dict = {k: [] for k in order}
    for i, e in enumerate(edges):
        succ[e.src].append((e.dst, i))
    state: dict = {k: 0 for k in order}
    fed = {e.dst for e in edges if e.dst != e.src}
    for root in [k for k in order if k not in fed] + order:   # from the sources first
        if state[root]:
            continue
        stack = [(root, iter(succ[root]))]
        state[root] = 1
        while stack:
            k, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[k] = 2
                stack.pop()
                continue
            d, i = nxt
            if state[d] == 1:
                edges[i].feedback = True
            elif state[d] == 0:
                state[d] = 1
                stack.append((d, iter(succ[d])))
    # 2. layers: longest path from a source over the forward edges
    fwd: dict = {k: [] for k in order}
    indeg: dict = {k: 0 for k in order}
    for e in edges:
        if not e.feedback and e.src != e.dst:
            fwd[e.src].append(e.dst)
            indeg[e.dst] += 1
    layer = {k: 0 for k in order}
    queue = [k for k in order if indeg[k] == 0]
    while queue:
        k = queue.pop()
        for d in fwd[k]:
            layer[d] = max(layer[d], layer[k] + 1)
            indeg[d] -= 1
            if indeg[d] == 0:
                queue.append(d)
    # sinks other than the destination sit just after their latest input
    last = max([layer[k] for k in order if k != "destination"] + [-1]) + 1
    layer["destination"] = max(last, layer["destination"])
    for k in order:
        if k != "destination" and not fwd[k]:
            preds = [layer[e.src] for e in edges if e.dst == k and not e.feedback and e.src != k]
            if preds:
                layer[k] = max(preds) + 1
    nlayers = max(layer.values()) + 1
    for k, b in boxes.items():
        b.layer = layer[k]

    # 5 (decided first: dummies live inside a band). Bands: only for a drawing wider
    # than max_width, and then as many as bring it nearest to ASPECT times as wide as
    # high without going (much) past max_width
    col_w = width_box + CORRIDOR_MIN * 1.6
    tallest = max(sum(boxes[k].h + NODE_GAP for k in order if layer[k] == lay) for lay in range(nlayers))
    nbands, per_band = 1, nlayers
    if nlayers * col_w > max_width and nlayers * col_w > ASPECT * (tallest + BAND_GAP_MIN):
        best = None     # (a strip: wider than max_width and than ASPECT times its height)
        for nb in range(1, nlayers + 1):
            pb = -(-nlayers // nb)
            aspect = (pb * col_w) / (nb * (tallest + BAND_GAP_MIN))
            # near the aspect aimed at, and past max_width only when that keeps it far better
            score = abs(math.log(aspect / ASPECT)) + 3 * max(0.0, math.log(pb * col_w / max_width))
            if best is None or score < best[0] - 1e-9:
                best = (score, nb, pb)
        _, nbands, per_band = best
        nbands = -(-nlayers // per_band)

    def band(lay: int) -> int:
        return lay // per_band

    # 3. columns of items, dummies for edges inside one band
    cols: list = [[] for _ in range(nlayers)]
    item_of: dict = {}
    for k in order:
        it = _Item(boxes[k], None, boxes[k].h, layer[k])
        it.order = len(cols[layer[k]])
        cols[layer[k]].append(it)
        item_of[k] = it
    chains: dict = {}   # edge index -> dummy items, in drawing order
    anchors: dict = {}  # id(dummy) -> the box it stays beside, in its own column
    for i, e in enumerate(edges):
        a, b = layer[e.src], layer[e.dst]
        if band(a) != band(b):
            continue
        if b > a:
            span = range(a + 1, b)
        else:           # feedback (or a self-loop): back through the columns a .. b
            span = range(a, b - 1, -1)
        chain = []
        for lay in span:
            it = _Item(None, i, DUMMY_H, lay)
            it.order = len(cols[lay])
            cols[lay].append(it)
            chain.append(it)
        chains[i] = chain
        if chain and b <= a:     # a loop's ends stay beside its source and its target
            anchors[id(chain[0])] = item_of[e.src]
            anchors[id(chain[-1])] = item_of[e.dst]

    # adjacency between items of consecutive layers, for ordering
    links: list = []    # (item in layer l, item in layer l + 1)
    for i, e in enumerate(edges):
        seq = [item_of[e.src]] + chains.get(i, []) + [item_of[e.dst]]
        for u, v in zip(seq, seq[1:]):
            if u.layer + 1 == v.layer:
                links.append((u, v))
            elif v.layer + 1 == u.layer:
                links.append((v, u))
    _order(cols, links, anchors)

    # vertical placement inside each column
    for col in cols:
        y = 0.0
        for it in col:
            it.y = y
            y += it.h + NODE_GAP
    _straighten(cols, links, anchors)

    # geometry: the corridors and gaps grow until their tracks fit
    corridor_w = [CORRIDOR_MIN] * (per_band + 1)   # corridor_w[k + 1]: corridor k (right of column k)
    band_gap = [BAND_GAP_MIN] * (nbands + 1)       # band_gap[b]: the gap above band b
    for _ in range(12):
        xs = []
        x = MARGIN + corridor_w[0]
        for c in range(per_band):
            xs.append(x)
            x += width_box + corridor_w[c + 1]
        width = x + MARGIN
        band_top = []
        y = MARGIN
        for bnd in range(nbands):
            y += band_gap[bnd]
            band_top.append(y)
            hmax = 0.0
            for lay in range(bnd * per_band, min(nlayers, (bnd + 1) * per_band)):
                for it in cols[lay]:
                    hmax = max(hmax, it.y + it.h)
            y += hmax
        height = y + band_gap[nbands] + MARGIN
        for lay, col in enumerate(cols):
            for it in col:
                if it.box is not None:
                    it.box.x = xs[lay % per_band]
                    it.box.y = band_top[band(lay)] + it.y
        vert, horiz = _route(edges, boxes, chains, xs, corridor_w, band_top, band_gap, per_band,
                             width_box, layer, band)
        need_c = list(corridor_w)
        for k, n in vert.items():
            need_c[k + 1] = max(need_c[k + 1], TRACK * (n + 1))
        need_g = list(band_gap)
        for k, n in horiz.items():
            need_g[k] = max(need_g[k], TRACK * (n + 1))
        if need_c == corridor_w and need_g == band_gap:
            break
        corridor_w, band_gap = need_c, need_g

    labels = _labels(boxes.values())
    return Drawing(list(boxes.values()), edges, labels, width, height, nbands)


def _fit(b: Box) -> None:
    """Cut a box's texts that would overrun it (an ellipsis ends them)."""
    room = b.w - 2 * PAD

    def cut(t: str, size: float, bold: bool = False) -> str:
        if text_width(t, size, bold) <= room:
            return t
        while t and text_width(t + "\u2026", size, bold) > room:
            t = t[:-1]
        return t + "\u2026"

    b.title = cut(b.title, FONT, True)
    b.lines = [cut(t, FONT_SMALL) for t in b.lines]


def _crossings(cols: list, links: list) -> int:
    """Edge crossings between adjacent columns: pairs (a, b) sorted by a, then the
    inversions of the b sequence counted with a Fenwick tree (E log E)."""
    by_layer: dict = {}
    for u, v in links:
        by_layer.setdefault(u.layer, []).append((int(u.order), int(v.order)))
    total = 0
    for pairs in by_layer.values():
        pairs.sort()
        size = max(b for _, b in pairs) + 2
        tree = [0] * (size + 1)
        seen = 0
        for _, b in pairs:      # count earlier pairs whose b is larger than this one's
            k, le = b + 1, 0
            while k > 0:
                le += tree[k]
                k -= k & -k
            total += seen - le
            k = b + 1
            while k <= size:
                tree[k] += 1
                k += k & -k
            seen += 1
    return total


def _order(cols: list, links: list, anchors: dict) -> None:
    """Barycenter sweeps down and up the layers; the order with the fewest crossings is kept."""
    down: dict = {}
    up: dict = {}
    for u, v in links:
        down.setdefault(id(v), []).append(u)
        up.setdefault(id(u), []).append(v)

    def snapshot() -> list:
        return [[it.order for it in col] for col in cols]

    best = snapshot()
    best_c = _crossings(cols, links)
    items = sum(len(c) for c in cols)
    for sweep in range(24 if items < 600 else 8):
        rng = range(1, len(cols)) if sweep % 2 == 0 else range(len(cols) - 2, -1, -1)
        nbr = down if sweep % 2 == 0 else up
        for lay in rng:
            col = cols[lay]
            for it in col:
                ns = nbr.get(id(it))
                if id(it) in anchors:
                    it.order = anchors[id(it)].order + 0.5
                elif ns:
                    it.order = sum(n.order for n in ns) / len(ns)
            col.sort(key=lambda it: it.order)
            for k, it in enumerate(col):
                it.order = k
        _transpose(cols, down, up)
        c = _crossings(cols, links)
        if c < best_c:
            best, best_c = snapshot(), c
        if best_c == 0:
            break
    for col, orders in zip(cols, best):
        for it, o in zip(col, orders):
            it.order = o
        col.sort(key=lambda it: it.order)


def _anchor(it: _Item) -> float:
    """Where an item's edges meet it, from its top: a box's first port row, a slot's middle."""
    return it.box.top + PORT_ROW / 2 if it.box is not None else it.h / 2


def _isotonic(want: list, sep: list) -> list:
    """Tops y_i closest (least squares) to ``want`` with y_{i+1} >= y_i + sep_i: pool
    adjacent violators on y_i minus the separations before it."""
    off = [0.0]
    for d in sep:
        off.append(off[-1] + d)
    blocks: list = []   # [mean, weight]
    for w, o in zip(want, off):
        blocks.append([w - o, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m1, n1 = blocks.pop()
            m0, n0 = blocks.pop()
            blocks.append([(m0 * n0 + m1 * n1) / (n0 + n1), n0 + n1])
    z = [m for m, n in blocks for _ in range(n)]
    return [zi + o for zi, o in zip(z, off)]


def _transpose(cols: list, down: dict, up: dict) -> None:
    """Swap neighbours in a column while that removes crossings with both adjacent columns."""
    def cost(u: _Item, v: _Item) -> int:
        """Crossings between the edges of u and v when u is above v."""
        n = 0
        for nbr in (down, up):
            for a in nbr.get(id(u), ()):
                for b in nbr.get(id(v), ()):
                    if a.order > b.order:
                        n += 1
        return n

    for _ in range(4):
        improved = False
        for col in cols:
            for k in range(len(col) - 1):
                u, v = col[k], col[k + 1]
                if cost(u, v) > cost(v, u):
                    col[k], col[k + 1] = v, u
                    u.order, v.order = k + 1, k
                    improved = True
        if not improved:
            break


def _straighten(cols: list, links: list, anchors: dict) -> None:
    """Move items so that their edges run level with their neighbours', keeping the
    order and the gaps of each column (sweeps right, left, and both)."""
    left: dict = {}
    right: dict = {}
    for u, v in links:
        right.setdefault(id(u), []).append(v)
        left.setdefault(id(v), []).append(u)
    passes = [left, right, None] * 3
    for k, side in enumerate(passes):
        order = cols if side is not right else cols[::-1]
        for col in order:
            if not col:
                continue
            want = []
            for k, it in enumerate(col):
                ns = (left.get(id(it), []) + right.get(id(it), [])) if side is None else side.get(id(it))
                a = anchors.get(id(it))
                if a is not None:   # just below its box (or above it, if ordered so)
                    below = col.index(a) < k
                    want.append(a.y + a.h + NODE_GAP if below else a.y - it.h - NODE_GAP)
                elif ns:
                    want.append(sum(n.y + _anchor(n) for n in ns) / len(ns) - _anchor(it))
                else:
                    want.append(it.y)
            ys = _isotonic(want, [it.h + NODE_GAP for it in col[:-1]])
            for it, y in zip(col, ys):
                it.y = y
    low = min([it.y for col in cols for it in col] + [0.0])
    for col in cols:
        for it in col:
            it.y -= low


def _tracks(segments: list) -> tuple[dict, int]:
    """Give each (key, net, lo, hi) run a track; runs of different nets that overlap get
    different tracks, runs of one net share one. Returns {key: track} and the count."""
    nets: dict = {}
    for key, net, lo, hi in segments:
        nets.setdefault(net, []).append((key, lo, hi))
    spans = []
    for net, runs in nets.items():
        lo = min(r[1] for r in runs)
        hi = max(r[2] for r in runs)
        spans.append((lo, hi, net, [r[0] for r in runs]))
    spans.sort(key=lambda s: (s[0], s[1]))
    ends: list = []     # track -> end of its last span
    out = {}
    for lo, hi, net, keys in spans:
        for t, end in enumerate(ends):
            if end < lo - 3 * TRACK:   # a clear gap, so two nets never read as one line
                ends[t] = hi
                break
        else:
            t = len(ends)
            ends.append(hi)
        for k in keys:
            out[k] = t
    return out, len(ends)


def _route(edges: list, boxes: dict, chains: dict, xs: list, corridor_w: list, band_top: list,
           band_gap: list, per_band: int, width_box: float, layer: dict, band: Any) -> tuple:
    """Route every edge (see the module doc); return the tracks each corridor and gap needs."""

    def cor(k: int) -> tuple[float, float]:
        """x extent of corridor k (k = -1: left of column 0; k: right of column k)."""
        x0 = xs[k] + width_box if k >= 0 else xs[0] - corridor_w[0]
        return x0, x0 + corridor_w[k + 1]

    def gap(g: int) -> tuple[float, float]:
        """y extent of the gap above band g (g = number of bands: the one below the last)."""
        top = band_top[g] if g < len(band_top) else band_bottom
        return top - band_gap[g], top

    band_bottom = band_top[-1] + max(0.0, max([b.y + b.h for b in boxes.values()] + [0.0]) - band_top[-1])
    plans = []
    vsegs: dict = {}
    hsegs: dict = {}
    for i, e in enumerate(edges):
        s, d = boxes[e.src], boxes[e.dst]
        ls_, ld = layer[e.src], layer[e.dst]
        net = (e.src, e.output)
        y0 = s.out_port(e.output)
        y1 = d.param_port(e.param) if e.param is not None else d.in_port(e.input or 0)
        runs = []   # ("v", corridor, (lo, hi) it spans, y it ends at or None) / ("h", gap, x0, x1)
        if band(ls_) == band(ld):
            ys = [y0] + [band_top[band(ls_)] + it.y + it.h / 2 for it in chains.get(i, [])] + [y1]
            if ld > ls_:
                cors = list(range(ls_ % per_band, ld % per_band))
            else:   # back through the columns, from the right of the source to the left of the target
                cors = list(range(ls_ % per_band, ld % per_band - 2, -1))
            for k, c in enumerate(cors):
                runs.append(("v", c, (min(ys[k], ys[k + 1]), max(ys[k], ys[k + 1])), ys[k + 1]))
        else:       # down (or up) the source's corridor to the gap above the target's band
            cs, cd = ls_ % per_band, ld % per_band - 1
            g0, g1 = gap(band(ld))
            runs.append(("v", cs, (min(y0, g0), max(y0, g1)), None))
            a0, a1 = cor(cs)
            b0, b1 = cor(cd)
            runs.append(("h", band(ld), min(a0, b0), max(a1, b1)))
            runs.append(("v", cd, (g0, max(g1, y1)), y1))
        plans.append((runs, y0, y1))
        for j, r in enumerate(runs):
            if r[0] == "v":
                # the first runs of one output share a track (a fan-out reads as a tree);
                # any later run has its own, so that the tracks can always be ordered
                vsegs.setdefault(r[1], []).append(((i, j), net if j == 0 else (net, i, j),
                                                   r[2][0], r[2][1]))
            else:
                hsegs.setdefault(r[1], []).append(((i, j), net, r[2], r[3]))
    vtrack: dict = {}
    vcount: dict = {}
    for c, segs in vsegs.items():
        t, vcount[c] = _tracks(segs)
        vtrack.update(t)
    htrack: dict = {}
    hcount: dict = {}
    for g, segs in hsegs.items():
        t, hcount[g] = _tracks(segs)
        htrack.update(t)

    # Any order of a corridor's tracks is valid; pick one where a run that meets its
    # corridor from the left at height y lies left of any other output's run that
    # leaves to the right at that height (else their short level stubs would overlap).
    stubs: dict = {}     # corridor -> [(track, net, y, side)]
    for i, (e, (runs, y0, y1)) in enumerate(zip(edges, plans)):
        net = (e.src, e.output)
        for j, r in enumerate(runs):
            if r[0] != "v":
                continue
            c = r[1]
            t = vtrack[(i, j)]
            prev = runs[j - 1] if j > 0 else None
            nxt = runs[j + 1] if j + 1 < len(runs) else None
            start = y0 if prev is None else prev[3] if prev[0] == "v" else None
            if prev is None or prev[0] == "v":
                side = "left" if prev is None or prev[1] < c else "right"
                stubs.setdefault(c, []).append((t, net, start, side))
            if nxt is None:
                stubs.setdefault(c, []).append((t, net, r[3], "right"))
            elif nxt[0] == "v":
                stubs.setdefault(c, []).append((t, net, r[3], "right" if nxt[1] > c else "left"))
    for c, lst in stubs.items():
        before: dict = {}
        rights: dict = {}   # height bucket (2 px) -> right stubs
        for tb, nb, yb, sb in lst:
            if sb == "right" and yb is not None:
                rights.setdefault(int(yb // 2), []).append((tb, nb, yb))
        for ta, na, ya, sa in lst:
            if sa != "left" or ya is None:
                continue
            for bucket in (int(ya // 2) - 1, int(ya // 2), int(ya // 2) + 1):
                for tb, nb, yb in rights.get(bucket, ()):
                    if nb != na and abs(ya - yb) < 2 and ta != tb:
                        before.setdefault(ta, set()).add(tb)
        if not before:
            continue
        n = vcount[c]
        indeg = [0] * n
        for a, bs in before.items():
            for b in bs:
                indeg[b] += 1
        ready = sorted(t for t in range(n) if indeg[t] == 0)
        order = []
        while ready:
            t = ready.pop(0)
            order.append(t)
            for b in sorted(before.get(t, ())):
                indeg[b] -= 1
                if indeg[b] == 0:
                    ready.append(b)
                    ready.sort()
        order += [t for t in range(n) if t not in order]   # a cycle: the rest as it was
        place = {t: k for k, t in enumerate(order)}
        for (i, j), t in list(vtrack.items()):
            if plans[i][0][j][1] == c:
                vtrack[(i, j)] = place[t]

    for i, (e, (runs, y0, y1)) in enumerate(zip(edges, plans)):
        s, d = boxes[e.src], boxes[e.dst]
        pts = [(s.x + s.w, y0)]
        cur_y = y0
        for j, r in enumerate(runs):
            if r[0] != "v":
                continue
            x0, x1 = cor(r[1])
            n = vcount[r[1]]
            x = (x0 + x1) / 2 + (vtrack[(i, j)] - (n - 1) / 2) * TRACK
            pts.append((x, cur_y))
            if r[3] is None:        # on to the gap: its track's height
                g = runs[j + 1][1]
                g0, g1 = gap(g)
                m = hcount[g]
                cur_y = (g0 + g1) / 2 + (htrack[(i, j + 1)] - (m - 1) / 2) * TRACK
            else:
                cur_y = r[3]
            pts.append((x, cur_y))
        pts.append((d.x, y1))
        e.points = _clean(pts)
    return vcount, hcount


def _clean(pts: list) -> list:
    """Drop repeated points and the middle of collinear runs."""
    out: list = []
    for p in pts:
        p = (round(p[0], 2), round(p[1], 2))
        if out and out[-1] == p:
            continue
        if len(out) >= 2:
            (ax, ay), (bx, by) = out[-2], out[-1]
            if (ax == bx == p[0]) or (ay == by == p[1]):
                out[-1] = p
                continue
        out.append(p)
    return out


def _labels(boxes: Any) -> list:
    labels = []
    for b in boxes:
        y = b.y + PAD + FONT * 0.9
        labels.append(Label(b.x + b.w / 2, y, b.title, FONT, "middle", "title", b.id))
        for t in b.lines:
            y += LINE
            labels.append(Label(b.x + b.w / 2, y, t, FONT_SMALL, "middle", "setting", b.id))
        if b.inputs > 1 or b.params:
            for k in range(b.inputs if b.inputs > 1 else 0):
                labels.append(Label(b.x + 4, b.in_port(k) + FONT_SMALL * 0.35, str(k), FONT_SMALL,
                                    "start", "port", b.id))
            for p in b.params:
                labels.append(Label(b.x + 4, b.param_port(p) + FONT_SMALL * 0.35, p, FONT_SMALL,
                                    "start", "port param", b.id))
        if b.outputs > 1:
            for k in range(b.outputs):
                labels.append(Label(b.x + b.w - 4, b.out_port(k) + FONT_SMALL * 0.35, str(k),
                                    FONT_SMALL, "end", "port", b.id))
    return labels


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def to_svg(drawing: Drawing) -> str:
    """The drawing as a standalone SVG document."""
    w, h = math.ceil(drawing.width), math.ceil(drawing.height)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
           f'viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="{FONT:g}">',
           '<defs><marker id="ls-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
           f'<rect class="background" x="0" y="0" width="{w}" height="{h}" fill="white"/>']
    titles = {b.id: b.title for b in drawing.boxes}
    by_box: dict = {}
    for lab in drawing.labels:
        by_box.setdefault(lab.box, []).append(lab)
    for b in drawing.boxes:
        fill = "#fdf0e6" if b.id == "destination" else "#eef3fb"
        out.append(f'<g class="node" data-id="{html.escape(str(b.id))}"><title>{html.escape(b.title)}</title>'
                   f'<rect x="{b.x:.2f}" y="{b.y:.2f}" width="{b.w:.2f}" height="{b.h:.2f}" rx="5" '
                   f'fill="{fill}" stroke="#345"/>')
        for lab in by_box.get(b.id, []):
            weight = ' font-weight="bold"' if lab.cls == "title" else ""
            color = "#735" if "param" in lab.cls else "#222" if lab.cls == "title" else "#445"
            out.append(f'<text class="{lab.cls}" x="{lab.x:.2f}" y="{lab.y:.2f}" font-size="{lab.size:g}" '
                       f'text-anchor="{lab.anchor}" fill="{color}"{weight}>{html.escape(lab.text)}</text>')
        out.append("</g>")
    for e in drawing.edges:
        d = " ".join(("M" if k == 0 else "L") + f"{x:.2f},{y:.2f}" for k, (x, y) in enumerate(e.points))
        cls = "edge param-edge" if e.param is not None else "edge"
        dash = ' stroke-dasharray="5,3"' if e.param is not None else ""
        into = f"{titles[e.dst]}.{e.param}" if e.param is not None else f"{titles[e.dst]} in {e.input}"
        t = html.escape(f"{titles[e.src]} out {e.output} \u2192 {into}")
        out.append(f'<path class="{cls}" data-from="{html.escape(str(e.src))}" '
                   f'data-to="{html.escape(str(e.dst))}" d="{d}" fill="none" stroke="#555"{dash} '
                   f'marker-end="url(#ls-arrow)"><title>{t}</title></path>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _dot_id(k: Any) -> str:
    return "dest" if k == "destination" else f"n{k}".replace("-", "m")


def to_dot(desc: dict) -> str:
    """Graphviz text for a description: record-like HTML labels with a port per
    input, param and output, left to right."""
    d = layout_boxes_only(desc)
    lines = ["digraph labsound {", "  rankdir=LR; nodesep=0.3; ranksep=0.6;",
             '  node [shape=plaintext, fontname="sans-serif", fontsize=11];',
             '  edge [color="#555555", arrowsize=0.7];']
    for b in d.values():
        left = [(f"i{k}", str(k) if b.inputs > 1 else "") for k in range(b.inputs)]
        left += [(f"p_{p}", p) for p in b.params]
        right = [(f"o{k}", str(k) if b.outputs > 1 else "") for k in range(b.outputs)]
        body = f"<B>{html.escape(b.title)}</B>" + "".join(f"<BR/>{html.escape(t)}" for t in b.lines)
        rows = max(len(left), len(right), 1)
        cells = [f'<TR><TD COLSPAN="2" BORDER="0">{body}</TD></TR>']
        for r in range(rows):
            lc = (f'<TD PORT="{left[r][0]}" ALIGN="LEFT" BORDER="0"><FONT POINT-SIZE="9">'
                  f"{html.escape(left[r][1]) or ' '}</FONT></TD>") if r < len(left) else '<TD BORDER="0"> </TD>'
            rc = (f'<TD PORT="{right[r][0]}" ALIGN="RIGHT" BORDER="0"><FONT POINT-SIZE="9">'
                  f"{html.escape(right[r][1]) or ' '}</FONT></TD>") if r < len(right) else '<TD BORDER="0"> </TD>'
            cells.append(f"<TR>{lc}{rc}</TR>")
        fill = "#fdf0e6" if b.id == "destination" else "#eef3fb"
        lines.append(f'  {_dot_id(b.id)} [label=<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" '
                     f'STYLE="ROUNDED" BGCOLOR="{fill}">{"".join(cells)}</TABLE>>];')
    for c in desc.get("connections", []):
        s, t = _dot_id(c.get("from")), _dot_id(c.get("to"))
        o = int(c.get("output", 0) or 0)
        if "param" in c:
            lines.append(f'  {s}:o{o}:e -> {t}:"p_{c["param"]}":w [style=dashed];')
        else:
            lines.append(f'  {s}:o{o}:e -> {t}:i{int(c.get("input", 0) or 0)}:w;')
    fed = {c.get("to") for c in desc.get("connections", [])}
    sources = [_dot_id(k) for k in d if k not in fed and k != "destination"]
    if sources:     # sources in the first column, as the built-in layout has them
        lines.append(f'  {{rank=min; {"; ".join(sources)};}}')
    lines.append('  {rank=sink; dest;}')
    lines.append("}")
    return "\n".join(lines) + "\n"


def graphviz_svg(desc: dict, required: bool = False, timeout: float = 30.0) -> Optional[str]:
    """The description drawn by Graphviz's ``dot`` (None when it is not on the
    PATH or fails, unless ``required``: then FileNotFoundError or RuntimeError)."""
    import shutil
    import subprocess

    exe = shutil.which("dot")
    if exe is None:
        if required:
            raise FileNotFoundError("to_svg(engine='graphviz'): Graphviz's dot is not on the PATH "
                                    "(install graphviz, e.g. apt install graphviz)")
        return None
    try:
        r = subprocess.run([exe, "-Tsvg"], input=to_dot(desc).encode("utf-8"), capture_output=True,
                           timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        if required:
            raise RuntimeError(f"to_svg(engine='graphviz'): dot failed: {exc}") from exc
        return None
    if r.returncode != 0:
        if required:
            raise RuntimeError(f"to_svg(engine='graphviz'): dot failed: "
                               f"{r.stderr.decode('utf-8', 'replace').strip()}")
        return None
    text = r.stdout.decode("utf-8")
    return text[text.index("<svg"):] if "<svg" in text else text


def layout_boxes_only(desc: dict) -> dict:
    """The boxes (titles, lines, ports) of a description, without positions."""
    return {b.id: b for b in layout(desc, max_width=1e12).boxes}
