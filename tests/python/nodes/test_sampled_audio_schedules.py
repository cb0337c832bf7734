"""SampledAudioNode schedules: overlapping voices sum to the shifted copies of
the buffer, loop counts repeat it, clear_schedules drops voices not started,
the 33rd voice replaces the first, and at another rate a voice renders what an
AudioBufferSourceNode renders from the same buffer and start time.
"""

import numpy as np
import pytest

import labsound as ls

SR = 48000.0


# ---------------------------------------------------------------------------
# SampledAudioNode
# ---------------------------------------------------------------------------

@pytest.fixture
def sample():
    rng = np.random.default_rng(11)
    x = rng.uniform(-1, 1, 3000) * np.exp(-np.arange(3000) / 600.0)
    return x.astype(np.float32)


def shifted_sum(x, starts, n):
    y = np.zeros(n)
    for s in starts:
        m = min(len(x), n - s)
        if m > 0:
            y[s:s + m] += x[:m]
    return y


def test_overlapping_schedules_sum_the_shifted_copies(sample):
    n = 12000
    starts = [0, 700, 1000, 2999, 2999, 5000, 10500]
    ctx = ls.OfflineAudioContext(1, n, SR)
    s = ctx.create_sampled_audio(buffer=ls.AudioBuffer.from_numpy(sample, SR))
    s >> ctx.destination
    for k in starts:
        s.schedule(k / SR)
    assert s.schedule_count == len(starts)
    y = np.asarray(ctx.start_rendering())[0]
    np.testing.assert_allclose(y, shifted_sum(sample, starts, n), atol=1e-6)


def test_loop_count_repeats_the_buffer(sample):
    n = 14000
    ctx = ls.OfflineAudioContext(1, n, SR)
    s = ctx.create_sampled_audio(buffer=ls.AudioBuffer.from_numpy(sample, SR))
    s >> ctx.destination
    s.schedule(100 / SR, loop_count=2)                      # three plays back to back
    s.schedule(10000 / SR, 1, 200 / SR, 500 / SR)           # frames 200..700 twice
    y = np.asarray(ctx.start_rendering())[0]
    expected = shifted_sum(sample, [100, 3100, 6100], n)
    grain = sample[200:700]
    expected[10000:10500] += grain
    expected[10500:11000] += grain
    np.testing.assert_allclose(y, expected, atol=1e-6)


def test_loop_until_stop(sample):
    n = 20000
    ctx = ls.OfflineAudioContext(1, n, SR)
    s = ctx.create_sampled_audio(buffer=ls.AudioBuffer.from_numpy(sample, SR))
    s >> ctx.destination
    s.schedule(0, loop_count=-1)
    s.stop(16000 / SR)
    y = np.asarray(ctx.start_rendering())[0]
    expected = np.tile(sample, 7)[:n].astype(float)
    expected[16000:] = 0.0
    np.testing.assert_allclose(y, expected, atol=1e-6)


@pytest.mark.parametrize("buffer_rate, rate, detune, when", [(22050.0, 1.0, 0.0, 0.0),
                                                             (32000.0, 1.0, 0.0, 0.0123456),
                                                             (44100.0, 1.5, 0.0, 0.004),
                                                             (48000.0, 1.0, 700.0, 0.001)])
def test_resampling_matches_the_buffer_source(sample, buffer_rate, rate, detune, when):
    n = 8192
    buf = ls.AudioBuffer.from_numpy(sample, buffer_rate)

    def render(make):
        ctx = ls.OfflineAudioContext(1, n, SR)
        make(ctx) >> ctx.destination
        return np.asarray(ctx.start_rendering())[0].copy()

    def with_source(ctx):
        src = ctx.create_buffer_source(buffer=buf, playback_rate=rate, detune=detune)
        src.start(when)
        return src

    def with_sampler(ctx):
        s = ctx.create_sampled_audio(buffer=buf, playback_rate=rate, detune=detune)
        s.schedule(when)
        return s

    ref = render(with_source)
    y = render(with_sampler)
    assert np.abs(ref).max() > 0.1
    np.testing.assert_allclose(y, ref, atol=1e-6)


def test_a_33rd_voice_replaces_the_first():
    n = 16384
    x = np.ones(8000, np.float32)
    starts = [100 * k for k in range(33)]
    ctx = ls.OfflineAudioContext(1, n, SR)
    s = ctx.create_sampled_audio(buffer=ls.AudioBuffer.from_numpy(x, SR))
    s >> ctx.destination
    for k in starts:
        s.schedule(k / SR)
    y = np.asarray(ctx.start_rendering())[0]
    np.testing.assert_allclose(y, shifted_sum(x, starts[1:], n), atol=1e-5)


def test_clear_schedules_drops_voices_not_started(sample):
    n = 8192
    ctx = ls.OfflineAudioContext(1, n, SR)
    s = ctx.create_sampled_audio(buffer=ls.AudioBuffer.from_numpy(sample, SR))
    s >> ctx.destination
    s.schedule(1000 / SR)
    s.clear_schedules()
    s.schedule(3000 / SR)
    y = np.asarray(ctx.start_rendering())[0]
    np.testing.assert_allclose(y, shifted_sum(sample, [3000], n), atol=1e-6)


def test_ended_when_the_last_voice_ends(sample):
    events = []
    ctx = ls.OfflineAudioContext(1, 16384, SR)
    s = ctx.create_sampled_audio(buffer=ls.AudioBuffer.from_numpy(sample, SR))
    s.onended = events.append
    s >> ctx.destination
    s.schedule(0)
    s.schedule(2000 / SR)          # overlaps the first: one event when both are over
    ctx.start_rendering()
    assert [e.type for e in events] == ["ended"]
    assert events[0].time == pytest.approx(5000 / SR)


def test_buffer_property_and_params(sample):
    ctx = ls.OfflineAudioContext(1, 128, SR)
    s = ls.SampledAudioNode(ctx, playback_rate=0.5, detune=-100)
    assert s.buffer is None
    assert s.playback_rate.value == 0.5 and s.detune.value == -100
    assert s.playback_rate.automation_rate == "k-rate"
    b = ls.AudioBuffer.from_numpy(sample, SR)
    s.buffer = b
    assert s.buffer.length == 3000
    s.buffer = None
    assert s.buffer is None
    assert s.number_of_inputs == 0 and s.number_of_outputs == 1


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


def test_bad_sampler_input(sample):
    ctx = ls.OfflineAudioContext(1, 4096, SR)
    with pytest.raises(TypeError, match=r"create_sampled_audio\(buffer\)"):
        ctx.create_sampled_audio(buffer=5)
    with pytest.raises(ValueError, match="playback_rate"):
        ctx.create_sampled_audio(playback_rate=float("nan"))
    s = ctx.create_sampled_audio()
    with pytest.raises(ls.InvalidStateError, match="no buffer"):
        s.schedule(0)                            # nothing to play: no buffer yet
    with pytest.raises(TypeError, match="buffer"):
        s.buffer = [1, 2, 3]
    s.buffer = ls.AudioBuffer.from_numpy(sample, SR)
    for kwargs, exc, arg in [({"when": float("nan")}, ValueError, "when"),
                             ({"when": -1}, ValueError, "when"),
                             ({"when": "now"}, TypeError, "when"),
                             ({"offset": -0.1}, ValueError, "offset"),
                             ({"duration": float("inf")}, ValueError, "duration"),
                             ({"loop_count": -2}, ValueError, "loop_count"),
                             ({"loop_count": 1.5}, TypeError, "loop_count"),
                             ({"loop_count": True}, TypeError, "loop_count"),
                             ({"loop_count": 2 ** 40}, ValueError, "loop_count")]:
        with pytest.raises(exc) as e:
            s.schedule(**kwargs)
        assert f"schedule({arg})" in str(e.value)
    with pytest.raises(ValueError, match=r"stop\(when\)"):
        s.stop(float("nan"))
    with pytest.raises(ls.NotSupportedError):
        ctx.create_buffer(1, 0, SR)              # an empty buffer cannot be made
    # still renders: the one good schedule
    s >> ctx.destination
    s.schedule(0)
    y = np.asarray(ctx.start_rendering())[0]
    np.testing.assert_allclose(y, shifted_sum(sample, [0], 4096), atol=1e-6)
