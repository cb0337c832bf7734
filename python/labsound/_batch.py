"""``ls.render_batch(build, items)``: many offline renders on a pool of processes.

Each item becomes one render: ``build(item)`` returns an OfflineAudioContext
(rendered here), a dict (turned into a context with
``OfflineAudioContext.from_dict``), or an AudioBuffer / NumPy array (taken as
rendered). The renders run in worker processes (``concurrent.futures`` with the
spawn start method, so the same code runs on Linux, macOS and Windows), or on a
Dask cluster with ``client=``, or in this process with ``workers=0`` or ``1``.

What crosses between processes: ``build`` once per worker (pickled; with
cloudpickle installed, lambdas and interactively defined functions work too),
each chunk of ``(index, item)`` pairs, and back a float32 ``(channels, frames)``
array per render, which pickles as one block of bytes (no per-sample Python).
"""

from __future__ import annotations

import collections
import itertools
import os
import pickle
import sys
import time
import traceback
from typing import Any, Callable, Iterable, Iterator, List, Optional, Tuple

import numpy as np

from . import _core

_ERRORS = ("raise", "return")
_OUTPUTS = ("buffer", "numpy")


class BatchError(_core.LabSoundError):
    """An item of :func:`render_batch` failed (``errors="raise"``), or could not
    reach a worker.

    ``index`` and ``item`` say which; ``traceback`` is the traceback text from
    the process where it failed (a worker's, with its line numbers), and the
    original exception, when it could be sent back, is ``__cause__``.
    """

    def __init__(self, message: str, index: Optional[int] = None, item: Any = None,
                 traceback: Optional[str] = None) -> None:
        super().__init__(message)
        self.index = index
        self.item = item
        self.traceback = traceback

    def __reduce__(self) -> Any:
        return (type(self), (str(self), self.index, self.item, self.traceback))


class BatchResult:
    """One render of :func:`render_batch`: which item, and its audio or its error.

    ``index`` is the item's position in ``items``, ``item`` the item itself.
    ``buffer`` is an :class:`AudioBuffer` (``output="buffer"``) or a float32
    NumPy array of shape ``(channels, frames)`` (``output="numpy"``), None
    when the item failed; then ``error`` holds the exception and ``traceback``
    its text. ``sample_rate`` is the render's rate, ``seconds`` the time the
    build and render took where they ran.
    """

    index: int
    """The item's position in ``items`` (0-based)."""
    item: Any
    """The item itself, as given (what ``build`` was called with)."""
    buffer: Any
    """The render: an AudioBuffer, or a float32 (channels, frames) array with
    ``output="numpy"``; None when the item failed."""
    error: Optional[BaseException]
    """The exception the item raised (None on success); one that cannot travel
    between processes arrives as a RuntimeError with its type and message."""
    traceback: Optional[str]
    """The traceback text from where the item failed, None on success."""
    sample_rate: Optional[float]
    """The render's sample rate in Hz (None when the item failed)."""
    seconds: float
    """Seconds the item's build and render took, where they ran."""

    def __init__(self, index: int, item: Any, buffer: Any = None, error: Optional[BaseException] = None,
                 traceback: Optional[str] = None, sample_rate: Optional[float] = None,
                 seconds: float = 0.0) -> None:
        self.index = index
        self.item = item
        self.buffer = buffer
        self.error = error
        self.traceback = traceback
        self.sample_rate = sample_rate
        self.seconds = seconds

    @property
    def ok(self) -> bool:
        """True when the item rendered (``error`` is None)."""
        return self.error is None

    def __repr__(self) -> str:
        if self.error is not None:
            return f"BatchResult(index={self.index}, error={type(self.error).__name__}: {self.error})"
        shape = getattr(np.asarray(self.buffer), "shape", None) if self.buffer is not None else None
        return f"BatchResult(index={self.index}, shape={shape}, sample_rate={self.sample_rate})"


# --------------------------------------------------------------------------
# One render (wherever it runs)
# --------------------------------------------------------------------------

def _to_audio(out: Any, where: str) -> Tuple[Any, float]:
    """(AudioBuffer or ndarray, sample rate) from what build returned."""
    if isinstance(out, dict):
        from_dict = getattr(_core.OfflineAudioContext, "from_dict", None)
        if from_dict is None:
            raise TypeError(f"{where}: build returned a dict, but this labsound has no "
                            "OfflineAudioContext.from_dict to turn it into a context; "
                            "return an OfflineAudioContext instead")
        out = from_dict(out)
    if isinstance(out, _core.OfflineAudioContext):
        buf = out.start_rendering()
        if buf is None:
            raise RuntimeError(f"{where}: the context stopped at a suspension without a callback; "
                               "its render did not finish")
        return buf, buf.sample_rate
    if isinstance(out, _core.AudioBuffer):
        return out, out.sample_rate
    raise TypeError(f"{where}: build must return an OfflineAudioContext, a dict or an AudioBuffer, "
                    f"got {type(out).__name__}")


def _render_here(build: Callable[[Any], Any], index: int, item: Any) -> Tuple[Any, float, float]:
    t0 = time.perf_counter()
    buf, rate = _to_audio(build(item), f"render_batch: build(items[{index}])")
    return buf, rate, time.perf_counter() - t0


def _sendable(exc: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001  (an exception that does not pickle: keep its text)
        return RuntimeError(f"{type(exc).__name__}: {exc}")


# the worker's build: set by _init_worker, unpickled at the first task
_WORKER_BUILD: Any = None
_WORKER_BUILD_BYTES: Optional[bytes] = None


def _init_worker(build_bytes: bytes) -> None:
    global _WORKER_BUILD, _WORKER_BUILD_BYTES
    _WORKER_BUILD, _WORKER_BUILD_BYTES = None, build_bytes


def _worker_build() -> Callable[[Any], Any]:
    global _WORKER_BUILD
    if _WORKER_BUILD is None:
        try:
            _WORKER_BUILD = pickle.loads(_WORKER_BUILD_BYTES)  # type: ignore[arg-type]
        except Exception as e:  # noqa: BLE001
            raise BatchError(
                f"render_batch: a worker process could not load build ({type(e).__name__}: {e}). "
                "Worker processes import build by its module and name: define it at the top "
                "level of a module or script (not in a notebook cell or an interactive "
                "session), or install cloudpickle, which sends functions by value") from e
    return _WORKER_BUILD


def _render_chunk(build: Optional[Callable[[Any], Any]], chunk: List[Tuple[int, Any]],
                  numpy_out: bool = True) -> List[tuple]:
    """Render (index, item) pairs; never raises for an item's failure.

    Returns (index, array, rate, seconds, None, None) for a success and
    (index, None, None, seconds, exception, traceback text) for a failure.
    """
    out = []
    for index, item in chunk:
        t0 = time.perf_counter()
        try:
            fn = build if build is not None else _worker_build()
            buf, rate, took = _render_here(fn, index, item)
            arr = np.asarray(buf) if numpy_out else buf
            out.append((index, arr, rate, took, None, None))
        except (Exception, SystemExit) as e:  # noqa: BLE001  (reported with the item's index;
            # a build that calls sys.exit() fails its item, not the batch)
            out.append((index, None, None, time.perf_counter() - t0, _sendable(e),
                        traceback.format_exc()))
    return out


def _dask_render_chunk(build: Callable[[Any], Any], chunk: List[Tuple[int, Any]]) -> List[tuple]:
    return _render_chunk(build, chunk)


# --------------------------------------------------------------------------
# Pools
# --------------------------------------------------------------------------

def _by_reference_works(build: Callable[[Any], Any]) -> bool:
    """Whether plain pickle's by-reference form of build loads in a spawned worker:
    not for functions of an interactive __main__ (a notebook, the REPL)."""
    module = getattr(build, "__module__", None)
    if module == "__main__":
        return getattr(sys.modules.get("__main__"), "__file__", None) is not None
    return True


def _pickle_build(build: Callable[[Any], Any]) -> bytes:
    """build as bytes for the workers: plain pickle where it works (tracebacks keep
    their file names), else cloudpickle (by value) when it is installed."""
    first: Optional[Exception] = None
    if _by_reference_works(build):
        try:
            return pickle.dumps(build)
        except Exception as e:  # noqa: BLE001
            first = e
    try:
        import cloudpickle  # type: ignore[import-not-found]
    except ImportError:
        cloudpickle = None
    if cloudpickle is not None:
        try:
            return cloudpickle.dumps(build)
        except Exception as e:  # noqa: BLE001
            first = e
    if first is None:
        first = pickle.PicklingError(f"{build!r} is defined in an interactive session, which "
                                     "worker processes cannot import")
    raise TypeError(
        f"render_batch(build): build must be picklable to run in worker processes, and "
        f"{build!r} is not ({type(first).__name__}: {first}). Define build as a function at the "
        "top level of a module or script (or a functools.partial of one), not a lambda, a "
        "nested function or a method of an unpicklable object; or install cloudpickle, which "
        "sends functions by value (it comes with labsound[dask]); or pass workers=0 to render "
        "in this process"
    ) from first


class _ProcessPool:
    def __init__(self, build: Callable[[Any], Any], workers: int, mp_context: Any) -> None:
        import concurrent.futures as cf
        import multiprocessing

        self._data = _pickle_build(build)
        if mp_context is None or isinstance(mp_context, str):
            try:
                mp_context = multiprocessing.get_context(mp_context or "spawn")
            except ValueError as e:
                raise ValueError(f"render_batch(mp_context): unknown start method {mp_context!r}") from e
        self._cf = cf
        self._mp_context = mp_context
        self.workers = workers
        self.pool = self._new_pool()
        self._alone: Any = None           # the one-worker pool of isolate()

    def _new_pool(self) -> Any:
        return self._cf.ProcessPoolExecutor(max_workers=self.workers, mp_context=self._mp_context,
                                            initializer=_init_worker, initargs=(self._data,))

    def submit(self, chunk: list) -> Any:
        try:
            return self.pool.submit(_render_chunk, None, chunk, True)
        except self._cf.process.BrokenProcessPool:
            # a worker died (its chunks fail with that error); the rest go to a new pool
            self.pool.shutdown(wait=False)
            self.pool = self._new_pool()
            return self.pool.submit(_render_chunk, None, chunk, True)

    def wait_first(self, pending: Iterable[Any]) -> Iterable[Any]:
        done, _ = self._cf.wait(list(pending), return_when=self._cf.FIRST_COMPLETED)
        return done

    def broke(self, future: Any) -> bool:
        """Whether the chunk failed only because a worker of the pool died
        (every chunk in flight then fails, whichever item killed it)."""
        return isinstance(future.exception(), self._cf.process.BrokenProcessPool)

    def isolate(self, chunk: list) -> List[tuple]:
        """Render a chunk that a dying worker took down, each item alone in a
        pool of one worker: the healthy ones render, and only an item that
        kills its worker again fails."""
        rows = []
        for pair in chunk:
            if self._alone is None:
                self._alone = self._cf.ProcessPoolExecutor(
                    max_workers=1, mp_context=self._mp_context, initializer=_init_worker,
                    initargs=(self._data,))
            f = self._alone.submit(_render_chunk, None, [pair], True)
            rows.extend(_chunk_rows(f, [pair]))
            if self.broke(f):
                self._alone.shutdown(wait=False)
                self._alone = None
        return rows

    def close(self) -> None:
        if self._alone is not None:
            self._alone.shutdown(wait=True)
        if sys.version_info >= (3, 9):
            self.pool.shutdown(wait=True, cancel_futures=True)
        else:  # pragma: no cover
            self.pool.shutdown(wait=True)


class _DaskPool:
    def __init__(self, client: Any, build: Callable[[Any], Any]) -> None:
        try:
            import distributed  # type: ignore[import-not-found]
        except ImportError as e:
            raise ImportError("render_batch(client=...) needs dask.distributed: "
                              "pip install labsound[dask]") from e
        if not isinstance(client, distributed.Client):
            raise TypeError(f"render_batch(client): expected a dask.distributed.Client, "
                            f"got {type(client).__name__}")
        self._distributed = distributed
        self.client = client
        try:
            threads = sum(client.nthreads().values())
        except Exception:  # noqa: BLE001
            threads = 1
        self.workers = max(1, threads)
        self._build = build
        self._futures: list = []

    def submit(self, chunk: list) -> Any:
        f = self.client.submit(_dask_render_chunk, self._build, chunk, pure=False)
        self._futures.append(f)
        return f

    def wait_first(self, pending: Iterable[Any]) -> Iterable[Any]:
        done, _ = self._distributed.wait(list(pending), return_when="FIRST_COMPLETED")
        return done

    def close(self) -> None:
        for f in self._futures:
            if not f.done():
                f.cancel()
        self._futures = []


# --------------------------------------------------------------------------
# render_batch
# --------------------------------------------------------------------------

def _progress_reporter(progress: Any, total: Optional[int]) -> Tuple[Callable[[int], None], Callable[[], None]]:
    if progress is None or progress is False:
        return (lambda n: None), (lambda: None)
    if progress is True:
        try:
            from tqdm.auto import tqdm  # type: ignore[import-untyped]
        except ImportError as e:
            raise ImportError("render_batch(progress=True) draws a progress bar with tqdm, "
                              "which is not installed: pip install labsound[progress]") from e
        bar = tqdm(total=total, desc="rendering", unit="render", file=sys.stderr)
        return bar.update, bar.close
    if callable(progress):
        done = [0]

        def update(n: int) -> None:
            done[0] += n
            progress(done[0], total)

        return update, (lambda: None)
    raise TypeError(f"render_batch(progress): expected True, False or a callable(done, total), "
                    f"got {progress!r}")


def _chunks(items: Iterable[Any], size: int) -> Iterator[List[Tuple[int, Any]]]:
    it = enumerate(items)
    while True:
        chunk = list(itertools.islice(it, size))
        if not chunk:
            return
        yield chunk


def render_batch(build: Callable[[Any], Any], items: Iterable[Any], *, workers: Optional[int] = None,
                 progress: Any = False, ordered: bool = True, client: Any = None,
                 chunksize: int = 1, errors: str = "raise", output: str = "buffer",
                 mp_context: Any = None) -> Iterator[BatchResult]:
    """Render ``build(item)`` for every item, in parallel; yield a :class:`BatchResult` each.

    ``build(item)`` returns an :class:`OfflineAudioContext` with its graph
    built (it is rendered), a dict (made a context with
    ``OfflineAudioContext.from_dict``) or an :class:`AudioBuffer`.

    Options:

    * ``workers``: processes (default: the CPUs this process may use);
      0 or 1 renders in this process, one item after another, and nothing
      is pickled. Worker processes start with the spawn method, so ``build``
      must be picklable (a top-level function, or anything with cloudpickle
      installed) and a script that calls this needs the
      ``if __name__ == "__main__":`` guard.
    * ``ordered``: True yields in the order of ``items``; False as renders finish.
    * ``client``: a ``dask.distributed.Client``; the renders run on its
      cluster instead (``labsound[dask]``), ``workers`` is then ignored.
    * ``chunksize``: items sent to a worker at once (fewer round trips for
      short renders).
    * ``errors``: "raise" (default) raises :class:`BatchError` (with the
      index, item and the worker's traceback) when a failed item comes up and
      stops the rest; "return" yields it as a result whose ``error`` and
      ``traceback`` are set, and the other items go on.
    * ``output``: "buffer" (AudioBuffer) or "numpy" (float32 array,
      ``(channels, frames)``) in ``result.buffer``.
    * ``progress``: True draws a tqdm bar (``labsound[progress]``); a callable
      is called ``progress(done, total)`` after each item (total None when
      ``items`` has no length).
    * ``mp_context``: a multiprocessing context or start method name
      ("spawn" by default; "fork" and "forkserver" where the OS has them).

    Raises ValueError/TypeError for bad options (naming them), TypeError when
    ``build`` cannot be pickled for the workers. Breaking out of the loop
    cancels the renders not started.
    """
    if not callable(build):
        raise TypeError(f"render_batch(build): build must be callable, got {type(build).__name__}")
    if errors not in _ERRORS:
        raise ValueError(f"render_batch(errors): expected 'raise' or 'return', got {errors!r}")
    if output not in _OUTPUTS:
        raise ValueError(f"render_batch(output): expected 'buffer' or 'numpy', got {output!r}")
    if isinstance(chunksize, bool) or not isinstance(chunksize, int) or chunksize < 1:
        raise ValueError(f"render_batch(chunksize): expected an int >= 1, got {chunksize!r}")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 0):
        raise ValueError(f"render_batch(workers): expected None or an int >= 0, got {workers!r}")
    if isinstance(items, (str, bytes)) or not hasattr(items, "__iter__"):
        raise TypeError(f"render_batch(items): expected an iterable of items, got {type(items).__name__}")
    if progress is not None and not isinstance(progress, bool) and not callable(progress):
        raise TypeError(f"render_batch(progress): expected True, False or a callable(done, total), "
                        f"got {progress!r}")
    if progress is True:
        try:
            import tqdm  # type: ignore[import-untyped]  # noqa: F401
        except ImportError as e:
            raise ImportError("render_batch(progress=True) draws a progress bar with tqdm, "
                              "which is not installed: pip install labsound[progress]") from e
    if workers is None:
        try:
            workers = len(os.sched_getaffinity(0))  # type: ignore[attr-defined]
        except AttributeError:
            workers = os.cpu_count() or 1
    try:
        total: Optional[int] = len(items)  # type: ignore[arg-type]
    except TypeError:
        total = None
    if client is not None:
        pool: Any = _DaskPool(client, build)
    elif workers <= 1:
        pool = None
    else:
        pool = _ProcessPool(build, workers, mp_context)
    return _run(pool, build, items, total, progress, ordered, chunksize, errors, output)


def _run(pool: Any, build: Callable[[Any], Any], items: Iterable[Any], total: Optional[int],
         progress: Any, ordered: bool, chunksize: int, errors: str, output: str) -> Iterator[BatchResult]:
    update, close_bar = _progress_reporter(progress, total)
    try:
        if pool is None:
            for chunk in _chunks(items, 1):
                (row,) = _render_chunk(build, chunk, numpy_out=output == "numpy")
                yield _result(row, chunk[0][1], errors, output, local=True)
                update(1)
            return
        window = max(2, 4 * pool.workers)
        source = _chunks(items, chunksize)
        chunk_of: dict = {}
        queue: collections.deque = collections.deque()

        def refill() -> None:
            while len(chunk_of) < window:
                chunk = next(source, None)
                if chunk is None:
                    return
                f = pool.submit(chunk)
                chunk_of[f] = chunk
                queue.append(f)

        refill()
        while chunk_of:
            if ordered:
                done = [queue.popleft()]
            else:
                done = list(pool.wait_first(chunk_of))
                done_set = set(done)
                queue = collections.deque(f for f in queue if f not in done_set)
            for f in done:
                chunk = chunk_of.pop(f)
                if isinstance(pool, _ProcessPool) and pool.broke(f):
                    rows = pool.isolate(chunk)
                else:
                    rows = _chunk_rows(f, chunk)
                for row, (_, item) in zip(rows, chunk):
                    yield _result(row, item, errors, output, local=False)
                update(len(chunk))
            refill()
    finally:
        close_bar()
        if pool is not None:
            pool.close()


def _chunk_rows(future: Any, chunk: list) -> List[tuple]:
    """The rows a chunk's future brings, or a transport failure for each item."""
    try:
        return future.result()
    except (Exception, SystemExit) as e:  # noqa: BLE001  (the chunk never rendered: pickling,
        # a dead worker)
        if isinstance(e, BatchError):
            raise
        tb = "".join(traceback.format_exception(type(e), e, e.__traceback__))
        if "Broken" in type(e).__name__:
            why = ("a worker process exited abruptly: it crashed, was killed, or could not "
                   "start (a script that calls render_batch needs the "
                   "`if __name__ == \"__main__\":` guard, since each worker imports it)")
        else:
            why = "items must be picklable to reach a worker process"
        err = BatchError(
            f"render_batch: items {[i for i, _ in chunk]} could not be rendered by a worker "
            f"({type(e).__name__}: {e}); {why}", index=chunk[0][0], item=chunk[0][1], traceback=tb)
        err.__cause__ = e
        return [(i, None, None, 0.0, err, tb) for i, _ in chunk]


def _result(row: tuple, item: Any, errors: str, output: str, local: bool) -> BatchResult:
    index, audio, rate, seconds, exc, tb = row
    if exc is not None:
        if errors == "raise":
            if isinstance(exc, BatchError) and exc.index == index:
                raise exc
            raise BatchError(f"render_batch: items[{index}] ({_short(item)}) failed: "
                             f"{type(exc).__name__}: {exc}\n\nTraceback where it ran:\n{tb}",
                             index=index, item=item, traceback=tb) from exc
        return BatchResult(index, item, None, exc, tb, None, seconds)
    if output == "buffer" and not local:
        audio = _core.AudioBuffer.from_numpy(audio, rate)
    return BatchResult(index, item, audio, None, None, rate, seconds)


def _short(item: Any) -> str:
    text = repr(item)
    return text if len(text) <= 80 else text[:77] + "..."
