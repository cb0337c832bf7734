#!/usr/bin/env python3
"""Regenerate the Chromium references of the Python processing tests.

A Python processor computing ``out = in * gain`` with a declared ``gain``
parameter must render exactly what a GainNode renders with the same
automation and modulation: the parameter values reaching ``process`` are the
AudioParam's computed values. Each case below is that GainNode graph in
JavaScript; headless Chromium renders it in an OfflineAudioContext and the
samples are stored as float32 .npy (channels x frames) in
tests/fixtures/processing/, compared by tests/python/test_processing_chromium.py.

    python scripts/make_fixtures_processing.py --renderer PATH/TO/webaudio_ref.py

(or set LS_WEBAUDIO_REF). The renderer takes a .js case and writes a float32
WAV; it needs Debian's `chromium`.
"""
from __future__ import annotations

import argparse
import os
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "processing"

# name -> (channels, frames, rate, body). Short renders: fixtures are committed.
CASES = {
    "gain_arate_automation": (1, 9600, 48000, """
const src = new ConstantSourceNode(ctx, {offset: 0.5});
const g = new GainNode(ctx, {gain: 1});
const p = g.gain;
p.setValueAtTime(1, 0.01);
p.linearRampToValueAtTime(3, 0.03);
p.exponentialRampToValueAtTime(0.5, 0.07);
p.setTargetAtTime(2, 0.09, 0.01);
p.setValueCurveAtTime(new Float32Array([2, 0, 4, 1]), 0.13, 0.04);
p.linearRampToValueAtTime(0.25, 0.19);
src.connect(g).connect(ctx.destination);
src.start(0);
"""),
    "gain_krate_modulated": (1, 9600, 48000, """
const src = new ConstantSourceNode(ctx, {offset: 1});
const g = new GainNode(ctx, {gain: 0.5});
g.gain.automationRate = 'k-rate';
g.gain.setValueAtTime(0.5, 0);
g.gain.linearRampToValueAtTime(1.5, 0.15);
const lfo = new OscillatorNode(ctx, {frequency: 30});
const depth = new GainNode(ctx, {gain: 0.25});
lfo.connect(depth).connect(g.gain);
src.connect(g).connect(ctx.destination);
src.start(0);
lfo.start(0);
"""),
}


def read_wav_f32(path: str) -> np.ndarray:
    """A float32 WAV file as (channels, frames)."""
    data = Path(path).read_bytes()
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError(f"{path}: not a WAV file")
    pos, channels, fmt = 12, None, None
    while pos + 8 <= len(data):
        cid = data[pos:pos + 4]
        size = struct.unpack("<I", data[pos + 4:pos + 8])[0]
        body = data[pos + 8:pos + 8 + size]
        if cid == b"fmt ":
            fmt, channels = struct.unpack("<HH", body[:4])
        elif cid == b"data":
            if fmt not in (3, 0xFFFE) or channels is None:
                raise ValueError(f"{path}: expected float32 samples")
            return np.frombuffer(body, dtype="<f4").reshape(-1, channels).T.copy()
        pos += 8 + size + (size & 1)
    raise ValueError(f"{path}: no data chunk")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--renderer", default=os.environ.get("LS_WEBAUDIO_REF"),
                    help="the Chromium renderer script (or set LS_WEBAUDIO_REF)")
    ap.add_argument("cases", nargs="*", help="cases to regenerate (default: all)")
    args = ap.parse_args()
    if not args.renderer:
        ap.error("give --renderer or set LS_WEBAUDIO_REF")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.cases or list(CASES):
            channels, frames, rate, body = CASES[name]
            js, wav = Path(tmp, name + ".js"), Path(tmp, name + ".wav")
            js.write_text(body)
            subprocess.run([sys.executable, args.renderer, str(js), "--channels", str(channels),
                            "--frames", str(frames), "--rate", str(rate), "--out", str(wav)],
                           check=True)
            x = read_wav_f32(str(wav)).astype(np.float32)
            assert x.shape == (channels, frames), (name, x.shape)
            np.save(OUT / f"{name}.npy", x)
            print(f"{name}: {channels} x {frames} at {rate} Hz")
    return 0


if __name__ == "__main__":
    sys.exit(main())
