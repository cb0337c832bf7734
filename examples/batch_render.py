"""Render a small dataset of notes in parallel with ls.render_batch.

48 one-second notes (sawtooth and square voices through a resonant low-pass
with an envelope, random pitch and cutoff per note) rendered on two worker
processes, with a progress bar when tqdm is installed; saved as one .npz of
float32 audio with the parameters as labels.

Worker processes import this script, so the work is under the
``if __name__ == "__main__":`` guard and ``note`` is a top-level function.

    python examples/batch_render.py [--count 48] [--workers 2] [--output notes.npz]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import labsound as ls

RATE = 22050


def params(i: int) -> dict:
    """Note i's parameters (the same for every run)."""
    rng = np.random.default_rng(i)
    return {"freq": float(110 * 2 ** rng.uniform(0, 3)), "cutoff": float(rng.uniform(500, 5000)),
            "wave": str(rng.choice(["sawtooth", "square"]))}


def note(p: dict) -> ls.OfflineAudioContext:
    """One note's graph, ready to render."""
    ctx = ls.OfflineAudioContext(1, RATE, RATE)
    osc = ctx.create_oscillator(type=p["wave"], frequency=p["freq"])
    lp = ctx.create_biquad_filter(type="lowpass", frequency=p["cutoff"], Q=4)
    env = ctx.create_gain(gain=0)
    osc >> lp >> env >> ctx.destination
    env.gain.linear_ramp_to_value_at_time(0.6, 0.01)
    env.gain.set_target_at_time(0.3, 0.01, 0.1)
    env.gain.set_value_at_time(0.3, 0.7)
    env.gain.linear_ramp_to_value_at_time(0.0, 0.95)
    osc.start(0)
    return ctx


def main(count: int = 48, workers: int = 2, output: str = "notes.npz", progress: bool = True) -> np.ndarray:
    try:
        import tqdm  # noqa: F401
    except ImportError:
        progress = False
    items = [params(i) for i in range(count)]
    t0 = time.perf_counter()
    audio = np.zeros((count, RATE), np.float32)
    for r in ls.render_batch(note, items, workers=workers, ordered=False, chunksize=4,
                             output="numpy", progress=progress):
        audio[r.index] = r.buffer[0]
    took = time.perf_counter() - t0
    np.savez(output, audio=audio, freq=[p["freq"] for p in items],
             cutoff=[p["cutoff"] for p in items], wave=[p["wave"] for p in items])
    print(f"{count} notes in {took:.2f} s on {workers} workers -> {output}")
    return audio


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=48)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--output", default="notes.npz")
    ap.add_argument("--no-progress", action="store_true")
    a = ap.parse_args()
    main(a.count, a.workers, a.output, not a.no_progress)
