"""Everyday tasks in one call: play, record, process.

``play(data)`` plays a NumPy array, an AudioBuffer or a file; ``record(seconds)``
returns the microphone as a NumPy array; ``process(input, chain)`` runs a file,
array or buffer through an effect chain in constant memory, keeping tails. All
three are built on stream sources and streaming offline renders
(labsound/_streams.py).
"""

from __future__ import annotations

import math
import os
import time
from typing import Any, Callable, Optional

import numpy as np

from . import _core, _streams

_PATHS = (str, bytes, os.PathLike)


def _source_rate_channels(fn: str, data: Any, sample_rate: Optional[float]) -> "tuple[float, Optional[int], Optional[int]]":
    """(sample rate, channels, frames) of what is to be played or processed; the
    channels and frames are None where they are not known up front."""
    if isinstance(data, _core.AudioBuffer):
        if sample_rate is not None and sample_rate != data.sample_rate:
            raise ValueError(f"{fn}(sample_rate): the AudioBuffer is at {data.sample_rate} Hz, "
                             f"got sample_rate={sample_rate!r}")
        return data.sample_rate, data.number_of_channels, data.length
    if isinstance(data, _PATHS):
        path = os.fsdecode(data)
        try:
            import soundfile
        except ImportError:
            soundfile = None
        if soundfile is not None:
            try:
                info = soundfile.info(path)
            except Exception as e:
                raise _streams.StreamSourceError(f"{fn}: cannot open {path!r}: {e}") from e
            return float(info.samplerate), int(info.channels), int(info.frames)
        b = _core._load_wav(path)
        return b.sample_rate, b.number_of_channels, b.length
    if hasattr(data, "samplerate") and hasattr(data, "channels") and hasattr(data, "read"):
        return float(data.samplerate), int(data.channels), None
    if isinstance(data, np.ndarray) or hasattr(data, "__array__") and not hasattr(data, "__next__"):
        a = np.asarray(data)
        if sample_rate is None:
            raise TypeError(f"{fn}(sample_rate): a NumPy array needs its sample_rate")
        if a.ndim not in (1, 2):
            raise ValueError(f"{fn}(data): an array is (frames,) or (channels, frames), got shape {a.shape}")
        return float(sample_rate), 1 if a.ndim == 1 else a.shape[0], a.shape[-1]
    if sample_rate is None:
        raise TypeError(f"{fn}(sample_rate): an iterable of blocks needs its sample_rate")
    return float(sample_rate), None, None


def _check_rate(fn: str, rate: Any) -> None:
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 3000 <= rate <= 768000:
        raise ValueError(f"{fn}(sample_rate): sample_rate must be between 3000 and 768000 Hz, got {rate!r}")


def play(data: Any, sample_rate: Optional[float] = None, blocking: bool = True, *,
         device: Any = None, channels: int = 2) -> Any:
    """Play ``data`` (a NumPy array of shape (frames,) or (channels, frames), an
    AudioBuffer, a file path or a soundfile.SoundFile) on the default output.

    Integer PCM arrays are scaled as PCM (int16 / 32768, ...). The context runs at
    the data's sample rate (``sample_rate`` is needed for arrays). With
    ``blocking`` (the default) it returns once everything has played; without, it
    returns the running AudioContext at once (close() it to stop early).
    """
    rate, _, _ = _source_rate_channels("play", data, sample_rate)
    _check_rate("play", rate)
    if isinstance(data, np.ndarray) and data.ndim == 2 and data.shape[0] > _core.MAX_CHANNELS:
        raise ValueError(f"play(data): arrays are (channels, frames), got shape {data.shape} "
                         f"(transpose it?)")
    ctx = _core.AudioContext(sample_rate=rate, channels=channels, device=device)
    try:
        src = ctx.create_stream_source(data)
        src >> ctx.destination
    except BaseException:
        ctx.close()
        raise
    if not blocking:
        return ctx  # the feeder thread holds the source until it has played
    try:
        while not src.finished and ctx.state == "running":
            ctx.wait(0.02)
        ctx.wait(max(0.05, ctx.base_latency * 2))  # the last quanta reach the device
    finally:
        ctx.close()
    return None


def record(seconds: float, sample_rate: float = 48000, channels: int = 1, *, device: Any = None) -> np.ndarray:
    """Record ``seconds`` from the default input (or ``device``): a float32 NumPy
    array of shape (channels, frames), frames = round(seconds * sample_rate)."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 < seconds < 86400:
        raise ValueError(f"record(seconds): seconds must be > 0, got {seconds!r}")
    _check_rate("record", sample_rate)
    if isinstance(channels, bool) or not isinstance(channels, int) or not 1 <= channels <= _core.MAX_CHANNELS:
        raise ValueError(f"record(channels): channels must be an int from 1 to {_core.MAX_CHANNELS}, "
                         f"got {channels!r}")
    frames = int(round(seconds * sample_rate))
    ctx = _core.AudioContext(sample_rate=sample_rate, channels=channels, start=False)
    try:
        mic = ctx.create_microphone(device=device, channels=channels)
        rec = ctx.create_recorder(channels=channels)
        mic >> rec
        rec.start()
        ctx.resume()
        deadline = time.monotonic() + seconds * 4 + 5
        while ctx.current_time < seconds + 0.05 and time.monotonic() < deadline:
            ctx.wait(0.02)
        rec.stop()
        x = np.asarray(rec.to_buffer())
        del mic
    finally:
        ctx.close()
    out = np.zeros((channels, frames), np.float32)
    n = min(frames, x.shape[1])
    out[:, :n] = x[:channels, :n]
    return out


def process(input: Any, chain: Callable[[Any, Any], Any], output: Any = None, *,
            sample_rate: Optional[float] = None, channels: Optional[int] = None, tail: float = 1.0,
            tail_threshold: float = 1e-4, max_length: Optional[int] = None, subtype: Optional[str] = None,
            block_frames: int = 65536, progress: Any = None) -> Optional[np.ndarray]:
    """Run ``input`` (a file path, soundfile.SoundFile, NumPy array, AudioBuffer or
    an iterable of (channels, frames) blocks) through an effect chain.

    ``chain(ctx, source)`` builds the graph on an OfflineAudioContext and returns
    its last node, which is connected to the destination. The render streams:
    memory stays constant whatever the input's length; it goes on after the
    input ends until the output has been quiet for ``tail`` seconds (below
    ``tail_threshold``), so reverb and delay tails are kept. With ``output`` (a
    path) the result is written there (as render_to does) and None is returned;
    otherwise it is returned as a float32 (channels, frames) array.
    """
    if not callable(chain):
        raise TypeError(f"process(chain): chain must be callable as chain(ctx, source), got "
                        f"{type(chain).__name__}")
    rate, ch, frames = _source_rate_channels("process", input, sample_rate)
    if sample_rate is not None:
        _check_rate("process", sample_rate)
    if channels is not None:
        ch = channels
    if ch is None:
        # an iterable: its first block says
        import itertools

        it = iter(input)
        first = next(it, None)
        ch = 1 if first is None or np.ndim(first) == 1 else int(np.shape(first)[0])
        input = itertools.chain([] if first is None else [first], it)
    ch = max(1, min(int(ch), _core.MAX_CHANNELS))
    if max_length is None:
        # the input, its tail and a generous margin for the chain's own tails
        max_length = (frames + int(math.ceil((tail + 600) * rate))) if frames is not None else int(rate * 86400)
    ctx = _core.OfflineAudioContext(channels=ch, length=None, sample_rate=rate, tail=tail,
                                    tail_threshold=tail_threshold, max_length=max_length)
    # big reads and a big ring: few Python round trips per second of audio
    src = ctx.create_stream_source(input, sample_rate=rate if not isinstance(input, _core.AudioBuffer) and
                                   not isinstance(input, _PATHS) and not hasattr(input, "samplerate") else None,
                                   block_frames=65536, buffer_frames=1 << 17)
    last = chain(ctx, src)
    if last is None or not isinstance(last, _core.AudioNode):
        raise TypeError(f"process(chain): chain must return the chain's last AudioNode, got "
                        f"{type(last).__name__}")
    last >> ctx.destination
    if output is not None:
        ctx.render_to(output, subtype=subtype, progress=progress, block_frames=block_frames)
        return None
    blocks = list(ctx.stream(block_frames=block_frames))
    return np.concatenate(blocks, axis=1) if blocks else np.zeros((ch, 0), np.float32)
