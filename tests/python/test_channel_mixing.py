"""Channel up-mixing and down-mixing through the public API.

Reference: the Web Audio spec, section "Channel Up-Mixing and Down-Mixing",
written out below in NumPy (float64):

* computedNumberOfChannels: "max" = the largest connection, "clamped-max" =
  min(largest connection, channel_count), "explicit" = channel_count;
* "speakers" equations between mono (1), stereo (2), quad (4) and 5.1 (6);
  any other pair of counts, and "discrete", fill or drop channels in order.

Building multichannel signals without a ChannelMergerNode
---------------------------------------------------------
Sources are mono constant sources; gain nodes scale every channel alike, so a
signal with distinct channels has to come out of the mixing rules themselves:

* channel 0: mono into a "discrete" input fills channel 0 only;
* channel 1: mono up-mixed to stereo by "speakers" gives [v, v]; adding
  [-v, 0] (a discrete up-mix of -v) leaves [0, v];
* channel 2: mono up-mixed to 5.1 by "speakers" lands on C, channel 2;
* channel 4: that 5.1 signal down-mixed discretely to quad puts v on SL
  (channel 2), which a "speakers" up-mix to 5.1 moves to SL, channel 4.

Channels 3 and 5 (quad SR, 5.1 LFE and SR) cannot be reached: every rule that
writes channel 3 or 5 reads channel 3 or 5. So the quad signals here are
[L, R, SL, 0] and the 5.1 signals [L, R, C, 0, SL, 0]. The terms in SR and
LFE are covered by tests/c/test_mix.c, which builds buses by hand; they need a
ChannelMergerNode to be tested from Python.

Each built signal is first checked on its own (rendered into a destination
with the same channel count, where nothing is mixed).

Tolerance
---------
Every sample value is a small dyadic fraction, so sums and the products by
0.5 and 0.25 are exact in float32: those results must match exactly. Only the
5.1 down-mixes multiply by sqrt(0.5); they are compared with 1e-7 absolute.
All results stay below 0.5 in magnitude, where one float32 ulp is at most
6e-8, and the float32 rounding of sqrt(0.5) moves them by under 1e-8.
"""

import math

import numpy as np
import pytest

import labsound as ls
from conftest import SR, render

FRAMES = 256  # two render quanta
ATOL = 1e-7
LAYOUTS = [1, 2, 4, 6]
MODES = ["max", "clamped-max", "explicit"]
INTERPRETATIONS = ["speakers", "discrete"]

# Distinct per-channel values of the test signals; channels 3 and 5 cannot be
# built (see the module docstring) and stay 0.
SIGNALS = {
    1: [0.375],
    2: [0.25, -0.125],
    4: [0.25, -0.125, 0.0625, 0.0],
    6: [0.25, -0.125, 0.0625, 0.0, 0.1875, 0.0],
}
REACHABLE = {0, 1, 2, 4}


# ---------------------------------------------------------------------------
# The spec, in NumPy
# ---------------------------------------------------------------------------


def computed_channels(mode, channel_count, connections):
    largest = max(connections)
    if mode == "max":
        return largest
    if mode == "clamped-max":
        return min(largest, channel_count)
    assert mode == "explicit"
    return channel_count


def speakers_mix(x, out):
    """The spec's speakers equations; None when the pair has none."""
    n = len(x)
    h = math.sqrt(0.5)
    y = np.zeros(out)
    if n == 1:
        M = x[0]
        if out == 2:
            y[0] = M  # output.L = input.M
            y[1] = M  # output.R = input.M
        elif out == 4:
            y[0] = M  # output.L = input.M
            y[1] = M  # output.R = input.M; output.SL = output.SR = 0
        elif out == 6:
            y[2] = M  # output.C = input.M; L, R, LFE, SL, SR = 0
        else:
            return None
    elif n == 2:
        L, R = x
        if out == 1:
            y[0] = 0.5 * (L + R)
        elif out == 4:
            y[0], y[1] = L, R  # SL = SR = 0
        elif out == 6:
            y[0], y[1] = L, R  # C = LFE = SL = SR = 0
        else:
            return None
    elif n == 4:
        L, R, SL, SR = x
        if out == 1:
            y[0] = 0.25 * (L + R + SL + SR)
        elif out == 2:
            y[0] = 0.5 * (L + SL)
            y[1] = 0.5 * (R + SR)
        elif out == 6:
            y[0], y[1] = L, R  # C = LFE = 0
            y[4], y[5] = SL, SR
        else:
            return None
    elif n == 6:
        L, R, C, _LFE, SL, SR = x
        if out == 1:
            y[0] = h * (L + R) + C + 0.5 * (SL + SR)
        elif out == 2:
            y[0] = L + h * (C + SL)
            y[1] = R + h * (C + SR)
        elif out == 4:
            y[0] = L + h * C
            y[1] = R + h * C
            y[2] = SL
            y[3] = SR
        else:
            return None
    else:
        return None
    return y


def discrete_mix(x, out):
    y = np.zeros(out)
    k = min(len(x), out)
    y[:k] = x[:k]
    return y


def spec_mix(x, out, interpretation):
    """What one connection carrying x contributes to an input of `out` channels."""
    x = np.asarray(x, dtype=np.float64)
    if len(x) == out:
        return x.copy()
    if interpretation == "speakers":
        y = speakers_mix(x, out)
        if y is not None:
            return y
    return discrete_mix(x, out)


def uses_sqrt_half(n, out, interpretation):
    return interpretation == "speakers" and n == 6 and out in (1, 2, 4)


def assert_constant(got, expected, exact):
    """got: (channels, frames) render; expected: per-channel values."""
    expected = np.asarray(expected, dtype=np.float64)
    assert got.shape == (len(expected), FRAMES)
    want = np.broadcast_to(expected[:, None], got.shape)
    if exact:
        np.testing.assert_array_equal(got, want.astype(np.float32))
    else:
        np.testing.assert_allclose(got, want, rtol=0, atol=ATOL)


# ---------------------------------------------------------------------------
# Building signals from constant sources and gain nodes
# ---------------------------------------------------------------------------


class Builder:
    def __init__(self, ctx):
        self.ctx = ctx
        self.sources = []

    def const(self, v):
        s = self.ctx.create_constant_source(offset=v)
        self.sources.append(s)
        return s

    def gain(self, n, interpretation, mode="explicit"):
        return self.ctx.create_gain(channel_count=n, channel_count_mode=mode,
                                    channel_interpretation=interpretation)

    def channel(self, k, v):
        """A node whose output carries v on channel k and 0 on the others."""
        if k == 0:
            return self.const(v)
        if k == 1:
            both = self.gain(2, "speakers")
            self.const(v).connect(both)          # [v, v]
            left = self.gain(2, "discrete")
            self.const(-v).connect(left)         # [-v, 0]
            out = self.gain(2, "discrete")
            both.connect(out)
            left.connect(out)                    # [0, v]
            return out
        if k == 2:
            centre = self.gain(6, "speakers")
            self.const(v).connect(centre)        # 5.1 C: [0, 0, v, 0, 0, 0]
            return centre
        if k == 4:
            quad = self.gain(4, "discrete")
            self.channel(2, v).connect(quad)     # quad SL: [0, 0, v, 0]
            surround = self.gain(6, "speakers")
            quad.connect(surround)               # 5.1 SL: [0, 0, 0, 0, v, 0]
            return surround
        raise AssertionError(f"channel {k} cannot be built without a ChannelMergerNode")

    def signal(self, values):
        """A node whose output is the constant len(values)-channel signal `values`."""
        out = self.gain(len(values), "discrete")
        for k, v in enumerate(values):
            if v != 0.0:
                assert k in REACHABLE
                self.channel(k, v).connect(out)
        return out

    def start(self):
        for s in self.sources:
            s.start(0)


def scaled(values, j):
    """Connection j of a multi-connection test: the signal scaled by 2**-(j + 1),
    so the connections differ and their sums stay below 0.5."""
    return [v * 2.0 ** -(j + 1) for v in values]


# ---------------------------------------------------------------------------
# The signals themselves
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("n", LAYOUTS)
def test_built_signal(n):
    ctx = ls.OfflineAudioContext(n, FRAMES, SR)
    b = Builder(ctx)
    b.signal(SIGNALS[n]).connect(ctx.destination)
    b.start()
    assert_constant(render(ctx), SIGNALS[n], exact=True)


# ---------------------------------------------------------------------------
# Up-mix and down-mix of every pair of layouts
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("interpretation", INTERPRETATIONS)
@pytest.mark.parametrize("out", LAYOUTS)
@pytest.mark.parametrize("n", LAYOUTS)
def test_mix_explicit(n, out, interpretation):
    """A gain node with channel_count=out, "explicit", mixing one n-channel input."""
    ctx = ls.OfflineAudioContext(out, FRAMES, SR)
    b = Builder(ctx)
    g = ctx.create_gain(channel_count=out, channel_count_mode="explicit",
                        channel_interpretation=interpretation)
    b.signal(SIGNALS[n]).connect(g)
    g.connect(ctx.destination)
    b.start()
    expected = spec_mix(SIGNALS[n], out, interpretation)
    assert_constant(render(ctx), expected, exact=not uses_sqrt_half(n, out, interpretation))


@pytest.mark.parametrize("out", LAYOUTS)
@pytest.mark.parametrize("n", LAYOUTS)
def test_destination_mixes_with_speakers(n, out):
    """The destination is "explicit" with the context's channels and "speakers"."""
    ctx = ls.OfflineAudioContext(out, FRAMES, SR)
    dest = ctx.destination
    assert dest.channel_count == out
    assert dest.channel_count_mode == "explicit"
    assert dest.channel_interpretation == "speakers"
    b = Builder(ctx)
    b.signal(SIGNALS[n]).connect(dest)
    b.start()
    expected = spec_mix(SIGNALS[n], out, "speakers")
    assert_constant(render(ctx), expected, exact=not uses_sqrt_half(n, out, "speakers"))


@pytest.mark.parametrize("out", LAYOUTS)
@pytest.mark.parametrize("n", LAYOUTS)
def test_destination_discrete(n, out):
    ctx = ls.OfflineAudioContext(out, FRAMES, SR)
    ctx.destination.channel_interpretation = "discrete"
    assert ctx.destination.channel_interpretation == "discrete"
    b = Builder(ctx)
    b.signal(SIGNALS[n]).connect(ctx.destination)
    b.start()
    assert_constant(render(ctx), spec_mix(SIGNALS[n], out, "discrete"), exact=True)


@pytest.mark.parametrize("interpretation", INTERPRETATIONS)
@pytest.mark.parametrize("n", LAYOUTS)
def test_mono_source_up_mix(n, interpretation):
    """A mono constant source straight into an n-channel input."""
    ctx = ls.OfflineAudioContext(n, FRAMES, SR)
    g = ctx.create_gain(channel_count=n, channel_count_mode="explicit",
                        channel_interpretation=interpretation)
    src = ctx.create_constant_source(offset=0.375)
    src >> g >> ctx.destination
    src.start(0)
    assert_constant(render(ctx), spec_mix([0.375], n, interpretation), exact=True)


@pytest.mark.parametrize("interpretation", INTERPRETATIONS)
@pytest.mark.parametrize("case", [(3, 5), (8, 2), (1, 3), (5, 6), (6, 8), (2, 3)])
def test_other_counts_are_discrete(case, interpretation):
    """Counts other than 1, 2, 4, 6 use the discrete rule, whatever the interpretation."""
    n, out = case
    values = [0.25, -0.125, 0.0625, 0.0, 0.1875, 0.0, 0.0, 0.0][:n]
    ctx = ls.OfflineAudioContext(out, FRAMES, SR)
    b = Builder(ctx)
    g = b.gain(out, interpretation)
    b.signal(values).connect(g)
    g.connect(ctx.destination)
    b.start()
    assert_constant(render(ctx), discrete_mix(np.array(values), out), exact=True)


# ---------------------------------------------------------------------------
# channel_count_mode: computedNumberOfChannels
# ---------------------------------------------------------------------------

CONNECTION_SETS = [(1,), (2,), (4,), (6,), (1, 2), (2, 6), (4, 2), (1, 4, 6)]
PROBE = 8  # more channels than any computed count here


@pytest.mark.parametrize("connections", CONNECTION_SETS, ids=lambda c: "+".join(map(str, c)))
@pytest.mark.parametrize("channel_count", LAYOUTS)
@pytest.mark.parametrize("interpretation", INTERPRETATIONS)
@pytest.mark.parametrize("mode", MODES)
def test_channel_count_mode(mode, interpretation, channel_count, connections):
    """The node under test mixes its connections into computedNumberOfChannels
    channels; a discrete 8-channel probe after it pads the result with zeros,
    so a wrong channel count shows up as misplaced or missing values."""
    ctx = ls.OfflineAudioContext(PROBE, FRAMES, SR)
    b = Builder(ctx)
    g = ctx.create_gain(channel_count=channel_count, channel_count_mode=mode,
                        channel_interpretation=interpretation)
    assert (g.channel_count, g.channel_count_mode, g.channel_interpretation) == (
        channel_count, mode, interpretation)
    probe = b.gain(PROBE, "discrete")
    signals = [scaled(SIGNALS[n], j) for j, n in enumerate(connections)]
    for s in signals:
        b.signal(s).connect(g)
    g.connect(probe)
    probe.connect(ctx.destination)
    b.start()

    n = computed_channels(mode, channel_count, connections)
    mixed = sum(spec_mix(s, n, interpretation) for s in signals)
    expected = discrete_mix(mixed, PROBE)
    exact = not any(uses_sqrt_half(len(s), n, interpretation) for s in signals)
    assert_constant(render(ctx), expected, exact=exact)


def test_settings_changed_after_creation():
    """Setting the three attributes after creation mixes like the constructor options."""
    ctx = ls.OfflineAudioContext(PROBE, FRAMES, SR)
    b = Builder(ctx)
    g = ctx.create_gain()
    assert (g.channel_count, g.channel_count_mode, g.channel_interpretation) == (2, "max", "speakers")
    g.channel_count = 4
    g.channel_count_mode = "clamped-max"
    g.channel_interpretation = "discrete"
    assert (g.channel_count, g.channel_count_mode, g.channel_interpretation) == (
        4, "clamped-max", "discrete")
    probe = b.gain(PROBE, "discrete")
    b.signal(SIGNALS[6]).connect(g)
    b.signal(scaled(SIGNALS[2], 1)).connect(g)
    g.connect(probe)
    probe.connect(ctx.destination)
    b.start()
    # clamped-max: min(6, 4) = 4 channels; discrete: drop 5.1 channels 4, 5
    mixed = discrete_mix(np.array(SIGNALS[6]), 4) + discrete_mix(np.array(scaled(SIGNALS[2], 1)), 4)
    assert_constant(render(ctx), discrete_mix(mixed, PROBE), exact=True)


@pytest.mark.parametrize("n", LAYOUTS)
def test_param_input_is_down_mixed_to_mono(n):
    """An AudioParam mixes its audio inputs down to mono with the speakers rules."""
    ctx = ls.OfflineAudioContext(1, FRAMES, SR)
    b = Builder(ctx)
    g = ctx.create_gain(gain=0.0, channel_count=1, channel_count_mode="explicit")
    b.const(1.0).connect(g)
    b.signal(SIGNALS[n]).connect(g.gain)
    g.connect(ctx.destination)
    b.start()
    expected = spec_mix(SIGNALS[n], 1, "speakers")
    assert_constant(render(ctx), expected, exact=not uses_sqrt_half(n, 1, "speakers"))


# ---------------------------------------------------------------------------
# Attributes and invalid settings
# ---------------------------------------------------------------------------


def test_attributes_round_trip(offline):
    g = offline.create_gain()
    for count in (1, 2, 4, 6, 32):
        g.channel_count = count
        assert g.channel_count == count
    for mode in MODES:
        g.channel_count_mode = mode
        assert g.channel_count_mode == mode
    for interpretation in INTERPRETATIONS:
        g.channel_interpretation = interpretation
        assert g.channel_interpretation == interpretation
    for count in (1, 32):
        for mode in MODES:
            for interpretation in INTERPRETATIONS:
                h = offline.create_gain(channel_count=count, channel_count_mode=mode,
                                        channel_interpretation=interpretation)
                assert (h.channel_count, h.channel_count_mode, h.channel_interpretation) == (
                    count, mode, interpretation)


@pytest.mark.parametrize("count", [0, 33])
def test_channel_count_out_of_range(offline, count):
    with pytest.raises(ls.NotSupportedError) as info:
        offline.create_gain(channel_count=count)
    assert str(count) in str(info.value)
    g = offline.create_gain(channel_count=4)
    with pytest.raises(ls.NotSupportedError) as info:
        g.channel_count = count
    assert str(count) in str(info.value)
    assert g.channel_count == 4


@pytest.mark.parametrize("bad", ["Max", "clamped_max", "clampedMax", "", "explicit "])
def test_bad_channel_count_mode(offline, bad):
    with pytest.raises(ValueError) as info:
        offline.create_gain(channel_count_mode=bad)
    for accepted in MODES:
        assert f"'{accepted}'" in str(info.value)
    g = offline.create_gain(channel_count_mode="clamped-max")
    with pytest.raises(ValueError) as info:
        g.channel_count_mode = bad
    for accepted in MODES:
        assert f"'{accepted}'" in str(info.value)
    assert g.channel_count_mode == "clamped-max"


@pytest.mark.parametrize("bad", ["speaker", "Discrete", "", "max"])
def test_bad_channel_interpretation(offline, bad):
    with pytest.raises(ValueError) as info:
        offline.create_gain(channel_interpretation=bad)
    for accepted in INTERPRETATIONS:
        assert f"'{accepted}'" in str(info.value)
    g = offline.create_gain(channel_interpretation="discrete")
    with pytest.raises(ValueError) as info:
        g.channel_interpretation = bad
    for accepted in INTERPRETATIONS:
        assert f"'{accepted}'" in str(info.value)
    assert g.channel_interpretation == "discrete"


def test_non_string_enum_values(offline):
    g = offline.create_gain()
    with pytest.raises(TypeError):
        g.channel_count_mode = 2
    with pytest.raises(TypeError):
        g.channel_interpretation = None
    assert (g.channel_count_mode, g.channel_interpretation) == ("max", "speakers")
