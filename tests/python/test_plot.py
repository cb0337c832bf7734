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


# ---------------------------------------------------------------------------
# Where a plot starts and ends, how low its dB axis goes (issue: plots drawn
# to the wrong end, squashed by a notch, clipped labels)
# ---------------------------------------------------------------------------


def test_automation_ends_after_the_last_event_not_at_a_value():
    ctx = ls.OfflineAudioContext(1, 128, 48000)
    env = ctx.create_gain(gain=0)
    env.gain.set_value_at_time(0.0, 0.0)
    env.gain.linear_ramp_to_value_at_time(0.8, 0.05)
    env.gain.set_value_at_time(0.8, 1.0)
    env.gain.linear_ramp_to_value_at_time(0.0, 1.2)   # the release ends at 1.2 s
    assert lsplot.timeline_end(env.gain) == pytest.approx(1.2)
    t, v = lsplot.automation(env.gain).lines[0].get_data()
    assert t[-1] == pytest.approx(1.2 * 1.1, abs=1 / 48000)
    expect = np.interp(t, [0.0, 0.05, 1.0, 1.2], [0.0, 0.8, 0.8, 0.0])
    np.testing.assert_allclose(v, expect, atol=1e-4)


def test_automation_of_a_frequency_ramp_spans_its_time():
    ctx = ls.OfflineAudioContext(1, 128, 48000)
    osc = ctx.create_oscillator()
    osc.frequency.set_value_at_time(440.0, 0.0)
    osc.frequency.exponential_ramp_to_value_at_time(3520.0, 2.0)  # a value of 3520, a time of 2 s
    t, f = lsplot.automation(osc.frequency).lines[0].get_data()
    assert t[-1] == pytest.approx(2.2, abs=1e-4)
    expect = np.where(t < 2.0, 440.0 * 8.0 ** (t / 2.0), 3520.0)
    np.testing.assert_allclose(f, expect, rtol=1e-4)
    assert "Hz" in lsplot.automation(osc.frequency).get_ylabel()


def test_automation_of_set_target_runs_for_five_time_constants():
    ctx = ls.OfflineAudioContext(1, 128, 48000)
    g = ctx.create_gain(gain=1)
    g.gain.set_target_at_time(target=0.25, start_time=0.5, time_constant=0.2)  # keywords are replayed too
    assert lsplot.timeline_end(g.gain) == pytest.approx(0.5 + 5 * 0.2)
    t, v = lsplot.automation(g.gain).lines[0].get_data()
    assert t[-1] == pytest.approx(1.5 * 1.1, abs=1 / 48000)
    # the spec's setTarget: v(t) = target + (v0 - target) * exp(-(t - t0) / tau)
    expect = np.where(t < 0.5, 1.0, 0.25 + 0.75 * np.exp(-(t - 0.5) / 0.2))
    np.testing.assert_allclose(v, expect, atol=1e-4)


def test_automation_end_follows_cancellations():
    ctx = ls.OfflineAudioContext(1, 128, 48000)
    g = ctx.create_gain()
    g.gain.linear_ramp_to_value_at_time(0.0, 0.5)
    g.gain.linear_ramp_to_value_at_time(1.0, 4.0)
    g.gain.cancel_scheduled_values(1.0)                # removes the ramp that ends at 4 s
    assert lsplot.timeline_end(g.gain) == pytest.approx(0.5)
    h = ctx.create_gain()
    assert lsplot.timeline_end(h.gain) is None
    t, v = lsplot.automation(h.gain).lines[0].get_data()  # nothing scheduled: one second, flat
    assert t[-1] == pytest.approx(1.0) and np.all(v == 1.0)


def test_automation_of_an_hour_long_ramp_stays_small():
    import time
    import tracemalloc

    ctx = ls.OfflineAudioContext(1, 128, 48000)
    osc = ctx.create_oscillator()
    osc.frequency.set_value_at_time(100.0, 0.0)
    osc.frequency.linear_ramp_to_value_at_time(3520.0, 3600.0)
    tracemalloc.start()
    t0 = time.perf_counter()
    t, f = lsplot.automation(osc.frequency).lines[0].get_data()
    elapsed = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert t.size <= 65536 and t[-1] == pytest.approx(3960.0, rel=1e-6)
    # 172 million frames at 48 kHz; drawn on a compressed clock, the shape is the same
    np.testing.assert_allclose(f, np.interp(t, [0.0, 3600.0], [100.0, 3520.0]), rtol=1e-4, atol=0.05)
    assert peak < 20e6, peak           # bytes: bounded, not in proportion to the hour
    assert elapsed < 30                # a guard against the old 172M-frame render, not a benchmark


def test_spectrum_axes_skip_sub_audio_bins_and_hold_a_floor():
    rate = 48000.0
    buf = tone(1000.0, 2.0, rate=rate, amp=0.5)       # 0.5 Hz bins
    ax = lsplot.spectrum(buf)
    x, y = ax.lines[0].get_data()
    assert x[0] == pytest.approx(0.5)                  # the data keeps every bin above 0 Hz
    assert ax.get_xlim() == pytest.approx((20.0, rate / 2))
    lo, hi = ax.get_ylim()
    assert lo == pytest.approx(y.max() - 120.0) and hi == pytest.approx(y.max() + 3.0)
    ax = lsplot.spectrum(buf, dynamic_range=60, min_frequency=100)
    assert ax.get_ylim()[0] == pytest.approx(ax.lines[0].get_data()[1].max() - 60.0)
    assert ax.get_xlim()[0] == pytest.approx(100.0)
    for bad in (0, -5, float("nan"), "60"):
        with pytest.raises(ValueError, match="dynamic_range") as e:
            lsplot.spectrum(buf, dynamic_range=bad)
        assert repr(bad) in str(e.value)
    with pytest.raises(ValueError, match="min_frequency.*-1"):
        lsplot.spectrum(buf, min_frequency=-1)


def test_frequency_response_floor_is_relative_to_the_peak_and_the_phase_label_fits():
    ctx = ls.OfflineAudioContext(1, 128, 48000)
    bq = ctx.create_biquad_filter(type="lowpass", frequency=2000, Q=3)
    ax = lsplot.frequency_response(bq, points=200)
    f, mag_db = ax.lines[0].get_data()
    b, a = biquad_lowpass(2000, 3, 48000)
    _, h = signal.freqz(b, a, worN=np.asarray(f, dtype=np.float64), fs=48000)
    peak = 20 * np.log10(np.abs(h).max())
    # the zero at Nyquist reads -240 dB; the axis stops 120 dB below the peak
    assert ax.get_ylim()[0] == pytest.approx(peak - 120, abs=0.02)
    assert lsplot.frequency_response(bq, dynamic_range=40).get_ylim()[0] == pytest.approx(peak - 40, abs=0.02)
    fig = ax.figure
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    for label in (ax.phase_axes.yaxis.label, ax.yaxis.label, ax.xaxis.label):
        box = label.get_window_extent(r)
        assert box.x0 >= 0 and box.x1 <= fig.bbox.x1 and box.y0 >= 0, label.get_text()


def test_spectrogram_on_a_log_frequency_axis():
    rate = 16000.0
    a = np.sin(2 * np.pi * 250 * np.arange(8000) / rate)
    b = np.sin(2 * np.pi * 4000 * np.arange(8000) / rate)
    buf = ls.AudioBuffer.from_numpy(np.concatenate([a, b]).astype(np.float32)[None, :], rate)
    ax = lsplot.spectrogram(buf, fft_size=512, log_frequency=True)
    assert ax.get_yscale() == "log"
    assert ax.get_ylim() == pytest.approx((max(20.0, rate / 512), rate / 2))
    mesh = ax.collections[0]
    img = np.asarray(mesh.get_array()).reshape(256, -1)   # bins 1..256 by frames
    centres = np.arange(1, 257) * rate / 512
    assert abs(centres[np.argmax(img[:, 2])] - 250) < rate / 512 * 1.5
    assert abs(centres[np.argmax(img[:, -3])] - 4000) < rate / 512 * 1.5
    # the same values as the linear plot, bin 0 aside
    lin = lsplot.spectrogram(buf, fft_size=512).images[0].get_array()
    np.testing.assert_allclose(img, np.asarray(lin)[1:], atol=1e-9)


def test_automation_of_a_long_k_rate_timeline_steps_per_quantum():
    ctx = ls.OfflineAudioContext(1, 128, 48000)
    g = ctx.create_gain()
    g.gain.automation_rate = "k-rate"
    g.gain.set_value_at_time(0.0, 0.0)
    g.gain.linear_ramp_to_value_at_time(1.0, 100.0)    # 4.8 million frames: drawn compressed
    t, v = lsplot.automation(g.gain).lines[0].get_data()
    assert t.size <= 65536 and t[-1] == pytest.approx(110.0, rel=1e-6)
    # each point holds the ramp's value at the start of its render quantum (128 frames at 48 kHz)
    quantum_start = np.floor(np.round(t * 48000, 6) / 128) * 128 / 48000
    np.testing.assert_allclose(v, np.minimum(quantum_start / 100.0, 1.0), atol=2e-4)
