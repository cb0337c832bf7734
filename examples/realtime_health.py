"""A real-time context that says how it is doing: a note every 20 ms for a
few seconds, each dropped as soon as it is scheduled, then the context's
health: live nodes (bounded: finished notes are reclaimed), render load,
late periods and time lost. With --overload it also adds more voices than
the machine can render, and the context says it fell behind (a
labsound.RealtimeWarning, and the counters).

    python examples/realtime_health.py
    python examples/realtime_health.py --seconds 10 --overload 4000
"""

import argparse
import random
import time
import warnings

import labsound as ls


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--overload", type=int, default=0, metavar="VOICES",
                    help="also play this many supersaw voices")
    ap.add_argument("--device", default=None, help="'null' for the silent null sink")
    args = ap.parse_args(argv)

    rng = random.Random(0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ls.RealtimeWarning)
        with ls.AudioContext(device=args.device) as ctx:
            bus = ctx.create_gain(gain=0.2)
            bus >> ctx.destination
            for _ in range(args.overload):
                v = ctx.create_supersaw(frequency=rng.uniform(50, 60))
                v >> ctx.create_gain(gain=0.0) >> ctx.destination
                v.start()
            end = time.monotonic() + args.seconds
            peak_nodes = 0
            while time.monotonic() < end:
                t = ctx.current_time + 0.02
                osc = ctx.create_oscillator(frequency=rng.uniform(200, 800))
                env = ctx.create_adsr(attack_time=0.005, decay_time=0.01, sustain_level=0.5,
                                      sustain_time=0.04, release_time=0.03, one_shot=True)
                osc >> env >> bus
                env.gate_on(t)
                osc.start(t)
                osc.stop(t + 0.1)
                del osc, env                   # the graph keeps them while they sound
                peak_nodes = max(peak_nodes, ctx.stats["live_nodes"])
                ctx.wait(0.02)
            s = ctx.stats
    print(f"backend {s['backend']}: {s['live_nodes']} live nodes at the end "
          f"(at most {peak_nodes}), render load {s['render_load']:.3f} "
          f"(worst period {s['max_render_load']:.3f}), "
          f"{s['late_periods']} of {s['periods']} periods late, {s['time_lost']:.3f} s lost")
    for w in caught:
        if issubclass(w.category, ls.RealtimeWarning):
            print("warning:", w.message)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
