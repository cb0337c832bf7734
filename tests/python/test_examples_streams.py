"""examples/stream_file.py and examples/live_generator.py run and do what they say."""

import os
import re
import subprocess
import sys

import numpy as np
import pytest

import labsound as ls

EXAMPLES = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "examples")


def run(name, *args, cwd):
    env = dict(os.environ)
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(ls.__file__)))
    env["PYTHONPATH"] = os.pathsep.join(p for p in [package_root, env.get("PYTHONPATH")] if p)
    p = subprocess.run([sys.executable, os.path.join(EXAMPLES, name), *args], cwd=cwd, env=env,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    return p.stdout


def test_stream_file_processes_with_the_tail(tmp_path):
    sf = pytest.importorskip("soundfile")
    x = np.random.default_rng(2).uniform(-0.3, 0.3, (SR := 48000, 2)).astype(np.float32)
    sf.write(tmp_path / "in.wav", x, SR, subtype="FLOAT")
    out = run("stream_file.py", "in.wav", "out.wav", "--tail", "0.3", cwd=tmp_path)
    assert "tail" in out
    y, rate = sf.read(tmp_path / "out.wav", dtype="float32")
    assert rate == SR and y.shape[0] > SR + 0.35 * SR  # the echo rings past the input
    # what the example's chain gives, computed here with the same chain in process()
    sys.path.insert(0, EXAMPLES)
    try:
        import stream_file
    finally:
        sys.path.pop(0)
    z = ls.process(x.T.copy(), stream_file.chain, sample_rate=SR, tail=0.3)
    assert np.array_equal(y.T, z)


def test_live_generator_plays_without_underruns(tmp_path):
    out = run("live_generator.py", "--seconds", "0.5", cwd=tmp_path)
    m = re.search(r"played ([\d.]+) s, underruns: (\d+)", out)
    assert m and float(m.group(1)) >= 0.45 and int(m.group(2)) == 0, out


def test_live_generator_counts_underruns_when_slow(tmp_path):
    out = run("live_generator.py", "--seconds", "0.3", "--slow", cwd=tmp_path)
    m = re.search(r"underruns: (\d+)", out)
    assert m and int(m.group(1)) > 0, out
