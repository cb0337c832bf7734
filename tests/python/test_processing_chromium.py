"""Param automation and modulation inside a Python processor, against Chromium.

A processor computing ``out = in * gain`` must render what Chromium's
GainNode renders with the same automation: the values ``process`` receives
are the AudioParam's computed values. References: tests/fixtures/processing,
made by scripts/make_fixtures_processing.py (headless Chromium).
"""

from pathlib import Path

import numpy as np
import pytest

import labsound as ls

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "processing"


class GainProcessor(ls.AudioProcessor):
    parameters = [("gain", 1.0, -3.4028235e38, 3.4028235e38, "a-rate")]

    def process(self, inputs, outputs, parameters):
        outputs[0][:] = inputs[0][:1] * parameters["gain"]
        return True


def snr_db(x, ref):
    noise = np.sum((x.astype(np.float64) - ref) ** 2)
    return np.inf if noise == 0 else 10 * np.log10(np.sum(ref.astype(np.float64) ** 2) / noise)


def render(build, frames, rate=48000):
    ctx = ls.OfflineAudioContext(1, frames, rate)
    build(ctx)
    return np.asarray(ctx.start_rendering())


def test_arate_automation_matches_chromium_gain():
    ref = np.load(FIXTURES / "gain_arate_automation.npy")

    def build(ctx):
        src = ctx.create_constant_source(offset=0.5)
        node = ctx.create_processor(GainProcessor, output_channel_count=[1])
        p = node.parameters["gain"]
        p.set_value_at_time(1, 0.01)
        p.linear_ramp_to_value_at_time(3, 0.03)
        p.exponential_ramp_to_value_at_time(0.5, 0.07)
        p.set_target_at_time(2, 0.09, 0.01)
        p.set_value_curve_at_time([2, 0, 4, 1], 0.13, 0.04)
        p.linear_ramp_to_value_at_time(0.25, 0.19)
        src >> node >> ctx.destination
        src.start(0)

    out = render(build, ref.shape[1])
    snr = snr_db(out, ref)
    print(f"a-rate automation in a processor vs Chromium GainNode: SNR {snr:.1f} dB")
    # both compute the spec's formulas in float32/float64 mixes: differences are
    # rounding (Chromium's curve interpolation and exp ramps differ by ~1e-7)
    assert snr > 100, snr


def test_krate_automation_and_modulation_match_chromium_gain():
    ref = np.load(FIXTURES / "gain_krate_modulated.npy")

    def build(ctx):
        src = ctx.create_constant_source(offset=1)
        node = ctx.create_processor(GainProcessor, output_channel_count=[1],
                                    parameter_data={"gain": 0.5})
        p = node.parameters["gain"]
        p.automation_rate = "k-rate"
        p.set_value_at_time(0.5, 0)
        p.linear_ramp_to_value_at_time(1.5, 0.15)
        lfo = ctx.create_oscillator(frequency=30)
        depth = ctx.create_gain(gain=0.25)
        lfo >> depth >> p
        src >> node >> ctx.destination
        src.start(0)
        lfo.start(0)

    out = render(build, ref.shape[1])
    snr = snr_db(out, ref)
    print(f"k-rate automation + modulation in a processor vs Chromium GainNode: SNR {snr:.1f} dB")
    # the LFO is a band-limited wavetable in both engines (~1e-6 apart)
    assert snr > 90, snr
    # k-rate: one value per quantum
    q = ls.RENDER_QUANTUM
    blocks = out[0, : (out.shape[1] // q) * q].reshape(-1, q)
    assert np.all(blocks == blocks[:, :1])
