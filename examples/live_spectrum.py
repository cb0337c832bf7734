"""A live spectrum while a real-time context plays (the design document's
third example, without its hand-written drawing loop).

    python examples/live_spectrum.py                  # a window, where there is a display
    python examples/live_spectrum.py --seconds 1 -o spectrum.png

A sawtooth sweeps from 200 Hz to 2 kHz through a lowpass filter and an
AnalyserNode to the output; ``labsound.plot.live`` keeps a figure of the
analyser's spectrum updating for as long as it plays (a FuncAnimation with
an interactive matplotlib backend; frames drawn in a loop with Agg). With
no sound device the context plays on the null sink. Needs matplotlib
(pip install labsound[plot]).
"""

from __future__ import annotations

import argparse

import matplotlib.pyplot as plt

import labsound as ls
import labsound.plot as lsplot


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=4.0, help="how long to play (default 4)")
    ap.add_argument("-o", "--output", help="also save the last frame as an image")
    args = ap.parse_args(argv)

    with ls.AudioContext() as ctx:
        source = ctx.create_oscillator(type="sawtooth", frequency=200)
        lowpass = ctx.create_biquad_filter(type="lowpass", frequency=3000)
        analyser = ctx.create_analyser(fft_size=2048)
        gain = ctx.create_gain(gain=0.2)
        source >> lowpass >> analyser >> gain >> ctx.destination
        now = ctx.current_time
        source.frequency.set_value_at_time(200, now)
        source.frequency.exponential_ramp_to_value_at_time(2000, now + args.seconds)
        source.start(now)
        source.stop(now + args.seconds)

        view = lsplot.live(analyser, "spectrum", duration=args.seconds)
        print(f"drew {view.frames} frames of the spectrum in {args.seconds:g} s")
        if args.output:
            view.ax.figure.savefig(args.output)
            print(f"wrote {args.output}")
        plt.close(view.ax.figure)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
