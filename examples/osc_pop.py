"""Oscillators started and stopped at scheduled times (after LabSound's
"OscillatorPop" example), with and without a click.

    python examples/osc_pop.py [-o osc_pop.wav] [--notes 6] [--ramp 0.005]

Left channel: each note is an oscillator started and stopped at its times
with nothing else: the stop cuts the sine wherever it is, a jump to 0 that
is heard as a pop. Right channel: the same oscillators through a gain that
ramps linearly from 0 to 1 over --ramp seconds after the start and back to
0 over the --ramp seconds before the stop: no jump, no pop.
"""

from __future__ import annotations

import argparse

import numpy as np

import labsound as ls

RATE = 44100


def schedule(notes: int) -> list[tuple[float, float, float]]:
    """(start, stop, frequency) of each note: 0.15 s apart, 0.1 s long."""
    return [(0.05 + 0.15 * i, 0.05 + 0.15 * i + 0.1037, 330.0 * 2 ** (i / 12))
            for i in range(notes)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default="osc_pop.wav")
    ap.add_argument("--notes", type=int, default=6)
    ap.add_argument("--ramp", type=float, default=0.005, help="fade in/out, seconds")
    args = ap.parse_args(argv)

    notes = schedule(args.notes)
    seconds = notes[-1][1] + 0.05
    ctx = ls.OfflineAudioContext(2, int(seconds * RATE), RATE)
    merger = ctx.create_channel_merger(number_of_inputs=2)
    level = ctx.create_gain(gain=0.5)
    merger >> level >> ctx.destination
    for start, stop, freq in notes:
        popping = ctx.create_oscillator(frequency=freq)
        popping.connect(merger, 0, 0)
        popping.start(start)
        popping.stop(stop)

        clean = ctx.create_oscillator(frequency=freq)
        fade = ctx.create_gain(gain=0.0)
        fade.gain.set_value_at_time(0.0, start)
        fade.gain.linear_ramp_to_value_at_time(1.0, start + args.ramp)
        fade.gain.set_value_at_time(1.0, stop - args.ramp)
        fade.gain.linear_ramp_to_value_at_time(0.0, stop)
        clean >> fade
        fade.connect(merger, 0, 1)
        clean.start(start)
        clean.stop(stop)

    out = ctx.start_rendering()
    out.save(args.output, bits="float32")
    y = np.asarray(out)
    jumps = [float(np.abs(np.diff(y[c])).max()) for c in range(2)]
    print(f"{len(notes)} notes; largest step between frames: with pops {jumps[0]:.3f}, "
          f"with {args.ramp * 1000:g} ms ramps {jumps[1]:.3f}; written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
