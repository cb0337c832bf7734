"""Train a tiny PyTorch classifier on sounds rendered on the fly.

Four classes, each a one-eighth-second note at 8 kHz with a random pitch
(110-880 Hz), level and attack: a sine, a square, a sawtooth (labsound
oscillators) and filtered noise (ctx.create_noise through a band-pass at a
random centre). labsound.torch.RenderedDataset renders every example when the
DataLoader asks for it, with fresh random examples each epoch (set_epoch);
the features are the log-magnitude spectrum (torch.fft), the model a
two-layer perceptron. On a CPU it trains in a few seconds and prints its
accuracy on a held-out set rendered from another seed.

    python examples/torch_classifier.py [--epochs 6] [--train 768] [--workers 0]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch

import labsound as ls
from labsound.torch import RenderedDataset

RATE = 8000
FRAMES = 1000
CLASSES = ["sine", "square", "sawtooth", "noise"]


def build(position: int, rng: np.random.Generator):
    """One example: (context, class index); the class cycles with the position."""
    label = position % len(CLASSES)
    ctx = ls.OfflineAudioContext(1, FRAMES, RATE)
    env = ctx.create_gain(gain=0.0)
    env >> ctx.destination
    level = float(rng.uniform(0.2, 0.9))
    env.gain.linear_ramp_to_value_at_time(level, float(rng.uniform(0.002, 0.02)))
    freq = float(110 * 2 ** rng.uniform(0, 3))
    if CLASSES[label] == "noise":
        src = ctx.create_noise(seed=int(rng.integers(1, 2**31)))
        band = ctx.create_biquad_filter(type="bandpass", frequency=freq * 2, Q=1.0)
        src >> band >> env
    else:
        src = ctx.create_oscillator(type=CLASSES[label], frequency=freq)
        src >> env
    src.start(0)
    return ctx, label


def features(audio: torch.Tensor) -> torch.Tensor:
    """Log-magnitude spectrum of the (1, FRAMES) clip, normalised to its peak."""
    spec = torch.fft.rfft(audio[0] * torch.hann_window(FRAMES))
    mag = torch.log1p(100 * spec.abs() / (spec.abs().max() + 1e-9))
    return mag


def make_model(seed: int) -> torch.nn.Module:
    torch.manual_seed(seed)
    bins = FRAMES // 2 + 1
    return torch.nn.Sequential(torch.nn.Linear(bins, 64), torch.nn.ReLU(),
                               torch.nn.Linear(64, len(CLASSES)))


def main(seed: int = 0, epochs: int = 6, train: int = 768, test: int = 256, workers: int = 0,
         batch_size: int = 16, verbose: bool = True) -> float:
    """Train, then return the accuracy on the held-out set (and print it)."""
    torch.set_num_threads(1)
    train_set = RenderedDataset(build, train, seed=seed, shuffle=True, transform=features)
    test_set = RenderedDataset(build, test, seed=seed + 1000, transform=features)
    model = make_model(seed)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    loss_fn = torch.nn.CrossEntropyLoss()
    t0 = time.perf_counter()
    for epoch in range(epochs):
        train_set.set_epoch(epoch)              # new random notes every epoch
        loader = torch.utils.data.DataLoader(train_set, batch_size=batch_size, num_workers=workers)
        total = 0.0
        for x, y in loader:
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            total += loss.item() * len(y)
        if verbose:
            print(f"epoch {epoch + 1}: loss {total / train:.3f}")
    correct = 0
    with torch.no_grad():
        for x, y in torch.utils.data.DataLoader(test_set, batch_size=128, num_workers=workers):
            correct += int((model(x).argmax(dim=1) == y).sum())
    accuracy = correct / test
    if verbose:
        print(f"accuracy on {test} held-out sounds: {accuracy:.3f} "
              f"({time.perf_counter() - t0:.1f} s, {epochs} epochs of {train})")
    return accuracy


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--train", type=int, default=768)
    ap.add_argument("--test", type=int, default=256)
    ap.add_argument("--workers", type=int, default=0, help="DataLoader worker processes")
    a = ap.parse_args()
    main(a.seed, a.epochs, a.train, a.test, a.workers)
