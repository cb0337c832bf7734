"""labsound.rfft / irfft (the engine's FFT) against numpy.fft in double
precision. Tolerance: 3e-8 (log2(n) + 1) relative to the spectrum's RMS,
as tests/c/test_fft.c states for the C FFT."""
import math

import numpy as np
import pytest

import labsound as ls


@pytest.mark.parametrize("n", [2, 4, 8, 128, 1024, 4096, 65536])
def test_rfft_matches_numpy(n):
    rng = np.random.default_rng(n)
    x = rng.uniform(-1, 1, size=(3, n)).astype(np.float32)
    ref = np.fft.rfft(x.astype(np.float64))
    got = ls.rfft(x)
    assert got.dtype == np.complex64 and got.shape == (3, n // 2 + 1)
    err = np.sqrt(np.mean(np.abs(got - ref) ** 2) / np.mean(np.abs(ref) ** 2))
    assert err < 3e-8 * (math.log2(n) + 1)
    np.testing.assert_allclose(ls.rfft(x[1]), got[1], rtol=0, atol=0)
    back = ls.irfft(got)
    assert back.dtype == np.float32 and back.shape == x.shape
    np.testing.assert_allclose(back, x, atol=6e-8 * (math.log2(n) + 1))


def test_rfft_errors():
    with pytest.raises(ls.NotSupportedError, match="100"):
        ls.rfft(np.zeros(100))
    with pytest.raises(ValueError):
        ls.rfft(np.zeros((2, 2, 2)))
    with pytest.raises(ls.NotSupportedError):
        ls.irfft(np.zeros(4, dtype=np.complex64))   # n = 6
