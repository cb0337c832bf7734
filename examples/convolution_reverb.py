"""Convolution reverb with a synthesised impulse response.

A port of LabSound's "convolution reverb" example, without its sample
files: the impulse response is exponentially decaying stereo noise (a
3-second, -60 dB tail: RT60 = 3 s), made with NumPy. A few plucked notes
(sawtooth oscillators under short envelopes) go dry to the output and
through a ConvolverNode (normalized, as the spec does by default) to a wet
gain.

    python examples/convolution_reverb.py                 # writes convolution_reverb.wav
    python examples/convolution_reverb.py --rt60 5 --wet 0.8
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

import labsound as ls

SAMPLE_RATE = 48000


def impulse_response(ctx, rt60: float, seed: int = 1) -> ls.AudioBuffer:
    n = int(rt60 * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    decay = 10.0 ** (-3.0 * t / rt60)                 # -60 dB at rt60
    noise = np.random.default_rng(seed).standard_normal((2, n))
    buf = ctx.create_buffer(2, n, SAMPLE_RATE)
    np.asarray(buf)[:] = noise * decay
    return buf


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Render notes through a convolution reverb.")
    ap.add_argument("-o", "--output", default="convolution_reverb.wav")
    ap.add_argument("--rt60", type=float, default=3.0, help="reverb time in seconds")
    ap.add_argument("--wet", type=float, default=0.6)
    args = ap.parse_args(argv)

    seconds = 2.0 + args.rt60
    ctx = ls.OfflineAudioContext(2, int(seconds * SAMPLE_RATE), SAMPLE_RATE)

    reverb = ctx.create_convolver(buffer=impulse_response(ctx, args.rt60))
    wet = ctx.create_gain(gain=args.wet)
    dry = ctx.create_gain(gain=1.0 - args.wet)
    reverb >> wet >> ctx.destination
    dry >> ctx.destination

    for i, freq in enumerate((220.0, 277.2, 329.6, 440.0)):
        start = 0.25 * i
        osc = ctx.create_oscillator(type="sawtooth", frequency=freq)
        env = ctx.create_gain(gain=0.0)
        env.gain.set_value_at_time(0.0, start)
        env.gain.linear_ramp_to_value_at_time(0.3, start + 0.005)
        env.gain.set_target_at_time(0.0, start + 0.01, 0.08)
        osc >> env
        env >> dry
        env >> reverb
        osc.start(start)
        osc.stop(start + 0.6)

    t0 = time.perf_counter()
    buf = ctx.start_rendering()
    elapsed = time.perf_counter() - t0
    out = np.asarray(buf)
    print(f"rendered {seconds:g} s with a {args.rt60:g} s impulse response in {elapsed * 1000:.0f} ms "
          f"({seconds / elapsed:.0f}x real time)")

    # the tail: RMS per half second after the last note
    for t in np.arange(1.5, seconds, 0.5):
        seg = out[:, int(t * SAMPLE_RATE):int((t + 0.5) * SAMPLE_RATE)]
        rms = np.sqrt(np.mean(seg.astype(np.float64) ** 2))
        print(f"  {t:4.1f} s: {20 * np.log10(max(rms, 1e-12)):6.1f} dBFS")

    peak = float(np.max(np.abs(out)))
    if peak > 1.0:
        out /= peak
    buf.save(args.output, bits=16)
    print(f"wrote {args.output} (peak {peak:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
