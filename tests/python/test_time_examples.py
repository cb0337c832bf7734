"""The tempo-delay, sampler, peak compressor and Dalek examples run offline (short
renders) and do what they say, measured independently here."""
import importlib.util
import os

import numpy as np
import pytest

import labsound as ls

EXAMPLES = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "examples")


def load(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(EXAMPLES, name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_ping_pong_delay_example(tmp_path, capsys):
    mod = load("ping_pong_delay")
    out = tmp_path / "pp.wav"
    buf = mod.main(["--seconds", "1.2", "--tempo", "120", "--output", str(out)])
    assert out.exists() and out.stat().st_size > 44
    y = np.asarray(buf)
    D = 60 / 120 * 0.5
    left, right = mod.echo_onsets(y[0]), mod.echo_onsets(y[1])
    # dry note on both at 0, then echoes: left at D, 3D; right at 2D, 4D
    assert left[1:3] == pytest.approx([D, 3 * D], abs=0.004)
    assert right[1:3] == pytest.approx([2 * D, 4 * D], abs=0.004)
    # each echo pair is quieter by the feedback (0.55) than the one before
    seg = lambda ch, t: np.abs(y[ch, int(t * mod.SR): int((t + 0.1) * mod.SR)]).max()
    assert seg(0, 3 * D) / seg(0, D) == pytest.approx(0.55, rel=0.02)
    assert "left  onsets" in capsys.readouterr().out


def test_sampled_audio_example(capsys):
    mod = load("sampled_audio")
    buf = mod.main(["--seconds", "1.0"])
    y = np.asarray(buf)[0]
    # the same hits, each on its own AudioBufferSourceNode (the hits fall between
    # frames, so both interpolate the same way), summed by the graph
    ctx = ls.OfflineAudioContext(1, y.size, mod.SR)
    x = ls.AudioBuffer.from_numpy(mod.make_tom(), mod.SR)
    mix = ctx.create_gain(gain=0.5)
    mix >> ctx.destination
    starts = mod.hit_times(1.0)
    for i, t in enumerate(starts):
        src = ctx.create_buffer_source(buffer=x, playback_rate=2.0 if i % 4 == 3 else 1.0)
        src >> mix
        src.start(t)
    expected = np.asarray(ctx.start_rendering())[0]
    assert any(b - a < 0.6 for a, b in zip(starts, starts[1:]))   # the hits overlap
    np.testing.assert_allclose(y, expected, atol=2e-6)
    assert "hits at 132 BPM" in capsys.readouterr().out


def test_peak_compressor_example(capsys):
    mod = load("peak_compressor")
    dry, wet = mod.main(["--seconds", "1.2"])
    crest = lambda y: np.abs(y).max() / np.sqrt(np.mean(y ** 2))
    assert np.abs(dry).max() > 1.0                 # the loop clips without it
    assert np.abs(wet).max() < np.abs(dry).max() / 2
    assert crest(wet) < crest(dry) / 1.15          # peaks brought down more than the body
    assert "crest factor" in capsys.readouterr().out


def test_dalek_filter_example(capsys):
    mod = load("dalek_filter")
    buf = mod.main(["--seconds", "0.5"])
    y = np.asarray(buf)[0]
    assert np.isfinite(y).all() and 0.05 < np.abs(y).max() <= 1.0
    # with a 440 Hz sine for the voice the ring modulator leaves 410 and 470 Hz
    # and cancels the voice itself and the carrier
    z = np.asarray(mod.render(1.0, voice_frequency=440.0))[0][22050:]
    spec = np.abs(np.fft.rfft(z * np.hanning(z.size)))
    f = np.fft.rfftfreq(z.size, 1 / mod.SR)
    level = lambda hz: spec[np.abs(f - hz) < 3].max() / spec.max()
    assert level(410) > 0.5 and level(470) > 0.5
    assert level(440) < 1e-2 and level(30) < 1e-2
    assert "dalek voice" in capsys.readouterr().out
