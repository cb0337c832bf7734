"""A drum loop through PeakCompNode, LabSound's peak compressor example.

A kick, a snare and a hi-hat (built with NumPy) play a one-bar loop on
SampledAudioNodes, are summed, and go through a PeakCompNode with a low
threshold and fast attack; the same loop is rendered without it. Prints the
peak and RMS of both and the gain reduction the compressor applied to the
loudest hits. --output writes the compressed loop as a WAV.

    python examples/peak_compressor.py [--seconds 2] [--threshold -18] [--output comp.wav]
"""
import argparse

import numpy as np

import labsound as ls

SR = 44100
TEMPO = 110.0


def drums(sr=SR, seed=3):
    rng = np.random.default_rng(seed)
    t = np.arange(int(0.5 * sr)) / sr
    kick = np.sin(2 * np.pi * np.cumsum(50 + 100 * np.exp(-t / 0.03)) / sr) * np.exp(-t / 0.15)
    snare = (0.6 * rng.uniform(-1, 1, t.size) * np.exp(-t / 0.08)
             + 0.4 * np.sin(2 * np.pi * 190 * t) * np.exp(-t / 0.05))
    th = t[: int(0.08 * sr)]
    hat = rng.uniform(-1, 1, th.size) * np.exp(-th / 0.015)
    hat = np.diff(hat, prepend=0.0)                  # brighter: a first difference
    return {name: ls.AudioBuffer.from_numpy(x.astype(np.float32), sr)
            for name, x in (("kick", 0.9 * kick), ("snare", 0.7 * snare), ("hat", 0.3 * hat))}


PATTERN = {                     # eighth notes of one bar
    "kick": [1, 0, 0, 1, 1, 0, 0, 0],
    "snare": [0, 0, 1, 0, 0, 0, 1, 0],
    "hat": [1, 1, 1, 1, 1, 1, 1, 1],
}


def render(seconds=2.0, compress=True, threshold=-18.0, ratio=4.0):
    ctx = ls.OfflineAudioContext(1, int(seconds * SR), SR)
    bus = ctx.create_gain(gain=1.0)
    step = 60.0 / TEMPO / 2
    for name, buf in drums().items():
        node = ctx.create_sampled_audio(buffer=buf)
        node >> bus
        k = 0
        while k * step < seconds:
            if PATTERN[name][k % 8]:
                node.schedule(k * step)
            k += 1
    if compress:
        # the peak detector follows each hit within a few frames (attack 10 us)
        comp = ctx.create_peak_comp(threshold=threshold, ratio=ratio, attack=0.00001,
                                    release=0.25, makeup=8.0)
        bus >> comp >> ctx.destination
    else:
        bus >> ctx.destination
    return ctx.start_rendering()


def db(x):
    return 20 * np.log10(max(float(x), 1e-12))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--threshold", type=float, default=-18.0)
    ap.add_argument("--output", default=None)
    args = ap.parse_args(argv)
    dry = np.asarray(render(args.seconds, compress=False))[0]
    buf = render(args.seconds, threshold=args.threshold)
    wet = np.asarray(buf)[0]
    for name, y in (("dry", dry), ("compressed", wet)):
        print(f"{name:10s} peak {db(np.abs(y).max()):6.1f} dBFS  rms {db(np.sqrt(np.mean(y ** 2))):6.1f} dBFS")
    print(f"crest factor {db(np.abs(dry).max() / np.sqrt(np.mean(dry ** 2))):.1f} dB -> "
          f"{db(np.abs(wet).max() / np.sqrt(np.mean(wet ** 2))):.1f} dB")
    if args.output:
        buf.save(args.output)
        print("wrote", args.output)
    return dry, wet


if __name__ == "__main__":
    main()
