"""An audio texture and its spectrogram (after LabSound's "AudioTexture"
example): a sound is rendered and drawn as a PNG image.

    python examples/audio_texture.py [-o audio_texture.png] [--wav texture.wav] [--seconds 2]

The texture: noise through a band-pass whose centre sweeps from 300 Hz to
6 kHz, a sine gliding down from 2 kHz to 500 Hz, and grains of the sine
(a GranulationNode at 25 grains per second). labsound.plot.spectrogram
draws it (needs matplotlib); the image goes to -o, the sound to --wav.
"""

from __future__ import annotations

import argparse

import numpy as np

import labsound as ls

RATE = 44100


def render(seconds: float) -> ls.AudioBuffer:
    ctx = ls.OfflineAudioContext(1, int(seconds * RATE), RATE)
    mix = ctx.create_gain(gain=0.5)
    mix >> ctx.destination
    noise = ctx.create_noise(type="white", seed=1)
    band = ctx.create_biquad_filter(type="bandpass", frequency=300.0, Q=8.0)
    band.frequency.exponential_ramp_to_value_at_time(6000.0, seconds)
    noise >> band >> mix
    glide = ctx.create_oscillator(frequency=2000.0)
    glide.frequency.exponential_ramp_to_value_at_time(500.0, seconds)
    quiet = ctx.create_gain(gain=0.3)
    glide >> quiet >> mix
    tone = np.sin(2 * np.pi * 880 * np.arange(RATE) / RATE).astype(np.float32)
    grains = ctx.create_granulation(buffer=ls.AudioBuffer.from_numpy(tone, RATE),
                                    grain_duration=0.02, grain_rate=25, seed=2)
    grains >> mix
    for node in (noise, glide, grains):
        node.start(0)
    return ctx.start_rendering()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default="audio_texture.png")
    ap.add_argument("--wav", help="also write the sound here")
    ap.add_argument("--seconds", type=float, default=2.0)
    args = ap.parse_args(argv)

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from labsound import plot

    buf = render(args.seconds)
    if args.wav:
        buf.save(args.wav, bits="float32")
    fig, ax = plt.subplots(figsize=(8, 4))
    plot.spectrogram(buf, fft_size=1024, ax=ax)
    ax.set_title("audio texture")
    fig.tight_layout()
    fig.savefig(args.output, dpi=80)
    plt.close(fig)
    print(f"{args.seconds:g} s rendered; spectrogram written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
