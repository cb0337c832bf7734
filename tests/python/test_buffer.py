"""AudioBuffer: zero-copy NumPy views, copies, construction, WAV output."""

import struct
import sys
import wave

import numpy as np
import pytest

import labsound as ls
from conftest import SR


def data_ptr(a):
    return a.__array_interface__["data"][0]


def test_constructor_and_attributes():
    buf = ls.AudioBuffer(number_of_channels=2, length=1000, sample_rate=SR)
    assert buf.number_of_channels == 2
    assert buf.length == 1000
    assert len(buf) == 1000
    assert buf.sample_rate == SR
    assert buf.duration == pytest.approx(1000 / SR)
    assert "AudioBuffer" in repr(buf) and "1000" in repr(buf)
    assert ls.AudioBuffer(length=5, sample_rate=8000).number_of_channels == 1
    assert ls.AudioBuffer({"number_of_channels": 3, "length": 5, "sample_rate": 8000}).number_of_channels == 3
    assert ls.AudioBuffer(2, 7, 8000).length == 7


def test_create_buffer_is_zeroed(offline):
    buf = offline.create_buffer(2, 300, 22050)
    assert isinstance(buf, ls.AudioBuffer)
    a = np.asarray(buf)
    assert a.shape == (2, 300)
    assert a.dtype == np.float32
    assert not np.any(a)


def test_get_channel_data_is_a_view_without_copy():
    buf = ls.AudioBuffer(number_of_channels=2, length=64, sample_rate=SR)
    a = buf.get_channel_data(0)
    b = buf.get_channel_data(0)
    assert a.dtype == np.float32 and a.shape == (64,)
    assert data_ptr(a) == data_ptr(b)
    assert np.shares_memory(a, b)
    whole = np.asarray(buf)
    assert whole.shape == (2, 64)
    assert whole.flags["C_CONTIGUOUS"]
    assert data_ptr(whole[0]) == data_ptr(a)
    assert data_ptr(whole[1]) == data_ptr(buf.get_channel_data(1))
    assert np.shares_memory(whole, a)
    # writes through any view are seen by all
    a[3] = 0.5
    assert whole[0, 3] == 0.5
    assert buf.get_channel_data(0)[3] == 0.5
    whole[1, :] = -1
    assert np.all(buf.get_channel_data(1) == -1)


def test_view_keeps_buffer_alive():
    buf = ls.AudioBuffer(number_of_channels=1, length=1 << 16, sample_rate=SR)
    view = buf.get_channel_data(0)
    arr = np.asarray(buf)
    del buf
    import gc

    gc.collect()
    view[:] = 1.0  # the engine memory is still valid
    assert np.all(arr[0] == 1.0)


def test_memoryview():
    buf = ls.AudioBuffer(number_of_channels=2, length=10, sample_rate=SR)
    m = memoryview(buf)
    assert m.format == "f"
    assert m.shape == (2, 10)
    assert m.itemsize == 4
    assert not m.readonly
    assert m.nbytes == 80


def test_rendered_buffer_is_zero_copy(make_offline):
    ctx = make_offline(0.01)
    const = ctx.create_constant_source(offset=0.5)
    const >> ctx.destination
    const.start()
    buf = ctx.start_rendering()
    assert data_ptr(np.asarray(buf)[0]) == data_ptr(buf.get_channel_data(0))
    assert np.all(buf.get_channel_data(0) == 0.5)


def test_get_channel_data_bad_channel():
    buf = ls.AudioBuffer(number_of_channels=2, length=4, sample_rate=SR)
    with pytest.raises(IndexError, match="channel"):
        buf.get_channel_data(2)
    with pytest.raises(IndexError, match="channel"):
        buf.get_channel_data(-1)
    with pytest.raises(TypeError, match="channel"):
        buf.get_channel_data(0.5)


def test_copy_from_channel_with_offsets():
    buf = ls.AudioBuffer(number_of_channels=2, length=10, sample_rate=SR)
    np.asarray(buf)[1] = np.arange(10, dtype=np.float32)

    dst = np.full(4, -1, dtype=np.float32)
    buf.copy_from_channel(dst, 1)
    np.testing.assert_array_equal(dst, [0, 1, 2, 3])

    dst = np.full(4, -1, dtype=np.float32)
    buf.copy_from_channel(dst, 1, 8)  # only 2 frames left: the rest is untouched
    np.testing.assert_array_equal(dst, [8, 9, -1, -1])

    dst = np.full(4, -1, dtype=np.float32)
    buf.copy_from_channel(dst, 1, buffer_offset=20)  # past the end: nothing copied
    np.testing.assert_array_equal(dst, [-1, -1, -1, -1])

    dst = np.zeros(20, dtype=np.float32)
    buf.copy_from_channel(destination=dst, channel_number=1, buffer_offset=5)
    np.testing.assert_array_equal(dst[:5], [5, 6, 7, 8, 9])
    assert not np.any(dst[5:])

    with pytest.raises(IndexError, match="channel_number"):
        buf.copy_from_channel(dst, 2)
    with pytest.raises(TypeError, match="destination"):
        buf.copy_from_channel(np.zeros(4, dtype=np.float64), 0)
    with pytest.raises(TypeError, match="destination"):
        buf.copy_from_channel([0.0] * 4, 0)
    ro = np.zeros(4, dtype=np.float32)
    ro.flags.writeable = False
    with pytest.raises(TypeError, match="destination"):
        buf.copy_from_channel(ro, 0)


def test_copy_to_channel_with_offsets():
    buf = ls.AudioBuffer(number_of_channels=2, length=10, sample_rate=SR)
    buf.copy_to_channel(np.array([1, 2, 3], dtype=np.float32), 0)
    np.testing.assert_array_equal(buf.get_channel_data(0)[:4], [1, 2, 3, 0])

    buf.copy_to_channel(np.array([7, 8, 9, 10], dtype=np.float32), 1, 8)
    np.testing.assert_array_equal(buf.get_channel_data(1)[7:], [0, 7, 8])

    buf.copy_to_channel([0.5, 0.25], channel_number=0, buffer_offset=4)  # lists work too
    np.testing.assert_array_equal(buf.get_channel_data(0)[4:6], [0.5, 0.25])

    buf.copy_to_channel(np.array([3.0, 4.0]), 0, 6)  # float64 is converted
    np.testing.assert_array_equal(buf.get_channel_data(0)[6:8], [3, 4])

    buf.copy_to_channel(np.ones(3, dtype=np.float32), 0, 100)  # past the end: nothing
    with pytest.raises(IndexError, match="channel_number"):
        buf.copy_to_channel(np.ones(3, dtype=np.float32), 5)
    with pytest.raises(TypeError, match="source"):
        buf.copy_to_channel("abc", 0)
    # the other channel was not touched by any of it
    assert buf.get_channel_data(1)[:7].tolist() == [0] * 7


def test_from_numpy_mono_and_stereo():
    mono = np.linspace(-1, 1, 100)
    buf = ls.AudioBuffer.from_numpy(mono, 8000)
    assert buf.number_of_channels == 1 and buf.length == 100 and buf.sample_rate == 8000
    np.testing.assert_allclose(buf.get_channel_data(0), mono, atol=1e-7)
    # float64 is converted into new memory: later changes to the source do not show
    mono[:] = 0
    assert buf.get_channel_data(0)[0] == -1

    stereo = np.stack([np.ones(50), -np.ones(50)]).astype(np.float32)
    buf = ls.AudioBuffer.from_numpy(stereo, sample_rate=SR)
    assert buf.number_of_channels == 2 and buf.length == 50
    np.testing.assert_array_equal(np.asarray(buf), stereo)
    # C-contiguous float32 is shared (as from_dlpack shares it); copy=True copies
    assert np.shares_memory(np.asarray(buf), stereo)
    copied = ls.AudioBuffer.from_numpy(stereo, SR, copy=True)
    assert not np.shares_memory(np.asarray(copied), stereo)
    np.testing.assert_array_equal(np.asarray(copied), stereo)

    # non-contiguous input
    frames_first = np.zeros((30, 2), dtype=np.float32)
    frames_first[:, 1] = 1
    buf = ls.AudioBuffer.from_numpy(frames_first.T, SR)
    assert np.all(buf.get_channel_data(1) == 1) and not np.any(buf.get_channel_data(0))

    with pytest.raises(ValueError, match="array"):
        ls.AudioBuffer.from_numpy(np.zeros((2, 2, 2)), SR)
    with pytest.raises(ls.NotSupportedError, match="length"):
        ls.AudioBuffer.from_numpy(np.zeros(0), SR)


def test_buffer_as_offline_output_round_trip(make_offline):
    ctx = make_offline(0.01, channels=2)
    a = ctx.create_constant_source(offset=0.25)
    a >> ctx.destination
    a.start()
    out = np.asarray(ctx.start_rendering())
    assert out.shape == (2, 441)
    np.testing.assert_allclose(out, 0.25, atol=1e-6)


# --------------------------------------------------------------------------
# WAV output
# --------------------------------------------------------------------------


def _test_signal():
    n = np.arange(500)
    left = 0.8 * np.sin(2 * np.pi * 440 * n / SR)
    right = np.linspace(-1.5, 1.5, 500)  # clips in the PCM formats
    return np.stack([left, right]).astype(np.float32)


@pytest.mark.parametrize("bits", [16, 24])
def test_save_pcm_reads_back_with_wave(tmp_path, bits):
    sig = _test_signal()
    buf = ls.AudioBuffer.from_numpy(sig, SR)
    path = tmp_path / f"out{bits}.wav"
    buf.save(path, bits=bits)
    with wave.open(str(path), "rb") as w:
        assert w.getnchannels() == 2
        assert w.getsampwidth() == bits // 8
        assert w.getframerate() == 44100
        assert w.getnframes() == 500
        raw = w.readframes(500)
    if bits == 16:
        ints = np.frombuffer(raw, dtype="<i2").astype(np.float64)
        scale = 32768.0
    else:
        b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        ints = (b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)).astype(np.int32)
        ints = np.where(ints >= 1 << 23, ints - (1 << 24), ints).astype(np.float64)
        scale = float(1 << 23)
    got = ints.reshape(-1, 2).T / scale
    expected = np.clip(sig, -1, 1)
    # one quantization step plus rounding either way
    np.testing.assert_allclose(got, expected, atol=2.0 / scale)


def _read_float_wav(path):
    data = path.read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    pos, fmt, samples = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        body = data[pos + 8:pos + 8 + size]
        if cid == b"fmt ":
            fmt = struct.unpack("<HHIIHH", body[:16])
        elif cid == b"data":
            samples = np.frombuffer(body, dtype="<f4")
        pos += 8 + size + (size & 1)
    return fmt, samples


@pytest.mark.parametrize("bits", [32, "float32"])
def test_save_float32_parsed_with_numpy(tmp_path, bits):
    sig = _test_signal()
    buf = ls.AudioBuffer.from_numpy(sig, SR)
    path = tmp_path / "out.wav"
    buf.save(str(path), bits)
    fmt, samples = _read_float_wav(path)
    tag, channels, rate, _, _, sample_bits = fmt
    assert tag in (3, 0xFFFE)  # IEEE float, or extensible
    assert (channels, rate, sample_bits) == (2, 44100, 32)
    np.testing.assert_array_equal(samples.reshape(-1, 2).T, sig)  # exact, no clipping


def test_save_errors(tmp_path):
    buf = ls.AudioBuffer(length=10, sample_rate=SR)
    with pytest.raises(ValueError, match="bits"):
        buf.save(tmp_path / "x.wav", bits=12)
    with pytest.raises(ValueError, match="bits"):
        buf.save(tmp_path / "x.wav", bits="float16")
    with pytest.raises(TypeError, match="bits"):
        buf.save(tmp_path / "x.wav", bits=16.0)
    with pytest.raises(OSError):
        buf.save(tmp_path / "no" / "such" / "dir" / "x.wav")


@pytest.mark.skipif(sys.byteorder != "little", reason="float32 view assumes little-endian")
def test_buffer_protocol_bytes():
    buf = ls.AudioBuffer(number_of_channels=1, length=2, sample_rate=SR)
    np.asarray(buf)[0] = [1.0, -2.0]
    assert bytes(memoryview(buf)) == struct.pack("<ff", 1.0, -2.0)
