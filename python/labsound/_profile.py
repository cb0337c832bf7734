"""``with ctx.profile() as p:`` — per-node render time from the engine's profiler.

While the block runs the engine times each node's quantum (mixing its inputs
and its process call) into counters of its own (include/labsound/profile.h);
at the end :class:`Profile` holds, per node, the mean and worst time per
quantum and the share of the render budget (one quantum's duration,
render_quantum_size / sample_rate). For Python processing nodes it adds the
calls made and the deadline misses (ProcessingStats) during the block and, for
function nodes, the time spent in the Python function.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable, Optional

from . import _core


@dataclass(frozen=True)
class NodeProfile:
    """One node's figures over the profiled block (times in seconds).

    A row of :attr:`Profile.nodes`; ``label`` is the node's name in
    ``Profile.table()``. The render budget of a quantum is
    ``render_quantum_size / sample_rate`` seconds (2.67 ms at 48 kHz).
    """

    node: Any
    label: str
    quanta: int
    """Quanta the node was processed in."""
    mean: float
    """Mean render time per quantum."""
    worst: float
    """Longest render time of one quantum."""
    total: float
    """Sum of the node's render times over the block."""
    share: float
    """mean / budget: the fraction of one quantum's duration the node takes."""
    calls: Optional[int] = None
    """Python processing nodes: quanta computed in Python during the block."""
    misses: Optional[int] = None
    """Python processing nodes (real time): quanta played as silence, Python late."""
    callback_time: Optional[float] = None
    """Function nodes: seconds spent in the Python function during the block."""


class Profile:
    """The render profile of a context over a ``with ctx.profile()`` block.

    After the block: ``nodes`` (a NodeProfile per node, heaviest first),
    ``quanta`` rendered, ``mean`` and ``worst`` render time per quantum of the
    whole graph (seconds), ``budget`` (one quantum's duration) and ``wall``
    (the block's wall-clock time). ``table()`` formats them, ``plot()`` draws
    them (matplotlib, the ``plot`` extra). Profiling costs nothing when no
    profile is open; see docs/profiling.md for its cost when on.
    """

    def __init__(self, context: Any, nodes: Optional[list] = None) -> None:
        self.context = context
        self.budget = context.render_quantum_size / context.sample_rate
        self._nodes = nodes
        self.nodes: list[NodeProfile] = []
        self.quanta = 0
        self.mean = 0.0
        self.worst = 0.0
        self.wall = 0.0
        self._before: dict = {}
        self._timers: dict = {}

    # -- the block --------------------------------------------------------
    def _targets(self) -> list:
        if self._nodes is not None:
            return list(self._nodes)
        from . import _notebook

        return _notebook.Graph(self.context).nodes

    def __enter__(self) -> "Profile":
        from ._processing import FunctionNode, _ScriptNode

        self._started_nodes = self._targets()
        for n in self._started_nodes:
            if isinstance(n, _ScriptNode):
                self._before[id(n)] = n.stats
            if isinstance(n, FunctionNode) and n.process_function is not None:
                self._timers[id(n)] = _Timer(n, n.process_function)
        _core._set_profiling(self.context, True)
        self._t0 = time.perf_counter()
        return self

    def __exit__(self, *exc: Any) -> None:
        _core._set_profiling(self.context, False)
        self.wall = time.perf_counter() - self._t0
        for timer in self._timers.values():
            timer.restore()
        self._collect()

    # -- results ----------------------------------------------------------
    def _collect(self) -> None:
        from . import _notebook
        from ._processing import _ScriptNode

        q, total, worst = _core._context_profile(self.context)
        self.quanta = q
        self.mean = total / q * 1e-9 if q else 0.0
        self.worst = worst * 1e-9
        seen = {id(n) for n in self._started_nodes}
        nodes = list(self._started_nodes) + [n for n in self._targets() if id(n) not in seen]
        graph = _notebook.Graph(self.context)
        labels = {id(n): graph.label(n) for n in graph.nodes}
        out = []
        for k, n in enumerate(nodes):
            nq, ns, nmax = _core._node_profile(n)
            calls = misses = cb = None
            if isinstance(n, _ScriptNode):
                before = self._before.get(id(n))
                after = n.stats
                calls = after.calls - (before.calls if before else 0)
                misses = after.misses - (before.misses if before else 0)
            if id(n) in self._timers:
                cb = self._timers[id(n)].seconds
            mean = ns / nq * 1e-9 if nq else 0.0
            out.append(NodeProfile(n, labels.get(id(n), f"{type(n).__name__} #{k}"), nq, mean,
                                   nmax * 1e-9, ns * 1e-9, mean / self.budget, calls, misses, cb))
        out.sort(key=lambda r: r.total, reverse=True)
        self.nodes = out

    @property
    def share(self) -> float:
        """Mean whole-quantum render time over the budget."""
        return self.mean / self.budget

    def table(self, file: Any = None) -> str:
        """The profile as a text table, heaviest node first (printed, and returned)."""
        import sys

        rows = [("node", "quanta", "mean us", "worst us", "budget %", "py calls", "misses", "py ms")]
        for r in self.nodes:
            rows.append((r.label, str(r.quanta), f"{r.mean * 1e6:.2f}", f"{r.worst * 1e6:.2f}",
                         f"{r.share * 100:.2f}", "" if r.calls is None else str(r.calls),
                         "" if r.misses is None else str(r.misses),
                         "" if r.callback_time is None else f"{r.callback_time * 1e3:.2f}"))
        rows.append(("whole quantum", str(self.quanta), f"{self.mean * 1e6:.2f}", f"{self.worst * 1e6:.2f}",
                     f"{self.share * 100:.2f}", "", "", ""))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines = []
        for j, r in enumerate(rows):
            cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
            lines.append("  ".join(cells).rstrip())
            if j == 0 or j == len(rows) - 2:
                lines.append("  ".join("-" * w for w in widths))
        text = (f"render budget {self.budget * 1e6:.1f} us per quantum "
                f"({self.context.render_quantum_size} frames at {self.context.sample_rate:g} Hz)\n"
                + "\n".join(lines))
        print(text, file=file if file is not None else sys.stdout)
        return text

    def plot(self, ax: Any = None) -> Any:
        """A horizontal bar per node: mean and worst time per quantum as a share of the budget (%)."""
        try:
            import matplotlib.pyplot as plt
        except ImportError as e:  # pragma: no cover
            raise ImportError("Profile.plot needs matplotlib: pip install labsound[plot]") from e
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 0.4 * len(self.nodes) + 1.5))
        rows = list(reversed(self.nodes))
        y = range(len(rows))
        ax.barh(list(y), [r.worst / self.budget * 100 for r in rows], color="#f2b8a0", label="worst")
        ax.barh(list(y), [r.share * 100 for r in rows], color="#3a6ea5", label="mean")
        ax.set_yticks(list(y), [r.label for r in rows])
        ax.set_xlabel("render time per quantum (% of the budget)")
        ax.legend(loc="lower right")
        return ax

    def __repr__(self) -> str:
        top = self.nodes[0].label if self.nodes else "none"
        return f"<labsound.Profile: {self.quanta} quanta, {self.share * 100:.1f}% of budget, top {top}>"


class _Timer:
    """Wraps a function node's Python function to sum its time while profiling."""

    def __init__(self, node: Any, fn: Callable) -> None:
        self.node, self.fn, self.seconds = node, fn, 0.0

        def timed(channel: int, buffer: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(channel, buffer)
            finally:
                self.seconds += time.perf_counter() - t

        self.timed = timed
        node.set_process_function(timed)

    def restore(self) -> None:
        if self.node.process_function is self.timed:
            self.node.set_process_function(self.fn)


def profile(self: Any, nodes: Optional[list] = None) -> Profile:
    """Profile the render while the ``with`` block runs: ``with ctx.profile() as p: ...``.

    ``nodes`` limits the report to those nodes; by default every node in
    ``ctx.graph()`` (those connected from Python) and the destination.
    """
    if nodes is not None:
        nodes = list(nodes)
        for n in nodes:
            if not isinstance(n, _core.AudioNode):
                raise TypeError(f"profile(nodes): each must be an AudioNode, got {type(n).__name__}")
    return Profile(self, nodes)


_core.BaseAudioContext.profile = profile  # type: ignore[attr-defined]
