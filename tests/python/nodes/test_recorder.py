"""RecorderNode: what it records is exactly what it heard (also passed through
to its output), across chunk refills of long recordings, offline and in
real time.
"""

import numpy as np
import pytest

import labsound as ls

SR = 44100.0
N_FRAMES = 8192


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




def test_recorder_descriptor_settings_and_spec_constructor():
    # channels and frames are the engine descriptor's settings, read-only; the
    # spec constructor and the factory take the same option
    ctx = ls.OfflineAudioContext(1, 512, SR)
    rec = ls.RecorderNode(ctx, {"channels": 3})
    assert rec.channels == 3 and rec.frames == 0
    with pytest.raises(AttributeError):
        rec.channels = 2
    const = ctx.create_constant_source()
    const >> rec
    rec.start()
    const.start(0)
    ctx.start_rendering()
    assert rec.frames == rec.recorded_frames == 512
    assert rec.to_buffer().number_of_channels == 3
    with pytest.raises(ls.NotSupportedError, match=r"create_recorder\(channels\).*33"):
        ctx.create_recorder(channels=33)
    with pytest.raises(TypeError, match="channel_count"):
        ctx.create_recorder(channel_count=2)
