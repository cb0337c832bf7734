"""HRTF spatialization: a source circling the listener.

A port of LabSound's "HRTF spatialization" example. A pulsing sawtooth goes
through a PannerNode with the "HRTF" panning model while its position moves
on a circle around the listener (a-rate automation of position_x and
position_z, one lap every 4 seconds). The HRTF is labsound's own
structural model (interaural delay after Woodworth, a head-shadow filter and
Brown & Duda's pinna echoes per ear): nothing is downloaded. Listen with
headphones.

    python examples/hrtf_spatialization.py               # writes hrtf_spatialization.wav
    python examples/hrtf_spatialization.py --seconds 12 -o circle.wav
"""

from __future__ import annotations

import argparse
import math
import sys

import numpy as np

import labsound as ls

SAMPLE_RATE = 48000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Render a source circling the listener (HRTF).")
    ap.add_argument("-o", "--output", default="hrtf_spatialization.wav")
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--radius", type=float, default=2.0, help="metres")
    ap.add_argument("--lap", type=float, default=4.0, help="seconds per lap")
    args = ap.parse_args(argv)

    ctx = ls.OfflineAudioContext(2, int(args.seconds * SAMPLE_RATE), SAMPLE_RATE)

    # the source: a 220 Hz sawtooth, pulsing eight times a second
    osc = ctx.create_oscillator(type="sawtooth", frequency=220)
    pulse = ctx.create_gain(gain=0.5)
    lfo = ctx.create_oscillator(type="square", frequency=8)
    depth = ctx.create_gain(gain=0.4)
    lfo >> depth >> pulse.gain

    panner = ctx.create_panner(panning_model="HRTF", distance_model="inverse",
                               ref_distance=1.0, rolloff_factor=1.0)
    osc >> pulse >> panner >> ctx.destination

    # the circle: x = r sin(2 pi t / lap), z = -r cos(2 pi t / lap), as value
    # curves (the listener faces -z, so the source starts in front of it and
    # moves to the right)
    steps = int(args.seconds * 100)
    t = np.linspace(0.0, args.seconds, steps)
    angle = 2 * math.pi * t / args.lap
    panner.position_x.set_value_curve_at_time(args.radius * np.sin(angle), 0.0, args.seconds)
    panner.position_z.set_value_curve_at_time(-args.radius * np.cos(angle), 0.0, args.seconds)

    for node in (osc, lfo):
        node.start(0)

    buf = ctx.start_rendering()
    out = np.asarray(buf)

    # The louder ear follows the source: right while it is on the right.
    quarter = int(args.lap / 4 * SAMPLE_RATE)
    for name, centre in (("front", 0), ("right", quarter), ("back", 2 * quarter),
                         ("left", 3 * quarter)):
        seg = out[:, max(0, centre - 2400):centre + 2400]
        rms = np.sqrt(np.mean(seg.astype(np.float64) ** 2, axis=1))
        print(f"source {name:>5}: left {rms[0]:.3f}  right {rms[1]:.3f}  "
              f"({20 * math.log10(rms[1] / rms[0]):+.1f} dB right/left)")

    # the render may go beyond full scale (the HRTF boosts some directions):
    # scale it (in place: out is a view of buf) so the 16-bit file does not clip
    peak = float(np.max(np.abs(out)))
    scale = 1.0 / peak if peak > 1.0 else 1.0
    out *= scale
    buf.save(args.output, bits=16)
    if scale != 1.0:
        print(f"wrote {args.output} ({args.seconds:g} s): the render peaked at {peak:.2f}, "
              f"so the file is scaled by {scale:.3f} to a peak of 1.00")
    else:
        print(f"wrote {args.output} ({args.seconds:g} s, peak {peak:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
