"""Offline rendering with a recorder (after LabSound's "offline rendering"
example): a graph renders faster than real time while a RecorderNode
captures it; the recording is written to a WAV file.

    python examples/offline_rendering.py            # writes offline_rendering.wav
    python examples/offline_rendering.py -o out.wav --seconds 5
"""

from __future__ import annotations

import argparse
import time

import labsound as ls


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default="offline_rendering.wav")
    ap.add_argument("--seconds", type=float, default=2.0)
    args = ap.parse_args(argv)

    rate = 48000
    ctx = ls.OfflineAudioContext(2, int(args.seconds * rate), rate)
    osc = ctx.create_oscillator(type="triangle", frequency=220)
    lfo = ctx.create_oscillator(frequency=3)
    depth = ctx.create_gain(gain=30)          # vibrato: +-30 Hz
    lfo >> depth >> osc.frequency
    level = ctx.create_gain(gain=0.4)
    recorder = ctx.create_recorder(channels=2)
    osc >> level >> recorder                  # the recorder needs no output connection
    recorder.start()
    osc.start(0)
    lfo.start(0)

    t0 = time.perf_counter()
    ctx.start_rendering()
    elapsed = time.perf_counter() - t0
    recorder.stop()
    recorder.save(args.output, bits=24)
    buf = recorder.to_buffer()
    print(f"rendered {args.seconds:g} s in {elapsed * 1000:.1f} ms; recorded {buf.length} frames "
          f"({buf.number_of_channels} ch) to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
