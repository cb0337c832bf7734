"""AudioBuffer.from_dlpack: a DLPack tensor (PyTorch, JAX or CuPy on the CPU, a
NumPy array, an AudioBuffer) as an AudioBuffer.

NumPy imports the tensor (``numpy.from_dlpack``: no copy, the array holds the
producer's memory) and ``AudioBuffer.from_numpy`` shares or copies it, so the
buffer keeps the tensor's memory alive as long as the engine uses it. The
checks here come first so that the errors name this call and its arguments.
"""

from __future__ import annotations

from typing import Any, Optional

from . import _core

# DLPack's device types, for the message that refuses a tensor on another device
_DEVICES = {1: "CPU", 2: "CUDA", 3: "CUDA host (pinned)", 4: "OpenCL", 7: "Vulkan", 8: "Metal",
            10: "ROCm", 13: "CUDA managed", 14: "oneAPI"}


def _type_name(o: object) -> str:
    t = type(o)
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"


def from_dlpack(cls: Any, tensor: Any, sample_rate: float, copy: Optional[bool] = None) -> Any:
    """AudioBuffer.from_dlpack (see its docstring in the extension)."""
    if copy is not None and not isinstance(copy, bool):
        raise TypeError(f"from_dlpack(copy): copy must be None, True or False, got {copy!r}")
    if not hasattr(tensor, "__dlpack__"):
        raise TypeError("from_dlpack(tensor): tensor must support the DLPack protocol "
                        f"(__dlpack__), got {_type_name(tensor)}")
    # the device first, so a GPU tensor is refused before it exports anything
    dev = tensor.__dlpack_device__()
    if isinstance(dev, tuple) and len(dev) == 2 and dev[0] != 1:
        raise BufferError("from_dlpack(tensor): the tensor must be in CPU memory (device type 1, "
                          f"kDLCPU), got device ({dev[0]}, {dev[1]}) "
                          f"({_DEVICES.get(dev[0], 'another device')}); move it first "
                          "(tensor.cpu() in PyTorch)")
    import numpy as np

    arr = np.from_dlpack(tensor)
    if arr.dtype != np.float32:
        raise TypeError(f"from_dlpack(tensor): the tensor must hold float32 samples, got "
                        f"{arr.dtype} (convert it first: tensor.float() in PyTorch, "
                        "x.astype(np.float32) in NumPy)")
    if arr.ndim not in (1, 2):
        raise ValueError("from_dlpack(tensor): the tensor must be 1-D (mono) or 2-D (channels, "
                         f"frames), got {arr.ndim} dimensions")
    channels, frames = (1, arr.shape[0]) if arr.ndim == 1 else arr.shape
    if not 1 <= channels <= _core.MAX_CHANNELS:
        hint = " (transpose a (frames, channels) array)" if 1 <= frames <= _core.MAX_CHANNELS else ""
        raise _core.NotSupportedError(
            f"from_dlpack(tensor): a 2-D tensor is (channels, frames) with 1 to "
            f"{_core.MAX_CHANNELS} channels, got {channels} channels of {frames} frames{hint}")
    if frames < 1:
        raise _core.NotSupportedError("from_dlpack(tensor): length must be at least 1 frame, got "
                                      "an empty tensor")
    if copy is False and not (arr.flags.c_contiguous and arr.flags.writeable and
                              arr.ctypes.data % 4 == 0):
        why = ("it is read-only" if not arr.flags.writeable else
               "its data is not float-aligned" if arr.ctypes.data % 4 else
               "it is not C-contiguous (channels, frames)")
        raise ValueError(f"from_dlpack(copy): copy=False but the tensor cannot be shared: {why}; "
                         "pass copy=None to copy it")
    try:
        return cls.from_numpy(arr, sample_rate, copy=copy)
    except (TypeError, _core.NotSupportedError) as exc:     # the sample rate, named as this call's
        if not str(exc).startswith("from_numpy("):
            raise
        raise type(exc)(str(exc).replace("from_numpy(", "from_dlpack(", 1)) from None
