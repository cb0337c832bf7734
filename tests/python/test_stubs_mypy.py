"""The stubs as a type checker reads them: mypy finds no error in
labsound/__init__.pyi, accepts typical uses of the node classes and factories
(with the types the generated stubs and scripts/stubs give), and flags
misuse (an enum name the engine lacks, a wrong option type, a method no node has).
"""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import labsound as ls

mypy = pytest.importorskip("mypy")

STUB = Path(ls.__file__).with_name("__init__.pyi")

GOOD = """
    from typing import Optional
    from typing_extensions import assert_type
    import numpy as np
    import numpy.typing as npt
    import labsound as ls

    ctx = ls.OfflineAudioContext(1, 128, 44100)
    b = ctx.create_buffer(1, 64, 44100)
    src = ctx.create_buffer_source(b, loop=True, interpolation="cubic")
    src.start(0.0, 0.1, 0.2)
    assert_type(src.buffer, Optional[ls.AudioBuffer])
    f = ctx.create_biquad_filter(type="highpass", Q=2.0)
    assert_type(f.q, ls.AudioParam)
    mag, phase = f.get_frequency_response([100.0, 200.0])
    assert_type(mag, npt.NDArray[np.float32])
    w = ls.WaveShaperNode(ctx, curve=[0.0, 1.0], oversample="2x")
    w.curve = [1.0, 0.5]
    assert_type(w.curve, Optional[npt.NDArray[np.float32]])
    iir = ctx.create_iir_filter([1.0], [1.0, -0.5])
    g = ctx.create_granulation(buffer=b, window="hann", position_end=None)
    assert_type(g.buffer, ls.AudioBuffer)
    assert_type(g.grains_started, int)
    assert_type(ctx.create_sfxr(wave_type="sine").coin(3), ls.SfxrNode)
    adsr = ls.ADSRNode(ctx, sustain_level=0.2)
    adsr.gate_on(0.1)
    assert_type(adsr.sustain_level, ls.AudioParam)
    osc = ctx.create_oscillator(type="square")
    osc.type = "triangle"
    osc.set_periodic_wave(ctx.create_periodic_wave([0.0, 1.0], [0.0, 0.0]))
    s = ctx.create_sampled_audio(buffer="hit.wav")
    s.schedule(0.0, 2)
    rec = ctx.create_recorder(channels=1)
    assert_type(rec.frames, int)
    assert_type(ctx.create_analyser(fft_size=512).get_byte_frequency_data(), npt.NDArray[np.uint8])
    ctx.create_panner(panning_model="HRTF").set_position(1.0, 0.0, 0.0)
    assert_type(ctx.create_dynamics_compressor().reduction, float)
    assert_type(ctx.create_spectral_monitor().spectral_magnitude(), npt.NDArray[np.float32])
"""

BAD = """
    import labsound as ls

    ctx = ls.OfflineAudioContext(1, 128, 44100)
    ctx.create_biquad_filter(type="lowpas")
    ls.NoiseNode(ctx, type="blue")
    ctx.create_adsr(one_shot="yes")
    ctx.create_gain().gate_on(0.0)
    ctx.create_granulation()
"""


@pytest.fixture(scope="module")
def mypy_errors(tmp_path_factory):
    """One mypy run over the stubs, GOOD and BAD: file name -> error lines."""
    tmp = tmp_path_factory.mktemp("mypy")
    pkg = tmp / "stubs" / "labsound"
    pkg.mkdir(parents=True)
    (pkg / "__init__.pyi").write_text(STUB.read_text())
    (tmp / "good.py").write_text(textwrap.dedent(GOOD))
    (tmp / "bad.py").write_text(textwrap.dedent(BAD))
    env = dict(os.environ, MYPYPATH=str(tmp / "stubs"))
    r = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "--no-error-summary",
                        "--cache-dir", str(tmp / "cache"), "--hide-error-context",
                        "stubs/labsound/__init__.pyi", "good.py", "bad.py"],
                       capture_output=True, text=True, env=env, cwd=tmp)
    out: dict = {}
    for line in r.stdout.splitlines():
        if ": error:" in line:
            out.setdefault(line.split(":")[0], []).append(line)
    assert r.returncode in (0, 1), r.stderr     # 1: errors found, anything else: mypy failed
    return out


def test_mypy_accepts_the_stubs_and_typical_uses(mypy_errors):
    errors = mypy_errors.get("stubs/labsound/__init__.pyi", []) + mypy_errors.get("good.py", [])
    assert not errors, "\n".join(errors)


def test_mypy_flags_misuse(mypy_errors):
    errors = mypy_errors.get("bad.py", [])
    lines = sorted({int(e.split(":")[1]) for e in errors})
    # one error on each misuse line (the dedented source starts with a blank line)
    assert lines == [5, 6, 7, 8, 9], "\n".join(errors)
