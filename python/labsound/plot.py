"""Plots of buffers, analysers, filters and automation with matplotlib.

Needs the ``plot`` extra (``pip install labsound[plot]``). Every function takes
``ax=`` (an existing matplotlib Axes; a new figure is made when it is None) and
returns the Axes it drew on, with both axes labelled in their units::

    import labsound as ls
    import labsound.plot as lsplot

    ctx = ls.OfflineAudioContext(1, 4800, 48000)
    ...
    lsplot.spectrum(ctx.start_rendering())

Automation: :func:`automation` draws a param's scheduled timeline: the calls
the engine recorded on it (include/labsound/record.h), replayed on a
ConstantSourceNode in an OfflineAudioContext.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Optional, Sequence, Union

import numpy as np

from . import _core

try:
    import matplotlib
    import matplotlib.pyplot as _plt
except ImportError as e:  # pragma: no cover - exercised without the extra
    raise ImportError("labsound.plot needs matplotlib: pip install labsound[plot]") from e

__all__ = ["waveform", "spectrum", "spectrogram", "frequency_response", "automation", "timeline_end",
           "live", "Live"]

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def _axes(ax: Optional[Axes], *, constrained: bool = True) -> Axes:
    if ax is not None:
        return ax
    # constrained layout keeps every label inside the figure, the right-hand
    # label of a twin axis (frequency_response's phase) included; live views
    # skip it, as it makes each redraw slower
    _, ax = _plt.subplots(layout="constrained" if constrained else None)
    return ax


def _check_range(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a number of dB > 0, got {value!r}")
    return float(value)


def _check_min_frequency(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (np.isfinite(value) and value > 0):
        raise ValueError(f"min_frequency must be a frequency > 0 (Hz), got {value!r}")
    return float(value)


def _db_limits(ax: Axes, db: np.ndarray, dynamic_range: float, top_margin: float = 3.0) -> None:
    """The y axis from ``dynamic_range`` dB below the peak to just above it."""
    finite = db[np.isfinite(db)]
    if finite.size == 0:
        return
    peak = float(finite.max())
    ax.set_ylim(peak - dynamic_range, peak + top_margin)


def _samples(buffer: Any) -> tuple[np.ndarray, float]:
    """(channels, frames) float array and the sample rate of an AudioBuffer."""
    if not isinstance(buffer, _core.AudioBuffer):
        raise TypeError(f"buffer must be an AudioBuffer, not {type(buffer).__name__}")
    data = np.asarray(buffer)
    if data.ndim == 1:
        data = data[np.newaxis, :]
    return data, float(buffer.sample_rate)


def _channels(channel: Optional[int], n: int) -> list[int]:
    if channel is None:
        return list(range(n))
    if not isinstance(channel, int) or not 0 <= channel < n:
        raise ValueError(f"channel must be an int in [0, {n}), got {channel!r}")
    return [channel]


def waveform(buffer: Any, *, channel: Optional[int] = None, ax: Optional[Axes] = None) -> Axes:
    """Each channel's samples against time (seconds); amplitude in full scale."""
    data, rate = _samples(buffer)
    ax = _axes(ax)
    t = np.arange(data.shape[1]) / rate
    for c in _channels(channel, data.shape[0]):
        ax.plot(t, data[c], linewidth=0.8, label=f"channel {c}")
    ax.set_xlabel("time (s)")
    ax.set_ylabel("amplitude (full scale)")
    if data.shape[0] > 1 and channel is None:
        ax.legend(loc="upper right")
    return ax


def _dbfs(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return 20.0 * np.log10(np.maximum(x, 1e-12))


def spectrum(
    source: Any, *, channel: int = 0, ax: Optional[Axes] = None, log_frequency: bool = True,
    dynamic_range: float = 120.0, min_frequency: float = 20.0,
) -> Axes:
    """Magnitude spectrum in dBFS against frequency (Hz).

    ``source`` is an AudioBuffer (the whole channel, Hann window, scaled so a
    full-scale sine reads 0 dBFS) or an AnalyserNode (its current
    ``get_float_frequency_data``, bin k at k * sample_rate / fft_size).

    The magnitude axis spans ``dynamic_range`` dB below the peak (deeper
    notches run off the bottom instead of squashing the rest); with
    ``log_frequency`` the frequency axis starts at ``min_frequency`` Hz (or the
    first bin above 0 Hz when that is higher) and ends at Nyquist.
    """
    dynamic_range = _check_range("dynamic_range", dynamic_range)
    min_frequency = _check_min_frequency(min_frequency)
    ax = _axes(ax)
    if isinstance(source, _core.AnalyserNode):
        db = np.asarray(source.get_float_frequency_data(), dtype=np.float64)
        freqs = np.arange(db.size) * source.context.sample_rate / source.fft_size
        label = "analyser"
    else:
        data, rate = _samples(source)
        _channels(channel, data.shape[0])
        x = data[channel].astype(np.float64)
        if x.size == 0:
            raise ValueError("buffer has no frames to analyse")
        w = np.hanning(x.size) if x.size > 1 else np.ones(1)
        mag = np.abs(np.fft.rfft(x * w)) * 2.0 / max(w.sum(), 1e-12)
        db = _dbfs(mag)
        freqs = np.fft.rfftfreq(x.size, 1.0 / rate)
        label = f"channel {channel}"
    if log_frequency:
        keep = freqs > 0
        freqs, db = freqs[keep], db[keep]
        ax.set_xscale("log")
    ax.plot(freqs, db, linewidth=0.8, label=label)
    if freqs.size > 1:
        left = max(min_frequency, float(freqs[0])) if log_frequency else float(freqs[0])
        left = min(left, float(freqs[-1]) / 2)
        ax.set_xlim(left, float(freqs[-1]))
        _db_limits(ax, db[freqs >= left], dynamic_range)
    ax.set_xlabel("frequency (Hz)")
    ax.set_ylabel("magnitude (dBFS)")
    return ax


def spectrogram(
    buffer: Any, *, channel: int = 0, fft_size: int = 1024, hop: Optional[int] = None,
    ax: Optional[Axes] = None, floor_db: float = -120.0, log_frequency: bool = False,
    min_frequency: float = 20.0,
) -> Axes:
    """Short-time spectrum (Hann window of ``fft_size``, ``hop`` frames apart) in dBFS.

    Values below ``floor_db`` are drawn at it. With ``log_frequency`` the
    frequency axis is logarithmic, from ``min_frequency`` Hz (or the first bin
    above 0 Hz when that is higher) to Nyquist, each bin drawn as the band it
    covers; otherwise it is linear from 0 Hz.
    """
    data, rate = _samples(buffer)
    _channels(channel, data.shape[0])
    if isinstance(fft_size, bool) or not isinstance(fft_size, int) or fft_size < 2:
        raise ValueError(f"fft_size must be an int >= 2, got {fft_size!r}")
    hop = fft_size // 4 if hop is None else hop
    if isinstance(hop, bool) or not isinstance(hop, int) or hop < 1:
        raise ValueError(f"hop must be an int >= 1, got {hop!r}")
    min_frequency = _check_min_frequency(min_frequency)
    x = data[channel].astype(np.float64)
    if x.size < fft_size:
        x = np.pad(x, (0, fft_size - x.size))
    count = 1 + (x.size - fft_size) // hop
    idx = np.arange(fft_size)[None, :] + hop * np.arange(count)[:, None]
    w = np.hanning(fft_size)
    mag = np.abs(np.fft.rfft(x[idx] * w, axis=1)) * 2.0 / w.sum()
    db = np.maximum(_dbfs(mag), floor_db).T
    ax = _axes(ax)
    t0 = (fft_size / 2) / rate
    t1 = t0 + (count - 1) * hop / rate if count > 1 else t0 + fft_size / rate
    if log_frequency:
        # bin k covers (k - 1/2, k + 1/2) * rate / fft_size; bin 0 has no place on a log axis
        bin_hz = rate / fft_size
        edges_f = (np.arange(1, db.shape[0] + 1) - 0.5) * bin_hz
        edges_f[-1] = rate / 2
        edges_t = np.linspace(t0, t1, count + 1) if count > 1 else np.array([t0, t1])
        im = ax.pcolormesh(edges_t, edges_f, db[1:], cmap="magma", shading="flat")
        ax.set_yscale("log")
        ax.set_ylim(min(max(min_frequency, bin_hz), rate / 4), rate / 2)
    else:
        extent = (t0, t1, 0.0, rate / 2)
        im = ax.imshow(db, origin="lower", aspect="auto", extent=extent, cmap="magma")
    ax.set_xlabel("time (s)")
    ax.set_ylabel("frequency (Hz)")
    ax.figure.colorbar(im, ax=ax, label="magnitude (dBFS)")
    return ax


def frequency_response(
    node: Any, *, frequencies: Optional[Sequence[float]] = None, points: int = 512,
    ax: Optional[Axes] = None, dynamic_range: float = 120.0,
) -> Axes:
    """Magnitude (dB, left axis) and phase (degrees, right axis) of a filter.

    For a BiquadFilterNode or IIRFilterNode, from its ``get_frequency_response``
    at ``points`` log-spaced frequencies from 10 Hz to Nyquist (or the given
    ``frequencies``, Hz), on a log frequency axis. The magnitude axis spans
    ``dynamic_range`` dB below the peak, so a zero (a notch, a lowpass at
    Nyquist) runs off the bottom rather than squashing the rest. The phase
    line is on ``ax.phase_axes``.
    """
    if not isinstance(node, (_core.BiquadFilterNode, _core.IIRFilterNode)):
        raise TypeError(f"node must be a BiquadFilterNode or IIRFilterNode, not {type(node).__name__}")
    dynamic_range = _check_range("dynamic_range", dynamic_range)
    nyquist = node.context.sample_rate / 2
    if frequencies is None:
        if isinstance(points, bool) or not isinstance(points, int) or points < 2:
            raise ValueError(f"points must be an int >= 2, got {points!r}")
        f = np.geomspace(10.0, nyquist, points).astype(np.float32)
    else:
        f = np.asarray(frequencies, dtype=np.float32)
    mag, phase = node.get_frequency_response(f)
    ax = _axes(ax)
    db = _dbfs(np.asarray(mag, dtype=np.float64))
    ax.plot(f, db, color="C0", label="magnitude")
    ax.set_xscale("log")
    _db_limits(ax, db, dynamic_range)
    ax.set_xlabel("frequency (Hz)")
    ax.set_ylabel("magnitude (dB)", color="C0")
    ph = ax.twinx()
    ph.plot(f, np.degrees(np.asarray(phase, dtype=np.float64)), color="C1", linewidth=0.8, label="phase")
    ph.set_ylabel("phase (degrees)", color="C1")
    ax.phase_axes = ph
    return ax


# ---------------------------------------------------------------------------
# Automation: the scheduling calls made on each AudioParam, replayed offline
# ---------------------------------------------------------------------------

def _recorded(param: Any) -> tuple:
    """(value at creation, [(method, (), {arguments}), ...]): the calls the engine
    recorded on ``param`` (include/labsound/record.h), oldest first; value
    assignments appear as ("value", (), {"value": v})."""
    from ._graph import _events as _records_as_events

    _, first, records = _core._param_records(param)
    log = []
    for e in _records_as_events(records):
        kind = e.pop("type")
        if kind != "automation_rate":
            log.append((kind, (), e))
    return first, log


# The arguments of each scheduling call, by name, and which of them are times.
_ARGS = {
    "set_value_at_time": ("value", "start_time"),
    "linear_ramp_to_value_at_time": ("value", "end_time"),
    "exponential_ramp_to_value_at_time": ("value", "end_time"),
    "set_target_at_time": ("target", "start_time", "time_constant"),
    "set_value_curve_at_time": ("values", "start_time", "duration"),
    "cancel_scheduled_values": ("cancel_time",),
    "cancel_and_hold_at_time": ("cancel_time",),
}
_TIMES = ("start_time", "end_time", "time_constant", "duration", "cancel_time")

# A setTarget is drawn for this many time constants after it starts: the
# value is then within exp(-5), under 1 %, of the target.
_TARGET_CONSTANTS = 5.0
# The most frames automation() renders, however long the timeline.
_MAX_FRAMES = 1 << 16


def _named(name: str, args: tuple, kwargs: dict) -> Optional[dict]:
    """A recorded call's arguments by name (None when they do not fit the signature)."""
    names = _ARGS[name]
    if len(args) > len(names):
        return None
    call = dict(zip(names, args))
    call.update(kwargs)
    if set(call) != set(names):
        return None
    for key in _TIMES:
        if key in call:
            v = call[key]
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v):
                return None
    return call


def _timeline(log: list) -> list:
    """The recorded calls that stand on the timeline, as (name, named args, time, end).

    ``time`` is the event's time as the spec orders events (a ramp's end
    time), ``end`` when it stops changing the value (a setTarget: a few time
    constants after it starts). Cancellations remove what they remove.
    """
    events: list = []
    for name, args, kwargs in log:
        call = _named(name, args, kwargs) if name in _ARGS else None
        if call is None:
            continue
        if name == "set_value_at_time":
            t = e = call["start_time"]
        elif name in ("linear_ramp_to_value_at_time", "exponential_ramp_to_value_at_time"):
            t = e = call["end_time"]
        elif name == "set_target_at_time":
            t = call["start_time"]
            e = t + _TARGET_CONSTANTS * max(call["time_constant"], 0.0)
        elif name == "set_value_curve_at_time":
            t = call["start_time"]
            e = t + call["duration"]
        elif name == "cancel_scheduled_values":
            events = [ev for ev in events if ev[2] < call["cancel_time"]]
            continue
        else:  # cancel_and_hold_at_time: the value holds from cancel_time on
            c = call["cancel_time"]
            events = [ev for ev in events if ev[2] <= c]
            events = [(n, a, t, min(e, c)) for n, a, t, e in events]
            events.append((name, call, c, c))
            continue
        events.append((name, call, float(t), float(e)))
    return events


def timeline_end(param: Any) -> Optional[float]:
    """When ``param``'s recorded timeline stops changing the value (seconds), or None.

    The latest of its events' times: a ramp's end time, a value curve's end, a
    setTarget's start plus five time constants. None when no scheduling call
    was recorded (see :func:`automation`).
    """
    if not isinstance(param, _core.AudioParam):
        raise TypeError(f"param must be an AudioParam, not {type(param).__name__}")
    events = _timeline(_recorded(param)[1])
    return max(e for *_, e in events) if events else None


def automation(param: Any, start: float = 0.0, end: Optional[float] = None, *, ax: Optional[Axes] = None) -> Axes:
    """A param's scheduled values from ``start`` to ``end`` (seconds).

    The calls the engine recorded on the param (its scheduling calls and
    value assignments; a real-time context keeps the newest 4096) are
    replayed from its value at creation on a ConstantSourceNode's offset in
    an OfflineAudioContext at the param's sample rate, and the result is
    clamped to [min_value, max_value]. A k-rate param is drawn as one value
    per render quantum. Without calls the line is flat at its value.

    Without ``end`` the plot runs a tenth past the timeline's last event
    (:func:`timeline_end`: a setTarget counts five time constants). A long
    timeline is replayed on a compressed clock (every event time divided by
    the same factor, which leaves the shape of each ramp, curve and setTarget
    unchanged), so the plot never renders more than 65536 frames.
    """
    if not isinstance(param, _core.AudioParam):
        raise TypeError(f"param must be an AudioParam, not {type(param).__name__}")
    if isinstance(start, bool) or not isinstance(start, (int, float)) or not np.isfinite(start) or start < 0:
        raise ValueError(f"start must be a finite time >= 0, got {start!r}")
    first, log = _recorded(param)
    if end is None:
        last = timeline_end(param)
        end = last * 1.1 if last is not None and last > start else start + 1.0
        end = max(end, start + 0.01)
    if isinstance(end, bool) or not isinstance(end, (int, float)) or not np.isfinite(end) or end <= start:
        raise ValueError(f"end must be a finite time after start ({start}), got {end!r}")
    rate = _param_rate(param)
    # render time = real time * scale; the render never exceeds _MAX_FRAMES
    scale = min(1.0, (_MAX_FRAMES - 1) / (end * rate))
    frames = int(np.ceil(end * rate * scale)) + 1
    ctx = _core.OfflineAudioContext(1, frames, rate)
    src = ctx.create_constant_source()
    src.offset.value = first
    for name, args, kwargs in log:
        if name == "value":
            src.offset.value = kwargs["value"]
            continue
        call = _named(name, args, kwargs) if name in _ARGS else None
        if call is None:
            continue
        if scale < 1.0:
            call = {k: (v * scale if k in _TIMES else v) for k, v in call.items()}
        try:
            getattr(src.offset, name)(**call)
        except (ValueError, _core.LabSoundError):
            pass  # (a call the replay's shorter clock cannot take): skip it
    src.connect(ctx.destination)
    src.start(0)
    values = np.asarray(ctx.start_rendering(), dtype=np.float64).reshape(-1)
    values = np.clip(values, param.min_value, param.max_value)
    t = np.arange(frames) / (rate * scale)
    if param.automation_rate == "k-rate":
        # one value per render quantum of the param's own clock: the value at
        # the quantum's first frame
        q = ctx.render_quantum_size
        quantum_start = np.floor(np.round(t * rate, 6) / q) * q / rate
        values = np.interp(quantum_start * rate * scale, np.arange(frames), values)
    keep = (t >= start) & (t <= end * (1 + 1e-12))
    ax = _axes(ax)
    ax.plot(t[keep], values[keep], linewidth=1.0, label=param.name or "param")
    ax.set_xlabel("time (s)")
    ax.set_ylabel(f"{param.name or 'value'} ({_param_unit(param)})")
    return ax


def _param_rate(param: Any) -> float:
    """The sample rate of the param's context: its node refers to it (found through the gc)."""
    import gc

    for owner in gc.get_referrers(param):
        if isinstance(owner, _core.AudioNode):
            return float(owner.context.sample_rate)
    return 48000.0


_UNITS = {"frequency": "Hz", "detune": "cents", "gain": "linear gain", "delayTime": "s", "delay_time": "s",
          "playbackRate": "ratio", "playback_rate": "ratio", "pan": "-1..1", "Q": "Q", "q": "Q",
          "offset": "value", "threshold": "dB", "knee": "dB", "ratio": "ratio", "attack": "s",
          "release": "s"}


def _param_unit(param: Any) -> str:
    return _UNITS.get(param.name, "value")


# ---------------------------------------------------------------------------
# Live views of an AnalyserNode
# ---------------------------------------------------------------------------


class Live:
    """A figure redrawn from an AnalyserNode (see :func:`live`).

    ``frames`` counts the redraws; ``last`` holds the y data of the latest one
    (dB per bin for kind 'spectrum', samples for 'waveform'). ``update()``
    reads the analyser once and redraws. Under an interactive backend
    ``animation`` holds the matplotlib FuncAnimation that drives it.
    """

    def __init__(self, analyser: Any, kind: str, ax: Axes) -> None:
        self.analyser = analyser
        self.kind = kind
        self.ax = ax
        self.frames = 0
        self.last: Optional[np.ndarray] = None
        rate = analyser.context.sample_rate
        n = analyser.fft_size
        if kind == "spectrum":
            x = np.arange(1, analyser.frequency_bin_count) * rate / n
            (self.line,) = ax.plot(x, np.full(x.size, analyser.min_decibels), linewidth=0.8)
            ax.set_xscale("log")
            ax.set_ylim(analyser.min_decibels, analyser.max_decibels)
            ax.set_xlabel("frequency (Hz)")
            ax.set_ylabel("magnitude (dBFS)")
        else:
            x = np.arange(n) / rate * 1000.0
            (self.line,) = ax.plot(x, np.zeros(n), linewidth=0.8)
            ax.set_ylim(-1.05, 1.05)
            ax.set_xlabel("time (ms)")
            ax.set_ylabel("amplitude (full scale)")

    def update(self, *_: Any) -> tuple:
        """Read the analyser once and redraw the line (FuncAnimation's callback)."""
        if self.kind == "spectrum":
            y = np.asarray(self.analyser.get_float_frequency_data(), dtype=np.float64)[1:]
            y = np.maximum(y, self.analyser.min_decibels)
        else:
            y = np.asarray(self.analyser.get_float_time_domain_data(), dtype=np.float64)
        self.line.set_ydata(y)
        self.last = y
        self.frames += 1
        return (self.line,)


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython  # type: ignore[import-not-found]
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def live(
    analyser: Any, kind: str = "spectrum", duration: Optional[float] = None, *,
    interval: float = 0.05, ax: Optional[Axes] = None,
) -> Live:
    """Keep a figure updating from ``analyser`` while its real-time context plays.

    ``kind`` is "spectrum" or "waveform". In a notebook the figure is shown
    through a display handle updated every ``interval`` seconds for
    ``duration`` seconds (the call returns after it). In a script with an
    interactive backend a FuncAnimation drives it and ``plt.show()`` blocks;
    with a non-interactive backend (Agg) frames are drawn in a loop for
    ``duration`` seconds. Returns the :class:`Live` view.
    """
    if not isinstance(analyser, _core.AnalyserNode):
        raise TypeError(f"analyser must be an AnalyserNode, not {type(analyser).__name__}")
    if kind not in ("spectrum", "waveform"):
        raise ValueError(f"kind must be 'spectrum' or 'waveform', got {kind!r}")
    if duration is not None and (not isinstance(duration, (int, float)) or not duration >= 0):
        raise ValueError(f"duration must be None or a time >= 0 (s), got {duration!r}")
    if not isinstance(interval, (int, float)) or not interval > 0:
        raise ValueError(f"interval must be a time > 0 (s), got {interval!r}")
    view = Live(analyser, kind, _axes(ax, constrained=False))
    fig = view.ax.figure
    if _in_notebook():  # pragma: no cover - runs in a kernel
        import io

        from IPython.display import Image, display  # type: ignore[import-not-found]

        def png() -> Any:  # drawn here, so any matplotlib backend will do
            out = io.BytesIO()
            fig.savefig(out, format="png")
            return Image(data=out.getvalue(), format="png")

        view.update()
        handle = display(png(), display_id=True)
        stop = time.monotonic() + (duration if duration is not None else 10.0)
        while time.monotonic() < stop:
            time.sleep(interval)
            view.update()
            handle.update(png())
        _plt.close(fig)
        return view
    interactive = matplotlib.get_backend().lower() not in ("agg", "pdf", "svg", "ps", "cairo", "template")
    if interactive:  # pragma: no cover - needs a display
        from matplotlib.animation import FuncAnimation

        view.animation = FuncAnimation(fig, view.update, interval=interval * 1000, blit=False,
                                       cache_frame_data=False)
        if duration is not None:
            timer = fig.canvas.new_timer(interval=int(duration * 1000))
            timer.add_callback(_plt.close, fig)
            timer.start()
        _plt.show()
        return view
    stop = time.monotonic() + (duration if duration is not None else 0.0)
    while True:
        view.update()
        fig.canvas.draw()
        if time.monotonic() >= stop:
            break
        time.sleep(interval)
    return view
