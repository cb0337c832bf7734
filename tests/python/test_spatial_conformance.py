"""PannerNode, ConvolverNode and DynamicsCompressorNode against Chromium.

The references are renders of headless Chromium stored in
tests/fixtures/spatial/ by scripts/make_fixtures_spatial.py; the graphs are
rebuilt here from tests/python/spatial_cases.py with the same, exactly
reproducible inputs. The figure is the SNR of labsound's render against the
reference over all channels: 10 log10(sum ref^2 / sum (ref - out)^2).

Thresholds (measured figures in brackets):
* equal-power panning, distance and cone gains: 120 dB (138 to 151 dB);
  the geometry follows the reference's float precision.
* a source passing exactly beside the listener (azimuth -90 degrees): the
  gain's derivative is infinite there (acos near -1), so one-ulp differences
  in the automation values of the two engines show; 110 dB (117.9 dB).
* convolver: 120 dB (126 to 133 dB), the issue asks for 90; this covers
  the spec's channel rules: mono and stereo responses with mono input,
  a mono response with stereo input (133.2 dB), a 4-channel ("true
  stereo") response with mono input (132.2 dB) and with two different
  input channels (129.9 dB).
* compressor: implementation-defined; 85 dB (89.2 dB). The attack from a
  quiet input (compressor_reduction) differs more, see its test.
* HRTF: the HRTF data is the project's own structural model (spherical
  head and pinna echoes), not Chromium's measured set, so the waveforms
  differ (SNR about -8 dB); the tests check that the louder ear agrees as
  the source changes sides, and compare the interaural level and time
  differences at five azimuths (test_hrtf_interaural_cues_against_chromium).
* `reduction` at offline suspensions and the compressor's attack and
  release times: see their tests.
* a 4 s stereo impulse response against scipy.signal.fftconvolve: 100 dB
  (131.9 dB).
"""
from __future__ import annotations

import os

import numpy as np
import pytest
from scipy import signal

import labsound as ls
import spatial_cases as sc

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "spatial")


def load(name: str) -> np.ndarray:
    return np.load(os.path.join(FIXTURES, name + ".npy"))


def render(name: str, ref: np.ndarray) -> np.ndarray:
    ctx = ls.OfflineAudioContext(ref.shape[0], ref.shape[1], sc.RATE)
    getattr(sc, name)(ctx)
    return np.asarray(ctx.start_rendering()).astype(np.float64)


def snr_db(ref: np.ndarray, out: np.ndarray) -> float:
    ref = ref.astype(np.float64)
    err = np.sum((ref - out) ** 2)
    return float("inf") if err == 0 else float(10 * np.log10(np.sum(ref ** 2) / err))


@pytest.mark.parametrize("name,threshold", [
    ("panner_equalpower_static", 120),
    ("panner_equalpower_moving", 120),
    ("panner_equalpower_stereo", 120),
    ("panner_equalpower_crossing", 120),   # measured 127.0 dB
    ("panner_distance_linear", 120),
    ("panner_distance_inverse", 120),
    ("panner_distance_exponential", 120),
    ("panner_cone", 120),
    ("convolver_mono", 120),
    ("convolver_stereo_ir", 120),
    ("convolver_true_stereo", 120),
    ("convolver_no_normalize", 120),
    ("convolver_mono_true_stereo", 120),   # measured 132.2 dB
    ("convolver_stereo_mono_ir", 120),     # measured 133.2 dB
    ("convolver_true_stereo_pair", 120),   # measured 129.9 dB
    ("compressor", 85),
])
def test_matches_chromium(name, threshold):
    ref = load(name)
    assert np.any(ref != 0)
    out = render(name, ref)
    # the error of the whole render against its energy (a channel can be
    # nearly silent: the reference's cos(pi/2) = 6e-17 is our exact 0)
    s = snr_db(ref, out)
    print("%s: %.1f dB" % (name, s))
    assert s >= threshold, (name, s)


def test_hrtf_louder_ear_agrees_with_chromium():
    ref = load("panner_hrtf")
    out = render("panner_hrtf", ref)
    print("panner_hrtf SNR against Chromium: %.1f dB" % snr_db(ref, out))
    # first half: source front right; second half: front left (Chromium
    # cross-fades its kernels over a few thousand frames: skip 2048)
    for sl, louder in ((slice(512, 4096), 1), (slice(4096 + 2048, 8192), 0)):
        for x in (ref, out):
            rms = np.sqrt(np.mean(x[:, sl].astype(np.float64) ** 2, axis=1))
            assert rms[louder] > 1.5 * rms[1 - louder], rms


def render_compressor_reduction():
    ref = load("compressor_reduction")
    ctx = ls.OfflineAudioContext(ref.shape[0], ref.shape[1], sc.RATE)
    readings = sc.compressor_reduction(ctx)
    out = np.asarray(ctx.start_rendering()).astype(np.float64)
    return ref, out, readings


def test_compressor_reduction_matches_chromium():
    """`reduction` read at a suspension every 256 frames (127 readings) as
    Chromium read it in its own render (played back on channel 2 of the
    fixture through a ConstantSourceNode's offset, sampled here mid-way
    between two readings).

    Tolerance 0.05 dB (measured: 0.0185 dB, largest in the attack; 0.0014 dB
    elsewhere). The trace holds Chromium's quirks, reproduced here: its
    detector starts as if fully compressed, so a quiet input first shows
    about -5 dB that releases; the metering releases with 0.325 s, slower
    than the gain. SNR of the compressor's output over the whole render:
    55 dB (measured 58.0 dB; the attack from 40 dB down, where labsound's
    gain lags Chromium's by about half a frame, 0.0185 dB at the steepest,
    dominates it; 89 dB for the steadier `compressor` case)."""
    ref, out, readings = render_compressor_reduction()
    frames = np.array(sorted(readings))
    ours = np.array([readings[f] for f in frames])
    theirs = ref[2, frames + sc.REDUCTION_EVERY // 2].astype(np.float64)
    # the playback channel carries our readings exactly
    np.testing.assert_array_equal(out[2, frames + sc.REDUCTION_EVERY // 2], ours)
    worst = np.abs(ours - theirs).max()
    s = snr_db(ref[:2], out[:2])
    print("compressor reduction: %d readings, largest difference %.4f dB; output SNR %.1f dB"
          % (frames.size, worst, s))
    assert worst < 0.05, worst
    assert s >= 55, s
    # the trace does show the attack and the release
    assert theirs.min() < -20 and ours.min() < -20
    assert theirs[-1] > -12 and ours[-1] > -12


def gain_db(out: np.ndarray) -> np.ndarray:
    """The compressor's gain (with its makeup gain) at each output frame:
    the output against the input delayed by the spec's 6 ms look-ahead
    (288 frames; the ratio is smooth with this delay and no other)."""
    n = out.shape[1]
    x = (sc.step_values(19, n - 1, 1.0, n) * sc.compressor_reduction_gain(n)).astype(np.float64)
    delayed = np.zeros(n)
    delayed[288:] = x[:-288]
    g = np.full(n, np.nan)
    ok = np.abs(delayed) > 1e-4
    g[ok] = 20 * np.log10(np.abs(out[0, ok] / delayed[ok]))
    return g


def settle_ms(g: np.ndarray, start: int, target: float, falling: bool) -> float:
    seg = g[start:]
    hit = np.nonzero(seg <= target if falling else seg >= target)[0]
    return 1000 * hit[0] / sc.RATE


def test_compressor_attack_and_release_timing():
    """Attack 20 ms, release 100 ms; the level steps up by 40 dB at frame
    6145 and back down at 16385. The gain is read from the output sample by
    sample (gain_db) in both renders; the settle time is the time the gain
    takes to cover 90% of its change in dB, from the step.

    Measured (Chromium / labsound): the gain goes from +15.33 dB (makeup
    gain) to -8.61 dB; attack 18.25 / 18.27 ms (the spec's "time to reduce
    the gain by 10 dB": 8.04 ms in both, this being a 24 dB change);
    release 57.75 ms in both
    (Chromium's release is adaptive, from 0.09 to 0.98 of `release` as the
    compression gets shallower). Asserts: labsound within 0.1 ms of
    Chromium, and the settle times within 0.5 to 1.5 of `attack` and 0.25
    to 1.5 of `release`."""
    ref, out, _ = render_compressor_reduction()
    times = {}
    for label, x in (("chromium", ref.astype(np.float64)), ("labsound", out)):
        g = gain_db(x)
        up, down = sc.COMPRESSOR_STEPS
        hi = np.nanmedian(g[up - 2048:up])             # before the loud part
        lo = np.nanmedian(g[down - 2048:down])         # held, compressed
        hi_after = np.nanmedian(g[-2048:])
        attack = settle_ms(g, up, hi - 0.9 * (hi - lo), True)
        attack10 = settle_ms(g, up, hi - 10, True)
        release = settle_ms(g, down, lo + 0.9 * (hi_after - lo), False)
        times[label] = (attack, release)
        print("%s: gain %.2f dB quiet, %.2f dB loud; attack %.2f ms (10 dB: %.2f ms), release %.2f ms"
              % (label, hi, lo, attack, attack10, release))
        assert 0.5 * 20 <= attack <= 1.5 * 20
        assert 0.25 * 100 <= release <= 1.5 * 100
    for k in range(2):
        assert abs(times["labsound"][k] - times["chromium"][k]) <= 0.1, times


def test_convolver_long_stereo_response():
    """A 4 s stereo impulse response (decaying white noise, time constant
    1 s, so the tail matters to its last frame) on 0.25 s of two different
    input channels, rendered with its whole tail (4.25 s), against
    scipy.signal.fftconvolve of the same signals in double precision scaled
    by the spec's normalization, with Chromium's calibration: -58 dB, where
    the spec's pseudo-code rounds it to 0.00125 (0.06 dB less, which alone
    limits the SNR to 43 dB; the convolver fixtures agree with -58 dB).
    Threshold 100 dB (measured 131.9 dB; the last second of the tail
    alone: 131.5 dB)."""
    n_in, n_ir = 12000, 4 * sc.RATE
    x = np.stack([sc.lcg(31, n_in), sc.lcg(32, n_in) * np.float32(0.5)])
    h = sc.ir_data(2, n_ir, 33, sc.RATE)
    frames = n_in + n_ir - 1
    ctx = ls.OfflineAudioContext(2, frames, sc.RATE)
    src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(x, sc.RATE))
    c = ctx.create_convolver(buffer=ls.AudioBuffer.from_numpy(h, sc.RATE))
    src >> c >> ctx.destination
    src.start(0)
    out = np.asarray(ctx.start_rendering()).astype(np.float64)
    # the spec's calculateNormalizationScale, calibrated to -58 dB
    hd = h.astype(np.float64)
    power = max(np.sqrt(np.sum(hd ** 2) / hd.size), 0.000125)
    scale = 10 ** (-58 / 20) / power * 44100 / sc.RATE
    ref = np.stack([signal.fftconvolve(x[i].astype(np.float64), hd[i]) * scale for i in range(2)])
    s = snr_db(ref, out)
    tail = snr_db(ref[:, -sc.RATE:], out[:, -sc.RATE:])
    print("4 s stereo response: %.1f dB (last second of the tail: %.1f dB)" % (s, tail))
    assert s >= 100, s
    assert tail >= 100, tail


def interaural_cues(x: np.ndarray):
    """(broadband ILD in dB, ILD per octave band in dB, ITD in frames) of a
    stereo render: ILD = right over left energy (> 0: right louder); ITD =
    the lag of the left ear behind the right at the peak of their
    cross-correlation within +-1 ms (> 0: the right ear hears first)."""
    left, right = x[:, 1024:].astype(np.float64)   # past the HRTF's start-up
    ild = 10 * np.log10(np.sum(right ** 2) / np.sum(left ** 2))
    f = np.fft.rfftfreq(left.size, 1 / sc.RATE)
    pl, pr = np.abs(np.fft.rfft(left)) ** 2, np.abs(np.fft.rfft(right)) ** 2
    bands = []
    for fc in HRTF_BANDS:
        b = (f >= fc / np.sqrt(2)) & (f < fc * np.sqrt(2))
        bands.append(10 * np.log10(pr[b].sum() / pl[b].sum()))
    m, n = 48, left.size
    lags = np.arange(-m, m + 1)
    cc = [np.dot(left[m + k:n - m + k], right[m:n - m]) for k in lags]
    return ild, np.array(bands), int(lags[int(np.argmax(cc))])


HRTF_BANDS = (500, 1000, 2000, 4000, 8000)   # octave bands' centre frequencies, Hz


def test_hrtf_interaural_cues_against_chromium():
    """The source at azimuths -90, -45, 0, 45, 90 degrees (elevation 0,
    1 m), white LCG noise, one render each (panner_hrtf_az*). Chromium uses
    its measured (IRCAM) set, labsound its structural model, so these are
    the cues to compare, not the waveforms.

    Measured (Chromium / labsound; -90 and -45 are the mirror images):
      azimuth  ITD frames  ILD dB        ILD dB at 500 1k 2k 4k 8k Hz
         90     36 / 32    12.3 / 16.1   5.3 6.5 7.5 17.8 24.7 / 2.3 5.7 10.4 14.1 17.0
         45     20 / 19    11.7 / 13.2   4.8 7.6 9.8 14.0 20.4 / 1.7 4.6 9.2 13.5 17.3
          0      0 / 0      0.0 / 0.0    all 0.0
    Asserts: the same sign of ITD and of every ILD off the median plane;
    ITD within 6 frames (measured 4, 0.08 ms); broadband ILD within 6 dB
    (measured 3.8); band ILDs within 10 dB (measured 7.7, at 8 kHz); at
    azimuth 0 |ILD| < 0.5 dB and |ITD| <= 1 frame in both."""
    for az in sc.HRTF_AZIMUTHS:
        name = sc.hrtf_case(az)
        ref = load(name)
        out = render(name, ref)
        (ild_c, bands_c, itd_c), (ild_l, bands_l, itd_l) = interaural_cues(ref), interaural_cues(out)
        print("azimuth %4d: ITD %3d / %3d frames, ILD %6.2f / %6.2f dB, bands %s / %s"
              % (az, itd_c, itd_l, ild_c, ild_l, np.round(bands_c, 1), np.round(bands_l, 1)))
        if az == 0:
            for ild, bands, itd in ((ild_c, bands_c, itd_c), (ild_l, bands_l, itd_l)):
                assert abs(ild) < 0.5 and np.all(np.abs(bands) < 0.5) and abs(itd) <= 1
            continue
        side = np.sign(az)
        assert np.sign(itd_c) == np.sign(itd_l) == side
        assert np.sign(ild_c) == np.sign(ild_l) == side
        assert np.all(np.sign(bands_c) == side) and np.all(np.sign(bands_l) == side)
        assert abs(itd_l - itd_c) <= 6
        assert abs(ild_l - ild_c) <= 6
        assert np.abs(bands_l - bands_c).max() <= 10
