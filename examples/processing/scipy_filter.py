"""A SciPy filter inside the graph: sosfilt with its state kept across blocks.

The processor designs a Butterworth low-pass once (second-order sections)
and filters every 128-frame block with ``scipy.signal.sosfilt``, passing the
filter state ``zi`` from one block to the next, so the result equals
filtering the whole signal at once.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

import labsound as ls


class SosFilter(ls.AudioProcessor):
    """Filters each input channel with the given second-order sections."""

    def __init__(self, sos: np.ndarray, channels: int = 1) -> None:
        self.sos = np.asarray(sos, dtype=np.float64)
        self.zi = np.zeros((channels, self.sos.shape[0], 2))

    def process(self, inputs, outputs, parameters):
        x = inputs[0]
        n = min(x.shape[0], self.zi.shape[0])
        for c in range(n):
            y, self.zi[c] = signal.sosfilt(self.sos, x[c], zi=self.zi[c])
            outputs[0][c] = y
        return True


def lowpass_sos(cutoff: float, sample_rate: float, order: int = 4) -> np.ndarray:
    return signal.butter(order, cutoff, btype="low", fs=sample_rate, output="sos")


def noise_source(ctx: ls.BaseAudioContext, seed: int = 1) -> ls.FunctionNode:
    """White noise from a seeded generator (reproducible block by block)."""
    rng = np.random.default_rng(seed)
    node = ctx.create_function(channels=1)
    node.set_process_function(
        lambda channel, buffer: buffer.__setitem__(
            slice(None), rng.uniform(-0.5, 0.5, ls.RENDER_QUANTUM).astype(np.float32)))
    return node


def build(ctx: ls.BaseAudioContext, cutoff: float = 1000.0):
    noise = noise_source(ctx)
    filt = ctx.create_processor(SosFilter, output_channel_count=[1],
                                sos=lowpass_sos(cutoff, ctx.sample_rate))
    noise >> filt >> ctx.destination
    noise.start(0)
    return noise, filt


if __name__ == "__main__":
    ctx = ls.OfflineAudioContext(1, 44100, 44100)
    build(ctx)
    ctx.start_rendering().save("filtered_noise.wav")
    print("rendered filtered_noise.wav")
