"""Hear the microphone: default input -> a gain -> the default output.

    python examples/microphone_loopback.py --seconds 10 --gain 0.5

Use headphones: with speakers the loop feeds back. The input is captured at
the context's rate (the sound server resamples), one channel by default,
up-mixed to the output's channels.
"""

import argparse

import labsound as ls

ap = argparse.ArgumentParser()
ap.add_argument("--seconds", type=float, default=10.0)
ap.add_argument("--gain", type=float, default=0.5)
ap.add_argument("--channels", type=int, default=1)
ap.add_argument("--device", type=int, default=None, help="input device index (default: the system's)")
args = ap.parse_args()

with ls.AudioContext(latency_hint="interactive") as ctx:
    try:
        mic = ctx.create_microphone(device=args.device, channels=args.channels)
    except (ls.LabSoundError, IndexError) as e:
        raise SystemExit(f"no audio input: {e}")
    volume = ctx.create_gain(gain=args.gain)
    mic >> volume >> ctx.destination
    print(f"{ctx.backend}: input -> output for {args.seconds:g} s "
          f"(output latency {1000 * ctx.output_latency:.1f} ms). Ctrl-C stops.")
    try:
        ctx.wait(args.seconds)
    except KeyboardInterrupt:
        pass
    s = ctx.stats
    print(f"underruns {s['underruns']}, input dropouts {s['input_dropouts']}, "
          f"render load {100 * s['render_load']:.2f}%")
