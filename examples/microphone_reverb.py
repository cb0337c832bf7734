"""Microphone through a convolution reverb (after LabSound's
"MicrophoneReverb" example).

    python examples/microphone_reverb.py [-o microphone_reverb.wav] [--seconds 1]
        [--input tone|FILE] [--impulse FILE] [--rt60 1.5] [--wet 0.5]
    python examples/microphone_reverb.py --live --seconds 10    # the microphone, live

The input goes dry to the output and through a ConvolverNode (normalization
off, so the reverb is exactly input * impulse) to a wet gain. The impulse
response is --impulse, or else generated: exponentially decaying noise that
falls 60 dB in --rt60 seconds (seeded). With --live the default input device
is captured in real time (use headphones); without a device, or without
--live, the example renders offline from a file (--input FILE) or a generated
plucked tone (the default), so it runs anywhere.
"""

from __future__ import annotations

import argparse

import numpy as np

import labsound as ls

RATE = 44100


def generated_impulse(rt60: float, rate: float, seed: int = 3) -> np.ndarray:
    n = int(rt60 * rate)
    t = np.arange(n) / rate
    noise = np.random.default_rng(seed).standard_normal(n)
    return (0.1 * noise * 10 ** (-3 * t / rt60)).astype(np.float32)


def plucks(seconds: float, rate: float) -> np.ndarray:
    """A few decaying tones: the stand-in for a microphone."""
    n = int(seconds * rate)
    t = np.arange(n) / rate
    x = np.zeros(n)
    for i, f in enumerate((262.0, 330.0, 392.0)):
        t0 = 0.05 + 0.2 * i
        on = t >= t0
        x[on] += 0.4 * np.sin(2 * np.pi * f * (t[on] - t0)) * np.exp(-(t[on] - t0) / 0.08)
    return x.astype(np.float32)


def build(ctx, source, impulse: np.ndarray, wet: float):
    conv = ctx.create_convolver(disable_normalization=True)
    conv.buffer = ls.AudioBuffer.from_numpy(impulse, ctx.sample_rate)
    wet_gain = ctx.create_gain(gain=wet)
    source >> ctx.destination
    source >> conv >> wet_gain >> ctx.destination


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default="microphone_reverb.wav")
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--input", default="tone", help="'tone' or an audio file (offline)")
    ap.add_argument("--impulse", help="impulse response file (default: generated)")
    ap.add_argument("--rt60", type=float, default=1.5)
    ap.add_argument("--wet", type=float, default=0.5)
    ap.add_argument("--live", action="store_true", help="use the microphone in real time")
    args = ap.parse_args(argv)

    if args.impulse:
        impulse = np.asarray(ls.load(args.impulse, sample_rate=RATE, mono=True))[0]
    else:
        impulse = generated_impulse(args.rt60, RATE)

    if args.live:
        ok, why = ls.devices_available()
        if ok:
            with ls.AudioContext(RATE, 1) as ctx:
                build(ctx, ctx.create_microphone(), impulse, args.wet)
                ctx.wait(args.seconds)
            return 0
        print(f"no audio device ({why}); rendering offline instead")

    if args.input == "tone":
        x = plucks(args.seconds, RATE)
    else:
        x = np.asarray(ls.load(args.input, sample_rate=RATE, mono=True))[0]
    ctx = ls.OfflineAudioContext(1, len(x), RATE)
    src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(x, RATE))
    build(ctx, src, impulse, args.wet)
    src.start(0)
    out = ctx.start_rendering()
    out.save(args.output, bits="float32")
    print(f"{len(x) / RATE:g} s through a {len(impulse) / RATE:g} s impulse, "
          f"wet {args.wet:g}; written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
