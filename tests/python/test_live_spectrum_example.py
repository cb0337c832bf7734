"""examples/live_spectrum.py: a live spectrum of a real-time context, as a
script, on the null sink. With Agg the frames are drawn in a loop; under a
virtual display (Xvfb) with TkAgg a FuncAnimation drives the figure and the
window closes itself after --seconds."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("matplotlib")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "live_spectrum.py"


def run(tmp_path, backend, *prefix):
    out = tmp_path / f"spectrum-{backend}.png"
    env = dict(os.environ, MPLBACKEND=backend)
    p = subprocess.run([*prefix, sys.executable, str(EXAMPLE), "--seconds", "1", "-o", str(out)],
                       capture_output=True, text=True, timeout=120, env=env)
    assert p.returncode == 0, p.stderr
    frames = int(re.search(r"drew (\d+) frames", p.stdout).group(1))
    return frames, out


def assert_picture(path):
    import matplotlib.image as mpimg
    img = mpimg.imread(path)
    assert img.ndim == 3 and img.shape[0] > 100 and img.shape[1] > 100
    # a drawn line: many pixels differ from the background
    assert np.mean(np.any(np.abs(img[..., :3] - img[0, 0, :3]) > 0.1, axis=-1)) > 0.01


def test_live_spectrum_with_agg(tmp_path):
    frames, out = run(tmp_path, "Agg")
    # 1 s at one frame every 50 ms at most (each frame's drawing takes
    # time too, much of it on a loaded machine)
    assert 2 <= frames <= 21
    assert_picture(out)


def test_live_spectrum_with_funcanimation_under_xvfb(tmp_path):
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        pytest.skip("xvfb-run is not installed (apt-get install xvfb)")
    try:
        import tkinter  # noqa: F401
    except ImportError:
        pytest.skip("tkinter is not available for the TkAgg backend")
    frames, out = run(tmp_path, "TkAgg", xvfb, "-a")
    # the FuncAnimation redrew the figure while the window was open
    assert frames >= 3
    assert_picture(out)
