"""Plots of buffers, analysers, filters and automation with matplotlib.

Needs the ``plot`` extra (``pip install labsound[plot]``). Every function takes
``ax=`` (an existing matplotlib Axes; a new figure is made when it is None) and
returns the Axes it drew on, with both axes labelled in their units::

    import labsound as ls
    import labsound.plot as lsplot

    ctx = ls.OfflineAudioContext(1, 4800, 48000)
    ...
    lsplot.spectrum(ctx.start_rendering())

Automation: :func:`automation` draws a param's scheduled timeline. The engine
keeps the events to itself, so this module records the scheduling calls made
on every AudioParam once it is imported (import ``labsound.plot`` before you
schedule) and replays them on a ConstantSourceNode in an OfflineAudioContext.
"""

from __future__ import annotations

import time
from typing import Any, Optional, Sequence, Union

import numpy as np

from . import _core

try:
    import matplotlib
    import matplotlib.pyplot as _plt
except ImportError as e:  # pragma: no cover - exercised without the extra
    raise ImportError("labsound.plot needs matplotlib: pip install labsound[plot]") from e

__all__ = ["waveform", "spectrum", "spectrogram", "frequency_response", "automation", "live", "Live"]

_Axes = Any


def _axes(ax: Optional[_Axes]) -> _Axes:
    if ax is not None:
        return ax
    _, ax = _plt.subplots()
    return ax


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


def waveform(buffer: Any, *, channel: Optional[int] = None, ax: Optional[_Axes] = None) -> _Axes:
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


def spectrum(source: Any, *, channel: int = 0, ax: Optional[_Axes] = None, log_frequency: bool = True) -> _Axes:
    """Magnitude spectrum in dBFS against frequency (Hz).

    ``source`` is an AudioBuffer (the whole channel, Hann window, scaled so a
    full-scale sine reads 0 dBFS) or an AnalyserNode (its current
    ``get_float_frequency_data``, bin k at k * sample_rate / fft_size).
    """
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
    ax.set_xlabel("frequency (Hz)")
    ax.set_ylabel("magnitude (dBFS)")
    return ax


def spectrogram(
    buffer: Any, *, channel: int = 0, fft_size: int = 1024, hop: Optional[int] = None,
    ax: Optional[_Axes] = None, floor_db: float = -120.0,
) -> _Axes:
    """Short-time spectrum (Hann window of ``fft_size``, ``hop`` frames apart) in dBFS."""
    data, rate = _samples(buffer)
    _channels(channel, data.shape[0])
    if not isinstance(fft_size, int) or fft_size < 2:
        raise ValueError(f"fft_size must be an int >= 2, got {fft_size!r}")
    hop = fft_size // 4 if hop is None else hop
    if not isinstance(hop, int) or hop < 1:
        raise ValueError(f"hop must be an int >= 1, got {hop!r}")
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
    extent = (t0, t0 + (count - 1) * hop / rate if count > 1 else t0 + fft_size / rate, 0.0, rate / 2)
    im = ax.imshow(db, origin="lower", aspect="auto", extent=extent, cmap="magma")
    ax.set_xlabel("time (s)")
    ax.set_ylabel("frequency (Hz)")
    ax.figure.colorbar(im, ax=ax, label="magnitude (dBFS)")
    return ax


def frequency_response(
    node: Any, *, frequencies: Optional[Sequence[float]] = None, points: int = 512,
    ax: Optional[_Axes] = None,
) -> _Axes:
    """Magnitude (dB, left axis) and phase (degrees, right axis) of a filter.

    For a BiquadFilterNode or IIRFilterNode, from its ``get_frequency_response``
    at ``points`` log-spaced frequencies from 10 Hz to Nyquist (or the given
    ``frequencies``, Hz), on a log frequency axis. The phase line is on
    ``ax.phase_axes``.
    """
    if not isinstance(node, (_core.BiquadFilterNode, _core.IIRFilterNode)):
        raise TypeError(f"node must be a BiquadFilterNode or IIRFilterNode, not {type(node).__name__}")
    nyquist = node.context.sample_rate / 2
    if frequencies is None:
        if not isinstance(points, int) or points < 2:
            raise ValueError(f"points must be an int >= 2, got {points!r}")
        f = np.geomspace(10.0, nyquist, points).astype(np.float32)
    else:
        f = np.asarray(frequencies, dtype=np.float32)
    mag, phase = node.get_frequency_response(f)
    ax = _axes(ax)
    ax.plot(f, _dbfs(np.asarray(mag, dtype=np.float64)), color="C0", label="magnitude")
    ax.set_xscale("log")
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

def automation(param: Any, start: float = 0.0, end: Optional[float] = None, *, ax: Optional[_Axes] = None) -> _Axes:
    """A param's scheduled values from ``start`` to ``end`` (seconds).

    The calls the engine recorded on the param (its automation and value
    setter; a real-time context keeps the newest 4096) are replayed from its
    value at creation on a ConstantSourceNode's offset in an
    OfflineAudioContext at the param's sample rate, and the result is
    clamped to [min_value, max_value]. A k-rate param is drawn as one value
    per render quantum. Without calls the line is flat at its value.
    """
    if not isinstance(param, _core.AudioParam):
        raise TypeError(f"param must be an AudioParam, not {type(param).__name__}")
    if not isinstance(start, (int, float)) or not np.isfinite(start) or start < 0:
        raise ValueError(f"start must be a finite time >= 0, got {start!r}")
    from ._graph import _events

    _, first, records = _core._param_records(param)
    log = [e for e in _events(records) if e["type"] != "automation_rate"]
    if end is None:
        times = [e["start_time"] + e["duration"] if e["type"] == "set_value_curve_at_time" else
                 next(v for k, v in e.items() if k.endswith("_time") and k != "time_constant")
                 for e in log if e["type"] != "value"]
        end = max(times + [start + 0.0]) * 1.1 + 0.1 if times else start + 1.0
    if not isinstance(end, (int, float)) or not np.isfinite(end) or end <= start:
        raise ValueError(f"end must be a finite time after start ({start}), got {end!r}")
    rate = _param_rate(param)
    frames = int(np.ceil(end * rate)) + 1
    ctx = _core.OfflineAudioContext(1, frames, rate)
    src = ctx.create_constant_source()
    src.offset.value = first
    for e in log:
        if e["type"] == "value":
            src.offset.value = e["value"]
        else:
            getattr(src.offset, e["type"])(**{k: v for k, v in e.items() if k != "type"})
    src.connect(ctx.destination)
    src.start(0)
    values = np.asarray(ctx.start_rendering(), dtype=np.float64).reshape(-1)
    values = np.clip(values, param.min_value, param.max_value)
    if param.automation_rate == "k-rate":
        q = ctx.render_quantum_size
        values = np.repeat(values[::q], q)[:frames]
    t = np.arange(frames) / rate
    keep = (t >= start) & (t <= end)
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

    def __init__(self, analyser: Any, kind: str, ax: _Axes) -> None:
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
    interval: float = 0.05, ax: Optional[_Axes] = None,
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
    view = Live(analyser, kind, _axes(ax))
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
