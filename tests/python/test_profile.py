"""with ctx.profile() as p: per-node render time from the engine's profiler."""

import io

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import labsound as ls  # noqa: E402
import labsound._core as core  # noqa: E402


def heavy_graph(seconds=1.0, rate=48000):
    ctx = ls.OfflineAudioContext(1, int(seconds * rate), rate)
    osc = ctx.create_oscillator()
    rng = np.random.default_rng(3)
    conv = ctx.create_convolver()
    conv.buffer = ls.AudioBuffer.from_numpy((0.001 * rng.standard_normal((1, rate * 3))).astype(np.float32), rate)
    gain = ctx.create_gain()
    osc >> conv >> gain >> ctx.destination
    osc.start(0)
    return ctx, dict(osc=osc, conv=conv, gain=gain)


def test_a_long_convolver_is_the_top_entry():
    ctx, n = heavy_graph()
    with ctx.profile() as p:
        ctx.start_rendering()
    quanta = ctx.length // 128
    assert p.quanta == quanta
    assert p.nodes[0].node is n["conv"]
    assert {type(r.node).__name__ for r in p.nodes} == {
        "OscillatorNode", "ConvolverNode", "GainNode", "AudioDestinationNode"}
    for r in p.nodes:
        assert r.quanta == quanta
        assert 0 < r.mean <= r.worst
        assert r.share == pytest.approx(r.mean / (128 / 48000))
        assert r.total == pytest.approx(r.mean * r.quanta)
    # the nodes are timed inside the whole quantum's walk
    assert sum(r.total for r in p.nodes) <= p.mean * p.quanta * 1.0001
    assert p.nodes[0].total > 3 * sum(r.total for r in p.nodes[1:])


def test_nothing_is_counted_with_profiling_off_and_each_block_starts_from_zero():
    ctx = ls.OfflineAudioContext(1, 128 * 100, 48000)
    src = ctx.create_constant_source()
    src >> ctx.destination
    src.start(0)
    ctx.suspend(128 * 40 / 48000)
    ctx.start_rendering()                     # 40 quanta, profiling off
    assert core._node_profile(src) == (0, 0, 0) and core._context_profile(ctx) == (0, 0, 0)
    ctx.suspend(128 * 70 / 48000)
    with ctx.profile() as p1:
        ctx.resume()                          # 30 quanta
    assert p1.quanta == 30 and p1.nodes[0].quanta == 30
    with ctx.profile() as p2:
        ctx.resume()                          # the last 30
    assert p2.quanta == 30 and all(r.quanta == 30 for r in p2.nodes)


def test_function_nodes_report_calls_and_python_time():
    ctx = ls.OfflineAudioContext(1, 128 * 50, 48000)
    fn = ctx.create_function(channels=1)
    ran = []

    def fill(channel, buf):
        ran.append(channel)
        buf[:] = 0.5

    fn.set_process_function(fill)
    fn >> ctx.destination
    fn.start(0)
    with ctx.profile() as p:
        out = ctx.start_rendering()
    assert np.all(np.asarray(out) == 0.5)
    row = next(r for r in p.nodes if r.node is fn)
    assert row.calls == 50 == len(ran) and row.misses == 0
    assert 0 < row.callback_time < row.total  # the engine's time for the node includes the call
    assert fn.process_function is fill          # given back after the block
    text = p.table(file=io.StringIO())
    lines = text.splitlines()
    assert lines[0].startswith("render budget 2666.7 us per quantum (128 frames at 48000 Hz)")
    assert lines[3].split()[0] == "FunctionNode" and lines[3].split()[-3:-1] == ["50", "0"]
    assert lines[-1].startswith("whole quantum") and lines[-1].split()[2] == "50"


def test_profile_on_a_real_time_context_and_plot(realtime):
    osc = realtime.create_oscillator()
    bq = realtime.create_biquad_filter()
    osc >> bq >> realtime.destination
    osc.start()
    realtime.resume()
    with realtime.profile(nodes=[osc, bq]) as p:
        realtime.wait(0.2)
    expected = 0.2 * realtime.sample_rate / 128
    assert 0.5 * expected < p.quanta < 2 * expected + 10
    assert [type(r.node).__name__ for r in p.nodes] in (["BiquadFilterNode", "OscillatorNode"],
                                                        ["OscillatorNode", "BiquadFilterNode"])
    assert all(r.quanta > 0 for r in p.nodes)
    ax = p.plot()
    assert [t.get_text() for t in ax.get_yticklabels()] == [r.label for r in reversed(p.nodes)]
    means = [b.get_width() for b in ax.containers[1]]
    np.testing.assert_allclose(means, [r.share * 100 for r in reversed(p.nodes)])
    assert "budget" in ax.get_xlabel()
    with pytest.raises(TypeError, match="AudioNode"):
        realtime.profile(nodes=[3])
