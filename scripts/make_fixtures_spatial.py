#!/usr/bin/env python3
"""Regenerate the Chromium reference renders of tests/fixtures/spatial/.

Each case below is the body of an async JavaScript function of `ctx` (an
OfflineAudioContext) that Chromium renders headless; the render is stored as
a float32 NumPy array (channels, frames) named after the case.
tests/python/test_spatial_conformance.py builds the same graphs in labsound.

Inputs are exactly reproducible in both engines: a ConstantSourceNode whose
offset steps through pseudo-random values (a 32-bit LCG, values with 24
significant bits) with setValueAtTime at half-frame times, and impulse
responses filled from the same LCG. A getter's value (the compressor's
`reduction`) is read at offline suspensions and played back into the
render on an extra channel through a ConstantSourceNode's offset.

    python3 scripts/make_fixtures_spatial.py --tool PATH/TO/webaudio_ref.py [CASE ...]

The tool's path may also be given in the WEBAUDIO_REF environment variable.
Needs Chromium (see the tool) and NumPy.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import sys

import numpy as np

RATE = 48000
COMPRESSOR_FRAMES = 32768
REDUCTION_EVERY = 256          # frames between two readings of `reduction`
HRTF_AZIMUTHS = (-90, -45, 0, 45, 90)


def hrtf_position(az: float) -> tuple[float, float]:
    """(x, z) of a source at azimuth az degrees, elevation 0, 1 m away."""
    x, z = np.sin(np.radians(az)), -np.cos(np.radians(az))
    return float(np.round(x, 12)) + 0.0, float(np.round(z, 12)) + 0.0


def hrtf_case(az: int) -> str:
    return "panner_hrtf_az%s%d" % ("m" if az < 0 else "", abs(az))


OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "spatial")

PRELUDE = r"""
function lcg(seed, n) {
  const v = new Float32Array(n); let s = seed >>> 0;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; v[i] = (s >>> 8) / 16777216 * 2 - 1; }
  return v;
}
function steps(ctx, seed, n, scale) {
  const src = new ConstantSourceNode(ctx, {offset: 0});
  const v = lcg(seed, n);
  for (let k = 0; k < n; k++) src.offset.setValueAtTime(v[k] * scale, (k + 0.5) / ctx.sampleRate);
  src.start(0);
  return src;
}
function ir(ctx, channels, length, seed, tau) {
  const b = ctx.createBuffer(channels, length, ctx.sampleRate);
  for (let c = 0; c < channels; c++) {
    const v = lcg(seed + c, length), d = b.getChannelData(c);
    for (let i = 0; i < length; i++) d[i] = v[i] * Math.exp(-i / tau);
  }
  return b;
}
function stereo(ctx, node) {  // a mono source up-mixed to two equal channels
  const g = new GainNode(ctx, {channelCount: 2, channelCountMode: 'explicit'});
  node.connect(g);
  return g;
}
function pair(ctx, left, right) {  // two mono sources as the channels of one stereo signal
  const m = new ChannelMergerNode(ctx, {numberOfInputs: 2});
  left.connect(m, 0, 0);
  right.connect(m, 0, 1);
  return m;
}
"""

# name: (channels, frames, body)
CASES = {
    "panner_equalpower_static": (2, 2048, """
const s = steps(ctx, 1, 2000, 1);
const p = new PannerNode(ctx, {positionX: 1, positionY: 0.5, positionZ: -2});
s.connect(p).connect(ctx.destination);
"""),
    "panner_equalpower_moving": (2, 4096, """
const s = steps(ctx, 2, 4000, 1);
const l = ctx.listener;
l.positionX.value = 0.5; l.forwardX.value = 0.3; l.upZ.value = 0.1;
const p = new PannerNode(ctx, {positionZ: -5});
p.positionX.setValueAtTime(-10, 0);
p.positionX.linearRampToValueAtTime(10, 4096 / ctx.sampleRate);
p.positionY.setValueAtTime(0.25, 0);
s.connect(p).connect(ctx.destination);
"""),
    "panner_equalpower_crossing": (2, 4096, """
const s = steps(ctx, 2, 4000, 1);
const l = ctx.listener;
l.positionX.value = 0.5; l.forwardX.value = 0.3; l.upZ.value = 0.1;
const p = new PannerNode(ctx, {positionZ: -1});
p.positionX.setValueAtTime(-10, 0);
p.positionX.linearRampToValueAtTime(10, 4096 / ctx.sampleRate);
p.positionY.setValueAtTime(0.25, 0);
s.connect(p).connect(ctx.destination);
"""),
    "panner_equalpower_stereo": (2, 4096, """
const s = steps(ctx, 3, 4000, 1);
const p = new PannerNode(ctx, {positionX: -3, positionZ: -1});
p.positionX.setValueAtTime(2, 2048 / ctx.sampleRate);
p.positionZ.setValueAtTime(1.5, 3072 / ctx.sampleRate);
stereo(ctx, s).connect(p).connect(ctx.destination);
"""),
    "panner_distance_linear": (2, 4096, """
const s = steps(ctx, 4, 4000, 1);
const p = new PannerNode(ctx, {distanceModel: 'linear', refDistance: 2, maxDistance: 30, rolloffFactor: 0.7});
p.positionZ.setValueAtTime(0.5, 0);
p.positionZ.linearRampToValueAtTime(-40, 4096 / ctx.sampleRate);
p.positionX.value = 0.3;
s.connect(p).connect(ctx.destination);
"""),
    "panner_distance_exponential": (2, 4096, """
const s = steps(ctx, 5, 4000, 1);
const p = new PannerNode(ctx, {distanceModel: 'exponential', refDistance: 1.5, rolloffFactor: 1.3});
p.positionX.setValueAtTime(0.5, 0);
p.positionX.exponentialRampToValueAtTime(60, 4096 / ctx.sampleRate);
p.positionY.value = -0.4;
s.connect(p).connect(ctx.destination);
"""),
    "panner_distance_inverse": (2, 2048, """
const s = steps(ctx, 6, 2000, 1);
const p = new PannerNode(ctx, {distanceModel: 'inverse', refDistance: 0.5, rolloffFactor: 2.5,
                               positionX: -4, positionY: 1, positionZ: 3});
s.connect(p).connect(ctx.destination);
"""),
    "panner_cone": (2, 4096, """
const s = steps(ctx, 7, 4000, 1);
const p = new PannerNode(ctx, {coneInnerAngle: 60, coneOuterAngle: 200, coneOuterGain: 0.2,
                               positionX: 2, positionZ: -2, orientationX: -1, orientationZ: 0});
p.orientationZ.setValueAtTime(0, 0);
p.orientationZ.linearRampToValueAtTime(-4, 4096 / ctx.sampleRate);
s.connect(p).connect(ctx.destination);
"""),
    "panner_hrtf": (2, 8192, """
const s = steps(ctx, 8, 8000, 1);
const p = new PannerNode(ctx, {panningModel: 'HRTF', positionX: 1, positionZ: -1});
p.positionX.setValueAtTime(-1, 4096 / ctx.sampleRate);
s.connect(p).connect(ctx.destination);
"""),
    "convolver_mono": (1, 8192, """
const s = steps(ctx, 9, 3000, 1);
const c = new ConvolverNode(ctx, {buffer: ir(ctx, 1, 3000, 100, 800)});
s.connect(c).connect(ctx.destination);
"""),
    "convolver_stereo_ir": (2, 8192, """
const s = steps(ctx, 10, 3000, 1);
const c = new ConvolverNode(ctx, {buffer: ir(ctx, 2, 2500, 200, 600)});
s.connect(c).connect(ctx.destination);
"""),
    "convolver_true_stereo": (2, 8192, """
const s = steps(ctx, 11, 3000, 1);
const c = new ConvolverNode(ctx, {buffer: ir(ctx, 4, 2000, 300, 500)});
stereo(ctx, s).connect(c).connect(ctx.destination);
"""),
    "convolver_no_normalize": (2, 8192, """
const s = steps(ctx, 12, 3000, 0.5);
const c = new ConvolverNode(ctx, {disableNormalization: true, buffer: ir(ctx, 2, 5000, 400, 1500)});
stereo(ctx, s).connect(c).connect(ctx.destination);
"""),
    # mono input, 4-channel response: left = in * ir0 + in * ir2, right = in * ir1 + in * ir3
    "convolver_mono_true_stereo": (2, 8192, """
const s = steps(ctx, 14, 3000, 1);
const c = new ConvolverNode(ctx, {buffer: ir(ctx, 4, 2000, 500, 500)});
s.connect(c).connect(ctx.destination);
"""),
    # stereo input (two different channels), mono response used for both sides
    "convolver_stereo_mono_ir": (2, 8192, """
const c = new ConvolverNode(ctx, {buffer: ir(ctx, 1, 2500, 600, 700)});
pair(ctx, steps(ctx, 15, 3000, 1), steps(ctx, 16, 3000, 0.5)).connect(c).connect(ctx.destination);
"""),
    # true stereo with two different input channels (convolver_true_stereo's
    # are equal, so it cannot tell ir2 from ir3)
    "convolver_true_stereo_pair": (2, 8192, """
const c = new ConvolverNode(ctx, {buffer: ir(ctx, 4, 2000, 700, 500)});
pair(ctx, steps(ctx, 17, 3000, 1), steps(ctx, 18, 3000, 0.7)).connect(c).connect(ctx.destination);
"""),
    "compressor": (2, 16384, """
const s = steps(ctx, 13, 16000, 1);
const g = new GainNode(ctx);
g.gain.setValueAtTime(1, 0);
g.gain.setValueAtTime(0.05, 8192 / ctx.sampleRate);
s.connect(g);
const c = new DynamicsCompressorNode(ctx, {threshold: -20, knee: 10, ratio: 8, attack: 0.005, release: 0.05});
stereo(ctx, g).connect(c).connect(ctx.destination);
"""),
    # `reduction` read at a suspension every 256 frames and played back on
    # channel 2 (a ConstantSourceNode whose offset is set to it at the
    # suspension time); channels 0 and 1 are the compressor's output. The
    # input (white, 0 dB peak) is 40 dB down for 6144 frames, loud up to
    # frame 16384, then 40 dB down again: the attack and the release both
    # show, and the gain is observable throughout. The steps are at
    # half-frame times, as in steps(): an event at k / 48000 can land on
    # frame k + 1 in Chromium (14336 / 48000 * 48000 = 14336.000000000002).
    "compressor_reduction": (3, COMPRESSOR_FRAMES, """
const s = steps(ctx, 19, %d, 1);
const g = new GainNode(ctx, {gain: 0.01});
g.gain.setValueAtTime(1, 6144.5 / ctx.sampleRate);
g.gain.setValueAtTime(0.01, 16384.5 / ctx.sampleRate);
s.connect(g);
const c = new DynamicsCompressorNode(ctx, {threshold: -30, knee: 6, ratio: 12, attack: 0.02, release: 0.1});
const split = new ChannelSplitterNode(ctx, {numberOfOutputs: 2});
const out = new ChannelMergerNode(ctx, {numberOfInputs: 3});
stereo(ctx, g).connect(c).connect(split);
split.connect(out, 0, 0);
split.connect(out, 1, 1);
const rec = new ConstantSourceNode(ctx, {offset: 0});
rec.connect(out, 0, 2);
rec.start(0);
out.connect(ctx.destination);
for (let f = %d; f < ctx.length; f += %d) {
  ctx.suspend((f + 0.5) / ctx.sampleRate).then(() => {
    rec.offset.setValueAtTime(c.reduction, ctx.currentTime);
    ctx.resume();
  });
}
""" % (COMPRESSOR_FRAMES - 1, REDUCTION_EVERY, REDUCTION_EVERY)),
}

# Sources on the horizontal plane around the listener (who faces -z, +x on
# the right), 1 m away; each is rendered on its own so that no kernel
# cross-fade is in the render.
for az in HRTF_AZIMUTHS:
    x, z = hrtf_position(az)
    CASES[hrtf_case(az)] = (2, 8192, """
const s = steps(ctx, 20, 8191, 1);
const p = new PannerNode(ctx, {panningModel: 'HRTF', positionX: %r, positionY: 0, positionZ: %r});
s.connect(p).connect(ctx.destination);
""" % (x, z))


def load_tool(path: str):
    spec = importlib.util.spec_from_file_location("webaudio_ref", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tool", default=os.environ.get("WEBAUDIO_REF"),
                    help="path of webaudio_ref.py (default: $WEBAUDIO_REF)")
    ap.add_argument("--out", default=OUT, help="output directory")
    ap.add_argument("cases", nargs="*", help="cases to render (default: all)")
    a = ap.parse_args()
    if not a.tool:
        ap.error("give --tool or set WEBAUDIO_REF")
    tool = load_tool(a.tool)
    names = a.cases or list(CASES)
    cases = [dict(name=n, body=PRELUDE + CASES[n][2], channels=CASES[n][0], frames=CASES[n][1],
                  rate=RATE) for n in names]
    os.makedirs(a.out, exist_ok=True)
    for r in tool.render_many(cases):
        if "error" in r:
            print("%s: chromium: %s" % (r["name"], r["error"]), file=sys.stderr)
            return 1
        data = np.asarray(r["data"], dtype=np.float32)
        np.save(os.path.join(a.out, r["name"] + ".npy"), data)
        print("%s: %s" % (r["name"], data.shape))
    return 0


if __name__ == "__main__":
    sys.exit(main())
