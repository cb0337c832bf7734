"""ClipNode's hard-clip and tanh transfer curves against NumPy, over a ramp
from -2 to 2.
"""
import numpy as np
import pytest

import labsound as ls

SR = 44100.0
X = np.linspace(-2.0, 2.0, 1024, dtype=np.float32)


def shape(make):
    ctx = ls.OfflineAudioContext(1, X.size, SR)
    buf = ls.AudioBuffer.from_numpy(X[None, :], SR)
    src = ctx.create_buffer_source(buffer=buf)
    node = make(ctx)
    src >> node >> ctx.destination
    src.start(0)
    return np.asarray(ctx.start_rendering())[0]


def test_hard_clip():
    y = shape(lambda c: c.create_clip(a=-0.5, b=0.75))
    np.testing.assert_array_equal(y, np.clip(X, -0.5, 0.75))


def test_tanh():
    y = shape(lambda c: c.create_clip(mode="tanh", a=0.8, b=3.0))
    np.testing.assert_allclose(y, 0.8 * np.tanh(3.0 * X.astype(np.float64)), atol=2e-6)


def test_bad_input():
    ctx = ls.OfflineAudioContext(1, 128, SR)
    with pytest.raises(ValueError, match=r"create_clip\(mode\): 'soft' is not one of"):
        ctx.create_clip(mode="soft")
    with pytest.raises(ValueError, match=r"ClipNode\(a\)"):
        ls.ClipNode(ctx, a=float("nan"))
    with pytest.raises(TypeError, match=r"create_diode\(vb\)"):
        ctx.create_diode(vb="low")
