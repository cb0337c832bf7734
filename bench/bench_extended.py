"""Benchmark labsound's extended nodes (LabSound's node set) against pyo.

    python bench/bench_extended.py                 # every case, 5 interleaved rounds
    python bench/bench_extended.py --quick         # 1 s renders, 2 rounds (smoke run)
    python bench/bench_extended.py --cases noise_pink,adsr --repeat 7 --json out.json

Each case is a graph of VOICES instances of one node type (or of pyo's nearest
object) mixed to one mono output, rendered offline at 48 kHz for --seconds.
Many instances make the node's own cost dominate the engine's fixed costs.
pyo renders through its offline server (128-frame buffers, the Web Audio
quantum) into a 32-bit float WAV in /dev/shm where there is one; labsound
renders into memory (``start_rendering``). "render" is the rendering alone;
building the graph is reported apart.

Stability: every measurement runs in a fresh interpreter; the engines run in
turns (labsound, pyo, labsound, pyo, ...) for --repeat rounds, so a slow
moment of the machine falls on both; each round keeps the best of --per-run
renders. The table gives the best round and the spread (worst round / best
round) for each engine, and the ratio of the best rounds.

The pairings (what pyo computes is the nearest thing it has, not always the
same curve; the RMS of both outputs is printed so the work is seen to be
comparable):

  noise_white   NoiseNode(type='white')        pyo.Noise
  noise_pink    NoiseNode(type='pink')         pyo.PinkNoise
  noise_brown   NoiseNode(type='brown')        pyo.BrownNoise
  adsr          ADSRNode, one note per voice   pyo.Adsr (dur set), one note
  supersaw      SupersawNode(voices=7)         pyo.SuperSaw (7 saws)
  polyblep      PolyBLEPNode('sawtooth')       pyo.LFO(type=0), band-limited saw
  clip          ClipNode('clip') on a sine     pyo.Clip on a sine
  clip_tanh     ClipNode('tanh') on a sine     pyo.Disto on a sine (a tanh-like shaper)
  peak_comp     PeakCompNode on noise          pyo.Compress on noise
  granulation   GranulationNode on a buffer    pyo.Granulator on a table
  delay         BPMDelayNode (0.25 s) on noise pyo.Delay (0.25 s) on noise
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

RATE = 48000
VOICES = {"noise_white": 32, "noise_pink": 32, "noise_brown": 32, "adsr": 32,
          "supersaw": 8, "polyblep": 32, "clip": 32, "clip_tanh": 32,
          "peak_comp": 16, "granulation": 4, "delay": 16}
CASES = list(VOICES)
# the labsound factory each case needs (a case is skipped where it is missing)
LS_FACTORY = {"noise_white": "create_noise", "noise_pink": "create_noise",
              "noise_brown": "create_noise", "adsr": "create_adsr",
              "supersaw": "create_supersaw", "polyblep": "create_polyblep",
              "clip": "create_clip", "clip_tanh": "create_clip",
              "peak_comp": "create_peak_comp", "granulation": "create_granulation",
              "delay": "create_bpm_delay"}
GRAIN_TABLE_SECONDS = 2.0


def voice_freq(i: int) -> float:
    return 110.0 * 2.0 ** (i / 12.0)


def grain_source(np):
    t = np.arange(int(GRAIN_TABLE_SECONDS * RATE)) / RATE
    return (0.5 * np.sin(2 * np.pi * (220 * t + 60 * t * t))).astype(np.float32)


# --------------------------------------------------------------------------
# labsound
# --------------------------------------------------------------------------

def ls_build(ls, case: str, seconds: float):
    import numpy as np
    n = VOICES[case]
    ctx = ls.OfflineAudioContext(1, int(seconds * RATE), RATE)
    dest = ctx.destination
    mix = ctx.create_gain(gain=1.0 / n)
    mix.connect(dest)
    keep = [mix]
    if case.startswith("noise_"):
        for i in range(n):
            s = ctx.create_noise(type=case[6:], seed=i + 1, channel_count=1)
            s.connect(mix)
            s.start(0)
            keep.append(s)
    elif case == "adsr":
        for i in range(n):
            e = ctx.create_adsr(attack_time=0.01, decay_time=0.1, sustain_level=0.5,
                                release_time=0.2)
            e.gate_on(0.0)
            e.gate_off(max(0.5 * seconds, seconds - 0.5))
            e.connect(mix)
            keep.append(e)
    elif case == "supersaw":
        for i in range(n):
            s = ctx.create_supersaw(voices=7, frequency=voice_freq(i), detune=20)
            s.connect(mix)
            s.start(0)
            keep.append(s)
    elif case == "polyblep":
        for i in range(n):
            s = ctx.create_polyblep(type="sawtooth", frequency=voice_freq(i))
            s.connect(mix)
            s.start(0)
            keep.append(s)
    elif case in ("clip", "clip_tanh"):
        osc = ctx.create_oscillator(frequency=220)
        osc.start(0)
        keep.append(osc)
        for i in range(n):
            if case == "clip":
                c = ctx.create_clip(mode="clip", a=-0.5, b=0.5, channel_count=1,
                                    channel_count_mode="explicit")
            else:
                c = ctx.create_clip(mode="tanh", a=1.0, b=3.0, channel_count=1,
                                    channel_count_mode="explicit")
            osc.connect(c)
            c.connect(mix)
            keep.append(c)
    elif case == "peak_comp":
        src = ctx.create_noise(type="white", seed=7, channel_count=1)
        src.start(0)
        keep.append(src)
        for i in range(n):
            c = ctx.create_peak_comp(threshold=-20, ratio=4, attack=0.005, release=0.05,
                                     channel_count=1, channel_count_mode="explicit")
            src.connect(c)
            c.connect(mix)
            keep.append(c)
    elif case == "granulation":
        buf = ls.AudioBuffer.from_numpy(grain_source(np), RATE)
        for i in range(n):
            g = ctx.create_granulation(buffer=buf, grain_duration=0.1, grain_rate=80,
                                       playback_rate=1.0 + 0.05 * i, seed=i + 1)
            g.connect(mix)
            g.start(0)
            keep.append(g)
    elif case == "delay":
        src = ctx.create_noise(type="white", seed=7, channel_count=1)
        src.start(0)
        keep.append(src)
        for i in range(n):
            d = ctx.create_bpm_delay(tempo=240, note="quarter", channel_count=1,
                                     channel_count_mode="explicit")
            src.connect(d)
            d.connect(mix)
            keep.append(d)
    return ctx, keep


def ls_measure(case: str, seconds: float, per_run: int):
    import numpy as np
    import labsound as ls
    best = None
    for _ in range(per_run):
        gc.collect()
        t0 = time.perf_counter()
        ctx, keep = ls_build(ls, case, seconds)
        t1 = time.perf_counter()
        out = ctx.start_rendering()
        t2 = time.perf_counter()
        if best is None or t2 - t1 < best[1]:
            x = np.asarray(out)[0]
            best = (t1 - t0, t2 - t1, float(np.sqrt(np.mean(x.astype(np.float64) ** 2))))
        del ctx, keep, out
    return best


# --------------------------------------------------------------------------
# pyo
# --------------------------------------------------------------------------

def pyo_build(pyo, case: str, seconds: float):
    import numpy as np
    n = VOICES[case]
    objs, objs_keep = [], []
    if case == "noise_white":
        objs = [pyo.Noise() for _ in range(n)]
    elif case == "noise_pink":
        objs = [pyo.PinkNoise() for _ in range(n)]
    elif case == "noise_brown":
        objs = [pyo.BrownNoise() for _ in range(n)]
    elif case == "adsr":
        objs = [pyo.Adsr(attack=0.01, decay=0.1, sustain=0.5, release=0.2,
                         dur=max(0.5 * seconds, seconds - 0.5) + 0.2) for _ in range(n)]
        for o in objs:
            o.play()
    elif case == "supersaw":
        objs = [pyo.SuperSaw(freq=voice_freq(i), detune=0.5, bal=0.7) for i in range(n)]
    elif case == "polyblep":
        objs = [pyo.LFO(freq=voice_freq(i), sharp=1.0, type=0) for i in range(n)]
    elif case in ("clip", "clip_tanh"):
        sine = pyo.Sine(freq=220)
        if case == "clip":
            objs = [pyo.Clip(sine, min=-0.5, max=0.5) for _ in range(n)]
        else:
            objs = [pyo.Disto(sine, drive=0.75, slope=0.5) for _ in range(n)]
        objs_keep = [sine]
    elif case == "peak_comp":
        src = pyo.Noise()
        objs = [pyo.Compress(src, thresh=-20, ratio=4, risetime=0.005, falltime=0.05,
                             lookahead=0, knee=0) for _ in range(n)]
        objs_keep = [src]
    elif case == "granulation":
        table = pyo.DataTable(size=int(GRAIN_TABLE_SECONDS * RATE),
                              init=grain_source(np).tolist())
        env = pyo.HannTable()
        # 8 overlapping grains of 0.1 s: 80 grains per second, as labsound's
        objs = [pyo.Granulator(table, env, pitch=1.0 + 0.05 * i, pos=0, dur=0.1,
                               grains=8, basedur=GRAIN_TABLE_SECONDS) for i in range(n)]
        objs_keep = [table, env]
    elif case == "delay":
        src = pyo.Noise()
        objs = [pyo.Delay(src, delay=0.25, feedback=0, maxdelay=1) for _ in range(n)]
        objs_keep = [src]
    mix = pyo.Mix(objs, voices=1, mul=1.0 / n).out()
    return [mix, objs, objs_keep]


def pyo_measure(case: str, seconds: float, per_run: int):
    import numpy as np
    import pyo
    tmpdir = "/dev/shm" if os.path.isdir("/dev/shm") else None
    fd, path = tempfile.mkstemp(suffix=".wav", dir=tmpdir)
    os.close(fd)
    best = None
    try:
        for _ in range(per_run):
            gc.collect()
            t0 = time.perf_counter()
            server = pyo.Server(sr=RATE, nchnls=1, duplex=0, audio="offline",
                                buffersize=128, verbosity=0).boot()
            server.recordOptions(dur=seconds, filename=path, fileformat=0, sampletype=3)
            keep = pyo_build(pyo, case, seconds)
            t1 = time.perf_counter()
            server.start()   # blocks until the offline render is written
            t2 = time.perf_counter()
            server.stop()
            server.shutdown()
            del keep, server
            if best is None or t2 - t1 < best[1]:
                with open(path, "rb") as f:
                    raw = f.read()
                i = raw.find(b"data")
                nbytes = int.from_bytes(raw[i + 4:i + 8], "little")
                x = np.frombuffer(raw[i + 8:i + 8 + nbytes], dtype=np.float32)
                best = (t1 - t0, t2 - t1, float(np.sqrt(np.mean(x.astype(np.float64) ** 2))))
    finally:
        os.unlink(path)
    return best


# --------------------------------------------------------------------------
# Worker and parent
# --------------------------------------------------------------------------

def worker(spec: dict) -> None:
    if spec["engine"] == "labsound":
        r = ls_measure(spec["case"], spec["seconds"], spec["per_run"])
    else:
        import io
        import contextlib
        with contextlib.redirect_stdout(io.StringIO()):   # pyo's import banner
            import pyo  # noqa: F401
        r = pyo_measure(spec["case"], spec["seconds"], spec["per_run"])
    print("@@R@@" + json.dumps({"build": r[0], "render": r[1], "rms": r[2]}), flush=True)


def run_worker(spec: dict, timeout: float):
    cmd = [sys.executable, os.path.abspath(__file__), "--_worker", json.dumps(spec)]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": "timed out"}
    for line in p.stdout.splitlines():
        if line.startswith("@@R@@"):
            return json.loads(line[5:])
    err = (p.stderr.strip().splitlines() or ["failed"])[-1]
    return {"error": err}


def available(engine: str, case: str | None = None) -> tuple[bool, str]:
    if engine == "labsound":
        code = ("import labsound as ls, sys\n"
                f"sys.exit(0 if hasattr(ls.BaseAudioContext, {LS_FACTORY[case]!r}) else 3)\n")
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        return p.returncode == 0, p.stderr.strip()
    p = subprocess.run([sys.executable, "-c",
                        "import io, contextlib\n"
                        "with contextlib.redirect_stdout(io.StringIO()):\n"
                        "    import pyo\n"
                        "print(pyo.PYO_VERSION)"],
                       capture_output=True, text=True)
    if p.returncode:
        return False, (p.stderr.strip().splitlines() or ["import failed"])[-1]
    return True, p.stdout.strip()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="labsound's extended nodes against pyo")
    ap.add_argument("--_worker", help=argparse.SUPPRESS)
    ap.add_argument("--cases", default=",".join(CASES),
                    help="comma-separated subset of: " + ", ".join(CASES))
    ap.add_argument("--seconds", type=float, default=10.0, help="render length (default 10)")
    ap.add_argument("--repeat", type=int, default=5, help="interleaved rounds (default 5)")
    ap.add_argument("--per-run", type=int, default=3,
                    help="renders per interpreter, best kept (default 3)")
    ap.add_argument("--quick", action="store_true", help="1 s renders, 2 rounds, 1 per run")
    ap.add_argument("--no-peers", action="store_true", help="labsound alone")
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--json", help="also write every round's figures here")
    a = ap.parse_args(argv)
    if a._worker:
        worker(json.loads(a._worker))
        return 0
    if a.quick:
        a.seconds = min(a.seconds, 1.0)
        a.repeat = min(a.repeat, 2)
        a.per_run = 1
    cases = [c.strip() for c in a.cases.split(",") if c.strip()]
    bad = [c for c in cases if c not in CASES]
    if bad:
        ap.error("unknown case(s): %s (known: %s)" % (", ".join(bad), ", ".join(CASES)))
    ok_pyo, pyo_version = (False, "not asked for") if a.no_peers else available("pyo")
    engines = ["labsound"] + (["pyo"] if ok_pyo else [])
    print("labsound extended nodes vs pyo: %s, Python %s, %d cores"
          % (platform.machine(), platform.python_version(), os.cpu_count() or 0))
    print("pyo: %s" % (pyo_version if ok_pyo else "not measured (%s)" % pyo_version))
    print("%g s mono at %d Hz per render; %d interleaved rounds, best of %d renders each\n"
          % (a.seconds, RATE, a.repeat, a.per_run))
    results: dict = {}
    for case in cases:
        ok, why = available("labsound", case)
        if not ok:
            print("%-12s skipped: labsound has no %s yet" % (case, LS_FACTORY[case]))
            continue
        rounds = {e: [] for e in engines}
        for _ in range(a.repeat):
            for e in engines:
                r = run_worker({"engine": e, "case": case, "seconds": a.seconds,
                                "per_run": a.per_run}, a.timeout)
                rounds[e].append(r)
        results[case] = rounds
    # table
    hdr = "%-12s %6s | %10s %7s %9s | %10s %7s %9s | %7s" % (
        "case", "voices", "labsound", "spread", "rms", "pyo", "spread", "rms", "ratio")
    print(hdr)
    print("-" * len(hdr))
    summary = {}
    for case, rounds in results.items():
        cells = []
        best = {}
        for e in ("labsound", "pyo"):
            rs = [r for r in rounds.get(e, []) if "error" not in r]
            if not rs:
                errs = [r["error"] for r in rounds.get(e, []) if "error" in r]
                cells.append("%10s %7s %9s" % ("-", "", (errs[0][:9] if errs else "")))
                continue
            renders = sorted(r["render"] for r in rs)
            best[e] = renders[0]
            cells.append("%8.2fms %6.2fx %9.4f" % (renders[0] * 1e3, renders[-1] / renders[0],
                                                   rs[0]["rms"]))
        ratio = ("%6.2fx" % (best["pyo"] / best["labsound"])) if len(best) == 2 else "      -"
        summary[case] = {"labsound_ms": best.get("labsound", 0) * 1e3,
                         "pyo_ms": best.get("pyo", 0) * 1e3,
                         "ratio": (best["pyo"] / best["labsound"]) if len(best) == 2 else None}
        print("%-12s %6d | %s | %s | %s" % (case, VOICES[case], cells[0], cells[1], ratio))
    print("\nratio = pyo's best render / labsound's best render (higher: labsound faster);"
          "\nspread = worst round / best round of that engine.")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"seconds": a.seconds, "repeat": a.repeat, "per_run": a.per_run,
                       "pyo": pyo_version, "rounds": results, "summary": summary}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
