"""Red alert: a siren made of two function nodes driving AudioParams.

After LabSound's "red alert" example: a sawtooth whose frequency follows a
function node (a square-root rise from 360 Hz to 847 Hz over 0.9 s, held,
repeating every 1.2 s) and whose loudness follows another (a 75 ms attack
to 0.3, repeating with the same period). The function nodes are connected
into the params with ``>>``, so they modulate them at audio rate.

Run ``python examples/processing/red_alert.py`` to render 3 s to
red_alert.wav (``--play`` runs it on a real-time context).
"""

from __future__ import annotations

import argparse

import numpy as np

import labsound as ls

PERIOD = 1.2
SWEEP = 0.9
LOW, SPAN = 360.0, 487.0
ATTACK = 0.075
LEVEL = 0.3


def sweep(t: np.ndarray) -> np.ndarray:
    """The siren's frequency in Hz at times t."""
    ph = np.mod(t, PERIOD)
    return np.where(ph > SWEEP, LOW + SPAN, np.sqrt(np.minimum(ph, SWEEP) / SWEEP) * SPAN + LOW)


def envelope(t: np.ndarray) -> np.ndarray:
    """The siren's gain at times t."""
    ph = np.mod(t, PERIOD)
    return np.where(ph > ATTACK, LEVEL, np.sqrt(np.minimum(ph, ATTACK) / ATTACK) * LEVEL)


def _function_of_time(ctx: ls.BaseAudioContext, f) -> ls.FunctionNode:
    rate = ctx.sample_rate
    frames = np.arange(ls.RENDER_QUANTUM)
    node = ctx.create_function(channels=1)

    def render(channel: int, buffer: np.ndarray) -> None:
        buffer[:] = f((round(node.block_time * rate) + frames) / rate)

    node.set_process_function(render)
    return node


def build(ctx: ls.BaseAudioContext):
    """The siren, connected and started: (oscillator, gain, sweep node, envelope node)."""
    osc = ctx.create_oscillator(type="sawtooth", frequency=0.0)
    gain = ctx.create_gain(gain=0.0)
    freq_node = _function_of_time(ctx, sweep)
    gain_node = _function_of_time(ctx, envelope)
    freq_node >> osc.frequency
    gain_node >> gain.gain
    osc >> gain >> ctx.destination
    for node in (osc, freq_node, gain_node):
        node.start(0)
    return osc, gain, freq_node, gain_node


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--output", default="red_alert.wav")
    ap.add_argument("--play", action="store_true")
    args = ap.parse_args()
    if args.play:
        with ls.AudioContext() as ctx:
            nodes = build(ctx)
            ctx.wait(args.seconds)
            print([n.stats for n in nodes[2:]])
        return
    ctx = ls.OfflineAudioContext(1, int(args.seconds * 44100), 44100)
    build(ctx)
    ctx.start_rendering().save(args.output)
    print("rendered", args.output)


if __name__ == "__main__":
    main()
