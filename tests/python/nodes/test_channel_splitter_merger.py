"""ChannelSplitterNode and ChannelMergerNode: exact channel routing both ways,
and the merger's speaker down-mix into fewer output channels.
"""
from __future__ import annotations

import numpy as np
import pytest

import labsound as ls
from filter_model import (SR, render, rng_noise, source)


# ---- Splitter and merger ---------------------------------------------------

def test_splitter_and_merger_route_channels():
    xs = [rng_noise(1024, seed=20 + i) for i in range(4)]

    def build(ctx):
        m = ctx.create_channel_merger(4)
        for i, x in enumerate(xs):
            source(ctx, x).connect(m, 0, i)
        s = ctx.create_channel_splitter(4)
        m2 = ctx.create_channel_merger(4)
        m >> s
        for i, j in enumerate([2, 0, 3, 1]):
            s.connect(m2, i, j)
        m2 >> ctx.destination

    out = render(4, 1024, build)
    for i, j in enumerate([2, 0, 3, 1]):
        assert np.array_equal(out[j], xs[i])


def test_merger_downmixes_each_input_and_splitter_pads_with_silence():
    x, y = rng_noise(1024, seed=30), rng_noise(1024, seed=31)

    def build(ctx):
        st = ctx.create_channel_merger(2)
        source(ctx, x).connect(st, 0, 0)
        source(ctx, y).connect(st, 0, 1)
        m = ctx.create_channel_merger(3)
        st.connect(m, 0, 1)                     # stereo into input 1: 0.5 (L + R)
        s = ctx.create_channel_splitter(3)
        st >> s                                 # 2 channels into a 3-way splitter
        s.connect(m, 2, 2)                      # output 2: silence
        m >> ctx.destination

    out = render(3, 1024, build)
    assert not out[0].any()
    np.testing.assert_array_equal(out[1], (0.5 * (x + y)).astype(np.float32))
    assert not out[2].any()


def test_splitter_merger_options_and_errors():
    ctx = ls.OfflineAudioContext(2, 128, SR)
    s = ls.ChannelSplitterNode(ctx, number_of_outputs=3)
    assert (s.number_of_outputs, s.channel_count, s.channel_count_mode,
            s.channel_interpretation) == (3, 3, "explicit", "discrete")
    m = ctx.create_channel_merger(5)
    assert (m.number_of_inputs, m.number_of_outputs, m.channel_count) == (5, 1, 1)
    assert ctx.create_channel_splitter().number_of_outputs == 6
    for bad in (0, 33):
        with pytest.raises(IndexError, match="number_of_outputs"):
            ctx.create_channel_splitter(bad)
        with pytest.raises(IndexError, match="number_of_inputs"):
            ctx.create_channel_merger(bad)
    with pytest.raises(ls.InvalidStateError):
        s.channel_count = 2
    with pytest.raises(ls.InvalidStateError):
        s.channel_interpretation = "speakers"
    with pytest.raises(ls.InvalidStateError):
        m.channel_count = 2
    with pytest.raises(ls.InvalidStateError):
        m.channel_count_mode = "max"
    with pytest.raises(ls.InvalidStateError):
        ls.ChannelMergerNode(ctx, channel_count=2)
    with pytest.raises(ls.InvalidStateError):
        ls.ChannelSplitterNode(ctx, number_of_outputs=2, channel_count=3)
