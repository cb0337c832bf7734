"""Audio devices: :func:`devices` and the table ``python -m labsound devices`` prints."""

from __future__ import annotations

from typing import List, NamedTuple

from . import _core


class DeviceInfo(NamedTuple):
    """One audio device, as the system's audio stack (through PortAudio) reports it.

    ``labsound.devices()`` returns them; pass ``index`` or ``name`` as
    ``AudioContext(device=...)``. Latencies are in seconds, the sample rate in
    Hz; ``host_api`` names the backend (ALSA, PulseAudio, JACK, ...).
    """

    index: int
    name: str
    host_api: str
    max_input_channels: int
    max_output_channels: int
    default_sample_rate: float
    default_low_output_latency: float
    default_high_output_latency: float
    default_low_input_latency: float
    default_high_input_latency: float
    is_default_output: bool
    is_default_input: bool


def devices() -> List[DeviceInfo]:
    """The audio devices, output and input.

    ``AudioContext(device=...)`` takes a device's ``index`` or ``name``, and
    ``create_microphone(device=...)`` an ``index``. Raises
    :class:`NotSupportedError` (naming the fix) when PortAudio is not
    installed.
    """
    return [DeviceInfo(**d) for d in _core.devices()]


def devices_available() -> "tuple[bool, str]":
    """``(True, "")`` when the device backend (PortAudio) loads, else ``(False, reason)``."""
    return _core._devices_available()


def format_devices(items: List[DeviceInfo]) -> str:
    """A table of devices; ``*`` marks the default output, ``>`` the default input."""
    lines = [
        f"{'':2}{'index':>5}  {'in':>3} {'out':>3}  {'rate':>7}  {'host API':<12} name",
    ]
    for d in items:
        mark = ("*" if d.is_default_output else " ") + (">" if d.is_default_input else " ")
        lines.append(
            f"{mark}{d.index:>5}  {d.max_input_channels:>3} {d.max_output_channels:>3}  "
            f"{d.default_sample_rate:>7.0f}  {d.host_api:<12} {d.name}"
        )
    lines.append("(* default output, > default input)")
    return "\n".join(lines)
