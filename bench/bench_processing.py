#!/usr/bin/env python3
"""Python processing nodes: call overhead per quantum, and the GIL's impact.

1. Overhead (offline): the render time of a graph holding one Python node
   whose process function does nothing, minus the render time of the same
   context without it, divided by the quanta rendered: what one call of
   Python per quantum costs. Measured for labsound's ``create_function``
   and ``create_processor`` and, in the same run, for web-audio-api's
   (PyPI) ``AudioWorkletProcessor`` in Python. Each engine runs in its own
   interpreter; the best of ``--repeat`` runs is kept.
2. GIL impact (real time, null backend): a processor in worker mode while
   another Python thread computes in pure Python; prints calls and misses
   for a few lookaheads and switch intervals.

``python bench/bench_processing.py`` (``--quick`` for a short run). Also run
by ``python bench/bench.py --cases processing``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time

MARK = "@@LSPROC@@ "
RATE = 48000
Q = 128


def _best(fn, repeat):
    return min(fn() for _ in range(repeat))


# ---- workers (run in a fresh interpreter each) ----------------------------

def ls_overhead(seconds: float, repeat: int, kind: str) -> dict:
    import labsound as ls

    frames = int(seconds * RATE)

    class Empty(ls.AudioProcessor):
        def process(self, inputs, outputs, parameters):
            return True

    def empty_function(channel, buffer):
        pass

    calls = []

    def run(with_node: bool) -> float:
        ctx = ls.OfflineAudioContext(1, frames, RATE)
        node = None
        if with_node:
            if kind == "function":
                node = ctx.create_function(channels=1)
                node.set_process_function(empty_function)
                node.start()
            else:
                node = ctx.create_processor(Empty, number_of_inputs=0, output_channel_count=[1])
            node >> ctx.destination
        t = time.perf_counter()
        ctx.start_rendering()
        elapsed = time.perf_counter() - t
        if node is not None:
            calls.append(node.stats.calls)
        return elapsed

    run(True)  # warm-up: imports, NumPy views, threads
    base = _best(lambda: run(False), repeat)
    with_node = _best(lambda: run(True), repeat)
    quanta = -(-frames // Q)
    # the empty function really ran once per quantum
    assert all(c == quanta for c in calls), (calls, quanta)
    return {"base_s": base, "node_s": with_node, "quanta": quanta,
            "us_per_call": (with_node - base) / quanta * 1e6,
            "version": ls.__version__}


def waa_overhead(seconds: float, repeat: int) -> dict:
    import asyncio

    import web_audio_api as w

    frames = int(seconds * RATE)
    loop = asyncio.new_event_loop()

    class Empty(w.AudioWorkletProcessor):
        name = "labsound-bench-empty"

        def process(self, inputs, outputs, parameters):
            return True

    def run(with_node: bool) -> float:
        ctx = w.OfflineAudioContext(1, frames, float(RATE))
        if with_node:
            try:
                ctx.audioWorklet.addModule(Empty)
            except ValueError:
                pass  # the binding registers processors once per process
            node = w.AudioWorkletNode(ctx, Empty.name,
                                      {"numberOfInputs": 0, "outputChannelCount": [1]})
            node.connect(ctx.destination)

        async def go():
            return await ctx.startRendering()

        t = time.perf_counter()
        loop.run_until_complete(go())
        return time.perf_counter() - t

    run(True)
    base = _best(lambda: run(False), repeat)
    with_node = _best(lambda: run(True), repeat)
    quanta = -(-frames // Q)
    try:
        from importlib.metadata import version
        ver = version("web-audio-api")
    except Exception:
        ver = "?"
    return {"base_s": base, "node_s": with_node, "quanta": quanta,
            "us_per_call": (with_node - base) / quanta * 1e6, "version": ver}


def gil_run(seconds: float, lookahead: int, switch: float, hog: bool) -> dict:
    import labsound as ls

    class Tone(ls.AudioProcessor):
        def process(self, inputs, outputs, parameters):
            outputs[0][:] = 0.1
            return True

    stop = threading.Event()

    def hog_loop():
        x = 0
        while not stop.is_set():
            for i in range(10000):
                x += i * i

    old = sys.getswitchinterval()
    sys.setswitchinterval(switch)
    try:
        with ls.AudioContext(sample_rate=RATE) as ctx:
            node = ctx.create_processor(Tone, number_of_inputs=0, output_channel_count=[1],
                                        lookahead=lookahead)
            node >> ctx.destination
            th = threading.Thread(target=hog_loop)
            if hog:
                th.start()
            t0 = time.monotonic()
            time.sleep(seconds)
            stop.set()
            if hog:
                th.join()
            wall = time.monotonic() - t0
            s = node.stats
            now = ctx.current_time
    finally:
        sys.setswitchinterval(old)
    return {"calls": s.calls, "misses": s.misses, "dropped": s.dropped,
            "latency_ms": lookahead * Q / RATE * 1e3, "wall_s": wall, "context_s": now}


def worker_main(spec: str) -> int:
    job = json.loads(spec)
    what = job["what"]
    if what == "labsound":
        out = ls_overhead(job["seconds"], job["repeat"], job["kind"])
    elif what == "web-audio-api":
        out = waa_overhead(job["seconds"], job["repeat"])
    else:
        out = gil_run(job["seconds"], job["lookahead"], job["switch"], job["hog"])
    print(MARK + json.dumps(out))
    return 0


# ---- parent ---------------------------------------------------------------

def run_job(job: dict, timeout: float = 300.0) -> dict:
    try:
        p = subprocess.run([sys.executable, os.path.abspath(__file__), "--_worker", json.dumps(job)],
                           capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": "timeout"}
    for line in p.stdout.splitlines():
        if line.startswith(MARK):
            return json.loads(line[len(MARK):])
    tail = (p.stderr.strip().splitlines() or ["no output"])[-1]
    return {"error": tail}


def available(module: str) -> bool:
    import importlib.util
    return importlib.util.find_spec(module) is not None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="short runs (a few seconds in all)")
    ap.add_argument("--repeat", type=int, default=None, help="runs per measure (best kept)")
    ap.add_argument("--no-peers", action="store_true", help="labsound alone")
    ap.add_argument("--no-gil", action="store_true", help="skip the real-time GIL runs")
    ap.add_argument("--json", metavar="OUT", help="also write the results as JSON")
    ap.add_argument("--_worker", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._worker:
        return worker_main(args._worker)

    seconds = 2.0 if args.quick else 20.0
    repeat = args.repeat or (1 if args.quick else 3)
    results: dict = {"overhead": {}, "gil": []}

    print(f"Call overhead per quantum, offline, {seconds:g} s at {RATE} Hz mono, "
          f"empty process function, best of {repeat}")
    print(f"{'engine':<44} {'without':>10} {'with':>10} {'us/call':>9}")
    rows = [("labsound create_function", {"what": "labsound", "kind": "function"}),
            ("labsound create_processor", {"what": "labsound", "kind": "processor"})]
    if not args.no_peers:
        if available("web_audio_api"):
            rows.append(("web-audio-api AudioWorkletProcessor", {"what": "web-audio-api"}))
        else:
            print("  (web-audio-api not installed: pip install web-audio-api)")
    for name, job in rows:
        job.update(seconds=seconds, repeat=repeat)
        r = run_job(job)
        results["overhead"][name] = r
        if "error" in r:
            print(f"{name:<44} error: {r['error']}")
            continue
        label = f"{name} {r['version']}"
        print(f"{label:<44} {r['base_s'] * 1e3:>8.2f}ms {r['node_s'] * 1e3:>8.2f}ms "
              f"{r['us_per_call']:>9.2f}")
    waa = results["overhead"].get("web-audio-api AudioWorkletProcessor", {})
    lsp = results["overhead"].get("labsound create_processor", {})
    if "us_per_call" in waa and "us_per_call" in lsp and lsp["us_per_call"] > 0:
        print(f"web-audio-api / labsound processor: {waa['us_per_call'] / lsp['us_per_call']:.1f}x")

    if not args.no_gil:
        gil_seconds = 1.0 if args.quick else 3.0
        print(f"\nGIL impact: real-time null backend, {gil_seconds:g} s per run, "
              f"a pure-Python thread computing meanwhile")
        print(f"{'lookahead':>9} {'latency':>9} {'switch':>8} {'hog':>4} {'calls':>7} "
              f"{'misses':>7} {'dropped':>8} {'ctx/wall':>9}")
        for lookahead, switch, hog in [(4, 0.005, False), (4, 0.005, True), (16, 0.005, True),
                                        (4, 0.001, True), (16, 0.05, True)]:
            r = run_job({"what": "gil", "seconds": gil_seconds, "lookahead": lookahead,
                         "switch": switch, "hog": hog})
            results["gil"].append({"lookahead": lookahead, "switch": switch, "hog": hog, **r})
            if "error" in r:
                print(f"{lookahead:>9} error: {r['error']}")
                continue
            print(f"{lookahead:>9} {r['latency_ms']:>7.1f}ms {switch * 1e3:>6.0f}ms "
                  f"{'yes' if hog else 'no':>4} {r['calls']:>7} {r['misses']:>7} "
                  f"{r['dropped']:>8} {r['context_s'] / r['wall_s']:>9.2f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
