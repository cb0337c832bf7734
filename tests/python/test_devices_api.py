"""Device options and errors that need no sound server (the suite runs on the
null sink: conftest sets LABSOUND_BACKEND=null)."""

import pytest

import labsound as ls


def test_null_context_reports_its_backend_and_latency():
    ctx = ls.AudioContext(buffer_size=512, sample_rate=48000)
    try:
        assert ctx.backend == "null"
        assert ctx.base_latency == pytest.approx(512 / 48000)
        assert ctx.output_latency == pytest.approx(512 / 48000)
        s = ctx.stats
        assert s["backend"] == "null" and s["callbacks"] == 0 and s["device_lost"] is False
        assert s["input_channels"] == 0
    finally:
        ctx.close()


def test_device_null_by_name_needs_no_audio_stack():
    ctx = ls.AudioContext(device="null")
    assert ctx.backend == "null"
    ctx.close()


@pytest.mark.parametrize(
    "kwargs,exc,text",
    [
        (dict(device=-1), IndexError, "-1"),
        (dict(device=1.5), TypeError, "device"),
        (dict(latency_hint=20.0), ValueError, "latency_hint"),
        (dict(latency_hint=-0.1), ValueError, "latency_hint"),
        (dict(latency_hint="fastest"), ValueError, "fastest"),
    ],
)
def test_bad_device_options_raise(kwargs, exc, text):
    with pytest.raises(exc) as e:
        ls.AudioContext(**kwargs)
    assert text in str(e.value)


def test_microphone_needs_a_device_context(realtime):
    with pytest.raises(ls.InvalidStateError) as e:
        realtime.create_microphone()
    assert "null" in str(e.value)
    with pytest.raises(ls.InvalidStateError):
        realtime.create_media_stream_source(channels=2)
    with pytest.raises(ls.InvalidStateError):
        ls.MediaStreamAudioSourceNode(realtime)


@pytest.mark.parametrize(
    "kwargs,exc,text",
    [
        (dict(channels=0), ls.NotSupportedError, "0"),
        (dict(channels=33), ls.NotSupportedError, "33"),
        (dict(device=-2), IndexError, "-2"),
        (dict(device="mic"), TypeError, "device"),
    ],
)
def test_bad_microphone_arguments_raise(realtime, kwargs, exc, text):
    with pytest.raises(exc) as e:
        realtime.create_microphone(**kwargs)
    assert text in str(e.value)


def test_offline_context_has_no_input(offline):
    assert not hasattr(offline, "create_microphone")
    with pytest.raises(ls.NotSupportedError):
        ls.MediaStreamAudioSourceNode(offline)


def test_onstatechange_accepts_callables_only(realtime):
    assert realtime.onstatechange is None
    handler = lambda e: None  # noqa: E731
    realtime.onstatechange = handler
    assert realtime.onstatechange is handler
    realtime.onstatechange = None
    assert realtime.onstatechange is None
    with pytest.raises(TypeError):
        realtime.onstatechange = 3
