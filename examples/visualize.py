"""Seeing a render: plots, the graph as SVG and a profile, written to a folder.

    python examples/visualize.py                 # writes into ./visualize/
    python examples/visualize.py -o figures

Needs matplotlib (pip install labsound[plot]).
"""

from __future__ import annotations

import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import labsound as ls  # noqa: E402
import labsound.plot as lsplot  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--output", default="visualize")
    args = ap.parse_args(argv)
    os.makedirs(args.output, exist_ok=True)

    ctx = ls.OfflineAudioContext(1, 48000 * 2, 48000)
    osc = ctx.create_oscillator(type="sawtooth", frequency=110)
    lowpass = ctx.create_biquad_filter(type="lowpass", frequency=800, Q=6)
    amp = ctx.create_gain(gain=0)
    lowpass.name = "sweep"      # names show in the graph's boxes (and in to_dict())
    amp.name = "envelope"
    osc >> lowpass >> amp >> ctx.destination
    lowpass.frequency.set_value_at_time(300, 0)
    lowpass.frequency.exponential_ramp_to_value_at_time(4000, 1.5)
    amp.gain.set_value_at_time(0, 0)
    amp.gain.linear_ramp_to_value_at_time(0.6, 0.05)
    amp.gain.set_target_at_time(0, 1.5, 0.15)
    osc.start(0)

    # the built-in layered layout, the same on every machine (engine="auto" would use
    # Graphviz's dot where it is installed)
    ctx.graph().save(os.path.join(args.output, "graph.svg"), engine="builtin")
    with ctx.profile() as prof:
        buf = ctx.start_rendering()

    fig, axes = plt.subplots(2, 2, figsize=(11, 7))
    lsplot.waveform(buf, ax=axes[0, 0])
    lsplot.spectrogram(buf, ax=axes[0, 1], fft_size=1024)
    lsplot.frequency_response(lowpass, ax=axes[1, 0])
    lsplot.automation(lowpass.frequency, 0, 2, ax=axes[1, 1])
    fig.tight_layout()
    fig.savefig(os.path.join(args.output, "plots.png"), dpi=80)
    plt.close(fig)
    with open(os.path.join(args.output, "profile.txt"), "w") as f:
        prof.table(file=f)
    buf.save(os.path.join(args.output, "voice.wav"))
    print(f"wrote graph.svg, plots.png, profile.txt and voice.wav into {args.output}/")
    prof.table()
    return 0


if __name__ == "__main__":
    sys.exit(main())
