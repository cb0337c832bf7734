"""OfflineAudioContext.start_rendering(progress=callable): progress reports between chunks of quanta.

Without ``progress`` the engine's own start_rendering runs as before. With it,
suspensions with a callback are scheduled every ``progress_interval`` frames
(rounded to render quanta; by default about a hundredth of the length, at
least 128 frames); at each the callback ``progress(done_frames, total_frames)``
is called on the rendering thread (the caller's), then rendering goes on.
A frame where a suspension was already scheduled (yours) is left alone.
"""

from __future__ import annotations

import weakref
from typing import Any, Callable, Optional

from . import _core, _streams

_engine_start = _core.OfflineAudioContext.start_rendering
_engine_resume = _core.OfflineAudioContext.resume
_pending: "weakref.WeakKeyDictionary[Any, Callable[[int, int], Any]]" = weakref.WeakKeyDictionary()


def _schedule(ctx: Any, progress: Callable[[int, int], Any], interval: Optional[int]) -> None:
    total = ctx.length
    q = ctx.render_quantum_size
    rate = ctx.sample_rate
    if interval is None:
        interval = max(q, (total // 100) // q * q)
    elif not isinstance(interval, int) or isinstance(interval, bool) or interval < 1:
        raise ValueError(f"progress_interval must be an int >= 1 (frames), got {interval!r}")
    interval = max(q, (interval + q - 1) // q * q)
    start = (int(round(ctx.current_time * rate)) // interval + 1) * interval

    def report(frame: int) -> Callable[[], None]:
        def cb(*_: Any) -> None:
            progress(frame, total)

        return cb

    for frame in range(start, total, interval):
        try:
            ctx.suspend((frame + q / 2) / rate, report(frame))  # mid-quantum: rounds down to frame
        except _core.InvalidStateError:
            continue  # one of the caller's suspensions is there


def _final(progress: Callable[[int, int], Any], total: int, out: Any) -> None:
    # The render is done and the context closed: an exception from the last
    # report must not lose the buffer. It still propagates, carrying the
    # buffer as ``rendered_buffer``.
    try:
        progress(total, total)
    except BaseException as e:
        try:
            e.rendered_buffer = out  # type: ignore[attr-defined]
            if hasattr(e, "add_note"):
                e.add_note("labsound: the render finished; the AudioBuffer is this "
                           "exception's rendered_buffer")
        except Exception:  # noqa: BLE001  (an exception type without attributes)
            pass
        raise


def start_rendering(self: Any, progress: Optional[Callable[[int, int], Any]] = None, *,
                    progress_interval: Optional[int] = None) -> Any:
    """Render the whole graph and return the AudioBuffer.

    ``progress(done_frames, total_frames)``, when given, is called every
    ``progress_interval`` frames (about 1% of the length by default) and once
    at the end with done == total. Without it nothing extra is done. An
    exception from that last call propagates with the finished AudioBuffer
    attached as its ``rendered_buffer``.
    """
    if getattr(self, "open_ended", False) or _streams._chunk_limit(self) is not None:
        # open-ended, or stream sources to top up between chunks: rendered in blocks
        if progress is not None and not callable(progress):
            raise TypeError(f"start_rendering(progress): progress must be callable, got {type(progress).__name__}")
        if self.state == "closed":
            raise _core.InvalidStateError("start_rendering(): rendering has already started or the "
                                          "context is closed")
        return _streams.render_whole(self, progress)
    if progress is None:
        return _engine_start(self)
    if not callable(progress):
        raise TypeError(f"start_rendering(progress): progress must be callable, got {type(progress).__name__}")
    _schedule(self, progress, progress_interval)
    out = _engine_start(self)
    if out is not None:
        _final(progress, self.length, out)
    else:
        _pending[self] = progress
    return out


def resume(self: Any) -> Any:
    out = _engine_resume(self)
    progress = _pending.get(self)
    if progress is not None and out is not None:
        del _pending[self]
        _final(progress, self.length, out)
    return out


resume.__doc__ = _engine_resume.__doc__
_core.OfflineAudioContext.start_rendering = start_rendering  # type: ignore[method-assign]
_core.OfflineAudioContext.render = start_rendering  # type: ignore[attr-defined]
_core.OfflineAudioContext.resume = resume  # type: ignore[method-assign]
