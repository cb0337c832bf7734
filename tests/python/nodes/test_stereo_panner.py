"""StereoPannerNode against the spec's equal-power gains for mono and stereo
inputs, static and automated pan (>= 120 dB).
"""
from __future__ import annotations

import numpy as np
import pytest

import labsound as ls
from filter_model import (N, SR, render, rng_noise, snr_db, source, spec_pan)


# ---- StereoPanner ----------------------------------------------------------


@pytest.mark.parametrize("stereo", [False, True])
@pytest.mark.parametrize("pan", [-1.0, -0.4, 0.0, 0.25, 1.0, "ramp"])
def test_stereo_panner_matches_spec(stereo, pan):
    x = rng_noise(N, seed=11)
    y = rng_noise(N, seed=12)
    T = N / SR

    def build(ctx):
        p = ctx.create_stereo_panner()
        if pan == "ramp":
            p.pan.set_value_at_time(-1, 0)
            p.pan.linear_ramp_to_value_at_time(1, T)
        else:
            p.pan.value = pan
        if stereo:
            m = ctx.create_channel_merger(2)
            source(ctx, x).connect(m, 0, 0)
            source(ctx, y).connect(m, 0, 1)
            m >> p
        else:
            source(ctx, x) >> p
        p >> ctx.destination

    out = render(2, N, build)
    pv = -1 + 2 * np.arange(N) / SR / T if pan == "ramp" else np.full(N, pan)
    L, R = spec_pan(pv, x.astype(np.float64), y.astype(np.float64) if stereo else None)
    want = 100 if pan == "ramp" else 120    # the ramp's values: float rounding of the param
    assert snr_db(out[0], L) >= want
    assert snr_db(out[1], R) >= want


def test_stereo_panner_channel_constraints():
    ctx = ls.OfflineAudioContext(2, 128, SR)
    with pytest.raises(ls.NotSupportedError, match=r"channel_count\): must be 1 or 2, got 3"):
        ctx.create_stereo_panner(channel_count=3)
    with pytest.raises(ls.NotSupportedError, match="got 'max'"):
        ctx.create_stereo_panner(channel_count_mode="max")
    p = ctx.create_stereo_panner()
    assert p.channel_count_mode == "clamped-max" and p.channel_count == 2
    with pytest.raises(ls.NotSupportedError):
        p.channel_count = 3
    with pytest.raises(ls.NotSupportedError):
        p.channel_count_mode = "max"
    p.channel_count = 1
    p.channel_count_mode = "explicit"
