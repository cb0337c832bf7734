"""AnalyserNode against the spec's formulas in NumPy ("AnalyserNode", FFT
windowing and smoothing): time-domain data is the latest fft_size input
samples down-mixed to mono; frequency data is the Blackman-windowed (alpha
0.16) FFT scaled by 1/N, its magnitude smoothed over time,
S = tau S_prev + (1 - tau) |X|, in dB; bytes map [min_decibels,
max_decibels] to 0..255 with floor. Tolerance: a float32 FFT against
NumPy's float64 one, 1e-3 dB above -100 dB.
"""

import numpy as np
import pytest

import labsound as ls

SR = 44100.0
N_FRAMES = 8192


def _render_into_analyser(signal, fft_size, connect_output=False, **opts):
    ctx = ls.OfflineAudioContext(1, N_FRAMES, SR)
    src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(signal, SR))
    an = ctx.create_analyser(fft_size=fft_size, **opts)
    src >> an
    if connect_output:
        an >> ctx.destination
    src.start(0)
    out = np.asarray(ctx.start_rendering())
    return an, out


def _spec_frequency(x, fft_size, tau):
    n = np.arange(fft_size)
    a = 0.16
    w = (1 - a) / 2 - 0.5 * np.cos(2 * np.pi * n / fft_size) + a / 2 * np.cos(4 * np.pi * n / fft_size)
    X = np.fft.rfft(x[-fft_size:].astype(np.float64) * w)[: fft_size // 2] / fft_size
    s = (1 - tau) * np.abs(X)   # the previous smoothed frame starts at 0
    with np.errstate(divide="ignore"):
        return 20 * np.log10(s)


@pytest.fixture
def tone():
    t = np.arange(N_FRAMES) / SR
    rng = np.random.default_rng(3)
    return (0.5 * np.sin(2 * np.pi * 1000 * t) + 0.05 * rng.standard_normal(N_FRAMES)).astype(np.float32)


@pytest.mark.parametrize("connect_output", [False, True])
@pytest.mark.parametrize("fft_size", [32, 1024, 4096])
def test_time_and_frequency_data_match_the_spec(tone, fft_size, connect_output):
    an, out = _render_into_analyser(tone, fft_size, connect_output, smoothing_time_constant=0.5)
    assert an.frequency_bin_count == fft_size // 2
    if connect_output:
        np.testing.assert_array_equal(out[0], tone)     # passes its input through
    td = an.get_float_time_domain_data()
    assert td.dtype == np.float32 and td.shape == (fft_size,)
    np.testing.assert_array_equal(td, tone[-fft_size:])
    got = an.get_float_frequency_data()
    want = _spec_frequency(tone, fft_size, 0.5)
    keep = want > -100
    np.testing.assert_allclose(got[keep], want[keep], atol=1e-3)
    # a second call in the same render quantum returns the same data (no second smoothing step)
    np.testing.assert_array_equal(an.get_float_frequency_data(), got)
    byte = an.get_byte_frequency_data()
    expected = np.clip(np.floor(255 / 70 * (got.astype(np.float64) + 100)), 0, 255)
    np.testing.assert_array_equal(byte, expected)
    tb = an.get_byte_time_domain_data()
    np.testing.assert_array_equal(tb, np.clip(np.floor(128 * (1 + tone[-fft_size:].astype(np.float64))), 0, 255))


def test_fills_given_arrays_in_place(tone):
    an, _ = _render_into_analyser(tone, 256)
    f = np.zeros(128, np.float32)
    assert an.get_float_frequency_data(f) is f
    assert np.isfinite(f).all()
    short = np.zeros(10, np.float32)
    an.get_float_time_domain_data(short)
    np.testing.assert_array_equal(short, tone[-256:-246])
    b = np.zeros(300, np.uint8)
    an.get_byte_time_domain_data(b)
    assert b[256:].sum() == 0
    with pytest.raises(TypeError, match="float32"):
        an.get_float_frequency_data(np.zeros(128))
    with pytest.raises(TypeError, match="uint8"):
        an.get_byte_frequency_data(np.zeros(128, np.float32))


def test_stereo_input_is_down_mixed():
    ctx = ls.OfflineAudioContext(1, 1024, SR)
    left = np.linspace(-1, 1, 1024, dtype=np.float32)
    src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(np.stack([left, 0.5 * left]), SR))
    an = ctx.create_analyzer(fft_size=512)
    src >> an
    src.start(0)
    ctx.start_rendering()
    np.testing.assert_allclose(an.get_float_time_domain_data(), 0.75 * left[-512:], atol=1e-7)


def test_attributes_and_errors(offline):
    an = ls.AnalyserNode(offline, fft_size=64, min_decibels=-90, max_decibels=-10)
    assert (an.fft_size, an.min_decibels, an.max_decibels, an.smoothing_time_constant) == (64, -90, -10, 0.8)
    an.fft_size = 32768
    assert an.frequency_bin_count == 16384
    for bad in (16, 65536, 100):
        with pytest.raises(IndexError, match="fft_size"):
            an.fft_size = bad
    with pytest.raises(IndexError, match="min_decibels"):
        an.min_decibels = 0
    with pytest.raises(IndexError, match="smoothing"):
        an.smoothing_time_constant = 1.5
    with pytest.raises(IndexError, match=r"create_analyser\(fft_size\).*48"):
        offline.create_analyser(fft_size=48)
    with pytest.raises(IndexError, match=r"AnalyserNode\(fft_size\).*16"):
        ls.AnalyserNode(offline, fft_size=16)
    # no single option is out of range: the message names the ones given
    with pytest.raises(IndexError, match=r"create_analyser\(min_decibels=0, max_decibels=-10\)"):
        offline.create_analyser(min_decibels=0, max_decibels=-10)
    with pytest.raises(IndexError, match=r"smoothing_time_constant.*1\.5"):
        offline.create_analyser(smoothing_time_constant=1.5)
    assert offline.create_analyzer().fft_size == 2048


def test_smoothing_over_time_follows_the_spec():
    # A real-time context, suspended while reading so that both getters see the
    # same samples; between the two readings it runs on.
    import time

    tau, fft_size = 0.6, 512
    ctx = ls.AudioContext(sample_rate=22050)
    try:
        osc = ctx.create_oscillator(frequency=1000)
        noise = ctx.create_buffer_source(
            buffer=ls.AudioBuffer.from_numpy(
                np.random.default_rng(0).uniform(-0.2, 0.2, 22050).astype(np.float32), 22050),
            loop=True)
        an = ctx.create_analyser(fft_size=fft_size, smoothing_time_constant=tau)
        osc >> an
        noise >> an
        osc.start()
        noise.start()
        readings = []
        for _ in range(2):
            ctx.resume()
            ctx.wait(0.15)
            ctx.suspend()
            time.sleep(0.05)
            td = an.get_float_time_domain_data()
            fd = an.get_float_frequency_data().astype(np.float64)
            np.testing.assert_array_equal(td, an.get_float_time_domain_data())  # nothing moved
            readings.append((td, fd))
    finally:
        ctx.close()
    (x1, d1), (x2, d2) = readings
    assert not np.array_equal(x1, x2)
    n = np.arange(fft_size)
    w = 0.42 - 0.5 * np.cos(2 * np.pi * n / fft_size) + 0.08 * np.cos(4 * np.pi * n / fft_size)
    mag = lambda x: np.abs(np.fft.rfft(x.astype(np.float64) * w)[: fft_size // 2]) / fft_size
    s1 = (1 - tau) * mag(x1)
    s2 = tau * s1 + (1 - tau) * mag(x2)
    np.testing.assert_allclose(d1, 20 * np.log10(s1), atol=2e-3)
    np.testing.assert_allclose(d2, 20 * np.log10(s2), atol=2e-3)


# ---- the largest FFT, the byte getters into given arrays, get_frequency_data -----

def _render_long(fft_size, frames, **opts):
    """A tone with noise, rendered into an analyser for `frames` frames (whole quanta)."""
    t = np.arange(frames) / SR
    rng = np.random.default_rng(32768)
    x = (0.5 * np.sin(2 * np.pi * 1000 * t) + 0.3 * np.sin(2 * np.pi * 5512.5 * t)
         + 0.02 * rng.standard_normal(frames)).astype(np.float32)
    ctx = ls.OfflineAudioContext(1, frames, SR)
    src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(x, SR))
    an = ctx.create_analyser(fft_size=fft_size, **opts)
    src >> an
    src.start(0)
    ctx.start_rendering()
    return an, x


def _spec_bytes(db, min_db, max_db):
    """The spec's byte conversion, floor(255 / (max - min) * (dB - min)) clipped to 0..255, before
    the floor too (so tests can leave out values the floor may round either way)."""
    pre = 255.0 / (max_db - min_db) * (db - min_db)
    return np.clip(np.floor(pre), 0, 255), pre


def test_fft_size_32768_against_the_spec():
    fft_size, frames = 32768, 40960   # more frames than the FFT: the latest 32768 count
    an, x = _render_long(fft_size, frames, smoothing_time_constant=0.3)
    assert an.frequency_bin_count == 16384
    td = an.get_float_time_domain_data()
    assert td.shape == (fft_size,)
    np.testing.assert_array_equal(td, x[-fft_size:])
    got = an.get_float_frequency_data()
    assert got.dtype == np.float32 and got.shape == (16384,)
    want = _spec_frequency(x, fft_size, 0.3)
    keep = want > -100
    assert keep.sum() > 1000   # the noise floor is above -100 dB: most bins are compared
    # float32 FFT of 2^15 points against NumPy's float64: its rounding error grows with log2(N)
    # and is relative to the largest bin (-23 dB), so 1e-3 dB down to -90 dB (measured 2.7e-4),
    # 3e-3 dB from there to -100 dB (measured 1.5e-3)
    loud = want > -90
    np.testing.assert_allclose(got[loud], want[loud], rtol=0, atol=1e-3)
    np.testing.assert_allclose(got[keep], want[keep], rtol=0, atol=3e-3)
    # the two tones sit in their bins (1000 Hz -> bin 743.0, 5512.5 Hz -> bin 4096)
    assert abs(int(np.argmax(got)) - round(1000 * fft_size / SR)) <= 1
    assert got[4096] > got[4000] + 40


def test_byte_getters_fill_given_arrays_with_the_spec_values():
    fft_size, min_db, max_db = 2048, -90.0, -20.0
    an, x = _render_long(fft_size, 8192, smoothing_time_constant=0.0, min_decibels=min_db, max_decibels=max_db)
    want_db = _spec_frequency(x, fft_size, 0.0)
    freq = np.full(fft_size // 2, 7, np.uint8)
    assert an.get_byte_frequency_data(freq) is freq
    expected, pre = _spec_bytes(want_db, min_db, max_db)
    # exact wherever NumPy's dB is accurate and not within 0.01 of a step of the floor
    sure = ((want_db > -100) | (want_db < min_db - 10)) & (np.abs(pre - np.round(pre)) > 0.01)
    assert sure.sum() > 900
    np.testing.assert_array_equal(freq[sure], expected[sure])
    assert np.abs(freq.astype(int) - expected)[want_db > -100].max() <= 1
    assert freq.max() > 200 and (freq == 0).sum() < fft_size // 2   # not all clipped either way

    # a longer array: the first frequency_bin_count elements filled, the rest left alone
    longer = np.full(fft_size, 7, np.uint8)
    assert an.get_byte_frequency_data(longer) is longer
    np.testing.assert_array_equal(longer[: fft_size // 2], freq)
    assert (longer[fft_size // 2:] == 7).all()

    td = np.full(fft_size, 7, np.uint8)
    assert an.get_byte_time_domain_data(td) is td
    want_td = np.clip(np.floor(128 * (1 + x[-fft_size:].astype(np.float64))), 0, 255)
    np.testing.assert_array_equal(td, want_td)
    short = np.full(100, 7, np.uint8)
    assert an.get_byte_time_domain_data(short) is short
    np.testing.assert_array_equal(short, want_td[:100])
    longer = np.full(fft_size + 50, 7, np.uint8)
    an.get_byte_time_domain_data(longer)
    np.testing.assert_array_equal(longer[:fft_size], want_td)
    assert (longer[fft_size:] == 7).all()


def test_get_frequency_data_is_get_float_frequency_data():
    fft_size = 1024
    an, x = _render_long(fft_size, 4096, smoothing_time_constant=0.8)
    got = an.get_frequency_data()
    assert got.dtype == np.float32 and got.shape == (fft_size // 2,)
    want = _spec_frequency(x, fft_size, 0.8)
    keep = want > -100
    np.testing.assert_allclose(got[keep], want[keep], rtol=0, atol=1e-3)
    np.testing.assert_array_equal(an.get_float_frequency_data(), got)
    into = np.zeros(fft_size // 2, np.float32)
    assert an.get_frequency_data(into) is into
    np.testing.assert_array_equal(into, got)
    with pytest.raises(TypeError, match="float32"):
        an.get_frequency_data(np.zeros(fft_size // 2))
