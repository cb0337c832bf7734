"""ADSRNode: segment times and levels to the frame, against a NumPy model."""
import numpy as np
import pytest

import labsound as ls

SR = 44100.0


def model(n, on, off, a, al, d, sl, r):
    """Linear segments in frames (envelope.h): attack from 0, decay, sustain, release."""
    e = np.zeros(n)
    A, D, R = (round(x * SR) for x in (a, d, r))
    k = np.arange(n) - on
    e[(k >= 0) & (k < A)] = al * k[(k >= 0) & (k < A)] / A
    m = (k >= A) & (k < A + D)
    e[m] = al + (sl - al) * (k[m] - A) / D
    e[(k >= A + D) & (np.arange(n) < off)] = sl
    j = np.arange(n) - off
    m = (j >= 0) & (j < R)
    e[m] = sl * (1 - j[m] / R)
    e[j >= R] = 0.0
    return e


def test_segments_to_the_frame():
    n = 44100
    ctx = ls.OfflineAudioContext(1, n, SR)
    env = ctx.create_adsr(attack_time=0.01, attack_level=0.9, decay_time=0.02,
                          sustain_level=0.4, release_time=0.03)
    env >> ctx.destination
    env.gate_on(0.1)
    env.gate_off(0.5)
    y = np.asarray(ctx.start_rendering())[0]
    want = model(n, 4410, 22050, 0.01, 0.9, 0.02, 0.4, 0.03)
    np.testing.assert_allclose(y, want, atol=1e-6)


def test_applied_to_input():
    ctx = ls.OfflineAudioContext(1, 4410, SR)
    c = ctx.create_constant_source(offset=0.5)
    env = ctx.create_adsr(attack_time=0.0, decay_time=0.0, sustain_level=0.8)
    c >> env >> ctx.destination
    c.start(0)
    env.gate_on(0.05)
    y = np.asarray(ctx.start_rendering())[0]
    assert not y[:2205].any()
    np.testing.assert_allclose(y[2205:], 0.4, atol=1e-7)


def test_bad_input():
    ctx = ls.OfflineAudioContext(1, 128, SR)
    with pytest.raises(ValueError, match=r"create_adsr\(attack_time\)"):
        ctx.create_adsr(attack_time=-1)
    with pytest.raises(ValueError, match=r"ADSRNode\(release_time\)"):
        ls.ADSRNode(ctx, release_time=float("nan"))
    with pytest.raises(TypeError, match=r"create_adsr\(one_shot\)"):
        ctx.create_adsr(one_shot=1)
    env = ctx.create_adsr()
    with pytest.raises(ValueError, match=r"gate_on\(when\)"):
        env.gate_on(-1.0)
    with pytest.raises(TypeError, match=r"gate_off\(when\)"):
        env.gate_off("soon")
