"""examples/torch_classifier.py and examples/torch_realtime.py, run with a
short budget (they need PyTorch: skipped with the reason when it is missing)."""

import importlib.util
import os

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is not installed (pip install labsound[torch]; "
                            "CI's PyTorch step installs a CPU build and runs these)")

EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples")


def load(name):
    spec = importlib.util.spec_from_file_location("labsound_example_" + name,
                                                  os.path.join(EXAMPLES, name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_torch_classifier_learns_the_four_sounds():
    ex = load("torch_classifier")
    # four classes: chance is 0.25; a fixed seed and a short budget
    acc = ex.main(seed=0, epochs=4, train=384, test=128, verbose=False)
    assert acc > 0.9
    # the examples are what their label says: a sine has one spectral peak,
    # a square's third harmonic is a third of its fundamental (NumPy FFT)
    rng = np.random.default_rng(0)
    ctx, label = ex.build(0, rng)
    assert ex.CLASSES[label] == "sine"
    x = np.asarray(ctx.start_rendering())[0][200:]
    spec = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    assert np.sort(spec)[-1] > 20 * np.median(spec)
    ctx, label = ex.build(1, np.random.default_rng(5))
    assert ex.CLASSES[label] == "square"
    x = np.asarray(ctx.start_rendering())[0][200:]
    spec = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    f0 = int(np.argmax(spec))
    h3 = spec[3 * f0 - 2:3 * f0 + 3].max()
    assert 0.2 < h3 / spec[f0] < 0.45


def test_torch_classifier_in_dataloader_workers():
    ex = load("torch_classifier")
    ds = ex.RenderedDataset(ex.build, 8, seed=1, transform=ex.features)
    here = [(x.clone(), y) for x, y in torch.utils.data.DataLoader(ds, batch_size=None)]
    two = [(x.clone(), y) for x, y in torch.utils.data.DataLoader(ds, batch_size=None, num_workers=2)]
    assert [y for _, y in here] == [y for _, y in two] == [i % 4 for i in range(8)]
    assert all(torch.equal(a, b) for (a, _), (b, _) in zip(here, two))


def test_torch_model_in_a_realtime_graph():
    ex = load("torch_realtime")
    f = ex.main(seconds=0.3, verbose=False)
    assert f["backend"] == "null"
    # 0.3 s at 48 kHz is ~112 quanta; the null backend keeps time like a device
    assert 60 <= f["blocks"] <= 200
    assert f["model_mean_ms"] > 0 and f["model_p99_ms"] >= f["model_mean_ms"] * 0.5
    assert f["lookahead"] >= 1
    assert abs(f["node_latency_ms"] - f["lookahead"] * 128 / 48000 * 1e3) < 1e-9
    assert f["engine_node_mean_us"] > 0


def test_torch_realtime_model_is_continuous_across_blocks():
    ex = load("torch_realtime")
    import labsound as ls
    frames = 16 * 128
    ctx = ls.OfflineAudioContext(1, frames, 48000)
    osc = ctx.create_oscillator(frequency=220.0)
    node = ctx.create_processor(ex.ModelProcessor, output_channel_count=[1])
    osc >> node >> ctx.destination
    osc.start()
    out = np.asarray(ctx.start_rendering())[0]
    x = np.sin(2 * np.pi * 220.0 * np.arange(frames) / 48000)
    want = ex.reference(ex.TinyModel(0).eval(), x)
    # the wavetable oscillator is within ~1e-5 of sin; the model is smooth
    np.testing.assert_allclose(out, want, atol=1e-4)
    assert node.error is None
