"""Granular synthesis (after LabSound's "granulation" example): many short,
windowed grains cut from one buffer with a GranulationNode.

    python examples/granulation.py [source.wav] [-o granulation.wav] [--seconds 2]
        [--rate 40] [--grain 0.08] [--pitch 1.0] [--window hann] [--seed 1]

Two GranulationNodes read the same buffer with different seeds (so their
grains come from different places) into the left and right channels: --rate
grains per second each, --grain seconds long, at --pitch times the buffer's
speed, each shaped by --window. Rendered offline and written to a WAV file.
"""

from __future__ import annotations

import argparse

import numpy as np

import labsound as ls


def default_source(rate: float) -> ls.AudioBuffer:
    """Two seconds of a gliding, slightly noisy tone to cut grains from."""
    t = np.arange(int(2 * rate)) / rate
    phase = 2 * np.pi * (220 * t + 110 * t * t)
    x = 0.5 * np.sin(phase) + 0.05 * np.random.default_rng(0).standard_normal(len(t))
    return ls.AudioBuffer.from_numpy(x.astype(np.float32), rate)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", nargs="?", help="audio file to granulate (default: a generated tone)")
    ap.add_argument("-o", "--output", default="granulation.wav")
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--rate", type=float, default=40.0, help="grains per second per channel")
    ap.add_argument("--grain", type=float, default=0.08, help="grain duration in seconds")
    ap.add_argument("--pitch", type=float, default=1.0, help="playback rate of the grains")
    ap.add_argument("--window", default="hann")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    rate = 44100
    ctx = ls.OfflineAudioContext(2, int(args.seconds * rate), rate)
    buf = ls.load(args.source, sample_rate=rate) if args.source else default_source(rate)
    if buf.number_of_channels > 1:      # grains from the first channel
        buf = ls.AudioBuffer.from_numpy(np.asarray(buf)[0], rate)
    merger = ctx.create_channel_merger(number_of_inputs=2)
    out = ctx.create_gain(gain=0.5)
    merger >> out >> ctx.destination
    nodes = []
    for channel in range(2):
        g = ctx.create_granulation(buffer=buf, grain_duration=args.grain, grain_rate=args.rate,
                                   playback_rate=args.pitch, window=args.window,
                                   seed=args.seed + channel)
        g.connect(merger, 0, channel)
        g.start(0)
        nodes.append(g)

    result = ctx.start_rendering()
    result.save(args.output)
    count = sum(g.grains_started for g in nodes)
    peak = float(np.abs(np.asarray(result)).max())
    print(f"{count} grains, {args.seconds:g} s, peak {peak:.2f}, written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
