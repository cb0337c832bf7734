"""examples/sfxr_presets.py runs offline: one WAV per preset, each as long as the
preset's envelope (sfxr's formula, computed here from the node's settings)."""
import importlib.util
import os

import numpy as np

import labsound as ls

EXAMPLES = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "examples")


def load(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(EXAMPLES, name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_sfxr_presets(tmp_path, capsys):
    mod = load("sfxr_presets")
    mod.main(["sfxr_presets", str(tmp_path)])
    text = capsys.readouterr().out
    for name in mod.PRESETS:
        path = tmp_path / f"sfxr_{name}.wav"
        assert path.exists() and path.stat().st_size > 44 + 2 * 1000
        assert f"sfxr_{name}.wav" in text
    mod.main(["sfxr_presets"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(mod.PRESETS)
    ctx = ls.OfflineAudioContext(1, 1, 44100)
    for name, line in zip(mod.PRESETS, lines):
        node = ctx.create_sfxr(seed=1)
        getattr(node, name)(seed=1)
        lens = [int(np.float32(v) ** 2 * np.float32(1e5)) for v in (node.attack, node.sustain, node.decay)]
        expect = (sum(lens) + 1) / 44100          # the last non-zero frame, plus one
        length = float(line.split("length")[1].split()[0])
        if node.min_frequency == 0.0:
            assert abs(length - expect) < 0.0015, (name, length, expect)
        else:
            assert length <= expect + 0.0015
        assert float(line.split("peak")[1].split()[0]) > 0.01
