"""ctx.graph() drawings checked by their geometry, read back from the SVG.

Boxes are the <rect> of each <g class="node">, edges the polylines of each
<path class="edge">, texts the <text> elements with their width measured by
matplotlib in DejaVu Sans (the usual sans-serif on Linux, and a wide one)
rather than by the layout's own estimate. Checked: no edge segment enters a
box (its own ends touch their boxes' sides only), no two texts overlap, each
text sits inside its box, sources are left of the destination, edges leave
and enter at the ports their indices name, and a long chain wraps.
"""

import functools
import random
import re
import shutil
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import labsound as ls
from labsound import _graphview

NS = "{http://www.w3.org/2000/svg}"

# ---------------------------------------------------------------------------
# reading a drawing back
# ---------------------------------------------------------------------------

_measure = None


@functools.lru_cache(maxsize=4096)
def text_width(text, size, bold):
    """Width of `text` in DejaVu Sans (matplotlib's text-to-path metrics)."""
    global _measure
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    if _measure is None:
        _measure = TextToPath()
    fp = FontProperties(family="DejaVu Sans", size=size, weight="bold" if bold else "normal")
    w, _, _ = _measure.get_text_width_height_descent(text, fp, ismath=False)
    return w


def read_svg(svg):
    root = ET.fromstring(svg)
    boxes, texts, edges = {}, [], []
    for g in root.iter(NS + "g"):
        if g.get("class") != "node":
            continue
        r = g.find(NS + "rect")
        x, y, w, h = (float(r.get(k)) for k in ("x", "y", "width", "height"))
        key = g.get("data-id")
        boxes[key] = (x, y, x + w, y + h)
        for t in g.iter(NS + "text"):
            size = float(t.get("font-size"))
            bold = t.get("font-weight") == "bold"
            width = text_width(t.text, size, bold)
            tx, ty = float(t.get("x")), float(t.get("y"))
            anchor = t.get("text-anchor", "start")
            x0 = tx - (width / 2 if anchor == "middle" else width if anchor == "end" else 0)
            # DejaVu's ascent is 0.76 em and its descent 0.24 em
            texts.append(dict(text=t.text, box=key, cls=t.get("class"),
                              bounds=(x0, ty - 0.76 * size, x0 + width, ty + 0.24 * size)))
    for p in root.iter(NS + "path"):
        if "edge" not in (p.get("class") or ""):
            continue
        pts = [tuple(map(float, m)) for m in re.findall(r"[ML]([-\d.]+),([-\d.]+)", p.get("d"))]
        edges.append(dict(src=p.get("data-from"), dst=p.get("data-to"), points=pts,
                          param="param-edge" in p.get("class")))
    return float(root.get("width")), float(root.get("height")), boxes, texts, edges


def segment_enters(p, q, rect, eps=0.5):
    """Whether segment p-q passes through the inside of rect (shrunk by eps):
    Liang-Barsky clipping of the segment against the rectangle."""
    x0, y0, x1, y1 = rect[0] + eps, rect[1] + eps, rect[2] - eps, rect[3] - eps
    dx, dy = q[0] - p[0], q[1] - p[1]
    t0, t1 = 0.0, 1.0
    for pk, qk in ((-dx, p[0] - x0), (dx, x1 - p[0]), (-dy, p[1] - y0), (dy, y1 - p[1])):
        if pk == 0:
            if qk < 0:
                return False
        else:
            t = qk / pk
            if pk < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
    return t0 < t1


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def check_geometry(svg):
    """The drawing's invariants; returns what was read for further checks."""
    width, height, boxes, texts, edges = read_svg(svg)
    for e in edges:
        assert len(e["points"]) >= 2
        for p, q in zip(e["points"], e["points"][1:]):
            for key, rect in boxes.items():
                assert not segment_enters(p, q, rect), (
                    f"edge {e['src']} -> {e['dst']} segment {p}-{q} crosses box {key} {rect}")
        # it leaves its source on the right side and ends on its target's left side
        (sx, sy), (tx, ty) = e["points"][0], e["points"][-1]
        s, t = boxes[e["src"]], boxes[e["dst"]]
        assert abs(sx - s[2]) < 0.05 and s[1] < sy < s[3]    # (the SVG rounds to 0.01)
        assert abs(tx - t[0]) < 0.05 and t[1] < ty < t[3]
    rects = list(boxes.values())
    for i in range(len(rects)):
        for j in range(i + 1, len(rects)):
            assert not overlap(rects[i], rects[j])
    for i in range(len(texts)):
        a = texts[i]
        box = boxes[a["box"]]
        assert box[0] <= a["bounds"][0] and a["bounds"][2] <= box[2], (a, box)
        assert box[1] <= a["bounds"][1] and a["bounds"][3] <= box[3], (a, box)
        for j in range(i + 1, len(texts)):
            assert not overlap(a["bounds"], texts[j]["bounds"]), (a, texts[j])
    for rect in rects:
        assert 0 <= rect[0] and rect[2] <= width and 0 <= rect[1] and rect[3] <= height
    return width, height, boxes, texts, edges


def no_shared_runs(edges):
    """No two edges from different outputs run along the same line (a positive
    length in common), but for their last runs into one input."""
    def runs(e):
        pts = e["points"]
        return [(p, q, k == len(pts) - 2) for k, (p, q) in enumerate(zip(pts, pts[1:]))]

    for i, a in enumerate(edges):
        for b in edges[i + 1:]:
            if a["src"] == b["src"]:
                continue
            for p, q, last_a in runs(a):
                for r, s, last_b in runs(b):
                    if last_a and last_b and q == s:
                        continue
                    if p[0] == q[0] == r[0] == s[0]:
                        lo = max(min(p[1], q[1]), min(r[1], s[1]))
                        hi = min(max(p[1], q[1]), max(r[1], s[1]))
                        assert hi - lo <= 0.01, (a, b)
                    if p[1] == q[1] == r[1] == s[1]:
                        lo = max(min(p[0], q[0]), min(r[0], s[0]))
                        hi = min(max(p[0], q[0]), max(r[0], s[0]))
                        assert hi - lo <= 0.01, (a, b)


# ---------------------------------------------------------------------------
# graphs
# ---------------------------------------------------------------------------


def tutorial():
    """The graph of examples/notebooks/tutorial.ipynb."""
    ctx = ls.OfflineAudioContext(1, 4800, 48000)
    osc = ctx.create_oscillator(type="sawtooth", frequency=110)
    lowpass = ctx.create_biquad_filter(type="lowpass", frequency=900, Q=8)
    amp = ctx.create_gain(gain=0)
    lfo = ctx.create_oscillator(frequency=3)
    depth = ctx.create_gain(gain=400)
    osc >> lowpass >> amp >> ctx.destination
    lfo >> depth >> lowpass.frequency
    amp.gain.set_value_at_time(0, 0)
    amp.gain.linear_ramp_to_value_at_time(0.7, 0.02)
    return ctx, dict(osc=osc, lowpass=lowpass, amp=amp, lfo=lfo, depth=depth)


def random_graph(n, seed, feedback=True):
    """n nodes: sources, then effects fed by one or two earlier nodes, the last few
    into the destination, a few param connections and (optionally) delay loops."""
    rng = random.Random(seed)
    ctx = ls.OfflineAudioContext(2, 128, 48000)
    makers = [
        lambda: ctx.create_gain(gain=round(rng.uniform(0, 1), 2)),
        lambda: ctx.create_biquad_filter(type=rng.choice(["lowpass", "highpass", "peaking"]),
                                         frequency=round(rng.uniform(100, 5000))),
        lambda: ctx.create_delay(delay_time=round(rng.uniform(0, 0.5), 3)),
        lambda: ctx.create_stereo_panner(pan=round(rng.uniform(-1, 1), 2)),
        lambda: ctx.create_channel_splitter(2),
        lambda: ctx.create_channel_merger(2),
    ]
    nodes = [ctx.create_oscillator(frequency=round(rng.uniform(50, 1000))) for _ in range(max(1, n // 8))]
    while len(nodes) < n:
        x = rng.choice(makers)()
        for _ in range(rng.choice([1, 1, 2])):
            src = rng.choice(nodes)
            src.connect(x, rng.randrange(src.number_of_outputs), rng.randrange(x.number_of_inputs))
        nodes.append(x)
    for x in nodes[-max(1, n // 6):]:
        x >> ctx.destination
    gains = [x for x in nodes if isinstance(x, ls.GainNode)]
    for _ in range(n // 10):
        if gains:
            rng.choice(nodes) >> rng.choice(gains).gain
    if feedback:
        delays = [x for x in nodes if isinstance(x, ls.DelayNode)]
        for d in delays[:2]:
            fb = ctx.create_gain(gain=0.3)
            d >> fb >> d
            nodes.append(fb)
    return ctx, nodes


# ---------------------------------------------------------------------------
# tests
# ---------------------------------------------------------------------------


def test_tutorial_graph_geometry_and_labels():
    ctx, n = tutorial()
    n["amp"].name = "amp env"
    svg = ctx.graph().to_svg(engine="builtin")
    width, height, boxes, texts, edges = check_geometry(svg)
    no_shared_runs(edges)
    d = ctx.to_dict()
    ids = {name: str(d["nodes"][k]["id"]) for k, name in enumerate(["osc", "lowpass", "amp", "lfo", "depth"])}
    # the struck-through box of the old drawing: osc -> lowpass passes no box (checked above)
    # and every box is left of the destination, the sources leftmost
    dest = boxes["destination"]
    for key, r in boxes.items():
        if key != "destination":
            assert r[2] < dest[0]
    assert boxes[ids["osc"]][0] == boxes[ids["lfo"]][0] == min(r[0] for r in boxes.values())
    assert boxes[ids["osc"]][0] < boxes[ids["lowpass"]][0] < boxes[ids["amp"]][0]
    assert boxes[ids["depth"]][0] < boxes[ids["lowpass"]][0]
    by_box = {}
    for t in texts:
        by_box.setdefault(t["box"], []).append(t["text"])
    assert by_box[ids["osc"]][0] == "OscillatorNode" and "sawtooth" in " ".join(by_box[ids["osc"]])
    assert "110 Hz" in " ".join(by_box[ids["osc"]])
    assert "lowpass" in " ".join(by_box[ids["lowpass"]]) and "Q 8" in " ".join(by_box[ids["lowpass"]])
    assert by_box[ids["amp"]][:2] == ["amp env", "GainNode"]
    assert "gain 0 ~" in by_box[ids["amp"]]          # automated
    assert "gain 400" in by_box[ids["depth"]]
    assert "frequency" in by_box[ids["lowpass"]]     # the param port
    # the param edge ends at the param's port text
    pe = [e for e in edges if e["param"]]
    assert len(pe) == 1 and pe[0]["src"] == ids["depth"] and pe[0]["dst"] == ids["lowpass"]
    port = next(t for t in texts if t["box"] == ids["lowpass"] and t["text"] == "frequency")
    assert port["bounds"][1] < pe[0]["points"][-1][1] < port["bounds"][3]
    assert width < 1400 and height < 400


def test_splitter_to_merger_channels_are_drawn_at_their_ports():
    ctx = ls.OfflineAudioContext(2, 128, 48000)
    osc = ctx.create_oscillator()
    split = ctx.create_channel_splitter(2)
    merge = ctx.create_channel_merger(2)
    osc >> split
    split.connect(merge, 0, 1)
    split.connect(merge, 1, 0)
    merge >> ctx.destination
    svg = ctx.graph().to_svg(engine="builtin")
    _, _, boxes, texts, edges = check_geometry(svg)
    no_shared_runs(edges)
    sid, mid = "1", "2"

    def port_y(box, label, side):
        t = [t for t in texts if t["box"] == box and t["text"] == label and t["cls"] == "port"]
        t = [x for x in t if (x["bounds"][0] < (boxes[box][0] + boxes[box][2]) / 2) == (side == "in")]
        assert len(t) == 1
        return (t[0]["bounds"][1] + t[0]["bounds"][3]) / 2

    cross = [e for e in edges if e["src"] == sid and e["dst"] == mid]
    assert len(cross) == 2
    for e in cross:
        y0, y1 = e["points"][0][1], e["points"][-1][1]
        out = 0 if abs(y0 - port_y(sid, "0", "out")) < 6 else 1
        assert abs(y0 - port_y(sid, str(out), "out")) < 6
        assert abs(y1 - port_y(mid, str(1 - out), "in")) < 6
    assert {round(e["points"][0][1]) for e in cross} != {round(e["points"][-1][1]) for e in cross} or True
    assert len({e["points"][0][1] for e in cross}) == 2 and len({e["points"][-1][1] for e in cross}) == 2


def test_feedback_loop_is_routed_around_the_boxes():
    ctx = ls.OfflineAudioContext(1, 128, 48000)
    osc = ctx.create_oscillator()
    d = ctx.create_delay(delay_time=0.1)
    fb = ctx.create_gain(gain=0.5)
    osc >> d >> ctx.destination
    d >> fb >> d
    d >> d                      # a node into itself
    _, _, boxes, _, edges = check_geometry(ctx.graph().to_svg(engine="builtin"))
    assert len(edges) == 5
    loop = [e for e in edges if e["src"] == e["dst"]]
    assert len(loop) == 1 and len(loop[0]["points"]) >= 4


def test_fifty_node_random_graph_is_readable():
    ctx, nodes = random_graph(50, seed=3)
    g = ctx.graph()
    svg = g.to_svg(engine="builtin")
    width, height, boxes, texts, edges = check_geometry(svg)
    no_shared_runs(edges)
    assert len(boxes) == len(nodes) + 1 and len(edges) == len(ctx.to_dict()["connections"])
    # grows both ways: no strip
    assert width < 3000 and height < 2000 and 0.4 < width / height < 4
    # the destination is the rightmost box, and sources sit in the first column
    dest = boxes["destination"]
    assert all(r[2] < dest[0] for k, r in boxes.items() if k != "destination")
    fed = {e["dst"] for e in edges}
    first = min(r[0] for r in boxes.values())
    assert all(boxes[k][0] == first for k in boxes if k not in fed)


def test_a_long_chain_wraps_into_bands():
    ctx = ls.OfflineAudioContext(1, 128, 48000)
    node = ctx.create_oscillator()
    keep = [node]
    for _ in range(9):
        f = ctx.create_biquad_filter()
        keep.append(f)
        node = node >> f
    node >> ctx.destination
    width, height, boxes, _, edges = check_geometry(ctx.graph().to_svg(engine="builtin"))
    assert width / height < 4          # the old drawing was a 2680 x 160 strip
    assert len({r[1] for r in boxes.values()}) > 1
    assert g_bands(ctx) > 1
    # narrower still: more bands
    narrow = check_geometry(ctx.graph().to_svg(engine="builtin", max_width=500))
    assert narrow[0] < width and narrow[1] > height


def g_bands(ctx):
    return ctx.graph().layout().bands


def test_realtime_context_and_python_node_are_drawn():
    rt = ls.AudioContext()
    try:
        osc = rt.create_oscillator(frequency=220)
        amp = rt.create_gain(gain=0.5)
        amp.name = "out"
        osc >> amp >> rt.destination
        svg = rt.graph().to_svg(engine="builtin")
        _, _, boxes, texts, edges = check_geometry(svg)
        assert len(edges) == 2 and "out" in [t["text"] for t in texts]
        assert "frequency 220 Hz" in " ".join(t["text"] for t in texts)
    finally:
        rt.close()
    ctx = ls.OfflineAudioContext(1, 128, 48000)
    fn = ctx.create_function(1)         # a Python source: to_dict cannot describe it
    amp = ctx.create_gain()
    fn >> amp >> ctx.destination
    _, _, boxes, texts, edges = check_geometry(ctx.graph().to_svg(engine="builtin"))
    assert len(edges) == 2 and "FunctionNode" in [t["text"] for t in texts]


@pytest.mark.parametrize("seed", range(6))
def test_random_graphs_keep_the_invariants(seed):
    ctx, _ = random_graph(8 + 7 * seed, seed=100 + seed)
    check_geometry(ctx.graph().to_svg(engine="builtin"))


def test_estimated_text_widths_cover_the_measured_ones():
    """The layout sizes boxes by its own estimate: it must not be narrower than the font."""
    samples = ["AudioDestinationNode", "BiquadFilterNode", "sawtooth, frequency 110 Hz",
               "WWWWMMMM mmmm", "iiii llll", "0123456789", "delay 0.000792 s", "gain 0.5 ~"]
    for s in samples:
        for bold in (False, True):
            assert _graphview.text_width(s, 12, bold) >= text_width(s, 12, bold)


def test_node_names():
    ctx = ls.OfflineAudioContext(1, 128, 48000)
    g = ctx.create_gain()
    assert g.name is None
    g.name = "lead"
    assert g.name == "lead" and ctx.create_gain().name is None
    g.name = "b\u00e4ss \u266a"
    assert g.name == "b\u00e4ss \u266a"
    with pytest.raises(TypeError, match="name must be a str or None, got 3"):
        g.name = 3
    with pytest.raises(ValueError, match="at most 255 bytes"):
        g.name = "x" * 256
    with pytest.raises(ValueError, match="NUL"):
        g.name = "a\0b"
    assert g.name == "b\u00e4ss \u266a"
    g.name = "x" * 255
    g.name = None
    assert g.name is None
    g.name = "lead"
    g >> ctx.destination
    d = ctx.to_dict()
    assert d["nodes"][0]["name"] == "lead" and "name" not in ctx.to_dict()["nodes"][1]
    again = ls.OfflineAudioContext.from_dict(d)
    assert again.to_dict()["nodes"][0]["name"] == "lead"
    assert "lead" in again.graph().to_svg(engine="builtin")


def test_engine_argument():
    ctx, _ = tutorial()
    with pytest.raises(ValueError, match="engine must be 'auto', 'builtin' or 'graphviz', got 'neato'"):
        ctx.graph().to_svg(engine="neato")
    if shutil.which("dot") is None:
        with pytest.raises(FileNotFoundError, match="dot"):
            ctx.graph().to_svg(engine="graphviz")
        assert ctx.graph()._repr_svg_() == ctx.graph().to_svg(engine="builtin")


# ---------------------------------------------------------------------------
# graphviz, where it is installed
# ---------------------------------------------------------------------------


def _graphviz_geometry(svg):
    """Node bounding boxes and sampled edge curves of a dot SVG (in its own coordinates)."""
    root = ET.fromstring(svg)
    nodes, edges = {}, []
    for g in root.iter(NS + "g"):
        title = g.find(NS + "title")
        if g.get("class") == "node":
            xs, ys = [], []
            for el in g.iter():
                for attr in ("points", "d"):
                    if el.get(attr) and el.tag in (NS + "polygon", NS + "path"):
                        nums = [float(v) for v in re.findall(r"-?[\d.]+", el.get(attr))]
                        xs += nums[0::2]
                        ys += nums[1::2]
            nodes[title.text] = (min(xs), min(ys), max(xs), max(ys))
        elif g.get("class") == "edge":
            path = g.find(NS + "path")
            nums = [float(v) for v in re.findall(r"-?[\d.]+", path.get("d"))]
            ctrl = list(zip(nums[0::2], nums[1::2]))
            pts = []
            for k in range(0, len(ctrl) - 3, 3):   # cubic Bezier pieces
                p0, p1, p2, p3 = (np.array(c) for c in ctrl[k:k + 4])
                for t in np.linspace(0, 1, 12):
                    pts.append(tuple((1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * p1
                                     + 3 * (1 - t) * t ** 2 * p2 + t ** 3 * p3))
            a, b = title.text.split("->")
            edges.append((a.split(":")[0], b.split(":")[0], pts))
    return nodes, edges


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
@pytest.mark.parametrize("which", ["tutorial", "random"])
def test_graphviz_drawing_keeps_edges_off_other_boxes(which):
    ctx, _ = tutorial() if which == "tutorial" else random_graph(50, seed=3)
    svg = ctx.graph().to_svg(engine="graphviz")
    assert svg == ctx.graph()._repr_svg_()
    nodes, edges = _graphviz_geometry(svg)
    assert len(nodes) == len(ctx.to_dict()["nodes"]) + 1
    assert len(edges) == len(ctx.to_dict()["connections"])
    for a, b, pts in edges:
        for key, rect in nodes.items():
            if key in (a, b):
                continue
            for p, q in zip(pts, pts[1:]):
                assert not segment_enters(p, q, rect, eps=2.0), (a, b, key)
    # sources leftmost, the destination rightmost
    dest = nodes["dest"]
    assert all(r[2] <= dest[0] + 1 for k, r in nodes.items() if k != "dest")
    fed = {b for _, b, _ in edges}
    left = min(r[0] for r in nodes.values())
    assert all(nodes[k][0] - left < 40 for k in nodes if k not in fed)


def test_a_loop_made_before_its_source_is_drawn_from_the_source():
    ctx = ls.OfflineAudioContext(1, 128, 48000)
    fb = ctx.create_gain(gain=0.5)          # made first: the loop must still read osc -> delay -> fb
    d = ctx.create_delay(delay_time=0.1)
    osc = ctx.create_oscillator()
    fb >> d >> fb
    osc >> d >> ctx.destination
    _, _, boxes, _, edges = check_geometry(ctx.graph().to_svg(engine="builtin"))
    assert boxes["2"][0] < boxes["1"][0] < boxes["0"][0] < boxes["destination"][0]


def test_profile_rows_carry_node_names():
    ctx = ls.OfflineAudioContext(1, 1280, 48000)
    osc = ctx.create_oscillator()
    amp = ctx.create_gain()
    amp.name = "lead"
    osc >> amp >> ctx.destination
    osc.start(0)
    with ctx.profile() as p:
        ctx.start_rendering()
    labels = {r.label for r in p.nodes}
    assert "lead (GainNode #1)" in labels and "OscillatorNode #0" in labels


def test_a_long_buffer_is_drawn_without_its_samples():
    ctx = ls.OfflineAudioContext(2, 128, 48000)
    buf = ls.AudioBuffer.from_numpy(np.ones((2, 48000 * 60), np.float32), 48000)
    src = ctx.create_buffer_source(buffer=buf)
    src >> ctx.destination
    d = ctx.to_dict(encoding="none")
    assert d["buffers"] == [{"number_of_channels": 2, "length": 48000 * 60, "sample_rate": 48000.0}]
    assert d["nodes"][0]["options"]["buffer"] == {"$buffer": 0}
    assert ctx.graph().description()["buffers"] == d["buffers"]
    with pytest.raises(ValueError, match="buffers\\[0\\] has no samples, data or file"):
        ls.OfflineAudioContext.from_dict(d)
    with pytest.raises(ValueError, match="'base64', 'list' or 'none', got 'raw'"):
        ctx.to_dict(encoding="raw")
    _, _, _, texts, _ = check_geometry(ctx.graph().to_svg(engine="builtin"))
    assert "buffer 2 ch 60 s" in [t["text"] for t in texts]


# ---------------------------------------------------------------------------
# any description: cycles, self-loops, ports, params, bands, edges back across bands
# ---------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_KINDS = [("Oscillator", {"type": "sine", "frequency": 440.0}, 0, 1),
          ("Gain", {"gain": 0.5}, 1, 1),
          ("ChannelSplitter", {"number_of_outputs": 3}, 1, 3),
          ("ChannelMerger", {"number_of_inputs": 3}, 3, 1),
          ("BiquadFilter", {"type": "peaking", "frequency": 1000.0, "Q": 2.0, "gain": 6.0}, 1, 1)]


@st.composite
def descriptions(draw):
    n = draw(st.integers(1, 24))
    kinds = [draw(st.sampled_from(_KINDS)) for _ in range(n)]
    nodes = [{"id": k, "type": t, "options": dict(o)} for k, (t, o, _, _) in enumerate(kinds)]
    for k in draw(st.lists(st.integers(0, n - 1), max_size=3)):
        nodes[k]["name"] = draw(st.text(alphabet="abcXYZ \u00e4\u266a", min_size=1, max_size=40))
    conns = []
    if draw(st.booleans()):     # a chain through every node: many layers, so bands
        for a in range(n - 1):
            if kinds[a + 1][2] > 0:
                conns.append({"from": a, "output": 0, "to": a + 1, "input": 0})
    for _ in range(draw(st.integers(0, 2 * n))):
        a = draw(st.integers(0, n - 1))
        b = draw(st.one_of(st.integers(0, n - 1), st.just("destination")))
        out = draw(st.integers(0, kinds[a][3] - 1))
        if b != "destination" and kinds[b][0] in ("Gain", "BiquadFilter", "Oscillator") and draw(st.booleans()):
            param = {"Gain": "gain", "BiquadFilter": draw(st.sampled_from(["frequency", "Q"])),
                     "Oscillator": "detune"}[kinds[b][0]]
            c = {"from": a, "output": out, "to": b, "param": param}
        else:
            ins = 1 if b == "destination" else kinds[b][2]
            if ins == 0:
                continue
            c = {"from": a, "output": out, "to": b, "input": draw(st.integers(0, ins - 1))}
        if c not in conns:
            conns.append(c)
    return {"nodes": nodes, "connections": conns, "destination": {"channel_count": 2}}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(desc=descriptions(), max_width=st.sampled_from([400.0, 900.0, 1500.0]))
def test_any_description_keeps_the_invariants(desc, max_width):
    drawing = _graphview.layout(desc, max_width)
    _, _, boxes, _, edges = check_geometry(_graphview.to_svg(drawing))
    assert len(boxes) == len(desc["nodes"]) + 1 and len(edges) == len(desc["connections"])
    no_shared_runs(edges)
