"""Tremolo: a low-frequency oscillator modulating a gain.

A port of LabSound's tremolo example: a 5 Hz sine LFO, scaled by a gain
node to a depth of 0.3, drives the gain AudioParam of a VCA around its
intrinsic value of 0.6 (connections into a param add to its value). The
carrier is a sawtooth softened by a low-pass biquad.

    python examples/tremolo.py                    # writes tremolo.wav
"""
from __future__ import annotations

import argparse

import numpy as np

import labsound as ls

RATE = 48000
SECONDS = 3.0


def build(ctx: ls.BaseAudioContext) -> None:
    carrier = ctx.create_oscillator(type="sawtooth", frequency=220)
    tone = ctx.create_biquad_filter(type="lowpass", frequency=1800, Q=1.0)
    vca = ctx.create_gain(gain=0.6)
    lfo = ctx.create_oscillator(type="sine", frequency=5.0)
    depth = ctx.create_gain(gain=0.3)
    carrier >> tone >> vca >> ctx.destination
    lfo >> depth >> vca.gain          # audio-rate modulation of the gain
    carrier.start(0)
    lfo.start(0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default="tremolo.wav")
    ap.add_argument("--seconds", type=float, default=SECONDS)
    a = ap.parse_args(argv)
    ctx = ls.OfflineAudioContext(1, int(a.seconds * RATE), RATE)
    build(ctx)
    buf = ctx.start_rendering()
    y = np.asarray(buf)[0]
    # the envelope, in 10 ms windows, swings with the LFO
    env = np.sqrt(np.mean(y[: len(y) // 480 * 480].reshape(-1, 480) ** 2, axis=1))
    print("envelope min %.3f, max %.3f" % (env.min(), env.max()))
    buf.save(a.output)
    print("wrote", a.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
