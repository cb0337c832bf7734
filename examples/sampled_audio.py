"""A sampled instrument: one sample scheduled as a rhythm, hits overlapping.

LabSound's sampled-instrument examples schedule one loaded sample many times
on a SampledAudioNode. Here the sample is a synthetic tom (a decaying,
falling sine with a noise click, 0.6 s long) built with NumPy; a pattern of
sixteenth notes at 132 BPM plays it, so each hit rings on under the next
ones and the node sums the voices. A second node plays the same sample an
octave up (playback_rate 2). Pass --sample path.wav to use a file instead.

    python examples/sampled_audio.py [--seconds 2] [--sample hit.wav] [--output rhythm.wav]
"""
import argparse

import numpy as np

import labsound as ls

SR = 44100
TEMPO = 132.0
# one bar of sixteenths: 1 plays the hit, 0 rests
PATTERN = [1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 0]


def make_tom(sr=SR, seconds=0.6, seed=7):
    t = np.arange(int(seconds * sr)) / sr
    freq = 80.0 + 120.0 * np.exp(-t / 0.05)
    phase = 2 * np.pi * np.cumsum(freq) / sr
    body = np.sin(phase) * np.exp(-t / 0.18)
    click = np.random.default_rng(seed).uniform(-1, 1, t.size) * np.exp(-t / 0.004)
    return (0.6 * body + 0.25 * click).astype(np.float32)


def hit_times(seconds, tempo=TEMPO, pattern=PATTERN):
    step = 60.0 / tempo / 4.0
    times, k = [], 0
    while k * step < seconds:
        if pattern[k % len(pattern)]:
            times.append(k * step)
        k += 1
    return times


def render(seconds=2.0, sample=None):
    ctx = ls.OfflineAudioContext(1, int(seconds * SR), SR)
    buf = ls.AudioBuffer.from_numpy(make_tom(), SR) if sample is None else ls.load(sample, mono=True)
    low = ctx.create_sampled_audio(buffer=buf)
    high = ctx.create_sampled_audio(buffer=buf, playback_rate=2.0)
    mix = ctx.create_gain(gain=0.5)
    low >> mix >> ctx.destination
    high >> mix
    times = hit_times(seconds)
    for i, t in enumerate(times):
        (high if i % 4 == 3 else low).schedule(t)
    return ctx.start_rendering(), times


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--sample", default=None)
    ap.add_argument("--output", default=None)
    args = ap.parse_args(argv)
    buf, times = render(args.seconds, args.sample)
    y = np.asarray(buf)[0]
    print(f"{len(times)} hits at {TEMPO:g} BPM, peak {np.abs(y).max():.3f}")
    if args.output:
        buf.save(args.output)
        print("wrote", args.output)
    return buf


if __name__ == "__main__":
    main()
