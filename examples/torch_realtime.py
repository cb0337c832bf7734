"""A small PyTorch model inside a real-time graph: its latency and its cost.

An oscillator plays through an AudioProcessorNode whose ``process`` runs a
tiny model (a 1-D convolution and tanh, the "neural" waveshaper of
examples/processing/torch_model.py, here with 16 channels in between) on each
128-frame block, in an AudioContext. On a real-time context Python runs on a
worker thread ``lookahead`` quanta ahead of the render thread, so the model
adds ``node.latency`` seconds; a block Python does not deliver in time plays
as silence and counts as a miss. The script prints

* the time of ``process`` per block (the model and the zero-copy wrapping of
  the engine's arrays, measured inside it) against the block's duration (the
  real-time budget),
* the callback overhead on the render thread: the engine's cost of the node
  per quantum (handing the block to Python's worker thread and taking its
  result) from ``ctx.profile()``, and the blocks computed and missed
  (``node.stats``),
* the latency the node adds, and the misses.

It runs on any machine: LABSOUND_BACKEND=null (the default here) keeps time
like a device and plays nothing.

    python examples/torch_realtime.py [--seconds 2]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import torch

os.environ.setdefault("LABSOUND_BACKEND", "null")

import labsound as ls  # noqa: E402

TAPS = 9


class TinyModel(torch.nn.Module):
    """conv (1 -> 16, 9 taps) > tanh > conv (16 -> 1, 1 tap) > tanh, fixed weights."""

    def __init__(self, seed: int = 0) -> None:
        super().__init__()
        torch.manual_seed(seed)
        self.conv1 = torch.nn.Conv1d(1, 16, TAPS)
        self.conv2 = torch.nn.Conv1d(16, 1, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.tanh(self.conv2(torch.tanh(self.conv1(x))))


class ModelProcessor(ls.AudioProcessor):
    """Runs TinyModel block by block, continuous across blocks (the last
    TAPS - 1 input frames are kept); records the model's time per block."""

    def __init__(self, seed: int = 0) -> None:
        torch.set_num_threads(1)
        self.model = TinyModel(seed).eval()
        self.history = torch.zeros(1, 1, TAPS - 1)
        self.times: list = []

    def process(self, inputs, outputs, parameters):
        if inputs[0].shape[0] == 0:
            return True
        t0 = time.perf_counter()
        x = torch.from_numpy(inputs[0][0]).view(1, 1, -1)      # no copy
        with torch.inference_mode():
            full = torch.cat([self.history, x], dim=2)
            y = self.model(full)
            self.history = full[:, :, -(TAPS - 1):].clone()
        torch.from_numpy(outputs[0][0]).copy_(y.view(-1))
        self.times.append(time.perf_counter() - t0)
        return True


def reference(model: TinyModel, x: np.ndarray) -> np.ndarray:
    """The model on a whole signal at once (zero history), for checking."""
    with torch.inference_mode():
        full = torch.cat([torch.zeros(TAPS - 1), torch.from_numpy(x.astype(np.float32))])
        return model(full.view(1, 1, -1)).view(-1).numpy()


def main(seconds: float = 2.0, verbose: bool = True) -> dict:
    """Run the graph for `seconds`; return the figures (and print them)."""
    with ls.AudioContext(sample_rate=48000) as ctx:
        osc = ctx.create_oscillator(frequency=220.0)
        node = ctx.create_processor(ModelProcessor, output_channel_count=[1])
        osc >> node >> ctx.destination
        osc.start()
        ctx.wait(0.1)                   # the worker thread and torch warm up
        before = node.stats
        with ctx.profile(nodes=[node]) as prof:
            ctx.wait(seconds)
        after = node.stats
        proc = node.processor
        budget = ctx.render_quantum_size / ctx.sample_rate
        model_times = np.array(proc.times[-max(1, after.calls - before.calls):])
        row = prof.nodes[0] if prof.nodes else None
        figures = {
            "blocks": after.calls - before.calls,
            "misses": after.misses - before.misses,
            "budget_ms": budget * 1e3,
            "model_mean_ms": float(model_times.mean() * 1e3),
            "model_p99_ms": float(np.percentile(model_times, 99) * 1e3),
            "engine_node_mean_us": float(row.mean * 1e6) if row else float("nan"),
            "engine_node_worst_us": float(row.worst * 1e6) if row else float("nan"),
            "node_latency_ms": node.latency * 1e3,
            "lookahead": node.lookahead,
            "output_latency_ms": (ctx.base_latency + ctx.output_latency) * 1e3,
            "backend": ctx.backend,
        }
    if verbose:
        f = figures
        print(f"{f['blocks']} blocks of {ctx.render_quantum_size} frames in {seconds:g} s "
              f"({f['backend']} backend), {f['misses']} missed")
        print(f"process() per block:  mean {f['model_mean_ms']:.3f} ms, p99 {f['model_p99_ms']:.3f} ms "
              f"(budget {f['budget_ms']:.3f} ms: {f['model_mean_ms'] / f['budget_ms'] * 100:.1f} %)")
        print(f"engine, per quantum:  mean {f['engine_node_mean_us']:.1f} us, worst "
              f"{f['engine_node_worst_us']:.1f} us (ctx.profile(): the node on the render thread)")
        print(f"latency:              {f['node_latency_ms']:.2f} ms from the node "
              f"({f['lookahead']} quanta ahead) + {f['output_latency_ms']:.2f} ms to the output")
    return figures


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=2.0)
    main(ap.parse_args().seconds)
