#!/usr/bin/env python3
"""Batch-rendering benchmark: renders per second with ls.render_batch.

The job: N one-second synth renders (44.1 kHz mono; two oscillators, a
biquad low-pass, an ADSR-like gain envelope made of automation, and noise),
each with its own parameters, collected as float32 arrays. Measured in the
same run:

* labsound, 1 worker (``render_batch(workers=0)``: this process, one after
  another) and 2 workers (``render_batch(workers=2)``: spawned processes);
* ``web-audio-api`` (PyPI, the Rust engine's Python binding) doing the same
  job in a loop and on its own ``ProcessPoolExecutor`` of 2 spawned processes,
  arrays sent back the same way. It has no noise node: its noise is a
  buffer source playing one second of white noise (made once per process);
* the per-item overhead of the pool and of Dask (``client=``): tiny graphs
  (one render quantum, nothing connected) so that the time is all transport.

Wall-clock times include starting the pools (spawning interpreters that import
NumPy and the engine); the start-up is reported on its own too. Run
``python bench/bench_batch.py --help``; ``--budget`` bounds each measurement.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

import labsound as ls

RATE = 44100
SECONDS = 1.0
TINY_FRAMES = 128


def synth_params(i: int) -> dict:
    """Item i's parameters (deterministic)."""
    rng = np.random.default_rng(i)
    return {"freq": float(110 * 2 ** rng.uniform(0, 3)), "detune": float(rng.uniform(1.001, 1.02)),
            "cutoff": float(rng.uniform(400, 6000)), "q": float(rng.uniform(0.5, 8)),
            "noise": float(rng.uniform(0.02, 0.2)), "seed": i + 1}


# ADSR-like envelope: attack 10 ms to 0.8, decay to 0.5 (time constant 50 ms),
# hold, release from 0.7 s to zero at 0.95 s
def _envelope(set_value, linear, target, hold=None):
    set_value(0.0, 0.0)
    linear(0.8, 0.01)
    target(0.5, 0.01, 0.05)
    set_value(0.5, 0.7)
    linear(0.0, 0.95)


# ---- labsound --------------------------------------------------------------

def ls_synth(p: dict) -> "ls.OfflineAudioContext":
    ctx = ls.OfflineAudioContext(1, int(RATE * SECONDS), RATE)
    lp = ctx.create_biquad_filter(type="lowpass", frequency=p["cutoff"], Q=p["q"])
    env = ctx.create_gain(gain=0.0)
    lp >> env >> ctx.destination
    for f, wave in ((p["freq"], "sawtooth"), (p["freq"] * p["detune"], "square")):
        osc = ctx.create_oscillator(type=wave, frequency=f)
        osc >> lp
        osc.start(0)
    noise = ctx.create_noise(seed=p["seed"])
    noise >> ctx.create_gain(gain=p["noise"]) >> lp
    noise.start(0)
    g = env.gain
    _envelope(g.set_value_at_time, g.linear_ramp_to_value_at_time, g.set_target_at_time)
    return ctx


def ls_tiny(i: int) -> "ls.OfflineAudioContext":
    return ls.OfflineAudioContext(1, TINY_FRAMES, RATE)


def collect(results) -> tuple:
    """(list of arrays, seconds until the first one came) of an iterator of arrays."""
    t0 = time.perf_counter()
    out, first = [], None
    for x in results:
        if first is None:
            first = time.perf_counter() - t0
        out.append(x)
    return out, first


def ls_run(build, items, workers: int, client=None, chunksize: int = 1) -> tuple:
    return collect(r.buffer for r in ls.render_batch(build, items, workers=workers, client=client,
                                                     chunksize=chunksize, output="numpy"))


# ---- web-audio-api ---------------------------------------------------------

_WAA_LOOP = None
_WAA_NOISE = None


def waa_render_synth(p: dict) -> np.ndarray:
    import web_audio_api as w
    global _WAA_LOOP, _WAA_NOISE
    if _WAA_LOOP is None:
        _WAA_LOOP = asyncio.new_event_loop()
        _WAA_NOISE = np.random.default_rng(0).uniform(-1, 1, int(RATE * SECONDS)).astype(np.float32)
    ctx = w.OfflineAudioContext(1, int(RATE * SECONDS), RATE)
    lp = ctx.createBiquadFilter()
    lp.type = "lowpass"
    lp.frequency.value = p["cutoff"]
    lp.Q.value = p["q"]
    env = ctx.createGain()
    env.gain.value = 0.0
    lp.connect(env)
    env.connect(ctx.destination)
    for f, wave in ((p["freq"], "sawtooth"), (p["freq"] * p["detune"], "square")):
        osc = ctx.createOscillator()
        osc.type = wave
        osc.frequency.value = f
        osc.connect(lp)
        osc.start(0)
    buf = ctx.createBuffer(1, len(_WAA_NOISE), RATE)
    buf.copyToChannel(_WAA_NOISE, 0)
    src = ctx.createBufferSource()
    src.buffer = buf
    src.loop = True
    ng = ctx.createGain()
    ng.gain.value = p["noise"]
    src.connect(ng)
    ng.connect(lp)
    src.start(0)
    g = env.gain
    _envelope(g.setValueAtTime, g.linearRampToValueAtTime, g.setTargetAtTime)

    async def go():
        return await ctx.startRendering()

    out = _WAA_LOOP.run_until_complete(go())
    return np.asarray(out.getChannelData(0), dtype=np.float32)[None, :]


def waa_run(items, workers: int) -> tuple:
    if workers <= 1:
        return collect(waa_render_synth(p) for p in items)
    import multiprocessing
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return collect(pool.map(waa_render_synth, items))


def have_waa() -> bool:
    try:
        import web_audio_api  # noqa: F401
        return True
    except ImportError:
        return False


# ---- measuring -------------------------------------------------------------

def timed(fn, *args, **kw):
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return time.perf_counter() - t0, out


def count_for(budget: float, per_item: float, workers: int, lo: int, hi: int) -> int:
    return int(max(lo, min(hi, budget * max(1, workers) / max(per_item, 1e-7))))


def bench_synth(args) -> tuple:
    rows = []
    # untimed warm-up and an estimate of one render's time
    for build in (ls_synth,):
        ls_run(build, [synth_params(0)], 0)
    t_one, _ = timed(ls_run, ls_synth, [synth_params(i) for i in range(3)], 0)
    t_one /= 3
    t_start, _ = timed(ls_run, ls_tiny, [0, 1], 2)     # spawning two workers, two tiny renders
    engines = [("labsound", lambda items, n: ls_run(ls_synth, items, n))]
    if not args.no_peers:
        if have_waa():
            waa_render_synth(synth_params(0))
            engines.append(("web-audio-api", waa_run))
        else:
            print("web-audio-api is not installed (pip install web-audio-api): skipped",
                  file=sys.stderr)
    for engine, run in engines:
        for workers in args.workers:
            n = count_for(args.budget, t_one * (3 if engine != "labsound" else 1), workers,
                          args.min_items, args.max_items)
            items = [synth_params(i) for i in range(n)]
            wall, (outs, first) = timed(run, items, workers)
            assert len(outs) == n and outs[0].shape == (1, int(RATE * SECONDS))
            rms = float(np.sqrt(np.mean(np.square(outs[-1], dtype=np.float64))))
            rows.append({"engine": engine, "workers": workers, "renders": n, "wall_s": wall,
                         "first_s": first, "renders_per_s": n / wall,
                         # after the first result: the pool is up
                         "steady_per_s": (n - 1) / max(wall - first, 1e-9),
                         "realtime": n * SECONDS / wall, "rms": rms})
    return rows, t_start


def bench_overhead(args) -> list:
    rows = []
    n = args.tiny
    items = list(range(n))
    t_here, _ = timed(ls_run, ls_tiny, items, 0)
    base = t_here / n
    rows.append({"mode": "in-process loop (workers=0)", "items": n, "wall_s": t_here,
                 "first_s": 0.0, "per_item_us": base * 1e6, "overhead_us": 0.0})

    def add(mode, wall, first, workers):
        # after the first result (the pool is up): wall time per item, and what a
        # worker spends per item beyond the render itself
        steady = (wall - first) / (n - 1)
        rows.append({"mode": mode, "items": n, "wall_s": wall, "first_s": first,
                     "per_item_us": steady * 1e6, "overhead_us": (steady * workers - base) * 1e6})

    for cs in (1, 16):
        wall, (_, first) = timed(ls_run, ls_tiny, items, 2, chunksize=cs)
        add(f"process pool, 2 workers, chunksize {cs}", wall, first, 2)
    if not args.no_dask:
        try:
            import distributed
        except ImportError:
            print("dask.distributed is not installed (pip install labsound[dask]): skipped",
                  file=sys.stderr)
            return rows
        import logging
        logging.getLogger("distributed").setLevel(logging.CRITICAL)
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None, silence_logs=logging.CRITICAL) as cluster, \
                distributed.Client(cluster) as client:
            ls_run(ls_tiny, [0, 1], 0, client=client)   # warm: workers import labsound
            for cs in (1, 16):
                wall, (_, first) = timed(ls_run, ls_tiny, items, 0, client=client, chunksize=cs)
                add(f"dask LocalCluster, 2 processes, chunksize {cs}", wall, first, 2)
    return rows


def print_tables(synth: list, t_start: float, overhead: list) -> None:
    print(f"\nSynth renders: {SECONDS:g} s at {RATE} Hz mono (2 oscillators, biquad, "
          "envelope, noise), float32 arrays back")
    print(f"{'engine':<15} {'workers':>7} {'renders':>8} {'wall s':>8} {'renders/s':>10} "
          f"{'steady/s':>9} {'scaling':>8} {'labsound /':>11}")
    print(f"{'':<15} {'':>7} {'':>8} {'':>8} {'':>10} {'':>9} {'vs 1 w.':>8} {'peer':>11}")
    by = {(r["engine"], r["workers"]): r for r in synth}
    for r in synth:
        one = by.get((r["engine"], min(w for e, w in by if e == r["engine"])))
        scaling = r["steady_per_s"] / one["steady_per_s"] if one else float("nan")
        r["scaling"] = scaling
        if r["engine"] == "labsound":
            peer = by.get(("web-audio-api", r["workers"]))
            ratio = f"{r['steady_per_s'] / peer['steady_per_s']:.2f}x" if peer else "-"
            if peer:
                r["vs_web_audio_api"] = r["steady_per_s"] / peer["steady_per_s"]
        else:
            ratio = ""
        print(f"{r['engine']:<15} {r['workers']:>7} {r['renders']:>8} {r['wall_s']:>8.3f} "
              f"{r['renders_per_s']:>10.1f} {r['steady_per_s']:>9.1f} {scaling:>7.2f}x {ratio:>11}")
    print(f"(renders/s: over the wall time, which includes starting the pool: 2 spawned labsound\n"
          f" workers start in {t_start:.2f} s; steady/s: after the first result. Scaling and the\n"
          f" ratio to web-audio-api compare steady rates; 1 s of audio per render, so renders/s\n"
          f" is also the speed in multiples of real time)")
    print(f"\nPer-item overhead: tiny graphs ({TINY_FRAMES} frames, nothing connected)")
    print(f"{'mode':<46} {'items':>6} {'wall s':>8} {'start s':>8} {'us/item':>9} {'overhead us':>12}")
    for r in overhead:
        print(f"{r['mode']:<46} {r['items']:>6} {r['wall_s']:>8.3f} {r['first_s']:>8.3f} "
              f"{r['per_item_us']:>9.1f} {r['overhead_us']:>12.1f}")
    print("(start: until the first result; us/item: wall time per item after it; overhead: that\n"
          " x workers, less an in-process render: a worker's time per item spent on transport)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--budget", type=float, default=4.0,
                    help="seconds of work each synth row aims at (default 4)")
    ap.add_argument("--min-items", type=int, default=4, help="fewest renders per row (default 4)")
    ap.add_argument("--max-items", type=int, default=2000, help="most renders per row")
    ap.add_argument("--tiny", type=int, default=2000, help="tiny renders per overhead row (default 2000)")
    ap.add_argument("--workers", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2],
                    help="worker counts, comma-separated (default 1,2)")
    ap.add_argument("--no-peers", action="store_true", help="labsound alone (no web-audio-api)")
    ap.add_argument("--no-dask", action="store_true", help="skip the Dask overhead rows")
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args(argv)
    if any(w < 1 for w in args.workers):
        ap.error("--workers: counts must be >= 1")
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),)
    print(f"labsound {ls.__version__}, Python {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} CPUs, load average {load[0]:.1f} "
          "(other processes take CPUs the pools would use)")
    synth, t_start = bench_synth(args)
    overhead = bench_overhead(args)
    print_tables(synth, t_start, overhead)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"synth": synth, "pool_start_s": t_start, "overhead": overhead}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
