"""Shared helpers for the labsound Python tests."""

import gc
import os

import numpy as np
import pytest

import labsound as ls

SR = 44100.0

# The suite tests the engine on the silent, clock-paced null sink, whatever
# devices the machine has; test_devices.py drives a real sound server in
# subprocesses with an environment of their own.
os.environ.setdefault("LABSOUND_BACKEND", "null")


@pytest.fixture
def offline():
    """A mono offline context of 0.1 s at 44.1 kHz."""
    return ls.OfflineAudioContext(1, 4410, SR)


@pytest.fixture
def make_offline():
    """make_offline(seconds=0.1, channels=1, sample_rate=44100) -> OfflineAudioContext."""

    def make(seconds=0.1, channels=1, sample_rate=SR):
        return ls.OfflineAudioContext(channels, int(round(seconds * sample_rate)), sample_rate)

    return make


@pytest.fixture
def realtime():
    """A real-time context on the null backend; closed after the test."""
    ctx = ls.AudioContext()
    yield ctx
    ctx.close()


def render(ctx):
    """Render an offline context and return its samples as a (channels, frames) array."""
    return np.asarray(ctx.start_rendering())


@pytest.fixture(autouse=True)
def _collect_after_test():
    yield
    gc.collect()
