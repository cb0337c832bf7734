"""Python processing nodes: NumPy code inside the audio graph.

Two node kinds sit on the engine's script node (``include/labsound/script.h``):

* :class:`FunctionNode` (``ctx.create_function(channels=1)``), LabSound's
  function node: a scheduled source whose function ``fn(channel, buffer)``
  fills ``buffer`` (a float32 view of the engine's memory) in place.
* :class:`AudioProcessorNode` (``ctx.create_processor(MyProcessor, ...)``), in
  the spirit of AudioWorklet: an :class:`AudioProcessor` subclass declares
  ``parameters`` and implements ``process(inputs, outputs, parameters)``.

Offline contexts call Python synchronously on the rendering thread, so
output is deterministic. Real-time contexts never let the render thread wait
for the interpreter lock: Python runs on a worker thread ``lookahead`` quanta
ahead, and a block that is not ready in time plays as silence and counts as
a miss in ``node.stats``. See docs/python-processing.md.
"""

from __future__ import annotations

import queue
import threading
import traceback
import warnings
import weakref
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence

import numpy as np

from . import _core
from ._core import AudioNode, AudioScheduledSourceNode, BaseAudioContext, NotSupportedError

_Q = _core.RENDER_QUANTUM
_INPUT, _OUTPUT, _PARAM = 0, 1, 2
_KIND_FUNCTION, _KIND_PROCESSOR = 0, 1
_MODES = {"auto": 0, "sync": 1, "worker": 2}
_RATES = {"a-rate": 0, "k-rate": 1}
_COUNT_MODES = {"max": 0, "clamped-max": 1, "explicit": 2}
_INTERPRETATIONS = {"speakers": 0, "discrete": 1}
_FLT_MAX = 3.4028234663852886e38


class ProcessingWarning(RuntimeWarning):
    """Python code inside a processing node raised: the node went silent.

    Issued once per node, on a Python thread of the library, with the
    original exception's type and message; ``node.stats.errored`` is then
    True and the node outputs silence for good (the rest of the graph keeps
    rendering). Turn it into an error with ``warnings.simplefilter('error',
    ls.ProcessingWarning)`` in tests.
    """


@dataclass(frozen=True)
class ProcessingStats:
    """Counters of a processing node (``node.stats``), a snapshot.

    Read ``node.stats`` again for fresh figures; ``ctx.profile()`` reports
    the same counters per profiled block.
    """

    calls: int
    """Quanta computed in Python (a function node's ``fn`` runs once per
    channel of each)."""
    misses: int
    """Real-time only: quanta played as silence because Python was late."""
    dropped: int
    """Real-time only: quanta whose input could not be handed to Python."""
    errored: bool
    """The node raised and is silent for good."""


@dataclass(frozen=True)
class AudioParamDescriptor:
    """One entry of :attr:`AudioProcessor.parameters` (AudioParamDescriptor).

    Declares an AudioParam of a processor node: ``name`` (the attribute and
    the key of ``params`` in ``process``), ``default_value``, the nominal
    range ``min_value`` .. ``max_value`` (values are clamped to it) and
    ``automation_rate`` ('a-rate': 128 values per quantum, 'k-rate': one).
    """

    name: str
    default_value: float = 0.0
    min_value: float = -_FLT_MAX
    max_value: float = _FLT_MAX
    automation_rate: str = "a-rate"


class MessageEvent:
    """What ``port.onmessage`` receives: the posted object is ``event.data``.

    The object is passed by reference (no structured clone as in a browser):
    mutating it after posting is visible to the receiver.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Any) -> None:
        self._data = data

    @property
    def data(self) -> Any:
        """The posted object (the same object, not a copy)."""
        return self._data

    def __repr__(self) -> str:
        return f"MessageEvent(data={self.data!r})"


class MessagePort:
    """One end of the channel between a node and its processor.

    ``post_message(obj)`` hands ``obj`` (not a copy) to the other end, whose
    ``onmessage(event)`` runs with ``event.data = obj``: on the processor's
    side just before its next ``process`` call (on the thread that calls
    it), on the node's side on a Python thread of the library.
    """

    def __init__(self) -> None:
        self.onmessage: Optional[Callable[[MessageEvent], Any]] = None
        self._peer: Optional[MessagePort] = None
        self._inbox: List[Any] = []
        self._closed = False

    def post_message(self, message: Any) -> None:
        """Send ``message`` (the object itself, not a copy) to the other end:
        its ``onmessage(MessageEvent(message))`` runs later on its side. A
        closed or unpaired port drops the message silently, as a closed Web
        MessagePort does."""
        peer = self._peer
        if peer is None or self._closed:
            return  # like a closed MessagePort: the message is dropped
        peer._inbox.append(message)
        peer._wake()

    def close(self) -> None:
        """Stop sending: later ``post_message`` calls on this end are dropped."""
        self._closed = True

    def _wake(self) -> None:
        pass

    def _dispatch(self) -> None:
        inbox = self._inbox
        while inbox:
            message = inbox.pop(0)
            handler = self.onmessage
            if handler is not None:
                handler(MessageEvent(message))


class _NodePort(MessagePort):
    """The node's end: messages are delivered on the library's message thread."""

    def _wake(self) -> None:
        _messages.put(self)


_messages: "queue.SimpleQueue[_NodePort]" = queue.SimpleQueue()
_message_thread: Optional[threading.Thread] = None
_message_lock = threading.Lock()


def _message_loop() -> None:
    while True:
        port = _messages.get()
        try:
            port._dispatch()
        except Exception as exc:  # a handler's error must not stop delivery
            _warn(exc, "a port.onmessage handler raised")
        del port


def _start_message_thread() -> None:
    global _message_thread
    with _message_lock:
        if _message_thread is None:
            _message_thread = threading.Thread(
                target=_message_loop, name="labsound-messages", daemon=True
            )
            _message_thread.start()


def _warn(exc: BaseException, what: str) -> None:
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    warnings.warn(ProcessingWarning(f"{what}:\n{text}"), stacklevel=2)


def _report(kernel: object, exc: BaseException) -> None:
    # Called once per node, on the thread that ran the failing code.
    _warn(exc, "Python code in a processing node raised; the node is now silent")


class AudioProcessor:
    """Base class of block processors (AudioWorkletProcessor).

    Subclass it, declare ``parameters`` and implement :meth:`process`::

        class Gain(ls.AudioProcessor):
            parameters = [("gain", 1.0, 0.0, 1.0, "a-rate")]

            def process(self, inputs, outputs, parameters):
                outputs[0][:] = inputs[0] * parameters["gain"]
                return True

    ``parameters`` entries are tuples ``(name, default, min, max,
    automation_rate)`` (trailing ones optional), dicts with those keys
    (``default_value``, ``min_value``, ``max_value``, ``automation_rate``), or
    :class:`AudioParamDescriptor`. ``self.port`` is ready in ``__init__``,
    which receives the extra keyword arguments of ``create_processor``.
    """

    parameters: Sequence[Any] = ()
    port: MessagePort

    def process(
        self,
        inputs: List[np.ndarray],
        outputs: List[np.ndarray],
        parameters: Dict[str, np.ndarray],
    ) -> bool:
        """One render quantum. ``inputs[i]`` and ``outputs[o]`` are
        ``(channels, 128)`` float32 arrays (an unconnected input has 0
        channels); outputs arrive zeroed and are the engine's memory: write
        them in place. ``parameters[name]`` holds 128 values, or one when the
        value is constant over the quantum. Return True to keep the node
        alive while nothing is connected to it."""
        return False


def _descriptors(cls: type) -> List[tuple]:
    raw = getattr(cls, "parameters", ())
    if callable(raw):
        raw = raw()
    out = []
    names = set()
    for d in raw or ():
        if isinstance(d, AudioParamDescriptor):
            d = (d.name, d.default_value, d.min_value, d.max_value, d.automation_rate)
        elif isinstance(d, dict):
            try:
                d = (
                    d["name"],
                    d.get("default_value", d.get("default", 0.0)),
                    d.get("min_value", d.get("min", -_FLT_MAX)),
                    d.get("max_value", d.get("max", _FLT_MAX)),
                    d.get("automation_rate", "a-rate"),
                )
            except KeyError:
                raise TypeError(f"parameters: every descriptor needs a name, got {d!r}") from None
        elif isinstance(d, str):
            d = (d,)
        d = tuple(d)
        if not d or len(d) > 5:
            raise TypeError(f"parameters: (name, default, min, max, automation_rate), got {d!r}")
        name = d[0]
        default = float(d[1]) if len(d) > 1 else 0.0
        lo = float(d[2]) if len(d) > 2 else -_FLT_MAX
        hi = float(d[3]) if len(d) > 3 else _FLT_MAX
        rate = d[4] if len(d) > 4 else "a-rate"
        if not isinstance(name, str) or not name:
            raise TypeError(f"parameters: a name must be a non-empty str, got {name!r}")
        if name in names:
            raise NotSupportedError(f"parameters: duplicate name {name!r}")
        names.add(name)
        if rate not in _RATES:
            raise ValueError(
                f"parameters[{name!r}].automation_rate: 'a-rate' or 'k-rate', got {rate!r}"
            )
        if not (lo <= default <= hi) or default != default:
            raise ValueError(
                f"parameters[{name!r}]: default {default!r} outside [{lo!r}, {hi!r}]"
            )
        out.append((name, default, lo, hi, _RATES[rate]))
    return out


def _count(value: Any, name: str, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name}: an int, got {value!r}")
    value = int(value)
    if not lo <= value <= hi:
        raise ValueError(f"{name}: {lo}..{hi}, got {value!r}")
    return value


def _node_spec(
    fn: str,
    channel_count: Any,
    channel_count_mode: Any,
    channel_interpretation: Any,
    mode: Any,
    lookahead: Any,
) -> dict:
    spec: dict = {}
    if channel_count is not None:
        spec["channel_count"] = _count(channel_count, f"{fn}(channel_count)", 1, _core.MAX_CHANNELS)
    if channel_count_mode is not None:
        if channel_count_mode not in _COUNT_MODES:
            raise ValueError(
                f"{fn}(channel_count_mode): one of {list(_COUNT_MODES)}, got {channel_count_mode!r}"
            )
        spec["channel_count_mode"] = _COUNT_MODES[channel_count_mode]
    if channel_interpretation is not None:
        if channel_interpretation not in _INTERPRETATIONS:
            raise ValueError(
                f"{fn}(channel_interpretation): one of {list(_INTERPRETATIONS)}, "
                f"got {channel_interpretation!r}"
            )
        spec["channel_interpretation"] = _INTERPRETATIONS[channel_interpretation]
    if mode is not None:
        if mode not in _MODES:
            raise ValueError(f"{fn}(mode): one of {list(_MODES)}, got {mode!r}")
        spec["mode"] = _MODES[mode]
    if lookahead is not None:
        spec["lookahead"] = _count(lookahead, f"{fn}(lookahead)", 1, 64)
    return spec


class _ScriptNode:
    """What function and processor nodes share (mixed into both)."""

    _kernel: Any
    _memory: Any

    @property
    def error(self) -> Optional[BaseException]:
        """The exception that silenced the node, or None."""
        return self._kernel.error

    @property
    def stats(self) -> ProcessingStats:
        """Calls, misses and drops so far."""
        calls, misses, dropped, errored = self._memory.stats()
        return ProcessingStats(calls, misses, dropped, bool(errored))

    @property
    def lookahead(self) -> int:
        """Quanta Python runs ahead of the render thread (0 offline)."""
        return self._memory.lookahead

    @property
    def latency(self) -> float:
        """Seconds of latency the worker thread adds (0 offline)."""
        return self._memory.lookahead * _Q / self.context.sample_rate

    @property
    def block_time(self) -> float:
        """Context time at which the block being computed will be heard
        (meaningful inside the process function)."""
        return self._kernel.time

    def _engine_views(self) -> dict:
        """Addresses of the engine memory behind the views (for zero-copy checks)."""
        return {"address": self._memory.address, "slots": self._memory.slots}


def _finish(node: Any, kernel: Any, memory: Any, kind: int, n_in: int, n_out: int,
            names: List[str], inbox: Optional[list], dispatch: Optional[Callable],
            on_release: Optional[Callable[[], None]] = None) -> None:
    buf = np.frombuffer(memory, dtype=np.float32)
    slots = memory.slots

    def block(slot: int, area: int, index: int, count: int) -> np.ndarray:
        off = memory.offset(slot, area, index, 0)
        return buf[off:off + count * _Q].reshape(count, _Q)

    views = in_lists = in_cache = out_lists = out_cache = pdicts = pfull = pone = None
    if kind == _KIND_FUNCTION:
        cap = memory.capacity(_OUTPUT, 0)
        views = [list(block(s, _OUTPUT, 0, cap)) for s in range(slots)]
    else:
        in_cache = [
            [[block(s, _INPUT, i, n) for n in range(memory.capacity(_INPUT, i) + 1)]
             for i in range(n_in)]
            for s in range(slots)
        ]
        in_lists = [[c[0] for c in in_cache[s]] for s in range(slots)]
        out_cache = [
            [[block(s, _OUTPUT, o, n) for n in range(memory.capacity(_OUTPUT, o) + 1)]
             for o in range(n_out)]
            for s in range(slots)
        ]
        out_lists = [[c[0] for c in out_cache[s]] for s in range(slots)]
        pfull, pone = [], []
        for s in range(slots):
            full = [buf[memory.offset(s, _PARAM, k, 0):][:_Q] for k in range(len(names))]
            pfull.append(full)
            pone.append([f[:1] for f in full])
        pdicts = [{} for _ in range(slots)]
    latency = memory.lookahead * _Q / node.context.sample_rate
    kernel.setup(memory, views, in_lists, in_cache, out_lists, out_cache, pdicts, pfull, pone,
                 list(names), inbox, dispatch, latency, on_release)
    if memory.worker:
        # the thread holds the memory, not the kernel, so that a function or
        # processor referring to its node stays collectable with its context
        threading.Thread(target=memory.run_worker, name="labsound-processing",
                         daemon=True).start()


class FunctionNode(_ScriptNode, AudioScheduledSourceNode):
    """A scheduled source computed by a Python function (LabSound's
    FunctionNode): ``fn(channel, buffer)`` fills ``buffer``, one quantum of
    one output channel, a float32 NumPy view of the engine's memory (no
    copy), in place. ``set_process_function`` may be called at any time.

    Made by ``ctx.create_function(channels=1)``; start() and stop() schedule
    it like any source. An exception in ``fn`` silences the node and issues a
    ProcessingWarning."""

    def __new__(cls, context: BaseAudioContext, channels: int = 1, *,
                mode: Optional[str] = None, lookahead: Optional[int] = None) -> "FunctionNode":
        _core._script_drain()
        channels = _count(channels, "create_function(channels)", 1, _core.MAX_CHANNELS)
        spec = _node_spec("create_function", None, None, None, mode, lookahead)
        spec.update(number_of_inputs=0, number_of_outputs=1,
                    output_channel_count=[channels], scheduled_source=True)
        kernel = _core._ScriptKernel(_KIND_FUNCTION, None, _report)
        node, memory, _ = _core._create_script(cls, context, kernel, spec)
        node._kernel = kernel
        node._memory = memory
        node._function = None
        _finish(node, kernel, memory, _KIND_FUNCTION, 0, 1, [], None, None)
        return node

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    @property
    def channels(self) -> int:
        """The number of output channels ``fn`` fills (fixed at creation)."""
        return self._memory.capacity(_OUTPUT, 0)

    def set_process_function(self, fn: Optional[Callable[[int, np.ndarray], Any]]) -> None:
        """The function called once per quantum and channel (None: silence)."""
        self._kernel.set_callable(fn)
        # a weak reference: the engine (through the kernel) owns the function
        self._function = None if fn is None else _weak_or_none(fn)

    @property
    def process_function(self) -> Optional[Callable]:
        """The function set by ``set_process_function`` (None: none set, or it
        was garbage-collected; the node keeps only a weak reference)."""
        ref = self._function
        return None if ref is None else ref()


def _weak_or_none(obj: Any) -> Callable[[], Any]:
    try:
        return weakref.ref(obj)
    except TypeError:
        return lambda: obj


class AudioProcessorNode(_ScriptNode, AudioNode):
    """A node running an :class:`AudioProcessor` (AudioWorkletNode).

    ``node.parameters`` maps names to real AudioParams (automation, ``>>``
    modulation); ``node.port`` talks to ``processor.port``. Made by
    ``ctx.create_processor(processor, ...)`` or ``ls.AudioProcessorNode``; see
    docs/python-processing.md for the threads ``process`` runs on.
    """

    parameters: Dict[str, Any]
    port: MessagePort

    def __new__(
        cls,
        context: BaseAudioContext,
        processor: type,
        *,
        number_of_inputs: int = 1,
        number_of_outputs: int = 1,
        output_channel_count: Optional[Sequence[int]] = None,
        parameter_data: Optional[Dict[str, float]] = None,
        channel_count: Optional[int] = None,
        channel_count_mode: Optional[str] = None,
        channel_interpretation: Optional[str] = None,
        mode: Optional[str] = None,
        lookahead: Optional[int] = None,
        **processor_options: Any,
    ) -> "AudioProcessorNode":
        _core._script_drain()
        fn = "create_processor"
        if not (isinstance(processor, type) and issubclass(processor, AudioProcessor)):
            raise TypeError(f"{fn}(processor): an AudioProcessor subclass, got {processor!r}")
        n_in = _count(number_of_inputs, f"{fn}(number_of_inputs)", 0, _core.SCRIPT_MAX_IO)
        n_out = _count(number_of_outputs, f"{fn}(number_of_outputs)", 0, _core.SCRIPT_MAX_IO)
        if n_in == 0 and n_out == 0:
            raise NotSupportedError(f"{fn}(): number_of_inputs and number_of_outputs are both 0")
        counts = None
        if output_channel_count is not None:
            counts = list(output_channel_count)
            if len(counts) != n_out:
                raise IndexError(
                    f"{fn}(output_channel_count): {n_out} counts (one per output), got {counts!r}"
                )
            for c in counts:
                if isinstance(c, bool) or not isinstance(c, (int, np.integer)) or \
                        not 1 <= c <= _core.MAX_CHANNELS:
                    raise NotSupportedError(
                        f"{fn}(output_channel_count): counts 1..{_core.MAX_CHANNELS}, got {counts!r}"
                    )
            counts = [int(c) for c in counts]
        descriptors = _descriptors(processor)
        if len(descriptors) > _core.SCRIPT_MAX_PARAMS:
            raise NotSupportedError(
                f"{fn}(): at most {_core.SCRIPT_MAX_PARAMS} parameters, got {len(descriptors)}"
            )
        names = [d[0] for d in descriptors]
        if parameter_data:
            for k in parameter_data:
                if k not in names:
                    raise KeyError(f"{fn}(parameter_data): no parameter named {k!r}")
        spec = _node_spec(fn, channel_count, channel_count_mode, channel_interpretation,
                          mode, lookahead)
        spec.update(number_of_inputs=n_in, number_of_outputs=n_out,
                    output_channel_count=counts, params=descriptors)

        node_port, proc_port = _NodePort(), MessagePort()
        node_port._peer, proc_port._peer = proc_port, node_port
        instance = processor.__new__(processor)
        instance.port = proc_port
        instance.__init__(**processor_options)
        _start_message_thread()

        kernel = _core._ScriptKernel(_KIND_PROCESSOR, instance.process, _report)
        node, memory, params = _core._create_script(cls, context, kernel, spec)
        node._kernel = kernel
        node._memory = memory
        node.parameters = params
        node.port = node_port
        node._processor = weakref.ref(instance)
        if parameter_data:
            for k, v in parameter_data.items():
                params[k].value = v
        _finish(node, kernel, memory, _KIND_PROCESSOR, n_in, n_out, names,
                proc_port._inbox, proc_port._dispatch, _unlinker(node_port, proc_port))
        return node

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    @property
    def processor(self) -> Optional[AudioProcessor]:
        """The processor object while the engine can still run it, else None."""
        return self._processor()


def _unlinker(a: MessagePort, b: MessagePort) -> Callable[[], None]:
    # Once the engine let go of the processor, its port no longer talks to
    # the node's: nothing the node holds keeps the processor alive.
    def unlink() -> None:
        a._peer = None
        b._peer = None
        b.onmessage = None
        b._inbox.clear()

    return unlink


def create_function(self: BaseAudioContext, channels: int = 1, **options: Any) -> FunctionNode:
    """A new :class:`FunctionNode` with ``channels`` output channels."""
    return FunctionNode(self, channels, **options)


def create_processor(self: BaseAudioContext, processor: type, **options: Any) -> AudioProcessorNode:
    """A new :class:`AudioProcessorNode` running a new ``processor`` instance
    (extra keyword arguments go to the processor's ``__init__``)."""
    return AudioProcessorNode(self, processor, **options)


BaseAudioContext.create_function = create_function  # type: ignore[attr-defined]
BaseAudioContext.create_processor = create_processor  # type: ignore[attr-defined]
