"""Filter, delay, routing and shaping nodes against Chromium's renders.

The fixtures (tests/fixtures/filters/) were rendered in headless Chromium by
scripts/make_fixtures_filters.py; each case is rebuilt here in labsound from
the same description (cases.json) and compared by signal-to-noise ratio,
10 log10(sum ref^2 / sum (out - ref)^2).

Targets (from the issue): gain-like routing (splitter, merger, stereo panner,
wave shaper without oversampling, integer delays) at least 120 dB or exact;
biquad (every type, static and automated), IIR and fractional delays at least
90 dB. Oversampled wave shaping is implementation-defined: the figure reached
is printed and held to the level measured when the resamplers were written.

One known difference, compared only where it does not apply (and covered
against the spec's formulas in the nodes/ test of each filter node):

* Feedback through a DelayNode: Chromium adds one render quantum of latency
  on every trip around the cycle (its echoes fall at D + k (D + 128) frames)
  and does not clamp the delay; labsound follows the spec, which clamps the
  delay of a DelayNode in a cycle to at least one quantum (echoes at
  k max(D, 128)). The renders are compared up to the first trip around.

A delay time ramped by linearRampToValueAtTime ("delay_automated") is exact:
linear ramps are computed in the reference's arithmetic (src/param.c,
linear_fill). Before that, ramp values one float ulp apart moved the read
positions of the 32 kHz delay line enough to hold it to about 70 dB.
"""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

import labsound as ls

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "filters")

with open(os.path.join(FIXTURES, "cases.json")) as _f:
    CASES = json.load(_f)
REFS = np.load(os.path.join(FIXTURES, "refs.npz"))


def noise(seed: int, n: int) -> np.ndarray:
    """The fixture script's JavaScript LCG noise, bit for bit."""
    out = np.empty(n, dtype=np.float32)
    s = seed & 0xFFFFFFFF
    for i in range(n):
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        out[i] = (s >> 8) / 8388608.0 - 1.0
    return out


def shaper_curve(n: int) -> np.ndarray:
    x = np.linspace(-1.0, 1.0, n)
    return np.tanh(3.0 * x).astype(np.float32)


def build(ctx, c):
    n, sr = c["frames"], c["rate"]
    T = n / sr

    def src(seed):
        s = ctx.create_constant_source(offset=0.0)
        s.offset.set_value_curve_at_time(noise(seed, n), 0.0, (n - 1) / sr)
        s.start(0)
        return s

    def stereo():
        m = ctx.create_channel_merger(2)
        src(1).connect(m, 0, 0)
        src(2).connect(m, 0, 1)
        return m

    k = c["kind"]
    dest = ctx.destination
    if k == "source":
        src(1) >> dest
    elif k == "biquad":
        f = ls.BiquadFilterNode(ctx, type=c["type"], frequency=c["frequency"], Q=c["Q"],
                                gain=c["gain"], detune=c["detune"])
        if c["auto"]:
            f.frequency.set_value_at_time(c["frequency"], 0)
            f.frequency.exponential_ramp_to_value_at_time(8000, T)
            f.Q.set_value_at_time(c["Q"], 0)
            f.Q.linear_ramp_to_value_at_time(12, T)
            f.gain.set_value_at_time(c["gain"], 0)
            f.gain.linear_ramp_to_value_at_time(12, T)
            f.detune.set_value_at_time(c["detune"], 0)
            f.detune.linear_ramp_to_value_at_time(-300, T)
        src(1) >> f >> dest
    elif k == "iir":
        f = ctx.create_iir_filter(c["ff"], c["fb"])
        src(1) >> f >> dest
    elif k == "delay":
        d = ctx.create_delay(c["max"], delay_time=c["delay"])
        if c["auto"]:
            d.delay_time.set_value_at_time(c["auto"][0], 0)
            d.delay_time.linear_ramp_to_value_at_time(c["auto"][1], T)
        for q, v in enumerate(c.get("steps") or []):
            d.delay_time.set_value_at_time(v, 128 * q / sr)
        src(1) >> d >> dest
    elif k == "delay_feedback":
        burst = ctx.create_gain()
        burst.gain.set_value_at_time(1, 0)
        burst.gain.set_value_at_time(0, c["burst"] / sr)
        d = ctx.create_delay(1.0, delay_time=c["delay"])
        fb = ctx.create_gain(gain=c["feedback"])
        src(1) >> burst >> d
        d >> fb >> d
        d >> dest
        burst >> dest
    elif k == "split_merge":
        s = ctx.create_channel_splitter(2)
        m = ctx.create_channel_merger(2)
        stereo() >> s
        s.connect(m, 0, 1)
        s.connect(m, 1, 0)
        m >> dest
    elif k == "merger_downmix":
        m = ctx.create_channel_merger(3)
        stereo().connect(m, 0, 0)
        src(3).connect(m, 0, 2)
        m >> dest
    elif k == "panner":
        p = ls.StereoPannerNode(ctx, pan=c["pan"])
        if c["auto"]:
            p.pan.set_value_at_time(-1, 0)
            p.pan.linear_ramp_to_value_at_time(1, T)
        (stereo() if c["stereo"] else src(1)) >> p >> dest
    elif k == "shaper":
        g = ctx.create_gain(gain=c["drive"])
        w = ls.WaveShaperNode(ctx, curve=shaper_curve(c["curve_len"]), oversample=c["oversample"])
        src(1) >> g >> w >> dest
    else:
        raise ValueError(k)


def render(name):
    c = CASES[name]
    ctx = ls.OfflineAudioContext(c["channels"], c["frames"], c["rate"])
    build(ctx, c)
    return np.asarray(ctx.start_rendering()).copy()


def snr_db(out, ref):
    err = np.sum((out.astype(np.float64) - ref) ** 2)
    sig = np.sum(ref.astype(np.float64) ** 2)
    if err == 0:
        return np.inf
    return 10 * np.log10(sig / err)


def compared_frames(name):
    """Frames of the case that the two engines should agree on."""
    c = CASES[name]
    if c["kind"] == "delay_feedback":
        d = int(round(c["delay"] * c["rate"]))
        return d + d if d >= 128 else d        # up to the first trip around the cycle
    return c["frames"]


def target(name):
    c = CASES[name]
    k = c["kind"]
    if k in ("biquad", "iir"):
        return 90.0
    if k == "delay":
        whole = float(c["delay"]) * c["rate"]
        if c["auto"] is not None:
            return 120.0        # exact here: the ramps follow the reference's arithmetic
        return 120.0 if whole == int(whole) else 90.0
    if k == "delay_feedback":
        return 120.0
    if k == "shaper" and c["oversample"] != "none":
        return None
    return 120.0


# The oversampled shaper's figures measured with the Chromium-design
# resamplers (a few dB of margin below them); not a target of the issue.
SHAPER_OVERSAMPLED_FLOOR = 100.0


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_chromium(name):
    ref = REFS[name]
    out = render(name)
    assert out.shape == ref.shape
    n = compared_frames(name)
    snr = snr_db(out[:, :n], ref[:, :n])
    print("%-28s SNR %s dB" % (name, "exact" if np.isinf(snr) else "%.1f" % snr))
    want = target(name)
    if want is None:
        assert snr >= SHAPER_OVERSAMPLED_FLOOR, "%s: %.1f dB" % (name, snr)
    else:
        assert snr >= want, "%s: %.1f dB, want >= %.0f dB" % (name, snr, want)
