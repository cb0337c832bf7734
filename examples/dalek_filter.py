"""The Dalek voice: a diode ring modulator at 30 Hz, then a compressor.

LabSound's Dalek example follows Parker's "A simple digital model of the
diode-based ring-modulator" (DAFx 2011): the voice and a 30 Hz sine carrier
are added and subtracted, each sum goes through a pair of diodes (one for
each polarity) and the two pairs are subtracted, so the voice and the
carrier cancel and what is left is mostly their product: every partial of
the voice split into two, 30 Hz either side. A compressor evens the level.
The diodes are DiodeNodes (Parker's curve); the voice is a buzzy synthetic
vowel (a sawtooth with vibrato through two formant filters) unless --voice
gives a file.

    python examples/dalek_filter.py [--seconds 2] [--voice speech.wav] [--output dalek.wav]
"""
import argparse

import numpy as np

import labsound as ls

SR = 44100
CARRIER_HZ = 30.0


def synthetic_voice(ctx, seconds):
    """A sawtooth vowel at 120 Hz with vibrato, formants near 700 and 1200 Hz."""
    osc = ctx.create_oscillator(type="sawtooth", frequency=120.0)
    vib = ctx.create_oscillator(frequency=5.0)
    depth = ctx.create_gain(gain=3.0)
    vib >> depth >> osc.frequency
    f1 = ctx.create_biquad_filter(type="bandpass", frequency=700.0, q=4.0)
    f2 = ctx.create_biquad_filter(type="bandpass", frequency=1200.0, q=5.0)
    out = ctx.create_gain(gain=1.5)
    osc >> f1 >> out
    osc >> f2 >> out
    for node in (osc, vib):
        node.start(0)
        node.stop(seconds)
    return out


def ring_modulator(ctx, voice, carrier_hz=CARRIER_HZ):
    """Parker's diode ring modulator; returns the node to take the output from."""
    carrier = ctx.create_oscillator(frequency=carrier_hz)
    carrier.start(0)
    c_half = ctx.create_gain(gain=0.5)             # the carrier at half amplitude
    carrier >> c_half
    v_inv = ctx.create_gain(gain=-1.0)
    voice >> v_inv
    plus = ctx.create_gain()                       # c + v
    minus = ctx.create_gain()                      # c - v
    c_half >> plus
    voice >> plus
    c_half >> minus
    v_inv >> minus
    out = ctx.create_gain(gain=1.0)
    neg = ctx.create_gain(gain=-1.0)
    neg >> out
    for s, dst in ((plus, out), (minus, neg)):
        inv = ctx.create_gain(gain=-1.0)
        s >> inv
        for branch in (s, inv):                    # both polarities of the sum
            d = ctx.create_diode(distortion=4.0, vb=0.2, vl=0.4)
            branch >> d >> dst
    return out


def render(seconds=2.0, voice_path=None, voice_frequency=None):
    n = int(seconds * SR)
    ctx = ls.OfflineAudioContext(1, n, SR)
    if voice_frequency is not None:                # a plain sine, for measurements
        osc = ctx.create_oscillator(frequency=voice_frequency)
        voice = ctx.create_gain(gain=0.5)
        osc >> voice
        osc.start(0)
    elif voice_path is not None:
        src = ctx.create_buffer_source(buffer=ls.load(voice_path, mono=True))
        voice = ctx.create_gain()
        src >> voice
        src.start(0)
    else:
        voice = synthetic_voice(ctx, seconds)
    rm = ring_modulator(ctx, voice)
    comp = ctx.create_dynamics_compressor(threshold=-30.0, knee=10.0, ratio=6.0, attack=0.005,
                                          release=0.2)
    level = ctx.create_gain(gain=0.6)
    rm >> comp >> level >> ctx.destination
    return ctx.start_rendering()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--voice", default=None)
    ap.add_argument("--output", default=None)
    args = ap.parse_args(argv)
    buf = render(args.seconds, args.voice)
    y = np.asarray(buf)[0]
    print(f"dalek voice: {args.seconds:g} s, peak {np.abs(y).max():.3f}, "
          f"rms {np.sqrt(np.mean(y ** 2)):.3f}")
    if args.output:
        buf.save(args.output)
        print("wrote", args.output)
    return buf


if __name__ == "__main__":
    main()
