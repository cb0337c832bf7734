"""Audio as streams: offline rendering in blocks and into files.

``OfflineAudioContext.stream(block_frames=...)`` yields float32 ``(channels,
frames)`` blocks as they are rendered; ``render_to(path)`` writes a file while
rendering. Both render through the engine's ``ls_offline_context_render_into``,
which gives the samples a whole render gives, whatever the block size. An
``OfflineAudioContext(length=None, tail=..., max_length=...)`` renders until
every source has ended and the output has stayed quiet for ``tail`` seconds.

Stream sources (``ctx.create_stream_source``) are topped up from Python
between the chunks the render runs in, never from inside the render.
"""

from __future__ import annotations

import os
import sys
import tempfile
import weakref
from typing import Any, Callable, Iterator, List, Optional, Union

import numpy as np

from . import _core

DEFAULT_BLOCK_FRAMES = 8192

# file extension -> soundfile format name; .wav is written by the engine
_SOUNDFILE_FORMATS = {
    ".flac": "FLAC",
    ".ogg": "OGG",
    ".oga": "OGG",
    ".mp3": "MP3",
    ".aiff": "AIFF",
    ".aif": "AIFF",
    ".caf": "CAF",
    ".w64": "W64",
}
# soundfile subtype names the built-in WAV writer knows, and its bits code
_WAV_SUBTYPES = {"PCM_U8": 8, "PCM_16": 16, "PCM_24": 24, "PCM_32": 0x120, "FLOAT": 32, "DOUBLE": 64}

# stream sources of each context, topped up before each chunk
_feeders: "weakref.WeakKeyDictionary[Any, List[Any]]" = weakref.WeakKeyDictionary()


def _register_feeder(ctx: Any, feeder: Any) -> None:
    _feeders.setdefault(ctx, []).append(feeder)


def _chunk_limit(ctx: Any) -> Optional[int]:
    """The most frames one chunk may render: no stream source may run dry in it."""
    live = [f for f in _feeders.get(ctx, ()) if not f.finished]
    if not live:
        return None
    return min(f.chunk_frames for f in live)


def _top_up(ctx: Any) -> None:
    for f in _feeders.get(ctx, ()):
        if not f.finished:
            f.top_up()


def _render_block(ctx: Any, out: np.ndarray) -> int:
    """Render into out (channels, n) in chunks small enough for the stream sources."""
    want = out.shape[1]
    got = 0
    while got < want:
        limit = _chunk_limit(ctx)
        n = want - got if limit is None else min(want - got, limit)
        _top_up(ctx)
        k = ctx._render_into(out[:, got:got + n])
        got += k
        if k < n:
            break
    return got


def _check_block_frames(fn: str, block_frames: Any) -> int:
    if isinstance(block_frames, bool) or not isinstance(block_frames, (int, np.integer)) or block_frames < 1:
        raise ValueError(f"{fn}(block_frames): block_frames must be an int >= 1, got {block_frames!r}")
    return int(block_frames)


def _channels(ctx: Any) -> int:
    return int(ctx.destination.max_channel_count)


def _check_can_start(fn: str, ctx: Any) -> None:
    if ctx.state == "closed":
        raise _core.InvalidStateError(f"{fn}(): the context has been rendered or closed")


def stream(ctx: Any, block_frames: int = DEFAULT_BLOCK_FRAMES) -> Iterator[np.ndarray]:
    """Render in blocks: yields float32 ``(channels, frames)`` arrays.

    Every block but the last holds ``block_frames`` frames; memory does not
    grow with the render's length. The samples, put end to end, are those
    ``start_rendering()`` returns. Suspensions scheduled with a callback run
    on the way.
    """
    n = _check_block_frames("stream", block_frames)
    _check_can_start("stream", ctx)
    return _stream_blocks(ctx, n)


def _stream_blocks(ctx: Any, n: int) -> Iterator[np.ndarray]:
    ch = _channels(ctx)
    while ctx.state != "closed":
        block = np.empty((ch, n), dtype=np.float32)
        k = _render_block(ctx, block)
        if k:
            yield block if k == n else block[:, :k]
        if k < n:
            break


def render_whole(ctx: Any, progress: Optional[Callable[[int, Optional[int]], Any]] = None) -> Any:
    """start_rendering() of an open-ended context or one with stream sources: the
    blocks gathered into one AudioBuffer."""
    length = ctx.length
    if length is not None:
        buf = _core.AudioBuffer(number_of_channels=_channels(ctx), length=length,
                                sample_rate=ctx.sample_rate)
        view = np.asarray(buf)
        done = 0
        while done < length:
            step = min(DEFAULT_BLOCK_FRAMES * 8, length - done)
            k = _render_block(ctx, view[:, done:done + step])
            done += k
            if progress is not None:
                progress(done, length)
            if k < step:
                break
        return buf
    blocks = []
    done = 0
    for b in stream(ctx, DEFAULT_BLOCK_FRAMES * 8):
        blocks.append(b)
        done += b.shape[1]
        if progress is not None:
            progress(done, None)
    data = np.concatenate(blocks, axis=1) if blocks else np.zeros((_channels(ctx), 1), np.float32)
    return _core.AudioBuffer.from_numpy(data, sample_rate=ctx.sample_rate)


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------

class _WavSink:
    def __init__(self, path: str, channels: int, rate: float, subtype: Optional[str]) -> None:
        sub = (subtype or "FLOAT").upper()
        if sub not in _WAV_SUBTYPES:
            raise ValueError(f"render_to(subtype): WAV subtypes are {', '.join(_WAV_SUBTYPES)}, got {subtype!r}")
        self._w = _core._wav_writer_open(path, channels, rate, _WAV_SUBTYPES[sub])

    def write(self, block: np.ndarray) -> None:
        _core._wav_writer_write(self._w, block)

    def close(self) -> None:
        _core._wav_writer_close(self._w)


class _SoundFileSink:
    def __init__(self, path: str, channels: int, rate: float, fmt: str, subtype: Optional[str]) -> None:
        import soundfile  # type: ignore[import-untyped]

        self._f = soundfile.SoundFile(path, "w", samplerate=int(round(rate)), channels=channels,
                                      format=fmt, subtype=subtype)

    def write(self, block: np.ndarray) -> None:
        self._f.write(np.ascontiguousarray(block.T))

    def close(self) -> None:
        self._f.close()


def _writer_for(fn: str, path: Any, subtype: Optional[str]) -> Callable[[str, int, float], Any]:
    """Check before rendering that the file can be written; returns a sink factory."""
    p = os.fspath(path)
    ext = os.path.splitext(p)[1].lower()
    if ext == ".wav":
        if subtype is not None and str(subtype).upper() not in _WAV_SUBTYPES:
            raise ValueError(f"{fn}(subtype): WAV subtypes are {', '.join(_WAV_SUBTYPES)}, got {subtype!r}")
        return lambda tmp, ch, rate: _WavSink(tmp, ch, rate, subtype)
    fmt = _SOUNDFILE_FORMATS.get(ext)
    if fmt is None:
        raise ValueError(f"{fn}(path): cannot write {ext or 'extension-less'!r} files ({p!r}); "
                         f"known extensions: .wav, {', '.join(_SOUNDFILE_FORMATS)}")
    try:
        import soundfile
    except ImportError:
        raise ValueError(f"{fn}(path): writing {ext} files needs the optional 'soundfile' package: "
                         f"pip install 'labsound[formats]' ({p!r})") from None
    if fmt not in soundfile.available_formats():
        raise ValueError(f"{fn}(path): the installed libsndfile cannot write {ext} files ({p!r})")
    if subtype is not None and not soundfile.check_format(fmt, subtype):
        raise ValueError(f"{fn}(subtype): {fmt} files cannot hold subtype {subtype!r}; "
                         f"available: {', '.join(soundfile.available_subtypes(fmt))}")
    return lambda tmp, ch, rate: _SoundFileSink(tmp, ch, rate, fmt, subtype)


def _progress_reporter(progress: Any, total: Optional[int], rate: float) -> Any:
    if progress is None or progress is False:
        return None, None
    if progress is True:
        try:
            from tqdm import tqdm  # type: ignore[import-untyped]
        except ImportError:
            raise ImportError("render_to(progress=True) draws a progress bar with tqdm: "
                              "pip install 'labsound[progress]'") from None
        bar = tqdm(total=total, unit="s", unit_scale=1.0 / rate, desc="rendering", file=sys.stderr,
                   leave=False)
        state = {"last": 0}

        def report(done: int, _total: Optional[int]) -> None:
            bar.update(done - state["last"])
            state["last"] = done

        return report, bar
    if not callable(progress):
        raise TypeError(f"render_to(progress): progress must be True, False, None or a callable, "
                        f"got {type(progress).__name__}")
    return progress, None


def open_sink(fn: str, path: Any, channels: int, rate: float, subtype: Optional[str] = None) -> "_AtomicSink":
    """A file sink written under a temporary name and renamed by commit()."""
    factory = _writer_for(fn, path, subtype)
    return _AtomicSink(os.fspath(path), factory, channels, rate)


class _AtomicSink:
    def __init__(self, final: str, factory: Any, channels: int, rate: float) -> None:
        self.final = final
        directory = os.path.dirname(os.path.abspath(final))
        base, ext = os.path.splitext(os.path.basename(final))
        fd, self.tmp = tempfile.mkstemp(prefix=f".{base}.", suffix=f".partial{ext}", dir=directory)
        os.close(fd)
        self.frames = 0
        try:
            self._sink = factory(self.tmp, channels, rate)
        except BaseException:
            os.unlink(self.tmp)
            raise

    def write(self, block: np.ndarray) -> None:
        self._sink.write(block)
        self.frames += block.shape[1]

    def commit(self) -> None:
        try:
            self._sink.close()
            os.replace(self.tmp, self.final)
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        try:
            self._sink.close()
        except Exception:
            pass
        try:
            os.unlink(self.tmp)
        except OSError:
            pass


def render_to(ctx: Any, path: Union[str, "os.PathLike[str]"], *, subtype: Optional[str] = None,
              progress: Any = None, block_frames: int = DEFAULT_BLOCK_FRAMES) -> int:
    """Render into a file while rendering; returns the frames written.

    The format comes from the extension: ``.wav`` is written by the engine
    (``subtype`` 'FLOAT' by default, or 'PCM_16', 'PCM_24', 'PCM_32', 'PCM_U8',
    'DOUBLE'); ``.flac``, ``.ogg``, ``.mp3``, ``.aiff``, ``.caf`` and ``.w64``
    through soundfile (the ``formats`` extra). An extension nothing installed
    can write raises ValueError before anything is rendered. The file is
    written under a temporary name in the same folder and renamed to ``path``
    once complete: an error leaves no partial file under ``path``.
    ``progress``: True for a tqdm bar, or a callable ``progress(done, total)``
    (total None for an open-ended context).
    """
    n = _check_block_frames("render_to", block_frames)
    _check_can_start("render_to", ctx)
    total = ctx.length
    report, bar = _progress_reporter(progress, total, ctx.sample_rate)
    sink = open_sink("render_to", path, _channels(ctx), ctx.sample_rate, subtype)
    try:
        for block in _stream_blocks(ctx, n):
            sink.write(block)
            if report is not None:
                report(sink.frames, total)
    except BaseException:
        sink.abort()
        if bar is not None:
            bar.close()
        raise
    sink.commit()
    if bar is not None:
        bar.close()
    return sink.frames
