"""Split and merge: swap the left and right channels of a stereo signal.

A port of LabSound's split/merge example: two tones are merged into one
stereo signal (ChannelMergerNode), split back into its channels
(ChannelSplitterNode), each channel sent through its own processing, and
merged again with left and right swapped.

    python examples/split_merge.py                # writes split_merge.wav
"""
from __future__ import annotations

import argparse

import numpy as np

import labsound as ls

RATE = 48000
SECONDS = 2.0


def build(ctx: ls.BaseAudioContext) -> None:
    low = ctx.create_oscillator(type="sine", frequency=220)
    high = ctx.create_oscillator(type="sine", frequency=880)
    stereo = ctx.create_channel_merger(2)
    low.connect(stereo, 0, 0)       # low tone on the left
    high.connect(stereo, 0, 1)      # high tone on the right
    split = ctx.create_channel_splitter(2)
    stereo >> split
    left_gain = ctx.create_gain(gain=0.5)
    right_gain = ctx.create_gain(gain=0.25)
    split.connect(left_gain, 0)
    split.connect(right_gain, 1)
    swapped = ctx.create_channel_merger(2)
    left_gain.connect(swapped, 0, 1)   # the old left goes right
    right_gain.connect(swapped, 0, 0)  # and the old right goes left
    swapped >> ctx.destination
    low.start(0)
    high.start(0)


def dominant_frequency(x: np.ndarray) -> float:
    spec = np.abs(np.fft.rfft(x))
    return float(np.fft.rfftfreq(len(x), 1 / RATE)[np.argmax(spec)])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default="split_merge.wav")
    a = ap.parse_args(argv)
    ctx = ls.OfflineAudioContext(2, int(SECONDS * RATE), RATE)
    build(ctx)
    buf = ctx.start_rendering()
    left, right = np.asarray(buf)
    print("left: %.0f Hz, right: %.0f Hz" % (dominant_frequency(left), dominant_frequency(right)))
    buf.save(a.output)
    print("wrote", a.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
