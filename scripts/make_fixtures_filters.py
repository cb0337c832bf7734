#!/usr/bin/env python3
"""Regenerate the Chromium reference renders of the filter, delay, routing and
shaping nodes (tests/fixtures/filters/).

Every case is a small graph fed by deterministic white noise: a
ConstantSourceNode whose offset follows a value curve with one point per
frame (the curve's points land exactly on the frames), so labsound and
Chromium start from the same input. The cases are described as data in
CASES; this script turns each into a JavaScript graph body, renders it in
headless Chromium with the webaudio_ref.py tool, and writes

    tests/fixtures/filters/cases.json   the case descriptions
    tests/fixtures/filters/refs.npz     one float32 array per case, (channels, frames)

tests/python/test_filters_conformance.py rebuilds the same graphs in labsound
from cases.json and compares. Usage:

    python scripts/make_fixtures_filters.py --tool PATH/TO/webaudio_ref.py
    WEBAUDIO_REF=PATH/TO/webaudio_ref.py python scripts/make_fixtures_filters.py
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "..", "tests", "fixtures", "filters")

BIQUAD_TYPES = ["lowpass", "highpass", "bandpass", "lowshelf", "highshelf", "peaking", "notch",
                "allpass"]


def make_cases():
    cases = {}

    def add(name, **kw):
        kw.setdefault("rate", 48000)
        kw.setdefault("frames", 1024)
        kw.setdefault("channels", 1)
        cases[name] = kw

    add("source", kind="source")
    for i, t in enumerate(BIQUAD_TYPES):
        add("biquad_%s_static" % t, kind="biquad", type=t, frequency=700.0 + 300 * i, Q=2.5,
            gain=6.0, detune=0.0, auto=False)
        add("biquad_%s_automated" % t, kind="biquad", type=t, frequency=200.0, Q=0.5, gain=-9.0,
            detune=100.0, auto=True)
    # a 4th-order Butterworth low-pass (scipy.signal.butter(4, 0.2)) and a resonator
    add("iir_butter4", kind="iir",
        ff=[0.004824343357716228, 0.019297373430864913, 0.02894606014629737,
            0.019297373430864913, 0.004824343357716228],
        fb=[1.0, -2.369513007182038, 2.313988414415881, -1.054665405878568, 0.18737949236818502])
    add("iir_resonator", kind="iir", ff=[0.5, 0.0, -0.5], fb=[2.0, -3.2, 1.8])
    # delays at 32 kHz, where 2^-n seconds are whole frames
    add("delay_integer", kind="delay", rate=32000, max=1.0, delay=2.0 ** -5, auto=None)
    add("delay_short", kind="delay", rate=32000, max=1.0, delay=2.0 ** -8, auto=None)
    add("delay_fractional", kind="delay", rate=32000, max=1.0, delay=0.0123, auto=None)
    add("delay_automated", kind="delay", rate=32000, max=0.1, delay=0.001, auto=[0.001, 0.02])
    # delay times that change every quantum, to values both engines hold exactly
    add("delay_stepped", kind="delay", rate=32000, max=0.1, delay=0.0123, auto=None,
        steps=[0.0123, 0.00517, 0.0201, 0.0007, 0.0333, 0.011, 0.00049, 0.0159])
    add("delay_feedback", kind="delay_feedback", rate=32000, frames=4096, delay=2.0 ** -5,
        feedback=0.6, burst=256)
    add("delay_feedback_short", kind="delay_feedback", rate=32000, frames=4096,
        delay=2.0 ** -8, feedback=0.5, burst=256)
    add("split_merge", kind="split_merge", channels=2)
    add("merger_downmix", kind="merger_downmix", channels=3)
    for stereo in (False, True):
        tag = "stereo" if stereo else "mono"
        add("panner_%s_left" % tag, kind="panner", channels=2, stereo=stereo, pan=-0.3, auto=False)
        add("panner_%s_right" % tag, kind="panner", channels=2, stereo=stereo, pan=0.6, auto=False)
        add("panner_%s_automated" % tag, kind="panner", channels=2, stereo=stereo, pan=-1.0,
            auto=True)
    for over in ("none", "2x", "4x"):
        add("shaper_%s" % over, kind="shaper", oversample=over, drive=1.5, curve_len=257)
    return cases


# ---- JavaScript -----------------------------------------------------------

JS_PRELUDE = r"""
const N = %(frames)d;
function noise(seed) {
  const a = new Float32Array(N); let s = seed >>> 0;
  for (let i = 0; i < N; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; a[i] = (s >>> 8) / 8388608 - 1; }
  return a;
}
function src(seed) {
  const c = ctx.createConstantSource(); c.offset.value = 0;
  c.offset.setValueCurveAtTime(noise(seed), 0, (N - 1) / ctx.sampleRate); c.start(0); return c;
}
function stereo() {
  const m = ctx.createChannelMerger(2); src(1).connect(m, 0, 0); src(2).connect(m, 0, 1); return m;
}
const T = N / ctx.sampleRate;
"""


def shaper_curve(n):
    """The curve of the shaper cases, computed the same way in the tests."""
    x = np.linspace(-1.0, 1.0, n)
    return np.tanh(3.0 * x).astype(np.float32)


def js_body(c):
    js = JS_PRELUDE % c
    k = c["kind"]
    if k == "source":
        js += "src(1).connect(ctx.destination);\n"
    elif k == "biquad":
        js += ("const f = new BiquadFilterNode(ctx, {type: '%s', frequency: %r, Q: %r, gain: %r, "
               "detune: %r});\n" % (c["type"], c["frequency"], c["Q"], c["gain"], c["detune"]))
        if c["auto"]:
            js += ("f.frequency.setValueAtTime(%r, 0); f.frequency.exponentialRampToValueAtTime(8000, T);\n"
                   "f.Q.setValueAtTime(%r, 0); f.Q.linearRampToValueAtTime(12, T);\n"
                   "f.gain.setValueAtTime(%r, 0); f.gain.linearRampToValueAtTime(12, T);\n"
                   "f.detune.setValueAtTime(%r, 0); f.detune.linearRampToValueAtTime(-300, T);\n"
                   % (c["frequency"], c["Q"], c["gain"], c["detune"]))
        js += "src(1).connect(f).connect(ctx.destination);\n"
    elif k == "iir":
        js += "const f = ctx.createIIRFilter(%s, %s);\n" % (json.dumps(c["ff"]), json.dumps(c["fb"]))
        js += "src(1).connect(f).connect(ctx.destination);\n"
    elif k == "delay":
        js += "const d = ctx.createDelay(%r); d.delayTime.value = %r;\n" % (c["max"], c["delay"])
        if c["auto"]:
            js += ("d.delayTime.setValueAtTime(%r, 0); d.delayTime.linearRampToValueAtTime(%r, T);\n"
                   % tuple(c["auto"]))
        for q, v in enumerate(c.get("steps") or []):
            js += "d.delayTime.setValueAtTime(%r, %d / ctx.sampleRate);\n" % (v, 128 * q)
        js += "src(1).connect(d).connect(ctx.destination);\n"
    elif k == "delay_feedback":
        js += ("const burst = ctx.createGain(); burst.gain.setValueAtTime(1, 0);\n"
               "burst.gain.setValueAtTime(0, %d / ctx.sampleRate);\n"
               "const d = ctx.createDelay(1); d.delayTime.value = %r;\n"
               "const fb = ctx.createGain(); fb.gain.value = %r;\n"
               "src(1).connect(burst).connect(d); d.connect(fb).connect(d);\n"
               "d.connect(ctx.destination); burst.connect(ctx.destination);\n"
               % (c["burst"], c["delay"], c["feedback"]))
    elif k == "split_merge":
        js += ("const s = ctx.createChannelSplitter(2); const m = ctx.createChannelMerger(2);\n"
               "stereo().connect(s); s.connect(m, 0, 1); s.connect(m, 1, 0); m.connect(ctx.destination);\n")
    elif k == "merger_downmix":
        js += ("const m = ctx.createChannelMerger(3);\n"
               "stereo().connect(m, 0, 0); src(3).connect(m, 0, 2); m.connect(ctx.destination);\n")
    elif k == "panner":
        js += "const p = new StereoPannerNode(ctx, {pan: %r});\n" % c["pan"]
        if c["auto"]:
            js += "p.pan.setValueAtTime(-1, 0); p.pan.linearRampToValueAtTime(1, T);\n"
        js += "%s.connect(p).connect(ctx.destination);\n" % ("stereo()" if c["stereo"] else "src(1)")
    elif k == "shaper":
        curve = shaper_curve(c["curve_len"])
        js += ("const g = new GainNode(ctx, {gain: %r});\n"
               "const w = new WaveShaperNode(ctx, {curve: new Float32Array(%s), oversample: '%s'});\n"
               "src(1).connect(g).connect(w).connect(ctx.destination);\n"
               % (c["drive"], json.dumps([float(v) for v in curve]), c["oversample"]))
    else:
        raise ValueError(k)
    return js


def load_tool(path):
    spec = importlib.util.spec_from_file_location("webaudio_ref", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tool", default=os.environ.get("WEBAUDIO_REF"),
                    help="path of webaudio_ref.py (or set WEBAUDIO_REF)")
    ap.add_argument("--out", default=OUT_DIR)
    ap.add_argument("--print-js", metavar="CASE", help="print one case's JavaScript and exit")
    a = ap.parse_args()
    cases = make_cases()
    if a.print_js:
        print(js_body(cases[a.print_js]))
        return
    if not a.tool:
        sys.exit("give --tool PATH or set WEBAUDIO_REF to the webaudio_ref.py renderer")
    tool = load_tool(a.tool)
    jobs = [dict(name=name, body=js_body(c), channels=c["channels"], frames=c["frames"],
                 rate=c["rate"]) for name, c in cases.items()]
    results = tool.render_many(jobs)
    refs = {}
    for r in results:
        if "error" in r:
            sys.exit("chromium failed on %s: %s" % (r["name"], r["error"]))
        refs[r["name"]] = np.array(r["data"], dtype=np.float32)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "cases.json"), "w") as f:
        json.dump(cases, f, indent=1, sort_keys=True)
        f.write("\n")
    np.savez_compressed(os.path.join(a.out, "refs.npz"), **refs)
    print("wrote %d cases to %s" % (len(refs), os.path.relpath(a.out)))


if __name__ == "__main__":
    main()
