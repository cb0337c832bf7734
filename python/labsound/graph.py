"""Graphs as data: ``labsound.graph.dump(ctx)`` and ``labsound.graph.load(d)``.

``dump(ctx)`` is ``ctx.to_dict()``: a JSON-serializable description of the
nodes, options, automation, connections and buffers of a context's graph.
``load(d)`` is ``ls.OfflineAudioContext.from_dict(d)``: a new offline context
holding the same graph, which renders bit-identically. See
docs/machine-learning.md.
"""

from ._graph import FORMAT, VERSION, dump, load

__all__ = ["FORMAT", "VERSION", "dump", "load"]
