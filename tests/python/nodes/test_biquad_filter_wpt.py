"""BiquadFilterNode automation against the Web Platform Tests' model.

WPT's biquad-automation cases: a 16 kHz offline context renders 0.25 s of a
sine through a biquad whose frequency, Q, gain or detune ramps linearly over
the first 0.125 s (or whose frequency a 103 Hz sine modulates). The reference
filters the same input with per-frame coefficients from the Audio EQ Cookbook
formulas in double precision; each case has WPT's absolute threshold.
"""

import numpy as np
import pytest

import labsound as ls

SR = 16000
N = int(0.25 * SR)
AUTOMATION_END = 0.125


def bandpass(w, q, gain):
    if not 0 < w < 1:
        return 0.0, 0.0, 0.0, 0.0, 0.0
    if q <= 0:
        return 1.0, 0.0, 0.0, 0.0, 0.0
    w0 = np.pi * w
    alpha = np.sin(w0) / (2 * q)
    k = np.cos(w0)
    return normalize(alpha, 0.0, -alpha, 1 + alpha, -2 * k, 1 - alpha)


def lowshelf(w, q, gain):
    A = 10 ** (gain / 40)
    if w >= 1:
        return A * A, 0.0, 0.0, 0.0, 0.0
    if w <= 0:
        return 1.0, 0.0, 0.0, 0.0, 0.0
    w0 = np.pi * w
    alpha = 0.5 * np.sin(w0) * np.sqrt(2.0)  # slope S = 1
    k = np.cos(w0)
    k2 = 2 * np.sqrt(A) * alpha
    ap, am = A + 1, A - 1
    return normalize(A * (ap - am * k + k2), 2 * A * (am - ap * k), A * (ap - am * k - k2),
                     ap + am * k + k2, -2 * (am + ap * k), ap + am * k - k2)


def peaking(w, q, gain):
    A = 10 ** (gain / 40)
    if not 0 < w < 1:
        return 1.0, 0.0, 0.0, 0.0, 0.0
    if q <= 0:
        return A * A, 0.0, 0.0, 0.0, 0.0
    w0 = np.pi * w
    alpha = np.sin(w0) / (2 * q)
    k = np.cos(w0)
    return normalize(1 + alpha * A, -2 * k, 1 - alpha * A, 1 + alpha / A, -2 * k, 1 - alpha / A)


def normalize(b0, b1, b2, a0, a1, a2):
    return b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0


def ramp(t, v):
    return v[0] + (v[1] - v[0]) * t / AUTOMATION_END


def ramp_coefficients(design, freq=(350, 350), q=(1, 1), gain=(0, 0), detune=(0, 0)):
    """WPT's generateFilterCoefficients: per-frame coefficients to the ramps' end, then held."""
    end = int(np.ceil(AUTOMATION_END * SR))
    coefs = np.empty((N, 5))
    for frame in range(end + 1):
        t = frame / SR
        f = ramp(t, freq) * 2 ** (ramp(t, detune) / 1200)
        coefs[frame] = design(f / (SR / 2), ramp(t, q), ramp(t, gain))
    coefs[end + 1:] = coefs[end]
    return coefs


def time_varying_filter(x, c):
    """WPT's timeVaryingFilter: double precision throughout, the result rounded to float."""
    x = np.asarray(x, dtype=np.float64)
    y = np.zeros(len(x))
    y[0] = c[0, 0] * x[0]
    y[1] = c[1, 0] * x[1] + c[1, 1] * x[0] - c[1, 3] * y[0]
    for n in range(2, len(x)):
        b0, b1, b2, a1, a2 = c[n]
        y[n] = b0 * x[n] + b1 * x[n - 1] + b2 * x[n - 2] - a1 * y[n - 1] - a2 * y[n - 2]
    return y.astype(np.float32)


def sine(freq, amplitude=1.0):
    return (amplitude * np.sin(2 * np.pi * freq / SR * np.arange(N))).astype(np.float32)


def render(tone_freq, setup):
    """The WPT graph: a buffer of a sine -> biquad -> destination; setup(ctx, filter)."""
    ctx = ls.OfflineAudioContext(1, N, SR)
    data = sine(tone_freq)
    buf = ctx.create_buffer(1, N, SR)
    buf.copy_to_channel(data, 0)
    src = ctx.create_buffer_source(buffer=buf)
    f = ctx.create_biquad_filter()
    src >> f >> ctx.destination
    src.start()
    setup(ctx, f)
    return data, ctx.start_rendering().get_channel_data(0)


def ramped(param, values):
    param.set_value_at_time(values[0], 0)
    param.linear_ramp_to_value_at_time(values[1], AUTOMATION_END)


# name: (tone, filter type, design, ramps, WPT threshold)
CASES = {
    "automate-freq": (4400, "bandpass", bandpass, {"freq": (4400 - 2200, 4400 + 2200)}, 4.6455e-6),
    "automate-q": (440, "bandpass", bandpass, {"q": (1, 200), "freq": (465, 465)}, 1.0133e-6),
    "automate-gain": (440, "lowshelf", lowshelf, {"freq": (3500, 3500), "gain": (20, -20)}, 2.7657e-5),
    "automate-detune": (4400, "bandpass", bandpass,
                        {"freq": (4400, 4400), "detune": (-12000, 12000)}, 3.1471e-5),
    "automate-all": (4400, "peaking", peaking,
                     {"freq": (8000, 100), "q": (1, 0.0001), "gain": (0, 20), "detune": (2400, -2400)},
                     6.2907e-4),
}
PARAM = {"freq": "frequency", "q": "Q", "gain": "gain", "detune": "detune"}


@pytest.mark.parametrize("name", list(CASES))
def test_wpt_biquad_automation(name):
    tone, kind, design, ramps, threshold = CASES[name]

    def setup(ctx, f):
        f.type = kind
        for key, values in ramps.items():
            param = getattr(f, PARAM[key])
            if values[0] == values[1]:
                param.value = values[0]
            else:
                ramped(param, values)

    data, out = render(tone, setup)
    ref = time_varying_filter(data, ramp_coefficients(design, **ramps))
    err = np.abs(out.astype(np.float64) - ref).max()
    assert err <= threshold, f"{name}: max error {err:.6g} above WPT's {threshold:g}"
    assert np.abs(ref).max() > 0.1  # the case is not trivially silent


def test_wpt_biquad_frequency_modulation():
    """A 103 Hz sine of amplitude 148 into the frequency (264 Hz) of a bandpass, Q 5."""
    mod = sine(103, 148.0)

    def setup(ctx, f):
        f.type = "bandpass"
        f.Q.value = 5
        f.frequency.value = 264
        mb = ctx.create_buffer(1, N, SR)
        mb.copy_to_channel(mod, 0)
        m = ctx.create_buffer_source(buffer=mb)
        m >> f.frequency
        m.start()

    data, out = render(440, setup)
    coefs = np.array([bandpass((264 + float(d)) / (SR / 2), 5, 0) for d in mod])
    ref = time_varying_filter(data, coefs)
    err = np.abs(out.astype(np.float64) - ref).max()
    assert err <= 3.9787e-5, f"max error {err:.6g} above WPT's 3.9787e-5"
