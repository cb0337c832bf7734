"""Real-time contexts whose processing code refers back to its own node are
collected: a function that closes over its FunctionNode, a processor node
whose port handler returns the node, a processor that stores its node. After
the user drops everything, gc.collect() frees the context, which closes it,
and its worker threads end."""

import gc
import threading
import time
import weakref

import numpy as np

import labsound as ls


class Keep(ls.AudioProcessor):
    def process(self, inputs, outputs, parameters):
        outputs[0][:] = 0.1
        return True


def _workers():
    return sum(t.name == "labsound-processing" for t in threading.enumerate())


def _make(kind):
    ctx = ls.AudioContext(device="null")
    if kind == "function":
        node = ctx.create_function(mode="worker")
        # the function closes over its node (as examples/processing/wavepot.py does)
        node.set_process_function(lambda ch, buf: buf.fill(node.stats.calls * 0.0))
        node.start()
    elif kind == "port":
        node = ctx.create_processor(Keep, mode="worker")
        node.port.onmessage = lambda e: node
    else:
        node = ctx.create_processor(Keep, mode="worker")
        node.processor.node = node          # the processor stores its node
    node >> ctx.destination
    return ctx, node


def test_cycles_through_processing_code_are_collected():
    base = _workers()
    held = [_make(("function", "port", "processor")[i % 3]) for i in range(25)]
    time.sleep(0.2)                     # let them render and their workers run
    assert _workers() >= base + 25
    assert all(n.stats.calls > 0 and n.error is None for _, n in held)
    refs = [(weakref.ref(c), weakref.ref(n)) for c, n in held]
    del held
    gc.collect()
    ls._core._script_drain()           # the kernels the engine gave back
    gc.collect()
    alive = [i for i, (c, n) in enumerate(refs) if c() is not None or n() is not None]
    assert alive == [], alive
    deadline = time.monotonic() + 5.0
    while _workers() > base and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _workers() == base


def test_unreferenced_node_of_a_held_context_keeps_running():
    """Collecting is about the context: while the context is held, a
    processor node nobody holds keeps playing (its kernel is the engine's)."""
    ctx = ls.AudioContext(device="null")
    try:
        rec = ctx.create_recorder(channels=1) if hasattr(ctx, "create_recorder") else None
        node = ctx.create_processor(Keep, mode="worker")
        node >> rec
        rec >> ctx.destination
        rec.start()
        ref = weakref.ref(node)
        del node
        gc.collect()
        assert ref() is None
        ctx.wait(0.3)
        rec.stop()
        x = np.asarray(rec.to_buffer())
        assert x.shape[-1] > 0.1 * ctx.sample_rate
        # after the worker's lookahead, the processor's constant comes through
        assert np.count_nonzero(np.isclose(x[0], 0.1)) > 0.1 * ctx.sample_rate
    finally:
        ctx.close()
