"""Audio files: decoding to AudioBuffers at a chosen rate.

WAV is read by the engine (in C). FLAC, Ogg Vorbis, Opus, MP3 and the other
formats libsndfile knows go through the optional ``soundfile`` package
(``pip install labsound[formats]``).
"""

from __future__ import annotations

import math
import os
import warnings
from typing import Any, Optional, Union

from . import _core

FORMATS_EXTRA = "labsound[formats]"

_Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview]


# AudioBuffer.save's bits: the engine's ls_wav_format codes
_SAVE_FORMATS = {"pcm8": 8, "pcm16": 16, "pcm24": 24, "pcm32": 0x120, "float32": 32, "float64": 64}


def save(buf: Any, path: Any, bits: Union[int, str] = 16) -> None:
    """AudioBuffer.save: write a WAV file; an integer format warns when it clips."""
    if isinstance(bits, str):
        fmt = _SAVE_FORMATS.get(bits)
    elif hasattr(type(bits), "__index__"):
        fmt = bits.__index__()
        fmt = fmt if fmt in (8, 16, 24, 32, 64) else None   # 32 is float32, as it always was
    else:
        raise TypeError(f"save(bits): bits must be an integer or a format name, got "
                        f"{type(bits).__name__}")
    if fmt is None:
        raise ValueError("save(bits): bits must be 8, 16, 24, 32 (float), 64 (float) or one of "
                         f"'pcm8', 'pcm16', 'pcm24', 'pcm32', 'float32', 'float64', got {bits!r}")
    _core._save_wav(buf, path, fmt)
    if fmt not in (32, 64):
        _warn_clipped(buf, path, {8: 8, 24: 24, 0x120: 32}.get(fmt, 16))


def _warn_clipped(buf: Any, path: Any, bits: int) -> None:
    """The ClippingWarning of save(): samples beyond full scale (|x| > 1, or NaN)
    that the integer file clipped, with the peak and how many."""
    import numpy as np

    a = np.abs(np.asarray(buf))
    over = a[~(a <= 1.0)]
    if over.size == 0:
        return
    peak = math.inf if np.isnan(over).any() else float(over.max())
    if math.isfinite(peak):
        numbers = (f"peak {peak:.3g} ({20.0 * math.log10(peak):+.1f} dBFS); {over.size} of "
                   f"{a.size} samples ({100.0 * over.size / a.size:.1f}%)")
    else:
        numbers = f"samples that are not finite; {over.size} of {a.size} samples"
    warnings.warn(f"save(path): the buffer goes beyond full scale, {numbers} clipped to [-1, 1] in "
                  f"the {bits}-bit file {path!r}. Scale it first (e.g. by 1 / peak) or save with "
                  "bits='float32'.", _core.ClippingWarning, stacklevel=3)


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
