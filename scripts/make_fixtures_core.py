#!/usr/bin/env python3
"""Regenerate the Chromium reference renders for the core nodes.

Each case is a Web Audio graph written in JavaScript; headless Chromium
renders it in an OfflineAudioContext and the samples are stored as float32
.npy files (channels x frames) in tests/fixtures/core/. The tests in
tests/python/test_chromium_core.py build the same graphs with labsound and
compare. Run it with the path of a renderer that takes a .js case and writes
a float32 WAV (the project's conformance tooling), e.g.

    python scripts/make_fixtures_core.py --renderer PATH/TO/webaudio_ref.py

or set LS_WEBAUDIO_REF. Chromium (Debian's `chromium`) must be installed.
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

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "core"

# name -> (channels, frames, rate, body). Keep renders short: fixtures are committed.
CASES = {
    "automation_events": (1, 14400, 48000, """
const c = new ConstantSourceNode(ctx, {offset: 0});
const p = c.offset;
p.setValueAtTime(0.5, 0.01);
p.linearRampToValueAtTime(1.0, 0.05);
p.exponentialRampToValueAtTime(0.1, 0.1);
p.setTargetAtTime(0.8, 0.12, 0.02);
p.setValueCurveAtTime(new Float32Array([0, 1, -1, 0.5]), 0.2, 0.05);
p.linearRampToValueAtTime(-0.25, 0.28);
c.connect(ctx.destination);
c.start(0);
"""),
    "automation_cancel_and_hold": (1, 14400, 48000, """
const c = new ConstantSourceNode(ctx, {offset: 0});
const p = c.offset;
p.setValueAtTime(0, 0);
p.linearRampToValueAtTime(1, 0.1);
p.cancelAndHoldAtTime(0.0437);
p.setTargetAtTime(0.2, 0.06, 0.01);
p.cancelAndHoldAtTime(0.0812);
p.setValueAtTime(0.3, 0.1);
p.exponentialRampToValueAtTime(0.9, 0.2);
p.cancelAndHoldAtTime(0.1533);
p.setValueCurveAtTime(new Float32Array([0.1, -0.4, 0.6]), 0.2, 0.06);
p.cancelAndHoldAtTime(0.2351);
p.cancelScheduledValues(0.28);
c.connect(ctx.destination);
c.start(0);
"""),
    "oscillator_sine_subsample": (1, 9600, 48000, """
const o = new OscillatorNode(ctx, {frequency: 440});
o.connect(ctx.destination);
o.start(0.0123456);
o.stop(0.1801234);
"""),
    "oscillator_square": (1, 4800, 48000, """
const o = new OscillatorNode(ctx, {type: 'square', frequency: 440});
o.connect(ctx.destination);
o.start(0);
"""),
    "oscillator_sawtooth": (1, 4800, 48000, """
const o = new OscillatorNode(ctx, {type: 'sawtooth', frequency: 440});
o.connect(ctx.destination);
o.start(0);
"""),
    "oscillator_triangle": (1, 4800, 48000, """
const o = new OscillatorNode(ctx, {type: 'triangle', frequency: 440});
o.connect(ctx.destination);
o.start(0);
"""),
    "oscillator_custom_wave": (1, 4800, 48000, """
const w = new PeriodicWave(ctx, {real: [0, 0.5, 0, 0.25], imag: [0, 1, 0.5, 0]});
const o = new OscillatorNode(ctx, {frequency: 300, periodicWave: w});
o.connect(ctx.destination);
o.start(0);
"""),
    "oscillator_fm_detune": (1, 9600, 44100, """
const lfo = new OscillatorNode(ctx, {frequency: 5});
const depth = new GainNode(ctx, {gain: 30});
const o = new OscillatorNode(ctx, {frequency: 330});
lfo.connect(depth).connect(o.frequency);
o.detune.setValueAtTime(0, 0);
o.detune.linearRampToValueAtTime(1200, 0.2);
o.connect(ctx.destination);
lfo.start(0);
o.start(0);
"""),
    "gain_envelope_krate": (2, 9600, 48000, """
const o = new OscillatorNode(ctx, {frequency: 1000});
const g = new GainNode(ctx, {gain: 0});
g.gain.automationRate = 'k-rate';
g.gain.setValueAtTime(0, 0);
g.gain.linearRampToValueAtTime(1, 0.05);
g.gain.exponentialRampToValueAtTime(0.05, 0.15);
const g2 = new GainNode(ctx, {gain: 0.5});
g2.gain.setValueAtTime(0.5, 0);
g2.gain.setTargetAtTime(0.01, 0.1, 0.03);
o.connect(g).connect(ctx.destination);
o.connect(g2).connect(ctx.destination);
o.start(0);
"""),
    # issue 15: the delay-feedback graph (tests/python/nodes/test_delay_feedback.py)
    "delay_feedback_panner": (2, 19000, 48000, """
const o = new OscillatorNode(ctx, {frequency: 220});
const f = new GainNode(ctx);
const dl = new DelayNode(ctx, {delayTime: 0.125});
const fb = new GainNode(ctx, {gain: 0.5});
const p = new StereoPannerNode(ctx, {pan: -0.3});
o.connect(f); f.connect(dl); dl.connect(fb); fb.connect(dl);
dl.connect(p); f.connect(p); p.connect(ctx.destination);
o.start(0);
"""),
}


def read_wav_f32(path: str) -> np.ndarray:
    data = Path(path).read_bytes()
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError(f"{path}: not a WAV file")
    pos, channels, fmt = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        body = data[pos + 8:pos + 8 + size]
        if cid == b"fmt ":
            fmt, channels = struct.unpack("<HH", body[:4])
        elif cid == b"data":
            if fmt not in (3, 0xFFFE) or channels is None:
                raise ValueError(f"{path}: expected float32 samples")
            x = np.frombuffer(body, dtype="<f4")
            return x.reshape(-1, channels).T.copy()
        pos += 8 + size + (size & 1)
    raise ValueError(f"{path}: no data chunk")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--renderer", default=os.environ.get("LS_WEBAUDIO_REF"),
                    help="the Chromium renderer script (or set LS_WEBAUDIO_REF)")
    ap.add_argument("cases", nargs="*", help="cases to regenerate (default: all)")
    args = ap.parse_args()
    if not args.renderer:
        ap.error("give --renderer or set LS_WEBAUDIO_REF")
    names = args.cases or list(CASES)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            channels, frames, rate, body = CASES[name]
            js = Path(tmp, name + ".js")
            js.write_text(body)
            wav = Path(tmp, name + ".wav")
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
