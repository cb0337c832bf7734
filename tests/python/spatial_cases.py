"""The graphs of scripts/make_fixtures_spatial.py, built in labsound.

Each builder takes an OfflineAudioContext and builds the same graph as the
JavaScript case of the same name; the inputs are the same exactly
reproducible signals (see the fixture script).
"""
from __future__ import annotations

import numpy as np

RATE = 48000
COMPRESSOR_FRAMES = 32768
REDUCTION_EVERY = 256          # frames between two readings of `reduction`
HRTF_AZIMUTHS = (-90, -45, 0, 45, 90)


def lcg(seed: int, n: int) -> np.ndarray:
    """The fixture script's 32-bit LCG: n float32 values in [-1, 1)."""
    out = np.empty(n, dtype=np.float32)
    s = seed & 0xFFFFFFFF
    for i in range(n):
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        out[i] = (s >> 8) / 16777216 * 2 - 1
    return out


def step_values(seed: int, n: int, scale: float, frames: int) -> np.ndarray:
    """The signal steps() produces: frame k + 1 holds value k (frame 0 is 0)."""
    v = (lcg(seed, n).astype(np.float64) * scale).astype(np.float32)
    x = np.zeros(frames, dtype=np.float32)
    m = min(n, frames - 1)
    x[1:m + 1] = v[:m]
    if n < frames - 1:
        x[n + 1:] = v[-1]
    return x


def steps(ctx, seed: int, n: int, scale: float = 1.0):
    src = ctx.create_constant_source(offset=0.0)
    v = lcg(seed, n)
    for k in range(n):
        src.offset.set_value_at_time(float(v[k]) * scale, (k + 0.5) / ctx.sample_rate)
    src.start(0)
    return src


def ir_data(channels: int, length: int, seed: int, tau: float) -> np.ndarray:
    i = np.arange(length)
    return np.stack([(lcg(seed + c, length).astype(np.float64) * np.exp(-i / tau)).astype(np.float32)
                     for c in range(channels)])


def ir(ctx, channels: int, length: int, seed: int, tau: float):
    b = ctx.create_buffer(channels, length, ctx.sample_rate)
    np.asarray(b)[:] = ir_data(channels, length, seed, tau)
    return b


def stereo(ctx, node):
    g = ctx.create_gain(channel_count=2, channel_count_mode="explicit")
    node >> g
    return g


def pair(ctx, left, right):
    """Two mono sources as the channels of one stereo signal."""
    m = ctx.create_channel_merger(2)
    left.connect(m, 0, 0)
    right.connect(m, 0, 1)
    return m


def panner_equalpower_static(ctx):
    s = steps(ctx, 1, 2000)
    p = ctx.create_panner(position_x=1, position_y=0.5, position_z=-2)
    s >> p >> ctx.destination


def _moving(ctx, z):
    s = steps(ctx, 2, 4000)
    lst = ctx.listener
    lst.position_x.value = 0.5
    lst.forward_x.value = 0.3
    lst.up_z.value = 0.1
    p = ctx.create_panner(position_z=z)
    p.position_x.set_value_at_time(-10, 0)
    p.position_x.linear_ramp_to_value_at_time(10, 4096 / ctx.sample_rate)
    p.position_y.set_value_at_time(0.25, 0)
    s >> p >> ctx.destination


def panner_equalpower_moving(ctx):
    """In front of the listener all the way."""
    _moving(ctx, -5)


def panner_equalpower_crossing(ctx):
    """Passes the listener's left side (azimuth -90 degrees)."""
    _moving(ctx, -1)


def panner_equalpower_stereo(ctx):
    s = steps(ctx, 3, 4000)
    p = ctx.create_panner(position_x=-3, position_z=-1)
    p.position_x.set_value_at_time(2, 2048 / ctx.sample_rate)
    p.position_z.set_value_at_time(1.5, 3072 / ctx.sample_rate)
    stereo(ctx, s) >> p >> ctx.destination


def panner_distance_linear(ctx):
    s = steps(ctx, 4, 4000)
    p = ctx.create_panner(distance_model="linear", ref_distance=2, max_distance=30, rolloff_factor=0.7)
    p.position_z.set_value_at_time(0.5, 0)
    p.position_z.linear_ramp_to_value_at_time(-40, 4096 / ctx.sample_rate)
    p.position_x.value = 0.3
    s >> p >> ctx.destination


def panner_distance_exponential(ctx):
    s = steps(ctx, 5, 4000)
    p = ctx.create_panner(distance_model="exponential", ref_distance=1.5, rolloff_factor=1.3)
    p.position_x.set_value_at_time(0.5, 0)
    p.position_x.exponential_ramp_to_value_at_time(60, 4096 / ctx.sample_rate)
    p.position_y.value = -0.4
    s >> p >> ctx.destination


def panner_distance_inverse(ctx):
    s = steps(ctx, 6, 2000)
    p = ctx.create_panner(distance_model="inverse", ref_distance=0.5, rolloff_factor=2.5,
                          position_x=-4, position_y=1, position_z=3)
    s >> p >> ctx.destination


def panner_cone(ctx):
    s = steps(ctx, 7, 4000)
    p = ctx.create_panner(cone_inner_angle=60, cone_outer_angle=200, cone_outer_gain=0.2,
                          position_x=2, position_z=-2, orientation_x=-1, orientation_z=0)
    p.orientation_z.set_value_at_time(0, 0)
    p.orientation_z.linear_ramp_to_value_at_time(-4, 4096 / ctx.sample_rate)
    s >> p >> ctx.destination


def panner_hrtf(ctx):
    s = steps(ctx, 8, 8000)
    p = ctx.create_panner(panning_model="HRTF", position_x=1, position_z=-1)
    p.position_x.set_value_at_time(-1, 4096 / ctx.sample_rate)
    s >> p >> ctx.destination


def convolver_mono(ctx):
    s = steps(ctx, 9, 3000)
    c = ctx.create_convolver(buffer=ir(ctx, 1, 3000, 100, 800))
    s >> c >> ctx.destination


def convolver_stereo_ir(ctx):
    s = steps(ctx, 10, 3000)
    c = ctx.create_convolver(buffer=ir(ctx, 2, 2500, 200, 600))
    s >> c >> ctx.destination


def convolver_true_stereo(ctx):
    s = steps(ctx, 11, 3000)
    c = ctx.create_convolver(buffer=ir(ctx, 4, 2000, 300, 500))
    stereo(ctx, s) >> c >> ctx.destination


def convolver_mono_true_stereo(ctx):
    s = steps(ctx, 14, 3000)
    c = ctx.create_convolver(buffer=ir(ctx, 4, 2000, 500, 500))
    s >> c >> ctx.destination


def convolver_stereo_mono_ir(ctx):
    c = ctx.create_convolver(buffer=ir(ctx, 1, 2500, 600, 700))
    pair(ctx, steps(ctx, 15, 3000), steps(ctx, 16, 3000, 0.5)) >> c >> ctx.destination


def convolver_true_stereo_pair(ctx):
    c = ctx.create_convolver(buffer=ir(ctx, 4, 2000, 700, 500))
    pair(ctx, steps(ctx, 17, 3000), steps(ctx, 18, 3000, 0.7)) >> c >> ctx.destination


def convolver_no_normalize(ctx):
    s = steps(ctx, 12, 3000, 0.5)
    c = ctx.create_convolver(disable_normalization=True, buffer=ir(ctx, 2, 5000, 400, 1500))
    stereo(ctx, s) >> c >> ctx.destination


def compressor(ctx):
    s = steps(ctx, 13, 16000)
    g = ctx.create_gain()
    g.gain.set_value_at_time(1, 0)
    g.gain.set_value_at_time(0.05, 8192 / ctx.sample_rate)
    s >> g
    c = ctx.create_dynamics_compressor(threshold=-20, knee=10, ratio=8, attack=0.005, release=0.05)
    stereo(ctx, g) >> c >> ctx.destination


COMPRESSOR_STEPS = (6145, 16385)   # first frames of the loud part and of the quiet one


def compressor_reduction_gain(frames: int) -> np.ndarray:
    """The gain in front of the compressor: 0.01, 1 from frame 6145, 0.01 from 16385."""
    i = np.arange(frames)
    return np.where((i >= COMPRESSOR_STEPS[0]) & (i < COMPRESSOR_STEPS[1]), 1.0, 0.01).astype(np.float32)


def compressor_reduction(ctx):
    """Channels 0 and 1: the compressor's output; channel 2: `reduction` read
    at a suspension every REDUCTION_EVERY frames and played back through a
    ConstantSourceNode from that frame on. Returns {frame: reduction} as read."""
    s = steps(ctx, 19, COMPRESSOR_FRAMES - 1)
    g = ctx.create_gain(gain=0.01)
    g.gain.set_value_at_time(1, (COMPRESSOR_STEPS[0] - 0.5) / ctx.sample_rate)
    g.gain.set_value_at_time(0.01, (COMPRESSOR_STEPS[1] - 0.5) / ctx.sample_rate)
    s >> g
    c = ctx.create_dynamics_compressor(threshold=-30, knee=6, ratio=12, attack=0.02, release=0.1)
    split = ctx.create_channel_splitter(2)
    out = ctx.create_channel_merger(3)
    stereo(ctx, g) >> c >> split
    split.connect(out, 0, 0)
    split.connect(out, 1, 1)
    rec = ctx.create_constant_source(offset=0.0)
    rec.connect(out, 0, 2)
    rec.start(0)
    out >> ctx.destination
    readings = {}

    def read(frame):
        readings[frame] = c.reduction
        rec.offset.set_value_at_time(c.reduction, ctx.current_time)

    for f in range(REDUCTION_EVERY, COMPRESSOR_FRAMES, REDUCTION_EVERY):
        ctx.suspend((f + 0.5) / ctx.sample_rate, lambda f=f: read(f))
    return readings


def hrtf_position(az: float) -> tuple[float, float]:
    """(x, z) of a source at azimuth az degrees, elevation 0, 1 m away (the
    listener faces -z, +x is on the right)."""
    x, z = np.sin(np.radians(az)), -np.cos(np.radians(az))
    return float(np.round(x, 12)) + 0.0, float(np.round(z, 12)) + 0.0


def hrtf_case(az: int) -> str:
    return "panner_hrtf_az%s%d" % ("m" if az < 0 else "", abs(az))


def panner_hrtf_azimuth(ctx, az: int):
    x, z = hrtf_position(az)
    s = steps(ctx, 20, 8191)
    p = ctx.create_panner(panning_model="HRTF", position_x=x, position_y=0, position_z=z)
    s >> p >> ctx.destination


for _az in HRTF_AZIMUTHS:
    globals()[hrtf_case(_az)] = lambda ctx, az=_az: panner_hrtf_azimuth(ctx, az)
