"""OscillatorNode and PeriodicWave, checked against NumPy/SciPy references.

Figures the tests rely on (they come from the C design, see src/dsp/wavetable.h):

* Sine accuracy: tables of 4096 samples read with linear interpolation are
  within (2 pi / 4096)^2 / 8 = 2.9e-7 of the true sine; float32 rounding of
  the table (built with a float FFT, ~1.2e-7) and of the output add about
  1.5e-7. Tolerance 1e-6 (measured 4e-7).
* Band-limiting: every spectral line that is not a harmonic below Nyquist
  stays more than 100 dB under the fundamental (measured: -105 dB worst over
  20 Hz .. 20 kHz for sawtooth and square, -128 dB for a 3 kHz sawtooth).
  Tests assert -100 dB, and -120 dB for the 3 kHz sawtooth.
"""

import numpy as np
import pytest
from scipy import signal

import labsound as ls

SR = 48000.0
TYPES = ["sine", "square", "sawtooth", "triangle"]


def render(frames=48000, sr=SR, start=0.0, stop=None, setup=None, **options):
    """Render one oscillator, built with OscillatorNode(ctx, **options), as float64."""
    ctx = ls.OfflineAudioContext(1, frames, sr)
    osc = ls.OscillatorNode(ctx, **options)
    if setup is not None:
        setup(ctx, osc)
    osc >> ctx.destination
    osc.start(start)
    if stop is not None:
        osc.stop(stop)
    buf = ctx.start_rendering()
    return np.asarray(buf.get_channel_data(0), dtype=np.float64)


def peak_frequency(y, sr=SR, pad=8):
    """Frequency of the largest spectral peak: Hann window, zero padding and a
    parabola through the log magnitudes around the peak (error << 0.01 Hz
    for a one-second steady tone)."""
    n = len(y) * pad
    spec = np.abs(np.fft.rfft(y * np.hanning(len(y)), n))
    k = int(np.argmax(spec[1:])) + 1
    a, b, c = np.log(spec[k - 1 : k + 2] + 1e-300)
    offset = 0.5 * (a - c) / (a - 2 * b + c)
    return (k + offset) * sr / n


def alias_levels(y, m):
    """For a render of len(y) samples whose fundamental sits exactly on bin m
    (m odd, so a harmonic above Nyquist would fold onto a non-harmonic bin):
    the largest non-harmonic line and the total non-harmonic power, both in
    dB relative to the fundamental."""
    spec = np.abs(np.fft.rfft(y))
    bins = np.arange(len(spec))
    other = (bins % m != 0) & (bins > 0)
    fund = spec[m]
    worst = spec[other].max() / fund
    total = np.sqrt(np.sum(spec[other] ** 2)) / fund
    return 20 * np.log10(worst + 1e-30), 20 * np.log10(total + 1e-30)


# --------------------------------------------------------------------------
# Pitch
# --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", TYPES)
def test_frequency_by_fft_peak(kind):
    y = render(type=kind, frequency=440)
    assert peak_frequency(y) == pytest.approx(440, abs=0.01)
    # with one second at 48 kHz, bins are 1 Hz apart: the peak bin is 440
    assert int(np.argmax(np.abs(np.fft.rfft(y)))) == 440


def test_create_oscillator_factory_and_attributes():
    ctx = ls.OfflineAudioContext(1, 48000, 48000)
    osc = ctx.create_oscillator(type="square", frequency=1000)
    assert osc.type == "square"
    assert osc.frequency.value == pytest.approx(1000)
    assert osc.frequency.default_value == pytest.approx(440)
    assert osc.frequency.max_value == pytest.approx(24000)
    assert osc.frequency.min_value == pytest.approx(-24000)
    assert osc.detune.value == 0
    assert osc.detune.max_value == pytest.approx(1200 * np.log2(np.finfo(np.float32).max), rel=1e-6)
    osc.type = "sawtooth"
    assert osc.type == "sawtooth"
    osc >> ctx.destination
    osc.start(0)
    y = np.asarray(ctx.start_rendering().get_channel_data(0), dtype=np.float64)
    assert peak_frequency(y) == pytest.approx(1000, abs=0.01)
    # a sawtooth: the second harmonic is half the fundamental
    spec = np.abs(np.fft.rfft(y))
    assert spec[2000] / spec[1000] == pytest.approx(0.5, rel=1e-4)


@pytest.mark.parametrize("detune", [700.0, -1200.0, 1234.5])
def test_detune(detune):
    y = render(type="sine", frequency=1000, detune=detune)
    assert peak_frequency(y) == pytest.approx(1000 * 2 ** (detune / 1200), abs=0.01)


def test_detune_attribute_and_frequency_attribute():
    def setup(ctx, osc):
        osc.frequency.value = 2000
        osc.detune.value = -1200

    y = render(type="triangle", setup=setup)
    assert peak_frequency(y) == pytest.approx(1000, abs=0.01)


# --------------------------------------------------------------------------
# Waveforms
# --------------------------------------------------------------------------


@pytest.mark.parametrize("freq", [440.0, 1234.5, 9876.5])
def test_sine_matches_numpy(freq):
    y = render(type="sine", frequency=freq)
    n = np.arange(len(y))
    ref = np.sin(2 * np.pi * freq * n / SR)
    # tolerance: module docstring (interpolation 2.9e-7 + float rounding)
    assert np.max(np.abs(y - ref)) < 1e-6


@pytest.mark.parametrize("kind", ["square", "sawtooth", "triangle"])
def test_harmonic_amplitudes(kind):
    """Harmonics well below Nyquist carry the spec's Fourier coefficients
    (ratios to the fundamental; the common normalization cancels)."""
    y = render(type=kind, frequency=1000)
    spec = np.fft.rfft(y) / (len(y) / 2)
    k = np.arange(1, 16)
    measured = -spec[1000 * k].imag / -spec[1000].imag
    if kind == "square":
        b = np.where(k % 2 == 1, 4 / (k * np.pi), 0)
    elif kind == "sawtooth":
        b = (-1.0) ** (k + 1) * 2 / (k * np.pi)
    else:
        b = 8 * np.sin(k * np.pi / 2) / (np.pi * k) ** 2
    np.testing.assert_allclose(measured, b / b[0], atol=1e-5)
    # cosine parts are absent: the built-in waves are odd functions
    assert np.max(np.abs(spec[1000 * k].real)) < 1e-5


GIBBS = 2 / np.pi * 1.8519370519824662  # peak of a band-limited jump of 2: (2/pi) Si(pi)


@pytest.mark.parametrize(
    "kind, b1, peak",
    [
        ("sine", 1.0, 1.0),
        ("square", 4 / np.pi, GIBBS),
        ("sawtooth", 2 / np.pi, GIBBS),
        ("triangle", 8 / np.pi**2, 1.0),
    ],
)
def test_builtin_waves_are_normalized(kind, b1, peak):
    """Built-in types sound as a PeriodicWave of the spec's coefficients with
    normalization enabled: the full Fourier series is divided by its peak
    (the Gibbs overshoot 1.179 for the square and sawtooth, 1 for sine and
    triangle), so the fundamental's amplitude is b1 / peak. The peak comes
    from a sampled table, so it is the series' true peak to within 0.5%."""
    y = render(type=kind, frequency=440)
    fund = np.abs(np.fft.rfft(y))[440] / (len(y) / 2)
    assert fund == pytest.approx(b1 / peak, rel=5e-3)
    assert np.max(np.abs(y)) < 1.01


# --------------------------------------------------------------------------
# Band-limiting
# --------------------------------------------------------------------------

L = 65536  # render length: a fundamental at bin m is f = SR * m / L


def test_sawtooth_3khz_has_no_alias():
    m = 4095  # 2999.27 Hz
    y = render(frames=L, type="sawtooth", frequency=SR * m / L)
    worst, total = alias_levels(y, m)
    assert worst < -120, (worst, total)
    assert total < -110, (worst, total)
    # every harmonic up to a third of an octave below Nyquist (19.05 kHz) is
    # there at full level; between that and Nyquist the bands fade partials
    spec = np.abs(np.fft.rfft(y))
    for k in range(1, 7):
        assert spec[k * m] / spec[m] == pytest.approx(1 / k, rel=1e-4)


@pytest.mark.parametrize(
    "kind, m",
    [
        ("square", 9557),  # 7000 Hz: harmonics 1 and 3 only
        ("square", 14563),  # 10666 Hz: the fundamental only
        ("sawtooth", 601),  # 440 Hz: 54 harmonics
        ("sawtooth", 27),  # 19.8 Hz: the whole band
        ("triangle", 2731),  # 2000 Hz
    ],
)
def test_band_limited(kind, m):
    y = render(frames=L, type=kind, frequency=SR * m / L)
    worst, total = alias_levels(y, m)
    assert worst < -100, (worst, total)


def test_frequency_ramp_has_no_alias():
    """A sawtooth swept 2000 -> 2600 Hz in one second crosses a band boundary
    (2362 Hz). Short-time spectra (Kaiser window, beta 20: sidelobes far below
    -140 dB) show nothing but the harmonics below Nyquist of the current
    frequency: everything else stays 100 dB under the fundamental. The same
    analysis of a naive (not band-limited) sawtooth, computed in NumPy, finds
    strong aliases, so the test can tell."""
    f0, f1, dur = 2000.0, 2600.0, 1.0
    frames = int(SR * dur)

    def setup(ctx, osc):
        osc.frequency.set_value_at_time(f0, 0)
        osc.frequency.linear_ramp_to_value_at_time(f1, dur)

    y = render(frames=frames, type="sawtooth", frequency=f0, setup=setup)

    t = np.arange(frames) / SR
    inst = f0 + (f1 - f0) * t / dur
    phase = f0 * t + 0.5 * (f1 - f0) * t * t / dur
    naive = 2 * (phase - np.floor(phase + 0.5))

    def worst_alias(x):
        n, hop, margin = 4096, 2048, 100.0
        win = signal.get_window(("kaiser", 20), n)
        freqs = np.fft.rfftfreq(n, 1 / SR)
        worst = -np.inf
        for s in range(0, frames - n + 1, hop):
            spec = np.abs(np.fft.rfft(x[s : s + n] * win))
            lo, hi = inst[s], inst[s + n - 1]
            harmonic = np.zeros(len(freqs), bool)
            for k in range(1, int(SR / 2 / lo) + 1):
                harmonic |= (freqs >= k * lo - margin) & (freqs <= k * hi + margin)
            fund = spec[(freqs >= lo - margin) & (freqs <= hi + margin)].max()
            worst = max(worst, 20 * np.log10(spec[~harmonic].max() / fund))
        return worst

    assert worst_alias(naive) > -60
    assert worst_alias(y) < -100


def test_above_nyquist_is_silent():
    # the frequency param stops at Nyquist, detune pushes past it
    y = render(type="square", frequency=20000, detune=1200, frames=1024)
    assert np.all(y == 0)
    # the computed frequency is clamped nowhere else: just below Nyquist plays
    y = render(type="sine", frequency=20000, detune=300, frames=4800)
    assert np.max(np.abs(y)) > 0.9
    assert peak_frequency(y) == pytest.approx(20000 * 2 ** 0.25, abs=1)


# --------------------------------------------------------------------------
# PeriodicWave
# --------------------------------------------------------------------------

REAL = [0.0, 0.3, 0.0, -0.2]
IMAG = [0.0, 1.0, 0.5, 0.25]


def raw_wave(phase):
    """The spec's x(t) = sum a_k cos(2 pi k t) + b_k sin(2 pi k t)."""
    k = np.arange(len(REAL))[:, None]
    a = np.asarray(REAL)[:, None]
    b = np.asarray(IMAG)[:, None]
    return np.sum(a * np.cos(2 * np.pi * k * phase) + b * np.sin(2 * np.pi * k * phase), axis=0)


@pytest.mark.parametrize("disable", [False, True])
def test_periodic_wave_normalization(disable):
    freq = 375.0  # 128 samples per period
    ctx = ls.OfflineAudioContext(1, 4800, SR)
    wave = ctx.create_periodic_wave(REAL, IMAG, disable_normalization=disable)
    osc = ctx.create_oscillator(frequency=freq)
    osc.set_periodic_wave(wave)
    assert osc.type == "custom"
    osc >> ctx.destination
    osc.start(0)
    y = np.asarray(ctx.start_rendering().get_channel_data(0), dtype=np.float64)

    raw = raw_wave(np.arange(len(y)) * freq / SR)
    if disable:
        expected = raw
    else:
        # the spec's normalization: divide by the peak of the sampled waveform
        # (on 2**16 points here; the engine's 4096-point table finds the same
        # peak to within 3e-6 for three partials)
        expected = raw / np.max(np.abs(raw_wave(np.arange(2**16) / 2**16)))
        # peak 1: the rendered samples come as close to it as the waveform
        # sampled at these instants does
        assert np.max(np.abs(y)) <= 1 + 1e-5
        assert np.max(np.abs(y)) >= np.max(np.abs(expected)) - 1e-5
        assert np.max(np.abs(expected)) > 0.999
    assert np.max(np.abs(raw)) > 1.3  # so normalization really changes something
    # tolerance: interpolation of partial 3 on 4096 points, (2 pi 3/4096)^2/8
    # = 2.6e-6 of its amplitude, plus the normalization estimate above
    np.testing.assert_allclose(y, expected, atol=1e-5)


def test_periodic_wave_option_makes_type_custom():
    ctx = ls.OfflineAudioContext(1, 48000, SR)
    wave = ls.PeriodicWave(ctx, real=[0, 0], imag=[0, 1])
    osc = ls.OscillatorNode(ctx, type="square", periodic_wave=wave, frequency=440)
    assert osc.type == "custom"
    osc >> ctx.destination
    osc.start(0)
    y = np.asarray(ctx.start_rendering().get_channel_data(0), dtype=np.float64)
    n = np.arange(len(y))
    assert np.max(np.abs(y - np.sin(2 * np.pi * 440 * n / SR))) < 1e-6


def test_periodic_wave_cosine_terms_and_dc_ignored():
    """real[0] and imag[0] are ignored; real terms are cosines."""
    ctx = ls.OfflineAudioContext(1, 4800, SR)
    wave = ctx.create_periodic_wave([5.0, 1.0], [7.0, 0.0], disable_normalization=True)
    osc = ctx.create_oscillator(frequency=1000, periodic_wave=wave)
    osc >> ctx.destination
    osc.start(0)
    y = np.asarray(ctx.start_rendering().get_channel_data(0), dtype=np.float64)
    n = np.arange(len(y))
    assert np.max(np.abs(y - np.cos(2 * np.pi * 1000 * n / SR))) < 1e-6


def test_setting_type_back_from_custom():
    ctx = ls.OfflineAudioContext(1, 48000, SR)
    osc = ctx.create_oscillator(frequency=1000)
    osc.set_periodic_wave(ctx.create_periodic_wave([0, 0, 1], [0, 0, 0]))
    assert osc.type == "custom"
    osc.type = "sine"
    assert osc.type == "sine"
    osc >> ctx.destination
    osc.start(0)
    y = np.asarray(ctx.start_rendering().get_channel_data(0), dtype=np.float64)
    assert peak_frequency(y) == pytest.approx(1000, abs=0.01)


# --------------------------------------------------------------------------
# Timing and direction
# --------------------------------------------------------------------------


def test_sub_sample_start_phase():
    """Started between two frames, the first frame played has the phase the
    wave reached since the exact start time."""
    freq = 1000.0
    t0 = 100.37 / SR
    y = render(frames=4800, type="sine", frequency=freq, start=t0)
    n = np.arange(len(y))
    first = int(np.ceil(t0 * SR))
    assert first == 101
    expected = np.where(n >= first, np.sin(2 * np.pi * freq * (n / SR - t0)), 0.0)
    assert np.all(y[:first] == 0)
    assert abs(y[first]) > 0.05  # phase 2 pi 1000 0.63 / 48000, not 0
    assert np.max(np.abs(y - expected)) < 1e-6


def test_start_and_stop_are_frame_accurate():
    """Frames [ceil(start * sr), ceil(stop * sr)) play. A cosine wave is 1 at
    phase 0, so the first frame played is visible."""

    def setup(ctx, osc):
        osc.set_periodic_wave(ctx.create_periodic_wave([0, 1], [0, 0]))

    y = render(frames=4800, frequency=441, start=0.01, stop=0.02, setup=setup)
    assert np.all(y[:480] == 0)
    assert y[480] == pytest.approx(1.0, abs=1e-6)
    assert np.all(y[480:960] != 0)
    assert np.all(y[960:] == 0)


def test_negative_frequency_plays_backwards():
    n = 4800  # 100 periods of 1000 Hz
    fwd = render(frames=n, type="sawtooth", frequency=1000)
    bwd = render(frames=n, type="sawtooth", frequency=-1000)
    # bwd[t] = wave(-f t) = wave(f (n - t)) = fwd[n - t]
    np.testing.assert_allclose(bwd[1:], fwd[:0:-1], atol=1e-5)
    # a rising ramp forwards, falling backwards
    assert fwd[5] > fwd[1] and bwd[5] < bwd[1]
    sine = render(frames=n, type="sine", frequency=-1000)
    t = np.arange(n)
    assert np.max(np.abs(sine + np.sin(2 * np.pi * 1000 * t / SR))) < 1e-6


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------


def test_type_custom_raises_invalid_state():
    ctx = ls.OfflineAudioContext(1, 128, SR)
    osc = ctx.create_oscillator()
    with pytest.raises(ls.InvalidStateError):
        osc.type = "custom"
    assert osc.type == "sine"
    with pytest.raises(ls.InvalidStateError):
        ls.OscillatorNode(ctx, type="custom")


def test_wrong_type_string_lists_accepted_values():
    ctx = ls.OfflineAudioContext(1, 128, SR)
    osc = ctx.create_oscillator()
    with pytest.raises(ValueError) as info:
        osc.type = "sqaure"
    message = str(info.value)
    for name in TYPES:
        assert name in message
    assert "sqaure" in message
    assert osc.type == "sine"
    with pytest.raises(ValueError):
        ctx.create_oscillator(type="noise")


def test_periodic_wave_errors():
    ctx = ls.OfflineAudioContext(1, 128, SR)
    with pytest.raises(IndexError):
        ctx.create_periodic_wave([0.0], [0.0])  # fewer than 2 coefficients
    with pytest.raises((IndexError, ls.NotSupportedError)):
        ctx.create_periodic_wave([0.0, 1.0, 2.0], [0.0, 1.0])  # lengths differ
    with pytest.raises(ValueError):
        ctx.create_periodic_wave([0.0, float("nan")], [0.0, 1.0])
    osc = ctx.create_oscillator()
    with pytest.raises(TypeError):
        osc.set_periodic_wave(None)
    # a wave made for another sample rate would play at the wrong pitch
    other = ls.OfflineAudioContext(1, 128, 44100)
    with pytest.raises(ls.InvalidAccessError):
        osc.set_periodic_wave(other.create_periodic_wave([0, 0], [0, 1]))
    assert osc.type == "sine"


@pytest.mark.parametrize("normalize", [True, False])
def test_custom_wave_at_1_hz_wpt_snr(normalize):
    # WPT osc-basic-waveform's custom case at 1 Hz: a PeriodicWave of one
    # sine partial against sin(2 pi t), SNR >= 133 dB. Its table is summed
    # in double precision, so what is left is the table's linear
    # interpolation (about 133.4 dB for 4096 samples per cycle).
    n = int(SR)
    ctx = ls.OfflineAudioContext(1, n, SR)
    wave = ctx.create_periodic_wave([0, 0], [0, 1], disable_normalization=not normalize)
    osc = ctx.create_oscillator(frequency=1)
    osc.set_periodic_wave(wave)
    osc >> ctx.destination
    osc.start(0)
    y = np.asarray(ctx.start_rendering())[0].astype(np.float64)
    ref = np.sin(2 * np.pi * np.arange(n) / SR)
    snr = 10 * np.log10(np.sum(ref ** 2) / np.sum((y - ref) ** 2))
    assert snr >= 133.0, snr
