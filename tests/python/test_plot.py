"""labsound.plot on the Agg backend: what each plot draws, read back from its Line2D data."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy import signal  # noqa: E402

import labsound as ls  # noqa: E402
import labsound.plot as lsplot  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def tone(freq, seconds=0.5, rate=48000.0, amp=1.0, channels=1):
    t = np.arange(int(seconds * rate)) / rate
    data = np.tile(amp * np.sin(2 * np.pi * freq * t), (channels, 1)).astype(np.float32)
    return ls.AudioBuffer.from_numpy(data, rate)


def test_waveform_draws_the_samples_against_seconds():
    buf = tone(100, 0.05, channels=2)
    ax = lsplot.waveform(buf)
    assert len(ax.lines) == 2
    x, y = ax.lines[1].get_data()
    np.testing.assert_allclose(x, np.arange(buf.length) / 48000.0)
    np.testing.assert_array_equal(y, np.asarray(buf)[1])
    assert "s" in ax.get_xlabel() and "time" in ax.get_xlabel()
    assert ax.get_ylabel()


def test_waveform_one_channel_on_a_given_axes():
    fig, given = plt.subplots()
    ax = lsplot.waveform(tone(100, 0.01, channels=2), channel=1, ax=given)
    assert ax is given and len(ax.lines) == 1
    with pytest.raises(ValueError, match="channel.*5"):
        lsplot.waveform(tone(100, 0.01), channel=5)
    with pytest.raises(TypeError, match="AudioBuffer"):
        lsplot.waveform(np.zeros(10))


@pytest.mark.parametrize("freq", [440.0, 3000.0])
def test_spectrum_of_a_buffer_peaks_at_the_tone(freq):
    ax = lsplot.spectrum(tone(freq, 0.5, amp=0.5))
    x, y = ax.lines[0].get_data()
    peak = x[np.argmax(y)]
    assert abs(peak - freq) <= 2.0  # 2 Hz bins for 0.5 s
    assert y.max() == pytest.approx(20 * np.log10(0.5), abs=0.2)  # a sine of 0.5 reads -6 dBFS
    assert ax.get_xscale() == "log"
    assert "Hz" in ax.get_xlabel() and "dB" in ax.get_ylabel()


def test_spectrum_of_an_analyser_peaks_at_the_tone():
    ctx = ls.OfflineAudioContext(1, 8192, 48000)
    osc = ctx.create_oscillator()
    osc.frequency.value = 1500
    an = ctx.create_analyser(fft_size=2048)
    osc >> an >> ctx.destination
    osc.start(0)
    ctx.start_rendering()
    ax = lsplot.spectrum(an)
    x, y = ax.lines[0].get_data()
    expected = np.asarray(an.get_float_frequency_data())[1:]
    np.testing.assert_allclose(y, expected, rtol=1e-6)
    np.testing.assert_allclose(x, np.arange(1, 1024) * 48000 / 2048)
    assert abs(x[np.argmax(y)] - 1500) <= 48000 / 2048


def test_spectrogram_shows_a_tone_that_changes_frequency():
    rate = 16000.0
    a = np.sin(2 * np.pi * 1000 * np.arange(8000) / rate)
    b = np.sin(2 * np.pi * 4000 * np.arange(8000) / rate)
    buf = ls.AudioBuffer.from_numpy(np.concatenate([a, b]).astype(np.float32)[None, :], rate)
    ax = lsplot.spectrogram(buf, fft_size=512)
    img = ax.images[0].get_array()
    freqs = np.linspace(0, rate / 2, img.shape[0])
    assert abs(freqs[np.argmax(img[:, 2])] - 1000) < rate / 512 * 1.5
    assert abs(freqs[np.argmax(img[:, -3])] - 4000) < rate / 512 * 1.5
    assert ax.get_ylabel() == "frequency (Hz)" and ax.get_xlabel() == "time (s)"
    with pytest.raises(ValueError, match="fft_size"):
        lsplot.spectrogram(buf, fft_size=1)


def biquad_lowpass(f0, q_db, fs):
    """The Web Audio spec's lowpass coefficients (Q in dB)."""
    w0 = 2 * np.pi * f0 / fs
    alpha = np.sin(w0) / (2 * 10 ** (q_db / 20))
    c = np.cos(w0)
    b = np.array([(1 - c) / 2, 1 - c, (1 - c) / 2])
    a = np.array([1 + alpha, -2 * c, 1 - alpha])
    return b / a[0], a / a[0]


def test_frequency_response_of_a_biquad_matches_freqz():
    ctx = ls.OfflineAudioContext(1, 128, 48000)
    bq = ctx.create_biquad_filter(type="lowpass", frequency=2000, Q=3)
    ax = lsplot.frequency_response(bq, points=200)
    f, mag_db = ax.lines[0].get_data()
    _, phase_deg = ax.phase_axes.lines[0].get_data()
    b, a = biquad_lowpass(2000, 3, 48000)
    _, h = signal.freqz(b, a, worN=np.asarray(f, dtype=np.float64), fs=48000)
    # the lowpass has its zero at Nyquist (the last point): drawn at the -240 dB floor
    np.testing.assert_allclose(mag_db[:-1], 20 * np.log10(np.abs(h[:-1])), atol=0.01)
    assert mag_db[-1] == pytest.approx(-240)
    np.testing.assert_allclose(phase_deg[:-1], np.degrees(np.angle(h[:-1])), atol=0.05)
    assert ax.get_xscale() == "log" and f[0] == pytest.approx(10) and f[-1] == pytest.approx(24000)
    assert "dB" in ax.get_ylabel() and "degrees" in ax.phase_axes.get_ylabel()


def test_frequency_response_of_an_iir_filter_matches_freqz():
    ctx = ls.OfflineAudioContext(1, 128, 44100)
    ff, fb = [0.2, 0.3, 0.1], [1.0, -0.6, 0.2]
    iir = ctx.create_iir_filter(ff, fb)
    freqs = [50.0, 500.0, 5000.0, 20000.0]
    ax = lsplot.frequency_response(iir, frequencies=freqs)
    f, mag_db = ax.lines[0].get_data()
    _, h = signal.freqz(ff, fb, worN=np.asarray(freqs), fs=44100)
    np.testing.assert_allclose(mag_db, 20 * np.log10(np.abs(h)), atol=0.01)
    with pytest.raises(TypeError, match="BiquadFilterNode or IIRFilterNode"):
        lsplot.frequency_response(ctx.create_gain())


def test_automation_draws_the_scheduled_ramps():
    ctx = ls.OfflineAudioContext(1, 44100, 44100)
    g = ctx.create_gain()
    g.gain.set_value_at_time(0.2, 0.1)
    g.gain.linear_ramp_to_value_at_time(1.0, 0.5)
    g.gain.exponential_ramp_to_value_at_time(0.01, 0.9)
    ax = lsplot.automation(g.gain, 0, 1.0)
    t, v = ax.lines[0].get_data()
    assert t[0] == 0 and t[-1] == pytest.approx(1.0, abs=1 / 44100)
    expect = np.where(t < 0.1, 1.0, 0.2)
    expect = np.where((t >= 0.1) & (t < 0.5), 0.2 + 0.8 * (t - 0.1) / 0.4, expect)
    expect = np.where((t >= 0.5) & (t < 0.9), 1.0 * (0.01 / 1.0) ** ((t - 0.5) / 0.4), expect)
    expect = np.where(t >= 0.9, 0.01, expect)
    np.testing.assert_allclose(v, expect, atol=2e-3)
    assert ax.get_xlabel() == "time (s)" and "gain" in ax.get_ylabel()


def test_automation_of_a_k_rate_param_and_clamping():
    ctx = ls.OfflineAudioContext(1, 128, 48000)
    g = ctx.create_gain()
    g.gain.automation_rate = "k-rate"
    g.gain.set_value_at_time(0.0, 0.0)
    g.gain.linear_ramp_to_value_at_time(1.0, 0.1)
    _, v = lsplot.automation(g.gain, 0, 0.1).lines[0].get_data()
    q = 128
    blocks = v[: (v.size // q) * q].reshape(-1, q)
    assert np.all(blocks == blocks[:, :1])  # one value per quantum
    np.testing.assert_allclose(blocks[:, 0], np.minimum(np.arange(blocks.shape[0]) * q / 4800, 1.0), atol=1e-4)
    osc = ctx.create_oscillator()
    osc.frequency.set_value_at_time(1e9, 0)  # beyond max_value: the plot shows the clamped value
    _, f = lsplot.automation(osc.frequency, 0, 0.01).lines[0].get_data()
    assert np.all(f == np.float32(osc.frequency.max_value))


def test_live_on_agg_draws_frames_from_the_analyser(realtime):
    osc = realtime.create_oscillator()
    osc.frequency.value = 2000
    an = realtime.create_analyser(fft_size=1024)
    osc >> an >> realtime.destination
    osc.start()
    realtime.resume()
    realtime.wait(0.1)
    # it keeps redrawing for the duration: at least two frames, however slow
    # a loaded machine draws them (one every 50 ms at most)
    view = lsplot.live(an, "spectrum", duration=0.6, interval=0.05)
    assert 2 <= view.frames <= 13
    x, y = view.line.get_data()
    assert abs(x[np.argmax(y)] - 2000) <= 2 * realtime.sample_rate / 1024
    wave_view = lsplot.live(an, kind="waveform", duration=0)
    assert wave_view.frames == 1 and np.max(np.abs(wave_view.last)) == pytest.approx(1.0, abs=0.05)
    with pytest.raises(ValueError, match="kind"):
        lsplot.live(an, kind="bars")
