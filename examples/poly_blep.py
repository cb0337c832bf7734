"""PolyBLEP oscillators (after LabSound's "PolyBLEP" example): each of the
PolyBLEPNode's waveforms in turn, quasi-band-limited.

    python examples/poly_blep.py [-o poly_blep.wav] [--frequency 220] [--each 0.25]
        [--types sawtooth,square,triangle]

One PolyBLEPNode plays --each seconds of every waveform in --types (all
twelve by default), its type changed at the start of each segment from a
suspend() callback, at --frequency Hz.
"""

from __future__ import annotations

import argparse

import labsound as ls

RATE = 48000
TYPES = ("triangle", "square", "rectangle", "sawtooth", "ramp", "modified_triangle",
         "modified_square", "half_wave_rectified_sine", "full_wave_rectified_sine",
         "triangular_pulse", "trapezoid_fixed", "trapezoid_variable")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default="poly_blep.wav")
    ap.add_argument("--frequency", type=float, default=220.0)
    ap.add_argument("--each", type=float, default=0.256,
                    help="seconds per waveform (rounded to render quanta)")
    ap.add_argument("--types", default=",".join(TYPES))
    args = ap.parse_args(argv)

    types = [t for t in args.types.split(",") if t]
    quanta = max(1, round(args.each * RATE / 128))
    each = quanta * 128 / RATE
    ctx = ls.OfflineAudioContext(1, quanta * 128 * len(types), RATE)
    osc = ctx.create_polyblep(type=types[0], frequency=args.frequency, amplitude=0.5)
    osc >> ctx.destination
    osc.start(0)
    for i, t in enumerate(types[1:], start=1):
        ctx.suspend(i * each, lambda t=t: setattr(osc, "type", t))
    out = ctx.start_rendering()
    out.save(args.output, bits="float32")
    print(f"{len(types)} waveforms of {each:g} s at {args.frequency:g} Hz: {', '.join(types)}; "
          f"written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
