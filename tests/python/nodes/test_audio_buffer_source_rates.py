"""AudioBufferSourceNode playing a buffer at another sample rate than the
context's, in the buffer's own timeline (the spec's playback algorithm): the
playhead advances playbackRate * bufferRate / contextRate buffer frames per
output frame, and samples are interpolated. These tests pin the cubic mode
(interpolation='cubic', a 4-point Catmull-Rom; past a buffer's edges the
quadratic through its three edge frames); tests/python/test_interpolation.py
covers every mode.

* WPT's sub-sample buffer stitching case (webaudio/the-audio-api/
  the-audiobuffersourcenode-interface/sub-sample-buffer-stitching.html):
  30-frame buffers of a 440 Hz sine at 8 kHz, buffer k started at
  k * 30 / 8000 s in a 48 kHz context, against the continuous sine, with the
  WPT thresholds (SNR >= 37.17 dB, max error <= 0.090348).
* A looped stereo noise buffer at 32 kHz, loop 0.01-0.05 s, playback_rate
  0.7, in a 48 kHz context, against a NumPy model of the playback algorithm
  with the same interpolation (float64): the loop wraps in the buffer's own
  timeline, and the interpolator's neighbours wrap inside the loop.
* The same graph against Chromium's render (tests/fixtures/buffers/
  loop_resampled_32k.wav, made by scripts/make_fixtures_buffers.py).
  Chromium interpolates linearly where labsound uses a cubic, so the
  fixture is first checked against the same playback model with linear
  interpolation (both engines read the same buffer positions and wrap
  alike), then the two renders are compared where the interpolators agree.
"""
import os

import numpy as np

import labsound as ls

SR = 48000


def test_sub_sample_buffer_stitching_wpt_thresholds():
    br, nb, f, n = 8000, 30, 440.0, SR // 2
    ctx = ls.OfflineAudioContext(1, n, SR, interpolation="cubic")
    nbuf = int(np.ceil(n / SR * br / nb))
    x = np.sin(2 * np.pi * f * np.arange((nbuf + 1) * nb) / br).astype(np.float32)
    for k in range(nbuf):
        b = ls.AudioBuffer.from_numpy(x[k * nb : (k + 1) * nb].copy(), br)
        s = ctx.create_buffer_source(buffer=b)
        s >> ctx.destination
        s.start(k * nb / br)
    y = np.asarray(ctx.start_rendering())[0].astype(np.float64)
    ref = np.sin(2 * np.pi * f * np.arange(n) / SR)
    err = y - ref
    snr = 10 * np.log10(np.sum(ref ** 2) / np.sum(err ** 2))
    assert snr >= 37.17, snr
    assert np.abs(err).max() <= 0.090348, np.abs(err).max()


def cubic(xm, x0, x1, x2, f):
    a1 = 0.5 * (x1 - xm)
    a2 = xm - 2.5 * x0 + 2.0 * x1 - 0.5 * x2
    a3 = 0.5 * (x2 - xm) + 1.5 * (x0 - x1)
    return ((a3 * f + a2) * f + a1) * f + x0


def loop_model(x, step, ls_, le_, n_out):
    """The spec's playback of a looped buffer from offset 0, the playhead in
    buffer frames, with the cubic's neighbours wrapped inside the loop."""
    pos = np.arange(n_out) * step
    inside = pos >= le_
    pos[inside] = ls_ + np.mod(pos[inside] - ls_, le_ - ls_)
    entered = np.arange(n_out) * step >= ls_
    k = np.floor(pos).astype(np.int64)
    f = pos - k
    km, k1, k2 = k - 1, k + 1, k + 2
    w = le_ - ls_
    k1 = np.where(entered & (k1 >= le_), k1 - w, k1)
    k2 = np.where(entered & (k2 >= le_), k2 - w, k2)
    km = np.where(entered & (km < ls_) & (k >= ls_), km + w, km)
    # before the first frame: the quadratic through the first three continued
    before = 3 * x[..., 0] - 3 * x[..., 1] + x[..., 2]
    xm = np.where(km >= 0, x[..., np.maximum(km, 0)], before[..., None])
    return cubic(xm, x[..., k], x[..., k1], x[..., k2], f)


def test_looped_buffer_at_another_rate_wraps_in_its_own_timeline():
    br, rate, n_out = 32000, 0.7, 16384
    rng = np.random.default_rng(7)
    x = rng.uniform(-0.5, 0.5, (2, 3200)).astype(np.float32)
    ctx = ls.OfflineAudioContext(2, n_out, SR, interpolation="cubic")
    s = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(x, br), loop=True,
                                 loop_start=0.01, loop_end=0.05, playback_rate=rate)
    s >> ctx.destination
    s.start(0)
    y = np.asarray(ctx.start_rendering()).astype(np.float64)
    step = float(np.float32(rate)) * br / SR     # playbackRate is a float
    want = loop_model(x.astype(np.float64), step, 320, 1600, n_out)
    # several trips around the loop, none of them silent
    assert n_out * step > 320 + 4 * 1280
    assert np.abs(y - want).max() < 1e-5
    # the wrap is seamless: no output step larger than the buffer's own
    assert np.abs(np.diff(y, axis=1)).max() <= 1.2 * np.abs(np.diff(x, axis=1)).max()


def test_long_buffer_at_another_rate_plays_at_its_pitch():
    # a 1 kHz sine at 44.1 kHz, 0.5 s, in a 48 kHz context: the same sine
    br, f = 44100, 1000.0
    x = np.sin(2 * np.pi * f * np.arange(br // 2) / br).astype(np.float32)
    ctx = ls.OfflineAudioContext(1, SR // 2, SR, interpolation="cubic")
    s = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(x, br))
    s >> ctx.destination
    s.start(0)
    y = np.asarray(ctx.start_rendering())[0].astype(np.float64)
    ref = np.sin(2 * np.pi * f * np.arange(SR // 2) / SR)
    m = slice(0, SR // 2 - 2)          # the buffer ends a frame before the render
    err = y[m] - ref[m]
    snr = 10 * np.log10(np.sum(ref[m] ** 2) / np.sum(err ** 2))
    assert snr > 60, snr


def xorshift_noise(n, channels, seed):
    """The fixture's buffer: xorshift32 as the JavaScript case computes it."""
    s, out = seed, np.empty((channels, n))
    for c in range(channels):
        for i in range(n):
            s ^= (s << 13) & 0xFFFFFFFF
            s ^= s >> 17
            s ^= (s << 5) & 0xFFFFFFFF
            out[c, i] = s / 4294967296 * 2 - 1
    return out.astype(np.float32)


def linear_loop_model(x, step, ls_, le_, n_out):
    """The playback model with linear interpolation; the right neighbour of
    the loop's last frame is its first."""
    pos = np.arange(n_out) * step
    inside = pos >= le_
    pos[inside] = ls_ + np.mod(pos[inside] - ls_, le_ - ls_)
    k = np.floor(pos).astype(np.int64)
    f = pos - k
    k1 = np.where(k + 1 >= le_, ls_, k + 1)
    return x[..., k] * (1 - f) + x[..., k1] * f


def test_looped_buffer_at_another_rate_against_chromium():
    br, rate, n_out = 32000, 0.7, 9600
    path = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "buffers", "loop_resampled_32k.wav")
    ref = np.asarray(ls.load(path)).astype(np.float64)
    x = xorshift_noise(3200, 2, 12345)
    ctx = ls.OfflineAudioContext(2, n_out, SR, interpolation="cubic")
    s = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(x, br), loop=True,
                                 loop_start=0.01, loop_end=0.05, playback_rate=rate)
    s >> ctx.destination
    s.start(0)
    y = np.asarray(ctx.start_rendering()).astype(np.float64)
    assert y.shape == ref.shape == (2, n_out)
    step = float(np.float32(rate)) * br / SR
    assert n_out * step > 320 + 3 * 1280                 # three trips around the loop
    x64 = x.astype(np.float64)
    # Chromium reads the positions of the spec's algorithm (measured 1.2e-7)
    assert np.abs(ref - linear_loop_model(x64, step, 320, 1600, n_out)).max() < 1e-6
    # labsound reads the same positions with its cubic
    assert np.abs(y - loop_model(x64, step, 320, 1600, n_out)).max() < 1e-5

    def sdr(a, b):
        return 10 * np.log10(np.sum(b ** 2) / np.sum((a - b) ** 2))

    # White noise is where linear and cubic interpolation differ most: over
    # the whole band the two renders agree to 16.6 dB (measured), and below
    # 500 Hz to 37.4 / 38.3 dB (each interpolator's images of the noise fold
    # into every band, so even there they differ). The positions are the
    # same, as the two model checks above show.
    from scipy import signal
    sos = signal.butter(8, 500, fs=SR, output="sos")
    full = [sdr(y[c], ref[c]) for c in range(2)]
    low = [sdr(signal.sosfiltfilt(sos, y[c]), signal.sosfiltfilt(sos, ref[c])) for c in range(2)]
    print(f"full band {full[0]:.1f} / {full[1]:.1f} dB, below 500 Hz {low[0]:.1f} / {low[1]:.1f} dB")
    assert min(full) > 15
    assert min(low) > 35
