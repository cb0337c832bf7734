"""ConvolverNode against scipy.signal.fftconvolve in double precision (SNR
>= 110 dB; measured about 130) under the spec's channel rules for mono and
stereo inputs and 1, 2 and 4-channel responses, normalize on and off; long
responses keep their tail; the buffer is copied when set.
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

import labsound as ls
import spatial_cases as sc
from spatial_model import (RATE, render, snr, spec_azimuth_elevation, spec_equalpower, spec_norm_scale)


# ---------------------------------------------------------------- convolver


@pytest.mark.parametrize("ir_channels", [1, 2, 4])
@pytest.mark.parametrize("stereo_in", [False, True])
@pytest.mark.parametrize("normalize", [True, False])
def test_convolver_channel_rules(ir_channels, stereo_in, normalize):
    frames = 6144
    ir = sc.ir_data(ir_channels, 1500, 50 + ir_channels, 400)
    x = sc.step_values(9, 2000, 1.0, frames).astype(np.float64)
    gl, gr = (1.0, 1.0)
    if stereo_in:   # an equal-power panner makes two different channels
        az, _ = spec_azimuth_elevation((1, 0, -2), (0, 0, 0), (0, 0, -1), (0, 1, 0))
        gl, gr = spec_equalpower(az)

    def build(ctx):
        s = sc.steps(ctx, 9, 2000)
        b = ctx.create_buffer(ir_channels, ir.shape[1], RATE)
        np.asarray(b)[:] = ir
        c = ls.ConvolverNode(ctx, buffer=b, disable_normalization=not normalize)
        if stereo_in:
            s >> ctx.create_panner(position_x=1, position_z=-2, rolloff_factor=0) >> c
        else:
            s >> c
        c >> ctx.destination

    out = render(build, frames=frames)
    h = ir.astype(np.float64) * (spec_norm_scale(ir) if normalize else 1.0)
    if ir_channels == 1:
        h = np.concatenate([h, h])
    xl, xr = gl * x, gr * x

    def conv(a, k):
        return signal.fftconvolve(a, h[k])[:frames]

    if ir_channels == 4:
        exp = [conv(xl, 0) + conv(xr, 2), conv(xl, 1) + conv(xr, 3)]
    else:
        exp = [conv(xl, 0), conv(xr, 1)]
    for c in range(2):
        assert snr(exp[c], out[c]) > 110, (c, snr(exp[c], out[c]))


def test_convolver_mono_output_for_mono_input_and_response():
    ir = sc.ir_data(1, 300, 77, 100)
    seen = {}

    def build(ctx):
        s = sc.steps(ctx, 3, 100)
        b = ctx.create_buffer(1, 300, RATE)
        np.asarray(b)[:] = ir
        c = ctx.create_convolver(buffer=b)
        # an explicit discrete 2-channel gain keeps channel 1 silent for a mono input
        g = ctx.create_gain(channel_count=2, channel_count_mode="explicit",
                            channel_interpretation="discrete")
        s >> c >> g >> ctx.destination
        seen["c"] = c

    out = render(build, frames=1024)
    assert np.any(out[0] != 0) and np.all(out[1] == 0)


def test_convolver_long_response_and_tail():
    """A 1.5 s response: non-uniform partitions of every size, and the tail
    goes on after the input stops."""
    frames = RATE * 2
    ir = sc.ir_data(1, int(1.5 * RATE), 5, RATE * 0.4)
    x = sc.step_values(4, 4000, 1.0, frames).astype(np.float64)
    x[4001:] = 0.0

    def build(ctx):
        s = sc.steps(ctx, 4, 4000)
        s.offset.set_value_at_time(0.0, 4000.5 / RATE)
        b = ctx.create_buffer(1, ir.shape[1], RATE)
        np.asarray(b)[:] = ir
        s >> ctx.create_convolver(buffer=b, disable_normalization=True) >> ctx.destination

    out = render(build, frames=frames, channels=1)
    exp = signal.fftconvolve(x, ir[0].astype(np.float64))[:frames]
    assert snr(exp, out[0]) > 110
    assert np.max(np.abs(out[0, RATE:])) > 1e-3     # still ringing a second later


def test_convolver_buffer_attribute():
    ctx = ls.OfflineAudioContext(2, 128, RATE)
    c = ctx.create_convolver()
    assert c.buffer is None and c.normalize is True
    b = ctx.create_buffer(2, 100, RATE)
    c.buffer = b
    assert c.buffer is b
    c.normalize = False
    assert c.normalize is False
    c.buffer = None
    assert c.buffer is None
    with pytest.raises(ls.NotSupportedError, match="1, 2 or 4 channels"):
        c.buffer = ctx.create_buffer(3, 100, RATE)
    with pytest.raises(ls.NotSupportedError, match="sample rate"):
        c.buffer = ctx.create_buffer(1, 100, 44100)
    with pytest.raises(TypeError, match="AudioBuffer"):
        c.buffer = [1, 2, 3]
    with pytest.raises(ls.NotSupportedError):
        ctx.create_convolver(channel_count=4)
    with pytest.raises(ls.NotSupportedError):
        ctx.create_convolver(buffer=ctx.create_buffer(3, 10, RATE))


def test_convolver_copies_the_buffer():
    """Changing the buffer after setting it is not heard (the spec's copy)."""
    ir = np.zeros((1, 64), dtype=np.float32)
    ir[0, 0] = 1.0

    def build(ctx):
        s = sc.steps(ctx, 2, 200)
        b = ctx.create_buffer(1, 64, RATE)
        np.asarray(b)[:] = ir
        c = ctx.create_convolver(buffer=b, disable_normalization=True)
        np.asarray(b)[0, 0] = 5.0
        s >> c >> ctx.destination

    out = render(build, frames=256, channels=1)
    # an identity response (up to the FFT's rounding), not five times it
    np.testing.assert_allclose(out[0], sc.step_values(2, 200, 1.0, 256), atol=1e-6)
