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


def _output_index(name: str) -> int:
    """AudioContext(device=name): the index of the output device called name
    (exactly, else the first whose name contains it, ignoring case)."""
    try:
        outs = [d for d in _core.devices() if d["max_output_channels"] > 0]
    except _core.LabSoundError as exc:
        raise type(exc)(f"AudioContext(device): device {name!r} cannot be opened: {exc}") from None
    for found in ([d for d in outs if d["name"] == name] or
                  [d for d in outs if name.lower() in d["name"].lower()]):
        return int(found["index"])
    raise ValueError(f"AudioContext(device): no output device is named {name!r}; the output "
                     f"devices are {[d['name'] for d in outs]!r}")


def devices_available() -> "tuple[bool, str]":
    """``(True, "")`` when a backend that can play loads, else ``(False, reason)``.

    A backend is a PulseAudio (or PipeWire) client library or PortAudio; an
    ``AudioContext()`` plays through whichever answers. :func:`devices` lists
    PortAudio's devices and so needs PortAudio itself: with only the
    PulseAudio library present this returns True while :func:`devices`
    raises (use :func:`pulse_sinks` there).
    """
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


class PulseSink(NamedTuple):
    """One sink (output) of the PulseAudio or PipeWire server, as ``pulse_sinks()`` reports it.

    ``AudioContext()`` plays on the server's default sink; to choose another,
    set the environment variable ``PULSE_SINK`` to its ``name`` before the
    context is created.
    """

    index: int
    name: str
    description: str
    channels: int
    sample_rate: int
    is_default: bool


def pulse_sinks(timeout: float = 2.0) -> "tuple[List[PulseSink], str]":
    """``(sinks, "")`` from the PulseAudio (or PipeWire) server, or ``([], reason)``.

    Asks the server through libpulse (loaded at run time, as the PulseAudio
    backend does); never starts a server. ``reason`` says why there are none:
    libpulse missing, no server answering within ``timeout`` seconds.
    """
    import ctypes
    import ctypes.util
    import time

    lib = None
    for name in ("libpulse.so.0", ctypes.util.find_library("pulse"), "libpulse.0.dylib"):
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
            break
        except OSError:
            continue
    if lib is None:
        return [], "libpulse is not installed"

    class SampleSpec(ctypes.Structure):
        _fields_ = [("format", ctypes.c_int), ("rate", ctypes.c_uint32), ("channels", ctypes.c_uint8)]

    class SinkInfo(ctypes.Structure):  # the leading fields of pa_sink_info
        _fields_ = [("name", ctypes.c_char_p), ("index", ctypes.c_uint32),
                    ("description", ctypes.c_char_p), ("sample_spec", SampleSpec)]

    class ServerInfo(ctypes.Structure):  # the leading fields of pa_server_info
        _fields_ = [("user_name", ctypes.c_char_p), ("host_name", ctypes.c_char_p),
                    ("server_version", ctypes.c_char_p), ("server_name", ctypes.c_char_p),
                    ("sample_spec", SampleSpec), ("default_sink_name", ctypes.c_char_p)]

    vp = ctypes.c_void_p
    sink_cb_t = ctypes.CFUNCTYPE(None, vp, ctypes.POINTER(SinkInfo), ctypes.c_int, vp)
    server_cb_t = ctypes.CFUNCTYPE(None, vp, ctypes.POINTER(ServerInfo), vp)
    for fn, res, argt in (
        ("pa_mainloop_new", vp, []), ("pa_mainloop_get_api", vp, [vp]),
        ("pa_mainloop_iterate", ctypes.c_int, [vp, ctypes.c_int, vp]), ("pa_mainloop_free", None, [vp]),
        ("pa_context_new", vp, [vp, ctypes.c_char_p]),
        ("pa_context_connect", ctypes.c_int, [vp, ctypes.c_char_p, ctypes.c_int, vp]),
        ("pa_context_get_state", ctypes.c_int, [vp]), ("pa_context_errno", ctypes.c_int, [vp]),
        ("pa_context_disconnect", None, [vp]), ("pa_context_unref", None, [vp]),
        ("pa_context_get_sink_info_list", vp, [vp, sink_cb_t, vp]),
        ("pa_context_get_server_info", vp, [vp, server_cb_t, vp]),
        ("pa_operation_get_state", ctypes.c_int, [vp]), ("pa_operation_unref", None, [vp]),
        ("pa_strerror", ctypes.c_char_p, [ctypes.c_int]),
    ):
        f = getattr(lib, fn)
        f.restype, f.argtypes = res, argt

    READY, FAILED, TERMINATED, RUNNING = 4, 5, 6, 0
    deadline = time.monotonic() + timeout
    sinks: list = []
    default = [None]

    def on_sink(_c, info, eol, _u):  # type: ignore[no-untyped-def]
        if not eol and info:
            i = info.contents
            sinks.append((int(i.index), (i.name or b"").decode(errors="replace"),
                          (i.description or b"").decode(errors="replace"),
                          int(i.sample_spec.channels), int(i.sample_spec.rate)))

    def on_server(_c, info, _u):  # type: ignore[no-untyped-def]
        if info and info.contents.default_sink_name:
            default[0] = info.contents.default_sink_name.decode(errors="replace")

    sink_cb, server_cb = sink_cb_t(on_sink), server_cb_t(on_server)
    ml = lib.pa_mainloop_new()
    if not ml:
        return [], "libpulse could not make a main loop"
    api = lib.pa_mainloop_get_api(ml)
    ctx = lib.pa_context_new(api, b"labsound devices")
    why = ""
    try:
        if not ctx or lib.pa_context_connect(ctx, None, 1, None) < 0:  # 1: PA_CONTEXT_NOAUTOSPAWN
            return [], "no PulseAudio server: " + (lib.pa_strerror(lib.pa_context_errno(ctx)) or b"").decode()
        while True:
            state = lib.pa_context_get_state(ctx)
            if state == READY:
                break
            if state in (FAILED, TERMINATED) or time.monotonic() > deadline:
                err = lib.pa_context_errno(ctx)
                why = (lib.pa_strerror(err) or b"").decode() if err else "no answer"
                return [], "no PulseAudio server: " + why
            if lib.pa_mainloop_iterate(ml, 0, None) == 0:
                time.sleep(0.002)
        ops = [lib.pa_context_get_server_info(ctx, server_cb, None),
               lib.pa_context_get_sink_info_list(ctx, sink_cb, None)]
        try:
            while any(op and lib.pa_operation_get_state(op) == RUNNING for op in ops):
                if time.monotonic() > deadline:
                    return [], "the PulseAudio server did not answer"
                if lib.pa_mainloop_iterate(ml, 0, None) == 0:
                    time.sleep(0.002)
        finally:
            for op in ops:
                if op:
                    lib.pa_operation_unref(op)
    finally:
        if ctx:
            lib.pa_context_disconnect(ctx)
            lib.pa_context_unref(ctx)
        lib.pa_mainloop_free(ml)
    return [PulseSink(i, n, d, c, r, n == default[0]) for i, n, d, c, r in sinks], ""


def format_pulse_sinks(sinks: List[PulseSink]) -> str:
    """The sinks ``python -m labsound devices`` lists; ``*`` marks the default one."""
    lines = ["PulseAudio sinks (AudioContext() plays on the default one; PULSE_SINK=<name> chooses another):",
             f"{'':2}{'index':>5}  {'out':>3}  {'rate':>7}  {'name':<24} description"]
    for s in sinks:
        lines.append(f"{'*' if s.is_default else ' ':2}{s.index:>5}  {s.channels:>3}  {s.sample_rate:>7}  "
                     f"{s.name:<24} {s.description}")
    lines.append("(* default sink)")
    return "\n".join(lines)
