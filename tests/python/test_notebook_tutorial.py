"""examples/notebooks/tutorial.ipynb executed in a real Jupyter kernel; its outputs checked."""

import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("ipywidgets")

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "notebooks" / "tutorial.ipynb"


def test_tutorial_runs_and_shows_audio_graph_and_plots(tmp_path, monkeypatch):
    shutil.copy(NOTEBOOK, tmp_path / "tutorial.ipynb")
    nb = nbformat.read(tmp_path / "tutorial.ipynb", as_version=4)
    monkeypatch.setenv("LABSOUND_BACKEND", "null")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any(re.search(r'<audio controls src="data:audio/wav;base64,[A-Za-z0-9+/=]{1000,}"', h) for h in html)
    svgs = [o["data"]["image/svg+xml"] for o in outputs if "image/svg+xml" in o.get("data", {})]
    assert len(svgs) == 1
    root = ET.fromstring(svgs[0])
    ns = "{http://www.w3.org/2000/svg}"
    titles = sorted(g.find(ns + "title").text for g in root.iter(ns + "g") if g.get("class") == "node")
    if shutil.which("dot"):     # drawn by Graphviz: its nodes are titled by their dot ids
        assert titles == sorted(["n0", "n1", "n2", "n3", "n4", "dest"])
    else:                       # the built-in layout titles a box by the node's name or class
        assert titles == sorted(["OscillatorNode", "BiquadFilterNode", "envelope", "OscillatorNode",
                                 "GainNode", "AudioDestinationNode"])
    assert "envelope" in svgs[0] and "sawtooth, frequency 110 Hz" in svgs[0]
    assert (tmp_path / "voice.png").stat().st_size > 10000
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    m = re.search(r"loudest partial: (\d+) Hz", text)
    assert m and int(m.group(1)) % 110 in (0, 1, 109)  # a harmonic of 110 Hz
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    live = re.search(r"live frames: (\d+), peak at (\d+) Hz", text)
    assert live and int(live.group(1)) >= 3 and abs(int(live.group(2)) - 880) < 2 * 48000 / 2048
    # the live figure was shown through a display handle (display_id) that was updated
    assert any(o.get("output_type") == "display_data" and "image/png" in o.get("data", {}) for o in outputs)
    assert "whole quantum" in text and text.count("BiquadFilterNode") == 8
