"""Audio files: WAV read and written by the engine, resampling, decode errors.

Independent references: scipy.io.wavfile writes and reads the files the
engine reads and writes; resampled signals are compared with the same sine
computed at the new rate in NumPy.
"""

import struct

import numpy as np
import pytest

import labsound as ls

wavfile = pytest.importorskip("scipy.io.wavfile")

SR = 22050


def _signal(channels, n=1000):
    t = np.arange(n) / SR
    return np.stack([0.9 * np.sin(2 * np.pi * (300 + 200 * c) * t) for c in range(channels)]).astype(np.float32)


# scipy dtype, scale of the integer formats as the spec of each WAV encoding gives it
SCIPY_FORMATS = {
    "uint8": (np.uint8, 128.0),
    "int16": (np.int16, 32768.0),
    "int32": (np.int32, 2147483648.0),
    "float32": (np.float32, None),
    "float64": (np.float64, None),
}


@pytest.mark.parametrize("fmt", sorted(SCIPY_FORMATS))
@pytest.mark.parametrize("channels", [1, 2, 5])
def test_reads_what_scipy_writes(tmp_path, fmt, channels):
    sig = _signal(channels)
    dtype, scale = SCIPY_FORMATS[fmt]
    if scale is None:
        data = sig.T.astype(dtype)
        expected = sig
    elif dtype is np.uint8:
        data = np.round(sig.T * 127 + 128).astype(np.uint8)
        expected = (data.T.astype(np.float64) - 128) / 128
    else:
        data = np.round(sig.T * (scale - 1)).astype(dtype)
        expected = data.T.astype(np.float64) / scale
    path = tmp_path / "in.wav"
    wavfile.write(path, SR, data)
    buf = ls.load(path)
    assert buf.sample_rate == SR
    assert buf.number_of_channels == channels
    assert buf.length == sig.shape[1]
    # exact but for float32 rounding of the scaled integers
    np.testing.assert_allclose(np.asarray(buf), expected, rtol=0, atol=6e-8)


@pytest.mark.parametrize("bits, dtype, scale", [
    (8, np.uint8, 127), (16, np.int16, 32767), ("pcm24", None, 8388607),
    ("pcm32", np.int32, 2147483647), ("float32", np.float32, None), (64, np.float64, None)])
@pytest.mark.parametrize("channels", [1, 2, 6])
def test_written_files_read_by_scipy_and_back(tmp_path, bits, dtype, scale, channels):
    sig = _signal(channels)
    buf = ls.AudioBuffer.from_numpy(sig, SR)
    path = tmp_path / "out.wav"
    buf.save(path, bits=bits)
    if dtype is not None:
        rate, data = wavfile.read(path)
        assert rate == SR
        data = data.reshape(len(data), -1).T
        assert data.dtype == dtype
        if scale is None:
            np.testing.assert_array_equal(data.astype(np.float32), sig)
        elif dtype is np.uint8:
            np.testing.assert_array_equal(data, np.round(sig.astype(np.float64) * 127 + 128))
        else:
            np.testing.assert_array_equal(data, np.round(sig.astype(np.float64) * scale))
    back = ls.load(path)
    step = 0.0 if scale is None else 1.0 / (scale + 1)
    np.testing.assert_allclose(np.asarray(back), sig, rtol=0, atol=1.5 * step + 1.2e-7)


@pytest.mark.parametrize("bits, dtype, scale", [
    (8, np.uint8, 127), (16, np.int16, 32767), ("pcm32", np.int32, 2147483647)])
@pytest.mark.parametrize("channels", [1, 2, 3])
def test_written_pcm_clips_and_writes_nan_as_zero(tmp_path, bits, dtype, scale, channels):
    # out of range, infinite and NaN samples, then a ramp over every rounding case
    rng = np.random.default_rng(7)
    head = np.array([np.nan, np.inf, -np.inf, 1.5, -1.5, 1.0, -1.0, 0.0, -0.0], np.float32)
    sig = np.concatenate([head, rng.uniform(-1.2, 1.2, 3000).astype(np.float32)])
    sig = np.stack([sig, -sig, sig[::-1].copy()])[:channels]
    buf = ls.AudioBuffer.from_numpy(sig, SR)
    path = tmp_path / "out.wav"
    buf.save(path, bits=bits)
    _, data = wavfile.read(path)
    expected = np.rint(np.clip(np.nan_to_num(sig.astype(np.float64), nan=0.0), -1, 1) * scale)
    if dtype is np.uint8:
        expected += 128
    np.testing.assert_array_equal(np.atleast_2d(data.T), expected)


def test_extensible_header_above_two_channels(tmp_path):
    buf = ls.AudioBuffer.from_numpy(_signal(6), SR)
    path = tmp_path / "x.wav"
    buf.save(path, bits=16)
    data = path.read_bytes()
    tag, ch = struct.unpack("<HH", data[20:24])
    assert (tag, ch) == (0xFFFE, 6)
    assert struct.unpack("<I", data[40:44])[0] == 0x3F  # 5.1 speaker mask


def _wav(fmt_body, data=b"", extra=b"", data_size=None):
    chunks = b"fmt " + struct.pack("<I", len(fmt_body)) + fmt_body + (b"\0" if len(fmt_body) % 2 else b"")
    chunks = extra + chunks
    chunks += b"data" + struct.pack("<I", len(data) if data_size is None else data_size) + data
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


def _fmt(tag=1, ch=1, rate=8000, bits=16, block=None):
    block = ch * ((bits + 7) // 8) if block is None else block
    return struct.pack("<HHIIHH", tag, ch, rate, rate * block, block, bits)


MALFORMED = {
    "empty": (b"", "empty|fewer than a RIFF header"),
    "garbage": (b"this is not a wav file at all", "not a WAV file|cannot decode"),
    "riff-only": (b"RIFF\0\0\0\0WAVE", "no 'fmt ' chunk"),
    "truncated-fmt": (b"RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x01\0", "truncated"),
    "no-data": (b"RIFF\0\0\0\0WAVE" + b"fmt " + struct.pack("<I", 16) + _fmt(), "no 'data' chunk"),
    "zero-channels": (_wav(_fmt(ch=0, block=0), b"\0\0"), "0 channels"),
    "too-many-channels": (_wav(_fmt(ch=40), b"\0" * 80), "40 channels"),
    "lying-block-align": (_wav(_fmt(ch=2, block=3), b"\0" * 12), "block align"),
    "huge-data-size": (_wav(_fmt(), b"\0\0", data_size=0x7FFFFFFF), "truncated"),
    "zero-rate": (_wav(_fmt(rate=0), b"\0\0"), "sample rate is 0"),
    "rate-out-of-range": (_wav(_fmt(rate=1000), b"\0\0"), "3000"),
    "mu-law": (_wav(_fmt(tag=7, bits=8), b"\0"), "format tag 0x0007"),
    "float16": (_wav(_fmt(tag=3, bits=16), b"\0\0"), "16-bit float"),
    "pcm-48-bit": (_wav(_fmt(bits=48), b"\0" * 6), "48-bit PCM"),
    "no-frames": (_wav(_fmt(ch=2), b"\0\0"), "no complete frame"),
    "short-extensible": (_wav(struct.pack("<HHIIHH", 0xFFFE, 1, 8000, 16000, 2, 16), b"\0\0"), "40-byte"),
    # an unknown chunk whose size runs far past the end hides the 'fmt ' after it: the error names it
    "huge-unknown-chunk": (_wav(_fmt(), b"\0\0", extra=b"JUNK" + struct.pack("<I", 0x7FFFFFF0) + b"\0" * 4),
                           r"the 'JUNK' chunk's size \(2147483632 bytes\) runs past the end of the data"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_files_raise_decode_error(tmp_path, name):
    data, needle = MALFORMED[name]
    with pytest.raises(ls.DecodeError, match=needle) as info:
        ls.OfflineAudioContext(1, 128, SR).decode_audio_data(data)
    assert isinstance(info.value, ValueError) and isinstance(info.value, ls.LabSoundError)
    path = tmp_path / "bad.wav"
    path.write_bytes(data)
    with pytest.raises(ls.DecodeError, match=needle):
        ls.load(path)


def test_every_truncation_is_an_error_or_shorter():
    sig = _signal(2, 40)
    full = _wav(_fmt(ch=2, rate=SR), (sig.T * 32767).astype("<i2").tobytes())
    for n in range(len(full)):
        try:
            buf = ls.OfflineAudioContext(1, 128, SR).decode_audio_data(full[:n])
        except ls.DecodeError:
            continue
        raise AssertionError(f"{n} bytes decoded to {buf}")


def test_odd_chunks_skipped_and_streamed_size():
    pcm = struct.pack("<4h", 16384, -16384, 32767, -32768)
    extra = b"LIST" + struct.pack("<I", 3) + b"abc\0"
    data = _wav(_fmt(ch=2), pcm, extra=extra, data_size=0xFFFFFFFF)
    buf = ls.OfflineAudioContext(1, 128, 8000).decode_audio_data(data)
    np.testing.assert_array_equal(np.asarray(buf), [[0.5, 32767 / 32768], [-0.5, -1.0]])


def test_missing_file_and_bad_types(tmp_path):
    with pytest.raises(FileNotFoundError):
        ls.load(tmp_path / "nope.wav")
    with pytest.raises(TypeError, match="audio_data"):
        ls.OfflineAudioContext(1, 128, SR).decode_audio_data(12)


def _sine_error_db(buf, freq, amp):
    y = np.asarray(buf)[0].astype(np.float64)
    t = np.arange(len(y)) / buf.sample_rate
    edge = int(buf.sample_rate * 0.01)
    ref = amp * np.sin(2 * np.pi * freq * t)
    err = y[edge:-edge] - ref[edge:-edge]
    return 10 * np.log10(np.mean(err ** 2) / np.mean(ref[edge:-edge] ** 2))


@pytest.mark.parametrize("src, dst, freq", [(44100, 48000, 1000), (48000, 44100, 15000), (22050, 96000, 5000),
                                            (44100, 32000.5, 3000)])
def test_load_resamples_band_limited(tmp_path, src, dst, freq):
    t = np.arange(int(src * 0.3)) / src
    sig = (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    path = tmp_path / "s.wav"
    ls.AudioBuffer.from_numpy(sig, src).save(path, bits="float32")
    buf = ls.load(path, sample_rate=dst)
    assert buf.sample_rate == dst
    assert buf.length == int(np.ceil(len(sig) * dst / src - 1e-9))
    # the resampler's design promises 120 dB; allow 100 (measured about -130)
    assert _sine_error_db(buf, freq, 0.5) < -100


def test_resampler_removes_what_the_new_rate_cannot_hold():
    t = np.arange(48000) / 48000
    tone = ls.AudioBuffer.from_numpy((0.5 * np.sin(2 * np.pi * 23000 * t)).astype(np.float32), 48000)
    y = np.asarray(ls.resample(tone, 44100))[0][500:-500]
    assert 20 * np.log10(np.sqrt(np.mean(y.astype(np.float64) ** 2)) / (0.5 / np.sqrt(2))) < -110


def test_load_mono_and_context_rate(tmp_path):
    sig = _signal(2)
    path = tmp_path / "st.wav"
    ls.AudioBuffer.from_numpy(sig, SR).save(path, bits="float32")
    mono = ls.load(path, mono=True)
    np.testing.assert_allclose(np.asarray(mono)[0], sig.mean(axis=0), atol=1e-7)
    ctx = ls.OfflineAudioContext(1, 128, 44100)
    got = ctx.decode_audio_data(path.read_bytes())
    assert got.sample_rate == 44100 and got.number_of_channels == 2
    with pytest.raises(ls.NotSupportedError, match="sample_rate"):
        ls.load(path, sample_rate=100)


def test_other_formats_through_soundfile(tmp_path, monkeypatch):
    sig = _signal(1)
    sf = pytest.importorskip("soundfile")
    path = tmp_path / "x.flac"
    sf.write(path, sig.T, SR, subtype="PCM_16")
    buf = ls.load(path)
    np.testing.assert_allclose(np.asarray(buf), sig, atol=1.0 / 32768 * 1.5)
    with pytest.raises(ls.DecodeError):
        ls.load(tmp_path.joinpath("junk.ogg").write_bytes(b"OggS garbage") and tmp_path / "junk.ogg")


def test_missing_soundfile_names_the_extra(tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_soundfile(name, *args, **kwargs):
        if name == "soundfile":
            raise ImportError("no soundfile here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_soundfile)
    path = tmp_path / "x.flac"
    path.write_bytes(b"fLaC\0\0\0\0")
    with pytest.raises(ls.NotSupportedError, match=r"labsound\[formats\]"):
        ls.load(path)
    with pytest.raises(ls.DecodeError, match=r"not a WAV file.*labsound\[formats\]"):
        ls.OfflineAudioContext(1, 128, SR).decode_audio_data(b"unknown bytes, no known format")


def test_decode_audio_data_callbacks(tmp_path):
    ctx = ls.OfflineAudioContext(1, 128, SR)
    data = _wav(_fmt(ch=1, rate=SR), b"\x00\x40" * 10)
    got, errors = [], []
    buf = ctx.decode_audio_data(data, got.append, errors.append)
    assert len(got) == 1 and got[0] is buf
    assert errors == []
    with pytest.raises(ls.DecodeError):
        ctx.decode_audio_data(b"RIFF\0\0\0\0WAVE", got.append, errors.append)
    assert len(errors) == 1 and isinstance(errors[0], ls.DecodeError)


def test_resample_argument_errors():
    buf = ls.AudioBuffer(length=100, sample_rate=SR)
    with pytest.raises(ls.NotSupportedError, match="sample_rate"):
        ls.resample(buf, 100)
    with pytest.raises(TypeError, match="buffer"):
        ls.resample(np.zeros(10), 48000)
    same = ls.resample(buf, SR)
    assert same.length == 100 and not np.shares_memory(np.asarray(same), np.asarray(buf))


def test_trailing_cut_short_chunk_after_fmt_and_data_is_ignored():
    data = _wav(_fmt(), struct.pack("<h", 16384)) + b"LIST" + struct.pack("<I", 1000) + b"\0" * 4
    buf = ls.OfflineAudioContext(1, 128, 8000).decode_audio_data(data)
    np.testing.assert_array_equal(np.asarray(buf), [[0.5]])


# ---- load's argument: a str/os.PathLike path, or bytes-like data -------------

def test_load_takes_paths_and_bytes_like_data(tmp_path):
    sig = _signal(2)
    path = tmp_path / "d.wav"
    ls.AudioBuffer.from_numpy(sig, SR).save(path, bits="float32")
    expected = np.asarray(ls.load(path))
    np.testing.assert_array_equal(expected, sig)  # float32 round trip is exact
    raw = path.read_bytes()
    for source in (str(path), raw, bytearray(raw), memoryview(raw)):
        got = ls.load(source)
        assert got.sample_rate == SR
        np.testing.assert_array_equal(np.asarray(got), expected)
    assert ls.load(raw, sample_rate=44100).length == ls.load(path, sample_rate=44100).length


def test_load_reads_bytes_as_data_and_its_errors_name_load(tmp_path):
    path = tmp_path / "p.wav"
    ls.AudioBuffer.from_numpy(_signal(1), SR).save(path)
    # bytes are data, never a path, even when they name an existing file
    with pytest.raises(ls.DecodeError, match=r"^load\(path\): .*give a path as a str or os.PathLike") as info:
        ls.load(bytes(path))
    assert "decode_audio_data" not in str(info.value)
    with pytest.raises(ls.DecodeError, match=r"^load\(path\): no 'fmt ' chunk$"):
        ls.load(b"RIFF\0\0\0\0WAVE")
    with pytest.raises(ls.DecodeError, match=r"^load\(path\): the data is empty"):
        ls.load(b"")
    with pytest.raises(TypeError, match=r"^load\(path\): expected a path \(str or os.PathLike\) or bytes-like"):
        ls.load(12)
    # decode_audio_data names itself and its own argument, without load's hint
    ctx = ls.OfflineAudioContext(1, 128, SR)
    with pytest.raises(ls.DecodeError, match=r"^decode_audio_data\(audio_data\): no 'fmt ' chunk$"):
        ctx.decode_audio_data(b"RIFF\0\0\0\0WAVE")
    with pytest.raises(ls.DecodeError, match=r"^decode_audio_data\(audio_data\): ") as info:
        ctx.decode_audio_data(bytes(path))
    assert "str or os.PathLike" not in str(info.value)
    with pytest.raises(TypeError, match=r"^decode_audio_data\(audio_data\): "):
        ctx.decode_audio_data(12.5)


# ---- 24-bit and 32-channel WAV, checked against soundfile --------------------

@pytest.mark.parametrize("fmt, channels", [("WAV", 1), ("WAV", 2), ("WAVEX", 2), ("WAVEX", 6)])
def test_reads_24_bit_files_soundfile_writes(tmp_path, fmt, channels):
    sf = pytest.importorskip("soundfile")
    rng = np.random.default_rng(24)
    # 24-bit codes in the top bits of int32 (as libsndfile takes them), both extremes included
    codes = rng.integers(-(1 << 23), 1 << 23, size=(777, channels), dtype=np.int64)
    codes[0], codes[1] = -(1 << 23), (1 << 23) - 1
    path = tmp_path / "p24.wav"
    sf.write(path, (codes << 8).astype(np.int32), SR, format=fmt, subtype="PCM_24")
    info = sf.info(path)
    assert (info.format, info.subtype, info.channels) == (fmt, "PCM_24", channels)
    raw = path.read_bytes()
    tag = struct.unpack("<H", raw[20:22])[0]
    assert tag == (0xFFFE if fmt == "WAVEX" else 1)
    ints, rate = sf.read(path, dtype="int32", always_2d=True)
    np.testing.assert_array_equal(ints >> 8, codes)
    floats, _ = sf.read(path, dtype="float32", always_2d=True)
    buf = ls.load(path)
    assert (buf.sample_rate, buf.number_of_channels, buf.length) == (rate, channels, len(codes))
    got = np.asarray(buf)
    # exact: every 24-bit code over 2^23 is a float32
    np.testing.assert_array_equal(got, (codes.T / 8388608.0).astype(np.float32))
    np.testing.assert_array_equal(got, floats.T)


def test_32_channels_round_trip_with_soundfile(tmp_path):
    sf = pytest.importorskip("soundfile")
    ch = 32
    sig = _signal(ch, 500)
    # the engine writes, soundfile reads: float32 is exact
    out = tmp_path / "w32.wav"
    ls.AudioBuffer.from_numpy(sig, SR).save(out, bits="float32")
    data, rate = sf.read(out, dtype="float32", always_2d=True)
    assert rate == SR and data.shape == (500, ch)
    np.testing.assert_array_equal(data.T, sig)
    back = ls.load(out)
    assert back.number_of_channels == ch
    np.testing.assert_array_equal(np.asarray(back), sig)
    # soundfile writes (16-bit WAVEX), the engine reads: exact against soundfile's read
    inp = tmp_path / "s32.wav"
    sf.write(inp, sig.T, SR, format="WAVEX", subtype="PCM_16")
    ref, _ = sf.read(inp, dtype="float32", always_2d=True)
    buf = ls.load(inp)
    assert (buf.number_of_channels, buf.length, buf.sample_rate) == (ch, 500, SR)
    np.testing.assert_array_equal(np.asarray(buf), ref.T)
    codes, _ = sf.read(inp, dtype="int16", always_2d=True)
    np.testing.assert_array_equal(np.asarray(buf), (codes.T / 32768.0).astype(np.float32))


# ---- lossy formats through soundfile -----------------------------------------

LOSSY = {  # name: (soundfile format, subtype, file rate, suffix)
    "vorbis": ("OGG", "VORBIS", 44100, ".ogg"),
    "opus": ("OGG", "OPUS", 48000, ".opus"),
    "mp3": ("MP3", "MPEG_LAYER_III", 44100, ".mp3"),
}


def _lossy_file(tmp_path, name):
    sf = pytest.importorskip("soundfile")
    fmt, subtype, rate, suffix = LOSSY[name]
    if fmt not in sf.available_formats() or subtype not in sf.available_subtypes(fmt):
        pytest.skip(f"this libsndfile ({sf.__libsndfile_version__}) cannot write {fmt}/{subtype}")
    t = np.arange(int(rate * 0.5)) / rate
    sig = np.stack([0.5 * np.sin(2 * np.pi * 440 * t), 0.3 * np.sin(2 * np.pi * 1250 * t)]).astype(np.float32)
    path = tmp_path / ("x" + suffix)
    sf.write(path, sig.T, rate, format=fmt, subtype=subtype)
    # the reference is soundfile's decode of this file, not the signal before the lossy encoder
    ref, ref_rate = sf.read(path, dtype="float32", always_2d=True)
    assert ref_rate == rate and ref.shape[1] == 2 and ref.shape[0] > rate * 0.4
    assert np.sqrt(np.mean(ref.astype(np.float64) ** 2)) > 0.1  # the encoder kept the tones
    return path, ref.T, ref_rate


@pytest.mark.parametrize("name", sorted(LOSSY))
def test_lossy_formats_decode_as_soundfile_does(tmp_path, name):
    path, ref, rate = _lossy_file(tmp_path, name)
    ctx = ls.OfflineAudioContext(1, 128, rate)
    raw = path.read_bytes()
    for buf in (ls.load(path), ls.load(str(path)), ls.load(raw),
                ctx.decode_audio_data(raw), ctx.decode_audio_data(bytearray(raw)), ctx.decode_audio_data(path)):
        assert (buf.sample_rate, buf.number_of_channels, buf.length) == (rate, 2, ref.shape[1])
        # the same decoder on the same bytes: equal but for float32 rounding (measured: identical)
        np.testing.assert_allclose(np.asarray(buf), ref, rtol=0, atol=1e-6)
    mono = ls.load(path, mono=True)
    np.testing.assert_allclose(np.asarray(mono)[0], ref.mean(axis=0), rtol=0, atol=1e-6)


def _resample_reference(x, src, dst):
    """x resampled with scipy's polyphase resampler and a long Kaiser (beta 14) low-pass at
    0.95 of the lower Nyquist frequency: a filter of the same class as the engine's."""
    from math import gcd

    from scipy.signal import firwin, resample_poly

    g = gcd(int(src), int(dst))
    up, down = int(dst) // g, int(src) // g
    h = firwin(2 * 64 * max(up, down) + 1, 0.95 / max(up, down), window=("kaiser", 14.0))
    return resample_poly(x.astype(np.float64), up, down, axis=1, window=h)


@pytest.mark.parametrize("name", sorted(LOSSY))
def test_lossy_formats_resampled(tmp_path, name):
    path, ref, rate = _lossy_file(tmp_path, name)
    dst = 48000 if rate == 44100 else 44100
    expected = _resample_reference(ref, rate, dst)
    ctx = ls.OfflineAudioContext(1, 128, dst)
    for buf in (ls.load(path, sample_rate=dst), ctx.decode_audio_data(path.read_bytes())):
        assert buf.sample_rate == dst and buf.number_of_channels == 2
        assert buf.length == int(np.ceil(ref.shape[1] * dst / rate - 1e-9))
        y = np.asarray(buf).astype(np.float64)
        edge = int(dst * 0.02)  # the two filters start and end differently
        n = min(y.shape[1], expected.shape[1]) - edge
        err = y[:, edge:n] - expected[:, edge:n]
        # the same 100 dB bar as test_load_resamples_band_limited (measured about -135 dB)
        assert 10 * np.log10(np.mean(err ** 2) / np.mean(expected[:, edge:n] ** 2)) < -100
