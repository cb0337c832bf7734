"""Granular synthesis (after LabSound's "granulation" example): many short,
enveloped grains cut from one buffer, scattered in time and pitch.

    python examples/granulation.py [source.wav] [-o granulation.wav] [--seconds 4]

Each grain is an AudioBufferSourceNode started at an offset into the buffer
for a short duration, with a detune, through a gain whose envelope rises and
falls over the grain. Rendered offline and written to a WAV file.
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
    ap.add_argument("--seconds", type=float, default=4.0)
    ap.add_argument("--density", type=float, default=40.0, help="grains per second")
    args = ap.parse_args(argv)

    rate = 44100
    ctx = ls.OfflineAudioContext(2, int(args.seconds * rate), rate)
    buf = ls.load(args.source, sample_rate=rate) if args.source else default_source(rate)
    rng = np.random.default_rng(1)
    out = ctx.create_gain(gain=0.5)
    out >> ctx.destination

    grain = 0.08
    t, count = 0.0, 0
    while t < args.seconds - grain:
        src = ctx.create_buffer_source(buffer=buf, detune=float(rng.normal(0, 300)))
        env = ctx.create_gain(gain=0.0)
        env.gain.set_value_at_time(0.0, t)
        env.gain.linear_ramp_to_value_at_time(0.6, t + grain / 2)
        env.gain.linear_ramp_to_value_at_time(0.0, t + grain)
        src >> env >> out
        src.start(t, float(rng.uniform(0, buf.duration - grain)), grain)
        t += float(rng.exponential(1 / args.density))
        count += 1

    result = ctx.start_rendering()
    result.save(args.output)
    peak = float(np.abs(np.asarray(result)).max())
    print(f"{count} grains, {args.seconds:g} s, peak {peak:.2f}, written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
