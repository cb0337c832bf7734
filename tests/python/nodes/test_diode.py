"""DiodeNode's transfer curve against its formula in NumPy, over a ramp from
-2 to 2, for several distortion, vb and vl settings.
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


def diode_model(x, h, vb, vl):
    v = np.abs(x.astype(np.float64))
    q = 2 * vl - 2 * vb
    return np.where(v <= vb, 0.0, np.where(v <= vl, h * (v - vb) ** 2 / q,
                                           h * v - h * vl + h * (vl - vb) ** 2 / q))


@pytest.mark.parametrize("h,vb,vl", [(1.0, 0.2, 0.4), (3.0, 0.1, 0.7)])
def test_diode(h, vb, vl):
    y = shape(lambda c: c.create_diode(distortion=h, vb=vb, vl=vl))
    np.testing.assert_allclose(y, diode_model(X, h, vb, vl), atol=1e-5)


