"""Models and helpers shared by the node tests of this family (see each test
file's docstring for the tolerances)."""
from __future__ import annotations
import math
import numpy as np
from scipy import signal
import labsound as ls
import spatial_cases as sc


RATE = 48000


def render(build, frames=512, channels=2, rate=RATE):
    ctx = ls.OfflineAudioContext(channels, frames, rate)
    build(ctx)
    return np.asarray(ctx.start_rendering()).astype(np.float64)


def unit(v):
    v = np.asarray(v, dtype=np.float64)
    n = np.linalg.norm(v)
    return v / n if n > 0 else v


def spec_azimuth_elevation(src, lpos, fwd, up):
    """The spec's "Azimuth and Elevation" algorithm, in double precision."""
    sl = np.subtract(src, lpos)
    if not np.any(sl):
        return 0.0, 0.0
    sl = unit(sl)
    right = unit(np.cross(fwd, up))
    f = unit(fwd)
    u = np.cross(right, f)
    proj = unit(sl - np.dot(sl, u) * u)
    az = math.degrees(math.acos(np.clip(np.dot(proj, right), -1, 1)))
    if np.dot(proj, f) < 0:
        az = 360 - az
    az = 90 - az if 0 <= az <= 270 else 450 - az
    el = 90 - math.degrees(math.acos(np.clip(np.dot(sl, u), -1, 1)))
    if el > 90:
        el = 180 - el
    elif el < -90:
        el = -180 - el
    return az, el


def spec_equalpower(az, stereo=False):
    az = min(max(az, -180), 180)
    if az < -90:
        az = -180 - az
    elif az > 90:
        az = 180 - az
    if not stereo:
        x = (az + 90) / 180
    else:
        x = (az + 90) / 90 if az <= 0 else az / 90
    return math.cos(math.pi / 2 * x), math.sin(math.pi / 2 * x)


def spec_distance(model, d, ref, mx, rolloff):
    if model == "linear":
        dref, dmax = min(ref, mx), max(ref, mx)
        r = min(max(rolloff, 0), 1)
        if dref == dmax:
            return 1 - r
        d = max(min(d, dmax), dref)
        return 1 - r * (d - dref) / (dmax - dref)
    if ref == 0:
        return 0.0
    d = max(d, ref)
    if model == "inverse":
        return ref / (ref + rolloff * (d - ref))
    return (d / ref) ** -rolloff


def spec_cone(src, orient, lpos, inner, outer, outer_gain):
    if not np.any(orient) or (inner == 360 and outer == 360):
        return 1.0
    v = unit(np.subtract(lpos, src))
    angle = abs(math.degrees(math.acos(np.clip(np.dot(v, unit(orient)), -1, 1))))
    ai, ao = abs(inner) / 2, abs(outer) / 2
    if angle <= ai:
        return 1.0
    if angle >= ao:
        return outer_gain
    x = (angle - ai) / (ao - ai)
    return (1 - x) + outer_gain * x


def mono_input(ctx, seed=1, n=500):
    return sc.steps(ctx, seed, n), sc.step_values(seed, n, 1.0, 512)


def gains_of(out, x):
    nz = np.abs(x) > 1e-3
    return out[:, nz] / x[nz]


LISTENERS = [
    ((0, 0, 0), (0, 0, -1), (0, 1, 0)),
    ((0.5, -0.2, 1), (0.3, 0.1, -1), (0, 1, 0.2)),
    ((-2, 1, 0), (1, 0, 0), (0, 0, 1)),
]


POSITIONS = [(1, 0.5, -2), (-3, 1, 1), (0.2, -2, 0.5), (5, 0.1, 5), (-0.5, 0.3, -0.1), (0, 0, 0)]


A_OVER_C = 0.0875 / 343.0


ECHO_RHO = (0.5, -1.0, 0.5, -0.25, 0.25)


ECHO_A = (1, 5, 5, 5, 5)


ECHO_B = (2, 4, 7, 11, 13)


ECHO_D = (1, 0.5, 0.5, 0.5, 0.5)


def pinna_delays(az_deg, el_deg, rate):
    """The five echo delays (frames), the same for both ears."""
    s = math.sin(math.radians(az_deg) / 2)
    half = math.sqrt(1 - math.cos(math.radians(el_deg)) * s * s)     # cos(theta / 2)
    return [(a * half * math.sin(math.radians(d * (90 - el_deg))) + b) * rate / 44100
            for a, b, d in zip(ECHO_A, ECHO_B, ECHO_D)]


def hrtf_model(az_deg, el_deg, rate):
    """Per ear (left, right): the head's delay (frames), alpha, and the taps:
    (gain, delay in frames) of the direct sound and of each pinna echo."""
    lateral = math.sin(math.radians(az_deg)) * math.cos(math.radians(el_deg))
    echoes = pinna_delays(az_deg, el_deg, rate)
    out = []
    for c in (-lateral, lateral):
        beta = math.acos(c)
        t = A_OVER_C * (1 - c) if beta < math.pi / 2 else A_OVER_C * (1 + beta - math.pi / 2)
        delay = t * rate
        taps = [(1.0, delay)] + [(g, delay + e) for g, e in zip(ECHO_RHO, echoes)]
        out.append((delay, 1.05 + 0.95 * math.cos(1.2 * beta), taps))
    return out


def shadow_filter(alpha, rate):
    """Bilinear transform of (1 + alpha s / (2 w0)) / (1 + s / (2 w0)), w0 = c / a."""
    tk = (0.0875 / (2 * 343.0)) * 2 * rate
    return [(1 + alpha * tk) / (1 + tk), (1 - alpha * tk) / (1 + tk)], [1, (1 - tk) / (1 + tk)]


def model_render(x, alpha, taps, rate):
    """One ear: the taps read by linear interpolation, summed, then shadowed."""
    y = np.zeros(len(x))
    for g, t in taps:
        k = int(t)
        f = t - k
        shifted = np.concatenate([np.zeros(k + 1), x])
        y += g * ((1 - f) * shifted[1:len(x) + 1] + f * shifted[:len(x)])
    return signal.lfilter(*shadow_filter(alpha, rate), y)


def model_response(freqs, alpha, taps, rate, interpolated=True):
    """One ear's frequency response; interpolated=False: the ideal delays
    e^(-j w t) instead of the delay line's linear interpolation."""
    w = 2 * np.pi * np.asarray(freqs, dtype=np.float64) / rate
    h = np.zeros(len(w), dtype=complex)
    for g, t in taps:
        if interpolated:
            k = int(t)
            f = t - k
            h += g * ((1 - f) * np.exp(-1j * w * k) + f * np.exp(-1j * w * (k + 1)))
        else:
            h += g * np.exp(-1j * w * t)
    return h * signal.freqz(*shadow_filter(alpha, rate), worN=w)[1]


def pinna_response(freqs, az_deg, el_deg, rate):
    """The pinna alone with ideal delays: 1 + sum rho_k e^(-j w tau_k)."""
    w = 2 * np.pi * np.asarray(freqs, dtype=np.float64) / rate
    h = np.ones(len(w), dtype=complex)
    for g, t in zip(ECHO_RHO, pinna_delays(az_deg, el_deg, rate)):
        h += g * np.exp(-1j * w * t)
    return h


def direction(az_deg, el_deg, r=2.0):
    """A position at (azimuth, elevation) for the default listener."""
    a, e = math.radians(az_deg), math.radians(el_deg)
    return (r * math.sin(a) * math.cos(e), r * math.sin(e), -r * math.cos(a) * math.cos(e))


def hrtf_render(x_build, pos, frames, rate=RATE):
    def build(ctx):
        p = ctx.create_panner(panning_model="HRTF", rolloff_factor=0, position_x=pos[0],
                              position_y=pos[1], position_z=pos[2])
        x_build(ctx) >> p >> ctx.destination

    return render(build, frames=frames, rate=rate)


def transfer(x, y, nperseg=4096):
    """|H| estimated from input and output (Welch cross- and auto-spectra)."""
    f, pxy = signal.csd(x, y, fs=RATE, nperseg=nperseg)
    _, pxx = signal.welch(x, fs=RATE, nperseg=nperseg)
    return f, np.abs(pxy / pxx)


BIN = RATE / 4096


def first_notch(f, mag, lo, hi):
    band = (f > lo) & (f < hi)
    return f[band][np.argmin(mag[band])]


def check_spectrum(f, measured, alpha, taps):
    """The measured |H| of one ear against the model's, 200 Hz to 20 kHz,
    where the model is within 30 dB of its peak: 0.5 dB (a static direction
    is a linear time-invariant system: the Welch estimate of 23 frames of
    4096 agrees to about 0.1 dB, 0.4 dB in the deepest notches)."""
    model = np.abs(model_response(f, alpha, taps, RATE))
    ok = (f > 200) & (f < 20000) & (model > model.max() / 31.6)
    err = np.abs(20 * np.log10(measured[ok] / model[ok]))
    assert np.max(err) < 0.5, (np.max(err), f[ok][np.argmax(err)])
    return model


def spec_norm_scale(ir):
    ch, n = ir.shape
    power = math.sqrt(np.sum(ir.astype(np.float64) ** 2) / (ch * n))
    if not math.isfinite(power) or power < 0.000125:
        power = 0.000125
    scale = 1 / power * 10 ** (-58 / 20) * 44100 / RATE
    return scale * (0.5 if ch == 4 else 1)


def snr(expected, out):
    return 10 * np.log10(np.sum(expected ** 2) / np.sum((expected - out) ** 2))


def dc_render(level, **opts):
    def build(ctx):
        s = ctx.create_constant_source(offset=level)
        c = ctx.create_dynamics_compressor(**opts)
        s >> c >> ctx.destination
        s.start(0)
        build.c = c
    out = render(build, frames=RATE, channels=1)
    return out[0], build.c
