#!/usr/bin/env python3
"""Per-call cost of the Python API: the paths where the extension's own
overhead (argument parsing, type checks, object creation) is what a script
pays, not the rendering.

Cases (each timed as the best of ``--repeat`` rounds):

Each round runs every case ``--inner`` times in a fresh interpreter.

- ``nodes``: create 10,000 GainNodes and connect them in a chain
- ``connect``: ``a >> b`` between GainNodes made beforehand, 10,000 times
- ``param_set`` / ``param_get``: ``gain.value = x`` / ``gain.value``, 100,000 times
- ``automation``: ``set_value_at_time(v, t)``, 20,000 times (a fresh param each 1,000)
- ``factory_kw``: ``create_oscillator(frequency=..., type="square")``, 10,000 times
- ``from_numpy``: ``AudioBuffer.from_numpy`` of a (2, 256) float32 array, 10,000 times
- ``channel_data``: ``get_channel_data(0)`` of a stereo buffer, 100,000 times

``python bench/bench_calls.py`` measures the interpreter running it.
``--python A --python B`` measures other interpreters (virtual environments
holding different builds, e.g. the full-API and the abi3 extension), the
rounds interleaved between them so that a machine's drift hits both alike;
the last column is B's time over A's. See docs/building.md, "Stable ABI".
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

MARK = "@@LSCALLS@@ "


def _cases(scale=1.0):
    import numpy as np

    import labsound as ls

    def nodes():
        ctx = ls.OfflineAudioContext(1, 128, 48000)
        t0 = time.perf_counter()
        prev = ctx.create_gain()
        for _ in range(int(9999 * scale)):
            g = ctx.create_gain()
            prev.connect(g)
            prev = g
        return time.perf_counter() - t0

    def connect():
        ctx = ls.OfflineAudioContext(1, 128, 48000)
        gains = [ctx.create_gain() for _ in range(int(10_000 * scale) + 1)]
        t0 = time.perf_counter()
        for a, b in zip(gains, gains[1:]):
            a >> b
        return time.perf_counter() - t0

    def param_set():
        ctx = ls.OfflineAudioContext(1, 128, 48000)
        p = ctx.create_gain().gain
        t0 = time.perf_counter()
        for i in range(int(100_000 * scale)):
            p.value = 0.5
        return time.perf_counter() - t0

    def param_get():
        ctx = ls.OfflineAudioContext(1, 128, 48000)
        p = ctx.create_gain().gain
        t0 = time.perf_counter()
        for _ in range(int(100_000 * scale)):
            p.value
        return time.perf_counter() - t0

    def automation():
        ctx = ls.OfflineAudioContext(1, 128, 48000)
        params = [ctx.create_gain().gain for _ in range(20)]
        t0 = time.perf_counter()
        for p in params:
            for i in range(int(1000 * scale)):
                p.set_value_at_time(0.5, i * 1e-3)
        return time.perf_counter() - t0

    def factory_kw():
        ctx = ls.OfflineAudioContext(1, 128, 48000)
        t0 = time.perf_counter()
        for _ in range(int(10_000 * scale)):
            ctx.create_oscillator(frequency=441.0, type="square")
        return time.perf_counter() - t0

    def from_numpy():
        a = np.zeros((2, 256), np.float32)
        t0 = time.perf_counter()
        for _ in range(int(10_000 * scale)):
            ls.AudioBuffer.from_numpy(a, 48000)
        return time.perf_counter() - t0

    def channel_data():
        b = ls.AudioBuffer.from_numpy(np.zeros((2, 256), np.float32), 48000)
        t0 = time.perf_counter()
        for _ in range(int(100_000 * scale)):
            b.get_channel_data(0)
        return time.perf_counter() - t0

    return {f.__name__: f for f in (nodes, connect, param_set, param_get, automation,
                                    factory_kw, from_numpy, channel_data)}


CALLS = {"nodes": 10_000, "connect": 10_000, "param_set": 100_000, "param_get": 100_000,
         "automation": 20_000,
         "factory_kw": 10_000, "from_numpy": 10_000, "channel_data": 100_000}


def counted(names, scale):
    """Under callgrind: each case between two dumps (callgrind_control)."""
    cases = _cases(scale)
    for name in names:
        cases[name]()        # warm up
        subprocess.run(["callgrind_control", "--dump=before " + name, str(os.getpid())],
                       capture_output=True, check=True)
        cases[name]()
        subprocess.run(["callgrind_control", "--dump=" + name, str(os.getpid())],
                       capture_output=True, check=True)


def instructions(py, names, scale):
    """Instructions per call of each case, counted by valgrind (callgrind)."""
    import glob
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, PYTHONHASHSEED="0")     # the same dict probes each run
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/cg",
                        py, __file__, "--counted", ",".join(names), "--scale", str(scale)],
                       capture_output=True, text=True, check=True, env=env)
        out = {}
        for f in glob.glob(tmp + "/cg*"):
            trigger = total = None
            with open(f) as fh:
                for line in fh:
                    if line.startswith("desc: Trigger:"):
                        trigger = line.split(":", 2)[2].strip()
                    elif line.startswith("summary: ") or line.startswith("totals: "):
                        total = int(line.split(":", 1)[1].split()[0])
            for name in names:
                if trigger and trigger.split()[-1] == name and "before" not in trigger:
                    out[name] = total / (CALLS[name] * scale)
        return out


def worker(names, inner, scale):
    cases = _cases(scale)
    out = {}
    for name in names:
        cases[name]()        # warm up
        out[name] = min(cases[name]() for _ in range(inner))
    import labsound._core as core
    print(MARK + json.dumps({"times": out, "core": core.__file__}))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--python", action="append", default=[],
                    help="an interpreter to measure (repeatable; default: this one)")
    ap.add_argument("--repeat", type=int, default=5, help="rounds; the best is kept (default 5)")
    ap.add_argument("--inner", type=int, default=3,
                    help="runs of each case in one interpreter, the best kept (default 3)")
    ap.add_argument("--cases", default="", help="comma-separated subset (default: all)")
    ap.add_argument("--instructions", action="store_true",
                    help="count instructions per call under valgrind (callgrind) instead of "
                         "timing, a tenth of each case's calls")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--counted", help=argparse.SUPPRESS)
    ap.add_argument("--scale", type=float, default=1.0,
                    help="fraction of each case's calls to time (default 1; the "
                         "instruction counts use a tenth)")
    args = ap.parse_args()
    names = [c for c in args.cases.split(",") if c] or list(
        ["nodes", "connect", "param_set", "param_get", "automation", "factory_kw",
         "from_numpy", "channel_data"])
    if args.counted:
        counted(args.counted.split(","), args.scale)
        return
    if args.worker:
        worker(names, args.inner, args.scale)
        return
    pythons = args.python or [sys.executable]
    if args.instructions:
        per = [instructions(py, names, 0.1) for py in pythons]
        print(f"{'case':14s}" + "".join(f"{'instr/call #' + str(i + 1):>16s}"
                                        for i in range(len(pythons)))
              + (f"{'#2/#1':>8s}" if len(pythons) == 2 else ""))
        for k in names:
            print(f"{k:14s}" + "".join(f"{p[k]:16.0f}" for p in per)
                  + (f"{per[1][k] / per[0][k]:8.3f}" if len(pythons) == 2 else ""))
        return
    best = {py: {} for py in pythons}
    core = {}
    for _ in range(args.repeat):
        for py in pythons:
            r = subprocess.run([py, __file__, "--worker", "--inner", str(args.inner),
                                "--scale", str(args.scale),
                                "--cases", ",".join(names)],
                               capture_output=True, text=True, check=True)
            line = next(ln for ln in r.stdout.splitlines() if ln.startswith(MARK))
            res = json.loads(line[len(MARK):])
            core[py] = res["core"]
            for k, v in res["times"].items():
                best[py][k] = min(v, best[py].get(k, float("inf")))
    for py in pythons:
        print(f"# {py}: {core[py].rsplit('/', 1)[-1]}")
    head = f"{'case':14s}" + "".join(f"{'ms #' + str(i + 1):>10s}" for i in range(len(pythons)))
    if len(pythons) == 2:
        head += f"{'#2/#1':>8s}"
    print(head)
    for k in names:
        row = f"{k:14s}" + "".join(f"{best[py][k] * 1e3:10.2f}" for py in pythons)
        if len(pythons) == 2:
            row += f"{best[pythons[1]][k] / best[pythons[0]][k]:8.3f}"
        print(row)


if __name__ == "__main__":
    main()
