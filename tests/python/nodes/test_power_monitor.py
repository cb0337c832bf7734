"""PowerMonitorNode: its reading is the RMS in dB of the last window of frames
it heard, checked against NumPy at quantum boundaries read with
OfflineAudioContext.suspend (after frame F the window is [F - N, F)); channels
average, silence reads the floor, and a real-time context can be read while
it plays.
"""
import numpy as np
import pytest

import labsound as ls

SR = 44100.0
Q = 128


def _play(ctx, x):
    src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(np.asarray(x, np.float32), SR))
    src.start(0)
    return src


# ------------------------------------------------------------------ power monitor

@pytest.mark.parametrize("window", [128, 1000, 4096])
def test_power_monitor_reading_matches_numpy_rms(window):
    rng = np.random.default_rng(7)
    n = 64 * Q
    env = np.where(np.arange(n) < n // 2, 0.8, 0.02)        # loud, then 32 dB down
    x = (rng.uniform(-1, 1, (2, n)) * env).astype(np.float32)
    ctx = ls.OfflineAudioContext(2, n, SR)
    pm = ctx.create_power_monitor(window_size=window)
    _play(ctx, x) >> pm >> ctx.destination
    readings = {}
    frames = [Q, 5 * Q, 31 * Q, 33 * Q, 40 * Q, 63 * Q]
    for f in frames:
        ctx.suspend(f / SR, lambda f=f: readings.__setitem__(f, pm.db))
    y = np.asarray(ctx.start_rendering())
    np.testing.assert_array_equal(y, x)                      # pass-through, bit-exact
    xd = x.astype(np.float64)
    for f in frames:
        seg = xd[:, max(0, f - window):f]
        power = (seg ** 2).sum() / (2 * window)              # frames before 0 are silence
        want = 10 * np.log10(power)
        assert readings[f] == pytest.approx(want, abs=2e-3), (f, readings[f], want)


def test_power_monitor_channels_average_and_silence():
    n = 16 * Q
    t = np.arange(n) / SR
    left = 0.5 * np.sin(2 * np.pi * 1000 * t)
    x = np.stack([left, np.zeros(n)]).astype(np.float32)    # one channel silent: -3 dB
    ctx = ls.OfflineAudioContext(2, n, SR)
    pm = ls.PowerMonitorNode(ctx, window_size=8 * Q)
    _play(ctx, x) >> pm >> ctx.destination
    quiet = ctx.create_power_monitor()
    assert quiet.db == -120.0 and quiet.window_size == 128
    ctx.start_rendering()
    seg = x[:, -8 * Q:].astype(np.float64)
    assert pm.db == pytest.approx(10 * np.log10((seg ** 2).mean()), abs=1e-3)
    assert quiet.db == -120.0                                 # nothing connected: the floor


def test_power_monitor_readable_while_realtime_plays(realtime):
    ctx = realtime            # the null backend: a render thread paced by the clock
    if True:
        osc = ctx.create_oscillator(frequency=440.0)
        pm = ctx.create_power_monitor(window_size=4096)
        osc >> pm >> ctx.destination
        osc.start()
        import time
        t0 = ctx.current_time
        deadline = time.monotonic() + 5.0
        # wait until the window holds only frames rendered after the start
        while ctx.current_time < t0 + 0.2 and time.monotonic() < deadline:
            time.sleep(0.01)
        # a unit sine: 20 log10(1 / sqrt 2) = -3.01 dB (the window holds 40.9 periods,
        # not a whole number of them: within 0.05 dB)
        readings = []
        for _ in range(5):
            readings.append(pm.db)
            time.sleep(0.01)
        assert readings == pytest.approx([-3.0103] * 5, abs=0.05)
        assert pm.db == pytest.approx(-3.0103, abs=0.05)


# ------------------------------------------------------------------ spectral monitor


# ------------------------------------------------------------------ peak compressor


# ------------------------------------------------------------------ PWM


# ------------------------------------------------------------------ bad input

def test_bad_input_names_the_argument_and_rendering_goes_on():
    ctx = ls.OfflineAudioContext(1, 8 * Q, SR)
    with pytest.raises(ValueError, match=r"create_power_monitor\(window_size\).*0"):
        ctx.create_power_monitor(window_size=0)
    with pytest.raises(ValueError, match=r"PowerMonitorNode\(window_size\).*65537"):
        ls.PowerMonitorNode(ctx, window_size=65537)
    with pytest.raises(TypeError, match=r"create_power_monitor\(window_size\)"):
        ctx.create_power_monitor(window_size=128.0)
    with pytest.raises(ValueError, match=r"create_spectral_monitor\(window_size\).*100"):
        ctx.create_spectral_monitor(window_size=100)
    with pytest.raises(ValueError, match=r"SpectralMonitorNode\(window_size\).*65536"):
        ls.SpectralMonitorNode(ctx, window_size=65536)
    with pytest.raises(ValueError, match=r"create_peak_comp\(attack\).*-0.1"):
        ctx.create_peak_comp(attack=-0.1)
    with pytest.raises(ValueError, match=r"create_peak_comp\(release\).*nan"):
        ctx.create_peak_comp(release=float("nan"))
    with pytest.raises(ValueError, match=r"PeakCompNode\(threshold\).*nan"):
        ls.PeakCompNode(ctx, threshold=float("nan"))
    with pytest.raises(ValueError, match=r"create_peak_comp\(ratio\).*0.5"):
        ctx.create_peak_comp(ratio=0.5)
    with pytest.raises(ValueError, match=r"create_peak_comp\(knee\).*-3"):
        ctx.create_peak_comp(knee=-3)
    with pytest.raises(TypeError, match=r"create_peak_comp\(makeup\)"):
        ctx.create_peak_comp(makeup="loud")
    with pytest.raises(TypeError, match=r"create_pwm\(\).*width"):
        ctx.create_pwm(width=0.5)
    with pytest.raises(ValueError, match=r"create_pwm\(channel_count_mode\)"):
        ctx.create_pwm(channel_count_mode="sometimes")
    pc = ctx.create_peak_comp()
    with pytest.raises(AttributeError):
        pc.threshold = -3.0
    pm = ctx.create_power_monitor()
    with pytest.raises(AttributeError):
        pm.db = 0.0
    c = ctx.create_constant_source(offset=0.5)
    c >> pc >> pm >> ctx.destination
    c.start(0)
    y = np.asarray(ctx.start_rendering())[0]
    # 0.5 is -6.02 dB: 14 dB over -20, ratio 4 -> out -16.5 dB; the attack settles in ~1 ms
    assert y[-1] == pytest.approx(10 ** ((-20 + (20 * np.log10(0.5) + 20) / 4) / 20), rel=1e-4)
    assert pm.db == pytest.approx(20 * np.log10(y[-1]), abs=1e-3)
