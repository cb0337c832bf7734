#!/usr/bin/env python3
"""Offline-render benchmark: labsound against other Python audio engines.

Every (engine, case) pair runs in a fresh interpreter so that one engine's
imports, threads and heap never colour another's numbers.  The parent process
only collects the results and prints a table (and optionally JSON).

Peers measured in the same run:

* ``web-audio-api`` (PyPI), the Python binding of the Rust Web Audio engine.
  It builds exactly the same graph through its camelCase JS-style API.
* ``pyo`` (PyPI), only for the 100-sines case, through its offline server.

Run ``python bench/bench.py --help`` for the options; see bench/README.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time

RESULT_MARK = "@@LSBENCH@@ "

# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------

BPM_STEP = 140.0 / 60.0 / 4.0  # webaudio-benchmark "Synth": a note every 16th at 140 bpm

CASES = {
    "silence": {
        "title": "nothing connected",
        "rate": 48000, "channels": 2, "seconds": 120.0, "quick_seconds": 2.0,
        "peers": ["web-audio-api"],
    },
    "sines": {
        "title": "100 sines > gain > out",
        "rate": 48000, "channels": 2, "seconds": 60.0, "quick_seconds": 1.0,
        "peers": ["web-audio-api", "pyo"],
    },
    "synth": {
        "title": "Synth (Sawtooth with Envelope)",
        "rate": 44100, "channels": 1, "seconds": 120.0, "quick_seconds": 3.0,
        "peers": ["web-audio-api"],
    },
    "sweep": {
        "title": "sawtooth, exp ramp 20 Hz-20 kHz",
        "rate": 48000, "channels": 2, "seconds": 60.0, "quick_seconds": 1.0,
        "peers": ["web-audio-api"],
    },
    "panning": {
        "title": "positional panning, 16 moving equal-power panners",
        "rate": 48000, "channels": 2, "seconds": 20.0, "quick_seconds": 1.0,
        "peers": ["web-audio-api"],
    },
    "hrtf": {
        "title": "positional panning, 8 moving HRTF panners",
        "rate": 48000, "channels": 2, "seconds": 10.0, "quick_seconds": 1.0,
        "peers": ["web-audio-api"],
    },
    "reverb": {
        "title": "convolution reverb, 4 s stereo impulse response",
        "rate": 48000, "channels": 2, "seconds": 20.0, "quick_seconds": 2.0,
        "peers": ["web-audio-api"],
    },
    "fft": {
        "title": "rfft + irfft of 4096-frame blocks (not a graph)",
        "rate": 48000, "channels": 1, "seconds": 60.0, "quick_seconds": 2.0,
        "peers": ["numpy"],
    },
}

N_PANNERS = {"panning": 16, "hrtf": 8}
REVERB_IR_SECONDS = 4.0
FFT_BLOCK = 4096


def reverb_ir(rate: int):
    """The reverb case's impulse response: exponentially decaying noise (-60 dB at 4 s)."""
    import numpy as np
    n = int(REVERB_IR_SECONDS * rate)
    rng = np.random.default_rng(1234)
    decay = np.exp(-6.9 * np.arange(n) / n)
    return (rng.uniform(-1, 1, size=(2, n)) * decay).astype(np.float32)


def fft_blocks(seconds: float, rate: int):
    import numpy as np
    rows = max(1, frames(seconds, rate) // FFT_BLOCK)
    return np.random.default_rng(7).uniform(-1, 1, size=(rows, FFT_BLOCK)).astype(np.float32)

MEMORY_CASE = "memory"
MEMORY_NOTES = 100_000
MEMORY_NOTES_QUICK = 2_000
MEMORY_RATE = 48000
MEMORY_SPACING = 0.00001  # a note starts every 10 us ...
MEMORY_NOTE_LEN = 0.005  # ... and lasts 5 ms: 100,000 notes span 1 s

ENGINES = ["labsound", "web-audio-api", "pyo", "numpy"]
MODULES = {"labsound": "labsound", "web-audio-api": "web_audio_api", "pyo": "pyo", "numpy": "numpy"}
DIST_NAMES = {"labsound": "labsound", "web-audio-api": "web-audio-api", "pyo": "pyo",
              "numpy": "numpy"}

N_SINES = 100


def sine_freq(i: int) -> float:
    return 100.0 + 10.0 * i


def frames(seconds: float, rate: int) -> int:
    return int(round(seconds * rate))


# ---- labsound builders ---------------------------------------------------

def ls_build(ls, case: str, seconds: float):
    spec = CASES[case]
    rate, ch = spec["rate"], spec["channels"]
    ctx = ls.OfflineAudioContext(ch, frames(seconds, rate), rate)
    if case == "silence":
        pass
    elif case == "sines":
        gain = ctx.create_gain(gain=1.0 / N_SINES)
        gain >> ctx.destination
        for i in range(N_SINES):
            osc = ctx.create_oscillator(type="sine", frequency=sine_freq(i))
            osc >> gain
            osc.start(0)
    elif case == "synth":
        offset = 0.0
        while offset < seconds:
            env = ctx.create_gain()
            env >> ctx.destination
            osc = ctx.create_oscillator(type="sawtooth", frequency=110)
            osc >> env
            env.gain.set_value_at_time(0, 0)
            env.gain.set_value_at_time(0.5, offset)
            env.gain.set_target_at_time(0, offset + 0.01, 0.1)
            osc.start(offset)
            osc.stop(offset + 1.0)
            offset += BPM_STEP
    elif case == "sweep":
        osc = ctx.create_oscillator(type="sawtooth", frequency=20)
        osc.frequency.set_value_at_time(20, 0)
        osc.frequency.exponential_ramp_to_value_at_time(20000, seconds)
        osc >> ctx.destination
        osc.start(0)
    elif case in N_PANNERS:
        model = "HRTF" if case == "hrtf" else "equalpower"
        n = N_PANNERS[case]
        for i in range(n):
            osc = ctx.create_oscillator(type="sine", frequency=110 + 20 * i)
            p = ctx.create_panner(panning_model=model, position_z=-1 - i % 3)
            p.position_x.set_value_at_time(-10 + i, 0)
            p.position_x.linear_ramp_to_value_at_time(10 - i, seconds)
            osc >> p >> ctx.destination
            osc.start(0)
    elif case == "reverb":
        import numpy as np
        ir = ctx.create_buffer(2, int(REVERB_IR_SECONDS * rate), rate)
        np.asarray(ir)[:] = reverb_ir(rate)
        conv = ctx.create_convolver(buffer=ir)
        osc = ctx.create_oscillator(type="sawtooth", frequency=220)
        osc >> conv >> ctx.destination
        osc.start(0)
    else:
        raise ValueError(case)
    return ctx


def ls_render(ctx):
    return ctx.start_rendering()


def ls_channel0(buf):
    import numpy as np
    return np.asarray(buf)[0]


def ls_build_notes(ls, ctx, n: int) -> None:
    dest = ctx.destination
    for i in range(n):
        t = i * MEMORY_SPACING
        osc = ctx.create_oscillator(type="sine", frequency=440)
        gain = ctx.create_gain(gain=0.1)
        osc >> gain >> dest
        osc.start(t)
        osc.stop(t + MEMORY_NOTE_LEN)


def ls_notes_context(ls, length: int):
    return ls.OfflineAudioContext(1, length, MEMORY_RATE)


# ---- web-audio-api builders (same graphs, JS-style API) ------------------

def waa_build(w, case: str, seconds: float):
    spec = CASES[case]
    rate, ch = spec["rate"], spec["channels"]
    ctx = w.OfflineAudioContext(ch, frames(seconds, rate), rate)
    if case == "silence":
        pass
    elif case == "sines":
        gain = ctx.createGain()
        gain.gain.value = 1.0 / N_SINES
        gain.connect(ctx.destination)
        for i in range(N_SINES):
            osc = ctx.createOscillator()
            osc.type = "sine"
            osc.frequency.value = sine_freq(i)
            osc.connect(gain)
            osc.start(0)
    elif case == "synth":
        offset = 0.0
        while offset < seconds:
            env = ctx.createGain()
            env.connect(ctx.destination)
            osc = ctx.createOscillator()
            osc.type = "sawtooth"
            osc.frequency.value = 110
            osc.connect(env)
            env.gain.setValueAtTime(0, 0)
            env.gain.setValueAtTime(0.5, offset)
            env.gain.setTargetAtTime(0, offset + 0.01, 0.1)
            osc.start(offset)
            osc.stop(offset + 1.0)
            offset += BPM_STEP
    elif case == "sweep":
        osc = ctx.createOscillator()
        osc.type = "sawtooth"
        osc.frequency.value = 20
        osc.frequency.setValueAtTime(20, 0)
        osc.frequency.exponentialRampToValueAtTime(20000, seconds)
        osc.connect(ctx.destination)
        osc.start(0)
    elif case in N_PANNERS:
        model = "HRTF" if case == "hrtf" else "equalpower"
        n = N_PANNERS[case]
        for i in range(n):
            osc = ctx.createOscillator()
            osc.type = "sine"
            osc.frequency.value = 110 + 20 * i
            p = ctx.createPanner()
            p.panningModel = model
            p.positionZ.value = -1 - i % 3
            p.positionX.setValueAtTime(-10 + i, 0)
            p.positionX.linearRampToValueAtTime(10 - i, seconds)
            osc.connect(p)
            p.connect(ctx.destination)
            osc.start(0)
    elif case == "reverb":
        data = reverb_ir(rate)
        ir = ctx.createBuffer(2, data.shape[1], rate)
        for c in range(2):
            ir.copyToChannel(data[c], c)
        conv = ctx.createConvolver()
        conv.buffer = ir
        osc = ctx.createOscillator()
        osc.type = "sawtooth"
        osc.frequency.value = 220
        osc.connect(conv)
        conv.connect(ctx.destination)
        osc.start(0)
    else:
        raise ValueError(case)
    return ctx


_WAA_LOOP = None


def waa_render(ctx):
    # startRendering() is a coroutine in the binding; it must be called
    # from inside a running event loop.
    import asyncio
    global _WAA_LOOP
    if _WAA_LOOP is None:
        _WAA_LOOP = asyncio.new_event_loop()

    async def go():
        return await ctx.startRendering()

    return _WAA_LOOP.run_until_complete(go())


def waa_channel0(buf):
    import numpy as np
    return np.asarray(buf.getChannelData(0), dtype=np.float32)


def waa_build_notes(w, ctx, n: int) -> None:
    dest = ctx.destination
    for i in range(n):
        t = i * MEMORY_SPACING
        osc = ctx.createOscillator()
        osc.frequency.value = 440
        gain = ctx.createGain()
        gain.gain.value = 0.1
        osc.connect(gain)
        gain.connect(dest)
        osc.start(t)
        osc.stop(t + MEMORY_NOTE_LEN)


def waa_notes_context(w, length: int):
    return w.OfflineAudioContext(1, length, MEMORY_RATE)


# ---- pyo (offline server; only the sines case maps onto it) --------------

def pyo_run_sines(pyo, seconds: float, path: str):
    """Build and render the 100-sines graph; returns (build_s, render_s)."""
    spec = CASES["sines"]
    t0 = time.perf_counter()
    server = pyo.Server(sr=spec["rate"], nchnls=spec["channels"], duplex=0,
                        audio="offline", buffersize=128, verbosity=0).boot()
    server.recordOptions(dur=seconds, filename=path, fileformat=0, sampletype=3)
    sines = [pyo.Sine(freq=sine_freq(i)) for i in range(N_SINES)]
    gain = pyo.Mix(sines, voices=1, mul=1.0 / N_SINES)
    out = pyo.Mix(gain, voices=spec["channels"]).out()  # mono -> both channels
    t1 = time.perf_counter()
    server.start()  # blocks until the offline render is written
    t2 = time.perf_counter()
    server.stop()
    server.shutdown()
    del out, gain, sines, server
    return t1 - t0, t2 - t1


def read_float_wav_channel0(path: str, channels: int):
    import numpy as np
    with open(path, "rb") as f:
        raw = f.read()
    i = raw.find(b"data")
    n = int.from_bytes(raw[i + 4:i + 8], "little")
    data = np.frombuffer(raw[i + 8:i + 8 + n], dtype=np.float32)
    return data.reshape(-1, channels)[:, 0]


# --------------------------------------------------------------------------
# Worker side (runs in a fresh interpreter)
# --------------------------------------------------------------------------

def vm_rss_bytes() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    # Fallback: peak RSS (kilobytes on Linux, bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def peak_rss_bytes() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def signal_stats(x) -> dict:
    import numpy as np
    x = np.asarray(x, dtype=np.float64)
    if x.size == 0:
        return {"rms": 0.0, "peak": 0.0}
    return {"rms": float(np.sqrt(np.mean(x * x))), "peak": float(np.max(np.abs(x)))}


def work_speed(engine: str, case: str, seconds: float, repeat: int) -> dict:
    builds, renders, cpu = [], [], []
    stats = None
    if engine == "pyo":
        import pyo
        tmpdir = "/dev/shm" if os.path.isdir("/dev/shm") else None
        fd, path = tempfile.mkstemp(suffix=".wav", dir=tmpdir)
        os.close(fd)
        try:
            for r in range(repeat):
                gc.collect()
                c0 = time.process_time()
                b, rt = pyo_run_sines(pyo, seconds, path)
                cpu.append(time.process_time() - c0)
                builds.append(b)
                renders.append(rt)
                if r == 0:
                    stats = signal_stats(read_float_wav_channel0(path, CASES[case]["channels"]))
        finally:
            os.unlink(path)
    elif case == "fft":
        # "build" makes the blocks; "render" is the forward and inverse
        # transforms of all of them in one call each (2-D arrays, row by row)
        if engine == "labsound":
            import labsound as mod
            fwd, inv = mod.rfft, mod.irfft
        else:
            import numpy as mod
            fwd, inv = mod.fft.rfft, mod.fft.irfft
        inv(fwd(fft_blocks(FFT_BLOCK / CASES[case]["rate"], CASES[case]["rate"])))
        for r in range(repeat):
            gc.collect()
            t0 = time.perf_counter()
            x = fft_blocks(seconds, CASES[case]["rate"])
            t1 = time.perf_counter()
            c0 = time.process_time()
            y = inv(fwd(x))
            t2 = time.perf_counter()
            cpu.append(time.process_time() - c0)
            builds.append(t1 - t0)
            renders.append(t2 - t1)
            if r == 0:
                stats = signal_stats(y.ravel())
    else:
        if engine == "labsound":
            import labsound as mod
            build, render, chan0 = ls_build, ls_render, ls_channel0
        else:
            import web_audio_api as mod
            build, render, chan0 = waa_build, waa_render, waa_channel0
        # Untimed warm-up: the first render of a process pays one-off costs
        # (thread start-up, lazily built tables) that are not the case's.
        render(build(mod, case, 256 / CASES[case]["rate"]))
        for r in range(repeat):
            gc.collect()
            t0 = time.perf_counter()
            ctx = build(mod, case, seconds)
            t1 = time.perf_counter()
            c0 = time.process_time()
            buf = render(ctx)
            t2 = time.perf_counter()
            cpu.append(time.process_time() - c0)
            builds.append(t1 - t0)
            renders.append(t2 - t1)
            if r == 0:
                stats = signal_stats(chan0(buf))
            del buf, ctx
    return {
        "engine": engine, "case": case, "audio_seconds": seconds,
        "build_s": builds, "render_s": renders, "render_cpu_s": cpu,
        "build_best_s": min(builds), "render_best_s": min(renders),
        "rms": stats["rms"], "peak": stats["peak"],
    }


def work_memory(engine: str, notes: int) -> dict:
    length = frames(notes * MEMORY_SPACING + MEMORY_NOTE_LEN + 0.01, MEMORY_RATE)
    if engine == "labsound":
        import labsound as mod
        make_ctx, build_notes, render = ls_notes_context, ls_build_notes, ls_render
    elif engine == "web-audio-api":
        import web_audio_api as mod
        make_ctx, build_notes, render = waa_notes_context, waa_build_notes, waa_render
    else:
        raise ValueError(engine)
    # Warm up: the first context, node and render pull in lazily initialised
    # state (tables, threads, event loop) that is not per-note memory.
    warm = make_ctx(mod, 256)
    build_notes(mod, warm, 4)
    render(warm)
    del warm
    gc.collect()

    ctx = make_ctx(mod, length)
    gc.collect()
    rss0 = vm_rss_bytes()
    t0 = time.perf_counter()
    build_notes(mod, ctx, notes)  # every Python reference is dropped on return
    t1 = time.perf_counter()
    gc.collect()
    rss1 = vm_rss_bytes()
    res = {
        "engine": engine, "case": MEMORY_CASE, "notes": notes,
        "frames": length, "rate": MEMORY_RATE,
        "output_bytes_f32": length * 4,
        "rss_before": rss0, "rss_after_build": rss1, "rss_after_render": None,
        "peak_rss": max(peak_rss_bytes(), rss1),
        "build_s": t1 - t0, "render_s": None,
    }
    # Report the build figures now: a render that outlives the timeout
    # still leaves them to the parent.
    print(RESULT_MARK + json.dumps(res), flush=True)
    buf = render(ctx)
    t2 = time.perf_counter()
    gc.collect()
    rss2 = vm_rss_bytes()
    # ru_maxrss is only sampled now and then: never report it below a reading
    res.update({"rss_after_render": rss2, "peak_rss": max(peak_rss_bytes(), rss1, rss2),
                "render_s": t2 - t1})
    del buf
    return res


def worker_main(spec_json: str) -> int:
    spec = json.loads(spec_json)
    if spec["case"] == MEMORY_CASE:
        res = work_memory(spec["engine"], spec["notes"])
    else:
        res = work_speed(spec["engine"], spec["case"], spec["seconds"], spec["repeat"])
    sys.stdout.flush()
    print(RESULT_MARK + json.dumps(res), flush=True)
    return 0


# --------------------------------------------------------------------------
# Parent side
# --------------------------------------------------------------------------

def engine_available(engine: str) -> tuple[bool, str]:
    """Check importability in a child (pyo prints on import; keep it out)."""
    mod = MODULES[engine]
    code = (
        "import importlib\n"
        f"m = importlib.import_module({mod!r})\n"
        "try:\n"
        "    from importlib.metadata import version\n"
        f"    v = version({DIST_NAMES[engine]!r})\n"
        "except Exception:\n"
        "    v = getattr(m, '__version__', None) or getattr(m, 'PYO_VERSION', '?')\n"
        "print('@@V@@', v)\n"
    )
    try:
        p = subprocess.run([sys.executable, "-c", code], capture_output=True,
                           text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return False, "import timed out"
    if p.returncode != 0:
        last = (p.stderr.strip().splitlines() or ["import failed"])[-1]
        return False, last
    for line in p.stdout.splitlines():
        if line.startswith("@@V@@"):
            return True, line.split(None, 1)[1].strip()
    return True, "?"


def run_worker(spec: dict, timeout: float) -> dict:
    cmd = [sys.executable, os.path.abspath(__file__), "--_worker", json.dumps(spec)]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        out, err, tail = p.stdout, p.stderr, f"exit code {p.returncode}"
        timed_out = False
    except subprocess.TimeoutExpired as e:
        out = e.output.decode() if isinstance(e.output, bytes) else (e.output or "")
        err, tail, timed_out = "", f"timed out after {timeout:.0f} s", True
    for line in reversed(out.splitlines()):
        if line.startswith(RESULT_MARK):
            res = json.loads(line[len(RESULT_MARK):])
            if timed_out:
                res["timed_out"] = tail
            return res
    tail = (err.strip().splitlines() or [tail])[-1]
    return {"error": tail[:200]}


def merge_runs(runs: list[dict]) -> dict:
    """One result from single-run worker results: every time kept, best reported."""
    bad = [r for r in runs if "error" in r]
    if bad:
        return {"error": bad[0]["error"]}
    res = dict(runs[0])
    for key in ("build_s", "render_s", "render_cpu_s"):
        res[key] = [x for r in runs for x in r[key]]
    res["build_best_s"] = min(res["build_s"])
    res["render_best_s"] = min(res["render_s"])
    return res


def fmt_time(s: float | None) -> str:
    if s is None:
        return "-"
    if s < 1e-3:
        return f"{s * 1e6:.0f} us"
    if s < 1.0:
        return f"{s * 1e3:.1f} ms"
    return f"{s:.3f} s"


def fmt_ratio(r: float | None) -> str:
    return "-" if r is None else f"{r:.2f}x"


def fmt_mib(b: float) -> str:
    return f"{b / (1024 * 1024):.1f} MiB"


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def print_speed_table(rows: list[dict]) -> None:
    head = ("case", "engine", "build", "render", "realtime", "ls speed", "rms ch0")
    label_w = max([len(head[0])] + [len(r["label"]) for r in rows])
    widths = (label_w, 14, 10, 10, 10, 9, 8)
    line = "  ".join(h.ljust(w) if i < 2 else h.rjust(w) for i, (h, w) in enumerate(zip(head, widths)))
    print(line)
    print("-" * len(line))
    last_case = None
    for r in rows:
        label = r["label"] if r["case"] != last_case else ""
        last_case = r["case"]
        if "error" in r:
            print(f"{label:<{label_w}}  {r['engine']:<14}  error: {r['error']}")
            continue
        cells = (
            label, r["engine"], fmt_time(r["build_best_s"]), fmt_time(r["render_best_s"]),
            f"{r['realtime']:.0f}x", fmt_ratio(r.get("ls_speed")), f"{r['rms']:.4f}",
        )
        print("  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(cells, widths))))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Offline-render benchmark of labsound against its peers.")
    ap.add_argument("--cases", default=",".join(list(CASES) + [MEMORY_CASE]),
                    help="comma-separated subset of: "
                         + ", ".join(list(CASES) + [MEMORY_CASE]) + " (default: all)")
    ap.add_argument("--repeat", type=int, default=None,
                    help="runs per case; the best is reported (default 3, 1 with --quick)")
    ap.add_argument("--quick", action="store_true",
                    help="short renders and 2,000 notes for the memory case (CI smoke)")
    ap.add_argument("--no-peers", action="store_true", help="run labsound alone")
    ap.add_argument("--notes", type=int, default=None,
                    help=f"notes in the memory case (default {MEMORY_NOTES:,})")
    ap.add_argument("--timeout", type=float, default=900.0,
                    help="seconds allowed to one engine on one case (default 900)")
    ap.add_argument("--memory-timeout", type=float, default=300.0,
                    help="seconds allowed to one engine on the memory case; past it the "
                         "build figures are kept and the render is reported as a timeout "
                         "(default 300)")
    ap.add_argument("--json", metavar="OUT", help="also write the results as JSON")
    ap.add_argument("--_worker", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args._worker:
        return worker_main(args._worker)

    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = [c for c in cases if c not in CASES and c != MEMORY_CASE]
    if unknown:
        ap.error("unknown case(s): " + ", ".join(unknown))
    repeat = args.repeat if args.repeat is not None else (1 if args.quick else 3)
    if repeat < 1:
        ap.error("--repeat must be at least 1")
    notes = args.notes if args.notes is not None else (MEMORY_NOTES_QUICK if args.quick else MEMORY_NOTES)

    versions: dict[str, str] = {}
    available: list[str] = []
    for eng in ENGINES:
        if eng != "labsound" and args.no_peers:
            continue
        if eng in ("pyo", "numpy") and not any(eng in CASES[c]["peers"] for c in cases if c in CASES):
            continue
        ok, info = engine_available(eng)
        if ok:
            available.append(eng)
            versions[eng] = info
        elif eng == "labsound":
            print(f"labsound is not importable ({info}); running the peers alone.")
        elif eng == "web-audio-api":
            print(f"web-audio-api is not installed ({info}); running labsound alone "
                  "(pip install web-audio-api to compare).")
        else:
            print(f"{eng} is not installed ({info}); skipping its case.")
    if not available:
        print("no engine to benchmark")
        return 1

    print(f"python {platform.python_version()} on {platform.system()} {platform.machine()}, "
          f"{cpu_model()}, {os.cpu_count()} cpus")
    print("engines: " + ", ".join(f"{e} {versions[e]}" for e in available))
    print(f"best of {repeat} run(s), interleaved across engines, each in a fresh interpreter; "
          "offline renders only")
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    if load_before:
        print("load average at start: " + " ".join(f"{x:.2f}" for x in load_before)
              + " (other work on the machine skews every figure)")
    print()

    speed_rows: list[dict] = []
    for case in cases:
        if case == MEMORY_CASE:
            continue
        spec = CASES[case]
        seconds = spec["quick_seconds"] if args.quick else spec["seconds"]
        label = f"{case}: {spec['title']}, {seconds:g} s {spec['rate'] / 1000:g}k {spec['channels']}ch"
        engines = [e for e in available if e == "labsound" or e in spec["peers"]]
        # Runs are interleaved (A B A B ...), each in its own interpreter, so
        # that a change of load on the machine hits every engine alike.
        runs: dict[str, list[dict]] = {e: [] for e in engines}
        for k in range(repeat):
            for eng in engines:
                if runs[eng] and "error" in runs[eng][-1]:
                    continue
                print(f"  running {case} on {eng} ({k + 1}/{repeat}) ...",
                      file=sys.stderr, flush=True)
                runs[eng].append(run_worker({"engine": eng, "case": case, "seconds": seconds,
                                             "repeat": 1}, args.timeout))
        results = {}
        for eng in engines:
            res = merge_runs(runs[eng])
            res.update({"case": case, "engine": eng, "label": label})
            if "error" not in res:
                res["realtime"] = seconds / res["render_best_s"]
            results[eng] = res
        ls = results.get("labsound")
        for eng in engines:
            r = results[eng]
            if eng != "labsound" and ls and "error" not in ls and "error" not in r:
                # >1 means labsound renders faster than this peer
                r["ls_speed"] = r["render_best_s"] / ls["render_best_s"]
                r["ls_build_speed"] = r["build_best_s"] / ls["build_best_s"]
            speed_rows.append(r)

    if speed_rows:
        print("Offline render speed (build = graph construction in Python; render = start_rendering;")
        print("realtime = audio seconds / render seconds; ls speed = peer render time / labsound")
        print("render time, >1 means labsound is faster)")
        print()
        print_speed_table(speed_rows)
        print()

    mem_rows: list[dict] = []
    if MEMORY_CASE in cases:
        for eng in [e for e in available if e in ("labsound", "web-audio-api")]:
            print(f"  running {MEMORY_CASE} on {eng} ...", file=sys.stderr, flush=True)
            res = run_worker({"engine": eng, "case": MEMORY_CASE, "notes": notes},
                             args.memory_timeout)
            res.update({"case": MEMORY_CASE, "engine": eng})
            mem_rows.append(res)
        out_bytes = next((r["output_bytes_f32"] for r in mem_rows if "output_bytes_f32" in r), 0)
        span = notes * MEMORY_SPACING + MEMORY_NOTE_LEN
        print(f"Memory for {notes:,} scheduled notes (sine osc > gain > destination, "
              f"{MEMORY_NOTE_LEN * 1000:g} ms each, one every {MEMORY_SPACING * 1e6:g} us, "
              f"{span:.3g} s at {MEMORY_RATE // 1000} kHz mono;")
        print("Python references dropped; VmRSS growth from just before building; "
              f"the rendered output is {fmt_mib(out_bytes)} of float32)")
        print()
        head = (f"{'engine':<14}  {'after build':>12}  {'per note':>10}  {'after render':>13}  "
                f"{'peak RSS':>10}  {'build':>9}  {'render':>9}")
        print(head)
        print("-" * len(head))
        for r in mem_rows:
            if "error" in r:
                print(f"{r['engine']:<14}  error: {r['error']}")
                continue
            d_build = r["rss_after_build"] - r["rss_before"]
            per_note = d_build / r["notes"]
            if r["render_s"] is None:
                after, rtime = "-", "timeout"
            else:
                after = "+" + fmt_mib(r["rss_after_render"] - r["rss_before"])
                rtime = fmt_time(r["render_s"])
            print(f"{r['engine']:<14}  {'+' + fmt_mib(d_build):>12}  {per_note:>8.0f} B  "
                  f"{after:>13}  {fmt_mib(r['peak_rss']):>10}  "
                  f"{fmt_time(r['build_s']):>9}  {rtime:>9}")
        for r in mem_rows:
            if r.get("timed_out"):
                print(f"note: {r['engine']} render {r['timed_out']} (--memory-timeout); "
                      "its build figures stand, its peak RSS is as of the end of building")
        print()

    load_after = os.getloadavg() if hasattr(os, "getloadavg") else None
    if load_after:
        print("load average at end: " + " ".join(f"{x:.2f}" for x in load_after))

    if args.json:
        out = {
            "load_average_start": load_before, "load_average_end": load_after,
            "python": platform.python_version(), "platform": platform.platform(),
            "cpu": cpu_model(), "cpus": os.cpu_count(), "versions": versions,
            "repeat": repeat, "quick": args.quick,
            "speed": speed_rows, "memory": mem_rows,
        }
        with open(args.json, "w") as f:
            json.dump(out, f, indent=2)
        print(f"wrote {args.json}")

    failed = [r for r in speed_rows + mem_rows if "error" in r and r["engine"] == "labsound"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
