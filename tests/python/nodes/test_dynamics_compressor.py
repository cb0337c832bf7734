"""DynamicsCompressorNode against the spec's static curve: linear (and
delayed by the look-ahead) below the threshold, the ratio's slope above the
knee; the reduction attribute and the params.
"""
from __future__ import annotations

import numpy as np
import pytest

import labsound as ls
from spatial_model import RATE, dc_render


# ---------------------------------------------------------------- compressor


def test_compressor_ratio_above_the_knee():
    """Far above the threshold the static curve has slope 1 / ratio in dB."""
    for ratio in (2.0, 4.0, 12.0):
        a, _ = dc_render(0.25, threshold=-50, knee=0, ratio=ratio, attack=0.001, release=0.05)
        b, _ = dc_render(1.0, threshold=-50, knee=0, ratio=ratio, attack=0.001, release=0.05)
        diff = 20 * np.log10(b[-1] / a[-1])
        assert diff == pytest.approx(20 * np.log10(4.0) / ratio, abs=0.05), ratio


def test_compressor_below_threshold_is_linear_and_delayed():
    """Below the threshold only the make-up gain applies: (1 / curve(1))^0.6,
    the same for every level; the look-ahead delays by floor(0.006 fs)."""
    a, _ = dc_render(0.001)
    b, _ = dc_render(0.002)
    assert b[-1] / a[-1] == pytest.approx(2.0, rel=1e-4)
    delay = int(0.006 * RATE)
    assert np.all(a[:delay] == 0) and a[delay] != 0


def test_compressor_reduction_and_params():
    out, c = dc_render(1.0)
    assert c.reduction < -1.0
    assert c.threshold.value == -24 and c.knee.value == 30 and c.ratio.value == 12
    assert c.attack.value == pytest.approx(0.003) and c.release.value == 0.25
    assert c.threshold.automation_rate == "k-rate"
    ctx = ls.OfflineAudioContext(1, 128, RATE)
    quiet = ctx.create_dynamics_compressor()
    assert quiet.reduction == 0.0
    with pytest.raises(ls.NotSupportedError):
        ctx.create_dynamics_compressor(channel_count=3)
    with pytest.raises(ls.InvalidStateError):
        quiet.threshold.automation_rate = "a-rate"
