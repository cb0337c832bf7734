"""Playback events (after LabSound's "playback events" example): a buffer
source tells when it has finished playing.

    python examples/playback_events.py

Three short notes are scheduled one after another; each one's onended
handler prints when it ended (context time). Handlers run on a Python
thread, never on the audio thread.
"""

from __future__ import annotations

import numpy as np

import labsound as ls


def note(rate: float, freq: float, seconds: float) -> ls.AudioBuffer:
    t = np.arange(int(rate * seconds)) / rate
    x = 0.3 * np.sin(2 * np.pi * freq * t) * np.exp(-4 * t)
    return ls.AudioBuffer.from_numpy(x.astype(np.float32), rate)


def main() -> int:
    ended = []
    with ls.AudioContext() as ctx:
        start = ctx.current_time + 0.05
        for i, freq in enumerate((440.0, 554.37, 659.25)):
            src = ctx.create_buffer_source(buffer=note(ctx.sample_rate, freq, 0.25))
            src >> ctx.destination

            def on_ended(event, freq=freq):
                ended.append(freq)
                print(f"  {freq:7.2f} Hz note ended at {event.target.context.current_time:.3f} s")

            src.onended = on_ended
            src.start(start + 0.3 * i)
        print("three notes scheduled")
        ctx.wait(1.2)
    print(f"{len(ended)} ended events")
    return 0 if len(ended) == 3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
