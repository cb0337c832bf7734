"""DLPack on AudioBuffer: export (__dlpack__, __dlpack_device__) and import
(AudioBuffer.from_dlpack), zero-copy, lifetimes and refused inputs.

NumPy's np.from_dlpack is the reference consumer and producer; the PyTorch
tests run when torch is installed (a CPU wheel: pip install torch)."""

import gc
import weakref

import numpy as np
import pytest

import labsound as ls

SR = 8000.0

try:
    import torch
except ImportError:  # pragma: no cover - depends on the environment
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="PyTorch is not installed "
                                 "(pip install torch for the torch DLPack tests)")


def ramp_buffer(channels=2, frames=300):
    x = (np.arange(channels * frames, dtype=np.float32).reshape(channels, frames) / 1000.0)
    return ls.AudioBuffer.from_numpy(x.copy(), SR, copy=True), x


def test_dlpack_device_is_cpu():
    buf = ls.AudioBuffer(2, 10, SR)
    assert buf.__dlpack_device__() == (1, 0)


def test_numpy_from_dlpack_shares_memory_both_ways():
    buf, x = ramp_buffer()
    a = np.from_dlpack(buf)
    assert a.shape == (2, 300) and a.dtype == np.float32
    np.testing.assert_array_equal(a, x)
    assert np.shares_memory(a, np.asarray(buf))
    a[1, 7] = 0.5                       # through the tensor ...
    assert buf.get_channel_data(1)[7] == 0.5
    buf.get_channel_data(0)[3] = -2.0   # ... and through the buffer
    assert a[0, 3] == -2.0


def test_exported_tensor_outlives_the_buffer():
    buf, x = ramp_buffer(1, 1000)
    ref = weakref.ref(buf)
    a = np.from_dlpack(buf)
    del buf
    gc.collect()
    assert ref() is None                # the wrapper is gone, the engine memory is not
    np.testing.assert_array_equal(a, x)
    a[0, :] = 1.0
    assert float(a.sum()) == 1000.0


def test_versioned_and_legacy_capsules():
    buf, x = ramp_buffer()
    legacy = buf.__dlpack__()
    assert "dltensor" in repr(legacy) and "versioned" not in repr(legacy)
    versioned = buf.__dlpack__(max_version=(1, 0))
    assert "dltensor_versioned" in repr(versioned)
    old = buf.__dlpack__(max_version=(0, 8))
    assert "versioned" not in repr(old)
    del legacy, versioned, old          # unused capsules free their tensors
    gc.collect()
    np.testing.assert_array_equal(np.asarray(buf), x)


def test_export_copy_true_does_not_share():
    buf, x = ramp_buffer()
    a = np.from_dlpack(buf, copy=True)
    np.testing.assert_array_equal(a, x)
    assert not np.shares_memory(a, np.asarray(buf))


def test_export_bad_arguments():
    buf = ls.AudioBuffer(1, 10, SR)
    with pytest.raises(BufferError, match="dl_device"):
        buf.__dlpack__(dl_device=(2, 0))
    with pytest.raises(TypeError, match="max_version"):
        buf.__dlpack__(max_version="1.0")
    with pytest.raises(BufferError, match="stream"):
        buf.__dlpack__(stream=3)
    with pytest.raises(TypeError, match="copy"):
        buf.__dlpack__(copy="yes")
    with pytest.raises(TypeError, match="keyword"):
        buf.__dlpack__(None)
    assert buf.__dlpack__(stream=None, dl_device=(1, 0), copy=False) is not None


def test_from_dlpack_contiguous_is_zero_copy():
    x = np.linspace(-1, 1, 2 * 500, dtype=np.float32).reshape(2, 500)
    buf = ls.AudioBuffer.from_dlpack(x, SR)
    assert (buf.number_of_channels, buf.length, buf.sample_rate) == (2, 500, SR)
    view = np.asarray(buf)
    assert np.shares_memory(view, x)
    view[0, 0] = 9.0
    assert x[0, 0] == 9.0
    mono = ls.AudioBuffer.from_dlpack(x[1], SR)     # a contiguous row: mono, shared
    assert mono.number_of_channels == 1 and np.shares_memory(np.asarray(mono), x)


def test_from_dlpack_source_deleted_buffer_still_valid():
    x = np.arange(4000, dtype=np.float32)
    expected = x.copy()
    buf = ls.AudioBuffer.from_dlpack(x, SR)
    del x
    gc.collect()
    np.testing.assert_array_equal(buf.get_channel_data(0), expected)


def test_from_dlpack_buffer_plays_and_keeps_memory_for_its_source():
    # the engine holds the lent memory while a source plays it, after every
    # Python reference to the array and the buffer is gone
    x = (np.arange(256, dtype=np.float32) / 256.0)
    expected = x.copy()
    ctx = ls.OfflineAudioContext(1, 256, SR)
    src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_dlpack(x, SR))
    del x
    gc.collect()
    src >> ctx.destination
    src.start(0)
    out = np.asarray(ctx.start_rendering())[0]
    np.testing.assert_array_equal(out, expected)


def test_from_dlpack_strided_is_copied():
    frames_first = np.random.default_rng(1).standard_normal((400, 2)).astype(np.float32)
    buf = ls.AudioBuffer.from_dlpack(frames_first.T, SR)        # (2, 400), strided
    np.testing.assert_array_equal(np.asarray(buf), frames_first.T)
    assert not np.shares_memory(np.asarray(buf), frames_first)
    every_other = np.arange(20, dtype=np.float32)[::2]
    np.testing.assert_array_equal(ls.AudioBuffer.from_dlpack(every_other, SR).get_channel_data(0),
                                  every_other)
    with pytest.raises(ValueError, match="copy=False"):
        ls.AudioBuffer.from_dlpack(frames_first.T, SR, copy=False)
    rows = np.ascontiguousarray(frames_first.T)
    shared = ls.AudioBuffer.from_dlpack(rows, SR, copy=False)
    assert np.shares_memory(np.asarray(shared), rows)


def test_from_dlpack_copy_true_copies():
    x = np.ones((2, 10), dtype=np.float32)
    buf = ls.AudioBuffer.from_dlpack(x, SR, copy=True)
    assert not np.shares_memory(np.asarray(buf), x)
    np.testing.assert_array_equal(np.asarray(buf), x)


def test_from_dlpack_read_only_is_copied():
    x = np.ones(16, dtype=np.float32)
    x.flags.writeable = False
    buf = ls.AudioBuffer.from_dlpack(x, SR)
    assert not np.shares_memory(np.asarray(buf), x)
    np.asarray(buf)[0] = 3.0
    assert x[0] == 1.0


def test_from_dlpack_round_trip_through_numpy():
    buf, x = ramp_buffer(3, 64)
    again = ls.AudioBuffer.from_dlpack(buf, SR)       # an AudioBuffer is a DLPack producer
    assert np.shares_memory(np.asarray(again), np.asarray(buf))
    np.testing.assert_array_equal(np.asarray(again), x)


def test_from_dlpack_bad_inputs():
    with pytest.raises(TypeError, match=r"from_dlpack\(tensor\).*DLPack.*list"):
        ls.AudioBuffer.from_dlpack([0.0, 1.0], SR)
    with pytest.raises(TypeError, match="float32.*float64"):
        ls.AudioBuffer.from_dlpack(np.zeros(10), SR)
    with pytest.raises(TypeError, match="float32.*int16"):
        ls.AudioBuffer.from_dlpack(np.zeros(10, dtype=np.int16), SR)
    with pytest.raises(ValueError, match="3 dimensions"):
        ls.AudioBuffer.from_dlpack(np.zeros((2, 2, 2), np.float32), SR)
    with pytest.raises(ls.NotSupportedError, match="transpose"):
        ls.AudioBuffer.from_dlpack(np.zeros((1000, 2), np.float32), SR)
    with pytest.raises(ls.NotSupportedError, match="sample_rate"):
        ls.AudioBuffer.from_dlpack(np.zeros(10, np.float32), 10)
    with pytest.raises(ls.NotSupportedError, match="length"):
        ls.AudioBuffer.from_dlpack(np.zeros(0, np.float32), SR)
    with pytest.raises(TypeError, match="copy"):
        ls.AudioBuffer.from_dlpack(np.zeros(4, np.float32), SR, copy=1)


class FakeGPUTensor:
    """A producer that says it lives on a CUDA device."""

    def __init__(self):
        self.exported = False

    def __dlpack_device__(self):
        return (2, 0)

    def __dlpack__(self, **kwargs):  # pragma: no cover - must not be called
        self.exported = True
        return np.zeros(4, np.float32).__dlpack__(**kwargs)


def test_from_dlpack_refuses_gpu_tensors_before_export():
    t = FakeGPUTensor()
    with pytest.raises(BufferError, match=r"CPU.*\(2, 0\).*CUDA"):
        ls.AudioBuffer.from_dlpack(t, SR)
    assert not t.exported


def test_from_numpy_consistent_with_from_dlpack():
    x = np.zeros((2, 32), dtype=np.float32)
    a, b = ls.AudioBuffer.from_numpy(x, SR), ls.AudioBuffer.from_dlpack(x, SR)
    assert np.shares_memory(np.asarray(a), x) and np.shares_memory(np.asarray(b), x)
    with pytest.raises(ValueError, match="copy=False"):
        ls.AudioBuffer.from_numpy(np.zeros(8), SR, copy=False)
    with pytest.raises(ValueError, match="copy=False"):
        ls.AudioBuffer.from_numpy(x.T, SR, copy=False)


# ---------------------------------------------------------------- PyTorch

@needs_torch
def test_torch_from_dlpack_shares_memory():
    buf, x = ramp_buffer()
    t = torch.from_dlpack(buf)
    assert t.shape == (2, 300) and t.dtype == torch.float32 and t.device.type == "cpu"
    assert np.array_equal(t.numpy(), x)
    t[0, 1] = 4.0
    assert buf.get_channel_data(0)[1] == 4.0
    buf.get_channel_data(1)[2] = -4.0
    assert float(t[1, 2]) == -4.0


@needs_torch
def test_torch_tensor_outlives_buffer():
    buf, x = ramp_buffer(2, 2000)
    t = torch.from_dlpack(buf)
    ref = weakref.ref(buf)
    del buf
    gc.collect()
    assert ref() is None
    assert np.array_equal(t.numpy(), x)
    t.mul_(2.0)                         # still writable memory
    assert np.array_equal(t.numpy(), 2 * x)


@needs_torch
def test_buffer_from_torch_zero_copy_and_lifetime():
    t = torch.linspace(-1, 1, 600, dtype=torch.float32).reshape(2, 300)
    expected = t.clone().numpy()
    buf = ls.AudioBuffer.from_dlpack(t, SR)
    view = np.asarray(buf)
    assert view.ctypes.data == t.data_ptr()
    t[1, 0] = 7.0
    assert view[1, 0] == 7.0
    expected[1, 0] = 7.0
    del t
    gc.collect()
    np.testing.assert_array_equal(np.asarray(buf), expected)


@needs_torch
def test_buffer_from_torch_strided_and_bad():
    t = torch.randn(300, 2)
    buf = ls.AudioBuffer.from_dlpack(t.T, SR)       # transposed: copied
    np.testing.assert_array_equal(np.asarray(buf), t.T.numpy())
    with pytest.raises(TypeError, match="float32.*float64"):
        ls.AudioBuffer.from_dlpack(t.double(), SR)
    with pytest.raises(ValueError, match="3 dimensions"):
        ls.AudioBuffer.from_dlpack(torch.zeros(2, 2, 2), SR)
