"""PWMNode: the output is the carrier's sign against the modulator, computed
from the very frames the node heard (AudioBuffers of known samples); with no
modulator connected the carrier passes.
"""
import numpy as np

import labsound as ls

SR = 44100.0
Q = 128


def _play(ctx, x):
    src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(np.asarray(x, np.float32), SR))
    src.start(0)
    return src


# ------------------------------------------------------------------ power monitor


# ------------------------------------------------------------------ spectral monitor


# ------------------------------------------------------------------ peak compressor


# ------------------------------------------------------------------ PWM

def test_pwm_against_numpy():
    n = 20 * Q
    t = np.arange(n) / SR
    car = np.sin(2 * np.pi * 2000 * t).astype(np.float32)
    mod = (0.8 * np.sin(2 * np.pi * 50 * t)).astype(np.float32)
    ctx = ls.OfflineAudioContext(1, n, SR)
    pwm = ctx.create_pwm()
    _play(ctx, car[None]).connect(pwm, 0, 0)
    _play(ctx, mod[None]).connect(pwm, 0, 1)
    pwm >> ctx.destination
    y = np.asarray(ctx.start_rendering())[0]
    np.testing.assert_array_equal(y, np.where(car > mod, 1.0, -1.0).astype(np.float32))
    assert pwm.number_of_inputs == 2


def test_pwm_without_modulator_passes_carrier():
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, (1, 8 * Q)).astype(np.float32)
    ctx = ls.OfflineAudioContext(1, 8 * Q, SR)
    pwm = ls.PWMNode(ctx)
    _play(ctx, x) >> pwm >> ctx.destination
    np.testing.assert_array_equal(np.asarray(ctx.start_rendering()), x)


# ------------------------------------------------------------------ bad input

