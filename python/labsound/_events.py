"""Event delivery for real-time contexts.

Each AudioContext gets one daemon thread that polls the engine for events
(``ended`` for now) every few milliseconds and calls the handlers. The
thread holds only a weak reference to its context between polls, so it never
keeps a context alive; it stops when the context is closed or collected.
Handlers therefore run on this Python thread (or on the thread calling
``wait()``), never on the audio render thread.
"""

from __future__ import annotations

import atexit
import builtins
import math
import threading
import time
import weakref
from typing import Any


class Event:
    """Event(type, target=None, time=0.0): what an event handler receives.

    type names the event ('ended', 'statechange', 'complete', ...), target is the
    object that fired it (a node or a context), time the context time in seconds
    when it happened; rendered_buffer holds the AudioBuffer for an offline
    context's 'complete' event. Handlers run on labsound's event thread, never on
    the render thread."""

    __slots__ = ("_type", "_target", "_time", "_rendered_buffer")
    __module__ = "labsound"

    def __init__(self, type: str, target: Any = None, time: float = 0.0,
                 rendered_buffer: Any = None) -> None:
        if not isinstance(type, str):
            raise TypeError(f"Event(type): type must be a string, got {_type_name(type)}")
        kind = builtins.type(time)
        if not (hasattr(kind, "__float__") or hasattr(kind, "__index__")) or isinstance(time, str):
            raise TypeError(f"Event(time): time must be a number, got {_type_name(time)}")
        self._type, self._target, self._time = type, target, float(time)
        self._rendered_buffer = rendered_buffer

    type = property(lambda self: self._type, doc="The event's name, e.g. 'ended'.")
    target = property(lambda self: self._target, doc="The object the event concerns.")
    current_target = property(lambda self: self._target, doc="Same as target.")
    time = property(lambda self: self._time, doc="Context time (seconds) at which it happened.")
    rendered_buffer = property(
        lambda self: self._rendered_buffer,
        doc="'complete' events of an OfflineAudioContext: the rendered AudioBuffer; otherwise None.")

    def __repr__(self) -> str:
        return f"<Event type={self._type!r} target={self._target!r}>"


def _type_name(o: object) -> str:
    t = builtins.type(o)
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"


class RealtimeWarning(RuntimeWarning):
    """A real-time context fell behind real time: periods were rendered after
    their deadline (``ctx.stats["late_periods"]``, ``"time_lost"``,
    ``"render_load"``). Issued on the event thread, at most once a second."""


#: Seconds between two polls; the GIL is free while the thread sleeps.
POLL_INTERVAL = 0.005

_live: "weakref.WeakSet[object]" = weakref.WeakSet()


def _run(ref: "weakref.ref[object]") -> None:
    while True:
        ctx = ref()
        if ctx is None:
            return
        try:
            alive = ctx._dispatch_events()  # type: ignore[attr-defined]
        except Exception:
            alive = False
        del ctx
        if not alive:
            return
        time.sleep(POLL_INTERVAL)


def wait(ctx: Any, seconds: float) -> None:
    """AudioContext.wait(seconds): block for `seconds` of context time (wall
    time while the context is not running), dispatching its events meanwhile
    on the calling thread."""
    kind = builtins.type(seconds)
    if not (hasattr(kind, "__float__") or hasattr(kind, "__index__")) or isinstance(seconds, str):
        raise TypeError(f"wait(seconds): seconds must be a number, got {_type_name(seconds)}")
    left = float(seconds)
    if not math.isfinite(left) or left < 0.0:
        raise ValueError(f"wait(seconds): seconds must be a finite non-negative number, got "
                         f"{seconds!r}")
    if ctx.state == "suspended":
        # waiting would pass wall time in silence: say so instead
        from . import _core

        raise _core.InvalidStateError(
            "wait(): the context is suspended, so its clock does not move; call resume() first "
            "(AudioContext(start=False) creates it suspended)")
    t_ctx, t_wall = ctx.current_time, time.monotonic()
    while True:
        ctx._dispatch_events()
        now_ctx, now_wall = ctx.current_time, time.monotonic()
        left -= now_ctx - t_ctx if ctx.state == "running" else now_wall - t_wall
        t_ctx, t_wall = now_ctx, now_wall
        if left <= 0.0:
            return
        time.sleep(min(left, POLL_INTERVAL))


def get_output_timestamp(ctx: Any) -> dict:
    """AudioContext.get_output_timestamp(): the context time being played and
    when, in milliseconds on the clock of time.monotonic()."""
    return {"context_time": ctx.current_time, "performance_time": time.monotonic() * 1000.0}


def start(ctx: object) -> threading.Thread:
    """Start the event thread of a real-time context (called by its constructor)."""
    _live.add(ctx)
    thread = threading.Thread(
        target=_run, args=(weakref.ref(ctx),), name="labsound-events", daemon=True
    )
    thread.start()
    return thread


@atexit.register
def _close_all() -> None:
    # Stop the backends of contexts still open at exit, so no render thread
    # outlives the interpreter.
    for ctx in list(_live):
        try:
            ctx.close()  # type: ignore[attr-defined]
        except Exception:
            pass
