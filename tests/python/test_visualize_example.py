"""examples/visualize.py: the graph, plots, profile and audio it writes."""

import runpy
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import labsound as ls

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "visualize.py"


def test_visualize_writes_its_files(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", [str(EXAMPLE), "-o", str(tmp_path)])
    with pytest.raises(SystemExit) as e:
        runpy.run_path(str(EXAMPLE), run_name="__main__")
    assert e.value.code == 0
    root = ET.parse(tmp_path / "graph.svg").getroot()
    ns = "{http://www.w3.org/2000/svg}"
    assert sorted(g.find(ns + "title").text for g in root.iter(ns + "g") if g.get("class") == "node") == [
        "AudioDestinationNode", "OscillatorNode", "envelope", "sweep"]
    texts = [t.text for t in root.iter(ns + "text")]
    assert "BiquadFilterNode" in texts and "sawtooth, frequency 110 Hz" in texts
    assert (tmp_path / "plots.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    profile = (tmp_path / "profile.txt").read_text().splitlines()
    assert profile[-1].split()[:3] == ["whole", "quantum", str(48000 * 2 // 128)]
    buf = ls.load(str(tmp_path / "voice.wav"))
    x = np.asarray(buf)[0]
    assert buf.length == 96000 and 0.3 < np.max(np.abs(x)) < 1.0
    # set_target_at_time(0, 1.5, 0.15): 0.4 s later the envelope is exp(-0.4 / 0.15) = 0.07 of 1.5 s's
    rms = lambda a, b: np.sqrt(np.mean(x[int(a * 48000):int(b * 48000)] ** 2))  # noqa: E731
    assert rms(1.9, 2.0) / rms(1.45, 1.5) < 0.12
