"""NoiseNode: spectral slopes against a Welch estimate (SciPy), seeds, type changes."""
import numpy as np
import pytest
from scipy import signal

import labsound as ls

SR = 44100.0


def render_noise(type_, seed, seconds=8.0, start=0.0):
    ctx = ls.OfflineAudioContext(1, int(seconds * SR), SR)
    n = ctx.create_noise(type=type_, seed=seed)
    n >> ctx.destination
    n.start(start)
    return np.asarray(ctx.start_rendering())[0].copy()


def octave_levels(x, centres):
    """PSD (dB) averaged over the third of an octave around each centre."""
    f, p = signal.welch(x.astype(np.float64), fs=SR, nperseg=8192)
    out = []
    for c in centres:
        band = (f >= c * 2 ** (-1 / 6)) & (f < c * 2 ** (1 / 6))
        out.append(10 * np.log10(p[band].mean()))
    return np.array(out)


CENTRES = 250.0 * 2.0 ** np.arange(5)   # 250 Hz .. 4 kHz: four octaves


@pytest.mark.parametrize("type_,slope", [("white", 0.0), ("pink", -10 * np.log10(2)),
                                         ("brown", -20 * np.log10(2))])
def test_spectral_slope(type_, slope):
    x = render_noise(type_, seed=1234)
    levels = octave_levels(x, CENTRES)
    octaves = np.log2(CENTRES / CENTRES[0])
    fitted = np.polyfit(octaves, levels, 1)[0]
    assert fitted == pytest.approx(slope, abs=0.5)
    # every octave point within 0.5 dB of the ideal line through their mean
    ideal = slope * octaves
    dev = levels - ideal
    assert np.abs(dev - dev.mean()).max() < 0.5


def test_levels():
    white = render_noise("white", 5, seconds=2.0)
    assert white.min() >= -1.0 and white.max() < 1.0
    assert white.std() == pytest.approx(1 / np.sqrt(3), rel=0.02)   # uniform in [-1, 1)
    assert abs(white.mean()) < 0.01
    for t in ("pink", "brown"):
        assert render_noise(t, 5, seconds=4.0).std() == pytest.approx(0.2, rel=0.25)


@pytest.mark.parametrize("type_", ["white", "pink", "brown"])
def test_same_seed_same_bytes(type_):
    a = render_noise(type_, 42, seconds=0.5)
    b = render_noise(type_, 42, seconds=0.5)
    c = render_noise(type_, 43, seconds=0.5)
    assert a.tobytes() == b.tobytes()
    assert a.tobytes() != c.tobytes()
    if type_ == "white":   # brown noise is dominated by a few slow swings
        assert np.abs(np.corrcoef(a, c)[0, 1]) < 0.1


def test_seed_property_and_fresh_seeds():
    ctx = ls.OfflineAudioContext(1, 128, SR)
    assert ctx.create_noise(seed=7).seed == 7
    assert ctx.create_noise().seed != ctx.create_noise().seed


def test_start_stop_and_type_setting():
    ctx = ls.OfflineAudioContext(1, 4410, SR)
    n = ls.NoiseNode(ctx, {"type": "brown"}, seed=3)
    assert n.type == "brown"
    n.type = "pink"
    assert n.type == "pink"
    n >> ctx.destination
    n.start(0.01)
    n.stop(0.05)
    x = np.asarray(ctx.start_rendering())[0]
    assert not x[:441].any()                      # frames before ceil(0.01 * sr)
    assert x[441:2205].all()
    assert not x[2205:].any()


def test_bad_input():
    ctx = ls.OfflineAudioContext(1, 128, SR)
    with pytest.raises(ValueError, match=r"create_noise\(type\): 'blue' is not one of"):
        ctx.create_noise(type="blue")
    with pytest.raises(TypeError, match=r"NoiseNode\(type\)"):
        ls.NoiseNode(ctx, type=1)
    with pytest.raises(TypeError, match=r"create_noise\(seed\)"):
        ctx.create_noise(seed=1.5)
    with pytest.raises(ValueError, match=r"create_noise\(seed\)"):
        ctx.create_noise(seed=-1)
    n = ctx.create_noise()
    with pytest.raises(ValueError, match="type"):
        n.type = "grey"
    with pytest.raises(AttributeError):
        n.seed = 3
    with pytest.raises(ValueError):
        n.start(float("nan"))
