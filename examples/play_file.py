"""Play an audio file (after LabSound's "play file" example).

    python examples/play_file.py song.wav         # WAV here; FLAC/Ogg/MP3 with labsound[formats]
    python examples/play_file.py                  # no file: makes a short chord and plays it
    python examples/play_file.py song.wav --offline out.wav   # render to a file instead

The file is decoded at the context's sample rate (resampled if it differs)
and played by an AudioBufferSourceNode; the script waits until it ends.
"""

from __future__ import annotations

import argparse
import os
import tempfile

import numpy as np

import labsound as ls


def demo_file(path: str) -> None:
    """A two-second A major chord, written as a 16-bit WAV file."""
    rate = 44100
    t = np.arange(2 * rate) / rate
    chord = sum(np.sin(2 * np.pi * f * t) for f in (220.0, 277.18, 329.63)) / 4
    chord *= np.minimum(1, t / 0.02) * np.exp(-t)                     # attack, decay
    ls.AudioBuffer.from_numpy(np.stack([chord, chord]).astype(np.float32), rate).save(path)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", help="audio file to play (default: a generated chord)")
    ap.add_argument("--offline", metavar="OUT", help="render to this WAV file instead of playing")
    args = ap.parse_args(argv)

    path = args.path
    if path is None:
        path = os.path.join(tempfile.mkdtemp(), "chord.wav")
        demo_file(path)

    if args.offline:
        buf = ls.load(path, sample_rate=44100)
        ctx = ls.OfflineAudioContext(buf.number_of_channels, buf.length, 44100)
        source = ctx.create_buffer_source(buffer=buf)
        source >> ctx.destination
        source.start(0)
        ctx.start_rendering().save(args.offline)
        print(f"rendered {buf.duration:.2f} s to {args.offline}")
        return 0

    with ls.AudioContext() as ctx:
        source = ctx.create_buffer_source(path)
        source >> ctx.destination
        source.start(0)
        print(f"playing {path}: {source.buffer.duration:.2f} s, "
              f"{source.buffer.number_of_channels} channel(s) at {ctx.sample_rate:g} Hz")
        while source.is_playing:
            ctx.wait(0.05)
    print("done")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
