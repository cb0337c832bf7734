"""Process a long audio file in constant memory: highpass -> lowpass ->
compressor, with an echo whose tail is kept.

    python examples/stream_file.py in.wav out.wav     # any length; FLAC/Ogg with labsound[formats]
    python examples/stream_file.py                    # no file: makes 20 s of noise and processes it

The file is read in blocks, streamed through the chain and written while it
renders (labsound.process); the output runs on past the input until the echo
has died away.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile

import numpy as np

import labsound as ls


def chain(ctx: ls.OfflineAudioContext, source: ls.AudioNode) -> ls.AudioNode:
    hp = ctx.create_biquad_filter(type="highpass", frequency=80)
    lp = ctx.create_biquad_filter(type="lowpass", frequency=9000)
    comp = ctx.create_dynamics_compressor(threshold=-20, ratio=4)
    echo = ctx.create_delay(max_delay_time=1.0, delay_time=0.35)
    feedback = ctx.create_gain(gain=0.35)
    out = ctx.create_gain()
    source >> hp >> lp >> comp >> out
    comp >> echo >> feedback >> echo
    feedback >> out
    return out


def demo_file(path: str, seconds: float = 20.0, rate: int = 48000) -> None:
    """Stereo noise bursts, written in blocks (never the whole file in memory)."""
    import soundfile as sf

    rng = np.random.default_rng(0)
    with sf.SoundFile(path, "w", samplerate=rate, channels=2, subtype="PCM_16") as f:
        for start in range(0, int(seconds * rate), rate):
            block = rng.uniform(-0.4, 0.4, (rate, 2)) * (np.arange(rate) % (rate // 2) < rate // 8)[:, None]
            f.write(block)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", nargs="?")
    ap.add_argument("output", nargs="?", default="processed.wav")
    ap.add_argument("--tail", type=float, default=1.0, help="seconds of quiet that end the output")
    args = ap.parse_args()
    src = args.input
    if src is None:
        src = os.path.join(tempfile.mkdtemp(), "noise.wav")
        demo_file(src)
    ls.process(src, chain, args.output, tail=args.tail)
    import soundfile as sf

    info_in, info_out = sf.info(src), sf.info(args.output)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{src}: {info_in.duration:.2f} s -> {args.output}: {info_out.duration:.2f} s "
          f"(tail {info_out.duration - info_in.duration:.2f} s), peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
