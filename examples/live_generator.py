"""Feed a Python generator to the speakers live, through a filter.

    python examples/live_generator.py            # 3 s of a wandering tone on the default output
    python examples/live_generator.py --slow     # a producer too slow to keep up: underruns counted

A stream source plays what the generator yields; a feeder thread keeps its
lock-free ring filled and the audio thread never waits for it. When the
producer falls behind, silence fills the gap and an underrun is counted.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import labsound as ls


def wandering_tone(rate: float, seconds: float, block: int = 1024, slow: bool = False):
    """Blocks of a sine whose frequency wanders, phase continuous across blocks."""
    rng = np.random.default_rng(3)
    phase, f = 0.0, 330.0
    for _ in range(int(seconds * rate / block)):
        f = float(np.clip(f * 2 ** rng.normal(0, 0.02), 150, 900))
        step = 2 * np.pi * f / rate
        x = np.sin(phase + step * np.arange(block))
        phase = (phase + step * block) % (2 * np.pi)
        if slow:
            time.sleep(2 * block / rate)  # takes twice as long as it lasts
        yield (0.25 * x).astype(np.float32)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--slow", action="store_true")
    args = ap.parse_args()
    with ls.AudioContext() as ctx:
        live = ctx.create_stream_source(wandering_tone(ctx.sample_rate, args.seconds, slow=args.slow))
        lp = ctx.create_biquad_filter(frequency=2000)
        live >> lp >> ctx.destination
        while not live.finished:
            ctx.wait(0.05)
        print(f"played {live.frames_played / ctx.sample_rate:.2f} s, underruns: {live.underruns}")


if __name__ == "__main__":
    main()
