"""SfxrNode: determinism by seed, each preset's length against a NumPy model of
sfxr's envelope (trunc(v^2 * 1e5) frames per stage), the start frequency of a
plain square tone against sfxr's period formula, bad input."""
import math

import numpy as np
import pytest

import labsound as ls

SR = 44100
PRESETS = ["coin", "laser", "explosion", "power_up", "hit", "jump", "select", "mutate", "randomize"]


def render(seconds=2.0, sr=SR, **kw):
    ctx = ls.OfflineAudioContext(1, int(seconds * sr), sr)
    n = ctx.create_sfxr(**kw)
    n.connect(ctx.destination)
    n.start(0)
    return n, ctx


def run(ctx):
    return np.asarray(ctx.start_rendering())[0].copy()


def envelope_frames(attack, sustain, decay):
    # sfxr: env_length = (int)(v*v*100000); stage 0 lasts L0 frames, stages 1
    # and 2 L1 + 1 and L2 + 1 (env_time runs 0 .. L); the decay's last frame
    # (volume 1 - L2 / L2) and the frame that ends the sound are 0
    lens = [int(np.float32(v) * np.float32(v) * np.float32(100000.0)) for v in (attack, sustain, decay)]
    return lens[0] + lens[1] + lens[2] + 3


def test_same_seed_same_bytes_different_seed_differs():
    outs = []
    for seed in (7, 7, 8):
        n, ctx = render(1.0, seed=3)
        n.explosion(seed=seed)
        outs.append(run(ctx))
    assert outs[0].tobytes() == outs[1].tobytes()
    assert outs[0].tobytes() != outs[2].tobytes()
    # the node's own noise seed: same preset, different noise
    a, ca = render(0.5, seed=1, wave_type="noise")
    b, cb = render(0.5, seed=2, wave_type="noise")
    assert run(ca).tobytes() != run(cb).tobytes()


@pytest.mark.parametrize("preset", PRESETS)
def test_preset_length_matches_envelope(preset):
    n, ctx = render(3.5, seed=5)
    getattr(n, preset)(seed=11)
    expect = envelope_frames(n.attack, n.sustain, n.decay)
    assert n.duration == pytest.approx(expect / SR)
    y = run(ctx)
    assert np.all(np.isfinite(y))
    nz = np.flatnonzero(y)
    assert nz.size > 0 and np.max(np.abs(y)) > 1e-3
    last = nz[-1]
    if n.min_frequency == 0.0 and expect < len(y):
        # the last frame with a non-zero envelope: 1 - (L2 - 1) / L2 at index L0 + L1 + L2
        assert last == expect - 3
    else:
        # min_frequency may end the sound earlier
        assert last <= expect - 3


def test_square_start_frequency():
    f = 0.3
    period = math.floor(100.0 / (np.float64(np.float32(f)) ** 2 + 0.001))
    expect = 8 * SR / period                       # 8x oversampled, period in supersamples
    n, ctx = render(1.0, seed=1, start_frequency=f, sustain=1.0, decay=0.0, square_duty=0.0)
    y = run(ctx)[: SR // 2]
    spec = np.abs(np.fft.rfft(y * np.hanning(len(y)), 1 << 20))
    freqs = np.fft.rfftfreq(1 << 20, 1 / SR)
    peak = freqs[np.argmax(spec)]
    assert peak == pytest.approx(expect, abs=0.5)


def test_other_rate_keeps_length_in_seconds():
    n, ctx = render(1.0, sr=48000, seed=1, sustain=0.5, decay=0.3)
    y = run(ctx)
    secs = (envelope_frames(0, 0.5, 0.3) - 3) / SR   # the last non-zero 44.1 kHz frame
    last = np.flatnonzero(y)[-1] / 48000
    assert last == pytest.approx(secs, abs=3 / 48000)


def test_bad_input_and_context_keeps_rendering():
    ctx = ls.OfflineAudioContext(1, 1024, SR)
    with pytest.raises(ValueError, match="attack"):
        ctx.create_sfxr(attack=float("nan"))
    with pytest.raises(ValueError, match="slide"):
        ctx.create_sfxr(slide=-2.0)
    with pytest.raises(ValueError, match="wave_type"):
        ctx.create_sfxr(wave_type="triangle")
    with pytest.raises(TypeError, match="decay"):
        ctx.create_sfxr(decay="long")
    with pytest.raises(TypeError, match="seed"):
        ctx.create_sfxr(seed=1.5)
    with pytest.raises(TypeError, match="bogus"):
        ls.SfxrNode(ctx, bogus=1)
    n = ls.SfxrNode(ctx, {"sustain": 0.01}, seed=4)
    with pytest.raises(ValueError, match="volume"):
        n.volume = 1.5
    with pytest.raises(ValueError, match="wave_type"):
        n.wave_type = "saw"
    with pytest.raises(TypeError, match="seed"):
        n.coin(seed="x")
    with pytest.raises(ValueError):
        n.start(-1.0)
    n.wave_type = "sine"
    assert n.wave_type == "sine" and n.seed == 4
    n.connect(ctx.destination)
    n.start(0)
    y = np.asarray(ctx.start_rendering())[0]
    assert np.max(np.abs(y)) > 0.01
