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


def test_rfft_converts_other_dtypes_in_a_fresh_interpreter():
    """float64 and int input is converted to float32 on the first call too
    (before NumPy's types are cached by anything else), and the results are
    writable arrays of their own."""
    import subprocess
    import sys

    code = ("import numpy as np, labsound as ls\n"
            "X = ls.rfft(np.ones(8))\n"
            "print(X[0].real, X.flags.writeable, X.flags.owndata or X.base is not None)\n"
            "print(ls.rfft(np.arange(4))[0].real, ls.irfft(np.array([8, 0, 0, 0, 0]))[0])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["8.0", "True", "True", "6.0", "1.0"]
