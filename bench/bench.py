#!/usr/bin/env python3
"""Offline-render benchmark: labsound against other Python audio engines.

Every (engine, case) pair runs in a fresh interpreter so that one engine's
imports, threads and heap never colour another's numbers.  The parent process
only collects the results and prints a table (and optionally JSON).

Peers measured in the same run:

* ``web-audio-api`` (PyPI), the Python binding of the Rust Web Audio engine.
  It builds exactly the same graph through its camelCase JS-style API.
* ``pyo`` (PyPI), only for the 100-sines case, through its offline server.
* ``pedalboard`` (PyPI, Spotify), effects applied to NumPy arrays, for the
  effect cases it computes the same work for (delay, biquad, reverb,
  compressor): the same input signal (the looped noise buffer, tiled to the
  render's length) through the equivalent plugin; and for the decode extra
  (``pedalboard.io.AudioFile``) beside soundfile.

Run ``python bench/bench.py --help`` for the options; see bench/README.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time

RESULT_MARK = "@@LSBENCH@@ "

# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------

BPM_STEP = 140.0 / 60.0 / 4.0  # webaudio-benchmark "Synth": a note every 16th at 140 bpm

CASES = {
    "silence": {
        "title": "nothing connected",
        "rate": 48000, "channels": 2, "seconds": 120.0, "quick_seconds": 2.0,
        "peers": ["web-audio-api"],
    },
    "sines": {
        "title": "100 sines > gain > out",
        "rate": 48000, "channels": 2, "seconds": 60.0, "quick_seconds": 1.0,
        "peers": ["web-audio-api", "pyo"],
    },
    "synth": {
        "title": "Synth (Sawtooth with Envelope)",
        "rate": 44100, "channels": 1, "seconds": 120.0, "quick_seconds": 3.0,
        "peers": ["web-audio-api"],
    },
    "sweep": {
        "title": "sawtooth, exp ramp 20 Hz-20 kHz",
        "rate": 48000, "channels": 2, "seconds": 60.0, "quick_seconds": 1.0,
        "peers": ["web-audio-api"],
    },
    # filters, delay and panning (webaudio-benchmark's cases, with oscillator
    # sources instead of buffer sources): N_VOICES voices each through its node
    "biquad16": {
        "title": "16 sawtooths > biquad (8 types) > out",
        "rate": 44100, "channels": 2, "seconds": 30.0, "quick_seconds": 2.0,
        "peers": ["web-audio-api"],
    },
    "biquad16_auto": {
        "title": "16 sawtooths > lowpass, frequency swept 200 Hz-8 kHz > out",
        "rate": 44100, "channels": 2, "seconds": 30.0, "quick_seconds": 2.0,
        "peers": ["web-audio-api"],
    },
    "iir16": {
        "title": "16 sawtooths > IIR (4th order) > out",
        "rate": 44100, "channels": 2, "seconds": 30.0, "quick_seconds": 2.0,
        "peers": ["web-audio-api"],
    },
    "panning16": {
        "title": "16 sines > stereo panner > out",
        "rate": 44100, "channels": 2, "seconds": 30.0, "quick_seconds": 2.0,
        "peers": ["web-audio-api"],
    },
    "panning16_auto": {
        "title": "16 sines > stereo panner (pan ramps) > out",
        "rate": 44100, "channels": 2, "seconds": 30.0, "quick_seconds": 2.0,
        "peers": ["web-audio-api"],
    },
    "delay16": {
        "title": "16 stereo sources > delay (0.3 s) > out",
        "rate": 44100, "channels": 2, "seconds": 30.0, "quick_seconds": 2.0,
        "peers": ["web-audio-api"],
    },
    "positional16": {
        "title": "positional panning, 16 moving equal-power panners",
        "rate": 48000, "channels": 2, "seconds": 20.0, "quick_seconds": 1.0,
        "peers": ["web-audio-api"],
    },
    "hrtf": {
        "title": "positional panning, 8 moving HRTF panners",
        "rate": 48000, "channels": 2, "seconds": 10.0, "quick_seconds": 1.0,
        "peers": ["web-audio-api"],
    },
    "fft": {
        "title": "rfft + irfft of 4096-frame blocks (not a graph)",
        "rate": 48000, "channels": 1, "seconds": 60.0, "quick_seconds": 2.0,
        "peers": ["numpy"],
    },
}

N_VOICES = 16
BIQUAD_TYPES = ["lowpass", "highpass", "bandpass", "lowshelf", "highshelf", "peaking", "notch",
                "allpass"]
IIR_FF = [0.004824343357716228, 0.019297373430864913, 0.02894606014629737,
          0.019297373430864913, 0.004824343357716228]   # scipy.signal.butter(4, 0.2)
IIR_FB = [1.0, -2.369513007182038, 2.313988414415881, -1.054665405878568, 0.18737949236818502]
PAN_PERIOD = 0.5  # seconds per sweep of the automated pan


def voice_freq(i: int) -> float:
    return 110.0 * 2 ** (i / 12.0)


N_PANNERS = {"positional16": 16, "hrtf": 8}
REVERB_IR_SECONDS = 4.0
FFT_BLOCK = 4096


def reverb_ir(rate: int):
    """The reverb case's impulse response: exponentially decaying noise (-60 dB at 4 s)."""
    import numpy as np
    n = int(REVERB_IR_SECONDS * rate)
    rng = np.random.default_rng(1234)
    decay = np.exp(-6.9 * np.arange(n) / n)
    return (rng.uniform(-1, 1, size=(2, n)) * decay).astype(np.float32)


def fft_blocks(seconds: float, rate: int):
    import numpy as np
    rows = max(1, frames(seconds, rate) // FFT_BLOCK)
    return np.random.default_rng(7).uniform(-1, 1, size=(rows, FFT_BLOCK)).astype(np.float32)


# Buffer-source cases after the webaudio-benchmark suite (its "Simple source",
# "Upmix", "Downmix", "Simple mixing" and "Granular synthesis" tests). The
# buffers are generated here (deterministic noise), one second long; a buffer
# "with resampling" is at 38 kHz and plays in a 44.1 kHz context.
BUFFER_CASES = {
    "buf_mono": ("buffer source, mono", 1, 44100),
    "buf_stereo": ("buffer source, stereo", 2, 44100),
    "buf_mono_rs": ("buffer source, mono, 38k buffer (resampling)", 1, 38000),
    "buf_stereo_rs": ("buffer source, stereo, 38k buffer (resampling)", 2, 38000),
    "upmix": ("mono source > gain (explicit 2ch), upmix", 1, 44100),
    "downmix": ("stereo source > gain (explicit 1ch), downmix", 2, 44100),
    "upmix_dest": ("Upmix without resampling: mono source > stereo destination", 1, 44100),
    "downmix_dest": ("Downmix without resampling: stereo source > mono destination", 2, 44100),
    "mix_same": ("100 sources, same buffer", 1, 44100),
    "mix_diff": ("100 sources, different buffers", 1, 44100),
    "mix_gains": ("100 sources > 100 gains", 1, 44100),
    "granular": ("granular synthesis, a 40 ms grain every 5 ms", 2, 44100),
}
# The effect cases of issue 4 after webaudio-benchmark and the Rust engine's
# port of it ("Stereo panning", "Stereo panning with automation", "Simple
# source test (Stereo and positional)", "Convolution reverb", "Substractive
# synth") plus a stereo source through a delay, an IIR filter and a biquad:
# one looping buffer source (the buffer cases' noise) through the node.
EFFECT_CASES = {
    "panning": ("stereo source > stereo panner (pan 0.1)", 2, 44100, 2),
    "panning_auto": ("stereo source > stereo panner (pan -1, then 0.2 at 0.5 s)", 2, 44100, 2),
    "positional": ("stereo source > panner at (1, 2, 3)", 2, 44100, 2),
    "positional_rs": ("stereo source, 38k buffer > panner at (1, 2, 3)", 2, 38000, 2),
    "delay": ("stereo source > delay (0.3 s)", 2, 44100, 2),
    "iir": ("stereo source > IIR (4th-order low-pass)", 2, 44100, 2),
    "biquad": ("stereo source > biquad (low-pass 1 kHz, Q 3)", 2, 44100, 2),
    "compressor": ("stereo source (loud) > dynamics compressor (defaults)", 2, 44100, 2),
    "subtractive": ("Substractive synth: sawtooth > envelope > biquad (setTarget)", 0, 44100, 1),
    "reverb": ("mono source > convolver, 4 s stereo impulse response", 1, 44100, 1),
}
VOICE_CASES = ("biquad16", "biquad16_auto", "iir16", "panning16", "panning16_auto", "delay16")
# the effect cases pedalboard computes the same work for (see pb_build)
PEDALBOARD_CASES = ("delay", "biquad", "compressor", "reverb")
for _name, (_title, _ch, _brate, _out) in EFFECT_CASES.items():
    CASES[_name] = {"title": _title, "rate": 44100, "channels": _out,
                    "seconds": 20.0 if _name == "reverb" else 10.0,
                    "quick_seconds": 1.0,
                    "peers": ["web-audio-api"] + (["pedalboard"] if _name in PEDALBOARD_CASES else [])}
for _name, (_title, _ch, _brate) in BUFFER_CASES.items():
    CASES[_name] = {"title": _title, "rate": 44100, "channels": 2, "seconds": 10.0,
                    "quick_seconds": 1.0, "peers": ["web-audio-api"]}
# "Upmix/Downmix without resampling" as webaudio-benchmark defines them: one
# looping buffer source straight into the destination (no node between), for
# 120 s; the destination has the other channel count. Each render is short
# (milliseconds), so every interpreter renders it several times (per_run) and
# keeps its best, on top of the best over the interleaved runs.
CASES["upmix_dest"].update(channels=2, seconds=120.0, per_run=5)
CASES["downmix_dest"].update(channels=1, seconds=120.0, per_run=5)

# table order: the foundation's cases, issue 4's effect cases with their
# heavier 16-voice variants, then the buffer cases
_ORDER = (["silence", "sines", "synth", "sweep"] + list(EFFECT_CASES) + ["hrtf"]
          + list(VOICE_CASES) + ["positional16", "fft"] + list(BUFFER_CASES))
assert sorted(_ORDER) == sorted(CASES), "every case has its place in the table"
CASES = {name: CASES[name] for name in _ORDER}

N_SOURCES = 100
GRAIN_LEN, GRAIN_STEP = 0.04, 0.005

# Comparisons that are not graph renders: the resampler against soxr, and
# decoding a 10-minute WAV file against soundfile (see run_extras).
EXTRA_CASES = ("resampler", "decode")

MEMORY_CASE = "memory"
MEMORY_NOTES = 100_000
MEMORY_NOTES_QUICK = 2_000
MEMORY_RATE = 48000
MEMORY_SPACING = 0.00001  # a note starts every 10 us ...
MEMORY_NOTE_LEN = 0.005  # ... and lasts 5 ms: 100,000 notes span 1 s

ENGINES = ["labsound", "web-audio-api", "pedalboard", "pyo", "numpy"]
MODULES = {"labsound": "labsound", "web-audio-api": "web_audio_api", "pedalboard": "pedalboard",
           "pyo": "pyo", "numpy": "numpy"}
DIST_NAMES = {"labsound": "labsound", "web-audio-api": "web-audio-api", "pedalboard": "pedalboard",
              "pyo": "pyo", "numpy": "numpy"}
# optional peers that only some cases use: checked only when one of them is run
PARTIAL_PEERS = ("pedalboard", "pyo", "numpy")

N_SINES = 100


def sine_freq(i: int) -> float:
    return 100.0 + 10.0 * i


def frames(seconds: float, rate: int) -> int:
    return int(round(seconds * rate))


# ---- labsound builders ---------------------------------------------------

def ls_build(ls, case: str, seconds: float):
    spec = CASES[case]
    rate, ch = spec["rate"], spec["channels"]
    ctx = ls.OfflineAudioContext(ch, frames(seconds, rate), rate)
    if case == "silence":
        pass
    elif case == "sines":
        gain = ctx.create_gain(gain=1.0 / N_SINES)
        gain >> ctx.destination
        for i in range(N_SINES):
            osc = ctx.create_oscillator(type="sine", frequency=sine_freq(i))
            osc >> gain
            osc.start(0)
    elif case == "synth":
        offset = 0.0
        while offset < seconds:
            env = ctx.create_gain()
            env >> ctx.destination
            osc = ctx.create_oscillator(type="sawtooth", frequency=110)
            osc >> env
            env.gain.set_value_at_time(0, 0)
            env.gain.set_value_at_time(0.5, offset)
            env.gain.set_target_at_time(0, offset + 0.01, 0.1)
            osc.start(offset)
            osc.stop(offset + 1.0)
            offset += BPM_STEP
    elif case == "sweep":
        osc = ctx.create_oscillator(type="sawtooth", frequency=20)
        osc.frequency.set_value_at_time(20, 0)
        osc.frequency.exponential_ramp_to_value_at_time(20000, seconds)
        osc >> ctx.destination
        osc.start(0)
    elif case in VOICE_CASES:
        out = ctx.create_gain(gain=1.0 / N_VOICES)
        out >> ctx.destination
        for i in range(N_VOICES):
            if case == "delay16":
                src = ctx.create_channel_merger(2)
                for side in range(2):
                    o = ctx.create_oscillator(type="sine", frequency=voice_freq(i) * (1 + side / 100))
                    o.connect(src, 0, side)
                    o.start(0)
                node = ctx.create_delay(1.0, delay_time=0.3)
            else:
                src = ctx.create_oscillator(
                    type="sawtooth" if case in ("biquad16", "biquad16_auto", "iir16") else "sine",
                    frequency=voice_freq(i))
                src.start(0)
                if case == "biquad16_auto":
                    node = ctx.create_biquad_filter(type="lowpass", Q=5)
                    node.frequency.set_value_at_time(200, 0)
                    node.frequency.exponential_ramp_to_value_at_time(8000, seconds)
                elif case == "biquad16":
                    node = ctx.create_biquad_filter(type=BIQUAD_TYPES[i % 8], frequency=1000,
                                                    Q=3, gain=6)
                elif case == "iir16":
                    node = ctx.create_iir_filter(IIR_FF, IIR_FB)
                else:
                    node = ctx.create_stereo_panner(pan=-1 + 2 * i / (N_VOICES - 1))
                    if case == "panning16_auto":
                        t, v = 0.0, -1.0
                        node.pan.set_value_at_time(v, 0)
                        while t < seconds:
                            t += PAN_PERIOD
                            v = -v
                            node.pan.linear_ramp_to_value_at_time(v, t)
            src >> node >> out
    elif case in N_PANNERS:
        model = "HRTF" if case == "hrtf" else "equalpower"
        n = N_PANNERS[case]
        for i in range(n):
            osc = ctx.create_oscillator(type="sine", frequency=110 + 20 * i)
            p = ctx.create_panner(panning_model=model, position_z=-1 - i % 3)
            p.position_x.set_value_at_time(-10 + i, 0)
            p.position_x.linear_ramp_to_value_at_time(10 - i, seconds)
            osc >> p >> ctx.destination
            osc.start(0)
    elif case in EFFECT_CASES:
        build_effect_case(LsAdapter(ls, ctx), case, seconds)
    elif case in BUFFER_CASES:
        build_buffer_case(LsAdapter(ls, ctx), case, seconds)
    else:
        raise ValueError(case)
    return ctx


def buffer_case_data(case: str, index: int = 0):
    """(channels, rate, samples) of the buffer a case plays (deterministic)."""
    import numpy as np
    _, ch, rate = BUFFER_CASES[case]
    n = rate // 4 if case == "mix_diff" else rate
    rng = np.random.default_rng(1234 + index)
    return ch, rate, (0.25 * rng.uniform(-1, 1, (ch, n))).astype(np.float32)


def build_buffer_case(a, case: str, seconds: float) -> None:
    """Build a buffer case through an adapter `a` (same graph for every engine)."""
    import numpy as np
    dest = a.destination()
    if case in ("buf_mono", "buf_stereo", "buf_mono_rs", "buf_stereo_rs"):
        src = a.source(a.buffer(*buffer_case_data(case)), loop=True)
        a.connect(src, dest)
        a.start(src, 0)
    elif case in ("upmix_dest", "downmix_dest"):
        src = a.source(a.buffer(*buffer_case_data(case)), loop=True)
        a.connect(src, dest)
        a.start(src, 0)
    elif case in ("upmix", "downmix"):
        src = a.source(a.buffer(*buffer_case_data(case)), loop=True)
        g = a.gain(1.0, channels=2 if case == "upmix" else 1)
        a.connect(src, g)
        a.connect(g, dest)
        a.start(src, 0)
    elif case in ("mix_same", "mix_diff", "mix_gains"):
        shared = a.buffer(*buffer_case_data(case))
        for i in range(N_SOURCES):
            buf = a.buffer(*buffer_case_data(case, i)) if case == "mix_diff" else shared
            src = a.source(buf, loop=True)
            if case == "mix_gains":
                g = a.gain(1.0 / N_SOURCES)
                a.connect(src, g)
                a.connect(g, dest)
            else:
                a.connect(src, dest)
            a.start(src, 0)
    elif case == "granular":
        buf = a.buffer(*buffer_case_data(case))
        rng = np.random.default_rng(99)
        t = 0.0
        while t < seconds:
            src = a.source(buf, loop=False)
            g = a.gain(0.0)
            a.ramp(g, t, GRAIN_LEN)
            a.connect(src, g)
            a.connect(g, dest)
            a.start(src, t, float(rng.uniform(0, 0.9)), GRAIN_LEN)
            t += GRAIN_STEP
    else:
        raise ValueError(case)


# The compressor case's noise is at full scale (RMS about -4.8 dBFS), well
# above the default threshold of -24 dB, so that the compressor works all along.
NOISE_AMP = {"compressor": 1.0}


def noise_buffer_data(ch: int, rate: int, seconds: float = 1.0, seed: int = 1234,
                      amp: float = 0.25):
    import numpy as np
    rng = np.random.default_rng(seed)
    return ch, rate, (amp * rng.uniform(-1, 1, (ch, int(rate * seconds)))).astype(np.float32)


# the DynamicsCompressorNode defaults, passed explicitly
COMPRESSOR = {"threshold": -24.0, "knee": 30.0, "ratio": 12.0, "attack": 0.003, "release": 0.25}


def build_effect_case(a, case: str, seconds: float) -> None:
    """Build one of issue 4's effect cases through an adapter `a`."""
    _, ch, brate, _ = EFFECT_CASES[case]
    dest = a.destination()
    if case == "subtractive":
        # webaudio-benchmark's "Substractive synth": one sawtooth through an
        # envelope and a resonant low-pass whose cutoff is re-triggered with
        # setTargetAtTime every 16th note at 140 bpm
        filt = a.biquad("lowpass", 350.0, 1.0, 0.0)
        a.set_at(filt, "frequency", 0.0, 0.0)
        a.set_at(filt, "Q", 20.0, 0.0)
        env = a.gain(1.0)
        a.set_at(env, "gain", 0.0, 0.0)
        osc = a.oscillator("sawtooth", 110.0)
        a.connect(osc, env)
        a.connect(env, filt)
        a.connect(filt, dest)
        osc.start(0)
        offset = 0.0
        while offset < seconds:
            a.set_at(env, "gain", 1.0, offset)
            a.target_at(env, "gain", 0.0, offset, 0.1)
            a.set_at(filt, "frequency", 0.0, offset)
            a.target_at(filt, "frequency", 3500.0, offset, 0.03)
            offset += 140.0 / 60.0 / 16.0
        return
    src = a.source(a.buffer(*noise_buffer_data(ch, brate, amp=NOISE_AMP.get(case, 0.25))),
                   loop=True)
    if case in ("panning", "panning_auto"):
        node = a.stereo_panner(0.1)
        if case == "panning_auto":
            a.set_at(node, "pan", -1.0, 0.0)
            a.set_at(node, "pan", 0.2, 0.5)
    elif case in ("positional", "positional_rs"):
        node = a.panner((1.0, 2.0, 3.0), (1.0, 2.0, 3.0))
    elif case == "delay":
        node = a.delay(1.0, 0.3)
    elif case == "iir":
        node = a.iir(IIR_FF, IIR_FB)
    elif case == "biquad":
        node = a.biquad("lowpass", 1000.0, 3.0, 0.0)
    elif case == "compressor":
        node = a.compressor(**COMPRESSOR)
    elif case == "reverb":
        node = a.convolver(a.buffer(2, a.rate(), reverb_ir(a.rate())))
    else:
        raise ValueError(case)
    a.connect(src, node)
    a.connect(node, dest)
    a.start(src, 0)


class LsAdapter:
    def __init__(self, ls, ctx):
        self.ls, self.ctx = ls, ctx

    def destination(self):
        return self.ctx.destination

    def buffer(self, ch, rate, data):
        return self.ls.AudioBuffer.from_numpy(data, rate)

    def source(self, buf, loop):
        return self.ctx.create_buffer_source(buffer=buf, loop=loop)

    def gain(self, value, channels=None):
        if channels is None:
            return self.ctx.create_gain(gain=value)
        return self.ctx.create_gain(gain=value, channel_count=channels, channel_count_mode="explicit")

    def ramp(self, g, t, length):
        g.gain.set_value_at_time(0, t)
        g.gain.linear_ramp_to_value_at_time(0.5, t + length / 2)
        g.gain.linear_ramp_to_value_at_time(0, t + length)

    def connect(self, a, b):
        a >> b

    def start(self, src, when, offset=0.0, duration=None):
        src.start(when, offset, duration)

    def rate(self):
        return int(self.ctx.sample_rate)

    def oscillator(self, type, freq):
        return self.ctx.create_oscillator(type=type, frequency=freq)

    def stereo_panner(self, pan):
        return self.ctx.create_stereo_panner(pan=pan)

    def panner(self, pos, orient):
        return self.ctx.create_panner(position_x=pos[0], position_y=pos[1], position_z=pos[2],
                                      orientation_x=orient[0], orientation_y=orient[1],
                                      orientation_z=orient[2])

    def delay(self, max_time, time):
        return self.ctx.create_delay(max_time, delay_time=time)

    def iir(self, ff, fb):
        return self.ctx.create_iir_filter(ff, fb)

    def biquad(self, type, freq, q, gain):
        return self.ctx.create_biquad_filter(type=type, frequency=freq, Q=q, gain=gain)

    def convolver(self, buf):
        return self.ctx.create_convolver(buffer=buf)

    def compressor(self, **params):
        return self.ctx.create_dynamics_compressor(**params)

    def set_at(self, node, param, value, t):
        getattr(node, param).set_value_at_time(value, t)

    def target_at(self, node, param, value, t, tc):
        getattr(node, param).set_target_at_time(value, t, tc)


class WaaAdapter(LsAdapter):
    def destination(self):
        return self.ctx.destination

    def buffer(self, ch, rate, data):
        b = self.ctx.createBuffer(ch, data.shape[1], rate)
        for c in range(ch):
            b.copyToChannel(data[c], c)
        return b

    def source(self, buf, loop):
        s = self.ctx.createBufferSource()
        s.buffer = buf
        s.loop = loop
        return s

    def gain(self, value, channels=None):
        g = self.ctx.createGain()
        g.gain.value = value
        if channels is not None:
            g.channelCount = channels
            g.channelCountMode = "explicit"
        return g

    def ramp(self, g, t, length):
        g.gain.setValueAtTime(0, t)
        g.gain.linearRampToValueAtTime(0.5, t + length / 2)
        g.gain.linearRampToValueAtTime(0, t + length)

    def connect(self, a, b):
        a.connect(b)

    def start(self, src, when, offset=0.0, duration=None):
        if duration is None:
            src.start(when, offset)
        else:
            src.start(when, offset, duration)

    def rate(self):
        return int(self.ctx.sampleRate)

    def oscillator(self, type, freq):
        o = self.ctx.createOscillator()
        o.type = type
        o.frequency.value = freq
        return o

    def stereo_panner(self, pan):
        p = self.ctx.createStereoPanner()
        p.pan.value = pan
        return p

    def panner(self, pos, orient):
        p = self.ctx.createPanner()
        for axis, v in zip("XYZ", pos):
            getattr(p, "position" + axis).value = v
        for axis, v in zip("XYZ", orient):
            getattr(p, "orientation" + axis).value = v
        return p

    def delay(self, max_time, time):
        d = self.ctx.createDelay(max_time)
        d.delayTime.value = time
        return d

    def iir(self, ff, fb):
        return self.ctx.createIIRFilter(ff, fb)

    def biquad(self, type, freq, q, gain):
        f = self.ctx.createBiquadFilter()
        f.type = type
        f.frequency.value = freq
        f.Q.value = q
        f.gain.value = gain
        return f

    def convolver(self, buf):
        c = self.ctx.createConvolver()
        c.buffer = buf
        return c

    def compressor(self, **params):
        c = self.ctx.createDynamicsCompressor()
        for name, value in params.items():
            getattr(c, name).value = value
        return c

    def set_at(self, node, param, value, t):
        getattr(node, param).setValueAtTime(value, t)

    def target_at(self, node, param, value, t, tc):
        getattr(node, param).setTargetAtTime(value, t, tc)


def ls_render(ctx):
    return ctx.start_rendering()


def ls_channel0(buf):
    import numpy as np
    return np.asarray(buf)[0]


def ls_build_notes(ls, ctx, n: int) -> None:
    dest = ctx.destination
    for i in range(n):
        t = i * MEMORY_SPACING
        osc = ctx.create_oscillator(type="sine", frequency=440)
        gain = ctx.create_gain(gain=0.1)
        osc >> gain >> dest
        osc.start(t)
        osc.stop(t + MEMORY_NOTE_LEN)


def ls_notes_context(ls, length: int):
    return ls.OfflineAudioContext(1, length, MEMORY_RATE)


# ---- web-audio-api builders (same graphs, JS-style API) ------------------

def waa_build(w, case: str, seconds: float):
    spec = CASES[case]
    rate, ch = spec["rate"], spec["channels"]
    ctx = w.OfflineAudioContext(ch, frames(seconds, rate), rate)
    if case == "silence":
        pass
    elif case == "sines":
        gain = ctx.createGain()
        gain.gain.value = 1.0 / N_SINES
        gain.connect(ctx.destination)
        for i in range(N_SINES):
            osc = ctx.createOscillator()
            osc.type = "sine"
            osc.frequency.value = sine_freq(i)
            osc.connect(gain)
            osc.start(0)
    elif case == "synth":
        offset = 0.0
        while offset < seconds:
            env = ctx.createGain()
            env.connect(ctx.destination)
            osc = ctx.createOscillator()
            osc.type = "sawtooth"
            osc.frequency.value = 110
            osc.connect(env)
            env.gain.setValueAtTime(0, 0)
            env.gain.setValueAtTime(0.5, offset)
            env.gain.setTargetAtTime(0, offset + 0.01, 0.1)
            osc.start(offset)
            osc.stop(offset + 1.0)
            offset += BPM_STEP
    elif case == "sweep":
        osc = ctx.createOscillator()
        osc.type = "sawtooth"
        osc.frequency.value = 20
        osc.frequency.setValueAtTime(20, 0)
        osc.frequency.exponentialRampToValueAtTime(20000, seconds)
        osc.connect(ctx.destination)
        osc.start(0)
    elif case in VOICE_CASES:
        out = ctx.createGain()
        out.gain.value = 1.0 / N_VOICES
        out.connect(ctx.destination)
        for i in range(N_VOICES):
            if case == "delay16":
                src = ctx.createChannelMerger(2)
                for side in range(2):
                    o = ctx.createOscillator()
                    o.frequency.value = voice_freq(i) * (1 + side / 100)
                    o.connect(src, 0, side)
                    o.start(0)
                node = ctx.createDelay(1.0)
                node.delayTime.value = 0.3
            else:
                src = ctx.createOscillator()
                src.type = "sawtooth" if case in ("biquad16", "biquad16_auto", "iir16") else "sine"
                src.frequency.value = voice_freq(i)
                src.start(0)
                if case == "biquad16_auto":
                    node = ctx.createBiquadFilter()
                    node.Q.value = 5
                    node.frequency.setValueAtTime(200, 0)
                    node.frequency.exponentialRampToValueAtTime(8000, seconds)
                elif case == "biquad16":
                    node = ctx.createBiquadFilter()
                    node.type = BIQUAD_TYPES[i % 8]
                    node.frequency.value = 1000
                    node.Q.value = 3
                    node.gain.value = 6
                elif case == "iir16":
                    node = ctx.createIIRFilter(IIR_FF, IIR_FB)
                else:
                    node = ctx.createStereoPanner()
                    node.pan.value = -1 + 2 * i / (N_VOICES - 1)
                    if case == "panning16_auto":
                        t, v = 0.0, -1.0
                        node.pan.setValueAtTime(v, 0)
                        while t < seconds:
                            t += PAN_PERIOD
                            v = -v
                            node.pan.linearRampToValueAtTime(v, t)
            src.connect(node)
            node.connect(out)
    elif case in N_PANNERS:
        model = "HRTF" if case == "hrtf" else "equalpower"
        n = N_PANNERS[case]
        for i in range(n):
            osc = ctx.createOscillator()
            osc.type = "sine"
            osc.frequency.value = 110 + 20 * i
            p = ctx.createPanner()
            p.panningModel = model
            p.positionZ.value = -1 - i % 3
            p.positionX.setValueAtTime(-10 + i, 0)
            p.positionX.linearRampToValueAtTime(10 - i, seconds)
            osc.connect(p)
            p.connect(ctx.destination)
            osc.start(0)
    elif case in EFFECT_CASES:
        build_effect_case(WaaAdapter(w, ctx), case, seconds)
    elif case in BUFFER_CASES:
        build_buffer_case(WaaAdapter(w, ctx), case, seconds)
    else:
        raise ValueError(case)
    return ctx


_WAA_LOOP = None


def waa_render(ctx):
    # startRendering() is a coroutine in the binding; it must be called
    # from inside a running event loop.
    import asyncio
    global _WAA_LOOP
    if _WAA_LOOP is None:
        _WAA_LOOP = asyncio.new_event_loop()

    async def go():
        return await ctx.startRendering()

    return _WAA_LOOP.run_until_complete(go())


def waa_channel0(buf):
    import numpy as np
    return np.asarray(buf.getChannelData(0), dtype=np.float32)


def waa_build_notes(w, ctx, n: int) -> None:
    dest = ctx.destination
    for i in range(n):
        t = i * MEMORY_SPACING
        osc = ctx.createOscillator()
        osc.frequency.value = 440
        gain = ctx.createGain()
        gain.gain.value = 0.1
        osc.connect(gain)
        gain.connect(dest)
        osc.start(t)
        osc.stop(t + MEMORY_NOTE_LEN)


def waa_notes_context(w, length: int):
    return w.OfflineAudioContext(1, length, MEMORY_RATE)


# ---- pedalboard (effects on arrays; only some effect cases map onto it) --

PB_PRIME_FRAMES = 8192  # pedalboard's default buffer size


def effect_input(case: str, seconds: float):
    """The signal an effect case's source plays, as a (channels, frames) float32
    array: the one-second noise buffer looped (tiled) to the render's length.
    The reverb case's mono signal is duplicated onto two channels, so that
    pedalboard, like a ConvolverNode with a mono input and a stereo impulse
    response, does two convolutions (channel c through the response's channel c)."""
    import numpy as np
    _, ch, brate, _ = EFFECT_CASES[case]
    rate = CASES[case]["rate"]
    assert brate == rate, "pedalboard gets no resampling source"
    _, _, data = noise_buffer_data(ch, brate, amp=NOISE_AMP.get(case, 0.25))
    n = frames(seconds, rate)
    x = np.tile(data, (1, -(-n // data.shape[1])))[:, :n]
    if case == "reverb":
        x = np.repeat(x, 2, axis=0)
    return np.ascontiguousarray(x, dtype=np.float32)


def pb_plugin(pb, case: str):
    rate = CASES[case]["rate"]
    if case == "delay":
        return pb.Delay(delay_seconds=0.3, feedback=0.0, mix=1.0)
    if case == "biquad":
        # pedalboard's LowpassFilter is first-order; a peaking biquad costs the
        # same as the second-order low-pass (its output differs)
        return pb.PeakFilter(cutoff_frequency_hz=1000, gain_db=6, q=3)
    if case == "compressor":
        return pb.Compressor(threshold_db=COMPRESSOR["threshold"], ratio=COMPRESSOR["ratio"],
                             attack_ms=COMPRESSOR["attack"] * 1000,
                             release_ms=COMPRESSOR["release"] * 1000)
    if case == "reverb":
        return pb.Convolution(reverb_ir(rate), mix=1.0, sample_rate=rate)
    raise ValueError(f"pedalboard has no mapping for case {case!r}")


def pb_build(pb, case: str, seconds: float):
    """The input signal and a board holding the case's plugin, prepared and
    reset: one block of silence goes through it first and its state is then
    cleared, so that its preparation (the impulse response's partitions, the
    delay line) and the clearing of its state, which the graph engines do when
    the node is built, are counted here and not in the render."""
    import numpy as np
    rate = CASES[case]["rate"]
    x = effect_input(case, seconds)
    board = pb.Pedalboard([pb_plugin(pb, case)])
    board(np.zeros((x.shape[0], PB_PRIME_FRAMES), np.float32), rate)
    board.reset()
    return case, board, x, rate


def pb_render(job):
    # reset=False: the state was cleared in pb_build (board(x, rate) would
    # clear it again first; for Delay that is its whole 30 s delay line)
    _, board, x, rate = job
    return job[0], board.process(x, rate, reset=False)


def pb_channel0(out):
    case, y = out
    if case == "reverb":
        # what the case's mono destination holds: the down-mix of the two
        # convolutions (computed outside the timing)
        return 0.5 * (y[0].astype("float64") + y[1])
    return y[0]


# ---- pyo (offline server; only the sines case maps onto it) --------------

def pyo_run_sines(pyo, seconds: float, path: str):
    """Build and render the 100-sines graph; returns (build_s, render_s)."""
    spec = CASES["sines"]
    t0 = time.perf_counter()
    server = pyo.Server(sr=spec["rate"], nchnls=spec["channels"], duplex=0,
                        audio="offline", buffersize=128, verbosity=0).boot()
    server.recordOptions(dur=seconds, filename=path, fileformat=0, sampletype=3)
    sines = [pyo.Sine(freq=sine_freq(i)) for i in range(N_SINES)]
    gain = pyo.Mix(sines, voices=1, mul=1.0 / N_SINES)
    out = pyo.Mix(gain, voices=spec["channels"]).out()  # mono -> both channels
    t1 = time.perf_counter()
    server.start()  # blocks until the offline render is written
    t2 = time.perf_counter()
    server.stop()
    server.shutdown()
    del out, gain, sines, server
    return t1 - t0, t2 - t1


def read_float_wav_channel0(path: str, channels: int):
    import numpy as np
    with open(path, "rb") as f:
        raw = f.read()
    i = raw.find(b"data")
    n = int.from_bytes(raw[i + 4:i + 8], "little")
    data = np.frombuffer(raw[i + 8:i + 8 + n], dtype=np.float32)
    return data.reshape(-1, channels)[:, 0]


# --------------------------------------------------------------------------
# Worker side (runs in a fresh interpreter)
# --------------------------------------------------------------------------

def vm_rss_bytes() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    # Fallback: peak RSS (kilobytes on Linux, bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def peak_rss_bytes() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def signal_stats(x) -> dict:
    import numpy as np
    x = np.asarray(x, dtype=np.float64)
    if x.size == 0:
        return {"rms": 0.0, "peak": 0.0}
    return {"rms": float(np.sqrt(np.mean(x * x))), "peak": float(np.max(np.abs(x)))}


def work_speed(engine: str, case: str, seconds: float, repeat: int) -> dict:
    builds, renders, cpu = [], [], []
    stats = None
    if engine == "pyo":
        import pyo
        tmpdir = "/dev/shm" if os.path.isdir("/dev/shm") else None
        fd, path = tempfile.mkstemp(suffix=".wav", dir=tmpdir)
        os.close(fd)
        try:
            for r in range(repeat):
                gc.collect()
                c0 = time.process_time()
                b, rt = pyo_run_sines(pyo, seconds, path)
                cpu.append(time.process_time() - c0)
                builds.append(b)
                renders.append(rt)
                if r == 0:
                    stats = signal_stats(read_float_wav_channel0(path, CASES[case]["channels"]))
        finally:
            os.unlink(path)
    elif case == "fft":
        # "build" makes the blocks; "render" is the forward and inverse
        # transforms of all of them in one call each (2-D arrays, row by row)
        if engine == "labsound":
            import labsound as mod
            fwd, inv = mod.rfft, mod.irfft
        else:
            import numpy as mod
            fwd, inv = mod.fft.rfft, mod.fft.irfft
        inv(fwd(fft_blocks(FFT_BLOCK / CASES[case]["rate"], CASES[case]["rate"])))
        for r in range(repeat):
            gc.collect()
            t0 = time.perf_counter()
            x = fft_blocks(seconds, CASES[case]["rate"])
            t1 = time.perf_counter()
            c0 = time.process_time()
            y = inv(fwd(x))
            t2 = time.perf_counter()
            cpu.append(time.process_time() - c0)
            builds.append(t1 - t0)
            renders.append(t2 - t1)
            if r == 0:
                stats = signal_stats(y.ravel())
    else:
        if engine == "labsound":
            import labsound as mod
            build, render, chan0 = ls_build, ls_render, ls_channel0
        elif engine == "pedalboard":
            import pedalboard as mod
            build, render, chan0 = pb_build, pb_render, pb_channel0
        else:
            import web_audio_api as mod
            build, render, chan0 = waa_build, waa_render, waa_channel0
        # Untimed warm-up: the first render of a process pays one-off costs
        # (thread start-up, lazily built tables) that are not the case's.
        render(build(mod, case, 256 / CASES[case]["rate"]))
        for r in range(repeat):
            gc.collect()
            t0 = time.perf_counter()
            ctx = build(mod, case, seconds)
            t1 = time.perf_counter()
            c0 = time.process_time()
            buf = render(ctx)
            t2 = time.perf_counter()
            cpu.append(time.process_time() - c0)
            builds.append(t1 - t0)
            renders.append(t2 - t1)
            if r == 0:
                stats = signal_stats(chan0(buf))
            del buf, ctx
    return {
        "engine": engine, "case": case, "audio_seconds": seconds,
        "build_s": builds, "render_s": renders, "render_cpu_s": cpu,
        "build_best_s": min(builds), "render_best_s": min(renders),
        "rms": stats["rms"], "peak": stats["peak"],
    }


def work_memory(engine: str, notes: int) -> dict:
    length = frames(notes * MEMORY_SPACING + MEMORY_NOTE_LEN + 0.01, MEMORY_RATE)
    if engine == "labsound":
        import labsound as mod
        make_ctx, build_notes, render = ls_notes_context, ls_build_notes, ls_render
    elif engine == "web-audio-api":
        import web_audio_api as mod
        make_ctx, build_notes, render = waa_notes_context, waa_build_notes, waa_render
    else:
        raise ValueError(engine)
    # Warm up: the first context, node and render pull in lazily initialised
    # state (tables, threads, event loop) that is not per-note memory.
    warm = make_ctx(mod, 256)
    build_notes(mod, warm, 4)
    render(warm)
    del warm
    gc.collect()

    ctx = make_ctx(mod, length)
    gc.collect()
    rss0 = vm_rss_bytes()
    t0 = time.perf_counter()
    build_notes(mod, ctx, notes)  # every Python reference is dropped on return
    t1 = time.perf_counter()
    gc.collect()
    rss1 = vm_rss_bytes()
    res = {
        "engine": engine, "case": MEMORY_CASE, "notes": notes,
        "frames": length, "rate": MEMORY_RATE,
        "output_bytes_f32": length * 4,
        "rss_before": rss0, "rss_after_build": rss1, "rss_after_render": None,
        "peak_rss": max(peak_rss_bytes(), rss1),
        "build_s": t1 - t0, "render_s": None,
    }
    # Report the build figures now: a render that outlives the timeout
    # still leaves them to the parent.
    print(RESULT_MARK + json.dumps(res), flush=True)
    buf = render(ctx)
    t2 = time.perf_counter()
    gc.collect()
    rss2 = vm_rss_bytes()
    # ru_maxrss is only sampled now and then: never report it below a reading
    res.update({"rss_after_render": rss2, "peak_rss": max(peak_rss_bytes(), rss1, rss2),
                "render_s": t2 - t1})
    del buf
    return res


# ---- resampler against soxr, WAV decoding against soundfile ---------------

RS_PAIRS = ((44100, 48000), (48000, 44100))


def _sweep(rate, seconds, f0, f1):
    import numpy as np
    t = np.arange(int(rate * seconds)) / rate
    k = np.log(f1 / f0) / seconds
    return 0.5 * np.sin(2 * np.pi * f0 * (np.exp(k * t) - 1) / k)


def _bandlimited_noise(n, rate, lo, hi, seed):
    """Periodic noise with its spectrum confined to [lo, hi) Hz."""
    import numpy as np
    rng = np.random.default_rng(seed)
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1 / rate)
    spec[(f < lo) | (f >= hi)] = 0
    x = np.fft.irfft(spec, n)
    return 0.25 * x / np.sqrt(np.mean(x ** 2)), spec


def _snr_db(got, ref, edge):
    import numpy as np
    n = min(len(got), len(ref))
    g, r = got[edge:n - edge], ref[edge:n - edge]
    return float(10 * np.log10(np.sum(r ** 2) / max(np.sum((g - r) ** 2), 1e-300)))


def _resamplers(quality_names, peers=True):
    """name -> f(x float32 1-D or (ch, n), in_rate, out_rate) for what is installed."""
    import numpy as np
    out = {}
    try:
        import labsound as ls

        def ls_rs(x, a, b):
            x2 = np.atleast_2d(np.asarray(x, np.float32))
            return np.asarray(ls.resample(ls.AudioBuffer.from_numpy(x2, a), b)).reshape(
                (x2.shape[0], -1) if np.ndim(x) == 2 else (-1,))
        out["labsound"] = ls_rs
    except ImportError:
        pass
    if not peers:
        return out
    try:
        import soxr

        for q in quality_names:
            def sx(x, a, b, q=q):
                x = np.asarray(x, np.float32)
                y = soxr.resample(x.T if x.ndim == 2 else x, a, b, quality=q)
                return y.T if x.ndim == 2 else y
            out[f"soxr {q}"] = sx
    except ImportError:
        pass
    return out


def work_resampler(quick: bool, peers: bool = True) -> dict:
    import numpy as np
    rows = []
    engines = _resamplers(("HQ", "VHQ"), peers)
    for a, b in RS_PAIRS:
        low = min(a, b)
        pass_hi = 0.9 * low / 2
        for name, f in engines.items():
            row = {"engine": name, "from": a, "to": b}
            # swept sine over the passband, against the same sweep computed at the new rate
            x = _sweep(a, 2.0, 20.0, pass_hi).astype(np.float32)
            row["sweep_snr_db"] = _snr_db(f(x, a, b).astype(np.float64), _sweep(b, 2.0, 20.0, pass_hi), b // 20)
            # white noise confined to the passband, against the ideal (FFT) band-limited conversion
            n_in = a * 2  # 2 s: both lengths are whole numbers of samples
            x, spec = _bandlimited_noise(n_in, a, 0, pass_hi, 7)
            n_out = n_in * b // a
            big = np.zeros(n_out // 2 + 1, complex)
            m = min(len(big), len(spec))
            big[:m] = spec[:m]
            ideal = np.fft.irfft(big, n_out) * (n_out / n_in)
            ideal = 0.25 * ideal / np.sqrt(np.mean(np.fft.irfft(spec, n_in) ** 2))
            row["noise_snr_db"] = _snr_db(f(x.astype(np.float32), a, b).astype(np.float64), ideal, b // 20)
            # passband ripple: gains of 40 tones from 20 Hz to the passband edge
            t_in = np.arange(a) / a
            t_out = np.arange(b) / b
            gains = []
            for fr in np.geomspace(20, pass_hi, 40):
                y = f((0.5 * np.sin(2 * np.pi * fr * t_in)).astype(np.float32), a, b).astype(np.float64)
                seg = slice(b // 10, b - b // 10)
                basis = np.stack([np.sin(2 * np.pi * fr * t_out[seg]), np.cos(2 * np.pi * fr * t_out[seg])], 1)
                coef = np.linalg.lstsq(basis, y[seg][: len(basis)], rcond=None)[0]
                gains.append(20 * np.log10(np.hypot(*coef) / 0.5))
            row["ripple_db"] = float(max(gains) - min(gains))
            # stopband: what is left of content the new rate cannot hold (down), or of the
            # images above the old Nyquist frequency (up)
            if b < a:
                x, _ = _bandlimited_noise(a * 2, a, 1.02 * b / 2, 0.995 * a / 2, 9)
                y = f(x.astype(np.float32), a, b).astype(np.float64)[b // 20:-b // 20]
                row["stopband_db"] = float(10 * np.log10(np.mean(y ** 2) / np.mean(x ** 2)))
            else:
                # passband noise: its images land above the old Nyquist frequency
                x, _ = _bandlimited_noise(a * 2, a, 0, pass_hi, 9)
                y = f(x.astype(np.float32), a, b).astype(np.float64)[b // 20:-b // 20]
                ps = np.abs(np.fft.rfft(y * np.kaiser(len(y), 20))) ** 2   # window: ~-150 dB leakage
                fr = np.fft.rfftfreq(len(y), 1 / b)
                band = (fr > 1.02 * a / 2)
                row["stopband_db"] = float(10 * np.log10(ps[band].mean() / ps[fr < 0.9 * a / 2].mean()))
            # speed: stereo noise
            secs = 5.0 if quick else 60.0
            x = np.random.default_rng(3).uniform(-0.5, 0.5, (2, int(a * secs))).astype(np.float32)
            best = None
            for _ in range(1 if quick else 3):
                t0 = time.perf_counter()
                f(x, a, b)
                dt = time.perf_counter() - t0
                best = dt if best is None else min(best, dt)
            row["seconds"] = secs
            row["time_s"] = best
            row["realtime"] = secs / best
            rows.append(row)
    return {"engine": "resampler", "case": "resampler", "rows": rows}


def work_decode(quick: bool, peers: bool = True) -> dict:
    import numpy as np
    minutes = 0.2 if quick else 10.0
    rate, ch = 44100, 2
    frames_n = int(minutes * 60 * rate)
    tmpdir = "/dev/shm" if os.path.isdir("/dev/shm") else None
    fd, path = tempfile.mkstemp(suffix=".wav", dir=tmpdir)
    rows = []
    try:
        with os.fdopen(fd, "wb") as f:
            data_bytes = frames_n * ch * 2
            f.write(b"RIFF" + (36 + data_bytes).to_bytes(4, "little") + b"WAVEfmt "
                    + (16).to_bytes(4, "little") + (1).to_bytes(2, "little") + ch.to_bytes(2, "little")
                    + rate.to_bytes(4, "little") + (rate * ch * 2).to_bytes(4, "little")
                    + (ch * 2).to_bytes(2, "little") + (16).to_bytes(2, "little")
                    + b"data" + data_bytes.to_bytes(4, "little"))
            rng = np.random.default_rng(0)
            step = rate * 10
            for i in range(0, frames_n, step):
                n = min(step, frames_n - i)
                f.write(rng.integers(-20000, 20000, (n, ch), dtype=np.int16).tobytes())
        readers = {}
        missing = []
        try:
            import labsound as ls
            readers["labsound"] = lambda: ls.load(path)
        except ImportError:
            pass
        if peers:
            try:
                import soundfile as sf
                readers["soundfile"] = lambda: sf.read(path, dtype="float32")
            except ImportError:
                missing.append("soundfile")
            try:
                from pedalboard.io import AudioFile

                def pb_read():
                    with AudioFile(path) as f:
                        return f.read(f.frames)   # float32, (channels, frames)
                readers["pedalboard"] = pb_read
            except ImportError:
                missing.append("pedalboard")
        for name, fn in readers.items():
            best = None
            for _ in range(1 if quick else 3):
                gc.collect()
                t0 = time.perf_counter()
                res = fn()
                dt = time.perf_counter() - t0
                del res
                best = dt if best is None else min(best, dt)
            rows.append({"engine": name, "minutes": minutes, "time_s": best,
                         "mb": os.path.getsize(path) / 1e6})
    finally:
        os.unlink(path)
    return {"engine": "decode", "case": "decode", "rows": rows, "missing": missing}


def worker_main(spec_json: str) -> int:
    spec = json.loads(spec_json)
    if spec["case"] in EXTRA_CASES:
        res = (work_resampler if spec["case"] == "resampler" else work_decode)(spec["quick"], spec["peers"])
        print(RESULT_MARK + json.dumps(res), flush=True)
        return 0
    if spec["case"] == MEMORY_CASE:
        res = work_memory(spec["engine"], spec["notes"])
    else:
        res = work_speed(spec["engine"], spec["case"], spec["seconds"], spec["repeat"])
    sys.stdout.flush()
    print(RESULT_MARK + json.dumps(res), flush=True)
    return 0


# --------------------------------------------------------------------------
# Parent side
# --------------------------------------------------------------------------

def engine_available(engine: str) -> tuple[bool, str]:
    """Check importability in a child (pyo prints on import; keep it out)."""
    mod = MODULES[engine]
    code = (
        "import importlib\n"
        f"m = importlib.import_module({mod!r})\n"
        "try:\n"
        "    from importlib.metadata import version\n"
        f"    v = version({DIST_NAMES[engine]!r})\n"
        "except Exception:\n"
        "    v = getattr(m, '__version__', None) or getattr(m, 'PYO_VERSION', '?')\n"
        "print('@@V@@', v)\n"
    )
    try:
        p = subprocess.run([sys.executable, "-c", code], capture_output=True,
                           text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return False, "import timed out"
    if p.returncode != 0:
        last = (p.stderr.strip().splitlines() or ["import failed"])[-1]
        return False, last
    for line in p.stdout.splitlines():
        if line.startswith("@@V@@"):
            return True, line.split(None, 1)[1].strip()
    return True, "?"


def run_worker(spec: dict, timeout: float) -> dict:
    cmd = [sys.executable, os.path.abspath(__file__), "--_worker", json.dumps(spec)]
    # NumPy's OpenBLAS threads spin on the other core after NumPy calls: on a
    # small shared machine they take CPU from the render being timed
    env = dict(os.environ)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        env.setdefault(var, "1")
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
        out, err, tail = p.stdout, p.stderr, f"exit code {p.returncode}"
        timed_out = False
    except subprocess.TimeoutExpired as e:
        out = e.output.decode() if isinstance(e.output, bytes) else (e.output or "")
        err, tail, timed_out = "", f"timed out after {timeout:.0f} s", True
    for line in reversed(out.splitlines()):
        if line.startswith(RESULT_MARK):
            res = json.loads(line[len(RESULT_MARK):])
            if timed_out:
                res["timed_out"] = tail
            return res
    tail = (err.strip().splitlines() or [tail])[-1]
    return {"error": tail[:200]}


def merge_runs(runs: list[dict]) -> dict:
    """One result from single-run worker results: every time kept, best reported."""
    bad = [r for r in runs if "error" in r]
    if bad:
        return {"error": bad[0]["error"]}
    res = dict(runs[0])
    for key in ("build_s", "render_s", "render_cpu_s"):
        res[key] = [x for r in runs for x in r[key]]
    res["build_best_s"] = min(res["build_s"])
    res["render_best_s"] = min(res["render_s"])
    # how stable the figure is: the best render of each interpreter, and
    # their spread, (slowest - fastest) / fastest
    res["run_best_s"] = [min(r["render_s"]) for r in runs]
    res["spread"] = (max(res["run_best_s"]) - res["render_best_s"]) / res["render_best_s"]
    return res


def fmt_time(s: float | None) -> str:
    if s is None:
        return "-"
    if s < 1e-3:
        return f"{s * 1e6:.0f} us"
    if s < 1.0:
        return f"{s * 1e3:.1f} ms"
    return f"{s:.3f} s"


def fmt_ratio(r: float | None) -> str:
    return "-" if r is None else f"{r:.2f}x"


def fmt_mib(b: float) -> str:
    return f"{b / (1024 * 1024):.1f} MiB"


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def print_speed_table(rows: list[dict]) -> None:
    head = ("case", "engine", "build", "render", "realtime", "ls speed", "rms ch0", "spread",
            "ls speed range")
    label_w = max([len(head[0])] + [len(r["label"]) for r in rows])
    widths = (label_w, 14, 10, 10, 10, 9, 8, 7, 14)
    line = "  ".join(h.ljust(w) if i < 2 else h.rjust(w) for i, (h, w) in enumerate(zip(head, widths)))
    print(line)
    print("-" * len(line))
    last_case = None
    for r in rows:
        label = r["label"] if r["case"] != last_case else ""
        last_case = r["case"]
        if "error" in r:
            print(f"{label:<{label_w}}  {r['engine']:<14}  error: {r['error']}")
            continue
        cells = (
            label, r["engine"], fmt_time(r["build_best_s"]), fmt_time(r["render_best_s"]),
            f"{r['realtime']:.0f}x", fmt_ratio(r.get("ls_speed")), f"{r['rms']:.4f}",
            f"{100 * r['spread']:.0f}%" if "spread" in r else "-",
            ("{:.2f}-{:.2f}x".format(*r["ls_speed_range"]) if r.get("ls_speed_range") else "-"),
        )
        print("  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(cells, widths))))


def run_extras(extras: list[str], args) -> list[dict]:
    """The resampler (against soxr) and WAV decoding (against soundfile), each in a
    fresh interpreter; prints a table for each."""
    out = []
    for case in extras:
        print(f"  running {case} ...", file=sys.stderr, flush=True)
        res = run_worker({"case": case, "quick": args.quick, "engine": case,
                          "peers": not args.no_peers}, args.timeout)
        out.append(res)
        if "error" in res:
            print(f"{case}: error: {res['error']}")
            continue
        if case == "resampler":
            print("Resampler (band-limited conversion of a buffer; soxr measured in the same run).")
            print("sweep/noise SNR: against the same sweep computed at the new rate, and against")
            print("the ideal (FFT) conversion of periodic noise confined to the passband; ripple:")
            print("gain spread of 40 tones up to 0.9 x the lower Nyquist frequency; stopband: level")
            print("left of content above the lower Nyquist frequency (down) or of images (up);")
            print("speed: stereo white noise, x realtime. ls speed = soxr time / labsound time.")
            print()
            head = (f"{'conversion':<14}  {'engine':<10}  {'sweep SNR':>9}  {'noise SNR':>9}  "
                    f"{'ripple':>9}  {'stopband':>9}  {'speed':>9}  {'ls speed':>8}")
            print(head)
            print("-" * len(head))
            for r in res["rows"]:
                ls_t = next((x["time_s"] for x in res["rows"] if x["engine"] == "labsound"
                             and x["from"] == r["from"] and x["to"] == r["to"]), None)
                ratio = "-" if r["engine"] == "labsound" or ls_t is None else f"{r['time_s'] / ls_t:.2f}x"
                print(f"{r['from']}>{r['to']:<8}  {r['engine']:<10}  {r['sweep_snr_db']:>6.1f} dB  "
                      f"{r['noise_snr_db']:>6.1f} dB  {r['ripple_db']:>9.1e}  {r['stopband_db']:>6.1f} dB  "
                      f"{r['realtime']:>8.0f}x  {ratio:>8}")
            print()
        else:
            print("Decoding a WAV file (16-bit stereo 44.1 kHz) into float32; best of runs;")
            print("ls speed = peer time / labsound time (soundfile.read, pedalboard.io.AudioFile.read).")
            for name in res.get("missing", []):
                print(f"{name} is not installed; skipping it (pip install {name} to compare).")
            print()
            ls_t = next((x["time_s"] for x in res["rows"] if x["engine"] == "labsound"), None)
            for r in res["rows"]:
                ratio = "" if r["engine"] == "labsound" or ls_t is None else f"  ls speed {r['time_s'] / ls_t:.2f}x"
                print(f"{r['minutes']:g} min ({r['mb']:.0f} MB)  {r['engine']:<10}  {fmt_time(r['time_s'])}{ratio}")
            print()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Offline-render benchmark of labsound against its peers.")
    ap.add_argument("--cases", default=",".join(list(CASES) + [MEMORY_CASE] + list(EXTRA_CASES)),
                    help="comma-separated subset of: "
                         + ", ".join(list(CASES) + [MEMORY_CASE] + list(EXTRA_CASES)) + " (default: all)")
    ap.add_argument("--repeat", type=int, default=None,
                    help="runs per case; the best is reported (default 3, 1 with --quick)")
    ap.add_argument("--per-run", type=int, default=None,
                    help="renders in each interpreter, its best kept (default: the case's, "
                         "5 for upmix_dest and downmix_dest, else 1; 1 with --quick)")
    ap.add_argument("--quick", action="store_true",
                    help="short renders and 2,000 notes for the memory case (CI smoke)")
    ap.add_argument("--no-peers", action="store_true", help="run labsound alone")
    ap.add_argument("--notes", type=int, default=None,
                    help=f"notes in the memory case (default {MEMORY_NOTES:,})")
    ap.add_argument("--timeout", type=float, default=900.0,
                    help="seconds allowed to one engine on one case (default 900)")
    ap.add_argument("--memory-timeout", type=float, default=300.0,
                    help="seconds allowed to one engine on the memory case; past it the "
                         "build figures are kept and the render is reported as a timeout "
                         "(default 300)")
    ap.add_argument("--json", metavar="OUT", help="also write the results as JSON")
    ap.add_argument("--_worker", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args._worker:
        return worker_main(args._worker)

    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    if "processing" in cases:  # Python processing nodes: bench/bench_processing.py
        cases.remove("processing")
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import bench_processing
        bench_processing.main((["--quick"] if args.quick else [])
                              + (["--no-peers"] if args.no_peers else [])
                              + (["--repeat", str(args.repeat)] if args.repeat else []))
        if not cases:
            return 0
        print()
    unknown = [c for c in cases if c not in CASES and c != MEMORY_CASE and c not in EXTRA_CASES]
    if unknown:
        ap.error("unknown case(s): " + ", ".join(unknown))
    repeat = args.repeat if args.repeat is not None else (1 if args.quick else 3)
    if repeat < 1:
        ap.error("--repeat must be at least 1")
    if args.per_run is not None and args.per_run < 1:
        ap.error("--per-run must be at least 1")
    notes = args.notes if args.notes is not None else (MEMORY_NOTES_QUICK if args.quick else MEMORY_NOTES)

    versions: dict[str, str] = {}
    available: list[str] = []
    for eng in ENGINES:
        if eng != "labsound" and args.no_peers:
            continue
        if eng in PARTIAL_PEERS and not any(eng in CASES[c]["peers"] for c in cases if c in CASES):
            continue
        ok, info = engine_available(eng)
        if ok:
            available.append(eng)
            versions[eng] = info
        elif eng == "labsound":
            print(f"labsound is not importable ({info}); running the peers alone.")
        elif eng == "web-audio-api":
            print(f"web-audio-api is not installed ({info}); running labsound alone "
                  "(pip install web-audio-api to compare).")
        else:
            print(f"{eng} is not installed ({info}); skipping it "
                  f"(pip install {DIST_NAMES[eng]} to compare).")
    if not available:
        print("no engine to benchmark")
        return 1

    print(f"python {platform.python_version()} on {platform.system()} {platform.machine()}, "
          f"{cpu_model()}, {os.cpu_count()} cpus")
    print("engines: " + ", ".join(f"{e} {versions[e]}" for e in available))
    print(f"best of {repeat} run(s), interleaved across engines, each in a fresh interpreter; "
          "offline renders only")
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    if load_before:
        print("load average at start: " + " ".join(f"{x:.2f}" for x in load_before)
              + " (other work on the machine skews every figure)")
    print()

    speed_rows: list[dict] = []
    for case in cases:
        if case == MEMORY_CASE or case in EXTRA_CASES:
            continue
        spec = CASES[case]
        seconds = spec["quick_seconds"] if args.quick else spec["seconds"]
        label = f"{case}: {spec['title']}, {seconds:g} s {spec['rate'] / 1000:g}k {spec['channels']}ch"
        engines = [e for e in available if e == "labsound" or e in spec["peers"]]
        per_run = args.per_run or (1 if args.quick else spec.get("per_run", 1))
        # Runs are interleaved (A B A B ...), each in its own interpreter, so
        # that a change of load on the machine hits every engine alike.
        runs: dict[str, list[dict]] = {e: [] for e in engines}
        for k in range(repeat):
            for eng in engines:
                if runs[eng] and "error" in runs[eng][-1]:
                    continue
                print(f"  running {case} on {eng} ({k + 1}/{repeat}) ...",
                      file=sys.stderr, flush=True)
                runs[eng].append(run_worker({"engine": eng, "case": case, "seconds": seconds,
                                             "repeat": per_run}, args.timeout))
        results = {}
        for eng in engines:
            res = merge_runs(runs[eng])
            res.update({"case": case, "engine": eng, "label": label})
            if "error" not in res:
                res["realtime"] = seconds / res["render_best_s"]
            results[eng] = res
        ls = results.get("labsound")
        for eng in engines:
            r = results[eng]
            if eng != "labsound" and ls and "error" not in ls and "error" not in r:
                # >1 means labsound renders faster than this peer
                r["ls_speed"] = r["render_best_s"] / ls["render_best_s"]
                # the same ratio run by run (run k of each engine ran back to
                # back): its range shows how far one run's figure can be trusted
                pairs = [pr / lr for pr, lr in zip(r["run_best_s"], ls["run_best_s"])]
                r["ls_speed_range"] = [min(pairs), max(pairs)]
                r["ls_build_speed"] = r["build_best_s"] / ls["build_best_s"]
            speed_rows.append(r)

    if speed_rows:
        print("Offline render speed (build = graph construction in Python; render = start_rendering,")
        print("for pedalboard the plugin's process call;")
        print("realtime = audio seconds / render seconds; ls speed = peer render time / labsound")
        print("render time, >1 means labsound is faster; spread = (slowest - fastest) / fastest of")
        print("the best render of each interpreter; ls speed range = the ratio run by run)")
        print()
        print_speed_table(speed_rows)
        print()

    mem_rows: list[dict] = []
    if MEMORY_CASE in cases:
        for eng in [e for e in available if e in ("labsound", "web-audio-api")]:
            print(f"  running {MEMORY_CASE} on {eng} ...", file=sys.stderr, flush=True)
            res = run_worker({"engine": eng, "case": MEMORY_CASE, "notes": notes},
                             args.memory_timeout)
            res.update({"case": MEMORY_CASE, "engine": eng})
            mem_rows.append(res)
        out_bytes = next((r["output_bytes_f32"] for r in mem_rows if "output_bytes_f32" in r), 0)
        span = notes * MEMORY_SPACING + MEMORY_NOTE_LEN
        print(f"Memory for {notes:,} scheduled notes (sine osc > gain > destination, "
              f"{MEMORY_NOTE_LEN * 1000:g} ms each, one every {MEMORY_SPACING * 1e6:g} us, "
              f"{span:.3g} s at {MEMORY_RATE // 1000} kHz mono;")
        print("Python references dropped; VmRSS growth from just before building; "
              f"the rendered output is {fmt_mib(out_bytes)} of float32)")
        print()
        head = (f"{'engine':<14}  {'after build':>12}  {'per note':>10}  {'after render':>13}  "
                f"{'peak RSS':>10}  {'build':>9}  {'render':>9}")
        print(head)
        print("-" * len(head))
        for r in mem_rows:
            if "error" in r:
                print(f"{r['engine']:<14}  error: {r['error']}")
                continue
            d_build = r["rss_after_build"] - r["rss_before"]
            per_note = d_build / r["notes"]
            if r["render_s"] is None:
                after, rtime = "-", "timeout"
            else:
                after = "+" + fmt_mib(r["rss_after_render"] - r["rss_before"])
                rtime = fmt_time(r["render_s"])
            print(f"{r['engine']:<14}  {'+' + fmt_mib(d_build):>12}  {per_note:>8.0f} B  "
                  f"{after:>13}  {fmt_mib(r['peak_rss']):>10}  "
                  f"{fmt_time(r['build_s']):>9}  {rtime:>9}")
        for r in mem_rows:
            if r.get("timed_out"):
                print(f"note: {r['engine']} render {r['timed_out']} (--memory-timeout); "
                      "its build figures stand, its peak RSS is as of the end of building")
        print()

    extra_rows = run_extras([c for c in cases if c in EXTRA_CASES], args)

    load_after = os.getloadavg() if hasattr(os, "getloadavg") else None
    if load_after:
        print("load average at end: " + " ".join(f"{x:.2f}" for x in load_after))

    if args.json:
        out = {
            "load_average_start": load_before, "load_average_end": load_after,
            "python": platform.python_version(), "platform": platform.platform(),
            "cpu": cpu_model(), "cpus": os.cpu_count(), "versions": versions,
            "repeat": repeat, "quick": args.quick,
            "speed": speed_rows, "memory": mem_rows, "extras": extra_rows,
        }
        with open(args.json, "w") as f:
            json.dump(out, f, indent=2)
        print(f"wrote {args.json}")

    failed = [r for r in speed_rows + mem_rows if "error" in r and r["engine"] == "labsound"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
