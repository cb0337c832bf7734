"""Helpers shared by the tempo-synced delay tests (BPMDelayNode, PingPongDelayNode)."""
import numpy as np

import labsound as ls

SR = 48000.0

BEATS = {"whole": 4.0, "half": 2.0, "quarter": 1.0, "eighth": 0.5, "sixteenth": 0.25,
         "thirty-second": 0.125}


def beats(note):
    if note.startswith("dotted-"):
        return BEATS[note[len("dotted-"):]] * 1.5
    if note.endswith("-triplet"):
        return BEATS[note[:-len("-triplet")]] * 2.0 / 3.0
    return BEATS[note]


def impulse_source(ctx, n=1, channels=1, value=1.0):
    x = np.zeros((channels, 16), np.float32)
    x[:, :n] = value
    src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(x, SR))
    src.start(0)
    return src
