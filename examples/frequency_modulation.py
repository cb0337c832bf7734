"""Frequency modulation (after LabSound's "FrequencyModulation" example): a
modulator oscillator, scaled by a gain (the peak deviation in Hz), drives a
carrier's frequency AudioParam.

    python examples/frequency_modulation.py [-o frequency_modulation.wav] [--seconds 1]
        [--carrier 1000] [--modulator 100] [--deviation 200]

The carrier's frequency is carrier + deviation * sin(2 pi modulator t): its
spectrum has lines at carrier + k * modulator, k = ..., -1, 0, 1, ..., of
amplitude |J_k(deviation / modulator)| (Bessel functions of the first kind).
"""

from __future__ import annotations

import argparse

import numpy as np

import labsound as ls

RATE = 48000


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default="frequency_modulation.wav")
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--carrier", type=float, default=1000.0)
    ap.add_argument("--modulator", type=float, default=100.0)
    ap.add_argument("--deviation", type=float, default=200.0, help="peak deviation in Hz")
    args = ap.parse_args(argv)

    ctx = ls.OfflineAudioContext(1, int(args.seconds * RATE), RATE)
    carrier = ctx.create_oscillator(frequency=args.carrier)
    modulator = ctx.create_oscillator(frequency=args.modulator)
    depth = ctx.create_gain(gain=args.deviation)
    modulator >> depth >> carrier.frequency
    level = ctx.create_gain(gain=0.5)
    carrier >> level >> ctx.destination
    modulator.start(0)
    carrier.start(0)

    out = ctx.start_rendering()
    out.save(args.output, bits="float32")
    print(f"carrier {args.carrier:g} Hz, modulator {args.modulator:g} Hz, index "
          f"{args.deviation / args.modulator:g}; written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
