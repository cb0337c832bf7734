"""Render every sfxr preset offline; write each as a WAV into the directory given
as the first argument, or print its peak and length.

    python examples/sfxr_presets.py [out_dir]
"""
import os
import sys

import numpy as np

import labsound as ls

PRESETS = ["coin", "laser", "explosion", "power_up", "hit", "jump", "select", "mutate", "randomize"]
SR = 44100


def render(preset, seed=1):
    ctx = ls.OfflineAudioContext(1, 1, SR)
    probe = ctx.create_sfxr(seed=seed)
    getattr(probe, preset)(seed=seed)
    frames = int(probe.duration * SR) + 128
    ctx = ls.OfflineAudioContext(1, frames, SR)
    node = ctx.create_sfxr(seed=seed)
    getattr(node, preset)(seed=seed)
    node >> ctx.destination
    node.start(0)
    return ctx.start_rendering()


def main(argv):
    out = argv[1] if len(argv) > 1 else None
    if out:
        os.makedirs(out, exist_ok=True)
    for name in PRESETS:
        buf = render(name)
        y = np.asarray(buf)[0]
        nz = np.flatnonzero(y)
        length = (nz[-1] + 1) / SR if nz.size else 0.0
        if out:
            path = os.path.join(out, f"sfxr_{name}.wav")
            buf.save(path)
            print(f"{path}: {length:.3f} s")
        else:
            print(f"{name:10s} peak {np.max(np.abs(y)):.3f}  length {length:.3f} s")


if __name__ == "__main__":
    main(sys.argv)
