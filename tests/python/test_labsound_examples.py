"""The examples ported from LabSound's example set run offline through their
main(argv) and write what they say: each output is checked against a model
computed here (sines from their formulas, Bessel sidebands, numpy convolution,
Fourier series of the waveforms), not against stored renders.

Tolerances: the engine's oscillator is within 4e-7 of the exact sine; outputs
written as float32 WAVs are compared at 1e-5 (a few ulps of the sums), the
16-bit WAV of simple.py at 1.5 steps of 1/32768.
"""
import importlib.util
import math
import os

import numpy as np
import pytest

import labsound as ls

EXAMPLES = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "examples")


def load(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(EXAMPLES, name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run(name, tmp_path, *args, out="out.wav"):
    path = tmp_path / out
    assert load(name).main(["-o", str(path), *args]) == 0
    return path


def read(path):
    return np.asarray(ls.load(path)).astype(np.float64)


def amplitude_at(x, rate, freq):
    """Amplitude of the sinusoid at freq (an exact bin of len(x) frames)."""
    spec = np.fft.rfft(x) * 2 / len(x)
    k = freq * len(x) / rate
    assert abs(k - round(k)) < 1e-9
    return abs(spec[int(round(k))])


def test_simple_tone(tmp_path):
    y = read(run("simple", tmp_path, "--seconds", "1", "--frequency", "441"))
    assert y.shape == (2, 44100)
    n = np.arange(44100)
    model = 0.5 * np.sin(2 * np.pi * 441 * n / 44100)
    for c in range(2):
        np.testing.assert_allclose(y[c], model, atol=1.5 / 32768)
    assert amplitude_at(y[0], 44100, 441) == pytest.approx(0.5, abs=1e-3)


def test_osc_pop_ramps_remove_the_jumps(tmp_path):
    mod = load("osc_pop")
    y = read(run("osc_pop", tmp_path, "--notes", "4"))
    rate, ramp = mod.RATE, 0.005
    n = np.arange(y.shape[1])
    t = n / rate
    left, right = np.zeros(len(n)), np.zeros(len(n))
    for start, stop, f in mod.schedule(4):
        on = (n >= math.ceil(start * rate)) & (n < math.ceil(stop * rate))
        tone = np.where(on, np.sin(2 * np.pi * f * (t - start)), 0.0)
        # the spec's linear ramps between the gain's events
        env = np.interp(t, [start, start + ramp, stop - ramp, stop], [0, 1, 1, 0], left=0, right=0)
        # set_value_at_time(0, start) holds 0 up to the first ramp's start
        left += 0.5 * tone
        right += 0.5 * tone * env
    np.testing.assert_allclose(y[0], left, atol=1e-5)
    np.testing.assert_allclose(y[1], right, atol=1e-5)
    # the pops: at each stop the hard-gated channel jumps by what the sine was there
    stops = [math.ceil(stop * rate) for _, stop, _ in mod.schedule(4)]
    assert min(abs(y[0][s - 1]) for s in stops) > 0.1
    # with ramps the largest step is the steepest sine's slope, 0.5 * 2 pi f / rate
    f_max = max(f for _, _, f in mod.schedule(4))
    slope = 0.5 * 2 * np.pi * f_max / rate
    assert np.abs(np.diff(y[1])).max() <= slope * 1.01
    assert np.abs(np.diff(y[0])).max() > 3 * slope


def test_frequency_modulation_sidebands_are_bessel(tmp_path):
    special = pytest.importorskip("scipy.special")
    y = read(run("frequency_modulation", tmp_path))[0]
    assert len(y) == 48000          # 1 s: 1 Hz bins, every line an exact bin
    fc, fm, beta = 1000.0, 100.0, 2.0
    spec = np.abs(np.fft.rfft(y)) * 2 / len(y)
    for k in range(-5, 6):
        expected = 0.5 * abs(special.jv(k, beta))
        assert spec[int(fc + k * fm)] == pytest.approx(expected, abs=2e-3), k
    # nothing between the lines
    lines = {int(fc + k * fm) for k in range(-9, 10)}
    rest = np.array([v for i, v in enumerate(spec) if i not in lines])
    assert rest.max() < 2e-3
    # the modulator's depth: the k = +-1 lines are J1(2) = 0.577 of 0.5
    assert spec[1100] > 0.25 and spec[900] > 0.25


def test_runtime_graph_update_follows_the_edits(tmp_path):
    mod = load("runtime_graph_update")
    y = read(run("runtime_graph_update", tmp_path))[0]
    step = 96 * 128
    assert len(y) == 4 * step
    n = np.arange(len(y))
    a = 0.4 * np.sin(2 * np.pi * mod.FREQS[0] * n / mod.RATE)
    b = 0.4 * np.sin(2 * np.pi * mod.FREQS[1] * n / mod.RATE)
    connected = [(1, 0), (1, 1), (0, 1), (1, 0)]
    model = np.concatenate([ca * a[i * step:(i + 1) * step] + cb * b[i * step:(i + 1) * step]
                            for i, (ca, cb) in enumerate(connected)])
    np.testing.assert_allclose(y, model, atol=1e-5)


def test_runtime_graph_update_realtime_records(tmp_path, monkeypatch):
    monkeypatch.setenv("LABSOUND_BACKEND", "null")      # silent, even where a device exists
    path = run("runtime_graph_update", tmp_path, "--realtime", "--step", "0.05")
    y = read(path)[0]
    # the null sink ran the graph while it was edited: something was heard
    assert len(y) > 0.1 * 48000 and np.abs(y).max() > 0.3


def test_microphone_reverb_offline_is_dry_plus_convolution(tmp_path):
    signal = pytest.importorskip("scipy.signal")
    mod = load("microphone_reverb")
    y = read(run("microphone_reverb", tmp_path, "--seconds", "0.5", "--rt60", "0.4"))[0]
    x = mod.plucks(0.5, mod.RATE).astype(np.float64)
    h = mod.generated_impulse(0.4, mod.RATE).astype(np.float64)
    model = x + 0.5 * signal.fftconvolve(x, h)[:len(x)]
    assert np.abs(model - x).max() > 0.05        # the reverb is there
    np.testing.assert_allclose(y, model, atol=2e-5)


def test_microphone_reverb_from_a_file(tmp_path):
    signal = pytest.importorskip("scipy.signal")
    mod = load("microphone_reverb")
    src = tmp_path / "in.wav"
    x = np.zeros(4410, np.float32)
    x[100] = 0.5                                  # a click: the output shows the impulse
    ls.AudioBuffer.from_numpy(x, mod.RATE).save(src, bits="float32")
    y = read(run("microphone_reverb", tmp_path, "--input", str(src), "--rt60", "0.05",
                 "--wet", "1"))[0]
    h = mod.generated_impulse(0.05, mod.RATE).astype(np.float64)
    model = x + signal.fftconvolve(x.astype(np.float64), h)[:len(x)]
    np.testing.assert_allclose(y, model, atol=2e-5)


def test_poly_blep_fundamentals_and_harmonics(tmp_path):
    y = read(run("poly_blep", tmp_path, "--types", "sawtooth,square,triangle", "--each", "1.0",
                 "--frequency", "220"))[0]
    seg = 375 * 128                       # 1 s: 1 Hz bins
    assert len(y) == 3 * seg
    saw, square, tri = (y[i * seg:(i + 1) * seg] for i in range(3))
    for x in (saw, square, tri):
        spec = np.abs(np.fft.rfft(x))
        assert np.argmax(spec) == 220                # the fundamental
    # Fourier series at amplitude 0.5: sawtooth (2 / pi k), square (4 / pi k, odd k),
    # triangle (8 / pi^2 k^2, odd k); PolyBLEP keeps the low harmonics within 2 %
    for k in (1, 2, 3):
        assert amplitude_at(saw, 48000, 220 * k) == pytest.approx(0.5 * 2 / (np.pi * k), rel=0.02)
    for k in (1, 3, 5):
        assert amplitude_at(square, 48000, 220 * k) == pytest.approx(0.5 * 4 / (np.pi * k), rel=0.02)
        assert amplitude_at(tri, 48000, 220 * k) == pytest.approx(0.5 * 8 / (np.pi * k) ** 2, rel=0.03)
    for k in (2, 4):
        assert amplitude_at(square, 48000, 220 * k) < 1e-3
        assert amplitude_at(tri, 48000, 220 * k) < 1e-3


def test_poly_blep_default_runs_every_type(tmp_path, capsys):
    y = read(run("poly_blep", tmp_path))[0]
    mod = load("poly_blep")
    seg = 96 * 128
    assert len(y) == len(mod.TYPES) * seg
    for i in range(len(mod.TYPES)):
        assert np.abs(y[i * seg:(i + 1) * seg]).max() > 0.2, mod.TYPES[i]
    assert "12 waveforms" in capsys.readouterr().out


def test_supersaw_voices_are_detuned(tmp_path):
    # three voices at -50, 0, +50 cents from 440 Hz; 2 s: 0.5 Hz bins
    y = read(run("supersaw", tmp_path, "--seconds", "2", "--voices", "3", "--detune", "50",
                 "--notes", "440"))[0]
    spec = np.abs(np.fft.rfft(y * np.hanning(len(y))))
    freqs = np.fft.rfftfreq(len(y), 1 / 48000)
    band = (freqs > 400) & (freqs < 480)
    expected = [440 * 2 ** (c / 1200) for c in (-50, 0, 50)]
    # the three largest local peaks in the band are the three voices
    s = spec[band]
    f = freqs[band]
    peaks = [i for i in range(1, len(s) - 1) if s[i] >= s[i - 1] and s[i] >= s[i + 1]]
    top = sorted(sorted(peaks, key=lambda i: -s[i])[:3])
    np.testing.assert_allclose(f[top], expected, atol=1.0)


def test_supersaw_default(tmp_path):
    y = read(run("supersaw", tmp_path))[0]
    assert len(y) == 72000 and 0.1 < np.abs(y).max() < 1.0


def test_audio_texture_png(tmp_path):
    pytest.importorskip("matplotlib")
    if "libasan" in os.environ.get("LD_PRELOAD", ""):
        pytest.skip("matplotlib cannot run with the ASan runtime preloaded")
    import matplotlib.image as mpimg
    png = tmp_path / "t.png"
    wav = tmp_path / "t.wav"
    assert load("audio_texture").main(["-o", str(png), "--wav", str(wav), "--seconds", "1"]) == 0
    assert png.stat().st_size > 10000
    img = mpimg.imread(png)
    assert img.ndim == 3 and img.shape[0] > 200 and img.shape[1] > 400
    assert img[..., :3].std() > 0.1                          # not a blank image
    y = read(wav)[0]
    assert len(y) == 44100
    # what it draws: the grains of an 880 Hz sine all along, and the glide from 2 kHz
    # (2000 * 0.25 ** t: about 1966 Hz over the first 1024 frames)
    whole = np.abs(np.fft.rfft(y * np.hanning(len(y))))
    freqs = np.fft.rfftfreq(len(y), 1 / 44100)
    band = (freqs > 700) & (freqs < 1060)
    power = whole[band] ** 2
    centroid = float((freqs[band] * power).sum() / power.sum())
    assert abs(centroid - 880) < 30
    assert power.sum() > 4 * (whole[(freqs > 3000) & (freqs < 3360)] ** 2).sum()
    first = np.abs(np.fft.rfft(y[:1024] * np.hanning(1024)))
    freqs = np.fft.rfftfreq(1024, 1 / 44100)
    band = (freqs > 1200) & (freqs < 3000)
    assert abs(freqs[band][np.argmax(first[band])] - 1966) < 50
