"""labsound.torch: RenderedDataset and to_tensor.

Each example's generator is seeded from (seed, epoch, position), so the
examples are the same with 0 or 2 DataLoader workers and in a fresh
interpreter. Expected values: a sine of the frequency drawn from an
independently made generator with the same seed, computed in NumPy.
"""

import os
import subprocess
import sys

import numpy as np
import pytest

import labsound as ls

import torch_cases as cases

try:
    import torch
    import labsound.torch as lt
    HAVE_TORCH = True
except ImportError:
    HAVE_TORCH = False

needs_torch = pytest.mark.skipif(
    not HAVE_TORCH, reason="PyTorch is not installed (pip install labsound[torch]; "
    "CI's PyTorch step installs a CPU build and runs these)")
HERE = os.path.dirname(os.path.abspath(__file__))


def sine_model(seed, epoch, position):
    f = cases.freq_of(np.random.default_rng([seed, epoch, position]))
    t = np.arange(cases.FRAMES) / cases.RATE
    return 0.5 * np.sin(2 * np.pi * f * t)


def collect(loader):
    return [(x.clone(), y) for x, y in loader]


@needs_torch
def test_examples_match_the_seeding_contract():
    ds = lt.RenderedDataset(cases.sine, 6, seed=7)
    assert len(ds) == 6
    got = list(ds)
    assert [y for _, y in got] == list(range(6))
    for pos, (x, _) in enumerate(got):
        assert x.dtype == torch.float32 and tuple(x.shape) == (1, cases.FRAMES)
        np.testing.assert_allclose(x[0].numpy(), sine_model(7, 0, pos), atol=1e-4)


@needs_torch
def test_same_examples_with_0_and_2_workers():
    ds = lt.RenderedDataset(cases.noisy, list("abcdefg"), seed=3)
    here = collect(torch.utils.data.DataLoader(ds, batch_size=None, num_workers=0))
    two = collect(torch.utils.data.DataLoader(ds, batch_size=None, num_workers=2))
    assert [y for _, y in here] == list("abcdefg") == [y for _, y in two]
    for (a, _), (b, _) in zip(here, two):
        assert tuple(a.shape) == (2, cases.FRAMES)
        assert torch.equal(a, b)
    # batched: worker w takes positions w, w+2, ...; the same examples, batched per worker
    batched = collect(torch.utils.data.DataLoader(ds, batch_size=2, num_workers=2))
    by_label = {y: x for x, y in here}
    seen = []
    for xs, ys in batched:
        for x, y in zip(xs, ys):
            assert torch.equal(x, by_label[y])
            seen.append(y)
    assert sorted(seen) == list("abcdefg")


@needs_torch
def test_reproducible_in_fresh_interpreters_and_seeds_differ():
    # spawned DataLoader workers are fresh interpreters that import everything
    # again (a new run): their examples equal this process's
    ds = lt.RenderedDataset(cases.noisy, 4, seed=5)
    here = collect(ds)
    spawned = collect(torch.utils.data.DataLoader(ds, batch_size=None, num_workers=2,
                                                  multiprocessing_context="spawn"))
    assert [y for _, y in spawned] == [0, 1, 2, 3]
    for (a, _), (b, _) in zip(here, spawned):
        assert torch.equal(a, b)
    again = collect(lt.RenderedDataset(cases.noisy, 4, seed=5))
    other = collect(lt.RenderedDataset(cases.noisy, 4, seed=6))
    assert all(torch.equal(a, b) for (a, _), (b, _) in zip(again, here))
    assert not any(torch.equal(a, b) for (a, _), (b, _) in zip(again, other))


@needs_torch
def test_epochs_and_shuffle():
    ds = lt.RenderedDataset(cases.sine, 8, seed=2, shuffle=True)
    order0 = list(ds.order())
    assert sorted(order0) == list(range(8)) and order0 != list(range(8))
    first = list(ds)
    assert [y for _, y in first] == order0
    ds.set_epoch(1)
    assert list(ds.order()) != order0
    for x, pos in ds:
        np.testing.assert_allclose(x[0].numpy(), sine_model(2, 1, pos), atol=1e-4)
    two = collect(torch.utils.data.DataLoader(ds, batch_size=None, num_workers=2))
    assert [y for _, y in two] == list(ds.order())
    with pytest.raises(ValueError, match="epoch"):
        ds.set_epoch(-1)


@needs_torch
def test_transform_is_applied():
    ds = lt.RenderedDataset(cases.sine, 2, transform=lambda x: x.abs().max())
    for peak, _ in ds:
        assert abs(float(peak) - 0.5) < 0.01


@needs_torch
def test_to_tensor_shares_the_buffer_memory():
    buf = ls.AudioBuffer.from_numpy(np.zeros((2, 64), np.float32), 8000)
    t = lt.to_tensor(buf)
    arr = np.asarray(buf)
    assert t.dtype == torch.float32 and tuple(t.shape) == (2, 64)
    assert t.data_ptr() == arr.ctypes.data
    t[1, 3] = 0.25
    assert buf.get_channel_data(1)[3] == 0.25
    del buf, arr
    assert float(t[1, 3]) == 0.25            # the tensor keeps the buffer alive
    mono = lt.to_tensor(np.arange(5, dtype=np.float64))
    assert tuple(mono.shape) == (1, 5) and mono.dtype == torch.float32
    ctx = ls.OfflineAudioContext(1, 128, 8000)
    assert tuple(lt.to_tensor(ctx).shape) == (1, 128)


@needs_torch
def test_bad_input_is_a_clear_error():
    with pytest.raises(TypeError, match="build"):
        lt.RenderedDataset(42, 3)
    with pytest.raises(TypeError, match="items"):
        lt.RenderedDataset(cases.sine, "abc")
    with pytest.raises(ValueError, match="items"):
        lt.RenderedDataset(cases.sine, -1)
    with pytest.raises(ValueError, match="seed"):
        lt.RenderedDataset(cases.sine, 3, seed=-2)
    with pytest.raises(TypeError, match=r"\(audio, label\)"):
        list(lt.RenderedDataset(lambda i, rng: cases.sine(i, rng)[0], 1))
    with pytest.raises(ValueError, match="channels, frames"):
        lt.to_tensor(np.zeros((1, 2, 3)))
    with pytest.raises(TypeError, match="AudioBuffer"):
        lt.to_tensor({"a": 1})


def test_missing_torch_names_the_extra():
    code = ("import sys; sys.modules['torch'] = None\n"
            "try:\n    import labsound.torch\nexcept ImportError as e:\n    print(e)\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert "labsound[torch]" in p.stdout
