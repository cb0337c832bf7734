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
    feeders = _feeders.get(ctx)
    if not feeders:
        return
    for f in feeders:
        if not f.finished:
            try:
                f.top_up()
            except BaseException:
                _forget(ctx)  # the render cannot go on with this source
                raise
    # ended sources need no more topping up (the engine plays what is queued)
    feeders[:] = [f for f in feeders if not f.finished]


def _forget(ctx: Any) -> None:
    """The render is over: drop the context's feeders (they hold its nodes, which
    hold the context: kept, the weak dictionary would keep it alive)."""
    _feeders.pop(ctx, None)


def _render_block(ctx: Any, out: np.ndarray) -> int:
    """Render into out (channels, n) in chunks small enough for the stream sources."""
    want = out.shape[1]
    got = 0
    while got < want:
        limit = _chunk_limit(ctx)
        n = want - got if limit is None else min(want - got, limit)
        _top_up(ctx)
        try:
            k = ctx._render_into(out[:, got:got + n])
        except BaseException:
            if ctx.state == "closed":
                _forget(ctx)
            raise
        got += k
        if k < n:
            break
    if ctx.state == "closed":
        _forget(ctx)
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
        _render_behind(ctx, sink, n, report, total)
    except BaseException:
        sink.abort()
        if bar is not None:
            bar.close()
        raise
    sink.commit()
    if bar is not None:
        bar.close()
    return sink.frames


_WRITE_BEHIND_BLOCKS = 3


def _render_behind(ctx: Any, sink: "_AtomicSink", n: int, report: Any, total: Optional[int]) -> None:
    """Render block after block into `sink`, the writing done by a thread of
    its own while the next block renders (both release the GIL): the file's
    conversion and the system's write overlap the render. A few blocks go
    round between the two (memory stays constant); the blocks are written in
    the order rendered. An error on either side stops both and is raised
    here."""
    import queue
    import threading

    ch = _channels(ctx)
    free: "queue.Queue[np.ndarray]" = queue.Queue()
    for _ in range(_WRITE_BEHIND_BLOCKS):
        free.put(np.empty((ch, n), dtype=np.float32))
    todo: "queue.Queue[Optional[np.ndarray]]" = queue.Queue()
    failed: List[BaseException] = []

    def write() -> None:
        while True:
            block = todo.get()
            if block is None:
                return
            if not failed:
                try:
                    sink.write(block)
                except BaseException as e:  # raised by render_to
                    failed.append(e)
            free.put(block.base if block.base is not None else block)

    writer = threading.Thread(target=write, name="labsound render_to writer", daemon=True)
    writer.start()
    done = 0
    try:
        while ctx.state != "closed" and not failed:
            block = free.get()
            k = _render_block(ctx, block)
            if k:
                todo.put(block if k == n else block[:, :k])
                done += k
                if report is not None:
                    report(done, total)
            else:
                free.put(block)
            if k < n:
                break
    finally:
        todo.put(None)
        writer.join()
    if failed:
        raise failed[0]


# ---------------------------------------------------------------------------
# Stream sources
# ---------------------------------------------------------------------------

class StreamSourceError(_core.LabSoundError, ValueError):
    """A stream source's data could not be played: its iterator raised, or a block
    had the wrong shape, dtype or channel count, or held NaN or infinities, or its
    file was unreadable. The message names the source; the original exception, if
    any, is the ``__cause__``. Offline it reaches the caller of start_rendering(),
    stream(), render_to() or process(); in real time the node goes silent and
    ``onerror`` (or a warning) reports it while the context keeps running."""


class StreamSourceWarning(RuntimeWarning):
    """A real-time stream source failed and went silent.

    Issued from the source's feeder thread when create_stream_source() was given
    no ``onerror`` handler; the message names the source and says what was wrong.
    The context keeps running; the node ends (``finished`` is True)."""


_PCM_SCALE = {
    np.dtype(np.int8): (128.0, 0.0),
    np.dtype(np.uint8): (128.0, 128.0),
    np.dtype(np.int16): (32768.0, 0.0),
    np.dtype(np.int32): (2147483648.0, 0.0),
    np.dtype(np.int64): (9223372036854775808.0, 0.0),
    np.dtype(np.uint16): (32768.0, 32768.0),
    np.dtype(np.uint32): (2147483648.0, 2147483648.0),
}


def pcm_to_float32(a: np.ndarray) -> np.ndarray:
    """Integer PCM scaled to [-1, 1) as float32 (int16 / 32768, int32 / 2^31,
    uint8 (x - 128) / 128, ...); float arrays converted to float32 unchanged."""
    a = np.asarray(a)
    if a.dtype.kind == "f":
        return a.astype(np.float32, copy=False)
    scale, offset = _PCM_SCALE[a.dtype]
    x = a.astype(np.float64)
    if offset:
        x -= offset
    return (x * (1.0 / scale)).astype(np.float32)


def _describe(source: Any) -> str:
    if isinstance(source, (str, bytes, os.PathLike)):
        return repr(os.fspath(source))
    name = getattr(source, "name", None)
    if isinstance(name, (str, os.PathLike)):
        return f"{type(source).__name__}({os.fspath(name)!r})"
    return f"{type(source).__name__} at {id(source):#x}"


class _Blocks:
    """Checks and converts each block a source yields: float32, (channels, frames),
    the same channel count and kind of dtype throughout, finite samples."""

    def __init__(self, it: Iterator[Any], name: str, channels: Optional[int]) -> None:
        self.it = it
        self.name = name
        self.channels = channels
        self.dtype: Optional[np.dtype] = None
        self.index = 0

    def __iter__(self) -> "_Blocks":
        return self

    def __next__(self) -> np.ndarray:
        try:
            item = next(self.it)
        except StopIteration:
            raise
        except Exception as e:
            raise StreamSourceError(f"stream source {self.name}: reading block {self.index} raised "
                                    f"{type(e).__name__}: {e}") from e
        i = self.index
        self.index += 1
        where = f"stream source {self.name}: block {i}"
        try:
            a = np.asarray(item)
        except Exception as e:
            raise StreamSourceError(f"{where} is not an array ({type(item).__name__})") from e
        if a.dtype.kind not in "fiu" or (a.dtype.kind in "iu" and a.dtype not in _PCM_SCALE):
            raise StreamSourceError(f"{where} has dtype {a.dtype}: float or integer PCM "
                                    f"(int8, int16, int32, uint8, ...) is needed")
        if self.dtype is not None and a.dtype != self.dtype:
            raise StreamSourceError(f"{where} changes the dtype from {self.dtype} to {a.dtype}")
        self.dtype = a.dtype
        if a.ndim == 1:
            a = a[np.newaxis, :]
        if a.ndim != 2:
            raise StreamSourceError(f"{where} has shape {a.shape}: blocks are (channels, frames)")
        if a.shape[0] > _core.MAX_CHANNELS:
            raise StreamSourceError(f"{where} has shape {a.shape}: blocks are (channels, frames) "
                                    f"with at most {_core.MAX_CHANNELS} channels (transpose it?)")
        if self.channels is None:
            self.channels = a.shape[0]
        elif a.shape[0] != self.channels:
            raise StreamSourceError(f"{where} has {a.shape[0]} channels, the stream {self.channels}")
        x = np.ascontiguousarray(pcm_to_float32(a))
        if a.dtype.kind == "f" and not np.isfinite(x).all():
            bad = np.argwhere(~np.isfinite(x))[0]
            raise StreamSourceError(f"{where} holds a non-finite sample ({float(x[tuple(bad)])!r} at "
                                    f"channel {bad[0]}, frame {bad[1]})")
        return x


def _array_blocks(a: np.ndarray, block_frames: int) -> Iterator[np.ndarray]:
    for i in range(0, a.shape[1], block_frames):
        yield a[:, i:i + block_frames]


# soundfile subtypes read as interleaved integers (or float) and converted by
# the engine while it splits the channels into the ring: the samples are those
# a float32 read gives (integers scaled by 1/32768 or 1/2^31 either way)
_FRAME_DTYPES = {"PCM_16": np.int16, "PCM_24": np.int32, "PCM_32": np.int32, "FLOAT": np.float32}


def _soundfile_frames(f: Any, block_frames: int, name: str, dtype: Any) -> Iterator[np.ndarray]:
    """Interleaved (frames, channels) blocks of `dtype` read into one reused
    array (the feeder writes each block into the ring before reading the
    next). Float files are checked for non-finite samples; integers are
    always finite."""
    expected = f.frames if f.seekable() else None
    got = 0
    buf = np.empty((block_frames, int(f.channels)), dtype)
    check = np.dtype(dtype).kind == "f"
    index = 0
    while True:
        try:
            x = f.read(block_frames, dtype=np.dtype(dtype).name, always_2d=True, out=buf)
        except Exception as e:
            raise StreamSourceError(f"stream source {name}: reading the file failed after {got} "
                                    f"frames: {e}") from e
        if x.shape[0] == 0:
            break
        if check and not np.isfinite(x).all():
            bad = np.argwhere(~np.isfinite(x))[0]
            raise StreamSourceError(f"stream source {name}: block {index} holds a non-finite sample "
                                    f"({float(x[tuple(bad)])!r} at channel {bad[1]}, frame {bad[0]})")
        got += x.shape[0]
        index += 1
        yield x
        if x.shape[0] < block_frames:
            break
    if expected is not None and 0 < expected < (1 << 62) and got < expected:
        raise StreamSourceError(f"stream source {name}: the file ends after {got} of its "
                                f"{expected} frames (truncated)")


def _soundfile_blocks(f: Any, block_frames: int, name: str) -> Iterator[np.ndarray]:
    expected = f.frames if f.seekable() else None
    got = 0
    while True:
        try:
            x = f.read(block_frames, dtype="float32", always_2d=True)
        except Exception as e:
            raise StreamSourceError(f"stream source {name}: reading the file failed after {got} "
                                    f"frames: {e}") from e
        if x.shape[0] == 0:
            break
        got += x.shape[0]
        yield np.ascontiguousarray(x.T)
        if x.shape[0] < block_frames:
            break
    if expected is not None and 0 < expected < (1 << 62) and got < expected:
        raise StreamSourceError(f"stream source {name}: the file ends after {got} of its "
                                f"{expected} frames (truncated)")


class _StreamResampler:
    """Resamples a stream block by block with the engine's band-limited resampler,
    keeping its state (the input history the filter still reads) across blocks:
    the output is what resampling the whole signal at once gives.

    Both rates must be whole numbers: in_rate / g input frames (g their GCD) map
    onto exactly out_rate / g output frames, so chunks cut at multiples of that
    period see the filter's phases as the whole signal does."""

    def __init__(self, in_rate: float, out_rate: float, channels: int, name: str) -> None:
        if in_rate != int(in_rate) or out_rate != int(out_rate):
            raise StreamSourceError(f"stream source {name}: resampling {in_rate} Hz to {out_rate} Hz "
                                    f"needs whole-number rates")
        import math

        i, o = int(in_rate), int(out_rate)
        g = math.gcd(i, o)
        self.p_in, self.p_out = i // g, o // g
        self.in_rate, self.out_rate = float(i), float(o)
        half = 128.0 * i / min(i, o) + 16  # above the filter's half length (input frames)
        self.pad = int(math.ceil(half / self.p_in)) * self.p_in
        self.chunk = max(1, 8192 // self.p_in) * self.p_in
        self.channels = channels
        self.buf = np.zeros((channels, self.pad), np.float32)  # history: zeros before the start
        self.total_in = 0
        self.total_out = 0

    def _run(self, seg: np.ndarray) -> np.ndarray:
        b = _core.AudioBuffer.from_numpy(np.ascontiguousarray(seg), sample_rate=self.in_rate)
        return np.asarray(_core.resample(b, self.out_rate))

    def push(self, x: np.ndarray) -> Iterator[np.ndarray]:
        self.buf = np.concatenate([self.buf, x], axis=1)
        self.total_in += x.shape[1]
        skip = self.pad // self.p_in * self.p_out
        while self.buf.shape[1] >= self.pad + self.chunk + self.pad:
            seg = self.buf[:, :self.pad + self.chunk + self.pad]
            y = self._run(seg)[:, skip:skip + self.chunk // self.p_in * self.p_out]
            self.total_out += y.shape[1]
            yield y
            self.buf = self.buf[:, self.chunk:]

    def flush(self) -> Iterator[np.ndarray]:
        import math

        want = int(math.ceil(self.total_in * self.out_rate / self.in_rate)) - self.total_out
        if want <= 0:
            return
        seg = np.concatenate([self.buf, np.zeros((self.channels, self.pad), np.float32)], axis=1)
        skip = self.pad // self.p_in * self.p_out
        y = self._run(seg)[:, skip:skip + want]
        self.total_out += y.shape[1]
        yield y


def _resampled(blocks: Iterator[np.ndarray], in_rate: float, out_rate: float, name: str,
               channels: int) -> Iterator[np.ndarray]:
    rs = _StreamResampler(in_rate, out_rate, channels, name)
    for b in blocks:
        yield from rs.push(b)
    yield from rs.flush()


def _check_wav_complete(path: str, name: str) -> None:
    """A WAV file whose data chunk says it runs past the end of the file is
    truncated (libsndfile would quietly play what is there)."""
    import struct

    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            head = f.read(12)
            if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
                return  # not RIFF WAVE: the reader says what is wrong
            pos = 12
            for _ in range(64):
                f.seek(pos)
                ch = f.read(8)
                if len(ch) < 8:
                    return
                cid, n = ch[:4], struct.unpack("<I", ch[4:])[0]
                if cid == b"data":
                    if n != 0xFFFFFFFF and pos + 8 + n > size:
                        raise StreamSourceError(
                            f"stream source {name}: the file is truncated: its data chunk holds "
                            f"{n} bytes, the file ends {pos + 8 + n - size} bytes short")
                    return
                pos += 8 + n + (n & 1)
    except OSError:
        return  # opening it reports the error


def _open_source(source: Any, ctx_rate: float, channels: Optional[int], sample_rate: Optional[float],
                 block_frames: int) -> "tuple[Iterator[np.ndarray], int, str, bool]":
    """(blocks at the context's rate, channels, the source's name for messages,
    whether the blocks are interleaved (frames, channels) file reads rather
    than float32 (channels, frames))."""
    name = _describe(source)
    rate = sample_rate
    if isinstance(source, (str, bytes, os.PathLike)):
        path = os.fsdecode(source)
        if path.lower().endswith(".wav"):
            _check_wav_complete(path, name)
        try:
            import soundfile
        except ImportError:
            soundfile = None
        if soundfile is not None:
            try:
                f = soundfile.SoundFile(path)
            except Exception as e:
                raise StreamSourceError(f"stream source {name}: cannot open it: {e}") from e
            source = f
        elif path.lower().endswith(".wav"):
            # without soundfile: the engine's WAV reader (the whole file at once)
            try:
                source = _core._load_wav(path)
            except Exception as e:
                raise StreamSourceError(f"stream source {name}: {e}") from e
        else:
            raise StreamSourceError(f"stream source {name}: reading this format needs the optional "
                                    f"'soundfile' package: pip install 'labsound[formats]'")
    if isinstance(source, _core.AudioBuffer):
        a = np.asarray(source)
        rate = source.sample_rate
        it: Iterator[Any] = _array_blocks(a, block_frames)
    elif isinstance(source, np.ndarray):
        a = source[np.newaxis, :] if source.ndim == 1 else source
        if a.ndim != 2:
            raise StreamSourceError(f"stream source {name}: shape {source.shape}: (channels, frames) is needed")
        it = _array_blocks(a, block_frames)
    elif hasattr(source, "read") and hasattr(source, "samplerate") and hasattr(source, "frames"):
        if rate is not None and rate != source.samplerate:
            raise StreamSourceError(f"stream source {name}: sample_rate={sample_rate} but the file "
                                    f"is at {source.samplerate} Hz")
        rate = float(source.samplerate)
        dtype = _FRAME_DTYPES.get(str(getattr(source, "subtype", "")))
        if dtype is not None and rate == float(ctx_rate) and channels in (None, int(source.channels)) \
                and 1 <= int(source.channels) <= _core.MAX_CHANNELS:
            # no resampling: the file's samples go to the ring as they are read
            return _soundfile_frames(source, block_frames, name, dtype), int(source.channels), name, True
        if channels is None:
            channels = int(source.channels)
        it = _soundfile_blocks(source, block_frames, name)
    else:
        try:
            it = iter(source)
        except TypeError:
            raise TypeError(f"create_stream_source(source): expected a path, a soundfile.SoundFile, "
                            f"an AudioBuffer, a NumPy array or an iterable of NumPy blocks, got "
                            f"{type(source).__name__}") from None
    blocks = _Blocks(it, name, channels)
    # the first block fixes the channel count when nothing else did
    first = next(blocks, None)
    ch = blocks.channels if blocks.channels is not None else 1

    def chained() -> Iterator[np.ndarray]:
        if first is not None:
            yield first
        yield from blocks

    out: Iterator[np.ndarray] = chained()
    if rate is not None and float(rate) != float(ctx_rate):
        out = _resampled(out, float(rate), float(ctx_rate), name, ch)
    return out, ch, name, False


class _Feeder:
    """Writes a source's blocks into a stream source node's ring as far as it fits."""

    def __init__(self, node: Any, blocks: Iterator[np.ndarray], name: str, interleaved: bool = False,
                 quantum: int = 128) -> None:
        self.node = node
        self.blocks = blocks
        self.name = name
        # interleaved (frames, channels) blocks: converted by the engine on the way in
        self._write = node._write_frames if interleaved else node._write
        self._axis = 0 if interleaved else 1
        self.pending: Optional[np.ndarray] = None
        self.finished = False
        # the most frames one offline chunk may render: the render reads the
        # ring a whole quantum at a time (frames of a quantum not yet handed
        # out stay in the engine), so a chunk of whole quanta never reads
        # more than a full ring holds
        cap = int(node.capacity_frames)
        self.chunk_frames = cap // quantum * quantum if cap >= quantum else cap
        self.error: Optional[BaseException] = None

    def top_up(self) -> None:
        """Fill the ring; at the source's end, end the stream. Raises
        StreamSourceError (after silencing the node) when the source fails."""
        if self.finished:
            return
        try:
            while True:
                if self.pending is None:
                    try:
                        self.pending = next(self.blocks)
                    except StopIteration:
                        self.node._end()
                        self.finished = True
                        return
                k = self._write(self.pending)
                if k == self.pending.shape[self._axis]:
                    self.pending = None
                else:
                    self.pending = self.pending[k:] if self._axis == 0 else self.pending[:, k:]
                    return
        except BaseException as e:
            self.finished = True
            self.node._end(True)
            self.pending = None
            if not isinstance(e, StreamSourceError) and isinstance(e, Exception):
                err = StreamSourceError(f"stream source {self.name}: {type(e).__name__}: {e}")
                err.__cause__ = e
                e = err
            self.error = e
            raise e


def _report(e: BaseException, onerror: Optional[Callable[[BaseException], Any]]) -> None:
    """A real-time stream source failed (it is silent now): tell onerror, or warn."""
    import warnings

    if onerror is not None:
        try:
            onerror(e)
        except Exception:
            pass
    else:
        warnings.warn(StreamSourceWarning(str(e)), stacklevel=2)


def _feed_realtime(feeder: _Feeder, ctx_ref: Any, onerror: Optional[Callable[[BaseException], Any]],
                   period: float) -> None:
    import time

    while not feeder.finished:
        ctx = ctx_ref()
        if ctx is None or ctx.state == "closed":
            return
        del ctx
        try:
            feeder.top_up()
        except Exception as e:
            _report(e, onerror)
            return
        if not feeder.finished:
            time.sleep(period)


def create_stream_source(ctx: Any, /, source: Any, *, channels: Optional[int] = None,
                         sample_rate: Optional[float] = None, buffer_frames: Optional[int] = None,
                         block_frames: int = 4096,
                         onerror: Optional[Callable[[BaseException], Any]] = None) -> Any:
    """A StreamSourceNode playing `source`: a file path (read in blocks, resampled to the
    context's rate), a soundfile.SoundFile, or an iterable of (channels, frames) NumPy
    blocks (float, or integer PCM scaled to [-1, 1)). Offline the render tops its ring
    up between chunks; in real time a feeder thread does."""
    bf = _check_block_frames("create_stream_source", block_frames)
    if channels is not None and (isinstance(channels, bool) or not isinstance(channels, int)
                                 or not 1 <= channels <= _core.MAX_CHANNELS):
        raise ValueError(f"create_stream_source(channels): channels must be an int from 1 to "
                         f"{_core.MAX_CHANNELS}, got {channels!r}")
    if sample_rate is not None and not (isinstance(sample_rate, (int, float)) and 3000 <= sample_rate <= 768000):
        raise ValueError(f"create_stream_source(sample_rate): sample_rate must be between 3000 and "
                         f"768000 Hz, got {sample_rate!r}")
    if onerror is not None and not callable(onerror):
        raise TypeError(f"create_stream_source(onerror): onerror must be callable, got "
                        f"{type(onerror).__name__}")
    if not isinstance(ctx, _core.BaseAudioContext):
        raise TypeError(f"StreamSourceNode(context): expected an AudioContext or OfflineAudioContext, "
                        f"got {type(ctx).__name__}")
    offline = isinstance(ctx, _core.OfflineAudioContext)
    if buffer_frames is None:
        # offline: chunks of this size between top-ups; real time: about 0.34 s at 48 kHz
        buffer_frames = 16384
    blocks, ch, name, interleaved = _open_source(source, ctx.sample_rate, channels, sample_rate, bf)
    node = ctx._create_stream_source(ch, buffer_frames)
    feeder = _Feeder(node, blocks, name, interleaved, int(getattr(ctx, "render_quantum_size", 128)))
    if offline:
        if ctx.state == "closed":
            raise _core.InvalidStateError("create_stream_source(): the context has been rendered")
        _register_feeder(ctx, feeder)
    else:
        import threading

        try:
            feeder.top_up()  # primed before the first quantum that plays it
        except Exception as e:
            _report(e, onerror)
        period = max(0.002, buffer_frames / ctx.sample_rate / 4)
        t = threading.Thread(target=_feed_realtime, args=(feeder, weakref.ref(ctx), onerror, period),
                             name=f"labsound stream feeder {name}", daemon=True)
        t.start()
    return node


# context.create_stream_source(source, **options)
_core.BaseAudioContext.create_stream_source = create_stream_source  # type: ignore[attr-defined]
