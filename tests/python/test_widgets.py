"""labsound.widgets.controls(node): a slider per AudioParam and a dropdown per enum, bound to the node."""

import gc

import pytest

ipywidgets = pytest.importorskip("ipywidgets")

import labsound as ls  # noqa: E402
import labsound.widgets as lw  # noqa: E402


def test_biquad_controls_set_the_node():
    ctx = ls.OfflineAudioContext(1, 128, 48000)
    bq = ctx.create_biquad_filter(frequency=500)
    box = lw.controls(bq)
    c = box.controls
    assert list(c) == ["frequency", "detune", "gain", "q", "type", "channel_count_mode", "channel_interpretation"]
    assert isinstance(c["frequency"], ipywidgets.FloatSlider) and isinstance(c["type"], ipywidgets.Dropdown)
    assert (c["frequency"].min, c["frequency"].max, c["frequency"].value) == (0.0, 24000.0, 500.0)
    assert (c["gain"].min, c["gain"].max) == (-40.0, 40.0)   # dB for a biquad
    assert list(box.children) == list(c.values())
    c["frequency"].value = 1234.0
    assert bq.frequency.value == pytest.approx(1234.0)
    c["type"].value = "notch"
    assert bq.type == "notch"
    c["channel_count_mode"].value = "explicit"
    assert bq.channel_count_mode == "explicit"


def test_oscillator_gain_and_panner_controls():
    ctx = ls.OfflineAudioContext(1, 128, 44100)
    osc = ctx.create_oscillator()
    c = lw.controls(osc).controls
    assert c["type"].options == ("sine", "square", "sawtooth", "triangle")
    assert c["detune"].min == -1200 and c["frequency"].max == 22050
    g = ctx.create_gain(gain=0.5)
    gc_ = lw.controls(g).controls
    assert (gc_["gain"].min, gc_["gain"].max, gc_["gain"].value) == (0.0, 2.0, 0.5)
    gc_["gain"].value = 1.5
    assert g.gain.value == 1.5
    pan = ctx.create_panner()
    pc = lw.controls(pan).controls
    assert {"position_x", "orientation_z", "panning_model", "distance_model"} <= set(pc)
    pc["distance_model"].value = "linear"
    assert pan.distance_model == "linear"
    gc.collect()
    with pytest.raises(TypeError, match="AudioNode"):
        lw.controls(3)
