"""A supersaw chord (after LabSound's "Supersaw" example): SupersawNodes,
each the mean of detuned band-limited sawtooths, through a low-pass whose
cutoff sweeps up.

    python examples/supersaw.py [-o supersaw.wav] [--seconds 1.5] [--voices 7]
        [--detune 15] [--notes 220,277.18,329.63]

One SupersawNode per note (--voices sawtooths spread evenly from -detune
to +detune cents), summed, through a BiquadFilterNode low-pass sweeping
exponentially from 400 Hz to 8 kHz, under a short fade in and out.
"""

from __future__ import annotations

import argparse

import numpy as np

import labsound as ls

RATE = 48000


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default="supersaw.wav")
    ap.add_argument("--seconds", type=float, default=1.5)
    ap.add_argument("--voices", type=int, default=7)
    ap.add_argument("--detune", type=float, default=15.0, help="cents")
    ap.add_argument("--notes", default="220,277.18,329.63", help="Hz, comma-separated")
    args = ap.parse_args(argv)

    notes = [float(f) for f in args.notes.split(",") if f]
    ctx = ls.OfflineAudioContext(1, int(args.seconds * RATE), RATE)
    lowpass = ctx.create_biquad_filter(type="lowpass", frequency=400.0, Q=2.0)
    lowpass.frequency.exponential_ramp_to_value_at_time(8000.0, args.seconds)
    fade = ctx.create_gain(gain=0.0)
    fade.gain.linear_ramp_to_value_at_time(0.6 / len(notes), 0.02)
    fade.gain.set_value_at_time(0.6 / len(notes), args.seconds - 0.05)
    fade.gain.linear_ramp_to_value_at_time(0.0, args.seconds)
    lowpass >> fade >> ctx.destination
    for f in notes:
        saw = ctx.create_supersaw(voices=args.voices, frequency=f, detune=args.detune)
        saw >> lowpass
        saw.start(0)
    out = ctx.start_rendering()
    out.save(args.output, bits="float32")
    peak = float(np.abs(np.asarray(out)).max())
    print(f"{len(notes)} notes x {args.voices} voices, +-{args.detune:g} cents, peak {peak:.2f}; "
          f"written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
