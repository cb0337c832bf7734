"""AudioBuffer._repr_html_ (an <audio> element with a WAV inside) and ctx.graph() as SVG."""

import base64
import io
import re
import wave
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import labsound as ls
import labsound._notebook as nb

SVG = "{http://www.w3.org/2000/svg}"


def embedded_wav(html):
    m = re.search(r'<audio controls src="data:audio/wav;base64,([A-Za-z0-9+/=]+)"', html)
    assert m, html[:200]
    with wave.open(io.BytesIO(base64.b64decode(m.group(1)))) as w:
        frames = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").reshape(-1, w.getnchannels())
        return w.getframerate(), frames.T


def test_buffer_html_embeds_the_samples_as_16_bit_wav():
    rng = np.random.default_rng(1)
    data = rng.uniform(-1.2, 1.2, (2, 1000)).astype(np.float32)
    buf = ls.AudioBuffer.from_numpy(data, 22050)
    html = buf._repr_html_()
    rate, pcm = embedded_wav(html)
    assert rate == 22050 and pcm.shape == (2, 1000)
    np.testing.assert_array_equal(pcm, np.round(np.clip(data, -1, 1) * 32767).astype(np.int16))
    assert "shortened" not in html and "2 channel(s)" in html


def test_long_buffer_html_is_shortened_with_a_note(monkeypatch):
    monkeypatch.setattr(nb, "MAX_HTML_SECONDS", 0.5)
    buf = ls.AudioBuffer(1, length=8000 * 3, sample_rate=8000)
    html = buf._repr_html_()
    rate, pcm = embedded_wav(html)
    assert pcm.shape[1] == 4000
    assert "shortened" in html and "0.5 s of 3.000 s" in html


def build():
    ctx = ls.OfflineAudioContext(2, 128, 48000)
    osc = ctx.create_oscillator()
    lfo = ctx.create_oscillator()
    depth = ctx.create_gain()
    amp = ctx.create_gain()
    filt = ctx.create_biquad_filter()
    osc >> filt >> amp >> ctx.destination
    lfo.connect(depth)
    depth >> amp.gain
    return ctx, dict(osc=osc, lfo=lfo, depth=depth, amp=amp, filt=filt)


def test_graph_lists_nodes_and_edges_and_disconnect_removes_them():
    ctx, n = build()
    g = ctx.graph()
    assert [type(x).__name__ for x in g.nodes] == [
        "OscillatorNode", "BiquadFilterNode", "GainNode", "OscillatorNode", "GainNode", "AudioDestinationNode"]
    # the graph is read from the engine: its wrappers are new ones of the same nodes
    eid = lambda x: x._engine_id if isinstance(x, ls.AudioNode) else (x.name, x._node_id)  # noqa: E731
    pairs = {(eid(s), eid(d)) for s, _, d, _ in g.edges}
    assert pairs == {(eid(n["osc"]), eid(n["filt"])), (eid(n["filt"]), eid(n["amp"])),
                     (eid(n["amp"]), eid(g.destination)), (eid(n["lfo"]), eid(n["depth"])),
                     (eid(n["depth"]), eid(n["amp"].gain))}
    assert g.label(n["filt"]) == "BiquadFilterNode #1"
    n["amp"].disconnect(ctx.destination)
    ctx.disconnect(n["lfo"])
    g = ctx.graph()
    assert len(g.edges) == 3
    assert all(eid(s) != eid(n["lfo"]) for s, _, _, _ in g.edges)
    merger = ctx.create_channel_merger(2)
    n["filt"].connect(merger, 0, 1)
    assert any(eid(s) == eid(n["filt"]) and eid(d) == eid(merger) and i == 1
               for s, _, d, i in ctx.graph().edges)
    n["filt"].disconnect(0)
    assert all(eid(s) != eid(n["filt"]) for s, _, _, _ in ctx.graph().edges)


def test_graph_svg_draws_every_node_param_and_connection(tmp_path):
    ctx, n = build()
    g = ctx.graph()
    svg = g.to_svg(engine="builtin")
    root = ET.fromstring(svg)
    titles = [t.text for t in root.iter(SVG + "title")]
    node_titles = [t.find(SVG + "title").text for t in root.iter(SVG + "g") if t.get("class") == "node"]
    assert sorted(node_titles) == sorted(["OscillatorNode", "OscillatorNode", "GainNode", "GainNode",
                                          "BiquadFilterNode", "AudioDestinationNode"])
    paths = list(root.iter(SVG + "path"))
    edges = [p for p in paths if "edge" in (p.get("class") or "")]
    assert len(edges) == 5
    assert "GainNode out 0 \u2192 GainNode.gain" in titles
    params = [t.text for t in root.iter(SVG + "text") if "param" in (t.get("class") or "")]
    assert params == ["gain"]
    # sources left of what they feed, the destination rightmost (ids are to_dict's)
    xs = {g_.get("data-id"): float(g_.find(SVG + "rect").get("x")) for g_ in root.iter(SVG + "g")
          if g_.get("class") == "node"}
    assert xs["0"] < xs["4"] < xs["3"] < xs["destination"] and xs["2"] < xs["3"]
    g.save(tmp_path / "g.svg", engine="builtin")
    assert (tmp_path / "g.svg").read_text() == svg
    g.save(tmp_path / "g.dot")
    dot = (tmp_path / "g.dot").read_text()
    assert dot.count("->") == 5 and "digraph" in dot and ":w [style=dashed]" in dot


def test_graph_keeps_no_node_alive():
    import gc
    import weakref

    ctx = ls.OfflineAudioContext(1, 128, 48000)
    g1 = ctx.create_gain()
    g2 = ctx.create_gain()
    g1 >> g2
    ref = weakref.ref(g1)
    g1.disconnect()
    del g1
    gc.collect()
    assert ref() is None
    assert ctx.graph().edges == []
