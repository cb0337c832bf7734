"""A six-second piece for labsound: rendered offline, saved, then played live.

A chord progression (C, Am, F, G, C) played by

* a pad: two slightly detuned oscillators per chord tone, with a custom
  PeriodicWave timbre and slow attack/release envelopes;
* an arpeggio: plucked triangle notes (a fast attack, then an exponential
  decay with set_target_at_time);
* a bass: one oscillator for the whole piece whose frequency glides from chord
  to chord (exponential_ramp_to_value_at_time);
* a last high note that scoops up a semitone and gains vibrato from a
  low-frequency oscillator connected to its frequency AudioParam.

The same function builds the graph on an OfflineAudioContext (rendered into
NumPy and written to a WAV file) and on a real-time ls.AudioContext. The
real-time context plays on the default output: the PulseAudio (or PipeWire)
server's default sink, else PortAudio's default device. Where there is no
audio output it falls back, with a warning, to the null sink, which keeps time
but makes no sound; the line it prints names the backend in use.

    python examples/demo.py                 # render, save demo.wav, play live
    python examples/demo.py --no-play       # render and save only
    python examples/demo.py -o out.wav --bits 24
    python -m labsound demo                 # the same piece (the wheel ships it)
"""

from __future__ import annotations

import argparse
import math
import sys
import time

import numpy as np

import labsound as ls

CHORD_LEN = 1.2  # seconds per chord
# (bass note, chord tones), as MIDI note numbers
PROGRESSION = [
    (48, (60, 64, 67)),  # C
    (45, (57, 60, 64)),  # Am
    (41, (53, 57, 60)),  # F
    (43, (55, 59, 62)),  # G
    (48, (60, 64, 67)),  # C
]
DURATION = CHORD_LEN * len(PROGRESSION)  # 6.0 s


def hz(midi: float) -> float:
    """Frequency of a MIDI note number (A4 = 69 = 440 Hz)."""
    return 440.0 * 2.0 ** ((midi - 69) / 12.0)


def pad_voice(ctx, wave, out, freq, detune, start, end, level):
    osc = ctx.create_oscillator(periodic_wave=wave, frequency=freq, detune=detune)
    env = ctx.create_gain(gain=0.0)
    osc >> env >> out
    g = env.gain
    g.set_value_at_time(0.0, start)
    g.linear_ramp_to_value_at_time(level, start + 0.15)
    g.set_value_at_time(level, end - 0.2)
    g.linear_ramp_to_value_at_time(0.0, end)
    osc.start(start)
    osc.stop(end)
    return osc, env


def pluck(ctx, out, freq, start, level, decay=0.09):
    osc = ctx.create_oscillator(type="triangle", frequency=freq)
    env = ctx.create_gain(gain=0.0)
    osc >> env >> out
    g = env.gain
    g.set_value_at_time(0.0, start)
    g.linear_ramp_to_value_at_time(level, start + 0.004)
    g.set_target_at_time(0.0, start + 0.004, decay)
    osc.start(start)
    osc.stop(start + 0.004 + 8 * decay)
    return osc, env


def build_piece(ctx, t0: float) -> list:
    """Build the whole piece on ctx, starting at context time t0.

    Returns the nodes, so the caller can keep them referenced while the
    piece plays (the engine would keep sounding nodes alive anyway).
    """
    nodes = []
    end = t0 + DURATION

    master = ctx.create_gain(gain=0.0)
    master >> ctx.destination
    master.gain.set_value_at_time(0.0, t0)
    master.gain.linear_ramp_to_value_at_time(0.8, t0 + 0.02)
    master.gain.set_value_at_time(0.8, end - 0.6)
    master.gain.linear_ramp_to_value_at_time(0.0, end)
    nodes.append(master)

    # A soft organ-like timbre: odd and even harmonics falling off.
    wave = ctx.create_periodic_wave([0.0] * 6, [0.0, 1.0, 0.45, 0.25, 0.12, 0.06])

    # Bass: one oscillator, gliding to each new root.
    bass = ctx.create_oscillator(type="triangle", frequency=hz(PROGRESSION[0][0]))
    bass_env = ctx.create_gain(gain=0.0)
    bass >> bass_env >> master
    bass.frequency.set_value_at_time(hz(PROGRESSION[0][0]), t0)
    bass_env.gain.set_value_at_time(0.0, t0)
    bass_env.gain.linear_ramp_to_value_at_time(0.30, t0 + 0.03)
    for i in range(1, len(PROGRESSION)):
        t = t0 + i * CHORD_LEN
        prev, new = hz(PROGRESSION[i - 1][0]), hz(PROGRESSION[i][0])
        bass.frequency.set_value_at_time(prev, t - 0.08)
        bass.frequency.exponential_ramp_to_value_at_time(new, t)
    bass.start(t0)
    bass.stop(end)
    nodes += [bass, bass_env]

    for i, (_, tones) in enumerate(PROGRESSION):
        c0 = t0 + i * CHORD_LEN
        c1 = min(c0 + CHORD_LEN + 0.1, end)

        # Pad: every chord tone on two oscillators a few cents apart.
        for note in tones:
            for detune in (-7.0, 7.0):
                nodes += pad_voice(ctx, wave, master, hz(note), detune, c0, c1, 0.035)

        # Arpeggio an octave up: up and down through the chord, six notes a chord.
        if i < len(PROGRESSION) - 1:
            pattern = [tones[0], tones[1], tones[2], tones[0] + 12, tones[2], tones[1]]
            step = CHORD_LEN / len(pattern)
            for k, note in enumerate(pattern):
                accent = 0.16 if k == 0 else 0.11
                nodes += pluck(ctx, master, hz(note + 12), c0 + k * step, accent)

    # Last chord: a long high C that scoops up from B, with delayed vibrato.
    s = t0 + (len(PROGRESSION) - 1) * CHORD_LEN
    lead = ctx.create_oscillator(type="sine", frequency=hz(83))
    lead_env = ctx.create_gain(gain=0.0)
    lead >> lead_env >> master
    lead.frequency.set_value_at_time(hz(83), s)
    lead.frequency.exponential_ramp_to_value_at_time(hz(84), s + 0.12)
    lead_env.gain.set_value_at_time(0.0, s)
    lead_env.gain.linear_ramp_to_value_at_time(0.14, s + 0.05)
    lead_env.gain.linear_ramp_to_value_at_time(0.0, end)

    lfo = ctx.create_oscillator(type="sine", frequency=5.5)
    depth = ctx.create_gain(gain=0.0)       # vibrato depth in Hz
    lfo >> depth >> lead.frequency          # audio-rate modulation of an AudioParam
    depth.gain.set_value_at_time(0.0, s + 0.3)
    depth.gain.linear_ramp_to_value_at_time(9.0, s + 0.9)
    for node in (lead, lfo):
        node.start(s)
        node.stop(end)
    nodes += [lead, lead_env, lfo, depth]
    return nodes


def render(sample_rate: float) -> ls.AudioBuffer:
    frames = int(round(DURATION * sample_rate))
    ctx = ls.OfflineAudioContext(2, frames, sample_rate)
    build_piece(ctx, 0.0)
    return ctx.start_rendering()


def play_live(sample_rate: float) -> None:
    with ls.AudioContext(sample_rate=sample_rate) as ctx:
        t0 = ctx.current_time + 0.1
        nodes = build_piece(ctx, t0)
        print(f"playing live through ls.AudioContext() on the {ctx.backend} backend "
              f"({len(nodes)} nodes, {DURATION:.1f} s)...", flush=True)
        start = time.monotonic()
        ctx.wait(DURATION + 0.2)
        print(f"done: context time {ctx.current_time:.2f} s after {time.monotonic() - start:.2f} s "
              "of wall time")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--output", default="demo.wav", help="WAV file to write (default demo.wav)")
    ap.add_argument("--bits", default="16", choices=["16", "24", "float32"],
                    help="sample format of the WAV file (default 16)")
    ap.add_argument("--sample-rate", type=float, default=44100.0, help="default 44100")
    ap.add_argument("--no-play", action="store_true",
                    help="render and save only; skip the real-time playback")
    args = ap.parse_args(argv)

    t = time.perf_counter()
    buf = render(args.sample_rate)
    elapsed = time.perf_counter() - t

    samples = np.asarray(buf)  # (channels, frames) float32, a view of the buffer
    peak = float(np.max(np.abs(samples)))
    rms = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))
    db = lambda x: 20.0 * math.log10(x) if x > 0 else float("-inf")  # noqa: E731

    bits = args.bits if args.bits == "float32" else int(args.bits)
    buf.save(args.output, bits=bits)
    print(f"wrote {args.output}: {buf.duration:.2f} s, {buf.number_of_channels} channels, "
          f"{buf.sample_rate:g} Hz, {args.bits}{'' if args.bits == 'float32' else '-bit'}")
    print(f"peak level {peak:.3f} ({db(peak):.1f} dBFS), RMS {db(rms):.1f} dBFS; "
          f"rendered in {elapsed * 1000:.0f} ms ({buf.duration / elapsed:.0f}x real time)")
    if peak == 0.0:
        print("error: the render is silent", file=sys.stderr)
        return 1

    if args.no_play:
        return 0
    play_live(args.sample_rate)
    return 0


if __name__ == "__main__":
    sys.exit(main())
