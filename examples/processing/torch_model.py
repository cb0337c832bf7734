"""A small PyTorch model (CPU) processing audio block by block.

A 1-D convolution (a fixed smoothing kernel, as a stand-in for a trained
model) followed by tanh, run under ``torch.inference_mode()``. The
processor keeps the last frames of the previous block so the convolution
is continuous across blocks; ``torch.from_numpy`` shares memory with the
engine's arrays, so input and output are not copied.
"""

from __future__ import annotations

import numpy as np
import torch

import labsound as ls

TAPS = 9


class TinyModel(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = torch.nn.Conv1d(1, 1, TAPS, bias=False)
        with torch.no_grad():
            self.conv.weight[:] = torch.full((1, 1, TAPS), 1.0 / TAPS)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.tanh(3.0 * self.conv(x))


class TorchProcessor(ls.AudioProcessor):
    def __init__(self) -> None:
        torch.set_num_threads(1)
        self.model = TinyModel().eval()
        self.history = torch.zeros(1, 1, TAPS - 1)

    def process(self, inputs, outputs, parameters):
        if inputs[0].shape[0] == 0:
            return True
        x = torch.from_numpy(inputs[0][0]).view(1, 1, -1)
        with torch.inference_mode():
            full = torch.cat([self.history, x], dim=2)
            y = self.model(full)
            self.history = full[:, :, -(TAPS - 1):].clone()
        torch.from_numpy(outputs[0][0]).copy_(y.view(-1))
        return True


def reference(x: np.ndarray) -> np.ndarray:
    """The same model on the whole signal at once, in NumPy."""
    padded = np.concatenate([np.zeros(TAPS - 1), x.astype(np.float64)])
    return np.tanh(3.0 * np.convolve(padded, np.full(TAPS, 1.0 / TAPS), mode="valid"))
