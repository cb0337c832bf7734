"""docs/migration.md: every labsound spelling its tables name exists in the
package, and the table covers the Web Audio interfaces labsound implements."""

import re
from pathlib import Path

import numpy as np
import pytest

import labsound as ls

PAGE = Path(__file__).resolve().parents[2] / "docs" / "migration.md"
CODE = re.compile(r"`([^`]+)`")
NAME = re.compile(r"^(ls\.)?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")


def table_rows(text):
    """(js cell, labsound cell) of every table row whose header names labsound."""
    rows, first, wanted = [], True, False
    for line in text.splitlines():
        if not line.startswith("|"):
            first = True
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if first:  # the header row of a table
            first, wanted = False, len(cells) >= 2 and "labsound" in cells[1]
            continue
        if not wanted or set(cells[0]) <= set("-: "):
            continue
        rows.append((cells[0], cells[1]))
    return rows


class _P(ls.AudioProcessor):
    parameters = [("amp", 0.1)]

    def process(self, inputs, outputs, parameters):
        return True


def _instances():
    """Instances for attributes that exist on instances only (set in __init__)."""
    ctx = ls.OfflineAudioContext(1, 128, 44100)
    node = ctx.create_processor(_P, number_of_inputs=0, output_channel_count=[1])
    return {"AudioProcessorNode": node, "AudioProcessor": node.processor,
            "MessagePort": node.processor.port}


def resolve(spelling, instances):
    spelling = spelling[3:] if spelling.startswith("ls.") else spelling
    parts = spelling.split(".")
    obj = getattr(ls, parts[0])
    if len(parts) == 1:
        return obj
    if hasattr(obj, parts[1]):
        return getattr(obj, parts[1])
    if parts[0] in instances:
        return getattr(instances[parts[0]], parts[1])
    raise AttributeError(f"labsound has no {spelling}")


def test_every_labsound_spelling_exists():
    rows = table_rows(PAGE.read_text(encoding="utf-8"))
    assert len(rows) > 180, len(rows)
    instances = _instances()
    checked, missing = 0, []
    for js, lab in rows:
        names = [n for n in CODE.findall(lab) if NAME.match(n)]
        if not names:
            assert lab.startswith("—"), f"row {js!r}: labsound cell {lab!r} names nothing"
            continue
        try:
            resolve(names[0], instances)
            checked += 1
        except AttributeError:
            missing.append((js, names[0]))
    assert missing == []
    assert checked > 150


# LabSound's extended nodes (docs/extended-nodes.md) have no Web Audio counterpart
LABSOUND_EXTENDED = ("ADSRNode", "ClipNode", "DiodeNode", "NoiseNode", "PolyBLEPNode", "SupersawNode")
LABSOUND_EXTENDED += ("PowerMonitorNode", "SpectralMonitorNode", "PeakCompNode", "PWMNode")
LABSOUND_EXTENDED += ("SfxrNode",)
LABSOUND_EXTENDED += ("BPMDelayNode", "PingPongDelayNode", "SampledAudioNode")
LABSOUND_EXTENDED += ("GranulationNode",)


def test_table_covers_each_implemented_interface():
    text = PAGE.read_text(encoding="utf-8")
    js_cells = " ".join(js for js, _ in table_rows(text))
    spec_classes = [n for n in ls.__all__ if n.endswith(("Node", "Context", "Param", "Buffer", "Listener"))
                    and n not in ("FunctionNode", "AudioProcessorNode", "RecorderNode", "StreamSourceNode")
                    and n not in LABSOUND_EXTENDED]
    absent = [n for n in spec_classes if n not in js_cells]
    assert absent == []


def test_parser_reads_rows():
    text = "| Web Audio (JS) | labsound (Python) | x |\n|---|---|---|\n| `a.b` | `ls.GainNode` | n |\n\nz\n"
    assert table_rows(text) == [("`a.b`", "`ls.GainNode`")]
    with pytest.raises(AttributeError):
        resolve("GainNode.no_such_thing", {})
    assert resolve("ls.GainNode", {}) is ls.GainNode
    assert np.isfinite(resolve("RENDER_QUANTUM", {}))
