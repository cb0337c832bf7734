"""Frequency modulation through a feedback delay.

A port of LabSound's FM example with an echo: a modulator oscillator, scaled
by a gain (the modulation index in Hz), drives the frequency AudioParam of a
carrier; the carrier's notes, under a short envelope, feed a DelayNode whose
output comes back into its input through a gain of 0.45: a feedback loop
that repeats each note every 0.25 s, a little quieter each time. A cycle
through a DelayNode is allowed (any other cycle renders silence).

    python examples/fm_feedback_delay.py          # writes fm_feedback_delay.wav
"""
from __future__ import annotations

import argparse

import numpy as np

import labsound as ls

RATE = 48000
SECONDS = 4.0
ECHO = 0.25


def build(ctx: ls.BaseAudioContext) -> None:
    carrier = ctx.create_oscillator(type="sine", frequency=440)
    modulator = ctx.create_oscillator(type="sine", frequency=110)
    index = ctx.create_gain(gain=300.0)          # +/- 300 Hz of deviation
    modulator >> index >> carrier.frequency
    env = ctx.create_gain(gain=0.0)
    carrier >> env
    for k, t in enumerate((0.0, 0.6, 1.2)):
        env.gain.set_value_at_time(0.0, t)
        env.gain.linear_ramp_to_value_at_time(0.5, t + 0.01)
        env.gain.set_target_at_time(0.0, t + 0.02, 0.05)
        index.gain.set_value_at_time(300.0 * (k + 1), t)
    delay = ctx.create_delay(1.0, delay_time=ECHO)
    feedback = ctx.create_gain(gain=0.45)
    env >> delay >> feedback >> delay            # the feedback loop
    env >> ctx.destination
    delay >> ctx.destination
    carrier.start(0)
    modulator.start(0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default="fm_feedback_delay.wav")
    ap.add_argument("--seconds", type=float, default=SECONDS)
    a = ap.parse_args(argv)
    ctx = ls.OfflineAudioContext(1, int(a.seconds * RATE), RATE)
    build(ctx)
    buf = ctx.start_rendering()
    y = np.asarray(buf)[0]
    peaks = [float(np.abs(y[int((1.2 + ECHO * k) * RATE):int((1.2 + ECHO * k + 0.1) * RATE)]).max())
             for k in range(4)]
    print("last note and its echoes, peaks:", ", ".join("%.3f" % p for p in peaks))
    buf.save(a.output)
    print("wrote", a.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
