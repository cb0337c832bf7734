"""Build functions for tests/python/test_torch_dataset.py, importable by
DataLoader workers started with the spawn method."""
from __future__ import annotations

import labsound as ls

RATE = 8000
FRAMES = 400


def freq_of(rng):
    """The frequency build draws first from its generator."""
    return float(rng.uniform(100.0, 1000.0))


def sine(position, rng):
    """A sine of random frequency at 0.5; the label is the position."""
    f = freq_of(rng)
    ctx = ls.OfflineAudioContext(1, FRAMES, RATE)
    osc = ctx.create_oscillator(frequency=f)
    osc >> ctx.create_gain(gain=0.5) >> ctx.destination
    osc.start(0)
    return ctx, position


def noisy(item, rng):
    """Seeded engine noise plus a sine, stereo; returns an AudioBuffer."""
    ctx = ls.OfflineAudioContext(2, FRAMES, RATE)
    noise = ctx.create_noise(seed=int(rng.integers(1, 2**31)))
    noise >> ctx.create_gain(gain=0.2) >> ctx.destination
    noise.start(0)
    osc = ctx.create_oscillator(frequency=freq_of(rng))
    osc >> ctx.destination
    osc.start(0)
    return ctx.start_rendering(), item
