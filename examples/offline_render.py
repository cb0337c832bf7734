"""Offline rendering into NumPy, then a WAV file.

An OfflineAudioContext renders as fast as the machine allows and hands back an
AudioBuffer. np.asarray(buffer) is a (channels, frames) float32 view of the
buffer's own memory: no copy is made, and writing to the array writes to the
buffer.

    python examples/offline_render.py                  # writes offline_render.wav
    python examples/offline_render.py -o sweep.wav --bits float32
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

import labsound as ls

SAMPLE_RATE = 48000
SECONDS = 2.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Render a sweep offline into NumPy and save it.")
    ap.add_argument("-o", "--output", default="offline_render.wav")
    ap.add_argument("--bits", default="16", choices=["16", "24", "float32"])
    args = ap.parse_args(argv)

    # One channel, two seconds at 48 kHz.
    ctx = ls.OfflineAudioContext(1, int(SECONDS * SAMPLE_RATE), SAMPLE_RATE)

    # A sawtooth sweeping 110 Hz -> 1760 Hz, under an attack/decay envelope.
    osc = ctx.create_oscillator(type="sawtooth", frequency=110)
    env = ctx.create_gain(gain=0.0)
    osc >> env >> ctx.destination

    osc.frequency.set_value_at_time(110, 0.0)
    osc.frequency.exponential_ramp_to_value_at_time(1760, 1.5)

    env.gain.set_value_at_time(0.0, 0.0)
    env.gain.linear_ramp_to_value_at_time(0.5, 0.05)
    env.gain.set_target_at_time(0.0, 1.5, 0.1)

    osc.start(0)
    osc.stop(SECONDS)

    buf = ctx.start_rendering()          # runs the render loop on this thread
    samples = np.asarray(buf)            # shape (1, 96000), float32, no copy
    print(f"rendered {buf.length} frames ({buf.duration:.2f} s) at {buf.sample_rate:g} Hz "
          f"into an array of shape {samples.shape}, dtype {samples.dtype}")

    # The envelope, measured in 100 ms windows.
    window = SAMPLE_RATE // 10
    rms = np.sqrt(np.mean(samples[0, : len(samples[0]) // window * window]
                          .reshape(-1, window) ** 2, axis=1))
    print("RMS per 100 ms:", " ".join(f"{v:.2f}" for v in rms))

    # The sweep, followed through the strongest partial of a few 4096-frame windows.
    for t in (0.1, 0.5, 1.0, 1.4):
        start = int(t * SAMPLE_RATE)
        seg = samples[0, start:start + 4096] * np.hanning(4096)
        spectrum = np.abs(np.fft.rfft(seg))
        f = np.argmax(spectrum) * SAMPLE_RATE / 4096
        centre = t + 2048 / SAMPLE_RATE
        expected = 110 * 16 ** (centre / 1.5)
        print(f"  around {centre:.2f} s: strongest partial {f:7.1f} Hz "
              f"(the sweep is at {expected:7.1f} Hz there; bins are {SAMPLE_RATE / 4096:.1f} Hz)")

    peak = float(np.max(np.abs(samples)))
    bits = args.bits if args.bits == "float32" else int(args.bits)
    buf.save(args.output, bits=bits)
    print(f"peak {peak:.3f}; wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
