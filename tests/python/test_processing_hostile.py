"""Processing nodes whose code misbehaves: whatever process() does to the
lists it is given (clear, append, delete, replace items with other objects),
the next quantum gets fresh lists of the right length and shapes, and the
node keeps computing. Expected values: the input times two, computed in
NumPy from the same oscillator rendered by the engine without the node."""

import numpy as np
import pytest

import labsound as ls

SR = 48000.0
Q = ls.RENDER_QUANTUM
FRAMES = 64 * Q


def _mutate(kind, inputs, outputs, parameters):
    if kind == "clear":
        inputs.clear()
        outputs.clear()
    elif kind == "append":
        inputs.append(np.zeros(7))
        outputs.append("not an array")
        outputs.append(None)
    elif kind == "delete":
        del inputs[:]
        del outputs[0]
    elif kind == "replace":
        inputs[0] = None
        outputs[0] = np.zeros((3, 5), dtype=np.int64)
    elif kind == "params":
        parameters.clear()
        parameters["bogus"] = object()


class Doubler(ls.AudioProcessor):
    """Even quanta: output = 2 * input and record what it was given. Odd
    quanta: mess up the arguments in the way named by `kind`."""

    def __init__(self, kind):
        self.kind = kind
        self.n = 0
        self.seen = []

    def process(self, inputs, outputs, parameters):
        self.n += 1
        if self.n % 2:
            self.seen.append((len(inputs), len(outputs),
                              [np.shape(a) for a in inputs], [np.shape(a) for a in outputs]))
            if inputs[0].shape[0]:     # an input with nothing connected yet has no channels
                outputs[0][:] = 2.0 * inputs[0]
        else:
            _mutate(self.kind, inputs, outputs, parameters)
        return True


def _reference():
    ctx = ls.OfflineAudioContext(1, FRAMES, SR)
    osc = ctx.create_oscillator(frequency=441.0)
    osc.start()
    osc >> ctx.destination
    return np.asarray(ctx.start_rendering())[0].copy()


@pytest.mark.parametrize("kind", ["clear", "append", "delete", "replace", "params"])
def test_process_mutating_its_arguments_never_crashes(kind):
    ctx = ls.OfflineAudioContext(1, FRAMES, SR)
    osc = ctx.create_oscillator(frequency=441.0)
    osc.start()
    node = ctx.create_processor(Doubler, kind=kind)
    proc = node.processor
    osc >> node >> ctx.destination
    out = np.asarray(ctx.start_rendering())[0]
    ref = _reference()
    # every call that computed saw one input and one output of (1, 128)
    assert len(proc.seen) == FRAMES // Q // 2
    assert all(s == (1, 1, [(1, Q)], [(1, Q)]) for s in proc.seen), proc.seen[:3]
    assert node.error is None
    for q in range(0, FRAMES // Q, 2):   # the quanta where process() computed
        sl = slice(q * Q, (q + 1) * Q)
        np.testing.assert_allclose(out[sl], 2.0 * ref[sl], atol=1e-6)


def test_mutating_processor_in_real_time_worker_mode():
    ctx = ls.AudioContext()
    try:
        osc = ctx.create_oscillator()
        osc.start()
        node = ctx.create_processor(Doubler, kind="clear", mode="worker")
        proc = node.processor
        osc >> node >> ctx.destination
        ctx.wait(0.2)
        assert node.error is None
        assert len(proc.seen) > 5
        assert all(s[:2] == (1, 1) and s[2][0] in ((0, Q), (1, Q)) and s[3] == [(1, Q)]
                   for s in proc.seen), proc.seen[:3]
        assert sum(s[2] == [(1, Q)] for s in proc.seen) > 3
    finally:
        ctx.close()
