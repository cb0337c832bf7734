"""A plucked note bouncing between the speakers: PingPongDelayNode at a tempo.

Short sawtooth plucks (one per bar) go through a ping-pong delay synced to the
tempo: the first echo comes from the left an eighth note later, the next from
the right, each pair quieter by `feedback`. Renders offline and prints when
each channel's echoes arrive; --output writes a WAV.

    python examples/ping_pong_delay.py [--seconds 3] [--tempo 120] [--output pingpong.wav]
"""
import argparse

import numpy as np

import labsound as ls

SR = 44100


def render(seconds=3.0, tempo=120.0, note="eighth", feedback=0.55):
    ctx = ls.OfflineAudioContext(2, int(seconds * SR), SR)
    osc = ctx.create_oscillator(type="sawtooth", frequency=330.0)
    tone = ctx.create_biquad_filter(type="lowpass", frequency=2500.0)
    env = ctx.create_gain(gain=0.0)
    pp = ctx.create_ping_pong_delay(tempo=tempo, note=note, feedback=feedback, wet=0.6, dry=1.0)
    osc >> tone >> env >> pp >> ctx.destination
    bar = 4 * 60.0 / tempo
    t = 0.0
    while t < seconds:
        env.gain.set_value_at_time(0.0, t)
        env.gain.linear_ramp_to_value_at_time(0.5, t + 0.005)
        env.gain.set_target_at_time(0.0, t + 0.005, 0.03)
        t += bar
    osc.start(0)
    return ctx.start_rendering(), pp.delay_time


def echo_onsets(y, threshold=0.05, gap=0.05):
    """Times (s) where a channel's envelope first crosses threshold after a quiet gap."""
    env = np.abs(y)
    times, last = [], -1.0
    for i in np.flatnonzero(env > threshold):
        t = i / SR
        if t - last > gap:
            times.append(t)
        last = t
    return times


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--tempo", type=float, default=120.0)
    ap.add_argument("--output", default=None)
    args = ap.parse_args(argv)
    buf, delay = render(args.seconds, args.tempo)
    y = np.asarray(buf)
    print(f"delay {delay:.3f} s at {args.tempo:g} BPM (an eighth note)")
    for name, ch in (("left", y[0]), ("right", y[1])):
        onsets = ", ".join(f"{t:.3f}" for t in echo_onsets(ch)[:6])
        print(f"{name:5s} onsets: {onsets}")
    if args.output:
        buf.save(args.output)
        print("wrote", args.output)
    return buf


if __name__ == "__main__":
    main()
