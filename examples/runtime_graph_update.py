"""Connecting and disconnecting nodes while the graph renders (after
LabSound's "RuntimeGraphUpdate" example).

    python examples/runtime_graph_update.py [-o runtime_graph_update.wav] [--step 0.256]
    python examples/runtime_graph_update.py --realtime     # a live AudioContext

Two oscillators (220 Hz and 330 Hz) play all along, but only what is
connected is heard. Each --step seconds the graph changes:
  step 0: 220 Hz connected;   step 1: 330 Hz connected too;
  step 2: 220 Hz disconnected; step 3: 220 Hz connected again, 330 Hz not.
Offline (the default), the edits run in OfflineAudioContext.suspend()
callbacks, so they take effect at those exact quanta (suspend times are
rounded down to a render quantum: the default step is 96 quanta at 48 kHz).
With --realtime the same edits are made from this thread while a real-time
context plays (on the sound card, or the silent null sink when there is none),
and a RecorderNode captures what the destination hears.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import labsound as ls

RATE = 48000
FREQS = (220.0, 330.0)


def edits(a, b, out):
    """The graph's state at the start of each step, as functions doing it."""
    return [
        lambda: a.connect(out),
        lambda: b.connect(out),
        lambda: a.disconnect(out),
        lambda: (a.connect(out), b.disconnect(out)),
    ]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default="runtime_graph_update.wav")
    ap.add_argument("--step", type=float, default=96 * 128 / RATE, help="seconds per step")
    ap.add_argument("--realtime", action="store_true")
    args = ap.parse_args(argv)

    steps = 4
    if args.realtime:
        ctx = ls.AudioContext(RATE, 1, device=None if ls.devices_available()[0] else "null")
    else:
        ctx = ls.OfflineAudioContext(1, int(round(steps * args.step * RATE)), RATE)
    out = ctx.create_gain(gain=0.4)
    out >> ctx.destination
    a = ctx.create_oscillator(frequency=FREQS[0])
    b = ctx.create_oscillator(frequency=FREQS[1])
    a.start(0)
    b.start(0)
    todo = edits(a, b, out)

    if args.realtime:
        rec = ctx.create_recorder(channels=1)
        out >> rec
        rec.start()
        for edit in todo:
            edit()
            time.sleep(args.step)
        rec.stop()
        rec.save(args.output)
        ctx.close()
        print(f"{rec.recorded_frames} frames recorded on the {ctx.backend} backend; "
              f"written to {args.output}")
        return 0

    todo[0]()
    for i, edit in enumerate(todo[1:], start=1):
        ctx.suspend(i * args.step, edit)
    result = ctx.start_rendering()
    result.save(args.output, bits="float32")
    print(f"{steps} steps of {args.step:g} s; written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
