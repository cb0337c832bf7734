"""Audio files: decoding to AudioBuffers at a chosen rate.

WAV is read by the engine (in C). FLAC, Ogg Vorbis, Opus, MP3 and the other
formats libsndfile knows go through the optional ``soundfile`` package
(``pip install labsound[formats]``).
"""

from __future__ import annotations

import os
from typing import Any, Optional, Union

from . import _core

FORMATS_EXTRA = "labsound[formats]"

_Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview]


def _is_wav_bytes(head: bytes) -> bool:
    return len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WAVE"


_KNOWN_MAGIC = (b"fLaC", b"OggS", b"ID3", b"FORM", b"caff", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")
_KNOWN_SUFFIXES = (".flac", ".ogg", ".oga", ".opus", ".mp3", ".aif", ".aiff", ".caf", ".w64")


def _soundfile(head: bytes, name: str, what: str):
    try:
        import soundfile  # type: ignore
    except ImportError as exc:
        if head.startswith(_KNOWN_MAGIC) or name.lower().endswith(_KNOWN_SUFFIXES):
            raise _core.NotSupportedError(
                f"{what}: decoding this format needs the optional 'soundfile' package: "
                f"pip install '{FORMATS_EXTRA}' (or pip install soundfile)"
            ) from exc
        raise _core.DecodeError(
            f"{what}: not a WAV file, and not a format labsound recognises without the optional "
            f"'soundfile' package ({FORMATS_EXTRA})"
        ) from exc
    return soundfile


def _decode_with_soundfile(source: Any, what: str, head: bytes = b"", name: str = ""):
    sf = _soundfile(head, name, what)
    try:
        data, rate = sf.read(source, dtype="float32", always_2d=True)
    except Exception as exc:  # soundfile raises RuntimeError / LibsndfileError
        raise _core.DecodeError(f"{what}: cannot decode: {exc}") from exc
    if data.shape[0] == 0:
        raise _core.DecodeError(f"{what}: the file holds no audio frames")
    if data.shape[1] > _core.MAX_CHANNELS:
        raise _core.DecodeError(f"{what}: {data.shape[1]} channels; at most {_core.MAX_CHANNELS} are supported")
    return _core.AudioBuffer.from_numpy(data.T, float(rate))


def _decode(source: Any, fn: str, arg: str):
    """An AudioBuffer at the file's own rate, from a path or bytes-like data.

    The rule, the same for ``load`` and ``decode_audio_data``: a ``str`` or
    ``os.PathLike`` is a path; anything else must be bytes-like and is the
    file's contents (so ``b"/x.wav"`` is data, never a path). ``fn(arg)``
    names the caller and its argument in error messages.
    """
    where = f"{fn}({arg})"
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        with open(path, "rb") as f:  # FileNotFoundError etc. with the path in the message
            head = f.read(12)
        if _is_wav_bytes(head):
            return _core._load_wav(path)
        if head[:4] in (b"RIFF", b"RF64", b"RIFX") or str(path).lower().endswith(".wav"):
            return _core._load_wav(path)  # the engine says what is wrong with it
        return _decode_with_soundfile(path, repr(path), head, str(path))
    try:
        view = memoryview(source)
    except TypeError:
        raise TypeError(
            f"{where}: expected a path (str or os.PathLike) or bytes-like audio data, "
            f"got {type(source).__name__}"
        ) from None
    head = bytes(view[:12])
    try:
        if _is_wav_bytes(head) or head[:4] in (b"RIFF", b"RF64", b"RIFX"):
            try:
                return _core._decode_wav(view)
            except _core.DecodeError as exc:
                raise _core.DecodeError(f"{where}: {exc}") from exc
        if len(view) == 0:
            raise _core.DecodeError(f"{where}: the data is empty")
        import io

        return _decode_with_soundfile(io.BytesIO(view.tobytes()), where, head)
    except _core.DecodeError as exc:
        if fn != "load" or head.startswith((b"RIFF", b"RF64", b"RIFX") + _KNOWN_MAGIC):
            raise
        # most likely a path given as bytes: say how load reads its argument
        raise _core.DecodeError(
            f"{exc} (load reads bytes-like {arg} as the contents of an audio file; "
            f"give a path as a str or os.PathLike)"
        ) from exc


def _convert(buf, sample_rate: Optional[float], mono: bool):
    if mono and buf.number_of_channels > 1:
        buf = _core._mix_to_mono(buf)
    if sample_rate is not None and float(sample_rate) != buf.sample_rate:
        buf = _core.resample(buf, float(sample_rate))
    return buf


def load(path: _Source, sample_rate: Optional[float] = None, mono: bool = False):
    """Read an audio file into an AudioBuffer.

    path: a str or os.PathLike naming the file, or bytes-like data holding
    the file's contents (bytes are always data, never a path).
    sample_rate: resample to this rate (band-limited, see ``resample``); None
    keeps the file's rate. mono: average the channels into one.
    Raises DecodeError (a ValueError) for malformed or unsupported data,
    OSError when the file cannot be read, and NotSupportedError naming the
    ``labsound[formats]`` extra for non-WAV files when soundfile is missing.
    """
    if sample_rate is not None:
        sample_rate = float(sample_rate)
        if not 3000.0 <= sample_rate <= 768000.0:
            raise _core.NotSupportedError(
                f"load(sample_rate): sample_rate must be between 3000 and 768000, got {sample_rate!r}")
    buf = _convert(_decode(path, "load", "path"), sample_rate, bool(mono))
    if isinstance(path, (str, os.PathLike)):
        _note_loaded(buf, {"path": os.fspath(path), "sample_rate": sample_rate, "mono": bool(mono)})
    return buf


# Buffers read from files by load(), so that a graph's description can name
# the file instead of holding the samples (labsound._graph). Keyed by the
# samples' memory, which every wrapper of one engine buffer shares, and
# checked against a CRC of the samples (the memory of a freed buffer may be
# reused by another). The newest _LOADED_MAX are kept.
_LOADED_MAX = 256
_loaded: dict = {}


def _buffer_crc(buf: Any) -> tuple:
    import zlib

    import numpy as np

    data = np.ascontiguousarray(np.asarray(buf), dtype="<f4")
    key = (data.__array_interface__["data"][0], buf.number_of_channels, buf.length,
           float(buf.sample_rate))
    return key, zlib.crc32(data.tobytes())


def _note_loaded(buf: Any, source: dict) -> None:
    key, crc = _buffer_crc(buf)
    _loaded.pop(key, None)
    _loaded[key] = (crc, source)
    while len(_loaded) > _LOADED_MAX:
        del _loaded[next(iter(_loaded))]


def _loaded_from(buf: Any) -> Optional[dict]:
    """How load() read `buf` ({"path", "sample_rate", "mono"}), or None."""
    if not _loaded:
        return None
    key, crc = _buffer_crc(buf)
    found = _loaded.get(key)
    return found[1] if found is not None and found[0] == crc else None


def decode_audio_data(ctx, audio_data, success_callback=None, error_callback=None):
    """BaseAudioContext.decode_audio_data: decode, then resample to the context's rate."""
    try:
        buf = _convert(_decode(audio_data, "decode_audio_data", "audio_data"), ctx.sample_rate, False)
    except Exception as exc:
        if error_callback is not None:
            error_callback(exc)
        raise
    if success_callback is not None:
        success_callback(buf)
    return buf
