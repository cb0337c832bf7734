"""Wave-shaper distortion, with and without oversampling.

A port of LabSound's waveshaper example: a sine driven into a soft-clipping
curve (the classic "make distortion curve" of the Web Audio examples). The
same note is rendered three times, with oversample "none", "2x" and "4x";
the 4x render has far less aliasing (partials folded back below Nyquist).

    python examples/waveshaper_distortion.py      # writes waveshaper_distortion.wav
"""
from __future__ import annotations

import argparse

import numpy as np

import labsound as ls

RATE = 44100
NOTE = 1.0


def distortion_curve(amount: float, n: int = 4096) -> np.ndarray:
    x = np.linspace(-1.0, 1.0, n)
    k = amount
    return ((1 + k) * x / (1 + k * np.abs(x))).astype(np.float32)


def build(ctx: ls.BaseAudioContext) -> None:
    for i, over in enumerate(("none", "2x", "4x")):
        t = i * NOTE
        osc = ctx.create_oscillator(type="sine", frequency=1661.2)
        drive = ctx.create_gain(gain=4.0)
        shaper = ctx.create_wave_shaper(curve=distortion_curve(50), oversample=over)
        level = ctx.create_gain(gain=0.3)
        osc >> drive >> shaper >> level >> ctx.destination
        osc.start(t)
        osc.stop(t + NOTE * 0.9)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default="waveshaper_distortion.wav")
    a = ap.parse_args(argv)
    ctx = ls.OfflineAudioContext(1, int(3 * NOTE * RATE), RATE)
    build(ctx)
    buf = ctx.start_rendering()
    y = np.asarray(buf)[0]
    for i, over in enumerate(("none", "2x", "4x")):
        seg = y[int((i * NOTE + 0.2) * RATE):int((i * NOTE + 0.8) * RATE)]
        spec = np.abs(np.fft.rfft(seg * np.hanning(len(seg)))) ** 2
        f = np.fft.rfftfreq(len(seg), 1 / RATE)
        harm = np.zeros_like(f, dtype=bool)
        for k in range(1, int(RATE / 2 / 1661.2) + 1):
            harm |= np.abs(f - k * 1661.2) < 20
        print("oversample %-4s: energy off the harmonics %.1f dB"
              % (over, 10 * np.log10(spec[~harm].sum() / spec.sum())))
    buf.save(a.output)
    print("wrote", a.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
