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
* convolver: 120 dB (126 to 131 dB), the issue asks for 90.
* compressor: implementation-defined; 85 dB (89.2 dB).
* HRTF: the HRTF data is the project's own structural model (spherical
  head and pinna echoes), not Chromium's measured set, so the waveforms
  differ (SNR about -8 dB); the test checks that the louder ear agrees as
  the source changes sides.
"""
from __future__ import annotations

import os

import numpy as np
import pytest

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
