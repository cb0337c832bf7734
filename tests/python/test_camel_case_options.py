"""The spec's options dictionaries, with the spec's own camelCase names, are
accepted wherever labsound takes an options dictionary (as well as the
snake_case names of the Python API); a name given in both spellings is an
error naming it. Expected values: what the options say."""

import pytest

import labsound as ls


def test_offline_context_options_in_both_spellings():
    a = ls.OfflineAudioContext({"numberOfChannels": 2, "length": 256, "sampleRate": 48000})
    b = ls.OfflineAudioContext({"number_of_channels": 2, "length": 256, "sample_rate": 48000})
    for c in (a, b):
        assert (c.destination.channel_count, c.length, c.sample_rate) == (2, 256, 48000.0)


def test_node_options_in_camel_case():
    ctx = ls.OfflineAudioContext(1, 128, 48000)
    d = ls.DelayNode(ctx, {"maxDelayTime": 2.0, "delayTime": 1.5})
    assert d.delay_time.value == pytest.approx(1.5)
    g = ls.GainNode(ctx, {"gain": 0.25, "channelCount": 1, "channelCountMode": "explicit",
                          "channelInterpretation": "discrete"})
    assert (g.gain.value, g.channel_count, g.channel_count_mode, g.channel_interpretation) == \
        (0.25, 1, "explicit", "discrete")
    f = ls.BiquadFilterNode(ctx, {"type": "highpass", "Q": 3.0, "frequency": 500.0})
    assert f.type == "highpass" and f.frequency.value == 500.0 and f.Q.value == 3.0


def test_both_spellings_of_one_name_is_an_error():
    with pytest.raises(TypeError, match="number_of_channels"):
        ls.OfflineAudioContext({"numberOfChannels": 2, "number_of_channels": 1, "length": 128,
                                "sampleRate": 48000})
    ctx = ls.OfflineAudioContext(1, 128, 48000)
    with pytest.raises(TypeError, match="gainz"):
        ls.GainNode(ctx, {"gainz": 1.0})
