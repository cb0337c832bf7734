"""A wavepot-style track: one function of time, dsp(t), computed per block.

wavepot (and LabSound's wavepot example) describes a whole piece of music as
a function of time in seconds. Here dsp(t) takes a NumPy array of times and
is called by a FunctionNode once per render quantum; ``block_time`` is the
context time at which the block will be heard.

Run ``python examples/processing/wavepot.py`` to render 4 seconds to
wavepot.wav (``--play`` plays it on a real-time context instead).
"""

from __future__ import annotations

import argparse

import numpy as np

import labsound as ls

BPM = 120.0
BEAT = 60.0 / BPM
TAU = 2.0 * np.pi


def dsp(t: np.ndarray) -> np.ndarray:
    """The track: a kick on every beat, a bass line, a hi-hat on the off-beats."""
    beat_pos = np.mod(t, BEAT)
    kick = np.sin(TAU * (50.0 * beat_pos + 40.0 * (1.0 - np.exp(-beat_pos * 25.0)) / 25.0))
    kick *= np.exp(-beat_pos * 6.0)
    notes = np.array([55.0, 55.0, 65.41, 73.42])          # A1 A1 C2 D2, one a beat
    f = notes[(np.floor(t / BEAT).astype(np.int64)) % 4]
    bass = 0.3 * np.sign(np.sin(TAU * f * t)) * np.exp(-beat_pos * 3.0)
    half = np.mod(t + BEAT / 2.0, BEAT)
    hat = 0.08 * np.sin(TAU * 8000.0 * t) * np.sin(TAU * 9173.0 * t) * np.exp(-half * 40.0)
    return (0.6 * kick + bass + hat) * 0.5


def build(ctx: ls.BaseAudioContext) -> ls.FunctionNode:
    """A FunctionNode playing dsp(t), connected to the destination and started."""
    rate = ctx.sample_rate
    frames = np.arange(ls.RENDER_QUANTUM)
    node = ctx.create_function(channels=1)

    def render(channel: int, buffer: np.ndarray) -> None:
        # times of this block's frames (from frame numbers: no drift)
        buffer[:] = dsp((round(node.block_time * rate) + frames) / rate)

    node.set_process_function(render)
    node >> ctx.destination
    node.start(0)
    return node


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=4.0)
    ap.add_argument("--output", default="wavepot.wav")
    ap.add_argument("--play", action="store_true")
    args = ap.parse_args()
    if args.play:
        with ls.AudioContext() as ctx:
            node = build(ctx)
            ctx.wait(args.seconds)
            print(node.stats)
        return
    ctx = ls.OfflineAudioContext(1, int(args.seconds * 44100), 44100)
    build(ctx)
    ctx.start_rendering().save(args.output)
    print("rendered", args.output)


if __name__ == "__main__":
    main()
