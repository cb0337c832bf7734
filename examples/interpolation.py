"""A buffer at another sample rate in each interpolation mode: quality and cost.

A 20 Hz - 18 kHz sine sweep recorded at 44.1 kHz plays in a 48 kHz
OfflineAudioContext with interpolation='linear' (Chromium's, the default),
'cubic' and 'sinc' (band-limited). Each render is compared with the same
sweep computed at 48 kHz (SNR away from the buffer's edges) and timed; then
a looped drum-like buffer shows the context-wide default and the per-node
option side by side. Pass --output to write the three sweeps as one stereo
file per mode.

    python examples/interpolation.py [--seconds 1] [--output sweep.wav]
"""
import argparse
import time

import numpy as np

import labsound as ls

SR = 48000
BUFFER_RATE = 44100


def sweep(rate, seconds, f0=20.0, f1=18000.0):
    t = np.arange(int(round(seconds * rate))) / rate
    k = np.log(f1 / f0) / seconds
    return np.sin(2 * np.pi * f0 * (np.exp(k * t) - 1) / k)


def render(mode, x, seconds, repeat=3):
    """The render in `mode` and its best time of `repeat`."""
    best = float("inf")
    for _ in range(repeat):
        ctx = ls.OfflineAudioContext(1, int(seconds * SR), SR, interpolation=mode)
        src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(x, BUFFER_RATE))
        src >> ctx.destination
        src.start(0)
        t0 = time.perf_counter()
        y = ctx.start_rendering()
        best = min(best, time.perf_counter() - t0)
    return np.asarray(y)[0].astype(np.float64), best


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--output", help="write each mode's render (mode appended to the name)")
    a = ap.parse_args(argv)
    x = sweep(BUFFER_RATE, a.seconds).astype(np.float32)
    ref = sweep(SR, a.seconds)
    edge = SR // 100
    inner = slice(edge, len(ref) - edge)
    print(f"a {a.seconds:g} s sweep at {BUFFER_RATE} Hz played at {SR} Hz")
    for mode in ("linear", "cubic", "sinc"):
        y, took = render(mode, x, a.seconds)
        err = y[inner] - ref[inner]
        snr = 10 * np.log10(np.sum(ref[inner] ** 2) / np.sum(err ** 2))
        print(f"{mode:>6}: SNR {snr:6.1f} dB, {a.seconds / took:8.0f}x real time")
        if a.output:
            stem, dot, ext = a.output.rpartition(".")
            # float samples: a full-scale sweep rises a little above 1.0 near
            # its top once interpolated, which a 16-bit file would clip
            ls.AudioBuffer.from_numpy(y.astype(np.float32), SR).save(
                f"{stem}-{mode}.{ext}" if dot else f"{a.output}-{mode}", bits="float32")

    # the context's choice is every node's default; a node may take its own
    ctx = ls.OfflineAudioContext(2, SR // 2, SR, interpolation="cubic")
    hit = ls.AudioBuffer.from_numpy(x[:4410].copy(), BUFFER_RATE)
    a_node = ctx.create_buffer_source(buffer=hit, loop=True)
    b_node = ctx.create_sampled_audio(buffer=hit, interpolation="sinc")
    print(f"context {ctx.interpolation!r}: buffer source {a_node.interpolation!r}, "
          f"sampler {b_node.interpolation!r}")


if __name__ == "__main__":
    main()
