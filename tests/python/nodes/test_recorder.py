"""RecorderNode.

AnalyserNode against the spec's formulas in NumPy, and RecorderNode.

Analyser (spec section "AnalyserNode", FFT windowing and smoothing): the
time-domain data is the latest fft_size input samples down-mixed to mono;
the frequency data is the Blackman-windowed (alpha 0.16) FFT scaled by 1/N,
its magnitude smoothed over time, S = tau S_prev + (1 - tau) |X|, in dB;
bytes map [min_decibels, max_decibels] to 0..255 with floor. Tolerance: a
float32 FFT against NumPy's float64 one, 1e-3 dB above -100 dB.
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


def test_recorder_records_and_passes_through(tmp_path):
    ctx = ls.OfflineAudioContext(2, 4000, SR)
    sig = np.sin(np.arange(4000) * 0.01).astype(np.float32)
    src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(sig, SR))
    rec = ctx.create_recorder(channels=2)
    src >> rec >> ctx.destination
    with pytest.raises(ls.InvalidStateError, match="nothing"):
        rec.to_buffer()
    rec.start()
    src.start(0)
    out = np.asarray(ctx.start_rendering())
    np.testing.assert_array_equal(out, [sig, sig])   # mono up-mixed to stereo, passed through
    buf = rec.to_buffer()
    assert buf.number_of_channels == 2 and buf.sample_rate == SR
    # whole quanta are recorded: 4000 frames round up to 32 quanta
    assert buf.length == 4096 and rec.recorded_frames == 4096 and rec.dropped_frames == 0
    np.testing.assert_array_equal(np.asarray(buf)[:, :4000], [sig, sig])
    rec.save(tmp_path / "r.wav", bits="float32")
    np.testing.assert_array_equal(np.asarray(ls.load(tmp_path / "r.wav")), np.asarray(buf))


def test_recorder_long_recording_refills_chunks():
    n = int(SR * 3)   # several chunks: the control side refills them during the render
    ctx = ls.OfflineAudioContext(1, n, SR)
    const = ctx.create_constant_source(offset=0.25)
    rec = ctx.create_recorder(channels=1)
    const >> rec
    rec.start()
    const.start(0)
    ctx.start_rendering()
    buf = rec.to_buffer()
    assert rec.dropped_frames == 0
    assert buf.length >= n
    assert (np.asarray(buf) == 0.25).all()
    with pytest.raises(ls.NotSupportedError, match="channels"):
        ctx.create_recorder(channels=0)


def test_recorder_on_a_real_time_context():
    with ls.AudioContext(sample_rate=22050) as ctx:
        const = ctx.create_constant_source(offset=0.5)
        rec = ctx.create_recorder(channels=1)
        const >> rec
        const.start()
        rec.start()
        ctx.wait(0.4)
        rec.stop()
        ctx.wait(0.05)
        frames = rec.recorded_frames
        ctx.wait(0.1)
        assert rec.recorded_frames == frames          # stopped: nothing more comes
        buf = rec.to_buffer()
    # 0.4 s of context time, give or take the backend's period and the message latency
    assert 0.3 * 22050 < buf.length < 0.6 * 22050
    assert buf.length == frames and rec.dropped_frames == 0
    assert (np.asarray(buf) == 0.5).all()


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


