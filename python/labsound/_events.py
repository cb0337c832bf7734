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
import threading
import time
import weakref


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
