"""Build functions for tests/python/test_batch.py.

They live in a module of their own so that the spawned worker processes of
ls.render_batch import them by name (pickle sends top-level functions by
reference).
"""
from __future__ import annotations

import labsound as ls

RATE = 8000
FRAMES = 4000     # half a second


def sine(freq):
    """A sine of `freq` Hz at amplitude 0.5, FRAMES long (model: 0.5 sin(2 pi f t))."""
    ctx = ls.OfflineAudioContext(1, FRAMES, RATE)
    osc = ctx.create_oscillator(frequency=freq)
    osc >> ctx.create_gain(gain=0.5) >> ctx.destination
    osc.start(0)
    return ctx


def synth(params):
    """Two oscillators and seeded noise through a lowpass and an envelope, stereo."""
    freq, cutoff, seed = params["freq"], params["cutoff"], params["seed"]
    ctx = ls.OfflineAudioContext(2, FRAMES, RATE)
    lp = ctx.create_biquad_filter(type="lowpass", frequency=cutoff, Q=2)
    env = ctx.create_gain(gain=0)
    lp >> env >> ctx.destination
    for f, t in ((freq, "sawtooth"), (freq * 1.5, "square")):
        o = ctx.create_oscillator(type=t, frequency=f)
        o >> lp
        o.start(0)
    noise = ctx.create_noise(seed=seed)
    noise >> ctx.create_gain(gain=0.1) >> lp
    noise.start(0)
    env.gain.linear_ramp_to_value_at_time(0.8, 0.02)
    env.gain.set_target_at_time(0.0, 0.2, 0.05)
    return ctx


def sine_or_fail(freq):
    """sine(freq), but a negative frequency raises ValueError."""
    if freq < 0:
        raise ValueError(f"no negative frequency: {freq}")
    return sine(freq)


def long_or_short(frames):
    """Silence of `frames` frames: renders of very different lengths."""
    return ls.OfflineAudioContext(1, frames, RATE)


def rendered(freq):
    """An AudioBuffer (build may render itself)."""
    return sine(freq).start_rendering()


def sine_or_die(freq):
    """sine(freq), but freq 0 kills the worker process (as a crash would)."""
    if freq == 0:
        import os
        os._exit(3)
    return sine(freq)


def sine_or_exit(freq):
    """sine(freq), but freq 0 calls sys.exit(2) (a build that gives up that way)."""
    if freq == 0:
        import sys
        sys.exit(2)
    return sine(freq)
