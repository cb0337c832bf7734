#!/usr/bin/env python3
"""Soak harness: a real-time AudioContext playing notes for minutes or hours.

A new note every 20 ms (an oscillator through an ADSR envelope into a master
bus, stopped after 100 ms; every other envelope is one-shot and never gated
off), the bus through a Python processing node (an AudioProcessor in worker
mode) into the destination. Every `--interval` seconds it samples the
process's RSS, ctx.stats["live_nodes"], the render load, the device's
underruns and the context's late periods, and the context's clock against
the wall clock, with the machine's load average and CPU use (busy and
hypervisor steal) over the interval, so that underruns can be read against
what else the machine was doing; at the end it prints a summary (and `--json` writes every
sample).

It plays on a private PulseAudio daemon with a null sink that it starts
itself (as bench/realtime.py and the device tests do), so no sound card is
needed and nothing is heard; `--backend null` uses labsound's own null sink.
It is a harness, not a test: `--check` turns the summary into an exit
status for CI (live nodes bounded, RSS growth after the first minute, clock
drift), with limits given on the command line.

    python bench/soak.py --minutes 60 --json soak.json
    python bench/soak.py --minutes 2 --check          # what CI runs
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def cpu_times() -> tuple:
    """(busy, steal, total) jiffies of all CPUs since boot, from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return (0, 0, 0)
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    steal = v[7] if len(v) > 7 else 0
    total = sum(v[:8])
    return (total - idle, steal, total)


def soak(ls, backend: str, minutes: float, interval: float, log) -> dict:
    import numpy as np

    class Level(ls.AudioProcessor):
        """The processing node: the bus times 0.5, in NumPy."""

        def process(self, inputs, outputs, parameters):
            x = inputs[0]
            if x.shape[0]:
                np.multiply(x, 0.5, out=outputs[0][: x.shape[0]])
            return True

    ctx = ls.AudioContext(device="null") if backend == "null" else ls.AudioContext()
    master = ctx.create_gain(gain=0.2)
    level = ctx.create_processor(Level, mode="worker")
    master >> level >> ctx.destination
    rng = random.Random(1)

    def note(i: int) -> None:
        t = ctx.current_time + 0.03
        osc = ctx.create_oscillator(frequency=rng.uniform(200.0, 800.0))
        one_shot = i % 2 == 1
        env = ctx.create_adsr(attack_time=0.005, decay_time=0.01, sustain_level=0.5,
                              sustain_time=0.04, release_time=0.03, one_shot=one_shot)
        osc >> env >> master
        env.gate_on(t)
        if not one_shot:
            env.gate_off(t + 0.06)
        osc.start(t)
        osc.stop(t + 0.1)

    samples = []
    cpu_prev = cpu_times()
    w0 = time.monotonic()
    c0 = ctx.current_time
    next_note = w0
    next_sample = w0 + interval
    end = w0 + minutes * 60.0
    i = 0
    while True:
        now = time.monotonic()
        if now >= end:
            break
        if now >= next_note:
            note(i)
            i += 1
            next_note += 0.02
            if next_note < now - 1.0:        # this loop itself fell behind: skip ahead
                next_note = now
        if now >= next_sample:
            s = ctx.stats
            wall = now - w0
            clock = ctx.current_time - c0
            row = {
                "t": round(wall, 2),
                "notes": i,
                "rss_mb": round(rss_mb(), 2),
                "live_nodes": s["live_nodes"],
                "render_load": round(s.get("render_load", 0.0), 4),
                "max_render_load": round(s.get("max_render_load", 0.0), 4),
                "underruns": s.get("underruns", 0),
                "late_periods": s.get("late_periods", 0),
                "time_lost": round(s.get("time_lost", 0.0), 4),
                "clock": round(clock, 4),
                "processing_misses": level.stats.misses,
                # what else the machine did: underruns are read against these
                "loadavg_1min": round(os.getloadavg()[0], 2),
                "cpu_busy": None,
                "cpu_steal": None,
            }
            cpu = cpu_times()
            dt = cpu[2] - cpu_prev[2]
            if dt > 0:
                row["cpu_busy"] = round((cpu[0] - cpu_prev[0]) / dt, 3)
                row["cpu_steal"] = round((cpu[1] - cpu_prev[1]) / dt, 4)
            cpu_prev = cpu
            samples.append(row)
            print("  ".join(f"{k}={v}" for k, v in row.items()), file=log, flush=True)
            next_sample += interval
        time.sleep(max(0.0, min(next_note, next_sample, end) - time.monotonic()))
    backend_name = ctx.backend
    err = level.error
    ctx.close()
    return {"backend": backend_name, "notes": i, "samples": samples,
            "processing_error": None if err is None else repr(err)}


def summarize(result: dict) -> dict:
    s = result["samples"]
    if len(s) < 2:
        return {"error": "fewer than two samples: run longer than two intervals"}
    first_min = [r for r in s if r["t"] <= 60.0] or s[:1]
    base = first_min[-1]                    # RSS and clock counted from the first minute on
    last = s[-1]
    half = s[len(s) // 2:]
    dw = last["t"] - s[0]["t"]
    dc = last["clock"] - s[0]["clock"]
    return {
        "backend": result["backend"],
        "minutes": round(last["t"] / 60.0, 2),
        "notes": result["notes"],
        "live_nodes_max": max(r["live_nodes"] for r in s),
        "live_nodes_max_first_half": max(r["live_nodes"] for r in s[: len(s) // 2] or s[:1]),
        "live_nodes_max_second_half": max(r["live_nodes"] for r in half),
        "rss_first_mb": s[0]["rss_mb"],
        "rss_after_first_minute_mb": base["rss_mb"],
        "rss_last_mb": last["rss_mb"],
        "rss_growth_after_first_minute_mb": round(last["rss_mb"] - base["rss_mb"], 2),
        # the clock against the wall from the first sample on (a sound server
        # may take a burst of audio at the start)
        "clock_drift": round((dc - dw) / dw, 6) if dw > 0 else 0.0,
        "underruns": last["underruns"],
        "late_periods": last["late_periods"],
        "time_lost": last["time_lost"],
        "render_load_last": last["render_load"],
        "max_render_load": max(r["max_render_load"] for r in s),
        "processing_misses": last["processing_misses"],
        "processing_error": result["processing_error"],
        "loadavg_max": max(r["loadavg_1min"] for r in s),
        "loadavg_mean": round(sum(r["loadavg_1min"] for r in s) / len(s), 2),
        # underruns split by whether the machine's CPUs were saturated (busy
        # above 90% over the sampling interval) when they happened
        "underruns_while_cpu_saturated": sum(
            max(0, b["underruns"] - a["underruns"]) for a, b in zip(s, s[1:])
            if (b["cpu_busy"] or 0.0) > 0.9),
    }


def check(summary: dict, args) -> list:
    bad = []
    if "error" in summary:
        return [summary["error"]]
    # bounded: the second half holds no more nodes than the first (plus room
    # for the notes of a few periods), i.e. the count does not grow with time
    if summary["live_nodes_max_second_half"] > summary["live_nodes_max_first_half"] + args.max_node_slack:
        bad.append("live nodes grow: %(live_nodes_max_first_half)d in the first half, "
                   "%(live_nodes_max_second_half)d in the second" % summary)
    if summary["live_nodes_max"] > args.max_nodes:
        bad.append(f"live nodes {summary['live_nodes_max']} > {args.max_nodes}")
    if summary["rss_growth_after_first_minute_mb"] > args.max_rss_growth:
        bad.append(f"RSS grew {summary['rss_growth_after_first_minute_mb']} MB after the first "
                   f"minute (> {args.max_rss_growth})")
    if abs(summary["clock_drift"]) > args.max_drift:
        bad.append(f"clock drift {summary['clock_drift']:.6f} (> {args.max_drift})")
    if summary["processing_error"]:
        bad.append("the processing node raised: " + summary["processing_error"])
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--interval", type=float, default=10.0, help="seconds between samples")
    ap.add_argument("--backend", choices=["pulse", "null"], default="pulse")
    ap.add_argument("--realtime-server", action="store_true",
                    help="start the private PulseAudio server at a real-time priority, main thread "
                         "included (see realtime.start_private_pulse)")
    ap.add_argument("--json", help="write the samples and the summary here")
    ap.add_argument("--check", action="store_true", help="exit 1 when a limit below is exceeded")
    ap.add_argument("--max-nodes", type=int, default=200)
    ap.add_argument("--max-node-slack", type=int, default=40)
    ap.add_argument("--max-rss-growth", type=float, default=1.0, help="MB after the first minute")
    ap.add_argument("--max-drift", type=float, default=0.001, help="relative, clock against wall")
    args = ap.parse_args()
    # a SIGTERM (a CI timeout, kill) ends the run through the `finally` below,
    # so the private sound server it started goes with it
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    server = None
    if args.backend == "pulse" and not os.environ.get("PULSE_SERVER"):
        if shutil.which("pulseaudio") is None:
            print("no pulseaudio binary (apt-get install pulseaudio pulseaudio-utils); "
                  "use --backend null", file=sys.stderr)
            return 2
        from realtime import start_private_pulse
        server = start_private_pulse(realtime_server=args.realtime_server)
        os.environ["LABSOUND_AUDIO_API"] = "pulseaudio"
    if args.backend == "null":
        os.environ["LABSOUND_BACKEND"] = "null"
    try:
        import labsound as ls

        print(f"soak: {args.minutes} min on {args.backend}, a note every 20 ms, "
              f"samples every {args.interval} s", flush=True)
        result = soak(ls, args.backend, args.minutes, args.interval, sys.stdout)
    finally:
        if server is not None:
            proc, d = server
            proc.terminate()
            try:
                proc.wait(5)
            except Exception:
                proc.kill()
            shutil.rmtree(d, ignore_errors=True)
    summary = summarize(result)
    print(json.dumps(summary, indent=1))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"summary": summary, **result}, f, indent=1)
    if args.check:
        bad = check(summary, args)
        for b in bad:
            print("CHECK FAILED:", b, file=sys.stderr)
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
