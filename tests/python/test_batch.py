"""ls.render_batch: many offline renders in worker processes, on Dask, or here.

The graphs come from batch_cases.py (importable by the spawned workers). A
render in a worker must equal, sample for sample, the same graph rendered in
this process (the engine is deterministic; float32 arrays travel unchanged),
and a sine must match 0.5 sin(2 pi f t) computed in NumPy.
"""

import sys
import threading

import numpy as np
import pytest

import labsound as ls

import batch_cases as cases

FREQS = [110.0, 220.0, 330.0, 440.0, 550.0, 660.0, 770.0]
SYNTHS = [dict(freq=80.0 + 40 * i, cutoff=500.0 + 300 * i, seed=i + 1) for i in range(6)]


def here(build, item):
    return np.asarray(build(item).start_rendering()).copy()


def sine_model(freq):
    t = np.arange(cases.FRAMES) / cases.RATE
    return 0.5 * np.sin(2 * np.pi * freq * t)


def test_pool_renders_equal_in_process_renders_in_order():
    results = list(ls.render_batch(cases.synth, SYNTHS, workers=2))
    assert [r.index for r in results] == list(range(len(SYNTHS)))
    for r, params in zip(results, SYNTHS):
        assert r.ok and r.error is None and r.item == params
        assert isinstance(r.buffer, ls.AudioBuffer)
        assert r.buffer.number_of_channels == 2 and r.sample_rate == cases.RATE
        got = np.asarray(r.buffer)
        assert got.dtype == np.float32 and got.shape == (2, cases.FRAMES)
        np.testing.assert_array_equal(got, here(cases.synth, params))
    # the seeds make different noise: items are not all the same render
    assert not np.array_equal(np.asarray(results[0].buffer), np.asarray(results[1].buffer))


def test_sines_match_numpy_model_in_process_and_in_workers():
    for workers in (0, 2):
        results = list(ls.render_batch(cases.sine, FREQS, workers=workers, output="numpy",
                                       chunksize=3))
        assert [r.index for r in results] == list(range(len(FREQS)))
        for r, f in zip(results, FREQS):
            assert isinstance(r.buffer, np.ndarray) and r.buffer.dtype == np.float32
            # the wavetable oscillator is within ~1e-5 of sin
            np.testing.assert_allclose(r.buffer[0], sine_model(f), atol=1e-4)


def test_as_completed_returns_every_index_once():
    # long renders first: as completed, short ones may overtake them
    lengths = [40000, 30000, 128, 256, 512, 128, 20000, 128]
    results = list(ls.render_batch(cases.long_or_short, lengths, workers=2, ordered=False))
    assert sorted(r.index for r in results) == list(range(len(lengths)))
    for r in results:
        assert r.item == lengths[r.index] and r.buffer.length == lengths[r.index]


def test_as_completed_in_process_and_generator_input():
    gen = (f for f in FREQS[:3])          # no len(): still works, total unknown
    seen = []
    results = list(ls.render_batch(cases.sine, gen, workers=0, ordered=False,
                                   progress=lambda done, total: seen.append((done, total))))
    assert [r.index for r in results] == [0, 1, 2]
    assert seen == [(1, None), (2, None), (3, None)]


@pytest.mark.parametrize("workers", [0, 2])
def test_failing_item_is_reported_and_the_rest_render(workers):
    items = [220.0, -1.0, 440.0, -2.0, 880.0]
    results = list(ls.render_batch(cases.sine_or_fail, items, workers=workers, errors="return"))
    assert [r.index for r in results] == list(range(5))
    for r in results:
        if r.item < 0:
            assert not r.ok and r.buffer is None
            assert isinstance(r.error, ValueError) and str(r.item) in str(r.error)
            assert "sine_or_fail" in r.traceback and "ValueError" in r.traceback
        else:
            assert r.ok and r.traceback is None
            np.testing.assert_allclose(np.asarray(r.buffer)[0], sine_model(r.item), atol=1e-4)


@pytest.mark.parametrize("workers", [0, 2])
def test_errors_raise_names_index_and_keeps_cause(workers):
    got = []
    with pytest.raises(ls.BatchError) as info:
        for r in ls.render_batch(cases.sine_or_fail, [220.0, 330.0, -5.0, 440.0], workers=workers):
            got.append(r.index)
    e = info.value
    assert got == [0, 1] and e.index == 2 and e.item == -5.0
    assert "items[2]" in str(e) and "ValueError" in str(e) and "sine_or_fail" in e.traceback
    assert isinstance(e.__cause__, ValueError)


def test_build_may_return_a_buffer():
    (r,) = ls.render_batch(cases.rendered, [300.0], workers=2)
    np.testing.assert_allclose(np.asarray(r.buffer)[0], sine_model(300.0), atol=1e-4)


def test_build_returning_a_dict_uses_from_dict(monkeypatch):
    if not hasattr(ls.OfflineAudioContext, "from_dict"):
        with pytest.raises(ls.BatchError, match="from_dict"):
            list(ls.render_batch(lambda i: {"nodes": []}, [0], workers=0))
        monkeypatch.setattr(ls.OfflineAudioContext, "from_dict",
                            staticmethod(lambda d: cases.sine(d["freq"])), raising=False)
    else:
        pytest.skip("OfflineAudioContext.from_dict exists: its own tests cover the dict form")
    (r,) = ls.render_batch(lambda f: {"freq": f}, [500.0], workers=0)
    np.testing.assert_allclose(np.asarray(r.buffer)[0], sine_model(500.0), atol=1e-4)


def test_build_returning_something_else_is_a_clear_error():
    (r,) = ls.render_batch(lambda i: 42, [0], workers=0, errors="return")
    assert isinstance(r.error, TypeError) and "OfflineAudioContext" in str(r.error)
    assert "int" in str(r.error)


def test_progress_callable_counts_every_item():
    seen = []
    list(ls.render_batch(cases.sine, FREQS, workers=2, chunksize=2,
                         progress=lambda done, total: seen.append((done, total))))
    dones = [d for d, _ in seen]
    assert dones == sorted(dones) and dones[-1] == len(FREQS)
    assert {t for _, t in seen} == {len(FREQS)}


def test_progress_bar_with_tqdm(capsys):
    pytest.importorskip("tqdm")
    list(ls.render_batch(cases.sine, FREQS[:4], workers=0, progress=True))
    err = capsys.readouterr().err
    assert "rendering" in err and "4/4" in err


def test_progress_true_without_tqdm_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    with pytest.raises(ImportError, match=r"labsound\[progress\]"):
        ls.render_batch(cases.sine, FREQS, workers=0, progress=True)


class _Unpicklable:
    def __init__(self):
        self.lock = threading.Lock()

    def build(self, freq):
        return cases.sine(freq)


def test_unpicklable_build_is_a_clear_error():
    with pytest.raises(TypeError, match="picklable") as info:
        ls.render_batch(_Unpicklable().build, FREQS, workers=2)
    assert "workers=0" in str(info.value)
    # in this process nothing is pickled: the same build works
    (r,) = ls.render_batch(_Unpicklable().build, [220.0], workers=0)
    assert r.ok


def test_lambda_without_cloudpickle_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "cloudpickle", None)
    with pytest.raises(TypeError, match="cloudpickle"):
        ls.render_batch(lambda f: cases.sine(f), FREQS, workers=2)


def test_lambda_with_cloudpickle_runs_in_workers():
    pytest.importorskip("cloudpickle")
    results = list(ls.render_batch(lambda f: cases.sine(2 * f), [100.0, 200.0], workers=2))
    for r in results:
        np.testing.assert_allclose(np.asarray(r.buffer)[0], sine_model(2 * r.item), atol=1e-4)


def test_unpicklable_item_is_reported_with_its_index():
    items = [220.0, threading.Lock(), 440.0]
    results = list(ls.render_batch(cases.sine, items, workers=2, errors="return"))
    assert [r.ok for r in results] == [True, False, True]
    bad = results[1]
    assert isinstance(bad.error, ls.BatchError) and bad.error.index == 1
    assert "picklable" in str(bad.error) and "items[1]" not in str(bad.error)


def test_breaking_out_stops_the_pool():
    it = ls.render_batch(cases.long_or_short, [128] * 200, workers=2)
    first = next(it)
    assert first.index == 0
    it.close()                      # cancels what is queued, joins the workers


@pytest.mark.parametrize("kwargs, match", [
    (dict(errors="ignore"), "errors"),
    (dict(output="tensor"), "output"),
    (dict(chunksize=0), "chunksize"),
    (dict(workers=-1), "workers"),
    (dict(progress="yes"), "progress"),
])
def test_bad_options_name_the_argument(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        ls.render_batch(cases.sine, FREQS, **kwargs)


def test_bad_build_and_items():
    with pytest.raises(TypeError, match="build"):
        ls.render_batch(42, FREQS)
    with pytest.raises(TypeError, match="items"):
        ls.render_batch(cases.sine, 42)


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed", reason="dask.distributed (labsound[dask]) not installed")
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_dask_client_renders_the_same(dask_client):
    results = list(ls.render_batch(cases.synth, SYNTHS, client=dask_client))
    assert [r.index for r in results] == list(range(len(SYNTHS)))
    for r, params in zip(results, SYNTHS):
        np.testing.assert_array_equal(np.asarray(r.buffer), here(cases.synth, params))


def test_dask_as_completed_and_failures(dask_client):
    items = [220.0, -1.0, 440.0, 660.0]
    results = list(ls.render_batch(cases.sine_or_fail, items, client=dask_client, ordered=False,
                                   errors="return", chunksize=2, output="numpy"))
    assert sorted(r.index for r in results) == [0, 1, 2, 3]
    for r in results:
        if r.index == 1:
            assert isinstance(r.error, ValueError) and "sine_or_fail" in r.traceback
        else:
            np.testing.assert_allclose(r.buffer[0], sine_model(r.item), atol=1e-4)


def test_client_must_be_a_dask_client():
    pytest.importorskip("distributed")
    with pytest.raises(TypeError, match="client"):
        ls.render_batch(cases.sine, FREQS, client=object())


def test_batch_render_example_script(tmp_path):
    """examples/batch_render.py as a script: its build lives in __main__, which
    spawned workers import by path (the main guard keeps them from recursing)."""
    import os
    import subprocess
    script = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "batch_render.py")
    out = tmp_path / "notes.npz"
    p = subprocess.run([sys.executable, script, "--count", "6", "--output", str(out)],
                       capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "6 notes" in p.stdout
    data = np.load(out)
    assert data["audio"].shape == (6, 22050) and data["audio"].dtype == np.float32
    # every row is its own note: the loudest spectral peak sits at the note's
    # pitch (NumPy FFT of the sustain, 1 Hz bins; within 2 bins)
    for row, freq in zip(data["audio"], data["freq"]):
        seg = row[:22050]
        spec = np.abs(np.fft.rfft(seg * np.hanning(len(seg)), n=22050))
        assert abs(np.argmax(spec) - freq) <= 2, (np.argmax(spec), freq)


def test_a_crashed_worker_fails_its_items_and_the_rest_render():
    items = [220.0] * 3 + [0.0] + [440.0] * 8
    results = list(ls.render_batch(cases.sine_or_die, items, workers=2, errors="return"))
    assert [r.index for r in results] == list(range(len(items)))
    crashed = results[3]
    assert isinstance(crashed.error, ls.BatchError) and "exited abruptly" in str(crashed.error)
    # the chunks in flight when the worker died are rendered again one by one
    # in a worker of their own: only the item that kills its worker fails
    assert [r.index for r in results if not r.ok] == [3]
    for r in results:
        if r.ok:
            np.testing.assert_allclose(np.asarray(r.buffer)[0], sine_model(r.item), atol=1e-4)


@pytest.mark.parametrize("workers", [0, 2])
def test_build_calling_sys_exit_fails_only_its_item(workers):
    items = [220.0, 0.0, 440.0]
    results = list(ls.render_batch(cases.sine_or_exit, items, workers=workers, errors="return"))
    assert [r.ok for r in results] == [True, False, True]
    assert isinstance(results[1].error, SystemExit) and results[1].error.code == 2
    for r in (results[0], results[2]):
        np.testing.assert_allclose(np.asarray(r.buffer)[0], sine_model(r.item), atol=1e-4)
    with pytest.raises(ls.BatchError) as info:
        list(ls.render_batch(cases.sine_or_exit, items, workers=workers))
    assert info.value.index == 1 and isinstance(info.value.__cause__, SystemExit)
