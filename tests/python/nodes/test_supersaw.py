"""SupersawNode: the partials of N detuned sawtooths (flat-top FFT, NumPy/SciPy)."""
import numpy as np
from scipy.signal import get_window

import labsound as ls

SR = 44100.0
N = 44100


def test_fundamentals_of_three_voices():
    ctx = ls.OfflineAudioContext(1, N, SR)
    s = ctx.create_supersaw(voices=3, frequency=1000.0, detune=50.0)
    s >> ctx.destination
    s.start(0)
    y = np.asarray(ctx.start_rendering())[0].astype(np.float64)
    w = get_window("flattop", N)
    spec = np.abs(np.fft.rfft(y * w)) * 2 / w.sum()
    f = np.fft.rfftfreq(N, 1 / SR)
    for cents in (-50.0, 0.0, 50.0):
        fk = 1000.0 * 2 ** (cents / 1200)
        for k in (1, 2):        # sawtooth harmonic k: amplitude 2 / (pi k), one voice of three
            band = np.abs(f - k * fk) < 3
            amp = spec[band].max()
            assert abs(20 * np.log10(amp / (2 / (np.pi * k) / 3))) < 0.5
    # nothing between the voices' fundamentals
    gap = (f > 1000 * 2 ** (-25 / 1200)) & (f < 1000 * 2 ** (-12 / 1200))
    assert spec[gap].max() < 0.01
