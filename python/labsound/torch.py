"""PyTorch datasets of sounds rendered on the fly (``pip install labsound[torch]``).

:class:`RenderedDataset` is an ``IterableDataset`` that renders each example
when it is asked for, from your build function: ``build(item, rng)`` builds an
:class:`~labsound.OfflineAudioContext` (or returns an AudioBuffer or a NumPy
array) and a label. In a ``DataLoader`` with workers, each worker renders its
own share of the items; each item's random generator is seeded from the base
seed, the epoch and the item's position, so the examples are the same whatever
the number of workers, and from one run to the next.

The audio tensor shares memory with the rendered AudioBuffer (no copy); the
``DataLoader`` copies it once into shared memory to send it from a worker.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Optional, Sequence, Tuple, Union

import numpy as np

try:
    import torch
    from torch.utils.data import IterableDataset, get_worker_info
except ImportError as e:  # pragma: no cover  (exercised by a test that hides torch)
    raise ImportError("labsound.torch needs PyTorch, which is not installed: "
                      "pip install labsound[torch] (or a CPU build of torch)") from e

from . import _core

__all__ = ["RenderedDataset", "to_tensor"]


def to_tensor(audio: Any) -> "torch.Tensor":
    """A float32 tensor ``(channels, frames)`` of a rendered sound, without a copy.

    ``audio`` is an :class:`~labsound.AudioBuffer` (the tensor shares its
    memory and keeps it alive), an :class:`~labsound.OfflineAudioContext`
    (rendered first), or an array-like (converted to float32, shared when it
    already is float32; 1-D arrays become one channel). Raises TypeError for
    anything else and ValueError for more than two dimensions.
    """
    if isinstance(audio, _core.OfflineAudioContext):
        rendered = audio.start_rendering()
        if rendered is None:
            raise ValueError("to_tensor(audio): the context stopped at a suspension without a "
                             "callback; its render did not finish")
        audio = rendered
    if isinstance(audio, torch.Tensor):
        t = audio.to(torch.float32)
    elif isinstance(audio, _core.AudioBuffer):
        return torch.from_numpy(np.asarray(audio))
    else:
        try:
            arr = np.asarray(audio, dtype=np.float32)
        except (TypeError, ValueError) as e:
            raise TypeError(f"to_tensor(audio): expected an AudioBuffer, an OfflineAudioContext or "
                            f"an array, got {type(audio).__name__}") from e
        if arr.dtype == object:
            raise TypeError(f"to_tensor(audio): expected an AudioBuffer, an OfflineAudioContext "
                            f"or an array, got {type(audio).__name__}")
        if not arr.flags.writeable:
            arr = arr.copy()
        t = torch.from_numpy(arr)
    if t.ndim == 1:
        t = t.unsqueeze(0)
    if t.ndim != 2:
        raise ValueError(f"to_tensor(audio): expected (channels, frames), got shape {tuple(t.shape)}")
    return t


class RenderedDataset(IterableDataset):
    """An IterableDataset of sounds rendered on the fly by ``build(item, rng)``.

    ``RenderedDataset(build, items, *, seed=0, shuffle=False, transform=None)``:

    * ``items``: a sequence of items (parameters, file names, anything) or an
      int ``n`` for the seeds ``range(n)``.
    * ``build(item, rng)`` returns ``(audio, label)``: audio an
      OfflineAudioContext with its graph built (rendered here), an AudioBuffer
      or an array; ``rng`` is a ``numpy.random.Generator`` seeded from
      ``(seed, epoch, position of the item)``, for the randomness of the example.
    * ``shuffle``: iterate in a permutation drawn from ``(seed, epoch)``.
    * ``transform``: called on each audio tensor (features) before it is yielded.

    Iterating yields ``(audio, label)`` with audio a float32 tensor
    ``(channels, frames)`` sharing the AudioBuffer's memory. In DataLoader
    workers (``torch.utils.data.get_worker_info``) worker ``w`` of ``W``
    takes positions ``w, w + W, ...`` of the order: with ``batch_size=None``
    or 1 the DataLoader yields the same examples in the same order for any
    ``num_workers``. ``set_epoch(e)`` draws new random examples (and a new
    order) for epoch ``e``; ``len()`` is the number of items.
    """

    def __init__(self, build: Callable[[Any, np.random.Generator], Tuple[Any, Any]],
                 items: Union[int, Sequence[Any]], *, seed: int = 0, shuffle: bool = False,
                 transform: Optional[Callable[["torch.Tensor"], Any]] = None) -> None:
        super().__init__()
        if not callable(build):
            raise TypeError(f"RenderedDataset(build): build must be callable, got {type(build).__name__}")
        if isinstance(items, bool):
            raise TypeError("RenderedDataset(items): expected a sequence or an int, got bool")
        if isinstance(items, (int, np.integer)):
            if items < 0:
                raise ValueError(f"RenderedDataset(items): a count must be >= 0, got {items}")
            items = range(int(items))
        elif not hasattr(items, "__len__") or not hasattr(items, "__getitem__") or \
                isinstance(items, (str, bytes)):
            raise TypeError(f"RenderedDataset(items): expected a sequence (list, range, array) or an "
                            f"int, got {type(items).__name__}")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"RenderedDataset(seed): expected an int >= 0, got {seed!r}")
        if transform is not None and not callable(transform):
            raise TypeError(f"RenderedDataset(transform): expected a callable or None, got "
                            f"{type(transform).__name__}")
        self.build = build
        self.items = items
        self.seed = int(seed)
        self.shuffle = bool(shuffle)
        self.transform = transform
        self.epoch = 0

    def __len__(self) -> int:
        return len(self.items)

    def set_epoch(self, epoch: int) -> None:
        """Use epoch ``epoch``'s random examples (and order, with shuffle) from now on.

        Call it before each epoch (in the main process: DataLoader workers get
        a copy of the dataset when an iteration starts).
        """
        if isinstance(epoch, bool) or not isinstance(epoch, (int, np.integer)) or epoch < 0:
            raise ValueError(f"set_epoch(epoch): expected an int >= 0, got {epoch!r}")
        self.epoch = int(epoch)

    def order(self) -> Sequence[int]:
        """The positions of ``items`` in the order one epoch visits them (all workers)."""
        n = len(self.items)
        if not self.shuffle:
            return range(n)
        return np.random.default_rng([self.seed, self.epoch, 1 << 32]).permutation(n).tolist()

    def rng(self, position: int) -> np.random.Generator:
        """The random generator ``build`` gets for the item at ``position``."""
        return np.random.default_rng([self.seed, self.epoch, int(position)])

    def example(self, position: int) -> Tuple["torch.Tensor", Any]:
        """Render the item at ``position``: ``(audio tensor, label)``."""
        item = self.items[position]
        out = self.build(item, self.rng(position))
        if not isinstance(out, tuple) or len(out) != 2:
            raise TypeError(f"RenderedDataset: build(items[{position}], rng) must return "
                            f"(audio, label), got {type(out).__name__}")
        audio, label = out
        t = to_tensor(audio)
        if self.transform is not None:
            t = self.transform(t)
        return t, label

    def __iter__(self) -> Iterator[Tuple["torch.Tensor", Any]]:
        order = self.order()
        info = get_worker_info()
        if info is not None:
            order = order[info.id::info.num_workers]
        for position in order:
            yield self.example(position)
