"""Stereo panning: a tone moved from the left speaker to the right and back.

A port of LabSound's stereo panning example: an oscillator through a
StereoPannerNode whose pan is automated with linear ramps (an a-rate
AudioParam, so the sweep is smooth to the frame). Rendered offline.

    python examples/stereo_panning.py            # writes stereo_panning.wav
"""
from __future__ import annotations

import argparse

import numpy as np

import labsound as ls

RATE = 48000
SECONDS = 4.0


def build(ctx: ls.BaseAudioContext, seconds: float) -> None:
    osc = ctx.create_oscillator(type="triangle", frequency=330)
    panner = ctx.create_stereo_panner(pan=-1.0)
    level = ctx.create_gain(gain=0.5)
    osc >> panner >> level >> ctx.destination
    # left -> right -> left, one sweep every second
    t, target = 0.0, 1.0
    panner.pan.set_value_at_time(-1.0, 0.0)
    while t < seconds:
        t += 1.0
        panner.pan.linear_ramp_to_value_at_time(target, t)
        target = -target
    osc.start(0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default="stereo_panning.wav")
    ap.add_argument("--seconds", type=float, default=SECONDS)
    a = ap.parse_args(argv)
    ctx = ls.OfflineAudioContext(2, int(a.seconds * RATE), RATE)
    build(ctx, a.seconds)
    buf = ctx.start_rendering()
    left, right = np.asarray(buf)
    half = RATE // 2
    print("first half second: left RMS %.3f, right RMS %.3f"
          % (np.sqrt(np.mean(left[:half] ** 2)), np.sqrt(np.mean(right[:half] ** 2))))
    buf.save(a.output)
    print("wrote", a.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
