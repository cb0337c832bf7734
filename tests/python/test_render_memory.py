"""An offline render may reuse the memory a freed render left behind (large
outputs, from 2 MiB): it must still hold exactly what this render produced,
silence included, whatever the earlier render wrote there."""

import numpy as np
import pytest

import labsound as ls

RATE = 48000


def _heard(channels):
    """The destination channels a mono source reaches (the spec's speakers
    up-mix: mono to stereo is L = R, to 5.1 the centre channel)."""
    return {1: [0], 2: [0, 1], 6: [2]}[channels]


def _loud(channels, frames):
    ctx = ls.OfflineAudioContext(channels, frames, RATE)
    src = ctx.create_constant_source(offset=0.75)
    src >> ctx.destination
    src.start(0)
    out = np.asarray(ctx.start_rendering())
    assert np.all(out[_heard(channels)] == 0.75)
    del out, ctx            # its memory is now free for the next render


@pytest.mark.parametrize("channels, seconds", [(1, 12.0), (2, 6.0), (6, 3.0)])
def test_reused_output_memory_holds_only_this_render(channels, seconds):
    frames = int(seconds * RATE) + 77          # a partial last quantum too
    for _ in range(2):
        _loud(channels, frames)
        ctx = ls.OfflineAudioContext(channels, frames, RATE)
        src = ctx.create_constant_source(offset=0.25)
        src >> ctx.destination
        start, stop = 1.0, 2.0
        src.start(start)
        src.stop(stop)
        out = np.asarray(ctx.start_rendering())
        expect = np.zeros((channels, frames), np.float32)
        for c in _heard(channels):
            expect[c, int(start * RATE):int(stop * RATE)] = 0.25
        np.testing.assert_array_equal(out, expect)


def test_reused_memory_with_suspend_and_resume():
    frames = 8 * RATE
    _loud(2, frames)
    ctx = ls.OfflineAudioContext(2, frames, RATE)
    seen = []
    ctx.suspend(4.0, lambda: (seen.append(ctx.current_time), ctx.resume()))
    out = np.asarray(ctx.start_rendering())
    assert seen and not out.any()


def test_a_kept_buffer_is_not_handed_out():
    """Only freed memory is reused: a buffer the caller still holds keeps its
    samples while later renders run."""
    frames = 6 * RATE
    ctx = ls.OfflineAudioContext(2, frames, RATE)
    src = ctx.create_constant_source(offset=0.5)
    src >> ctx.destination
    src.start(0)
    kept = ctx.start_rendering()
    for _ in range(3):
        _loud(2, frames)
    assert np.all(np.asarray(kept) == 0.5)
