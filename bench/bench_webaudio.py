"""The 24 webaudio-benchmark cases, labsound against headless Chromium in one run.

    python bench/bench_webaudio.py --chromium-bench PATH/TO/chromium_bench.py
    (or set LABSOUND_CHROMIUM_BENCH to that path; without it, labsound alone)

The cases are those of github.com/padenot/webaudio-benchmark as the Chromium
runner (chromium_bench.py, which renders them in Chromium's
OfflineAudioContext and needs Debian's `chromium`) defines them, ported here
call for call to labsound's Python API. Both engines render the same sample
files (made once with the runner's --make-samples into a temporary directory,
or given with --samples). Rounds are interleaved: labsound renders every case,
then Chromium does, --repeat times; each engine's best render per case is kept
(Chromium's own figures move by 2x or more between runs, so only ratios from
one run are compared). Prints each case's speed-up over real time for both and
labsound / Chromium, and the geometric mean of the ratios; --json writes the
rows. --interpolation sets labsound's mode (default: the context default).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time

import numpy as np

import labsound as ls

SR = 48000
SAMPLES = {(38000, 1): "think-mono-38000.wav", (44100, 1): "think-mono-44100.wav",
           (48000, 1): "think-mono-48000.wav", (38000, 2): "think-stereo-38000.wav",
           (44100, 2): "think-stereo-44100.wav", (48000, 2): "think-stereo-48000.wav"}


class Cases:
    """The case list, each a function of DURATION returning an OfflineAudioContext."""

    def __init__(self, samples: str, duration: float, interpolation: str | None) -> None:
        self.duration = duration
        self.interp = {"interpolation": interpolation} if interpolation else {}
        self.buffers = {k: ls.load(os.path.join(samples, v)) for k, v in SAMPLES.items()}

    def get(self, rate, channels):
        return self.buffers[(rate, channels)]

    def ctx(self, channels, frames, rate=SR):
        return ls.OfflineAudioContext(channels, int(frames), rate, **self.interp)

    @staticmethod
    def looped(c, buf, dest):
        s = c.create_buffer_source(buffer=buf, loop=True)
        s.connect(dest)
        s.start()
        return s

    @staticmethod
    def positional(c):
        p = c.create_panner()
        p.connect(c.destination)
        p.position_x.value, p.position_y.value, p.position_z.value = 1, 2, 3
        p.orientation_x.value, p.orientation_y.value, p.orientation_z.value = 1, 2, 3
        return p

    def all(self):
        D, get, looped, positional = self.duration, self.get, self.looped, self.positional

        def simple(channels, rate, bch, pos=False):
            def build():
                c = self.ctx(channels, D * SR)
                looped(c, get(rate, bch), positional(c) if pos else c.destination)
                return c
            return build

        def mixing_same():
            c = self.ctx(2, D / 4 * SR)
            for _ in range(100):
                looped(c, get(38000, 1), c.destination)
            return c

        def mixing_different():
            c = self.ctx(2, D / 4 * SR)
            ref = np.asarray(get(38000, 1))[0]
            for _ in range(100):
                b = c.create_buffer(1, len(ref), 38000)
                b.copy_to_channel(ref, 0)
                looped(c, b, c.destination)
            return c

        def mixing_gains():
            c = self.ctx(2, D * SR)
            g = c.create_gain()
            g.gain.value = -1
            g.connect(c.destination)
            gi = []
            for _ in range(4):
                x = c.create_gain()
                x.gain.value = 0.25
                x.connect(g)
                gi.append(x)
            for _ in range(2):
                s = c.create_buffer_source(buffer=get(38000, 1), loop=True)
                s.start()
                for x in gi:
                    gij = c.create_gain()
                    gij.gain.value = 0.5
                    gij.connect(x)
                    s.connect(gij)
            return c

        def reverb():
            c = self.ctx(1, D / 8 * SR)
            ir_len, decay = 4 * SR, 10
            rng = random.Random(1)
            ir = c.create_buffer(2, ir_len, SR)
            env = (1 - np.arange(ir_len) / ir_len) ** decay
            for ch in range(2):
                noise = np.array([rng.random() for _ in range(ir_len)]) * 2 - 1
                ir.copy_to_channel((noise * env).astype(np.float32), ch)
            conv = c.create_convolver()
            conv.buffer = ir
            conv.connect(c.destination)
            looped(c, get(SR, 1), conv)
            return c

        def granular():
            dur = D / 16
            c = self.ctx(1, dur * SR)
            buf = get(SR, 1)
            rng = random.Random(2)
            offset = 0.0
            while offset < dur:
                env = c.create_gain()
                env.connect(c.destination)
                src = c.create_buffer_source(buffer=buf)
                src.connect(env)
                start = offset * rng.random() * 0.5
                end = start + 0.005 * (0.999 * rng.random())
                release = max(offset + end - start, 0)
                env.gain.set_value_at_time(0, offset)
                env.gain.linear_ramp_to_value_at_time(0.5, offset + 0.005)
                env.gain.set_value_at_time(0.5, release)
                env.gain.linear_ramp_to_value_at_time(0, release + 0.05)
                src.start(offset, start, end)
                offset += 0.005
            return c

        def synth(kind):
            def build():
                c = self.ctx(1, D * 44100, 44100)
                offset = 0.0
                while offset < D:
                    o = c.create_oscillator(type="sawtooth", frequency=110)
                    if kind == "none":
                        o.connect(c.destination)
                    else:
                        env = c.create_gain()
                        env.connect(c.destination)
                        o.connect(env)
                        if kind == "envelope":
                            env.gain.set_value_at_time(0, 0)
                            env.gain.set_value_at_time(0.5, offset)
                            env.gain.set_target_at_time(0, offset + 0.01, 0.1)
                    o.start(offset)
                    o.stop(offset + 1)
                    offset += 140 / 60 / 4
                return c
            return build

        def subtractive():
            c = self.ctx(1, D * 44100, 44100)
            f = c.create_biquad_filter()
            f.connect(c.destination)
            f.frequency.set_value_at_time(0, 0)
            f.Q.set_value_at_time(20, 0)
            env = c.create_gain()
            env.connect(f)
            env.gain.set_value_at_time(0, 0)
            o = c.create_oscillator(type="sawtooth", frequency=110)
            o.connect(env)
            o.start()
            offset = 0.0
            while offset < D:
                env.gain.set_value_at_time(1, offset)
                env.gain.set_target_at_time(0, offset, 0.1)
                f.frequency.set_value_at_time(0, offset)
                f.frequency.set_target_at_time(3500, offset, 0.03)
                offset += 140 / 60 / 16
            return c

        def panning(auto):
            def build():
                c = self.ctx(2, D * SR)
                p = c.create_stereo_panner()
                p.connect(c.destination)
                if auto:
                    p.pan.set_value_at_time(-1, 0)
                    p.pan.set_value_at_time(0.2, 0.5)
                else:
                    p.pan.value = 0.1
                looped(c, get(SR, 2), p)
                return c
            return build

        def saw_automation():
            c = self.ctx(2, D * SR)
            o = c.create_oscillator(type="sawtooth", frequency=2000)
            o.connect(c.destination)
            o.frequency.linear_ramp_to_value_at_time(20, 10)
            o.start(0)
            return c

        def delay():
            c = self.ctx(2, D * SR)
            d = c.create_delay(1)
            d.delay_time.value = 1
            d.connect(c.destination)
            looped(c, get(SR, 2), d)
            return c

        def iir():
            c = self.ctx(2, D * SR)
            f = c.create_iir_filter([0.0002029799640409502, 0.0004059599280819004, 0.0002029799640409502],
                                    [1.0126964557853775, -1.9991880801438362, 0.9873035442146225])
            f.connect(c.destination)
            looped(c, get(SR, 2), f)
            return c

        def biquad():
            c = self.ctx(2, D * SR)
            b = c.create_biquad_filter()
            b.connect(c.destination)
            b.frequency.value = 200
            looped(c, get(SR, 2), b)
            return c

        return [
            ("Baseline (silence)", lambda: self.ctx(1, D * SR)),
            ("Simple source test without resampling (Mono)", simple(1, SR, 1)),
            ("Simple source test without resampling (Stereo)", simple(2, SR, 2)),
            ("Simple source test without resampling (Stereo and positional)", simple(2, SR, 2, True)),
            ("Simple source test with resampling (Mono)", simple(1, 38000, 1)),
            ("Simple source test with resampling (Stereo)", simple(2, 38000, 2)),
            ("Simple source test with resampling (Stereo and positional)", simple(2, 38000, 2, True)),
            ("Upmix without resampling (Mono -> Stereo)", simple(2, SR, 1)),
            ("Downmix without resampling (Stereo -> Mono)", simple(1, SR, 2)),
            ("Simple mixing (100x same buffer)", mixing_same),
            ("Simple mixing (100 different buffers)", mixing_different),
            ("Simple mixing with gains", mixing_gains),
            ("Convolution reverb", reverb),
            ("Granular synthesis", granular),
            ("Synth (Sawtooth with Envelope)", synth("envelope")),
            ("Synth (Sawtooth with gain - no automation)", synth("gain")),
            ("Synth (Sawtooth without gain)", synth("none")),
            ("Substractive Synth", subtractive),
            ("Stereo panning", panning(False)),
            ("Stereo panning with automation", panning(True)),
            ("Sawtooth with automation", saw_automation),
            ("Stereo source with delay", delay),
            ("IIR filter", iir),
            ("Biquad filter", biquad),
        ]


def run_labsound(cases, want):
    """{case number: (render seconds, audio seconds, RMS of the render)} for one round."""
    out = {}
    for idx, (name, build) in enumerate(cases, 1):
        if want and idx not in want:
            continue
        ctx = build()
        t0 = time.perf_counter()
        buf = ctx.start_rendering()
        t = time.perf_counter() - t0
        out[idx] = (t, buf.duration, float(np.sqrt(np.mean(np.square(np.asarray(buf))))))
        # the render is measured: let it go before the next case is built, as
        # a program rendering one thing after another would (its memory is
        # then the next render's, not fresh pages faulted in while timed)
        del buf, ctx
    return out


def run_chromium(tool, samples, duration, want, timeout):
    cmd = [sys.executable, tool, samples, "--duration", str(duration), "--repeat", "1", "--json"]
    if want:
        cmd += ["--cases", ",".join(str(i) for i in sorted(want))]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"the Chromium runner failed: {r.stderr.strip()[-500:]}")
    return {row["idx"]: (row["ms"] / 1000.0, row["dur"]) for row in json.loads(r.stdout)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chromium-bench", default=os.environ.get("LABSOUND_CHROMIUM_BENCH"),
                    help="path of chromium_bench.py (default: $LABSOUND_CHROMIUM_BENCH; "
                         "none: labsound alone)")
    ap.add_argument("--samples", help="directory of the think-*.wav samples (default: made "
                                      "with the runner's --make-samples in a temporary directory)")
    ap.add_argument("--duration", type=float, default=120.0,
                    help="the benchmark's DURATION in seconds (default 120, as webaudio-benchmark)")
    ap.add_argument("--repeat", type=int, default=2, help="interleaved rounds (default 2)")
    ap.add_argument("--cases", default="", help="comma-separated case numbers, 1-24 (default all)")
    ap.add_argument("--interpolation", choices=["linear", "cubic", "sinc"], default=None,
                    help="labsound's interpolation mode (default: the context default)")
    ap.add_argument("--timeout", type=float, default=1800.0,
                    help="seconds allowed to one Chromium round (default 1800)")
    ap.add_argument("--json", metavar="OUT", help="also write the rows as JSON")
    a = ap.parse_args(argv)
    want = {int(c) for c in a.cases.split(",") if c.strip()}
    tool = a.chromium_bench
    if tool and not os.path.exists(tool):
        ap.error(f"--chromium-bench: no such file: {tool}")
    tmp = None
    samples = a.samples
    if samples is None:
        tmp = tempfile.TemporaryDirectory()
        samples = tmp.name
        if tool:
            subprocess.run([sys.executable, tool, "--make-samples", samples], check=True)
        else:
            sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
            make_samples(samples)
    cases = Cases(samples, a.duration, a.interpolation).all()
    mode = a.interpolation or ls.OfflineAudioContext(1, 1, SR).interpolation
    print(f"webaudio-benchmark's 24 cases, DURATION {a.duration:g} s, labsound interpolation "
          f"'{mode}', best of {a.repeat} interleaved round(s)")
    if hasattr(os, "getloadavg"):
        print("load average at start: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    best_ls: dict = {}
    best_cr: dict = {}
    for _ in range(a.repeat):
        for idx, v in run_labsound(cases, want).items():
            if idx not in best_ls or v[0] < best_ls[idx][0]:
                best_ls[idx] = v
        if tool:
            for idx, v in run_chromium(tool, samples, a.duration, want, a.timeout).items():
                if idx not in best_cr or v[0] < best_cr[idx][0]:
                    best_cr[idx] = v
    rows = []
    print()
    print(f"| # | case | labsound x real time | Chromium x real time | labsound / Chromium |")
    print("|---|---|---:|---:|---:|")
    for idx, (name, _) in enumerate(cases, 1):
        if idx not in best_ls:
            continue
        t, dur, rms = best_ls[idx]
        row = {"idx": idx, "name": name, "labsound_s": t, "audio_s": dur, "rms": rms,
               "labsound_x": dur / t if t > 0 else math.inf}
        cr = ""
        ratio = ""
        if idx in best_cr:
            ct, cdur = best_cr[idx]
            row["chromium_s"] = ct
            row["chromium_x"] = cdur / ct if ct > 0 else math.inf
            row["ratio"] = row["labsound_x"] / row["chromium_x"]
            cr = f"{row['chromium_x']:,.0f}"
            ratio = f"{row['ratio']:.2f}"
        rows.append(row)
        print(f"| {idx} | {name} | {row['labsound_x']:,.0f} | {cr} | {ratio} |")
    ratios = [r["ratio"] for r in rows if "ratio" in r and math.isfinite(r["ratio"]) and r["ratio"] > 0]
    if ratios:
        geo = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
        print(f"\ngeomean labsound / Chromium over {len(ratios)} cases: {geo:.2f}x; "
              f"lowest {min(ratios):.2f}x ({sum(r < 2 for r in ratios)} below 2x)")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"duration": a.duration, "interpolation": mode, "repeat": a.repeat,
                       "rows": rows}, f, indent=1)
    if tmp is not None:
        tmp.cleanup()
    return 0


def make_samples(out):
    """The runner's sample files when it is not at hand: the same recipe (a
    220 Hz tone with a 3 Hz tremolo and a little noise, 16-bit WAV)."""
    import wave
    frames = {38000: 80063, 44100: 92910, 48000: 101130}
    for (rate, ch), name in SAMPLES.items():
        rng = np.random.default_rng(1 + ch * 1000 + rate)
        t = np.arange(frames[rate]) / rate
        x = 0.3 * np.sin(2 * np.pi * 220 * t)[None, :] * (1 + 0.5 * np.sin(2 * np.pi * 3 * t)) \
            + 0.05 * rng.standard_normal((ch, frames[rate]))
        pcm = (np.clip(x, -1, 1) * 32767).round().astype("<i2").T.copy()
        with wave.open(os.path.join(out, name), "wb") as w:
            w.setnchannels(ch)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(pcm.tobytes())


if __name__ == "__main__":
    sys.exit(main())
