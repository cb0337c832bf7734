#!/usr/bin/env python3
"""Real-time benchmark: labsound on a sound server, under load.

For each callback size (128 and 256 frames by default) it plays, for 60 s of
real time, 300 sawtooth voices, each through a gain with a repeating attack /
release envelope, into a master gain; meanwhile another Python thread adds
and removes nodes 100 times a second (a short oscillator and its gain,
created, connected, started, stopped and dropped). It prints the underruns
the server reported, the callbacks that overran their time budget, the
render load (share of each callback's real-time budget spent rendering:
mean and worst) and the process's CPU use as a share of one core.

It plays through whatever ``ls.AudioContext()`` opens. Without PULSE_SERVER
in the environment it starts a private PulseAudio daemon with a null sink
(so nothing is heard and no sound card is needed), as the tests do.

    python bench/realtime.py              # 60 s at 128 and at 256 frames
    python bench/realtime.py --short      # 5 s each, a smoke run
    python bench/realtime.py --seconds 20 --buffers 256 --voices 500
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time


def start_private_pulse(realtime_server=False):
    """pulseaudio -n with a null sink as the default; returns (process, dir).

    realtime_server=True starts the whole server, its main thread included,
    at a real-time priority (SCHED_RR 5, through chrt; needs the right to do
    so). A stock PulseAudio gives real-time priority to its I/O threads only,
    while its main thread relays the server's requests for more audio to the
    client: on a machine whose CPUs are saturated that thread is scheduled
    late and the stream underruns, whatever the client does.
    """
    if shutil.which("pulseaudio") is None:
        sys.exit("no PULSE_SERVER and no pulseaudio binary: apt-get install pulseaudio pulseaudio-utils")
    d = tempfile.mkdtemp(prefix="ls-bench-pulse-")
    sock = os.path.join(d, "native")
    with open(os.path.join(d, "default.pa"), "w") as f:
        f.write(f"load-module module-native-protocol-unix socket={sock} auth-anonymous=1\n"
                "load-module module-null-sink sink_name=bench rate=44100 channels=2 format=float32le\n"
                "set-default-sink bench\n")
    os.makedirs(os.path.join(d, "run"))
    os.environ.update(PULSE_SERVER="unix:" + sock, PULSE_RUNTIME_PATH=os.path.join(d, "run"),
                      JACK_NO_START_SERVER="1")
    env = dict(os.environ, HOME=d)
    log = open(os.path.join(d, "pulse.log"), "w")
    prefix = ["chrt", "-r", "5"] if realtime_server and shutil.which("chrt") else []
    proc = subprocess.Popen(prefix + ["pulseaudio", "-n", "-F", os.path.join(d, "default.pa"),
                             "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
                             "--log-target=stderr"], env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(100):
        if subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode == 0:
            if prefix:
                # the server sets its main thread back to normal scheduling
                # as it starts: raise that thread (its id is the pid) again
                subprocess.run(["chrt", "-r", "-p", "5", str(proc.pid)], capture_output=True)
            return proc, d
        time.sleep(0.1)
    proc.kill()
    sys.exit("the private PulseAudio server did not start (see %s)" % os.path.join(d, "pulse.log"))


def run(ls, buffer_size, seconds, voices, edits_per_second, latency_hint=None):
    ctx = ls.AudioContext(buffer_size=buffer_size, latency_hint=latency_hint)
    ctx.resume()
    time.sleep(1.0)                       # let the server settle the stream's latency
    rng = random.Random(1)
    master = ctx.create_gain(gain=1.0 / voices)
    master >> ctx.destination
    t0 = ctx.current_time + 0.1
    nodes = []
    for i in range(voices):
        osc = ctx.create_oscillator(type="sawtooth", frequency=rng.uniform(55.0, 880.0))
        env = ctx.create_gain(gain=0.0)
        g = env.gain
        period = rng.uniform(0.5, 2.0)
        t = t0 + rng.uniform(0.0, period)
        end = t0 + seconds + 1.0
        while t < end:                    # attack 10 ms, decay to 0.3, release at 60 %
            g.set_value_at_time(0.0, t)
            g.linear_ramp_to_value_at_time(1.0, t + 0.01)
            g.set_target_at_time(0.3, t + 0.01, 0.05)
            g.set_target_at_time(0.0, t + 0.6 * period, 0.05)
            t += period
        osc >> env >> master
        osc.start(t0)
        nodes.append((osc, env))

    stop = threading.Event()
    edits = [0]

    def editor():
        interval = 1.0 / edits_per_second
        live = []
        next_t = time.monotonic()
        while not stop.is_set():
            osc = ctx.create_oscillator(frequency=rng.uniform(200.0, 2000.0))
            g = ctx.create_gain(gain=0.0)
            osc >> g >> master
            now = ctx.current_time
            osc.start(now)
            osc.stop(now + 0.05)
            live.append((osc, g))
            if len(live) > 5:             # drop the oldest: disconnect, let the engine reclaim it
                o, gg = live.pop(0)
                o.disconnect()
                gg.disconnect()
            edits[0] += 1
            next_t += interval
            delay = next_t - time.monotonic()
            if delay > 0:
                time.sleep(delay)

    s0 = ctx.stats
    cpu0, wall0 = time.process_time(), time.monotonic()
    th = threading.Thread(target=editor, daemon=True)
    th.start()
    loads = []
    deadline = wall0 + seconds
    while time.monotonic() < deadline:
        time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
        loads.append(ctx.stats["render_load"])
    stop.set()
    th.join()
    cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
    s1 = ctx.stats
    ctx.close()
    return dict(
        buffer_size=buffer_size,
        backend=s1["backend"],
        seconds=wall,
        callbacks=s1["callbacks"] - s0["callbacks"],
        frames_per_callback=s1["frames_per_buffer"],
        underruns=s1["underruns"] - s0["underruns"],
        overloads=s1["overloads"] - s0["overloads"],
        load_mean=sum(loads) / len(loads),
        load_max=s1["max_render_load"],
        cpu_share=cpu / wall,
        edits_per_second=edits[0] / wall,
        live_nodes=s1["live_nodes"],
        pool_exhausted=s1["pool_exhausted"] - s0["pool_exhausted"],
        rt_priority=s1.get("realtime_priority", 0),
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--short", action="store_true", help="5 s per run")
    ap.add_argument("--buffers", default="128,256", help="callback sizes in frames")
    ap.add_argument("--voices", type=int, default=300)
    ap.add_argument("--edits", type=float, default=100.0, help="node additions per second")
    ap.add_argument("--latency", default=None,
                    help="latency_hint: interactive (default), balanced, playback or seconds")
    args = ap.parse_args()
    seconds = 5.0 if args.short else args.seconds

    server = None
    if not os.environ.get("PULSE_SERVER") and shutil.which("pulseaudio"):
        server = start_private_pulse()
    os.environ.pop("LABSOUND_BACKEND", None)
    import labsound as ls

    print(f"labsound {ls.__version__}: {args.voices} sawtooth voices with envelopes, "
          f"{args.edits:g} node additions/removals per second, {seconds:g} s per run")
    print(f"{'buffer':>6} {'backend':>10} {'callbacks':>9} {'underruns':>9} {'overloads':>9} "
          f"{'load mean':>9} {'load max':>8} {'CPU/core':>8} {'edits/s':>7} {'RT prio':>7}")
    try:
        for b in [int(x) for x in args.buffers.split(",")]:
            hint = args.latency
            if hint and hint[0].isdigit():
                hint = float(hint)
            r = run(ls, b, seconds, args.voices, args.edits, hint)
            print(f"{r['buffer_size']:>6} {r['backend']:>10} {r['callbacks']:>9} {r['underruns']:>9} "
                  f"{r['overloads']:>9} {100 * r['load_mean']:>8.1f}% {100 * r['load_max']:>7.1f}% "
                  f"{100 * r['cpu_share']:>7.1f}% {r['edits_per_second']:>7.1f} {r['rt_priority']:>7}",
                  flush=True)
    finally:
        if server:
            server[0].terminate()
            server[0].wait()
            shutil.rmtree(server[1], ignore_errors=True)


if __name__ == "__main__":
    main()
