"""The simplest graph (after LabSound's "simple" example): a sine oscillator
through a gain to the output.

    python examples/simple.py [-o simple.wav] [--seconds 1] [--frequency 440] [--gain 0.5]
    python examples/simple.py --play          # to the sound card (or the silent null sink)

Offline by default: the tone is rendered and written to a WAV file.
"""

from __future__ import annotations

import argparse

import numpy as np

import labsound as ls


def build(ctx: ls.BaseAudioContext, frequency: float, gain: float, seconds: float) -> None:
    osc = ctx.create_oscillator(type="sine", frequency=frequency)
    level = ctx.create_gain(gain=gain)
    osc >> level >> ctx.destination
    osc.start(0)
    osc.stop(seconds)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default="simple.wav")
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--frequency", type=float, default=440.0)
    ap.add_argument("--gain", type=float, default=0.5)
    ap.add_argument("--play", action="store_true", help="play in real time instead")
    args = ap.parse_args(argv)

    if args.play:
        with ls.AudioContext() as ctx:
            build(ctx, args.frequency, args.gain, ctx.current_time + args.seconds)
            ctx.wait(args.seconds)
        return 0
    rate = 44100
    ctx = ls.OfflineAudioContext(2, int(args.seconds * rate), rate)
    build(ctx, args.frequency, args.gain, args.seconds)
    out = ctx.start_rendering()
    out.save(args.output)
    peak = float(np.abs(np.asarray(out)).max())
    print(f"{args.frequency:g} Hz, {args.seconds:g} s, peak {peak:.3f}, written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
